"""Cut a job ad into clauses, read their cues, and find the skill lists in them.

A *clause* is a bullet or sentence of the requirement-bearing text, cut at ``;`` and at
parentheses (see :mod:`skillmatch.score.requirements` for how its cues and section decide whether
what
it names is required). Mentions in one clause joined by "or", "/" or an example cue ("such as",
"e.g.") form an any-of group; mentions joined by "and" stay separate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from skillmatch.models import Document, Evidence
from skillmatch.read.sections import lines_with_offsets
from skillmatch.score.blocks import (
    Block,
    block_at,
    job_blocks,
    not_requirement_kinds,
    phrase_pattern,
    reading_data,
)

#: Blocks (see :mod:`skillmatch.score.blocks`) whose skills are preferred unless a clause says
#: "required".
PREFERRED_SECTIONS = frozenset({"nice-to-have"})
#: Blocks that state requirements outright (the rest describe the work).
STATED_SECTIONS = frozenset({"requirements", "nice-to-have", "tags"})
#: Blocks whose text is never a requirement.
NOT_REQUIREMENT_SECTIONS = not_requirement_kinds()

_CUES = reading_data()["cues"]
PREFERRED_CUE = phrase_pattern(_CUES["preferred"])
REQUIRED_CUE = phrase_pattern(_CUES["required"])
EMPHASIS_CUE = phrase_pattern(_CUES["emphasis"])
EEO_CUE = phrase_pattern(_CUES["legal"])
EMPLOYER_CUE = phrase_pattern(_CUES["employer"])
CANDIDATE_CUE = phrase_pattern(_CUES["candidate"])
_LISTS = reading_data()["lists"]
_EXAMPLE_CUE = re.compile(
    r"(?:" + phrase_pattern(_LISTS["example"]).pattern + r")[.,]*\s*"
    r"(?:the following:?\s*)?\(?\s*$",
    re.IGNORECASE,
)
#: The link between two mentions of an any-of list ("Python or Java", "Power BI / Tableau").
OR_LINK = re.compile(r"^\s*(?:,?\s*(?:or|and/or|/)\s*|\s*/\s*)$", re.IGNORECASE)
_AND_LINK = re.compile(r"^\s*(?:,|,?\s*(?:and|&|as well as|plus)\s*)\s*$", re.IGNORECASE)


@dataclass
class Clause:
    """A bullet or sentence piece of a job ad: its span and text, its section, whether a cue in
    it says preferred or required, and the skill mentions in it (``(evidence, skill id)``)."""

    start: int
    end: int
    text: str
    section: str | None
    preferred: bool = False
    required: bool = False
    emphasis: bool = False
    mentions: list[tuple[Evidence, str]] = field(default_factory=list)


@dataclass(frozen=True)
class SetAside:
    """A sentence of a job ad kept out of its requirements, and why (its block kind:
    ``company``, ``benefits``, ``metadata``, ``legal``)."""

    start: int
    end: int
    kind: str
    text: str


def split_clauses(
    document: Document,
    blocks: tuple[Block, ...] | None = None,
    set_aside: list[SetAside] | None = None,
) -> Iterator[Clause]:
    """Bullets and sentences of the requirement-bearing text, cut at ``;``, at parentheses and
    at block headings. Sentences kept out (company, benefits, metadata, legal text, and the
    employer's description of itself outside the requirement blocks) go to ``set_aside``."""
    text = document.text
    blocks = blocks if blocks is not None else job_blocks(document)
    cuts = sorted({b.start for b in blocks})
    for line_start, line in lines_with_offsets(text):
        if not line.strip():
            continue
        line_cuts = [c - line_start for c in cuts if line_start < c < line_start + len(line)]
        for start, end in _sentences(line, line_cuts):
            sentence = line[start:end]
            if not sentence.strip():
                continue
            block = block_at(blocks, line_start + start)
            name = block.kind if block else None
            kind = _set_aside_kind(sentence, name)
            if kind is not None:
                if set_aside is not None:
                    set_aside.append(
                        SetAside(line_start + start, line_start + end, kind, sentence.strip())
                    )
                continue
            outer_pref = bool(PREFERRED_CUE.search(strip_parens(sentence)))
            outer_req = bool(REQUIRED_CUE.search(strip_parens(sentence)))
            for piece_start, piece_end, nested in _pieces(sentence):
                piece = sentence[piece_start:piece_end]
                preferred = bool(PREFERRED_CUE.search(piece))
                required = bool(REQUIRED_CUE.search(piece))
                if nested and not (preferred or required):
                    preferred, required = outer_pref, outer_req
                elif not nested:
                    preferred, required = outer_pref and not required, required
                yield Clause(
                    start=line_start + start + piece_start,
                    end=line_start + start + piece_end,
                    text=piece,
                    section=name,
                    preferred=preferred,
                    required=required and not preferred,
                    emphasis=bool(EMPHASIS_CUE.search(piece)),
                )


def _set_aside_kind(sentence: str, block: str | None) -> str | None:
    """Why ``sentence`` (in a block of kind ``block``) is no requirement, or ``None``."""
    if EEO_CUE.search(sentence):
        return "legal"
    if block in NOT_REQUIREMENT_SECTIONS:
        return block
    if (
        block in {None, "description"}
        and EMPLOYER_CUE.search(sentence)
        and not CANDIDATE_CUE.search(sentence)
    ):
        return "company"
    return None


def _sentences(line: str, cuts: Sequence[int] = ()) -> Iterator[tuple[int, int]]:
    ends = [
        m.end()
        for m in re.finditer(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)[.;!?](?=\s+[A-Z(]|\s*$)|;", line)
    ]
    start = 0
    for end in sorted({*ends, *cuts}):
        if end > start:
            yield start, end
            start = end
    if start < len(line):
        yield start, len(line)


def _pieces(sentence: str) -> Iterator[tuple[int, int, bool]]:
    """The sentence outside parentheses (as one piece, parentheses blanked) and each
    parenthesised part; ``nested`` is True for the parts."""
    yield 0, len(sentence), False
    for match in re.finditer(r"\([^()]*\)", sentence):
        yield match.start(), match.end(), True


def strip_parens(text: str) -> str:
    """``text`` with each parenthesised part blanked (offsets kept)."""
    return re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)


def clause_at(clauses: list[Clause], offset: int) -> Clause | None:
    """The innermost clause holding ``offset`` (a parenthesised part beats its sentence)."""
    best: Clause | None = None
    for clause in clauses:
        if clause.start <= offset < clause.end and (
            best is None or clause.end - clause.start < best.end - best.start
        ):
            best = clause
    return best


def decide(clause: Clause) -> tuple[bool, str]:
    """``(required, reason)`` for what ``clause`` names: its cue, else its section."""
    if clause.preferred:
        return False, "cue"
    if clause.required:
        return True, "cue"
    if clause.section in PREFERRED_SECTIONS:
        return False, clause.section or ""
    return True, clause.section or "title"


_SCOPE = reading_data()["cue_scope"]


def _run_on(clause: Clause) -> bool:
    return len(clause.text.split()) > int(_SCOPE["run_on_words"])


def _near(clause: Clause, start: int, end: int, text: str) -> str:
    """The words around a mention that a cue must be among in a run-on clause."""
    before = " ".join(text[clause.start : start].split()[-int(_SCOPE["near_before"]) :])
    after = " ".join(text[end : clause.end].split()[: int(_SCOPE["near_after"])])
    return f"{before} {after}"


def emphasis_at(clause: Clause, start: int, end: int, text: str) -> bool:
    """Whether the clause stresses the mention at ``[start, end)`` (in a run-on clause, only
    an emphasis cue near it counts)."""
    if not _run_on(clause):
        return clause.emphasis
    return bool(EMPHASIS_CUE.search(_near(clause, start, end, text)))


def decide_at(clause: Clause, start: int, end: int, text: str) -> tuple[bool, str]:
    """:func:`decide` for the mention at ``[start, end)``: in a run-on clause (bullets run
    together, ``cue_scope`` in data/job_reading.yaml) a cue decides only near the mention."""
    if not _run_on(clause):
        return decide(clause)
    near = _near(clause, start, end, text)
    if PREFERRED_CUE.search(near):
        return False, "cue"
    if REQUIRED_CUE.search(near):
        return True, "cue"
    if clause.section in PREFERRED_SECTIONS:
        return False, clause.section or ""
    return True, clause.section or "title"


def dedupe_mentions(mentions: list[tuple[Evidence, str]]) -> list[tuple[Evidence, str]]:
    """Drop mentions nested in a longer one ("SQL" inside "PostgreSQL" is one mention)."""
    kept: list[tuple[Evidence, str]] = []
    for evidence, skill_id in mentions:
        if kept and evidence.start < kept[-1][0].end:
            if (
                evidence.start == kept[-1][0].start
                and evidence.end == kept[-1][0].end
                and skill_id != kept[-1][1]
            ):
                kept.append((evidence, skill_id))  # one surface form, two skills: keep both
            continue
        kept.append((evidence, skill_id))
    return kept


_COLLABORATORS_AFTER = re.compile(
    r"^[\w\s,&/-]{0,40}?(?:" + phrase_pattern(_LISTS["collaborators_after"]).pattern + r")",
    re.IGNORECASE,
)
_COLLABORATORS_BEFORE = re.compile(
    r"(?:" + phrase_pattern(_LISTS["collaborators_before"]).pattern + r")[^.;:]*$",
    re.IGNORECASE,
)


def without_collaborators(
    mentions: list[tuple[Evidence, str]], clause: Clause, text: str
) -> list[tuple[Evidence, str]]:
    """Drop skills that name the teams the job works with ("alongside engineering, design,
    data science, and go-to-market teams"): they are colleagues, not requirements."""
    kept = []
    for evidence, skill_id in mentions:
        after = text[evidence.end : clause.end]
        before = text[clause.start : evidence.start]
        if _COLLABORATORS_AFTER.match(after) and _COLLABORATORS_BEFORE.search(before):
            continue
        kept.append((evidence, skill_id))
    return kept


def _runs(clause: Clause, text: str) -> Iterator[tuple[list[tuple[Evidence, str]], bool]]:
    """Runs of mentions joined by list links; ``True`` when the run is an any-of group."""
    mentions = clause.mentions
    i = 0
    while i < len(mentions):
        run = [mentions[i]]
        links: list[str] = []
        j = i + 1
        while j < len(mentions):
            gap = text[run[-1][0].end : mentions[j][0].start]
            if mentions[j][0].start == run[-1][0].start:
                j += 1
                continue
            link = _link(gap)
            if link:
                links.append(link)
            elif _EXAMPLE_CUE.search(gap) and len(run) == 1 and len(gap) < 40:
                links.append("eg")
            else:
                break
            run.append(mentions[j])
            j += 1
        before = text[max(clause.start, run[0][0].start - 40) : run[0][0].start]
        example = bool(_EXAMPLE_CUE.search(before)) or "eg" in links
        tail = text[run[-1][0].end : min(clause.end, run[-1][0].end + 30)]
        if (
            links
            and set(links) <= {","}
            and re.match(r"\s*,?\s*(?:or|and/or)\s+\w", tail, re.IGNORECASE)
        ):
            links.append(
                "or"
            )  # "Jest, Playwright or Cypress": the last item is not in the taxonomy
        any_of = len({m[1] for m in run}) > 1 and (
            example or ("or" in links and "and" not in links)
        )
        yield run, any_of
        i = j


_LIST_GAP = re.compile(
    r"^\s*,\s*(?:[\w.+#/-]+\s*){1,3}(?:,\s*(?:[\w.+#/-]+\s*){1,3})*,?\s*(?P<conj>or|and|and/or)?\s*$",
    re.IGNORECASE,
)


def _link(gap: str) -> str | None:
    """How two mentions are joined: ``or``, ``and``, ``,`` or not as a list (``None``).
    Items the taxonomy does not know may sit between them ("Jest, Testing Library, Playwright")."""
    if OR_LINK.match(gap):
        return "or"
    if _AND_LINK.match(gap):
        return "," if gap.strip() == "," else "and"
    unknown = _LIST_GAP.match(gap)
    if unknown and not re.search(
        r"\b(?:with|in|of|for|to|the|experience|skills?|knowledge)\b", gap, re.IGNORECASE
    ):
        conj = (unknown.group("conj") or "").lower()
        return "or" if "or" in conj else ("and" if conj else ",")
    return None


def any_of_groups(clause: Clause, text: str) -> Iterator[tuple[tuple[str, ...], list[Evidence]]]:
    """The any-of groups of a clause: ``(skill ids, their mentions)``."""
    for run, any_of in _runs(clause, text):
        if any_of:
            ids = tuple(dict.fromkeys(m[1] for m in run))
            yield ids, [m[0] for m in run]


def group_ids(clause: Clause, text: str) -> list[tuple[str, ...]]:
    """The skill ids of each any-of group of a clause."""
    return [ids for ids, _ in any_of_groups(clause, text)]

"""Read a job ad: which skills it requires, which it only prefers, stated years and degrees.

Rules, in order of precedence for one mention of a skill:

1. Mentions in the company blurb (``about``), ``benefits``, ``equal-opportunity`` and
   ``how-to-apply`` sections, and sentences that read as an equal-opportunity statement
   wherever they sit, are not requirements.
2. A cue in the mention's *clause* decides: "preferred", "a plus", "bonus", "nice to have",
   "ideally"... make it preferred; "must", "required", "essential", "mandatory" make it
   required. A clause is a bullet or sentence cut at ``;`` and at parentheses, so in
   "SQL and relational databases (PostgreSQL preferred)" only PostgreSQL is preferred.
3. Otherwise the section decides: ``requirements`` -> required, ``nice-to-have`` -> preferred.
4. Skills named only in the title, role description or responsibilities are required (the
   job is doing them), unless the ad also lists them as nice-to-have.

Any-of groups: mentions joined by "or" or "/" ("Python or Java", "Power BI or Tableau",
"Python, R, or C++") and example lists ("such as", "e.g.", "like", "including", "at least one
of": "e.g. TensorFlow, PyTorch") form one requirement that one member satisfies. A category
named right before its examples ("an ML framework such as PyTorch or TensorFlow") joins the
group. Lists joined by "and" stay separate requirements.

Stated experience ("3+ years of Python", "5 years' experience in ML", "at least 2 years of
experience") is tied to the skill named right after it, else it is an overall requirement.
Degree requirements ("BSc in Computer Science or related field", "Master's preferred",
"BS/MS degree", "or equivalent practical experience") give the lowest level asked, the
fields, whether related fields count and a preferred higher level.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from skillmatch.models import Document, Evidence, SkillsResult
from skillmatch.taxonomy import SKILL_CATEGORIES, Requirement, Taxonomy

#: Job-ad sections whose text is never a requirement.
NOT_REQUIREMENT_SECTIONS = frozenset({"about", "benefits", "equal-opportunity", "how-to-apply"})
#: Sections whose skills are preferred unless a clause says "required".
PREFERRED_SECTIONS = frozenset({"nice-to-have"})
#: Sections that state requirements outright (the rest describe the work).
STATED_SECTIONS = frozenset({"requirements", "nice-to-have"})
#: Degree levels, lowest first.
DEGREE_LEVELS = ("degree:bachelor", "degree:master", "degree:phd")

PREFERRED_CUE = re.compile(
    r"\b(preferred|preferably|a plus|plus\b(?! \w+ years)|is a bonus|bonus|nice[- ]to[- ]have|"
    r"desirable|desired|ideally|advantageous|an advantage|would be great|not required|optional|"
    r"good to have|even better|beneficial)\b",
    re.IGNORECASE,
)
REQUIRED_CUE = re.compile(
    r"\b(must|required|requirement|essential|mandatory|you will need|you need|need to have)\b",
    re.IGNORECASE,
)
EEO_CUE = re.compile(
    r"equal[- ]opportunit|without regard to|protected characteristic|do not discriminate|"
    r"does not discriminate|diverse and inclusive|inclusive (?:environment|workplace)|"
    r"reasonable (?:adjustments|accommodations?)",
    re.IGNORECASE,
)
_EXAMPLE_CUE = re.compile(
    r"(?:such as|e\.\s?g\.?,?|for example,?|for instance,?|like|including|at least one(?: of)?|"
    r"one or more(?: of)?|one of|any of|either)\s*(?:the following:?\s*)?\(?\s*$",
    re.IGNORECASE,
)
_OR_LINK = re.compile(r"^\s*(?:,?\s*(?:or|and/or|/)\s*|\s*/\s*)$", re.IGNORECASE)
_AND_LINK = re.compile(r"^\s*(?:,|,?\s*(?:and|&|as well as|plus)\s*)\s*$", re.IGNORECASE)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15,
}  # fmt: skip
YEARS = re.compile(
    r"(?P<n>\d{1,2}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + r")\s*(?:\+|plus)?\s*"
    r"(?:(?:-|–|to)\s*\d{1,2}\s*\+?\s*)?(?:years?|yrs?)\b['’]?",
    re.IGNORECASE,
)
_YEARS_CONTEXT = re.compile(
    r"^\s*(?:of\s+)?(?:[\w'’-]+\s+){0,3}?(?:experience|exp\b|of\b|in\b|with\b|using\b|working|as\b|hands-on|professional|commercial|industry|relevant)",
    re.IGNORECASE,
)
_DEGREE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("degree:phd", re.compile(r"\b(?:ph\.?\s?d|doctorate|doctoral)\b", re.IGNORECASE)),
    (
        "degree:master",
        re.compile(
            r"\b(?:master'?s?|msc|m\.sc|meng|mphil|postgraduate|graduate degree)\b|\bM\.?S\b\.?",
            re.IGNORECASE,
        ),
    ),
    (
        "degree:bachelor",
        re.compile(
            r"\b(?:bachelor'?s?|bsc|b\.sc|beng|b\.eng|undergraduate|university degree"
            r"|college degree)\b|"
            r"\bB\.?[SA]\b\.?|\bdegree\b",
            re.IGNORECASE,
        ),
    ),
)
_CASE_SENSITIVE_DEGREE = re.compile(r"\bM\.?S\b|\bB\.?[SA]\b")
_RELATED_FIELD = re.compile(
    r"\b(?:related|similar|relevant|equivalent|quantitative|technical)\s+(?:field|discipline|subject|area|degree)",
    re.IGNORECASE,
)
_EQUIVALENT_EXPERIENCE = re.compile(
    r"equivalent (?:practical |professional |work |industry )?experience|or equivalent\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class JobRequirement:
    """A requirement read from a job description or a profile.

    ``evidence``: the job's mentions behind it; ``years``: stated years for this skill (or
    group), if any; ``reason``: what made it required or preferred (a section or a cue).
    """

    requirement: Requirement
    evidence: tuple[Evidence, ...] = ()
    years: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class YearsRequirement:
    """Stated experience: ``years`` overall (``skill_ids`` empty) or with these skills."""

    years: float
    skill_ids: tuple[str, ...] = ()
    required: bool = True
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "years": self.years,
            "skills": list(self.skill_ids),
            "required": self.required,
            "text": self.text,
        }


@dataclass(frozen=True)
class DegreeRequirement:
    """A stated degree: the lowest ``level`` asked (``degree:bachelor``...), the ``fields``
    (``field:...`` ids), whether related fields or equivalent experience count, and a
    preferred higher level ("Master's preferred")."""

    level: str | None = None
    fields: tuple[str, ...] = ()
    related_fields: bool = False
    equivalent_experience: bool = False
    preferred_level: str | None = None
    required: bool = True
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "level": self.level,
            "fields": list(self.fields),
            "related_fields": self.related_fields,
            "equivalent_experience": self.equivalent_experience,
            "preferred_level": self.preferred_level,
            "required": self.required,
            "text": self.text,
        }


class JobRequirements(list[JobRequirement]):
    """The skill requirements of a job (a list, as before), carrying the stated experience
    (``years``) and degree (``degree``) too, so that callers passing it along (``batch``)
    keep every component of the score."""

    years: tuple[YearsRequirement, ...]
    degree: DegreeRequirement | None
    roles: tuple[str, ...]

    def __init__(
        self,
        items: Sequence[JobRequirement] = (),
        *,
        years: Sequence[YearsRequirement] = (),
        degree: DegreeRequirement | None = None,
        roles: Sequence[str] = (),
    ) -> None:
        super().__init__(items)
        self.years = tuple(years)
        self.degree = degree
        self.roles = tuple(roles)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (list(self), self.years, self.degree, self.roles))


def _rebuild(
    items: list[JobRequirement],
    years: tuple[YearsRequirement, ...],
    degree: DegreeRequirement | None,
    roles: tuple[str, ...] = (),
) -> JobRequirements:
    return JobRequirements(items, years=years, degree=degree, roles=roles)


@dataclass
class _Clause:
    start: int
    end: int
    text: str
    section: str | None
    preferred: bool = False
    required: bool = False
    mentions: list[tuple[Evidence, str]] = field(default_factory=list)


def read_job(job: SkillsResult, document: Document, taxonomy: Taxonomy) -> JobRequirements:
    """The skill, experience and degree requirements of a job ad (rules in the module doc)."""
    clauses = list(_clauses(document))
    education_spans = [
        (e.start, e.end)
        for s in job.skills
        if s.category == "education"
        for e in s.evidence
    ]  # fmt: skip
    for skill in job.skills:
        if (
            not skill.direct
            or skill.category not in SKILL_CATEGORIES
            or skill.id not in taxonomy.skills
        ):
            continue
        for evidence in skill.evidence:
            if evidence.via is not None or any(
                s < evidence.end and evidence.start < e for s, e in education_spans
            ):
                continue
            clause = _clause_at(clauses, evidence.start)
            if clause is not None:
                clause.mentions.append((evidence, skill.id))
    status: dict[str, tuple[int, bool, str]] = {}  # skill -> (rank, required, reason)
    evidence_of: dict[str, list[Evidence]] = {}
    groups: dict[tuple[str, ...], tuple[bool, list[Evidence], str]] = {}
    for clause in clauses:
        clause.mentions.sort(key=lambda m: (m[0].start, -m[0].end))
        mentions = _without_collaborators(_dedupe(clause.mentions), clause, document.text)
        clause.mentions = mentions
        for ids, evs in _groups(clause, document.text):
            required, reason = _decide(clause)
            old = groups.get(ids)
            groups[ids] = (
                (old[0] if old else False) or required,
                [*(old[1] if old else []), *evs],
                old[2] if old else reason,
            )
        for evidence, skill_id in mentions:
            if any(skill_id in ids for ids in _group_ids(clause, document.text)):
                continue
            required, reason = _decide(clause)
            rank = (
                1
                if (clause.preferred or clause.required or clause.section in STATED_SECTIONS)
                else 0
            )
            old_status = status.get(skill_id)
            if (
                old_status is None
                or rank > old_status[0]
                or (rank == old_status[0] and required and not old_status[1])
            ):
                status[skill_id] = (rank, required, reason)
            evidence_of.setdefault(skill_id, []).append(evidence)
    years = tuple(_years(clauses, document.text))
    skill_years: dict[tuple[str, ...], float] = {}
    for y in years:
        if y.skill_ids:
            skill_years[y.skill_ids] = max(y.years, skill_years.get(y.skill_ids, 0.0))
    found = JobRequirements(
        years=_merge_overall(years), degree=_degree(clauses, job), roles=_roles(job, document)
    )
    order = {s.id: i for i, s in enumerate(job.skills)}
    for skill_id in sorted(status, key=lambda i: min(e.start for e in evidence_of[i])):
        _, required, reason = status[skill_id]
        found.append(
            JobRequirement(
                Requirement((skill_id,), required),
                tuple(evidence_of[skill_id]),
                years=skill_years.get((skill_id,)),
                reason=reason,
            )
        )
    for ids, (required, evs, reason) in groups.items():
        names = [taxonomy.skills[i].name for i in ids]
        if len(ids) > 2 and all(ids[0] in taxonomy.ancestors(i) for i in ids[1:]):
            label = f"{names[0]} (e.g. {', '.join(names[1:])})"
        else:
            label = " or ".join(names)
        found.append(
            JobRequirement(
                Requirement(ids, required, label=label),
                tuple(evs),
                years=skill_years.get(ids),
                reason=reason,
            )
        )
    del order
    return found


#: How far into an ad its title and opening sentence reach, at most.
TITLE_CHARS = 300


def _roles(job: SkillsResult, document: Document) -> tuple[str, ...]:
    """The job titles the ad is for: role names in its title or opening sentence (before the
    first section and the first blank line), in order."""
    text = document.text
    end = min(TITLE_CHARS, len(text))
    blank = re.search(r"\n\s*\n", text[:end])
    if blank:
        end = blank.start()
    if document.sections:
        end = min(end, document.sections[0].start)
    end = max(end, len(text.lstrip().split("\n", 1)[0]) + (len(text) - len(text.lstrip())))
    found = [
        (min(e.start for e in s.evidence if e.start < end), s.id)
        for s in job.skills
        if s.category == "role" and any(e.start < end for e in s.evidence)
    ]
    return tuple(skill_id for _, skill_id in sorted(found))


def _decide(clause: _Clause) -> tuple[bool, str]:
    if clause.preferred:
        return False, "cue"
    if clause.required:
        return True, "cue"
    if clause.section in PREFERRED_SECTIONS:
        return False, clause.section or ""
    return True, clause.section or "title"


def _dedupe(mentions: list[tuple[Evidence, str]]) -> list[tuple[Evidence, str]]:
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
    r"^[\w\s,&/-]{0,40}?\b(?:teams?|colleagues|departments|functions|stakeholders|partners)\b",
    re.IGNORECASE,
)
_COLLABORATORS_BEFORE = re.compile(
    r"\b(?:with|alongside|across|between|partner(?:ing)?\s+with|collaborat\w*\s+with)\b[^.;:]*$",
    re.IGNORECASE,
)


def _without_collaborators(
    mentions: list[tuple[Evidence, str]], clause: _Clause, text: str
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


def _runs(clause: _Clause, text: str) -> Iterator[tuple[list[tuple[Evidence, str]], bool]]:
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
    if _OR_LINK.match(gap):
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


def _groups(clause: _Clause, text: str) -> Iterator[tuple[tuple[str, ...], list[Evidence]]]:
    for run, any_of in _runs(clause, text):
        if any_of:
            ids = tuple(dict.fromkeys(m[1] for m in run))
            yield ids, [m[0] for m in run]


def _group_ids(clause: _Clause, text: str) -> list[tuple[str, ...]]:
    return [ids for ids, _ in _groups(clause, text)]


def _clauses(document: Document) -> Iterator[_Clause]:
    """Bullets and sentences of the requirement-bearing text, cut at ``;`` and parentheses."""
    text = document.text
    for line_start, line in _lines(text):
        section = document.section_at(line_start)
        name = section.name if section else None
        if name in NOT_REQUIREMENT_SECTIONS or not line.strip():
            continue
        for start, end in _sentences(line):
            sentence = line[start:end]
            if EEO_CUE.search(sentence):
                continue
            outer_pref = bool(PREFERRED_CUE.search(_strip_parens(sentence)))
            outer_req = bool(REQUIRED_CUE.search(_strip_parens(sentence)))
            for piece_start, piece_end, nested in _pieces(sentence):
                piece = sentence[piece_start:piece_end]
                preferred = bool(PREFERRED_CUE.search(piece))
                required = bool(REQUIRED_CUE.search(piece))
                if nested and not (preferred or required):
                    preferred, required = outer_pref, outer_req
                elif not nested:
                    preferred, required = outer_pref and not required, required
                yield _Clause(
                    start=line_start + start + piece_start,
                    end=line_start + start + piece_end,
                    text=piece,
                    section=name,
                    preferred=preferred,
                    required=required and not preferred,
                )


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line.rstrip("\r\n")
        offset += len(line)


def _sentences(line: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in re.finditer(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)[.;!?](?=\s+[A-Z(]|\s*$)|;", line):
        yield start, match.end()
        start = match.end()
    if start < len(line):
        yield start, len(line)


def _pieces(sentence: str) -> Iterator[tuple[int, int, bool]]:
    """The sentence outside parentheses (as one piece, parentheses blanked) and each
    parenthesised part; ``nested`` is True for the parts."""
    yield 0, len(sentence), False
    for match in re.finditer(r"\([^()]*\)", sentence):
        yield match.start(), match.end(), True


def _strip_parens(text: str) -> str:
    return re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)


def _clause_at(clauses: list[_Clause], offset: int) -> _Clause | None:
    """The innermost clause holding ``offset`` (a parenthesised part beats its sentence)."""
    best: _Clause | None = None
    for clause in clauses:
        if clause.start <= offset < clause.end and (
            best is None or clause.end - clause.start < best.end - best.start
        ):
            best = clause
    return best


def _number(raw: str) -> float:
    return float(_NUMBER_WORDS.get(raw.lower(), 0) or raw)


def _years(clauses: list[_Clause], text: str) -> Iterator[YearsRequirement]:
    seen: set[int] = set()
    for clause in clauses:
        outer = clause.text
        for match in YEARS.finditer(outer):
            absolute = clause.start + match.start()
            if absolute in seen:
                continue
            after = text[clause.start + match.end() : clause.end]
            before = text[
                max(clause.start, clause.start + match.start() - 12) : clause.start + match.start()
            ]
            if not (
                _YEARS_CONTEXT.match(after)
                or re.search(r"(?:at least|minimum of|over|min\.?)\s*$", before, re.IGNORECASE)
            ):
                continue
            seen.add(absolute)
            years = _number(match.group("n"))
            if not 0 < years <= 40:
                continue
            required, _ = _decide(clause)
            end = clause.start + match.end()
            ids = _skills_after(clause, end, text)
            yield YearsRequirement(years, ids, required, match.group(0) + after[:60].rstrip())


def _skills_after(clause: _Clause, end: int, text: str) -> tuple[str, ...]:
    """The skill (or or-joined skills) named within a few words after stated years."""
    after = [m for m in clause.mentions if m[0].start >= end]
    if not after:
        return ()
    first = after[0]
    gap = text[end : first[0].start]
    if len(gap) > 45 or re.search(
        r"\b(?:role|position|team|environment|company)\b", gap, re.IGNORECASE
    ):
        return ()
    ids = [first[1]]
    previous = first[0]
    for evidence, skill_id in after[1:]:
        link = text[previous.end : evidence.start]
        if not _OR_LINK.match(link):
            break
        ids.append(skill_id)
        previous = evidence
    return tuple(dict.fromkeys(ids))


def _merge_overall(years: Sequence[YearsRequirement]) -> tuple[YearsRequirement, ...]:
    """One overall requirement (the largest required, else the largest stated) plus the
    per-skill ones (largest per skill set)."""
    overall = [y for y in years if not y.skill_ids]
    per_skill: dict[tuple[str, ...], YearsRequirement] = {}
    for y in years:
        if y.skill_ids and (y.skill_ids not in per_skill or y.years > per_skill[y.skill_ids].years):
            per_skill[y.skill_ids] = y
    merged: list[YearsRequirement] = []
    if overall:
        required = [y for y in overall if y.required]
        merged.append(max(required or overall, key=lambda y: y.years))
    return (*merged, *per_skill.values())


def _degree(clauses: list[_Clause], job: SkillsResult) -> DegreeRequirement | None:
    fields_at = [
        (e.start, s.id) for s in job.skills if s.id.startswith("field:") for e in s.evidence
    ]
    level: str | None = None
    preferred_level: str | None = None
    fields: list[str] = []
    related = equivalent = False
    required = False
    texts: list[str] = []
    for clause in clauses:
        if clause.text.startswith("(") and clause.text.endswith(")"):
            outer = clause.text
        else:
            outer = _strip_parens(clause.text)
        levels = _levels(outer)
        if not levels:
            continue
        if levels == ["degree:bachelor"] and _bare_degree(outer):
            continue
        texts.append(clause.text.strip(" -•*;"))
        lowest = min(levels, key=DEGREE_LEVELS.index)
        clause_required, _ = _decide(clause)
        if clause_required:
            required = True
            if level is None or DEGREE_LEVELS.index(lowest) < DEGREE_LEVELS.index(level):
                level = lowest
        else:
            highest = max(levels, key=DEGREE_LEVELS.index)
            if preferred_level is None or DEGREE_LEVELS.index(highest) > DEGREE_LEVELS.index(
                preferred_level
            ):
                preferred_level = highest
        fields.extend(
            f for start, f in fields_at if clause.start <= start < clause.end and f not in fields
        )
        related = related or bool(_RELATED_FIELD.search(clause.text))
        equivalent = equivalent or bool(_EQUIVALENT_EXPERIENCE.search(clause.text))
    if level is None and preferred_level is None:
        return None
    if (
        level is not None
        and preferred_level is not None
        and DEGREE_LEVELS.index(preferred_level) <= DEGREE_LEVELS.index(level)
    ):
        preferred_level = None
    return DegreeRequirement(
        level=level,
        fields=tuple(fields),
        related_fields=related,
        equivalent_experience=equivalent,
        preferred_level=preferred_level,
        required=required,
        text="; ".join(dict.fromkeys(texts)),
    )


_DEGREE_CONTEXT = re.compile(
    r"\bdegree\s*(?:in|from|or)\b"
    r"|\b(?:university|college|bachelor'?s?|undergraduate|relevant|related|a)\s+degree\b",
    re.IGNORECASE,
)


def _bare_degree(text: str) -> bool:
    """True when the only degree word is "degree" used in another sense ("to a high degree")."""
    only_word = re.search(r"\bdegree\b", text, re.IGNORECASE) is not None
    other = re.sub(r"\bdegree\b", "", text, flags=re.IGNORECASE)
    return only_word and not _levels(other) and not _DEGREE_CONTEXT.search(text)


def _levels(text: str) -> list[str]:
    found = []
    for level, pattern in _DEGREE_WORDS:
        for match in pattern.finditer(text):
            word = match.group(0)
            if _CASE_SENSITIVE_DEGREE.fullmatch(word.rstrip(".")) is None and re.fullmatch(
                r"[MB]\.?[SA]\.?", word, re.IGNORECASE
            ):
                continue  # "ms", "ba" in lower case are not degrees
            if (
                level == "degree:master"
                and re.fullmatch(r"M\.?S\.?", word)
                and not re.search(r"degree|/|\bor\b|in\s+[A-Z]", text)
            ):
                continue
            found.append(level)
            break
    return found

"""Signs that a CV games keyword screening: CV (+ job) -> :class:`~skillmatch.models.Flag`\\ s.

Flags never change the score (repeated mentions already add nothing: a requirement's credit
depends on *where* the CV shows a skill, never on how often, see :mod:`skillmatch.score.credit`);
they tell the reader what to check. Three kinds:

``hidden_text``
    The reader left text out of the CV because a person cannot see it, in any format (white or
    tiny type, invisible, covered, clipped, masked or squeezed text, text off the page, hidden
    Word, ODT and RTF runs, CSS that hides): ``Document.hidden``. The
    flag says how much, why and where, with a sample. Fewer than :data:`HIDDEN_MIN_CHARS`
    characters are ignored.

``keyword_stuffing``
    One skill named an implausible number of times, in one of three ways:

    * a *run*: the same name :data:`RUN_MIN` or more times in a row, at most :data:`GAP_WORDS`
      words apart ("Python, Python, Python..." or a column of "Python" lines), or the skill
      under any of its names :data:`ALIAS_RUN_MIN` or more times at most
      :data:`ALIAS_GAP_WORDS` word apart ("ML, machine learning, Machine Learning, ML...");
    * a *block*: a list of two or more skills repeated in the same order at least
      :data:`BLOCK_MIN_REPEATS` times in a row, :data:`BLOCK_MIN_MENTIONS` mentions or more;
    * a *share*: :data:`TOTAL_MIN` mentions or more that make up :data:`SHARE_MIN` or more of
      the CV's words (counted over at least :data:`MIN_WORDS` words);
    * a *list*: :data:`LIST_MIN` or more different skills named one after another, at most
      :data:`LIST_GAP_WORDS` words apart (the longest such list in the 508 honest CVs of the
      corpus and samples names 41 skills).

``copied_job_ad``
    Only when a job ad is given: the CV repeats the ad word for word (:data:`PASSAGE_MIN_WORDS`
    or more words in shared passages of at least :data:`PASSAGE_WORDS` words, or
    :data:`LINES_MIN` or more of the ad's lines of at least :data:`LINE_MIN_WORDS` words), or it
    names :data:`SKILL_RUN_MIN` or more of the ad's requirements one after another in the ad's
    own order, following it across :data:`SKILL_RUN_LINES` or more of its lines (an honest
    skills line may name one line of the ad's tools in the same order).

Calibration (the thresholds sit well above what honest documents do; mentions are a skill's
direct mentions, technical, mathematical or soft). Over the 4 sample CVs, the 310 dotin CVs and
the 22 PDFs of the development corpus: the longest run of one name is 3; of one skill under any
name at most a word apart, 9 (a list of certificates: "AWS Certified Developer, Amazon Web
Services (AWS)", 7 times); the longest repeated list is 2 skills x 3; the highest share among
skills named 25+ times is 4.3% (SharePoint, 42 mentions in a CV of about 1,000 words;
WordPress/Drupal is named 52 times in 1,470 words, 3.5%; in the 166 CVs of the ranking corpus,
a database administrator's CV says "database" 32 times in 531 words, 6.0%). Against the 3
sample job ads and the 8 Resume-Matcher ads (3,700+ pairs), no CV shares 8 words in a row with
an ad (the longest shared sequence is 7 words), at most 1 line of an ad appears whole in a CV
("Excellent written and verbal communication skills."), and at most 3 requirements follow the
ad's order. The sample ML CV with the ML job's requirements pasted in shares 79 words, 8 lines
and 13 requirements in order; with only the ad's skills listed in its order, 11 requirements.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from skillmatch.models import Document, Flag, HiddenText, SkillsResult
from skillmatch.score.memo import by_identity
from skillmatch.taxonomy.model import SKILL_CATEGORIES, Taxonomy

__all__ = ["FLAG_KINDS", "find_flags"]

#: The kinds of flag, in the order reports show them.
FLAG_KINDS = ("hidden_text", "keyword_stuffing", "copied_job_ad")

HIDDEN_MIN_CHARS = 10
RUN_MIN = 10
GAP_WORDS = 4
ALIAS_RUN_MIN = 20
ALIAS_GAP_WORDS = 1
BLOCK_MIN_REPEATS = 3
BLOCK_MIN_MENTIONS = 12
BLOCK_MAX_SKILLS = 12
LIST_MIN = 60
LIST_GAP_WORDS = 3
TOTAL_MIN = 25
SHARE_MIN = 0.08
MIN_WORDS = 200
PASSAGE_WORDS = 8
PASSAGE_MIN_WORDS = 20
LINE_MIN_WORDS = 5
LINES_MIN = 3
SKILL_RUN_MIN = 6
SKILL_RUN_LINES = 3
#: How much CV text one piece of evidence quotes, at most.
SAMPLE_CHARS = 120
#: How many stuffed skills, copied passages or hidden parts a flag lists as evidence.
MAX_EVIDENCE = 3

#: A word: letters and digits, with "+" or "#" after them (C++, C#) or joined by an apostrophe
#: or a dot (O'Neil, node.js). Possessive: the first way to match is the only one, so nothing
#: is tried twice.
_WORD = re.compile(r"\w++(?:[+#]++|(?:['’.]\w++)*+)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_REASONS = {
    "invisible": "invisible text",
    "background_colour": "text coloured like the background",
    "white": "white text",
    "tiny_font": "tiny type",
    "off_page": "text outside the page",
    "covered": "text covered by a shape or image",
    "vanish": "Word's hidden-text formatting",
    "hidden": "text hidden by the document's formatting",
    "clipped": "text clipped away",
    "squeezed": "text squeezed to nothing",
    "not_painted": "text the PDF viewer does not paint",
    "blended": "text washed out by a blend mode",
    "never_shown": "a header or footer Word never shows",
}


def find_flags(
    cv: Document,
    skills: SkillsResult,
    *,
    taxonomy: Taxonomy,
    job: Document | None = None,
    requirements: Sequence[object] = (),
) -> tuple[Flag, ...]:
    """The flags of a CV (``cv`` and its ``skills``), against a ``job`` ad and its
    ``requirements`` (:class:`~skillmatch.score.requirements.JobRequirement` items) when given.

    At most one flag of each kind, in :data:`FLAG_KINDS` order."""
    del taxonomy  # the thresholds are the same for every taxonomy; kept for the signature
    flags = [hidden_flag(cv.hidden, cv.text), stuffing_flag(cv, skills)]
    if job is not None:
        flags.append(copied_flag(cv, skills, job, requirements))
    return tuple(f for f in flags if f is not None)


# -- hidden text --------------------------------------------------------------------------------
def hidden_flag(hidden: Sequence[HiddenText], text: str = "") -> Flag | None:
    """``hidden_text``: how much text was hidden from readers, why and where, with samples."""
    total = sum(h.chars for h in hidden)
    if total < HIDDEN_MIN_CHARS:
        return None
    pages: dict[str, list[int]] = {}
    for part in hidden:
        where = pages.setdefault(part.reason, [])
        if part.page is not None and part.page not in where:
            where.append(part.page)
    why = ", ".join(_hidden_reason(reason, sorted(where)) for reason, where in pages.items())
    scored = any(
        _clean(h.sample)[:40].strip() and _clean(h.sample)[:40].strip() in _clean(text)
        for h in hidden
    )
    status = (
        "they were read as part of the CV (hidden text included)"
        if scored
        else "they were not scored"
    )
    message = f"{_count(total, 'character')} hidden from readers ({why}); {status}"
    largest = sorted(hidden, key=lambda h: -h.chars)[:MAX_EVIDENCE]
    evidence = tuple(
        f"{_hidden_reason(h.reason, [] if h.page is None else [h.page])}, "
        f'{_count(h.chars, "character")}: "{_sample(h.sample)}"'
        for h in largest
    )
    return Flag("hidden_text", message, evidence)


def _hidden_reason(reason: str, pages: Sequence[int]) -> str:
    name = _REASONS.get(reason, reason.replace("_", " "))
    if not pages:
        return name
    if len(pages) == 1:
        return f"{name} on page {pages[0]}"
    return f"{name} on pages {', '.join(str(p) for p in pages[:-1])} and {pages[-1]}"


# -- keyword stuffing ---------------------------------------------------------------------------
class _Mention(NamedTuple):
    start: int
    end: int
    skill: str
    surface: str


@by_identity(maxsize=4)  # asked once per job of the same CV
def _mentions(skills: SkillsResult) -> tuple[_Mention, ...]:
    """The CV's direct mentions of skills (not behaviour, not rolled up), one per position."""
    found: dict[int, _Mention] = {}
    for skill in skills.skills:
        if skill.category not in SKILL_CATEGORIES:
            continue
        for e in skill.evidence:
            if e.via is None and e.method != "implied" and e.start not in found:
                found[e.start] = _Mention(e.start, e.end, skill.id, e.text.lower())
    return tuple(found[k] for k in sorted(found))


@dataclass(frozen=True)
class _Finding:
    """One reason to flag: what it says, the skills it is about and the span to quote."""

    text: str
    skills: tuple[str, ...]
    mentions: int
    start: int
    end: int


@by_identity(maxsize=4)  # the same for every job
def stuffing_flag(cv: Document, skills: SkillsResult) -> Flag | None:
    """``keyword_stuffing``: runs, repeated lists and implausible shares (see the module doc)."""
    mentions = _mentions(skills)
    if not _could_stuff(mentions):
        return None
    text = cv.text
    word_starts = _word_starts(text)
    words = len(word_starts)
    gaps = [0] + [
        bisect.bisect_left(word_starts, b.start) - bisect.bisect_left(word_starts, a.end)
        for a, b in itertools.pairwise(mentions)
    ]
    names = {s.id: s.name for s in skills.skills}
    counts = Counter(m.skill for m in mentions)
    findings: list[_Finding] = []
    longest: dict[str, tuple[int, int, int]] = {}
    for repeats, i, j in _runs(mentions, gaps):
        skill = mentions[i].skill
        if repeats > longest.get(skill, (0, 0, 0))[0]:
            longest[skill] = (repeats, i, j)
    for skill in sorted(set(counts) | set(longest), key=lambda s: (-counts[s], s)):
        share = counts[skill] / max(words, MIN_WORDS)
        implausible = counts[skill] >= TOTAL_MIN and share >= SHARE_MIN
        if skill not in longest and not implausible:
            continue
        said = f"{names[skill]} named {counts[skill]} times"
        if implausible:
            said += f", {share * 100:.0f}% of the CV's {words:,} words"
        if skill in longest:
            repeats, i, j = longest[skill]
            said += f", {repeats} of them in a row"
            start, end = mentions[i].start, mentions[j - 1].end
        else:
            own = [m for m in mentions if m.skill == skill]
            start, end = own[0].start, own[min(len(own), 10) - 1].end
        findings.append(_Finding(said, (skill,), counts[skill], start, end))
    for repeats, period, i, j in _blocks(mentions, gaps):
        block = tuple(m.skill for m in mentions[i : i + period])
        listed = ", ".join(names[s] for s in block)
        findings.append(
            _Finding(
                f"a list of {period} skills ({listed}) repeated {repeats} times in a row",
                block,
                j - i,
                mentions[i].start,
                mentions[j - 1].end,
            )
        )
    for distinct, i, j in _lists(mentions, gaps):
        findings.append(
            _Finding(
                f"a list of {distinct} different skills named one after another",
                tuple(dict.fromkeys(m.skill for m in mentions[i:j])),
                j - i,
                mentions[i].start,
                mentions[j - 1].end,
            )
        )
    if not findings:
        return None
    findings.sort(key=lambda f: (-f.mentions, f.start))
    shown = findings[:MAX_EVIDENCE]
    more = len(findings) - len(shown)
    message = (
        "implausible repetition: " + "; ".join(f.text for f in shown)
        + (f"; and {more} more" if more else "")
        + ". Repeated mentions add nothing to the score"
    )  # fmt: skip
    evidence = []
    for finding in shown:
        label = (
            f"{names[finding.skills[0]]} x{finding.mentions}"
            if len(finding.skills) == 1
            else f"list of {len(finding.skills)} skills, {finding.mentions} mentions"
        )
        quote = _sample(text[finding.start : finding.end])
        evidence.append(f'{label}, characters {finding.start}-{finding.end}: "{quote}"')
    return Flag("keyword_stuffing", message, tuple(evidence))


def _could_stuff(mentions: Sequence[_Mention]) -> bool:
    """Whether the mentions could hold a run, a repeated list, a long list or an implausible
    share at all, tested without the words between them (which can only break those up): the
    quick answer for most CVs."""
    n = len(mentions)
    if n < min(RUN_MIN, ALIAS_RUN_MIN, BLOCK_MIN_MENTIONS, TOTAL_MIN, LIST_MIN):
        return False
    ids = [m.skill for m in mentions]
    counts = Counter(ids)
    most = max(counts.values())
    if len(counts) >= LIST_MIN or most >= TOTAL_MIN:
        return True
    if _repeated([m.surface for m in mentions], 1, RUN_MIN - 1):
        return True
    if most >= ALIAS_RUN_MIN and _repeated(ids, 1, ALIAS_RUN_MIN - 1):
        return True
    # each skill of a repeated list is named at least BLOCK_MIN_REPEATS times
    if sum(c for c in counts.values() if c >= BLOCK_MIN_REPEATS) < BLOCK_MIN_MENTIONS:
        return False
    return any(
        _repeated(ids, period, _block_repeats(period)) for period in range(2, BLOCK_MAX_SKILLS + 1)
    )


def _block_repeats(period: int) -> int:
    """How many mentions in a row a block of ``period`` skills repeats ``period`` places on, at
    least: a list of p skills repeated r times repeats (r - 1) x p of them."""
    return max((BLOCK_MIN_REPEATS - 1) * period, BLOCK_MIN_MENTIONS - period)


def _repeated(keys: Sequence[str], offset: int, times: int) -> bool:
    """Whether ``keys[k] == keys[k + offset]`` for ``times`` consecutive ``k``."""
    same = bytes(map(operator.eq, keys, keys[offset:]))
    return b"\x01" * times in same


def _runs(mentions: Sequence[_Mention], gaps: Sequence[int]) -> Iterable[tuple[int, int, int]]:
    """``(repeats, first, stop)`` of each run of one skill: the same name :data:`RUN_MIN` or
    more times at most :data:`GAP_WORDS` words apart, or the skill under any of its names
    :data:`ALIAS_RUN_MIN` or more times at most :data:`ALIAS_GAP_WORDS` word apart."""
    for attribute, gap, least in (
        ("surface", GAP_WORDS, RUN_MIN),
        ("skill", ALIAS_GAP_WORDS, ALIAS_RUN_MIN),
    ):
        keys = [getattr(m, attribute) for m in mentions]
        if not _repeated(keys, 1, least - 1):
            continue
        i = 0
        while i < len(mentions):
            j = i + 1
            while j < len(mentions) and keys[j] == keys[i] and gaps[j] <= gap:
                j += 1
            if j - i >= least:
                yield j - i, i, j
            i = j


def _lists(mentions: Sequence[_Mention], gaps: Sequence[int]) -> Iterable[tuple[int, int, int]]:
    """``(distinct skills, first, stop)`` of each list of :data:`LIST_MIN` or more different
    skills named at most :data:`LIST_GAP_WORDS` words apart (every tool there is, listed)."""
    i = 0
    while i < len(mentions):
        j = i + 1
        while j < len(mentions) and gaps[j] <= LIST_GAP_WORDS:
            j += 1
        distinct = len({m.skill for m in mentions[i:j]})
        if distinct >= LIST_MIN:
            yield distinct, i, j
        i = j


def _blocks(
    mentions: Sequence[_Mention], gaps: Sequence[int]
) -> Iterable[tuple[int, int, int, int]]:
    """``(repeats, period, first, stop)`` of each list of 2+ distinct skills repeated in order."""
    ids = [m.skill for m in mentions]
    n = len(ids)
    for period in range(2, BLOCK_MAX_SKILLS + 1):
        if not _repeated(ids, period, _block_repeats(period)):
            continue
        i = 0
        while i + period <= n:
            if i + period == n or ids[i + period] != ids[i]:
                i += 1  # not even repeated once: the common case, decided cheaply
                continue
            head = ids[i : i + period]
            if len(set(head)) != period or any(
                gaps[k] > GAP_WORDS for k in range(i + 1, i + period)
            ):
                i += 1
                continue
            j = i + period
            while j < n and ids[j] == ids[j - period] and gaps[j] <= GAP_WORDS:
                j += 1
            repeats = (j - i) // period
            if repeats >= BLOCK_MIN_REPEATS and repeats * period >= BLOCK_MIN_MENTIONS:
                yield repeats, period, i, i + repeats * period
                i += repeats * period
            else:
                i += 1


# -- copied job ad ------------------------------------------------------------------------------
def copied_flag(
    cv: Document, skills: SkillsResult, job: Document, requirements: Sequence[object] = ()
) -> Flag | None:
    """``copied_job_ad``: the ad's wording, lines or requirement order repeated in the CV."""
    measure = copy_measure(cv, skills, job, requirements)
    passages, lines, run = measure.passages, measure.lines, measure.skill_run
    copied_words = sum(n for n, _, _ in passages)
    reasons: list[str] = []
    if copied_words >= PASSAGE_MIN_WORDS or len(lines) >= LINES_MIN:
        reasons.append(
            f"{_count(copied_words, 'word')} of the ad repeated word for word"
            + (f", {_count(len(lines), 'line')} of it whole" if lines else "")
        )
    named = list(dict.fromkeys(run))  # the ad may name a requirement twice in a row
    if len(named) >= SKILL_RUN_MIN:
        listed = ", ".join(named[:8]) + (", ..." if len(named) > 8 else "")
        reasons.append(f"{len(named)} of its requirements named in the ad's own order ({listed})")
    if not reasons:
        return None
    message = "; ".join(reasons)
    evidence = [
        f'characters {start}-{end}: "{_sample(cv.text[start:end])}"'
        for _, start, end in sorted(passages, key=lambda p: -p[0])[:MAX_EVIDENCE]
    ]
    if len(named) >= SKILL_RUN_MIN and measure.run_span is not None:
        start, end = measure.run_span
        evidence.append(
            f"requirements in the ad's order, characters {start}-{end}: "
            f'"{_sample(cv.text[start:end])}"'
        )
    return Flag("copied_job_ad", message, tuple(evidence))


@dataclass(frozen=True)
class CopyMeasure:
    """How much of a job ad a CV repeats: shared ``passages`` (``(words, start, end)`` in the
    CV), the ad's ``lines`` found whole, and the longest ``skill_run`` of requirements named
    in the ad's order (names), at ``run_span`` in the CV."""

    passages: tuple[tuple[int, int, int], ...]
    lines: tuple[str, ...]
    skill_run: tuple[str, ...]
    run_span: tuple[int, int] | None


def copy_measure(
    cv: Document, skills: SkillsResult, job: Document, requirements: Sequence[object] = ()
) -> CopyMeasure:
    """The measures :func:`copied_flag` decides on (exposed for calibration)."""
    words = _cv_words(cv.text)
    job_side = _job_side(job.text)
    passages = _shared_passages(cv.text, words.words, job_side)
    lines = [
        line
        for line, padded, vocabulary in job_side.lines
        if vocabulary <= words.vocabulary and padded in words.joined
    ]
    run, span = _requirement_run(skills, requirements, job.text)
    return CopyMeasure(tuple(passages), tuple(dict.fromkeys(lines)), run, span)


@dataclass(frozen=True)
class _CvWords:
    """A CV's words, each in lower case, all of them joined by spaces (with a space at each
    end), and the set of them."""

    words: tuple[str, ...]
    joined: str
    vocabulary: frozenset[str]


@functools.lru_cache(maxsize=4)
def _cv_words(text: str) -> _CvWords:
    """The words of a CV's text, from one pass over it, worked out once per CV (a batch
    compares every CV with every job)."""
    found = _WORD.findall(text)
    # lowered whole: joined by spaces, each word lowers as it would alone (final sigma too)
    lowered = " ".join(found).lower()
    words = tuple(lowered.split(" ")) if found else ()
    return _CvWords(words, f" {lowered} ", frozenset(words))


@functools.lru_cache(maxsize=4)
def _word_starts(text: str) -> tuple[int, ...]:
    """Where each word of a CV's text starts."""
    return tuple(map(re.Match.start, _WORD.finditer(text)))


@dataclass(frozen=True)
class _JobSide:
    """What a job ad is compared by: its word sequences of :data:`PASSAGE_WORDS` (``grams``),
    the set of its words, and its lines of :data:`LINE_MIN_WORDS` or more words as ``(line,
    its lower-case words joined by spaces, with a space at each end, the set of them)``."""

    grams: frozenset[tuple[str, ...]]
    vocabulary: frozenset[str]
    lines: tuple[tuple[str, str, frozenset[str]], ...]


@functools.lru_cache(maxsize=16)
def _job_side(job_text: str) -> _JobSide:
    """The :class:`_JobSide` of a job ad, worked out once per ad (a batch compares every CV
    with the same ads)."""
    job_words = [m.group().lower() for m in _WORD.finditer(job_text)]
    k = PASSAGE_WORDS
    grams = frozenset(tuple(job_words[i : i + k]) for i in range(len(job_words) - k + 1))
    lines = []
    for line in re.split(r"\n|(?<=[.!?;])\s", job_text):
        found = [w.lower() for w in _WORD.findall(line)]
        if len(found) >= LINE_MIN_WORDS:
            lines.append((" ".join(line.split()), f" {' '.join(found)} "))
    return _JobSide(
        grams,
        frozenset(word for gram in grams for word in gram),
        tuple((line, padded, frozenset(padded.split())) for line, padded in dict(lines).items()),
    )


def _shared_passages(text: str, words: Sequence[str], job: _JobSide) -> list[tuple[int, int, int]]:
    """Stretches of ``text`` (its lower-case ``words``) covered by the ad's word sequences of
    :data:`PASSAGE_WORDS`, as ``(words, start, end)``."""
    k = PASSAGE_WORDS
    grams = job.grams
    # the common case, decided without a loop in Python: no k words in a row that the ad has
    if b"\x01" * k not in bytes(map(job.vocabulary.__contains__, words)):
        return []
    if grams.isdisjoint(_windows(words)):
        return []
    covered = [False] * len(words)
    for i, window in enumerate(_windows(words)):
        if window in grams:
            covered[i : i + k] = [True] * k
    spans = [m.span() for m in _WORD.finditer(text)]
    passages = []
    i = 0
    while i < len(covered):
        if not covered[i]:
            i += 1
            continue
        j = i
        while j < len(covered) and covered[j]:
            j += 1
        passages.append((j - i, spans[i][0], spans[j - 1][1]))
        i = j
    return passages


def _windows(words: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """Every sequence of :data:`PASSAGE_WORDS` words of ``words``, in order."""
    return zip(*(words[i:] for i in range(PASSAGE_WORDS)), strict=False)


def _requirement_run(
    skills: SkillsResult, requirements: Sequence[object], job_text: str = ""
) -> tuple[tuple[str, ...], tuple[int, int] | None]:
    """The longest run of the job's requirements that the CV names one after another in the
    ad's order (each requirement once, however many of its members are named), among the runs
    that follow the ad across :data:`SKILL_RUN_LINES` or more of its lines or sentences: an
    honest stack line often names the tools of one line of the ad in the same order."""
    index, at, lines = _job_order(tuple(requirements), job_text)
    names = {s.id: s.name for s in skills.skills}
    cv_mentions = [(m, index.get(m.skill)) for m in _mentions(skills)]
    cv: list[tuple[int | None, int, int, str]] = []
    for mention, symbol in cv_mentions:
        if cv and cv[-1][0] == symbol and symbol is not None:
            cv[-1] = (symbol, cv[-1][1], mention.end, cv[-1][3])
        else:
            name = names.get(mention.skill, mention.skill)
            cv.append((symbol, mention.start, mention.end, name))
    best, best_end = 0, 0
    # run lengths kept only where the CV's symbol stands in the ad (the rest are 0)
    previous: dict[int, int] = {}
    for i, (symbol, *_rest) in enumerate(cv):
        current: dict[int, int] = {}
        for j in at.get(symbol, ()) if symbol is not None else ():
            length = current[j] = previous.get(j - 1, 0) + 1
            spans = lines[j - 1] - lines[j - length] + 1
            if length > best and spans >= SKILL_RUN_LINES:
                best, best_end = length, i + 1
        previous = current
    if not best:
        return (), None
    run = cv[best_end - best : best_end]
    return tuple(name for *_, name in run), (run[0][1], run[-1][2])


_BOUNDARY = re.compile(r"\n|[.!?;]\s")


@by_identity(maxsize=16)  # the same for every CV
def _job_order(
    requirements: tuple[object, ...], job_text: str
) -> tuple[dict[str, int], dict[int, list[int]], list[int]]:
    """Each skill's requirement (by its place in ``requirements``); for each requirement, its
    places (from 1) in the order the ad names them (one repeated in a row counted once); and
    for each of those places, the line or sentence of the ad it is named in."""
    index: dict[str, int] = {}
    job_seq: list[tuple[int, int]] = []
    for k, item in enumerate(requirements):
        requirement = getattr(item, "requirement", None)
        for skill_id in tuple(getattr(requirement, "ids", ())):
            index.setdefault(skill_id, k)
        job_seq += [(e.start, k) for e in getattr(item, "evidence", ())]
    boundaries = [m.end() for m in _BOUNDARY.finditer(job_text)]
    job: list[int] = []
    lines: list[int] = []
    for start, k in sorted(job_seq):
        if not job or job[-1] != k:
            job.append(k)
            lines.append(bisect.bisect_right(boundaries, start))
    at: dict[int, list[int]] = {}
    for j, other in enumerate(job, 1):
        at.setdefault(other, []).append(j)
    return index, at, lines


# -- helpers ------------------------------------------------------------------------------------
def _clean(text: str) -> str:
    return " ".join(_CONTROL.sub("", text).split())


def _sample(text: str) -> str:
    """CV text made safe and short for a report line."""
    text = _clean(text)
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 3].rstrip() + "..."


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"

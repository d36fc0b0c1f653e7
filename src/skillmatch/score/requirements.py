"""Read a job ad: which skills it requires, which it only prefers, how much each weighs, and
the stated years, degree and job title.

The ad is cut into blocks (:mod:`skillmatch.score.blocks`): requirement, nice-to-have and
technology-tag blocks state requirements; responsibilities and the rest of the description
say what the job does; company, benefit, metadata and legal text is set aside (kept in
``JobRequirements.set_aside`` and shown by ``skillmatch job`` and ``--explain``), as is the
employer's description of itself outside the requirement blocks. Rules for one mention:

1. A cue in the mention's *clause* (a bullet or sentence cut at ``;``, parentheses and block
   headings) decides: "preferred", "a plus", "ideally", "Bonus:" make it preferred; "must",
   "required" make it required (cue words in ``data/job_reading.yaml``).
2. Otherwise the block decides: nice-to-have -> preferred, the rest -> required.
3. A skill named in the ad's title is required.

Any-of groups ("Python or Java", "e.g. TensorFlow, PyTorch") form one requirement that one
member satisfies (:mod:`skillmatch.score.clauses`); "X or equivalent experience" lets a related
skill count in full. Requirements written as behaviour ("you enjoy untangling hard problems on
your own") are read from ``behaviour:`` phrases. Stated years ("3+ years of Python") attach to
the skill named after them (:mod:`skillmatch.score.stated_years`); degrees are read by
:mod:`skillmatch.score.degrees`.

A requirement's weight (:func:`importance`) is required or preferred, times its strongest
place, emphasis, repetition over the ad's clauses, and title (``requirement:`` in
``data/scoring.yaml``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from skillmatch.models import Document, Evidence, SkillsResult
from skillmatch.score.blocks import job_blocks, phrase_pattern, reading_data, title_end
from skillmatch.score.clauses import (
    CANDIDATE_CUE,
    NOT_REQUIREMENT_SECTIONS,
    PREFERRED_SECTIONS,
    STATED_SECTIONS,
    Clause,
    SetAside,
    any_of_groups,
    clause_at,
    decide_at,
    dedupe_mentions,
    emphasis_at,
    split_clauses,
    without_collaborators,
)
from skillmatch.score.degrees import EQUIVALENT_CUE, DegreeRequirement, read_degree
from skillmatch.score.stated_years import YearsRequirement, merge_overall, read_years
from skillmatch.score.weights import WEIGHTS
from skillmatch.taxonomy.model import SKILL_CATEGORIES, Requirement, Taxonomy

__all__ = [
    "NOT_REQUIREMENT_SECTIONS",
    "PREFERRED_SECTIONS",
    "DegreeRequirement",
    "JobRequirement",
    "JobRequirements",
    "SetAside",
    "YearsRequirement",
    "as_requirements",
    "read_job",
]


@dataclass(frozen=True)
class JobRequirement:
    """A requirement read from a job description or a profile.

    ``evidence``: the job's mentions behind it; ``years``: stated years for this skill (or
    group), if any; ``reason``: what made it required or preferred (a block or a cue);
    ``weight``: its weight in its category (required or preferred, times its importance in the
    ad: see ``requirement:`` in ``data/scoring.yaml``); ``why``: how that weight was reached;
    ``line``: the ad's text it was read from; ``equivalent``: the ad accepts equivalent
    experience ("Python or equivalent experience"), so a related skill counts in full.
    """

    requirement: Requirement
    evidence: tuple[Evidence, ...] = ()
    years: float | None = None
    reason: str = ""
    weight: float = 1.0
    why: str = ""
    line: str = ""
    equivalent: bool = False


@dataclass(frozen=True)
class JobRequirements:
    """What a job asks: its skill requirements (``items``; the value iterates over them), the
    stated experience (``years``), the degree, the job titles it is for (``roles``), and the
    text kept out of the requirements (``set_aside``: company, benefits, metadata, legal)."""

    items: tuple[JobRequirement, ...] = ()
    years: tuple[YearsRequirement, ...] = ()
    degree: DegreeRequirement | None = None
    roles: tuple[str, ...] = ()
    set_aside: tuple[SetAside, ...] = ()

    def __iter__(self) -> Iterator[JobRequirement]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> JobRequirement:
        return self.items[index]

    def __bool__(self) -> bool:
        return bool(self.items)


def as_requirements(requirements: JobRequirements | Sequence[JobRequirement]) -> JobRequirements:
    """``requirements`` as a :class:`JobRequirements` (a plain sequence carries skills only)."""
    if isinstance(requirements, JobRequirements):
        return requirements
    return JobRequirements(tuple(requirements))


def status_weight(required: bool) -> float:
    """The weight of a requirement stated as required or as preferred."""
    return WEIGHTS.requirement.required if required else WEIGHTS.requirement.preferred


def read_job(job: SkillsResult, document: Document, taxonomy: Taxonomy) -> JobRequirements:
    """The skill, experience and degree requirements of a job ad (rules in the module doc)."""
    blocks = job_blocks(document)
    set_aside: list[SetAside] = []
    clauses = list(split_clauses(document, blocks, set_aside))
    _place_mentions(job, clauses, taxonomy)
    status: dict[str, tuple[int, bool, str]] = {}  # skill -> (rank, required, reason)
    clauses_of: dict[tuple[str, ...], list[tuple[Clause, Evidence]]] = {}
    groups: dict[tuple[str, ...], tuple[bool, str]] = {}
    text = document.text
    for clause in clauses:
        clause.mentions.sort(key=lambda m: (m[0].start, -m[0].end))
        mentions = without_collaborators(dedupe_mentions(clause.mentions), clause, text)
        clause.mentions = mentions
        in_group: set[str] = set()
        for ids, evs in any_of_groups(clause, text):
            required, reason = decide_at(clause, evs[0].start, evs[-1].end, text)
            old = groups.get(ids)
            groups[ids] = ((old[0] if old else False) or required, old[1] if old else reason)
            clauses_of.setdefault(ids, []).append((clause, evs[0]))
            in_group.update(ids)
        for evidence, skill_id in mentions:
            if skill_id in in_group:
                continue
            required, reason = decide_at(clause, evidence.start, evidence.end, text)
            rank = int(reason == "cue" or clause.section in STATED_SECTIONS)
            old_status = status.get(skill_id)
            if (
                old_status is None
                or rank > old_status[0]
                or (rank == old_status[0] and required and not old_status[1])
            ):
                status[skill_id] = (rank, required, reason)
            clauses_of.setdefault((skill_id,), []).append((clause, evidence))
    years = tuple(read_years(clauses, text))
    skill_years: dict[tuple[str, ...], float] = {}
    for y in years:
        if y.skill_ids:
            skill_years[y.skill_ids] = max(y.years, skill_years.get(y.skill_ids, 0.0))
    title = title_end(document, blocks)
    items: list[JobRequirement] = []
    for ids, seen in sorted(clauses_of.items(), key=lambda kv: kv[1][0][1].start):
        if len(ids) == 1 and ids[0] in status:
            _, required, reason = status[ids[0]]
            label = ""
        elif ids in groups:
            required, reason = groups[ids]
            label = _group_label(ids, taxonomy)
        else:
            continue
        if not required and any(e.start < title for _, e in seen):
            required, reason = True, "title"  # the job's own title names it
        weight, why = importance(seen, required, title, text)
        # the line quoted: from the strongest place it is named, then the first
        strongest = WEIGHTS.requirement.place
        first = min(seen, key=lambda cs: (-strongest[_place(cs[0].section)], cs[1].start))
        items.append(
            JobRequirement(
                Requirement(ids, required, label=label),
                tuple(e for _, e in seen),
                years=skill_years.get(ids),
                reason=reason,
                weight=weight,
                why=why,
                line=" ".join(first[0].text.split()),
                equivalent=any(_equivalent_after(text, c, e) for c, e in seen),
            )
        )
    return JobRequirements(
        tuple(items),
        years=merge_overall(years),
        degree=read_degree(clauses, job),
        roles=_roles(job, document),
        set_aside=tuple(set_aside),
    )


def _place_mentions(job: SkillsResult, clauses: list[Clause], taxonomy: Taxonomy) -> None:
    """Put each direct mention of a skill into the clause holding it (not degree mentions)."""
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
            clause = clause_at(clauses, evidence.start)
            if clause is not None:
                clause.mentions.append((evidence, skill.id))
    _behaviour_mentions(clauses, taxonomy)


def _behaviour_mentions(clauses: list[Clause], taxonomy: Taxonomy) -> None:
    """Add the skills an ad asks as behaviour ("you enjoy untangling hard problems on your
    own": problem solving, independence) in requirement blocks and sentences about the
    candidate (``behaviour:`` in data/job_reading.yaml)."""
    for clause in clauses:
        if clause.section not in STATED_SECTIONS and not CANDIDATE_CUE.search(clause.text):
            continue
        named = {skill_id for _, skill_id in clause.mentions}
        for skill_id, pattern in _behaviour_patterns():
            if skill_id in named or skill_id not in taxonomy.skills:
                continue
            match = pattern.search(clause.text)
            if match:
                start = clause.start + match.start()
                evidence = Evidence(match.group(), start, start + len(match.group()),
                                    method="implied", rule="behaviour")  # fmt: skip
                clause.mentions.append((evidence, skill_id))


@functools.cache
def _behaviour_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    table: dict[str, list[str]] = reading_data()["behaviour"]
    return tuple((skill_id, phrase_pattern(phrases)) for skill_id, phrases in table.items())


#: How far after a skill "or equivalent experience" may follow and still refer to it.
EQUIVALENT_REACH = 40


def _equivalent_after(text: str, clause: Clause, evidence: Evidence) -> bool:
    """Whether "or equivalent (experience)" follows the mention in its clause."""
    after = text[evidence.end : min(clause.end, evidence.end + EQUIVALENT_REACH)]
    match = EQUIVALENT_CUE.search(after)
    return match is not None and not re.search(r"[;.]", after[: match.start()])


def _group_label(ids: tuple[str, ...], taxonomy: Taxonomy) -> str:
    names = [taxonomy.skills[i].name for i in ids]
    if len(ids) > 2 and all(ids[0] in taxonomy.ancestors(i) for i in ids[1:]):
        return f"{names[0]} (e.g. {', '.join(names[1:])})"
    return " or ".join(names)


def _place(section: str | None) -> str:
    if section in STATED_SECTIONS:
        return "requirements"
    if section == "responsibilities":
        return "responsibilities"
    return "description"


def importance(
    seen: Sequence[tuple[Clause, Evidence]], required: bool, title: int, text: str
) -> tuple[float, str]:
    """A requirement's weight from where and how the ad names it (``requirement:`` in
    ``data/scoring.yaml``): required or preferred x its strongest place x emphasis x
    repetition x title; and the sentence saying so."""
    w = WEIGHTS.requirement
    place = max((_place(c.section) for c, _ in seen), key=lambda p: w.place[p])
    weight = status_weight(required) * w.place[place]
    why = [f"{'required' if required else 'preferred'} {status_weight(required):g}",
           f"{place} x{w.place[place]:g}"]  # fmt: skip
    if any(emphasis_at(c, e.start, e.end, text) for c, e in seen):
        weight *= w.emphasis
        why.append(f"stressed x{w.emphasis:g}")
    further = min(len({c.start for c, _ in seen}) - 1, w.repeated_max)
    if further > 0:
        weight *= 1 + w.repeated * further
        why.append(f"named {further + 1} times x{1 + w.repeated * further:g}")
    if any(e.start < title for _, e in seen):
        weight *= w.title
        why.append(f"in the title x{w.title:g}")
    return round(weight, 4), ", ".join(why)


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

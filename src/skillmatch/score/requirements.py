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
group. Lists joined by "and" stay separate requirements (see :mod:`skillmatch.score.clauses`).

Stated experience ("3+ years of Python", "5 years' experience in ML", "at least 2 years of
experience") is tied to the skill named right after it, else it is an overall requirement
(:mod:`skillmatch.score.stated_years`). Degree requirements ("BSc in Computer Science or related
field", "Master's preferred", "BS/MS degree", "or equivalent practical experience") give the
lowest level asked, the fields, whether related fields count and a preferred higher level
(:mod:`skillmatch.score.degrees`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from skillmatch.models import Document, Evidence, SkillsResult
from skillmatch.score.clauses import (
    NOT_REQUIREMENT_SECTIONS,
    PREFERRED_SECTIONS,
    STATED_SECTIONS,
    any_of_groups,
    clause_at,
    decide,
    dedupe_mentions,
    group_ids,
    split_clauses,
    without_collaborators,
)
from skillmatch.score.degrees import DegreeRequirement, read_degree
from skillmatch.score.stated_years import YearsRequirement, merge_overall, read_years
from skillmatch.taxonomy.model import SKILL_CATEGORIES, Requirement, Taxonomy

__all__ = [
    "NOT_REQUIREMENT_SECTIONS",
    "PREFERRED_SECTIONS",
    "DegreeRequirement",
    "JobRequirement",
    "JobRequirements",
    "YearsRequirement",
    "read_job",
]


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


def read_job(job: SkillsResult, document: Document, taxonomy: Taxonomy) -> JobRequirements:
    """The skill, experience and degree requirements of a job ad (rules in the module doc)."""
    clauses = list(split_clauses(document))
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
    status: dict[str, tuple[int, bool, str]] = {}  # skill -> (rank, required, reason)
    evidence_of: dict[str, list[Evidence]] = {}
    groups: dict[tuple[str, ...], tuple[bool, list[Evidence], str]] = {}
    for clause in clauses:
        clause.mentions.sort(key=lambda m: (m[0].start, -m[0].end))
        mentions = without_collaborators(dedupe_mentions(clause.mentions), clause, document.text)
        clause.mentions = mentions
        for ids, evs in any_of_groups(clause, document.text):
            required, reason = decide(clause)
            old = groups.get(ids)
            groups[ids] = (
                (old[0] if old else False) or required,
                [*(old[1] if old else []), *evs],
                old[2] if old else reason,
            )
        for evidence, skill_id in mentions:
            if any(skill_id in ids for ids in group_ids(clause, document.text)):
                continue
            required, reason = decide(clause)
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
    years = tuple(read_years(clauses, document.text))
    skill_years: dict[tuple[str, ...], float] = {}
    for y in years:
        if y.skill_ids:
            skill_years[y.skill_ids] = max(y.years, skill_years.get(y.skill_ids, 0.0))
    found = JobRequirements(
        years=merge_overall(years), degree=read_degree(clauses, job), roles=_roles(job, document)
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

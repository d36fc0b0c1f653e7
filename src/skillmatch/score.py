"""Score a CV's skills against a job description's requirements or a built-in profile.

The score is 0-100 and deterministic:

* each requirement has a weight: 1.0 when required, 0.5 when preferred;
* the CV earns a credit per requirement: 1.0 when it shows the skill (or, for an any-of group,
  one of its members; a skill counts when shown directly or through a more specific child),
  0.75 when a soft skill is only shown by behaviour, 0.5 when it shows a closely related skill
  (a sibling under the same group, or a ``related`` link), else 0;
* ``coverage[c]`` is the weighted share of credit in category ``c``;
* the score is the category coverages averaged with the category weights (technical 0.5,
  mathematical 0.3, soft 0.2 unless a profile says otherwise), over the categories the job asks
  for, times 100.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from skillmatch.match import extract_skills
from skillmatch.models import (
    Document,
    Evidence,
    MatchReport,
    RequirementResult,
    ScoreComponent,
    SkillMatch,
    SkillsResult,
)
from skillmatch.parse import load_document
from skillmatch.taxonomy import SKILL_CATEGORIES, Profile, Requirement, Taxonomy, load_taxonomy

DEFAULT_CATEGORY_WEIGHTS = {"technical": 0.5, "mathematical": 0.3, "soft": 0.2}
REQUIRED_WEIGHT = 1.0
PREFERRED_WEIGHT = 0.5
IMPLIED_CREDIT = 0.75
RELATED_CREDIT = 0.5
#: Job-ad sections whose skills are not requirements.
NOT_REQUIREMENT_SECTIONS = {"about", "benefits", "equal-opportunity"}
PREFERRED_SECTIONS = {"nice-to-have"}
_PREFERRED_CUE = re.compile(
    r"\b(preferred|preferably|a plus|is a bonus|bonus|nice[- ]to[- ]have|desirable|ideally|"
    r"advantageous|an advantage|would be great|not required|optional)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class JobRequirement:
    """A requirement read from a job description or a profile."""

    requirement: Requirement
    evidence: tuple[Evidence, ...] = ()


def requirements_from_profile(profile: Profile) -> list[JobRequirement]:
    """The profile's requirements, as they are."""
    return [JobRequirement(r) for r in profile.requirements]


def requirements_from_job(job: SkillsResult, document: Document, taxonomy: Taxonomy) -> list[JobRequirement]:
    """The skills a job description asks for, each required or preferred.

    Only skills the job names directly count (a rolled-up parent is not a requirement of its
    own); mentions in the company blurb, benefits or equal-opportunity text are ignored; a
    skill is preferred when every mention sits in a nice-to-have section or on a line with a
    cue such as "preferred" or "a plus".
    """
    found = []
    for skill in job.skills:
        if not skill.direct or skill.category not in SKILL_CATEGORIES:
            continue
        mentions = [e for e in skill.evidence if e.via is None and e.section not in NOT_REQUIREMENT_SECTIONS]
        if not mentions:
            continue
        required = any(not _is_preferred(e, document) for e in mentions)
        found.append(JobRequirement(Requirement((skill.id,), required), tuple(mentions)))
    return found


def _is_preferred(evidence: Evidence, document: Document) -> bool:
    if evidence.section in PREFERRED_SECTIONS:
        return True
    line_start = document.text.rfind("\n", 0, evidence.start) + 1
    line_end = document.text.find("\n", evidence.end)
    line = document.text[line_start : line_end if line_end >= 0 else len(document.text)]
    return bool(_PREFERRED_CUE.search(line))


def _credit(skill_id: str, cv: SkillsResult, taxonomy: Taxonomy) -> tuple[float, SkillMatch | None, str | None]:
    """The credit a CV earns for one skill, the CV match behind it, and a related skill if partial."""
    shown = cv.get(skill_id)
    if shown is not None:
        return (1.0 if shown.strength == "explicit" else IMPLIED_CREDIT), shown, None
    for related in _related(skill_id, taxonomy):
        if cv.get(related) is not None:
            return RELATED_CREDIT, cv.get(related), related
    return 0.0, None, None


def _related(skill_id: str, taxonomy: Taxonomy) -> Iterable[str]:
    skill = taxonomy.skills[skill_id]
    yield from skill.related
    for parent in skill.parents:
        if taxonomy.skills[parent].kind == "group":
            yield from (c for c in taxonomy.children(parent) if c != skill_id)


def _evaluate(item: JobRequirement, cv: SkillsResult, taxonomy: Taxonomy, profile: Profile | None) -> RequirementResult:
    requirement = item.requirement
    best: tuple[float, str, SkillMatch | None, str | None] = (0.0, requirement.ids[0], None, None)
    for skill_id in requirement.ids:
        credit, match, related = _credit(skill_id, cv, taxonomy)
        if credit > best[0]:
            best = (credit, skill_id, match, related)
    credit, skill_id, match, related = best
    skill = taxonomy.skills[skill_id]
    advice = None
    if profile is not None and credit < 1.0:
        advice = profile.advice.get(skill_id) or next(
            (profile.advice[i] for i in requirement.ids if i in profile.advice), None
        )
    return RequirementResult(
        id=skill.id,
        name=skill.name,
        category=skill.category,
        required=requirement.required,
        weight=requirement.weight * (REQUIRED_WEIGHT if requirement.required else PREFERRED_WEIGHT),
        credit=credit,
        label=requirement.label,
        alternatives=tuple(i for i in requirement.ids if i != skill_id),
        evidence=match.evidence[:3] if match else (),
        related=related,
        advice=advice,
    )


def score_skills(
    cv: SkillsResult,
    requirements: Sequence[JobRequirement],
    *,
    taxonomy: Taxonomy,
    job_name: str,
    profile: Profile | None = None,
    warnings: Sequence[str] = (),
) -> MatchReport:
    """Score a CV's skills against requirements (the core of ``compare`` and ``score``)."""
    results = [_evaluate(item, cv, taxonomy, profile) for item in requirements]
    weights = dict(DEFAULT_CATEGORY_WEIGHTS)
    if profile is not None and profile.category_weights:
        weights = dict(profile.category_weights)
    coverage: dict[str, float | None] = {}
    components = []
    for category in SKILL_CATEGORIES:
        in_category = [r for r in results if r.category == category]
        total = sum(r.weight for r in in_category)
        coverage[category] = sum(r.weight * r.credit for r in in_category) / total if total else None
        components.append(_component(category, weights.get(category, 0.0), coverage[category], in_category))
    asked = {c: w for c, w in weights.items() if coverage.get(c) is not None}
    weight_sum = sum(asked.values())
    score = 0.0
    if weight_sum:
        score = 100 * sum(w * (coverage[c] or 0.0) for c, w in asked.items()) / weight_sum
    matched = tuple(r for r in results if r.met)
    missing = tuple(sorted((r for r in results if not r.met), key=lambda r: (not r.required, -r.credit)))
    required_ids = {i for item in requirements for i in item.requirement.ids}
    extra = tuple(
        s for s in cv.skills
        if s.direct and s.category in SKILL_CATEGORIES and s.id not in required_ids
    )  # fmt: skip
    return MatchReport(
        cv=cv.source,
        job=job_name,
        score=round(min(max(score, 0.0), 100.0), 1),
        coverage=coverage,
        matched=matched,
        missing=missing,
        components=tuple(components),
        extra=extra,
        warnings=tuple(warnings),
    )


def _component(category: str, weight: float, value: float | None, results: list[RequirementResult]) -> ScoreComponent:
    if value is None:
        return ScoreComponent(category, weight, None, f"the job asks for no {category} skills")
    met = sum(1 for r in results if r.met)
    text = f"{met} of {len(results)} {category} requirements shown"
    partial = [r.name for r in results if 0 < r.credit < 1]
    missing = [r.name for r in results if r.credit == 0]
    if partial:
        text += f"; partly: {', '.join(partial)}"
    if missing:
        text += f"; missing: {', '.join(missing)}"
    return ScoreComponent(category, weight, value, text)


def compare(
    cv: str | os.PathLike[str] | Document,
    job: str | os.PathLike[str] | Document,
    *,
    taxonomy: Taxonomy | None = None,
) -> MatchReport:
    """Score a CV against a job description (paths, ``-`` for stdin, or parsed documents)."""
    taxonomy = taxonomy or load_taxonomy()
    cv_doc = cv if isinstance(cv, Document) else load_document(cv, kind="cv")
    job_doc = job if isinstance(job, Document) else load_document(job, kind="job")
    job_skills = extract_skills(job_doc, taxonomy=taxonomy)
    requirements = requirements_from_job(job_skills, job_doc, taxonomy)
    return compare_skills(extract_skills(cv_doc, taxonomy=taxonomy), requirements, job_doc, taxonomy)


def compare_skills(
    cv: SkillsResult, requirements: Sequence[JobRequirement], job_doc: Document, taxonomy: Taxonomy
) -> MatchReport:
    """Score already-extracted CV skills against a parsed job's requirements (used by batch)."""
    warnings = list(cv.warnings)
    if not requirements:
        warnings.append(f"{job_doc.source}: no skills from the taxonomy were found in the job description")
    return score_skills(cv, requirements, taxonomy=taxonomy, job_name=job_doc.source, warnings=warnings)


def score_profile(
    cv: str | os.PathLike[str] | Document,
    *,
    profile: str = "ml-engineer",
    taxonomy: Taxonomy | None = None,
) -> MatchReport:
    """Score a CV against a built-in profile (by default the guide's ML-engineer table)."""
    taxonomy = taxonomy or load_taxonomy()
    chosen = taxonomy.profile(profile)
    cv_doc = cv if isinstance(cv, Document) else load_document(cv, kind="cv")
    cv_skills = extract_skills(cv_doc, taxonomy=taxonomy)
    return score_skills(
        cv_skills,
        requirements_from_profile(chosen),
        taxonomy=taxonomy,
        job_name=f"profile:{chosen.id}",
        profile=chosen,
        warnings=cv_skills.warnings,
    )

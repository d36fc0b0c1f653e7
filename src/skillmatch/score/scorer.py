"""Score a CV against a job description's requirements or a built-in profile.

The score is 0-100 and deterministic (the same CV, job, taxonomy and date give the same score).
Every number below lives in ``data/scoring.yaml`` (:mod:`skillmatch.score.weights`); this says
how they combine. It is a weighted average of *components*, each between 0 and 1:

**Skill components** (``technical``, ``mathematical``, ``soft``). Each requirement ``r`` has a
weight ``w_r`` from its importance in the ad (``requirement:``; computed by
:mod:`skillmatch.score.requirements`, shown by ``skillmatch job``). The CV earns
``c_r = shown_r x strength_r`` (:mod:`skillmatch.score.credit`): ``shown_r`` is 1 for the skill
or a more specific one (the best member of an any-of group), ``related`` for a related skill
only (in full where the ad accepts equivalent experience), else 0; ``strength_r`` is where the
CV shows it (``strength:``; ``soft_strength:`` for soft skills, which count only with
evidence). A category's value is ``sum(w_r c_r) / sum(w_r)``; ``coverage[c]`` is the same with
``shown_r`` alone.

**Category shares**: the skill part weighs ``components.skills``, split between categories by
their requirements' weights (the soft share capped at ``soft_share_max``); a profile's own
``category_weights`` split it instead (the guide's emphasis).

**Role, experience, education** (:mod:`skillmatch.score.checks`), each only when the ad asks:
the job title held in dated roles, the stated years, and the degree (``education:``; no degree
or no field found earns nothing, and where fields are named the degree counts times the
field's credit). Their weights are ``components:``.

**The score** is ``100 x sum(W_k v_k) / sum(W_k)`` over the components asked for (one with
nothing to check is left out, not counted as 0), rounded to one decimal. ``--explain`` prints
each ``W_k x v_k``.

**Repetition in the CV never counts.** A requirement's credit depends on *where* the CV shows
the skill (its strongest place), never on how often. Implausible repetition, hidden text and
an ad copied into the CV are reported as ``flags`` (:mod:`skillmatch.score.gaming`); they do
not change the score. Adding to a job a requirement the CV shows where it was used never
lowers the score; a CV scored against itself as a job gets full coverage.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Sequence

from skillmatch.match.matcher import extract_skills
from skillmatch.models import (
    Check,
    Document,
    MatchReport,
    RequirementResult,
    ScoreComponent,
    SkillMatch,
    SkillsResult,
)
from skillmatch.read.parse import load_document
from skillmatch.score.checks import (
    check_component,
    education_checks,
    experience_checks,
    role_checks,
)
from skillmatch.score.credit import (
    STRENGTH_CREDIT,
    descendants,
    evaluate,
    first_evidence,
    skill_component,
)
from skillmatch.score.cv_facts import STRENGTHS, CvSkills, cv_skills, read_cv
from skillmatch.score.gaming import find_flags
from skillmatch.score.job_file import is_requirements_file, load_requirements
from skillmatch.score.memo import by_identity
from skillmatch.score.requirements import (
    NOT_REQUIREMENT_SECTIONS,
    PREFERRED_SECTIONS,
    DegreeRequirement,
    JobRequirement,
    JobRequirements,
    YearsRequirement,
    as_requirements,
    read_job,
    status_weight,
)
from skillmatch.score.weights import WEIGHTS
from skillmatch.taxonomy.load import load_taxonomy
from skillmatch.taxonomy.model import SKILL_CATEGORIES, Profile, Taxonomy
from skillmatch.text import proof_sentence

__all__ = [
    "COMPONENT_WEIGHTS",
    "NOT_REQUIREMENT_SECTIONS",
    "PREFERRED_SECTIONS",
    "STRENGTH_CREDIT",
    "JobRequirement",
    "compare",
    "compare_skills",
    "load_job",
    "read_job_requirements",
    "requirements_from_job",
    "requirements_from_profile",
    "score_profile",
    "score_skills",
]

#: The weight of each component beside the skill part (``components:`` in data/scoring.yaml).
COMPONENT_WEIGHTS = WEIGHTS.components


def requirements_from_profile(profile: Profile) -> JobRequirements:
    """The profile's requirements, with its degree (``education:``) as a degree requirement."""
    degree = None
    education = profile.education or {}
    if education.get("level"):
        degree = DegreeRequirement(
            level=str(education["level"]),
            fields=tuple(str(f) for f in education.get("fields") or ()),
            related_fields=True,
            preferred_level=education.get("senior_level"),
            text=str(education.get("advice") or ""),
        )
    items = tuple(
        JobRequirement(
            r,
            reason="profile",
            weight=r.weight * status_weight(r.required),
            why=f"{'required' if r.required else 'preferred'} {status_weight(r.required):g}"
            + (f" x{r.weight:g}" if r.weight != 1.0 else ""),
        )
        for r in profile.requirements
    )
    return JobRequirements(items, degree=degree)


def requirements_from_job(
    job: SkillsResult, document: Document, taxonomy: Taxonomy
) -> JobRequirements:
    """The skills, years and degree a job asks for (see :mod:`skillmatch.score.requirements`)."""
    return read_job(job, document, taxonomy)


def score_skills(
    cv: SkillsResult,
    requirements: JobRequirements | Sequence[JobRequirement],
    *,
    taxonomy: Taxonomy,
    job_name: str,
    profile: Profile | None = None,
    warnings: Sequence[str] = (),
    cv_document: Document | None = None,
    as_of: dt.date | None = None,
    job_document: Document | None = None,
) -> MatchReport:
    """Score a CV's skills against requirements (the core of ``compare`` and ``score``).

    ``cv_document`` (the parsed CV) lets the scorer read dated roles and quote the sentence
    behind each match; without it the years and role checks are left out (unknown, not 0).
    ``as_of`` is the date "present" means (default: :func:`skillmatch.score.cv_facts.today`).
    With ``cv_document``, the report carries the CV's :mod:`~skillmatch.score.gaming` (hidden text,
    keyword stuffing, and with ``job_document`` the ad copied); flags never change the score.
    """
    facts = read_cv(cv_document, cv, as_of=as_of)
    job = as_requirements(requirements)
    text = cv_document.text if cv_document is not None else None
    shown = cv_skills(cv)
    results = [evaluate(item, shown, taxonomy, profile, text) for item in job]
    coverage, components = _skill_components(results, _category_weights(results, profile))
    years, degree, roles = job.years, job.degree, job.roles
    # without the CV's text there are no dates to read: years and roles are unknown, not missing
    dated_years = years if cv_document is not None else ()
    dated_roles = roles if cv_document is not None else ()
    role_rows = role_checks(dated_roles, years, facts, taxonomy)[:1]
    experience_rows = experience_checks(dated_years, facts, profile, taxonomy)
    education_rows, education_weight = education_checks(degree, facts, profile)
    checks: list[Check] = [*role_rows, *experience_rows, *education_rows]
    weights = dict(COMPONENT_WEIGHTS)
    if profile is not None:
        weights.update({k: v for k, v in profile.category_weights.items() if k in weights})
    if role_rows:
        components.append(check_component("role", weights["role"], role_rows))
    if experience_rows:
        components.append(check_component("experience", weights["experience"], experience_rows))
    if education_rows:
        components.append(
            check_component("education", weights["education"] * education_weight, education_rows)
        )
    asked = [c for c in components if c.value is not None and c.weight > 0]
    weight_sum = sum(c.weight for c in asked)
    score = (
        100 * sum(c.weight * (c.value or 0.0) for c in asked) / weight_sum if weight_sum else 0.0
    )
    matched = tuple(r for r in results if r.found)
    missing = tuple(
        sorted(
            (r for r in results if not r.found),
            key=lambda r: (not r.required, r.related is not None, -r.credit),
        )
    )
    extra = _extra_skills(cv, shown, job, taxonomy)
    extra_proof = {}
    if text is not None:
        for skill in extra:
            first = first_evidence(skill)
            extra_proof[skill.id] = proof_sentence(text, first.start, first.end)
    flags = (
        find_flags(
            cv_document,
            cv,
            taxonomy=taxonomy,
            job=job_document,
            requirements=job.items if job_document is not None else (),
        )
        if cv_document is not None
        else ()
    )
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
        details={
            "cv_facts": facts.to_dict(),
            "requirements": _requirements_dict(years, degree),
            "set_aside": dict(Counter(s.kind for s in job.set_aside)),
        },
        checks=tuple(checks),
        extra_proof=extra_proof,
        flags=flags,
    )


def _category_weights(
    results: Sequence[RequirementResult], profile: Profile | None
) -> dict[str, float]:
    """Each skill category's weight: a share of ``components.skills``. A profile's own
    ``category_weights`` set the shares (the guide's emphasis); for a job ad a category's share
    is its requirements' weight over all requirements' weight, soft skills' share capped at
    ``soft_share_max`` (the rest scaled up to fill the skill part)."""
    skills = COMPONENT_WEIGHTS["skills"]
    asked = {c: sum(r.weight for r in results if r.category == c) for c in SKILL_CATEGORIES}
    if profile is not None and profile.category_weights:
        own = {c: profile.category_weights.get(c, 0.0) for c in SKILL_CATEGORIES}
        asked = {c: own[c] if asked[c] > 0 else 0.0 for c in SKILL_CATEGORIES}
        total = sum(asked.values())
        return {c: skills * w / total if total else 0.0 for c, w in asked.items()}
    total = sum(asked.values())
    if not total:
        return dict.fromkeys(SKILL_CATEGORIES, 0.0)
    shares = {c: w / total for c, w in asked.items()}
    cap = WEIGHTS.soft_share_max
    if shares.get("soft", 0.0) > cap and total > asked["soft"]:
        rest = total - asked["soft"]
        shares = {c: cap if c == "soft" else (1 - cap) * asked[c] / rest for c in asked}
    return {c: round(skills * share, 4) for c, share in shares.items()}


def _skill_components(
    results: Sequence[RequirementResult], weights: dict[str, float]
) -> tuple[dict[str, float | None], list[ScoreComponent]]:
    """``coverage`` and the component of each skill category (see the module doc)."""
    coverage: dict[str, float | None] = {}
    components: list[ScoreComponent] = []
    for category in SKILL_CATEGORIES:
        in_category = [r for r in results if r.category == category]
        total = sum(r.weight for r in in_category)
        coverage[category] = (
            sum(r.weight * (r.shown or 0.0) for r in in_category) / total if total else None
        )
        value = sum(r.weight * r.credit for r in in_category) / total if total else None
        components.append(skill_component(category, weights.get(category, 0.0), value, in_category))
    return coverage, components


def _extra_skills(
    cv: SkillsResult, shown: CvSkills, requirements: JobRequirements, taxonomy: Taxonomy
) -> tuple[SkillMatch, ...]:
    """The CV's own skills the job does not ask for (nor a more general one), strongest first."""
    covered = _covered(requirements, taxonomy)
    extra_skills = [
        (s, strength)
        for s, strength in zip(cv.skills, shown.strengths, strict=True)
        if s.direct and s.category in SKILL_CATEGORIES and s.id not in covered
    ]
    return tuple(s for s, _ in sorted(extra_skills, key=lambda p: STRENGTHS.index(p[1])))


@by_identity(maxsize=16)  # the same for every CV
def _covered(requirements: JobRequirements, taxonomy: Taxonomy) -> frozenset[str]:
    """The skills a job asks for, with their more specific skills."""
    covered = {i for item in requirements for i in item.requirement.ids}
    covered |= {d for i in list(covered) if i in taxonomy.skills for d in descendants(i, taxonomy)}
    return frozenset(covered)


def _requirements_dict(
    years: Sequence[YearsRequirement], degree: DegreeRequirement | None
) -> dict[str, object]:
    return {"years": [y.to_dict() for y in years], "degree": degree.to_dict() if degree else None}


def read_job_requirements(
    job: str | os.PathLike[str] | Document, *, taxonomy: Taxonomy | None = None
) -> JobRequirements:
    """What a job ad asks (a path, ``-`` for stdin, or a parsed document): see
    :mod:`skillmatch.score.requirements`."""
    taxonomy = taxonomy or load_taxonomy()
    job_doc = job if isinstance(job, Document) else load_document(job, kind="job")
    return requirements_from_job(extract_skills(job_doc, taxonomy=taxonomy), job_doc, taxonomy)


def load_job(
    job: str | os.PathLike[str] | Document, taxonomy: Taxonomy
) -> tuple[Document, JobRequirements]:
    """A job and its requirements: a job ad (read and parsed), or a requirements file written by
    ``skillmatch job --format yaml`` (taken as it is)."""
    if not isinstance(job, Document) and is_requirements_file(job):
        return load_requirements(job, taxonomy)
    job_doc = job if isinstance(job, Document) else load_document(job, kind="job")
    return job_doc, read_job_requirements(job_doc, taxonomy=taxonomy)


def compare(
    cv: str | os.PathLike[str] | Document,
    job: str | os.PathLike[str] | Document,
    *,
    taxonomy: Taxonomy | None = None,
    as_of: dt.date | None = None,
) -> MatchReport:
    """Score a CV against a job description (paths, ``-`` for stdin, or parsed documents) or
    a requirements file (``skillmatch job --format yaml``)."""
    taxonomy = taxonomy or load_taxonomy()
    cv_doc = cv if isinstance(cv, Document) else load_document(cv, kind="cv")
    job_doc, requirements = load_job(job, taxonomy)
    return compare_skills(
        extract_skills(cv_doc, taxonomy=taxonomy),
        requirements,
        job_doc,
        taxonomy,
        cv_document=cv_doc,
        as_of=as_of,
    )


def compare_skills(
    cv: SkillsResult,
    requirements: JobRequirements | Sequence[JobRequirement],
    job_doc: Document,
    taxonomy: Taxonomy,
    *,
    cv_document: Document | None = None,
    as_of: dt.date | None = None,
) -> MatchReport:
    """Score already-extracted CV skills against a parsed job's requirements (used by batch).

    Pass ``cv_document`` for years from dated roles and the sentences behind each match.
    """
    warnings = list(cv.warnings)
    if not requirements:
        warnings.append(
            f"{job_doc.source}: no skills from the taxonomy were found in the job description"
        )
    return score_skills(
        cv,
        requirements,
        taxonomy=taxonomy,
        job_name=job_doc.source,
        warnings=warnings,
        cv_document=cv_document,
        as_of=as_of,
        job_document=job_doc,
    )


def score_profile(
    cv: str | os.PathLike[str] | Document,
    *,
    profile: str = "ml-engineer",
    taxonomy: Taxonomy | None = None,
    as_of: dt.date | None = None,
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
        cv_document=cv_doc,
        as_of=as_of,
    )

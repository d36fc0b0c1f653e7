"""Score a CV against a job description's requirements or a built-in profile.

The score is 0-100 and deterministic (the same CV, job, taxonomy and date give the same score).
It is a weighted average of *components*, each between 0 and 1:

**Skill components** (``technical``, ``mathematical``, ``soft``). Every requirement ``r`` of
the job (read by :mod:`skillmatch.score.requirements`) or profile has a weight ``w_r``: 1.0 when
required, 0.5 when preferred. The CV earns a credit ``c_r = shown_r x strength_r``:

* ``shown_r`` is 1 when the CV shows the skill (directly or through a more specific one:
  PostgreSQL shows relational databases; for an any-of group, its best member), 0.5 when it
  only shows a *related* skill (the job asks PyTorch, the CV shows TensorFlow: a sibling under
  the same group, or a ``related`` link in the taxonomy), else 0;
* ``strength_r`` says where the CV shows it (:mod:`skillmatch.score.cv_facts`): 1.0 *applied*
  (experience, projects, publications, volunteering), 0.9 *studied* (education,
  certifications), 0.8 *listed* (only named in a skills list, summary or header), 0.75
  *implied* (a soft skill only shown by behaviour outside experience and projects).

A category's component is ``sum(w_r c_r) / sum(w_r)`` over its requirements; ``coverage[c]``
(the contract's field) is the same with ``shown_r`` alone: the weighted share of the
category's requirements the CV shows, however strongly.

**Experience** (only when the job states years or the profile asks for practical experience):
the weighted mean, over the stated years (required 1.0, preferred 0.5), of ``min(1, have /
asked)``, where ``have`` is the CV's years overall or with that skill (from dated roles); a
skill shown but never in a dated role earns 0.5 (the skill's own years include roles that show a
more specific or an implying skill: TypeScript counts for JavaScript). For a profile, each
kind of practical experience it names (projects, internships, open source) shown counts 1.

**Role** (only when the ad's title or opening sentence names a job title the taxonomy knows,
e.g. "Senior Product Manager"): ``min(1, have / asked)``, where ``have`` is the years of the
CV's dated roles whose heading names that title (or a more specific one) and ``asked`` the
overall years the ad states (1 when it states none and the CV has held the role); 0.5 when the
CV only names the title in its headline; 0 otherwise.

**Education** (only when a degree is stated): ``0.7 level + 0.3 field`` (``0.6 level + 0.25
field + 0.15 preferred-level`` when a higher degree is preferred). ``level`` is 1 when the
CV's highest degree reaches the level asked, 0.5 when it is a lower degree, 0 without a degree
(1 when the job accepts equivalent experience and the CV shows 3+ years); ``field`` is 1 for a
field asked, 0.75 for another quantitative or technical field where "related field" is
accepted, 0.25 for another field, 1 when no field is named.

**The score** is ``100 x sum(W_k v_k) / sum(W_k)`` over the components ``k`` the job or
profile asks for (a component with nothing to check is left out, not counted as 0), with the
weights ``W``: technical 0.5, mathematical 0.3, soft 0.2 (a profile's ``category_weights``
override them), role 0.2, experience 0.15, education 0.15 (halved when the degree is only
preferred); rounded to one decimal.

**Repetition never counts.** A requirement's credit depends on *where* the CV shows the skill
(its strongest place), never on how often: a skill named 50 times scores exactly as one named
3 times. Implausible repetition, text hidden from readers and a job ad copied into the CV are
reported as ``flags`` beside the score (:mod:`skillmatch.score.gaming`); they do not change it.

Two consequences worth knowing: adding to a job a requirement the CV shows where it was
used (credit 1) never lowers the score; a CV scored against itself as a job gets full
coverage (every ``coverage[c]`` is 1), though skills it only lists still earn 0.8 each.
"""

from __future__ import annotations

import datetime as dt
import os
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
    best_evidence,
    descendants,
    evaluate,
    skill_component,
)
from skillmatch.score.cv_facts import STRENGTHS, evidence_strength, read_cv
from skillmatch.score.gaming import find_flags
from skillmatch.score.requirements import (
    NOT_REQUIREMENT_SECTIONS,
    PREFERRED_SECTIONS,
    DegreeRequirement,
    JobRequirement,
    JobRequirements,
    YearsRequirement,
    read_job,
)
from skillmatch.taxonomy.load import load_taxonomy
from skillmatch.taxonomy.model import SKILL_CATEGORIES, Profile, Taxonomy
from skillmatch.text import proof_sentence

__all__ = [
    "DEFAULT_CATEGORY_WEIGHTS",
    "NOT_REQUIREMENT_SECTIONS",
    "PREFERRED_SECTIONS",
    "STRENGTH_CREDIT",
    "JobRequirement",
    "compare",
    "compare_skills",
    "requirements_from_job",
    "requirements_from_profile",
    "score_profile",
    "score_skills",
]

DEFAULT_CATEGORY_WEIGHTS = {"technical": 0.5, "mathematical": 0.3, "soft": 0.2}
EXPERIENCE_WEIGHT = 0.15
ROLE_WEIGHT = 0.2
EDUCATION_WEIGHT = 0.15


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
    return JobRequirements(
        [JobRequirement(r, reason="profile") for r in profile.requirements], degree=degree
    )


def requirements_from_job(
    job: SkillsResult, document: Document, taxonomy: Taxonomy
) -> JobRequirements:
    """The skills, years and degree a job asks for (see :mod:`skillmatch.score.requirements`)."""
    return read_job(job, document, taxonomy)


def score_skills(
    cv: SkillsResult,
    requirements: Sequence[JobRequirement],
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
    text = cv_document.text if cv_document is not None else None
    results = [evaluate(item, cv, taxonomy, profile, text) for item in requirements]
    weights: dict[str, float] = dict(DEFAULT_CATEGORY_WEIGHTS)
    if profile is not None and profile.category_weights:
        weights = {**weights, **profile.category_weights}
    coverage, components = _skill_components(results, weights)
    years = tuple(getattr(requirements, "years", ()))
    degree = getattr(requirements, "degree", None)
    roles = tuple(getattr(requirements, "roles", ()))
    # without the CV's text there are no dates to read: years and roles are unknown, not missing
    dated_years = years if cv_document is not None else ()
    dated_roles = roles[:1] if cv_document is not None else ()
    role_rows = role_checks(dated_roles, years, facts, taxonomy)
    experience_rows = experience_checks(dated_years, facts, profile, taxonomy)
    education_rows, education_weight = education_checks(degree, facts, profile)
    checks: list[Check] = [*role_rows, *experience_rows, *education_rows]
    if role_rows:
        components.append(check_component("role", weights.get("role", ROLE_WEIGHT), role_rows))
    if experience_rows:
        components.append(
            check_component(
                "experience", weights.get("experience", EXPERIENCE_WEIGHT), experience_rows
            )
        )
    if education_rows:
        components.append(
            check_component(
                "education",
                weights.get("education", EDUCATION_WEIGHT) * education_weight,
                education_rows,
            )
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
    extra = _extra_skills(cv, requirements, taxonomy)
    extra_proof = {}
    if text is not None:
        for skill in extra:
            first = best_evidence(skill)[0]
            extra_proof[skill.id] = proof_sentence(text, first.start, first.end)
    flags = (
        find_flags(
            cv_document,
            cv,
            taxonomy=taxonomy,
            job=job_document,
            requirements=requirements if job_document is not None else (),
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
        details={"cv_facts": facts.to_dict(), "requirements": _requirements_dict(years, degree)},
        checks=tuple(checks),
        extra_proof=extra_proof,
        flags=flags,
    )


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
    cv: SkillsResult, requirements: Sequence[JobRequirement], taxonomy: Taxonomy
) -> tuple[SkillMatch, ...]:
    """The CV's own skills the job does not ask for (nor a more general one), strongest first."""
    covered = {i for item in requirements for i in item.requirement.ids}
    covered |= {d for i in list(covered) if i in taxonomy.skills for d in descendants(i, taxonomy)}
    extra_skills = [
        s for s in cv.skills if s.direct and s.category in SKILL_CATEGORIES and s.id not in covered
    ]
    return tuple(sorted(extra_skills, key=lambda s: STRENGTHS.index(evidence_strength(s))))


def _requirements_dict(
    years: Sequence[YearsRequirement], degree: DegreeRequirement | None
) -> dict[str, object]:
    return {"years": [y.to_dict() for y in years], "degree": degree.to_dict() if degree else None}


def compare(
    cv: str | os.PathLike[str] | Document,
    job: str | os.PathLike[str] | Document,
    *,
    taxonomy: Taxonomy | None = None,
    as_of: dt.date | None = None,
) -> MatchReport:
    """Score a CV against a job description (paths, ``-`` for stdin, or parsed documents)."""
    taxonomy = taxonomy or load_taxonomy()
    cv_doc = cv if isinstance(cv, Document) else load_document(cv, kind="cv")
    job_doc = job if isinstance(job, Document) else load_document(job, kind="job")
    job_skills = extract_skills(job_doc, taxonomy=taxonomy)
    requirements = requirements_from_job(job_skills, job_doc, taxonomy)
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
    requirements: Sequence[JobRequirement],
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

"""Score a CV against a job description's requirements or a built-in profile.

The score is 0-100 and deterministic (the same CV, job, taxonomy and date give the same score).
It is a weighted average of *components*, each between 0 and 1:

**Skill components** (``technical``, ``mathematical``, ``soft``). Every requirement ``r`` of
the job (read by :mod:`skillmatch.requirements`) or profile has a weight ``w_r``: 1.0 when
required, 0.5 when preferred. The CV earns a credit ``c_r = shown_r x strength_r``:

* ``shown_r`` is 1 when the CV shows the skill (directly or through a more specific one:
  PostgreSQL shows relational databases; for an any-of group, its best member), 0.5 when it
  only shows a *related* skill (the job asks PyTorch, the CV shows TensorFlow: a sibling under
  the same group, or a ``related`` link in the taxonomy), else 0;
* ``strength_r`` says where the CV shows it (:mod:`skillmatch.profile_facts`): 1.0 *applied*
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

Two consequences worth knowing: adding to a job a requirement the CV shows where it was
used (credit 1) never lowers the score; a CV scored against itself as a job gets full
coverage (every ``coverage[c]`` is 1), though skills it only lists still earn 0.8 each.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Sequence

from skillmatch.match import extract_skills
from skillmatch.models import (
    Check,
    Document,
    Evidence,
    MatchReport,
    RequirementResult,
    ScoreComponent,
    SkillMatch,
    SkillsResult,
)
from skillmatch.parse import load_document
from skillmatch.profile_facts import (
    APPLIED_SECTIONS,
    DEGREE_ORDER,
    STUDIED_SECTIONS,
    CvFacts,
    evidence_strength,
    read_cv,
)
from skillmatch.report import proof_sentence
from skillmatch.requirements import (
    NOT_REQUIREMENT_SECTIONS,
    PREFERRED_SECTIONS,
    DegreeRequirement,
    JobRequirement,
    JobRequirements,
    YearsRequirement,
    read_job,
)
from skillmatch.taxonomy import SKILL_CATEGORIES, Profile, Requirement, Taxonomy, load_taxonomy

__all__ = [
    "DEFAULT_CATEGORY_WEIGHTS",
    "NOT_REQUIREMENT_SECTIONS",
    "PREFERRED_SECTIONS",
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
REQUIRED_WEIGHT = 1.0
PREFERRED_WEIGHT = 0.5
#: Credit by where the CV shows a skill (see the module doc).
STRENGTH_CREDIT = {"applied": 1.0, "studied": 0.9, "listed": 0.8, "implied": 0.75}
IMPLIED_CREDIT = STRENGTH_CREDIT["implied"]
RELATED_CREDIT = 0.5
#: Credit for a job title the CV only names in its headline (no dated role holds it).
HEADLINE_ROLE_CREDIT = 0.5
#: Years a CV must show to stand in for a degree when the job accepts equivalent experience.
EQUIVALENT_YEARS = 3.0
#: Fields that count as related where a job accepts "Computer Science or a related field".
QUANTITATIVE_FIELDS = frozenset(
    {
        "field:computer-science", "field:computer-engineering", "field:software-engineering",
        "field:data-science", "field:artificial-intelligence", "field:mathematics",
        "field:statistics", "field:physics", "field:electrical-engineering", "field:engineering",
        "field:information-technology", "field:operations-research", "field:economics",
        "field:bioinformatics", "field:finance",
    }
)  # fmt: skip
LEVEL_NAMES = {"degree:bachelor": "bachelor's", "degree:master": "master's", "degree:phd": "PhD"}


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
    """The skills, years and degree a job asks for (see :mod:`skillmatch.requirements`)."""
    return read_job(job, document, taxonomy)


@functools.lru_cache(maxsize=8)
def _children_index(taxonomy: Taxonomy) -> dict[str, tuple[str, ...]]:
    """Every skill's children, built once per taxonomy (``Taxonomy.children`` scans them all)."""
    index: dict[str, list[str]] = {}
    for skill in taxonomy.skills.values():
        for parent in skill.parents:
            index.setdefault(parent, []).append(skill.id)
    return {k: tuple(v) for k, v in index.items()}


@functools.lru_cache(maxsize=4096)
def _descendants_of(taxonomy: Taxonomy, skill_id: str) -> tuple[str, ...]:
    children = _children_index(taxonomy)
    found: list[str] = []
    frontier = [skill_id]
    seen = {skill_id}
    while frontier:
        for child in children.get(frontier.pop(0), ()):
            if child not in seen:
                seen.add(child)
                frontier.append(child)
                found.append(child)
    return tuple(found)


def _descendants(skill_id: str, taxonomy: Taxonomy) -> tuple[str, ...]:
    """Every more specific skill of ``skill_id``, nearest first."""
    return _descendants_of(taxonomy, skill_id)


def _strength(skill_id: str, cv: SkillsResult, taxonomy: Taxonomy) -> tuple[str, SkillMatch | None]:
    """The best strength with which the CV shows ``skill_id`` or a more specific skill, and
    the CV match behind it (the skill's own match when it is as strong)."""
    best: tuple[str, SkillMatch | None] = ("", None)
    for candidate in (skill_id, *_descendants(skill_id, taxonomy)):
        match = cv.get(candidate)
        if match is None:
            continue
        strength = evidence_strength(match)
        if best[1] is None or STRENGTH_CREDIT[strength] > STRENGTH_CREDIT[best[0]]:
            best = (strength, match)
    return best


def _credit(
    skill_id: str, cv: SkillsResult, taxonomy: Taxonomy
) -> tuple[float, float, str, SkillMatch | None, str | None]:
    """``(shown, credit, strength, CV match, related skill)`` for one skill."""
    if skill_id not in taxonomy.skills:
        return 0.0, 0.0, "", None, None
    strength, match = _strength(skill_id, cv, taxonomy)
    if match is not None:
        return 1.0, STRENGTH_CREDIT[strength], strength, match, None
    best: tuple[float, float, str, SkillMatch | None, str | None] = (0.0, 0.0, "", None, None)
    for related in _related(skill_id, taxonomy):
        shown = cv.get(related)
        if shown is not None:
            strength = evidence_strength(shown)
            credit = RELATED_CREDIT * STRENGTH_CREDIT[strength]
            if credit > best[1]:
                best = (RELATED_CREDIT, credit, strength, shown, related)
    return best


def _related(skill_id: str, taxonomy: Taxonomy) -> Iterable[str]:
    skill = taxonomy.skills[skill_id]
    yield from (r for r in skill.related if r in taxonomy.skills)
    for parent in skill.parents:
        if taxonomy.skills[parent].kind == "group":
            yield from (c for c in _children_index(taxonomy).get(parent, ()) if c != skill_id)


def _best_evidence(match: SkillMatch) -> list[Evidence]:
    """The match's evidence, strongest place first (applied, studied, listed), then in order."""
    order = {"applied": 0, "studied": 1, "listed": 2}

    def rank(evidence: Evidence) -> tuple[int, int]:
        if evidence.section in APPLIED_SECTIONS:
            return order["applied"], evidence.start
        if evidence.section in STUDIED_SECTIONS:
            return order["studied"], evidence.start
        return order["listed"], evidence.start

    return sorted(match.evidence, key=rank)


def _evaluate(
    item: JobRequirement,
    cv: SkillsResult,
    taxonomy: Taxonomy,
    profile: Profile | None,
    text: str | None,
) -> RequirementResult:
    requirement = item.requirement
    ids = [i for i in requirement.ids if i in taxonomy.skills] or list(requirement.ids)
    best: tuple[float, float, str, SkillMatch | None, str | None] = (0.0, 0.0, "", None, None)
    best_id = ids[0]
    best_rank: tuple[float, bool, bool] = (-1.0, False, False)
    for skill_id in ids:
        result = _credit(skill_id, cv, taxonomy)
        # ties go to the member the CV names itself, then to a specific skill over a group
        own = cv.get(skill_id)
        rank = (
            result[1],
            own is not None and own.direct,
            taxonomy.skills[skill_id].kind != "group" if skill_id in taxonomy.skills else False,
        )
        if rank > best_rank:
            best, best_id, best_rank = result, skill_id, rank
    shown, credit, strength, match, related = best
    skill = taxonomy.skills.get(best_id)
    evidence = tuple(_best_evidence(match))[:3] if match else ()
    proof = ""
    if evidence and text is not None:
        first = evidence[0]
        proof = proof_sentence(text, first.start, first.end)
    advice = None
    if credit < 1.0:
        advice = _advice(best_id, requirement, profile, shown, strength, related, taxonomy)
    return RequirementResult(
        id=best_id,
        name=skill.name if skill else best_id,
        category=skill.category if skill else "technical",
        required=requirement.required,
        weight=requirement.weight * (REQUIRED_WEIGHT if requirement.required else PREFERRED_WEIGHT),
        credit=round(credit, 4),
        label=requirement.label,
        alternatives=tuple(i for i in requirement.ids if i != best_id),
        evidence=evidence,
        related=related,
        advice=advice,
        shown=shown,
        strength=strength,
        proof=proof,
        years=item.years,
    )


def _advice(
    skill_id: str,
    requirement: Requirement,
    profile: Profile | None,
    shown: float,
    strength: str,
    related: str | None,
    taxonomy: Taxonomy,
) -> str:
    name = taxonomy.skills[skill_id].name if skill_id in taxonomy.skills else skill_id
    if requirement.label and shown < 1.0:
        name = requirement.label
    if profile is not None:
        guide = profile.advice.get(skill_id) or next(
            (profile.advice[i] for i in requirement.ids if i in profile.advice), None
        )
        if guide and shown < 1.0:
            return guide
    if related:
        other = taxonomy.skills[related].name
        return f"you show {other}, a related skill: say how it carries over, or show {name} itself"
    if shown >= 1.0 and strength in {"listed", "implied"}:
        return f"{name} is only named: show where you used it (a role or a project)"
    if shown >= 1.0:
        return f"{name} is shown in your education: a role or project using it would count more"
    kind = "requires" if requirement.required else "would like"
    return f"the job {kind} {name}: if you have used it, say where; if not, it is a gap to close"


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
) -> MatchReport:
    """Score a CV's skills against requirements (the core of ``compare`` and ``score``).

    ``cv_document`` (the parsed CV) lets the scorer read dated roles and quote the sentence
    behind each match; without it the years and role checks are left out (unknown, not 0).
    ``as_of`` is the date "present" means (default: :func:`skillmatch.profile_facts.today`).
    """
    facts = read_cv(cv_document, cv, as_of=as_of)
    text = cv_document.text if cv_document is not None else None
    results = [_evaluate(item, cv, taxonomy, profile, text) for item in requirements]
    weights: dict[str, float] = dict(DEFAULT_CATEGORY_WEIGHTS)
    if profile is not None and profile.category_weights:
        weights = {**weights, **profile.category_weights}
    coverage: dict[str, float | None] = {}
    components: list[ScoreComponent] = []
    for category in SKILL_CATEGORIES:
        in_category = [r for r in results if r.category == category]
        total = sum(r.weight for r in in_category)
        coverage[category] = (
            sum(r.weight * (r.shown or 0.0) for r in in_category) / total if total else None
        )
        value = sum(r.weight * r.credit for r in in_category) / total if total else None
        components.append(_component(category, weights.get(category, 0.0), value, in_category))
    years = tuple(getattr(requirements, "years", ()))
    degree = getattr(requirements, "degree", None)
    checks: list[Check] = []
    roles = tuple(getattr(requirements, "roles", ()))
    # without the CV's text there are no dates to read: years and roles are unknown, not missing
    dated_years = years if cv_document is not None else ()
    dated_roles = roles[:1] if cv_document is not None else ()
    experience_checks = _experience_checks(dated_years, facts, profile, taxonomy)
    role_checks = _role_checks(dated_roles, years, facts, taxonomy)
    checks.extend(role_checks)
    checks.extend(experience_checks)
    education_checks, education_weight = _education_checks(degree, facts, profile)
    checks.extend(education_checks)
    if role_checks:
        components.append(_check_component("role", weights.get("role", ROLE_WEIGHT), role_checks))
    if experience_checks:
        components.append(
            _check_component(
                "experience", weights.get("experience", EXPERIENCE_WEIGHT), experience_checks
            )
        )
    if education_checks:
        components.append(
            _check_component(
                "education",
                weights.get("education", EDUCATION_WEIGHT) * education_weight,
                education_checks,
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
    covered = {i for item in requirements for i in item.requirement.ids}
    covered |= {d for i in list(covered) if i in taxonomy.skills for d in _descendants(i, taxonomy)}
    extra_skills = [
        s for s in cv.skills if s.direct and s.category in SKILL_CATEGORIES and s.id not in covered
    ]
    order = {"applied": 0, "studied": 1, "listed": 2, "implied": 3}
    extra = tuple(sorted(extra_skills, key=lambda s: order[evidence_strength(s)]))
    extra_proof = {}
    if text is not None:
        for skill in extra:
            first = _best_evidence(skill)[0]
            extra_proof[skill.id] = proof_sentence(text, first.start, first.end)
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
    )


def _requirements_dict(
    years: Sequence[YearsRequirement], degree: DegreeRequirement | None
) -> dict[str, object]:
    return {"years": [y.to_dict() for y in years], "degree": degree.to_dict() if degree else None}


def _component(
    category: str, weight: float, value: float | None, results: list[RequirementResult]
) -> ScoreComponent:
    if value is None:
        return ScoreComponent(category, weight, None, f"the job asks for no {category} skills")
    shown = sum(1 for r in results if r.found)
    text = f"{shown} of {len(results)} {category} requirements shown"
    groups: dict[str, list[str]] = {}
    for r in results:
        name = r.label or r.name
        if r.found and r.strength in {"listed", "implied", "studied"}:
            groups.setdefault(f"{r.strength} only (x{STRENGTH_CREDIT[r.strength]:g})", []).append(
                name
            )
        elif r.related:
            groups.setdefault(f"related skill only (x{RELATED_CREDIT:g})", []).append(
                f"{name} via {r.related}"
            )
        elif not r.found:
            groups.setdefault("missing", []).append(name + ("" if r.required else " (preferred)"))
    for label, names in groups.items():
        text += f"; {label}: {', '.join(names)}"
    return ScoreComponent(category, weight, value, text)


def _check_component(name: str, weight: float, checks: list[Check]) -> ScoreComponent:
    if name == "education":
        value = _education_value(checks)
    else:
        total = sum(1.0 if c.required else PREFERRED_WEIGHT for c in checks)
        value = sum((1.0 if c.required else PREFERRED_WEIGHT) * c.value for c in checks) / total
    text = "; ".join(f"{c.name}: {c.found} ({c.value:.2f})" for c in checks)
    return ScoreComponent(name, weight, value, text)


def _experience_checks(
    years: Sequence[YearsRequirement],
    facts: CvFacts,
    profile: Profile | None,
    taxonomy: Taxonomy,
) -> list[Check]:
    checks: list[Check] = []
    total = facts.total_years
    for y in years:
        if not y.skill_ids:
            have = total
            found = (
                "no dated roles"
                if have is None
                else f"{have:.1f} years" + (" (stated)" if facts.years is None else "")
            )
            value = 0.0 if have is None else min(1.0, have / y.years)
            advice = (
                None
                if value >= 1
                else f"the job asks for {y.years:g}+ years overall; "
                "date every role (e.g. 'Jan 2018 - Mar 2021')"
            )
            checks.append(
                Check(
                    "years overall",
                    "years",
                    f"{y.years:g}+ years",
                    found,
                    value,
                    y.required,
                    advice,
                )
            )
            continue
        related = _skills_counting_for(y.skill_ids, taxonomy)
        have_skill = facts.years_with(related)
        shown = any(i in facts.strength for i in related)
        label = " or ".join(
            taxonomy.skills[i].name if i in taxonomy.skills else i for i in y.skill_ids
        )
        if have_skill is not None:
            value, found = min(1.0, have_skill / y.years), f"{have_skill:.1f} years in dated roles"
        elif shown:
            value, found = 0.5, "shown, but in no dated role"
        else:
            value, found = 0.0, "not shown"
        advice = (
            None
            if value >= 1
            else f"the job asks for {y.years:g}+ years of {label}; "
            "name it in the dated roles where you used it"
        )
        checks.append(
            Check(
                f"years of {label}",
                "years",
                f"{y.years:g}+ years",
                found,
                value,
                y.required,
                advice,
            )
        )
    if profile is not None and profile.experience:
        for kind in profile.experience:
            have = kind in facts.experience_kinds
            checks.append(
                Check(
                    taxonomy.skills[kind].name if kind in taxonomy.skills else kind,
                    "practical",
                    "evidence in the CV",
                    "shown" if have else "none",
                    1.0 if have else 0.0,
                    True,
                    None if have else _profile_text(profile, "experience_advice"),
                )
            )
    return checks


def _role_checks(
    roles: Sequence[str], years: Sequence[YearsRequirement], facts: CvFacts, taxonomy: Taxonomy
) -> list[Check]:
    """Whether the CV has held the role the ad is for (for the overall years it states)."""
    checks: list[Check] = []
    overall = next((y.years for y in years if not y.skill_ids), None)
    for role in roles:
        name = taxonomy.skills[role].name if role in taxonomy.skills else role
        have = facts.years_as(_skills_counting_for([role], taxonomy))
        headline = role in facts.headline_roles
        if have is not None:
            value = min(1.0, have / overall) if overall else 1.0
            found = f"{have:.1f} years as {name} in dated roles"
        elif headline:
            value = HEADLINE_ROLE_CREDIT
            found = "named in the CV's headline, in no dated role"
        else:
            value, found = 0.0, "not shown"
        asked = f"{overall:g}+ years as {name}" if overall else f"experience as {name}"
        advice = None
        if value < 1:
            advice = f"the ad is for a {name}: name the role in the title line of each dated job"
        checks.append(Check(f"role: {name}", "role", asked, found, value, True, advice))
    return checks


def _skills_counting_for(skill_ids: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    """The skills whose use counts as experience with ``skill_ids``: themselves, their more
    specific skills, and skills that imply them (TypeScript for JavaScript)."""
    found: list[str] = []
    for skill_id in skill_ids:
        found.append(skill_id)
        if skill_id not in taxonomy.skills:
            continue
        found.extend(_descendants(skill_id, taxonomy))
        found.extend(s.id for s in taxonomy.skills.values() if skill_id in s.implies)
    return list(dict.fromkeys(found))


def _profile_text(profile: Profile, key: str) -> str | None:
    education = profile.education or {}
    if key == "education":
        value = education.get("advice")
        return str(value) if value else None
    raw = getattr(profile, "experience_advice", None)  # not parsed by every taxonomy version
    if raw:
        return str(raw)
    return (
        "the guide recommends gaining practical experience through projects and internships "
        "and contributing to open-source projects"
    )


def _education_checks(
    degree: DegreeRequirement | None, facts: CvFacts, profile: Profile | None
) -> tuple[list[Check], float]:
    if degree is None:
        return [], 0.0
    level = degree.level or degree.preferred_level
    assert level is not None
    weight = 1.0 if degree.level else PREFERRED_WEIGHT
    have = facts.degree
    have_name = LEVEL_NAMES.get(have or "", "no degree found")
    advice = _profile_text(profile, "education") if profile else None
    if have is not None and DEGREE_ORDER.index(have) >= DEGREE_ORDER.index(level):
        level_value = 1.0
    elif have is not None:
        level_value = 0.5
    else:
        level_value = 0.0
    found = have_name
    total = facts.total_years or 0.0
    if level_value < 1.0 and degree.equivalent_experience and total >= EQUIVALENT_YEARS:
        level_value, found = (
            1.0,
            f"{have_name}; {total:.1f} years of experience accepted as equivalent",
        )
    checks = [
        Check(
            "degree",
            "degree",
            LEVEL_NAMES[level]
            + (" or equivalent experience" if degree.equivalent_experience else ""),
            found,
            level_value,
            degree.level is not None,
            None
            if level_value >= 1
            else advice or f"the job asks for a {LEVEL_NAMES[level]} degree",
        )
    ]
    field_value = 1.0
    if degree.fields:
        names = ", ".join(f.removeprefix("field:").replace("-", " ") for f in degree.fields)
        asked = names + (" or a related field" if degree.related_fields else "")
        shown = (
            ", ".join(f.removeprefix("field:").replace("-", " ") for f in facts.degree_fields)
            or "none found"
        )
        if set(facts.degree_fields) & set(degree.fields):
            field_value = 1.0
        elif degree.related_fields and set(facts.degree_fields) & QUANTITATIVE_FIELDS:
            field_value = 0.75
        elif level_value >= 1.0 and have is None:
            field_value = 1.0  # equivalent experience stands in for the degree and its field
        elif facts.degree_fields or have is not None:
            field_value = 0.25
        else:
            field_value = 0.0
        checks.append(
            Check("field", "field", asked, shown, field_value, degree.level is not None,
                  None if field_value >= 1 else advice or f"the job asks for a degree in {asked}")
        )  # fmt: skip
    if degree.level and degree.preferred_level:
        ok = have is not None and DEGREE_ORDER.index(have) >= DEGREE_ORDER.index(
            degree.preferred_level
        )
        checks.append(
            Check(
                "preferred degree",
                "degree",
                LEVEL_NAMES[degree.preferred_level],
                have_name,
                1.0 if ok else 0.0,
                False,
                None
                if ok
                else advice or f"a {LEVEL_NAMES[degree.preferred_level]} degree is preferred",
            )
        )
    return checks, weight


def _education_value(checks: Sequence[Check]) -> float:
    by_name = {c.name: c.value for c in checks}
    if "preferred degree" in by_name:
        return (
            0.6 * by_name["degree"]
            + 0.25 * by_name.get("field", 1.0)
            + 0.15 * by_name["preferred degree"]
        )
    return 0.7 * by_name["degree"] + 0.3 * by_name.get("field", 1.0)


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

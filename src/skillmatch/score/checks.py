"""The checks of a CV beyond skills: stated years (overall and per skill), practical experience
a profile asks for, the role the ad is for, and the degree. Each gives
:class:`~skillmatch.models.Check` rows and a score component (the formula is in
:mod:`skillmatch.score.scorer`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from skillmatch.models import Check, ScoreComponent
from skillmatch.score.credit import PREFERRED_WEIGHT, descendants
from skillmatch.score.cv_facts import CvFacts
from skillmatch.score.degrees import LEVEL_NAMES, DegreeRequirement, reaches
from skillmatch.score.stated_years import YearsRequirement
from skillmatch.taxonomy.model import Profile, Taxonomy

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


def check_component(name: str, weight: float, checks: list[Check]) -> ScoreComponent:
    """The score component of a list of checks: their weighted mean (required 1, preferred 0.5),
    or for ``education`` the level/field mix of the module doc of :mod:`skillmatch.score.scorer`."""
    if name == "education":
        value = _education_value(checks)
    else:
        total = sum(1.0 if c.required else PREFERRED_WEIGHT for c in checks)
        value = sum((1.0 if c.required else PREFERRED_WEIGHT) * c.value for c in checks) / total
    text = "; ".join(f"{c.name}: {c.found} ({c.value:.2f})" for c in checks)
    return ScoreComponent(name, weight, value, text)


def experience_checks(
    years: Sequence[YearsRequirement],
    facts: CvFacts,
    profile: Profile | None,
    taxonomy: Taxonomy,
) -> list[Check]:
    """One check per stated years (overall or with skills) and per kind of practical experience
    the profile names."""
    checks = [
        _skill_years_check(y, facts, taxonomy) if y.skill_ids else _overall_years_check(y, facts)
        for y in years
    ]
    if profile is not None and profile.experience:
        checks.extend(
            _practical_check(kind, facts, profile, taxonomy) for kind in profile.experience
        )
    return checks


def _overall_years_check(y: YearsRequirement, facts: CvFacts) -> Check:
    have = facts.total_years
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
    return Check("years overall", "years", f"{y.years:g}+ years", found, value, y.required, advice)


def _skill_years_check(y: YearsRequirement, facts: CvFacts, taxonomy: Taxonomy) -> Check:
    related = _skills_counting_for(y.skill_ids, taxonomy)
    have_skill = facts.years_with(related)
    shown = any(i in facts.strength for i in related)
    label = " or ".join(taxonomy.skills[i].name if i in taxonomy.skills else i for i in y.skill_ids)
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
    return Check(
        f"years of {label}", "years", f"{y.years:g}+ years", found, value, y.required, advice
    )


def _practical_check(kind: str, facts: CvFacts, profile: Profile, taxonomy: Taxonomy) -> Check:
    have = kind in facts.experience_kinds
    return Check(
        taxonomy.skills[kind].name if kind in taxonomy.skills else kind,
        "practical",
        "evidence in the CV",
        "shown" if have else "none",
        1.0 if have else 0.0,
        True,
        None if have else _profile_text(profile, "experience_advice"),
    )


def role_checks(
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


def _skills_counting_for(skill_ids: Iterable[str], taxonomy: Taxonomy) -> tuple[str, ...]:
    """The skills whose use counts as experience with ``skill_ids``: themselves, their more
    specific skills, and skills that imply them (TypeScript for JavaScript)."""
    return _counting_for(taxonomy, tuple(skill_ids))


@functools.lru_cache(maxsize=1024)  # a batch asks the same of every CV
def _counting_for(taxonomy: Taxonomy, skill_ids: tuple[str, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for skill_id in skill_ids:
        found.append(skill_id)
        if skill_id not in taxonomy.skills:
            continue
        found.extend(descendants(skill_id, taxonomy))
        found.extend(s.id for s in taxonomy.skills.values() if skill_id in s.implies)
    return tuple(dict.fromkeys(found))


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


def education_checks(
    degree: DegreeRequirement | None, facts: CvFacts, profile: Profile | None
) -> tuple[list[Check], float]:
    """The degree, field and preferred-degree checks, and the weight factor of the education
    component (1, or 0.5 when the degree is only preferred)."""
    if degree is None:
        return [], 0.0
    level = degree.level or degree.preferred_level
    assert level is not None
    weight = 1.0 if degree.level else PREFERRED_WEIGHT
    have = facts.degree
    have_name = LEVEL_NAMES.get(have or "", "no degree found")
    advice = _profile_text(profile, "education") if profile else None
    if have is not None and reaches(have, level):
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
        names = _field_names(degree.fields)
        asked = names + (" or a related field" if degree.related_fields else "")
        shown = _field_names(facts.degree_fields) or "none found"
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
        ok = have is not None and reaches(have, degree.preferred_level)
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


def _field_names(fields: Iterable[str]) -> str:
    """``field:computer-science`` ids as words: "computer science, statistics"."""
    return ", ".join(f.removeprefix("field:").replace("-", " ") for f in fields)


def _education_value(checks: Sequence[Check]) -> float:
    by_name = {c.name: c.value for c in checks}
    if "preferred degree" in by_name:
        return (
            0.6 * by_name["degree"]
            + 0.25 * by_name.get("field", 1.0)
            + 0.15 * by_name["preferred degree"]
        )
    return 0.7 * by_name["degree"] + 0.3 * by_name.get("field", 1.0)

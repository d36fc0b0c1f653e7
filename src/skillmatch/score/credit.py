"""What a CV earns for each skill a job or profile asks: CV skills vs one requirement ->
:class:`~skillmatch.models.RequirementResult` (shown, strength, credit, evidence, advice), and a
skill category's score component. The formula is in :mod:`skillmatch.score.scorer`.

How many times the CV names a skill never enters the credit: only the strongest place it is
named (:data:`STRENGTH_CREDIT`), so repeated mentions add nothing (``tests/test_flags.py``).
The evidence kept for the report is the first :data:`MAX_EVIDENCE` mentions, strongest first.
"""

from __future__ import annotations

import functools

from skillmatch.models import (
    Evidence,
    RequirementResult,
    ScoreComponent,
    SkillMatch,
    SkillsResult,
    Strength,
)
from skillmatch.score.cv_facts import STRENGTHS, evidence_strength, section_strength
from skillmatch.score.requirements import JobRequirement
from skillmatch.taxonomy.model import Profile, Requirement, Taxonomy
from skillmatch.text import proof_sentence

REQUIRED_WEIGHT = 1.0
PREFERRED_WEIGHT = 0.5
#: Credit by where the CV shows a skill (see the module doc).
STRENGTH_CREDIT = {"applied": 1.0, "studied": 0.9, "listed": 0.8, "implied": 0.75}
RELATED_CREDIT = 0.5
_RANK = {name: rank for rank, name in enumerate(STRENGTHS)}
#: How many of the CV's mentions a requirement keeps as evidence (the strongest first).
MAX_EVIDENCE = 3


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


def descendants(skill_id: str, taxonomy: Taxonomy) -> tuple[str, ...]:
    """Every more specific skill of ``skill_id``, nearest first."""
    return _descendants_of(taxonomy, skill_id)


def _strength(
    skill_id: str, cv: SkillsResult, taxonomy: Taxonomy
) -> tuple[Strength, SkillMatch | None]:
    """The best strength with which the CV shows ``skill_id`` or a more specific skill, and
    the CV match behind it (the skill's own match when it is as strong)."""
    best: tuple[Strength, SkillMatch | None] = ("", None)
    for candidate in (skill_id, *descendants(skill_id, taxonomy)):
        match = cv.get(candidate)
        if match is None:
            continue
        strength = evidence_strength(match)
        if best[1] is None or STRENGTH_CREDIT[strength] > STRENGTH_CREDIT[best[0]]:
            best = (strength, match)
    return best


def _credit(
    skill_id: str, cv: SkillsResult, taxonomy: Taxonomy
) -> tuple[float, float, Strength, SkillMatch | None, str | None]:
    """``(shown, credit, strength, CV match, related skill)`` for one skill."""
    if skill_id not in taxonomy.skills:
        return 0.0, 0.0, "", None, None
    strength, match = _strength(skill_id, cv, taxonomy)
    if match is not None:
        return 1.0, STRENGTH_CREDIT[strength], strength, match, None
    best: tuple[float, float, Strength, SkillMatch | None, str | None] = (0.0, 0.0, "", None, None)
    for related in _related_of(taxonomy, skill_id):
        shown = cv.get(related)
        if shown is not None:
            strength = evidence_strength(shown)
            credit = RELATED_CREDIT * STRENGTH_CREDIT[strength]
            if credit > best[1]:
                best = (RELATED_CREDIT, credit, strength, shown, related)
    return best


@functools.lru_cache(maxsize=4096)  # a batch asks the same of every CV
def _related_of(taxonomy: Taxonomy, skill_id: str) -> tuple[str, ...]:
    """The skills related to ``skill_id`` (its ``related`` links, then its siblings under a
    group), each once: a second sighting never earns more than the first."""
    skill = taxonomy.skills[skill_id]
    found = [r for r in skill.related if r in taxonomy.skills]
    for parent in skill.parents:
        if taxonomy.skills[parent].kind == "group":
            found.extend(c for c in _children_index(taxonomy).get(parent, ()) if c != skill_id)
    return tuple(dict.fromkeys(found))


def best_evidence(match: SkillMatch) -> list[Evidence]:
    """The match's evidence, strongest place first (applied, studied, listed), then in order."""
    return sorted(match.evidence, key=lambda e: (_RANK[section_strength(e.section)], e.start))


def evaluate(
    item: JobRequirement,
    cv: SkillsResult,
    taxonomy: Taxonomy,
    profile: Profile | None,
    text: str | None,
) -> RequirementResult:
    """How the CV meets one requirement: its best member, credit, evidence and advice (``text``,
    the CV's text, gives the sentence behind the match)."""
    requirement = item.requirement
    ids = [i for i in requirement.ids if i in taxonomy.skills] or list(requirement.ids)
    best: tuple[float, float, Strength, SkillMatch | None, str | None] = (0.0, 0.0, "", None, None)
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
    evidence = tuple(best_evidence(match))[:MAX_EVIDENCE] if match else ()
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
    strength: Strength,
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


def skill_component(
    category: str, weight: float, value: float | None, results: list[RequirementResult]
) -> ScoreComponent:
    """A skill category's component, with a text naming what is weak or missing."""
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

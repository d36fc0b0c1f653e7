"""What a CV earns for each skill a job or profile asks: CV skills vs one requirement ->
:class:`~skillmatch.models.RequirementResult` (shown, strength, credit, evidence, advice), and a
skill category's score component. The formula is in :mod:`skillmatch.score.scorer`.

How many times the CV names a skill never enters the credit: only the strongest place it is
named (:data:`STRENGTH_CREDIT`), so repeated mentions add nothing (``tests/test_flags.py``).
The evidence kept for the report is the first :data:`MAX_EVIDENCE` mentions, strongest first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from skillmatch.models import (
    Evidence,
    RequirementResult,
    ScoreComponent,
    SkillMatch,
    Strength,
)
from skillmatch.score.cv_facts import (
    APPLIED_SECTIONS,
    STRENGTHS,
    STUDIED_SECTIONS,
    CvSkills,
    section_strength,
)
from skillmatch.score.memo import by_identity
from skillmatch.score.requirements import JobRequirement
from skillmatch.score.weights import WEIGHTS
from skillmatch.taxonomy.model import Profile, Requirement, Taxonomy
from skillmatch.text import proof_sentence

REQUIRED_WEIGHT = WEIGHTS.requirement.required
PREFERRED_WEIGHT = WEIGHTS.requirement.preferred
#: Credit by where the CV shows a skill (``strength:`` in ``data/scoring.yaml``).
STRENGTH_CREDIT = WEIGHTS.strength
#: Credit for a soft skill by where the CV shows it: only evidence counts (``soft_strength:``).
SOFT_STRENGTH_CREDIT = WEIGHTS.soft_strength
RELATED_CREDIT = WEIGHTS.related
_RANK = {name: rank for rank, name in enumerate(STRENGTHS)}
#: The rank of a mention in each section where it shows more than a listed skill.
_SECTION_RANK: dict[str | None, int] = {
    s: _RANK[section_strength(s)] for s in APPLIED_SECTIONS | STUDIED_SECTIONS
}
_LISTED = _RANK["listed"]
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


def strength_credit(strength: str, category: str) -> float:
    """The credit of a skill shown with ``strength``: soft skills earn only with evidence."""
    table = SOFT_STRENGTH_CREDIT if category == "soft" else STRENGTH_CREDIT
    return table[strength]


@dataclass(frozen=True)
class _Member:
    """One skill that meets a requirement, as scoring asks of it: whether the taxonomy knows
    it, itself then its more specific skills (nearest first), its related skills, its name and
    category, whether it is a specific skill rather than a group, and the requirement's other
    skills."""

    id: str
    known: bool
    chain: tuple[str, ...]
    related: tuple[str, ...]
    name: str
    category: str
    specific: bool
    others: tuple[str, ...]


@functools.lru_cache(maxsize=4096)  # a batch asks the same of every CV
def _members(taxonomy: Taxonomy, ids: tuple[str, ...]) -> tuple[_Member, ...]:
    """The members of a requirement that count (those the taxonomy knows, else all)."""
    known = [i for i in ids if i in taxonomy.skills]
    if not known:
        return tuple(
            _Member(i, False, (i,), (), i, "technical", False, _others(ids, i)) for i in ids
        )
    members = []
    for skill_id in known:
        skill = taxonomy.skills[skill_id]
        chain = (skill_id, *descendants(skill_id, taxonomy))
        related = _related_of(taxonomy, skill_id)
        specific = skill.kind != "group"
        others = _others(ids, skill_id)
        members.append(
            _Member(skill_id, True, chain, related, skill.name, skill.category, specific, others)
        )
    return tuple(members)


def _others(ids: tuple[str, ...], skill_id: str) -> tuple[str, ...]:
    return tuple(i for i in ids if i != skill_id)


_NOTHING: tuple[float, float, Strength, SkillMatch | None, str | None] = (0.0, 0.0, "", None, None)


def _credit(
    member: _Member, cv: CvSkills
) -> tuple[float, float, Strength, SkillMatch | None, str | None]:
    """``(shown, credit, strength, CV match, related skill)`` for one skill: the best strength
    with which the CV shows it or a more specific skill (the skill's own match when it is as
    strong), else its best related skill."""
    named = cv.by_id.keys()
    if not member.known or (named.isdisjoint(member.chain) and named.isdisjoint(member.related)):
        return _NOTHING  # the common case, decided without a loop in Python
    best: SkillMatch | None = None
    best_strength: Strength = ""
    for match, strength in filter(None, map(cv.by_id.get, member.chain)):
        if best is None or STRENGTH_CREDIT[strength] > STRENGTH_CREDIT[best_strength]:
            best, best_strength = match, strength
    if best is not None:
        return 1.0, strength_credit(best_strength, member.category), best_strength, best, None
    found = _NOTHING
    for shown, strength in filter(None, map(cv.by_id.get, member.related)):
        credit = RELATED_CREDIT * strength_credit(strength, member.category)
        if credit > found[1]:
            found = (RELATED_CREDIT, credit, strength, shown, shown.id)
    return found


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
    return sorted(match.evidence, key=_evidence_rank)


def first_evidence(match: SkillMatch) -> Evidence:
    """The first of :func:`best_evidence`."""
    return min(match.evidence, key=_evidence_rank)


def _evidence_rank(evidence: Evidence) -> tuple[int, int]:
    return _SECTION_RANK.get(evidence.section, _LISTED), evidence.start


def evaluate(
    item: JobRequirement,
    cv: CvSkills,
    taxonomy: Taxonomy,
    profile: Profile | None,
    text: str | None,
) -> RequirementResult:
    """How the CV (its :func:`~skillmatch.score.cv_facts.cv_skills`) meets one requirement: its
    best member, credit, evidence and advice (``text``, the CV's text, gives the sentence behind
    the match)."""
    requirement = item.requirement
    best = _NOTHING
    members = _members(taxonomy, requirement.ids)
    chosen = members[0]
    best_rank: tuple[float, bool, bool] = (-1.0, False, False)
    absent = True  # the CV shows no member and no related skill
    for member in members:
        result = _credit(member, cv)
        if item.equivalent and result[4] is not None:  # "X or equivalent": related counts in full
            full = strength_credit(result[2], member.category)
            result = (result[0], full * WEIGHTS.related_equivalent, *result[2:])
        # ties go to the member the CV names itself, then to a specific skill over a group
        own = cv.by_id.get(member.id)
        absent = absent and result is _NOTHING and own is None
        rank = (result[1], own is not None and own[0].direct, member.specific)
        if rank > best_rank:
            best, chosen, best_rank = result, member, rank
    if absent:
        return _absent(item, chosen, taxonomy, profile)
    return _result(item, chosen, best, taxonomy, profile, text)


@by_identity(maxsize=1024)  # the same for every CV that shows none of it
def _absent(
    item: JobRequirement, chosen: _Member, taxonomy: Taxonomy, profile: Profile | None
) -> RequirementResult:
    """The result of a requirement the CV shows nothing of."""
    return _result(item, chosen, _NOTHING, taxonomy, profile, None)


def _result(
    item: JobRequirement,
    chosen: _Member,
    best: tuple[float, float, Strength, SkillMatch | None, str | None],
    taxonomy: Taxonomy,
    profile: Profile | None,
    text: str | None,
) -> RequirementResult:
    """The result of a requirement met (or not) by its member ``chosen``, as ``best`` from
    :func:`_credit`."""
    requirement = item.requirement
    shown, credit, strength, match, related = best
    best_id = chosen.id
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
        name=chosen.name,
        category=chosen.category,
        required=requirement.required,
        weight=item.weight,
        credit=round(credit, 4),
        label=requirement.label,
        alternatives=chosen.others,
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
            credit = strength_credit(r.strength, category)
            groups.setdefault(f"{r.strength} only (x{credit:g})", []).append(name)
        elif r.related:
            groups.setdefault(f"related skill only (x{RELATED_CREDIT:g})", []).append(
                f"{name} via {r.related}"
            )
        elif not r.found:
            groups.setdefault("missing", []).append(name + ("" if r.required else " (preferred)"))
    for label, names in groups.items():
        text += f"; {label}: {', '.join(names)}"
    return ScoreComponent(category, weight, value, text)

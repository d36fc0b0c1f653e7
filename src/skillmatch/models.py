"""Frozen dataclasses that flow between the stages: parse -> match -> score -> report.

Every result type has a ``to_dict()`` that gives its JSON form (see ``contract.md``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Literal

#: Version of the JSON documents skillmatch writes.
SCHEMA_VERSION = "1.0"

#: How a mention was found: an alias, a token pattern, an acronym the document defines, a
#: likely typo, or a behaviour that shows a soft skill.
EvidenceMethod = Literal["phrase", "pattern", "acronym", "fuzzy", "implied"]
#: How strongly a CV shows a requirement: used in work, studied, listed, or shown by behaviour
#: ("" when it is not shown).
Strength = Literal["applied", "studied", "listed", "implied", ""]
#: The signs of keyword gaming a report can carry.
FlagKind = Literal["hidden_text", "keyword_stuffing", "copied_job_ad"]


@dataclass(frozen=True)
class Section:
    """A titled part of a document, e.g. the *skills* or *experience* section of a CV.

    ``name`` is the canonical section kind (``skills``, ``experience``, ``education``,
    ``requirements``, ``nice-to-have``...), ``heading`` the heading as written, and
    ``start``/``end`` character offsets into :attr:`Document.text` (heading included).
    """

    name: str
    heading: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"name": self.name, "heading": self.heading, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class HiddenText:
    """Text a human reader of the document cannot see, left out of ``Document.text``.

    ``reason`` names the trick: ``invisible`` (PDF render mode 3), ``background_colour`` (fill
    colour on or close to the background), ``tiny_font``, ``off_page``, ``covered`` (under an
    opaque shape or image), ``vanish`` (DOCX hidden run), ``repeated_header`` and the like.
    ``chars`` counts the hidden characters; ``sample`` is the start of the hidden text (shown
    in reports so a recruiter can judge it); ``page`` is 1-based where the format has pages.
    """

    reason: str
    chars: int
    sample: str
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "reason": self.reason,
            "chars": self.chars,
            "sample": self.sample,
            "page": self.page,
        }


@dataclass(frozen=True)
class Document:
    """The text of one CV or job description, with where it came from.

    All evidence offsets index into ``text``; it is exactly what ``skillmatch text`` prints.
    ``pages`` holds the ``(start, end)`` offsets of each page for paged formats.
    """

    source: str
    text: str
    format: str
    pages: tuple[tuple[int, int], ...] = ()
    sections: tuple[Section, ...] = ()
    warnings: tuple[str, ...] = ()
    #: Text found in the file but hidden from a reader, left out of ``text`` (unless the
    #: caller asked to keep it: ``include_hidden=True``, then it is in ``text`` and here too).
    hidden: tuple[HiddenText, ...] = ()

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing character ``offset``, if any."""
        found: Section | None = None
        for section in self.sections:
            if section.start <= offset < section.end:
                found = section
        return found

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "source": self.source,
            "format": self.format,
            "text": self.text,
            "pages": [list(page) for page in self.pages],
            "sections": [section.to_dict() for section in self.sections],
            "hidden": [part.to_dict() for part in self.hidden],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Evidence:
    """Where and why a skill was found.

    ``text``/``start``/``end``: the surface form and its offsets into the document text.
    ``method``: ``phrase`` (alias), ``pattern`` (token pattern), ``acronym``, ``fuzzy`` or
    ``implied`` (behavioural phrase for a soft skill). ``rule``: what accepted the match
    (e.g. ``alias``, ``tech-list``, ``skills-section``). ``via``: the more specific skill this
    evidence was rolled up from (``postgresql`` for ``relational-databases``), else ``None``.
    """

    text: str
    start: int
    end: int
    method: EvidenceMethod = "phrase"
    rule: str = "alias"
    confidence: float = 1.0
    section: str | None = None
    via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "method": self.method,
            "rule": self.rule,
            "confidence": round(self.confidence, 3),
            "section": self.section,
            "via": self.via,
        }


@dataclass(frozen=True)
class SkillMatch:
    """One taxonomy skill a document shows, with every piece of evidence for it.

    ``direct`` is False when the skill is only reached through a more specific one.
    ``strength`` is ``explicit`` or ``implied`` (behavioural evidence only).
    """

    id: str
    name: str
    category: str
    evidence: tuple[Evidence, ...]
    direct: bool = True

    @functools.cached_property
    def strength(self) -> str:
        """``explicit`` when any evidence names the skill, ``implied`` when only behaviour does."""
        if any(e.method != "implied" for e in self.evidence):
            return "explicit"
        return "implied"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "direct": self.direct,
            "strength": self.strength,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class RejectedMention:
    """A mention that was found but not counted, and why (negated, aspirational, failed a gate)."""

    id: str
    text: str
    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class SkillsResult:
    """Every taxonomy skill a document shows (``skills``), and the mentions not counted."""

    source: str
    skills: tuple[SkillMatch, ...]
    rejected: tuple[RejectedMention, ...] = ()
    warnings: tuple[str, ...] = ()

    def ids(self) -> set[str]:
        """The ids of every skill shown, rolled-up ancestors included."""
        return {skill.id for skill in self.skills}

    def get(self, skill_id: str) -> SkillMatch | None:
        """The match for ``skill_id``, or ``None``."""
        return self._by_id.get(skill_id)

    @functools.cached_property
    def _by_id(self) -> dict[str, SkillMatch]:
        """The matches by id, built on the first :meth:`get` (scoring asks once per skill)."""
        by_id: dict[str, SkillMatch] = {}
        for skill in self.skills:
            by_id.setdefault(skill.id, skill)
        return by_id

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (contract: ``source``, ``skills``, ``warnings``)."""
        return {
            "version": SCHEMA_VERSION,
            "source": self.source,
            "skills": [skill.to_dict() for skill in self.skills],
            "not_counted": [mention.to_dict() for mention in self.rejected],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class RequirementResult:
    """How one requirement of a job or profile fared against a CV.

    ``id`` is the requirement's skill (for an any-of group, the member that satisfied it, or
    the first member when none did); ``alternatives`` lists the other members of an any-of group.
    ``credit`` is the share of the requirement's weight the CV earned (0..1), ``evidence`` the
    CV evidence behind it, ``related`` the CV skill that earned partial credit, if any.
    ``shown`` is the requirement's coverage credit (1 shown, 0.5 a related skill, 0 none),
    ``strength`` where the CV shows it (``applied``, ``studied``, ``listed``, ``implied``),
    ``proof`` the CV sentence behind it with the mention in ``[[...]]``, ``years`` the years
    the job states for it.
    """

    id: str
    name: str
    category: str
    required: bool
    weight: float
    credit: float
    label: str = ""
    alternatives: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    related: str | None = None
    advice: str | None = None
    shown: float | None = None
    strength: Strength = ""
    proof: str = ""
    years: float | None = None

    @property
    def met(self) -> bool:
        """True when the CV fully shows this requirement."""
        return self.credit >= 1.0

    @property
    def found(self) -> bool:
        """True when the CV shows the skill (or a member of the group), however strongly."""
        return (self.credit if self.shown is None else self.shown) >= 1.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (contract: ``id``, ``name``, ``category``, ``required``)."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "required": self.required,
            "weight": self.weight,
            "credit": round(self.credit, 3),
        }
        if self.label:
            data["label"] = self.label
        if self.alternatives:
            data["alternatives"] = list(self.alternatives)
        if self.evidence:
            data["evidence"] = [e.to_dict() for e in self.evidence]
        if self.related:
            data["related"] = self.related
        if self.advice:
            data["advice"] = self.advice
        if self.shown is not None:
            data["shown"] = self.shown
        if self.strength:
            data["strength"] = self.strength
        if self.proof:
            data["proof"] = self.proof
        if self.years is not None:
            data["years"] = self.years
        return data


@dataclass(frozen=True)
class Check:
    """An experience or education check: what the job or profile ``asked``, what the CV shows
    (``found``), the ``value`` earned (0..1) and what to do about a gap (``advice``)."""

    name: str
    kind: str
    asked: str
    found: str
    value: float
    required: bool = True
    advice: str | None = None

    @property
    def met(self) -> bool:
        """True when the check is fully met."""
        return self.value >= 1.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        data: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "asked": self.asked,
            "found": self.found,
            "value": round(self.value, 4),
            "required": self.required,
            "met": self.met,
        }
        if self.advice:
            data["advice"] = self.advice
        return data


@dataclass(frozen=True)
class ScoreComponent:
    """One weighted part of the score, with a sentence saying what moved it."""

    name: str
    weight: float
    value: float | None
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "name": self.name,
            "weight": self.weight,
            "value": None if self.value is None else round(self.value, 4),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Flag:
    """A sign that a CV tries to game keyword screening, with the evidence a recruiter checks.

    ``kind`` is ``hidden_text`` (text a reader cannot see; it was not scored),
    ``keyword_stuffing`` (a skill repeated an implausible number of times) or
    ``copied_job_ad`` (a skills list copying the job ad's wording in its order).
    """

    kind: FlagKind
    message: str
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"kind": self.kind, "message": self.message, "evidence": list(self.evidence)}


@dataclass(frozen=True)
class MatchReport:
    """A CV scored against a job description or a built-in profile."""

    cv: str
    job: str
    score: float
    coverage: dict[str, float | None]
    matched: tuple[RequirementResult, ...]
    missing: tuple[RequirementResult, ...]
    components: tuple[ScoreComponent, ...] = ()
    extra: tuple[SkillMatch, ...] = ()
    warnings: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    extra_proof: dict[str, str] = field(default_factory=dict)
    flags: tuple[Flag, ...] = ()

    @property
    def near_misses(self) -> tuple[RequirementResult, ...]:
        """The missing requirements for which the CV shows a related skill."""
        return tuple(r for r in self.missing if r.related)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (contract: ``cv``, ``job``, ``score``, ``coverage``, ``matched``,
        ``missing``, ``warnings``)."""
        return {
            "version": SCHEMA_VERSION,
            "cv": self.cv,
            "job": self.job,
            "score": self.score,
            "coverage": {k: None if v is None else round(v, 4) for k, v in self.coverage.items()},
            "matched": [r.to_dict() for r in self.matched],
            "missing": [r.to_dict() for r in self.missing],
            "components": [c.to_dict() for c in self.components],
            "extra": [{"id": s.id, "name": s.name, "category": s.category} for s in self.extra],
            "near_misses": [{"id": r.id, "related": r.related} for r in self.near_misses],
            "checks": [c.to_dict() for c in self.checks],
            "flags": [f.to_dict() for f in self.flags],
            **self.details,
            "warnings": list(self.warnings),
        }

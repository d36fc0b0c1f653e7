"""What a batch row keeps of its report for the HTML shortlist: each requirement of the job,
whether the CV meets it, and the CV sentence that proves it.

A :class:`~skillmatch.batch.rows.BatchRow` carries a :class:`RowDetail` only when the batch was
asked for one (``--format html``); the JSON, CSV and JSON Lines outputs never show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skillmatch.models import MatchReport, RequirementResult
from skillmatch.render.report import requirement_name


@dataclass(frozen=True)
class RequirementNote:
    """One requirement of the job as one CV fares on it.

    ``key`` names the requirement the same way for every CV (an any-of group by its label, a
    skill by its id); ``name`` is what a reader sees (``label: member`` for a met group);
    ``credit`` the share of its weight the CV earned; ``found`` whether the CV shows it at all;
    ``proof`` the CV sentence with the mention in ``[[...]]`` (empty when there is none);
    ``related`` the CV skill that earned partial credit for a missing one.
    """

    key: str
    name: str
    category: str
    required: bool
    credit: float
    found: bool
    proof: str = ""
    related: str | None = None
    strength: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "key": self.key,
            "name": self.name,
            "category": self.category,
            "required": self.required,
            "credit": round(self.credit, 4),
            "found": self.found,
            "proof": self.proof,
            "related": self.related,
            "strength": self.strength,
        }


@dataclass(frozen=True)
class RowDetail:
    """The requirements of one CV against one job: matched first, then missing (report order)."""

    matched: tuple[RequirementNote, ...]
    missing: tuple[RequirementNote, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "matched": [n.to_dict() for n in self.matched],
            "missing": [n.to_dict() for n in self.missing],
        }


def requirement_key(result: RequirementResult) -> str:
    """The requirement's name shared by every CV: an any-of group's label, else the skill id."""
    return f"group:{result.label}" if result.alternatives and result.label else result.id


def _note(result: RequirementResult) -> RequirementNote:
    return RequirementNote(
        key=requirement_key(result),
        name=requirement_name(result),
        category=result.category,
        required=result.required,
        credit=result.credit,
        found=result.found,
        proof=result.proof,
        related=result.related,
        strength=result.strength,
    )


def detail_of(report: MatchReport) -> RowDetail:
    """The :class:`RowDetail` of a report."""
    return RowDetail(
        matched=tuple(_note(r) for r in report.matched),
        missing=tuple(_note(r) for r in report.missing),
    )

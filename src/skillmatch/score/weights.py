"""The score's weights and constants, read once from ``data/scoring.yaml`` (their only home).

The scorer, the credit and the checks take every number from :data:`WEIGHTS`; ``--explain``
and the README quote the file rather than restate it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class RequirementWeights:
    """How important the ad makes a requirement (see ``requirement:`` in the data file)."""

    required: float
    preferred: float
    emphasis: float
    repeated: float
    repeated_max: int
    title: float
    place: dict[str, float]


@dataclass(frozen=True)
class EducationWeights:
    """The mix of the education component (``education:`` in the data file)."""

    level: float
    field: float
    with_preferred: dict[str, float]
    lower_degree: float
    related_field: float
    other_field: float
    level_needs_field: bool


@dataclass(frozen=True)
class Weights:
    """Everything in ``data/scoring.yaml``, typed."""

    requirement: RequirementWeights
    soft_share_max: float
    strength: dict[str, float]
    soft_strength: dict[str, float]
    related: float
    related_equivalent: float
    components: dict[str, float]
    checks: dict[str, float]
    education: EducationWeights
    quantitative_fields: frozenset[str]


def _floats(raw: dict[str, Any]) -> dict[str, float]:
    return {str(k): float(v) for k, v in raw.items()}


@functools.cache
def load_weights() -> Weights:
    """The weights of the built-in data file, loaded once."""
    text = resources.files("skillmatch").joinpath("data/scoring.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    req = raw["requirement"]
    edu = raw["education"]
    return Weights(
        requirement=RequirementWeights(
            required=float(req["required"]),
            preferred=float(req["preferred"]),
            emphasis=float(req["emphasis"]),
            repeated=float(req["repeated"]),
            repeated_max=int(req["repeated_max"]),
            title=float(req["title"]),
            place=_floats(req["place"]),
        ),
        soft_share_max=float(raw["soft_share_max"]),
        strength=_floats(raw["strength"]),
        soft_strength=_floats(raw["soft_strength"]),
        related=float(raw["related"]),
        related_equivalent=float(raw["related_equivalent"]),
        components=_floats(raw["components"]),
        checks=_floats(raw["checks"]),
        education=EducationWeights(
            level=float(edu["level"]),
            field=float(edu["field"]),
            with_preferred=_floats(edu["with_preferred"]),
            lower_degree=float(edu["lower_degree"]),
            related_field=float(edu["related_field"]),
            other_field=float(edu["other_field"]),
            level_needs_field=bool(edu["level_needs_field"]),
        ),
        quantitative_fields=frozenset(str(f) for f in raw["quantitative_fields"]),
    )


#: The built-in weights.
WEIGHTS = load_weights()

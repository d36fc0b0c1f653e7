"""The word lists of ``data/redact.yaml``, read once, for the redaction modules."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

__all__ = ["redact_words"]


@functools.cache
def _lists() -> dict[str, Any]:
    return dict(
        yaml.safe_load(resources.files("skillmatch").joinpath("data/redact.yaml").read_text())
    )


@functools.cache
def redact_words(key: str) -> tuple[str, ...]:
    """The list ``key`` of ``data/redact.yaml``, lower-cased, without repeats, longest first
    (so that a regex alternative tries "p.o. box" before "p.o.")."""
    return tuple(sorted({str(word).lower() for word in _lists()[key]}, key=len, reverse=True))

"""Limits on what one document may cost to read: size, pages, characters, archive expansion,
time and memory.

CVs arrive from strangers, so every reader checks these before (or while) doing the work, and
raises :class:`~skillmatch.errors.TooLargeError` (code ``too_large``) when one is passed. The
defaults are far above any real CV or job ad and far below what a crafted file can demand.
Users change them with ``--limit NAME=VALUE`` (e.g. ``--limit pages=200``, ``--limit
file-size=100MB``, ``--limit timeout=none``); from Python, pass a :class:`Limits`.

``timeout`` and ``memory`` need a separate process to be enforced (a hung C library cannot be
interrupted, only killed): the CLI reads every document in a worker process that is killed at
the limit; library calls in your own process check the other limits only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace
from typing import Any

from skillmatch.errors import TooLargeError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one document may cost; ``None`` means no limit."""

    #: Bytes of the file itself.
    file_size: int | None = 50 * MB
    #: Pages of a PDF.
    pages: int | None = 100
    #: Characters of extracted text (a 100-page CV has about 300,000).
    chars: int | None = 2_000_000
    #: Bytes a DOCX/ODT archive may expand to, all members together.
    unzipped_size: int | None = 50 * MB
    #: How many times larger than its compressed size one archive member (over 1 MB) may be;
    #: the most seen in real documents is about 32.
    zip_ratio: float | None = 100.0
    #: Members of one DOCX/ODT archive (a DOCX has a few dozen, a few hundred with many images).
    zip_entries: int | None = 10_000
    #: Seconds to read one file (enforced by killing the worker process that reads it).
    timeout: float | None = 60.0
    #: Megabytes one file may need on top of the reader's start-up memory (Linux only).
    memory: int | None = 2048

    def to_dict(self) -> dict[str, float | int | None]:
        """The JSON form: each limit by its ``--limit`` name."""
        return {_option_name(f.name): getattr(self, f.name) for f in fields(self)}


#: The limits used when none are given.
DEFAULT_LIMITS = Limits()


def describe(limits: Limits = DEFAULT_LIMITS) -> str:
    """``file-size (50 MB), pages (100), ...``: each limit's name and value, for help texts."""
    return ", ".join(
        f"{name} ({'none' if value is None else _human(value, name)}"
        f"{' s' if name == 'timeout' and value else ''}{' MB' if name == 'memory' else ''})"
        for name, value in limits.to_dict().items()
    )


_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": MB, "mb": MB, "g": 1024 * MB, "gb": 1024 * MB}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*$", re.IGNORECASE)
_BYTE_LIMITS = {"file_size", "unzipped_size"}


def _option_name(field_name: str) -> str:
    return field_name.replace("_", "-")


def with_limit(limits: Limits, spec: str) -> Limits:
    """``limits`` with one ``NAME=VALUE`` setting applied (``none`` or ``0`` lifts the limit).

    Raises :class:`ValueError` with a one-line message for an unknown name or a bad value.
    """
    name, sep, value = spec.partition("=")
    key = name.strip().lower().replace("-", "_")
    known = [f.name for f in fields(Limits)]
    if not sep or key not in known:
        names = ", ".join(_option_name(k) for k in known)
        raise ValueError(f"{spec!r}: expected NAME=VALUE with NAME one of {names}")
    changes: dict[str, Any] = {key: _parse_value(key, value.strip(), spec)}
    return replace(limits, **changes)


#: The largest value each limit takes (a week, a terabyte): beyond them the operating system's
#: own timers and memory limits overflow.
_MAXIMUM = {"timeout": 7 * 24 * 3600, "memory": 1024 * 1024}


def _parse_value(key: str, value: str, spec: str) -> float | int | None:
    """A limit's value from text: sizes take KB/MB/GB, times take an ``s`` suffix; 0 and
    ``none`` lift the limit."""
    if value.lower() in ("none", "off", "inf", "unlimited"):
        return None
    if key in _BYTE_LIMITS:
        match = _SIZE.match(value)
        if match is None:
            raise ValueError(f"{spec!r}: a size such as 20MB, 500KB or 1048576")
        size = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
        return size or None
    try:
        number = float(value.rstrip("sS") if key == "timeout" else value)
    except ValueError:
        raise ValueError(f"{spec!r}: {value!r} is not a number") from None
    if number == 0:
        return None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{spec!r}: the value must be a positive number (or none)")
    if number > _MAXIMUM.get(key, math.inf):
        raise ValueError(f"{spec!r}: at most {_MAXIMUM[key]:,} (or none)")
    if key in ("timeout", "zip_ratio"):
        return number
    if number < 1 or not number.is_integer():
        raise ValueError(f"{spec!r}: the value must be a whole number (or none)")
    return int(number)


def check_limit(
    name: str, what: str, value: float, limit: float | None, setting: str, *, partial: bool = False
) -> None:
    """Raise :class:`TooLargeError` when ``value`` is over ``limit``.

    ``what`` names the measured thing ("pages"), ``setting`` the ``--limit`` name to raise it;
    ``partial`` says reading stopped past the limit (a stream is not read to its end).
    """
    if limit is not None and value > limit:
        measured = "" if partial else f"{_human(value, setting)} {what}".strip() + ", "
        raise TooLargeError(
            f"{name}: too large: {measured}over the limit of {_human(limit, setting)}; "
            f"raise it with --limit {setting}=N if the file is genuine"
        )


def _human(value: float, setting: str) -> str:
    """``52428800`` -> ``50 MB`` for byte limits, plain numbers otherwise."""
    if setting in ("file-size", "unzipped-size"):
        if value >= 100 * MB:
            return f"{value / MB:,.0f} MB"
        return f"{value / MB:.3g} MB" if value >= MB else f"{value / 1024:.3g} KB"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"

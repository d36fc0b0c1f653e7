"""Headings -> sections: find the titled parts of a CV or job ad and their offsets.

A heading is a short line starting with a capital (or ``#``-prefixed markdown), optionally
ending in ``:``, whose words name a known section, e.g. ``WORK EXPERIENCE`` or
``What you'll do:``. A line that *starts* with a known heading followed by ``:``
(``Skills: Python, SQL``) also opens a section.
The synonyms live in ``data/sections.yaml``. Each section runs from its heading to the next
heading (or the end of the text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

import yaml

from skillmatch.models import Section

#: Document kinds that have a heading table.
KINDS = ("cv", "job")

_MAX_HEADING_CHARS = 60
_MAX_HEADING_WORDS = 8
_MARKDOWN = re.compile(r"^\s{0,3}#{1,6}\s+")
#: Every character ``str.isspace`` is true for: what ``\s`` matches.
_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: Decoration around a heading (rules, bullets, arrows), stripped before and after it.
_LEADING_DECORATION = _SPACES + "-=_*•·▪■◆►>|"
_TRAILING_DECORATION = _SPACES + "-=_*•·▪■◆►<|"
_BULLET = re.compile(r"^\s*(?:[-*+•▪■◆►]|\d+[.)])\s+\S")
_DIGIT = re.compile(r"\d")
_LETTER_SPACED = re.compile(r"^(?:\w ){2,}\w$")
_PUNCTUATION = re.compile(r"[^\w\s]")
_INLINE = re.compile(r"^\s*([^\W\d][\w '’&/-]{1,40}?)\s*:\s*\S")


@cache
def heading_table() -> dict[str, dict[str, str]]:
    """``{kind: {normalised heading: section name}}`` built from ``data/sections.yaml``."""
    raw = yaml.safe_load(resources.files("skillmatch").joinpath("data/sections.yaml").read_text())
    table: dict[str, dict[str, str]] = {}
    for kind, sections in raw.items():
        table[kind] = {
            normalise_heading(str(synonym)): name
            for name, synonyms in sections.items()
            for synonym in synonyms
        }
    return table


def normalise_heading(line: str) -> str:
    """Lower-case ``line``, read ``&`` as ``and``, drop punctuation and extra spaces."""
    line = _strip_markdown(line).strip()
    if _LETTER_SPACED.match(line):
        line = line.replace(" ", "")
    line = line.lower().replace("&", " and ").replace("’", "'")
    line = _PUNCTUATION.sub("", line)
    return " ".join(line.split())


def _strip_markdown(line: str) -> str:
    """``line`` without a leading markdown heading mark (``## ``)."""
    return _MARKDOWN.sub("", line) if "#" in line else line


def find_sections(text: str, *, kind: str | None = None) -> tuple[Section, ...]:
    """The sections of ``text`` in order, for a ``cv``, a ``job`` ad, or (``None``) either.

    With ``kind=None`` both heading tables are tried and the one that recognises more distinct
    sections wins (a CV on a tie).
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS} or None, not {kind!r}")
    kinds = (kind,) if kind else KINDS
    best: list[tuple[str, str, int]] = []
    for candidate in kinds:
        found = list(_headings(text, heading_table()[candidate]))
        if len({name for name, _, _ in found}) > len({name for name, _, _ in best}):
            best = found
    return _to_sections(text, best)


def guess_kind(text: str) -> str | None:
    """``cv`` or ``job`` by which heading table recognises more sections; ``None`` if neither."""
    counts = {k: len({n for n, _, _ in _headings(text, heading_table()[k])}) for k in KINDS}
    if not any(counts.values()):
        return None
    return "job" if counts["job"] > counts["cv"] else "cv"


def _to_sections(text: str, headings: list[tuple[str, str, int]]) -> tuple[Section, ...]:
    """Turn ``(name, heading, start)`` triples into sections ending at the next heading."""
    sections = []
    for i, (name, heading, start) in enumerate(headings):
        end = headings[i + 1][2] if i + 1 < len(headings) else len(text)
        end = start + len(text[start:end].rstrip())
        sections.append(Section(name=name, heading=heading, start=start, end=end))
    return tuple(sections)


def lines_with_offsets(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` for every line of ``text``, line breaks excluded."""
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line.rstrip("\r\n")
        offset += len(line)


def _headings(text: str, table: dict[str, str]) -> Iterator[tuple[str, str, int]]:
    """``(section name, heading as written, start offset)`` for each heading line."""
    for offset, line in lines_with_offsets(text):
        found = _match_heading(line, table)
        if found is None:
            continue
        name, heading = found
        yield name, heading, offset + line.index(heading)


def _match_heading(line: str, table: dict[str, str]) -> tuple[str, str] | None:
    """``(section name, heading text)`` when ``line`` is (or starts with) a known heading."""
    found = _heading_of(line, table)
    if found is None or _BULLET.match(line):  # (a list item is no heading)
        return None
    return found


def _heading_of(line: str, table: dict[str, str]) -> tuple[str, str] | None:
    """:func:`_match_heading` of a line that is not a list item."""
    stripped = _strip_markdown(line).lstrip(_LEADING_DECORATION).rstrip(_TRAILING_DECORATION)
    if not stripped or len(stripped) > _MAX_HEADING_CHARS:
        return None
    if stripped[0].isupper() or _MARKDOWN.match(line):
        key = normalise_heading(stripped)
        name = _lookup(key, table) if len(key.split()) <= _MAX_HEADING_WORDS else None
        if name is not None:
            return name, stripped.rstrip(":").rstrip()
    inline = _INLINE.match(line) if ":" in line else None
    if inline and inline.group(1)[0].isupper():
        name = table.get(normalise_heading(inline.group(1)))
        if name is not None:
            return name, inline.group(1)
    return None


def _lookup(key: str, table: dict[str, str]) -> str | None:
    """The section named by a normalised heading; ``X and Y`` falls back to ``X``."""
    name = table.get(key)
    if name is None and " and " in key and len(key.split()) <= 4 and not _DIGIT.search(key):
        name = table.get(key.split(" and ", 1)[0])
    return name

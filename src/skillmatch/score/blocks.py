"""Cut a job ad into blocks: what states requirements, what describes the job, what does not.

Real ads run their headings into the text ("... admin interfaces What you'll bring 4+ years of
experience ... Bonus: Experience in Django Here's what we offer you ..."). A block opens at a
heading on a line of its own (:mod:`skillmatch.read.sections`) or at a heading phrase of
``data/job_reading.yaml`` written inside a line (at a line start, before a colon, or
capitalised as headings are), and runs to the next one. Block kinds:

* ``requirements``, ``nice-to-have``, ``tags`` (a job board's technology tags): what the ad asks;
* ``responsibilities``, ``description`` (and the text before any heading): what the job does;
* ``company``, ``benefits``, ``metadata`` (job-board fields such as "Industry:"), ``legal``
  (equal-opportunity and how-to-apply text): never requirements.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, cast, get_args

import yaml

from skillmatch.models import Document

#: The kinds of block a job ad is cut into.
BlockKind = Literal[
    "requirements", "nice-to-have", "tags", "responsibilities", "description",
    "company", "benefits", "metadata", "legal",
]  # fmt: skip
BLOCK_KINDS: frozenset[str] = frozenset(get_args(BlockKind))

#: Section names of ``data/sections.yaml`` as block kinds.
_SECTION_KIND: dict[str, BlockKind] = {
    "about": "company",
    "role": "description",
    "responsibilities": "responsibilities",
    "requirements": "requirements",
    "nice-to-have": "nice-to-have",
    "benefits": "benefits",
    "equal-opportunity": "legal",
    "how-to-apply": "legal",
}


@dataclass(frozen=True)
class Block:
    """A stretch of a job ad, ``[start, end)``, its kind and the heading that opened it."""

    start: int
    end: int
    kind: BlockKind
    heading: str


@functools.cache
def reading_data() -> dict[str, Any]:
    """``data/job_reading.yaml``, loaded once."""
    text = resources.files("skillmatch").joinpath("data/job_reading.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern for ``phrases`` on word boundaries (longest first); an
    apostrophe matches ``'``, ``’`` or nothing."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        body = re.escape(phrase).replace("'", "['’]?").replace(r"\ ", r"\s+")
        head = r"\b" if phrase[0].isalnum() else ""
        tail = r"\b" if phrase[-1].isalnum() else ""
        parts.append(f"{head}{body}{tail}")
    return re.compile("|".join(parts), re.IGNORECASE)


@functools.cache
def _markers() -> tuple[tuple[BlockKind, re.Pattern[str]], ...]:
    blocks: dict[str, list[str]] = reading_data()["blocks"]
    unknown = set(blocks) - BLOCK_KINDS
    if unknown:
        raise ValueError(f"data/job_reading.yaml: unknown block kinds {sorted(unknown)}")
    return tuple(
        (cast(BlockKind, kind), phrase_pattern(phrases)) for kind, phrases in blocks.items()
    )


def not_requirement_kinds() -> frozenset[str]:
    """The block kinds whose text is never a requirement."""
    return frozenset(reading_data()["not_requirements"])


def _is_heading(text: str, start: int, end: int) -> bool:
    """A phrase found at ``[start, end)`` reads as a heading: at a line start, before a colon,
    or capitalised."""
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip():
        return True
    if text[end : end + 2].lstrip(" ").startswith(":") or text[end - 1] == ":":
        return True
    return text[start].isupper()


def job_blocks(document: Document) -> tuple[Block, ...]:
    """The blocks of a job ad, in order, covering its whole text."""
    text = document.text
    marks: list[tuple[int, BlockKind, str]] = [
        (s.start, _SECTION_KIND.get(s.name, "description"), s.name)
        for s in document.sections
        if s.name in _SECTION_KIND
    ]
    for kind, pattern in _markers():
        for match in pattern.finditer(text):
            if _is_heading(text, match.start(), match.end()):
                marks.append((match.start(), kind, match.group()))
    marks.sort(key=lambda m: (m[0], -len(m[2])))
    kept: list[tuple[int, BlockKind, str]] = [(0, "description", "")]
    for mark in marks:
        if mark[0] < kept[-1][0] + len(kept[-1][2]):
            continue  # a phrase inside the heading just found ("job description" in "... :")
        kept.append(mark)
    blocks = []
    before: BlockKind = "description"  # the kind a one-line metadata field returns to
    for i, (start, kind, heading) in enumerate(kept):
        end = kept[i + 1][0] if i + 1 < len(kept) else len(text)
        if kind == "metadata":
            field_end = _field_end(text, start + len(heading))
            if field_end < end:
                blocks.append(Block(start, field_end, kind, heading))
                start, kind, heading = field_end, before, ""
        else:
            before = kind
        if end > start:
            blocks.append(Block(start, end, kind, heading))
    return tuple(blocks)


def _field_end(text: str, value_start: int) -> int:
    """Where a job-board field's value ends: its line's end, or the next line's when the
    label stands alone on its line ("Industry:" then the industries)."""
    newline = text.find("\n", value_start)
    if newline < 0:
        return len(text)
    if text[value_start:newline].strip():
        return newline
    following = text.find("\n", newline + 1)
    return len(text) if following < 0 else following


def block_at(blocks: tuple[Block, ...], offset: int) -> Block | None:
    """The block holding ``offset``."""
    for block in blocks:
        if block.start <= offset < block.end:
            return block
    return None


def title_end(document: Document, blocks: tuple[Block, ...] = (), limit: int = 300) -> int:
    """Where the ad's title ends: its first line, up to the first heading run into it (at most
    ``limit`` characters)."""
    text = document.text
    stripped = len(text) - len(text.lstrip())
    newline = text.find("\n", stripped)
    end = len(text) if newline < 0 else newline
    for block in blocks:
        if stripped < block.start < end:
            end = block.start
            break
    return min(end, stripped + limit)

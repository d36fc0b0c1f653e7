"""Per-document acronyms: "Natural Language Processing (NLP)" makes a later "NLP" count.

A definition is a skill mention followed by a parenthesised acronym, or an acronym followed by a
parenthesised skill mention ("NLP (natural language processing)"). The acronym must look like one
(2-8 characters, two or more capitals) and its letters must appear, in order, in the long form,
starting with its first letter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Acronym:
    """An acronym the document defines: its text, the skill, and where it was defined."""

    text: str
    skill_id: str
    long_form: str
    token: int  # index of the acronym token in the definition


def looks_like_acronym(text: str) -> bool:
    """Two to eight letters or digits (``&`` allowed) with at least two capitals."""
    return (
        2 <= len(text) <= 8
        and sum(c.isupper() for c in text) >= 2
        and all(c.isalnum() or c == "&" for c in text)
    )


def abbreviates(acronym: str, long_form: str) -> bool:
    """Whether the letters of ``acronym`` appear in order in ``long_form``, first to first."""
    letters = [c for c in acronym.lower() if c.isalpha()]
    words = [w for w in long_form.lower().replace("-", " ").split() if w]
    if len(letters) < 2 or not words or letters[0] != words[0][0]:
        return False
    text = " ".join(words)
    position = 0
    for letter in letters:
        position = text.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def find_acronyms(
    doc: Doc, words: list[str], mentions: Iterable[tuple[str, int, int]]
) -> dict[str, Acronym]:
    """The acronyms ``doc`` defines, given its token texts ``words`` and ``(skill_id, start,
    end)`` token spans of mentions."""
    found: dict[str, Acronym] = {}
    n = len(words)
    for skill_id, start, end in mentions:
        # "Natural Language Processing (NLP)"
        if end + 2 < n and words[end] == "(" and words[end + 2] == ")":
            _define(found, words[end + 1], skill_id, doc[start:end].text, end + 1)
        # "NLP (Natural Language Processing)"
        if start >= 2 and end < n and words[start - 1] == "(" and words[end] == ")":
            _define(found, words[start - 2], skill_id, doc[start:end].text, start - 2)
    return found


def _define(found: dict[str, Acronym], short: str, skill_id: str, long_form: str, at: int) -> None:
    """Record ``short`` as defined by ``long_form`` if it abbreviates it (the first stands)."""
    if looks_like_acronym(short) and abbreviates(short, long_form) and short != long_form:
        found.setdefault(short, Acronym(short, skill_id, long_form, at))

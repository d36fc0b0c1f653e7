"""Names in scripts without capital letters, for :mod:`skillmatch.read.redact_names`.

A Latin, Cyrillic or Greek name is found by its capitals; most of the world's scripts have none.
There, a name is found by where it stands and by its shape, in two kinds of script:

* **unspaced** scripts (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar), where words run together
  ("张伟负责", "김민준은"): a name is a short run of letters ("张伟", "김민준", "ジョン・スミス",
  "สมชาย ใจดี"), and is found everywhere as a substring, with and without its separators;
* **spaced** caseless scripts (Arabic, Hebrew, Devanagari, Bengali, Tamil, Georgian, Ethiopic,
  ...): a name is two to four words of one script ("محمد علي", "राहुल शर्मा"), found everywhere as
  whole words (after a one-letter proclitic too: Arabic "و" + name, "and ...").

A unit (a part of a line, see :mod:`skillmatch.read.redact_names`) is a name when all its letters
are of one caseless script, it has that shape, and it is no heading or label of the lists in
``data/redact.yaml`` (after a title such as "السيد" or "นาย" is dropped). Which unit is the
candidate's name is decided by position (the first name-like unit near the top, or after a
"Name:" label in any language); the redaction warning names the scripts and lines it could not
decide on, never their text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from skillmatch.read.redact_words import redact_words

__all__ = [
    "ScriptLists",
    "caseless_scripts",
    "name_parts",
    "name_positions",
    "name_script",
    "script_lists",
    "script_name",
    "script_of",
    "script_title",
]

#: Scripts with capital letters: their names are found by their capitals, not here.
_CASED = frozenset(["LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "COPTIC", "GLAGOLITIC", "DESERET"])
#: Scripts that write words without spaces between them: names are found as substrings.
_UNSPACED = frozenset(["HAN", "KANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN"])
#: Scripts written right to left: a PDF may hold their text in visual order, reversed.
_RIGHT_TO_LEFT = frozenset(["ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO"])
#: Unicode name prefixes read as one script.
_SCRIPT_ALIASES = {
    "CJK": "HAN",
    "HIRAGANA": "KANA",
    "KATAKANA": "KANA",
    "KATAKANA-HIRAGANA": "KANA",
}
#: How scripts are named in messages.
_TITLES = {"HAN": "Chinese or Japanese (Han)", "KANA": "Japanese (kana)", "HANGUL": "Korean"}
#: Separators inside a name ("王 小明", "ジョン・スミス", "王·小明").
_SEPARATORS = re.compile(r"[ \u3000·・=＝]+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HANGUL = "\uac00-\ud7af"
_KANA = "\u30a0-\u30ff"
#: The shapes of a name in Han, Hangul or katakana (2-4 characters, or two parts).
_CJK_NAME = re.compile(
    rf"[{_HAN}]{{2,4}}|[{_HAN}]{{1,2}}[ \u3000·・][{_HAN}]{{1,3}}|[{_HANGUL}]{{2,4}}"
    rf"|[{_HANGUL}]{{1,2}} [{_HANGUL}]{{1,3}}|[{_KANA}]{{2,8}}[・=＝][{_KANA}]{{2,8}}"
)


@dataclass(frozen=True)
class ScriptLists:
    """The lists of ``data/redact.yaml`` this module uses."""

    name_labels: tuple[str, ...]
    titles: tuple[str, ...]
    not_names: frozenset[str]
    particles: frozenset[str]
    proclitics: frozenset[str]


@functools.cache
def script_lists() -> ScriptLists:
    """The lists, read once."""
    return ScriptLists(
        name_labels=redact_words("name_labels"),
        titles=redact_words("script_titles"),
        not_names=frozenset(
            redact_words("cjk_not_names")
            + redact_words("script_not_names")
            + redact_words("name_labels")
        ),
        particles=frozenset(redact_words("script_particles")),
        proclitics=frozenset(redact_words("proclitics")),
    )


@functools.lru_cache(maxsize=8192)
def script_of(char: str) -> str:
    """The script of a letter or mark ("LATIN", "ARABIC", "HAN", ...); "" for anything else."""
    if char.isascii():
        return "LATIN" if char.isalpha() else ""
    if not (char.isalpha() or unicodedata.category(char).startswith("M")):
        return ""
    word = unicodedata.name(char, "").split(" ", 1)[0]
    return _SCRIPT_ALIASES.get(word, word)


def script_title(script: str) -> str:
    """A script's name for a message: "Arabic", "Korean", "Chinese or Japanese (Han)"."""
    return _TITLES.get(script, script.title())


def _script_of_unit(unit: str) -> str | None:
    """The caseless script every letter of ``unit`` is written in, or ``None``."""
    scripts = {script_of(char) for char in unit if char.isalpha() or not char.isascii()}
    scripts.discard("")
    if len(scripts) != 1:
        return None
    [script] = scripts
    return None if script in _CASED else script


def caseless_scripts(text: str) -> list[str]:
    """The caseless scripts ``text`` is written in, most used first (a letter of each counts)."""
    counts: dict[str, int] = {}
    if text.isascii():
        return []
    for char, count in Counter(text).items():  # counted in C: one step per distinct character
        if not char.isascii() and char.isalpha():
            script = script_of(char)
            if script not in _CASED:
                counts[script] = counts.get(script, 0) + count
    return sorted(counts, key=lambda script: -counts[script])


def _without_title(unit: str) -> str:
    """``unit`` without a leading title ("السيد", "श्री", "นาย"; Thai titles are written on)."""
    low = unit.lower()
    for title in script_lists().titles:
        if low.startswith(title):
            rest = unit[len(title) :]
            if rest[:1].isspace() or (rest and script_of(rest[0]) == "THAI"):
                return rest.strip()
    return unit


def script_name(unit: str) -> str | None:
    """``unit`` if it is a name in a caseless script (its title dropped), else ``None``."""
    unit = _without_title(unit.strip(" \t\u3000:：-–—|()[]\"'“”«»"))
    script = _script_of_unit(unit)
    if script is None or unit.lower() in script_lists().not_names:
        return None
    if any(char.isdigit() for char in unit) or len(unit) > 40:
        return None
    if script in ("HAN", "HANGUL", "KANA"):
        return unit if _CJK_NAME.fullmatch(unit) else None
    parts = _SEPARATORS.split(unit)
    if script in _UNSPACED:  # Thai, Lao ...: given name and family name, spaced
        return unit if 2 <= len(parts) <= 3 and all(2 <= len(p) <= 20 for p in parts) else None
    if not 2 <= len(parts) <= 4 or any(len(part) < 2 for part in parts):
        return None
    if any(part.lower() in script_lists().not_names for part in parts):
        return None
    return unit


def name_script(name: str) -> str | None:
    """The caseless script ``name`` is written in, or ``None`` (a cased script: Latin, ...)."""
    return _script_of_unit(name)


def name_parts(name: str) -> list[str]:
    """The parts of a caseless-script name masked on their own: its words (particles such as
    "بن" left out); for a Han or Hangul name written without a space, its given name (the last
    two characters of three or four)."""
    script = _script_of_unit(name)
    parts = [part for part in _SEPARATORS.split(name) if part]
    if len(parts) == 1 and script in ("HAN", "HANGUL") and len(name) >= 3:
        return [name[-2:]]
    return [
        part
        for part in parts
        if len(part) >= 2 and part.lower() not in script_lists().particles and part != name
    ]


def name_positions(text: str, name: str) -> Iterator[tuple[int, int]]:
    """Where ``name`` (a name or part in a caseless script) stands in ``text``: anywhere in an
    unspaced script (with or without its separators), else as whole words (after a one-letter
    proclitic too: the name alone is masked); a right-to-left name also reversed (the visual
    order some PDFs hold: its reading then gives the name backwards)."""
    script = _script_of_unit(name)
    if script in _UNSPACED:
        for form in {name, _SEPARATORS.sub("", name)}:
            position = text.find(form)
            while position >= 0:
                yield position, position + len(form)
                position = text.find(form, position + 1)
        return
    forms = {name, name[::-1]} if script in _RIGHT_TO_LEFT else {name}
    for form in forms:
        words = _SEPARATORS.split(form)
        pattern = re.compile(r"[ \t\u00a0]+".join(re.escape(word) for word in words))
        for found in pattern.finditer(text):
            start, end = found.span()
            if _letter(text, end) or (_letter(text, start - 1) and not _proclitic(text, start - 1)):
                continue
            yield start, end


def _letter(text: str, index: int) -> bool:
    """Whether ``text[index]`` exists and continues a word (a letter, digit or mark)."""
    if not 0 <= index < len(text):
        return False
    char = text[index]
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def _proclitic(text: str, index: int) -> bool:
    """Whether ``text[index]`` is a one-letter proclitic ("و", "ב") that starts a word."""
    return text[index] in script_lists().proclitics and not _letter(text, index - 1)

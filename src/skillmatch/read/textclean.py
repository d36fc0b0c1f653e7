"""Text clean-up for extracted PDF text: compatibility characters and line-end hyphenation.

Applied before :attr:`Document.text` is built, so offsets index the cleaned text.
"""

from __future__ import annotations

import re
import unicodedata

_HYPHENS = str.maketrans({"\u00ad": "-", "\u2010": "-", "\u2011": "-"})
#: Lines made only of these (separators left between removed icons) are dropped.
_SEPARATORS = " |/·•-–—,;:"
_CID = re.compile(r"\(cid:\d+\)")
_HYPHENATED = re.compile(r"(\w+)-\n(\w+)")
_WORD_CHARS = re.compile(r"\w\w")
#: First parts that make real compounds ("self-\nmotivated" stays "self-motivated").
HYPHEN_PREFIXES = frozenset(
    [
        "self",
        "non",
        "cross",
        "well",
        "end",
        "full",
        "real",
        "high",
        "low",
        "open",
        "cloud",
        "data",
        "event",
        "user",
        "test",
        "team",
        "client",
        "server",
        "front",
        "back",
        "web",
        "deep",
        "hands",
        "cutting",
        "state",
        "one",
        "two",
        "three",
        "scikit",
        "long",
        "short",
        "first",
        "second",
        "third",
        "top",
        "mid",
        "fine",
        "multi",
    ]
)
#: Second parts that make real compounds ("data-\ndriven" stays "data-driven").
HYPHEN_SUFFIXES = frozenset(
    [
        "based",
        "driven",
        "oriented",
        "aware",
        "level",
        "scale",
        "side",
        "time",
        "end",
        "source",
        "facing",
        "focused",
        "native",
        "learn",
        "tuning",
        "tuned",
        "like",
        "wide",
        "specific",
        "related",
        "free",
        "friendly",
        "ready",
        "first",
        "making",
        "solving",
        "term",
        "world",
        "critical",
        "intensive",
        "efficient",
        "stack",
        "commerce",
        "mail",
        "service",
        "services",
        "house",
        "tier",
        "grade",
        "up",
        "down",
        "to",
        "the",
        "of",
        "on",
        "in",
    ]
)


def clean_page_text(text: str) -> str:
    """NFKC-normalise, drop ``(cid:N)`` placeholders, repair line-end hyphenation, tidy spaces."""
    text = unicodedata.normalize("NFKC", _CID.sub("", text)).translate(_HYPHENS)
    text = join_hyphenated(text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line.strip(_SEPARATORS))


def join_hyphenated(text: str) -> str:
    """Join words split by a line-end hyphen, keeping the hyphen of real compounds.

    The hyphen stays when the hyphenated form appears elsewhere in the text, the second part
    starts with a capital, a part holds a digit, the first part is one letter, both parts are
    the same word, or either part is a common compound part; it goes when the joined word
    appears elsewhere or nothing says it is a compound ("manage-\\nment").
    """
    if not _has_line_end_hyphen(text):
        return text
    vocabulary = {word.lower() for word in re.findall(r"\w+(?:-\w+)*", text)}

    def join(match: re.Match[str]) -> str:
        first, second = match.group(1), match.group(2)
        if _keep_hyphen(first, second, vocabulary):
            return f"{first}-{second}"
        return f"{first}{second}"

    return _HYPHENATED.sub(join, text)


def _has_line_end_hyphen(text: str) -> bool:
    """True when ``_HYPHENATED`` can match: a word character on both sides of a "-\\n".
    (Searching with that pattern tries a word at every letter of the page: 50x slower.)"""
    at = text.find("-\n")
    while at != -1:
        if 0 < at < len(text) - 2 and _WORD_CHARS.match(text[at - 1] + text[at + 2]):
            return True
        at = text.find("-\n", at + 1)
    return False


def _keep_hyphen(first: str, second: str, vocabulary: set[str]) -> bool:
    """True when ``first-second`` is a real hyphenated compound."""
    joined = f"{first}{second}".lower()
    if f"{first}-{second}".lower() in vocabulary:
        return True
    if joined in vocabulary:
        return False
    if second[0].isupper() or _has_digit(second) or _has_digit(first):
        return True  # a name, a code or an address ("aditya-rathore-\nb460"), not a word
    if len(first) == 1 or first.lower() == second.lower():
        return True  # "K-\nmeans", "X-\nframework", "different-\ndifferent": no syllable split
    return first.lower() in HYPHEN_PREFIXES or second.lower() in HYPHEN_SUFFIXES


def _has_digit(word: str) -> bool:
    return any(char.isdigit() for char in word)

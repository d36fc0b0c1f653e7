"""Text clean-up for extracted PDF text: compatibility characters and line-end hyphenation.

Applied before :attr:`Document.text` is built, so offsets index the cleaned text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

#: Hyphens read as "-": soft, Unicode and non-breaking.
_HYPHENS = ("\u00ad", "\u2010", "\u2011")
#: White space other than " " and "\n" (what ``str.split()`` also splits at).
_ODD_ASCII_SPACES = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f"
_ODD_SPACES = _ODD_ASCII_SPACES + (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028"
    "\u2029\u202f\u205f\u3000"
)
#: Lines made only of these (separators left between removed icons) are dropped.
_SEPARATORS = " |/·•-–—,;:"
_CID = re.compile(r"\(cid:\d+\)")
_WORD = re.compile(r"\w+")
_HYPHENATED_WORD = re.compile(r"\w+(?:-\w+)*")
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
    text = unicodedata.normalize("NFKC", _CID.sub("", text))
    for hyphen in _HYPHENS:  # str.translate() would be 50 times slower
        if hyphen in text:
            text = text.replace(hyphen, "-")
    text = join_hyphenated(text)
    lines = text.split("\n")
    if not _spaces_tidy(text):
        lines = [" ".join(line.split()) for line in lines]
    return "\n".join(line for line in lines if line.strip(_SEPARATORS))


def _spaces_tidy(text: str) -> bool:
    """True when every line of ``text`` is already ``" ".join(line.split())``: no white space
    but single spaces between words (checked for the whole page at once)."""
    if "  " in text or " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " ":
        return False
    odd = _ODD_ASCII_SPACES if text.isascii() else _ODD_SPACES
    return not any(space in text for space in odd)


def join_hyphenated(text: str) -> str:
    """Join words split by a line-end hyphen, keeping the hyphen of real compounds.

    The hyphen stays when the hyphenated form appears elsewhere in the text, the second part
    starts with a capital, a part holds a digit, the first part is one letter, both parts are
    the same word, or either part is a common compound part; it goes when the joined word
    appears elsewhere or nothing says it is a compound ("manage-\\nment").
    """
    splits = list(_line_end_splits(text))
    if not splits:
        return text
    vocabulary = {word.lower() for word in set(_HYPHENATED_WORD.findall(text))}
    pieces: list[str] = []
    done = 0
    for start, hyphen, end in splits:
        first, second = text[start:hyphen], text[hyphen + 2 : end]
        joint = "-" if _keep_hyphen(first, second, vocabulary) else ""
        pieces += [text[done:start], first, joint, second]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _line_end_splits(text: str) -> Iterator[tuple[int, int, int]]:
    """The start, hyphen and end of each word split by a line-end hyphen ("manage-\\nment"),
    as the pattern ``(\\w+)-\\n(\\w+)`` finds them from left to right (searching with the
    pattern tries a word at every letter of the page: 50x slower)."""
    done = 0
    hyphen = text.find("-\n")
    while hyphen != -1:
        start = hyphen
        while start > done and _is_word_char(text[start - 1]):
            start -= 1
        second = _WORD.match(text, hyphen + 2)
        if start < hyphen and second:
            yield start, hyphen, second.end()
            done = second.end()
            hyphen = text.find("-\n", done)
        else:
            hyphen = text.find("-\n", hyphen + 1)


def _is_word_char(char: str) -> bool:
    """What ``\\w`` matches."""
    return char.isalnum() or char == "_"


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

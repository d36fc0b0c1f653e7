"""Blind screening: mask names, e-mail addresses, phone numbers and URLs in a Document.

Every character of personal data is replaced by :data:`MASK` ("█"), one for one, so the text
keeps its length and every offset, page and section stays valid; the matcher then runs on the
masked text (the tokenizer splits "█" off as a symbol, and no skill alias contains it).

Without a NER model, names are found from the layout of a CV: the candidate's name is the
first name-like line near the top ("Name:" lines too), else a name-like line holding a piece
of an e-mail address's local part or of the file name; referees are names after an honorific
("Dr. Jane Roe"), after a cue ("Referee: Jane Roe") or in a References section. Every
capitalised occurrence of the candidate's full name and of each of its words is then masked.
Lower-case occurrences stay ("will", "swift"), except the name run together ("janedoe").

Known misses: one-word names, names of five words or more, a name that is neither near the
top nor matches the e-mail address or file name, people named in running text without an
honorific or cue, and obfuscated addresses ("jane [at] example.org"). Word lists live in
``data/redact.yaml``.

    >>> from skillmatch.redact import find_personal_data
    >>> [span.kind for span in find_personal_data("Jane Doe\\nEmail: jane@example.org")]
    ['name', 'email']
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from skillmatch.models import Document

__all__ = ["KINDS", "MASK", "Span", "find_names", "find_personal_data", "redact_document"]

#: The mask character: a symbol the tokenizer splits off, found in no skill alias.
MASK = "█"
#: The kinds of personal data, in the order they are reported (and win overlaps).
KINDS = ("name", "email", "phone", "url")
_PRIORITY = ("email", "url", "phone", "name")
_PLURALS = {
    "name": ("name", "names"),
    "email": ("e-mail address", "e-mail addresses"),
    "phone": ("phone number", "phone numbers"),
    "url": ("URL", "URLs"),
}
#: Lines near the top of a CV searched for the candidate's name, and units (line parts) in them.
_TOP_LINES = 8
_TOP_UNITS = 12


@dataclass(frozen=True)
class Span:
    """Personal data at ``text[start:end]``: ``kind`` is ``name``, ``email``, ``phone``, ``url``."""

    kind: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"kind": self.kind, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class _Words:
    """The word lists of ``data/redact.yaml``."""

    not_name: frozenset[str]
    org: frozenset[str]
    particles: frozenset[str]
    honorifics: frozenset[str]
    cues: tuple[str, ...]
    not_email_names: frozenset[str]
    tlds: tuple[str, ...]
    not_domains: frozenset[str]


@functools.cache
def _words() -> _Words:
    raw = yaml.safe_load(resources.files("skillmatch").joinpath("data/redact.yaml").read_text())

    def words(key: str) -> frozenset[str]:
        return frozenset(str(word).lower() for word in raw[key])

    return _Words(
        not_name=words("not_name_words")
        | words("org_words")
        | {h for h in _headings() if " " not in h},
        org=words("org_words"),
        particles=words("particles"),
        honorifics=words("honorifics"),
        cues=tuple(str(cue) for cue in raw["name_cues"]),
        not_email_names=words("not_email_names"),
        tlds=tuple(sorted(words("tlds"), key=len, reverse=True)),
        not_domains=words("not_domains"),
    )


@functools.cache
def _headings() -> frozenset[str]:
    """Every section heading (normalised), for both CVs and job ads."""
    from skillmatch.sections import heading_table

    return frozenset(key for table in heading_table().values() for key in table)


# --------------------------------------------------------------------------- patterns

#: Patterns start with a literal or a small class (no leading look-behind), so the regex
#: engine skips ahead quickly; the boundaries are checked after a hit.
_EMAIL_AT = re.compile(r"@(?:[\w-]+\.)+[A-Za-z]{2,}(?![\w-])")
_EMAIL_LOCAL = frozenset("._%+-'’")
#: A run of 7+ characters of digits, spaces, dots, hyphens and brackets: a possible phone.
_DIGIT_RUN = re.compile(r"[0-9][0-9 ().\-]{5,}[0-9]")
#: A phone-like run: optional "+", digit groups (or "(020)") joined by one space, dot or hyphen.
_PHONE = re.compile(
    r"(?<![\w.,/+\-–£$€¥₹#])"
    r"(?:\+ ?)?(?:\(\+?\d{1,5}\)|\d{1,12})"
    r"(?:(?:[ .\-]|(?<=\)))(?:\(\d{1,5}\)|\d{1,12}))*"
    r"(?![\w%£$€/])(?![.,]\d)"
)
_PHONE_CUE = re.compile(
    r"(?:(?<![^\W\d_])(?:phone|tel|telephone|mobile|mob|cell|ph|contact|call|whatsapp|fax|m|t)|☎|📞)"
    r"\s*(?:no\.?|number|#)?\s*[:.\-]?\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SCHEME = re.compile(r"://[^\s<>\"'`|,•·()\[\]{}]+")
_WWW = re.compile(r"[wW]{3}\.[^\s<>\"'`|,•·()\[\]{}]+")
_URL_PATH = re.compile(r"/[^\s<>\"'`|,•·()\[\]{}]*")
_URL_TRAIL = ".,;:!?'\"”’)]}>*"
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")


@functools.cache
def _dot_tld() -> re.Pattern[str]:
    """A dot and a known top-level domain (lower case): where bare domains are looked for."""
    tlds = "|".join(re.escape(tld) for tld in _words().tlds)
    return re.compile(rf"\.(?:{tlds})(?![A-Za-z0-9-])")


_URL_CUE = re.compile(
    r"(?:web\s?site|web|site|home\s?page|portfolio|blog|url|linkedin|github|gitlab|twitter|x"
    r"|profile|online)\s*[:\-–]\s*$",
    re.IGNORECASE,
)

#: Separators between the parts of a line ("Jane Doe | Data Scientist", "Jane Doe, MBA").
_UNIT_SPLIT = re.compile(r"\s*(?:[|,;:•·●▪■◆►\t/]|\s[-–—]\s|\s{2,}|\\x[0-9a-f]{2})\s*")
_STRIP = " \t\"'“”‘’*#-–—=_.()[]"
_NAME_LABEL = re.compile(r"(?:name|NAME|Name)[ \t]*[:\-–][ \t]*([^\n]+)")
_REFERENCES = re.compile(r"(?:referees|references)[ \t]*:?[ \t]*(?:\n|$)")
_DOCUMENT_OF = re.compile(r"^(?:r[eé]sum[eé]|cv|curriculum vitae)\s+of\s+", re.IGNORECASE)
_ALPHA_RUN = re.compile(r"[^\W\d_]+")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


# --------------------------------------------------------------------------- names


def _is_name_word(word: str) -> bool:
    """A capitalised word of letters, apostrophes and hyphens ("O'Brien", "Castellan-Hart")."""
    if len(word) < 2 or not word[0].isupper():
        return False
    if not all(c.isalpha() or c in "'’-" for c in word) or word[-1] in "'’-":
        return False
    return word.lower() not in _words().not_name and not any(
        part.lower() in _words().not_name for part in word.split("-")
    )


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 and word[0].isupper() and word[0].isalpha()


def _name_in(unit: str, *, prefix: bool = False) -> str | None:
    """``unit`` if it is a person's name (2-4 capitalised words, particles and initials
    allowed); with ``prefix``, the name at the start of ``unit`` ("Allen King ESB Developer")."""
    unit = _DOCUMENT_OF.sub("", unit.strip(_STRIP))
    words = unit.split()
    if len(words) < 2 or (not prefix and (len(words) > 6 or any(c.isdigit() for c in unit))):
        return None
    taken: list[str] = []
    significant = 0
    upper = None
    for index, word in enumerate(words):
        if index and word.lower() in _words().particles:
            taken.append(word)
            continue
        if _is_initial(word):
            taken.append(word)
            continue
        if significant == 4 and _is_name_word(word):
            return None  # five name-like words in a row: a title or a list, not a name
        if not _is_name_word(word):
            if word.lower().strip(",.") in _words().org:
                return None  # "Harrowgate Energy Systems": an organisation
            if word.isalpha() and word.islower():
                return None  # "Built APIs in ...": a sentence
            break
        if upper is None:
            upper = word.isupper()
        elif word.isupper() != upper:
            break
        taken.append(word)
        significant += 1
    if len(taken) < len(words) and not prefix:
        return None
    while taken and (taken[-1].lower() in _words().particles or _is_initial(taken[-1])):
        taken.pop()
    if significant < 2 or significant > 4:
        return None
    if " ".join(taken).lower() in _headings():
        return None
    return " ".join(taken)


def _units(line: str) -> list[str]:
    return [unit for unit in _UNIT_SPLIT.split(line) if unit.strip(_STRIP)]


@functools.cache
def _honorific() -> re.Pattern[str]:
    """An honorific written "Dr", "DR" or "Dr." and the words after it."""
    forms = {word.title() for word in _words().honorifics}
    forms |= {word.upper() for word in _words().honorifics if len(word) > 2}  # not "MS Excel"
    alternatives = "|".join(sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})\.?[ \t]+((?:[^\W\d_][\w'’.-]*[ \t]*){{1,4}})")


@functools.cache
def _cue() -> re.Pattern[str]:
    """A cue before someone else's name, in lower-cased text ("referee 1:", "contact -")."""
    cues = "|".join(re.escape(cue).replace(r"\ ", r"\s+") for cue in _words().cues)
    return re.compile(rf"(?:{cues})s?[ \t]*\d*[ \t]*[:\-–][ \t]*([^\n]+)")


class _Scan:
    """One pass over a text: its lower-cased form and e-mail addresses, computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()
        #: The lower-cased text when it keeps the offsets (it does unless, e.g., "İ" is in it).
        self.low = lowered if len(lowered) == len(text) else None
        self.emails = list(_emails(text))

    def before_is_word(self, start: int) -> bool:
        return start > 0 and (self.text[start - 1].isalnum() or self.text[start - 1] in "_█")


def _emails(text: str) -> Iterator[Span]:
    """E-mail addresses, found from their "@"."""
    for found in _EMAIL_AT.finditer(text):
        start = found.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _EMAIL_LOCAL):
            start -= 1
        while start < found.start() and text[start] in ".'’-":
            start += 1
        if start < found.start() and text[found.start() - 1] not in ".'’-":
            yield Span("email", start, found.end())


def _email_tokens(scan: _Scan) -> set[str]:
    """Name-like pieces of the e-mail local parts ("priya.castellan-hart" -> priya, castellan,
    hart; "eKertzmann" -> kertzmann)."""
    tokens: set[str] = set()
    for span in scan.emails:
        local = scan.text[span.start : span.end].split("@", 1)[0]
        for run in _ALPHA_RUN.findall(local):
            pieces = _CAMEL.findall(run) if not run.islower() and not run.isupper() else [run]
            for piece in pieces:
                piece = piece.lower()
                if len(piece) >= 3 and piece not in _words().not_email_names:
                    tokens.add(piece)
    return tokens


def _candidate_name(scan: _Scan, source: str) -> str | None:
    """The candidate's name: a "Name:" line, the first name-like line near the top, a
    name-like line holding an e-mail piece, or two words of the file name found in the text."""
    text = scan.text
    top = text[:3000]
    for label in _NAME_LABEL.finditer(top):
        if scan.before_is_word(label.start()):
            continue
        units = _units(label.group(1))
        name = _name_in(units[0], prefix=True) if units else None
        if name:
            return name
    lines = [line for line in top.splitlines() if line.strip()][:_TOP_LINES]
    units = [unit for line in lines for unit in _units(line)][:_TOP_UNITS]
    for unit in units:
        name = _name_in(unit, prefix=True)
        if name:
            return name
    tokens = _email_tokens(scan)
    if tokens:
        for line in text.splitlines():
            if not any(token in line.lower() for token in tokens):
                continue
            for unit in _units(line):
                if any(word.lower() in tokens for word in re.split(r"[\s\-]+", unit)):
                    name = _name_in(unit)
                    if name:
                        return name
    base = os.path.basename(source)
    runs = [run.lower() for run in _ALPHA_RUN.findall(os.path.splitext(base)[0])]
    for first, last in itertools.pairwise(runs):
        if len(first) < 2 or len(last) < 2 or (scan.low is not None and first not in scan.low):
            continue
        pattern = rf"(?<!\w){re.escape(first)}\s+{re.escape(last)}(?!\w)"
        for found in re.finditer(pattern, text, re.IGNORECASE):
            if found.group()[0].isupper() and _name_in(found.group()):
                return " ".join(found.group().split())
    return None


def _referees(scan: _Scan) -> Iterator[str]:
    """Other people's names: after an honorific or a cue, or in a References section."""
    text = scan.text
    for found in _honorific().finditer(text):
        if scan.before_is_word(found.start()):
            continue
        name_words = []
        for word in found.group(1).split():
            if _is_name_word(word) or _is_initial(word):
                name_words.append(word)
            else:
                break
        while name_words and _is_initial(name_words[-1]):
            name_words.pop()
        if name_words:
            yield " ".join(name_words)
    low = scan.low
    if low is None or not any(cue.split()[0] in low for cue in _words().cues):
        return
    for found in _cue().finditer(low):
        if scan.before_is_word(found.start()):
            continue
        units = _units(text[found.start(1) : found.end(1)])
        if units:
            name = _name_in(_strip_honorific(units[0]), prefix=True)
            if name:
                yield name
    for heading in _REFERENCES.finditer(low):
        line_start = low.rfind("\n", 0, heading.start()) + 1
        if low[line_start : heading.start()].strip(" \t#*"):
            continue
        for line in text[heading.end() : heading.end() + 1500].splitlines()[:15]:
            if line.strip() and _normalised(line) in _headings():
                break
            units = _units(line)
            name = _name_in(_strip_honorific(units[0])) if units else None
            if name:
                yield name


def _strip_honorific(unit: str) -> str:
    words = unit.split()
    if words and words[0].rstrip(".").lower() in _words().honorifics:
        return " ".join(words[1:])
    return unit


def _normalised(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", line.lower()).split())


def find_names(text: str, *, source: str = "") -> tuple[str, ...]:
    """The names ``text`` holds: the candidate's first (or ``""`` when none was found), then
    referees and other people named after an honorific or a cue. ``source`` is the file
    name, a last clue to the candidate's name ("jane_doe_cv.pdf")."""
    return _find_names(_Scan(text), source)


def _find_names(scan: _Scan, source: str) -> tuple[str, ...]:
    candidate = _candidate_name(scan, source) or ""
    others = dict.fromkeys(name for name in _referees(scan) if name != candidate)
    return (candidate, *others)


def _name_tokens(name: str) -> list[str]:
    """The maskable words of ``name``: each word of 2+ letters and each part of a hyphenated one."""
    tokens: list[str] = []
    for word in name.split():
        if word.lower() in _words().particles or len(word.rstrip(".")) < 2:
            continue
        tokens.append(word)
        if "-" in word:
            tokens.extend(part for part in word.split("-") if len(part) >= 2)
    return tokens


@dataclass(frozen=True)
class _Names:
    """What to mask as names: whole phrases (full names: the candidate's, referees') and
    single words (the candidate's name words and e-mail pieces)."""

    phrases: tuple[str, ...]
    tokens: tuple[str, ...]
    #: The candidate's name written as one lower-case word ("janedoe", "jdoe"), in any case.
    handles: tuple[str, ...] = ()

    def spans(self, text: str, low: str | None = None) -> list[Span]:
        """Capitalised whole-word occurrences of the phrases and tokens (any case after the
        first letter; a possessive "'s" included), as non-overlapping spans."""
        if low is None:
            lowered = text.lower()
            low = lowered if len(lowered) == len(text) else None
        hits: list[tuple[int, int]] = []
        for phrase in self.phrases:
            words = phrase.split()
            if not words:
                continue
            pattern = re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)
            hits.extend(
                found.span()
                for position in _positions(text, low, words[0].lower())
                if (found := pattern.match(text, position)) and not _is_word_char(text, found.end())
            )
        for token in self.tokens:
            hits.extend(
                (position, position + len(token))
                for position in _positions(text, low, token.lower())
                if not _is_word_char(text, position + len(token))
            )
        for handle in self.handles:
            hits.extend(
                (position, position + len(handle))
                for position in _positions(text, low, handle)
                if not _is_word_char(text, position + len(handle))
            )
        hits.sort(key=lambda hit: (hit[0], -hit[1]))
        spans: list[Span] = []
        for start, end in hits:
            if spans and start < spans[-1].end:
                continue
            if not text[start].isupper() and text[start:end].lower() not in self.handles:
                continue
            if text[end : end + 2] in ("'s", "’s") and not _is_word_char(text, end + 2):
                end += 2
            elif text[end : end + 1] in ("'", "’") and not _is_word_char(text, end + 1):
                end += 1
            spans.append(Span("name", start, end))
        return spans


def _positions(text: str, low: str | None, word: str) -> Iterator[int]:
    """Where ``word`` (lower case) starts a word in ``text``, in any case."""
    if low is None:
        pattern = re.compile(rf"(?<![\w█]){re.escape(word)}", re.IGNORECASE)
        yield from (found.start() for found in pattern.finditer(text))
        return
    position = low.find(word)
    while position >= 0:
        if not _is_word_char(text, position - 1):
            yield position
        position = low.find(word, position + 1)


def _is_word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] in "_█")


def _names(scan: _Scan, source: str) -> _Names:
    candidate, *others = _find_names(scan, source)
    tokens = [*_name_tokens(candidate), *sorted(_email_tokens(scan))]
    words = [word.lower().replace("-", "") for word in candidate.split() if len(word) >= 2]
    handles = {first + last for first in words[:1] for last in words[1:]}
    handles |= {first[0] + last for first in words[:1] for last in words[1:] if len(last) >= 4}
    return _Names(
        phrases=(candidate, *others),
        tokens=tuple(dict.fromkeys(tokens)),
        handles=tuple(sorted(handles)),
    )


# --------------------------------------------------------------------------- contact data


def _phones(text: str) -> Iterator[Span]:
    for run in _DIGIT_RUN.finditer(text):
        for found in _PHONE.finditer(text, max(0, run.start() - 2), run.end() + 2):
            if _is_phone(found.group(), text[max(0, found.start() - 25) : found.start()]):
                yield Span("phone", found.start(), found.end())


def _is_phone(value: str, before: str) -> bool:
    """Whether a digit run is a phone number, not a year, date, range, amount or version."""
    groups = _DIGITS.findall(value)
    digits = sum(len(group) for group in groups)
    plus = value.startswith("+") or value.startswith("(+")
    cue = bool(_PHONE_CUE.search(before))
    if before.rstrip().endswith(("£", "$", "€", "¥", "₹")) or not 7 <= digits <= 15:
        return False
    if len(groups) == 1:
        if plus:
            return digits >= 8
        return cue or (value.startswith("0") and 10 <= digits <= 12)
    if plus or cue or value.startswith("("):
        return True
    if any(_YEAR.fullmatch(group) for group in groups) and all(
        _YEAR.fullmatch(group) or len(group) <= 2 for group in groups
    ):
        return False  # 2019-2023, 2021-03-15, 15.03.2021
    if all(group.endswith("00") for group in groups):
        return False  # 500-1000: round numbers
    if digits <= 8 and any(_YEAR.fullmatch(group) for group in groups):
        return False  # 0207 2009, 20010-11: a month and a year
    if len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:]):
        return False  # 1 234 567, 1.234.567: a thousands grouping
    # 10000-20000: a range
    return not (len(groups) == 2 and "-" in value and len(groups[0]) >= 4 and value[0] != "0")


def _urls(text: str) -> Iterator[Span]:
    """URLs: with a scheme or "www.", a bare domain with a path ("github.com/jane"), a bare
    domain of three labels or more ("jane.example.net"), or of two after a cue ("Website:")."""
    for found in _SCHEME.finditer(text):
        start = found.start()
        while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
            start -= 1
        if start < found.start():
            yield Span("url", start, _trim_url(text, start, found.end()))
    for found in _WWW.finditer(text):
        if not _is_word_char(text, found.start() - 1) and not text.endswith(".", 0, found.start()):
            yield Span("url", found.start(), _trim_url(text, found.start(), found.end()))
    not_domains = _words().not_domains
    tlds = frozenset(_words().tlds)
    done = -1
    for found in _dot_tld().finditer(text):
        if found.start() < done:
            continue
        start = found.start()
        while start > 0 and text[start - 1] in _HOST_CHARS:
            start -= 1
        end = found.end()
        while end < len(text) and text[end] in _HOST_CHARS:
            end += 1
        while end > found.end() and text[end - 1] in ".-":
            end -= 1
        done = end
        host = text[start:end]
        labels = host.split(".")
        if labels[-1] not in tlds or (
            start and (text[start - 1] in "@/_" or _is_word_char(text, start - 1))
        ):
            continue
        if not all(_LABEL.fullmatch(label) for label in labels) or host.lower() in not_domains:
            continue
        path = _URL_PATH.match(text, end)
        if path:
            done = path.end()
            yield Span("url", start, _trim_url(text, start, path.end()))
        elif len(labels) >= 3 or _URL_CUE.search(text, text.rfind("\n", 0, start) + 1, start):
            yield Span("url", start, end)


def _trim_url(text: str, start: int, end: int) -> int:
    """``end`` without trailing punctuation (a closing bracket stays when one opened)."""
    while end > start and text[end - 1] in _URL_TRAIL:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


# --------------------------------------------------------------------------- API


def find_personal_data(text: str, *, source: str = "") -> list[Span]:
    """Every name, e-mail address, phone number and URL in ``text``, in order, not overlapping.

    ``source`` (a file name) is a last clue to the candidate's name. Where two kinds overlap,
    the e-mail address wins over the URL, the URL over the phone number, and those over a name.
    """
    scan = _Scan(text)
    return _find(scan, _names(scan, source))


def _find(scan: _Scan, names: _Names) -> list[Span]:
    text = scan.text
    found: dict[str, Iterable[Span]] = {
        "email": scan.emails,
        "url": _urls(text),
        "phone": _phones(text),
        "name": names.spans(text, scan.low),
    }
    starts: list[int] = []
    kept: list[Span] = []
    for kind in _PRIORITY:
        for span in found[kind]:
            if span.end <= span.start:
                continue
            index = bisect.bisect_right(starts, span.start)
            if index and kept[index - 1].end > span.start:
                continue
            if index < len(kept) and kept[index].start < span.end:
                continue
            starts.insert(index, span.start)
            kept.insert(index, span)
    return kept


def _mask(text: str, spans: Iterable[Span]) -> str:
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(MASK * (span.end - span.start))
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def _mask_source(source: str, names: _Names) -> str:
    """``source`` with the name's words (and the name written as one word) masked in its base
    name: "cvs/jane-doe-cv.pdf" -> "cvs/████-███-cv.pdf", "JaneDoe.pdf" -> "███████.pdf"."""
    if not source or source == "-":
        return source
    head, base = os.path.split(source)
    tokens = {t.lower() for t in names.tokens}
    for phrase in names.phrases:
        tokens.update(t.lower() for t in _name_tokens(phrase))
    joined = {a + b for a in tokens for b in tokens if a != b}
    joined |= {a[0] + b for a in tokens for b in tokens if a != b}

    def hide(found: re.Match[str]) -> str:
        run = found.group()
        if run.lower() in tokens or run.lower() in joined:
            return MASK * len(run)
        pieces = _CAMEL.findall(run)
        if "".join(pieces) == run and len(pieces) > 1:
            return "".join(MASK * len(p) if p.lower() in tokens else p for p in pieces)
        return run

    return os.path.join(head, _ALPHA_RUN.sub(hide, base)) if head else _ALPHA_RUN.sub(hide, base)


def _summary(counts: dict[str, int]) -> str:
    parts = [
        f"{counts[kind]} {_PLURALS[kind][counts[kind] != 1]}" for kind in KINDS if counts[kind]
    ]
    message = "redacted: " + (", ".join(parts) if parts else "nothing found")
    if not counts["name"]:
        message += "; no name found, check the text for the candidate's name"
    return message


def redact_document(document: Document) -> Document:
    """A copy of ``document`` for blind screening: every name, e-mail address, phone number
    and URL in its text (and in its hidden-text samples and section headings) replaced by
    :data:`MASK` characters, one for one, so offsets, pages and sections stay valid; the
    name's words masked in the file name; and a warning that counts what was removed
    ("redacted: 1 name, 2 e-mail addresses, 1 phone number, 3 URLs")."""
    scan = _Scan(document.text)
    names = _names(scan, document.source)
    spans = _find(scan, names)
    counts = dict.fromkeys(KINDS, 0)
    for span in spans:
        counts[span.kind] += 1
    hidden = tuple(
        dataclasses.replace(part, sample=_mask(part.sample, _find(_Scan(part.sample), names)))
        for part in document.hidden
    )
    sections = tuple(
        dataclasses.replace(section, heading=_mask(section.heading, names.spans(section.heading)))
        for section in document.sections
    )
    return dataclasses.replace(
        document,
        source=_mask_source(document.source, names),
        text=_mask(document.text, spans),
        sections=sections,
        hidden=hidden,
        warnings=(*document.warnings, _summary(counts)),
    )

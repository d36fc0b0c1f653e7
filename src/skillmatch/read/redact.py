"""Blind screening: mask names, e-mail addresses, phone numbers and URLs in a Document.

Every character of personal data is replaced by :data:`MASK` ("█"), one for one, so the text
keeps its length and every offset, page and section stays valid; the matcher then runs on the
masked text (the tokenizer splits "█" off as a symbol, and no skill alias contains it).

Names are found without a NER model, from the layout of a CV (:mod:`skillmatch.read.redact_names`
says how, and which names it misses), in any script (:mod:`skillmatch.read.redact_scripts`:
Chinese, Arabic, Devanagari, Thai ... names, which have no capitals); e-mail addresses, phone
numbers and URLs by their form; obfuscated e-mail addresses, handles, street addresses and
postcodes by :mod:`skillmatch.read.redact_contact`. The warning says what may remain, never the
text itself (no name found; a name-like line in Arabic script left unmasked; other people's names
in a script without capitals). Word lists live in ``data/redact.yaml``.

    >>> from skillmatch.read.redact import find_personal_data
    >>> [span.kind for span in find_personal_data("Jane Doe\\nEmail: jane@example.org")]
    ['name', 'email']
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from skillmatch.models import Document
from skillmatch.read.redact_address import (
    cjk_addresses,
    contact_addresses,
    labelled_addresses,
    po_boxes,
)
from skillmatch.read.redact_contact import (
    handles,
    obfuscated_emails,
    postcodes,
    streets,
)
from skillmatch.read.redact_names import (
    NameMasks,
    Scan,
    find_names,
    is_word_char,
    mask_file_name,
    name_masks,
    unmasked_names,
    word_lists,
)

__all__ = ["KINDS", "MASK", "Span", "find_names", "find_personal_data", "redact_document"]

#: The mask character: a symbol the tokenizer splits off, found in no skill alias.
MASK = "█"
#: The kinds of personal data, in the order they are reported.
KINDS = ("name", "email", "phone", "url", "handle", "address")
#: Which kind wins where two overlap.
_PRIORITY = ("email", "url", "handle", "phone", "address", "name")
_PLURALS = {
    "name": ("name", "names"),
    "email": ("e-mail address", "e-mail addresses"),
    "phone": ("phone number", "phone numbers"),
    "url": ("URL", "URLs"),
    "handle": ("handle", "handles"),
    "address": ("street address or postcode", "street addresses and postcodes"),
}


@dataclass(frozen=True)
class Span:
    """Personal data at ``text[start:end]``: ``kind`` is one of :data:`KINDS`."""

    kind: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"kind": self.kind, "start": self.start, "end": self.end}


# --------------------------------------------------------------------------- patterns

# Patterns start with a literal or a small class (no leading look-behind), so the regex
# engine skips ahead quickly; the boundaries are checked after a hit. E-mail addresses are
# found in skillmatch.read.redact_names: their local parts are a clue to the candidate's name.

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
    tlds = "|".join(re.escape(tld) for tld in word_lists().tlds)
    return re.compile(rf"\.(?:{tlds})(?![A-Za-z0-9-])")


_URL_CUE = re.compile(
    r"(?:web\s?site|web|site|home\s?page|portfolio|blog|url|linkedin|github|gitlab|twitter|x"
    r"|profile|online)\s*[:\-–]\s*$",
    re.IGNORECASE,
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
        if not is_word_char(text, found.start() - 1) and not text.endswith(".", 0, found.start()):
            yield Span("url", found.start(), _trim_url(text, found.start(), found.end()))
    not_domains = word_lists().not_domains
    tlds = frozenset(word_lists().tlds)
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
            start and (text[start - 1] in "@/_" or is_word_char(text, start - 1))
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
    scan = Scan(text)
    return _find(scan, name_masks(scan, source))


def _find(scan: Scan, names: NameMasks) -> list[Span]:
    text = scan.text
    emails = [*scan.emails, *obfuscated_emails(text)]
    found: dict[str, Iterable[Span]] = {
        "email": [Span("email", start, end) for start, end in emails],
        "url": _urls(text),
        "handle": [Span("handle", start, end) for start, end in handles(text)],
        "phone": _phones(text),
        "address": [Span("address", start, end) for start, end in _addresses(text)],
        "name": _name_spans(names, text, scan.low),
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


def _addresses(text: str) -> list[tuple[int, int]]:
    """Address spans, longest first where they start together (a labelled address holds the
    street and postcode found in it)."""
    found = [
        *labelled_addresses(text),
        *contact_addresses(text),
        *po_boxes(text),
        *streets(text),
        *postcodes(text),
        *cjk_addresses(text),
    ]
    return sorted(found, key=lambda span: (span[0], -span[1]))


def _mask(text: str, spans: Iterable[Span]) -> str:
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(MASK * (span.end - span.start))
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def _name_spans(names: NameMasks, text: str, low: str | None = None) -> list[Span]:
    return [Span("name", start, end) for start, end in names.find(text, low)]


def _summary(counts: dict[str, int], notes: Sequence[str] = ()) -> str:
    """The warning: what was masked, by kind, then what may remain (``notes``)."""
    parts = [
        f"{counts[kind]} {_PLURALS[kind][counts[kind] != 1]}" for kind in KINDS if counts[kind]
    ]
    message = "redacted: " + (", ".join(parts) if parts else "nothing found")
    if not counts["name"]:
        message += "; no name found, check the text for the candidate's name"
    return "; ".join([message, *notes])


def redact_document(document: Document) -> Document:
    """A copy of ``document`` for blind screening: every name, e-mail address, phone number
    and URL in its text (and in its hidden-text samples and section headings) replaced by
    :data:`MASK` characters, one for one, so offsets, pages and sections stay valid; the
    name's words masked in the file name; and a warning that counts what was removed
    ("redacted: 1 name, 2 e-mail addresses, 1 phone number, 3 URLs")."""
    scan = Scan(document.text)
    names = name_masks(scan, document.source)
    spans = _find(scan, names)
    counts = dict.fromkeys(KINDS, 0)
    for span in spans:
        counts[span.kind] += 1
    hidden = tuple(
        dataclasses.replace(part, sample=_mask(part.sample, _find(Scan(part.sample), names)))
        for part in document.hidden
    )
    sections = tuple(
        dataclasses.replace(
            section, heading=_mask(section.heading, _name_spans(names, section.heading))
        )
        for section in document.sections
    )
    text = _mask(document.text, spans)
    return dataclasses.replace(
        document,
        source=mask_file_name(document.source, names, mask=MASK),
        text=text,
        sections=sections,
        hidden=hidden,
        warnings=(*document.warnings, _summary(counts, unmasked_names(text, MASK))),
    )

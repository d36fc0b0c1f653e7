"""Addresses that hold no street word, for :mod:`skillmatch.read.redact` (the street forms are
:func:`skillmatch.read.redact_contact.streets`):

* the value of an **address label** in any language ("Address: 12 Elmwood, Bristol",
  "地址：...", "العنوان: ..."; on the next line when the label stands alone);
* **post-office boxes** ("P.O. Box 1234", "Postfach 12 34", "ص.ب 1234");
* in the **contact block** (the top lines, and the lines beside an e-mail address), a line part
  that is a house number and capitalised words ("45 Kingsway", "Flat 3, 12 Elmwood"), with the
  town, postcode and country after it up to the next separator ("|", "•", a tab);
* **Chinese, Japanese and Korean** addresses by their administrative units ("北京市海淀区...1号",
  "〒100-0005 東京都千代田区丸の内1-2-3", "서울특별시 강남구 테헤란로 123").

Each finder yields ``(start, end)`` spans. The word lists live in ``data/redact.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from skillmatch.read.redact_contact import looks_like_a_year
from skillmatch.read.redact_words import redact_words

__all__ = [
    "AddressLists",
    "address_lists",
    "cjk_addresses",
    "contact_addresses",
    "contact_lines",
    "labelled_addresses",
    "po_boxes",
]

#: Top lines of a text that are its contact block (with the lines beside an e-mail address).
CONTACT_LINES = 12
#: A line part: characters up to a separator ("|", "•", a tab, two spaces).
_LINE_PART = re.compile(r"(?:[^|•·●▪■◆►\t\n ]| (?! ))+")


@dataclass(frozen=True)
class AddressLists:
    """The lists of ``data/redact.yaml`` this module uses."""

    labels: tuple[str, ...]
    po_boxes: tuple[str, ...]
    house_prefixes: tuple[str, ...]
    cjk_marks: tuple[str, ...]
    hangul_endings: tuple[str, ...]
    not_house_words: frozenset[str]
    particles: frozenset[str]


@functools.cache
def address_lists() -> AddressLists:
    """The lists, read once."""
    return AddressLists(
        labels=redact_words("address_labels"),
        po_boxes=redact_words("po_boxes"),
        house_prefixes=redact_words("house_prefixes"),
        cjk_marks=redact_words("cjk_address_marks"),
        hangul_endings=redact_words("hangul_address_endings"),
        not_house_words=frozenset(redact_words("not_name_words")),
        particles=frozenset(redact_words("particles")),
    )


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word).replace(r"\ ", r"\s*") for word in words)


# --------------------------------------------------------------------------- labels, boxes


@functools.cache
def _label() -> re.Pattern[str]:
    labels = _alternatives(address_lists().labels)
    return re.compile(rf"(?<![\w])(?:{labels})[ \t\u3000]*[:：][ \t\u3000]*", re.IGNORECASE)


def _part(text: str, start: int) -> tuple[int, int]:
    """The line part that starts at ``start`` (up to a separator or the line's end), trimmed."""
    found = _LINE_PART.match(text, start)
    return _trimmed(text, start, found.end() if found else start)


def labelled_addresses(text: str) -> Iterator[tuple[int, int]]:
    """The value after an address label, or the next line when the label ends its line."""
    for found in _label().finditer(text):
        before = text[text.rfind("\n", 0, found.start()) + 1 : found.start()]
        if before.strip(" \t•·-*|") and not before.endswith(("  ", "\t", "|", "•", "| ")):
            continue  # "Keynote Address: ...": a word before it, not a field of the CV
        start = found.end()
        while start < len(text) and text[start] in "-–— \t":
            start += 1  # "Address:- ..."
        if start < len(text) and text[start] == "\n":
            start += 1
        start, end = _part(text, start)
        value = text[start:end]
        if end > start and "@" not in value and not value.endswith(":") and ":" not in value[:20]:
            yield start, end


@functools.cache
def _po_box() -> re.Pattern[str]:
    boxes = _alternatives(address_lists().po_boxes)
    return re.compile(
        rf"(?<![\w])(?:{boxes})[ \t]*(?:no\.?|#|:)?[ \t]*[A-Z]?\d[\d \-]{{0,10}}\d?(?![\w])",
        re.IGNORECASE,
    )


def po_boxes(text: str) -> Iterator[tuple[int, int]]:
    """Post-office boxes and their numbers ("P.O. Box 1234", "Postfach 12 34")."""
    for found in _po_box().finditer(text):
        yield found.start(), found.end() - (len(found.group()) - len(found.group().rstrip()))


# --------------------------------------------------------------------------- contact block


@functools.cache
def _house() -> re.Pattern[str]:
    """A line part that opens with a house number and a capitalised word ("45 Kingsway")."""
    prefixes = _alternatives(address_lists().house_prefixes)
    return re.compile(
        rf"(?:(?:{prefixes})[ \t]*\w{{1,5}},?[ \t]+)?"
        r"(\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?),?[ \t]+([A-ZÀ-Ý][\w'’.-]+)",
        re.IGNORECASE,
    )


def contact_lines(text: str) -> list[tuple[int, int]]:
    """The contact block as line spans: the first :data:`CONTACT_LINES` non-empty lines, and
    each line holding an "@" with the lines beside it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    filled = [index for index, (s, e) in enumerate(spans) if text[s:e].strip()]
    keep = set(filled[:CONTACT_LINES])
    for index, (start, end) in enumerate(spans):
        if "@" in text[start:end]:
            keep.update(range(max(0, index - 1), min(len(spans), index + 2)))
    return [spans[index] for index in sorted(keep)]


def contact_addresses(text: str) -> Iterator[tuple[int, int]]:
    """In the contact block, a line part made of a house number and capitalised words, with
    what follows it in that part (town, postcode, country)."""
    lists = address_lists()
    for line_start, line_end in contact_lines(text):
        for part in _LINE_PART.finditer(text, line_start, line_end):
            start, end = _trimmed(text, part.start(), part.end())
            found = _house().match(text, start, end)
            if found and _is_house(found, text[start:end], lists):
                yield start, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without trailing commas, semicolons, dots and spaces."""
    while end > start and text[end - 1] in " ,;.":
        end -= 1
    return start, end


#: A count and a noun ("14 Publications"), in a comma-separated list after a house-like start.
_COUNT = re.compile(r"\d{1,5}\s+[A-Z][a-z]+(?:\s|$)")


def _is_house(found: re.Match[str], part: str, lists: AddressLists) -> bool:
    """Whether a house-number match is an address, not "5 Years Experience" or "2019 Google"."""
    number, word = found.group(1), found.group(2).lower().strip(".")
    if looks_like_a_year(number) or {word, word.removesuffix("s")} & lists.not_house_words:
        return False
    rest = part[found.end(1) - found.start() :]
    words = rest.replace(",", " ").split()
    if "@" in part or not 1 <= len(words) <= 9 or part.endswith(":"):
        return False
    if any(_COUNT.match(piece.strip()) for piece in rest.split(",")[1:]):
        return False  # "2 Patents, 14 Publications": a list of counts
    # names, towns, postcodes and countries: no lower-case word ("5 Years Experience in Python")
    return all(w[0].isupper() or any(c.isdigit() for c in w) or w in lists.particles for w in words)


# --------------------------------------------------------------------------- CJK


_HAN_KANA = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(rf"[{_HAN_KANA}0-9０-９ー\-－]{{4,60}}")
_JAPANESE_POSTCODE = re.compile(r"〒\s*\d{3}-?\d{4}")


@functools.cache
def _hangul_address() -> re.Pattern[str]:
    endings = _alternatives(address_lists().hangul_endings)
    word = rf"[\uac00-\ud7af]+(?:{endings})"
    return re.compile(rf"(?:{word}\s+){{1,4}}{word}?\s*\d{{1,5}}(?:-\d{{1,5}})?(?:번지|호)?")


def cjk_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Chinese and Japanese addresses (a run of Han, kana and digits with two address marks and
    a digit; a "〒" postcode before it), Korean ones (address words, then a number)."""
    marks = address_lists().cjk_marks
    for found in _JAPANESE_POSTCODE.finditer(text):
        yield found.span()
    for found in _CJK_RUN.finditer(text):
        run = found.group()
        if any(c.isdigit() for c in run) and sum(mark in run for mark in marks) >= 2:
            yield found.span()
    if any("\uac00" <= char <= "\ud7af" for char in text):
        for found in _hangul_address().finditer(text):
            yield found.span()

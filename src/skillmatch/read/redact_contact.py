"""Personal data that is neither a Latin-script name nor a plain e-mail, phone or URL: obfuscated
e-mail addresses ("jane at example dot com", "jane [at] example.org"), messenger and social
handles ("Skype: live:jane.doe_1", "@janedoe" near the top), street addresses ("221B Baker
Street", "Hauptstraße 12", "12 rue de la Paix") and postcodes ("SW1A 1AA", "CA 94103", "10115
Berlin"). Names in scripts without capital letters are :mod:`skillmatch.read.redact_scripts`'.

Each finder yields ``(start, end)`` spans; :mod:`skillmatch.read.redact` masks them. Word lists
live in ``data/redact.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from skillmatch.read.redact_words import redact_words


@dataclass(frozen=True)
class ContactLists:
    """The word lists of ``data/redact.yaml`` this module uses."""

    handle_cues: tuple[str, ...]
    street_words: tuple[str, ...]
    street_suffixes: tuple[str, ...]
    street_prefixes: tuple[str, ...]
    us_states: frozenset[str]
    not_postcode_units: frozenset[str]
    tlds: tuple[str, ...]


@functools.cache
def contact_lists() -> ContactLists:
    """The word lists, read once."""
    return ContactLists(
        handle_cues=redact_words("handle_cues"),
        street_words=redact_words("street_words"),
        street_suffixes=redact_words("street_suffixes"),
        street_prefixes=redact_words("street_prefixes"),
        us_states=frozenset(redact_words("us_states")),
        not_postcode_units=frozenset(redact_words("not_postcode_units")),
        tlds=redact_words("tlds"),
    )


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words)


# --------------------------------------------------------------------------- e-mail, handles

_AT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+|\s+AT\s+|\s*\(@\)\s*|\s*\[@\]\s*)"
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\s+DOT\s+)"


@functools.cache
def _obfuscated_email() -> re.Pattern[str]:
    tlds = _alternatives(contact_lists().tlds)
    label = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    # "jane at example dot com" (both spelled), "jane [at] example.com" (the at bracketed)
    spelled = rf"{label}(?:(?:{_DOT}|\.){label})*{_DOT}(?:{tlds})"
    bracketed_at = rf"{label}(?:(?:{_DOT}|\.){label})*(?:{_DOT}|\.)(?:{tlds})"
    local = r"[A-Za-z0-9][A-Za-z0-9._%+-]*"
    return re.compile(
        rf"(?<![\w.]){local}(?:{_AT}{spelled}|(?:\s*[\[({{<]\s*at\s*[\])}}>]\s*|\s*[\[(]@[\])]\s*)"
        rf"{bracketed_at})(?![\w-])",
        re.IGNORECASE,
    )


#: What every obfuscated address holds (a bracketed "at" or a spelled "dot"): a text without
#: it is not searched further.
_OBFUSCATION_HINT = re.compile(r"[\[({<]\s*(?:at|@)\s*[\])}>]|\sdot\s", re.IGNORECASE)


def obfuscated_emails(text: str) -> Iterator[tuple[int, int]]:
    """E-mail addresses written to fool harvesters: "jane at example dot com",
    "jane [at] example [dot] org", "jane(at)example.org"."""
    if not _OBFUSCATION_HINT.search(text):
        return
    for found in _obfuscated_email().finditer(text):
        yield found.span()


@functools.cache
def _handle() -> re.Pattern[str]:
    cues = _alternatives(contact_lists().handle_cues)
    return re.compile(
        rf"(?<![\w@])(?:{cues})(?:\s+(?:id|name|handle))?\s*(?:[:\-–=]|\bis\b)\s*"
        r"((?:live:)?@?[A-Za-z0-9][\w.\-]{1,40}[A-Za-z0-9_])(?![\w@])",
        re.IGNORECASE,
    )


_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+")
_AT_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])(?![\w@])")
#: Bare ``@handles`` are taken only this near the top (below, "@Autowired" is code).
HANDLE_TOP = 1500


def handles(text: str) -> Iterator[tuple[int, int]]:
    """Handles after a cue ("Skype: jane.doe88", "Telegram - @jdoe"), and bare "@handles" near
    the top of the text, where the contact details are."""
    low = text.lower()
    cued = any(cue in low for cue in contact_lists().handle_cues)
    for found in _handle().finditer(text) if cued else ():
        value = found.group(1)
        if value.lower() in ("none", "n/a", "available", "on", "request") or _WORD.fullmatch(value):
            continue  # "Project handle: Project title": a word, not a handle
        yield found.span(1)
    for found in _AT_HANDLE.finditer(text, 0, HANDLE_TOP):
        yield found.span()


# --------------------------------------------------------------------------- addresses


@functools.cache
def _streets() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """The three forms of a street address, each with the words one of which it must hold."""
    lists = contact_lists()
    number = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?"
    name_word = r"[A-ZÀ-Ý][\w'’.-]*"
    english = (
        rf"{number},? (?:{name_word} ){{1,4}}(?i:{_alternatives(lists.street_words)})"
        r"\.?(?![\w])"
    )
    suffixed = rf"{name_word}(?i:{_alternatives(lists.street_suffixes)})[ \t]+{number}(?![\w])"
    prefixed = (
        rf"{number},?[ \t]+(?i:{_alternatives(lists.street_prefixes)})[ \t]+"
        r"(?:[\w'’.-]+[ \t]+){0,3}[A-ZÀ-Ý][\w'’-]*"
    )
    return (
        (re.compile(english), lists.street_words),
        (re.compile(suffixed), lists.street_suffixes),
        (re.compile(prefixed), lists.street_prefixes),
    )


def streets(text: str) -> Iterator[tuple[int, int]]:
    """Street addresses: "221B Baker Street", "Flat 2, 14 Elm Rd.", "Hauptstraße 12",
    "12 rue de la Paix" (a house number and a street word; the town is a postcode's)."""
    low = text.lower()
    for pattern, words in _streets():
        if not any(word in low for word in words):  # a form's words are rarer than its shape
            continue
        for found in pattern.finditer(text):
            start = found.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_."):
                continue
            if not looks_like_a_year(found.group().split(maxsplit=1)[0].rstrip(",")):
                yield found.span()


_UK_POSTCODE = re.compile(r"(?<![\w])[A-Z]{1,2}\d[A-Z\d]? ?\d([A-Z]{2})(?![\w])")
_CA_POSTCODE = re.compile(r"(?<![\w])[A-Z]\d[A-Z] ?\d[A-Z]\d(?![\w])")
_NL_POSTCODE = re.compile(r"(?<![\w])[1-9]\d{3} ?([A-Z]{2})(?![\w])")
_US_ZIP = re.compile(r"(?<![\w])([A-Z]{2}),?[ \t]+\d{5}(?:-\d{4})?(?![\w-])")
#: Five digits (four in some countries) before a capitalised town, at the start of a line or
#: after a comma: "10115 Berlin", "Main St 1, 75001 Paris" (not "managed 1500 Servers").
_TOWN_POSTCODE = re.compile(
    r"(?m)(?:^[ \t]*|(?<=,) ?)((?:[A-Z]{1,2}-)?\d{4,5})[ \t]+(?=[A-ZÀ-Ý][a-zà-ÿ]{2,})"
)


def postcodes(text: str) -> Iterator[tuple[int, int]]:
    """Postcodes: UK ("SW1A 1AA"), Canadian ("K1A 0B1"), Dutch ("1012 AB"), a US ZIP after a
    state ("CA 94103"), and four or five digits before a town ("10115 Berlin")."""
    lists = contact_lists()
    for found in _UK_POSTCODE.finditer(text):
        if found.group(1).lower() not in lists.not_postcode_units:
            yield found.span()
    for found in _CA_POSTCODE.finditer(text):
        yield found.span()
    for found in _NL_POSTCODE.finditer(text):
        digits = found.group().split()[0][:4]
        if found.group(1).lower() not in lists.not_postcode_units and not looks_like_a_year(digits):
            yield found.span()
    for found in _US_ZIP.finditer(text):
        if found.group(1).lower() in lists.us_states:
            yield found.span()
    for found in _TOWN_POSTCODE.finditer(text):
        if not looks_like_a_year(found.group(1)):
            yield found.span(1)


def looks_like_a_year(digits: str) -> bool:
    """Whether four digits read as a year of the last or this century ("1998", "2024")."""
    return len(digits) == 4 and digits[:2] in ("19", "20")

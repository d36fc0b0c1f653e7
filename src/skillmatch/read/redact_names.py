"""Names for :mod:`skillmatch.read.redact`: the candidate's name and other people's, found without
a NER model from the layout of a CV, and where they occur.

The candidate's name is the first name-like unit near the top (a "Name:" line, in any
language, first), in any script: capitalised words in Latin, Cyrillic or Greek, a short line of
one script in a script without capitals (:mod:`skillmatch.read.redact_scripts`); else a
name-like line holding a piece of an e-mail address's local part or of the file name. The same
name written beside it in another script ("张伟 | Zhang Wei") is the candidate's too. Referees
are names after an honorific ("Dr. Jane Roe"), after a cue ("Referee: Jane Roe") or in a
References section. Every capitalised occurrence of the candidate's full name and of each of
its words is then masked, and every occurrence of a name or name part in a caseless script.
Lower-case occurrences stay ("will", "swift"), except the name run together ("janedoe").

Known misses: one-word names, names of five words or more, a name that is neither near the
top nor matches the e-mail address or file name, people named in running text without an
honorific or cue, and other people's names in caseless scripts (the warning says so,
:func:`unmasked_names`). The word lists (also the top-level domains the URL finder uses) live
in ``data/redact.yaml``.

Offsets are returned as ``(start, end)`` pairs; :mod:`skillmatch.read.redact` makes them spans.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import yaml

from skillmatch.read.redact_scripts import (
    caseless_scripts,
    name_parts,
    name_positions,
    name_script,
    script_lists,
    script_name,
    script_title,
)
from skillmatch.read.sections import heading_table

__all__ = [
    "NameMasks",
    "Scan",
    "WordLists",
    "find_names",
    "is_word_char",
    "mask_file_name",
    "name_masks",
    "unmasked_names",
    "word_lists",
]

#: Lines near the top of a CV searched for the candidate's name, and units (line parts) in them.
_TOP_LINES = 8
_TOP_UNITS = 12

#: Characters that continue a word: letters, digits, "_" and the mask "█" (masked text is
#: never the edge of a word).
_WORD_EXTRA = "_█"


@dataclass(frozen=True)
class WordLists:
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
def word_lists() -> WordLists:
    """The word lists, read once."""
    raw = yaml.safe_load(resources.files("skillmatch").joinpath("data/redact.yaml").read_text())

    def words(key: str) -> frozenset[str]:
        return frozenset(str(word).lower() for word in raw[key])

    return WordLists(
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
    return frozenset(key for table in heading_table().values() for key in table)


def is_word_char(text: str, index: int) -> bool:
    """Whether ``text[index]`` exists and continues a word (a letter, digit, mark such as a
    Devanagari vowel sign, "_" or mask)."""
    if not 0 <= index < len(text):
        return False
    char = text[index]
    return (
        char.isalnum()
        or char in _WORD_EXTRA
        or (not char.isascii() and unicodedata.category(char).startswith("M"))
    )


def _lowered(text: str) -> str | None:
    """``text`` lower-cased when that keeps the offsets (it does unless, e.g., "İ" is in it)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


# --------------------------------------------------------------------------- e-mail addresses

#: The pattern starts with a literal (no leading look-behind), so the regex engine skips ahead
#: quickly; the local part is found backwards from the "@".
_EMAIL_AT = re.compile(r"@(?:[\w-]+\.)+[A-Za-z]{2,}(?![\w-])")
_EMAIL_LOCAL = frozenset("._%+-'’")


def _emails(text: str) -> Iterator[tuple[int, int]]:
    """E-mail addresses, found from their "@"."""
    for found in _EMAIL_AT.finditer(text):
        start = found.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _EMAIL_LOCAL):
            start -= 1
        while start < found.start() and text[start] in ".'’-":
            start += 1
        if start < found.start() and text[found.start() - 1] not in ".'’-":
            yield start, found.end()


class Scan:
    """One pass over a text: its lower-cased form and e-mail addresses, computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        #: The lower-cased text when it keeps the offsets (see :func:`_lowered`), else ``None``.
        self.low = _lowered(text)
        #: The e-mail addresses, as ``(start, end)``.
        self.emails = list(_emails(text))


# --------------------------------------------------------------------------- names

#: Separators between the parts of a line ("Jane Doe | Data Scientist", "Jane Doe, MBA").
_UNIT_SPLIT = re.compile(r"\s*(?:[|,;:•·●▪■◆►\t/]|\s[-–—]\s|\s{2,}|\\x[0-9a-f]{2})\s*")
_STRIP = " \t\"'“”‘’*#-–—=_.()[]"
_REFERENCES = re.compile(r"(?:referees|references)[ \t]*:?[ \t]*(?:\n|$)")
_DOCUMENT_OF = re.compile(r"^(?:r[eé]sum[eé]|cv|curriculum vitae)\s+of\s+", re.IGNORECASE)
_ALPHA_RUN = re.compile(r"[^\W\d_]+")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _is_name_word(word: str) -> bool:
    """A capitalised word of letters, apostrophes and hyphens ("O'Brien", "Castellan-Hart")."""
    if len(word) < 2 or not word[0].isupper():
        return False
    if not all(c.isalpha() or c in "'’-" for c in word) or word[-1] in "'’-":
        return False
    return word.lower() not in word_lists().not_name and not any(
        part.lower() in word_lists().not_name for part in word.split("-")
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
        if index and word.lower() in word_lists().particles:
            taken.append(word)
            continue
        if _is_initial(word):
            taken.append(word)
            continue
        if significant == 4 and _is_name_word(word):
            return None  # five name-like words in a row: a title or a list, not a name
        if not _is_name_word(word):
            if word.lower().strip(",.") in word_lists().org:
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
    while taken and (taken[-1].lower() in word_lists().particles or _is_initial(taken[-1])):
        taken.pop()
    if significant < 2 or significant > 4:
        return None
    if " ".join(taken).lower() in _headings():
        return None
    return " ".join(taken)


def _units(line: str) -> list[str]:
    return [unit for unit in _UNIT_SPLIT.split(line) if unit.strip(_STRIP)]


def _first_unit(line: str) -> str:
    """The first part of ``line`` ("" when it has none)."""
    units = _units(line)
    return units[0] if units else ""


@functools.cache
def _name_label() -> re.Pattern[str]:
    """A "Name:" label in any language ("姓名：", "الاسم:", "Nom :") and the rest of its line;
    a Chinese, Japanese or Korean label needs no colon ("姓名 张伟", as in a table)."""
    labels = "|".join(re.escape(label) for label in script_lists().name_labels)
    colon = r"[ \t\u3000]*[:：\-–]|(?<=[\u3400-\u9fff\uac00-\ud7af])"
    return re.compile(rf"(?:{labels})(?:{colon})[ \t\u3000]*([^\n]+)", re.IGNORECASE)


@functools.cache
def _honorific() -> re.Pattern[str]:
    """An honorific written "Dr", "DR" or "Dr." and the words after it."""
    forms = {word.title() for word in word_lists().honorifics}
    forms |= {word.upper() for word in word_lists().honorifics if len(word) > 2}  # not "MS Excel"
    alternatives = "|".join(sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})\.?[ \t]+((?:[^\W\d_][\w'’.-]*[ \t]*){{1,4}})")


@functools.cache
def _cue() -> re.Pattern[str]:
    """A cue before someone else's name, in lower-cased text ("referee 1:", "contact -")."""
    cues = "|".join(re.escape(cue).replace(r"\ ", r"\s+") for cue in word_lists().cues)
    return re.compile(rf"(?:{cues})s?[ \t]*\d*[ \t]*[:\-–][ \t]*([^\n]+)")


def _email_tokens(scan: Scan) -> set[str]:
    """Name-like pieces of the e-mail local parts ("priya.castellan-hart" -> priya, castellan,
    hart; "eKertzmann" -> kertzmann)."""
    tokens: set[str] = set()
    for start, end in scan.emails:
        local = scan.text[start:end].split("@", 1)[0]
        for run in _ALPHA_RUN.findall(local):
            pieces = _CAMEL.findall(run) if not run.islower() and not run.isupper() else [run]
            for piece in pieces:
                piece = piece.lower()
                if len(piece) >= 3 and piece not in word_lists().not_email_names:
                    tokens.add(piece)
    return tokens


def _candidate_names(scan: Scan, source: str) -> tuple[str, ...]:
    """The candidate's name (a "Name:" line in any language, the first name-like unit near the
    top in any script, a name-like line holding an e-mail piece, or two words of the file name
    found in the text), then the same name in another script beside it ("张伟 | Zhang Wei");
    ``()`` when none is found."""
    text = scan.text
    top = text[:3000]
    lines = [line for line in top.splitlines() if line.strip()][:_TOP_LINES]
    for label in _name_label().finditer(top):
        if is_word_char(text, label.start() - 1):
            continue
        unit = _first_unit(label.group(1))
        # "姓名 张伟 性别 男": a name in an unspaced script is the label's first word
        first = unit.split()[0] if unit.split() else ""
        name = _name_in(unit, prefix=True) or script_name(unit) or script_name(first)
        if name:
            line = _line_of(lines, label.group(1))
            return (name, *_aliases(lines, line, name))
    units = [(index, unit) for index, line in enumerate(lines) for unit in _units(line)]
    for index, unit in units[:_TOP_UNITS]:
        name = _name_in(unit, prefix=True) or script_name(unit)
        if name:
            return (name, *_aliases(lines, index, name))
    name = _name_by_email(scan) or _name_by_file(scan, source)
    return (name,) if name else ()


def _line_of(lines: list[str], rest: str) -> int:
    """The index of the top line holding ``rest`` (-1 when it is not one of them)."""
    return next((index for index, line in enumerate(lines) if rest in line), -1)


def _aliases(lines: list[str], index: int, name: str) -> list[str]:
    """Names in another script than ``name`` on its line or the lines beside it: the same name
    written twice ("محمد علي" above "Mohammed Ali")."""
    if index < 0:
        return []
    script = name_script(name)
    found: list[str] = []
    for line in lines[max(0, index - 1) : index + 2]:
        for unit in _units(line):
            other = _name_in(unit) or script_name(unit)
            if other and other != name and name_script(other) != script and other not in found:
                found.append(other)
    return found


def _name_by_email(scan: Scan) -> str | None:
    """A name-like unit holding a piece of an e-mail address's local part."""
    tokens = _email_tokens(scan)
    if not tokens:
        return None
    for line in scan.text.splitlines():
        if not any(token in line.lower() for token in tokens):
            continue
        for unit in _units(line):
            if any(word.lower() in tokens for word in re.split(r"[\s\-]+", unit)):
                name = _name_in(unit)
                if name:
                    return name
    return None


def _name_by_file(scan: Scan, source: str) -> str | None:
    """Two consecutive words of the file name that stand, capitalised, in the text."""
    text = scan.text
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


def _referees(scan: Scan) -> Iterator[str]:
    """Other people's names: after an honorific or a cue, or in a References section."""
    text = scan.text
    for found in _honorific().finditer(text):
        if is_word_char(text, found.start() - 1):
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
    if low is None or not any(cue.split()[0] in low for cue in word_lists().cues):
        return
    for found in _cue().finditer(low):
        if is_word_char(text, found.start() - 1):
            continue
        unit = _first_unit(text[found.start(1) : found.end(1)])
        name = _name_in(_strip_honorific(unit), prefix=True)
        if name:
            yield name
    for heading in _REFERENCES.finditer(low):
        line_start = low.rfind("\n", 0, heading.start()) + 1
        if low[line_start : heading.start()].strip(" \t#*"):
            continue
        for line in text[heading.end() : heading.end() + 1500].splitlines()[:15]:
            if line.strip() and _normalised(line) in _headings():
                break
            name = _name_in(_strip_honorific(_first_unit(line)))
            if name:
                yield name


def _strip_honorific(unit: str) -> str:
    words = unit.split()
    if words and words[0].rstrip(".").lower() in word_lists().honorifics:
        return " ".join(words[1:])
    return unit


def _normalised(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", line.lower()).split())


def find_names(text: str, *, source: str = "") -> tuple[str, ...]:
    """The names ``text`` holds: the candidate's first (or ``""`` when none was found), then
    the same name written in another script beside it, then referees and other people named
    after an honorific or a cue. ``source`` is the file name, a last clue to the candidate's
    name ("jane_doe_cv.pdf")."""
    candidates, others = _find_names(Scan(text), source)
    return (*(candidates or ("",)), *others)


def _find_names(scan: Scan, source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The candidate's names (see :func:`_candidate_names`) and other people's."""
    candidates = _candidate_names(scan, source)
    others = dict.fromkeys(name for name in _referees(scan) if name not in candidates)
    return candidates, tuple(others)


def _name_tokens(name: str) -> list[str]:
    """The maskable words of ``name``: each word of 2+ letters and each part of a hyphenated
    one; the parts of a name in a caseless script (see :func:`name_parts`)."""
    if name_script(name):
        return name_parts(name)
    tokens: list[str] = []
    for word in name.split():
        if word.lower() in word_lists().particles or len(word.rstrip(".")) < 2:
            continue
        tokens.append(word)
        if "-" in word:
            tokens.extend(part for part in word.split("-") if len(part) >= 2)
    return tokens


# --------------------------------------------------------------------------- where they occur


@dataclass(frozen=True)
class NameMasks:
    """What to mask as names: whole phrases (full names: the candidate's, referees') and
    single words (the candidate's name words and e-mail pieces)."""

    phrases: tuple[str, ...]
    tokens: tuple[str, ...]
    #: The candidate's name written as one lower-case word ("janedoe", "jdoe"), in any case.
    handles: tuple[str, ...] = ()

    def find(self, text: str, low: str | None = None) -> list[tuple[int, int]]:
        """Capitalised whole-word occurrences of the phrases and tokens (any case after the
        first letter; a possessive "'s" included), and every occurrence of those in a caseless
        script (see :func:`name_positions`), as non-overlapping ``(start, end)``.
        ``low`` is ``text`` lower-cased (see :class:`Scan`), when the caller has it."""
        if low is None:
            low = _lowered(text)
        hits: list[tuple[int, int]] = []
        caseless = {name for name in (*self.phrases, *self.tokens) if name and name_script(name)}
        free = {hit for name in caseless for hit in name_positions(text, name)}
        hits.extend(free)  # no capitals to check: every occurrence (see name_positions)
        for phrase in self.phrases:
            words = phrase.split()
            if not words or phrase in caseless:
                continue
            pattern = re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)
            hits.extend(
                found.span()
                for position in _positions(text, low, words[0].lower())
                if (found := pattern.match(text, position)) and not is_word_char(text, found.end())
            )
        for word in (*self.tokens, *self.handles):
            if word in caseless:
                continue
            hits.extend(
                (position, position + len(word))
                for position in _positions(text, low, word.lower())
                if not is_word_char(text, position + len(word))
            )
        hits.sort(key=lambda hit: (hit[0], -hit[1]))
        kept: list[tuple[int, int]] = []
        for start, end in hits:
            if kept and start < kept[-1][1]:
                continue
            upper = text[start].isupper() or (start, end) in free
            if not upper and text[start:end].lower() not in self.handles:
                continue
            if text[end : end + 2] in ("'s", "’s") and not is_word_char(text, end + 2):
                end += 2
            elif text[end : end + 1] in ("'", "’") and not is_word_char(text, end + 1):
                end += 1
            kept.append((start, end))
        return kept


def _positions(text: str, low: str | None, word: str) -> Iterator[int]:
    """Where ``word`` (lower case) starts a word in ``text``, in any case."""
    if low is None:
        pattern = re.compile(rf"(?<![\w{_WORD_EXTRA}]){re.escape(word)}", re.IGNORECASE)
        yield from (found.start() for found in pattern.finditer(text))
        return
    position = low.find(word)
    while position >= 0:
        if not is_word_char(text, position - 1):
            yield position
        position = low.find(word, position + 1)


def name_masks(scan: Scan, source: str) -> NameMasks:
    """The names of the scanned text (``source`` is its file name, a clue) and their words."""
    candidates, others = _find_names(scan, source)
    tokens = [token for name in candidates for token in _name_tokens(name)]
    tokens += sorted(_email_tokens(scan))
    latin = next((name for name in candidates if not name_script(name)), "")
    words = [word.lower().replace("-", "") for word in latin.split() if len(word) >= 2]
    handles = {first + last for first in words[:1] for last in words[1:]}
    handles |= {first[0] + last for first in words[:1] for last in words[1:] if len(last) >= 4}
    return NameMasks(
        phrases=(*(candidates or ("",)), *others),
        tokens=tuple(dict.fromkeys(tokens)),
        handles=tuple(sorted(handles)),
    )


def mask_file_name(source: str, names: NameMasks, *, mask: str) -> str:
    """``source`` with the name's words (and the name written as one word) replaced by
    ``mask`` characters in its base name: "cvs/jane-doe-cv.pdf" -> "cvs/████-███-cv.pdf",
    "JaneDoe.pdf" -> "███████.pdf"."""
    if not source or source == "-":
        return source
    head, base = os.path.split(source)
    base = _mask_caseless(base, names, mask)
    tokens = {t.lower() for t in names.tokens}
    for phrase in names.phrases:
        tokens.update(t.lower() for t in _name_tokens(phrase))
    joined = {a + b for a in tokens for b in tokens if a != b}
    joined |= {a[0] + b for a in tokens for b in tokens if a != b}

    def hide(found: re.Match[str]) -> str:
        run = found.group()
        if run.lower() in tokens or run.lower() in joined:
            return mask * len(run)
        pieces = _CAMEL.findall(run)
        if "".join(pieces) == run and len(pieces) > 1:
            return "".join(mask * len(p) if p.lower() in tokens else p for p in pieces)
        return run

    return os.path.join(head, _ALPHA_RUN.sub(hide, base)) if head else _ALPHA_RUN.sub(hide, base)


def _mask_caseless(base: str, names: NameMasks, mask: str) -> str:
    """``base`` (a file name) with the names in caseless scripts masked ("张伟_cv.pdf")."""
    spaced = re.sub(r"[_.\-]", " ", base)  # "_" continues a word; here it parts them
    for name in {*names.phrases, *names.tokens}:
        if name and name_script(name):
            for start, end in name_positions(spaced, name):
                base = base[:start] + mask * (end - start) + base[end:]
    return base


def unmasked_names(masked: str, mask: str) -> list[str]:
    """What the masking of ``masked`` (the text after it) could not decide on, said without
    the text: name-like units in a caseless script near the top left unmasked (a second name
    far from the first, or a title), and the caseless scripts whose text remains, in which
    other people's names are not recognised."""
    left: dict[str, int] = {}
    lines = [line for line in masked[:3000].splitlines() if line.strip()][:_TOP_LINES]
    for unit in (unit for line in lines for unit in _units(line)):
        name = script_name(unit) if mask not in unit else None
        script = name_script(name) if name else None
        if script:
            left[script_title(script)] = left.get(script_title(script), 0) + 1
    notes = [
        f"{'a name-like line' if count == 1 else f'{count} name-like lines'} in {script} "
        f"script near the top {'was' if count == 1 else 'were'} left unmasked"
        for script, count in left.items()
    ]
    scripts = [script_title(script) for script in caseless_scripts(masked)]
    if scripts:
        notes.append(
            f"other people's names written in {' and '.join(scripts)} script are not "
            "recognised and may remain"
        )
    return notes

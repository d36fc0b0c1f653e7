"""The RTF reader: the text of an RTF file and the text hidden from its readers, in linear time.

A small tokenizer reads control words (``\\ansicpg``, ``\\u``, ``\\uc``, ``\\bin``, the
formatting words that can hide text), runs of ``\\'hh`` escapes (decoded together, so double-byte
code pages read right) and, between backslashes, runs of text and braces. Such a run holds no
control word, so no formatting changes inside it: its text is read whole, and its braces only
move the group depth. Where a run closes groups it did not open, the depth profile (a cumulative
sum over the run, in numpy) says where; groups saved with the same state are kept as one entry
with a count, so closing a million of them is one step. ``\\bin N`` data is skipped unread.

The cost is one Python step per control word and per run, not per brace or byte: 40 MB of
``{a}`` groups, of nested or unclosed braces, of ``\\'hh`` escapes or one huge control word are
read in seconds (``benchmarks/reliability.py``).
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from skillmatch.errors import InputError
from skillmatch.models import HiddenText
from skillmatch.read.docx_hidden import (
    MIN_CONTRAST,
    MIN_HALF_POINTS,
    MIN_SCALE,
    HiddenLog,
    contrast,
)

__all__ = ["read_rtf"]

#: A control word (its number, any length, is clamped), a run of ``\\'hh`` escapes (possessive:
#: ten times faster on a long run), a control symbol, or a run of text and braces (no backslash).
_TOKEN = re.compile(
    r"\\([a-zA-Z]+)(-?\d+)? ?|((?:\\'[0-9a-fA-F]{2})++)|\\([^a-zA-Z])|([^\\]+)",
)
#: Runs that close up to this many groups are read closing brace by closing brace; runs that
#: close more, through their depth profile (numpy), in chunks of :data:`_CHUNK` characters.
_SPLIT_UP_TO = 8
_CHUNK = 1 << 20
#: Control-word numbers longer than this are out of range ("\\u" + a million digits), and read
#: as plus or minus :data:`_OUT_OF_RANGE`.
_MAX_DIGITS = 10
_OUT_OF_RANGE = 10_000_000_000
_BRACE_STEP = np.zeros(256, dtype=np.int8)
_BRACE_STEP[ord("{")] = 1
_BRACE_STEP[ord("}")] = -1

_SKIP = frozenset(
    [
        "fonttbl",
        "colortbl",
        "stylesheet",
        "info",
        "pict",
        "object",
        "themedata",
        "colorschememapping",
        "latentstyles",
        "datastore",
        "xmlnstbl",
        "listtable",
        "listoverridetable",
        "rsidtbl",
        "generator",
        "fldinst",
        "operator",
        "author",
        "title",
    ]
)
_BREAKS = {
    "par": "\n",
    "line": "\n",
    "row": "\n",
    "sect": "\n",
    "page": "\n",
    "tab": "\t",
    "cell": " | ",
    "emdash": "—",
    "endash": "–",
    "bullet": "•",
    "lquote": "‘",
    "rquote": "’",
    "ldblquote": "“",
    "rdblquote": "”",
}
_SYMBOLS = {"~": "\u00a0", "-": "", "_": "-"}


def read_rtf(
    data: bytes, name: str, *, include_hidden: bool = False
) -> tuple[str, tuple[HiddenText, ...]]:
    """Text of an RTF file (``\\ansicpg``, ``\\u``, skipped destinations and ``\\bin`` data),
    and the text a reader cannot see (``\\v`` hidden text, type under 3 pt, ``\\charscalex``
    under 20%, text coloured like its highlight or the white page), left out unless
    ``include_hidden``. Raises :class:`InputError` for a file with no text and unclosed groups."""
    raw = data.decode("latin-1")
    reader = _Reader(_encoding(raw), _Out(_colours(raw), include_hidden))
    reader.read(_without_unknown_words(raw))
    if reader.groups.depth and reader.out.empty:
        raise InputError(f"{name}: damaged RTF file; re-save it as .rtf, .docx or PDF")
    return reader.out.result()


@functools.cache
def _unknown_word() -> re.Pattern[str]:
    """A control word the reader does nothing with (``\\b``, ``\\f1``, ``\\lang1033``)."""
    known = {*_SKIP, *_BREAKS, *_FORMAT_WORDS, "plain", "u", "uc", "bin"}
    alternatives = "|".join(sorted(known, key=len, reverse=True))
    return re.compile(rf"\\(?!(?:{alternatives})(?![a-zA-Z]))[a-zA-Z]+(?:-?\d+)? ?")


def _without_unknown_words(raw: str) -> str:
    """``raw`` without the control words that change nothing the reader keeps (bold, fonts,
    languages ...), removed in one pass in C: the runs of text and braces they split join up,
    so a file of "{\\b a}" groups costs what one of "{a}" groups does. Not where ``\\bin``
    data is (its length must stay)."""
    if "\\bin" in raw:
        return raw
    remove = _unknown_word().sub
    return "".join(remove("", raw[start:end]) for start, end in _pieces(raw))


#: Where a piece of the file may be cut: before a brace, line break or backslash that no
#: backslash precedes.
_CUT = re.compile(r"(?<!\\)[{}\n\\]")


def _pieces(raw: str, size: int = _CHUNK) -> Iterator[tuple[int, int]]:
    """``raw`` cut into pieces of about ``size`` characters, each cut before a brace, a line
    break or a backslash that no backslash precedes (so no control word is cut), to bound the
    memory of one pass."""
    start = 0
    while len(raw) - start > size:
        cut = _CUT.search(raw, start + size)
        if cut is None:
            break
        yield start, cut.start()
        start = cut.start()
    yield start, len(raw)


def _encoding(raw: str) -> str:
    """The code page of ``\\'hh`` escapes (``\\ansicpg``; cp1252 when unnamed or unknown)."""
    codepage = re.search(r"\\ansicpg(\d{1,5})", raw[:2000])
    encoding = f"cp{codepage.group(1)}" if codepage else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        return "cp1252"
    return encoding


def _number(digits: str | None) -> int | None:
    """A control word's number (beyond 10 digits: out of range, read as +-10**10)."""
    if digits is None or len(digits.lstrip("-")) <= _MAX_DIGITS:
        return None if digits is None else int(digits)
    return -_OUT_OF_RANGE if digits.startswith("-") else _OUT_OF_RANGE


# --------------------------------------------------------------------------- formatting


@dataclass(frozen=True)
class _Format:
    """The character formatting that decides visibility: ``\\v``, ``\\cf``, ``\\fs`` and the
    highlight (``\\highlight``, ``\\cb``, ``\\chcbpat``), colours as colour-table indexes."""

    hidden: bool = False
    colour: int = 0
    size: int = 24
    highlight: int = 0
    scale: int = 100

    def __post_init__(self) -> None:
        # hashed once: a formatting is a dictionary key for every run of text
        fields = (self.hidden, self.colour, self.size, self.highlight, self.scale)
        object.__setattr__(self, "_hash", hash(fields))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined, no-any-return]


_FORMAT_WORDS = {
    "v": "hidden",
    "cf": "colour",
    "fs": "size",
    "highlight": "highlight",
    "cb": "highlight",
    "chcbpat": "highlight",
    "charscalex": "scale",
}


def _formatted(fmt: _Format, word: str, arg: int | None) -> _Format:
    """``fmt`` changed by a character-formatting control word."""
    if word == "plain":
        return _Format()
    field = _FORMAT_WORDS[word]
    if field == "hidden":
        return replace(fmt, hidden=arg != 0)
    value = arg if arg is not None else {"size": 24, "scale": 100}.get(field, 0)
    return replace(fmt, **{field: value})  # type: ignore[arg-type]


class _Text:
    """Text appended piece by piece, joined every :attr:`JOIN_EVERY` pieces: millions of tiny
    pieces take the memory of their characters, not of a string object each."""

    JOIN_EVERY = 4096

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._joined: list[str] = []

    def __bool__(self) -> bool:
        return bool(self._pieces or self._joined)

    def append(self, text: str) -> None:
        """Add ``text`` at the end."""
        self._pieces.append(text)
        if len(self._pieces) >= self.JOIN_EVERY:
            self._joined.append("".join(self._pieces))
            self._pieces.clear()

    def take(self) -> str:
        """The text so far, which is then emptied."""
        text = "".join([*self._joined, *self._pieces])
        self._pieces.clear()
        self._joined.clear()
        return text


class _Out:
    """The text read so far: each run of text in one formatting is kept (visible, or as white
    space when hidden) or logged as hidden text when the formatting changes, so memory holds
    the text, not a record per piece."""

    def __init__(self, colours: list[str | None], include_hidden: bool = False) -> None:
        self.colours = colours
        self.include_hidden = include_hidden
        self.format = _Format()
        #: Formattings already worked out, so that one formatting is one object (texts in it
        #: share a run) and no dataclass is rebuilt for every control word.
        self._changes: dict[tuple[_Format, str, int | None], _Format] = {}
        self._reasons: dict[_Format, str | None] = {}
        self._run = _Text()
        self._run_format = self.format
        self._kept = _Text()
        self.log = HiddenLog()

    @property
    def empty(self) -> bool:
        """Whether no text was read."""
        return not (self._kept or self._run)

    def append(self, text: str) -> None:
        """Add text in the current formatting."""
        if not text:
            return
        if self.format is not self._run_format:
            self._flush()
            self._run_format = self.format
        self._run.append(text)

    def _flush(self) -> None:
        """Keep or log the run of text read in one formatting."""
        if not self._run:
            return
        text = self._run.take()
        fmt = self._run_format
        if fmt not in self._reasons:
            self._reasons[fmt] = self.reason(fmt)
        reason = self._reasons[fmt]
        if reason is None:
            if text.strip():
                self.log.close()
            self._kept.append(text)
            return
        self.log.add(reason, _utf16(text))
        self._kept.append(text if self.include_hidden else _edges(text))

    def set(self, word: str, arg: int | None) -> None:
        """Apply a character-formatting control word."""
        key = (self.format, word, arg)
        changed = self._changes.get(key)
        if changed is None:
            if len(self._changes) > 4096:  # a file of ever new values: keep the memory bounded
                self._changes.clear()
                self._reasons.clear()
            changed = self._changes[key] = _formatted(self.format, word, arg)
        self.format = changed

    def reason(self, fmt: _Format) -> str | None:
        """Why text in this formatting cannot be seen, or ``None``."""
        if fmt.hidden:
            return "vanish"
        if fmt.size < MIN_HALF_POINTS:
            return "tiny_font"
        if fmt.scale < MIN_SCALE:
            return "squeezed"
        colour = self._colour(fmt.colour)
        behind = self._colour(fmt.highlight) or "FFFFFF"
        if colour is not None and contrast(colour, behind) < MIN_CONTRAST:
            return "background_colour"
        return None

    def _colour(self, index: int) -> str | None:
        return self.colours[index] if 0 < index < len(self.colours) else None

    def result(self) -> tuple[str, tuple[HiddenText, ...]]:
        """The visible text (all of it with ``include_hidden``) and the hidden text."""
        self._flush()
        return _utf16(self._kept.take()), self.log.entries()


def _edges(hidden: str) -> str:
    """What stays of hidden text: its white space when it is all white space, else one space
    where it starts or ends with white space (so the words around it stay apart)."""
    if not hidden.strip():
        return hidden
    return " " if hidden[0].isspace() or hidden[-1].isspace() else ""


def _utf16(text: str) -> str:
    """``\\u`` gives UTF-16 code units: join surrogate pairs (emoji), replace lone ones."""
    if text.isascii():  # no surrogate: nothing to do (and no copy)
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _colours(raw: str) -> list[str | None]:
    """The colour table as ``RRGGBB`` (``None`` for the automatic colour)."""
    table = re.search(r"\{\\colortbl\s*([^{}]*)\}", raw)
    if table is None:
        return []
    colours: list[str | None] = []
    for entry in table.group(1).split(";")[:-1]:
        channels = dict(re.findall(r"\\(red|green|blue)(\d{1,5})", entry))
        if not channels:
            colours.append(None)
            continue
        colours.append(
            "".join(f"{min(255, int(channels.get(c, '0'))):02X}" for c in ("red", "green", "blue"))
        )
    return colours


# --------------------------------------------------------------------------- groups

#: What an RTF group saves: skipping a destination, ``\\uc``, and the character formatting.
_State = tuple[bool, int, _Format]
_START: _State = (False, 1, _Format())


@dataclass(slots=True)
class _Entry:
    """Groups opened one after another in the same state: the state and how many."""

    state: _State
    count: int


class _Groups:
    """The states saved at the open groups, as entries with a count: consecutive groups opened
    in the same state share one entry, so opening or closing a million groups is one step. At
    most :attr:`MAX_ENTRIES` entries are kept (no real file comes near): groups opened beyond
    share the deepest entry's state, so a file of millions of ``{`` costs no memory."""

    MAX_ENTRIES = 1000

    def __init__(self) -> None:
        self.saved: list[_Entry] = []
        #: How many groups are open.
        self.depth = 0

    def enter(self, count: int, state: _State) -> None:
        """Open ``count`` groups in ``state``."""
        self.depth += count
        if self.saved and (len(self.saved) >= self.MAX_ENTRIES or self.saved[-1].state == state):
            self.saved[-1].count += count
        else:
            self.saved.append(_Entry(state, count))

    def alike(self, count: int) -> int:
        """How many of the next ``count`` closes restore one and the same state."""
        return min(count, self.saved[-1].count) if self.saved else count

    def leave(self, count: int) -> _State:
        """Close ``count`` groups (closes beyond the open ones are ignored); the state now
        current."""
        state = _START
        self.depth = max(0, self.depth - count)
        while count and self.saved:
            entry = self.saved[-1]
            state = entry.state
            taken = min(count, entry.count)
            entry.count -= taken
            count -= taken
            if not entry.count:
                self.saved.pop()
        return state


# --------------------------------------------------------------------------- reading


class _Reader:
    """One pass over an RTF file's characters (its bytes decoded as latin-1)."""

    def __init__(self, encoding: str, out: _Out) -> None:
        self.encoding = encoding
        self.out = out
        self.groups = _Groups()
        self.skip = False
        self.uc = 1
        #: ``\\u`` fallback characters still to skip.
        self.pending = 0

    @property
    def state(self) -> _State:
        """The state a group saves."""
        return (self.skip, self.uc, self.out.format)

    def restore(self, state: _State) -> None:
        """Return to a group's saved state."""
        self.skip, self.uc, self.out.format = state

    def read(self, raw: str) -> None:
        """Read every token of ``raw``."""
        position = 0
        while position < len(raw):
            position = self._read_from(raw, position)

    def _read_from(self, raw: str, position: int) -> int:
        """Read tokens from ``position`` up to ``\\bin`` data (or the end); where to go on."""
        for token in _TOKEN.finditer(raw, position):
            word, arg, hexes, symbol, run = token.groups()
            if run is not None:
                self.run(run)
            elif word is not None:
                skipped = self.word(word, _number(arg))
                if skipped:
                    return token.end() + skipped
            elif hexes is not None:
                self.hexes(hexes)
            elif symbol == "*":
                self.skip = True
            else:
                self.text(_SYMBOLS.get(symbol, symbol))
        return len(raw)  # (a lone backslash at the end is no token)

    def text(self, text: str) -> None:
        """Text in the current state: skipped in a destination, ``\\u`` fallbacks dropped."""
        if self.skip or not text:
            return
        if self.pending:
            dropped = min(self.pending, len(text))
            self.pending -= dropped
            text = text[dropped:]
        self.out.append(text)

    def word(self, word: str, arg: int | None) -> int:
        """Apply a control word; how many characters after it to skip (``\\bin`` data)."""
        if word == "bin":
            return max(0, arg or 0)
        if self.skip:
            return 0
        self.pending = 0  # a control word ends a \\u fallback
        if word in _SKIP:
            self.skip = True
        elif word == "uc" and arg is not None:
            self.uc = max(0, arg)
        elif word == "u" and arg is not None:
            code = arg + 65536 if arg < 0 else arg
            self.text(chr(code) if 0 <= code <= 0xFFFF else "\ufffd")
            self.pending = self.uc
        elif word in _FORMAT_WORDS or word == "plain":
            self.out.set(word, arg)
        elif word in _BREAKS:
            self.text(_BREAKS[word])
        return 0

    def hexes(self, hexes: str) -> None:
        """A run of ``\\'hh`` escapes: bytes in the file's code page (a ``\\u`` fallback's
        first)."""
        if self.skip:
            return
        count = len(hexes) // 4
        dropped = min(self.pending, count)
        self.pending -= dropped
        data = bytes.fromhex(hexes[4 * dropped :].replace("\\'", ""))
        self.out.append(data.decode(self.encoding, errors="replace"))

    def run(self, run: str) -> None:
        """A run of text and braces: no formatting changes inside it, only the group depth."""
        if "\r" in run or "\n" in run:
            run = run.replace("\r", "").replace("\n", "")
        closes = run.count("}")
        if closes > _SPLIT_UP_TO:
            for start in range(0, len(run), _CHUNK):
                self.profile(run[start : start + _CHUNK])
            return
        groups = self.groups
        for index, part in enumerate(run.split("}") if closes else (run,)):
            if index:
                self.restore(groups.leave(1))
            if "{" in part:  # text and opening braces: the text, then the groups opened
                self.text(part.replace("{", ""))
                groups.enter(part.count("{"), self.state)
            elif part:
                self.text(part)

    def profile(self, run: str) -> None:
        """A run read through its depth profile: its text in the current state up to each
        brace that closes a group opened before it (a "dip"), closes in the same state taken
        together; the groups it leaves open opened at its end."""
        dips, opens = _dips(run)
        start = index = 0
        while index < len(dips):
            self.text(_without_braces(run[start : dips[index]]))
            alike = self.groups.alike(len(dips) - index)
            self.restore(self.groups.leave(alike))
            last = dips[index + alike - 1]
            self.text(_without_braces(run[dips[index] + 1 : last]))
            start, index = last + 1, index + alike
        self.text(_without_braces(run[start:]))
        if opens:
            self.groups.enter(opens, self.state)


def _dips(run: str) -> tuple[list[int], int]:
    """Where ``run`` closes a group it did not open, and how many groups it leaves open."""
    steps = _BRACE_STEP[np.frombuffer(run.encode("latin-1"), dtype=np.uint8)]
    depth = np.cumsum(steps, dtype=np.int32)
    lowest = np.minimum.accumulate(np.minimum(depth, 0))
    before = np.concatenate((np.zeros(1, dtype=np.int32), lowest[:-1]))
    dips = np.flatnonzero(depth < before)
    return dips.tolist(), int(depth[-1] - lowest[-1])


def _without_braces(text: str) -> str:
    return text.replace("{", "").replace("}", "") if text else text

"""Plain text decoding, the RTF reader and HTML decoding (DOCX is
:mod:`skillmatch.read.docx_reader`, ODT :mod:`skillmatch.read.odt_reader`, HTML
:mod:`skillmatch.read.html_reader`).

Each reader takes the file's bytes and its display name, raising
:class:`~skillmatch.errors.InputError` (never a zip/XML error) when the file is damaged; the
RTF reader returns its text and the text hidden from readers.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, replace

from skillmatch.errors import InputError
from skillmatch.models import HiddenText
from skillmatch.read.docx_hidden import (
    MIN_CONTRAST,
    MIN_HALF_POINTS,
    MIN_SCALE,
    HiddenLog,
    contrast,
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes, name: str) -> str:
    """Decode plain text: BOM first, then UTF-8, BOM-less UTF-16, charset detection, cp1252.

    The BOM is dropped; nothing else changes, so offsets index the file's own characters.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        return utf16
    return _detect(data)


def _strict(data: bytes, encoding: str, name: str) -> str:
    """Decode with ``encoding`` or raise an :class:`InputError` naming the file."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: starts with a {encoding} byte-order mark but is not valid {encoding} "
            f"({error.reason} at byte {error.start}); re-save it as UTF-8"
        ) from None


def _bomless_utf16(data: bytes) -> str | None:
    """Text of BOM-less UTF-16 (many NUL bytes on one side of each pair), else ``None``."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros > 0.3 * half:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _detect(data: bytes) -> str:
    """Decode with charset-normalizer's best guess, preferring Windows-1252 among Latin guesses.

    Short Western-European texts are often guessed as another Latin code page (cp1250), so
    when the guess is a Latin single-byte code page and cp1252 decodes cleanly, cp1252 wins.
    """
    from charset_normalizer import from_bytes  # ~50 ms to import: only for non-UTF-8 text

    best = from_bytes(data).best()
    guess = best.encoding if best is not None else "cp1252"
    if guess in _LATIN_CODEPAGES or best is None:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(guess)
    except (UnicodeDecodeError, LookupError):
        return data.decode("cp1252", errors="replace")


#: Code pages of Latin-script text (Windows, ISO, Mac and DOS): a guess among them for a text
#: that cp1252 decodes is taken as cp1252 (short texts are often guessed as cp775 or cp1250).
_LATIN_CODEPAGES = frozenset(
    [
        "cp437",
        "cp775",
        "cp850",
        "cp852",
        "cp857",
        "cp858",
        "cp860",
        "cp861",
        "cp863",
        "cp865",
        "cp1252",
        "cp1250",
        "cp1254",
        "cp1257",
        "latin_1",
        "iso8859_2",
        "iso8859_3",
        "iso8859_4",
        "iso8859_9",
        "iso8859_10",
        "iso8859_13",
        "iso8859_14",
        "iso8859_15",
        "iso8859_16",
        "mac_roman",
        "mac_latin2",
        "mac_iceland",
        "mac_turkish",
        "cp850",
        "cp437",
        "cp858",
        "ascii",
        "utf_8",
    ]
)


def tidy(text: str) -> str:
    """Extracted text made regular: NFKC compatibility characters folded (ligatures, wide and
    non-breaking spaces), ``\r\n`` to ``\n``, trailing spaces and blank-line runs removed."""
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def looks_binary(text: str) -> bool:
    """True when decoded "text" is mostly control characters (a binary file)."""
    sample = text[:4096]
    if not sample:
        return False
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    return controls > 0.05 * len(sample) or "\x00" in sample


# --- RTF --------------------------------------------------------------------------------

_RTF_TOKEN = re.compile(
    r"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|(\{+|\}+)|[\r\n]+|([^\\{}\r\n]+)"
)
_RTF_SKIP = frozenset(
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
_RTF_BREAKS = {
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


def read_rtf(
    data: bytes, name: str, *, include_hidden: bool = False
) -> tuple[str, tuple[HiddenText, ...]]:
    """Text of an RTF file (a small tokenizer: ``\\ansicpg``, ``\\u``, skipped groups), and
    the text a reader cannot see (``\\v`` hidden text, type under 3 pt, ``\\charscalex``
    under 20%, text coloured like its highlight or the white page), left out unless
    ``include_hidden``."""
    raw = data.decode("latin-1")
    codepage = re.search(r"\\ansicpg(\d+)", raw[:2000])
    encoding = f"cp{codepage.group(1)}" if codepage else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    out = _RtfOut(_rtf_colours(raw))
    groups = _RtfGroups()
    skip, uc, pending_skip = False, 1, 0
    # an empty group changes nothing: a file of millions of "{}" costs no time
    for match in _RTF_TOKEN.finditer(_without_empty_groups(raw)):
        word, arg, hexbyte, symbol, brace, text = match.groups()
        if brace:
            skip, uc, out.format = (
                groups.enter(len(brace), (skip, uc, out.format))
                if brace[0] == "{"
                else groups.leave(len(brace))
            )
        elif symbol == "*":
            skip = True
        elif skip:
            continue
        elif pending_skip and (hexbyte or text):
            consumed = 1 if hexbyte else min(pending_skip, len(text))
            pending_skip -= consumed
            if text and len(text) > consumed:
                out.append(text[consumed:])
                pending_skip = 0
        elif word:
            skip, uc, pending_skip = _rtf_word(word, arg, out, skip, uc)
        elif hexbyte:
            out.append(bytes([int(hexbyte, 16)]).decode(encoding, errors="replace"))
        elif symbol:
            out.append({"~": "\u00a0", "-": "", "_": "-"}.get(symbol, symbol))
        elif text:
            out.append(text)
    if groups.depth and not out.pieces:
        raise InputError(f"{name}: damaged RTF file; re-save it as .rtf, .docx or PDF")
    return out.result(include_hidden)


@dataclass(frozen=True)
class _RtfFormat:
    """The character formatting that decides visibility: ``\\v``, ``\\cf``, ``\\fs`` and the
    highlight (``\\highlight``, ``\\cb``, ``\\chcbpat``), colours as colour-table indexes."""

    hidden: bool = False
    colour: int = 0
    size: int = 24
    highlight: int = 0
    scale: int = 100


_RTF_FORMAT_WORDS = {
    "v": "hidden",
    "cf": "colour",
    "fs": "size",
    "highlight": "highlight",
    "cb": "highlight",
    "chcbpat": "highlight",
    "charscalex": "scale",
}


class _RtfOut:
    """The text pieces read so far, each with the formatting it was read in."""

    def __init__(self, colours: list[str | None]) -> None:
        self.colours = colours
        self.format = _RtfFormat()
        self.pieces: list[tuple[str, _RtfFormat]] = []

    def append(self, text: str) -> None:
        """Add a piece in the current formatting."""
        self.pieces.append((text, self.format))

    def set(self, word: str, arg: str | None) -> None:
        """Apply a character-formatting control word."""
        if word == "plain":
            self.format = _RtfFormat()
            return
        field = _RTF_FORMAT_WORDS[word]
        if field == "hidden":
            self.format = replace(self.format, hidden=arg != "0")
            return
        value = int(arg) if arg is not None else {"size": 24, "scale": 100}.get(field, 0)
        self.format = replace(self.format, **{field: value})  # type: ignore[arg-type]

    def reason(self, fmt: _RtfFormat) -> str | None:
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

    def result(self, include_hidden: bool) -> tuple[str, tuple[HiddenText, ...]]:
        """The visible text (all of it with ``include_hidden``) and the hidden text."""
        log = HiddenLog()
        kept = []
        reasons: dict[_RtfFormat, str | None] = {}
        for text, fmt in self.pieces:
            if fmt not in reasons:
                reasons[fmt] = self.reason(fmt)
            reason = reasons[fmt]
            if reason is None:
                if text.strip():
                    log.close()
                kept.append(text)
                continue
            log.add(reason, _utf16(text))
            if include_hidden or not text.strip():
                kept.append(text)
        return _utf16("".join(kept)), log.entries()


def _utf16(text: str) -> str:
    """``\\u`` gives UTF-16 code units: join surrogate pairs (emoji), replace lone ones."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _rtf_colours(raw: str) -> list[str | None]:
    """The colour table as ``RRGGBB`` (``None`` for the automatic colour)."""
    table = re.search(r"\{\\colortbl\s*([^{}]*)\}", raw)
    if table is None:
        return []
    colours: list[str | None] = []
    for entry in table.group(1).split(";")[:-1]:
        channels = dict(re.findall(r"\\(red|green|blue)(\d+)", entry))
        if not channels:
            colours.append(None)
            continue
        colours.append(
            "".join(f"{min(255, int(channels.get(c, '0'))):02X}" for c in ("red", "green", "blue"))
        )
    return colours


def _without_empty_groups(raw: str, passes: int = 4) -> str:
    """``raw`` without its empty groups (``{}``, and ``{{}}`` and so on a few levels deep),
    which change nothing."""
    for _pass in range(passes):
        if "{}" not in raw:
            break
        raw = raw.replace("{}", "")
    return raw


#: What an RTF group saves: skipping a destination, ``\\uc``, and the character formatting.
_RtfState = tuple[bool, int, _RtfFormat]
_RTF_START: _RtfState = (False, 1, _RtfFormat())


class _RtfGroups:
    """The state saved at each open RTF group, to a bounded depth: groups nested deeper than
    :attr:`MAX_DEPTH` (no real file comes near) share the deepest state, so a file of millions
    of ``{`` costs neither memory nor time."""

    MAX_DEPTH = 1000

    def __init__(self) -> None:
        self.saved: list[_RtfState] = []
        self.deeper = 0

    @property
    def depth(self) -> int:
        """How many groups are open."""
        return len(self.saved) + self.deeper

    def enter(self, count: int, state: _RtfState) -> _RtfState:
        """Open ``count`` groups in ``state``; the state inside (unchanged)."""
        room = min(count, self.MAX_DEPTH - len(self.saved))
        self.saved.extend([state] * room)
        self.deeper += count - room
        return state

    def leave(self, count: int) -> _RtfState:
        """Close ``count`` groups; the state of the group now current."""
        shared = min(count, self.deeper)
        self.deeper -= shared
        count -= shared
        if shared and not count:
            return self.saved[-1] if self.saved else _RTF_START
        if count >= len(self.saved):
            self.saved.clear()
            return _RTF_START
        state = self.saved[-count]
        del self.saved[-count:]
        return state


def _rtf_word(
    word: str, arg: str | None, out: _RtfOut, skip: bool, uc: int
) -> tuple[bool, int, int]:
    """Apply one RTF control word; returns the new ``(skip, uc, pending_skip)``."""
    if word in _RTF_SKIP:
        return True, uc, 0
    if word == "uc" and arg is not None:
        return skip, int(arg), 0
    if word == "u" and arg is not None:
        code = int(arg)
        code = code + 65536 if code < 0 else code
        out.append(chr(code) if 0 <= code <= 0xFFFF else "\ufffd")
        return skip, uc, uc
    if word in _RTF_FORMAT_WORDS or word == "plain":
        out.set(word, arg)
    elif word in _RTF_BREAKS:
        out.append(_RTF_BREAKS[word])
    return skip, uc, 0


# --- HTML -------------------------------------------------------------------------------


def decode_html(data: bytes) -> str:
    """Decode HTML bytes using a BOM, a ``<meta charset>``, UTF-8, or detection."""
    meta = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    if meta and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode(meta.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, "")

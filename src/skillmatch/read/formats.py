"""Plain text decoding and HTML decoding (DOCX is :mod:`skillmatch.read.docx_reader`, ODT
:mod:`skillmatch.read.odt_reader`, HTML :mod:`skillmatch.read.html_reader`, RTF
:mod:`skillmatch.read.rtf`).

Each reader takes the file's bytes and its display name, raising
:class:`~skillmatch.errors.InputError` (never a zip/XML error) when the file is damaged.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from skillmatch.errors import InputError

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

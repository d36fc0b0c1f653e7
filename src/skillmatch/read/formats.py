"""Adapters for the non-PDF formats: plain text decoding, ODT, RTF and HTML (DOCX is
:mod:`skillmatch.read.docx_reader`; :func:`read_docx` is importable from here too).

Each adapter takes the file's bytes and its display name and returns plain text, raising
:class:`~skillmatch.errors.InputError` (never a zip/XML error) when the file is damaged.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree

from skillmatch.errors import InputError, NoTextError
from skillmatch.limits import DEFAULT_LIMITS, Limits
from skillmatch.read.archive import checked_archive, damaged, parse_xml

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


# --- ODT --------------------------------------------------------------------------------

_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def read_odt(data: bytes, name: str, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """Text of an OpenDocument text file (``content.xml``), paragraphs and table rows.

    The archive is checked against ``limits`` first, and XML that declares entities is
    refused.
    """
    with checked_archive(data, name, kind="ODT", limits=limits) as archive:
        try:
            content = archive.read("content.xml")
        except KeyError:
            raise damaged(name, "ODT", "it has no content.xml") from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise damaged(name, "ODT", "its content.xml cannot be unpacked") from None
    root = parse_xml(content, name, kind="ODT")
    lines: list[str] = []
    _odt_walk(root, lines)
    return "\n".join(lines)


def _odt_walk(element: ElementTree.Element, lines: list[str]) -> None:
    """Append one line per paragraph/heading and one per table row."""
    for child in element:
        if child.tag in (f"{_TEXT_NS}p", f"{_TEXT_NS}h"):
            lines.append(_odt_inline(child))
        elif child.tag == f"{_TABLE_NS}table-row":
            cells = []
            for cell in child:
                cell_lines: list[str] = []
                _odt_walk(cell, cell_lines)
                text = " ".join(" ".join(cell_lines).split())
                if text:
                    cells.append(text)
            if cells:
                lines.append(" | ".join(cells))
        else:
            _odt_walk(child, lines)


def _odt_inline(element: ElementTree.Element) -> str:
    """The inline text of an ODT paragraph (spans, links, spaces, tabs, line breaks)."""
    out = [element.text or ""]
    for child in element:
        if child.tag == f"{_TEXT_NS}s":
            out.append(" " * int(child.get(f"{_TEXT_NS}c", "1")))
        elif child.tag == f"{_TEXT_NS}tab":
            out.append("\t")
        elif child.tag == f"{_TEXT_NS}line-break":
            out.append("\n")
        elif child.tag != f"{_TEXT_NS}note":
            out.append(_odt_inline(child))
        out.append(child.tail or "")
    return "".join(out)


# --- RTF --------------------------------------------------------------------------------

_RTF_TOKEN = re.compile(
    r"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])|[\r\n]+|([^\\{}\r\n]+)"
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


def read_rtf(data: bytes, name: str) -> str:
    """Text of an RTF file (a small tokenizer: ``\\ansicpg``, ``\\u``, skipped groups)."""
    raw = data.decode("latin-1")
    codepage = re.search(r"\\ansicpg(\d+)", raw[:2000])
    encoding = f"cp{codepage.group(1)}" if codepage else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    out: list[str] = []
    stack: list[tuple[bool, int]] = []
    skip, uc, pending_skip = False, 1, 0
    for match in _RTF_TOKEN.finditer(raw):
        word, arg, hexbyte, symbol, brace, text = match.groups()
        if brace == "{":
            stack.append((skip, uc))
        elif brace == "}":
            skip, uc = stack.pop() if stack else (False, 1)
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
    if stack and not out:
        raise InputError(f"{name}: damaged RTF file; re-save it as .rtf, .docx or PDF")
    # \u gives UTF-16 code units: join surrogate pairs (emoji), replace lone ones.
    return "".join(out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _rtf_word(
    word: str, arg: str | None, out: list[str], skip: bool, uc: int
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
    if word in _RTF_BREAKS:
        out.append(_RTF_BREAKS[word])
    return skip, uc, 0


# --- HTML -------------------------------------------------------------------------------


def read_html(data: bytes, name: str) -> str:
    """Visible text of an HTML page: block elements become lines, scripts/styles dropped."""
    parser = _HTMLText()
    parser.feed(decode_html(data))
    parser.close()
    text = parser.text()
    if not text.strip():
        raise NoTextError(f"{name}: the HTML page has no visible text")
    return text


def decode_html(data: bytes) -> str:
    """Decode HTML bytes using a BOM, a ``<meta charset>``, UTF-8, or detection."""
    meta = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    if meta and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode(meta.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, "")


_HTML_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "blockquote",
        "pre",
        "dt",
        "dd",
        "dl",
        "hr",
        "title",
        "form",
        "fieldset",
        "figure",
        "figcaption",
        "address",
    ]
)
_HTML_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "svg"})


class _HTMLText(HTMLParser):
    """Collects visible text; block-level tags start new lines, cells are joined by `` | ``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a hidden region or start a new line."""
        if tag in _HTML_HIDDEN:
            self._hidden += 1
        elif tag in ("td", "th"):
            self._parts.append(" | ")
        elif tag == "li" or tag in _HTML_BLOCKS:
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Close a hidden region or end the line."""
        if tag in _HTML_HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _HTML_BLOCKS:
            self._parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep visible text with its white space collapsed."""
        if not self._hidden:
            self._parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        """The collected text, one block per line, blank lines dropped."""
        lines = (line.strip().strip("|").strip() for line in "".join(self._parts).split("\n"))
        return "\n".join(line for line in lines if line) + "\n"

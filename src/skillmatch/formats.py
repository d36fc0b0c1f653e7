"""Adapters for the non-PDF formats: plain text decoding, DOCX, ODT, RTF and HTML.

Each adapter takes the file's bytes and its display name and returns plain text, raising
:class:`~skillmatch.errors.InputError` (never a zip/XML error) when the file is damaged.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

from skillmatch.archive import checked_archive, damaged, entities_error, parse_xml
from skillmatch.docx_hidden import (
    HiddenLog,
    RunFormat,
    StyleSheet,
    W,
    hex_colour,
    hidden_reason,
    run_format,
    shading,
)
from skillmatch.errors import InputError, NoTextError
from skillmatch.limits import DEFAULT_LIMITS, Limits
from skillmatch.models import HiddenText

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
    from charset_normalizer import from_bytes

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


# --- DOCX -------------------------------------------------------------------------------

_W = W
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_V = "{urn:schemas-microsoft-com:vml}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_VML_SHAPES = frozenset(f"{_V}{tag}" for tag in ("shape", "rect", "roundrect", "oval"))
_NOT_TEXT = frozenset({f"{_W}rPr", _MC_FALLBACK})


def read_docx(
    data: bytes, name: str, *, limits: Limits = DEFAULT_LIMITS, include_hidden: bool = False
) -> tuple[str, tuple[HiddenText, ...]]:
    """Text of a DOCX: headers, body (paragraphs, tables, text boxes in order), footers.

    Returns the text and the hidden text left out of it (kept in the text too when
    ``include_hidden`` is true): hidden runs, text coloured like its background and tiny
    text (see :mod:`skillmatch.docx_hidden`). The archive is checked against ``limits``
    before python-docx reads it, and XML that declares entities is refused.
    """
    with checked_archive(data, name, kind="DOCX", limits=limits):
        pass  # every member is now known to unzip within its header's bounds
    document = _open_docx(data, name)
    try:
        reader = _DocxReader(document, name, include_hidden=include_hidden)
        parts = [reader.header_footer("header")]
        parts.append(reader.body())
        parts.append(reader.header_footer("footer"))
    except (KeyError, ValueError):  # python-docx follows a relationship to a missing part
        raise damaged(name, "DOCX", "a part it refers to is missing") from None
    text = "\n\n".join(part for part in parts if part.strip())
    return text, reader.log.entries()


def _open_docx(data: bytes, name: str) -> Any:
    """The python-docx ``Document``, its errors turned into ours (never quoting them)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError):
        raise damaged(name, "DOCX", "a part every Word document has is missing") from None
    except SyntaxError:  # lxml's XMLSyntaxError
        raise damaged(name, "DOCX", "its XML is not well-formed") from None
    except ValueError:
        raise damaged(
            name, "DOCX", "it is not a Word document (a template, macro file or other package)"
        ) from None
    except Exception:  # python-docx has no common base error; lxml and zip errors end here
        raise damaged(name, "DOCX", "python-docx cannot read its structure") from None


def _refuse_entities(element: Any, name: str) -> None:
    """Raise when a parsed part declares a DOCTYPE or keeps unexpanded entity references.

    python-docx parses with ``resolve_entities=False`` (and lxml with ``no_network``), so an
    entity would silently vanish from the text; this makes it a named failure instead.
    """
    from lxml import etree  # type: ignore[import-untyped]

    info = element.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise entities_error(name, "DOCX")
    if next(element.iter(etree.Entity), None) is not None:
        raise entities_error(name, "DOCX")


class _DocxReader:
    """Walks a python-docx document's XML, keeping visible text and logging hidden text."""

    def __init__(self, document: Any, name: str, *, include_hidden: bool) -> None:
        self.document = document
        self.name = name
        self.include_hidden = include_hidden
        self.log = HiddenLog()
        root = document.element
        _refuse_entities(root, name)
        try:
            styles = document.styles.element
        except (KeyError, ValueError):
            styles = None
        if styles is not None:
            _refuse_entities(styles, name)
        self.styles = StyleSheet(styles)
        background = root.find(f"{_W}background")
        page = hex_colour(background.get(f"{_W}color", "")) if background is not None else None
        parts = [root, *(element for element, _ in self._header_footer_parts())]
        #: The colour behind body text; ``None`` when a shape or picture lies behind the text
        #: somewhere, so text colour alone cannot tell what is visible.
        self.page: str | None = None if any(_has_backdrop(p) for p in parts) else page or "FFFFFF"
        self._removed = False

    def body(self) -> str:
        """The body's text."""
        return self._block(self.document.element.body, self.page)

    def _header_footer_parts(self, which: str | None = None) -> list[tuple[Any, str]]:
        """Distinct header/footer root elements of every section, with their kind."""
        found: list[tuple[Any, str]] = []
        kinds = ("header", "footer") if which is None else (which,)
        for section in self.document.sections:
            for kind in kinds:
                for attr in (kind, f"first_page_{kind}", f"even_page_{kind}"):
                    part = getattr(section, attr, None)
                    if part is None or part.is_linked_to_previous:
                        continue
                    element = part._element
                    if all(element is not seen for seen, _ in found):
                        found.append((element, kind))
        return found

    def header_footer(self, which: str) -> str:
        """Distinct header (or footer) texts of every section, in order.

        Word repeats a header on every page; each distinct one is kept (and its hidden text
        logged) once.
        """
        seen: set[tuple[str, object]] = set()
        texts: list[str] = []
        for element, _ in self._header_footer_parts(which):
            _refuse_entities(element, self.name)
            saved, self.log = self.log, HiddenLog()
            try:
                text = self._block(element, self.page).strip()
            finally:
                log, self.log = self.log, saved
            key = (text, log.key())
            if key in seen:
                continue
            seen.add(key)
            self.log.merge(log)
            if text and text not in texts:
                texts.append(text)
        return "\n".join(texts)

    def _block(self, element: Any, background: str | None) -> str:
        """Paragraph-per-line text of a WordprocessingML block, tables row by row.

        Text boxes (``w:txbxContent``) are emitted after the paragraph that anchors them.
        """
        lines: list[str] = []
        for child in element:
            if child.tag == f"{_W}p":
                lines.extend(self._paragraph_lines(child, background))
            elif child.tag == f"{_W}tbl":
                lines.extend(self._table_lines(child, background))
            elif child.tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    lines.append(self._block(content, background))
        return "\n".join(lines)

    def _paragraph_lines(self, paragraph: Any, background: str | None) -> list[str]:
        """The paragraph's own text, then the text of any text boxes inside it."""
        ppr = paragraph.find(f"{_W}pPr")
        style = ppr.find(f"{_W}pStyle") if ppr is not None else None
        style_id = style.get(f"{_W}val") if style is not None else self.styles.default_paragraph
        base = self.styles.defaults.under(self.styles.style_format(style_id))
        fill = shading(ppr) or self.styles.paragraph_fill(style_id) or background
        chunks: list[str] = []
        boxes: list[str] = []
        saved, self._removed = self._removed, False
        self.log.close()
        self._walk(paragraph, base, fill, chunks, boxes, self.page)
        self.log.close()
        removed, self._removed = self._removed, saved
        # Word stores a text box twice (modern + VML fallback); keep each text once.
        unique_boxes = list(dict.fromkeys(b for b in boxes if b.strip()))
        own = "".join(chunks)
        if removed and not own.strip():
            return unique_boxes  # nothing visible was left: no blank line either
        return [own, *unique_boxes]

    def _walk(
        self,
        element: Any,
        base: RunFormat,
        fill: str | None,
        chunks: list[str],
        boxes: list[str],
        box_fill: str | None,
    ) -> None:
        """Collect run text into ``chunks`` and text-box text into ``boxes``."""
        for node in element:
            tag = node.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue  # comments, processing instructions; mc:Fallback repeats mc:Choice
            if tag == f"{_W}r":
                self._run(node, base, fill, chunks, boxes, box_fill)
            elif tag == f"{_W}pPr":
                # Each tab stop defined for the paragraph has always given a tab character;
                # kept so the text (and the evidence quoted from it) stays as it was.
                chunks.extend("\t" for _ in node.iter(f"{_W}tab"))
            elif tag == f"{_W}txbxContent":
                boxes.append(self._block(node, box_fill))
            elif not _run_piece(node, chunks):
                self._walk(node, base, fill, chunks, boxes, _shape_fill(node, box_fill))

    def _run(
        self,
        run: Any,
        base: RunFormat,
        fill: str | None,
        chunks: list[str],
        boxes: list[str],
        box_fill: str | None,
    ) -> None:
        """Add a run's text to ``chunks`` unless it is hidden (then log it)."""
        fmt = base
        rpr = run.find(f"{_W}rPr")
        if rpr is not None:
            char_style = rpr.find(f"{_W}rStyle")
            if char_style is not None:
                fmt = fmt.under(self.styles.style_format(char_style.get(f"{_W}val")))
            fmt = fmt.under(run_format(rpr))
        pieces: list[str] = []
        self._walk(run, base, fill, pieces, boxes, box_fill)
        text = "".join(pieces)
        reason = hidden_reason(fmt, fill) if text.strip() else None
        if reason is None:
            self.log.close()
            chunks.append(text)
            return
        self.log.add(reason, text)
        if self.include_hidden:
            chunks.append(text)
        else:
            self._removed = True

    def _table_lines(self, table: Any, background: str | None) -> list[str]:
        """One line per table row, cells separated by `` | `` (nested blocks flattened)."""
        tblpr = table.find(f"{_W}tblPr")
        style = tblpr.find(f"{_W}tblStyle") if tblpr is not None else None
        if style is not None and self.styles.shades_cells(style.get(f"{_W}val")):
            background = None  # the table style paints cells: their colour is not followed
        background = shading(tblpr) or background
        lines = []
        for row in table.iter(f"{_W}tr"):
            cells = []
            for cell in row.findall(f"{_W}tc"):
                cell_fill = shading(cell.find(f"{_W}tcPr")) or background
                cells.append(" ".join(self._block(cell, cell_fill).split()))
            cells = [cell for cell in cells if cell]
            if cells:
                lines.append(" | ".join(dict.fromkeys(cells)))
        return lines


def _run_piece(node: Any, chunks: list[str]) -> bool:
    """Append the text a ``w:t``, ``w:tab``, ``w:br`` or ``w:cr`` stands for; False otherwise."""
    tag = node.tag
    if tag == f"{_W}t":
        chunks.append(node.text or "")
    elif tag == f"{_W}tab":
        chunks.append("\t")
    elif tag in (f"{_W}br", f"{_W}cr"):
        chunks.append("\n")
    else:
        return False
    return True


def _shape_fill(node: Any, outer: str | None) -> str | None:
    """The colour behind a text box inside shape ``node`` (``outer`` if it is not a shape).

    ``None`` (unknown) for theme, gradient or picture fills, which are not followed.
    """
    tag = node.tag
    if tag == f"{_WPS}wsp":
        sppr = node.find(f"{_WPS}spPr")
        if sppr is not None:
            if sppr.find(f"{_A}noFill") is not None:
                return outer
            solid = sppr.find(f"{_A}solidFill")
            if solid is not None:
                rgb = solid.find(f"{_A}srgbClr")
                return hex_colour(rgb.get("val", "")) if rgb is not None else None
            if any(sppr.find(f"{_A}{fill}") is not None for fill in ("gradFill", "blipFill")):
                return None
        ref = node.find(f"{_WPS}style/{_A}fillRef")
        return None if ref is not None and ref.get("idx", "0") != "0" else outer
    if tag in _VML_SHAPES:
        if node.get("filled", "t").lower() in ("f", "false"):
            return outer
        color = node.get("fillcolor")
        if color is None:
            return None if node.find(f"{_V}fill") is not None else "FFFFFF"  # VML default
        return hex_colour(color.lstrip("#"))
    return outer


def _has_backdrop(root: Any) -> bool:
    """Whether a shape or picture is placed behind the text of this part."""
    for anchor in root.iter(f"{_WP}anchor"):
        if str(anchor.get("behindDoc", "0")).lower() in ("1", "true", "on"):
            return True
    for tag in _VML_SHAPES:
        for shape in root.iter(tag):
            if "z-index:-" in shape.get("style", "").replace(" ", ""):
                return True
    return False


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

"""The DOCX reader: text of a Word document, with the text hidden from readers left out.

Headers, body (paragraphs, tables, text boxes in order) and footers are read from the XML
parts :mod:`skillmatch.read.docx_package` finds, after
:func:`skillmatch.read.archive.checked_archive`
has checked the archive. Runs that a reader cannot see (see :mod:`skillmatch.read.docx_hidden`) are
logged as :class:`~skillmatch.models.HiddenText` instead of being read.
"""

from __future__ import annotations

from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from skillmatch.errors import InputError
from skillmatch.limits import DEFAULT_LIMITS, Limits
from skillmatch.models import HiddenText
from skillmatch.read.archive import checked_archive, damaged, entities_error
from skillmatch.read.docx_hidden import (
    THEME_COLOURS,
    HiddenLog,
    RunFormat,
    StyleSheet,
    W,
    hex_colour,
    hidden_reason,
    is_on,
    recent_style_sheet,
    remember_style_sheet,
    run_format,
    shading,
)
from skillmatch.read.docx_package import Package, open_package

_W = W
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_V = "{urn:schemas-microsoft-com:vml}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_VML_SHAPES = frozenset(f"{_V}{tag}" for tag in ("shape", "rect", "roundrect", "oval"))
_NOT_TEXT = frozenset({f"{_W}rPr", _MC_FALLBACK})
_P, _R, _T, _TAB, _BR, _CR = (f"{_W}{tag}" for tag in ("p", "r", "t", "tab", "br", "cr"))
_PPR, _RPR, _TBL, _SDT = (f"{_W}{tag}" for tag in ("pPr", "rPr", "tbl", "sdt"))
_TXBX = f"{_W}txbxContent"
_ANCHOR = f"{_WP}anchor"
_PLACED = frozenset((_ANCHOR, f"{_WP}inline"))
#: A text box narrower or lower than this (EMU; 1 mm) that does not grow with its text
#: clips it away.
_MIN_BOX = 36000
_RT_SETTINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
#: An A4 page in EMU, for documents that give no page size.
_A4 = (7560310, 10692130)
#: EMU per twip (page sizes are in twips).
_EMU_PER_TWIP = 635
#: Shapes behind the text smaller than this (EMU, each side) cannot back a line of text.
_MIN_BACKDROP = 180000
_VAL = f"{_W}val"
#: Header and footer references of each type, in the order sections were always read.
_REFERENCE_TYPES = ("default", "first", "even")
_MISSING_PART = "a part it refers to is missing"
#: Each section's properties, in document order, as python-docx finds them (a ``w:sectPr``
#: deeper in the body, e.g. in a table, starts no section).
_SECTIONS = etree.XPath(
    "./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces={"w": _W[1:-1]}
)


def read_docx(
    data: bytes, name: str, *, limits: Limits = DEFAULT_LIMITS, include_hidden: bool = False
) -> tuple[str, tuple[HiddenText, ...]]:
    """Text of a DOCX: headers, body (paragraphs, tables, text boxes in order), footers.

    Returns the text and the hidden text left out of it (kept in the text too when
    ``include_hidden`` is true): hidden runs, text coloured like its background and tiny
    text (see :mod:`skillmatch.read.docx_hidden`). The archive is checked against ``limits``
    before its XML is parsed, and XML that declares entities is refused.
    """
    kept: dict[str, bytes] = {}
    with checked_archive(data, name, kind="DOCX", limits=limits, keep=kept) as archive:
        package = open_package(archive, kept, name, known=_known_styles)
    try:
        reader = _DocxReader(package, name, include_hidden=include_hidden)
        parts = [reader.header_footer("header")]
        parts.append(reader.body())
        parts.append(reader.header_footer("footer"))
    except KeyError:
        # a header or footer reference to a relationship the document does not have, or to
        # a part that is not XML (an image); a styles relationship to a part that is not
        # one; a named style when which styles part applies cannot be told
        raise damaged(name, "DOCX", _MISSING_PART) from None
    text = "\n\n".join(part for part in parts if part.strip())
    return text, reader.log.entries()


def _known_styles(blob: bytes) -> bool:
    """Whether ``blob`` is a styles part read before (so it parses, without entities)."""
    return recent_style_sheet(blob) is not None


def _refuse_entities(element: Any, name: str) -> None:
    """Raise when a parsed part declares a DOCTYPE or keeps unexpanded entity references.

    Parts are parsed with ``resolve_entities=False`` (and lxml's ``no_network``), so an
    entity would silently vanish from the text; this makes it a named failure instead.
    """
    info = element.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise entities_error(name, "DOCX")
    if next(element.iter(etree.Entity), None) is not None:
        raise entities_error(name, "DOCX")


def _style_sheet(package: Package, name: str) -> StyleSheet:
    """The document's style sheet (no styles when which styles part applies cannot be told).

    A styles part with the bytes of one read before reuses that one's sheet.
    """
    part = package.styles_part()
    if part is None:
        return StyleSheet(None)
    sheet = recent_style_sheet(part.blob)
    if sheet is None:
        element = part.root(name)
        _refuse_entities(element, name)
        sheet = StyleSheet(element)
        remember_style_sheet(part.blob, sheet)
    return sheet


class _DocxReader:
    """Walks a DOCX package's XML, keeping visible text and logging hidden text."""

    def __init__(self, package: Package, name: str, *, include_hidden: bool) -> None:
        self.package = package
        self.name = name
        self.include_hidden = include_hidden
        self.log = HiddenLog()
        self.root = root = package.document.root(name)
        _refuse_entities(root, name)
        self.styles = _style_sheet(package, name)
        if root.tag != f"{_W}document":  # python-docx could read no sections from it
            raise damaged(name, "DOCX", _MISSING_PART)
        background = root.find(f"{_W}background")
        page = hex_colour(background.get(f"{_W}color", "")) if background is not None else None
        parts = [root, *(element for element, _ in self._header_footer_parts())]
        #: The colour behind body text; ``None`` when a shape or picture lies behind the text
        #: somewhere, so text colour alone cannot tell what is visible.
        self.page: str | None = None if any(_has_backdrop(p) for p in parts) else page or "FFFFFF"
        self._removed = False
        #: The page's size in EMU (A4 when the document does not say).
        self.page_size = _page_size(root)
        #: Why everything being read is hidden whatever its formatting (a text box placed
        #: off the page), or ``None``.
        self._forced: str | None = None

    def body(self) -> str:
        """The body's text (none when ``document.xml`` has no ``w:body``)."""
        body = self.root.find(f"{_W}body")
        return "" if body is None else self._block(body, self.page)

    def _header_footer_parts(self, which: str | None = None) -> list[tuple[Any, str]]:
        """Distinct header/footer root elements of every section, with their kind.

        A section without a reference of some type repeats the previous section's: nothing
        new to read. Raises ``KeyError`` for a reference to no part, or to one not XML.
        """
        found: list[tuple[Any, str]] = []
        kinds = ("header", "footer") if which is None else (which,)
        for section in _SECTIONS(self.root):
            for kind in kinds:
                references = section.findall(f"{_W}{kind}Reference")
                for reference_type in _REFERENCE_TYPES:
                    reference = next(
                        (r for r in references if r.get(f"{_W}type") == reference_type), None
                    )
                    if reference is None:
                        continue
                    element = self._referenced(reference.get(_R_ID))
                    if all(element is not seen for seen, _ in found):
                        found.append((element, kind))
        return found

    def _referenced(self, rid: str | None) -> Any:
        """The root element of the part the document relates by ``rid`` (``KeyError`` if
        there is none, or it is not XML)."""
        if rid is None:
            raise KeyError(rid)
        part = self.package.related_part(rid)
        if not part.is_xml:
            raise KeyError(rid)
        return part.root(self.name)

    def header_footer(self, which: str) -> str:
        """Distinct header (or footer) texts of every section, in order.

        Word repeats a header on every page; each distinct one is kept (and its hidden text
        logged) once.
        """
        seen: set[tuple[str, object]] = set()
        texts: list[str] = []
        parts = self._header_footer_parts(which)
        shown = self._shown_parts(which)
        for element, _ in parts:
            if id(element) not in shown:
                continue
            text, log = self._header_footer_text(element)
            key = (text, log.key())
            if key in seen:
                continue
            seen.add(key)
            self.log.merge(log)
            if text and text not in texts:
                texts.append(text)
        for element, _ in parts:
            if id(element) in shown:
                continue
            self._forced = "never_shown"
            try:
                text, log = self._header_footer_text(element)
            finally:
                self._forced = None
            if text in texts or (text, log.key()) in seen:
                continue  # a copy of a header that shows
            seen.add((text, log.key()))
            self.log.merge(log)
            if text and self.include_hidden and text not in texts:
                texts.append(text)
        return "\n".join(texts)

    def _header_footer_text(self, element: Any) -> tuple[str, HiddenLog]:
        """The text of one header or footer part, and the hidden text logged reading it."""
        _refuse_entities(element, self.name)
        saved, self.log = self.log, HiddenLog()
        try:
            text = self._block(element, self.page).strip()
        finally:
            log, self.log = self.log, saved
        return text, log

    def _shown_parts(self, which: str) -> set[int]:
        """The ``id`` of each header (or footer) part Word shows on some page: a section's
        default one, its first-page one when the section has ``w:titlePg``, its even-page one
        when the settings say ``w:evenAndOddHeaders``. The others are never shown."""
        shown: set[int] = set()
        for section in _SECTIONS(self.root):
            title = section.find(f"{_W}titlePg")
            for reference in section.findall(f"{_W}{which}Reference"):
                kind = reference.get(f"{_W}type")
                if (
                    kind not in _REFERENCE_TYPES
                    or (kind == "first" and (title is None or not is_on(title)))
                    or (kind == "even" and not self._even_and_odd())
                ):
                    continue
                shown.add(id(self._referenced(reference.get(_R_ID))))
        return shown

    def _even_and_odd(self) -> bool:
        """Whether the settings switch on different even-page headers (unreadable settings:
        assumed on, so that no header is wrongly left out)."""
        try:
            settings = self.package.document.related_by(_RT_SETTINGS).root(self.name)
        except (KeyError, ValueError):
            return False
        except InputError:  # a damaged settings part: leave no header out
            return True
        flag = settings.find(f"{_W}evenAndOddHeaders")
        return flag is not None and is_on(flag)

    def _block(self, element: Any, background: str | None) -> str:
        """Paragraph-per-line text of a WordprocessingML block, tables row by row.

        Text boxes (``w:txbxContent``) are emitted after the paragraph that anchors them.
        """
        lines: list[str] = []
        for child in element:
            if child.tag == _P:
                lines.extend(self._paragraph_lines(child, background))
            elif child.tag == _TBL:
                lines.extend(self._table_lines(child, background))
            elif child.tag == _SDT:
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    lines.append(self._block(content, background))
        return "\n".join(lines)

    def _paragraph_lines(self, paragraph: Any, background: str | None) -> list[str]:
        """The paragraph's own text, then the text of any text boxes inside it."""
        ppr = paragraph.find(_PPR)
        style = ppr.find(f"{_W}pStyle") if ppr is not None else None
        style_id = style.get(_VAL) if style is not None else self.styles.default_paragraph
        base = self.styles.paragraph_format(style_id)
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
            if tag == _R:
                self._run(node, base, fill, chunks, boxes, box_fill)
            elif tag == _PPR:
                # Each tab stop defined for the paragraph has always given a tab character;
                # kept so the text (and the evidence quoted from it) stays as it was.
                chunks.extend("\t" for _ in node.iter(_TAB))
            elif tag == _TXBX:
                boxes.append(self._block(node, box_fill))
            elif tag in _PLACED and self._forced is None and _placement(node, self.page_size):
                self._forced = _placement(node, self.page_size)
                try:
                    self._walk(node, base, fill, chunks, boxes, box_fill)
                finally:
                    self._forced = None
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
        rpr = run.find(_RPR)
        if rpr is not None:
            char_style = rpr.find(f"{_W}rStyle")
            if char_style is not None:
                fmt = fmt.under(self.styles.style_format(char_style.get(_VAL)))
            fmt = fmt.under(run_format(rpr))
        pieces: list[str] = []
        self._walk(run, base, fill, pieces, boxes, box_fill)
        text = "".join(pieces)
        reason = (self._forced or hidden_reason(fmt, fill)) if text.strip() else None
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
        if style is not None and self.styles.shades_cells(style.get(_VAL)):
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
    if tag == _T:
        chunks.append(node.text or "")
    elif tag == _TAB:
        chunks.append("\t")
    elif tag in (_BR, _CR):
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
                return _drawing_colour(solid)
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


def _drawing_colour(fill: Any) -> str | None:
    """The ``RRGGBB`` of a DrawingML fill's ``srgbClr`` or white/black ``schemeClr``."""
    rgb = fill.find(f"{_A}srgbClr")
    if rgb is not None:
        return hex_colour(rgb.get("val", ""))
    scheme = fill.find(f"{_A}schemeClr")
    if scheme is not None and len(scheme) == 0:  # no tint, shade or alpha applied
        return THEME_COLOURS.get(scheme.get("val", ""))
    return None


def _page_size(root: Any) -> tuple[int, int]:
    """The first section's page width and height in EMU (A4 when not given)."""
    size = root.find(f"{_W}body/{_W}sectPr/{_W}pgSz")
    try:
        width = int(size.get(f"{_W}w")) * _EMU_PER_TWIP
        height = int(size.get(f"{_W}h")) * _EMU_PER_TWIP
    except (AttributeError, TypeError, ValueError):
        return _A4
    return (width, height) if width > 0 and height > 0 else _A4


def _placement(drawing: Any, page: tuple[int, int]) -> str | None:
    """Why a drawing's text cannot be seen: placed wholly off the page (``off_page``), or in a
    text box too small to show it that does not grow (``clipped``); ``None`` otherwise."""
    if drawing.tag == _ANCHOR and _off_page(drawing, page):
        return "off_page"
    extent = drawing.find(f"{_WP}extent")
    if extent is None or next(drawing.iter(_TXBX), None) is None:
        return None
    if next(drawing.iter(f"{_A}spAutoFit"), None) is not None:
        return None
    try:
        cx, cy = int(extent.get("cx", "")), int(extent.get("cy", ""))
    except ValueError:
        return None
    return "clipped" if min(cx, cy) < _MIN_BOX else None


def _off_page(anchor: Any, page: tuple[int, int]) -> bool:
    """Whether a floating shape is placed wholly off the page (by a page's size or more)."""
    extent = anchor.find(f"{_WP}extent")
    for axis, size, span in (("H", page[0], "cx"), ("V", page[1], "cy")):
        offset = anchor.find(f"{_WP}position{axis}/{_WP}posOffset")
        if offset is None or offset.text is None:
            continue
        try:
            value = int(offset.text)
            own = int(extent.get(span, "0")) if extent is not None else 0
        except ValueError:
            continue
        if value >= size or value + own <= -size:
            return True
    return False


def _backdrop_size(anchor: Any) -> bool:
    """Whether a floating shape is large enough to lie behind a line of text."""
    extent = anchor.find(f"{_WP}extent")
    try:
        cx, cy = int(extent.get("cx", "0")), int(extent.get("cy", "0"))
    except (AttributeError, ValueError):
        return True  # unknown: assume it can
    return cx >= _MIN_BACKDROP and cy >= _MIN_BACKDROP


def _has_backdrop(root: Any) -> bool:
    """Whether a shape or picture large enough to back text is placed behind the text of this
    part (one a fraction of a millimetre wide backs nothing)."""
    for anchor in root.iter(f"{_WP}anchor"):
        behind = str(anchor.get("behindDoc", "0")).lower() in ("1", "true", "on")
        if behind and _backdrop_size(anchor):
            return True
    for tag in _VML_SHAPES:
        for shape in root.iter(tag):
            if "z-index:-" in shape.get("style", "").replace(" ", ""):
                return True
    return False

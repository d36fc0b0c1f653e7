"""Builders of hidden-text tricks and of honest designs that look like them, in five formats.

Used by ``tests/test_hidden_formats.py`` and ``benchmarks/gaming.py`` (issue 18). Every file is
a chef's CV written here (:data:`CHEF`), with, for a trick, the line :data:`HIDDEN` hidden in
it one way. Each builder returns the file's bytes. PDFs are written object by object (raw
content streams, so that every operator a trick needs is available); DOCX files with
python-docx plus raw XML; ODT, RTF and HTML as text.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from hostile import pdf_stream as stream
from hostile import raw_pdf

#: The honest CV: a chef with no skill an ML job asks for.
CHEF = (
    "Marco Rossi",
    "Head Chef",
    "Profile",
    "Head chef with twelve years in busy Italian and French kitchens.",
    "Experience",
    "Head Chef, Trattoria Verde, Leeds, 2018 - present",
    "Planned seasonal menus, managed food costs and supplier orders.",
    "Sous Chef, Le Petit Jardin, York, 2013 - 2018",
    "Ran the pass on busy services and kept food hygiene records.",
    "Skills",
    "Menu planning, food hygiene, stock control, pastry.",
    "Education",
    "Diploma in Professional Cookery, 2012",
)
#: The keywords a candidate hides, and the skills they name.
HIDDEN = "Python PyTorch TensorFlow machine learning deep learning SQL statistics"


@dataclass(frozen=True)
class Case:
    """One built file: its format, a name, what it is, and a builder of its bytes."""

    format: str
    name: str
    build: Callable[[], bytes]


# =============================================================================================
# PDF: raw objects
# =============================================================================================

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
PAGE_W, PAGE_H = 595, 842
TOP = 780
LEADING = 16
#: Where a trick puts its line: an empty part of the page below the CV.
HIDDEN_Y = 400


def pdf_string(text: str) -> bytes:
    """A PDF literal string."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def cv_text_ops(lines: tuple[str, ...] = CHEF, *, x: int = 72, top: int = TOP) -> bytes:
    """Content operators writing the CV lines in black 11 pt Helvetica."""
    ops = [b"BT 0 g /F1 11 Tf %d TL %d %d Td" % (LEADING, x, top)]
    for line in lines:
        ops.append(pdf_string(line) + b" Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


def hidden_ops(prefix: bytes = b"", *, x: int = 72, y: int = HIDDEN_Y, size: int = 10) -> bytes:
    """A text object writing :data:`HIDDEN` with ``prefix`` operators inside it."""
    return (
        b"BT /F1 %d Tf " % size + prefix + b" %d %d Td " % (x, y) + pdf_string(HIDDEN) + b" Tj ET\n"
    )


@dataclass(frozen=True)
class PdfParts:
    """What a PDF trick adds to the one-page CV: content before and after the CV's text,
    resources (the entries inside ``/Resources``), extra objects (numbered from 6), and
    entries for the catalog and the page."""

    before: bytes = b""
    after: bytes = b""
    resources: bytes = b""
    objects: tuple[bytes, ...] = ()
    catalog: bytes = b""
    page: bytes = b""
    lines: tuple[str, ...] = CHEF
    text_ops: bytes | None = None
    fonts: bytes = b""


def pdf(parts: PdfParts = PdfParts()) -> bytes:
    """A one-page A4 PDF: catalog 1, pages 2, page 3, content 4, Helvetica 5, then extras."""
    text = parts.text_ops if parts.text_ops is not None else cv_text_ops(parts.lines)
    content = parts.before + text + parts.after
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + parts.catalog + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (PAGE_W, PAGE_H)
            + b"/Resources << /Font << /F1 5 0 R "
            + parts.fonts
            + b">> "
            + parts.resources
            + b" >> /Contents 4 0 R "
            + parts.page
            + b">>",
            stream(content),
            HELVETICA,
            *parts.objects,
        ]
    )


def _form(content: bytes, bbox: tuple[float, ...], extra: bytes = b"") -> bytes:
    box = " ".join(f"{v:g}" for v in bbox).encode()
    return stream(
        content,
        b"/Type /XObject /Subtype /Form /BBox [" + box + b"] "
        b"/Resources << /Font << /F1 5 0 R >> >> " + extra,
    )


def _grey_image(width: int, height: int, pixels: bytes) -> bytes:
    """An 8-bit grey image XObject."""
    return stream(
        zlib.compress(pixels),
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode " % (width, height),
    )


def _type3_font() -> bytes:
    """A Type3 font whose every glyph (object 7) draws nothing."""
    chars = sorted(set(HIDDEN))
    names = {c: ("space" if c == " " else c) for c in chars}
    differences = b" ".join(b"%d /%s" % (ord(c), names[c].encode()) for c in chars)
    procs = b" ".join(b"/%s 7 0 R" % names[c].encode() for c in chars)
    first, last = ord(chars[0]), ord(chars[-1])
    widths = b" ".join(b"600" for _ in range(first, last + 1))
    return (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 600 700] "
        b"/FontMatrix [0.001 0 0 0.001 0 0] /Resources << >> "
        b"/Encoding << /Type /Encoding /Differences [" + differences + b"] >> "
        b"/CharProcs << "
        + procs
        + b" >> /FirstChar %d /LastChar %d /Widths [" % (first, last)
        + widths
        + b"] >>"
    )


def _page_image(source: bytes, *, decorate: bool = False) -> bytes:
    """The first page of ``source`` rendered as an 8-bit grey image (an image of the CV)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(source)
    try:
        bitmap = document[0].render(scale=1.5, grayscale=True)
        image = bitmap.to_pil().convert("L")
    finally:
        document.close()
    if decorate:
        from PIL import ImageDraw

        draw = ImageDraw.Draw(image)
        top = int((PAGE_H - HIDDEN_Y - 30) * 1.5)
        for row in range(90):  # a soft grey gradient band where the hidden text lies
            shade = 235 - row // 6
            draw.line([(0, top + row), (image.width, top + row)], fill=shade)
    return _grey_image(image.width, image.height, image.tobytes())


def _scan(extra_ops: bytes) -> bytes:
    """A scanned CV: a page-size image of the CV with the CV's text in render mode 3 over it,
    plus ``extra_ops``."""
    image = _page_image(pdf())
    text = cv_text_ops().replace(b"BT 0 g", b"BT 3 Tr")
    return pdf(
        PdfParts(
            before=b"q %d 0 0 %d 0 0 cm /Im1 Do Q\n" % (PAGE_W, PAGE_H),
            text_ops=text,
            after=extra_ops,
            resources=b"/XObject << /Im1 6 0 R >>",
            objects=(image,),
        )
    )


def _fake_ocr(decorate: bool) -> bytes:
    image = _page_image(pdf(), decorate=decorate)
    text = cv_text_ops().replace(b"BT 0 g", b"BT 3 Tr")
    return pdf(
        PdfParts(
            before=b"q %d 0 0 %d 0 0 cm /Im1 Do Q\n" % (PAGE_W, PAGE_H),
            text_ops=text,
            after=hidden_ops(b"3 Tr"),
            resources=b"/XObject << /Im1 6 0 R >>",
            objects=(image,),
        )
    )


def _white_square_annotation() -> bytes:
    appearance = b"1 1 1 rg 0 0 520 30 re f"
    return pdf(
        PdfParts(
            after=hidden_ops(b"0 g"),
            page=b"/Annots [6 0 R]",
            objects=(
                b"<< /Type /Annot /Subtype /Square /Rect [60 390 580 420] /F 4 /C [1 1 1] "
                b"/IC [1 1 1] /BS << /W 0 >> /AP << /N 7 0 R >> >>",
                _form(appearance, (0, 0, 520, 30)),
            ),
        )
    )


def _optional_content_off() -> bytes:
    return pdf(
        PdfParts(
            after=b"/OC /oc1 BDC\n" + hidden_ops(b"0 g") + b"EMC\n",
            resources=b"/Properties << /oc1 6 0 R >>",
            objects=(b"<< /Type /OCG /Name (Keywords) >>",),
            catalog=b"/OCProperties << /OCGs [6 0 R] /D << /OFF [6 0 R] >> >> ",
        )
    )


def _soft_mask() -> bytes:
    return pdf(
        PdfParts(
            after=b"q /GS1 gs\n" + hidden_ops(b"0 g") + b"Q\n",
            resources=b"/ExtGState << /GS1 << /SMask << /S /Luminosity /G 6 0 R >> >> >>",
            objects=(
                _form(
                    b"0 g 0 0 %d %d re f" % (PAGE_W, PAGE_H),
                    (0, 0, PAGE_W, PAGE_H),
                    b"/Group << /S /Transparency /CS /DeviceGray >>",
                ),
            ),
        )
    )


def _ext_gstate(state: bytes, colour: bytes = b"0 g") -> bytes:
    return pdf(
        PdfParts(
            after=b"q /GS1 gs\n" + hidden_ops(colour) + b"Q\n",
            resources=b"/ExtGState << /GS1 << " + state + b" >> >>",
        )
    )


def _in_form(content: bytes, bbox: tuple[float, ...]) -> bytes:
    return pdf(
        PdfParts(
            after=b"q /Fm1 Do Q\n",
            resources=b"/XObject << /Fm1 6 0 R >>",
            objects=(_form(content, bbox),),
        )
    )


def _over_white_image() -> bytes:
    return pdf(
        PdfParts(
            after=b"q 500 0 0 40 60 385 cm /Im1 Do Q\n" + hidden_ops(b"1 g"),
            resources=b"/XObject << /Im1 6 0 R >>",
            objects=(_grey_image(2, 2, b"\xff" * 4),),
        )
    )


def _under_image() -> bytes:
    return pdf(
        PdfParts(
            after=hidden_ops(b"0 g") + b"q 520 0 0 30 60 390 cm /Im1 Do Q\n",
            resources=b"/XObject << /Im1 6 0 R >>",
            objects=(_grey_image(2, 2, b"\xff" * 4),),
        )
    )


def _type3() -> bytes:
    ops = b"BT /T3 10 Tf 72 %d Td " % HIDDEN_Y + pdf_string(HIDDEN) + b" Tj ET\n"
    return pdf(
        PdfParts(
            after=ops,
            fonts=b"/T3 6 0 R",
            objects=(_type3_font(), stream(b"600 0 0 0 600 700 d1")),
        )
    )


PDF_TRICKS: dict[str, Callable[[], bytes]] = {
    "white text, colour set inside BT (base-14 font)": lambda: pdf(
        PdfParts(after=hidden_ops(b"1 1 1 rg"))
    ),
    "white text, colour set before BT": lambda: pdf(PdfParts(after=b"1 g " + hidden_ops())),
    "near-white text (#F6F6F6)": lambda: pdf(PdfParts(after=hidden_ops(b"0.965 g"))),
    "text coloured like the box under it": lambda: pdf(
        PdfParts(after=b"0.1 0.2 0.4 rg 60 390 520 30 re f\n" + hidden_ops(b"0.11 0.21 0.41 rg"))
    ),
    "render mode 3 (invisible)": lambda: pdf(PdfParts(after=hidden_ops(b"3 Tr"))),
    "render mode 7 (clip only)": lambda: pdf(PdfParts(after=hidden_ops(b"7 Tr"))),
    "white outline (render mode 1)": lambda: pdf(PdfParts(after=hidden_ops(b"1 Tr 1 G"))),
    "1 pt type": lambda: pdf(PdfParts(after=hidden_ops(size=1))),
    "shrunk by the text matrix": lambda: pdf(
        PdfParts(after=hidden_ops(b"0.05 0 0 0.05 72 400 Tm"))
    ),
    "1% horizontal scaling (Tz 1)": lambda: pdf(PdfParts(after=hidden_ops(b"1 Tz"))),
    "squeezed by a text matrix (0.02 x 5)": lambda: pdf(
        PdfParts(after=b"BT /F1 10 Tf 0.02 0 0 5 72 400 Tm " + pdf_string(HIDDEN) + b" Tj ET\n")
    ),
    "left of the page": lambda: pdf(PdfParts(after=hidden_ops(x=-600))),
    "below the page": lambda: pdf(PdfParts(after=hidden_ops(y=-60))),
    "under a later white box": lambda: pdf(
        PdfParts(after=hidden_ops() + b"1 g 60 390 520 30 re f\n")
    ),
    "under a later image": _under_image,
    "white text on a white image": _over_white_image,
    "clipped away by a clipping path (W n)": lambda: pdf(
        PdfParts(after=b"q 0 0 1 1 re W n\n" + hidden_ops() + b"Q\n")
    ),
    "clipped by a clip elsewhere on the page": lambda: pdf(
        PdfParts(after=b"q 300 700 40 10 re W n\n" + hidden_ops() + b"Q\n")
    ),
    "cut away by a form XObject's BBox": lambda: _in_form(hidden_ops(), (0, 0, 1, 1)),
    "white text inside a form XObject": lambda: _in_form(
        hidden_ops(b"1 g"), (0, 0, PAGE_W, PAGE_H)
    ),
    "optional content switched off": _optional_content_off,
    "soft mask that masks everything": _soft_mask,
    "fill alpha 0 (ca 0)": lambda: _ext_gstate(b"/ca 0"),
    "fill alpha 0.02": lambda: _ext_gstate(b"/ca 0.02"),
    "blend mode Lighten": lambda: _ext_gstate(b"/BM /Lighten"),
    "blend mode Screen": lambda: _ext_gstate(b"/BM /Screen"),
    "white Square annotation over the text": _white_square_annotation,
    "Type3 font whose glyphs draw nothing": _type3,
    "fake OCR layer over a scan that is blank there": lambda: _fake_ocr(decorate=False),
    "fake OCR layer over a decorated scan": lambda: _fake_ocr(decorate=True),
}


# -- honest PDF designs that look like tricks -------------------------------------------------


def _sidebar() -> bytes:
    side = b"0.1 0.15 0.27 rg 0 0 180 %d re f\n" % PAGE_H
    words = b"BT 1 g /F1 10 Tf 16 780 Td (Contact: marco@example.com) Tj 0 -16 Td "
    words += b"(Languages: Italian, English) Tj ET\n"
    return pdf(PdfParts(before=side + words, text_ops=cv_text_ops(x=200)))


def _header_band() -> bytes:
    band = b"0.2 0.2 0.2 rg 0 790 %d 52 re f\n" % PAGE_W
    name = b"BT 1 g /F1 20 Tf 72 808 Td (Marco Rossi - Head Chef) Tj ET\n"
    return pdf(PdfParts(before=band + name, text_ops=cv_text_ops(top=760)))


def _grey_dates() -> bytes:
    dates = b"BT 0.6 g /F1 9 Tf 420 700 Td (2018 - present) Tj 0 -32 Td (2013 - 2018) Tj ET\n"
    faint = b"BT 0.75 g /F1 9 Tf 420 560 Td (References on request) Tj ET\n"
    return pdf(PdfParts(after=dates + faint))


def _watermark() -> bytes:
    mark = b"q /GS1 gs BT 0 g /F1 60 Tf 0.7071 0.7071 -0.7071 0.7071 150 250 Tm "
    mark += b"(CONFIDENTIAL) Tj ET Q\n"
    return pdf(PdfParts(before=mark, resources=b"/ExtGState << /GS1 << /ca 0.12 >> >>"))


def _grey_watermark() -> bytes:
    mark = b"BT 0.92 g /F1 60 Tf 0.7071 0.7071 -0.7071 0.7071 150 250 Tm (CONFIDENTIAL) Tj ET\n"
    return pdf(PdfParts(before=mark))


def _table_header() -> bytes:
    cells = b""
    for k, label in enumerate((b"Year", b"Kitchen", b"Role")):
        cells += b"0.25 0.35 0.5 rg %d 500 150 20 re f\n" % (72 + 150 * k)
        cells += b"BT 1 g /F1 10 Tf %d 506 Td (%s) Tj ET\n" % (76 + 150 * k, label)
    return pdf(PdfParts(after=cells))


def _honest_scan() -> bytes:
    return _scan(b"")


def _link_annotation() -> bytes:
    return pdf(
        PdfParts(
            page=b"/Annots [6 0 R]",
            objects=(
                b"<< /Type /Annot /Subtype /Link /Rect [70 770 200 795] /Border [0 0 0] "
                b"/A << /S /URI /URI (https://example.com) >> >>",
            ),
        )
    )


def _condensed() -> bytes:
    return pdf(PdfParts(text_ops=cv_text_ops().replace(b"BT 0 g", b"BT 0 g 85 Tz")))


PDF_DESIGNS: dict[str, Callable[[], bytes]] = {
    "white text on a dark sidebar": _sidebar,
    "white name on a dark header band": _header_band,
    "light-grey dates and small print": _grey_dates,
    "faint 60 pt CONFIDENTIAL watermark (alpha 0.12)": _watermark,
    "faint 60 pt CONFIDENTIAL watermark (#EBEBEB)": _grey_watermark,
    "white table headers on shaded cells": _table_header,
    "an honest OCR'd scan": _honest_scan,
    "a link annotation over the name": _link_annotation,
    "condensed type (Tz 85)": _condensed,
}


# =============================================================================================
# DOCX
# =============================================================================================

_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)


def _docx(edit: Callable[[object], None] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for line in CHEF:
        document.add_paragraph(line)
    if edit is not None:
        edit(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xml(text: str) -> object:
    """A WordprocessingML element from XML text, with the namespaces declared."""
    from docx.oxml import parse_xml

    return parse_xml(re.sub(r"^<([\w:]+)", lambda m: f"<{m.group(1)} {_NS}", text, count=1))


def _run_with(rpr: str, text: str = HIDDEN) -> Callable[[object], None]:
    def edit(document: object) -> None:
        paragraph = document.add_paragraph()  # type: ignore[attr-defined]
        paragraph._p.append(
            _xml(f"<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space='preserve'>{text}</w:t></w:r>")
        )

    return edit


def _anchor(
    body: str,
    *,
    x: int = 914400,
    y: int = 914400,
    cx: int = 3000000,
    cy: int = 400000,
    behind: bool = False,
) -> str:
    return (
        f'<w:r><w:drawing><wp:anchor behindDoc="{int(behind)}" distT="0" distB="0" distL="0" '
        'distR="0" simplePos="0" locked="0" layoutInCell="1" allowOverlap="1" '
        'relativeHeight="3"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:wrapNone/><wp:docPr id="9" name="Shape 9"/>'
        "<a:graphic><a:graphicData "
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"{body}</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )


def _shape(fill: str, text: str = "", colour: str = "FFFFFF", cx: int = 3000000) -> str:
    box = ""
    if text:
        box = (
            f'<wps:txbx><w:txbxContent><w:p><w:r><w:rPr><w:color w:val="{colour}"/></w:rPr>'
            f"<w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
        )
    return (
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{cx}" cy="400000"/></a:xfrm><a:prstGeom prst="rect"/>{fill}</wps:spPr>'
        f"{box}<wps:bodyPr/></wps:wsp>"
    )


def _paragraph_xml(inner: str) -> Callable[[object], None]:
    def edit(document: object) -> None:
        document.add_paragraph()._p.append(_xml(inner))  # type: ignore[attr-defined]

    return edit


def _both(*edits: Callable[[object], None]) -> Callable[[object], None]:
    def edit(document: object) -> None:
        for one in edits:
            one(document)

    return edit


def _first_page_header(shown: bool, text: str = HIDDEN) -> Callable[[object], None]:
    """A first-page header with ``text``; Word shows it only when the section says so."""

    def edit(document: object) -> None:
        section = document.sections[0]  # type: ignore[attr-defined]
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = text
        section.different_first_page_header_footer = shown

    return edit


def _even_page_header(shown: bool, text: str = HIDDEN) -> Callable[[object], None]:
    """An even-page header with ``text``; Word shows it only when the settings say so."""

    def edit(document: object) -> None:
        document.sections[0].even_page_header.paragraphs[0].text = text  # type: ignore[attr-defined]
        document.settings.odd_and_even_pages_header_footer = shown  # type: ignore[attr-defined]

    return edit


_SOLID_WHITE = '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
_BG1 = '<a:solidFill><a:schemeClr val="bg1"/></a:solidFill>'
_DARK = '<a:solidFill><a:srgbClr val="1F3864"/></a:solidFill>'

DOCX_TRICKS: dict[str, Callable[[], bytes]] = {
    "hidden run (w:vanish)": lambda: _docx(_run_with("<w:vanish/>")),
    "white text": lambda: _docx(_run_with('<w:color w:val="FFFFFF"/>')),
    "1 pt type": lambda: _docx(_run_with('<w:sz w:val="2"/>')),
    "white text with a 1-EMU behindDoc shape elsewhere": lambda: _docx(
        _both(
            _paragraph_xml(_anchor(_shape(_DARK), cx=1, cy=1, behind=True)),
            _run_with('<w:color w:val="FFFFFF"/>'),
        )
    ),
    "text box 55 cm off the page": lambda: _docx(
        _paragraph_xml(_anchor(_shape("<a:noFill/>", HIDDEN, "000000"), x=19800000))
    ),
    "white text in a box filled with the theme background (bg1)": lambda: _docx(
        _paragraph_xml(_anchor(_shape(_BG1, HIDDEN)))
    ),
    "1% character scaling (w:w)": lambda: _docx(_run_with('<w:w w:val="1"/>')),
    "text colour from the theme background (themeColor)": lambda: _docx(
        _run_with('<w:color w:val="000000" w:themeColor="background1"/>')
    ),
    "a first-page header Word never shows (no titlePg)": lambda: _docx(
        _first_page_header(shown=False)
    ),
    "an even-page header Word never shows (no evenAndOddHeaders)": lambda: _docx(
        _even_page_header(shown=False)
    ),
    "lowered 1,000 pt (w:position)": lambda: _docx(_run_with('<w:position w:val="-2000"/>')),
    "a text box 1 EMU high that does not grow": lambda: _docx(
        _paragraph_xml(_anchor(_shape("<a:noFill/>", HIDDEN, "000000"), cy=1))
    ),
}


def _dark_table(document: object) -> None:
    table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
    for k, label in enumerate(("Year", "Kitchen")):
        cell = table.rows[0].cells[k]
        cell._tc.get_or_add_tcPr().append(_xml('<w:shd w:val="clear" w:fill="1F3864"/>'))
        paragraph = cell.paragraphs[0]
        paragraph._p.append(
            _xml(f'<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>{label}</w:t></w:r>')
        )
    table.rows[1].cells[0].text = "2018"
    table.rows[1].cells[1].text = "Trattoria Verde"


DOCX_DESIGNS: dict[str, Callable[[], bytes]] = {
    "white table headers on dark cells": lambda: _docx(_dark_table),
    "white text in a dark text box": lambda: _docx(
        _paragraph_xml(_anchor(_shape(_DARK, "Contact: marco@example.com")))
    ),
    "white name on a dark header band behind the text": lambda: _docx(
        _both(
            _paragraph_xml(_anchor(_shape(_DARK), cx=7560000, cy=900000, behind=True)),
            _run_with('<w:color w:val="FFFFFF"/>', "Marco Rossi, Head Chef"),
        )
    ),
    "light-grey dates": lambda: _docx(_run_with('<w:color w:val="999999"/>', "2013 - 2018")),
    "a different first-page header": lambda: _docx(
        _first_page_header(shown=True, text="Marco Rossi - Curriculum Vitae")
    ),
    "different even-page headers": lambda: _docx(
        _even_page_header(shown=True, text="Marco Rossi - Curriculum Vitae")
    ),
}


# =============================================================================================
# ODT
# =============================================================================================

_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)


def odt(extra: str = "", styles: str = "") -> bytes:
    """An ODT of the CV lines, then ``extra`` body XML, with automatic ``styles``."""
    body = "".join(f"<text:p>{line.replace('&', '&amp;')}</text:p>" for line in CHEF)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODT_NS} '
        f'office:version="1.2"><office:automatic-styles>{styles}</office:automatic-styles>'
        f"<office:body><office:text>{body}{extra}</office:text></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return out.getvalue()


def _odt_span(properties: str, family: str = "text") -> bytes:
    style = (
        f'<style:style style:name="H1" style:family="{family}">'
        f"<style:text-properties {properties}/></style:style>"
    )
    if family == "paragraph":
        return odt(f'<text:p text:style-name="H1">{HIDDEN}</text:p>', style)
    span = f'<text:span text:style-name="H1">{HIDDEN}</text:span>'
    return odt(f"<text:p>Also: {span}</text:p>", style)


ODT_TRICKS: dict[str, Callable[[], bytes]] = {
    "hidden span (text:display none)": lambda: _odt_span('text:display="none"'),
    "hidden section": lambda: odt(
        f'<text:section text:name="S1" text:display="none"><text:p>{HIDDEN}</text:p></text:section>'
    ),
    "hidden paragraph field": lambda: odt(
        f'<text:p><text:hidden-paragraph text:condition="ooow:1" text:is-hidden="true"/>'
        f"{HIDDEN}</text:p>"
    ),
    "hidden text field": lambda: odt(
        f'<text:p>Notes <text:hidden-text text:condition="ooow:1" text:string-value="{HIDDEN}" '
        f'text:is-hidden="true">{HIDDEN}</text:hidden-text></text:p>'
    ),
    "white span": lambda: _odt_span('fo:color="#ffffff"'),
    "white paragraph style": lambda: _odt_span('fo:color="#ffffff"', "paragraph"),
    "1 pt span": lambda: _odt_span('fo:font-size="1pt"'),
    "section hidden by a condition that is always true": lambda: odt(
        f'<text:section text:name="S1" text:display="condition" text:condition="ooow:TRUE">'
        f"<text:p>{HIDDEN}</text:p></text:section>"
    ),
}

ODT_DESIGNS: dict[str, Callable[[], bytes]] = {
    "white text on a dark paragraph": lambda: odt(
        '<text:p text:style-name="D1">Contact: marco@example.com</text:p>',
        '<style:style style:name="D1" style:family="paragraph"><style:paragraph-properties '
        'fo:background-color="#1f3864"/><style:text-properties fo:color="#ffffff"/>'
        "</style:style>",
    ),
    "light-grey dates": lambda: odt(
        '<text:p>Sous Chef <text:span text:style-name="G1">2013 - 2018</text:span></text:p>',
        '<style:style style:name="G1" style:family="text">'
        '<style:text-properties fo:color="#999999"/></style:style>',
    ),
}


# =============================================================================================
# RTF
# =============================================================================================


def rtf(extra: str = "", colours: str = "") -> bytes:
    """An RTF of the CV lines, then ``extra`` RTF, with ``colours`` in the colour table."""
    lines = "".join(line.replace("\\", "\\\\") + "\\par\n" for line in CHEF)
    head = (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Helvetica;}}"
        "{\\colortbl;\\red0\\green0\\blue0;" + colours + "}\n\\f0\\fs22 "
    )
    return (head + lines + extra + "}").encode("cp1252")


_WHITE = "\\red255\\green255\\blue255;"
_NAVY = "\\red31\\green56\\blue100;"
_GREY = "\\red153\\green153\\blue153;"

RTF_TRICKS: dict[str, Callable[[], bytes]] = {
    "hidden text (\\v)": lambda: rtf("{\\v " + HIDDEN + "}\\par "),
    "white text (\\cf)": lambda: rtf("{\\cf2 " + HIDDEN + "}\\par ", _WHITE),
    "1 pt type (\\fs2)": lambda: rtf("{\\fs2 " + HIDDEN + "}\\par "),
    "half-point type (\\fs1)": lambda: rtf("{\\fs1 " + HIDDEN + "}\\par "),
    "text coloured like its highlight": lambda: rtf(
        "{\\cf2\\highlight2 " + HIDDEN + "}\\par ", _NAVY
    ),
    "hidden then shown again (\\v ... \\v0)": lambda: rtf(
        "Also \\v " + HIDDEN + "\\v0  cooking.\\par "
    ),
    "1% character scaling (\\charscalex1)": lambda: rtf("{\\charscalex1 " + HIDDEN + "}\\par "),
}

RTF_DESIGNS: dict[str, Callable[[], bytes]] = {
    "white text on a dark highlight": lambda: rtf(
        "{\\cf3\\highlight2 Contact: marco@example.com}\\par ", _NAVY + _WHITE
    ),
    "light-grey dates": lambda: rtf("{\\cf2 2013 - 2018}\\par ", _GREY),
}


# =============================================================================================
# HTML
# =============================================================================================


def html(extra: str = "", css: str = "", body_style: str = "") -> bytes:
    """An HTML page of the CV lines, then ``extra`` markup, with ``css`` in a style block."""
    lines = "".join(f"<p>{line.replace('&', '&amp;')}</p>\n" for line in CHEF)
    style = f' style="{body_style}"' if body_style else ""
    return (
        f"<!doctype html><html><head><title>Marco Rossi</title><style>{css}</style></head>"
        f"<body{style}>\n{lines}{extra}</body></html>"
    ).encode()


def _styled(style: str) -> bytes:
    return html(f'<p style="{style}">{HIDDEN}</p>')


HTML_TRICKS: dict[str, Callable[[], bytes]] = {
    "display:none": lambda: _styled("display:none"),
    "visibility:hidden": lambda: _styled("visibility: hidden"),
    "the hidden attribute": lambda: html(f"<div hidden>{HIDDEN}</div>"),
    "a CSS class that hides": lambda: html(f'<p class="kw">{HIDDEN}</p>', ".kw { display: none }"),
    "font-size:0": lambda: _styled("font-size:0"),
    "font-size:1px": lambda: _styled("font-size:1px"),
    "white text on a white page": lambda: _styled("color:#fff"),
    "colour equal to the page background": lambda: html(
        f'<p style="color:#fdf6e3">{HIDDEN}</p>', body_style="background:#fdf6e3"
    ),
    "opacity:0": lambda: _styled("opacity:0"),
    "colour transparent": lambda: _styled("color: transparent"),
    "off-screen (position absolute, left -9999px)": lambda: _styled(
        "position:absolute;left:-9999px"
    ),
    "text-indent -9999px": lambda: _styled("text-indent:-9999px;overflow:hidden"),
    "zero-size box with overflow hidden": lambda: _styled("height:0;width:0;overflow:hidden"),
    "clip rect(0 0 0 0)": lambda: _styled("position:absolute;clip:rect(0 0 0 0)"),
    "an id rule that hides": lambda: html(
        f'<div id="k"><span>{HIDDEN}</span></div>', "#k{visibility:hidden}"
    ),
    "white font tag": lambda: html(f'<p><font color="white">{HIDDEN}</font></p>'),
    "a 1 px box with overflow hidden (screen-reader only)": lambda: _styled(
        "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(1px,1px,1px,1px)"
    ),
    "translated off the screen": lambda: _styled("transform:translateX(-10000px)"),
    "filter: opacity(0)": lambda: _styled("filter: opacity(0)"),
}

HTML_DESIGNS: dict[str, Callable[[], bytes]] = {
    "white text on a dark header": lambda: html(
        '<header style="background:#1f3864;color:#ffffff"><h1>Marco Rossi</h1></header>'
    ),
    "light-grey dates": lambda: html('<p style="color:#999">2013 - 2018</p>'),
    "print-only and media rules": lambda: html(
        "<p class='small'>References on request</p>",
        "@media print { .small { display:none } } .small { font-size: 11px; color: #777 }",
    ),
    "a dark theme with light text": lambda: html(
        "", "body { background:#111; color:#eee }", "background:#111;color:#eee"
    ),
}


def trick_cases() -> list[Case]:
    """Every trick, in every format."""
    groups = (
        ("pdf", PDF_TRICKS),
        ("docx", DOCX_TRICKS),
        ("odt", ODT_TRICKS),
        ("rtf", RTF_TRICKS),
        ("html", HTML_TRICKS),
    )
    return [Case(fmt, name, build) for fmt, table in groups for name, build in table.items()]


def design_cases() -> list[Case]:
    """Every honest design that looks like a trick, in every format."""
    groups = (
        ("pdf", PDF_DESIGNS),
        ("docx", DOCX_DESIGNS),
        ("odt", ODT_DESIGNS),
        ("rtf", RTF_DESIGNS),
        ("html", HTML_DESIGNS),
    )
    return [Case(fmt, name, build) for fmt, table in groups for name, build in table.items()]


#: The honest CV in each format.
HONEST: dict[str, Callable[[], bytes]] = {
    "pdf": pdf,
    "docx": _docx,
    "odt": odt,
    "rtf": rtf,
    "html": html,
}

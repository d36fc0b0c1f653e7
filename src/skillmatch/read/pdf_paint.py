"""Which characters of a PDF page a viewer actually paints: the second half of the hidden-text
check (:mod:`skillmatch.read.pdf_hidden` screens the page objects first).

The page is rendered once, in grey at 72 dpi, the way a viewer shows it: annotations drawn,
optional content that is off left out, clipping paths and form bounding boxes applied, soft
masks, transparency and blend modes composited, Type3 glyphs run. A character is **painted**
when its glyph box (grown by a pixel) holds an edge: two neighbouring pixels that differ by
more than :data:`INK` grey levels. Text that leaves no edge where it lies is not painted,
whatever the cause (clipped away, masked, in a layer that is off, blended into the white page,
drawn by glyphs with no ink, under a white annotation, or a text layer over a scan that shows
nothing there); an honest OCR'd scan is painted, because the scan shows the words where the
invisible text lies.

Glyphs squeezed to a sliver (horizontal scaling ``Tz 1``, a text matrix that flattens them)
still leave a pixel of ink, so they are caught by their shape instead: a run of glyphs each
less than :data:`MIN_ASPECT` as wide as it is tall.

An edge map and its summed-area table make each character's test four look-ups.

Rendering costs about as much as reading the page's text, so it is only done on pages where
the screen sees a reason (:func:`paint_signal`, :func:`painting_annotations`): text that is
clipped, inside a form XObject, transparent or blended, marked as optional content, drawn in a
Type3 font, squeezed into a narrow box, over an image or a scan, or a page with annotations
that paint. Not seen: an embedded font whose glyphs are empty outlines.
"""

from __future__ import annotations

import ctypes
import struct

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from skillmatch.read.pdf_objects import (
    CHAR_BOX,
    Handle,
)

#: Reads a ``c_double * 4`` buffer at once.
FOUR_DOUBLES = struct.Struct("4d").unpack_from

#: Rendering scale (1 = 72 dpi): a 6 pt glyph is 6 pixels tall. At 0.5 pdfium paints a faint
#: (12% opaque) 60 pt watermark as almost nothing (252 of 255), so the scale stays at 1.
SCALE = 1.0
#: Neighbouring pixels differing by more than this many grey levels (of 255) make an edge.
INK = 6
#: Glyph boxes less than this share as wide as they are tall are squeezed out of sight
#: (ordinary type is 0.4 to 0.7; a narrow "l" 0.1).
MIN_ASPECT = 0.05
#: A run of fewer squeezed glyphs than this is left alone.
MIN_GLYPHS = 3


def unpainted_chars(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, text: str, known: dict[int, str]
) -> dict[int, str]:
    """The characters of ``text`` (the text page's text) that the page does not show, by
    index, with the reason (``not_painted`` or ``squeezed``); white space and the characters
    in ``known`` (already found hidden) are not looked at.

    The page is first rendered at half :data:`SCALE` (a quarter of the pixels); only when some
    character shows no ink there is it rendered at full scale, and only those characters are
    judged again (pdfium paints faint type lighter at low resolution, so the full scale
    decides)."""
    indexes, boxes = _char_boxes(textpage, text, known)
    if not indexes.size:
        return {}
    found = _squeezed(textpage, indexes, boxes)
    blank = _blank(page, boxes, SCALE / 2, grow=0)
    if blank.any():
        blank[blank] = _blank(page, boxes[blank], SCALE, grow=1)
    for index in indexes[blank].tolist():
        found.setdefault(index, "not_painted")
    return found


#: Annotation subtypes that paint nothing over the page (links, pop-up notes).
_QUIET_ANNOTATIONS = frozenset((pdfium_c.FPDF_ANNOT_LINK, pdfium_c.FPDF_ANNOT_POPUP))
#: Text objects narrower than this share of their height may be squeezed, when they carry at
#: least this many characters.
NARROW = 0.5
NARROW_CHARS = 3


def paint_signal(
    *, in_form: bool, clipped: bool, optional: bool, type3: bool, squeezed: bool
) -> str | None:
    """Why the page of a text object must be rendered to judge it, or ``None``: it is in a
    form XObject (cut by its bounding box?), cut by a clipping path, marked as optional
    content, drawn in a Type3 font (glyphs that may draw nothing) or squeezed into a box
    narrower than :data:`NARROW` of its height with :data:`NARROW_CHARS` characters or
    more. The screen (:mod:`skillmatch.read.pdf_hidden`) finds these facts."""
    for reason, present in (
        ("form", in_form),
        ("clip", clipped),
        ("optional content", optional),
        ("type3", type3),
        ("narrow", squeezed),
    ):
        if present:
            return reason
    return None


def is_type3(font: int, fonts: dict[int, bool]) -> bool:
    """Whether the font at this address is a Type3 font; ``fonts`` caches the answers."""
    known = fonts.get(font)
    if known is None:
        known = fonts[font] = bool(font) and _type3(Handle(font))
    return known


def _type3(font: Handle) -> bool:
    """Whether a font is a Type3 font (embedded, but with no font program to give)."""
    raw = ctypes.cast(font, pdfium_c.FPDF_FONT)
    if not pdfium_c.FPDFFont_GetIsEmbedded(raw):
        return False
    size = ctypes.c_size_t()
    return bool(pdfium_c.FPDFFont_GetFontData(raw, None, 0, ctypes.byref(size))) and not size.value


def painting_annotations(page: pdfium.PdfPage) -> bool:
    """Whether the page has annotations that paint over it (not links or pop-ups)."""
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annotation = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annotation:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annotation) not in _QUIET_ANNOTATIONS:
                return True
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annotation)
    return False


def _blank(page: pdfium.PdfPage, boxes: np.ndarray, scale: float, *, grow: int) -> np.ndarray:
    """Which of ``boxes`` (left, right, bottom, top in page space) hold no edge when the page
    is rendered at ``scale``, each grown by ``grow`` pixels (boxes off the page are not
    blank: the screen judges them)."""
    table, to_device, (width, height) = _ink_table(page, scale)
    a, b, c, d, e, f = to_device
    left, right, bottom, top = boxes.T
    xs = np.stack((a * left + c * bottom + e, a * right + c * top + e))
    ys = np.stack((b * left + d * bottom + f, b * right + d * top + f))
    x0 = np.clip(np.floor(xs.min(axis=0)).astype(np.int64) - grow, 0, width)
    x1 = np.clip(np.ceil(xs.max(axis=0)).astype(np.int64) + grow, 0, width)
    y0 = np.clip(np.floor(ys.min(axis=0)).astype(np.int64) - grow, 0, height)
    y1 = np.clip(np.ceil(ys.max(axis=0)).astype(np.int64) + grow, 0, height)
    ink = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
    blank: np.ndarray = (x1 > x0) & (y1 > y0) & (ink == 0)
    return blank


def _char_boxes(
    textpage: pdfium.PdfTextPage, text: str, known: dict[int, str]
) -> tuple[np.ndarray, np.ndarray]:
    """The characters to look at (not white space, not known): their indexes and their glyph
    boxes (left, right, bottom, top in page space)."""
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
    box = (ctypes.c_double * 4)()
    refs = [ctypes.byref(box, 8 * k) for k in range(4)]
    read = FOUR_DOUBLES
    indexes, boxes = [], []
    for index, char in enumerate(text):
        if char.isspace() or index in known or not CHAR_BOX(handle, index, *refs):
            continue
        indexes.append(index)
        boxes.append(read(box))
    found = np.array(boxes, dtype=np.float64).reshape(-1, 4)
    valid = (found[:, 1] >= found[:, 0]) & (found[:, 3] >= found[:, 2])
    return np.array(indexes, dtype=np.int64)[valid], found[valid]


def _squeezed(
    textpage: pdfium.PdfTextPage, indexes: np.ndarray, boxes: np.ndarray
) -> dict[int, str]:
    """The characters of runs of :data:`MIN_GLYPHS` or more glyphs squeezed to slivers
    (each less than :data:`MIN_ASPECT` as wide as it is tall)."""
    widths, heights = boxes[:, 1] - boxes[:, 0], boxes[:, 3] - boxes[:, 2]
    thin = (heights > 0) & (widths < MIN_ASPECT * heights)
    found: dict[int, str] = {}
    if thin.sum() < MIN_GLYPHS:
        return found
    edges = np.flatnonzero(np.diff(np.concatenate(([0], thin.astype(np.int8), [0]))))
    for start, stop in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if stop - start < MIN_GLYPHS:
            continue
        members = indexes[start:stop].tolist()
        if _glyph_aspect(textpage, members, boxes[start:stop]) < MIN_ASPECT:
            found.update(dict.fromkeys(members, "squeezed"))
    return found


def _glyph_aspect(textpage: pdfium.PdfTextPage, indexes: list[int], boxes: np.ndarray) -> float:
    """Width over height of a text object's glyphs, each glyph counted once: characters that
    share an origin come from one glyph (an icon whose text is a whole "mailto:" address, which
    pdfium splits into slivers), so their boxes are joined."""
    glyphs: dict[tuple[float, float], list[float]] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    for index, (left, right, bottom, top) in zip(indexes, boxes.tolist(), strict=True):
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
        key = (round(x.value, 2), round(y.value, 2))
        if key in glyphs:
            glyph = glyphs[key]
            glyph[0], glyph[1] = min(glyph[0], left), max(glyph[1], right)
        else:
            glyphs[key] = [left, right, top - bottom]
    if len(glyphs) < MIN_GLYPHS:
        return 1.0
    height = sum(glyph[2] for glyph in glyphs.values())
    width = sum(glyph[1] - glyph[0] for glyph in glyphs.values())
    return width / height if height > 0 else 1.0


def _ink_table(
    page: pdfium.PdfPage, scale: float
) -> tuple[np.ndarray, tuple[float, float, float, float, float, float], tuple[int, int]]:
    """The summed-area table of the page's edge map at ``scale``, the page-to-pixel transform
    and the bitmap's size."""
    bitmap = page.render(scale=scale, grayscale=True, draw_annots=True, may_draw_forms=True)
    try:
        pixels = bitmap.to_numpy().astype(np.int16)
    finally:
        bitmap.close()
    if pixels.ndim == 3:
        pixels = pixels.mean(axis=2).astype(np.int16)
    height, width = pixels.shape
    ink = np.zeros((height, width), dtype=bool)
    ink[:, 1:] |= np.abs(np.diff(pixels, axis=1)) > INK
    ink[1:, :] |= np.abs(np.diff(pixels, axis=0)) > INK
    table = np.zeros((height + 1, width + 1), dtype=np.int32)
    table[1:, 1:] = ink.cumsum(axis=0, dtype=np.int32).cumsum(axis=1, dtype=np.int32)
    return table, _to_device(page, width, height), (width, height)


def _to_device(
    page: pdfium.PdfPage, width: int, height: int
) -> tuple[float, float, float, float, float, float]:
    """The affine map from page space to the bitmap's pixels (x' = a x + c y + e,
    y' = b x + d y + f), from three points pdfium maps."""
    points = []
    for x, y in ((0.0, 0.0), (1000.0, 0.0), (0.0, 1000.0)):
        device_x, device_y = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(
            page.raw, 0, 0, width, height, 0, x, y, ctypes.byref(device_x), ctypes.byref(device_y)
        )
        points.append((device_x.value, device_y.value))
    (e, f), (x1, y1), (x2, y2) = points
    return (x1 - e) / 1000, (y1 - f) / 1000, (x2 - e) / 1000, (y2 - f) / 1000, e, f

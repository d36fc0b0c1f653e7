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
still leave a pixel of ink, so they are caught by their shape instead: a text object whose
glyphs are on average less than :data:`MIN_ASPECT` as wide as they are tall.

An edge map and its summed-area table make each character's test four look-ups.
"""

from __future__ import annotations

import ctypes

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from skillmatch.read.pdf_objects import CHAR_BOX, TEXT_OBJECT

#: Rendering scale (1 = 72 dpi): a 6 pt glyph is 6 pixels tall. At 0.5 pdfium paints a faint
#: (12% opaque) 60 pt watermark as almost nothing (252 of 255), so the scale stays at 1.
SCALE = 1.0
#: Neighbouring pixels differing by more than this many grey levels (of 255) make an edge.
INK = 6
#: A text object whose glyph boxes are together less than this share as wide as they are tall
#: is squeezed out of sight (ordinary type is 0.4 to 0.7; a narrow "l" alone 0.1).
MIN_ASPECT = 0.05
#: Fewer glyphs than this in a text object do not decide its shape.
MIN_GLYPHS = 3


def unpainted_chars(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, text: str, known: dict[int, str]
) -> dict[int, str]:
    """The characters of ``text`` (the text page's text) that the page does not show, by
    index, with the reason (``not_painted`` or ``squeezed``); white space and the characters
    in ``known`` (already found hidden) are not looked at."""
    indexes, objects, boxes = _char_boxes(textpage, text, known)
    if not indexes.size:
        return {}
    found = _squeezed(textpage, indexes, objects, boxes)
    table, to_device, size = _ink_table(page)
    width, height = size
    a, b, c, d, e, f = to_device
    left, right, bottom, top = boxes.T
    xs = np.stack((a * left + c * bottom + e, a * right + c * top + e))
    ys = np.stack((b * left + d * bottom + f, b * right + d * top + f))
    x0 = np.clip(np.floor(xs.min(axis=0)).astype(np.int64) - 1, 0, width)
    x1 = np.clip(np.floor(xs.max(axis=0)).astype(np.int64) + 2, 0, width)
    y0 = np.clip(np.floor(ys.min(axis=0)).astype(np.int64) - 1, 0, height)
    y1 = np.clip(np.floor(ys.max(axis=0)).astype(np.int64) + 2, 0, height)
    ink = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
    on_page = (x1 > x0) & (y1 > y0)  # off the page: the screen judges that
    for index in indexes[on_page & (ink == 0)].tolist():
        found.setdefault(index, "not_painted")
    return found


def _char_boxes(
    textpage: pdfium.PdfTextPage, text: str, known: dict[int, str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The characters to look at (not white space, not known): their indexes, their text
    objects' addresses and their glyph boxes (left, right, bottom, top in page space)."""
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
    box = (ctypes.c_double * 4)()
    refs = [ctypes.byref(box, 8 * k) for k in range(4)]
    indexes, objects, boxes = [], [], []
    for index, char in enumerate(text):
        if char.isspace() or index in known or not CHAR_BOX(handle, index, *refs):
            continue
        left, right, bottom, top = box
        if right < left or top < bottom:
            continue
        indexes.append(index)
        objects.append(TEXT_OBJECT(handle, index) or 0)
        boxes.append((left, right, bottom, top))
    return (
        np.array(indexes, dtype=np.int64),
        np.array(objects, dtype=np.uint64),
        np.array(boxes, dtype=np.float64).reshape(-1, 4),
    )


def _squeezed(
    textpage: pdfium.PdfTextPage, indexes: np.ndarray, objects: np.ndarray, boxes: np.ndarray
) -> dict[int, str]:
    """The characters of text objects squeezed to a sliver."""
    _, group = np.unique(objects, return_inverse=True)
    widths = np.bincount(group, weights=boxes[:, 1] - boxes[:, 0])
    heights = np.bincount(group, weights=boxes[:, 3] - boxes[:, 2])
    counts = np.bincount(group)
    thin = (counts >= MIN_GLYPHS) & (heights > 0) & (widths < MIN_ASPECT * heights)
    found: dict[int, str] = {}
    for member in np.flatnonzero(thin).tolist():
        chosen = group == member
        members = indexes[chosen].tolist()
        if _glyph_aspect(textpage, members, boxes[chosen]) < MIN_ASPECT:
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
    page: pdfium.PdfPage,
) -> tuple[np.ndarray, tuple[float, float, float, float, float, float], tuple[int, int]]:
    """The summed-area table of the page's edge map, the page-to-pixel transform and the
    bitmap's size."""
    bitmap = page.render(scale=SCALE, grayscale=True, draw_annots=True, may_draw_forms=True)
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

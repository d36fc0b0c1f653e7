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
from collections import defaultdict

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from skillmatch.read.pdf_objects import CHAR_BOX, TEXT_OBJECT

#: Rendering scale (1 = 72 dpi): a 6 pt glyph is 6 pixels tall.
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
    boxes = _char_boxes(textpage, text, known)
    if not boxes:
        return {}
    found = _squeezed(textpage, boxes)
    table, to_device, size = _ink_table(page)
    width, height = size
    a, b, c, d, e, f = to_device
    for index, (left, right, bottom, top) in boxes.items():
        if index in found:
            continue
        xs = (a * left + c * bottom + e, a * right + c * top + e)
        ys = (b * left + d * bottom + f, b * right + d * top + f)
        x0, x1 = max(0, int(min(xs)) - 1), min(width, int(max(xs)) + 2)
        y0, y1 = max(0, int(min(ys)) - 1), min(height, int(max(ys)) + 2)
        if x1 <= x0 or y1 <= y0:
            continue  # off the page: the screen judges that
        if not table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]:
            found[index] = "not_painted"
    return found


def _char_boxes(
    textpage: pdfium.PdfTextPage, text: str, known: dict[int, str]
) -> dict[int, tuple[float, float, float, float]]:
    """Each visible-looking character's glyph box: left, right, bottom, top (page space)."""
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
    box = (ctypes.c_double * 4)()
    refs = [ctypes.byref(box, 8 * k) for k in range(4)]
    boxes = {}
    for index, char in enumerate(text):
        if char.isspace() or index in known:
            continue
        if not CHAR_BOX(handle, index, *refs):
            continue
        left, right, bottom, top = box
        if right < left or top < bottom:
            continue
        boxes[index] = (left, right, bottom, top)
    return boxes


def _squeezed(
    textpage: pdfium.PdfTextPage, boxes: dict[int, tuple[float, float, float, float]]
) -> dict[int, str]:
    """The characters of text objects squeezed to a sliver."""
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
    shapes: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    members: dict[int, list[int]] = defaultdict(list)
    for index, (left, right, bottom, top) in boxes.items():
        obj = TEXT_OBJECT(handle, index) or 0
        shape = shapes[obj]
        shape[0] += right - left
        shape[1] += top - bottom
        members[obj].append(index)
    found = {}
    for obj, (width, height) in shapes.items():
        thin = len(members[obj]) >= MIN_GLYPHS and height > 0 and width < MIN_ASPECT * height
        if thin and _glyph_aspect(textpage, members[obj], boxes) < MIN_ASPECT:
            found.update(dict.fromkeys(members[obj], "squeezed"))
    return found


def _glyph_aspect(
    textpage: pdfium.PdfTextPage,
    indexes: list[int],
    boxes: dict[int, tuple[float, float, float, float]],
) -> float:
    """Width over height of a text object's glyphs, each glyph counted once: characters that
    share an origin come from one glyph (an icon whose text is a whole "mailto:" address, which
    pdfium splits into slivers), so their boxes are joined."""
    glyphs: dict[tuple[float, float], list[float]] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    for index in indexes:
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
        left, right, bottom, top = boxes[index]
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

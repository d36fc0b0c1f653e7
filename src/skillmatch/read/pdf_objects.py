"""pdfium page objects, read fast: the bindings, colours and geometry the hidden-text screen
(:mod:`skillmatch.read.pdf_hidden`) uses for every object of a page.

The bindings skip ctypes' argument conversion (pypdfium2's typed wrappers cost about four
times the call itself); they take :class:`Handle` objects, which ctypes passes as pointers.
"""

from __future__ import annotations

import ctypes
import functools
import struct
from typing import Any

import pypdfium2.raw as pdfium_c

Box = tuple[float, float, float, float]
"""A box in page space: left, bottom, right, top (PDF points, y upwards)."""
Colour = tuple[int, int, int]
WHITE: Colour = (255, 255, 255)


class Handle(ctypes.c_void_p):
    """A pdfium object handle that ctypes keeps as a pointer (a subclass is not unboxed)."""


def pointer(handle: Handle) -> Any:
    """The handle as the pointer type pypdfium2's converting bindings expect."""
    return ctypes.cast(handle, pdfium_c.FPDF_PAGEOBJECT)


def unconverted(function: Any, restype: Any) -> Any:
    """``function`` (a pypdfium2 binding) called with no ctypes argument conversion."""
    return ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value or 0)


# the screen and the Python loops of pdf_native call these for every page object: without
# argument conversion they cost a quarter as much
GET_OBJECT = unconverted(pdfium_c.FPDFPage_GetObject, Handle)
RENDER_MODE = unconverted(pdfium_c.FPDFTextObj_GetTextRenderMode, ctypes.c_int)
FILL_COLOUR = unconverted(pdfium_c.FPDFPageObj_GetFillColor, ctypes.c_int)
BOUNDS = unconverted(pdfium_c.FPDFPageObj_GetBounds, ctypes.c_int)
FONT_SIZE = unconverted(pdfium_c.FPDFTextObj_GetFontSize, ctypes.c_int)
MATRIX = unconverted(pdfium_c.FPDFPageObj_GetMatrix, ctypes.c_int)
TYPE = unconverted(pdfium_c.FPDFPageObj_GetType, ctypes.c_int)
TEXT_OBJECT = unconverted(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)
CHAR_BOX = unconverted(pdfium_c.FPDFText_GetCharBox, ctypes.c_int)
HAS_TRANSPARENCY = unconverted(pdfium_c.FPDFPageObj_HasTransparency, ctypes.c_int)
GET_CLIP = unconverted(pdfium_c.FPDFPageObj_GetClipPath, Handle)
COUNT_PATHS = unconverted(pdfium_c.FPDFClipPath_CountPaths, ctypes.c_int)
COUNT_MARKS = unconverted(pdfium_c.FPDFPageObj_CountMarks, ctypes.c_int)
GET_FONT = unconverted(pdfium_c.FPDFTextObj_GetFont, Handle)
#: Reads a ``c_float * 4`` buffer at once (iterating the ctypes array is four times slower).
FOUR_FLOATS = struct.Struct("4f").unpack_from


@functools.lru_cache(maxsize=4096)  # a page has a few colours, asked about for every shape
def contrast(first: Colour, second: Colour) -> float:
    """The WCAG 2 contrast ratio of two sRGB colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def luminance(colour: Colour) -> float:
    """WCAG relative luminance of an sRGB colour."""
    channels = []
    for value in colour:
        c = value / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def area(box: Box) -> float:
    """The area of a box (0 when it is empty)."""
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def contains(box: Box, x: float, y: float) -> bool:
    """True when the point lies inside the box."""
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def unpack_rgba(key: bytes) -> tuple[int, int, int, int]:
    """The four channels stored in a ``c_uint * 4`` buffer's bytes."""
    values = (ctypes.c_uint * 4).from_buffer_copy(key)
    return values[0], values[1], values[2], values[3]


def blend(paint: tuple[int, int, int, int], background: Colour) -> Colour:
    """The colour seen when ``paint`` (RGBA, alpha 0-255) is painted over ``background``."""
    alpha = paint[3] / 255
    red, green, blue = (round(alpha * paint[k] + (1 - alpha) * background[k]) for k in range(3))
    return red, green, blue


def stroke_colour(obj: Any) -> tuple[int, int, int, int] | None:
    """An object's stroke colour as RGBA, or ``None`` when pdfium cannot give it."""
    channels = [ctypes.c_uint() for _ in range(4)]
    if not pdfium_c.FPDFPageObj_GetStrokeColor(obj, *(ctypes.byref(c) for c in channels)):
        return None
    red, green, blue, alpha = (c.value for c in channels)
    return red, green, blue, alpha


def path_paint(obj: Any, box: Box) -> tuple[Colour | None, int] | None:
    """The colour and alpha a path paints its box with, or ``None`` when it paints an outline.

    A filled path paints its fill colour; a stroked-only path counts when its line is at least
    half as wide as its box is thin (a thick line used as a band), with its stroke colour.
    """
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return None
    channels = [ctypes.c_uint() for _ in range(4)]
    refs = [ctypes.byref(channel) for channel in channels]
    if fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE:
        if not pdfium_c.FPDFPageObj_GetFillColor(obj, *refs):
            return None, 255  # a pattern or shading fill: opaque, colour unknown
    else:
        width = ctypes.c_float()
        if not stroke.value or not pdfium_c.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(width)):
            return None
        # pdfium's bounds of a stroked path reach out by up to the line width on each side
        inner = min(box[2] - box[0], box[3] - box[1]) - 2 * width.value
        if width.value < 0.5 * inner:
            return None
        if not pdfium_c.FPDFPageObj_GetStrokeColor(obj, *refs):
            return None, 255
    red, green, blue, alpha = (channel.value for channel in channels)
    return (red, green, blue), alpha


def blended(obj: Any) -> bool:
    """True when an object's transparency comes from a blend mode other than Normal.

    pdfium can set a blend mode but not tell it; the object is set to Normal (in memory only:
    the document is never saved) and asked again. pdfium paints text in such modes as if they
    were Normal, so the rendering cannot tell either.
    """
    if not pdfium_c.FPDFPageObj_HasTransparency(obj):
        return False
    pdfium_c.FPDFPageObj_SetBlendMode(obj, b"Normal")
    return not pdfium_c.FPDFPageObj_HasTransparency(obj)


def matrix_of(obj: Any) -> pdfium_c.FS_MATRIX:
    """An object's matrix (identity when pdfium cannot give it)."""
    matrix = pdfium_c.FS_MATRIX(1, 0, 0, 1, 0, 0)
    pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
    return matrix


def concat(inner: pdfium_c.FS_MATRIX, outer: pdfium_c.FS_MATRIX | None) -> pdfium_c.FS_MATRIX:
    """The matrix applying ``inner`` then ``outer`` (``inner`` alone when there is none)."""
    if outer is None:
        return inner
    return pdfium_c.FS_MATRIX(
        inner.a * outer.a + inner.b * outer.c,
        inner.a * outer.b + inner.b * outer.d,
        inner.c * outer.a + inner.d * outer.c,
        inner.c * outer.b + inner.d * outer.d,
        inner.e * outer.a + inner.f * outer.c + outer.e,
        inner.e * outer.b + inner.f * outer.d + outer.f,
    )


def transform(matrix: pdfium_c.FS_MATRIX, box: Box) -> Box:
    """The page-space box around ``box`` (in a form's space) mapped by ``matrix``."""
    left, bottom, right, top = box
    xs, ys = [], []
    for x, y in ((left, bottom), (left, top), (right, bottom), (right, top)):
        xs.append(matrix.a * x + matrix.c * y + matrix.e)
        ys.append(matrix.b * x + matrix.d * y + matrix.f)
    return min(xs), min(ys), max(xs), max(ys)

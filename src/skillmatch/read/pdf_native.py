"""What pdfium says about every object and glyph of a page, asked in one call per page.

The hidden-text screen (:mod:`skillmatch.read.pdf_hidden`) asks about each page object and the
glyph reader (:mod:`skillmatch.read.pdf_glyphs`) about each character. wkhtmltopdf draws every
glyph as its own text object, so a page means some 15,000 questions; from Python each is a
ctypes call several times dearer than pdfium's answer. ``_pdfscan.c``, built with the package
(``hatch_build.py``), asks them in a C loop and fills numpy arrays. Where it is not built (no
C compiler at install time) or ``SKILLMATCH_PURE_PYTHON=1`` is set, the same loops run here in
Python and give the same arrays, only slower; :data:`NATIVE` says which is in use.

Nothing is decided here: the arrays are pdfium's answers, the decisions stay in Python.
"""

from __future__ import annotations

import ctypes
import os
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2.raw as pdfium_c

from skillmatch.read.pdf_objects import (
    BOUNDS,
    COUNT_MARKS,
    COUNT_PATHS,
    FILL_COLOUR,
    FONT_SIZE,
    FOUR_FLOATS,
    GET_CLIP,
    GET_FONT,
    GET_OBJECT,
    HAS_TRANSPARENCY,
    MATRIX,
    RENDER_MODE,
    TEXT_OBJECT,
    TYPE,
    Handle,
    unconverted,
)

#: The columns of :func:`scan_objects`' table...
HANDLE, KIND, MODE, FILL, TRANSPARENT, CLIP_PATHS, OPTIONAL, FONT, SIZED = range(9)
COLUMNS = 9
#: ... and of its geometry.
LEFT, BOTTOM, RIGHT, TOP, SIZE, A, B, C, D, CLIP_LEFT, CLIP_BOTTOM, CLIP_RIGHT, CLIP_TOP = range(13)
FLOATS = 13
#: The interface version ``_pdfscan.c`` must report (its ``sm_version``).
_VERSION = 4
_LIBRARY = "_pdfscan.so"

Table = np.ndarray[Any, np.dtype[np.int64]]
Floats = np.ndarray[Any, np.dtype[np.float32]]


class _Calls(ctypes.Structure):
    """pdfium's functions as ``_pdfscan.c`` receives them (its ``Calls``)."""

    _fields_ = [
        (name, ctypes.c_void_p)
        for name in (
            "get_object",
            "get_type",
            "render_mode",
            "bounds",
            "fill_colour",
            "has_transparency",
            "get_clip",
            "count_paths",
            "count_marks",
            "get_font",
            "text_object",
            "loose_box",
            "font_size",
            "matrix",
            "get_mark",
            "mark_name",
            "count_segments",
            "get_segment",
            "segment_point",
            "segment_type",
        )
    ]


def _address(function: Any) -> int:
    return ctypes.cast(function, ctypes.c_void_p).value or 0


def _calls(get_object: Any) -> _Calls:
    functions = (
        get_object,
        pdfium_c.FPDFPageObj_GetType,
        pdfium_c.FPDFTextObj_GetTextRenderMode,
        pdfium_c.FPDFPageObj_GetBounds,
        pdfium_c.FPDFPageObj_GetFillColor,
        pdfium_c.FPDFPageObj_HasTransparency,
        pdfium_c.FPDFPageObj_GetClipPath,
        pdfium_c.FPDFClipPath_CountPaths,
        pdfium_c.FPDFPageObj_CountMarks,
        pdfium_c.FPDFTextObj_GetFont,
        pdfium_c.FPDFText_GetTextObject,
        pdfium_c.FPDFText_GetLooseCharBox,
        pdfium_c.FPDFTextObj_GetFontSize,
        pdfium_c.FPDFPageObj_GetMatrix,
        pdfium_c.FPDFPageObj_GetMark,
        pdfium_c.FPDFPageObjMark_GetName,
        pdfium_c.FPDFClipPath_CountPathSegments,
        pdfium_c.FPDFClipPath_GetPathSegment,
        pdfium_c.FPDFPathSegment_GetPoint,
        pdfium_c.FPDFPathSegment_GetType,
    )
    return _Calls(*map(_address, functions))


_PAGE_CALLS = _calls(pdfium_c.FPDFPage_GetObject)
_FORM_CALLS = _calls(pdfium_c.FPDFFormObj_GetObject)


def _load() -> Any:
    """The built ``_pdfscan`` library, or ``None`` (not built, outdated, or turned off)."""
    if os.environ.get("SKILLMATCH_PURE_PYTHON"):
        return None
    path = Path(__file__).with_name(_LIBRARY)
    if not path.exists():
        return None
    try:
        library = ctypes.CDLL(str(path))
        if library.sm_version() != _VERSION:
            return None
    except (OSError, AttributeError):
        return None  # built for another platform, or by an older version: use Python
    pointer = ctypes.c_void_p
    for name, arguments in (
        ("sm_scan_objects", [pointer, pointer, ctypes.c_int, pointer, pointer]),
        ("sm_char_objects", [pointer, pointer, ctypes.c_int, pointer]),
        ("sm_loose_boxes", [pointer, pointer, ctypes.c_int, pointer, pointer]),
    ):
        function = getattr(library, name)
        function.argtypes = arguments
        function.restype = None
    return library


_NATIVE = _load()
#: Whether the C loops are in use (``False``: the Python ones).
NATIVE = _NATIVE is not None


def scan_objects(container: Handle, count: int, *, form: bool = False) -> tuple[Table, Floats]:
    """One row per object of a page (or, with ``form``, of a form object): the columns
    :data:`HANDLE` to :data:`SIZED` (see ``_pdfscan.c``; -1 where a column does not apply),
    and for text objects their geometry: the bounds (:data:`LEFT` to :data:`TOP`), the font
    size, the matrix's a to d, and the clip when it is one rectangle (:data:`CLIP_LEFT` to
    :data:`CLIP_TOP`; zeros for the rest)."""
    count = max(count, 0)  # pdfium answers -1 for an object it cannot count
    table = np.empty((count, COLUMNS), dtype=np.int64)
    geometry = np.zeros((count, FLOATS), dtype=np.float32)
    if count:
        if _NATIVE is not None:
            calls = _FORM_CALLS if form else _PAGE_CALLS
            _NATIVE.sm_scan_objects(
                ctypes.byref(calls), container, count, table.ctypes.data, geometry.ctypes.data
            )
        else:
            _scan_objects(container, count, form, table, geometry)
    return table, geometry


def char_objects(textpage: Handle, count: int) -> Table:
    """The text object (its address; 0 for none) of each of a text page's characters."""
    count = max(count, 0)  # pdfium answers -1 for a text page it could not read
    objects = np.zeros(count, dtype=np.int64)
    if count and _NATIVE is not None:
        _NATIVE.sm_char_objects(ctypes.byref(_PAGE_CALLS), textpage, count, objects.ctypes.data)
    elif count:
        _char_objects(textpage, objects)
    return objects


def loose_boxes(textpage: Handle, skip: np.ndarray[Any, Any]) -> Floats:
    """The loose box (left, top, right, bottom) of each character whose ``skip`` is false
    (zeros for the others)."""
    boxes = np.zeros((len(skip), 4), dtype=np.float32)
    if len(skip) and _NATIVE is not None:
        flags = np.ascontiguousarray(skip, dtype=np.uint8)
        _NATIVE.sm_loose_boxes(
            ctypes.byref(_PAGE_CALLS), textpage, len(skip), flags.ctypes.data, boxes.ctypes.data
        )
    elif len(skip):
        _loose_boxes(textpage, skip, boxes)
    return boxes


def marks_of(obj: Handle) -> list[Any]:
    """The content marks of a page object."""
    raw = ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT)
    return [pdfium_c.FPDFPageObj_GetMark(raw, index) for index in range(COUNT_MARKS(obj))]


def is_optional_content(mark: Any) -> bool:
    """Whether a content mark is named ``OC`` (optional content: a layer a viewer may hide)."""
    if not mark:
        return False
    name = (ctypes.c_ushort * 32)()
    length = ctypes.c_ulong()
    named = pdfium_c.FPDFPageObjMark_GetName(mark, name, ctypes.sizeof(name), ctypes.byref(length))
    return bool(named) and list(name[:3]) == [ord("O"), ord("C"), 0]


def fill_key(fill: int) -> bytes:
    """A packed fill colour (the :data:`FILL` column) as the RGBA bytes of a ``c_uint * 4``
    (the screen's colour keys); empty when pdfium gave none (-1)."""
    if fill < 0:
        return b""
    return _FOUR_UINTS(fill & 0xFFFF, (fill >> 16) & 0xFFFF, (fill >> 32) & 0xFFFF, fill >> 48)


# -- the same loops in Python -----------------------------------------------------------------
_FOUR_UINTS = struct.Struct("<4I").pack
_LOOSE_BOX = unconverted(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_GET_FORM_OBJECT = unconverted(pdfium_c.FPDFFormObj_GetObject, Handle)


def _scan_objects(
    container: Handle, count: int, form: bool, table: Table, geometry: Floats
) -> None:
    """:func:`scan_objects`' loop in Python (what ``sm_scan_objects`` does)."""
    get_object = _GET_FORM_OBJECT if form else GET_OBJECT
    box = (ctypes.c_float * 4)()
    box_refs = [ctypes.byref(box, 4 * k) for k in range(4)]
    colour = (ctypes.c_uint * 4)()
    colour_refs = [ctypes.byref(colour, 4 * k) for k in range(4)]
    size, matrix = ctypes.c_float(), pdfium_c.FS_MATRIX()
    size_ref, matrix_ref = ctypes.byref(size), ctypes.byref(matrix)
    rows: list[tuple[int, ...]] = []
    floats: list[tuple[float, ...]] = []
    optional_marks: dict[int, bool] = {}  # pdfium shares a mark among a marked sequence
    for index in range(count):
        obj = get_object(container, index)
        address = obj.value or 0
        kind = TYPE(obj) if address else -1
        mode = RENDER_MODE(obj) if address else -1
        if mode < 0:
            rows.append((address, kind, mode, -1, -1, -1, -1, -1, 0))
            floats.append(_NO_FLOATS)
            continue
        BOUNDS(obj, *box_refs)
        fill = -1
        if FILL_COLOUR(obj, *colour_refs):
            red, green, blue, alpha = colour
            fill = red | green << 16 | blue << 32 | alpha << 48
        clip = GET_CLIP(obj)
        paths = COUNT_PATHS(clip) if clip.value else -1
        rectangle = (_clip_rectangle(clip) if paths == 1 else None) or _NO_RECTANGLE
        optional = 0
        for mark in marks_of(obj) if COUNT_MARKS(obj) else ():
            key = ctypes.cast(mark, ctypes.c_void_p).value or 0
            if key not in optional_marks:
                optional_marks[key] = is_optional_content(mark)
            optional += optional_marks[key]
        sized = bool(FONT_SIZE(obj, size_ref) and MATRIX(obj, matrix_ref))
        scale = (size.value, matrix.a, matrix.b, matrix.c, matrix.d) if sized else _NO_SCALE
        font = GET_FONT(obj).value or 0
        transparent = HAS_TRANSPARENCY(obj)
        rows.append((address, kind, mode, fill, transparent, paths, optional, font, int(sized)))
        floats.append(FOUR_FLOATS(box) + scale + rectangle)
    if count:
        table[:] = rows
        geometry[:] = floats


_NO_RECTANGLE = (0.0, 0.0, 0.0, 0.0)
_NO_SCALE = (0.0,) * 5
_NO_FLOATS = (0.0,) * FLOATS


def _char_objects(textpage: Handle, objects: Table) -> None:
    """:func:`char_objects`' loop in Python (what ``sm_char_objects`` does)."""
    get = TEXT_OBJECT
    for index in range(len(objects)):
        objects[index] = get(textpage, index) or 0


def _loose_boxes(textpage: Handle, skip: np.ndarray[Any, Any], boxes: Floats) -> None:
    """:func:`loose_boxes`' loop in Python (what ``sm_loose_boxes`` does)."""
    buffer = (ctypes.c_float * (4 * len(skip)))()
    get_box, byref = _LOOSE_BOX, ctypes.byref
    for index in np.flatnonzero(~np.asarray(skip, dtype=bool)).tolist():
        get_box(textpage, index, byref(buffer, 16 * index))
    boxes[:] = np.frombuffer(memoryview(buffer).cast("B"), dtype=np.float32).reshape(-1, 4)


def _clip_rectangle(clip: Handle) -> tuple[float, float, float, float] | None:
    """A one-path clip's rectangle (left, bottom, right, top) when the path is a move and
    three or four lines along the axes; what ``clip_rectangle`` in ``_pdfscan.c`` does."""
    raw = ctypes.cast(clip, pdfium_c.FPDF_CLIPPATH)
    count = pdfium_c.FPDFClipPath_CountPathSegments(raw, 0)
    if not 4 <= count <= 5:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    for index in range(count):
        segment = pdfium_c.FPDFClipPath_GetPathSegment(raw, 0, index)
        wanted = pdfium_c.FPDF_SEGMENT_MOVETO if index == 0 else pdfium_c.FPDF_SEGMENT_LINETO
        if not segment or pdfium_c.FPDFPathSegment_GetType(segment) != wanted:
            return None
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            return None
        points.append((x.value, y.value))
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        if x0 != x1 and y0 != y1:
            return None  # a slanted edge
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)

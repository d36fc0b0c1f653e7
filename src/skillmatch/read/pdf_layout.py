"""PDF page layout: glyphs -> lines (:mod:`skillmatch.read.pdf_glyphs`) -> columns -> text.

Lines and word spaces come from the glyph boxes, in content-stream order, which is reading
order for most CVs. Icon-font and private-use glyphs are dropped and counted as unreadable, and
when the stream interleaves two columns line by line, one column is emitted at a time.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import math
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from skillmatch.read.pdf_glyphs import BULLETS, GlyphLines, Line, build_lines, page_glyphs
from skillmatch.read.pdf_objects import Handle, unconverted

__all__ = [
    "BULLETS",
    "Line",
    "PageText",
    "icon_check",
    "join_rows",
    "layout_lines",
    "order_columns",
    "read_page",
    "read_textpage",
]

#: Fonts whose glyphs are pictures (icons), not text.
ICON_FONT_HINTS = ("awesome", "icon", "dingbat", "symbol", "wingding", "material", "glyph", "fa-")


@dataclass
class PageText:
    """The text of one page and how many of its glyphs were unreadable."""

    lines: list[Line] = field(default_factory=list)
    glyphs: int = 0
    unreadable: int = 0

    @property
    def text(self) -> str:
        """The page text, one line per line."""
        return "\n".join(line.text for line in self.lines)


def read_page(page: pdfium.PdfPage) -> PageText:
    """Lines of text of one page, in reading order."""
    textpage = page.get_textpage()
    try:
        return read_textpage(textpage)
    finally:
        textpage.close()


def read_textpage(textpage: pdfium.PdfTextPage, *, skip: Collection[int] = ()) -> PageText:
    """Lines of text of one page's text layer, in reading order, from the glyph boxes.

    The characters at the indexes in ``skip`` (hidden text) are read as spaces.
    """
    built = build_lines(page_glyphs(textpage, skip), icon_check(textpage))
    return PageText(join_rows(order_columns(layout_lines(built))), built.glyphs, built.unreadable)


def icon_check(textpage: pdfium.PdfTextPage) -> Callable[[int], bool]:
    """A function telling whether the glyph at a char index is drawn with an icon font."""
    font_buffer = ctypes.create_string_buffer(96)
    arguments = (font_buffer, ctypes.c_ulong(len(font_buffer)), ctypes.byref(ctypes.c_int()))
    raw = ctypes.cast(textpage.raw, Handle)

    def is_icon(index: int) -> bool:
        _FONT_INFO(raw, index, *arguments)
        return _is_icon_font_name(font_buffer.value)

    return is_icon


def layout_lines(built: GlyphLines) -> list[Line]:
    """The non-blank lines of :func:`~skillmatch.read.pdf_glyphs.build_lines`, in stream order
    (before columns are ordered)."""
    return [line for line in built.lines if line.text.strip()]


#: ``FPDFText_GetFontInfo`` without pypdfium2's argument conversion (a call per lone glyph).
_FONT_INFO = unconverted(pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong)


@functools.lru_cache(maxsize=1024)  # a page uses a few fonts, for many glyphs
def _is_icon_font_name(name: bytes) -> bool:
    lowered = name.decode("latin-1").lower()
    return any(hint in lowered for hint in ICON_FONT_HINTS)


# --- columns ------------------------------------------------------------------------------


def join_rows(lines: list[Line]) -> list[Line]:
    """Join each segment back onto the previous line when it continues the same row there.

    Keeps a right-aligned date on its title's line once columns have been separated.
    """
    joined: list[Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if (
            line.continues
            and previous is not None
            and line.x0 >= previous.x1
            and min(line.top, previous.top) - max(line.bottom, previous.bottom) > 0
        ):
            previous.text += " " + line.text
            previous.x1 = max(previous.x1, line.x1)
            previous.top, previous.bottom = (
                max(previous.top, line.top),
                min(previous.bottom, line.bottom),
            )
        else:
            joined.append(line)
    return joined


def order_columns(lines: list[Line]) -> list[Line]:
    """Lines in reading order: one column at a time when the stream interleaves columns.

    A gutter is an x position that few lines cross while many lines end before it and many
    start after it. Lines crossing the gutter (a full-width title) split the page into bands;
    inside a band, left-column lines come before right-column lines. Rows whose right part
    shares the left part's baseline (right-aligned dates, table rows) are not columns.
    """
    gutter = find_gutter(lines)
    if gutter is None:
        return lines
    ordered: list[Line] = []
    band: list[Line] = []
    for line in lines:
        if line.x0 < gutter < line.x1:
            ordered.extend(_band_order(band, gutter))
            ordered.append(line)
            band = []
        else:
            band.append(line)
    ordered.extend(_band_order(band, gutter))
    return ordered


def _band_order(band: list[Line], gutter: float) -> list[Line]:
    """The band's left lines then its right lines, each in stream order."""
    left = [line for line in band if line.x1 <= gutter]
    right = [line for line in band if line.x0 >= gutter]
    return left + right


def find_gutter(lines: list[Line]) -> float | None:
    """The x of a column gutter the stream interleaves across, or ``None``."""
    if len(lines) < 10:
        return None
    x_min = min(line.x0 for line in lines)
    x_max = max(line.x1 for line in lines)
    best = _fewest_crossings(lines, x_min, x_max)
    if best is None or best[0] > 0.15 * len(lines):
        return None
    gutter = best[1]
    left = [line for line in lines if line.x1 <= gutter]
    right = [line for line in lines if line.x0 >= gutter]
    if len(left) < 4 or len(right) < 4 or _row_aligned(left, right):
        return None
    return gutter if _switches(lines, gutter) > 2 else None


def _fewest_crossings(lines: list[Line], x_min: float, x_max: float) -> tuple[int, float] | None:
    """The fewest lines crossing an x probed every 2 points across the middle 70% of the page
    (``x_min`` to ``x_max``), and the first x where so few cross; ``None`` when nothing is
    probed (a page without width, or not finite)."""
    # every 2 points, but at most ~2,000 probes: a glyph placed at x = 1e9 (a damaged or
    # hostile PDF) must not make this take minutes
    step = max(2.0, (x_max - x_min) / 2000)
    first = x_min + 0.15 * (x_max - x_min)
    end = x_max - 0.15 * (x_max - x_min)
    if not first < end or not math.isfinite(end):
        return None
    # the probes first, first + step, ... added up one by one, as a loop would (a few more
    # than needed; where x + step == x, at most ~1,400 of them)
    increments = np.full(int((end - first) / step) + 3, step)
    increments[0] = first
    probes = np.add.accumulate(increments)
    probes = probes[probes < end]
    # lines crossing x: x0 < x < x1. A line with x0 < x1 and x1 <= x also has x0 < x, so the
    # count is (starts before x) - (ends at or before x); lines with x0 >= x1 cross nothing
    spans = [(line.x0, line.x1) for line in lines if line.x0 < line.x1]
    starts = sorted(start for start, _ in spans)
    ends = sorted(end for _, end in spans)
    crossing = np.searchsorted(starts, probes, "left") - np.searchsorted(ends, probes, "right")
    fewest = int(np.argmin(crossing))
    return int(crossing[fewest]), float(probes[fewest])


def _row_aligned(left: list[Line], right: list[Line]) -> bool:
    """True when most right-side lines share a row with a left line (a table, dates): when
    they overlap vertically by more than half the smaller height."""
    right_top, right_bottom = (np.array([[getattr(line, side)] for line in right]) for side in _Y)
    left_top, left_bottom = (np.array([getattr(line, side) for line in left]) for side in _Y)
    left_height = left_top - left_bottom
    aligned = 0
    # right lines (rows) against every left line (columns), a bounded block at a time
    block = max(1, _MAX_PAIRS // len(left))
    with np.errstate(all="ignore"):  # a damaged file's lines may be NaN or infinite
        for start in range(0, len(right), block):
            top, bottom = right_top[start : start + block], right_bottom[start : start + block]
            overlap = _py_min(top, left_top) - _py_max(bottom, left_bottom)
            smaller = _py_min(top - bottom, left_height)
            aligned += int(np.count_nonzero((overlap > 0.5 * smaller).any(axis=1)))
    return aligned > 0.6 * len(right)


_Y = ("top", "bottom")
#: Line pairs compared at once by :func:`_row_aligned` (a page of many lines is compared in
#: blocks, not in one huge array).
_MAX_PAIRS = 1 << 16


def _py_min(first: np.ndarray[Any, Any], second: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``min(first, second)`` element by element, as Python's ``min`` (a NaN second is
    passed over), not as ``np.minimum`` (which gives NaN)."""
    return np.where(second < first, second, first)


def _py_max(first: np.ndarray[Any, Any], second: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``max(first, second)`` element by element, as Python's ``max``."""
    return np.where(second > first, second, first)


def _switches(lines: list[Line], gutter: float) -> int:
    """How often the stream jumps between the left and right side of ``gutter``."""
    sides = [line.x1 <= gutter for line in lines if not line.x0 < gutter < line.x1]
    return sum(1 for a, b in itertools.pairwise(sides) if a != b)

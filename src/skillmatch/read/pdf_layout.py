"""PDF page layout: glyphs -> lines (:mod:`skillmatch.read.pdf_glyphs`) -> columns -> text.

Lines and word spaces come from the glyph boxes, in content-stream order, which is reading
order for most CVs. Icon-font and private-use glyphs are dropped and counted as unreadable, and
when the stream interleaves two columns line by line, one column is emitted at a time.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import itertools
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from skillmatch.read.pdf_glyphs import BULLETS, GlyphLines, build_lines, page_glyphs

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
class Line:
    """One visual line: its text and bounding box (PDF points, y upwards)."""

    text: str = ""
    x0: float = float("inf")
    x1: float = float("-inf")
    bottom: float = float("inf")
    top: float = float("-inf")
    size: float = 0.0
    continues: bool = False


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
    raw = textpage.raw

    def is_icon(index: int) -> bool:
        return _is_icon_font(raw, index, font_buffer)

    return is_icon


def layout_lines(built: GlyphLines) -> list[Line]:
    """The non-blank lines of :func:`~skillmatch.read.pdf_glyphs.build_lines` as :class:`Line`
    objects, in stream order (before columns are ordered)."""
    return [
        Line(raw.text, raw.x0, raw.x1, raw.bottom, raw.top, raw.size, raw.continues)
        for raw in built.lines
        if raw.text.strip()
    ]


def _is_icon_font(raw: object, index: int, buffer: ctypes.Array[ctypes.c_char]) -> bool:
    """True when glyph ``index`` is drawn with an icon font (Font Awesome and the like)."""
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, len(buffer), ctypes.byref(flags))
    return _is_icon_font_name(buffer.value)


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
    # lines crossing x: x0 < x < x1. A line with x0 < x1 and x1 <= x also has x0 < x, so the
    # count is (starts before x) - (ends at or before x), by bisection; lines with x0 >= x1
    # cross nothing
    spans = [(line.x0, line.x1) for line in lines if line.x0 < line.x1]
    starts = sorted(start for start, _ in spans)
    ends = sorted(end for _, end in spans)
    best: tuple[int, float] | None = None
    # every 2 points, but at most ~2,000 probes: a glyph placed at x = 1e9 (a damaged or
    # hostile PDF) must not make this loop run for minutes, or for ever once x + 2 == x
    step = max(2.0, (x_max - x_min) / 2000)
    x = x_min + 0.15 * (x_max - x_min)
    while x < x_max - 0.15 * (x_max - x_min):
        crossing = bisect.bisect_left(starts, x) - bisect.bisect_right(ends, x)
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += step
    if best is None or best[0] > 0.15 * len(lines):
        return None
    gutter = best[1]
    left = [line for line in lines if line.x1 <= gutter]
    right = [line for line in lines if line.x0 >= gutter]
    if len(left) < 4 or len(right) < 4 or _row_aligned(left, right):
        return None
    return gutter if _switches(lines, gutter) > 2 else None


def _row_aligned(left: list[Line], right: list[Line]) -> bool:
    """True when most right-side lines share a row with a left line (a table, dates)."""
    aligned = sum(1 for line in right if any(_same_row(line, other) for other in left))
    return aligned > 0.6 * len(right)


def _same_row(a: Line, b: Line) -> bool:
    """True when two lines overlap vertically by more than half the smaller height."""
    overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
    return overlap > 0.5 * min(a.top - a.bottom, b.top - b.bottom)


def _switches(lines: list[Line], gutter: float) -> int:
    """How often the stream jumps between the left and right side of ``gutter``."""
    sides = [line.x1 <= gutter for line in lines if not line.x0 < gutter < line.x1]
    return sum(1 for a, b in itertools.pairwise(sides) if a != b)

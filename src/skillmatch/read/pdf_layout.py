"""PDF page layout from pypdfium2 character boxes: glyphs -> lines -> columns -> text.

pdfium's own text order follows the content stream, which is reading order for most CVs, and
its generated spaces are right on LaTeX PDFs. We keep that order and those spaces, and use the
character boxes to (1) add the word spaces pdfium misses (gaps wider than a share of the font
size, the way pdfplumber's ``x_tolerance`` works), (2) start a new line when the baseline moves,
(3) drop icon-font and private-use glyphs, counting them as unreadable, and (4) when the stream
interleaves two columns line by line, emit one column at a time.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

#: A gap wider than this share of the font size between two glyphs is a word space.
SPACE_GAP = 0.3
#: A gap wider than this many font sizes splits a row into segments (columns, table cells).
SEGMENT_GAP = 2.0
#: Fonts whose glyphs are pictures (icons), not text.
ICON_FONT_HINTS = ("awesome", "icon", "dingbat", "symbol", "wingding", "material", "glyph", "fa-")
#: Bullet and decoration symbols dropped from the text (they carry no words).
BULLETS = frozenset("•◦▪▫■□●○◆◇►▸▹▶➢➤✓✔✗✘★☆♦❖⚬⦁∙·⋅")


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

    def add(self, char: str, box: tuple[float, float, float, float], size: float) -> None:
        """Append a glyph and grow the box."""
        self.text += char
        left, right, bottom, top = box
        if left < self.x0:
            self.x0 = left
        if right > self.x1:
            self.x1 = right
        if bottom < self.bottom:
            self.bottom = bottom
        if top > self.top:
            self.top = top
        if size > self.size:
            self.size = size


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
    """Lines of text of one page's text layer, in reading order, from the char boxes.

    The characters at the indexes in ``skip`` (hidden text) are read as spaces.
    """
    result = _assemble(textpage, skip)
    result.lines = join_rows(order_columns([line for line in result.lines if line.text.strip()]))
    return result


def _is_icon_font(raw: object, index: int, buffer: ctypes.Array[ctypes.c_char]) -> bool:
    """True when glyph ``index`` is drawn with an icon font (Font Awesome and the like)."""
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, len(buffer), ctypes.byref(flags))
    return _is_icon_font_name(buffer.value)


@functools.lru_cache(maxsize=1024)  # a page uses a few fonts, for many glyphs
def _is_icon_font_name(name: bytes) -> bool:
    lowered = name.decode("latin-1").lower()
    return any(hint in lowered for hint in ICON_FONT_HINTS)


def _unreadable(char: str) -> bool:
    """Private-use, replacement and control code points carry no readable text."""
    code = ord(char)
    return (
        0xE000 <= code <= 0xF8FF
        or code >= 0xF0000
        or code in (0xFFFD, 0xFFFF)
        or (code < 32 and char not in "\t\r\n")
    )


# pdfium's char-box and font-size functions without ctypes argument conversion: the glyph loop
# calls them for every glyph, and the converting wrappers cost about four times the call itself.
def _unconverted(function: Any, restype: Any) -> Any:
    """``function`` (a pypdfium2 binding) called with no ctypes argument conversion."""
    return ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value or 0)


_GET_CHAR_BOX = _unconverted(pdfium_c.FPDFText_GetCharBox, ctypes.c_int)
_GET_FONT_SIZE = _unconverted(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_GET_RECT = _unconverted(pdfium_c.FPDFText_GetRect, ctypes.c_int)
_INF = float("inf")
#: Every character ``str.isspace`` is true for (a set lookup is cheaper than the method call).
_SPACES = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: A one-character token: white space (or the text's edge) on both sides.
_STANDALONE = re.compile(r"(?<!\S)\S(?!\S)")


def _assemble(textpage: pdfium.PdfTextPage, skip: Collection[int] = ()) -> PageText:
    """Walk the glyphs in stream order, building lines with geometric word spacing.

    Icon glyphs stand alone (an icon, then a space, then the phone number), so only
    one-character tokens have their font looked up: that keeps font checks rare.

    The current line is kept in local variables (its characters, box and largest font size)
    and becomes a :class:`Line` when it ends: this loop runs once per glyph.
    """
    raw = textpage.raw
    handle = ctypes.cast(raw, ctypes.c_void_p)
    count = textpage.count_chars()
    text = page_chars(textpage, count, skip)
    box = (ctypes.c_double * 4)()
    refs = [ctypes.byref(box, 8 * k) for k in range(4)]
    left_ref, right_ref, bottom_ref, top_ref = refs
    get_box, get_size = _GET_CHAR_BOX, _GET_FONT_SIZE
    font_buffer = ctypes.create_string_buffer(96)
    page = PageText()
    lines = page.lines
    glyphs = unreadable = 0
    # the current line
    chars: list[str] = []
    x0, x1, y0, y1, line_size, continues = _INF, -_INF, _INF, -_INF, 0.0, False
    pending_space = pending_break = False
    last_right = 0.0
    standalone = {match.start() for match in _STANDALONE.finditer(text)}
    spaces = _SPACES
    for index in range(min(count, len(text))):
        char = text[index]
        if char in spaces:
            if char == "\n" or char == "\r":
                pending_break = True
                continue
            pending_space = True
            continue
        if char == "\ufffe":  # pdfium's mark for a line-end hyphen: keep it, end the line
            chars.append("-")
            lines.append(Line("".join(chars), x0, x1, y0, y1, line_size, continues))
            chars = []
            x0, x1, y0, y1, line_size, continues = _INF, -_INF, _INF, -_INF, 0.0, False
            pending_space = pending_break = False
            continue
        glyphs += 1
        if char in BULLETS:
            pending_space = True
            continue
        size = get_size(handle, index) or 10.0
        if ((char >= "\ue000" or char < " ") and _unreadable(char)) or (
            index in standalone and _is_icon_font(raw, index, font_buffer)
        ):
            unreadable += 1
            pending_space = True
            continue
        get_box(handle, index, left_ref, right_ref, bottom_ref, top_ref)
        left, right, bottom, top = box
        if chars:
            # a new line when the glyph no longer sits on the line: no vertical overlap (less
            # than a fifth of the smaller of font size and height), or a jump back left
            overlap = (top if top < y1 else y1) - (bottom if bottom > y0 else y0)
            height = top - bottom
            if y1 - y0 < height:
                height = y1 - y0
            if overlap <= 0.2 * (size if size < height else height) or (
                left < last_right - 2 * size
            ):
                lines.append(Line("".join(chars), x0, x1, y0, y1, line_size, continues))
                chars = []
                x0, x1, y0, y1, line_size, continues = _INF, -_INF, _INF, -_INF, 0.0, False
                pending_space = False
            elif pending_break or left - last_right > SEGMENT_GAP * size:
                # same row, new segment: a column, a cell or a date
                lines.append(Line("".join(chars), x0, x1, y0, y1, line_size, continues))
                chars = []
                x0, x1, y0, y1, line_size, continues = _INF, -_INF, _INF, -_INF, 0.0, True
                pending_space = False
            elif pending_space or left - last_right > SPACE_GAP * size:
                chars.append(" ")
        pending_break = pending_space = False
        chars.append(char)
        if left < x0:
            x0 = left
        if right > x1:
            x1 = right
        if bottom < y0:
            y0 = bottom
        if top > y1:
            y1 = top
        if size > line_size:
            line_size = size
        last_right = right
    lines.append(Line("".join(chars), x0, x1, y0, y1, line_size, continues))
    page.glyphs, page.unreadable = glyphs, unreadable
    return page


def page_chars(textpage: pdfium.PdfTextPage, count: int, skip: Collection[int] = ()) -> str:
    """pdfium's text of the page (one character per char index), ``skip`` indexes as spaces."""
    text = textpage.get_text_range() if count else ""
    if not skip:
        return text
    letters = list(text)
    for index in skip:
        if index < len(letters):
            letters[index] = " "
    return "".join(letters)


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


# --- the fast path: pdfium's own text, checked by cheap quality signals ---------------------

#: Code points that carry no readable text (private use, replacement, control characters).
_UNREADABLE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff\ufffd\uffff\x00-\x08\x0e-\x1b]")
#: Characters that are not glyphs: white space and pdfium's line-end hyphen mark.
_NOT_GLYPHS = {ord(char): None for char in _SPACES | {"\ufffe"}}
_FAST_TRANSLATION = {ord(char): " " for char in BULLETS}
_FAST_TRANSLATION.update({ord("\r"): "\n", ord("\ufffe"): "-\n"})
#: A letter run this long means the page's spaces are missing (words glued together).
_GLUED = re.compile(r"[^\W\d_]{21,}")


def fast_page(textpage: pdfium.PdfTextPage, *, skip: Collection[int] = ()) -> PageText | None:
    """The page from pdfium's text alone, or ``None`` when the layout reader is needed.

    pdfium's ``get_text_range()`` is the layout reader's input: on one-column pages with word
    spaces it gives the same words and lines. The char-box layout is needed when (1) the text
    rectangles show an interleaved column gutter, (2) a letter run is long enough to be glued
    words (spaces only implied by gaps), or (3) a noticeable share of glyphs is unreadable.
    Icons (private-use glyphs, icon-font one-character tokens) and bullets are removed as the
    layout reader removes them; the characters at the indexes in ``skip`` become spaces.
    """
    count = textpage.count_chars()
    text = page_chars(textpage, count, skip)
    glyphs = len(text.translate(_NOT_GLYPHS))
    unreadable = len(_UNREADABLE.findall(text))
    if _has_glued_words(text.replace("\ufffe", "")):
        return None
    icons = _icon_tokens(textpage, text)
    unreadable += len(icons)
    if glyphs and unreadable / glyphs >= FAST_UNREADABLE_LIMIT:
        return None
    if has_gutter(textpage):
        return None
    if icons:
        chars = list(text)
        for index in icons:
            chars[index] = " "
        text = "".join(chars)
    text = text.replace("\ufffe\r\n", "\ufffe").replace("\r\n", "\n")
    text = _UNREADABLE.sub(" ", text.translate(_FAST_TRANSLATION))
    page = PageText(glyphs=glyphs, unreadable=unreadable)
    page.lines = [Line(line) for line in text.split("\n") if line.strip()]
    return page


def _has_glued_words(text: str) -> bool:
    # a letter run of 21 lies in a word of 21 or more characters: few words are that long
    return any(_GLUED.search(word) for word in text.split() if len(word) >= 21)


#: Above this share of unreadable glyphs the fast path is not trusted.
FAST_UNREADABLE_LIMIT = 0.02


def _icon_tokens(textpage: pdfium.PdfTextPage, text: str) -> list[int]:
    """Indexes of one-character tokens drawn with an icon font."""
    raw = textpage.raw
    font_buffer = ctypes.create_string_buffer(96)
    return [
        match.start()
        for match in _STANDALONE.finditer(text)
        if match.group() not in BULLETS
        and match.group() != "\ufffe"
        and not _UNREADABLE.match(match.group())
        and _is_icon_font(raw, match.start(), font_buffer)
    ]


def has_gutter(textpage: pdfium.PdfTextPage) -> bool:
    """True when pdfium's text rectangles, joined into row segments, show a column gutter."""
    raw = textpage.raw
    handle = ctypes.cast(raw, ctypes.c_void_p)
    count = pdfium_c.FPDFText_CountRects(raw, 0, -1)
    if count < 10:
        return False
    box = (ctypes.c_double * 4)()
    left_ref, top_ref, right_ref, bottom_ref = (ctypes.byref(box, 8 * k) for k in range(4))
    get_rect = _GET_RECT
    segments: list[Line] = []
    current: Line | None = None
    for index in range(count):
        get_rect(handle, index, left_ref, top_ref, right_ref, bottom_ref)
        left, top, right, bottom = box
        if top < bottom:
            top, bottom = bottom, top
        if current is not None:
            height = min(top - bottom, current.top - current.bottom)
            overlap = min(top, current.top) - max(bottom, current.bottom)
            if (
                overlap > 0.2 * height
                and left >= current.x1 - 0.5 * height
                and left - current.x1 < SEGMENT_GAP * max(height, 1.0)
            ):
                current.x1 = max(current.x1, right)
                current.top, current.bottom = max(current.top, top), min(current.bottom, bottom)
                continue
        current = Line("", left, right, bottom, top)
        segments.append(current)
    return find_gutter(segments) is not None

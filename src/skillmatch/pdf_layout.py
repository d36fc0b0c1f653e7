"""PDF page layout from pypdfium2 character boxes: glyphs -> lines -> columns -> text.

pdfium's own text order follows the content stream, which is reading order for most CVs, and
its generated spaces are right on LaTeX PDFs. We keep that order and those spaces, and use the
character boxes to (1) add the word spaces pdfium misses (gaps wider than a share of the font
size, the way pdfplumber's ``x_tolerance`` works), (2) start a new line when the baseline moves,
(3) drop icon-font and private-use glyphs, counting them as unreadable, and (4) when the stream
interleaves two columns line by line, emit one column at a time.
"""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass, field

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
        result = _assemble(textpage)
    finally:
        textpage.close()
    result.lines = join_rows(order_columns([line for line in result.lines if line.text.strip()]))
    return result


def _is_icon_font(raw: object, index: int, buffer: ctypes.Array[ctypes.c_char]) -> bool:
    """True when glyph ``index`` is drawn with an icon font (Font Awesome and the like)."""
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, len(buffer), ctypes.byref(flags))
    name = buffer.value.decode("latin-1").lower()
    return any(hint in name for hint in ICON_FONT_HINTS)


def _unreadable(char: str) -> bool:
    """Private-use, replacement and control code points carry no readable text."""
    code = ord(char)
    return (
        0xE000 <= code <= 0xF8FF
        or code >= 0xF0000
        or code in (0xFFFD, 0xFFFF)
        or (code < 32 and char not in "\t\r\n")
    )


def _assemble(textpage: pdfium.PdfTextPage) -> PageText:
    """Walk the glyphs in stream order, building lines with geometric word spacing.

    Icon glyphs stand alone (an icon, then a space, then the phone number), so only
    one-character tokens have their font looked up: that keeps font checks rare.
    """
    raw = textpage.raw
    count = textpage.count_chars()
    text = textpage.get_text_range() if count else ""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    font_buffer = ctypes.create_string_buffer(96)
    page = PageText()
    line = Line()
    pending_space = pending_break = False
    last_right = 0.0
    for index in range(min(count, len(text))):
        char = text[index]
        if char in "\r\n":
            pending_break = True
            continue
        if char.isspace():
            pending_space = True
            continue
        if char == "\ufffe":  # pdfium's mark for a line-end hyphen: keep it, end the line
            line.text += "-"
            page.lines.append(line)
            line, pending_space, pending_break = Line(), False, False
            continue
        page.glyphs += 1
        if char in BULLETS:
            pending_space = True
            continue
        size = pdfium_c.FPDFText_GetFontSize(raw, index) or 10.0
        code = ord(char)
        if ((code >= 0xE000 or code < 32) and _unreadable(char)) or (
            (index == 0 or text[index - 1].isspace())
            and _standalone(text, index)
            and _is_icon_font(raw, index, font_buffer)
        ):
            page.unreadable += 1
            pending_space = True
            continue
        pdfium_c.FPDFText_GetCharBox(raw, index, left, right, bottom, top)
        box = (left.value, right.value, bottom.value, top.value)
        if not line.text:
            pass
        elif _new_line(line, box, last_right, size):
            page.lines.append(line)
            line, pending_space = Line(), False
        elif pending_break or box[0] - last_right > SEGMENT_GAP * size:
            page.lines.append(line)  # same row, new segment: a column, a cell or a date
            line, pending_space = Line(continues=True), False
        elif not pending_space and box[0] - last_right > SPACE_GAP * size:
            pending_space = True
        pending_break = False
        if pending_space and line.text:
            line.text += " "
        pending_space = False
        line.add(char, box, size)
        last_right = box[1]
    page.lines.append(line)
    return page


def _standalone(text: str, index: int) -> bool:
    """True when ``text[index]`` is a one-character token (white space or text edge around it)."""
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return before.isspace() and after.isspace()


def _new_line(
    line: Line, box: tuple[float, float, float, float], last_right: float, size: float
) -> bool:
    """True when a glyph no longer sits on ``line``: no vertical overlap, or a jump back left."""
    left, _, bottom, top = box
    overlap = (top if top < line.top else line.top) - (
        bottom if bottom > line.bottom else line.bottom
    )
    height = top - bottom
    if line.top - line.bottom < height:
        height = line.top - line.bottom
    if overlap <= 0.2 * (size if size < height else height):
        return True
    return left < last_right - 2 * size


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
    best: tuple[int, float] | None = None
    step = 2.0
    x = x_min + 0.15 * (x_max - x_min)
    while x < x_max - 0.15 * (x_max - x_min):
        crossing = sum(1 for line in lines if line.x0 < x < line.x1)
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

"""Words and lines of a PDF page from its glyph geometry, not from pdfium's text order guesses.

pdfium's ``get_text_range()`` decides word spaces and line breaks itself, and on some exports it
decides wrong: wkhtmltopdf (Qt 4.8.7) draws every glyph with its own positioning operator and
no space characters, so pdfium glues words ("ProjectManager") or, when it takes a narrow page
for vertical text, puts one letter on each line. Here only pdfium's *characters* are kept (one
per char index, the spaces and line breaks it generates are ignored) and the page is rebuilt
from each glyph's **loose char box** (``FPDFText_GetLooseCharBox``: from the glyph's origin to
origin + advance, and from the font's descent to its ascent, so the box height is the effective
font size, text matrix and page transform included):

- a **line break** where the next glyph no longer overlaps the previous one vertically (a new
  baseline) or jumps back left by more than two font sizes;
- a **segment break** (a column, a table cell, a right-aligned date) where the gap on the same
  line is wider than :data:`SEGMENT_GAP` font sizes;
- a **word space** where the gap is wider than :data:`SPACE_GAP` of the font size, or where a
  space character, a bullet or an unreadable glyph lies between the two glyphs. A line whose
  glyphs are letter-spaced (most of its gaps already wider than that) is judged against its own
  typical gap instead (:data:`LETTER_SPACED_EXTRA`). Where pdfium generated a space, a narrower
  gap is enough (:data:`HINTED_GAP`: a space narrowed by kerning). A gap is measured against
  the larger glyph beside it, and at least :data:`LINE_SIZE_SHARE` of the largest glyph before
  it on the line (for a font without ascent and descent pdfium gives ink boxes, not loose ones).

One pdfium call per glyph (the loose box, asked for the whole page at once by
:func:`~skillmatch.read.pdf_native.loose_boxes`), then array arithmetic over the whole page.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
import pypdfium2 as pdfium

from skillmatch.read.pdf_native import loose_boxes
from skillmatch.read.pdf_objects import Handle

#: A gap wider than this share of the font size between two glyphs is a word space. Word gaps
#: measured on the development corpus: 0.20-0.32 of the font size with no space glyph
#: (wkhtmltopdf), 0.18 and more with one (Chromium, LibreOffice); gaps inside words stay under
#: 0.10 unless the text is letter-spaced.
SPACE_GAP = 0.15
#: Where pdfium itself put a space (it compares gaps with the font's own character widths), a
#: gap wider than this share of the font size is enough: a space glyph narrowed by kerning
#: ("SAP ABAP" in Chromium's output: 0.14).
HINTED_GAP = 0.08
#: A gap wider than this many font sizes splits a row into segments (columns, table cells).
SEGMENT_GAP = 2.0
#: On a letter-spaced line, a word space is a gap this share of the font size wider than the
#: line's typical gap.
LETTER_SPACED_EXTRA = 0.12
#: A line is letter-spaced when more than this share of its gaps are wider than SPACE_GAP, its
#: typical (median) gap is below LETTER_SPACED_MAX font sizes...
LETTER_SPACED_SHARE = 0.6
LETTER_SPACED_MAX = 0.35
#: ... and it has at least this many gaps (a letter-spaced "PLC" heading has two).
LETTER_SPACED_GAPS = 2
#: A gap is measured against at least this share of the largest glyph before it on its line.
LINE_SIZE_SHARE = 0.7
#: Vertical overlap, as a share of the smaller glyph height, below which a glyph starts a line.
LINE_OVERLAP = 0.2
#: Bullet and decoration symbols dropped from the text (they carry no words).
BULLETS = frozenset("•◦▪▫■□●○◆◇►▸▹▶➢➤✓✔✗✘★☆♦❖⚬⦁∙·⋅")
#: Every character ``str.isspace`` is true for.
SPACES = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE, _BULLET, _UNREADABLE = 1, 2, 4


def _classes() -> np.ndarray[Any, Any]:
    """What each code point of the Basic Multilingual Plane is here: bits of a space, a bullet
    and an unreadable glyph (private use, replacement, control characters)."""
    table = np.zeros(0x10000, dtype=np.uint8)
    table[[ord(c) for c in SPACES]] |= _SPACE
    table[[ord(c) for c in BULLETS]] |= _BULLET
    table[0xE000:0xF900] |= _UNREADABLE
    table[[0xFFFD, 0xFFFF]] |= _UNREADABLE
    controls = [code for code in range(32) if chr(code) not in "\t\n\r"]
    table[controls] |= _UNREADABLE
    return table


#: Code point -> class bits, looked up for a whole page at once.
_CLASSES = _classes()
#: pdfium's mark for a hyphen it takes for a line-end one: read as "-", the line break is left
#: to the geometry (pdfium also marks hyphens inside lines on pages it takes for vertical text)
_HYPHEN_MARK = 0xFFFE


@dataclass(frozen=True)
class Glyphs:
    """One text page's characters (pdfium's, one per char index; hidden ones read as spaces)
    and their loose boxes: an ``(n, 4)`` array of left, top, right, bottom in PDF points."""

    text: str
    boxes: np.ndarray[Any, Any]


def page_glyphs(textpage: pdfium.PdfTextPage, skip: Collection[int] = ()) -> Glyphs:
    """The characters and loose char boxes of a text page; the ``skip`` indexes read as spaces.

    pdfium's generated line breaks are not measured (their boxes are empty anyway).
    """
    count = textpage.count_chars()
    text = textpage.get_text_range() if count else ""
    if skip:
        letters = list(text)
        for index in skip:
            if index < len(letters):
                letters[index] = " "
        text = "".join(letters)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    line_breaks = (codes == ord("\r")) | (codes == ord("\n"))
    array = loose_boxes(ctypes.cast(textpage.raw, Handle), line_breaks).astype(np.float64)
    return Glyphs(text, array)


@dataclass(frozen=True)
class RawLine:
    """A line (or a segment of one) built from glyphs: its text, box and font size, and whether
    it continues the previous segment's row."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    size: float
    continues: bool


@dataclass(frozen=True)
class GlyphLines:
    """The lines of a page, its count of glyphs (spaces left out) and of unreadable glyphs."""

    lines: tuple[RawLine, ...]
    glyphs: int
    unreadable: int


def build_lines(glyphs: Glyphs, is_icon: Callable[[int], bool]) -> GlyphLines:
    """Rebuild the page's lines and word spaces from the glyph boxes, in stream order.

    ``is_icon(index)`` says whether the glyph at a char index is drawn with an icon font; it is
    asked only for one-glyph words (an icon stands alone: an icon, a space, a phone number).
    """
    if not glyphs.text:
        return GlyphLines((), 0, 0)
    with np.errstate(all="ignore"):  # a damaged file's boxes may be NaN or infinite
        return _build_lines(glyphs, is_icon)


def _build_lines(glyphs: Glyphs, is_icon: Callable[[int], bool]) -> GlyphLines:
    """:func:`build_lines` of a page with characters."""
    text = glyphs.text
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    boxes = glyphs.boxes
    classes = _CLASSES[np.where(codes > 0xFFFF, 0x41, codes)]  # beyond the BMP: as a letter
    space = (classes & _SPACE) != 0
    unreadable = ((classes & _UNREADABLE) != 0) | (codes >= 0xF0000)
    bullet = (classes & _BULLET) != 0
    hyphen = codes == _HYPHEN_MARK
    glyph_count = int(np.count_nonzero(~space & ~hyphen))
    unreadable_count = int(np.count_nonzero(unreadable))
    # a space drawn by the file (not generated by pdfium: those have empty boxes), a bullet or an
    # unreadable glyph separates words
    drawn = boxes[:, 2] > boxes[:, 0]
    separator = (space & drawn & (codes != 10) & (codes != 13)) | bullet | unreadable
    generated = space & ~drawn & (codes == 32)
    keep = np.flatnonzero(~space & ~unreadable & ~bullet)
    if keep.size == 0:
        return GlyphLines((), glyph_count, unreadable_count)
    left, top, right, bottom = _fill_empty(boxes[keep])
    size = _sizes(top - bottom)
    breaks = _breaks(left, top, right, bottom, size)
    hinted = np.diff(np.cumsum(generated)[keep]) > 0
    spaces = (breaks == 0) & (
        (np.diff(np.cumsum(separator)[keep]) > 0) | _wide_gaps(left, right, size, breaks, hinted)
    )
    kinds = np.where(spaces, 1, breaks)  # per gap: 0 none, 1 space, 2 segment, 3 line
    chars = codes[keep].copy()
    chars[hyphen[keep]] = ord("-")
    icons = _icons(keep, kinds, is_icon)
    if icons.size:
        chars[icons] = ord(" ")
        unreadable_count += int(icons.size)
    lines = _lines(chars, kinds, left, top, right, bottom, size)
    return GlyphLines(lines, glyph_count, unreadable_count)


def _fill_empty(boxes: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], ...]:
    """Columns left, top, right, bottom; a glyph with an empty box (pdfium's hyphen mark, a
    glyph without a text object) takes the end of the glyph before it."""
    empty = (boxes[:, 2] <= boxes[:, 0]) & (boxes[:, 1] <= boxes[:, 3])
    if empty.any():
        boxes = boxes.copy()
        source = np.where(empty, 0, np.arange(len(boxes)))
        np.maximum.accumulate(source, out=source)
        filled = boxes[source]
        boxes[empty, 0] = filled[empty, 2]
        boxes[empty, 1:] = filled[empty, 1:]
    return boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]


def _sizes(heights: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Font sizes from the loose box heights; an empty height takes the page's median."""
    sizes: np.ndarray[Any, Any] = np.abs(heights)
    bad = sizes < 0.5
    if bad.any():
        good = sizes[~bad]
        sizes = np.where(bad, float(np.median(good)) if good.size else 10.0, sizes)
    return sizes


def _breaks(
    left: np.ndarray[Any, Any],
    top: np.ndarray[Any, Any],
    right: np.ndarray[Any, Any],
    bottom: np.ndarray[Any, Any],
    size: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """Per gap between consecutive glyphs: 3 a new line, 2 a new segment, 0 neither."""
    before = size[:-1]
    overlap = np.minimum(top[:-1], top[1:]) - np.maximum(bottom[:-1], bottom[1:])
    smaller = np.minimum(before, size[1:])
    gap = left[1:] - right[:-1]
    new_line = (overlap <= LINE_OVERLAP * smaller) | (gap < -2 * before)
    segment = ~new_line & (gap > SEGMENT_GAP * before)
    return np.where(new_line, 3, np.where(segment, 2, 0)).astype(np.int8)


def _wide_gaps(
    left: np.ndarray[Any, Any],
    right: np.ndarray[Any, Any],
    size: np.ndarray[Any, Any],
    breaks: np.ndarray[Any, Any],
    hinted: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """Gaps wide enough to be word spaces, judged per line for letter-spaced lines.

    Where pdfium generated a space (``hinted``), a narrower gap is enough (a kerned space).
    """
    if breaks.size == 0:  # a single glyph
        return np.zeros(0, dtype=bool)
    relative = (left[1:] - right[:-1]) / _gap_sizes(size, breaks)
    wide: np.ndarray[Any, Any] = (relative > SPACE_GAP) | (hinted & (relative > HINTED_GAP))
    # runs of gaps between breaks: one run per line segment
    starts = np.flatnonzero(np.concatenate(([True], breaks[:-1] != 0)))
    counts = np.add.reduceat(np.where(breaks == 0, 1, 0), starts)
    wides = np.add.reduceat(np.where(breaks == 0, wide, False).astype(np.int64), starts)
    spaced = (counts >= LETTER_SPACED_GAPS) & (wides > LETTER_SPACED_SHARE * counts)
    suspect = np.flatnonzero(spaced)
    for run in suspect:
        start = starts[run]
        end = starts[run + 1] if run + 1 < len(starts) else len(breaks)
        inside = relative[start:end][breaks[start:end] == 0]
        typical = float(np.median(inside))
        if typical < LETTER_SPACED_MAX:
            wide[start:end] = relative[start:end] > typical + LETTER_SPACED_EXTRA
    return wide


def _gap_sizes(size: np.ndarray[Any, Any], breaks: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The font size each gap is measured against: the larger of its two glyphs', and at least
    LINE_SIZE_SHARE of the largest glyph so far on its line segment (pdfium gives the ink box
    instead of the loose box for a font without ascent and descent: the small capitals after
    the "R" of "Roles" measure 6 points in a 9-point font)."""
    pair = np.maximum(size[:-1], size[1:])
    segment = np.concatenate(([0], np.cumsum(breaks != 0)))
    offset = segment * (float(size.max()) + 1.0)  # running maximum restarted on each segment
    running = np.maximum.accumulate(size + offset) - offset
    result: np.ndarray[Any, Any] = np.maximum(pair, LINE_SIZE_SHARE * running[:-1])
    return result


def _icons(
    keep: np.ndarray[Any, Any], kinds: np.ndarray[Any, Any], is_icon: Callable[[int], bool]
) -> np.ndarray[Any, Any]:
    """Positions (in ``keep``) of one-glyph words drawn with an icon font."""
    edge = np.concatenate(([True], kinds != 0, [True]))
    alone = np.flatnonzero(edge[:-1] & edge[1:])
    return np.array([k for k in alone if is_icon(int(keep[k]))], dtype=np.int64)


def _lines(
    chars: np.ndarray[Any, Any],
    kinds: np.ndarray[Any, Any],
    left: np.ndarray[Any, Any],
    top: np.ndarray[Any, Any],
    right: np.ndarray[Any, Any],
    bottom: np.ndarray[Any, Any],
    size: np.ndarray[Any, Any],
) -> tuple[RawLine, ...]:
    """The glyphs cut into lines and segments, with word spaces, boxes and font sizes."""
    cuts = np.flatnonzero(kinds) + 1  # a gap k lies before glyph k + 1
    marks = np.where(kinds[cuts - 1] == 1, ord(" "), 0).astype(np.uint32)  # 0: a new line
    joined = np.insert(chars.astype(np.uint32), cuts, marks)
    texts = joined.tobytes().decode("utf-32-le", "surrogatepass").split("\x00")
    line_starts = np.concatenate(([0], np.flatnonzero(kinds >= 2) + 1))
    x0 = np.minimum.reduceat(left, line_starts).tolist()
    x1 = np.maximum.reduceat(right, line_starts).tolist()
    y0 = np.minimum.reduceat(bottom, line_starts).tolist()
    y1 = np.maximum.reduceat(top, line_starts).tolist()
    sizes = np.maximum.reduceat(size, line_starts).tolist()
    continues = [False] + [kinds[s - 1] == 2 for s in line_starts[1:].tolist()]
    return tuple(
        RawLine(texts[i], x0[i], x1[i], y0[i], y1[i], sizes[i], bool(continues[i]))
        for i in range(len(texts))
    )

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
#: pdfium's mark for a hyphen it takes for a line-end one: read as "-", the line break is left
#: to the geometry (pdfium also marks hyphens inside lines on pages it takes for vertical text)
_HYPHEN_MARK = 0xFFFE
#: The class bits of a code point (:data:`_CLASSES`). A separator (a bullet or an unreadable
#: glyph) always splits words; a space other than a line break splits them where the file drew it;
#: U+0020 where pdfium generated it (no box) hints a space (:data:`HINTED_GAP`).
_SEPARATOR, _DRAWN_SPACE, _BLANK, _SPACE, _UNREADABLE, _HYPHEN = 1, 2, 4, 8, 16, 32
#: The glyph classes that split words where a glyph is drawn, and where it is not (per glyph:
#: the mask its class bits are read through before they are gathered between kept glyphs).
_SPLITS_DRAWN = np.uint8(_SEPARATOR | _DRAWN_SPACE)
_SPLITS_UNDRAWN = np.uint8(_SEPARATOR | _BLANK)


def _classes() -> np.ndarray[Any, Any]:
    """What each code point of the Basic Multilingual Plane is here: the bits of a space (and
    whether it splits words when drawn, or hints a space when not), of a bullet or unreadable
    glyph (private use, replacement, control characters) and of pdfium's hyphen mark."""
    table = np.zeros(0x10000, dtype=np.uint8)
    spaces = [ord(c) for c in SPACES]
    table[spaces] |= _SPACE
    table[[code for code in spaces if code not in (10, 13)]] |= _DRAWN_SPACE
    table[32] |= _BLANK
    table[[ord(c) for c in BULLETS]] |= _SEPARATOR
    unreadable = np.zeros(0x10000, dtype=bool)
    unreadable[0xE000:0xF900] = True
    unreadable[[0xFFFD, 0xFFFF]] = True
    unreadable[[code for code in range(32) if chr(code) not in "\t\n\r"]] = True
    table[unreadable] |= _UNREADABLE | _SEPARATOR
    table[_HYPHEN_MARK] |= _HYPHEN
    return table


#: Code point -> class bits, looked up for a whole page at once.
_CLASSES = _classes()


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
    text = textpage.get_text_range(0, count) if count else ""  # (not counted again)
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


@dataclass(slots=True)
class Line:
    """One visual line (or a segment of one): its text, box (PDF points, y upwards) and font
    size, and whether it continues the previous segment's row (where the layout may join it
    back onto that segment: see :func:`~skillmatch.read.pdf_layout.join_rows`)."""

    text: str = ""
    x0: float = float("inf")
    x1: float = float("-inf")
    bottom: float = float("inf")
    top: float = float("-inf")
    size: float = 0.0
    continues: bool = False


@dataclass(frozen=True)
class GlyphLines:
    """The lines of a page, its count of glyphs (spaces left out) and of unreadable glyphs."""

    lines: tuple[Line, ...]
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
    classes = _char_classes(codes)
    glyph_count = len(codes) - int(np.count_nonzero(classes & (_SPACE | _HYPHEN)))
    unreadable_count = int(np.count_nonzero(classes & _UNREADABLE))
    keep = np.flatnonzero((classes & (_SPACE | _SEPARATOR)) == 0)
    if keep.size == 0:
        return GlyphLines((), glyph_count, unreadable_count)
    # a space drawn by the file (not generated by pdfium: those have empty boxes), a bullet or an
    # unreadable glyph separates words; a space pdfium generated hints one. Gathered per gap
    # between kept glyphs (a kept glyph has neither bit)
    drawn = boxes[:, 2] > boxes[:, 0]
    splits = classes & np.where(drawn, _SPLITS_DRAWN, _SPLITS_UNDRAWN)
    between = np.bitwise_or.reduceat(splits, keep)[:-1]
    columns = _columns(np.take(boxes, keep, axis=0))
    left, bottom, top, right, size = columns
    gap = left[1:] - right[:-1]
    breaks = _breaks(gap, top, bottom, size)
    joined = breaks == 0
    wide = _wide_gaps(gap, size, breaks, joined, (between & _BLANK) != 0)
    spaces = joined & (((between & (_SEPARATOR | _DRAWN_SPACE)) != 0) | wide)
    kinds = breaks | spaces.view(np.int8)  # per gap: 0 none, 1 space, 2 segment, 3 line
    chars = np.take(codes, keep)
    if "\ufffe" in text:
        chars[chars == _HYPHEN_MARK] = ord("-")
    icons = _icons(keep, kinds, is_icon)
    if icons.size:
        chars[icons] = ord(" ")
        unreadable_count += int(icons.size)
    lines = _lines(chars, kinds, columns)
    return GlyphLines(lines, glyph_count, unreadable_count)


def _char_classes(codes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The class bits of each code point; beyond the BMP a letter, or unreadable from the
    supplementary private use planes on."""
    if int(codes.max()) <= 0xFFFF:
        return _CLASSES.take(codes)
    classes = _CLASSES.take(np.where(codes > 0xFFFF, 0x41, codes))
    classes[codes >= 0xF0000] |= _UNREADABLE | _SEPARATOR
    return classes


def _columns(boxes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Rows left, bottom, top, right and font size of the kept glyphs' boxes (so that a line's
    box is a minimum over the first two and a maximum over the rest); a glyph with an empty box
    (pdfium's hyphen mark, a glyph without a text object) takes the end of the glyph before it.
    """
    columns = np.empty((5, len(boxes)))
    left, bottom, top, right = columns[0], columns[1], columns[2], columns[3]
    left[:], top[:], right[:], bottom[:] = boxes.T
    empty = np.flatnonzero((right <= left) & (top <= bottom))
    if empty.size:
        source = np.zeros(len(boxes), dtype=np.intp)
        source[1:] = np.arange(1, len(boxes))
        source[empty] = 0
        np.maximum.accumulate(source, out=source)
        source = source[empty]
        # the sources are not empty (or the first glyph, whose box only changes its left)
        left[empty] = right[source]
        top[empty], right[empty], bottom[empty] = top[source], right[source], bottom[source]
    columns[4] = _sizes(top - bottom)
    return columns


def _sizes(heights: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Font sizes from the loose box heights; an empty height takes the page's median."""
    sizes: np.ndarray[Any, Any] = np.abs(heights)
    bad = sizes < 0.5
    if bad.any():
        good = sizes[~bad]
        sizes = np.where(bad, float(np.median(good)) if good.size else 10.0, sizes)
    return sizes


def _breaks(
    gap: np.ndarray[Any, Any],
    top: np.ndarray[Any, Any],
    bottom: np.ndarray[Any, Any],
    size: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """Per gap between consecutive glyphs: 3 a new line, 2 a new segment, 0 neither."""
    before = size[:-1]
    overlap = np.minimum(top[:-1], top[1:]) - np.maximum(bottom[:-1], bottom[1:])
    new_line = (overlap <= LINE_OVERLAP * np.minimum(before, size[1:])) | (gap < -2 * before)
    segment = (gap > SEGMENT_GAP * before).view(np.int8) << 1
    return np.where(new_line, np.int8(3), segment)


def _wide_gaps(
    gap: np.ndarray[Any, Any],
    size: np.ndarray[Any, Any],
    breaks: np.ndarray[Any, Any],
    joined: np.ndarray[Any, Any],
    hinted: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """Gaps wide enough to be word spaces, judged per line for letter-spaced lines.

    ``joined``: the gaps that are no break. Where pdfium generated a space (``hinted``), a
    narrower gap is enough (a kerned space).
    """
    if breaks.size == 0:  # a single glyph
        return np.zeros(0, dtype=bool)
    relative = gap / _gap_sizes(size, joined)
    wide: np.ndarray[Any, Any] = (relative > SPACE_GAP) | (hinted & (relative > HINTED_GAP))
    # runs of gaps between breaks: one run per line segment
    starts = np.flatnonzero(~joined[:-1]) + 1
    starts = np.concatenate(([0], starts))
    counts = np.add.reduceat(joined, starts, dtype=np.intp)
    wides = np.add.reduceat(wide & joined, starts, dtype=np.intp)
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


def _gap_sizes(size: np.ndarray[Any, Any], joined: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The font size each gap is measured against: the larger of its two glyphs', and at least
    LINE_SIZE_SHARE of the largest glyph so far on its line segment (pdfium gives the ink box
    instead of the loose box for a font without ascent and descent: the small capitals after
    the "R" of "Roles" measure 6 points in a 9-point font)."""
    pair = np.maximum(size[:-1], size[1:])
    segment = np.zeros(len(size), dtype=np.intp)
    np.cumsum(~joined, out=segment[1:])  # the segment of each glyph
    offset = segment * (float(size.max()) + 1.0)  # running maximum restarted on each segment
    running = np.maximum.accumulate(size + offset)
    running -= offset
    result: np.ndarray[Any, Any] = np.maximum(pair, LINE_SIZE_SHARE * running[:-1])
    return result


def _icons(
    keep: np.ndarray[Any, Any], kinds: np.ndarray[Any, Any], is_icon: Callable[[int], bool]
) -> np.ndarray[Any, Any]:
    """Positions (in ``keep``) of one-glyph words drawn with an icon font."""
    edge = np.ones(len(kinds) + 2, dtype=bool)
    np.not_equal(kinds, 0, out=edge[1:-1])
    alone = np.flatnonzero(edge[:-1] & edge[1:])
    indexes = keep[alone].tolist()
    return np.array(
        [k for k, index in zip(alone.tolist(), indexes, strict=True) if is_icon(index)],
        dtype=np.int64,
    )


#: What a gap's kind puts between two glyphs in the joined codes: nothing (:data:`_NOTHING`,
#: dropped), a space, or a NUL where a new line (or segment) starts.
_NOTHING = 0xFFFFFFFF
_GAP_MARKS = np.array([_NOTHING, ord(" "), 0, 0], dtype=np.uint32)


def _lines(
    chars: np.ndarray[Any, Any], kinds: np.ndarray[Any, Any], columns: np.ndarray[Any, Any]
) -> tuple[Line, ...]:
    """The glyphs cut into lines and segments, with word spaces, boxes and font sizes."""
    pairs = np.empty((len(chars), 2), dtype=np.uint32)  # each glyph, then the gap after it
    pairs[:, 0] = chars
    pairs[:-1, 1] = _GAP_MARKS.take(kinds)
    pairs[-1, 1] = _NOTHING
    codes = pairs.ravel()
    codes = codes.compress(codes != _NOTHING)
    texts = codes.tobytes().decode("utf-32-le", "surrogatepass").split("\x00")
    line_starts = np.flatnonzero(kinds >= 2) + 1
    continues = [False, *(kinds[line_starts - 1] == 2).tolist()]
    line_starts = np.concatenate(([0], line_starts))
    x0, bottom = np.minimum.reduceat(columns[:2], line_starts, axis=1).tolist()
    top, x1, size = np.maximum.reduceat(columns[2:], line_starts, axis=1).tolist()
    return tuple(map(Line, texts, x0, x1, bottom, top, size, continues))

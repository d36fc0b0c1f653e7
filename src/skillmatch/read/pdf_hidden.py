"""Text in a PDF that a reader cannot see: invisible, background-coloured, tiny, off the page or
covered by a later opaque shape.

Candidates paste a job ad into their CV as white or 1-point text to game keyword matching.
:func:`find_hidden` finds such text on one page in two steps:

1. **A cheap screen** goes over the page objects once in drawing order (form XObjects
   included), from a table of pdfium's answers for all of them (:mod:`~.pdf_native`): for each
   text object its render mode, fill colour, bounds and, when its box is small, its effective
   font size; filled shapes and images are remembered as possible backgrounds (drawn before the
   text) or covers (drawn after it). Runs of plain text between two shapes are judged as
   arrays. Most pages end here with nothing suspicious.
2. **Only when a text object is suspicious**, each character of the text page is mapped to its
   text object (``FPDFText_GetTextObject``) and, for partly off-page or partly covered
   objects, its box is checked; the result is the set of hidden character indexes, which the
   text readers blank out, and one :class:`~skillmatch.models.HiddenText` per reason.

Background sidebars that CV templates draw *before* their text are backgrounds, never covers
(a thick stroked line used as a band counts as one); light-grey design text (dates in #999999)
has enough contrast to stay visible; a scan whose only text is an invisible OCR layer over a
page-size image is not hidden text.

3. **What the viewer paints** (:mod:`skillmatch.read.pdf_paint`): when the screen saw a reason
   (clipping, forms, transparency, optional content, Type3 fonts, narrow text objects, text
   over pictures, annotations), the page is rendered and every other character whose glyph
   box shows no ink is hidden too (``not_painted``: clipped away, masked, in optional content
   that is off, glyphs that draw nothing, under a white annotation, a text layer over a scan
   that shows nothing there), as are glyphs squeezed to slivers (``squeezed``: ``Tz 1``).
   Text in a blend mode that washes it out is ``blended`` (pdfium does not paint it so).
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from skillmatch.models import HiddenText
from skillmatch.read.pdf_native import (
    CLIP_LEFT,
    CLIP_PATHS,
    FILL,
    FONT,
    HANDLE,
    KIND,
    LEFT,
    MODE,
    OPTIONAL,
    SIZE,
    SIZED,
    TOP,
    TRANSPARENT,
    D,
    char_objects,
    fill_key,
    scan_objects,
)
from skillmatch.read.pdf_objects import (
    BOUNDS,
    CHAR_BOX,
    FONT_SIZE,
    FOUR_FLOATS,
    MATRIX,
    TEXT_OBJECT,
    WHITE,
    Box,
    Colour,
    Handle,
    area,
    blend,
    blended,
    concat,
    contains,
    contrast,
    luminance,
    matrix_of,
    path_paint,
    pointer,
    stroke_colour,
    transform,
    unpack_rgba,
)
from skillmatch.read.pdf_paint import (
    NARROW,
    NARROW_CHARS,
    is_type3,
    paint_signal,
    painting_annotations,
    unpainted_chars,
)

#: Text whose effective font size (font size times the text matrix scale) is below this many
#: points is unreadable.
TINY_FONT = 3.0
#: Text whose WCAG contrast ratio with the background it sits on is below this is invisible
#: (white on white is 1.0, #999999 on white 2.8, black on white 21).
MIN_CONTRAST = 1.3
#: Text at least this many points high (a watermark, a title) is visible down to a contrast
#: ratio of :data:`MIN_CONTRAST_LARGE` (#EBEBEB on white is 1.2; #F6F6F6 is 1.08).
LARGE_FONT = 24.0
MIN_CONTRAST_LARGE = 1.1
#: Points a glyph may stick out of the page box before it counts as off the page.
PAGE_TOLERANCE = 1.0
#: Shapes narrower or lower than this many points neither back nor cover text (rules, lines).
MIN_SHAPE = 3.0
#: An image covering at least this share of the page, on a page whose text is all invisible,
#: makes the page a scan with an OCR text layer (``ocrmypdf`` output), not hidden text.
SCAN_SHARE = 0.5
#: Runs of at most this many quiet objects are judged an object at a time, longer ones as
#: arrays (the same judgement; which is cheaper).
_SHORT_RUN = 48
#: Characters of hidden text kept as its sample.
SAMPLE_CHARS = 80

#: The order reasons are reported in; an object with several tricks gets the first.
REASONS = (
    "invisible",
    "off_page",
    "tiny_font",
    "background_colour",
    "covered",
    "blended",
    "squeezed",
    "not_painted",
)

Ints = np.ndarray[Any, np.dtype[np.int64]]
Floats64 = np.ndarray[Any, np.dtype[np.float64]]
Floats32 = np.ndarray[Any, np.dtype[np.float32]]
Bools = np.ndarray[Any, np.dtype[np.bool_]]
#: Bounds columns (left, bottom, right, top) in the order the cover check keeps them.
_BOTTOM_TOP_LEFT_RIGHT = [1, 3, 0, 2]
_INVISIBLE_MODES = frozenset((3, 7))  # neither filled nor stroked (7 only clips)
_STROKE_MODES = frozenset((1, 5))  # stroked, not filled: the stroke colour is what shows
_FILL_STROKE_MODES = frozenset((2, 6))  # filled and stroked: either colour may show
_WHITESPACE = re.compile(r"\s+")
#: Page objects that paint an area: paths (when filled), images and shadings.
_SHAPE_KINDS = frozenset(
    (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING)
)


@dataclass(frozen=True)
class PageHidden:
    """The hidden text of one page: the text-page indexes of its characters and one
    :class:`HiddenText` per reason."""

    chars: frozenset[int] = frozenset()
    parts: tuple[HiddenText, ...] = ()


#: A page with no hidden text.
NOTHING_HIDDEN = PageHidden()


@dataclass(frozen=True)
class Suspect:
    """A text object the screen found hidden, wholly or in part.

    ``reason`` is one of :data:`REASONS`. When ``inside`` is given only the characters whose
    centre lies inside one of those boxes are hidden (the covered part); when ``outside`` is
    given only those whose centre lies outside it (the part off the page).
    """

    reason: str
    inside: tuple[Box, ...] = ()
    outside: Box | None = None

    def hides(self, centre_x: float, centre_y: float) -> bool:
        """True when a character centred at this point is hidden."""
        if self.outside is not None:
            return not contains(self.outside, centre_x, centre_y)
        if self.inside:
            return any(contains(box, centre_x, centre_y) for box in self.inside)
        return True

    @property
    def partial(self) -> bool:
        """True when the characters' boxes decide which of them are hidden."""
        return self.outside is not None or bool(self.inside)


def find_hidden(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int) -> PageHidden:
    """The text of page ``number`` (1-based) that a reader cannot see.

    Costs one pass over the page objects (about a microsecond each, in arrays); the text page
    is only read when some text object is suspicious.
    """
    suspects, paint = screen_page(page, textpage)
    if not suspects and not paint:
        return NOTHING_HIDDEN
    count = textpage.count_chars()
    if not count:
        return NOTHING_HIDDEN
    text = textpage.get_text_range()[:count]
    reasons = hidden_chars(textpage, suspects, text) if suspects else {}
    if paint:
        reasons.update(unpainted_chars(page, textpage, text, reasons))
    if not reasons:
        return NOTHING_HIDDEN
    return PageHidden(frozenset(reasons), summarise(text, reasons, number))


def screen_page(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage | None = None, *, defer: bool = True
) -> tuple[dict[int, Suspect], str | None]:
    """The suspicious text objects of a page, by handle address (one pass over its objects),
    and why the page must be rendered to see what it paints (``None`` when the screen can
    judge it alone; see :mod:`skillmatch.read.pdf_paint`).

    ``defer=False`` walks the page run by run only (see :meth:`_Screen.walk`): the same
    answer, more slowly; the tests check the two walks against each other."""
    box = pdfium_c.FS_RECTF()
    pdfium_c.FPDF_GetPageBoundingBox(page.raw, ctypes.byref(box))
    bottom, top = sorted((box.bottom, box.top))
    screen = _Screen((box.left, bottom, box.right, top))
    if textpage is not None:
        screen.textpage = ctypes.cast(textpage.raw, Handle)
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    if not screen.walk(ctypes.cast(page.raw, Handle), count, None, form=False, defer=defer):
        # the page again, from what the first walk learnt of its objects: asking whether an
        # object is blended changes it (see pdf_objects.blended)
        screen = _Screen(
            screen.page_box, textpage=screen.textpage, scans=screen.scans, mixed=screen.mixed
        )
        screen.walk(ctypes.cast(page.raw, Handle), count, None, form=False)
    suspects = screen.finish()
    if screen.paint is None and painting_annotations(page):
        screen.paint = "annotation"
    return suspects, screen.paint


def hidden_chars(
    textpage: pdfium.PdfTextPage, suspects: dict[int, Suspect], text: str
) -> dict[int, str]:
    """The hidden characters of a text page whose text is ``text``: index -> reason (white
    space excluded)."""
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
    get_object = TEXT_OBJECT
    box = (ctypes.c_double * 4)()
    refs = [ctypes.byref(box, 8 * k) for k in range(4)]
    hidden: dict[int, str] = {}
    for index, char in enumerate(text):
        if char.isspace():
            continue
        suspect = suspects.get(get_object(handle, index) or 0)
        if suspect is None:
            continue
        if suspect.partial:
            CHAR_BOX(handle, index, *refs)
            left, right, bottom, top = box
            if not suspect.hides((left + right) / 2, (bottom + top) / 2):
                continue
        hidden[index] = suspect.reason
    return hidden


def summarise(text: str, reasons: dict[int, str], number: int) -> tuple[HiddenText, ...]:
    """One :class:`HiddenText` per reason: its non-space character count and a sample."""
    pieces: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    for index in sorted(reasons):
        reason = reasons[index]
        parts = pieces.setdefault(reason, [])
        if last.get(reason, index - 1) != index - 1:
            parts.append(" ")  # a jump over visible text separates words
        parts.append(text[index])
        last[reason] = index
    found = []
    for reason in REASONS:
        if reason not in pieces:
            continue
        hidden = _WHITESPACE.sub(" ", "".join(pieces[reason])).strip()
        chars = len(hidden.replace(" ", ""))
        if chars:
            found.append(HiddenText(reason, chars, _sample(hidden), number))
    return tuple(found)


def _sample(hidden: str) -> str:
    """The start of the hidden text, cut at a word end when it is long."""
    if len(hidden) <= SAMPLE_CHARS:
        return hidden
    cut = hidden[:SAMPLE_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > SAMPLE_CHARS // 2 else cut) + "…"


def _inside_any(x: Floats64, y: Floats64, boxes: Floats64) -> Bools:
    """Which points lie inside one of ``boxes`` (rows of left, bottom, right, top), edges
    included."""
    left, bottom, right, top = boxes.T
    px, py = x[:, None], y[:, None]
    inside: Bools = ((left <= px) & (px <= right) & (bottom <= py) & (py <= top)).any(axis=1)
    return inside


def _inside_boxes(x: float, y: float, boxes: list[Box]) -> bool:
    """Whether the point lies inside one of ``boxes``, edges included."""
    for left, bottom, right, top in boxes:  # noqa: SIM110 (twice as fast as any())
        if left <= x <= right and bottom <= y <= top:
            return True
    return False


@dataclass
class _Shape:
    """A filled shape or image drawn on the page: its box, its colour (``None`` for an image or
    an unknown fill), whether it hides what lies under it, and its place in the drawing order."""

    box: Box
    colour: Colour | None
    opaque: bool
    order: int


@dataclass(frozen=True)
class _PageRows:
    """The objects of a page as arrays (:func:`~.pdf_native.scan_objects`), with what the
    screen works out for all of them at once."""

    table: Ints
    boxes: Floats64
    #: text objects with no ink (white space), and those of them in a tiny font
    blank: Bools
    tiny: Bools
    #: text objects that pass the quick test but for their colour (blank ones included): a
    #: box lower than a tiny font (a full stop's) is fine when the font is not tiny
    quiet: Bools
    #: text objects cut by their clip: more than one clipping path, or a clip rectangle that
    #: does not hold their box (:data:`PAGE_TOLERANCE` given)
    cut: Bools
    #: the centre of each object's box
    x: Floats64
    y: Floats64
    #: the quiet objects that are not blank
    inked: Bools
    #: each object's packed fill colour (the :data:`~.pdf_native.FILL` column)
    fills: Ints

    @classmethod
    def of(cls, table: Ints, geometry: Floats32, boxes: Floats64, page_box: Box) -> _PageRows:
        """The rows of a page's table."""
        left, bottom, right, top = boxes.T
        page_left, page_bottom, page_right, page_top = page_box
        text = table[:, MODE] >= 0
        blank = text & (right <= left) & (top <= bottom)
        size, a, b, c, d = geometry[:, SIZE : D + 1].astype(np.float64).T
        tiny = (table[:, SIZED] == 1) & (np.abs(size) * np.sqrt(np.abs(a * d - b * c)) < TINY_FONT)
        inked = (
            (table[:, MODE] == 0)
            & ~blank
            & (table[:, TRANSPARENT] == 0)
            & (table[:, FILL] >= 0)
            & ((top - bottom >= TINY_FONT) | ~tiny)
            & (page_left <= left)
            & (right <= page_right)
            & (page_bottom <= bottom)
            & (top <= page_top)
        )
        clip_left, clip_bottom, clip_right, clip_top = geometry[:, CLIP_LEFT:].astype(np.float64).T
        tolerance = PAGE_TOLERANCE
        inside = (
            (table[:, CLIP_PATHS] == 1)
            & (clip_left < clip_right)
            & (clip_bottom < clip_top)
            & (clip_left - tolerance <= left)
            & (right <= clip_right + tolerance)
            & (clip_bottom - tolerance <= bottom)
            & (top <= clip_top + tolerance)
        )
        return cls(
            table=table,
            boxes=boxes,
            blank=blank,
            tiny=tiny,
            quiet=inked | blank,
            cut=(table[:, CLIP_PATHS] > 0) & ~inside,
            x=(left + right) / 2,
            y=(bottom + top) / 2,
            inked=inked,
            fills=table[:, FILL],
        )

    def texts(self, runs: list[tuple[int, int, int, Bools | None]]) -> tuple[Floats64, Ints]:
        """The visible inked text of these runs of objects (start, stop, the order of the
        object before them, and which of them failed the quick test) as the cover check keeps
        it: bottom, top, left, right, and order, address."""
        kept = np.zeros(len(self.table), dtype=bool)
        orders = np.zeros(len(self.table), dtype=np.int64)
        for start, stop, order, failing in runs:
            kept[start:stop] = True if failing is None else ~failing
            orders[start:stop] = np.arange(order + 1, order + 1 + stop - start)
        kept &= self.inked
        boxes = self.boxes[kept][:, _BOTTOM_TOP_LEFT_RIGHT]
        return boxes, np.stack([orders[kept], self.table[kept, HANDLE]], 1)


@dataclass
class _Screen:
    """One pass over a page's objects (see :func:`screen_page`)."""

    page_box: Box
    suspects: dict[int, Suspect] = field(default_factory=dict)
    #: large filled shapes and images so far, in drawing order
    shapes: list[_Shape] = field(default_factory=list)
    #: text objects not suspected, kept for the cover check: (bottom, top, left, right, order,
    #: address) one at a time, and as arrays for runs of them (:meth:`_quick_run`)
    texts: list[tuple[float, float, float, float, int, int]] = field(default_factory=list)
    text_runs: list[tuple[_PageRows, int, int, int, Bools | None]] = field(default_factory=list)
    #: whether a run kept some inked text
    inked: bool = False
    #: opaque shapes drawn after some text
    covers: list[_Shape] = field(default_factory=list)
    #: fill colours (RGBA bytes) known to contrast, or not, with every background colour
    safe: set[bytes] = field(default_factory=set)
    unsafe: set[bytes] = field(default_factory=set)
    backgrounds: set[Colour] = field(default_factory=lambda: {WHITE})
    order: int = 0
    #: whether an image covers most of the page (a scan, when all its text is invisible)
    scanned: bool = False
    #: why the page must be rendered (see :mod:`skillmatch.read.pdf_paint`), once known
    paint: str | None = None
    #: the page's text page, for the squeezed-text signal
    textpage: Handle | None = None
    #: the table of each container (page or form) walked, by address, and whether each
    #: transparent text object (by address) is blended: what a second walk of the page reads
    scans: dict[int, tuple[Ints, Floats32]] = field(default_factory=dict)
    mixed: dict[int, bool] = field(default_factory=dict)
    #: per fill colour (RGBA bytes): how many shapes were looked at, and the boxes of those
    #: that could hide text of that colour (``None``: no quick answer for the colour)
    risky: dict[bytes, tuple[int, list[Box]] | None] = field(default_factory=dict)
    #: the same boxes as arrays, per fill colour
    risky_arrays: dict[bytes, Floats64] = field(default_factory=dict)
    #: whether each font (by handle) is a Type3 font
    fonts: dict[int, bool] = field(default_factory=dict)
    #: the contrast each paint (RGBA colours) shows on each background colour
    seen: dict[tuple[tuple[tuple[int, int, int, int], ...], Colour], float] = field(
        default_factory=dict
    )
    #: the text object of each character of the text page, sorted, once asked
    char_owners: Ints | None = None
    #: buffers for the font-size check
    size: ctypes.c_float = field(default_factory=ctypes.c_float)
    matrix: pdfium_c.FS_MATRIX = field(default_factory=pdfium_c.FS_MATRIX)

    def walk(
        self,
        container: Handle,
        count: int,
        matrix: pdfium_c.FS_MATRIX | None,
        form: bool,
        defer: bool = False,
    ) -> bool:
        """Screen the ``count`` objects of a page (or, with ``form``, of a form object) in
        drawing order; ``matrix`` maps a form's space to the page (``None`` on the page).

        pdfium's answers for every object come in one table (:mod:`~.pdf_native`). On the
        page itself, runs of text objects that pass the quick test (opaque fill-mode text in
        a colour that shows on what lies under it, inside the page, not tiny, nothing that
        asks for a render) are judged together (:meth:`_quick_run`); every other object is
        judged on its own, in order (:meth:`_visit`): shapes change what later text is drawn
        on. In a form every object is judged on its own.

        With ``defer`` the quiet text is judged once, after the walk (:meth:`_walk_deferred`);
        False means that was not enough, and the page must be walked again without it.
        """
        scan = self.scans.get(container.value or 0)
        if scan is None:
            scan = self.scans[container.value or 0] = scan_objects(container, count, form=form)
        table, geometry = scan
        boxes = geometry[:, LEFT : TOP + 1].astype(np.float64)
        order = self.order
        if matrix is not None or not count:
            for index in range(count):
                order = self._visit(table[index], boxes[index], order + 1, matrix)
            self.order = order
            return True
        rows = _PageRows.of(table, geometry, boxes, self.page_box)
        for address in table[rows.blank & rows.tiny, HANDLE].tolist():
            self.suspects[address] = Suspect("tiny_font")
        signal = self._signals(rows)
        if defer:
            return self._walk_deferred(rows, signal, order)
        stops = [*np.flatnonzero(~rows.quiet).tolist(), count]
        signals = [*np.flatnonzero(signal).tolist(), count]

        def next_stop(position: int) -> int:
            stop = stops[bisect.bisect_left(stops, position)]
            if self.paint is None:  # a signal asks for a render only while there is no reason
                stop = min(stop, signals[bisect.bisect_left(signals, position)])
            return stop

        def run(start: int, stop: int, order: int) -> None:
            self._quick_run(rows, start, stop, order)

        self._walk_rows(rows, order, next_stop, run)
        return True

    def _walk_rows(
        self,
        rows: _PageRows,
        order: int,
        next_stop: Callable[[int], int],
        run: Callable[[int, int, int], None],
    ) -> None:
        """Go over a page's rows in drawing order: ``run(start, stop, order)`` for each run of
        objects up to the next one that is judged on its own (``next_stop(position)``; the
        row count at the end), which :meth:`_visit` then judges."""
        table, boxes, count = rows.table, rows.boxes, len(rows.table)
        position = 0
        while position < count:
            stop = next_stop(position)
            if stop > position:
                run(position, stop, order)
                order += stop - position
            if stop == count:
                break
            order = self._visit(table[stop], boxes[stop], order + 1, None, bool(rows.cut[stop]))
            position = stop + 1
        self.order = order

    def _walk_deferred(self, rows: _PageRows, signal: Bools, order: int) -> bool:
        """The page's walk with its quiet text judged at the end, at once.

        What the exact walk judges on its own is judged on its own here too, in order: what is
        not quiet, what asks for a render, and text in a colour that never passes the quick
        test (close to white, or translucent). The rest passes when its colour shows on
        every background of the whole page, or it lies outside every shape of the page that
        could hide it: the shapes drawn before it are some of those, so the exact walk would
        pass it too. Otherwise (text over a shape of a close colour) this gives up (False).
        The page counts as having text from the start: that only adds covers that hide
        nothing, since a cover hides text drawn before it.
        """
        count = len(rows.table)
        always = np.zeros(count, dtype=bool)
        for fill in np.unique(rows.fills[rows.inked]).tolist():
            if self._risky_shapes(fill_key(fill)) is None:
                always |= rows.fills == fill
        stops = [*np.flatnonzero(~rows.quiet | signal | (always & rows.inked)).tolist(), count]
        quiet = rows.inked & ~signal & ~always
        self.inked = bool(quiet.any())

        def next_stop(position: int) -> int:
            return stops[bisect.bisect_left(stops, position)]

        def run(start: int, stop: int, order: int) -> None:
            self.text_runs.append((rows, start, stop, order, None))

        self._walk_rows(rows, order, next_stop, run)
        return self._passes(rows, quiet)

    def _passes(self, rows: _PageRows, quiet: Bools) -> bool:
        """Whether all the ``quiet`` text passes against every shape of the page."""
        for fill in np.unique(rows.fills[quiet]).tolist():
            key = fill_key(fill)
            if key in self.safe or self._is_safe(key):
                continue
            risky = self._risky_shapes(key)
            if risky is None:
                return False
            same = quiet & (rows.fills == fill)
            if (
                risky
                and _inside_any(rows.x[same], rows.y[same], self._risky_array(key, risky)).any()
            ):
                return False
        return True

    def _signals(self, rows: _PageRows) -> Bools:
        """Which quiet text objects would ask for a render while the page has no reason yet
        (see :func:`~skillmatch.read.pdf_paint.paint_signal`)."""
        table, text = rows.table, rows.quiet & ~rows.blank
        fonts = table[:, FONT]
        signal = rows.cut | (table[:, OPTIONAL] > 0)
        for font in np.unique(fonts[text]).tolist():
            if is_type3(font, self.fonts):
                signal |= fonts == font
        left, bottom, right, top = rows.boxes.T
        narrow = text & (right - left < NARROW * (top - bottom))
        if self.textpage is not None and narrow.any():
            signal[narrow] |= self._chars(table[narrow, HANDLE]) >= NARROW_CHARS
        return signal & text

    def _chars(self, addresses: Ints) -> Ints:
        """How many characters of the text page each of these text objects draws."""
        if self.char_owners is None:
            self.char_owners = np.zeros(0, dtype=np.int64)
            if self.textpage is not None:
                count = pdfium_c.FPDFText_CountChars(
                    ctypes.cast(self.textpage, pdfium_c.FPDF_TEXTPAGE)
                )
                self.char_owners = np.sort(char_objects(self.textpage, count))
        owners = self.char_owners
        counts: Ints = np.searchsorted(owners, addresses, "right") - np.searchsorted(
            owners, addresses, "left"
        )
        return counts

    def _quick_run(self, rows: _PageRows, start: int, stop: int, order: int) -> None:
        """Judge the quiet objects ``start`` to ``stop`` of the page (``order`` is that of the
        one before them): the text whose colour is safe, or shows where it lies, is visible;
        the rest is judged one by one (its colour may be close to a shape's under it)."""
        if stop - start <= _SHORT_RUN:
            failing = self._failing_each(rows, start, stop)
        else:
            failing = self._failing_by_colour(rows, start, stop)
        self.text_runs.append((rows, start, stop, order, failing))
        kept = int(rows.inked[start:stop].sum()) - (0 if failing is None else int(failing.sum()))
        self.inked = self.inked or kept > 0
        if failing is not None:
            for index in np.flatnonzero(failing).tolist():
                row = start + index
                self._visit(
                    rows.table[row], rows.boxes[row], order + 1 + index, None, rows.cut[row]
                )

    def _failing_by_colour(self, rows: _PageRows, start: int, stop: int) -> Bools | None:
        """Which inked objects of a run fail the quick test, judged as arrays, a colour at a
        time (``None``: none of them)."""
        inked = rows.inked[start:stop]
        fills = rows.fills[start:stop]
        failing: Bools | None = None
        for fill in np.unique(fills[inked]).tolist():
            key = fill_key(fill)
            # a colour that shows on every background so far shows wherever it lies (what
            # the one-by-one judgement of these objects would find too)
            if key in self.safe or self._is_safe(key):
                continue
            risky = self._risky_shapes(key)
            if risky is not None and not risky:
                continue
            same = (fills == fill) & inked
            if risky is not None:
                where = np.flatnonzero(same)
                inside = _inside_any(
                    rows.x[start + where], rows.y[start + where], self._risky_array(key, risky)
                )
                same[where[~inside]] = False
            failing = same if failing is None else failing | same
        return failing

    def _failing_each(self, rows: _PageRows, start: int, stop: int) -> Bools | None:
        """What :meth:`_failing_by_colour` finds, an object at a time: cheaper for the short
        runs between a page's many shapes (a few numpy calls cost more than the loop)."""
        xs, ys = rows.x[start:stop].tolist(), rows.y[start:stop].tolist()
        found = []
        for index, (inked, fill) in enumerate(
            zip(rows.inked[start:stop].tolist(), rows.fills[start:stop].tolist(), strict=True)
        ):
            if not inked:
                continue
            key = fill_key(fill)
            if key in self.safe or self._is_safe(key):
                continue
            risky = self._risky_shapes(key)
            if risky is None or _inside_boxes(xs[index], ys[index], risky):
                found.append(index)
        if not found:
            return None
        failing = np.zeros(stop - start, dtype=bool)
        failing[found] = True
        return failing

    def _visit(
        self,
        row: Ints,
        box: Floats64,
        order: int,
        matrix: pdfium_c.FS_MATRIX | None,
        cut: bool = False,
    ) -> int:
        """Judge one object (``order`` is its place in the drawing order) and return the
        order of the last object drawn so far (a form's own objects follow it)."""
        address = int(row[HANDLE])
        obj = Handle(address)
        mode = int(row[MODE])
        if mode < 0:  # not a text object
            self.order = order
            self._other(obj, int(row[KIND]), matrix)
            return self.order
        left, bottom, right, top = box.tolist()
        if matrix is not None:
            left, bottom, right, top = transform(matrix, (left, bottom, right, top))
        key = fill_key(int(row[FILL]))
        if right <= left and top <= bottom:  # no ink: white space, or zero-size glyphs
            if self._font_size(obj, matrix) < TINY_FONT:
                self.suspects[address] = Suspect("tiny_font")
            return order
        transparent = bool(row[TRANSPARENT])
        mixed = transparent and self._blended(address, obj)
        if self.paint is None:
            if transparent:
                self.paint = "transparency"
            else:
                self.paint = paint_signal(
                    in_form=matrix is not None,
                    clipped=cut,
                    optional=row[OPTIONAL] > 0,
                    type3=is_type3(int(row[FONT]), self.fonts),
                    squeezed=(
                        right - left < NARROW * (top - bottom)
                        and self.textpage is not None
                        and int(self._chars(row[HANDLE : HANDLE + 1])[0]) >= NARROW_CHARS
                    ),
                )
        page_left, page_bottom, page_right, page_top = self.page_box
        if (
            mode == 0
            and not mixed
            and top - bottom >= TINY_FONT
            and page_left <= left
            and right <= page_right
            and page_bottom <= bottom
            and top <= page_top
            and (key in self.safe or self._clear(key, (left + right) / 2, (bottom + top) / 2))
        ):
            self.texts.append((bottom, top, left, right, order, address))
            return order
        self.order = order
        suspect = self._text(obj, mode, (left, bottom, right, top), key, matrix, mixed)
        if suspect is None:
            self.texts.append((bottom, top, left, right, order, address))
        else:
            self.suspects[address] = suspect
        return order

    def _blended(self, address: int, obj: Handle) -> bool:
        """Whether a transparent object is blended, asked once (the asking changes it)."""
        known = self.mixed.get(address)
        if known is None:
            known = self.mixed[address] = blended(pointer(obj))
        return known

    def _has_text(self) -> bool:
        return bool(self.texts) or self.inked

    def finish(self) -> dict[int, Suspect]:
        """The suspects, with the text that later opaque shapes cover added.

        A page whose only text is invisible and that shows a large image is a scan with an OCR
        text layer: its invisible text is what the image shows, so it is not hidden.

        A cover hides the text drawn before it whose box overlaps its own.
        """
        if self.scanned and not self._has_text():
            self.paint = self.paint or "scan"  # does the picture show the text layer?
            self.suspects = {
                address: suspect
                for address, suspect in self.suspects.items()
                if suspect.reason != "invisible"
            }
        if not self.covers or not self._has_text():
            return self.suspects
        singles = np.array([text[:4] for text in self.texts], dtype=np.float64).reshape(-1, 4)
        places = np.array([text[4:] for text in self.texts], dtype=np.int64).reshape(-1, 2)
        pages: dict[int, tuple[_PageRows, list[tuple[int, int, int, Bools | None]]]] = {}
        for rows, start, stop, order, failing in self.text_runs:
            pages.setdefault(id(rows), (rows, []))[1].append((start, stop, order, failing))
        runs = [rows.texts(page_runs) for rows, page_runs in pages.values()]
        geometry = np.concatenate([singles, *(boxes for boxes, _ in runs)])
        orders, handles = np.concatenate([places, *(run for _, run in runs)]).T
        tallest = float((geometry[:, 1] - geometry[:, 0]).max())
        # sorted by bottom, so that each cover looks only at the text whose bottom lies
        # within a text's height under it up to its top
        by_bottom = np.argsort(geometry[:, 0], kind="stable")
        bottoms, tops, lefts, rights = geometry[by_bottom].T
        orders = orders[by_bottom]
        covered: dict[int, list[Box]] = {}
        for cover in self.covers:
            left, bottom, right, top = cover.box
            first = int(np.searchsorted(bottoms, bottom - tallest, "right"))
            band = slice(first, max(first, int(np.searchsorted(bottoms, top, "left"))))
            hit = (
                (orders[band] < cover.order)
                & (tops[band] > bottom)
                & (lefts[band] < right)
                & (left < rights[band])
            )
            for address in handles[np.sort(by_bottom[band][hit])].tolist():
                covered.setdefault(address, []).append(cover.box)
        for address, boxes in covered.items():
            self.suspects[address] = Suspect("covered", inside=tuple(boxes))
        return self.suspects

    # -- text ----------------------------------------------------------------------------

    def _text(
        self,
        obj: Handle,
        mode: int,
        box: Box,
        key: bytes,
        matrix: pdfium_c.FS_MATRIX | None,
        mixed: bool = False,
    ) -> Suspect | None:
        """Why a text object that failed the quick test is hidden, or ``None``.

        ``key`` is its fill colour as RGBA bytes (empty when pdfium cannot give it);
        ``mixed`` says it is painted with a blend mode other than Normal.
        """
        if mode in _INVISIBLE_MODES:
            return Suspect("invisible")
        left, bottom, right, top = box
        page_left, page_bottom, page_right, page_top = self.page_box
        tolerance = PAGE_TOLERANCE
        if (
            left < page_left - tolerance
            or right > page_right + tolerance
            or bottom < page_bottom - tolerance
            or top > page_top + tolerance
        ):
            return Suspect("off_page", outside=self.page_box)
        if top - bottom < TINY_FONT and self._font_size(obj, matrix) < TINY_FONT:
            return Suspect("tiny_font")
        if mode in _STROKE_MODES:
            paints = [stroke_colour(pointer(obj))]
        elif key and self._is_safe(key) and not mixed:
            return None
        else:
            paints = [unpack_rgba(key) if key else None]
            if mode in _FILL_STROKE_MODES:
                paints.append(stroke_colour(pointer(obj)))
        known = [rgba for rgba in paints if rgba is not None]
        if len(known) < len(paints):
            return None  # a pattern or an unknown colour space: cannot judge
        if all(rgba[3] == 0 for rgba in known):
            return Suspect("invisible")
        background = self._background(box)
        if background is None:
            self.paint = self.paint or "unknown background"
            return None  # on an image or a translucent shape: the rendering judges
        if mixed and all(luminance(rgba[:3]) < luminance(background) for rgba in known):
            return Suspect("blended")  # Lighten, Screen and the like wash dark text out
        memo = (tuple(known), background)
        seen = self.seen.get(memo)
        if seen is None:
            seen = self.seen[memo] = max(
                contrast(blend(rgba, background), background) for rgba in known
            )
        if seen >= MIN_CONTRAST:
            return None
        if seen >= MIN_CONTRAST_LARGE and self._font_size(obj, matrix) >= LARGE_FONT:
            return None  # a big faint watermark can be seen
        return Suspect("background_colour")

    def _font_size(self, obj: Handle, matrix: pdfium_c.FS_MATRIX | None) -> float:
        """A text object's effective font size: its font size scaled by its (and its forms')
        matrix, the geometric mean of the two axes' scales."""
        size, own = self.size, self.matrix
        if not FONT_SIZE(obj, ctypes.byref(size)) or not MATRIX(obj, ctypes.byref(own)):
            return TINY_FONT  # unknown: not tiny
        if matrix is not None:
            own = concat(own, matrix)
        a, b, c, d = own.a, own.b, own.c, own.d
        return abs(size.value) * math.sqrt(abs(a * d - b * c))

    def _is_safe(self, key: bytes) -> bool:
        """True when this fill colour (RGBA bytes) is opaque and contrasts with every
        background colour on the page so far."""
        if key in self.safe:
            return True
        if key in self.unsafe:
            return False
        red, green, blue, alpha = unpack_rgba(key)
        if alpha == 255 and all(
            contrast((red, green, blue), background) >= MIN_CONTRAST
            for background in self.backgrounds
        ):
            self.safe.add(key)
            return True
        self.unsafe.add(key)
        return False

    def _clear(self, key: bytes, x: float, y: float) -> bool:
        """True when opaque text of fill colour ``key`` centred at ``(x, y)`` is visible by its
        colour: no shape drawn so far whose colour is close to it (or unknown) lies under the
        point, and the colour contrasts with the white page.

        A page with one dark band makes dark text "unsafe" everywhere; this keeps the text
        away from the band on the quick path (one look at the few risky shapes).
        """
        risky = self._risky_shapes(key)
        return risky is not None and not _inside_boxes(x, y, risky)

    def _risky_shapes(self, key: bytes) -> list[Box] | None:
        """The boxes of the shapes so far that could hide text of colour ``key`` (colour
        close to it, or unknown); ``None`` when no quick answer is possible (translucent
        text, or a colour close to the white page, or no colour)."""
        entry = self.risky.get(key)
        if entry is None:
            if not key:
                return None
            red, green, blue, alpha = unpack_rgba(key)
            if alpha != 255 or contrast((red, green, blue), WHITE) < MIN_CONTRAST:
                self.risky[key] = None
                return None
            entry = self.risky[key] = (0, [])
        if entry is None:
            return None
        seen, boxes = entry
        if seen < len(self.shapes):
            colour = unpack_rgba(key)[:3]
            for shape in self.shapes[seen:]:
                if shape.colour is None or contrast(colour, shape.colour) < MIN_CONTRAST:
                    boxes.append(shape.box)
            self.risky[key] = (len(self.shapes), boxes)
        return boxes

    def _risky_array(self, key: bytes, risky: list[Box]) -> Floats64:
        """``risky`` (the boxes :meth:`_risky_shapes` gave for ``key``) as an array, made
        again only when the list has grown."""
        cached = self.risky_arrays.get(key)
        if cached is None or len(cached) != len(risky):
            cached = self.risky_arrays[key] = np.array(risky, dtype=np.float64).reshape(-1, 4)
        return cached

    def _background(self, box: Box) -> Colour | None:
        """The colour under the centre of ``box``: the topmost earlier shape's, else white."""
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        for shape in reversed(self.shapes):
            if contains(shape.box, x, y):
                return shape.colour
        return WHITE

    # -- shapes, images, forms -------------------------------------------------------------

    def _other(self, handle: Handle, kind: int, matrix: pdfium_c.FS_MATRIX | None) -> None:
        """Walk into a form; remember a filled shape or image (``kind``: its object type)."""
        if kind != pdfium_c.FPDF_PAGEOBJ_FORM:
            self._shape(handle, kind, matrix)
            return
        obj = pointer(handle)
        inner = concat(matrix_of(obj), matrix)
        count = pdfium_c.FPDFFormObj_CountObjects(obj)
        self.walk(handle, count, inner, form=True)

    def _shape(self, handle: Handle, kind: int, matrix: pdfium_c.FS_MATRIX | None) -> None:
        """Remember a filled shape or image large enough to back or cover text."""
        if kind not in _SHAPE_KINDS:
            return
        bounds = (ctypes.c_float * 4)()
        BOUNDS(handle, *(ctypes.byref(bounds, 4 * k) for k in range(4)))
        box: Box = FOUR_FLOATS(bounds)
        if matrix is not None:
            box = transform(matrix, box)
        if box[2] - box[0] < MIN_SHAPE or box[3] - box[1] < MIN_SHAPE:
            return
        obj = pointer(handle)
        colour: Colour | None = None
        opaque = not pdfium_c.FPDFPageObj_HasTransparency(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            fill = path_paint(obj, box)
            if fill is None:
                return  # an outline, not an area
            colour, alpha = fill
            opaque = opaque and alpha == 255
            if not opaque:
                colour = None
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and area(box) >= SCAN_SHARE * area(self.page_box):
            self.scanned = True
        shape = _Shape(box, colour, opaque, self.order)
        self.shapes.append(shape)
        if colour is not None and colour not in self.backgrounds:
            self.backgrounds.add(colour)
            self.safe.clear()
            self.unsafe.clear()
        if opaque and self._has_text():
            self.covers.append(shape)

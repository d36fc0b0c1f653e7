"""Text in a PDF that a reader cannot see: invisible, background-coloured, tiny, off the page or
covered by a later opaque shape.

Candidates paste a job ad into their CV as white or 1-point text to game keyword matching.
:func:`find_hidden` finds such text on one page in two steps:

1. **A cheap screen** walks the page objects once in drawing order (form XObjects included):
   for each text object its render mode, fill colour, bounds and, when its box is small, its
   effective font size; filled shapes and images are remembered as possible backgrounds (drawn
   before the text) or covers (drawn after it). Most pages end here with nothing suspicious.
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
import functools
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from skillmatch.models import HiddenText
from skillmatch.read.pdf_objects import (
    BOUNDS,
    CHAR_BOX,
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
    TEXT_LENGTH,
    TEXT_OBJECT,
    TYPE,
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
    NARROW_BYTES,
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

_BOTTOM = operator.itemgetter(0)
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

    Costs one pass over the page objects (about a microsecond each); the text page is only read
    when some text object is suspicious.
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
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage | None = None
) -> tuple[dict[int, Suspect], str | None]:
    """The suspicious text objects of a page, by handle address (one pass over its objects),
    and why the page must be rendered to see what it paints (``None`` when the screen can
    judge it alone; see :mod:`skillmatch.read.pdf_paint`)."""
    box = pdfium_c.FS_RECTF()
    pdfium_c.FPDF_GetPageBoundingBox(page.raw, ctypes.byref(box))
    bottom, top = sorted((box.bottom, box.top))
    screen = _Screen((box.left, bottom, box.right, top))
    if textpage is not None:
        screen.textpage = ctypes.cast(textpage.raw, Handle)
    handle = ctypes.cast(page.raw, ctypes.c_void_p)
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    screen.walk(functools.partial(GET_OBJECT, handle), count, None)
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


@dataclass
class _Shape:
    """A filled shape or image drawn on the page: its box, its colour (``None`` for an image or
    an unknown fill), whether it hides what lies under it, and its place in the drawing order."""

    box: Box
    colour: Colour | None
    opaque: bool
    order: int


@dataclass
class _Screen:
    """One pass over a page's objects (see :func:`screen_page`)."""

    page_box: Box
    suspects: dict[int, Suspect] = field(default_factory=dict)
    #: large filled shapes and images so far, in drawing order
    shapes: list[_Shape] = field(default_factory=list)
    #: text objects not suspected, kept for the cover check: (bottom, top, left, right, order,
    #: handle), so that sorting orders them by their bottom
    texts: list[tuple[float, float, float, float, int, Handle]] = field(default_factory=list)
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
    #: per fill colour (RGBA bytes): how many shapes were looked at, and the boxes of those
    #: that could hide text of that colour (``None``: no quick answer for the colour)
    risky: dict[bytes, tuple[int, list[Box]] | None] = field(default_factory=dict)
    #: whether each font (by handle) is a Type3 font, each content mark optional content
    fonts: dict[int, bool] = field(default_factory=dict)
    marks: dict[int, bool] = field(default_factory=dict)
    #: the contrast each paint (RGBA colours) shows on each background colour
    seen: dict[tuple[tuple[tuple[int, int, int, int], ...], Colour], float] = field(
        default_factory=dict
    )
    #: buffers for the font-size check
    size: ctypes.c_float = field(default_factory=ctypes.c_float)
    matrix: pdfium_c.FS_MATRIX = field(default_factory=pdfium_c.FS_MATRIX)

    def walk(
        self, get_object: Callable[[int], Any], count: int, matrix: pdfium_c.FS_MATRIX | None
    ) -> None:
        """Screen objects ``get_object(0)`` to ``get_object(count - 1)`` in drawing order;
        ``matrix`` maps a form's space to the page (``None`` on the page itself).

        This loop runs once per page object: the common case (opaque fill-mode text in a
        colour that contrasts with every background, inside the page, not tiny) costs four
        pdfium calls and a few comparisons.
        """
        colour = (ctypes.c_uint * 4)()
        red, green, blue, alpha = (ctypes.byref(colour, 4 * k) for k in range(4))
        bounds = (ctypes.c_float * 4)()
        bounds_refs = [ctypes.byref(bounds, 4 * k) for k in range(4)]
        left_ref, bottom_ref, right_ref, top_ref = bounds_refs
        render_mode, fill_colour, get_bounds = RENDER_MODE, FILL_COLOUR, BOUNDS
        read_bounds = FOUR_FLOATS
        page_left, page_bottom, page_right, page_top = self.page_box
        safe, append = self.safe, self.texts.append
        get_clip, count_paths, count_marks, get_font = GET_CLIP, COUNT_PATHS, COUNT_MARKS, GET_FONT
        fonts, textpage, text_length = self.fonts, self.textpage, TEXT_LENGTH
        order = self.order
        for index in range(count):
            obj = get_object(index)
            order += 1
            mode = render_mode(obj)
            if mode < 0:  # not a text object
                self.order = order
                self._other(obj, matrix)
                order = self.order
                continue
            get_bounds(obj, left_ref, bottom_ref, right_ref, top_ref)
            left, bottom, right, top = read_bounds(bounds)
            if matrix is not None:
                left, bottom, right, top = transform(matrix, (left, bottom, right, top))
            key = bytes(colour) if fill_colour(obj, red, green, blue, alpha) else b""
            if right <= left and top <= bottom:  # no ink: white space, or zero-size glyphs
                if self._font_size(obj, matrix) < TINY_FONT:
                    self.suspects[obj.value or 0] = Suspect("tiny_font")
                continue
            transparent = bool(HAS_TRANSPARENCY(obj))
            mixed = transparent and blended(pointer(obj))
            if self.paint is None:
                if transparent:
                    self.paint = "transparency"
                else:
                    # the common case in a few calls; the exact check when one looks odd
                    clip = get_clip(obj)
                    if (
                        matrix is not None
                        or (clip.value and count_paths(clip) > 0)
                        or count_marks(obj) > 0
                        or fonts.get(get_font(obj).value or 0, True)
                        or (
                            right - left < NARROW * (top - bottom)
                            and textpage is not None
                            and text_length(obj, textpage, None, 0) >= NARROW_BYTES
                        )
                    ):
                        self.paint = paint_signal(
                            obj,
                            matrix is not None,
                            (left, bottom, right, top),
                            self.textpage,
                            fonts,
                            self.marks,
                        )
            if (
                mode == 0
                and not mixed
                and top - bottom >= TINY_FONT
                and page_left <= left
                and right <= page_right
                and page_bottom <= bottom
                and top <= page_top
                and (key in safe or self._clear(key, (left + right) / 2, (bottom + top) / 2))
            ):
                append((bottom, top, left, right, order, obj))
                continue
            self.order = order
            suspect = self._text(obj, mode, (left, bottom, right, top), key, matrix, mixed)
            if suspect is None:
                append((bottom, top, left, right, order, obj))
            else:
                self.suspects[obj.value or 0] = suspect
        self.order = order

    def finish(self) -> dict[int, Suspect]:
        """The suspects, with the text that later opaque shapes cover added.

        A page whose only text is invisible and that shows a large image is a scan with an OCR
        text layer: its invisible text is what the image shows, so it is not hidden.

        The text boxes are sorted by their bottom, so each cover only looks at the text whose
        bottom lies between its own bottom (less the tallest text's height) and its top.
        """
        if self.scanned and not self.texts:
            self.paint = self.paint or "scan"  # does the picture show the text layer?
            self.suspects = {
                address: suspect
                for address, suspect in self.suspects.items()
                if suspect.reason != "invisible"
            }
        if not self.covers:
            return self.suspects
        texts = sorted(self.texts, key=_BOTTOM)
        bottoms = [text[0] for text in texts]
        tallest = max((text[1] - text[0] for text in texts), default=0.0)
        covered: dict[int, list[Box]] = {}
        for cover in self.covers:
            left, bottom, right, top = cover.box
            start = bisect.bisect_right(bottoms, bottom - tallest)
            stop = bisect.bisect_left(bottoms, top)
            for _, text_top, text_left, text_right, order, obj in texts[start:stop]:
                if (
                    order < cover.order
                    and text_top > bottom
                    and text_left < right
                    and left < text_right
                ):
                    covered.setdefault(obj.value or 0, []).append(cover.box)
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
        if risky is None:
            return False
        for left, bottom, right, top in risky:  # inline: this runs for every glyph
            if left <= x <= right and bottom <= y <= top:
                return False
        return True

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

    def _background(self, box: Box) -> Colour | None:
        """The colour under the centre of ``box``: the topmost earlier shape's, else white."""
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        for shape in reversed(self.shapes):
            if contains(shape.box, x, y):
                return shape.colour
        return WHITE

    # -- shapes, images, forms -------------------------------------------------------------

    def _other(self, handle: Handle, matrix: pdfium_c.FS_MATRIX | None) -> None:
        """Walk into a form; remember a filled shape or image."""
        kind = TYPE(handle)
        if kind != pdfium_c.FPDF_PAGEOBJ_FORM:
            self._shape(handle, kind, matrix)
            return
        obj = pointer(handle)
        inner = concat(matrix_of(obj), matrix)
        count = pdfium_c.FPDFFormObj_CountObjects(obj)
        self.walk(
            lambda index: ctypes.cast(pdfium_c.FPDFFormObj_GetObject(obj, index), Handle),
            count,
            inner,
        )

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
        if opaque and self.texts:
            self.covers.append(shape)

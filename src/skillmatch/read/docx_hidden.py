"""Which DOCX runs a reader cannot see: hidden, tiny, or coloured like their background.

Candidates sometimes hide job-ad keywords in a CV so that a screening tool reads them and a
human does not. The DOCX reader asks :class:`StyleSheet` for each run's effective formatting
(document defaults, then the paragraph style, the character style and the run's own
properties, each style through its ``basedOn`` chain) and :func:`hidden_reason` for the trick
it uses, if any:

* ``vanish``: the run is hidden (``w:vanish``, ``w:specVanish`` or ``w:webHidden``);
* ``tiny_font``: the font is under 3 pt (``w:sz`` below 6 half-points);
* ``squeezed``: character scaling (``w:w``) under :data:`MIN_SCALE` percent;
* ``off_page``: raised or lowered (``w:position``) by 500 pt or more;
* ``background_colour``: the text colour is on or close to what is behind it (the run's
  highlight or shading, the paragraph's or table cell's shading, or the page colour), by the
  WCAG contrast ratio: below :data:`MIN_CONTRAST` (light-grey design text stays visible);
  a theme colour (``w:themeColor``) wins over the colour value, as in Word.

:class:`HiddenLog` collects what was found into one
:class:`~skillmatch.models.HiddenText` per reason.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from typing import Any

from skillmatch.models import HiddenText

#: A run of white space (what ``str.split`` splits on), made one space in hidden-text samples.
_SPACES = re.compile(r"\s+")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: Text whose contrast ratio with its background is below this is treated as invisible.
#: White on white is 1.0; #EEEEEE on white is 1.16; #D9D9D9 (a light-grey rule) is 1.41.
MIN_CONTRAST = 1.3
#: Font sizes below this many half-points (3 pt) are treated as invisible.
MIN_HALF_POINTS = 6
#: Character scaling (``w:w``, percent) below this squeezes text to an unreadable sliver.
MIN_SCALE = 20
#: Text raised or lowered (``w:position``) this many half-points (500 pt) or more leaves the
#: page.
OFF_PAGE_HALF_POINTS = 1000
#: Reasons in the order :meth:`HiddenLog.entries` reports them.
REASONS = ("vanish", "background_colour", "tiny_font")
#: Theme colours (``w:themeColor``, DrawingML ``schemeClr``) that Office's themes keep as the
#: page's white and the text's black; other theme colours are not followed.
THEME_COLOURS = {
    "background1": "FFFFFF",
    "light1": "FFFFFF",
    "bg1": "FFFFFF",
    "lt1": "FFFFFF",
    "text1": "000000",
    "dark1": "000000",
    "tx1": "000000",
    "dk1": "000000",
}
SAMPLE_CHARS = 80

_HIDING = (f"{W}vanish", f"{W}specVanish", f"{W}webHidden")
_OFF = frozenset({"0", "false", "off"})
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
#: ``w:highlight`` names (ST_HighlightColor) and their colours.
_HIGHLIGHTS = {
    "black": "000000",
    "blue": "0000FF",
    "cyan": "00FFFF",
    "green": "00FF00",
    "magenta": "FF00FF",
    "red": "FF0000",
    "yellow": "FFFF00",
    "white": "FFFFFF",
    "darkBlue": "000080",
    "darkCyan": "008080",
    "darkGreen": "008000",
    "darkMagenta": "800080",
    "darkRed": "800000",
    "darkYellow": "808000",
    "darkGray": "808080",
    "lightGray": "C0C0C0",
}


@dataclass(frozen=True)
class RunFormat:
    """The formatting that decides whether a run is visible; ``None`` means not set here."""

    #: Hidden by ``w:vanish`` (or ``w:specVanish`` / ``w:webHidden``).
    vanish: bool | None = None
    #: Text colour as ``RRGGBB``, or ``auto`` (Word picks black or white for contrast).
    color: str | None = None
    #: Font size in half-points.
    size: int | None = None
    #: The run's own background (highlight, else shading) as ``RRGGBB``.
    fill: str | None = None
    #: Horizontal character scaling in percent (``w:w``).
    scale: int | None = None
    #: How far the text is raised (lowered when negative), in half-points (``w:position``).
    raised: int | None = None

    def under(self, other: RunFormat) -> RunFormat:
        """This formatting with ``other``'s settings applied on top."""
        changes: dict[str, Any] = {
            key: value for key, value in vars(other).items() if value is not None
        }
        return replace(self, **changes) if changes else self


def run_format(rpr: Any) -> RunFormat:
    """The :class:`RunFormat` a ``w:rPr`` element sets (an empty one for ``None``)."""
    if rpr is None:
        return RunFormat()
    vanish = None
    for tag in _HIDING:
        node = rpr.find(tag)
        if node is not None:
            vanish = bool(vanish) or is_on(node)
    color = None
    node = rpr.find(f"{W}color")
    if node is not None:
        value = node.get(f"{W}val", "")
        color = "auto" if value.lower() == "auto" else hex_colour(value)
        color = THEME_COLOURS.get(node.get(f"{W}themeColor", ""), color)
    fill = None
    node = rpr.find(f"{W}highlight")
    if node is not None:
        fill = _HIGHLIGHTS.get(node.get(f"{W}val", ""))
    if fill is None:
        fill = shading(rpr)
    size, scale, raised = (_number(rpr, tag) for tag in ("sz", "w", "position"))
    return RunFormat(vanish=vanish, color=color, size=size, fill=fill, scale=scale, raised=raised)


def _number(rpr: Any, tag: str) -> int | None:
    """The whole-number ``w:val`` of the ``tag`` child of ``rpr``, if it has one."""
    node = rpr.find(f"{W}{tag}")
    if node is None:
        return None
    try:
        return int(node.get(f"{W}val", ""))
    except ValueError:
        return None


def shading(props: Any) -> str | None:
    """The background colour a ``w:shd`` child of ``props`` paints, as ``RRGGBB``, if any."""
    if props is None:
        return None
    shd = props.find(f"{W}shd")
    if shd is None:
        return None
    if shd.get(f"{W}val") == "solid":  # the pattern colour covers the whole area
        color = hex_colour(shd.get(f"{W}color", ""))
        if color is not None:
            return color
    return hex_colour(shd.get(f"{W}fill", ""))


def is_on(node: Any) -> bool:
    """Whether an on/off property element is on (present without ``w:val="0"``)."""
    return str(node.get(f"{W}val", "1")).lower() not in _OFF


def hex_colour(value: str) -> str | None:
    """``RRGGBB`` upper-cased, or ``None`` for ``auto`` and anything that is not a colour."""
    return value.upper() if _HEX.match(value or "") else None


class StyleSheet:
    """Run formatting from ``styles.xml``: defaults, and each style through ``basedOn``.

    Without ``styles`` (a document that relates several styles parts, or an external one, so
    which styles apply cannot be told) the formatting of a named style raises ``KeyError``:
    the visibility of its text cannot be judged.
    """

    def __init__(self, styles: Any) -> None:
        self._has_styles = styles is not None
        self._styles: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        self.defaults = RunFormat()
        self._formats: dict[str, RunFormat] = {}
        self._bases: dict[str | None, RunFormat] = {}
        self._fills: dict[str, str | None] = {}
        self._shades: dict[str | None, bool] = {}
        if styles is None:
            return
        defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.defaults = run_format(defaults)
        for style in styles.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if style_id is None:
                continue
            self._styles.setdefault(style_id, style)
            is_default = str(style.get(f"{W}default", "")).lower() in ("1", "true", "on")
            if is_default and style.get(f"{W}type") == "paragraph":
                self.default_paragraph = style_id

    def _chain(self, style_id: str | None) -> list[Any]:
        """The style and its ``basedOn`` ancestors, root first (cycles cut)."""
        chain: list[Any] = []
        seen: set[str] = set()
        while style_id is not None and style_id not in seen and len(chain) < 50:
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                break
            chain.append(style)
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        return chain[::-1]

    def style_format(self, style_id: str | None) -> RunFormat:
        """The run formatting a style sets, its ancestors' included (not the defaults)."""
        if style_id is None:
            return RunFormat()
        if not self._has_styles:
            raise KeyError(style_id)
        if style_id not in self._formats:
            result = RunFormat()
            for style in self._chain(style_id):
                result = result.under(run_format(style.find(f"{W}rPr")))
            self._formats[style_id] = result
        return self._formats[style_id]

    def paragraph_format(self, style_id: str | None) -> RunFormat:
        """The run formatting of a paragraph of this style: the defaults, then the style's."""
        if style_id not in self._bases:
            self._bases[style_id] = self.defaults.under(self.style_format(style_id))
        return self._bases[style_id]

    def shades_cells(self, style_id: str | None) -> bool:
        """Whether a table style paints a background anywhere (e.g. a dark header row)."""
        if style_id not in self._shades:
            self._shades[style_id] = any(
                hex_colour(shd.get(f"{W}fill", "")) not in (None, "FFFFFF")
                for style in self._chain(style_id)
                for shd in style.iter(f"{W}shd")
            )
        return self._shades[style_id]

    def paragraph_fill(self, style_id: str | None) -> str | None:
        """The shading a paragraph style gives its paragraphs, if any."""
        if style_id is None:
            return None
        if not self._has_styles:
            raise KeyError(style_id)
        if style_id not in self._fills:
            fill = None
            for style in self._chain(style_id):
                fill = shading(style.find(f"{W}pPr")) or fill
            self._fills[style_id] = fill
        return self._fills[style_id]


#: Style sheets of recently read styles parts, most recent first, with the parts' bytes: CVs
#: written from one template share their styles part, and parsing it (350 KB in python-docx's
#: template) was most of what reading such a CV cost.
_RECENT: list[tuple[bytes, StyleSheet]] = []
_RECENT_COUNT = 4
#: Larger styles parts are not kept: their trees (about 13 times the part's size) would hold
#: memory the next file may need.
_RECENT_MAX_BYTES = 512 * 1024
_RECENT_LOCK = threading.Lock()


def recent_style_sheet(data: bytes) -> StyleSheet | None:
    """The style sheet of a styles part with exactly these bytes, if one was remembered."""
    with _RECENT_LOCK:
        for index, (known, sheet) in enumerate(_RECENT):
            if known == data:
                _RECENT.insert(0, _RECENT.pop(index))
                return sheet
    return None


def remember_style_sheet(data: bytes, sheet: StyleSheet) -> None:
    """Keep ``sheet``, read from a styles part of bytes ``data`` that parsed without fault
    and declares no entities, for the next document with the same part."""
    if len(data) <= _RECENT_MAX_BYTES:
        with _RECENT_LOCK:
            _RECENT.insert(0, (data, sheet))
            del _RECENT[_RECENT_COUNT:]


def hidden_reason(fmt: RunFormat, background: str | None) -> str | None:
    """Why a run with formatting ``fmt`` is invisible, or ``None`` when it can be seen.

    ``background`` is the colour behind the paragraph (``None`` when unknown, e.g. over a
    picture); the run's own fill, when it has one, is used instead.
    """
    if fmt.vanish:
        return "vanish"
    if fmt.size is not None and fmt.size < MIN_HALF_POINTS:
        return "tiny_font"
    if fmt.scale is not None and fmt.scale < MIN_SCALE:
        return "squeezed"
    if fmt.raised is not None and abs(fmt.raised) >= OFF_PAGE_HALF_POINTS:
        return "off_page"
    behind = fmt.fill or background
    if fmt.color in (None, "auto") or behind is None:
        return None
    return "background_colour" if contrast(fmt.color, behind) < MIN_CONTRAST else None


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two ``RRGGBB`` colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(color: str) -> float:
    """WCAG relative luminance of an ``RRGGBB`` colour."""
    channels = []
    for i in (0, 2, 4):
        c = int(color[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


class HiddenLog:
    """Hidden text found while reading, grouped by reason.

    Consecutive hidden runs with the same reason form one segment (a word split across runs
    stays whole); :meth:`entries` joins the segments with spaces for the sample.
    """

    def __init__(self) -> None:
        self.segments: dict[str, list[str]] = {}
        self._open: str | None = None

    def add(self, reason: str, text: str) -> None:
        """Record hidden ``text`` (continuing the segment when the previous run was too)."""
        parts = self.segments.setdefault(reason, [])
        if self._open == reason and parts:
            parts[-1] += text
        else:
            parts.append(text)
        self._open = reason

    def close(self) -> None:
        """End the current segment (a visible run or a new paragraph follows)."""
        self._open = None

    def merge(self, other: HiddenLog) -> None:
        """Add ``other``'s segments to this log."""
        for reason, parts in other.segments.items():
            self.segments.setdefault(reason, []).extend(parts)

    def key(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """A hashable summary, to tell repeated headers apart."""
        return tuple((reason, tuple(parts)) for reason, parts in sorted(self.segments.items()))

    def entries(self) -> tuple[HiddenText, ...]:
        """One :class:`HiddenText` per reason that has non-space text, in :data:`REASONS` order
        (then other reasons, in the order they were first logged)."""
        found = []
        others = [reason for reason in self.segments if reason not in REASONS]
        for reason in (*REASONS, *others):
            # white space runs made one space, in one pass (no list of every word)
            text = _SPACES.sub(" ", " ".join(self.segments.get(reason, []))).strip()
            chars = len(text) - text.count(" ")
            if chars:
                found.append(HiddenText(reason, chars, text[:SAMPLE_CHARS]))
        return tuple(found)

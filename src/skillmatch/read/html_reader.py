"""The HTML reader: the text a browser shows, with the text it hides left out and logged.

Block elements become lines, table cells are joined by `` | ``, scripts and styles are dropped.
Text a visitor cannot see is logged as :class:`~skillmatch.models.HiddenText` (and kept only
with ``include_hidden``), judged from the ``hidden`` attribute, inline ``style`` attributes,
``<font color>`` and the page's ``<style>`` rules (simple selectors: tags, classes, ids and
descendant chains; rules inside ``@media`` and other at-rules, and selectors with pseudo-classes
or attributes, are not applied):

* ``hidden``: ``display:none``, ``visibility:hidden``/``collapse``, the ``hidden`` attribute;
* ``invisible``: ``opacity`` near 0, a transparent text colour;
* ``off_page``: positioned or indented far off the screen (``left:-9999px``,
  ``text-indent:-9999px``);
* ``clipped``: ``clip:rect(0 0 0 0)``, ``clip-path`` to nothing, a zero-size box with
  ``overflow:hidden``, ``transform:scale(0)``;
* ``tiny_font``: type under 3 px (or pt);
* ``background_colour``: the text colour has too little contrast with the background colour
  of the nearest element that sets one (white when none does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from skillmatch.errors import NoTextError
from skillmatch.models import HiddenText
from skillmatch.read.docx_hidden import MIN_CONTRAST, HiddenLog, contrast
from skillmatch.read.formats import decode_html

#: Type smaller than this many CSS pixels cannot be read.
MIN_FONT_PX = 3.0
#: Opacity at or below this is invisible.
MIN_OPACITY = 0.05
#: Offsets beyond this many pixels put a box off the screen.
OFF_SCREEN_PX = 1000.0

_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "blockquote",
        "pre",
        "dt",
        "dd",
        "dl",
        "hr",
        "title",
        "form",
        "fieldset",
        "figure",
        "figcaption",
        "address",
    ]
)
_DROPPED = frozenset({"script", "style", "noscript", "template", "head", "svg"})
#: Elements a sibling of the same kind closes.
_SIBLINGS = frozenset({"p", "li", "tr", "option"})
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_NAMED = {
    "white": "FFFFFF",
    "black": "000000",
    "red": "FF0000",
    "green": "008000",
    "blue": "0000FF",
    "yellow": "FFFF00",
    "gray": "808080",
    "grey": "808080",
    "silver": "C0C0C0",
    "navy": "000080",
    "whitesmoke": "F5F5F5",
    "snow": "FFFAFA",
    "ivory": "FFFFF0",
    "ghostwhite": "F8F8FF",
}
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_LENGTH = re.compile(r"^(-?[\d.]+)\s*(px|pt|em|rem|%|vw|vh)?$")


@dataclass(frozen=True)
class _Style:
    """What decides whether an element's text shows: a reason it is hidden (``None`` when it
    is not; kept by its whole subtree), visibility (inherited, a child may undo it), the text
    colour (``RRGGBB``, ``transparent`` or ``None`` for the default), the colour behind (``""``
    when a picture or gradient makes it unknown), the font size in pixels."""

    reason: str | None = None
    visible: bool = True
    colour: str | None = None
    background: str = "FFFFFF"
    size: float = 16.0


@dataclass(frozen=True)
class _Rule:
    """One CSS rule: the selector's compound parts, outermost first, and its declarations."""

    parts: tuple[tuple[str | None, str | None, frozenset[str]], ...]
    declarations: dict[str, str]


#: A tag longer than this (64 KB; real ones are under 1 KB, inline images aside) is dropped.
_GIANT_TAG = re.compile(r"<[^<>]{65536,}>?")


def read_html(
    data: bytes, name: str, *, include_hidden: bool = False
) -> tuple[str, tuple[HiddenText, ...]]:
    """Visible text of an HTML page, and the hidden text left out of it (kept too with
    ``include_hidden``)."""
    # a tag's attributes are never visible text: a giant tag (millions of attributes) would
    # cost the parser gigabytes for nothing, so it goes before parsing
    markup = _GIANT_TAG.sub(" ", decode_html(data))
    parser = _HTMLText(_rules(markup), include_hidden=include_hidden)
    parser.feed(markup)
    parser.close()
    text = parser.text()
    if not text.strip():
        raise NoTextError(f"{name}: the HTML page has no visible text")
    return text, parser.log.entries()


def _rules(markup: str) -> list[_Rule]:
    """The page's style rules that apply on screen (at-rules skipped)."""
    rules: list[_Rule] = []
    for block in re.findall(r"<style[^>]*>(.*?)</style\s*>", markup, re.I | re.S):
        css = _COMMENT.sub("", block)
        for selectors, body in _top_level_rules(css):
            declarations = _declarations(body)
            if not declarations:
                continue
            for selector in selectors.split(","):
                parts = _selector(selector.strip())
                if parts:
                    rules.append(_Rule(parts, declarations))
    return rules


def _top_level_rules(css: str) -> list[tuple[str, str]]:
    """``(selectors, body)`` of each top-level rule; at-rule blocks are skipped whole."""
    found = []
    depth, start, head = 0, 0, ""
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                head = css[start:index].strip()
                start = index + 1
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                if not head.startswith("@"):
                    found.append((head, css[start:index]))
                start = index + 1
        elif char == ";" and depth == 0:
            start = index + 1  # an @import or @charset line
    return found


_COMPOUND = re.compile(r"^([a-zA-Z][\w-]*|\*)?((?:[#.][\w-]+)*)$")


def _selector(selector: str) -> tuple[tuple[str | None, str | None, frozenset[str]], ...]:
    """The compound parts of a simple selector (empty when it is not one we apply)."""
    parts = []
    for compound in selector.replace(">", " ").split():
        match = _COMPOUND.match(compound)
        if match is None:
            return ()  # pseudo-classes, attributes, sibling combinators
        tag = match.group(1)
        ids = re.findall(r"#([\w-]+)", match.group(2))
        classes = frozenset(re.findall(r"\.([\w-]+)", match.group(2)))
        parts.append(
            (None if tag in (None, "*") else tag.lower(), ids[0] if ids else None, classes)
        )
    return tuple(parts)


def _declarations(body: str) -> dict[str, str]:
    """``property -> value`` of a declaration block, lower-cased, ``!important`` dropped."""
    found = {}
    for item in body.split(";"):
        key, colon, value = item.partition(":")
        if colon:
            found[key.strip().lower()] = value.replace("!important", "").strip().lower()
    return found


@dataclass(frozen=True)
class _Element:
    tag: str
    id: str | None
    classes: frozenset[str]
    style: _Style


class _HTMLText(HTMLParser):
    """Collects the page's text; block-level tags start new lines, cells are joined by `` | ``,
    hidden text is logged."""

    def __init__(self, rules: list[_Rule], *, include_hidden: bool) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._dropped = 0
        self._rules = rules
        self._stack: list[_Element] = []
        self._include_hidden = include_hidden
        self.log = HiddenLog()

    @property
    def _style(self) -> _Style:
        return self._stack[-1].style if self._stack else _Style()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a dropped region, start a line, work out the element's style."""
        if tag in _DROPPED:
            self._dropped += 1
        elif tag in ("td", "th"):
            self._parts.append(" | ")
        elif tag in _BLOCKS:
            self._parts.append("\n")
            self.log.close()
        if tag in _VOID:
            return
        self._close_implied(tag)
        values = dict(attrs)
        element_id = values.get("id")
        classes = frozenset((values.get("class") or "").split())
        style = self._element_style(tag, element_id, classes, values)
        self._stack.append(_Element(tag, element_id, classes, style))

    def _close_implied(self, tag: str) -> None:
        """Close what HTML closes without an end tag: an open paragraph before a block, a
        list item, cell or row before its sibling (so a hidden ``<p>`` left open does not
        hide the rest of the page)."""
        while self._stack and _implied_end(self._stack[-1].tag, tag):
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        """Close a dropped region or end the line; leave the element."""
        if tag in _DROPPED:
            self._dropped = max(0, self._dropped - 1)
        elif tag in _BLOCKS:
            self._parts.append("\n")
            self.log.close()
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                break

    def handle_data(self, data: str) -> None:
        """Keep visible text with its white space collapsed; log hidden text."""
        if self._dropped:
            return
        text = re.sub(r"\s+", " ", data)
        reason = _hidden_reason(self._style) if text.strip() else None
        if reason is None:
            self.log.close()
            self._parts.append(text)
            return
        self.log.add(reason, text)
        if self._include_hidden:
            self._parts.append(text)

    def text(self) -> str:
        """The collected text, one block per line, blank lines dropped."""
        lines = (line.strip().strip("|").strip() for line in "".join(self._parts).split("\n"))
        return "\n".join(line for line in lines if line) + "\n"

    def _element_style(
        self,
        tag: str,
        element_id: str | None,
        classes: frozenset[str],
        values: dict[str, str | None],
    ) -> _Style:
        """The style of a new element: inherited, then the rules, then its own attributes."""
        style = replace(self._style)
        declarations: dict[str, str] = {}
        for rule in self._rules:
            if self._matches(rule.parts, tag, element_id, classes):
                declarations.update(rule.declarations)
        declarations.update(_declarations(values.get("style") or ""))
        if "hidden" in values:
            style = replace(style, reason=style.reason or "hidden")
        if tag == "font" and values.get("color"):
            declarations.setdefault("color", values["color"] or "")
        if values.get("bgcolor"):
            declarations.setdefault("background-color", values["bgcolor"] or "")
        return _apply(style, declarations)

    def _matches(
        self,
        parts: tuple[tuple[str | None, str | None, frozenset[str]], ...],
        tag: str,
        element_id: str | None,
        classes: frozenset[str],
    ) -> bool:
        """Whether a selector's last part matches this element and its earlier parts match
        ancestors, in order."""
        if not _compound_matches(parts[-1], tag, element_id, classes):
            return False
        remaining = list(parts[:-1])
        for element in reversed(self._stack):
            if not remaining:
                break
            if _compound_matches(remaining[-1], element.tag, element.id, element.classes):
                remaining.pop()
        return not remaining


def _implied_end(open_tag: str, tag: str) -> bool:
    """Whether starting ``tag`` ends an open ``open_tag`` element."""
    return (
        (open_tag == "p" and tag in _BLOCKS)
        or (open_tag == tag and tag in _SIBLINGS)
        or (open_tag in ("td", "th") and tag in ("td", "th", "tr"))
        or (open_tag in ("dt", "dd") and tag in ("dt", "dd"))
    )


def _compound_matches(
    part: tuple[str | None, str | None, frozenset[str]],
    tag: str,
    element_id: str | None,
    classes: frozenset[str],
) -> bool:
    want_tag, want_id, want_classes = part
    return (
        (want_tag is None or want_tag == tag)
        and (want_id is None or want_id == element_id)
        and want_classes <= classes
    )


def _apply(style: _Style, declarations: dict[str, str]) -> _Style:
    """``style`` with the declarations that matter for visibility applied."""
    reason = style.reason
    get = declarations.get
    if get("display") == "none":
        reason = reason or "hidden"
    visibility = get("visibility")
    visible = style.visible if visibility is None else visibility not in ("hidden", "collapse")
    opacity = _number(get("opacity"))
    faded = re.search(r"opacity\(\s*([\d.]+)", get("filter") or "")
    if faded and opacity is None:
        opacity = _number(faded.group(1))
    if opacity is not None and opacity <= MIN_OPACITY:
        reason = reason or "invisible"
    if reason is None and _off_screen(declarations):
        reason = "off_page"
    if reason is None and _clipped(declarations):
        reason = "clipped"
    size = style.size
    if "font-size" in declarations:
        size = _pixels(declarations["font-size"], style.size) or size
        if declarations["font-size"].strip() in ("0", "0px", "0pt", "0em"):
            size = 0.0
    colour = style.colour
    if "color" in declarations:
        colour = _colour(declarations["color"]) or colour
    background = style.background
    for key in ("background-color", "background"):
        found = _background(get(key))
        if found is not None:
            background = found
    return _Style(reason, visible, colour, background, size)


def _hidden_reason(style: _Style) -> str | None:
    """Why text with this style cannot be seen, or ``None``."""
    if style.reason is not None:
        return style.reason
    if not style.visible:
        return "hidden"
    if style.size < MIN_FONT_PX:
        return "tiny_font"
    if style.colour == "transparent":
        return "invisible"
    known = style.colour is not None and style.background
    if known and contrast(style.colour or "", style.background) < MIN_CONTRAST:
        return "background_colour"
    return None


def _off_screen(declarations: dict[str, str]) -> bool:
    """Positioned, indented or translated far off the screen."""
    for shift in re.findall(r"translate[xy3d]?\(([^)]*)\)", declarations.get("transform", "")):
        for value in shift.split(","):
            moved = _pixels(value.strip(), 16.0)
            if moved is not None and abs(moved) >= OFF_SCREEN_PX:
                return True
    for key in ("text-indent", "left", "top", "right", "margin-left", "margin-top"):
        value = _pixels(declarations.get(key, ""), 16.0)
        moved = key in ("text-indent", "margin-left", "margin-top") or declarations.get(
            "position"
        ) in ("absolute", "fixed", "relative")
        if moved and value is not None and abs(value) >= OFF_SCREEN_PX:
            return True
    return False


def _clipped(declarations: dict[str, str]) -> bool:
    """Clipped to nothing, shrunk to nothing, or in a zero-size box that hides overflow."""
    clip = declarations.get("clip", "").replace(",", " ")
    if clip.startswith("rect(") and all(
        (_pixels(v, 16.0) or 0.0) == 0.0 for v in clip[5:].rstrip(")").split()
    ):
        return True
    clip_path = declarations.get("clip-path", "")
    if re.match(r"(inset\(\s*50%|circle\(\s*0)", clip_path):
        return True
    if re.search(r"scale[xy]?\(\s*0(\.0+)?\s*[,)]", declarations.get("transform", "")):
        return True
    if declarations.get("overflow", "") in ("hidden", "clip"):
        for key in ("height", "width", "max-height", "max-width"):
            size = _pixels(declarations.get(key, ""), 16.0)
            if size is not None and size <= 1.0:  # 1 px: the "screen-reader only" box
                return True
    return False


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _pixels(value: str, font: float) -> float | None:
    """A CSS length in pixels (``None`` when it is not one)."""
    match = _LENGTH.match(value.strip())
    if match is None:
        return None
    number = float(match.group(1)) if match.group(1) not in ("-", ".") else 0.0
    unit = match.group(2) or "px"
    factor = {"px": 1.0, "pt": 4 / 3, "em": font, "rem": 16.0, "%": font / 100}.get(unit)
    return None if factor is None else number * factor


def _colour(value: str) -> str | None:
    """A CSS colour as ``RRGGBB``, ``transparent`` for one with no alpha, else ``None``."""
    value = value.strip().lower()
    if value == "transparent":
        return "transparent"
    if value in _NAMED:
        return _NAMED[value]
    match = re.fullmatch(r"#([0-9a-f]{3,8})", value)
    if match:
        digits = match.group(1)
        if len(digits) in (3, 4):
            if len(digits) == 4 and digits[3] == "0":
                return "transparent"
            return "".join(c * 2 for c in digits[:3]).upper()
        if len(digits) in (6, 8):
            if len(digits) == 8 and int(digits[6:], 16) <= 12:
                return "transparent"
            return digits[:6].upper()
        return None
    match = re.fullmatch(r"rgba?\(([^)]*)\)", value)
    if match:
        numbers = [v for v in re.split(r"[\s,/]+", match.group(1)) if v]
        try:
            channels = [
                round(float(v[:-1]) * 2.55) if v.endswith("%") else round(float(v))
                for v in numbers[:3]
            ]
            if len(numbers) > 3:
                alpha = (
                    float(numbers[3][:-1]) / 100 if numbers[3].endswith("%") else float(numbers[3])
                )
                if alpha <= MIN_OPACITY:
                    return "transparent"
        except ValueError:
            return None
        if len(channels) == 3:
            return "".join(f"{max(0, min(255, c)):02X}" for c in channels)
    return None


def _background(value: str | None) -> str | None:
    """The colour a ``background``/``background-color`` value paints, if it names one (``""``
    for a picture or gradient: unknown)."""
    if not value:
        return None
    if "gradient(" in value or "url(" in value:
        return ""  # a picture or a gradient: what lies behind the text is not known
    for token in re.findall(r"#[0-9a-f]{3,8}|rgba?\([^)]*\)|[a-z]+", value):
        colour = _colour(token)
        if colour is not None and colour != "transparent":
            return colour
    return None

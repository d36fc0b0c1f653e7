"""The ODT reader: text of an OpenDocument text file, with the text hidden from readers left out.

Paragraphs and headings become lines and table rows become `` | ``-joined lines, from
``content.xml``. Text a reader cannot see is logged as :class:`~skillmatch.models.HiddenText`
(and kept only with ``include_hidden``):

* ``hidden``: a section or span style with ``text:display="none"``, a paragraph with a
  ``text:hidden-paragraph`` field that is hidden, a ``text:hidden-text`` field that is hidden;
* ``tiny_font``: type under 3 pt;
* ``background_colour``: the text colour (``fo:color``) too close to the background of its
  span or paragraph (``fo:background-color``), white when neither sets one.

Styles come from the automatic styles of ``content.xml`` and the named styles of ``styles.xml``,
each through its ``style:parent-style-name`` chain.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, replace
from xml.etree import ElementTree

from skillmatch.limits import DEFAULT_LIMITS, Limits
from skillmatch.models import HiddenText
from skillmatch.read.archive import checked_archive, damaged, parse_xml
from skillmatch.read.docx_hidden import MIN_CONTRAST, HiddenLog, contrast

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
#: Type smaller than this many points cannot be read.
MIN_POINTS = 3.0
_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
_TRUE = ("true", "1")


@dataclass(frozen=True)
class _Format:
    """What decides visibility; ``None`` means not set."""

    hidden: bool | None = None
    colour: str | None = None
    size: float | None = None
    background: str | None = None

    def under(self, other: _Format) -> _Format:
        """This format with ``other``'s settings on top."""
        changes = {key: value for key, value in vars(other).items() if value is not None}
        return replace(self, **changes) if changes else self


def read_odt(
    data: bytes, name: str, *, limits: Limits = DEFAULT_LIMITS, include_hidden: bool = False
) -> tuple[str, tuple[HiddenText, ...]]:
    """Text of an OpenDocument text file and the hidden text left out of it (kept too with
    ``include_hidden``).

    The archive is checked against ``limits`` first, and XML that declares entities is
    refused.
    """
    styles_xml = None
    with checked_archive(data, name, kind="ODT", limits=limits) as archive:
        try:
            content = archive.read("content.xml")
        except KeyError:
            raise damaged(name, "ODT", "it has no content.xml") from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise damaged(name, "ODT", "its content.xml cannot be unpacked") from None
        try:
            styles_xml = archive.read("styles.xml")
        except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
            styles_xml = None
    root = parse_xml(content, name, kind="ODT")
    styles = _Styles()
    if styles_xml is not None:
        styles.add(parse_xml(styles_xml, name, kind="ODT"))
    styles.add(root)
    reader = _OdtReader(styles, include_hidden)
    lines: list[str] = []
    reader.walk(root, lines, _Format())
    return "\n".join(lines), reader.log.entries()


class _Styles:
    """Text formatting of named and automatic styles, by name, through their parents."""

    def __init__(self) -> None:
        self._own: dict[str, tuple[_Format, str | None]] = {}
        self._resolved: dict[str, _Format] = {}

    def add(self, root: ElementTree.Element) -> None:
        """Read every ``style:style`` under ``root``."""
        for style in root.iter(f"{_STYLE}style"):
            name = style.get(f"{_STYLE}name")
            if name is None:
                continue
            fmt = _Format()
            for props in (
                style.find(f"{_STYLE}paragraph-properties"),
                style.find(f"{_STYLE}section-properties"),
                style.find(f"{_STYLE}text-properties"),
            ):
                if props is not None:
                    fmt = fmt.under(_properties(props))
            self._own[name] = (fmt, style.get(f"{_STYLE}parent-style-name"))

    def format(self, name: str | None) -> _Format:
        """The formatting a style gives, its parents' included."""
        if name is None:
            return _Format()
        if name not in self._resolved:
            chain: list[_Format] = []
            seen: set[str] = set()
            current: str | None = name
            while current is not None and current not in seen and current in self._own:
                seen.add(current)
                fmt, current = self._own[current]
                chain.append(fmt)
            result = _Format()
            for fmt in reversed(chain):
                result = result.under(fmt)
            self._resolved[name] = result
        return self._resolved[name]


def _properties(props: ElementTree.Element) -> _Format:
    """The formatting one ``*-properties`` element sets."""
    display = props.get(f"{_TEXT}display")
    colour = _HEX.match(props.get(f"{_FO}color", "") or "")
    background = _HEX.match(props.get(f"{_FO}background-color", "") or "")
    size = None
    match = re.match(r"^([\d.]+)pt$", props.get(f"{_FO}font-size", "") or "")
    if match:
        size = float(match.group(1))
    return _Format(
        hidden=True if display == "none" else None,
        colour=colour.group(1).upper() if colour else None,
        size=size,
        background=background.group(1).upper() if background else None,
    )


def _reason(fmt: _Format) -> str | None:
    """Why text in this formatting cannot be seen, or ``None``."""
    if fmt.hidden:
        return "hidden"
    if fmt.size is not None and fmt.size < MIN_POINTS:
        return "tiny_font"
    if fmt.colour is not None and contrast(fmt.colour, fmt.background or "FFFFFF") < MIN_CONTRAST:
        return "background_colour"
    return None


def _hidden_section(section: ElementTree.Element) -> bool:
    """Whether a section is hidden: ``text:display="none"``, or ``"condition"`` with a
    condition that is always true."""
    display = section.get(f"{_TEXT}display")
    if display == "none":
        return True
    condition = (section.get(f"{_TEXT}condition") or "").split(":")[-1].strip().lower()
    return display == "condition" and condition in ("1", "true")


class _OdtReader:
    """Walks ``content.xml``, keeping visible text and logging hidden text."""

    def __init__(self, styles: _Styles, include_hidden: bool) -> None:
        self.styles = styles
        self.include_hidden = include_hidden
        self.log = HiddenLog()

    def walk(self, element: ElementTree.Element, lines: list[str], fmt: _Format) -> None:
        """Append one line per paragraph/heading and one per table row."""
        for child in element:
            tag = child.tag
            if tag in (f"{_TEXT}p", f"{_TEXT}h"):
                line = self.paragraph(child, fmt)
                if line is not None:
                    lines.append(line)
            elif tag == f"{_TABLE}table-row":
                cells = []
                for cell in child:
                    cell_lines: list[str] = []
                    self.walk(cell, cell_lines, self._styled(cell, fmt, f"{_TABLE}style-name"))
                    text = " ".join(" ".join(cell_lines).split())
                    if text:
                        cells.append(text)
                if cells:
                    lines.append(" | ".join(cells))
            else:
                inner = self._styled(child, fmt, f"{_TEXT}style-name")
                if tag == f"{_TEXT}section" and _hidden_section(child):
                    inner = replace(inner, hidden=True)
                self.walk(child, lines, inner)

    def _styled(self, element: ElementTree.Element, fmt: _Format, attribute: str) -> _Format:
        return fmt.under(self.styles.format(element.get(attribute)))

    def paragraph(self, element: ElementTree.Element, fmt: _Format) -> str | None:
        """The paragraph's visible text (``None`` when all of its text was hidden)."""
        fmt = self._styled(element, fmt, f"{_TEXT}style-name")
        if any(
            (field.get(f"{_TEXT}is-hidden") or "").lower() in _TRUE
            for field in element.iter(f"{_TEXT}hidden-paragraph")
        ):
            fmt = replace(fmt, hidden=True)
        pieces: list[tuple[str, str | None]] = []
        self.inline(element, fmt, pieces)
        self.log.close()
        kept, removed = [], False
        for text, reason in pieces:
            if reason is None:
                if text.strip():
                    self.log.close()
                kept.append(text)
                continue
            self.log.add(reason, text)
            removed = removed or bool(text.strip())
            if self.include_hidden or not text.strip():
                kept.append(text)
        self.log.close()
        line = "".join(kept)
        return None if removed and not line.strip() else line

    def inline(
        self, element: ElementTree.Element, fmt: _Format, out: list[tuple[str, str | None]]
    ) -> None:
        """The inline text of an element (spans, links, spaces, tabs, line breaks, fields),
        each piece with the reason it is hidden."""
        reason = _reason(fmt)
        out.append((element.text or "", reason))
        for child in element:
            tag = child.tag
            if tag == f"{_TEXT}s":
                out.append((" " * int(child.get(f"{_TEXT}c", "1")), reason))
            elif tag == f"{_TEXT}tab":
                out.append(("\t", reason))
            elif tag == f"{_TEXT}line-break":
                out.append(("\n", reason))
            elif tag == f"{_TEXT}hidden-text":
                hidden = (child.get(f"{_TEXT}is-hidden") or "").lower() in _TRUE
                inner = replace(fmt, hidden=True) if hidden else fmt
                self.inline(child, inner, out)
            elif tag != f"{_TEXT}note":
                self.inline(child, self._styled(child, fmt, f"{_TEXT}style-name"), out)
            out.append((child.tail or "", reason))

"""The parts of a DOCX package, found as python-docx finds them but without its object model.

A DOCX is an Open Packaging Conventions package: ``[Content_Types].xml`` names each part's
content type, ``.rels`` files relate the parts, and the package relates its main document
part as ``officeDocument``. :func:`open_package` walks the relationships from the package
root as python-docx 1.x does when it opens a file (same order, same parser settings, the same
parts parsed as XML), so the trees and the failures are the ones python-docx gave, without
the cost of its proxy objects.

Every failure is an :class:`~skillmatch.errors.InputError` that never quotes the file; the
messages are the ones the reader gave when python-docx opened packages for it.
"""

from __future__ import annotations

import functools
import importlib.util
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from lxml import etree  # type: ignore[import-untyped]

from skillmatch.read.archive import damaged

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_CT_DOCUMENT = f"{_WML}document.main+xml"
_CT_STYLES = f"{_WML}styles+xml"
#: The content types python-docx parses as XML when it opens a package.
_XML_TYPES = frozenset(
    [
        "application/vnd.openxmlformats-package.core-properties+xml",
        *(f"{_WML}{kind}+xml" for kind in ("comments", "footer", "header", "numbering")),
        f"{_WML}settings+xml",
        _CT_DOCUMENT,
        _CT_STYLES,
    ]
)
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_RT_OFFICE_DOCUMENT = f"{_RT}officeDocument"
_RT_STYLES = f"{_RT}styles"
_RT_IMAGE = f"{_RT}image"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"

#: python-docx's parser settings: blank text between elements dropped, entities kept unexpanded.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)

_MISSING = "a part every Word document has is missing"
_MALFORMED = "its XML is not well-formed"
_NOT_WORD = "it is not a Word document (a template, macro file or other package)"
_UNREADABLE = "its package structure is broken"


class Rel(NamedTuple):
    """One relationship: its type, and whether it targets something outside the package."""

    reltype: str | None
    external: bool


class _SerialRel(NamedTuple):
    """A relationship as its ``.rels`` file gives it."""

    rid: str | None
    reltype: str | None
    ref: str | None
    external: bool


@dataclass
class Part:
    """One part of the package."""

    #: The part's name, with a leading slash (``/word/document.xml``).
    name: str
    content_type: str | None
    #: The type of the relationship the walk first reached this part by.
    reltype: str | None
    blob: bytes = b""
    #: The part's relationships, by id (a later duplicate id replaces the earlier one).
    rels: dict[str | None, Rel] = field(default_factory=dict)
    #: The parts its internal relationships target, by id (python-docx's ``related_parts``:
    #: an external duplicate id does not replace an internal one).
    targets: dict[str | None, Part] = field(default_factory=dict)
    #: The root element, once parsed (XML parts only).
    element: Any = None

    @property
    def is_xml(self) -> bool:
        """Whether python-docx parses this part (one reached as an image it does not)."""
        return self.reltype != _RT_IMAGE and self.content_type in _XML_TYPES

    def root(self, name: str) -> Any:
        """The root element, parsed now if it was not (``name`` is the file's, for errors)."""
        if self.element is None:
            self.element = _parse_part(self.blob, name)
        return self.element

    def related_by(self, reltype: str) -> Part:
        """The part of the one relationship of ``reltype``: ``KeyError`` when there is none,
        ``ValueError`` when there are several or it is external (python-docx's rules)."""
        matching = [rid for rid, rel in self.rels.items() if rel.reltype == reltype]
        if not matching:
            raise KeyError(reltype)
        if len(matching) > 1 or self.rels[matching[0]].external:
            raise ValueError(reltype)
        return self.targets[matching[0]]


@dataclass
class Package:
    """The parts of an opened DOCX, by partname, and its main document part."""

    parts: dict[str, Part]
    document: Part

    def related_part(self, rid: str) -> Part:
        """The part the document relates by id ``rid``; ``KeyError`` if none is."""
        return self.document.targets[rid]

    def styles_part(self) -> Part | None:
        """The document's styles part; ``None`` when it relates several (or an external one).

        Raises ``KeyError`` when the part is not a styles part. A document that relates none
        gets python-docx's default styles, related under the first free ``rIdN``, as
        python-docx did (so a header reference to that id finds them, as it did).
        """
        try:
            part = self.document.related_by(_RT_STYLES)
        except ValueError:
            return None
        except KeyError:
            rels = self.document.rels
            rid = next(f"rId{n}" for n in range(1, len(rels) + 2) if f"rId{n}" not in rels)
            part = Part("/word/styles.xml", _CT_STYLES, _RT_STYLES, _default_styles())
            rels[rid] = Rel(_RT_STYLES, False)
            self.document.targets[rid] = part
        if not part.is_xml or part.content_type != _CT_STYLES:
            raise KeyError(_RT_STYLES)
        return part


def open_package(
    archive: zipfile.ZipFile,
    kept: dict[str, bytes],
    name: str,
    *,
    known: Callable[[bytes], bool] = lambda blob: False,
) -> Package:
    """Open the checked ``archive`` (``kept`` holds the members it already inflated).

    Every part python-docx parses is parsed here, so XML it refused is refused, except a
    part whose bytes ``known`` says parsed before without fault (it is parsed on demand).
    """
    members = _Members(archive, kept)
    try:
        content_types = _ContentTypes(members.blob("[Content_Types].xml"), name)
        serial = {"/": _read_rels(members, "/", name)}
        parts = _walk(members, serial, content_types, name)
    except KeyError:
        raise damaged(name, "DOCX", _MISSING) from None
    for partname, rels in serial.items():
        directory = posixpath.dirname(partname)
        source = parts[partname]
        for rel in rels:
            source.rels[rel.rid] = Rel(rel.reltype, rel.external)
            if not rel.external:
                source.targets[rel.rid] = parts[_target(directory, rel.ref, name)]
    for part in parts.values():
        if part.is_xml and not known(part.blob):
            part.root(name)
    return Package(parts, _main_document(parts, name))


def _parse_part(blob: bytes, name: str) -> Any:
    """A part's root element, parsed with python-docx's settings; failures turned into ours."""
    try:
        return etree.fromstring(blob, _PARSER)
    except SyntaxError:  # lxml's XMLSyntaxError
        raise damaged(name, "DOCX", _MALFORMED) from None
    except ValueError:
        raise damaged(name, "DOCX", _NOT_WORD) from None
    except Exception:  # lxml has no common base error for the rest
        raise damaged(name, "DOCX", _UNREADABLE) from None


@functools.lru_cache(maxsize=1)
def _default_styles() -> bytes:
    """python-docx's default ``styles.xml``, which it gave a document without a styles part.

    Read from the installed package's files, without importing it.
    """
    spec = importlib.util.find_spec("docx")
    assert spec is not None and spec.submodule_search_locations is not None
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "templates" / "default-styles.xml").read_bytes()


class _Members:
    """The archive's members: the ones already inflated, else read from the archive."""

    def __init__(self, archive: zipfile.ZipFile, kept: dict[str, bytes]) -> None:
        self.archive = archive
        self.kept = kept

    def blob(self, member: str) -> bytes:
        """The member's bytes; ``KeyError`` when the archive has no such member."""
        data = self.kept.get(member)
        return self.archive.read(member) if data is None else data

    def require(self, member: str) -> None:
        """Raise ``KeyError`` unless the archive has ``member``."""
        if member not in self.kept:
            self.archive.getinfo(member)


def _walk(
    members: _Members,
    serial: dict[str, list[_SerialRel]],
    content_types: _ContentTypes,
    name: str,
) -> dict[str, Part]:
    """Every part reached from the package root (``serial["/"]``), depth first, by partname.

    As python-docx does, a part's relationships are read (into ``serial``) when it is
    reached, then the part itself and its content type, then the parts it relates.
    """
    parts = {"/": Part("/", None, None)}
    visited: set[str] = set()
    stack = [("/", iter(serial["/"]))]
    while stack:
        source, rels = stack[-1]
        rel = next(rels, None)
        if rel is None:
            stack.pop()
            continue
        if rel.external:
            continue
        partname = _target(posixpath.dirname(source), rel.ref, name)
        if partname in visited:
            continue
        visited.add(partname)
        serial[partname] = _read_rels(members, partname, name)
        members.require(partname[1:])
        part = Part(partname, content_types.of(partname), rel.reltype)
        if part.is_xml:
            part.blob = members.blob(partname[1:])
        parts[partname] = part
        stack.append((partname, iter(serial[partname])))
    return parts


def _target(directory: str, ref: str | None, name: str) -> str:
    """The partname a relationship's ``Target`` names, from the source's folder."""
    if ref is None:
        raise damaged(name, "DOCX", _UNREADABLE)
    return posixpath.abspath(posixpath.join(directory, ref))


def _read_rels(members: _Members, partname: str, name: str) -> list[_SerialRel]:
    """The relationships of ``partname``, in file order (none without a ``.rels`` member)."""
    directory, filename = posixpath.split(partname)
    try:
        blob = members.blob(posixpath.join(directory, "_rels", f"{filename}.rels")[1:])
    except KeyError:
        return []
    root = _parse_part(blob, name)
    if root.tag != f"{_PR}Relationships":
        raise damaged(name, "DOCX", _UNREADABLE)
    return [
        _SerialRel(
            rel.get("Id"),
            rel.get("Type"),
            rel.get("Target"),
            rel.get("TargetMode", "Internal") == "External",
        )
        for rel in root.findall(f"{_PR}Relationship")
    ]


class _ContentTypes:
    """``[Content_Types].xml``: a content type per partname, else per extension (any case)."""

    def __init__(self, blob: bytes, name: str) -> None:
        self.name = name
        root = _parse_part(blob, name)
        if root.tag != f"{_CT}Types":
            raise damaged(name, "DOCX", _UNREADABLE)
        self.overrides = self._read(root, "Override", "PartName")
        self.defaults = self._read(root, "Default", "Extension")

    def _read(self, root: Any, tag: str, key: str) -> dict[str, str | None]:
        """Content type by the lower-cased ``key`` attribute of each ``tag`` element."""
        found: dict[str, str | None] = {}
        for element in root.findall(f"{_CT}{tag}"):
            value = element.get(key)
            if value is None:
                raise damaged(self.name, "DOCX", _UNREADABLE)
            found[value.lower()] = element.get("ContentType")
        return found

    def of(self, partname: str) -> str | None:
        """The content type of ``partname``; ``KeyError`` when none is given."""
        if partname.lower() in self.overrides:
            return self.overrides[partname.lower()]
        extension = posixpath.splitext(partname)[1]
        return self.defaults[extension[1:].lower() if extension.startswith(".") else ""]


def _main_document(parts: dict[str, Part], name: str) -> Part:
    """The part the package relates as its main document, which must be a Word document's."""
    try:
        document = parts["/"].related_by(_RT_OFFICE_DOCUMENT)
    except KeyError:
        raise damaged(name, "DOCX", _MISSING) from None
    except ValueError:
        raise damaged(name, "DOCX", _NOT_WORD) from None
    if document.content_type != _CT_DOCUMENT:
        raise damaged(name, "DOCX", _NOT_WORD)
    if not document.is_xml:  # reached as an image first: python-docx had no document
        raise damaged(name, "DOCX", _UNREADABLE)
    return document

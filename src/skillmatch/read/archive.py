"""Safety checks for the ZIP-based formats (DOCX, ODT) before any XML library reads them.

A DOCX or ODT is a ZIP archive of XML files, and both layers can be turned against a reader:

* a *zip bomb* declares (or hides) an enormous member behind a small archive;
* a *lying header* declares a small size for a member that inflates to much more;
* a *billion laughs* or *external entity* declares XML entities in a ``DOCTYPE`` that expand
  exponentially or point at local files and URLs.

:func:`checked_archive` reads the central directory first (member count, total size, each
member's expansion ratio) and then inflates every member once through a bounded stream, so a
header that lies is caught by the bytes themselves, never by memory running out. XML members
that declare a ``DOCTYPE`` are rejected: Word and LibreOffice never write one, and without it
no entity can be declared. :func:`parse_xml` parses with expat and refuses a ``DOCTYPE`` too
(after decoding, so an exotic encoding cannot hide it).

Every failure is an :class:`~skillmatch.errors.InputError` whose message names the file, what
is wrong and the fix, and never quotes the file's content.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from xml.etree import ElementTree

from skillmatch.errors import InputError, TooLargeError
from skillmatch.limits import DEFAULT_LIMITS, MB, Limits, check_limit

#: Members in one archive by default (``--limit zip-entries``).
MAX_MEMBERS = 10_000
#: Bytes of the archive's member list (its central directory), which Python reads whole.
MAX_DIRECTORY = 4 * MB
#: Members smaller than this when unzipped are not held to ``Limits.zip_ratio``: small XML
#: files can legitimately compress very well, and a bomb needs size.
RATIO_FLOOR = 1 * MB
_CHUNK = 1 << 20
_DOCTYPE = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
#: A byte every spelling in :data:`_DOCTYPE` holds: a window without it needs no pattern search
#: (finding one byte is many times faster, and most XML members have no ``!`` at all).
_DOCTYPE_MARK = b"!"
_OVERLAP = max(len(pattern) for pattern in _DOCTYPE) - 1
_XML_SUFFIXES = (".xml", ".rels")
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


def damaged(name: str, kind: str, what: str) -> InputError:
    """The :class:`InputError` (code ``damaged``) for a ``kind`` file with problem ``what``."""
    return InputError(
        f"{name}: damaged {kind} file: {what}; {resave(kind)}",
        code="damaged",
    )


def resave(kind: str) -> str:
    """The fix for a damaged ``kind`` file (``ZIP``: a DOCX or ODT not yet told apart)."""
    own = {"DOCX": ".docx", "ODT": ".odt"}.get(kind, ".docx, .odt")
    return f"open it in Word or LibreOffice and save it again as {own} or PDF"


def entities_error(name: str, kind: str) -> InputError:
    """The error for XML that declares entities (a ``DOCTYPE``), which no office suite writes."""
    return damaged(
        name,
        kind,
        "its XML declares entities (a DOCTYPE), which Word and LibreOffice never write and "
        "skillmatch does not expand",
    )


def checked_archive(
    data: bytes,
    name: str,
    *,
    kind: str,
    limits: Limits,
    keep: dict[str, bytes] | None = None,
) -> zipfile.ZipFile:
    """The ZIP archive in ``data``, opened once every member is known to be safe to read.

    Checks, in order: the member count (from the end record, before Python lists the
    members), the total unzipped size against ``limits.unzipped_size``, each member's
    expansion ratio against ``limits.zip_ratio``, and then the members themselves, inflated
    through a bounded stream and checked against their headers and checksums. The caller
    closes the archive.

    With ``keep``, each XML member that unzipped in one chunk is stored in it by name (the
    last of the members of one name, as :meth:`zipfile.ZipFile.read` reads), so the reader
    need not inflate it again.
    """
    check_directory(data, name, kind=kind, limits=limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise damaged(name, kind, "the ZIP archive is truncated or damaged") from None
    except (NotImplementedError, UnicodeDecodeError, struct.error):
        raise damaged(name, kind, "the ZIP archive is damaged") from None
    try:
        _check_members(archive, name, kind, limits, keep)
    except BaseException:
        archive.close()
        raise
    return archive


def check_directory(data: bytes, name: str, *, kind: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Check the member count (``limits.zip_entries``) and the size of the member list from
    the ZIP's end record, before :mod:`zipfile` reads the list (which it does whole, for any
    number of members)."""
    end = _end_record(data)
    if end is None:
        raise damaged(name, kind, "the ZIP archive is truncated or not a ZIP archive")
    count, directory_size = end
    _check_count(name, count, limits)
    if directory_size > MAX_DIRECTORY:
        raise TooLargeError(
            f"{name}: too large: a {directory_size / MB:.3g} MB list of archive members, over "
            f"the limit of {MAX_DIRECTORY // MB} MB; {resave(kind)}"
        )


def _check_count(name: str, count: int, limits: Limits) -> None:
    """Raise :class:`TooLargeError` for an archive of more than ``limits.zip_entries``
    members."""
    check_limit(name, "archive members", count, limits.zip_entries, "zip-entries")


def _check_members(
    archive: zipfile.ZipFile,
    name: str,
    kind: str,
    limits: Limits,
    keep: dict[str, bytes] | None,
) -> None:
    """Check the central directory's sizes, then inflate each member within its bounds."""
    members = archive.infolist()
    _check_count(name, len(members), limits)  # the end record may undercount
    for info in members:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged(name, kind, "it uses a ZIP compression method office suites never use")
        if info.flag_bits & 0x1:
            raise damaged(name, kind, "a member of its ZIP archive is encrypted")
    total = sum(info.file_size for info in members)
    check_limit(name, "when unzipped", total, limits.unzipped_size, "unzipped-size")
    for info in members:
        if info.file_size > RATIO_FLOOR:
            ratio = round(info.file_size / max(info.compress_size, 1))
            check_limit(
                name,
                "times larger unzipped than zipped (one archive member)",
                ratio,
                limits.zip_ratio,
                "zip-ratio",
            )
    for info in members:  # sizes are checked against the headers, so the total holds too
        whole = _inflate(archive, info, name, kind)
        if keep is not None:
            keep.pop(info.filename, None)
            if whole is not None and info.filename.lower().endswith(_XML_SUFFIXES):
                keep[info.filename] = whole


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, kind: str) -> bytes | None:
    """Inflate one member in bounded chunks; its bytes if they fit in one chunk, else ``None``.

    Never holds more than one chunk. Raises when the member inflates to more than its header
    declares, fails its checksum, or (for XML) declares a ``DOCTYPE``.
    """
    scan = info.filename.lower().endswith(_XML_SUFFIXES)
    size = 0
    tail = b""
    whole: bytes | None = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                whole = chunk if not size else None
                size += len(chunk)
                if size > info.file_size:
                    raise damaged(name, kind, "a ZIP member is larger than its header says")
                if scan:
                    window = tail + chunk
                    if _DOCTYPE_MARK in window and any(p in window for p in _DOCTYPE):
                        raise entities_error(name, kind)
                    tail = window[-_OVERLAP:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise damaged(
            name, kind, "a ZIP member does not match its header (truncated or tampered)"
        ) from None
    except (NotImplementedError, RuntimeError):
        raise damaged(name, kind, "a ZIP member cannot be unpacked") from None
    if size != info.file_size:
        raise damaged(name, kind, "a ZIP member is shorter than its header says")
    return whole


def _end_record(data: bytes) -> tuple[int, int] | None:
    """The member count and member-list size the archive's end record declares.

    ``None`` when the archive has no end record (not a ZIP, or truncated).
    """
    start = data.rfind(b"PK\x05\x06", max(0, len(data) - _EOCD.size - 0xFFFF))
    if start < 0 or start + _EOCD.size > len(data):
        return None
    fields = _EOCD.unpack_from(data, start)
    count: int = fields[4]
    directory_size: int = fields[5]
    if count == 0xFFFF and start >= _ZIP64_LOCATOR.size:  # ZIP64: the real count is elsewhere
        locator = _ZIP64_LOCATOR.unpack_from(data, start - _ZIP64_LOCATOR.size)
        offset = locator[2]
        if locator[0] == b"PK\x06\x07" and offset + _ZIP64_EOCD.size <= len(data):
            record = _ZIP64_EOCD.unpack_from(data, offset)
            if record[0] == b"PK\x06\x06":
                return int(record[7]), int(record[8])
    return count, directory_size


# --- XML ----------------------------------------------------------------------------------


class _DoctypeFound(Exception):
    """Raised from the parser's callback when the XML declares a ``DOCTYPE``."""


class _NoDoctypeBuilder(ElementTree.TreeBuilder):
    """A tree builder that stops the parse at a ``DOCTYPE`` (before its entities are read)."""

    def doctype(self, name: str, pubid: str, system: str) -> None:
        """Refuse the document type declaration."""
        raise _DoctypeFound


def parse_xml(data: bytes, name: str, *, kind: str) -> ElementTree.Element:
    """Parse one XML member with expat, refusing a ``DOCTYPE`` (so no entity is declared)."""
    parser = ElementTree.XMLParser(target=_NoDoctypeBuilder())
    try:
        parser.feed(data)
        return parser.close()
    except _DoctypeFound:
        raise entities_error(name, kind) from None
    except (ElementTree.ParseError, ValueError, LookupError):
        raise damaged(name, kind, "its XML is not well-formed") from None

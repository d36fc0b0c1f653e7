"""File -> :class:`~skillmatch.models.Document`: read a CV or job ad in any supported format.

The format is sniffed from the file's first bytes (``%PDF``, a ZIP holding ``word/`` or an
OpenDocument ``mimetype``, ``{\\rtf``, an OLE2 legacy Word file, HTML markup) and only falls back
to the extension for plain text. Every failure is a :class:`~skillmatch.errors.InputError`
subclass whose message names the file and the fix.

Content wins over the name: a PDF saved as ``cv.docx`` is read as a PDF, a DOCX named ``cv.txt``
as a DOCX. The one exception is text under a binary document's name: a ``.pdf``, ``.docx``,
``.odt``, ``.rtf`` or ``.doc`` file whose content is plain text is not read as text but reported
as damaged or renamed (:class:`~skillmatch.errors.InputError`), because that is what such a file
almost always is (a failed download, a truncated upload). Text files are decoded by
:func:`skillmatch.read.formats.decode_text` (a BOM, UTF-8, UTF-16, a detected encoding, cp1252).
"""

from __future__ import annotations

import io
import os
import stat
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from skillmatch.errors import InputError, NoTextError, ParseTimeoutError, UnsupportedFormatError
from skillmatch.limits import DEFAULT_LIMITS, Limits, check_limit
from skillmatch.models import Document, HiddenText
from skillmatch.read import formats, rtf
from skillmatch.read.sections import find_sections

__all__ = [
    "ReadOptions",
    "load_document",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "read_file_bytes",
    "read_isolated",
    "sniff_format",
]

#: Formats :func:`parse_file` reads, as reported in :attr:`Document.format`.
FORMATS = ("pdf", "docx", "odt", "rtf", "html", "md", "txt")

_TEXT_EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", "": "txt"}
_CONVERT = "save it as .docx or PDF (e.g. `libreoffice --headless --convert-to docx FILE`)"


def load_document(
    source: str | os.PathLike[str],
    *,
    kind: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    include_hidden: bool = False,
    pdf_engine: str = "pdfium",
) -> Document:
    """Read a CV or job description from a path, or from stdin when source == "-"."""
    if os.fspath(source) == "-":
        data = _read_limited(sys.stdin.buffer, "-", limits)
        return _stdin_document(data, kind, limits, include_hidden, pdf_engine)
    return parse_file(
        source, kind=kind, limits=limits, include_hidden=include_hidden, pdf_engine=pdf_engine
    )


def _stdin_document(
    data: bytes,
    kind: str | None,
    limits: Limits,
    include_hidden: bool = False,
    pdf_engine: str = "pdfium",
) -> Document:
    """A Document of what was read from standard input: pasted text, or a piped PDF or DOCX
    (recognised by its content, as a file is)."""
    if not data.strip():
        raise NoTextError("-: nothing was read from standard input; pipe or paste a document")
    return parse_bytes(
        data,
        source="-",
        kind=kind,
        limits=limits,
        include_hidden=include_hidden,
        pdf_engine=pdf_engine,
    )


def parse_file(
    path: str | os.PathLike[str],
    *,
    kind: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    include_hidden: bool = False,
    pdf_engine: str = "pdfium",
) -> Document:
    """Read the document at ``path`` (PDF, DOCX, ODT, RTF, HTML, Markdown or plain text).

    Text a reader cannot see (white, tiny, covered or hidden text) is left out of
    ``Document.text`` and listed in ``Document.hidden``, unless ``include_hidden`` is true.
    ``pdf_engine`` reads PDFs: ``"pdfium"`` (the default) or ``"pdfplumber"`` (slower; see
    :data:`skillmatch.read.pdf.PDF_ENGINES`).
    """
    file = Path(path)
    name = str(path)
    data = _read_bytes(file, name, limits)
    return parse_bytes(
        data,
        source=name,
        kind=kind,
        extension=file.suffix.lower(),
        limits=limits,
        include_hidden=include_hidden,
        pdf_engine=pdf_engine,
    )


def read_file_bytes(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of the file at ``path`` with the checks and errors of :func:`parse_file`, to
    be parsed elsewhere with :func:`parse_bytes` (a Dask worker without the reader's storage)."""
    return _read_bytes(Path(path), str(path), limits)


def parse_bytes(
    data: bytes,
    *,
    source: str,
    kind: str | None = None,
    extension: str = "",
    limits: Limits = DEFAULT_LIMITS,
    include_hidden: bool = False,
    pdf_engine: str = "pdfium",
) -> Document:
    """Parse a document held in memory; ``extension`` (".md") only breaks ties for text."""
    check_limit(source, "", len(data), limits.file_size, "file-size")
    if not data.strip():
        raise NoTextError(f"{source}: the file is empty; export the document again")
    fmt = sniff_format(data, extension=extension, name=source, limits=limits)
    if fmt == "pdf":
        return _parse_pdf(data, source, kind, limits, include_hidden, pdf_engine)
    if fmt == "docx":
        from skillmatch.read.docx_reader import read_docx  # lxml only when a DOCX comes

        text, hidden = read_docx(data, source, limits=limits, include_hidden=include_hidden)
        return _finish(text, source=source, fmt=fmt, kind=kind, limits=limits, hidden=hidden)
    if fmt in ("txt", "md"):
        _check_not_mislabelled(source, extension)
        text = formats.decode_text(data, source)
        if formats.looks_binary(text):
            raise UnsupportedFormatError(
                f"{source}: unsupported file type ({extension or 'no extension'}, binary content); "
                f"skillmatch reads {', '.join(FORMATS)} — {_CONVERT}"
            )
        check_limit(source, "characters", len(text), limits.chars, "chars")
        return parse_text(text, source=source, format=fmt, kind=kind)
    if fmt == "odt":
        from skillmatch.read.odt_reader import read_odt  # lxml only when an ODT comes

        text, hidden = read_odt(data, source, limits=limits, include_hidden=include_hidden)
    elif fmt == "rtf":
        text, hidden = rtf.read_rtf(data, source, include_hidden=include_hidden)
    else:
        from skillmatch.read.html_reader import read_html  # its CSS rules only for HTML

        text, hidden = read_html(data, source, include_hidden=include_hidden)
    return _finish(text, source=source, fmt=fmt, kind=kind, limits=limits, hidden=hidden)


def parse_text(
    text: str, *, source: str = "-", format: str = "txt", kind: str | None = None
) -> Document:
    """Wrap already-decoded text as a Document; the text is kept exactly as given."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise NoTextError(f"{source}: the document has no text")
    return Document(
        source=source,
        text=text,
        format=format,
        sections=find_sections(text, kind=kind),
    )


def sniff_format(
    data: bytes, *, extension: str = "", name: str = "", limits: Limits = DEFAULT_LIMITS
) -> str:
    """The format of a file from its content; the extension only separates ``md`` from ``txt``.

    Raises :class:`UnsupportedFormatError` for legacy Word files and other known binaries.
    """
    head = data[:1024]
    if _is_pdf(head, extension):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, name, limits)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnsupportedFormatError(
            f"{name}: a legacy Word .doc (or other OLE2 Office) file, which skillmatch cannot "
            f"read; {_CONVERT}"
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    if _looks_html(stripped, extension):
        return "html"
    return _TEXT_EXTENSIONS.get(extension, "txt")


def _is_pdf(head: bytes, extension: str) -> bool:
    """A PDF's ``%PDF-`` header may follow some junk within the first kilobyte (readers accept
    it); but a text or HTML file that only *mentions* ``%PDF-`` after readable text is not one."""
    position = head.find(b"%PDF-")
    if position < 0:
        return False
    if position == 0 or extension == ".pdf":
        return True
    prefix = head[:position]
    if not prefix.strip(b"\xef\xbb\xbf \t\r\n"):
        return True
    readable = not any(byte < 0x09 or 0x0D < byte < 0x20 for byte in prefix)
    return not readable


_BINARY_EXTENSIONS = {".pdf": "PDF", ".docx": "DOCX", ".odt": "ODT", ".rtf": "RTF", ".doc": "Word"}


def _check_not_mislabelled(source: str, extension: str) -> None:
    """A file named like a binary document whose content is not one is damaged, not text."""
    kind = _BINARY_EXTENSIONS.get(extension)
    if kind is not None:
        raise InputError(
            f"{source}: the file is named {extension} but its content is not a {kind} document "
            f"(damaged or renamed); {_CONVERT}"
        )


def _sniff_zip(data: bytes, name: str, limits: Limits) -> str:
    """``docx`` or ``odt`` from a ZIP's members; other archives are unsupported.

    Only the member list and the first bytes of ``mimetype`` are read: the members themselves
    are checked (size, expansion, XML entities) by :mod:`skillmatch.read.archive` before reading.
    """
    from skillmatch.read.archive import check_directory  # zip reading only for ZIP files

    check_directory(data, name, kind="ZIP", limits=limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = ""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100).decode("ascii", "replace")
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, NotImplementedError, EOFError):
        raise InputError(
            f"{name}: a damaged ZIP-based document; re-save it as .docx or PDF", code="damaged"
        ) from None
    if "word/document.xml" in names:
        return "docx"
    if mimetype.startswith("application/vnd.oasis.opendocument.text"):
        return "odt"
    raise UnsupportedFormatError(
        f"{name}: a ZIP archive that is not a DOCX or ODT document; unpack it or {_CONVERT}"
    )


def _looks_html(head: bytes, extension: str) -> bool:
    """True for markup that starts like an HTML page (or any ``.html`` file with tags)."""
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in lowered:
        return True
    if lowered.startswith((b"<!doctype html", b"<html")):
        return True
    return extension in (".html", ".htm", ".xhtml") and lowered.startswith(b"<")


def _read_bytes(file: Path, name: str, limits: Limits) -> bytes:
    """The file's bytes, or an :class:`InputError` for a missing/unreadable/too large path.

    At most ``limits.file_size`` bytes (plus one, to tell) are read, so a huge file or an
    endless device costs nothing.
    """
    if file.is_dir():
        raise InputError(
            f"{name}: is a directory, not a document; give a file (or use `batch`)",
            code="unreadable",
        )
    try:
        if not stat.S_ISREG(file.stat().st_mode):  # opening a pipe would block for ever
            raise InputError(
                f"{name}: not a regular file (a pipe, socket or device); save the document "
                "as a file, or use - for standard input",
                code="unreadable",
            )
        with file.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            check_limit(name, "", size, limits.file_size, "file-size")
            return _read_limited(stream, name, limits)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path", code="not_found") from None
    except PermissionError:
        raise InputError(
            f"{name}: permission denied; check the file's permissions", code="unreadable"
        ) from None
    except OSError as error:
        raise InputError(
            f"{name}: cannot be read ({error.strerror}); check the path", code="unreadable"
        ) from None


def _read_limited(stream: BinaryIO, name: str, limits: Limits) -> bytes:
    """Read a stream whole, but no more than the file-size limit allows."""
    size = limits.file_size
    data = stream.read() if size is None else stream.read(size + 1)
    if size is not None and len(data) > size:
        check_limit(name, "", len(data), size, "file-size", partial=True)
    return data


def _parse_pdf(
    data: bytes,
    source: str,
    kind: str | None,
    limits: Limits,
    include_hidden: bool,
    pdf_engine: str = "pdfium",
) -> Document:
    """Extract a PDF's pages and join them with a blank line, recording page offsets."""
    from skillmatch.read.pdf import extract_pdf  # pypdfium2 only when a PDF comes

    result = extract_pdf(
        data, source, limits=limits, include_hidden=include_hidden, engine=pdf_engine
    )
    pieces: list[str] = []
    pages: list[tuple[int, int]] = []
    offset = 0
    for number, page in enumerate(result.pages):
        if number:
            pieces.append("\n\n")
            offset += 2
        pieces.append(page)
        pages.append((offset, offset + len(page)))
        offset += len(page)
    text = "".join(pieces)
    return Document(
        source=source,
        text=text,
        format="pdf",
        pages=tuple(pages),
        sections=find_sections(text, kind=kind),
        warnings=result.warnings,
        hidden=result.hidden,
    )


def _finish(
    text: str,
    *,
    source: str,
    fmt: str,
    kind: str | None,
    limits: Limits,
    hidden: tuple[HiddenText, ...] = (),
) -> Document:
    """A Document for text extracted from a structured format (DOCX/ODT/RTF/HTML)."""
    check_limit(source, "characters", len(text), limits.chars, "chars")
    text = formats.tidy(text)
    if not text.strip():
        raise NoTextError(f"{source}: the {fmt.upper()} document has no text")
    return Document(
        source=source,
        text=text,
        format=fmt,
        sections=find_sections(text, kind=kind),
        hidden=hidden,
    )


# --- reading options and isolation --------------------------------------------------------


@dataclass(frozen=True)
class ReadOptions:
    """How documents are read: the :class:`~skillmatch.limits.Limits`, whether text hidden
    from readers is kept (``include_hidden``) and whether personal data is masked in CVs
    (``redact``, for blind screening: see :mod:`skillmatch.read.redact`; job ads are not masked),
    and the PDF engine (``pdf_engine``: ``"pdfium"``, the default, or ``"pdfplumber"``)."""

    limits: Limits = DEFAULT_LIMITS
    include_hidden: bool = False
    redact: bool = False
    pdf_engine: str = "pdfium"

    def load(self, source: str | os.PathLike[str], *, kind: str | None = None) -> Document:
        """:func:`load_document` with these options (in this process: no time limit)."""
        document = load_document(
            source,
            kind=kind,
            limits=self.limits,
            include_hidden=self.include_hidden,
            pdf_engine=self.pdf_engine,
        )
        return self._redacted(document, kind)

    def parse(self, data: bytes, *, source: str, kind: str | None = None) -> Document:
        """:func:`parse_bytes` (or, for stdin, text) with these options."""
        if source == "-":
            document = _stdin_document(
                data, kind, self.limits, self.include_hidden, self.pdf_engine
            )
        else:
            document = parse_bytes(
                data,
                source=source,
                kind=kind,
                extension=Path(source).suffix.lower(),
                limits=self.limits,
                include_hidden=self.include_hidden,
                pdf_engine=self.pdf_engine,
            )
        return self._redacted(document, kind)

    def _redacted(self, document: Document, kind: str | None) -> Document:
        # a job ad's contact person is not the candidate: only CVs are redacted
        if not self.redact or kind == "job":
            return document
        from skillmatch.read.redact import redact_document  # its name lists load on use

        return redact_document(document)


#: Reading with the default limits, hidden text left out, nothing redacted.
DEFAULT_READ = ReadOptions()


def read_isolated(
    sources: Sequence[tuple[str, str | None]], options: ReadOptions = DEFAULT_READ
) -> list[Document]:
    """Read ``(source, kind)`` documents in a worker process bounded by the time and memory
    limits: a file that hangs a C library or blows up memory is killed with its worker.

    The bytes are read here (``-`` is stdin) and parsed in the worker. Raises the first
    document's :class:`~skillmatch.errors.InputError`, with code ``timeout`` or ``memory``
    when the worker was stopped.
    """
    from skillmatch.pool import TaskFailed, WorkerPool  # multiprocessing only when isolating

    limits = options.limits
    tasks = [
        (index, _source_bytes(source, limits), source, kind, options)
        for index, (source, kind) in enumerate(sources)
    ]
    documents: dict[int, Document] = {}
    with WorkerPool(
        _parse_task, workers=1, timeout=limits.timeout, memory_mb=limits.memory
    ) as pool:
        for (index, _data, source, _kind, _options), outcome in pool.run(tasks):
            if isinstance(outcome, TaskFailed):
                raise _failure(source, outcome.kind, limits)
            if isinstance(outcome, InputError):
                raise outcome
            documents[index] = outcome
    return [documents[index] for index in range(len(sources))]


def _source_bytes(source: str, limits: Limits) -> bytes:
    if source == "-":
        return _read_limited(sys.stdin.buffer, "-", limits)
    return _read_bytes(Path(source), source, limits)


def _parse_task(
    task: tuple[int, bytes, str, str | None, ReadOptions],
) -> Document | InputError:
    """Parse one document in a worker; an InputError comes back as a value."""
    _index, data, source, kind, options = task
    try:
        return options.parse(data, source=source, kind=kind)
    except InputError as error:
        return error
    except MemoryError:
        raise  # the pool reports the memory limit and replaces the worker
    except Exception:  # a bug, not the user's file: say so without quoting the document
        return InputError(
            f"{source}: skillmatch failed on this file (an internal error); "
            "please report it with the file's format, not the file",
            code="internal",
        )


def _failure(source: str, kind: str, limits: Limits) -> InputError:
    """The error for a worker that was stopped (time, memory) or died reading ``source``."""
    if kind == "timeout":
        return ParseTimeoutError(
            f"{source}: reading took longer than {limits.timeout:g} s and was stopped; "
            "raise it with --limit timeout=N if the file is genuine"
        )
    if kind == "memory":
        return InputError(
            f"{source}: reading needed more than {limits.memory} MB of memory and was "
            "stopped; raise it with --limit memory=N if the file is genuine",
            code="memory",
        )
    memory = (
        f", or needs more than {limits.memory} MB of memory (raise it with --limit memory=N)"
        if limits.memory
        else ""
    )
    return InputError(
        f"{source}: the reader crashed on this file: it is damaged (re-export it as PDF or "
        f"DOCX){memory}",
        code="damaged",
    )

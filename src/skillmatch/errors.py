"""The exceptions skillmatch raises. ``str(error)`` is the one-line message a user sees.

Every error has a :attr:`~SkillmatchError.code`: a fixed, machine-readable name of what went
wrong (``encrypted``, ``no_text_layer``, ``too_large``...). Batch rows and JSON output carry it
so scripts can sort failures without parsing messages. Messages name the file and the fix and
never quote text from the document (CVs are personal data).
"""

from __future__ import annotations

#: Every error code skillmatch reports, with what it means (the README lists them too).
ERROR_CODES = {
    "not_found": "the file does not exist",
    "unreadable": "the file exists but cannot be read (permissions, a directory, an I/O error)",
    "unsupported": "a format skillmatch does not read (legacy .doc, a ZIP archive, binary data)",
    "damaged": "a PDF, DOCX or other document that its reader cannot open",
    "encrypted": "a PDF that needs a password",
    "no_text_layer": "a PDF with no text layer (scanned)",
    "empty_document": "a document with no pages or no text at all",
    "garbled_text": "text that is mostly unreadable glyphs (a broken font encoding)",
    "too_large": "over a limit: file size, pages, characters or archive expansion",
    "timeout": "reading the file took longer than the time limit",
    "memory": "reading the file needed more memory than the memory limit",
    "bad_taxonomy": "an invalid taxonomy file",
    "output": "an output file that cannot be written",
    "error": "another problem, which the message explains (an unknown id, a missing folder)",
    "internal": "a bug in skillmatch (please report it with the file's format, not the file)",
}


class SkillmatchError(Exception):
    """Base class for every error skillmatch reports to users.

    The CLI turns any ``SkillmatchError`` into ``Error: <message>`` on stderr and exit code
    :attr:`exit_code`, without a traceback.
    """

    exit_code = 1
    #: The default :data:`ERROR_CODES` entry of this class; an instance may carry another.
    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code: str = code or self.default_code


class InputError(SkillmatchError):
    """A document could not be read: missing, unreadable, unsupported, encrypted or empty."""

    default_code = "damaged"


class UnsupportedFormatError(InputError):
    """The file's format is not one skillmatch can read (the message says how to convert it)."""

    default_code = "unsupported"


class EncryptedDocumentError(InputError):
    """A PDF needs a password to be opened."""

    default_code = "encrypted"


class NoTextError(InputError):
    """A document has no text layer (e.g. a scanned PDF) or no text at all.

    ``code`` is ``no_text_layer`` for a PDF without text and ``empty_document`` otherwise.
    """

    default_code = "empty_document"


class GarbledTextError(InputError):
    """The text a document yields is mostly unreadable glyphs (a broken font encoding)."""

    default_code = "garbled_text"


class TooLargeError(InputError):
    """A document is over one of the :class:`~skillmatch.limits.Limits`."""

    default_code = "too_large"


class ParseTimeoutError(InputError):
    """Reading a document took longer than the per-file time limit (the work was killed)."""

    default_code = "timeout"


class TaxonomyError(SkillmatchError):
    """A taxonomy file is invalid; the message lists the problems with file and line."""

    default_code = "bad_taxonomy"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = problems or []


class OutputError(SkillmatchError):
    """An output file cannot be written (missing folder, no permission, it is an input)."""

    default_code = "output"

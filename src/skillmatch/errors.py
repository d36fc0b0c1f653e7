"""The exceptions skillmatch raises. ``str(error)`` is the one-line message a user sees."""

from __future__ import annotations


class SkillmatchError(Exception):
    """Base class for every error skillmatch reports to users.

    The CLI turns any ``SkillmatchError`` into ``Error: <message>`` on stderr and exit code
    :attr:`exit_code`, without a traceback.
    """

    exit_code = 1


class InputError(SkillmatchError):
    """A document could not be read: missing, unreadable, unsupported, encrypted or empty."""


class UnsupportedFormatError(InputError):
    """The file's format is not one skillmatch can read (the message says how to convert it)."""


class EncryptedDocumentError(InputError):
    """A PDF needs a password to be opened."""


class NoTextError(InputError):
    """A document has no text layer (e.g. a scanned PDF) or no text at all."""


class TaxonomyError(SkillmatchError):
    """A taxonomy file is invalid; the message lists the problems with file and line."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = problems or []


class OutputError(SkillmatchError):
    """An output file cannot be written (missing folder, no permission, it is an input)."""

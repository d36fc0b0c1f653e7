"""Folders -> the CV files to score: a recursive walk in a stable order, and content hashes.

Folders are walked recursively in sorted order; hidden and temporary files (``.DS_Store``,
``~$cv.docx``, ``cv.docx~``) and files of other types are listed as *skipped*; a folder reached
twice through symlinks is walked once. :func:`file_sha256` hashes a file's content (streamed),
which is how a batch tells a duplicate from an earlier file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from skillmatch.errors import InputError
from skillmatch.render.report import printable_text

#: File extensions a batch picks up (``.doc`` is picked up to report that it cannot be read).
CV_EXTENSIONS = {
    ".pdf", ".docx", ".txt", ".md", ".markdown", ".rtf", ".odt", ".html", ".htm", ".doc",
}  # fmt: skip


def scan(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every CV file under ``paths`` in a stable order, and the ``(path, reason)`` pairs skipped.

    Files named on the command line are taken as given; inside folders hidden and temporary
    files and files of other types are skipped, and no folder is walked twice (symlink loops).
    """
    found: list[Path] = []
    skipped: list[tuple[str, str]] = []
    seen_dirs: set[tuple[int, int]] = set()
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(_walk(path, seen_dirs, skipped))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    unique = list(dict.fromkeys(found))
    return unique, skipped


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every CV file under ``paths`` (see :func:`scan`), in a stable order."""
    return scan(paths)[0]


def _walk(
    folder: Path, seen: set[tuple[int, int]], skipped: list[tuple[str, str]]
) -> Iterator[Path]:
    def unreadable(error: OSError) -> None:
        skipped.append((str(error.filename or folder), f"cannot list folder: {error.strerror}"))

    for root, dirs, files in os.walk(folder, followlinks=True, onerror=unreadable):
        try:
            stat = os.stat(root)
        except OSError as error:
            unreadable(error)
            dirs[:] = []
            continue
        if (stat.st_dev, stat.st_ino) in seen:  # a symlink back to a folder already walked
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        kept = []
        for name in sorted(dirs):
            reason = _skip_reason(name, folder=True)
            if reason:
                skipped.append((os.path.join(root, name), reason))
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            reason = _skip_reason(name) or _not_regular(os.path.join(root, name))
            if reason:
                skipped.append((os.path.join(root, name), reason))
            else:
                yield Path(root) / name


def _skip_reason(name: str, *, folder: bool = False) -> str | None:
    if name.startswith("~$") or name.endswith(("~", ".tmp", ".swp")) or name.startswith(".~lock"):
        return "temporary file"
    if name.startswith("."):
        return "hidden folder" if folder else "hidden file"
    if not folder and Path(name).suffix.lower() not in CV_EXTENSIONS:
        return "not a document type skillmatch reads"
    return None


def _not_regular(path: str) -> str | None:
    """Why a path is not a file to read (a pipe or a device would block or never end)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    return None if stat.S_ISREG(mode) else "not a regular file (a pipe, socket or device)"


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's content, read in chunks.

    The file is opened without blocking and must be a regular file: a named pipe put in its
    place after the folder was walked raises :class:`OSError` instead of waiting for a writer.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe, socket or device)")
        return hashlib.file_digest(stream, "sha256").hexdigest()


def display_name(path: str | os.PathLike[str]) -> str:
    """``path`` as text that any output can hold: bytes of a file name that are not UTF-8 (a
    cp1252 ``Jos\xe9.txt`` on Linux) are shown as ``\\xe9`` instead of failing the write."""
    return printable_text(os.fspath(path))

"""Reading a batch's first files while the batch starts up.

Before a batch scores anything, its parent process imports spaCy, builds the matchers and
reads the job (about a second); on a machine with two cores or more the others idle. A
:class:`ReadAhead` forks a reader first, which reads the batch's first files (reading needs no
spaCy) and sends their documents back. The workers, forked once the parent is ready, inherit
them and only match and score those files (:func:`skillmatch.batch.worker.score_file`).

It is only a head start, never a different answer: the reader reads with the batch's own
options, and a file it did not reach, could not read, or that changed since (its size or
modification time differ) is read by a worker as usual. The reader runs under the batch's
memory limit, ignores interrupts (the parent handles them) and dies with its parent; when the
parent is ready it is stopped wherever it is.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

from skillmatch.models import Document
from skillmatch.pool import default_workers, die_with_parent, leave_signals_to_parent, limit_memory
from skillmatch.read.parse import ReadOptions

#: At most this many files are read ahead (their documents wait in memory).
MAX_FILES = 256
#: A batch of fewer files starts reading them as soon as the workers are up anyway.
MIN_FILES = 8

#: A file's size and modification time: a document read ahead is used only while they hold.
Stamp = tuple[int, int]
#: The documents read ahead, by path, with the stamp of the file they were read from.
ReadAheadDocuments = dict[str, tuple[Stamp, Document]]


def stamp(path: str) -> Stamp | None:
    """The file's size and modification time (ns), or ``None`` when it cannot be looked at."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def worth_reading_ahead(files: int) -> bool:
    """Whether a batch of ``files`` files gains from a reader: enough files, a spare core, and
    ``fork`` (a reader started afresh would spend the head start importing).
    ``SKILLMATCH_NO_READ_AHEAD=1`` turns it off (the batch benchmark measures both ways)."""
    if os.environ.get("SKILLMATCH_NO_READ_AHEAD"):
        return False
    return files >= MIN_FILES and default_workers() > 1 and sys.platform.startswith("linux")


class ReadAhead:
    """A reader process reading ``paths`` in order, from the moment it is made until
    :meth:`finish`."""

    def __init__(self, paths: Sequence[str], options: ReadOptions, memory_mb: int | None) -> None:
        ctx = multiprocessing.get_context("fork")
        self._conn, sending = ctx.Pipe(duplex=False)
        self._process = ctx.Process(
            target=_reader_main,
            args=(sending, list(paths[:MAX_FILES]), options, memory_mb, os.getpid()),
            daemon=True,
            name="skillmatch-read-ahead",
        )
        self._process.start()
        sending.close()
        self._documents: ReadAheadDocuments = {}
        # takes the documents as they come, so that the reader never waits on a full pipe
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        while True:
            try:
                path, file_stamp, document = self._conn.recv()
            except (EOFError, OSError):  # the reader finished, or was stopped mid-message
                return
            self._documents[path] = (file_stamp, document)

    def finish(self) -> ReadAheadDocuments:
        """Stop the reader (a file it is on is left to the workers) and return the documents
        it read."""
        with contextlib.suppress(OSError):
            self._process.kill()
        self._process.join()
        self._thread.join()
        self._conn.close()
        return self._documents


def _reader_main(
    conn: Connection,
    paths: list[str],
    options: ReadOptions,
    memory_mb: int | None,
    parent: int,
) -> None:
    """The reader's life: read each file and send its document, until the list ends."""
    die_with_parent(parent)
    leave_signals_to_parent()
    limit_memory(memory_mb)
    for path in paths:
        document = _read(path, options)
        if document is not None:
            try:
                conn.send(document)
            except (OSError, ValueError):  # the parent stopped listening
                return
    conn.close()


def _read(path: str, options: ReadOptions) -> tuple[str, Stamp, Document] | None:
    """``(path, stamp, document)``, or ``None`` for a file left to the workers (it fails to
    read, needs too much memory, or changes while it is read)."""
    before = stamp(path)
    try:
        document = options.load(path, kind="cv")
    except Exception:  # MemoryError too: the worker reads it again, and reports what failed
        return None
    if before is None or stamp(path) != before:
        return None
    return path, before, document


def read_ahead_document(documents: ReadAheadDocuments, path: str) -> Document | None:
    """The document read ahead for ``path``, while the file is as it was read; else ``None``."""
    entry: Any = documents.pop(path, None)
    if entry is None:
        return None
    file_stamp, document = entry
    return document if stamp(path) == file_stamp else None

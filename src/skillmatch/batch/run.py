"""Score every CV under one or more folders against one or more jobs and rank them.

The stages of a batch, each in its own module:

* **walk** (:func:`~skillmatch.batch.collect.scan` in :mod:`~skillmatch.batch.collect`): folders
  are walked
  recursively in a stable (sorted) order; hidden and temporary files (``.DS_Store``,
  ``~$cv.docx``, ``cv.docx~``) and files of other types are listed as *skipped*; a folder
  reached twice through symlinks is walked once;
* **hash** (:func:`~skillmatch.batch.collect.file_sha256`): the parent hashes each file (SHA-256,
  streamed); a file with the content of an earlier one is a *duplicate* and is not scored again;
  with ``previous`` (``--resume``) a file already scored by the same run (same taxonomy
  fingerprint and job texts) is taken as it was;
* **read ahead** (:mod:`~skillmatch.batch.readahead`): while the parent loads the jobs (spaCy,
  the matchers), a reader reads the first files on a core that would idle; the workers take
  its documents instead of reading those files again;
* **score** (:func:`~skillmatch.batch.worker.score_file`): the other files go to a
  :class:`~skillmatch.pool.WorkerPool`: each worker loads the taxonomy and builds the matchers
  once; the jobs are parsed once, in the parent. A CV is parsed and matched once however many
  jobs there are. A file that fails, hangs past ``timeout`` or needs more than ``max_memory`` MB
  becomes an error row; the batch goes on;
* **rank** (:func:`~skillmatch.batch.rows.rank_rows`, via :meth:`BatchRun.result`): per job, best
  score first (ties by file path), then the error rows by path.

This module runs the stages (:class:`BatchRun`); :func:`skillmatch.api.rank_files` drives it.
Where the files are scored is a :class:`Dispatcher`: the local :class:`~skillmatch.pool.WorkerPool`
by default, or a Dask cluster (:mod:`skillmatch.batch.cluster`, ``batch --cluster``); walking,
hashing, duplicates, ``--resume`` and ranking are the same for both.

With ``--resume`` a file is taken over when the earlier output holds a row for its content
(SHA-256) and every job (named by its real path); a row that failed because the worker crashed,
hung or ran out of memory is scored once more (and marked :data:`RETRIED` if it fails again).
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Protocol

from skillmatch.batch import worker
from skillmatch.batch.collect import display_name, file_sha256, scan
from skillmatch.batch.readahead import ReadAhead, ReadAheadDocuments, worth_reading_ahead
from skillmatch.batch.rows import (
    BatchResult,
    BatchRow,
    FileOutcome,
    Ranking,
    rank_rows,
)
from skillmatch.batch.worker import (
    FAILURE_CODES,
    Job,
    error_rows,
    init_worker,
    job_key,
    load_jobs,
    preload_readers,
)
from skillmatch.errors import InputError
from skillmatch.limits import DEFAULT_LIMITS
from skillmatch.models import SCHEMA_VERSION
from skillmatch.pool import TaskFailed, WorkerPool, default_workers
from skillmatch.read.parse import DEFAULT_READ, ReadOptions
from skillmatch.taxonomy.cache import cached_taxonomy
from skillmatch.taxonomy.model import Taxonomy

__all__ = [
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "RETRIED",
    "BatchRun",
    "Dispatcher",
    "Previous",
    "Scored",
    "run_id",
]

DEFAULT_TIMEOUT = DEFAULT_LIMITS.timeout
DEFAULT_MAX_MEMORY_MB = DEFAULT_LIMITS.memory
#: Ends the error of a row that failed again when ``--resume`` gave it a second chance.
RETRIED = " (failed again on --resume)"
#: The error codes of a file the worker lost (crash, time or memory limit): tried once more.
RETRY_CODES = frozenset(FAILURE_CODES[kind] for kind in ("timeout", "memory"))


#: What a dispatcher yields for each file: its path, and its rows or why no worker gave any.
Scored = tuple[str, tuple[BatchRow, ...] | TaskFailed]


class Dispatcher(Protocol):
    """Where a batch's files are scored (a context manager; leaving it stops the work, at once
    when an exception, e.g. Ctrl-C, leaves it): a :class:`~skillmatch.pool.WorkerPool` here,
    or a Dask cluster (:class:`skillmatch.batch.cluster.ClusterDispatcher`)."""

    #: How many workers were replaced after a crash, a timeout or the memory limit.
    replaced: int

    def __enter__(self) -> Dispatcher:
        """Start (workers, a connection)."""

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Stop; with an exception, at once (work not yet done is cancelled)."""

    def run(self, paths: Iterable[str]) -> Iterator[Scored]:
        """Score each of ``paths`` once; yield the results as files finish, in any order.

        ``paths`` is consumed lazily (the batch hashes each file as it is taken)."""


def blind_name(path: str, sha256: str) -> str:
    """``cv-<first 12 hex digits of the content's SHA-256><suffix>``: a file's name for blind
    screening (a file that could not be hashed is named by a hash of its path)."""
    key = sha256 or hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()
    return f"cv-{key[:12]}{Path(path).suffix.lower()}"


def run_id(taxonomy: Taxonomy, jobs: Sequence[Job], options: ReadOptions = DEFAULT_READ) -> str:
    """What a result depends on besides the CV: the taxonomy, the job texts and whether hidden
    text is kept or personal data masked, and the PDF engine."""
    # "flags": rows of runs before gaming flags existed have none, so they are not taken over
    digest = hashlib.sha256(f"{SCHEMA_VERSION}\nflags\n{taxonomy.fingerprint}".encode())
    if options.include_hidden or options.redact:
        digest.update(f"\nhidden={options.include_hidden} redact={options.redact}".encode())
    if options.pdf_engine != "pdfium":
        digest.update(f"\npdf-engine={options.pdf_engine}".encode())
    for job in jobs:
        digest.update(f"\n{job_key(job.source)}\n{job.sha256}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]


def retryable(row: BatchRow) -> bool:
    """Whether ``--resume`` scores the file of this error row once more: the worker crashed,
    hung or ran out of memory on it, and it was not retried already."""
    error = row.error or ""
    lost = row.code in RETRY_CODES or error.startswith("the worker process")
    return row.status == "error" and lost and not error.endswith(RETRIED)


@dataclass
class Previous:
    """Rows of an earlier run (``--resume``), keyed by (:func:`job_key`, sha256); used if
    ``run`` matches."""

    run: str
    rows: dict[tuple[str, str], BatchRow] = field(default_factory=dict)
    #: The :func:`~skillmatch.batch.output.line_key` of each line already in a JSON Lines
    #: output (a line with the same key is not written again).
    lines: set[tuple[str, ...]] = field(default_factory=set)

    def add(self, row: BatchRow) -> None:
        """Keep ``row`` (a later row of the same job and content replaces an earlier one)."""
        self.rows[(job_key(row.job), row.sha256)] = row


class BatchRun:
    """One batch: construct it (loads the taxonomy and jobs, walks the folders), iterate it to
    score the files (outcomes come as files finish), then ask for :meth:`result` (also of an
    interrupted run)."""

    def __init__(
        self,
        paths: Iterable[str | os.PathLike[str]],
        jobs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
        *,
        taxonomy_path: str | None = None,
        workers: int | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_memory: int | None = DEFAULT_MAX_MEMORY_MB,
        previous: Previous | None = None,
        options: ReadOptions = DEFAULT_READ,
        output: str | os.PathLike[str] | None = None,
        score: Callable[..., tuple[BatchRow, ...]] | None = None,
        detail: bool = False,
        dispatch: Callable[[BatchRun], Dispatcher] | None = None,
    ) -> None:
        """``output`` is the file the results go to (never scored, even inside a folder);
        ``score`` scores one file in a worker (default:
        :func:`skillmatch.batch.worker.score_file`, looked up when the run is made; called as
        ``score(path)``, or ``score(path, data)`` on a cluster that is sent the bytes); with
        ``detail`` rows keep each requirement's proof (for the HTML shortlist); ``dispatch``
        makes the :class:`Dispatcher` that scores the files (default: a local
        :class:`~skillmatch.pool.WorkerPool` of ``workers`` processes)."""
        self.detail = detail
        self.taxonomy_path = taxonomy_path
        self.options = options
        job_list = [jobs] if isinstance(jobs, str | os.PathLike) else list(jobs)
        try:
            found: tuple[list[Path], list[tuple[str, str]]] | InputError = scan(paths)
        except InputError as error:
            found = error  # raised after the jobs', as it always was
        #: The reader of the first files while the jobs load (the local pool only; see
        #: :mod:`~skillmatch.batch.readahead`).
        self._read_ahead: ReadAhead | None = None
        if (
            not isinstance(found, InputError)
            and dispatch is None
            and score is None
            and previous is None
            and worth_reading_ahead(len(found[0]))
        ):
            self._read_ahead = ReadAhead([str(f) for f in found[0]], options, max_memory)
        try:
            self.taxonomy = cached_taxonomy(taxonomy_path)
            self.jobs = load_jobs(job_list, self.taxonomy, options)
        except BaseException:
            self.finish_read_ahead()
            raise
        if isinstance(found, InputError):
            raise found
        self.files, self.skipped = found
        self.skipped = [(display_name(path), reason) for path, reason in self.skipped]
        if options.redact:
            self.skipped = [
                (f"skipped-{number}{Path(path).suffix.lower()}", reason)
                for number, (path, reason) in enumerate(self.skipped, 1)
            ]
        job_paths = {os.path.realpath(j.source) for j in self.jobs if j.source != "-"}
        for file in [f for f in self.files if os.path.realpath(f) in job_paths]:
            self.files.remove(file)
            self.skipped.append((display_name(file), "a job description given with --job"))
        if output is not None:
            for file in [f for f in self.files if os.path.realpath(f) == os.path.realpath(output)]:
                self.files.remove(file)
                self.skipped.append((display_name(file), "the output of this run (--out)"))
        self.total = len(self.files)
        self.run = run_id(self.taxonomy, self.jobs, options)
        self.previous = previous if previous is not None and previous.run == self.run else None
        self.workers = max(1, workers or default_workers())
        self.timeout = timeout
        self.max_memory = max_memory
        self.outcomes: list[FileOutcome] = []
        self.replaced_workers = 0
        self._by_hash: dict[str, str] = {}
        self._hash_of: dict[str, str] = {}
        self._immediate: deque[FileOutcome] = deque()
        #: What scores one file in a worker (see ``score`` above).
        self.score = score or worker.score_file
        self._dispatch = dispatch or _local_pool
        #: Files whose earlier row is an error ``--resume`` tries once more.
        self._retrying: set[str] = set()

    def finish_read_ahead(self) -> ReadAheadDocuments:
        """Stop reading ahead; the documents read so far (none without a reader)."""
        reader, self._read_ahead = self._read_ahead, None
        return reader.finish() if reader is not None else {}

    def __iter__(self) -> Iterator[FileOutcome]:
        """Score the files; yield each outcome as it is known (duplicates and resumed at once)."""
        with self._dispatch(self) as pool:
            for path, result in pool.run(self._tasks()):
                yield from self._drain()
                if isinstance(result, TaskFailed):
                    again = RETRIED if path in self._retrying else ""
                    code = FAILURE_CODES[result.kind]
                    rows = error_rows(path, result.reason, self.jobs, code=code, suffix=again)
                else:
                    rows = result
                yield self._record(FileOutcome(path, rows[0].status, self._hash_of[path], rows))
            yield from self._drain()
            self.replaced_workers = pool.replaced

    @property
    def hashes(self) -> dict[str, str]:
        """The SHA-256 of each file hashed so far, by its path as walked (before ``redact``
        renames it): what lets ``--audit`` find a blind row from the file's real name."""
        return dict(self._hash_of)

    def _drain(self) -> Iterator[FileOutcome]:
        while self._immediate:
            yield self._record(self._immediate.popleft())

    def _record(self, outcome: FileOutcome) -> FileOutcome:
        if outcome.sha256 and outcome.status != "duplicate":
            rows = tuple(replace(r, sha256=outcome.sha256) for r in outcome.rows)
            outcome = replace(outcome, rows=rows)
        outcome = self._blind_outcome(outcome) if self.options.redact else _displayed(outcome)
        self.outcomes.append(outcome)
        return outcome

    def _blind_outcome(self, outcome: FileOutcome) -> FileOutcome:
        """With ``redact``: the outcome under names that do not carry the candidate's (folder
        and file names often do); the ``sha256`` column leads the recruiter back to the file."""
        name = blind_name(outcome.file, outcome.sha256)
        same_as = blind_name(outcome.same_as, outcome.sha256) if outcome.same_as else None
        rows = tuple(replace(r, file=name) for r in outcome.rows)
        return replace(outcome, file=name, rows=rows, same_as=same_as)

    def _tasks(self) -> Iterator[str]:
        """The files to score; hashes each first and settles duplicates and resumed files."""
        for file in self.files:
            path = str(file)
            try:
                digest = file_sha256(path)
            except OSError as error:
                reason = f"cannot be read ({error.strerror or 'I/O error'})"
                rows = error_rows(path, reason, self.jobs, code="unreadable")
                self._immediate.append(FileOutcome(path, "error", "", rows))
                continue
            self._hash_of[path] = digest
            if digest in self._by_hash:
                self._immediate.append(
                    FileOutcome(path, "duplicate", digest, same_as=self._by_hash[digest])
                )
                continue
            self._by_hash[digest] = path
            reused = self._reuse(path, digest)
            if reused is not None:
                self._immediate.append(reused)
                continue
            yield path

    def _reuse(self, path: str, digest: str) -> FileOutcome | None:
        if self.previous is None:
            return None
        rows = []
        for job in self.jobs:
            row = self.previous.rows.get((job_key(job.source), digest))
            if row is None:
                return None
            if retryable(row):
                self._retrying.add(path)
                return None
            rows.append(replace(row, file=path, rank=None, job=job.source, sha256=digest))
        return FileOutcome(path, rows[0].status, digest, tuple(rows), resumed=True)

    def result(self, *, complete: bool = True) -> BatchResult:
        """The ranked result of the outcomes so far (``complete=False``: an interrupted run)."""
        rankings = []
        for index, job in enumerate(self.jobs):
            rows = [o.rows[index] for o in self.outcomes if o.status != "duplicate"]
            rankings.append(Ranking(job.source, job.sha256, rank_rows(rows)))
        duplicates = tuple(
            sorted((o.file, o.same_as or "") for o in self.outcomes if o.status == "duplicate")
        )
        return BatchResult(
            rankings=tuple(rankings),
            duplicates=duplicates,
            skipped=tuple(self.skipped),
            taxonomy=self.taxonomy.fingerprint,
            run=self.run,
            complete=complete,
            total=self.total,
            resumed=sum(o.resumed for o in self.outcomes),
        )


def _local_pool(run: BatchRun) -> WorkerPool[str, tuple[BatchRow, ...]]:
    """The default :class:`Dispatcher`: ``run.workers`` processes on this machine, forked after
    the format readers are imported (so that they share them)."""
    preload_readers()
    read_ahead = run.finish_read_ahead()
    return WorkerPool(
        run.score,
        workers=min(run.workers, max(1, run.total)),
        initializer=init_worker,
        initargs=(run.taxonomy, run.jobs, run.options, run.detail, read_ahead),
        timeout=run.timeout,
        memory_mb=run.max_memory,
        prefetch=2,  # a worker never waits for the parent between files
    )


def _displayed(outcome: FileOutcome) -> FileOutcome:
    """The outcome under printable names (see :func:`~skillmatch.batch.collect.display_name`)."""
    name = display_name(outcome.file)
    same_as = display_name(outcome.same_as) if outcome.same_as else None
    if name == outcome.file and same_as == outcome.same_as:
        return outcome
    rows = tuple(replace(r, file=name) for r in outcome.rows)
    return replace(outcome, file=name, rows=rows, same_as=same_as)

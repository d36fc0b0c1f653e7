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
* **score** (:func:`~skillmatch.batch.worker.score_file`): the other files go to a
  :class:`~skillmatch.pool.WorkerPool`: each worker loads the taxonomy and builds the matchers
  once; the jobs are parsed once, in the parent. A CV is parsed and matched once however many
  jobs there are. A file that fails, hangs past ``timeout`` or needs more than ``max_memory`` MB
  becomes an error row; the batch goes on;
* **rank** (:func:`~skillmatch.batch.rows.rank_rows`, via :meth:`BatchRun.result`): per job, best
  score first (ties by file path), then the error rows by path.

This module runs the stages (:class:`BatchRun`, :func:`rank_files`); the names that lived here
before the split are still importable from it.

Test hooks: the environment variable ``SKILLMATCH_TEST_HOOK`` (read only by the batch worker and
loop, meant for the test suite) holds comma-separated ``crash:TEXT`` (the worker calls
``os._exit`` on a file whose path contains TEXT), ``hang:TEXT`` (it sleeps), ``hog:TEXT`` (it
allocates memory until the guard stops it) and ``interrupt-after:N`` (the parent raises
``KeyboardInterrupt`` after N files, as Ctrl-C would).
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from skillmatch.batch.collect import CV_EXTENSIONS, file_sha256, find_files, scan
from skillmatch.batch.rows import (
    CSV_COLUMNS,
    CSV_EXTRA_COLUMNS,
    BatchResult,
    BatchRow,
    FileOutcome,
    Ranking,
    rank_rows,
)
from skillmatch.batch.worker import (
    FAILURE_CODES,
    MAX_ERROR_LENGTH,
    TEST_HOOK_ENV,
    Job,
    error_rows,
    init_worker,
    load_jobs,
    preload_readers,
    read_test_hooks,
    score_file,
)
from skillmatch.limits import DEFAULT_LIMITS
from skillmatch.models import SCHEMA_VERSION
from skillmatch.pool import TaskFailed, WorkerPool, default_workers
from skillmatch.read.parse import DEFAULT_READ, ReadOptions
from skillmatch.taxonomy.cache import cached_taxonomy
from skillmatch.taxonomy.load import Taxonomy

__all__ = [
    "CSV_COLUMNS",
    "CSV_EXTRA_COLUMNS",
    "CV_EXTENSIONS",
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "MAX_ERROR_LENGTH",
    "TEST_HOOK_ENV",
    "BatchResult",
    "BatchRow",
    "BatchRun",
    "FileOutcome",
    "Job",
    "Previous",
    "Ranking",
    "file_sha256",
    "find_files",
    "load_jobs",
    "preload_readers",
    "rank_files",
    "run_id",
    "scan",
    "score_file",
]

DEFAULT_TIMEOUT = DEFAULT_LIMITS.timeout
DEFAULT_MAX_MEMORY_MB = DEFAULT_LIMITS.memory


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
        digest.update(f"\n{job.source}\n{job.sha256}".encode())
    return digest.hexdigest()[:16]


@dataclass
class Previous:
    """Rows of an earlier run (``--resume``), keyed by (job, sha256); used if ``run`` matches."""

    run: str
    rows: dict[tuple[str, str], BatchRow] = field(default_factory=dict)
    #: ``(file, status)`` pairs already in a JSON Lines output (not written again).
    lines: set[tuple[str, str]] = field(default_factory=set)


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
    ) -> None:
        self.taxonomy_path = taxonomy_path
        self.taxonomy = cached_taxonomy(taxonomy_path)
        self.options = options
        job_list = [jobs] if isinstance(jobs, str | os.PathLike) else list(jobs)
        self.jobs = load_jobs(job_list, self.taxonomy, options)
        self.files, self.skipped = scan(paths)
        if options.redact:
            self.skipped = [
                (f"skipped-{number}{Path(path).suffix.lower()}", reason)
                for number, (path, reason) in enumerate(self.skipped, 1)
            ]
        job_paths = {os.path.realpath(j.source) for j in self.jobs if j.source != "-"}
        for file in [f for f in self.files if os.path.realpath(f) in job_paths]:
            self.files.remove(file)
            self.skipped.append((str(file), "a job description given with --job"))
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

    def __iter__(self) -> Iterator[FileOutcome]:
        """Score the files; yield each outcome as it is known (duplicates and resumed at once)."""
        interrupt_after = int(read_test_hooks().get("interrupt-after", "0"))
        preload_readers()
        pool: WorkerPool[str, tuple[BatchRow, ...]] = WorkerPool(
            score_file,
            workers=min(self.workers, max(1, self.total)),
            initializer=init_worker,
            initargs=(self.taxonomy, self.jobs, self.options),
            timeout=self.timeout,
            memory_mb=self.max_memory,
            prefetch=2,  # a worker never waits for the parent between files
        )
        with pool:
            for path, result in pool.run(self._tasks()):
                yield from self._drain()
                rows = (
                    error_rows(path, result.reason, self.jobs, code=FAILURE_CODES[result.kind])
                    if isinstance(result, TaskFailed)
                    else result
                )
                yield self._record(FileOutcome(path, rows[0].status, self._hash_of[path], rows))
                if interrupt_after and len(self.outcomes) >= interrupt_after:
                    raise KeyboardInterrupt
            yield from self._drain()
            self.replaced_workers = pool.replaced

    def _drain(self) -> Iterator[FileOutcome]:
        while self._immediate:
            yield self._record(self._immediate.popleft())

    def _record(self, outcome: FileOutcome) -> FileOutcome:
        if outcome.sha256 and outcome.status != "duplicate":
            rows = tuple(replace(r, sha256=outcome.sha256) for r in outcome.rows)
            outcome = replace(outcome, rows=rows)
        if self.options.redact:
            outcome = self._blind_outcome(outcome)
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
            row = self.previous.rows.get((job.source, digest))
            if row is None:
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


def rank_files(
    paths: Iterable[str | os.PathLike[str]],
    job: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    taxonomy_path: str | None = None,
    workers: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = DEFAULT_MAX_MEMORY_MB,
    progress: Callable[[int, int], None] | None = None,
    options: ReadOptions = DEFAULT_READ,
) -> BatchResult:
    """Score every CV under ``paths`` against ``job`` (one or several) and rank them, best first.

    ``workers`` processes (default: the CPU count) each build the matcher once; a file that
    fails, runs past ``timeout`` seconds or needs more than ``max_memory`` MB is an error row.
    ``progress`` is called with ``(done, total)`` after each file.
    """
    run = BatchRun(
        paths,
        job,
        taxonomy_path=taxonomy_path,
        workers=workers,
        timeout=timeout,
        max_memory=max_memory,
        options=options,
    )
    for done, _outcome in enumerate(run, 1):
        if progress:
            progress(done, run.total)
    return run.result()

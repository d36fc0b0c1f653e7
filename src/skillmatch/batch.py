"""Score every CV under one or more folders against one or more jobs and rank them.

The stages of a batch:

* **walk** (:func:`scan`): folders are walked recursively in a stable (sorted) order; hidden
  and temporary files (``.DS_Store``, ``~$cv.docx``, ``cv.docx~``) and files of other types are
  listed as *skipped*; a folder reached twice through symlinks is walked once;
* **hash**: the parent hashes each file (SHA-256, streamed); a file with the content of an
  earlier one is a *duplicate* and is not scored again; with ``previous`` (``--resume``) a file
  already scored by the same run (same taxonomy fingerprint and job texts) is taken as it was;
* **score**: the other files go to a :class:`~skillmatch.pool.WorkerPool`: each worker loads
  the taxonomy and builds the matchers once; the jobs are parsed once, in the parent. A CV is
  parsed and matched once however many jobs there are. A file that fails, hangs past
  ``timeout`` or needs more than ``max_memory`` MB becomes an error row; the batch goes on;
* **rank** (:meth:`BatchRun.result`): per job, best score first (ties by file path), then the
  error rows by path.

Test hooks: the environment variable ``SKILLMATCH_TEST_HOOK`` (read only by the batch worker and
loop, meant for the test suite) holds comma-separated ``crash:TEXT`` (the worker calls
``os._exit`` on a file whose path contains TEXT), ``hang:TEXT`` (it sleeps), ``hog:TEXT`` (it
allocates memory until the guard stops it) and ``interrupt-after:N`` (the parent raises
``KeyboardInterrupt`` after N files, as Ctrl-C would).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from skillmatch.cache import cached_taxonomy
from skillmatch.errors import InputError, SkillmatchError
from skillmatch.match import extract_skills
from skillmatch.models import SCHEMA_VERSION, Document
from skillmatch.parse import load_document, parse_file
from skillmatch.pool import TaskFailed, WorkerPool, default_workers
from skillmatch.report import csv_text
from skillmatch.requirements import JobRequirements
from skillmatch.score import compare_skills, requirements_from_job
from skillmatch.taxonomy import SKILL_CATEGORIES, Taxonomy

#: File extensions a batch picks up (``.doc`` is picked up to report that it cannot be read).
CV_EXTENSIONS = {
    ".pdf", ".docx", ".txt", ".md", ".markdown", ".rtf", ".odt", ".html", ".htm", ".doc",
}  # fmt: skip
CSV_COLUMNS = (
    "rank",
    "file",
    "status",
    "score",
    "technical",
    "mathematical",
    "soft",
    "missing",
    "error",
)
#: Columns after the contract's: what ``--resume`` needs to take a row over.
CSV_EXTRA_COLUMNS = ("matched", "job", "sha256", "run")
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_MEMORY_MB = 2048
TEST_HOOK_ENV = "SKILLMATCH_TEST_HOOK"
#: Error reasons are cut to one line of at most this many characters.
MAX_ERROR_LENGTH = 300


@dataclass(frozen=True)
class BatchRow:
    """One file's outcome against one job: a score, or the one-line reason it has none."""

    file: str
    status: str
    score: float | None = None
    coverage: dict[str, float | None] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()
    error: str | None = None
    sha256: str = ""
    rank: int | None = None
    job: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (contract: ``file``, ``status``, ``score``, ``error``)."""
        return {
            "rank": self.rank,
            "file": self.file,
            "status": self.status,
            "score": self.score,
            "coverage": self.coverage,
            "matched": list(self.matched),
            "missing": list(self.missing),
            "error": self.error,
            "sha256": self.sha256,
            "job": self.job,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BatchRow:
        """A row read back from :meth:`to_dict` (for ``--resume``)."""
        return cls(
            file=str(data["file"]),
            status=str(data["status"]),
            score=None if data.get("score") is None else float(data["score"]),
            coverage=dict(data.get("coverage") or {}),
            missing=tuple(data.get("missing") or ()),
            matched=tuple(data.get("matched") or ()),
            error=data.get("error"),
            sha256=str(data.get("sha256") or ""),
            job=str(data.get("job") or ""),
        )

    def csv_row(self) -> list[Any]:
        """The CSV row, in :data:`CSV_COLUMNS` order (without the extra columns)."""
        cov = self.coverage
        return [
            "" if self.rank is None else self.rank,
            self.file,
            self.status,
            "" if self.score is None else self.score,
            *("" if cov.get(c) is None else round(cov[c] or 0.0, 4) for c in SKILL_CATEGORIES),
            ";".join(self.missing),
            self.error or "",
        ]


@dataclass(frozen=True)
class Ranking:
    """The rows of one job, ranked: best score first (ties by path), then errors by path."""

    job: str
    job_sha256: str
    rows: tuple[BatchRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``job`` and ``results``."""
        return {
            "job": self.job,
            "job_sha256": self.job_sha256,
            "results": [r.to_dict() for r in self.rows],
        }


@dataclass(frozen=True)
class BatchResult:
    """A ranked batch: one :class:`Ranking` per job, plus the files not scored and why.

    ``duplicates`` pairs each duplicate with the file whose content it repeats; ``skipped``
    pairs each skipped path with the reason. ``complete`` is false for an interrupted run.
    ``run`` identifies the taxonomy and job texts (what ``--resume`` checks).
    """

    rankings: tuple[Ranking, ...]
    duplicates: tuple[tuple[str, str], ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    taxonomy: str = ""
    run: str = ""
    complete: bool = True
    total: int = 0
    resumed: int = 0
    #: ``(scored, errors)`` of the whole run, kept when :meth:`top` drops rows.
    counts: tuple[int, int] | None = None

    @property
    def job(self) -> str:
        """The (first) job's source."""
        return self.rankings[0].job

    @property
    def rows(self) -> tuple[BatchRow, ...]:
        """The (first) job's ranked rows."""
        return self.rankings[0].rows

    def top(self, n: int) -> BatchResult:
        """Only the best ``n`` scored rows of each ranking (error rows stay)."""
        summary = self.summary()
        return replace(
            self,
            counts=(summary["scored"], summary["errors"]),
            rankings=tuple(
                replace(r, rows=tuple(row for row in r.rows if row.rank is None or row.rank <= n))
                for r in self.rankings
            ),
        )

    def summary(self) -> dict[str, int]:
        """Counts: files found, scored, failed, duplicates, skipped, and not yet done."""
        rows = self.rankings[0].rows if self.rankings else ()
        scored = sum(r.status == "ok" for r in rows)
        errors = sum(r.status != "ok" for r in rows)
        if self.counts is not None:
            scored, errors = self.counts
        done = scored + errors + len(self.duplicates)
        return {
            "files": self.total,
            "scored": scored,
            "errors": errors,
            "duplicates": len(self.duplicates),
            "skipped": len(self.skipped),
            "not_done": max(0, self.total - done),
            "resumed": self.resumed,
        }

    def matrix(self) -> list[dict[str, Any]]:
        """One row per file: its score for every job, best job first by score."""
        by_file: dict[str, dict[str, Any]] = {}
        for ranking in self.rankings:
            for row in ranking.rows:
                entry = by_file.setdefault(
                    row.file,
                    {"file": row.file, "status": row.status, "scores": {}, "best_job": None,
                     "best_score": None, "error": row.error, "sha256": row.sha256},
                )  # fmt: skip
                entry["scores"][ranking.job] = row.score
                if row.score is not None and (
                    entry["best_score"] is None or row.score > entry["best_score"]
                ):
                    entry["best_job"], entry["best_score"] = ranking.job, row.score
        return sorted(by_file.values(), key=_matrix_order)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"job", "results"}`` for one job; ``{"jobs", "matrix"}`` for several."""
        data: dict[str, Any] = {"version": SCHEMA_VERSION}
        if len(self.rankings) == 1:
            data.update(self.rankings[0].to_dict())
        else:
            data["jobs"] = [r.to_dict() for r in self.rankings]
            data["matrix"] = {"jobs": [r.job for r in self.rankings], "rows": self.matrix()}
        data.update(
            duplicates=[{"file": d, "same_as": original} for d, original in self.duplicates],
            skipped=[{"file": s, "reason": reason} for s, reason in self.skipped],
            summary=self.summary(),
            complete=self.complete,
            taxonomy=self.taxonomy,
            run=self.run,
        )
        return data

    def to_csv(self) -> str:
        """The CSV form: one job's ranking (contract columns first), or the matrix for several."""
        if len(self.rankings) == 1:
            rows = (
                [*row.csv_row(), ";".join(row.matched), row.job, row.sha256, self.run]
                for row in self.rows
            )
            return csv_text(CSV_COLUMNS + CSV_EXTRA_COLUMNS, rows)
        jobs = [r.job for r in self.rankings]
        header = ("file", "status", "best_job", "best_score", *jobs, "error", "sha256", "run")
        return csv_text(
            header,
            (
                [m["file"], m["status"], m["best_job"] or "", _blank(m["best_score"]),
                 *(_blank(m["scores"].get(j)) for j in jobs),
                 m["error"] or "", m["sha256"], self.run]
                for m in self.matrix()
            ),
        )  # fmt: skip


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _matrix_order(entry: dict[str, Any]) -> tuple[bool, float, str]:
    best = entry["best_score"]
    return (best is None, -(best or 0.0), entry["file"])


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file: ``ok``/``error`` rows (one per job), or ``duplicate``."""

    file: str
    status: str
    sha256: str = ""
    rows: tuple[BatchRow, ...] = ()
    same_as: str | None = None
    resumed: bool = False


@dataclass(frozen=True)
class Job:
    """A job description parsed once: its requirements and a hash of its text."""

    source: str
    sha256: str
    document: Document
    requirements: JobRequirements


# -- walking -------------------------------------------------------------------------------------
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
            reason = _skip_reason(name)
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


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's content, read in chunks."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


# -- jobs --------------------------------------------------------------------------------------
def load_jobs(sources: Sequence[str | os.PathLike[str]], taxonomy: Taxonomy) -> list[Job]:
    """Parse each job once (a file, ``-`` for stdin, or a folder of job ads)."""
    paths: list[str] = []
    for source in sources:
        if os.fspath(source) != "-" and Path(source).is_dir():
            folder_files = find_files([source])
            if not folder_files:
                raise InputError(f"{source}: the folder holds no job descriptions")
            paths.extend(map(str, folder_files))
        else:
            paths.append(os.fspath(source))
    jobs = []
    for path in dict.fromkeys(paths):
        document = load_document(path, kind="job")
        skills = extract_skills(document, taxonomy=taxonomy)
        # kept whole: a JobRequirements carries the stated years, degree and job title too
        requirements = requirements_from_job(skills, document, taxonomy)
        digest = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        jobs.append(Job(document.source, digest, document, requirements))
    if not jobs:
        raise InputError("no job description given; use --job FILE")
    return jobs


def run_id(taxonomy: Taxonomy, jobs: Sequence[Job]) -> str:
    """What a result depends on besides the CV: the taxonomy and the job texts."""
    digest = hashlib.sha256(f"{SCHEMA_VERSION}\n{taxonomy.fingerprint}".encode())
    for job in jobs:
        digest.update(f"\n{job.source}\n{job.sha256}".encode())
    return digest.hexdigest()[:16]


# -- the worker side ---------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(taxonomy: Taxonomy, jobs: Sequence[Job]) -> None:
    from skillmatch.match import get_matcher

    get_matcher(taxonomy)  # build it now, once per worker (forked workers inherit the parent's)
    _WORKER.update(taxonomy=taxonomy, jobs=tuple(jobs), hooks=_test_hooks())


def preload_readers() -> None:
    """Import the format readers now: forked workers then share them instead of each importing
    them (and holding its own copy) on its first PDF or DOCX."""
    import importlib

    for module in ("skillmatch.pdf", "docx", "charset_normalizer"):
        with contextlib.suppress(ImportError):
            importlib.import_module(module)


def _test_hooks() -> dict[str, str]:
    hooks = {}
    for item in os.environ.get(TEST_HOOK_ENV, "").split(","):
        name, _, value = item.partition(":")
        if name and value:
            hooks[name.strip()] = value.strip()
    return hooks


def _run_test_hooks(path: str, hooks: dict[str, str]) -> None:
    if "crash" in hooks and hooks["crash"] in path:
        os._exit(70)
    if "hang" in hooks and hooks["hang"] in path:
        time.sleep(3600)
    if "hog" in hooks and hooks["hog"] in path:
        hoard = []
        while True:
            hoard.append(bytearray(256 * 1024 * 1024))


def score_file(path: str) -> tuple[BatchRow, ...]:
    """Parse and match one CV once, and score it against every job (runs in a worker)."""
    jobs: tuple[Job, ...] = _WORKER["jobs"]
    hooks: dict[str, str] = _WORKER.get("hooks", {})
    if hooks:
        _run_test_hooks(path, hooks)
    try:
        document = parse_file(path, kind="cv")
        taxonomy = _WORKER["taxonomy"]
        skills = extract_skills(document, taxonomy=taxonomy)
        rows = []
        for job in jobs:
            report = compare_skills(
                skills, job.requirements, job.document, taxonomy, cv_document=document
            )
            rows.append(
                BatchRow(
                    file=path,
                    status="ok",
                    score=report.score,
                    coverage=dict(report.coverage),
                    matched=tuple(r.id for r in report.matched),
                    missing=tuple(r.id for r in report.missing),
                    job=job.source,
                )
            )
        return tuple(rows)
    except MemoryError:
        raise  # the pool reports it and replaces the worker
    except SkillmatchError as error:
        return _error_rows(path, str(error), jobs)
    except Exception as error:  # a bad file must not stop the batch
        return _error_rows(path, f"unexpected {type(error).__name__}: {error}", jobs)


def _error_rows(
    path: str, message: str, jobs: Sequence[Job], sha256: str = ""
) -> tuple[BatchRow, ...]:
    line = " ".join(message.split())
    if len(line) > MAX_ERROR_LENGTH:
        line = line[: MAX_ERROR_LENGTH - 1] + "…"
    return tuple(BatchRow(path, "error", error=line, sha256=sha256, job=job.source) for job in jobs)


# -- the parent side ---------------------------------------------------------------------------
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
    ) -> None:
        self.taxonomy_path = taxonomy_path
        self.taxonomy = cached_taxonomy(taxonomy_path)
        job_list = [jobs] if isinstance(jobs, str | os.PathLike) else list(jobs)
        self.jobs = load_jobs(job_list, self.taxonomy)
        self.files, self.skipped = scan(paths)
        job_paths = {os.path.realpath(j.source) for j in self.jobs if j.source != "-"}
        for file in [f for f in self.files if os.path.realpath(f) in job_paths]:
            self.files.remove(file)
            self.skipped.append((str(file), "a job description given with --job"))
        self.total = len(self.files)
        self.run = run_id(self.taxonomy, self.jobs)
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
        interrupt_after = int(_test_hooks().get("interrupt-after", "0"))
        preload_readers()
        pool: WorkerPool[str, tuple[BatchRow, ...]] = WorkerPool(
            score_file,
            workers=min(self.workers, max(1, self.total)),
            initializer=_init_worker,
            initargs=(self.taxonomy, self.jobs),
            timeout=self.timeout,
            memory_mb=self.max_memory,
        )
        with pool:
            for path, result in pool.run(self._tasks()):
                yield from self._drain()
                rows = (
                    _error_rows(path, result.reason, self.jobs)
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
        self.outcomes.append(outcome)
        return outcome

    def _tasks(self) -> Iterator[str]:
        """The files to score; hashes each first and settles duplicates and resumed files."""
        for file in self.files:
            path = str(file)
            try:
                digest = file_sha256(path)
            except OSError as error:
                reason = f"cannot read file: {error.strerror or error}"
                self._immediate.append(
                    FileOutcome(path, "error", "", _error_rows(path, reason, self.jobs))
                )
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
            scored = sorted(
                (r for r in rows if r.status == "ok"), key=lambda r: (-(r.score or 0.0), r.file)
            )
            failed = sorted((r for r in rows if r.status != "ok"), key=lambda r: r.file)
            ranked = [replace(r, rank=i) for i, r in enumerate(scored, 1)]
            rankings.append(Ranking(job.source, job.sha256, tuple(ranked + failed)))
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
    )
    for done, _outcome in enumerate(run, 1):
        if progress:
            progress(done, run.total)
    return run.result()

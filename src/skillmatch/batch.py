"""Score every CV under one or more folders against a job and rank them.

Each worker process loads the taxonomy and builds the matcher once; the job is parsed once in
the parent. A file that cannot be read becomes an error row and the batch goes on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillmatch.errors import InputError, SkillmatchError
from skillmatch.match import extract_skills
from skillmatch.models import SCHEMA_VERSION, Document
from skillmatch.parse import load_document, parse_file
from skillmatch.report import csv_text
from skillmatch.score import JobRequirement, compare_skills, requirements_from_job
from skillmatch.taxonomy import SKILL_CATEGORIES, Taxonomy, load_taxonomy

#: File extensions a batch picks up.
CV_EXTENSIONS = {".pdf", ".docx", ".txt", ".md", ".markdown", ".rtf", ".odt", ".html", ".htm", ".doc"}
CSV_COLUMNS = ("rank", "file", "status", "score", "technical", "mathematical", "soft", "missing", "error")


@dataclass(frozen=True)
class BatchRow:
    """One file's outcome: a score, or the one-line reason it could not be scored."""

    file: str
    status: str
    score: float | None = None
    coverage: dict[str, float | None] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()
    error: str | None = None
    sha256: str = ""
    rank: int | None = None

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
        }

    def csv_row(self) -> list[Any]:
        """The CSV row, in :data:`CSV_COLUMNS` order."""
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
class BatchResult:
    """A ranked batch: best score first, then errors; duplicates of scored files listed apart."""

    job: str
    rows: tuple[BatchRow, ...]
    duplicates: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (contract: ``job`` and ``results``)."""
        return {
            "version": SCHEMA_VERSION,
            "job": self.job,
            "results": [row.to_dict() for row in self.rows],
            "duplicates": [{"file": d, "same_as": original} for d, original in self.duplicates],
        }

    def to_csv(self) -> str:
        """The CSV form (contract columns first)."""
        return csv_text(CSV_COLUMNS, (row.csv_row() for row in self.rows))


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every CV file under ``paths`` (files are taken as given), skipping hidden and temporary
    files, following no symlink loop, in a stable order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(_walk(path))
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def _walk(folder: Path) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        stat = os.stat(root)
        if (stat.st_dev, stat.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs[:] = sorted(d for d in dirs if not _skipped(d))
        for name in sorted(files):
            if not _skipped(name) and Path(name).suffix.lower() in CV_EXTENSIONS:
                yield Path(root) / name


def _skipped(name: str) -> bool:
    return name.startswith((".", "~$", "~")) or name.endswith(("~", ".tmp"))


_WORKER: dict[str, Any] = {}


def _init_worker(taxonomy_path: str | None, requirements: Sequence[JobRequirement], job: Document) -> None:
    taxonomy = load_taxonomy(taxonomy_path)
    from skillmatch.match import get_matcher

    get_matcher(taxonomy)  # build it now, once per worker
    _WORKER.update(taxonomy=taxonomy, requirements=requirements, job=job)


def _score_one(path: str) -> BatchRow:
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as error:
        return BatchRow(path, "error", error=f"cannot read file: {error.strerror}")
    try:
        document = parse_file(path, kind="cv")
        taxonomy = _WORKER["taxonomy"]
        report = compare_skills(extract_skills(document, taxonomy=taxonomy), _WORKER["requirements"], _WORKER["job"], taxonomy)
    except SkillmatchError as error:
        return BatchRow(path, "error", error=str(error), sha256=digest)
    except Exception as error:  # a bad file must not stop the batch
        return BatchRow(path, "error", error=f"unexpected {type(error).__name__}: {error}", sha256=digest)
    return BatchRow(
        file=path,
        status="ok",
        score=report.score,
        coverage=dict(report.coverage),
        matched=tuple(r.id for r in report.matched),
        missing=tuple(r.id for r in report.missing),
        sha256=digest,
    )


def rank_files(
    paths: Iterable[str | os.PathLike[str]],
    job: str | os.PathLike[str],
    *,
    taxonomy_path: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Score every CV under ``paths`` against ``job`` and rank them, best first.

    ``workers`` processes (default: the CPU count) each build the matcher once. ``progress``
    is called with ``(done, total)`` after each file.
    """
    taxonomy: Taxonomy = load_taxonomy(taxonomy_path)
    job_doc = load_document(job, kind="job")
    requirements = requirements_from_job(extract_skills(job_doc, taxonomy=taxonomy), job_doc, taxonomy)
    files = [str(p) for p in find_files(paths)]
    rows: list[BatchRow] = []
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or len(files) < 2:
        _init_worker(taxonomy_path, requirements, job_doc)
        for done, path in enumerate(files, 1):
            rows.append(_score_one(path))
            if progress:
                progress(done, len(files))
    else:
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(taxonomy_path, requirements, job_doc)) as pool:
            for done, row in enumerate(pool.map(_score_one, files, chunksize=4), 1):
                rows.append(row)
                if progress:
                    progress(done, len(files))
    return _rank(job_doc.source, rows)


def _rank(job: str, rows: list[BatchRow]) -> BatchResult:
    first_by_hash: dict[str, str] = {}
    unique: list[BatchRow] = []
    duplicates: list[tuple[str, str]] = []
    for row in rows:
        if row.sha256 and row.sha256 in first_by_hash:
            duplicates.append((row.file, first_by_hash[row.sha256]))
            continue
        if row.sha256:
            first_by_hash[row.sha256] = row.file
        unique.append(row)
    scored = sorted((r for r in unique if r.status == "ok"), key=lambda r: (-(r.score or 0.0), r.file))
    failed = sorted((r for r in unique if r.status != "ok"), key=lambda r: r.file)
    ranked = [BatchRow(**{**r.__dict__, "rank": i}) for i, r in enumerate(scored, 1)]
    return BatchResult(job, tuple(ranked + failed), tuple(duplicates))

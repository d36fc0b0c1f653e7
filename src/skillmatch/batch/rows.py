"""Batch outcomes -> ranked results: the row, outcome and result types, and the ranking.

Per job, the scored rows come best score first (ties by file path), then the error rows by path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from skillmatch.batch.detail import RowDetail
from skillmatch.models import SCHEMA_VERSION
from skillmatch.render.report import csv_text
from skillmatch.taxonomy.model import SKILL_CATEGORIES

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
#: Columns after the contract's: the row's flags (kinds joined by ``;``, empty when none), then
#: what ``--resume`` needs to take a row over.
CSV_EXTRA_COLUMNS = ("flags", "matched", "job", "sha256", "run", "code")
#: The several-jobs matrix CSV: these columns, one score column per job, then the tail columns.
MATRIX_CSV_COLUMNS = ("file", "status", "best_job", "best_score")
MATRIX_CSV_TAIL_COLUMNS = ("error", "flags", "sha256", "run", "code")


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
    #: For an error row, the :data:`~skillmatch.errors.ERROR_CODES` name of what went wrong.
    code: str | None = None
    #: The kinds of the report's :mod:`~skillmatch.score.gaming` (``hidden_text``,
    #: ``keyword_stuffing``, ``copied_job_ad``), empty when none.
    flags: tuple[str, ...] = ()
    #: Each requirement with its proof sentence, kept only for ``--format html`` (never in the
    #: JSON or CSV forms).
    detail: RowDetail | None = field(default=None, compare=False, repr=False)

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
            "code": self.code,
            "flags": list(self.flags),
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
            code=data.get("code"),
            flags=tuple(str(kind) for kind in data.get("flags") or ()),
            sha256=str(data.get("sha256") or ""),
            job=str(data.get("job") or ""),
        )

    def csv_row(self) -> list[Any]:
        """The CSV row, in :data:`CSV_COLUMNS` order (without the extra columns)."""
        cov = self.coverage
        return [
            _blank(self.rank),
            self.file,
            self.status,
            _blank(self.score),
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
                     "best_score": None, "error": row.error, "sha256": row.sha256,
                     "code": row.code, "flags": []},
                )  # fmt: skip
                entry["scores"][ranking.job] = row.score
                # a file's flags over every job (copied_job_ad may hold for one job only)
                entry["flags"] += [k for k in row.flags if k not in entry["flags"]]
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
                [
                    *row.csv_row(),
                    ";".join(row.flags),
                    ";".join(row.matched),
                    row.job,
                    row.sha256,
                    self.run,
                    row.code or "",
                ]
                for row in self.rows
            )
            return csv_text(CSV_COLUMNS + CSV_EXTRA_COLUMNS, rows)
        jobs = [r.job for r in self.rankings]
        header = (*MATRIX_CSV_COLUMNS, *jobs, *MATRIX_CSV_TAIL_COLUMNS)
        return csv_text(
            header,
            (
                [m["file"], m["status"], m["best_job"] or "", _blank(m["best_score"]),
                 *(_blank(m["scores"].get(j)) for j in jobs),
                 m["error"] or "", ";".join(m["flags"]), m["sha256"], self.run,
                 m["code"] or ""]
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


def rank_rows(rows: Iterable[BatchRow]) -> tuple[BatchRow, ...]:
    """Scored rows best first (ties by path), numbered from 1, then the error rows by path."""
    rows = list(rows)
    scored = sorted(
        (r for r in rows if r.status == "ok"), key=lambda r: (-(r.score or 0.0), r.file)
    )
    failed = sorted((r for r in rows if r.status != "ok"), key=lambda r: r.file)
    ranked = [replace(r, rank=i) for i, r in enumerate(scored, 1)]
    return tuple(ranked + failed)

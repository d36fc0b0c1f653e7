"""A bias audit of a ranking: scoring rates and impact ratios per group (``batch --audit``).

The groups come from the user, in a CSV with a ``file`` column and one or more group columns
(``sex``, ``race_ethnicity``, ...); skillmatch never infers them. For each job, each column and
each intersection of two or more columns, every group gets:

* **count**: the scored candidates in it (error rows are not scored and not counted);
* **scoring rate**: the share of them whose score is *above* the median score of every scored
  candidate of the batch (strictly above: a score equal to the median does not count), the
  measure New York City's Local Law 144 rules use for tools that score;
* **impact ratio**: its scoring rate divided by the highest scoring rate among the groups large
  enough to judge;
* a **flag** when a group large enough to judge has an impact ratio below 0.8 (the
  four-fifths guideline of the US EEOC's Uniform Guidelines).

A group is **too small to judge** when it has fewer than ``min_count`` candidates or less than
``min_share`` (2 %, the share below which Local Law 144 lets an auditor leave a category out) of
the candidates whose group is known; its rate and ratio are shown but never flagged, and it is
never the reference. A blank value is *unknown*: counted, never grouped.

What this establishes and what it does not is said in the README ("Bias audit").
"""

from __future__ import annotations

import csv
import itertools
import os
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillmatch.batch.collect import file_sha256
from skillmatch.batch.rows import BatchResult, BatchRow, Ranking
from skillmatch.errors import InputError

#: The four-fifths guideline: an impact ratio below this is flagged.
FOUR_FIFTHS = 0.8
#: Groups with fewer candidates than this are too small to judge (``--audit-min``).
DEFAULT_MIN_COUNT = 10
#: Groups with a smaller share of the candidates whose group is known are too small to judge.
MIN_SHARE = 0.02
#: At most this many group columns (their intersections grow as 2**n).
MAX_COLUMNS = 4


@dataclass(frozen=True)
class GroupTable:
    """The user's groups: ``rows`` maps each CSV ``file`` cell to its values, one per column."""

    source: str
    columns: tuple[str, ...]
    rows: dict[str, tuple[str, ...]]
    #: the folder relative paths in the CSV are also tried against
    folder: str = "."


@dataclass(frozen=True)
class GroupRate:
    """One group (or intersection of groups) in one job's ranking."""

    values: tuple[str, ...]
    count: int
    above: int
    rate: float
    impact_ratio: float | None
    judged: bool
    flagged: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "group": list(self.values),
            "count": self.count,
            "above_median": self.above,
            "scoring_rate": round(self.rate, 4),
            "impact_ratio": None if self.impact_ratio is None else round(self.impact_ratio, 4),
            "judged": self.judged,
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class AuditTable:
    """The groups of one column, or of one intersection of columns, best scoring rate first."""

    columns: tuple[str, ...]
    groups: tuple[GroupRate, ...]
    unknown: int
    reference: tuple[str, ...] | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "columns": list(self.columns),
            "reference": None if self.reference is None else list(self.reference),
            "unknown": self.unknown,
            "groups": [g.to_dict() for g in self.groups],
        }


@dataclass(frozen=True)
class JobAudit:
    """The audit of one job's ranking."""

    job: str
    median: float | None
    scored: int
    audited: int
    tables: tuple[AuditTable, ...]
    #: scored candidates whose score equals the median (never counted as above it; many ties,
    #: e.g. a median of 0, lower every group's rate)
    at_median: int = 0

    @property
    def flagged(self) -> tuple[tuple[tuple[str, ...], GroupRate], ...]:
        """Every flagged group with the columns it belongs to."""
        return tuple((t.columns, g) for t in self.tables for g in t.groups if g.flagged)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "job": self.job,
            "median": self.median,
            "scored": self.scored,
            "audited": self.audited,
            "at_median": self.at_median,
            "tables": [t.to_dict() for t in self.tables],
        }


@dataclass(frozen=True)
class Audit:
    """A bias audit of a batch: one :class:`JobAudit` per job, and the rules it applied."""

    source: str
    columns: tuple[str, ...]
    jobs: tuple[JobAudit, ...]
    min_count: int = DEFAULT_MIN_COUNT
    min_share: float = MIN_SHARE
    threshold: float = FOUR_FIFTHS
    #: CSV rows that name no scored file of the batch (not found, an error row, a duplicate)
    unmatched: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "groups": self.source,
            "columns": list(self.columns),
            "rules": {
                "scoring_rate": "share of the group's scored candidates above the median score",
                "impact_ratio": "scoring rate / the highest scoring rate of a group judged",
                "flag_below": self.threshold,
                "too_small": {"min_count": self.min_count, "min_share": self.min_share},
            },
            "unmatched": list(self.unmatched),
            "jobs": [j.to_dict() for j in self.jobs],
        }


def load_groups(path: str | os.PathLike[str]) -> GroupTable:
    """Read a groups CSV (``file`` and one or more group columns); one-line errors."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the groups CSV ({error})") from None
    reader = csv.reader(text.splitlines())
    header = [h.strip() for h in next(reader, [])]
    if "file" not in header:
        raise InputError(f"{path}: the groups CSV needs a 'file' column and group columns")
    columns = tuple(h for h in header if h and h != "file")
    if not columns:
        raise InputError(f"{path}: the groups CSV has no group column besides 'file'")
    if len(columns) > MAX_COLUMNS or len(set(columns)) != len(columns):
        raise InputError(f"{path}: give 1 to {MAX_COLUMNS} group columns, each named once")
    index = header.index("file")
    positions = [header.index(c) for c in columns]
    rows: dict[str, tuple[str, ...]] = {}
    for number, cells in enumerate(reader, 2):
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        name = cells[index].strip()
        if not name or name in rows:
            reason = "has no file" if not name else f"names {name!r} twice"
            raise InputError(f"{path}: line {number} {reason}")
        rows[name] = tuple(cells[p].strip() for p in positions)
    return GroupTable(str(path), columns, rows, folder=str(Path(path).parent))


def _unique_names(paths: Sequence[str]) -> dict[str, str]:
    """``{file name: path}`` for the file names only one of ``paths`` has."""
    names: dict[str, list[str]] = {}
    for path in paths:
        names.setdefault(os.path.basename(path), []).append(path)
    return {name: found[0] for name, found in names.items() if len(found) == 1}


class _Finder:
    """Finds the scored row a CSV ``file`` cell names: by path, by the path the batch walked
    (``hashes``: with ``--redact`` the rows carry blind names), by the content of the file it
    names, then by a file name only one file has."""

    def __init__(self, rows: Sequence[BatchRow], folder: str, hashes: dict[str, str]) -> None:
        self.folder = folder
        self.by_path = {os.path.normpath(r.file): r for r in rows}
        self.by_hash = {r.sha256: r for r in rows if r.sha256}
        self.walked = {os.path.normpath(path): digest for path, digest in hashes.items()}
        unique = _unique_names([r.file for r in rows])
        self.by_name = {name: self.by_path[os.path.normpath(p)] for name, p in unique.items()}
        self.walked_names = _unique_names(list(self.walked))

    def find(self, name: str) -> BatchRow | None:
        path = os.path.normpath(name)
        row = self.by_path.get(path) or self.by_hash.get(self.walked.get(path, ""))
        if row is not None:
            return row
        for candidate in (Path(name), Path(self.folder) / name):
            if candidate.is_file():
                try:
                    row = self.by_hash.get(file_sha256(str(candidate)))
                except OSError:
                    row = None
                if row is not None:
                    return row
        base = os.path.basename(name)
        walked = self.walked_names.get(base)
        return self.by_name.get(base) or (self.by_hash.get(self.walked[walked]) if walked else None)


def audit_batch(
    result: BatchResult,
    groups: GroupTable,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    hashes: dict[str, str] | None = None,
) -> Audit:
    """Audit every job of ``result`` against the user's ``groups``; ``hashes`` maps the paths
    the batch walked to their SHA-256 (:attr:`~skillmatch.batch.run.BatchRun.hashes`)."""
    unmatched: set[str] = set()
    audits = []
    for ranking in result.rankings:
        audit, missed = _audit_job(ranking, groups, min_count, hashes or {})
        audits.append(audit)
        unmatched.update(missed)
    return Audit(
        source=groups.source,
        columns=groups.columns,
        jobs=tuple(audits),
        min_count=min_count,
        unmatched=tuple(sorted(unmatched)),
    )


def _audit_job(
    ranking: Ranking, groups: GroupTable, min_count: int, hashes: dict[str, str]
) -> tuple[JobAudit, list[str]]:
    scored = [r for r in ranking.rows if r.status == "ok" and r.score is not None]
    finder = _Finder(scored, groups.folder, hashes)
    members: list[tuple[tuple[str, ...], bool]] = []  # (values, above the median)
    median = statistics.median(r.score or 0.0 for r in scored) if scored else None
    used: set[int] = set()
    missed = []
    for name, values in groups.rows.items():
        row = finder.find(name)
        if row is None or id(row) in used:
            missed.append(name)
            continue
        used.add(id(row))
        members.append((values, median is not None and (row.score or 0.0) > median))
    width = len(groups.columns)
    combos = [
        combo
        for size in range(1, width + 1)
        for combo in itertools.combinations(range(width), size)
    ]
    tables = tuple(_table(groups.columns, combo, members, min_count) for combo in combos)
    at_median = sum(r.score == median for r in scored)
    audit = JobAudit(ranking.job, median, len(scored), len(members), tables, at_median)
    return audit, missed


def _table(
    columns: tuple[str, ...],
    combo: tuple[int, ...],
    members: list[tuple[tuple[str, ...], bool]],
    min_count: int,
) -> AuditTable:
    counts: dict[tuple[str, ...], list[int]] = {}
    unknown = 0
    for values, above in members:
        key = tuple(values[i] for i in combo)
        if not all(key):
            unknown += 1
            continue
        tally = counts.setdefault(key, [0, 0])
        tally[0] += 1
        tally[1] += above
    known = sum(c for c, _a in counts.values())
    judged = {
        key: count >= min_count and count >= MIN_SHARE * known
        for key, (count, _above) in counts.items()
    }
    rates = {key: above / count for key, (count, above) in counts.items()}
    best = max((k for k in counts if judged[k]), key=lambda k: rates[k], default=None)
    top = rates[best] if best is not None else 0.0
    groups = []
    for key, (count, high) in counts.items():
        ratio = rates[key] / top if top > 0 else None
        flagged = judged[key] and ratio is not None and ratio < FOUR_FIFTHS
        groups.append(GroupRate(key, count, high, rates[key], ratio, judged[key], flagged))
    groups.sort(key=lambda g: (-g.rate, -g.count, g.values))
    return AuditTable(tuple(columns[i] for i in combo), tuple(groups), unknown, best)


def audit_text(audit: Audit) -> str:
    """The audit as plain-text tables, one per job and column (or intersection)."""
    lines = [
        f"Bias audit ({audit.source})",
        "  scoring rate: share of a group's scored candidates above the median score",
        "  impact ratio: scoring rate / the highest scoring rate of a group judged",
        f"  flagged below {audit.threshold:g} (four-fifths); too small to judge: fewer than "
        f"{audit.min_count} candidates or under {audit.min_share:.0%} of those with a group",
    ]
    for job in audit.jobs:
        median = "n/a" if job.median is None else f"{job.median:.1f}"
        lines += ["", f"Job: {job.job}  (median {median}; {job.audited} of {job.scored} scored "
                  f"candidates have a group row; {job.at_median} score exactly the median)"]  # fmt: skip  # noqa: E501
        for table in job.tables:
            lines.append(f"  {' x '.join(table.columns)}")
            lines.append(f"    {'GROUP':<28} {'N':>5} {'ABOVE':>5} {'RATE':>6} {'RATIO':>6}  NOTE")
            for group in table.groups:
                ratio = "n/a" if group.impact_ratio is None else f"{group.impact_ratio:.2f}"
                note = "FLAG: below 4/5" if group.flagged else ""
                if not group.judged:
                    note = "too small to judge"
                elif group.values == table.reference:
                    note = "reference (highest rate)"
                label = " / ".join(group.values)
                lines.append(
                    f"    {label:<28} {group.count:>5} {group.above:>5} {group.rate:>6.1%} "
                    f"{ratio:>6}  {note}".rstrip()
                )
            if table.unknown:
                lines.append(f"    {'(unknown: left out)':<28} {table.unknown:>5}")
    if audit.unmatched:
        lines += ["", f"{len(audit.unmatched)} row(s) of the groups CSV name no scored file of "
                  "the batch (not found, not scored, or a duplicate); they are left out."]  # fmt: skip  # noqa: E501
    return "\n".join(lines) + "\n"

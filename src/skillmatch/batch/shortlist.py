"""A batch result as the plain data the HTML shortlist shows (:mod:`skillmatch.render.shortlist`).

The data is compact: per job, the requirements once, and per scored CV its score, coverage,
flags, and each requirement by number with its credit and proof sentence. A CV's sentences are
kept once each (a skills line proves many requirements) with the mention's offsets beside them.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from skillmatch.batch.audit import Audit
from skillmatch.batch.detail import RequirementNote
from skillmatch.batch.rows import BatchResult, BatchRow, Ranking
from skillmatch.render.shortlist import render_shortlist
from skillmatch.taxonomy.model import SKILL_CATEGORIES

#: How many of the best candidates the requirements grid shows.
GRID_TOP = 30


def shortlist_data(
    result: BatchResult, *, audit: Audit | None = None, redacted: bool = False
) -> dict[str, Any]:
    """The page's data: summary, one entry per job, the CV x job matrix, the files not scored."""
    base = _common_folder(result)
    data: dict[str, Any] = {
        "base": base,
        "summary": result.summary(),
        "complete": result.complete,
        "redacted": redacted,
        "categories": list(SKILL_CATEGORIES),
        "grid_top": GRID_TOP,
        "jobs": [_job(ranking, base) for ranking in result.rankings],
        "duplicates": [[_cut(d, base), _cut(o, base)] for d, o in result.duplicates],
        "skipped": [[_cut(path, base), reason] for path, reason in result.skipped],
        "audit": None if audit is None else audit.to_dict(),
    }
    if len(result.rankings) > 1:
        jobs = [r.job for r in result.rankings]
        data["matrix"] = {
            "jobs": jobs,
            "rows": [
                [
                    _cut(m["file"], base),
                    m["best_score"],
                    [m["scores"].get(j) for j in jobs],
                    m["flags"],
                ]
                for m in result.matrix()
                if m["status"] == "ok"
            ],
        }
    return data


def shortlist_html(
    result: BatchResult, *, audit: Audit | None = None, redacted: bool = False
) -> str:
    """The self-contained HTML shortlist of a batch (``batch --format html``)."""
    return render_shortlist(shortlist_data(result, audit=audit, redacted=redacted))


class _Requirements:
    """The job's requirements, numbered in the order they are first seen."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.items: list[list[Any]] = []

    def number(self, key: str, name: str, category: str, required: bool) -> int:
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append([key, name, category, required])
        return self.index[key]


def _common_folder(result: BatchResult) -> str:
    """The folder (ending in ``/``) every file of the batch sits in, or ``""``: the page shows
    the paths under it."""
    files = [row.file for ranking in result.rankings for row in ranking.rows]
    files += [path for pair in result.duplicates for path in pair]
    files += [path for path, _reason in result.skipped]
    if not files:
        return ""
    try:
        folder = os.path.commonpath([os.path.dirname(f) for f in files])
    except ValueError:  # absolute and relative paths mixed
        return ""
    return folder + "/" if folder.strip("/") else ""


def _cut(path: str, base: str) -> str:
    return path[len(base) :] if base and path.startswith(base) else path


def _job(ranking: Ranking, base: str) -> dict[str, Any]:
    requirements = _Requirements()
    rows = []
    errors = []
    for row in ranking.rows:
        if row.status != "ok":
            errors.append([_cut(row.file, base), row.code or "", row.error or ""])
            continue
        rows.append(_row(replace(row, file=_cut(row.file, base)), requirements))
    return {"job": ranking.job, "reqs": requirements.items, "rows": rows, "errors": errors}


def _row(row: BatchRow, requirements: _Requirements) -> dict[str, Any]:
    item: dict[str, Any] = {
        "r": row.rank,
        "f": row.file,
        "s": row.score,
        "c": [_round(row.coverage.get(c)) for c in SKILL_CATEGORIES],
        "g": list(row.flags),
        "nm": len(row.matched),
        "nx": len(row.missing),
    }
    if row.detail is None:  # rows taken over by --resume keep no proofs
        item["m"] = [[requirements.number(i, i, "", True), 1.0] for i in row.matched]
        item["x"] = [[requirements.number(i, i, "", True), None] for i in row.missing]
        return item
    sentences: dict[str, int] = {}
    item["m"] = [_matched(n, requirements, sentences) for n in row.detail.matched]
    item["x"] = [
        [requirements.number(n.key, _base_name(n), n.category, n.required), n.related]
        for n in row.detail.missing
    ]
    item["t"] = list(sentences)
    return item


def _base_name(note: RequirementNote) -> str:
    """The requirement's name shared by every CV (an any-of group's label, without the member)."""
    return note.name.split(": ", 1)[0] if note.key.startswith("group:") else note.name


def _matched(
    note: RequirementNote, requirements: _Requirements, sentences: dict[str, int]
) -> list[Any]:
    """``[requirement, credit, strength, name or 0, sentence or -1, mark start, mark end]``."""
    number = requirements.number(note.key, _base_name(note), note.category, note.required)
    name = note.name if note.name != _base_name(note) else 0
    entry: list[Any] = [number, round(note.credit, 3), note.strength, name, -1, 0, 0]
    if note.proof:
        start = note.proof.find("[[")
        end = note.proof.find("]]", start)
        plain = note.proof.replace("[[", "").replace("]]", "")
        entry[4] = sentences.setdefault(plain, len(sentences))
        if 0 <= start < end:
            entry[5:7] = [start, end - 2]
    return entry


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)

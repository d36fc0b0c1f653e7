"""Batch results for people and programs: the ranked table, JSON Lines, a progress bar, and
reading an earlier output back for ``--resume``."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from skillmatch.batch.rows import (
    MATRIX_CSV_COLUMNS,
    MATRIX_CSV_TAIL_COLUMNS,
    BatchResult,
    BatchRow,
    FileOutcome,
)
from skillmatch.batch.run import BatchRun, Previous
from skillmatch.errors import InputError, OutputError
from skillmatch.render.report import to_json, unescape_cell, write_atomic
from skillmatch.taxonomy.model import SKILL_CATEGORIES

FORMATS = ("table", "json", "csv", "jsonl", "html")
_EXTENSIONS = {
    ".json": "json",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
}


def format_for(out: str | None, fmt: str | None) -> str:
    """``fmt`` if given, else from ``out``'s extension, else table on a terminal, else JSON."""
    if fmt:
        return fmt
    if out:
        return _EXTENSIONS.get(Path(out).suffix.lower(), "json")
    return "table" if sys.stdout.isatty() else "json"


def batch_table(result: BatchResult) -> str:
    """Each job's ranking, then (for several jobs) the CV-by-job matrix, then what was skipped."""
    lines: list[str] = []
    for ranking in result.rankings:
        lines += [f"Job: {ranking.job}", "", f"{'RANK':>4}  {'SCORE':>5}  FILE"]
        for row in ranking.rows:
            rank = "" if row.rank is None else str(row.rank)
            value = "error" if row.score is None else f"{row.score:.1f}"
            suffix = f"  ({row.error})" if row.error else ""
            if row.flags:
                suffix += f"  [flags: {', '.join(row.flags)}]"
            lines.append(f"{rank:>4}  {value:>5}  {row.file}{suffix}")
        lines.append("")
    if len(result.rankings) > 1:
        names = [f"job{i}" for i in range(1, len(result.rankings) + 1)]
        lines += [f"{name}: {r.job}" for name, r in zip(names, result.rankings, strict=True)]
        lines.append("  ".join(f"{n:>6}" for n in names) + "  FILE")
        for entry in result.matrix():
            scores = entry["scores"]
            cells = (
                "error" if scores.get(r.job) is None else f"{scores[r.job]:.1f}"
                for r in result.rankings
            )
            marker = f"  [flags: {', '.join(entry['flags'])}]" if entry["flags"] else ""
            lines.append("  ".join(f"{c:>6}" for c in cells) + f"  {entry['file']}{marker}")
        lines.append("")
    for duplicate, original in result.duplicates:
        lines.append(f"duplicate  {duplicate} (same content as {original})")
    for path, reason in result.skipped:
        lines.append(f"skipped    {path} ({reason})")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def summary_line(result: BatchResult) -> str:
    """``12 files: 10 scored, 1 error, 1 duplicate; 2 skipped``."""
    s = result.summary()
    text = (
        f"{s['files']} files: {s['scored']} scored, {s['errors']} error{'s' * (s['errors'] != 1)}, "
        f"{s['duplicates']} duplicate{'s' * (s['duplicates'] != 1)}; {s['skipped']} skipped"
    )
    if s["resumed"]:
        text += f"; {s['resumed']} taken from the earlier run"
    if s["not_done"]:
        text += f"; {s['not_done']} not done (interrupted)"
    return text


def jsonl_lines(outcome: FileOutcome, run: str) -> list[str]:
    """The JSON Lines of one file: a row per job, or one ``duplicate`` line."""
    if outcome.status == "duplicate":
        items = [{"file": outcome.file, "status": "duplicate", "same_as": outcome.same_as,
                  "sha256": outcome.sha256, "run": run}]  # fmt: skip
    else:
        items = [{**row.to_dict(), "run": run} for row in outcome.rows]
    return [_json_line(item) for item in items]


def skipped_lines(skipped: list[tuple[str, str]], run: str) -> list[str]:
    """A ``skipped`` line per file not taken (hidden, temporary, other type)."""
    return [
        _json_line({"file": path, "status": "skipped", "reason": reason, "run": run})
        for path, reason in skipped
    ]


def _json_line(item: dict[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False) + "\n"


def open_jsonl(path: str, *, append: bool) -> IO[str]:
    """Open a JSON Lines output; in append mode a last line cut off by a crash is dropped first."""
    if append and os.path.exists(path):
        with open(path, "rb+") as stream:
            data = stream.read()
            if data and not data.endswith(b"\n"):
                stream.truncate(data.rfind(b"\n") + 1)
        return open(path, "a", encoding="utf-8")
    return open(path, "w", encoding="utf-8")


def load_previous(path: str, fmt: str) -> Previous | None:
    """The rows of an earlier output (JSON, CSV or JSON Lines), or ``None`` if there is none.

    Raises :class:`InputError` when the file is not an output of ``skillmatch batch``.
    """
    if not os.path.exists(path):
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
        if fmt == "jsonl":
            return _previous_jsonl(text)
        if fmt == "csv":
            return _previous_csv(text)
        return _previous_json(json.loads(text) if text.strip() else {})
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        # the type only: the message may quote a cell of the file (a candidate's name, e-mail)
        raise InputError(
            f"{path}: cannot resume from this file ({type(error).__name__}); it is not a "
            f"skillmatch batch {fmt} output — remove it or drop --resume"
        ) from None


def _previous_json(data: dict[str, Any]) -> Previous | None:
    if not data:
        return None
    previous = Previous(run=str(data["run"]))
    rankings = data.get("jobs", [data])
    for ranking in rankings:
        for item in ranking["results"]:
            previous.add(BatchRow.from_dict({**item, "job": item.get("job") or ranking["job"]}))
    return previous


def _previous_jsonl(text: str) -> Previous | None:
    previous: Previous | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            continue  # a line cut off by a crash
        if previous is None:
            previous = Previous(run=str(item["run"]))
        if item.get("run") != previous.run:
            continue
        previous.lines.add(line_key(item))
        if item["status"] in ("ok", "error"):
            previous.add(BatchRow.from_dict(item))
    return previous


def line_key(item: dict[str, Any]) -> tuple[str, ...]:
    """``(file, job, status, sha256, error)`` of a JSON Lines item: a line with the key of one
    already in the output is not written again."""
    return (
        str(item["file"]),
        str(item.get("job") or ""),
        str(item["status"]),
        str(item.get("sha256") or ""),
        str(item.get("error") or ""),
    )


def compact_jsonl(text: str) -> str:
    """A resumed JSON Lines output with one line per (file, job): the last written wins, and a
    file whose last lines are of another kind (``duplicate`` or ``skipped`` against scored
    rows) keeps only those. Files come in the order they first appear."""
    files: dict[str, tuple[str, dict[str, str]]] = {}
    for line in text.splitlines(keepends=True):
        try:
            item = json.loads(line)
            file, status = str(item["file"]), str(item["status"])
        except (ValueError, KeyError, TypeError):
            continue  # a line cut off by a crash
        kind = "row" if status in ("ok", "error") else status
        job = str(item.get("job") or "") if kind == "row" else ""
        held_kind, lines = files.setdefault(file, (kind, {}))
        if held_kind != kind:
            lines = {}
            files[file] = (kind, lines)
        lines.pop(job, None)  # a later line moves to the end of its file's lines
        lines[job] = line if line.endswith("\n") else line + "\n"
    return "".join(line for _kind, lines in files.values() for line in lines.values())


def keep_beside(out: str, previous: Previous) -> str:
    """Copy an earlier output that this run will replace to a name beside it, which carries the
    earlier run's id (``ranking.run-1a2b3c4d.csv``); its name."""
    import shutil  # only when --force keeps an old output

    target = Path(out)
    beside = target.with_name(f"{target.stem}.run-{previous.run[:8]}{target.suffix}")
    try:
        shutil.copyfile(out, beside)
    except OSError as error:
        raise OutputError(f"{beside}: cannot keep the earlier results: {error.strerror}") from None
    return str(beside)


def _previous_csv(text: str) -> Previous | None:
    reader = csv.DictReader(io.StringIO(text))
    previous: Previous | None = None
    for item in reader:
        if previous is None:
            previous = Previous(run=item["run"])
        item = {key: unescape_cell(value or "") for key, value in item.items() if key}
        if "job" not in item or "rank" not in item:  # a several-jobs matrix: scores per job column
            _matrix_rows(item, reader.fieldnames or [], previous)
            continue
        coverage = {c: float(item[c]) if item[c] else None for c in SKILL_CATEGORIES}
        row = BatchRow(
            file=item["file"],
            status=item["status"],
            score=float(item["score"]) if item["score"] else None,
            coverage=coverage,
            missing=tuple(filter(None, item["missing"].split(";"))),
            matched=tuple(filter(None, item["matched"].split(";"))),
            error=item["error"] or None,
            sha256=item["sha256"],
            job=item["job"],
            code=item.get("code") or None,
            flags=_flags(item),
        )
        previous.add(row)
    return previous


def _matrix_rows(item: dict[str, str], fields: Sequence[str], previous: Previous) -> None:
    fixed = {*MATRIX_CSV_COLUMNS, *MATRIX_CSV_TAIL_COLUMNS}
    for column in (f for f in fields if f not in fixed):
        job = unescape_cell(column)
        score = item[column]
        previous.add(
            BatchRow(
                file=item["file"],
                status=item["status"],
                score=float(score) if score else None,
                error=item["error"] or None,
                sha256=item["sha256"],
                job=job,
                code=item.get("code") or None,
                flags=_flags(item),  # the file's flags over every job: the matrix keeps no more
            )
        )


def _flags(item: dict[str, str]) -> tuple[str, ...]:
    """The ``flags`` cell of a CSV row (kinds joined by ``;``; absent in older outputs)."""
    return tuple(filter(None, (item.get("flags") or "").split(";")))


class ProgressBar:
    """``[#######.............]  120/500  24%  35.2 files/s  ETA 0:11`` on a terminal's stderr."""

    def __init__(self, total: int, stream: IO[str] | None = None, width: int = 24) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()
        self._last = 0.0

    def update(self, done: int) -> None:
        """Redraw (at most ten times a second, and always at the end)."""
        now = time.monotonic()
        if done < self.total and now - self._last < 0.1:
            return
        self._last = now
        share = done / self.total if self.total else 1.0
        filled = round(share * self.width)
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        eta = (self.total - done) / rate if rate else 0.0
        bar = "#" * filled + "." * (self.width - filled)
        count = f"{done:>{len(str(self.total))}}/{self.total}"
        text = f"\r[{bar}] {count} {share:4.0%}  {rate:5.1f} files/s  ETA {_clock(eta)} "
        self.stream.write(text)
        self.stream.flush()

    def finish(self) -> None:
        """End the line."""
        self.stream.write("\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class BatchSink:
    """Where a batch's rows go: streamed (jsonl) or written at the end and at checkpoints."""

    CHECKPOINT_SECONDS = 30.0

    def __init__(
        self,
        run: BatchRun,
        fmt: str,
        out: str | None,
        top: int | None,
        *,
        write: Callable[[str], None],
        audit: Callable[[Any], Any] | None = None,
    ) -> None:
        self.run, self.fmt, self.out, self.top = run, fmt, out, top
        self.emit = write
        #: ``--audit``: the result -> its :class:`~skillmatch.batch.audit.Audit` (json, table
        #: and html outputs carry it)
        self.audit = audit
        self.stream: Any = None
        self.clock = time.monotonic
        self.last_checkpoint = self.clock()
        self.seen = run.previous.lines if run.previous is not None else set()

    def __enter__(self) -> BatchSink:
        if self.fmt == "jsonl":
            if self.out:
                try:
                    self.stream = open_jsonl(self.out, append=self.run.previous is not None)
                except OSError as error:
                    raise self._write_error(error) from None
            self._write(skipped_lines(self.run.skipped, self.run.run))
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def _close(self) -> None:
        stream, self.stream = self.stream, None
        if stream is not None:
            try:
                stream.close()
            except OSError as error:  # the last buffered lines did not fit
                if not any(sys.exc_info()):
                    raise self._write_error(error) from None

    def _write_error(self, error: OSError) -> OutputError:
        return OutputError(f"{self.out}: cannot write: {error.strerror or error}")

    def _write(self, lines: list[str]) -> None:
        """Write the JSON Lines not already in the output (``--resume``)."""
        if self.seen:
            lines = [line for line in lines if line_key(json.loads(line)) not in self.seen]
        if not lines:
            return
        if self.stream is None:
            self.emit("".join(lines))
            return
        try:
            self.stream.writelines(lines)
            self.stream.flush()
        except OSError as error:
            raise self._write_error(error) from None

    def add(self, outcome: Any) -> None:
        """Take one file's outcome: stream it (jsonl) or checkpoint the output file now and then."""
        if self.fmt == "jsonl":
            self._write(jsonl_lines(outcome, self.run.run))
        elif self.out and self.clock() - self.last_checkpoint > self.CHECKPOINT_SECONDS:
            self._save(self.run.result(complete=False))
            self.last_checkpoint = self.clock()

    def finish(self, *, complete: bool) -> Any:
        """The batch's result, written out (all formats but jsonl, which was streamed)."""
        result = self.run.result(complete=complete)
        if self.fmt != "jsonl":
            self._save(result)
        elif self.out and self.run.previous is not None:
            self._compact()
        return result

    def _compact(self) -> None:
        """A resumed JSON Lines output rewritten with one line per (file, job) (see
        :func:`compact_jsonl`), whole or not at all."""
        assert self.out is not None
        self._close()
        text = Path(self.out).read_text(encoding="utf-8")
        write_atomic(self.out, compact_jsonl(text))

    def _save(self, result: Any) -> None:
        audit = self.audit(result) if self.audit is not None else None  # of every row, not --top
        if self.top is not None:
            result = result.top(self.top)
        if self.fmt == "json":
            text_out = to_json(
                result if audit is None else {**result.to_dict(), "audit": audit.to_dict()}
            )
        elif self.fmt == "html":
            from skillmatch.batch.shortlist import shortlist_html  # only for html output

            text_out = shortlist_html(result, audit=audit, redacted=self.run.options.redact)
        elif self.fmt == "csv":
            text_out = result.to_csv()
        else:
            text_out = batch_table(result)
            if audit is not None:
                from skillmatch.batch.audit import audit_text  # only with --audit

                text_out += "\n" + audit_text(audit)
        if self.out:
            write_atomic(self.out, text_out)
        else:
            self.emit(text_out)

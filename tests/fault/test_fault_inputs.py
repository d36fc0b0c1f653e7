"""Hostile files and outputs: a FIFO swapped in after the scan, non-UTF-8 and formula file
names, a text CV that mentions ``%PDF-``, a full disk, resume against edited files, a moved job
path, an --out inside the scanned folder, and an old output that is not ours."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import sys
from collections import Counter
from pathlib import Path

import pytest

from skillmatch.batch.run import BatchRun

from .conftest import JOB, JOB_FRONTEND, SAMPLES, run_cli

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX file names")

#: A cp1252 file name, as a Windows machine writes it onto a Linux share (not UTF-8).
CP1252_NAME = "José_García_CV.txt".encode("cp1252")
SHOWN = "Jos\\xe9_Garc\\xeda_CV.txt"


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _rows_per_pair(path: Path) -> Counter[tuple[object, object]]:
    rows = (line for line in _jsonl(path) if line["status"] in ("ok", "error"))
    return Counter((line["file"], line["job"]) for line in rows)


def test_a_fifo_swapped_in_after_the_scan_is_an_error_row_not_a_hang(cvs: Path) -> None:
    run = BatchRun([cvs], JOB, workers=1, timeout=30)
    target = cvs / "cv-nontechnical.txt"
    target.unlink()
    os.mkfifo(target)  # nobody ever writes to it: opening it to read would block for good
    signal.alarm(60)  # a hang fails the test instead of the suite
    try:
        list(run)
    finally:
        signal.alarm(0)
    rows = {Path(r.file).name: r for r in run.result().rows}
    fifo = rows["cv-nontechnical.txt"]
    assert fifo.status == "error" and fifo.code == "unreadable"
    assert fifo.error == "cannot be read (not a regular file (a pipe, socket or device))"
    assert sum(r.status == "ok" for r in rows.values()) == 5


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "jsonl"])
def test_a_non_utf8_file_name_is_shown_escaped(cvs: Path, tmp_path: Path, fmt: str) -> None:
    name = os.fsdecode(bytes(cvs) + b"/" + CP1252_NAME)
    shutil.copy(SAMPLES / "cv-ml-engineer.txt", name)
    out = tmp_path / f"out.{fmt}"
    args = ["batch", str(cvs), "--job", JOB, "--format", fmt, "--out", str(out)]
    result = run_cli(args)
    assert result.exit_code == 0, result.stderr
    shown = f"{cvs}/{SHOWN}"
    text = out.read_text(encoding="utf-8")  # valid UTF-8
    assert (json.dumps(shown)[1:-1] if fmt in ("json", "jsonl") else shown) in text
    if fmt != "table":
        again = run_cli([*args, "--resume"])
        assert again.exit_code == 0, again.stderr
        assert "taken from the earlier run" in again.stderr


@pytest.mark.parametrize("fmt", ["md", "json", "txt", "html"])
def test_compare_out_with_a_non_utf8_cv_name(tmp_path: Path, fmt: str) -> None:
    cv = os.fsdecode(bytes(tmp_path) + b"/" + CP1252_NAME)
    shutil.copy(SAMPLES / "cv-ml-engineer.txt", cv)
    out = tmp_path / f"report.{fmt}"
    result = run_cli(["compare", cv, "--job", JOB, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert SHOWN.replace("_", "\\_") in out.read_text() or SHOWN in out.read_text()
    stdout = run_cli(["compare", cv, "--job", JOB, "--format", "json"])
    assert stdout.exit_code == 0 and SHOWN in stdout.stdout


def test_formula_file_names_are_escaped_in_csv_and_resume_reads_them_back(
    cvs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SAMPLES / "cv-ml-engineer.txt", cvs / "=HYPERLINK(1).txt")
    shutil.copy(SAMPLES / "cv-data-analyst.txt", cvs / "@SUM(1).txt")
    out = tmp_path / "ranking.csv"
    assert run_cli(["batch", str(cvs), "--job", JOB, "--out", str(out)]).exit_code == 0
    cells = [row[1] for row in csv.reader(io.StringIO(out.read_text()))]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    names = {Path(cell).name for cell in cells}
    assert {"=HYPERLINK(1).txt", "@SUM(1).txt"} <= names  # inside a folder: no quote needed
    # a cell that starts with a formula character gets the quote: a job named by a relative path
    monkeypatch.chdir(tmp_path)
    shutil.copy(JOB, tmp_path / "-cmd.txt")
    shutil.copy(SAMPLES / "cv-ml-engineer.txt", tmp_path / "+cmd.txt")
    args = ["batch", "+cmd.txt", str(cvs), "--job=-cmd.txt", "--job", JOB_FRONTEND]
    several = run_cli([*args, "--out", "matrix.csv"])
    assert several.exit_code == 0, several.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "matrix.csv").read_text())))
    assert "'-cmd.txt" in rows[0] and "-cmd.txt" not in rows[0]
    assert "'+cmd.txt" in [row[0] for row in rows]
    again = run_cli([*args, "--out", "matrix.csv", "--resume"])
    assert again.exit_code == 0, again.stderr
    assert (
        "6 scored, 0 errors, 3 duplicates; 0 skipped; 6 taken from the earlier run" in again.stderr
    )


def test_markdown_escapes_the_file_name(tmp_path: Path) -> None:
    cv = tmp_path / "<img src=x onerror=alert(1)>_*cv*.txt"
    shutil.copy(SAMPLES / "cv-ml-engineer.txt", cv)
    out = tmp_path / "report.md"
    assert run_cli(["compare", str(cv), "--job", JOB, "--out", str(out)]).exit_code == 0
    title = out.read_text().splitlines()[0]
    assert "<img" not in title and "&lt;img src=x onerror=alert(1)&gt;\\_\\*cv\\*.txt" in title


def test_a_text_cv_that_mentions_pdf_is_read_as_text(tmp_path: Path) -> None:
    text = (SAMPLES / "cv-ml-engineer.txt").read_text()
    for name, body in [
        ("cv.txt", "Converted my thesis from %PDF-1.7 to HTML.\n" + text),
        ("cv.html", f"<html><body><p>Wrote a %PDF-1.4 parser</p><pre>{text}</pre></body></html>"),
    ]:
        (tmp_path / name).write_text(body)
        result = run_cli(["skills", str(tmp_path / name), "--format", "json"])
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["skills"], name


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_a_full_disk_is_a_one_line_error(cvs: Path, fmt: str) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    result = run_cli(["batch", str(cvs), "--job", JOB, "--format", fmt, "--out", "/dev/full"])
    assert result.exit_code == 1
    assert result.stderr == "Error: /dev/full: cannot write: No space left on device\n"


def test_jsonl_resume_of_a_run_cut_mid_file_edited_and_failed_files(
    cvs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "rows.jsonl"
    (cvs / "late.txt").write_text("")  # fails: no text yet
    args = ["batch", str(cvs), "--job", JOB, "--job", JOB_FRONTEND, "--out", str(out)]
    assert run_cli(args).exit_code == 0
    lines = out.read_text().splitlines(keepends=True)
    out.write_text("".join(lines[:-1]) + lines[-1][:20])  # a full disk cut the last file's rows
    late_text = (SAMPLES / "cv-ml-engineer.txt").read_text() + "\nAlso: Rust\n"
    (cvs / "late.txt").write_text(late_text)  # now it has text
    edited = cvs / "cv-nontechnical.txt"
    edited.write_text(edited.read_text() + "\nSkills: Python, PyTorch, Kubernetes\n")
    again = run_cli([*args, "--resume"])
    assert again.exit_code == 0, again.stderr
    pairs = _rows_per_pair(out)
    assert len(pairs) == 7 * 2 and set(pairs.values()) == {1}  # every (file, job) exactly once
    by_file = {(line["file"], line["job"]): line for line in _jsonl(out) if "job" in line}
    late = by_file[(str(cvs / "late.txt"), JOB)]
    assert late["status"] == "ok"
    new_hash = hashlib.sha256(edited.read_bytes()).hexdigest()
    assert by_file[(str(edited), JOB)]["sha256"] == new_hash


def test_the_same_job_by_relative_and_absolute_path_is_the_same_job(
    cvs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ranking.json"
    assert run_cli(["batch", str(cvs), "--job", JOB, "--out", str(out)]).exit_code == 0
    monkeypatch.chdir(SAMPLES)
    again = run_cli(
        ["batch", str(cvs), "--job", "job-ml-engineer.txt", "--out", str(out), "--resume"]
    )
    assert again.exit_code == 0, again.stderr
    assert json.loads(out.read_text())["summary"]["resumed"] == 6


@pytest.mark.parametrize("name", ["ranking.txt", "ranking.md"])
def test_an_out_inside_the_folder_is_never_scored(cvs: Path, name: str) -> None:
    out = cvs / name
    args = ["batch", str(cvs), "--job", JOB, "--format", "json", "--out", str(out)]
    assert run_cli(args).exit_code == 0
    again = run_cli([*args, "--resume"])
    assert again.exit_code == 0, again.stderr
    data = json.loads(out.read_text())
    assert str(out) not in {r["file"] for r in data["results"]}
    assert {"file": str(out), "reason": "the output of this run (--out)"} in data["skipped"]


def test_the_resume_error_never_quotes_the_old_output(cvs: Path, tmp_path: Path) -> None:
    out = tmp_path / "ranking.csv"
    out.write_text("rank,file,score,run\n1,Jane Doe <jane@example.com>,Jane Doe,abc\n")
    result = run_cli(["batch", str(cvs), "--job", JOB, "--out", str(out), "--resume"])
    assert result.exit_code == 1
    assert "Jane" not in result.stderr and "jane@" not in result.stderr
    assert result.stderr.startswith(f"Error: {out}: cannot resume from this file (")

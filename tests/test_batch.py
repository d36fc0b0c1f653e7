"""Batch ranking: walking, isolation (crash, hang, memory), outputs, resume and several jobs.

Every test builds its folder in ``tmp_path`` from the project's samples plus broken files. Worker
faults (crash, hang, memory hog) come from scoring functions of this module handed to
:class:`BatchRun`; interrupts and kills by real signals are in ``tests/fault/``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from skillmatch.api import rank_files
from skillmatch.batch.collect import scan
from skillmatch.batch.rows import BatchRow
from skillmatch.batch.run import BatchRun
from skillmatch.batch.worker import score_file
from skillmatch.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
JOB = str(SAMPLES / "job-ml-engineer.txt")
JOB_FRONTEND = str(SAMPLES / "job-frontend.txt")


def _cv_folder(root: Path) -> Path:
    folder = root / "cvs"
    (folder / "sub").mkdir(parents=True)
    for sample in sorted(SAMPLES.glob("cv-*")):
        shutil.copy(sample, folder / sample.name)
    return folder


@pytest.fixture
def cvs(tmp_path: Path) -> Path:
    """The sample CVs only."""
    return _cv_folder(tmp_path)


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """The sample CVs plus every kind of file a real applications folder holds."""
    folder = _cv_folder(tmp_path)
    pdf = (SAMPLES / "cv-ml-engineer.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 10])
    (folder / "not-a-zip.docx").write_bytes(b"\x00\x01\x02\x03PK\xff\xfe binary junk \x00" * 8)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "sub" / "copy-of-ml.pdf").write_bytes(pdf)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "~$cv-ml-engineer.docx").write_bytes(b"\x00lock")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n")
    os.symlink("..", folder / "sub" / "loop")
    return folder


def _run(args: list[str], **env: str) -> Any:
    result = CliRunner().invoke(cli, args, env=env or None, catch_exceptions=False)
    return result


def _files_on_disk(folder: Path) -> set[str]:
    found = set()
    for root, _dirs, files in os.walk(folder):  # does not follow the symlink loop
        found.update(str(Path(root) / name) for name in files)
    return found


def test_every_file_is_accounted_for(messy: Path) -> None:
    result = _run(["batch", str(messy), "--job", JOB, "--format", "json", "--workers", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    listed = (
        {r["file"] for r in data["results"]}
        | {d["file"] for d in data["duplicates"]}
        | {s["file"] for s in data["skipped"]}
    )
    assert listed == _files_on_disk(messy)
    by_file = {Path(r["file"]).name: r for r in data["results"]}
    for broken in ("truncated.pdf", "not-a-zip.docx", "empty.txt"):
        assert by_file[broken]["status"] == "error"
        assert by_file[broken]["score"] is None
        # one line, the reason only: the row names the file
        assert "\n" not in by_file[broken]["error"] and broken not in by_file[broken]["error"]
        assert by_file[broken]["code"] in ("damaged", "empty_document")
    assert data["duplicates"] == [
        {
            "file": str(messy / "sub" / "copy-of-ml.pdf"),
            "same_as": str(messy / "cv-ml-engineer.pdf"),
        }
    ]
    skipped = {Path(s["file"]).name: s["reason"] for s in data["skipped"]}
    assert skipped == {
        ".DS_Store": "hidden file",
        "~$cv-ml-engineer.docx": "temporary file",
        "photo.png": "not a document type skillmatch reads",
    }
    assert data["summary"] == {
        "files": 14, "scored": 10, "errors": 3, "duplicates": 1, "skipped": 3,
        "not_done": 0, "resumed": 0,
    }  # fmt: skip
    assert data["complete"] is True
    assert data["job"] == JOB and data["taxonomy"] and data["run"]


def test_ranking_is_best_first_with_stable_ties(messy: Path) -> None:
    rows = rank_files([messy], JOB, workers=2).rows
    scored = [r for r in rows if r.status == "ok"]
    assert [r.rank for r in scored] == list(range(1, len(scored) + 1))
    assert all(r.rank is None for r in rows[len(scored) :])
    keys = [(-(r.score or 0.0), r.file) for r in scored]
    assert keys == sorted(keys)
    assert Path(scored[0].file).name.startswith("cv-ml-engineer")
    again = rank_files([messy], JOB, workers=1).rows
    assert [(r.file, r.score) for r in again] == [(r.file, r.score) for r in rows]


def test_scan_skips_hidden_temporary_and_loops(messy: Path) -> None:
    files, skipped = scan([messy])
    names = [f.name for f in files]
    assert names == [*sorted(names[:-1]), "copy-of-ml.pdf"]  # folder by folder, sorted
    assert len(skipped) == 3


def crash_on_data_analyst(path: str) -> tuple[BatchRow, ...]:
    """Score a file; the worker exits abruptly on the data analyst's PDF."""
    if path.endswith("cv-data-analyst.pdf"):
        os._exit(70)
    return score_file(path)


def hang_on_nontechnical(path: str) -> tuple[BatchRow, ...]:
    """Score a file; hang on the non-technical CV."""
    if path.endswith("cv-nontechnical.txt"):
        time.sleep(3600)
    return score_file(path)


def hog_on_docx(path: str) -> tuple[BatchRow, ...]:
    """Score a file; allocate memory until the guard stops it on the ML engineer's DOCX."""
    if path.endswith("cv-ml-engineer.docx"):
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
    return score_file(path)


def test_worker_crash_is_an_error_row_and_the_worker_is_replaced(cvs: Path) -> None:
    run = BatchRun([cvs], JOB, workers=1, score=crash_on_data_analyst)
    outcomes = list(run)
    result = run.result()
    by_file = {Path(r.file).name: r for r in result.rows}
    crashed = by_file["cv-data-analyst.pdf"]
    assert crashed.status == "error"
    assert crashed.error == (
        "the worker process exited with code 70 while reading this file"
        " (damaged file or out of memory)"
    )
    assert crashed.code == "damaged"
    assert len(outcomes) == 10
    assert sum(r.status == "ok" for r in result.rows) == 9  # the files after it were scored
    assert run.replaced_workers == 1


@pytest.mark.parametrize("workers", [1, 2])  # with 1, the next file waits behind the hang
def test_a_hanging_file_times_out(cvs: Path, workers: int) -> None:
    run = BatchRun([cvs], JOB, workers=workers, timeout=1, score=hang_on_nontechnical)
    list(run)
    rows = {Path(r.file).name: r for r in run.result().rows}
    hung = rows["cv-nontechnical.txt"]
    assert hung.status == "error"
    assert hung.error == "took longer than 1 s (--timeout); skipped"
    assert hung.code == "timeout"
    assert sum(r.status == "ok" for r in rows.values()) == 9


def test_a_file_that_blows_up_memory_is_stopped(cvs: Path) -> None:
    run = BatchRun([cvs], JOB, max_memory=300, score=hog_on_docx)
    list(run)
    rows = {Path(r.file).name: r for r in run.result().rows}
    hog = rows["cv-ml-engineer.docx"]
    assert hog.status == "error"
    assert hog.error is not None and hog.error.startswith("ran out of memory (more than 300 MB")
    assert hog.code == "memory"
    assert sum(r.status == "ok" for r in rows.values()) == 9


def test_csv_has_the_contract_columns(messy: Path) -> None:
    result = _run(["batch", str(messy), "--job", JOB, "--format", "csv"])
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames is not None
    assert reader.fieldnames[:9] == [
        "rank", "file", "status", "score", "technical", "mathematical", "soft", "missing", "error",
    ]  # fmt: skip
    rows = list(reader)
    assert rows[0]["rank"] == "1" and rows[-1]["status"] == "error"


def test_table_lists_ranking_duplicates_skipped_and_summary(messy: Path) -> None:
    result = _run(["batch", str(messy), "--job", JOB, "--format", "table", "--top", "2"])
    lines = result.stdout.splitlines()
    assert lines[:3] == [f"Job: {JOB}", "", "RANK  SCORE  FILE"]
    # the scores themselves move with the taxonomy
    assert re.match(r"   1  [ \d]{3}\.\d  \S+cv-ml-engineer", lines[3])
    assert re.match(r"   2  [ \d]{3}\.\d  ", lines[4])
    assert lines[5].startswith("      error  ")  # errors stay under --top
    copy, original = messy / "sub" / "copy-of-ml.pdf", messy / "cv-ml-engineer.pdf"
    assert f"duplicate  {copy} (same content as {original})" in lines
    assert lines[-1] == "14 files: 10 scored, 3 errors, 1 duplicate; 3 skipped"


def test_out_is_written_whole_and_left_alone_on_failure(cvs: Path, tmp_path: Path) -> None:
    out = tmp_path / "ranking.csv"
    result = _run(["batch", str(cvs), "--job", JOB, "--out", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"10 files: 10 scored, 0 errors, 0 duplicates; 0 skipped; wrote {out}\n"
    assert out.read_text().startswith("rank,file,status,score,")  # the format follows the extension
    before = out.read_bytes()
    failed = _run(["batch", str(cvs), "--job", str(tmp_path / "missing.txt"), "--out", str(out)])
    assert failed.exit_code == 1
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cvs", "ranking.csv"]  # no temp files


def test_resume_with_another_job_refuses_then_keeps_the_old_results_beside(
    cvs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ranking.json"
    _run(["batch", str(cvs), "--job", JOB, "--out", str(out)])
    before = out.read_bytes()
    args = ["batch", str(cvs), "--job", JOB_FRONTEND, "--out", str(out), "--resume"]
    refused = _run(args)
    assert refused.exit_code == 1
    assert "was made with another taxonomy, job or reading options" in refused.stderr
    assert "--force" in refused.stderr
    assert out.read_bytes() == before
    forced = _run([*args, "--force"])
    assert forced.exit_code == 0
    old_run = json.loads(before)["run"]
    kept = tmp_path / f"ranking.run-{old_run[:8]}.json"
    assert f"kept it as {kept}" in forced.stderr
    assert kept.read_bytes() == before
    assert json.loads(out.read_text())["summary"]["resumed"] == 0


def test_resume_needs_out(cvs: Path) -> None:
    result = CliRunner().invoke(cli, ["batch", str(cvs), "--job", JOB, "--resume"])
    assert result.exit_code == 2
    assert "--resume needs --out FILE" in result.output


def test_jsonl_to_stdout(cvs: Path) -> None:
    result = _run(["batch", str(cvs), "--job", JOB, "--format", "jsonl"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 10
    assert all(line["status"] == "ok" and line["rank"] is None for line in lines)


def test_several_jobs_give_rankings_and_a_matrix(cvs: Path, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    shutil.copy(JOB, jobs / "ml.txt")
    shutil.copy(JOB_FRONTEND, jobs / "frontend.txt")
    result = _run(["batch", str(cvs), "--job", str(jobs), "--format", "json"])
    data = json.loads(result.stdout)
    assert [j["job"] for j in data["jobs"]] == [str(jobs / "frontend.txt"), str(jobs / "ml.txt")]
    assert all(len(j["results"]) == 10 for j in data["jobs"])
    matrix = {Path(m["file"]).name: m for m in data["matrix"]["rows"]}
    assert matrix["cv-ml-engineer.pdf"]["best_job"] == str(jobs / "ml.txt")
    assert matrix["cv-frontend-developer.docx"]["best_job"] == str(jobs / "frontend.txt")
    assert set(matrix["cv-ml-engineer.pdf"]["scores"]) == set(data["matrix"]["jobs"])
    table = _run(["batch", str(cvs), "--job", JOB, "--job", JOB_FRONTEND, "--format", "csv"])
    reader = csv.DictReader(io.StringIO(table.stdout))
    assert reader.fieldnames is not None
    assert {JOB, JOB_FRONTEND} <= set(reader.fieldnames)
    assert len(list(reader)) == 10


def test_a_job_inside_the_folder_is_not_ranked(tmp_path: Path) -> None:
    folder = _cv_folder(tmp_path)
    job = folder / "the-job.txt"
    shutil.copy(JOB, job)
    result = rank_files([folder], job)
    assert str(job) not in {r.file for r in result.rows}
    assert (str(job), "a job description given with --job") in result.skipped


@pytest.mark.parametrize("args", [["--help"], ["batch", "--help"]])
def test_help_does_not_import_spacy(args: list[str]) -> None:
    code = (
        "import sys\nfrom skillmatch.cli import cli\n"
        f"try:\n    cli({args!r}, prog_name='skillmatch')\nexcept SystemExit:\n    pass\n"
        "assert 'spacy' not in sys.modules, 'spacy imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Usage: skillmatch" in done.stdout


def test_a_huge_file_is_an_error_row_and_the_rest_is_scored(cvs: Path) -> None:
    text = (SAMPLES / "cv-ml-engineer.txt").read_bytes()
    (cvs / "huge.txt").write_bytes(text * (40_000_000 // len(text)))  # 40 MB of CV
    args = ["batch", str(cvs), "--job", JOB, "--format", "json", "--timeout", "3"]
    result = _run([*args, "--max-memory", "400", "--workers", "2"])
    assert result.exit_code == 0
    rows = {Path(r["file"]).name: r for r in json.loads(result.stdout)["results"]}
    assert rows["huge.txt"]["status"] == "error"
    error = rows["huge.txt"]["error"]  # a time-out, the memory guard, or a parser's own limit
    assert "\n" not in error and len(error) <= 300
    assert sum(r["status"] == "ok" for r in rows.values()) == 10


def test_batch_gives_the_same_score_as_compare(cvs: Path) -> None:
    """batch scores with everything compare uses: stated years, degree, job title, the CV text."""
    from skillmatch.score.scorer import compare

    result = rank_files([cvs], JOB, workers=1)
    batch_scores = {Path(row.file).name: row.score for row in result.rows}
    samples = sorted(p for p in SAMPLES.glob("cv-*") if p.suffix in (".pdf", ".docx", ".txt"))
    assert samples
    for sample in samples:
        expected = compare(sample, JOB).score
        assert batch_scores[sample.name] == pytest.approx(expected), sample.name


# -- reading ahead while the batch starts (batch/readahead.py) ----------------------------------


def _batch_result(folder: Path, *, read_ahead: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    import skillmatch.batch.run as run_module

    with monkeypatch.context() as patch:
        if not read_ahead:
            patch.setattr(run_module, "worth_reading_ahead", lambda files: False)
        run = BatchRun([folder], JOB, workers=2)
        outcomes = list(run)
    assert len(outcomes) == run.total
    return run.result().to_dict()


def test_reading_ahead_changes_no_row(messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample CVs and the broken files score the same with the reader as without it."""
    with_reader = _batch_result(messy, read_ahead=True, monkeypatch=monkeypatch)
    without = _batch_result(messy, read_ahead=False, monkeypatch=monkeypatch)
    assert with_reader == without


@pytest.mark.corpus
def test_reading_ahead_changes_no_row_on_real_pdfs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import corpus_path

    pdfs = sorted(corpus_path().rglob("*.pdf"))[::6][:30]
    if not pdfs:
        pytest.skip("development corpus not found")
    for number, pdf in enumerate(pdfs):
        shutil.copy(pdf, tmp_path / f"{number:02d}-{pdf.name}")
    with_reader = _batch_result(tmp_path, read_ahead=True, monkeypatch=monkeypatch)
    without = _batch_result(tmp_path, read_ahead=False, monkeypatch=monkeypatch)
    assert with_reader == without


def _read_all(paths: list[str]) -> Any:
    """The documents a reader finds for ``paths`` when it is let to finish them all."""
    from skillmatch.batch.readahead import ReadAhead
    from skillmatch.read.parse import DEFAULT_READ

    reader = ReadAhead(paths, DEFAULT_READ, None)
    reader._process.join(timeout=60)  # let it reach the end of the list
    return reader.finish()


def test_a_document_read_ahead_is_the_one_a_worker_reads(cvs: Path) -> None:
    from skillmatch.batch.readahead import read_ahead_document
    from skillmatch.read.parse import DEFAULT_READ

    paths = [str(path) for path in sorted(cvs.glob("cv-*"))]
    documents = _read_all(paths)
    assert set(documents) == set(paths)
    for path in paths:
        assert read_ahead_document(documents, path) == DEFAULT_READ.load(path, kind="cv")
    assert not documents, "each document is handed out once"


def test_a_file_changed_since_it_was_read_ahead_is_read_again(cvs: Path) -> None:
    from skillmatch.batch.readahead import read_ahead_document

    path = cvs / "cv-data-analyst.txt"
    documents = _read_all([str(path)])
    with path.open("a", encoding="utf-8") as stream:
        stream.write("\nAlso: Kubernetes.\n")
    assert read_ahead_document(documents, str(path)) is None


def test_a_file_the_reader_cannot_read_is_left_to_the_workers(messy: Path) -> None:
    broken = [str(messy / "truncated.pdf"), str(messy / "not-a-zip.docx"), str(messy / "empty.txt")]
    assert _read_all(broken) == {}


def test_the_reader_stops_at_once_and_with_a_failing_job(
    messy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    from skillmatch.batch.readahead import ReadAhead
    from skillmatch.errors import SkillmatchError
    from skillmatch.read.parse import DEFAULT_READ

    paths = [str(path) for path in sorted(messy.rglob("*")) if path.is_file()] * 40
    started = time.monotonic()
    ReadAhead(paths, DEFAULT_READ, None).finish()
    assert time.monotonic() - started < 5
    assert not [p for p in multiprocessing.active_children() if "read-ahead" in p.name]
    import skillmatch.batch.run as run_module

    monkeypatch.setattr(run_module, "worth_reading_ahead", lambda files: True)
    bad_job = tmp_path / "job.txt"
    bad_job.write_bytes(b"")
    with pytest.raises(SkillmatchError):
        BatchRun([messy], str(bad_job), workers=2)
    assert not [p for p in multiprocessing.active_children() if "read-ahead" in p.name]

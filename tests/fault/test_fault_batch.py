"""A batch stopped, killed, resumed and raced as a scheduler would: real processes and signals.

Each test reproduces one case of issue 19; the batch runs in a real process (``slow_batch.py``
slows each file down so that a signal lands mid-run) or in process (click's runner).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from skillmatch.batch.guard import lock_path, output_lock
from skillmatch.batch.output import BatchSink, load_previous
from skillmatch.batch.rows import BatchRow
from skillmatch.batch.run import BatchRun
from skillmatch.batch.worker import score_file
from skillmatch.errors import OutputError

from .conftest import JOB, JOB_FRONTEND, Batch, alive, leftovers, run_cli, wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc")


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _pairs(lines: list[dict[str, object]]) -> Counter[tuple[object, object]]:
    return Counter(
        (line["file"], line["job"]) for line in lines if line["status"] in ("ok", "error")
    )


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
)
def test_a_signal_saves_what_was_done_and_resume_finishes(
    cvs: Path, tmp_path: Path, batches: Callable[..., Batch], signum: int, code: int
) -> None:
    out = tmp_path / "ranking.json"
    args = [str(cvs), "--job", JOB, "--out", str(out), "--workers", "1"]
    # two files pass, the third waits at a gate never opened: the signal lands mid-run
    gate = {"GATE": str(tmp_path / "gate"), "GATE_AFTER": "2"}
    batch = batches(args, slow=0, CHECKPOINT_SECONDS="0", **gate)
    assert wait_until(out.exists, seconds=120)  # the first checkpoint: the run is under way
    workers = batch.wait_for_workers()
    os.kill(batch.pid, signum)
    returncode, _stdout, stderr = batch.finish()
    assert returncode == code, stderr
    assert "interrupted: wrote what was done" in stderr
    partial = json.loads(out.read_text())
    assert partial["complete"] is False
    assert partial["summary"]["not_done"] > 0
    assert wait_until(lambda: not any(alive(pid) for pid in workers))
    assert leftovers(tmp_path) == []
    done = partial["summary"]["scored"]
    second = run_cli(["batch", str(cvs), "--job", JOB, "--out", str(out), "--resume"])
    assert second.exit_code == 0
    final = json.loads(out.read_text())
    assert final["complete"] is True
    assert final["summary"]["scored"] == 6 and final["summary"]["resumed"] == done


def test_kill_9_leaves_no_worker_and_jsonl_resume_has_every_row_once(
    cvs: Path, tmp_path: Path, batches: Callable[..., Batch]
) -> None:
    out = tmp_path / "rows.jsonl"
    jobs = ["--job", JOB, "--job", JOB_FRONTEND]
    batch = batches([str(cvs), *jobs, "--out", str(out), "--workers", "2"], slow=0.4)
    workers = batch.wait_for_workers(2)
    assert wait_until(lambda: out.exists() and len(out.read_bytes()) > 0)
    os.kill(batch.pid, signal.SIGKILL)
    batch.finish()
    assert wait_until(lambda: not any(alive(pid) for pid in workers)), "orphaned workers"
    second = run_cli(["batch", str(cvs), *jobs, "--out", str(out), "--resume"])
    assert second.exit_code == 0, second.stderr
    pairs = _pairs(_jsonl(out))
    assert len(pairs) == 12 and set(pairs.values()) == {1}
    assert leftovers(tmp_path) == []


def test_two_runs_cannot_write_the_same_out(
    cvs: Path, tmp_path: Path, batches: Callable[..., Batch]
) -> None:
    out = tmp_path / "rows.jsonl"
    gate = tmp_path / "gate"  # the first run holds the lock, its files waiting, until it exists
    args = [str(cvs), "--job", JOB, "--out", str(out), "--workers", "1"]
    first = batches(args, slow=0, GATE=str(gate))
    # the lock is held once its file names the holder (written after the flock succeeded)
    assert wait_until(lambda: _holder(out) == str(first.pid), seconds=120), "no lock taken"
    second = run_cli(["batch", str(cvs), "--job", JOB, "--out", str(out)])
    assert second.exit_code == 1
    assert second.stderr == (
        f"Error: {out}: another skillmatch batch is writing this file (process {first.pid}); "
        "wait for it to finish or choose another --out\n"
    )
    assert first.process.poll() is None  # refused while the first run still held the lock
    gate.touch()
    returncode, _stdout, stderr = first.finish(timeout=300)
    assert returncode == 0, stderr
    lines = _jsonl(out)  # every line whole: nothing of the refused run mixed in
    assert len(lines) == 6 and leftovers(tmp_path) == []


def _holder(out: Path) -> str:
    """The process id written in ``out``'s lock file ("" while there is none)."""
    try:
        return lock_path(out).read_text().strip()
    except OSError:
        return ""


def crash_on_data_analyst(path: str) -> tuple[BatchRow, ...]:
    """Score a file; the worker exits abruptly on the data analyst's PDF."""
    if path.endswith("cv-data-analyst.pdf"):
        os._exit(70)
    return score_file(path)


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_a_crashed_file_is_retried_once_on_resume(cvs: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"ranking.{fmt}"

    def run(score: Callable[[str], tuple[BatchRow, ...]]) -> BatchRow:
        previous = load_previous(str(out), fmt)
        batch = BatchRun([cvs], [JOB, JOB_FRONTEND], workers=1, previous=previous, score=score)
        with BatchSink(batch, fmt, str(out), None, write=print) as sink:
            for outcome in batch:
                sink.add(outcome)
            result = sink.finish(complete=True)
        [row] = [r for r in result.rankings[1].rows if r.file.endswith("cv-data-analyst.pdf")]
        return row

    first = run(crash_on_data_analyst)
    assert first.status == "error" and first.error is not None
    assert first.error.startswith("the worker process exited with code 70")
    again = run(crash_on_data_analyst)
    assert again.error == first.error + " (failed again on --resume)"  # tried once more
    third = run(score_file)
    assert third == again  # not a third time
    if fmt == "jsonl":
        assert set(_pairs(_jsonl(out)).values()) == {1}


def test_a_stale_temp_file_of_a_killed_checkpoint_is_removed(cvs: Path, tmp_path: Path) -> None:
    out = tmp_path / "ranking.csv"
    stale = tmp_path / ".ranking.csv.k9x2ab.tmp"
    stale.write_text("rank,file\n1,Jane Doe jane@example.com\n")  # rows of a killed checkpoint
    result = run_cli(["batch", str(cvs), "--job", JOB, "--out", str(out)])
    assert result.exit_code == 0
    assert leftovers(tmp_path) == []


def test_kill_9_while_checkpointing_leaves_nothing_after_the_next_run(
    cvs: Path, tmp_path: Path, batches: Callable[..., Batch]
) -> None:
    out = tmp_path / "ranking.csv"
    args = [str(cvs), "--job", JOB, "--out", str(out), "--workers", "1"]
    batch = batches(args, slow=0.05, CHECKPOINT_SECONDS="0")  # a checkpoint after every file
    assert wait_until(out.exists)
    os.kill(batch.pid, signal.SIGKILL)  # most likely while it writes the next checkpoint
    batch.finish()
    resumed = run_cli(["batch", *args[:-2], "--resume"])
    assert resumed.exit_code == 0, resumed.stderr
    assert leftovers(tmp_path) == []
    rows = out.read_text().splitlines()[1:]
    assert len(rows) == 6


def test_the_lock_is_advisory_and_released(tmp_path: Path) -> None:
    out = tmp_path / "ranking.csv"
    with output_lock(out) as held:
        assert held.read_text() == f"{os.getpid()}\n"
        refused = pytest.raises(OutputError, match="another skillmatch batch is writing")
        with refused, output_lock(out):
            pass
    assert not held.exists()
    with output_lock(out):
        pass


def test_a_worker_killed_from_outside_is_an_error_row_and_the_batch_goes_on(
    cvs: Path, tmp_path: Path, batches: Callable[..., Batch]
) -> None:
    out = tmp_path / "rows.jsonl"
    gate = tmp_path / "gate"  # one file passes; the second waits there until the kill
    args = [str(cvs), "--job", JOB, "--out", str(out), "--workers", "1"]
    batch = batches(args, slow=0, GATE=str(gate), GATE_AFTER="1")
    assert wait_until(lambda: out.exists() and len(_jsonl(out)) >= 1, seconds=120)
    assert wait_until(lambda: len(Path(f"{gate}.count").read_bytes()) >= 2)  # at the gate
    [worker] = batch.wait_for_workers()
    os.kill(worker, signal.SIGKILL)  # the OOM killer, or an operator
    gate.touch()
    returncode, _stdout, stderr = batch.finish(timeout=300)
    assert returncode == 0, stderr
    lines = _jsonl(out)
    assert len(lines) == 6
    killed = [line for line in lines if line["status"] == "error"]
    assert len(killed) == 1
    assert str(killed[0]["error"]).startswith("the worker process was killed by SIGKILL")

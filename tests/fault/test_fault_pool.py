"""The worker pool under real faults: tasks that crash, hang or allocate, and a parent that is
killed with SIGKILL. The task functions are plain functions of this module, handed to the pool."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from skillmatch.pool import TaskFailed, WorkerPool

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc")


def crash_on_two(task: int) -> int:
    """Square a number; the worker exits abruptly on 2."""
    if task == 2:
        os._exit(70)
    return task * task


def hang_on_two(task: int) -> int:
    """Square a number; sleep for an hour on 2."""
    if task == 2:
        time.sleep(3600)
    return task * task


def hog_on_two(task: int) -> int:
    """Square a number; allocate until the memory limit stops it on 2."""
    if task == 2:
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
    return task * task


def _outcomes(function: object, **options: object) -> dict[int, object]:
    with WorkerPool(function, **options) as pool:  # type: ignore[call-overload]
        return dict(pool.run(range(5)))


def test_a_crashing_task_fails_alone_and_the_worker_is_replaced() -> None:
    with WorkerPool(crash_on_two, workers=1) as pool:
        outcomes = dict(pool.run(range(5)))
        assert pool.replaced == 1
    failed = outcomes.pop(2)
    assert isinstance(failed, TaskFailed) and failed.kind == "crash"
    assert "exited with code 70" in failed.reason
    assert outcomes == {0: 0, 1: 1, 3: 9, 4: 16}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_hanging_task_times_out(workers: int) -> None:
    started = time.monotonic()
    outcomes = _outcomes(hang_on_two, workers=workers, timeout=0.5)
    assert time.monotonic() - started < 10
    failed = outcomes.pop(2)
    assert isinstance(failed, TaskFailed) and failed.kind == "timeout"
    assert failed.reason == "took longer than 0.5 s (--timeout); skipped"
    assert outcomes == {0: 0, 1: 1, 3: 9, 4: 16}


def test_a_task_that_allocates_hits_the_memory_limit() -> None:
    outcomes = _outcomes(hog_on_two, workers=1, memory_mb=200)
    failed = outcomes.pop(2)
    assert isinstance(failed, TaskFailed) and failed.kind == "memory"
    assert failed.reason.startswith("ran out of memory (more than 200 MB")
    assert outcomes == {0: 0, 1: 1, 3: 9, 4: 16}


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition: object, seconds: float = 10.0) -> bool:
    """Poll ``condition()`` until it holds or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return bool(condition())  # type: ignore[operator]


SCRIPT = """
import sys, time
sys.path.insert(0, {here!r})
from test_fault_pool import hang_on_two
from skillmatch.pool import WorkerPool
with WorkerPool(hang_on_two, workers=3) as pool:
    for task, result in pool.run([2, 2, 2]):
        pass
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(tmp_path: Path, how: signal.Signals) -> None:
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(SCRIPT.format(here=str(Path(__file__).parent))))
    parent = subprocess.Popen([sys.executable, str(script)])
    workers: set[int] = set()
    try:
        assert wait_until(lambda: len(_children(parent.pid)) == 3)
        workers = _children(parent.pid)
        os.kill(parent.pid, how)
        parent.wait(timeout=10)
        assert wait_until(lambda: not any(_alive(pid) for pid in workers)), "orphaned workers"
    finally:
        for pid in [parent.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        parent.wait()

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

from .conftest import alive, children, wait_until

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


SCRIPT = """
import time
from skillmatch.pool import WorkerPool
def hang(task):
    time.sleep(3600)
with WorkerPool(hang, workers=3) as pool:
    for task, result in pool.run([2, 2, 2]):
        pass
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(tmp_path: Path, how: signal.Signals) -> None:
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(SCRIPT))
    parent = subprocess.Popen([sys.executable, str(script)])
    workers: set[int] = set()
    try:
        assert wait_until(lambda: len(children(parent.pid)) == 3)
        workers = children(parent.pid)
        os.kill(parent.pid, how)
        parent.wait(timeout=10)
        assert wait_until(lambda: not any(alive(pid) for pid in workers)), "orphaned workers"
    finally:
        for pid in [parent.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        parent.wait()

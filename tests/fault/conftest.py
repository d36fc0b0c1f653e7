"""Helpers of the fault suite: a folder of sample CVs, the CLI in process and in a real process
(slowed down so that a test can stop it with a signal mid-run), and the processes it leaves."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from skillmatch.cli import cli

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
JOB = str(SAMPLES / "job-ml-engineer.txt")
JOB_FRONTEND = str(SAMPLES / "job-frontend.txt")
SLOW_BATCH = Path(__file__).with_name("slow_batch.py")


#: Six sample CVs (every text one, a PDF and a DOCX): enough to stop a run half way.
CVS = (
    "cv-data-analyst.pdf",
    "cv-data-analyst.txt",
    "cv-frontend-developer.txt",
    "cv-ml-engineer.docx",
    "cv-ml-engineer.txt",
    "cv-nontechnical.txt",
)


@pytest.fixture
def cvs(tmp_path: Path) -> Path:
    """:data:`CVS`, copied to a folder of their own."""
    folder = tmp_path / "cvs"
    folder.mkdir()
    for name in CVS:
        shutil.copy(SAMPLES / name, folder / name)
    return folder


def run_cli(args: list[str], **env: str) -> Any:
    """The CLI in process; the result carries ``exit_code``, ``stdout`` and ``stderr``."""
    return CliRunner().invoke(cli, args, env=env or None, catch_exceptions=False)


class Batch:
    """``skillmatch batch`` in a real process, each file slowed (see ``slow_batch.py``)."""

    def __init__(self, args: list[str], *, slow: float = 0.3, **env: str) -> None:
        environment = {**os.environ, "SLOW_SECONDS": str(slow), **env}
        self.process = subprocess.Popen(
            [sys.executable, str(SLOW_BATCH), "batch", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            text=True,
        )
        self.workers: set[int] = set()

    @property
    def pid(self) -> int:
        """The batch's process id."""
        return self.process.pid

    def wait_for_workers(self, count: int = 1) -> set[int]:
        """Wait until the batch runs ``count`` workers; their ids."""
        assert wait_until(lambda: len(children(self.pid)) >= count), "no workers started"
        self.workers = children(self.pid)
        return self.workers

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        """Wait for the end: ``(exit code, stdout, stderr)``."""
        stdout, stderr = self.process.communicate(timeout=timeout)
        return self.process.returncode, stdout, stderr

    def kill(self) -> None:
        """SIGKILL the batch and whatever workers it still has (a test's clean-up)."""
        for pid in [self.pid, *self.workers, *children(self.pid)]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.process.communicate()


@pytest.fixture
def batches() -> Iterator[Callable[..., Batch]]:
    """Start slowed batches; any still running at the end are killed with their workers."""
    started: list[Batch] = []

    def start(args: list[str], **options: Any) -> Batch:
        batch = Batch(args, **options)
        started.append(batch)
        return batch

    yield start
    for batch in started:
        batch.kill()


def children(pid: int) -> set[int]:
    """The ids of the live child processes of ``pid`` (from ``/proc``)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition: Callable[[], object], seconds: float = 15.0) -> bool:
    """Poll ``condition()`` until it holds or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def leftovers(folder: Path) -> list[str]:
    """Temp and lock files in ``folder`` (none may outlive a run)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".lock")))

"""``skillmatch batch`` with each file's scoring slowed down, for the fault tests that stop a
running batch with real signals. Not a test module: run as ``python slow_batch.py ARGS...``.

``SLOW_SECONDS`` (default 0.3) is added to every file; a file whose path contains ``CRASH_ON``
makes its worker exit abruptly, as a crash in a C library would; ``CHECKPOINT_SECONDS`` sets how
often a JSON or CSV output is saved during the run (so a test sees that the run is under way);
``GATE`` names a file that every file's scoring waits for, after the first ``GATE_AFTER``
(default 0) files, so that a test decides when the run may go on, whatever the machine's load.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from skillmatch.batch import worker
from skillmatch.batch.output import BatchSink
from skillmatch.batch.rows import BatchRow
from skillmatch.cli import main

_score_file = worker.score_file


def slow_score_file(path: str) -> tuple[BatchRow, ...]:
    """:func:`skillmatch.batch.worker.score_file`, slower, or crashing on ``CRASH_ON``."""
    crash_on = os.environ.get("CRASH_ON")
    if crash_on and crash_on in path:
        os._exit(70)
    time.sleep(float(os.environ.get("SLOW_SECONDS", "0.3")))
    gate = os.environ.get("GATE")
    if gate and _files_scored(gate) >= int(os.environ.get("GATE_AFTER", "0")):
        _wait_for_gate(gate)
    return _score_file(path)


def _files_scored(gate: str) -> int:
    """How many files came to the gate before this one (counted in ``GATE.count`` by every
    worker process, this one included)."""
    with open(f"{gate}.count", "a+b") as count:
        count.write(b"x")
        count.flush()
        return os.fstat(count.fileno()).st_size - 1


def _wait_for_gate(gate: str, seconds: float = 300.0) -> None:
    """Wait until the file ``gate`` exists (at most ``seconds``: a test that died opens nothing)."""
    deadline = time.monotonic() + seconds
    while not Path(gate).exists() and time.monotonic() < deadline:
        time.sleep(0.02)


if __name__ == "__main__":
    worker.score_file = slow_score_file  # BatchRun looks it up when the run starts
    if "CHECKPOINT_SECONDS" in os.environ:
        BatchSink.CHECKPOINT_SECONDS = float(os.environ["CHECKPOINT_SECONDS"])
    sys.argv[0] = "skillmatch"
    main()

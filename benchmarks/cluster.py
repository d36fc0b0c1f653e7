"""Cluster benchmark: ``skillmatch batch --cluster local:2`` against the local pool
(``--workers 2``) on the same real CVs (issue 20).

Run ``python benchmarks/cluster.py [--copies 4] [--repeat 3]`` (needs ``pip install
'skillmatch[dask]'`` and the corpus; a few minutes). It copies the corpus's real rendered CVs
(``$SKILLMATCH_CORPUS/ranking/cvs``: 141 PDFs and 25 DOCX files, ``SKILLMATCH_CORPUS``
defaulting to ``<repo>/../shared/corpus``) ``--copies`` times into a temporary folder (never
into the repository), each copy made unique by a few bytes the readers ignore (a PDF comment
after the end of the file, a ZIP comment in a DOCX), so that none is a duplicate: 664 files by
default; the issue asks for at least 500.

Each command runs in its own process tree, streaming a JSON line per file
(``--format jsonl``); the runs alternate (pool, cluster, pool, cluster...) so that load from
other processes falls on both, and the median of each is reported. It reports:

* files/s after start-up (from the line at the 10% mark to the last line) and over the whole
  run, and the whole process tree's CPU per file over the same span (steady under other load);
* peak memory of the client (the ``skillmatch`` process: walking, hashing, reading the bytes it
  sends, and for ``local:N`` the scheduler and the nannies) and of the workers (every process
  below it: the pool's workers, or the Dask workers and their sandboxes), RSS and PSS;
* the client's CPU ms per file (what one client can feed: it bounds the cluster's size);
* the rows: every row of the cluster run must equal the pool's (checked, not timed).

The cluster legs: ``--cluster local:N`` as it runs by default (the workers share this
machine's storage, so only paths travel; up to 16 files a task), and with ``--send-bytes`` (the
client reads each file and sends its bytes, as it does by default for a remote scheduler);
``--chunks 4,8`` adds legs with other files-per-task.

Then, in process through the Python API (``--no-busy`` skips it), the pool and ``local:N``
score the same files with a scoring function that notes when each file starts and ends in its
sandbox: the share of the scoring window each sandbox spends scoring, and the median gap
between two files. Load from other processes slows both legs alike; a cluster that left its
sandboxes waiting (round trips between tasks, a slow client) would show as a lower share.

Target: the cluster's rate after start-up >= 0.8x the pool's (both legs are reported). The
per-worker rate (the cluster's rate after start-up / its workers) gives CVs per hour for 8, 32
and 128 workers, if each worker has a core of this machine's speed and the client and
scheduler keep up.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from batch import _children  # benchmarks/batch.py: the process tree from /proc

REPO = Path(__file__).resolve().parents[1]
JOB = REPO / "samples" / "job-ml-engineer.txt"
SKILLMATCH = [sys.executable, "-m", "skillmatch"]
MEMORY_POLL = 0.25
#: "After start-up" begins when this share (1/N) of the files have come back: by then every
#: worker runs, and a cluster's first tasks of many files are out of the way.
STARTUP_SHARE = 10
TARGET = 0.8


def corpus_cvs() -> Path:
    """``$SKILLMATCH_CORPUS/ranking/cvs`` (default ``<repo>/../shared/corpus``)."""
    corpus = Path(os.environ.get("SKILLMATCH_CORPUS", str(REPO.parent / "shared" / "corpus")))
    return corpus / "ranking" / "cvs"


def build_folder(source: Path, target: Path, copies: int) -> int:
    """``copies`` unique copies of every CV under ``source``; returns how many files."""
    files = sorted(p for p in source.rglob("*") if p.suffix in (".pdf", ".docx"))
    for copy in range(copies):
        folder = target / f"copy{copy}"
        folder.mkdir(parents=True)
        for number, path in enumerate(files):
            out = folder / f"{number:03d}-{path.name}"
            shutil.copyfile(path, out)
            if path.suffix == ".pdf":
                with out.open("ab") as stream:  # after %%EOF: readers ignore it
                    stream.write(f"\n% skillmatch benchmark copy {copy}\n".encode())
            else:
                with zipfile.ZipFile(out, "a") as archive:
                    archive.comment = f"skillmatch benchmark copy {copy}".encode()
    return len(files) * copies


# -- measuring ------------------------------------------------------------------------------------
def _rollup(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB of one process."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """CPU seconds of ``pid`` (with ``reaped``: and of its children that have ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        if reaped:
            ticks += int(fields[13]) + int(fields[14])
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _descendants(pid: int) -> list[int]:
    tree = _children()
    found, stack = [], list(tree.get(pid, []))
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(tree.get(current, []))
    return found


@dataclass(frozen=True)
class Measured:
    """One run: wall seconds, files/s after start-up, the process tree's CPU per file, peak
    MB (client RSS; workers RSS and PSS summed), the client's CPU seconds, and the JSON lines
    it printed."""

    wall: float
    steady: float
    #: CPU seconds of the whole process tree per file over the same span as ``steady``.
    tree_cpu: float
    #: CPU seconds of the client alone per file over that span (for ``local:N`` it hosts the
    #: scheduler and the nannies too): what bounds how many workers one client can feed.
    client_steady: float
    client_rss: float
    workers_rss: float
    workers_pss: float
    client_cpu: float
    lines: tuple[str, ...]


def measure(command: list[str], files: int) -> Measured:
    """Run ``command`` (a JSON line per each of ``files`` on stdout) and measure it."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    mark = max(1, files // STARTUP_SHARE)
    reader = _Reader(process, {mark, files})
    reader.start()
    ended: list[float] = []
    waiter = threading.Thread(target=lambda: (process.wait(), ended.append(time.perf_counter())))
    waiter.start()
    client = workers = workers_pss = 0
    cpu = 0.0
    while waiter.is_alive():
        client = max(client, _rollup(process.pid)[0])
        cpu = max(cpu, _cpu_seconds(process.pid))
        below = [_rollup(pid) for pid in _descendants(process.pid)]
        workers = max(workers, sum(rss for rss, _pss in below))
        workers_pss = max(workers_pss, sum(pss for _rss, pss in below))
        waiter.join(MEMORY_POLL)
    reader.join()
    if process.returncode != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{error}")
    arrivals = reader.arrivals
    span = arrivals[-1] - arrivals[mark - 1] if len(arrivals) > mark else 0.0
    steady = (len(arrivals) - mark) / span if span > 0 else 0.0
    tree = reader.cpu.get(files, 0.0) - reader.cpu.get(mark, 0.0)
    return Measured(
        ended[0] - started,
        steady,
        tree / max(1, files - mark),
        (reader.client.get(files, 0.0) - reader.client.get(mark, 0.0)) / max(1, files - mark),
        client / 1024,
        workers / 1024,
        workers_pss / 1024,
        cpu,
        tuple(reader.lines),
    )


class _Reader(threading.Thread):
    """Reads the JSON lines as they come; at the lines numbered in ``marks`` it notes the CPU
    seconds the whole process tree has used."""

    def __init__(self, process: subprocess.Popen[bytes], marks: set[int]) -> None:
        super().__init__()
        self.process, self.marks = process, marks
        self.arrivals: list[float] = []
        self.lines: list[str] = []
        self.cpu: dict[int, float] = {}
        self.client: dict[int, float] = {}

    def run(self) -> None:
        """Read to the end."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.arrivals.append(time.perf_counter())
            self.lines.append(line.decode())
            if len(self.lines) in self.marks:
                pids = [self.process.pid, *_descendants(self.process.pid)]
                self.cpu[len(self.lines)] = sum(_cpu_seconds(pid, reaped=True) for pid in pids)
                self.client[len(self.lines)] = _cpu_seconds(self.process.pid)


def _rows(measured: Measured) -> dict[str, dict[str, object]]:
    return {row["file"]: row for row in map(json.loads, measured.lines)}


def main() -> None:
    """Build the folder of real CVs, measure, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=4, help="copies of each CV [4: 664 files]")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, median kept [3]")
    parser.add_argument("--workers", type=int, default=2, help="pool workers and local:N [2]")
    parser.add_argument("--chunks", default="", help="more legs: files per task, e.g. 4,8")
    parser.add_argument(
        "--no-busy", dest="busy", action="store_false", help="skip the sandbox busy-share runs"
    )
    args = parser.parse_args()
    source = corpus_cvs()
    if not source.is_dir():
        raise SystemExit(f"the corpus is not at {source} (set SKILLMATCH_CORPUS)")
    root = Path(tempfile.mkdtemp(prefix="skillmatch-cluster-bench-"))
    try:
        files = build_folder(source, root / "cvs", args.copies)
        run(root / "cvs", files, args)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(folder: Path, files: int, args: argparse.Namespace) -> None:
    """Measure every leg ``args.repeat`` times, alternating, and print the tables."""
    n = args.workers
    batch = [*SKILLMATCH, "batch", str(folder), "--job", str(JOB), "--format", "jsonl", "-q"]
    cluster = [*batch, "--cluster", f"local:{n}"]
    commands = {
        f"local pool, --workers {n}": [*batch, "--workers", str(n)],
        f"--cluster local:{n} (shared storage: paths travel)": cluster,
        f"--cluster local:{n} --send-bytes": [*cluster, "--send-bytes"],
    }
    for chunk in filter(None, args.chunks.split(",")):
        commands[f"--cluster local:{n} --cluster-chunk {chunk}"] = [
            *cluster,
            "--cluster-chunk",
            chunk,
        ]
    runs: dict[str, list[Measured]] = {label: [] for label in commands}
    for round_ in range(args.repeat):
        for label, command in commands.items():
            m = measure(command, files)
            runs[label].append(m)
            print(f"round {round_ + 1}: {label}: {m.steady:.1f} files/s after start-up, "
                  f"{files / m.wall:.1f} whole run, {1000 * m.tree_cpu:.1f} CPU ms/file",
                  file=sys.stderr)  # fmt: skip
    report(runs, files, args)
    if args.busy:
        busy(folder, files, n)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def report(runs: dict[str, list[Measured]], files: int, args: argparse.Namespace) -> None:
    """The tables: medians of the runs, the pool's row first."""
    n = args.workers
    pool_label = next(iter(runs))
    pool_rate = _median([m.steady for m in runs[pool_label]])
    pool_cpu = _median([m.tree_cpu for m in runs[pool_label]])
    expected = _rows(runs[pool_label][0])
    print(f"\n{files} real CVs (the ranking corpus's {files // args.copies} x {args.copies}), "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
          f"{os.getloadavg()[0]:.1f} at the end; median of {args.repeat} runs each "
          "(runs alternate)\n")  # fmt: skip
    print("| what | files/s after start-up (runs) | x pool | tree CPU ms/file | x pool by CPU | "
          "files/s whole run | client peak RSS MB | workers peak RSS MB | workers peak PSS MB "
          "| client CPU ms/file (after start-up) | rows = pool's |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    ratios: dict[str, tuple[float, float]] = {}
    for label, measured in runs.items():
        rate = _median([m.steady for m in measured])
        cpu = _median([m.tree_cpu for m in measured])
        ratios[label] = (rate / pool_rate, pool_cpu / cpu if cpu else 0.0)
        same = all(_rows(m) == expected for m in measured) and len(expected) == files
        each = ", ".join(f"{m.steady:.1f}" for m in measured)
        print(f"| {label} | {rate:.1f} ({each}) | {ratios[label][0]:.2f} | {1000 * cpu:.1f} | "
              f"{ratios[label][1]:.2f} | {_median([files / m.wall for m in measured]):.1f} | "
              f"{max(m.client_rss for m in measured):.0f} | "
              f"{max(m.workers_rss for m in measured):.0f} | "
              f"{max(m.workers_pss for m in measured):.0f} | "
              f"{_median([1000 * m.client_cpu / files for m in measured]):.2f} "
              f"({_median([1000 * m.client_steady for m in measured]):.2f}) | "
              f"{'yes' if same else 'NO'} |")  # fmt: skip
    legs = list(runs)[1:3]
    per_worker = _median([m.steady for m in runs[legs[0]]]) / n
    print(f"\nper worker ({legs[0]}): {per_worker:.1f} CVs/s = {per_worker * 3600:,.0f} CVs/hour")
    client = _median([m.client_steady for m in runs[legs[0]]])
    if client:
        print(f"one client core feeds ~{1 / client:.0f} files/s after start-up "
              f"(~{1 / client / per_worker:.0f} workers at that rate)")  # fmt: skip
    print("\n| workers | CVs/hour (per-worker rate x workers) |")
    print("| ---: | ---: |")
    for workers in (8, 32, 128):
        print(f"| {workers} | {per_worker * workers * 3600:,.0f} |")
    print("\n| target | met | measured (files/s; by CPU) |\n| --- | --- | --- |")
    for label in legs:
        by_rate, by_cpu = ratios[label]
        met = "yes" if by_rate >= TARGET else "NO"
        print(f"| {label} >= {TARGET}x the local pool after start-up | {met} | "
              f"{by_rate:.2f}x; {by_cpu:.2f}x |")  # fmt: skip


#: Where :func:`timed_score` notes each file's start and end (one line per file).
SPANS = Path(tempfile.gettempdir()) / f"skillmatch-cluster-bench-{os.getpid()}.spans"


def timed_score(path: str, data: bytes | None = None) -> tuple[object, ...]:
    """:func:`skillmatch.batch.worker.score_file`, noting when it started and ended and in
    which process (pickled by value to the Dask workers: this module is ``__main__``)."""
    from skillmatch.batch.worker import score_file

    started = time.monotonic()
    rows = score_file(path) if data is None else score_file(path, data)
    with open(SPANS, "a", encoding="ascii") as spans:
        spans.write(f"{os.getpid()} {started} {time.monotonic()}\n")
    return rows


def busy(folder: Path, files: int, n: int) -> None:
    """In process, with the Python API: how much of the time between its first file and its
    last each sandbox spends scoring, pool against cluster (load from other processes slows
    both, but a cluster that left its sandboxes waiting for work would show here)."""
    from skillmatch.api import cluster_dispatch
    from skillmatch.batch.run import BatchRun

    print(f"\n| {files} files, in process | scoring window s | files/s in it | sandboxes "
          "busy | median gap between files ms |\n| --- | ---: | ---: | --- | ---: |")  # fmt: skip
    legs = {f"local pool, {n} workers": None, f"local:{n}": cluster_dispatch(f"local:{n}")}
    for label, dispatch in legs.items():
        SPANS.unlink(missing_ok=True)
        run = BatchRun([folder], JOB, workers=n, score=timed_score, dispatch=dispatch)
        for _outcome in run:
            pass
        spans: dict[str, list[tuple[float, float]]] = {}
        for line in SPANS.read_text(encoding="ascii").splitlines():
            pid, start, end = line.split()
            spans.setdefault(pid, []).append((float(start), float(end)))
        SPANS.unlink()
        first = min(a for each in spans.values() for a, _b in each)
        last = max(b for each in spans.values() for _a, b in each)
        shares, gaps = [], []
        for each in spans.values():
            each.sort()
            shares.append(sum(b - a for a, b in each) / (each[-1][1] - each[0][0]))
            gaps.extend(each[i + 1][0] - each[i][1] for i in range(len(each) - 1))
        share = ", ".join(f"{value:.0%}" for value in sorted(shares))
        print(f"| {label} | {last - first:.1f} | {files / (last - first):.1f} | {share} | "
              f"{1000 * statistics.median(gaps):.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()

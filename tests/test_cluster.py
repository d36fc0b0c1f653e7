"""The batch on a Dask cluster (``skillmatch batch --cluster``): the same rows as the local pool,
the same guarantees (limits, crashes, Ctrl-C, resume), a killed worker, and nothing of a CV in
the cluster's logs.

One real local cluster (two worker processes with nannies, as ``dask worker`` starts them) serves
the module through its ``tcp://`` address; a few tests start their own with ``--cluster
local:2``. Faults come from the scoring functions below, passed in as ``BatchRun(score=...)``:
the worker plugin carries them to the sandboxes (this module is pickled by value, so the
workers need not import it).
"""

from __future__ import annotations

import json
import logging
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

from fault.conftest import alive, wait_until  # the fault suite's helpers (tests/fault)
from skillmatch.batch.output import BatchSink
from skillmatch.batch.rows import BatchRow
from skillmatch.batch.run import BatchRun
from skillmatch.batch.worker import score_file
from skillmatch.cli import cli

distributed = pytest.importorskip("distributed")
cloudpickle = pytest.importorskip("cloudpickle")

from skillmatch.batch.cluster import (  # noqa: E402 (only with Dask installed)
    LOCAL_CONFIG,
    ClusterDispatcher,
    ClusterOptions,
    ScoringPlugin,
    WithholdText,
    dispatcher,
)

cloudpickle.register_pickle_by_value(sys.modules[__name__])

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
JOB = str(SAMPLES / "job-ml-engineer.txt")
CV = str(SAMPLES / "cv-ml-engineer.txt")
#: A phrase only the test's CVs hold: it must never reach a log.
MARKER = "Quokkaform Zebulon-Prism"

Score = Callable[..., tuple[BatchRow, ...]]


def faulty(path: str, data: bytes | None = None) -> tuple[BatchRow, ...]:
    """Score a file, or fail on it as its name says: the sandbox crashes (``crash-me``), hangs
    (``hang-me``), allocates without end (``hog-me``) or kills its Dask worker (``kill-me``)."""
    name = os.path.basename(path)
    if name.startswith("crash-me"):
        os._exit(70)
    if name.startswith("hang-me"):
        time.sleep(3600)
    if name.startswith("hog-me"):
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
    if name.startswith("kill-me"):
        os.kill(os.getppid(), signal.SIGKILL)  # the sandbox's parent is the Dask worker
        time.sleep(3600)
    return score_file(path, data)


def _cluster(workers: int, **kwargs: Any) -> Any:
    """A local cluster of ``workers`` processes with the settings ``local:N`` uses."""
    import dask

    with dask.config.set(LOCAL_CONFIG):
        return distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.CRITICAL,
            **kwargs,
        )


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """A local cluster of two worker processes, reached as a remote one is."""
    with _cluster(2) as cluster:
        yield cluster.scheduler_address


def _cv(name: str, skills: str) -> str:
    return f"{name}\nData scientist. {MARKER}.\n\nSkills\n{skills}\n"


def _folder(root: Path, count: int = 6) -> Path:
    """Text CVs of varied skills, samples, a broken PDF, a duplicate and skipped files."""
    folder = root / "applications"
    (folder / "sub").mkdir(parents=True)
    skills = ["Python, SQL, statistics", "PyTorch, TensorFlow, linear algebra", "Excel, teamwork"]
    for number in range(count):
        text = _cv(f"Applicant {number}", skills[number % len(skills)] + f", tool{number}")
        (folder / f"cv-{number:03d}.txt").write_text(text)
    for sample in ("cv-ml-engineer.pdf", "cv-frontend-developer.docx"):
        shutil.copy(SAMPLES / sample, folder / sample)
    pdf = (SAMPLES / "cv-ml-engineer.pdf").read_bytes()
    (folder / "broken.pdf").write_bytes(pdf[: len(pdf) // 10])
    (folder / "sub" / "copy.pdf").write_bytes(pdf)
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 legacy word")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return folder


def _local(folder: Path | list[Path], **kwargs: Any) -> dict[str, Any]:
    folders = folder if isinstance(folder, list) else [folder]
    run = BatchRun(folders, JOB, workers=2, **kwargs)
    for _outcome in run:
        pass
    return run.result().to_dict()


def _clustered(
    folder: Path | list[Path], address: str, *, shared: bool | None = None, **kwargs: Any
) -> tuple[dict[str, Any], list[Any]]:
    folders = folder if isinstance(folder, list) else [folder]
    options = ClusterOptions(address, shared_storage=shared, chunk=kwargs.pop("chunk", 32))
    run = BatchRun(folders, JOB, dispatch=dispatcher(options), **kwargs)
    outcomes = list(run)
    return run.result().to_dict(), outcomes


@pytest.mark.parametrize("shared", [False, True], ids=["bytes", "paths"])
def test_the_same_rows_as_a_local_run_on_the_samples(address: str, shared: bool) -> None:
    result, outcomes = _clustered(SAMPLES, address, shared=shared)
    assert result == _local(SAMPLES)
    assert result["summary"]["files"] == len(outcomes) >= 9


@pytest.mark.corpus
def test_the_same_rows_as_a_local_run_on_real_cvs(address: str, corpus: Path) -> None:
    """Real CVs of the corpus (the ranking corpus's PDF and DOCX files, the template PDFs and
    their skipped sources), sent as bytes: every row the pool's."""
    folders = sorted(p for p in (corpus / "ranking" / "cvs").iterdir() if p.is_dir())[:4]
    folders += [corpus / "pdfs"] if (corpus / "pdfs").is_dir() else []
    if not folders:
        pytest.skip("no CVs in the corpus")
    result, outcomes = _clustered(folders, address, shared=False)
    assert result == _local(folders)
    assert len(outcomes) >= 10


def test_errors_crashes_timeouts_memory_duplicates_and_skipped_as_locally(
    address: str, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    for name in ("crash-me", "hang-me", "hog-me"):
        (folder / f"{name}.txt").write_text(_cv(name, "Python"))
    limits = {"timeout": 3, "max_memory": 300, "score": faulty}
    result, _outcomes = _clustered(folder, address, **limits)
    assert result == _local(folder, **limits)
    rows = {Path(r["file"]).name: r for r in result["results"]}
    assert rows["crash-me.txt"]["code"] == "damaged"  # the sandbox died, not the Dask worker
    assert rows["hang-me.txt"]["code"] == "timeout"
    assert rows["hog-me.txt"]["code"] == "memory"
    assert rows["broken.pdf"]["status"] == rows["old.doc"]["status"] == "error"
    assert [Path(d["file"]).name for d in result["duplicates"]] == ["copy.pdf"]
    assert [Path(s["file"]).name for s in result["skipped"]] == [".DS_Store"]
    assert result["summary"]["scored"] == 8


def test_a_file_that_kills_its_worker_is_an_error_row_after_one_retry(
    address: str, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, count=3)
    (folder / "kill-me.txt").write_text(_cv("Killer", "Python"))
    result, outcomes = _clustered(folder, address, score=faulty, chunk=3)
    rows = {Path(r["file"]).name: r for r in result["results"]}
    assert rows["kill-me.txt"]["status"] == "error"
    assert rows["kill-me.txt"]["code"] == "damaged"
    assert rows["kill-me.txt"]["error"].startswith("2 Dask worker processes died")
    # the files that shared its task were scored alone, as locally
    expected = _local(folder)
    for row in expected["results"]:
        if Path(row["file"]).name != "kill-me.txt":
            found = next(r for r in result["results"] if r["file"] == row["file"])
            assert {**found, "rank": None} == {**row, "rank": None}
    assert result["summary"]["scored"] == 5
    assert len({o.file for o in outcomes}) == len(outcomes)


def test_a_worker_killed_mid_run_has_its_files_done_by_others(address: str, tmp_path: Path) -> None:
    folder = _folder(tmp_path, count=40)
    options = ClusterOptions(address, shared_storage=False, chunk=2)
    dispatchers: list[ClusterDispatcher] = []

    def dispatch(run: BatchRun) -> ClusterDispatcher:
        dispatchers.append(ClusterDispatcher(run, options))
        return dispatchers[-1]

    run = BatchRun([folder], JOB, dispatch=dispatch)
    outcomes = []
    killed_at = None
    for outcome in run:
        outcomes.append(outcome)
        if killed_at is None and len(outcomes) == 3:
            client = dispatchers[0].client
            assert client is not None
            pids = client.run(os.getpid)
            os.kill(sorted(pids.values())[0], signal.SIGKILL)
            killed_at = len(outcomes)
    assert killed_at is not None and killed_at < run.total - 10
    assert len({o.file for o in outcomes}) == len(outcomes)  # nothing twice
    assert run.result().to_dict() == _local(folder)  # nothing lost, nothing different


def test_files_in_flight_are_bounded(address: str, tmp_path: Path) -> None:
    """However many files the folder holds, at most ``in_flight`` tasks of ``chunk`` files are
    on the cluster at a time (what keeps the client's and the scheduler's memory flat)."""
    folder = _folder(tmp_path, count=12)
    options = ClusterOptions(address, shared_storage=False, in_flight=2, chunk=2)
    run = BatchRun([folder], JOB, dispatch=dispatcher(options))
    seen = []
    with distributed.Client(address) as client:
        for _outcome in run:
            seen.append(
                client.run_on_scheduler(
                    lambda dask_scheduler: sum(
                        str(key).startswith("skillmatch-") for key in dask_scheduler.tasks
                    )
                )
            )
    assert max(seen) <= 2
    assert run.result().to_dict() == _local(folder)


def test_rank_files_on_a_cluster(address: str) -> None:
    from skillmatch.api import rank_files

    assert rank_files([SAMPLES], JOB, cluster=address) == rank_files([SAMPLES], JOB, workers=2)


def test_cli_local_cluster_gives_the_local_rows() -> None:
    args = ["batch", str(SAMPLES), "--job", JOB, "--format", "json"]
    clustered = CliRunner().invoke(cli, [*args, "--cluster", "local:2", "--send-bytes"])
    assert clustered.exit_code == 0, clustered.output
    local = CliRunner().invoke(cli, args)
    assert clustered.stdout == local.stdout


def test_cli_ctrl_c_cancels_the_futures_and_resume_finishes(
    address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, count=20)
    out = tmp_path / "rows.jsonl"
    args = ["batch", str(folder), "--job", JOB, "--cluster", address, "--out", str(out)]
    add = BatchSink.add
    added: list[object] = []

    def interrupted(sink: BatchSink, outcome: Any) -> None:
        add(sink, outcome)
        added.append(outcome)
        if len(added) == 3:
            raise KeyboardInterrupt  # as Ctrl-C would, while the cluster holds tasks

    monkeypatch.setattr(BatchSink, "add", interrupted)
    first = CliRunner().invoke(cli, [*args, "--cluster-chunk", "1"])
    assert first.exit_code == 130, first.output
    assert "interrupted: wrote what was done" in first.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["status"] for line in lines[:1]] == ["skipped"]  # .DS_Store
    assert len(lines) == 1 + 3
    with distributed.Client(address) as client:
        left = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
    assert left == 0  # cancelled, not left to run
    monkeypatch.setattr(BatchSink, "add", add)
    second = CliRunner().invoke(cli, [*args, "--resume"])
    assert second.exit_code == 0, second.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    files = [line["file"] for line in lines]
    assert len(files) == len(set(files)) == 1 + 25
    rows = {r["file"]: r for r in _local(folder)["results"]}
    for line in lines:
        if line["status"] in ("ok", "error"):
            expected = {**rows[line["file"]], "rank": None}
            assert {k: line[k] for k in expected} == expected


def _descendants(pid: int) -> set[int]:
    """The live processes below ``pid`` (from ``/proc``)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc")
def test_a_real_ctrl_c_on_a_local_cluster_saves_the_rows_and_stops_every_process(
    tmp_path: Path,
) -> None:
    """Ctrl-C from a terminal reaches the whole process group: the client writes what was
    done, the workers and their sandboxes end, nothing is printed but the notice."""
    folder = _folder(tmp_path, count=6)
    out = tmp_path / "rows.jsonl"
    slow = Path(__file__).parent / "fault" / "slow_batch.py"
    args = ["batch", str(folder), "--job", JOB, "--out", str(out), "--cluster", "local:2"]
    process = subprocess.Popen(
        [sys.executable, str(slow), *args],
        env={**os.environ, "SLOW_SECONDS": "0.5"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if out.exists() and len(out.read_text().splitlines()) >= 3:  # skipped + 2 rows
                break
            time.sleep(0.05)
        below = _descendants(process.pid)
        assert len(below) >= 4  # two Dask workers, their sandboxes (and the nannies' helpers)
        os.killpg(process.pid, signal.SIGINT)
        _stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 130, stderr
    assert "interrupted: wrote what was done" in stderr
    assert "Traceback" not in stderr and MARKER not in stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert 3 <= len(lines) < 1 + 11
    wait_until(lambda: not any(alive(pid) for pid in below), seconds=20)
    assert not [pid for pid in below if alive(pid)]


def test_nothing_of_a_cv_reaches_the_cluster_logs(address: str, tmp_path: Path) -> None:
    folder = _folder(tmp_path, count=3)
    (folder / "crash-me.txt").write_text(_cv("Crash", "Python"))
    _clustered(folder, address, score=faulty)
    with distributed.Client(address) as client:
        # a worker that logs a file's bytes or text (as Dask does with a failed task's
        # arguments) writes neither
        client.run(_log_a_cv, MARKER)
        logs = json.dumps([client.get_scheduler_logs(n=10_000), client.get_worker_logs(n=10_000)])
        keys = client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes))
    assert "a worker logged" in logs  # the records are kept, without their text
    assert MARKER not in logs and "Applicant" not in logs
    assert not [key for key in keys if "cv-" in key or "applications" in key]


def _log_a_cv(marker: str) -> None:
    text = f"Applicant 1\n{marker}\n" + "Python, SQL\n" * 40
    log = logging.getLogger("distributed.worker")
    log.error("a worker logged %s and %r", text.encode(), (text,))
    log.error("a worker logged this: " + text * 4)
    try:
        raise ValueError(text)
    except ValueError:
        log.exception("a worker logged a failure")


def test_withhold_text_keeps_short_arguments() -> None:
    record = logging.LogRecord("distributed", logging.INFO, "", 0, "%s of %s", ("7", b"x"), None)
    WithholdText().filter(record)
    assert record.getMessage() == "7 of <bytes withheld>"


def test_without_cluster_dask_is_not_imported() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from skillmatch.cli import cli; "
        f"r = CliRunner().invoke(cli, ['batch', {CV!r}, '--job', {JOB!r}, "
        "'--format', 'json', '--workers', '1']); assert r.exit_code == 0, r.output; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_dask_installed_cluster_is_a_one_line_error() -> None:
    code = (
        "import sys; sys.modules['distributed'] = None; from click.testing import CliRunner; "
        "from skillmatch.cli import cli; "
        f"r = CliRunner().invoke(cli, ['batch', {CV!r}, '--job', {JOB!r}, '--cluster', "
        "'local:2']); print(r.exit_code, r.output, end='')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout == "1 Error: --cluster needs Dask: pip install 'skillmatch[dask]'\n"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--cluster", "somewhere"], "expected tcp://HOST:PORT"),
        (["--cluster", "local:0"], "expected tcp://HOST:PORT"),
        (["--shared-storage"], "--cluster-tls and --cluster-chunk need --cluster"),
        (["--cluster", "local:2", "--workers", "2"], "with --cluster use local:N"),
    ],
)
def test_cluster_usage_errors(extra: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["batch", str(SAMPLES), "--job", JOB, *extra])
    assert result.exit_code == 2
    assert message in result.output


class BrokenPlugin(ScoringPlugin):
    """A worker set-up that fails (as on a worker whose skillmatch cannot load the jobs)."""

    def setup(self, worker: Any) -> None:
        raise RuntimeError(MARKER)


def test_workers_that_cannot_be_set_up_are_a_one_line_error(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("skillmatch.batch.cluster.ScoringPlugin", BrokenPlugin)
    result = CliRunner().invoke(cli, ["batch", str(SAMPLES), "--job", JOB, "--cluster", address])
    assert result.exit_code == 1
    assert result.output == (
        "Error: the Dask workers could not be set up for this batch (RuntimeError); check that "
        "they run this skillmatch version\n"
    )


def test_an_unreachable_scheduler_is_a_one_line_error() -> None:
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        started = time.monotonic()
        result = CliRunner().invoke(
            cli, ["batch", str(SAMPLES), "--job", JOB, "--cluster", "tcp://127.0.0.1:9"]
        )
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "Traceback" not in result.output
    assert time.monotonic() - started < 20


def test_tls_with_certificates(tmp_path: Path) -> None:
    """A tls:// cluster that accepts only certificates of its CA: --cluster-tls gets in."""
    from distributed.security import Security

    security = Security.temporary()  # a CA and a certificate signed by it, in memory
    files = {
        "ca.pem": security.tls_ca_file,
        "cert.pem": security.tls_client_cert,
        "key.pem": security.tls_client_key,
    }
    for name, pem in files.items():
        (tmp_path / name).write_text(pem)
    tls = ",".join(str(tmp_path / name) for name in files)
    args = ["batch", CV, "--job", JOB, "--format", "json"]
    cluster = _cluster(1, protocol="tls://", security=security)
    with cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://")
        result = CliRunner().invoke(cli, [*args, "--cluster", address, "--cluster-tls", tls])
        assert result.exit_code == 0, result.output
        refused = CliRunner().invoke(cli, [*args, "--cluster", address])
    assert result.stdout == CliRunner().invoke(cli, args).stdout
    assert refused.exit_code == 1
    assert (
        refused.output
        == f"Error: {address}: give the certificates with --cluster-tls CA,CERT,KEY\n"
    )

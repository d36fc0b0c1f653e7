"""Privacy: no network access during a full run, and no CV text in what skillmatch prints
besides the report itself.

The network check runs the real CLI in a subprocess whose ``sitecustomize`` installs an audit
hook (PEP 578) that records every DNS lookup and every connection to an internet address, in
the parent and in the forked batch workers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

AUDIT_HOOK = """
import os, socket, sys

_LOG = os.environ["SKILLMATCH_NETWORK_LOG"]
_LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
            "socket.gethostbyaddr", "http.client.connect", "urllib.Request"}

def _record(event, args):
    if event in _LOOKUPS or (
        event in ("socket.connect", "socket.sendto", "socket.sendmsg")
        and getattr(args[0], "family", None) in (socket.AF_INET, socket.AF_INET6)
    ):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {event} {args[1:]!r}\\n")

sys.addaudithook(_record)
"""


@pytest.fixture
def watched(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose Python processes log network attempts, and the log's path."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    log = tmp_path / "network.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hook), env.get("PYTHONPATH")]))
    env["SKILLMATCH_NETWORK_LOG"] = str(log)
    env["HOME"] = str(tmp_path)  # a cold taxonomy cache: the first run builds it too
    return env, log


def _skillmatch(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skillmatch", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_audit_hook_sees_a_connection(watched: tuple[dict[str, str], Path]) -> None:
    # the control: without it, the test below could pass because the hook never ran
    env, log = watched
    probe = (
        "import socket\ntry:\n socket.create_connection(('127.0.0.1', 9), 1)\n"
        "except OSError:\n pass"
    )
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, timeout=60)
    assert "socket.connect" in log.read_text(encoding="utf-8")


def test_a_full_run_makes_no_network_access(
    watched: tuple[dict[str, str], Path], samples: Path, tmp_path: Path
) -> None:
    env, log = watched
    cv, job = str(samples / "cv-ml-engineer.pdf"), str(samples / "job-ml-engineer.txt")
    runs = [
        ("score", str(samples / "cv-ml-engineer.docx"), "--format", "html"),
        ("compare", cv, "--job", job, "--format", "json", "--redact"),
        ("skills", str(samples / "cv-frontend-developer.docx"), "--explain"),
        ("batch", str(samples), "--job", job, "--workers", "2", "--out", str(tmp_path / "r.csv")),
    ]
    for args in runs:
        done = _skillmatch(env, *args)
        assert done.returncode == 0, done.stderr
    assert not log.exists(), log.read_text(encoding="utf-8")


def test_what_is_printed_besides_the_report_holds_no_cv_text(
    watched: tuple[dict[str, str], Path], samples: Path, tmp_path: Path
) -> None:
    env, _log = watched
    job = str(samples / "job-ml-engineer.txt")
    done = _skillmatch(env, "batch", str(samples), "--job", job, "--out", str(tmp_path / "r.json"))
    assert done.returncode == 0
    cv_lines = {
        line.strip()
        for cv in samples.glob("cv-*.txt")
        for line in cv.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 12
    }
    assert cv_lines  # the samples have text to look for
    leaked = [line for line in cv_lines if line in done.stderr]
    assert leaked == []

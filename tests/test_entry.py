"""The installed ``skillmatch`` command and the library's public surface.

The console script ends in a fast exit (``os._exit`` once the streams are flushed), a path the
in-process CliRunner tests never take: these tests run the real command in a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import skillmatch
from skillmatch import api
from skillmatch.cli import DEBUG_ENV, cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
COMMAND = shutil.which("skillmatch", path=os.path.dirname(sys.executable)) or shutil.which(
    "skillmatch"
)
needs_command = pytest.mark.skipif(
    COMMAND is None, reason="the skillmatch command is not installed"
)


def installed(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run the installed console script."""
    assert COMMAND is not None
    return subprocess.run(
        [COMMAND, *args], capture_output=True, text=True, check=False, timeout=120, **kwargs
    )  # type: ignore[call-overload]


@needs_command
def test_installed_command_writes_whole_output_before_its_fast_exit() -> None:
    cv, job = str(SAMPLES / "cv-ml-engineer.pdf"), str(SAMPLES / "job-ml-engineer.txt")
    done = installed("compare", cv, "--job", job, "--format", "json")
    assert done.returncode == 0, done.stderr
    in_process = CliRunner().invoke(cli, ["compare", cv, "--job", job, "--format", "json"])
    assert json.loads(done.stdout) == json.loads(in_process.output)


@needs_command
def test_installed_command_exit_codes() -> None:
    missing = installed("score", str(SAMPLES / "no-such-cv.pdf"))
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: ") and missing.stderr.count("\n") == 1
    usage = installed("score")
    assert usage.returncode == 2
    assert "Traceback" not in missing.stderr + usage.stderr


@needs_command
def test_installed_command_into_a_closed_pipe_is_quiet() -> None:
    text = str(SAMPLES / "cv-ml-engineer.txt")
    done = subprocess.run(
        f"'{COMMAND}' text '{text}' | head -c 10",
        shell=True, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.stdout == (SAMPLES / "cv-ml-engineer.txt").read_text(encoding="utf-8")[:10]
    assert "Traceback" not in done.stderr


def _broken_compare(*_args: object, **_kwargs: object) -> object:
    raise RuntimeError("a bug, with words from a CV in its message")


def test_an_unexpected_error_is_one_line_without_the_debug_switch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(api, "compare", _broken_compare)
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    cv, job = str(SAMPLES / "cv-ml-engineer.txt"), str(SAMPLES / "job-ml-engineer.txt")
    result = CliRunner().invoke(cli, ["compare", cv, "--job", job])
    assert result.exit_code == 1
    assert "unexpected RuntimeError" in result.output and DEBUG_ENV in result.output
    assert "words from a CV" not in result.output  # an exception's text may quote the document


def test_the_debug_switch_lets_the_traceback_through(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "compare", _broken_compare)
    monkeypatch.setenv(DEBUG_ENV, "1")
    cv, job = str(SAMPLES / "cv-ml-engineer.txt"), str(SAMPLES / "job-ml-engineer.txt")
    result = CliRunner().invoke(cli, ["compare", cv, "--job", job])
    assert isinstance(result.exception, RuntimeError)


def test_every_public_name_is_importable_and_documented() -> None:
    for name in skillmatch.__all__:
        value = getattr(skillmatch, name)
        assert value.__doc__, name
    assert (Path(skillmatch.__file__).parent / "py.typed").exists()


def test_api_compare_with_the_cli_options_gives_the_cli_result() -> None:
    cv, job = SAMPLES / "cv-ml-engineer.pdf", SAMPLES / "job-ml-engineer.txt"
    report = skillmatch.compare(cv, job, options=skillmatch.ReadOptions(redact=True))
    result = CliRunner().invoke(
        cli, ["compare", str(cv), "--job", str(job), "--redact", "--format", "json"]
    )
    assert json.loads(result.output) == json.loads(json.dumps(report.to_dict()))


def test_api_takes_a_taxonomy_as_a_path_or_loaded() -> None:
    cv = SAMPLES / "cv-data-analyst.txt"
    loaded = skillmatch.load_taxonomy()
    by_path = skillmatch.extract_skills(cv, taxonomy=str(skillmatch.load_taxonomy().origin))
    assert by_path == skillmatch.extract_skills(cv, taxonomy=loaded, isolate=False)

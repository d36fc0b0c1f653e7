"""The README's promises: two one-line set-up commands, and CI runs the test one exactly."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import REPO


def setup_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(?:bash|sh|console)?\n(.+?)\n```", section)


def test_the_readme_has_exactly_two_one_line_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "pip install ." in commands[0] and "skillmatch compare samples/" in commands[0]
    assert "pytest" in commands[1] and "[dev]" in commands[1]


def test_ci_runs_the_readme_test_command_exactly() -> None:
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert setup_commands()[1] in ci_lines


def test_the_samples_the_readme_uses_exist() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in set(re.findall(r"samples/[\w.-]+\.\w+", readme)):
        assert (REPO / path).exists(), path


def _table(heading: str, first_column: str) -> dict[str, str]:
    """The rows ``{first cell: second cell}`` of the README table headed by ``first_column``
    in the section ``heading``."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    table = section.split(f"| {first_column} |", 1)[1].split("\n\n", 1)[0]
    rows = [line.split("|")[1:3] for line in table.splitlines()[2:]]
    return {key.strip().strip("`"): value.strip() for key, value in rows}


def test_the_limits_table_gives_the_real_defaults() -> None:
    from skillmatch.limits import DEFAULT_LIMITS, with_limit

    documented = _table("Limits and security", "limit")
    assert documented.keys() == DEFAULT_LIMITS.to_dict().keys()
    for name, default in documented.items():
        value = default.split()[0].replace(",", "")
        assert with_limit(DEFAULT_LIMITS, f"{name}={value}") == DEFAULT_LIMITS, name


def test_the_error_codes_table_lists_every_code() -> None:
    from skillmatch.errors import ERROR_CODES

    assert _table("Limits and security", "code") == ERROR_CODES


def test_the_python_example_prints_what_the_readme_shows() -> None:
    """The README's Python example runs as shown, and its output is the one printed below it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## From Python", 1)[1].split("\n## ", 1)[0]
    code, shown = re.findall(r"```(?:python)?\n(.+?)```", section, flags=re.S)[:2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False,
        env={**os.environ, "SKILLMATCH_TODAY": "2026-11-01"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown

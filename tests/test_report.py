"""Report renderers: golden reports for the samples, the CLI's formats and --out, and the HTML
report rendered in a real headless Chromium when one is installed.

Regenerate the golden files after an intended change with::

    SKILLMATCH_UPDATE_GOLDEN=1 pytest tests/test_report.py

and review the diff (``git diff tests/golden/reports``) before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatch.cli import cli
from skillmatch.models import MatchReport
from skillmatch.render.html import report_html
from skillmatch.render.report import report_markdown, report_table, to_json, write_atomic
from skillmatch.score.scorer import compare, score_profile

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "reports"
AS_OF = dt.date(2026, 11, 1)
UPDATE = os.environ.get("SKILLMATCH_UPDATE_GOLDEN") == "1"
CHROMIUM = Path("/usr/bin/chromium")

#: (CV, job or None for the ml-engineer profile) pairs with a golden report.
CASES = [
    ("cv-ml-engineer", "job-ml-engineer"),
    ("cv-frontend-developer", "job-frontend"),
    ("cv-data-analyst", "job-data-analyst"),
    ("cv-nontechnical", "job-ml-engineer"),
    ("cv-ml-engineer", None),
    ("cv-data-analyst", None),
    ("cv-frontend-developer", None),
    ("cv-nontechnical", None),
]


def _report(cv: str, job: str | None) -> MatchReport:
    cwd = os.getcwd()
    os.chdir(REPO)  # sources in the report read "samples/...", as in the README
    try:
        if job is None:
            return score_profile(f"samples/{cv}.txt", as_of=AS_OF)
        return compare(f"samples/{cv}.txt", f"samples/{job}.txt", as_of=AS_OF)
    finally:
        os.chdir(cwd)


def _check_golden(path: Path, actual: str) -> None:
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"{path} is missing: run SKILLMATCH_UPDATE_GOLDEN=1 pytest {__file__}")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, actual)
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{path.name} differs from the golden report; if the change is intended, run "
        f"SKILLMATCH_UPDATE_GOLDEN=1 pytest tests/test_report.py and review the diff"
    )


@pytest.mark.parametrize(("cv", "job"), CASES, ids=[f"{c}--{j or 'profile'}" for c, j in CASES])
def test_golden_reports(cv: str, job: str | None) -> None:
    report = _report(cv, job)
    stem = f"{cv}--{job or 'profile-ml-engineer'}"
    _check_golden(GOLDEN / f"{stem}.md", report_markdown(report))
    _check_golden(GOLDEN / f"{stem}.txt", report_table(report, explain=True))


def test_json_keeps_the_contract_and_carries_a_version() -> None:
    data = json.loads(to_json(_report("cv-data-analyst", "job-data-analyst")))
    assert {"version", "cv", "job", "score", "coverage", "matched", "missing", "warnings"} <= set(
        data
    )
    assert set(data["coverage"]) >= {"technical", "mathematical", "soft"}
    for item in data["matched"] + data["missing"]:
        assert {"id", "name", "category", "required"} <= set(item)
    assert {"checks", "components", "near_misses", "extra"} <= set(data)
    assert data["job"] == "samples/job-data-analyst.txt"


def test_profile_json_names_the_profile() -> None:
    assert json.loads(to_json(_report("cv-ml-engineer", None)))["job"] == "profile:ml-engineer"


def test_table_puts_gaps_before_matches() -> None:
    text = report_table(_report("cv-nontechnical", "job-ml-engineer"))
    assert (
        text.index("Missing, required") < text.index("Missing, preferred") < text.index("Matched")
    )
    assert "Experience and education" in text


def test_explain_prints_each_component_and_the_arithmetic() -> None:
    report = _report("cv-data-analyst", "job-ml-engineer")
    text = report_table(report, explain=True)
    for component in report.components:
        assert component.explanation in text
    assert re.search(r"^score = 100 x \(0\.5 x ", text, re.MULTILINE)
    assert f"= {report.score:.1f}" in text


# --- HTML ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html() -> str:
    return report_html(_report("cv-data-analyst", "job-ml-engineer"))


def test_html_is_self_contained(html: str) -> None:
    assert not re.search(r"(?:src|href)\s*=", html, re.IGNORECASE)
    assert "http://" not in html and "https://" not in html
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "<style>" in html and "<script>" in html
    assert "default-src 'none'" in html


def test_html_has_bars_gaps_and_evidence_on_hover(html: str) -> None:
    assert html.count('class="bar"') == 6
    assert 'id="gaps"' in html and 'class="required"' in html
    assert re.search(r'<tr class="req" title="[^"]+Python[^"]*"', html)
    assert "<mark>Python</mark>" in html


def test_html_escapes_what_it_shows() -> None:
    report = _report("cv-ml-engineer", "job-ml-engineer")
    from dataclasses import replace

    hostile = replace(report, cv="<script>alert(1)</script>.pdf")
    page = report_html(hostile)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_html_renders_in_headless_chromium(html: str, tmp_path: Path) -> None:
    """The documented check: Chromium renders the page offline to a non-blank screenshot."""
    pil = pytest.importorskip("PIL.Image")
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "report.png"
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                f"--screenshot={shot}",
                "--window-size=1200,1600",
                page.as_uri(),
            ],
            check=False,
            capture_output=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert shot.exists() and shot.stat().st_size > 10_000
    with pil.open(shot) as image:
        rgb = image.convert("RGB")
        assert rgb.size == (1200, 1600)
        colours = rgb.getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 50  # text, bars and badges, not one flat colour
        # the score badge (orange or red or green) is drawn in the top-left card
        badge = rgb.crop((100, 40, 260, 180)).getcolors(maxcolors=1 << 16) or []
        assert any(r > 150 and g < 140 and b < 60 for _, (r, g, b) in badge)


# --- CLI -------------------------------------------------------------------------------------


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("SKILLMATCH_TODAY", AS_OF.isoformat())
    return CliRunner()


def test_cli_compare_writes_html_atomically(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        cli,
        [
            "compare",
            "samples/cv-ml-engineer.txt",
            "--job",
            "samples/job-ml-engineer.txt",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert result.stdout == ""
    assert re.fullmatch(
        rf"wrote html report to {re.escape(str(out))} \(score \d+\.\d\)\n", result.stderr
    )
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_cli_score_format_html_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["score", "samples/cv-data-analyst.txt", "--format", "html"])
    assert result.exit_code == 0
    assert "profile:ml-engineer" in result.stdout and "</html>" in result.stdout


def test_cli_out_with_format_markdown(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    args = ["score", "samples/cv-ml-engineer.txt", "--format", "markdown", "--out", str(out)]
    assert runner.invoke(cli, args).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith(
        "# samples/cv-ml-engineer.txt vs profile:ml-engineer"
    )


def test_cli_out_to_a_missing_folder_is_a_clean_error(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "report.html"
    result = runner.invoke(cli, ["score", "samples/cv-ml-engineer.txt", "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {out}: the folder ")
    assert result.stderr.strip().endswith("does not exist")
    assert "Traceback" not in result.output


def test_cli_explain_prints_components(runner: CliRunner) -> None:
    args = ["compare", "samples/cv-data-analyst.txt", "--job", "samples/job-data-analyst.txt"]
    result = runner.invoke(cli, [*args, "--format", "table", "--explain"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "CV:    samples/cv-data-analyst.txt"
    for name in ("technical", "mathematical", "soft", "role", "experience", "education"):
        assert any(line.startswith(f"  {name}") for line in lines), name
    assert any(line.startswith("score = 100 x (") for line in lines)


def test_cli_json_is_the_default_off_a_terminal(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["score", "samples/cv-ml-engineer.txt"])
    assert json.loads(result.stdout)["version"]

"""The batch shortlist (``batch --format html``): a self-contained page over real batches of
the samples, checked as text and, when Debian's chromium is installed, driven in headless
Chromium (sorting, filtering, paging, the drill-down, tabs, and no network request)."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from devtools import CHROMIUM, Browser
from skillmatch.api import rank_files
from skillmatch.batch.rows import BatchResult, Ranking, rank_rows
from skillmatch.batch.shortlist import shortlist_data, shortlist_html
from skillmatch.cli import cli

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
ML_JOB = SAMPLES / "job-ml-engineer.txt"
FRONT_JOB = SAMPLES / "job-frontend.txt"


def _cvs(folder: Path) -> Path:
    """The sample CVs (every format) in a folder of their own, without the job ads."""
    folder.mkdir(parents=True, exist_ok=True)
    for cv in SAMPLES.glob("cv-*"):
        shutil.copy(cv, folder / cv.name)
    return folder


def _data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def cvs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _cvs(tmp_path_factory.mktemp("shortlist") / "cvs")


@pytest.fixture(scope="module")
def page(cvs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``batch --format html`` over the sample CVs against two jobs (two tabs and a matrix)."""
    out = tmp_path_factory.mktemp("page") / "shortlist.html"
    result = CliRunner().invoke(
        cli, ["batch", str(cvs), "--job", str(ML_JOB), "--job", str(FRONT_JOB), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def test_page_is_self_contained(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"(?:src|href)\s*=", html, re.IGNORECASE)
    assert "http://" not in html and "https://" not in html
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html


def test_page_holds_every_candidate_with_proofs(page: Path) -> None:
    data = _data(page.read_text(encoding="utf-8"))
    assert [job["job"].rsplit("/", 1)[-1] for job in data["jobs"]] == [
        "job-ml-engineer.txt",
        "job-frontend.txt",
    ]
    ml = data["jobs"][0]
    assert len(ml["rows"]) == 10 and [r["r"] for r in ml["rows"]] == list(range(1, 11))
    best = ml["rows"][0]
    assert "cv-ml-engineer" in best["f"] and best["s"] > 90
    names = {ml["reqs"][m[0]][1]: m for m in best["m"]}
    python = names["Python"]
    sentence = best["t"][python[4]]
    assert sentence[python[5] : python[6]] == "Python"  # the mention, inside its sentence
    assert len(best["m"]) == best["nm"] and len(best["x"]) == best["nx"]
    assert len(data["matrix"]["rows"]) == 10 and len(data["matrix"]["jobs"]) == 2


def test_histogram_counts_every_score_and_marks_the_median(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    histogram = html.split('<svg class="hist"', 1)[1].split("</svg>", 1)[0]
    counts = [int(n) for n in re.findall(r": (\d+) candidates</title>", histogram)]
    scores = sorted(r["s"] for r in _data(html)["jobs"][0]["rows"])
    assert len(counts) == 10 and sum(counts) == len(scores) == 10
    assert counts[9] == sum(s >= 90 for s in scores)
    assert f"median {(scores[4] + scores[5]) / 2:.1f}" in histogram


def test_grid_shows_requirements_nobody_meets() -> None:
    cvs = [SAMPLES / "cv-frontend-developer.txt", SAMPLES / "cv-nontechnical.txt"]
    html = shortlist_html(rank_files(cvs, ML_JOB, workers=1, detail=True))
    grid = html.split('<table class="grid">', 1)[1].split("</table>", 1)[0]
    nobody = re.findall(r'<tr class="nobody"><th class="req">([^<]+?) <', grid)
    job = _data(html)["jobs"][0]
    shown = {job["reqs"][m[0]][1] for row in job["rows"] for m in row["m"]}
    assert set(nobody) == {req[1] for req in job["reqs"]} - shown
    assert "Machine learning" in nobody and shown
    assert 'class="met"' in grid and 'class="none"' in grid


def test_page_escapes_hostile_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "cvs"
    folder.mkdir()
    hostile = "<script>alert(1)<!--<b>&amp;.txt"
    shutil.copy(SAMPLES / "cv-ml-engineer.txt", folder / hostile)
    result = rank_files([folder], ML_JOB, workers=1, detail=True)
    html = shortlist_html(result)
    assert "<script>alert(1)" not in html and "<!--" not in html and "<b>" not in html
    assert _data(html)["jobs"][0]["rows"][0]["f"].endswith(hostile)


def test_redact_leaves_nothing_personal(tmp_path: Path) -> None:
    folder = tmp_path / "priya-castellan-hart"
    folder.mkdir()
    shutil.copy(SAMPLES / "cv-ml-engineer.txt", folder / "Priya Castellan-Hart.txt")
    shutil.copy(SAMPLES / "cv-ml-engineer.txt", folder / "priya-copy.txt")
    shutil.copy(SAMPLES / "cv-data-analyst.txt", folder / "tomasz-ferreira-lund.txt")
    (folder / "Priya broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "priya-notes.xyz").write_text("skip me")
    out = tmp_path / "blind.html"
    args = ["batch", str(folder), "--job", str(ML_JOB), "--out", str(out), "--redact"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    for personal in ("Priya", "Castellan", "Tomasz", "Ferreira", "example.com", "7946 0381",
                     "496 0742", "example-pch"):  # fmt: skip
        assert personal.lower() not in html.lower(), personal
    data = _data(html)
    assert data["redacted"] and len(data["duplicates"]) == 1 and len(data["jobs"][0]["errors"])
    assert data["jobs"][0]["rows"][0]["t"]  # proofs are still there, from the masked text


def test_resumed_rows_without_proofs_still_render() -> None:
    result = rank_files([SAMPLES / "cv-ml-engineer.txt"], ML_JOB, workers=1, detail=True)
    bare = replace(
        result,
        rankings=tuple(
            replace(r, rows=tuple(replace(row, detail=None) for row in r.rows))
            for r in result.rankings
        ),
    )
    data = shortlist_data(bare)
    row = data["jobs"][0]["rows"][0]
    assert "t" not in row and len(row["m"]) == row["nm"]
    assert "<table" in shortlist_html(bare)


def test_cli_html_needs_no_resume(tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    args = ["batch", str(SAMPLES), "--job", str(ML_JOB), "--out", str(out), "--resume"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "not html" in result.output


def test_format_html_to_stdout_follows_the_out_extension(tmp_path: Path) -> None:
    args = ["batch", str(SAMPLES / "cv-ml-engineer.txt"), "--job", str(ML_JOB), "--format", "html"]
    result = CliRunner().invoke(cli, [*args, "-q"])
    assert result.exit_code == 0 and result.output.startswith("<!DOCTYPE html>")


def _many(rows: int) -> BatchResult:
    """A ranking of ``rows`` candidates made from the sample CVs' real rows, renamed."""
    result = rank_files([SAMPLES], ML_JOB, workers=1, detail=True)
    base = [r for r in result.rows if r.status == "ok"]
    made = [
        replace(row, file=f"cand-{i:05d}-{Path(row.file).name}")
        for i, row in ((i, base[i % len(base)]) for i in range(rows))
    ]
    return replace(result, rankings=(Ranking(result.job, "", rank_rows(made)),), total=rows)


needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"needs Debian's chromium at {CHROMIUM}"
)

_ROWS = "Array.from(document.querySelectorAll('#rank-{j} tr.cand'))"


def _column(browser_page, what: str, j: int = 0) -> list:
    return browser_page.evaluate(f"{_ROWS.format(j=j)}.map(function (tr) {{ return {what}; }})")


@needs_chromium
def test_shortlist_works_in_headless_chromium(page: Path) -> None:
    """Sort, filter, drill down and switch tabs in a real browser; nothing from the network."""
    with Browser() as browser:
        tab = browser.open(page.as_uri())
        ranks = _column(tab, "+tr.dataset.rank")
        assert ranks == list(range(1, 11))
        # sort by score (best first), then again (lowest first)
        tab.evaluate("document.querySelector('#rank-0 th[data-key=s]').click()")
        tab.evaluate("document.querySelector('#rank-0 th[data-key=s]').click()")
        scores = _column(tab, "parseFloat(tr.cells[2].textContent)")
        assert scores == sorted(scores) and scores[0] < scores[-1]
        # sort by file name
        tab.evaluate("document.querySelector('#rank-0 th[data-key=f]').click()")
        files = _column(tab, "tr.dataset.file.toLowerCase()")
        assert files == sorted(files)
        # filter by name: typed into the box, as a user would
        tab.evaluate("document.getElementById('q-0').focus()")
        tab.command("Input.insertText", {"text": "frontend"})
        files = _column(tab, "tr.dataset.file")
        assert len(files) == 2 and all("frontend" in f for f in files)
        assert "2 of 10" in tab.evaluate("document.getElementById('count-0').textContent")
        tab.evaluate(
            "var q = document.getElementById('q-0'); q.value = '';"
            "q.dispatchEvent(new Event('input'));"
            "var m = document.getElementById('min-0'); m.value = '50';"
            "m.dispatchEvent(new Event('input'));"
        )
        assert all(s >= 50 for s in _column(tab, "parseFloat(tr.cells[2].textContent)"))
        # only the candidates who show a requirement
        tab.evaluate(
            "var m = document.getElementById('min-0'); m.value = '0';"
            "m.dispatchEvent(new Event('input'));"
            "var s = document.getElementById('req-0');"
            "s.value = Array.from(s.options).find(o => o.text === 'Python').value;"
            "s.dispatchEvent(new Event('change'));"
        )
        assert 0 < len(_column(tab, "1")) < 10
        # drill down: a real click on the first row opens the proofs and the gaps
        box = tab.evaluate(
            "(function () { var r = document.querySelector('#rank-0 tr.cand')"
            ".getBoundingClientRect(); window.scrollTo(0, 0);"
            "r = document.querySelector('#rank-0 tr.cand').getBoundingClientRect();"
            "return [r.left + 40, r.top + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            tab.command(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1},
            )
        marks = tab.evaluate(
            "Array.from(document.querySelectorAll('#rank-0 tr.drill mark')).map(m => m.textContent)"
        )
        assert "Python" in marks
        assert tab.evaluate("document.querySelectorAll('#rank-0 tr.drill ul.gaps li').length") >= 1
        # tabs: the second job, then the matrix
        tab.evaluate("document.querySelectorAll('.tab')[1].click()")
        assert tab.evaluate("document.getElementById('panel-1').hidden") is False
        assert tab.evaluate("document.getElementById('panel-0').hidden") is True
        assert len(_column(tab, "1", j=1)) == 10
        tab.evaluate("document.querySelectorAll('.tab')[2].click()")
        matrix = "document.querySelectorAll('#panel-2 table.matrix tbody tr').length"
        assert tab.evaluate(matrix) == 10
        tab.evaluate("document.querySelector('#matrix th[data-key=j1]').click()")
        column = tab.evaluate(
            "Array.from(document.querySelectorAll('#matrix tbody tr'))"
            ".map(tr => parseFloat(tr.cells[3].textContent))"
        )
        assert column == sorted(column, reverse=True) and column[0] > column[-1]
        # keyboard: Enter on a focused row opens its drill-down
        tab.evaluate("document.querySelectorAll('.tab')[1].click()")
        tab.evaluate("document.querySelector('#rank-1 tr.cand').focus()")
        for kind in ("rawKeyDown", "keyUp"):
            tab.command(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13},
            )
        assert tab.evaluate("document.querySelectorAll('#rank-1 tr.drill').length") == 1
        assert tab.errors() == []
        assert tab.requests() == [page.as_uri()]


@needs_chromium
def test_thousands_of_rows_page_in_chromium(tmp_path: Path) -> None:
    out = tmp_path / "many.html"
    out.write_text(shortlist_html(_many(1200)), encoding="utf-8")
    with Browser() as browser:
        tab = browser.open(out.as_uri())
        assert len(_column(tab, "1")) == 50  # one page drawn, not 1,200 rows
        info = tab.evaluate("document.querySelector('#pager-0 .info').textContent")
        assert "of 1200" in info and "page 1 of 24" in info
        tab.evaluate("document.querySelector('#pager-0 .next').click()")
        assert _column(tab, "+tr.dataset.rank")[:2] == [51, 52]
        assert tab.errors() == [] and tab.requests() == [out.as_uri()]


@needs_chromium
def test_the_network_check_sees_a_request(tmp_path: Path) -> None:
    """The harness would catch a page that loads something (here from a closed local port)."""
    page = tmp_path / "leaky.html"
    page.write_text('<img src="http://127.0.0.1:9/pixel.png">', encoding="utf-8")
    with Browser() as browser:
        tab = browser.open(page.as_uri())
        assert "http://127.0.0.1:9/pixel.png" in tab.requests()

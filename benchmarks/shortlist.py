"""Shortlist benchmark: time and size of ``batch --format html`` for thousands of rows, beside
the JSON and CSV outputs of the same rows (the baseline), and how the page behaves in headless
Chromium (issue 21: "fast and readable with 5,000 rows").

Run ``python benchmarks/shortlist.py [--rows 5000] [--job FILE]`` (about a minute). It scores
the development ranking corpus's CVs (``$SKILLMATCH_CORPUS/ranking/cvs``, ``SKILLMATCH_CORPUS``
defaulting to ``<repo>/../shared/corpus``) against one of its job ads, keeping each row's proof
sentences, then makes a ranking of ``--rows`` rows by repeating those real rows under new names
(every row a real CV's row, so the page holds real proof sentences). Nothing is written into the
repository; the pages go to a temporary folder.

It prints Markdown tables: rendering time (median of 3) and file size for the real batch and for
``--rows`` rows, HTML beside JSON and CSV; and, when Debian's chromium is installed, the page's
load time (navigation to the load event, the first page of 50 rows drawn), the time to sort by
score, to filter by a name and to open a drill-down, the number of table rows in the document,
and the network requests the page made (must be none but the page itself); beside it the
baseline, a plain static ``<table>`` of every row with no script.
"""

from __future__ import annotations

import argparse
import html
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the DevTools driver of the browser tests

from devtools import CHROMIUM, Browser  # noqa: E402
from skillmatch.api import rank_files  # noqa: E402
from skillmatch.batch.rows import BatchResult, Ranking, rank_rows  # noqa: E402
from skillmatch.batch.shortlist import shortlist_html  # noqa: E402
from skillmatch.render.report import to_json  # noqa: E402

DEFAULT_JOB = "train-tech-069-ai-ml-senior-associate.txt"


def corpus_dir() -> Path:
    """``$SKILLMATCH_CORPUS`` (default ``<repo>/../shared/corpus``)."""
    return Path(os.environ.get("SKILLMATCH_CORPUS", str(REPO.parent / "shared" / "corpus")))


def grown(result: BatchResult, rows: int) -> BatchResult:
    """``rows`` rows per job made by repeating the real scored rows under new names (the same
    new name for a CV in every job's ranking)."""
    files = sorted({r.file for r in result.rows if r.status == "ok"})
    picked = [files[i % len(files)] for i in range(rows)]
    names = [(f"applicants/{i:05d}-{Path(f).name}", f) for i, f in enumerate(picked)]
    rankings = []
    for ranking in result.rankings:
        by_file = {r.file: r for r in ranking.rows}
        made = [replace(by_file[original], file=name) for name, original in names]
        rankings.append(Ranking(ranking.job, ranking.job_sha256, rank_rows(made)))
    return replace(result, rankings=tuple(rankings), total=rows, duplicates=(), skipped=())


def timed(make: Callable[[], str], repeat: int = 3) -> tuple[float, str]:
    """Median seconds of ``make()`` and its last output."""
    times, out = [], ""
    for _ in range(repeat):
        started = time.perf_counter()
        out = make()
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def sizes_table(results: dict[str, BatchResult]) -> list[str]:
    """Rendering time and size of each output of each result."""
    lines = [
        "| rows | output | time (s) | size (MB) |",
        "| ---: | --- | ---: | ---: |",
    ]
    for name, result in results.items():
        outputs: dict[str, Callable[[], str]] = {
            "html (shortlist)": lambda r=result: shortlist_html(r),
            "json (baseline)": lambda r=result: to_json(r),
            "csv (baseline)": lambda r=result: r.to_csv(),
        }
        for label, make in outputs.items():
            seconds, text = timed(make)
            size = len(text.encode("utf-8"))
            lines.append(f"| {name} | {label} | {seconds:.3f} | {size / 1e6:.2f} |")
    return lines


_JS_TIME = (
    "(function () {{ var t = performance.now(); {action}; return performance.now() - t; }})()"
)


def static_table(result: BatchResult) -> str:
    """The baseline page: every row drawn up front as one plain ``<table>`` (what a simple
    exporter writes), with the matched and missing ids but no script."""
    rows = "".join(
        f"<tr><td>{r.rank}</td><td>{html.escape(r.file)}</td><td>{r.score}</td>"
        f"<td>{html.escape(', '.join(r.matched))}</td><td>{html.escape(', '.join(r.missing))}</td>"
        "</tr>"
        for r in result.rows
    )
    body = f"<table id='rank-0'><tbody>{rows}</tbody></table>"
    return f"<!DOCTYPE html><html><body>{body}</body></html>"


def browser_table(pages: dict[str, Path]) -> list[str]:
    """Load, sort, filter and drill-down times of each page in headless Chromium."""
    lines = [
        "| rows | load (s) | sort by score (ms) | filter (ms) | drill-down (ms) | "
        "rows in the DOM | requests besides the page | script errors |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, path in pages.items():
        with Browser() as browser:
            tab = browser.open("about:blank")
            load = tab.navigate(path.as_uri())  # to the load event: after the script drew
            dom_rows = tab.evaluate("document.querySelectorAll('#rank-0 tbody tr').length")
            if name.endswith("(baseline)"):
                lines.append(f"| {name} | {load:.2f} | - | - | - | {dom_rows} | - | - |")
                continue
            sort = tab.evaluate(
                _JS_TIME.format(action="document.querySelector('#rank-0 th[data-key=s]').click()")
            )
            query = (
                "var q = document.getElementById('q-0'); q.value = '00042';"
                "q.dispatchEvent(new Event('input'))"
            )
            filtering = tab.evaluate(_JS_TIME.format(action=query))
            tab.evaluate(
                "var q = document.getElementById('q-0'); q.value = '';"
                "q.dispatchEvent(new Event('input'))"
            )
            drill = tab.evaluate(
                _JS_TIME.format(action="document.querySelector('#rank-0 tr.cand').click()")
            )
            dom_rows = tab.evaluate("document.querySelectorAll('#rank-0 tbody tr').length")
            others = [url for url in tab.requests() if url != path.as_uri()]
            lines.append(
                f"| {name} | {load:.2f} | {sort:.0f} | {filtering:.0f} | {drill:.0f} | "
                f"{dom_rows} | {len(others)} | {len(tab.errors())} |"
            )
    return lines


def main() -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--job", default=DEFAULT_JOB, help="a job ad of the ranking corpus")
    parser.add_argument("--jobs", type=int, default=3, help="jobs of the several-jobs page")
    args = parser.parse_args()
    ranking = corpus_dir() / "ranking"
    if not (ranking / "cvs").is_dir():
        print(f"skipped: the ranking corpus is not at {ranking} (set SKILLMATCH_CORPUS)")
        return
    others = [p for p in sorted((ranking / "jobs").glob("*.txt")) if p.name != args.job]
    jobs = [ranking / "jobs" / args.job, *others[: args.jobs - 1]]
    started = time.perf_counter()
    several = rank_files([ranking / "cvs"], jobs, detail=True)
    scoring = time.perf_counter() - started
    print(f"Scored {len(several.rows)} corpus CVs against {len(jobs)} jobs in {scoring:.1f} s.\n")
    real = replace(several, rankings=several.rankings[:1])
    results = {
        str(len(real.rows)): real,
        str(args.rows): grown(real, args.rows),
        f"{args.rows} x {len(jobs)} jobs": grown(several, args.rows),
    }
    print("\n".join(sizes_table(results)))
    if not CHROMIUM.exists():
        print(f"\nbrowser: skipped (no chromium at {CHROMIUM})")
        return
    with tempfile.TemporaryDirectory(prefix="shortlist-bench-") as folder:
        pages = {}
        for name, result in results.items():
            pages[name] = Path(folder) / f"{name.replace(' ', '')}.html"
            pages[name].write_text(shortlist_html(result), encoding="utf-8")
            if " " in name:
                continue  # the baseline: one job's rows
            baseline = Path(folder) / f"{name}-static.html"
            baseline.write_text(static_table(result), encoding="utf-8")
            pages[f"{name} static table (baseline)"] = baseline
        print()
        print("\n".join(browser_table(pages)))


if __name__ == "__main__":
    main()

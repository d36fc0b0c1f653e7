"""The batch shortlist as one self-contained HTML page (``batch --format html``).

Inline CSS and JS, no network, no external fonts, images or scripts; it opens from disk. The
page shows, per job (one tab each): a score histogram; the ranking as a table that sorts by
any column, filters by name, minimum score, flags and a requirement, pages through thousands of
rows (the rows are drawn by the script, a page at a time, from data embedded as JSON), and
opens a drill-down per candidate with the CV sentence behind every matched requirement and the
gaps; and a requirements x candidates grid of the best ``grid_top`` that shows which
requirements nobody meets. With several jobs, a CV x job matrix tab; with ``--audit``, the bias
audit; then the files not scored (errors, duplicates, skipped).

:func:`render_shortlist` takes the plain data of :func:`skillmatch.batch.shortlist.shortlist_data`.
"""

from __future__ import annotations

import json
import statistics
from html import escape
from typing import Any

from skillmatch.render.html import _asset

#: Histogram bins: ten points wide.
BIN_WIDTH = 10


def _json_script(data: Any) -> str:
    """``data`` as JSON that cannot end the ``<script>`` element it sits in."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _histogram(scores: list[float]) -> str:
    """An inline SVG: candidates per ten-point score band."""
    counts = [0] * (100 // BIN_WIDTH)
    for score in scores:
        counts[min(int(score // BIN_WIDTH), len(counts) - 1)] += 1
    top = max(counts, default=0) or 1
    width, height, bar = 580, 150, 52
    parts = [
        f'<svg class="hist" viewBox="0 0 {width} {height + 34}" role="img" '
        f'aria-label="score histogram" width="{width}" height="{height + 34}">'
    ]
    for i, count in enumerate(counts):
        h = round(count / top * height)
        x = i * (bar + 4) + 10
        low = i * BIN_WIDTH
        parts.append(
            f'<rect x="{x}" y="{height - h}" width="{bar}" height="{h}" class="b{i}">'
            f"<title>{low}-{low + BIN_WIDTH}: {count} candidates</title></rect>"
            f'<text x="{x - 2}" y="{height + 14}" text-anchor="middle">{low}</text>'
            f'<text x="{x + bar / 2}" y="{max(height - h - 4, 10)}" text-anchor="middle" '
            f'class="n">{count or ""}</text>'
        )
    end = len(counts) * (bar + 4) + 8
    parts.append(f'<text x="{end}" y="{height + 14}" text-anchor="middle">100</text>')
    if scores:
        median = statistics.median(scores)
        at = 10 + median / BIN_WIDTH * (bar + 4)
        parts.append(
            f'<line x1="{at:.1f}" x2="{at:.1f}" y1="0" y2="{height}" class="median"/>'
            f'<text x="{at + 4:.1f}" y="10" class="median">median {median:.1f}</text>'
        )
    parts.append(
        f'<text x="{width / 2}" y="{height + 31}" text-anchor="middle" class="axis">score</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _status(row: dict[str, Any]) -> dict[int, str]:
    """Per requirement number: ``met`` (full credit), ``shown`` (shown with less credit, e.g.
    only listed), ``part`` (a related skill only), else absent."""
    status = {m[0]: "met" if m[1] >= 1.0 else "shown" for m in row["m"]}
    status.update({x[0]: "part" for x in row["x"] if x[1]})
    return status


def _grid(job: dict[str, Any], top: int) -> str:
    """Requirements x the best ``top`` candidates; a requirement nobody there meets stands out."""
    rows = job["rows"][:top]
    if not rows or not job["reqs"]:
        return "<p>No scored candidates.</p>"
    statuses = [_status(r) for r in rows]
    everyone = [_status(r) for r in job["rows"]]
    head = "".join(
        f'<th title="{escape(r["f"])}">{r["r"]}</th>' for r in rows
    )  # rank numbers; the file name on hover
    lines = [
        '<div class="gridwrap"><table class="grid"><thead><tr><th class="req">requirement</th>'
        f'{head}<th class="all">shown by (of {len(job["rows"])})</th></tr></thead><tbody>'
    ]
    for number, (_key, name, category, required) in enumerate(job["reqs"]):
        cells = [s.get(number, "none") for s in statuses]
        nobody = "met" not in cells and "shown" not in cells
        met_all = sum(s.get(number) in ("met", "shown") for s in everyone)
        kind = "required" if required else "preferred"
        note = f' <span class="tag required">nobody in the top {len(rows)}</span>' if nobody else ""
        lines.append(
            f'<tr class="{"nobody" if nobody else ""}"><th class="req">{escape(name)} '
            f'<span class="tag {kind}">{kind}</span><span class="tag">{escape(category)}</span>'
            f"{note}</th>"
            + "".join(f'<td class="{c}"></td>' for c in cells)
            + f'<td class="all">{met_all}</td></tr>'
        )
    lines.append("</tbody></table></div>")
    lines.append(
        '<div class="legend"><i class="met"></i>met<i class="shown"></i>shown, less credit '
        '(e.g. only listed)<i class="part"></i>a related skill only<i class="none"></i>not '
        "shown</div>"
    )
    return "".join(lines)


def _job_panel(index: int, job: dict[str, Any], top: int, hidden: bool) -> str:
    scores = [r["s"] for r in job["rows"]]
    options = "".join(
        f'<option value="{n}">{escape(name)}</option>'
        for n, (_k, name, _c, _r) in enumerate(job["reqs"])
    )
    return (
        f'<section class="panel" id="panel-{index}"{" hidden" if hidden else ""}>'
        f"<h2>{escape(job['job'])}</h2>"
        f'<div class="meta">{len(job["rows"])} scored, {len(job["errors"])} not scored, '
        f"{len(job['reqs'])} requirements</div>"
        f"<h3>Scores</h3>{_histogram(scores)}"
        '<h3>Ranking</h3><div class="controls">'
        f'<input type="search" id="q-{index}" placeholder="filter by file name" aria-label="filter by file name">'  # noqa: E501
        f'<label>min score <input type="number" id="min-{index}" min="0" max="100" step="1" value="0"></label>'  # noqa: E501
        f'<label><input type="checkbox" id="flag-{index}"> flagged only</label>'
        f'<label>meets <select id="req-{index}"><option value="">any requirement</option>{options}</select></label>'  # noqa: E501
        f'<span class="count" id="count-{index}"></span></div>'
        f'<table class="rank" id="rank-{index}"><thead><tr>'
        '<th data-key="r">rank</th><th data-key="f">file</th><th data-key="s">score</th>'
        '<th data-key="c0">technical</th><th data-key="c1">mathematical</th>'
        '<th data-key="c2">soft</th><th data-key="nm">matched</th><th data-key="nx">missing</th>'
        '<th data-key="g">flags</th></tr></thead><tbody></tbody></table>'
        f'<div class="pager" id="pager-{index}"></div>'
        f"<h3>Requirements x the best {min(top, len(job['rows']))} candidates</h3>"
        f"{_grid(job, top)}</section>"
    )


def _matrix_panel(data: dict[str, Any], index: int) -> str:
    """The CV x job matrix; its rows are drawn by the script, a page at a time."""
    matrix = data["matrix"]
    head = "".join(
        f'<th data-key="j{n}" title="{escape(job)}">job {n + 1}</th>'
        for n, job in enumerate(matrix["jobs"])
    )
    legend = "".join(f"<li>job {n}: {escape(job)}</li>" for n, job in enumerate(matrix["jobs"], 1))
    return (
        f'<section class="panel" id="panel-{index}" hidden><h2>CV x job matrix</h2>'
        f'<ul class="legendlist">{legend}</ul>'
        '<p class="advice">Each CV\'s best job in bold; CVs by their best score (click a column '
        "to sort by it).</p>"
        '<div class="controls"><input type="search" id="mq" placeholder="filter by file name" '
        'aria-label="filter by file name"><span class="count" id="mcount"></span></div>'
        '<div class="gridwrap"><table class="matrix rank" id="matrix"><thead><tr>'
        f'<th data-key="f">file</th><th data-key="b">best</th>{head}</tr></thead><tbody></tbody>'
        '</table></div><div class="pager" id="mpager"></div></section>'
    )


def _audit_panel(audit: dict[str, Any], index: int) -> str:
    rules = audit["rules"]
    small = rules["too_small"]
    parts = [
        f'<section class="panel" id="panel-{index}" hidden><h2>Bias audit</h2>',
        f'<p class="advice">Groups from {escape(audit["groups"])} (columns: '
        f"{escape(', '.join(audit['columns']))}), supplied by the user. Scoring rate: the share "
        "of a group's scored candidates above the median score. Impact ratio: the rate over the "
        f"highest rate of a group judged. Flagged below {rules['flag_below']:g} (four-fifths "
        f"guideline). Too small to judge: fewer than {small['min_count']} candidates or under "
        f"{small['min_share']:.0%} of those with a known group. This is a screening statistic, "
        "not a finding of bias or of its absence: see the README.</p>",
    ]
    if audit["unmatched"]:
        parts.append(
            f'<p class="advice">{len(audit["unmatched"])} row(s) of the groups file name no '
            "scored file; they are left out.</p>"
        )
    for job in audit["jobs"]:
        median = "n/a" if job["median"] is None else f"{job['median']:.1f}"
        parts.append(
            f'<h3>{escape(job["job"])}</h3><div class="meta">median {median}; '
            f"{job['audited']} of {job['scored']} scored candidates have a group; "
            f"{job['at_median']} score exactly the median (never above it)</div>"
        )
        for table in job["tables"]:
            parts.append(_audit_table(table))
    parts.append("</section>")
    return "".join(parts)


def _audit_summary(audit: dict[str, Any] | None) -> str:
    """One line for the header: how many groups the audit flags, over how many jobs."""
    if not audit:
        return ""
    flagged = [
        g for job in audit["jobs"] for t in job["tables"] for g in t["groups"] if g["flagged"]
    ]
    jobs = sum(any(g["flagged"] for t in j["tables"] for g in t["groups"]) for j in audit["jobs"])
    return (
        f"<br>bias audit: {len(flagged)} group(s) below four-fifths in {jobs} of "
        f"{len(audit['jobs'])} job(s) (see the Bias audit tab)"
    )


def _audit_table(table: dict[str, Any]) -> str:
    rows = []
    for group in table["groups"]:
        ratio = group["impact_ratio"]
        if not group["judged"]:
            note = '<span class="tag">too small to judge</span>'
        elif group["flagged"]:
            note = '<span class="tag required">below 4/5</span>'
        elif group["group"] == table["reference"]:
            note = '<span class="tag">reference</span>'
        else:
            note = ""
        rows.append(
            f'<tr class="{"flagged" if group["flagged"] else ""}">'
            f"<td>{escape(' / '.join(group['group']))}</td><td>{group['count']}</td>"
            f"<td>{group['above_median']}</td><td>{group['scoring_rate']:.1%}</td>"
            f"<td>{'n/a' if ratio is None else f'{ratio:.2f}'}</td><td>{note}</td></tr>"
        )
    unknown = (
        f'<tr><td class="advice">unknown (left out)</td><td>{table["unknown"]}</td>'
        "<td></td><td></td><td></td><td></td></tr>"
        if table["unknown"]
        else ""
    )
    return (
        f'<h4>{escape(" x ".join(table["columns"]))}</h4><table class="audit"><thead><tr>'
        "<th>group</th><th>candidates</th><th>above median</th><th>scoring rate</th>"
        f"<th>impact ratio</th><th></th></tr></thead><tbody>{''.join(rows)}{unknown}"
        "</tbody></table>"
    )


def _not_scored(data: dict[str, Any]) -> str:
    errors = data["jobs"][0]["errors"] if data["jobs"] else []
    parts = ['<section id="not-scored"><h2>Files not scored</h2>']
    lists = (
        ("errors", "Errors", [f"{escape(f)}: {escape(m)} ({escape(c)})" for f, c, m in errors]),
        ("duplicates", "Duplicates",
         [f"{escape(f)} (same content as {escape(o)})" for f, o in data["duplicates"]]),
        ("skipped", "Skipped", [f"{escape(f)} ({escape(r)})" for f, r in data["skipped"]]),
    )  # fmt: skip
    for key, title, items in lists:
        body = "".join(f"<li>{item}</li>" for item in items) or "<li>none</li>"
        parts.append(f'<h3>{title} ({len(items)})</h3><ul class="files" id="{key}">{body}</ul>')
    parts.append("</section>")
    return "".join(parts)


def render_shortlist(data: dict[str, Any]) -> str:
    """The whole page for the data of :func:`skillmatch.batch.shortlist.shortlist_data`."""
    jobs = data["jobs"]
    tabs = [escape(j["job"].rsplit("/", 1)[-1]) for j in jobs]
    panels = [_job_panel(i, job, data["grid_top"], i > 0) for i, job in enumerate(jobs)]
    if "matrix" in data:
        tabs.append("CV x job matrix")
        panels.append(_matrix_panel(data, len(panels)))
    if data.get("audit"):
        tabs.append("Bias audit")
        panels.append(_audit_panel(data["audit"], len(panels)))
    summary = data["summary"]
    status = "" if data["complete"] else " (interrupted: not every file was scored)"
    blind = " &middot; blind: names and contact details masked" if data["redacted"] else ""
    under = f"<br>files under {escape(data['base'])}" if data.get("base") else ""
    tab_bar = "".join(
        f'<button type="button" class="tab" role="tab" data-panel="{i}" '
        f'aria-selected="{"true" if i == 0 else "false"}">{label}</button>'
        for i, label in enumerate(tabs)
    )
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en"><head><meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">",  # noqa: E501
                "<title>skillmatch shortlist</title>",
                f"<style>{_asset('shortlist.css')}</style></head><body><main>",
                f'<header><h1>Shortlist</h1><div class="meta">{summary["files"]} files: '
                f"{summary['scored']} scored, {summary['errors']} errors, "
                f"{summary['duplicates']} duplicates, {summary['skipped']} skipped{status}{blind}"
                f"{under}{_audit_summary(data.get('audit'))}</div></header>",
                "<noscript><p>The ranking table needs JavaScript; the grid and lists below do not."
                "</p></noscript>",
                f'<nav class="tabs" role="tablist">{tab_bar}</nav>',
                *panels,
                _not_scored(data),
                "<footer>skillmatch shortlist &middot; made offline; this page loads nothing from "
                "the network</footer></main>",
                f'<script type="application/json" id="data">{_json_script(data)}</script>',
                f"<script>{_asset('shortlist.js')}</script></body></html>",
            ]
        )
        + "\n"
    )

"""A self-contained HTML report: one file, inline CSS and a few lines of inline JS, no network,
no external fonts, images or scripts. It opens from disk, prints, and can be mailed.

What a reader sees: the score, the flags when there are any (hidden text, keyword stuffing, a
copied job ad: :mod:`skillmatch.score.gaming`), a bar per component (skills by category, experience,
education), the gaps (missing required first, then preferred, then near-misses) with advice,
the experience and education checks, the matched requirements with the CV sentence that
proves each (hover a row to see it, click to keep it open), and the CV's extra strengths.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib import resources

from skillmatch.models import Check, Flag, MatchReport, RequirementResult, ScoreComponent
from skillmatch.render.report import flag_title, formula_lines, requirement_groups, requirement_name


@cache
def _asset(name: str) -> str:
    """An inline asset of the page (``data/report.css``, ``data/report.js``)."""
    return resources.files("skillmatch").joinpath(f"data/{name}").read_text(encoding="utf-8")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def _mark(proof: str) -> str:
    """The proof sentence, escaped, with the mention in ``<mark>``."""
    return escape(proof).replace("[[", "<mark>").replace("]]", "</mark>")


def _band(score: float) -> str:
    return "band-high" if score >= 70 else ("band-mid" if score >= 40 else "band-low")


def _component(report: MatchReport, component: ScoreComponent) -> str:
    coverage = report.coverage.get(component.name)
    value = component.value
    shown_bar = (
        "" if coverage is None else f'<i class="shown" style="width:{coverage * 100:.1f}%"></i>'
    )
    value_bar = "" if value is None else f'<i class="value" style="width:{value * 100:.1f}%"></i>'
    title = f"credit {_pct(value)}" + ("" if coverage is None else f"; shown {_pct(coverage)}")
    return (
        f'<div class="name">{escape(component.name)}</div>'
        f'<div class="bar" title="{escape(title)}" role="img" aria-label="{escape(component.name)} {_pct(value)}">'  # noqa: E501
        f"{shown_bar}{value_bar}</div>"
        f'<div class="pct">{_pct(value)}</div><div class="w">weight {component.weight:g}</div>'
        f'<div class="why">{escape(component.explanation)}</div>'
    )


def _gap(result: RequirementResult, kind: str) -> str:
    tag = {"required": "required", "preferred": "preferred", "near": "near"}[kind]
    label = {"required": "required", "preferred": "preferred", "near": "near miss"}[kind]
    extra = ""
    if result.related:
        extra = f' <span class="advice">(you show {escape(result.related)}; credit {result.credit:.2f})</span>'  # noqa: E501
    advice = f'<div class="advice">{escape(result.advice)}</div>' if result.advice else ""
    title = (
        f' title="{escape(result.proof.replace("[[", "").replace("]]", ""))}"'
        if result.proof
        else ""
    )
    return (
        f'<li class="{tag}"{title}><b>{escape(requirement_name(result))}</b>'
        f'<span class="tag {tag}">{label}</span><span class="tag">{escape(result.category)}</span>{extra}{advice}</li>'  # noqa: E501
    )


def _matched_rows(results: tuple[RequirementResult, ...]) -> str:
    rows = []
    for r in results:
        proof = r.proof.replace("[[", "").replace("]]", "")
        where = r.evidence[0].section if r.evidence and r.evidence[0].section else "header"
        strength = f'<span class="tag {"applied" if r.strength == "applied" else ""}">{escape(r.strength or "-")}</span>'  # noqa: E501
        kind = "required" if r.required else "preferred"
        years = f" ({r.years:g}+ years asked)" if r.years else ""
        rows.append(
            f'<tr class="req" title="{escape(proof)}"><td><b>{escape(requirement_name(r))}</b>{escape(years)}</td>'  # noqa: E501
            f'<td>{escape(r.category)}</td><td><span class="tag {kind}">{kind}</span></td>'
            f'<td>{strength} <span class="advice">in {escape(where)}</span></td><td>{r.credit:.2f}</td></tr>'  # noqa: E501
        )
        advice = (
            f'<div class="advice">{escape(r.advice)}</div>'
            if r.advice and r.strength in {"listed", "implied"}
            else ""
        )
        body = (
            _mark(r.proof)
            if r.proof
            else '<span class="advice">(no sentence: the CV shows it through a related skill)</span>'  # noqa: E501
        )
        rows.append(f'<tr class="proof" hidden><td colspan="5">“{body}”{advice}</td></tr>')
    return "\n".join(rows)


def _check(check: Check) -> str:
    css, word = (
        ("ok", "met")
        if check.met
        else (("partly", "partly") if check.value > 0 else ("no", "not met"))
    )
    kind = "" if check.required else ' <span class="tag preferred">preferred</span>'
    advice = (
        f'<div class="advice">{escape(check.advice)}</div>'
        if check.advice and not check.met
        else ""
    )
    return (
        f'<li><span class="{css}">{word}</span> &middot; <b>{escape(check.name)}</b>{kind}: asked {escape(check.asked)}; '  # noqa: E501
        f"found {escape(check.found)}{advice}</li>"
    )


def _flag(flag: Flag) -> str:
    evidence = "".join(f'<div class="advice">{escape(item)}</div>' for item in flag.evidence)
    return (
        f'<li class="required"><b>{escape(flag_title(flag))}</b>'
        f'<span class="tag required">flag</span> {escape(flag.message)}{evidence}</li>'
    )


def report_html(report: MatchReport) -> str:
    """A self-contained HTML page for one report (inline CSS and JS, no network)."""
    groups = requirement_groups(report)
    gaps = [
        *(_gap(r, "required") for r in groups["missing_required"]),
        *(_gap(r, "preferred") for r in groups["missing_preferred"]),
        *(_gap(r, "near") for r in groups["near_misses"]),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">",  # noqa: E501
        f"<title>skillmatch: {escape(report.cv)} vs {escape(report.job)}</title>",
        f"<style>{_asset('report.css')}</style></head><body><main>",
        f'<header><div class="score {_band(report.score)}"><b>{report.score:.0f}</b><span>of 100</span></div>',  # noqa: E501
        f"<div><h1>{escape(report.cv.rsplit('/', 1)[-1])} &rarr; {escape(report.job.rsplit('/', 1)[-1])}</h1>",  # noqa: E501
        f'<div class="meta">CV: {escape(report.cv)}<br>Job: {escape(report.job)}<br>Score {report.score:.1f} / 100: '  # noqa: E501
        f"{len(report.matched)} requirements matched, {len(report.missing)} missing</div></div></header>",  # noqa: E501
        *(
            [
                f'<section id="flags"><h2>Flags ({len(report.flags)})</h2>',
                '<p class="advice">Check these before trusting the score.</p>',
                f'<ul class="gaps">{"".join(_flag(f) for f in report.flags)}</ul></section>',
            ]
            if report.flags
            else []
        ),
        '<section id="components"><h2>Score components</h2><div class="comp">',
        *(_component(report, c) for c in report.components),
        "</div>",
        '<div class="legend">dark bar: credit (where the CV shows each skill counts)<i style="background:#b9d7f5"></i>'  # noqa: E501
        "light bar: share of the requirements shown at all</div>",
        f'<div class="formula">{"<br>".join(escape(line) for line in formula_lines(report))}</div></section>',  # noqa: E501
        f'<section id="gaps"><h2>Gaps ({len(gaps)})</h2>',
        f'<ul class="gaps">{"".join(gaps)}</ul>'
        if gaps
        else "<p>None: the CV shows every requirement.</p>",
        "</section>",
    ]
    if report.checks:
        parts += [
            '<section id="checks"><h2>Experience and education</h2><ul class="checks">',
            *(_check(c) for c in report.checks),
            "</ul></section>",
        ]
    parts += [
        f'<section id="matched"><h2>Matched ({len(report.matched)}) '
        '<button id="toggle-proofs" type="button" style="float:right;font-size:12px">Show all proofs</button></h2>',  # noqa: E501
        '<p class="advice">Hover a row to see the CV sentence that proves it; click to keep it open.</p>',  # noqa: E501
        "<table><thead><tr><th>requirement</th><th>category</th><th>kind</th><th>evidence</th><th>credit</th></tr></thead>",
        f"<tbody>{_matched_rows(report.matched)}</tbody></table></section>",
    ]
    if report.extra:
        chips = "".join(
            f'<span title="{escape(report.extra_proof.get(s.id, "").replace("[[", "").replace("]]", ""))}">{escape(s.name)}</span>'  # noqa: E501
            for s in report.extra
        )
        parts.append(
            f'<section id="extra"><h2>Extra strengths ({len(report.extra)})</h2><div class="chips">{chips}</div></section>'  # noqa: E501
        )
    if report.warnings:
        items = "".join(f"<li>{escape(w)}</li>" for w in report.warnings)
        parts.append(f'<section id="warnings"><h2>Warnings</h2><ul>{items}</ul></section>')
    parts += [
        "<footer>skillmatch report &middot; made offline; this page loads nothing from the network</footer>",  # noqa: E501
        f"</main><script>{_asset('report.js')}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"

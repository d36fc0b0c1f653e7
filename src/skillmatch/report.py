"""Render results for people and programs: table (terminal), JSON, CSV and Markdown."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from skillmatch.models import Evidence, MatchReport, RequirementResult, SkillsResult

BAR_WIDTH = 20


def to_json(data: Any) -> str:
    """Pretty JSON for any result with ``to_dict()`` (or plain data)."""
    if hasattr(data, "to_dict"):
        data = data.to_dict()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def sentence_around(text: str, start: int, end: int, *, limit: int = 160) -> str:
    """The sentence (or line) holding ``text[start:end]``, with the mention in ``[[...]]``."""
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1)
    right_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    left = max(left + 1 if left >= 0 else 0, start - limit // 2)
    right = min(right, end + limit // 2)
    before = text[left:start].lstrip()
    after = text[end:right].rstrip()
    return f"{before}[[{text[start:end]}]]{after}".replace("\n", " ")


def _describe(evidence: Evidence) -> str:
    where = f" in {evidence.section}" if evidence.section else ""
    via = f" via {evidence.via}" if evidence.via else ""
    return f"{evidence.method}/{evidence.rule}{via}{where}, confidence {evidence.confidence:.2f}"


def skills_table(result: SkillsResult, *, explain: bool = False, text: str | None = None) -> str:
    """A terminal table of the skills a document shows (``--explain`` adds sentence and reason)."""
    out = [f"{result.source}: {len(result.skills)} skills", ""]
    rows = [("CATEGORY", "SKILL", "ID", "EVIDENCE")]
    for skill in result.skills:
        first = skill.evidence[0]
        shown = f'"{first.text}"' + (f" via {first.via}" if first.via else "")
        more = len(skill.evidence) - 1
        rows.append((skill.category, skill.name, skill.id, shown + (f" (+{more})" if more else "")))
        if explain:
            for evidence in skill.evidence:
                context = sentence_around(text, evidence.start, evidence.end) if text else evidence.text
                rows.append(("", "", "", f"@{evidence.start}: {_describe(evidence)}: {context}"))
    out.extend(_columns(rows))
    if result.rejected:
        out += ["", "Not counted:"]
        for mention in result.rejected:
            out.append(f'  {mention.id:<22} "{mention.text}" @{mention.start}: {mention.reason}')
    out.extend(_warnings(result.warnings))
    return "\n".join(out) + "\n"


def _columns(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows if len(row) > i and row[1:] != ("", "", "")) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        if not row[0] and not row[1]:
            lines.append(" " * (sum(widths) + 2 * len(widths)) + row[-1])
            continue
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def _bar(value: float | None) -> str:
    if value is None:
        return "n/a".ljust(BAR_WIDTH + 6)
    filled = round(value * BAR_WIDTH)
    return "#" * filled + "." * (BAR_WIDTH - filled) + f" {value * 100:3.0f}%"


def _requirement_line(result: RequirementResult, mark: str) -> str:
    kind = "required" if result.required else "preferred"
    name = result.label or result.name
    if result.label and result.credit > 0:
        name = f"{result.label}: {result.name}"
    line = f"  {mark} {name} ({result.category}, {kind})"
    if result.evidence:
        line += f' "{result.evidence[0].text}"' + (f" in {result.evidence[0].section}" if result.evidence[0].section else "")
    if result.related:
        line += f" (related skill shown: {result.related}, credit {result.credit:.2f})"
    if result.advice and not result.met:
        line += f"\n      advice: {result.advice}"
    return line


def report_table(report: MatchReport, *, explain: bool = False) -> str:
    """A terminal report: score, coverage bars, matched requirements, gaps."""
    out = [f"CV:    {report.cv}", f"Job:   {report.job}", f"Score: {report.score:.1f} / 100", "", "Coverage"]
    for component in report.components:
        out.append(f"  {component.name:<13} {_bar(component.value)}  weight {component.weight:g}")
        if explain:
            out.append(f"      {component.explanation}")
    out += ["", f"Matched ({len(report.matched)})"]
    out += [_requirement_line(r, "+") for r in report.matched] or ["  (none)"]
    out += ["", f"Missing ({len(report.missing)})"]
    out += [_requirement_line(r, "~" if r.credit else "-") for r in report.missing] or ["  (none)"]
    if report.extra:
        out += ["", "Also shows: " + ", ".join(s.name for s in report.extra)]
    out.extend(_warnings(report.warnings))
    return "\n".join(out) + "\n"


def report_markdown(report: MatchReport) -> str:
    """The report as Markdown (for pasting into an issue tracker or an e-mail)."""
    out = [f"# {report.cv} vs {report.job}", "", f"**Score: {report.score:.1f} / 100**", ""]
    out += ["| category | coverage | weight | why |", "| --- | --- | --- | --- |"]
    for c in report.components:
        value = "n/a" if c.value is None else f"{c.value * 100:.0f}%"
        out.append(f"| {c.name} | {value} | {c.weight:g} | {c.explanation} |")
    out += ["", "## Matched", ""]
    out += [f"- {r.label or r.name} ({r.category})" for r in report.matched] or ["- (none)"]
    out += ["", "## Missing", ""]
    for r in report.missing:
        kind = "required" if r.required else "preferred"
        extra = f"; related: {r.related}" if r.related else ""
        advice = f" — {r.advice}" if r.advice else ""
        out.append(f"- {r.label or r.name} ({r.category}, {kind}{extra}){advice}")
    if not report.missing:
        out.append("- (none)")
    return "\n".join(out) + "\n"


def _warnings(warnings: Iterable[str]) -> list[str]:
    warnings = list(warnings)
    return ["", *(f"warning: {w}" for w in warnings)] if warnings else []


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text with a header line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (temp file in the same folder, then rename)."""
    target = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise

"""Render results for people and programs: table (terminal), JSON, CSV, Markdown and HTML."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from skillmatch.errors import OutputError
from skillmatch.models import Check, Evidence, Flag, MatchReport, RequirementResult, SkillsResult
from skillmatch.taxonomy.model import GATE_REASONS
from skillmatch.text import plain, sentence_around

BAR_WIDTH = 20


def to_json(data: Any) -> str:
    """Pretty JSON for any result with ``to_dict()`` (or plain data)."""
    if hasattr(data, "to_dict"):
        data = data.to_dict()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def explain_evidence(evidence: Evidence) -> str:
    """Why a piece of evidence counts, in words ("ambiguous 'R' accepted: listed with ...")."""
    method, rule = evidence.method, evidence.rule
    if method == "implied":
        why = "behaviour that shows the skill"
    elif method == "acronym":
        why = "an acronym this document defines"
    elif method == "fuzzy" and evidence.via:
        why = "a likely typo"
    elif method == "fuzzy":
        why = f"a likely typo (similarity {evidence.confidence * 100:.0f}%)"
    elif method == "pattern":
        why = "the name with a version or spelling variant"
    else:
        why = "named by an alias"
    if rule in GATE_REASONS and rule != "alias":
        why = f"ambiguous form accepted: {GATE_REASONS[rule]}"
    if evidence.via:
        link = "implied by" if rule == "implies" else "a kind of this skill:"
        why = f"{link} {evidence.via} ({why})"
    where = f" in {evidence.section}" if evidence.section else ""
    return f"{why}{where}, confidence {evidence.confidence:.2f}"


def skills_table(result: SkillsResult, *, explain: bool = False, text: str | None = None) -> str:
    """A terminal table of the skills a document shows.

    With ``explain``, every piece of evidence follows its skill: where it is, why it counts and
    the sentence around it, the mention in ``[[...]]``; then the mentions not counted and why.
    """
    out = [f"{result.source}: {len(result.skills)} skills", ""]
    rows = [("CATEGORY", "SKILL", "ID", "STRENGTH", "EVIDENCE")]
    for skill in result.skills:
        first = skill.evidence[0]
        shown = f'"{first.text}"' + (f" via {first.via}" if first.via else "")
        more = len(skill.evidence) - 1
        strength = skill.strength if skill.direct else f"{skill.strength}, via"
        rows.append(
            (
                skill.category,
                skill.name,
                skill.id,
                strength,
                shown + (f" (+{more})" if more else ""),
            )
        )
    if not explain:
        out.extend(_columns(rows))
    else:
        for line, skill in zip(_columns(rows)[1:], result.skills, strict=True):
            out.append(line)
            for evidence in skill.evidence:
                context = (
                    sentence_around(text, evidence.start, evidence.end) if text else evidence.text
                )
                out.append(f"    @{evidence.start}: {explain_evidence(evidence)}")
                out.append(f"        {context}")
        out.insert(2, _columns(rows)[0])
    if result.rejected:
        out += ["", "Not counted:"]
        for mention in result.rejected:
            out.append(f'  {mention.id:<22} "{mention.text}" @{mention.start}: {mention.reason}')
            if explain and text:
                out.append(f"        {sentence_around(text, mention.start, mention.end)}")
    out.extend(_warnings(result.warnings))
    return "\n".join(out) + "\n"


def _columns(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [
        max(len(row[i]) for row in rows if len(row) > i and row[1:] != ("", "", ""))
        for i in range(len(rows[0]) - 1)
    ]
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


def requirement_name(result: RequirementResult) -> str:
    """``label: member`` for an any-of group the CV meets, else the label or the skill name."""
    if result.label and result.found and result.label != result.name:
        return f"{result.label}: {result.name}"
    return result.label or result.name


def _kind(result: RequirementResult) -> str:
    return "required" if result.required else "preferred"


def _requirement_line(result: RequirementResult, mark: str) -> list[str]:
    years = f", {result.years:g}+ years" if result.years else ""
    line = f"  {mark} {requirement_name(result)} ({result.category}, {_kind(result)}{years})"
    lines = [line]
    if result.found:
        where = (
            result.evidence[0].section
            if result.evidence and result.evidence[0].section
            else "header"
        )
        strength = f"{result.strength} in {where}" if result.strength else where
        lines[0] += f" [{strength}]"
        if result.proof:
            lines.append(f'      "{_shorten(plain(result.proof))}"')
    elif result.related:
        lines[0] += f" -- related skill shown: {result.related} (credit {result.credit:.2f})"
    if result.advice and (not result.found or result.strength in {"listed", "implied"}):
        lines.append(f"      advice: {result.advice}")
    return lines


def _shorten(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def requirement_groups(report: MatchReport) -> dict[str, tuple[RequirementResult, ...]]:
    """The report's requirements in reading order: missing required, missing preferred,
    near-misses (a related skill shown), matched."""
    return {
        "missing_required": tuple(r for r in report.missing if r.required and not r.related),
        "missing_preferred": tuple(r for r in report.missing if not r.required and not r.related),
        "near_misses": tuple(r for r in report.missing if r.related),
        "matched": report.matched,
    }


def _check_line(check: Check) -> str:
    mark = "+" if check.met else ("~" if check.value > 0 else "-")
    kind = "" if check.required else " (preferred)"
    line = f"  {mark} {check.name}{kind}: asked {check.asked}; found {check.found}"
    if check.advice and not check.met:
        line += f"\n      advice: {check.advice}"
    return line


def formula_lines(report: MatchReport) -> list[str]:
    """The score's arithmetic: each component's weight x value, and the weighted mean."""
    asked = [c for c in report.components if c.value is not None and c.weight > 0]
    total = sum(c.weight for c in asked)
    if not total:
        return ["score = 0 (nothing to score)"]
    parts = " + ".join(f"{c.weight:g} x {c.value:.3f}" for c in asked if c.value is not None)
    weighted = sum(c.weight * (c.value or 0.0) for c in asked)
    return [
        f"score = 100 x ({parts}) / {total:g}",
        f"      = 100 x {weighted:.4f} / {total:g} = {report.score:.1f}",
    ]


def report_table(report: MatchReport, *, explain: bool = False) -> str:
    """A terminal report: score, bars per component, gaps first, then matches with proof."""
    out = [f"CV:    {report.cv}", f"Job:   {report.job}", f"Score: {report.score:.1f} / 100", ""]
    if report.flags:
        out += [f"Flags ({len(report.flags)}): check these before trusting the score"]
        for flag in report.flags:
            out.append(f"  ! {flag_title(flag)}: {flag.message}")
            out += [f"      {_shorten(item, 160)}" for item in flag.evidence]
        out.append("")
    out.append("Components" if explain else "Coverage")
    for component in report.components:
        line = f"  {component.name:<13} {_bar(component.value)}  weight {component.weight:g}"
        coverage = report.coverage.get(component.name)
        if (
            coverage is not None
            and component.value is not None
            and abs(coverage - component.value) > 5e-4
        ):
            line += f"  (shown: {coverage * 100:.0f}%)"
        out.append(line)
        if explain:
            out.append(f"      {component.explanation}")
    if explain:
        out += ["", *formula_lines(report)]
    groups = requirement_groups(report)
    titles = {
        "missing_required": "Missing, required",
        "missing_preferred": "Missing, preferred",
        "near_misses": "Near misses (a related skill is shown)",
    }
    for key, title in titles.items():
        if groups[key]:
            out += ["", f"{title} ({len(groups[key])})"]
            for r in groups[key]:
                out += _requirement_line(r, "~" if r.related else "-")
    if not report.missing:
        out += ["", "Missing (0)", "  (none)"]
    out += ["", f"Matched ({len(report.matched)})"]
    for r in report.matched:
        out += _requirement_line(r, "+")
    if not report.matched:
        out.append("  (none)")
    if report.checks:
        out += ["", "Experience and education"]
        out += [_check_line(c) for c in report.checks]
    if report.extra:
        out += ["", "Extra strengths: " + ", ".join(s.name for s in report.extra)]
    out.extend(_warnings(report.warnings))
    return "\n".join(out) + "\n"


def flag_title(flag: Flag) -> str:
    """A flag's kind in words: ``keyword_stuffing`` -> ``keyword stuffing``."""
    return flag.kind.replace("_", " ")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#!~])")


def _md_name(text: str) -> str:
    """A file name made literal inside Markdown: emphasis, links, code and HTML escaped."""
    return _md(_MD_SPECIAL.sub(r"\\\1", text))


def printable_text(text: str) -> str:
    """``text`` as valid Unicode: a file name's bytes that are not UTF-8 (kept by Python as
    lone surrogates) are shown as ``\\xe9`` instead of failing the write."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def _md(text: str) -> str:
    """Text from a document made safe inside Markdown: no table breaks, no live HTML."""
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\n", " ")


def report_markdown(report: MatchReport) -> str:
    """The report as Markdown (for pasting into an issue tracker or an e-mail)."""
    title = f"# {_md_name(report.cv)} vs {_md_name(report.job)}"
    out = [title, "", f"**Score: {report.score:.1f} / 100**", ""]
    if report.flags:
        out += ["## Flags", ""]
        for flag in report.flags:
            out.append(f"- **{flag_title(flag)}**: {_md(flag.message)}")
            out += [f"  - {_md(item)}" for item in flag.evidence]
        out.append("")
    out += ["| component | value | shown | weight | why |", "| --- | --- | --- | --- | --- |"]
    for c in report.components:
        value = "n/a" if c.value is None else f"{c.value * 100:.0f}%"
        coverage = report.coverage.get(c.name)
        shown = "" if coverage is None else f"{coverage * 100:.0f}%"
        out.append(f"| {c.name} | {value} | {shown} | {c.weight:g} | {_md(c.explanation)} |")
    out += ["", "`" + " ".join(line.strip() for line in formula_lines(report)[:1]) + "`"]
    groups = requirement_groups(report)
    sections = (
        ("missing_required", "Missing: required"),
        ("missing_preferred", "Missing: preferred"),
        ("near_misses", "Near misses"),
    )
    for key, title in sections:
        if not groups[key]:
            continue
        out += ["", f"## {title}", ""]
        for r in groups[key]:
            related = f"; you show {r.related}" if r.related else ""
            advice = f" — {r.advice}" if r.advice else ""
            out.append(f"- **{_md(requirement_name(r))}** ({r.category}{related}){_md(advice)}")
    if not report.missing:
        out += ["", "## Missing", "", "- (none)"]
    out += ["", "## Matched", ""]
    if report.matched:
        out += ["| requirement | kind | strength | proof |", "| --- | --- | --- | --- |"]
    for r in report.matched:
        proof = r.proof.replace("[[", "**").replace("]]", "**") if r.proof else ""
        out.append(f"| {_md(requirement_name(r))} | {_kind(r)} | {r.strength} | {_md(proof)} |")
    if not report.matched:
        out.append("- (none)")
    if report.checks:
        out += ["", "## Experience and education", ""]
        for check in report.checks:
            mark = "met" if check.met else ("partly" if check.value > 0 else "not met")
            advice = f" — {check.advice}" if check.advice and not check.met else ""
            found = f"asked {check.asked}; found {check.found}"
            out.append(f"- {check.name}: {found} (**{mark}**){_md(advice)}")
    if report.extra:
        out += ["", "## Extra strengths", "", ", ".join(s.name for s in report.extra)]
    if report.warnings:
        out += ["", "## Warnings", "", *(f"- {_md(w)}" for w in report.warnings)]
    return "\n".join(out) + "\n"


def _warnings(warnings: Iterable[str]) -> list[str]:
    warnings = list(warnings)
    return ["", *(f"warning: {w}" for w in warnings)] if warnings else []


#: A text cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """A text cell a spreadsheet shows as text: one starting with ``= + - @``, a tab or a
    carriage return gets a leading ``'`` (numbers are left alone)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """A cell as it was before :func:`escape_cell`."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text with a header line; text cells are escaped (:func:`escape_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([escape_cell(cell) for cell in header])
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def check_output(path: str | os.PathLike[str], *, inputs: Iterable[str] = ()) -> None:
    """Fail early, with a one-line :class:`OutputError`, when ``path`` cannot be written or
    is one of the ``inputs`` (a report must never overwrite the CV or the job it reads)."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name for the output")
    if not target.parent.is_dir():
        raise OutputError(f"{path}: the folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise OutputError(f"{path}: no permission to write there")
    for source in inputs:
        if source != "-" and os.path.exists(source) and target == Path(os.path.realpath(source)):
            raise OutputError(f"{path}: is also an input file; choose another output name")


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temp file in the same folder, renamed).

    A symlink is written through to its target; a device or a named pipe is written to
    directly (there is nothing to replace atomically). A new file gets the usual permissions
    (``0o666`` less the umask), an existing one keeps its own.
    """
    target = Path(os.path.realpath(path))
    text = printable_text(text)
    try:
        if target.exists() and not target.is_file():
            with open(target, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            return
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        prefix, folder = temp_prefix(target), target.parent
        handle, temp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
        raise


def temp_prefix(target: str | os.PathLike[str]) -> str:
    """How the temp files of :func:`write_atomic` for ``target`` start (``.ranking.csv.``)."""
    return f".{Path(target).name}."


def remove_stale_temps(target: str | os.PathLike[str]) -> list[str]:
    """Remove the temp files a killed writer of ``target`` left beside it (call only while
    no other process writes ``target``, e.g. under its lock); the names removed."""
    real = Path(os.path.realpath(target))
    removed = []
    with contextlib.suppress(OSError):
        for entry in real.parent.iterdir():
            name = entry.name
            if name.startswith(temp_prefix(real)) and name.endswith(".tmp") and entry.is_file():
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(str(entry))
    return removed


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current

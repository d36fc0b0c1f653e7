"""The matcher's case table: every row of ``tests/cases/aliases.yaml`` is one test.

A row is ``{case, text, find: [ids], not_find: [ids], section: optional, kind: optional}``.
With ``section``, the text is put under a heading line of that name (``Skills``) so the
section finder sees it. Every bug report becomes a row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from skillmatch.match.matcher import extract_skills
from skillmatch.read.parse import parse_text

CASES = Path(__file__).parent / "cases" / "aliases.yaml"


def _rows() -> list[Any]:
    if not CASES.exists():
        return [
            pytest.param(
                None, id="no-case-table", marks=pytest.mark.skip(reason=f"{CASES} not found")
            )
        ]
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    rows = data.get("cases", []) if isinstance(data, dict) else data
    params = []
    seen: dict[str, int] = {}
    for row in rows or []:
        name = re.sub(r"[^a-z0-9]+", "-", str(row.get("case", "case")).lower()).strip("-")[:60]
        seen[name] = seen.get(name, 0) + 1
        params.append(pytest.param(row, id=name if seen[name] == 1 else f"{name}-{seen[name]}"))
    return params


def _text(row: dict[str, Any]) -> str:
    section = row.get("section")
    if not section:
        return str(row["text"])
    heading = str(section).replace("-", " ").capitalize()
    return f"{heading}\n{row['text']}\n"


@pytest.mark.parametrize("row", _rows())
def test_case(row: dict[str, Any]) -> None:
    document = parse_text(_text(row), source=str(row.get("case", "case")), kind=row.get("kind"))
    result = extract_skills(document)
    shown = result.ids()
    missing = sorted(set(row.get("find") or []) - shown)
    unexpected = sorted(set(row.get("not_find") or []) & shown)
    details = [
        f"{s.id}: "
        + ", ".join(
            f"{e.text!r} ({e.method}/{e.rule}{' via ' + e.via if e.via else ''})"
            for e in s.evidence
        )
        for s in result.skills
        if s.id in unexpected
    ]
    not_counted = [f"{m.id} {m.text!r}: {m.reason}" for m in result.rejected if m.id in missing]
    assert not missing and not unexpected, (
        f"{row.get('case')}: missing {missing}, unexpected {unexpected}; {details}; "
        f"not counted: {not_counted}"
    )

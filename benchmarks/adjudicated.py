"""The adjudicated development gold (``gold_adjudicated.yaml``) and a plain alias-lookup baseline.

Used by ``extraction.py``: the adjudicated gold of a document is the frozen original gold plus the
adjudicated additions minus the removals (each with its rule and quote in the YAML file). The
baseline finds every unambiguous alias of a technical, mathematical or soft skill by exact,
case-insensitive lookup on word boundaries (case-sensitive aliases in their exact case), with no
context checks, and rolls what it finds up to the is-a ancestors, as the matcher does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from skillmatch.taxonomy.model import Taxonomy

CATEGORIES = ("technical", "mathematical", "soft")


@dataclass
class Adjudication:
    """The original gold, the changes and the adjudicated gold, by document key."""

    original: dict[str, set[str]]
    adjudicated: dict[str, set[str]]
    changes: Counter[str] = field(default_factory=Counter)


def load_adjudication(path: Path) -> Adjudication:
    """Read ``gold_adjudicated.yaml``; every change must name a rule defined in the file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = set(data["rules"])
    original = {doc: set(ids) for doc, ids in (data.get("original") or {}).items()}
    adjudicated = {doc: set(ids) for doc, ids in original.items()}
    changes: Counter[str] = Counter()
    for change in data.get("changes") or []:
        if change["rule"] not in rules:
            raise ValueError(f"{path}: unknown rule {change['rule']!r} for {change['doc']}")
        kind = change["change"]
        changes[kind] += 1
        ids = adjudicated.setdefault(change["doc"], set())
        if kind == "add":
            ids.add(change["id"])
        elif kind == "remove":
            ids.discard(change["id"])
    return Adjudication(original, adjudicated, changes)


class AliasLookup:
    """The baseline: exact (case-insensitive) lookup of unambiguous aliases, rolled up."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        folded: dict[str, str] = {}
        exact: dict[str, str] = {}
        for skill in taxonomy.skills.values():
            if skill.category not in CATEGORIES:
                continue
            for alias in skill.aliases:
                if alias.ambiguous:
                    continue
                target = exact if alias.case_sensitive else folded
                target.setdefault(
                    alias.text if alias.case_sensitive else alias.text.lower(), skill.id
                )
        self._folded = folded
        self._exact = exact
        self._folded_re = _alternation(folded, re.IGNORECASE)
        self._exact_re = _alternation(exact, 0)

    def find(self, text: str) -> set[str]:
        """The skill ids (with their is-a ancestors) whose aliases occur in ``text``."""
        found = {self._folded[m.group(0).lower()] for m in self._folded_re.finditer(text)}
        found |= {self._exact[m.group(0)] for m in self._exact_re.finditer(text)}
        for skill_id in list(found):
            found.update(self.taxonomy.ancestors(skill_id))
        return found


def _alternation(aliases: Iterable[str], flags: int) -> re.Pattern[str]:
    """One regular expression for all aliases, longest first, on word boundaries."""
    ordered = sorted(aliases, key=len, reverse=True)
    body = "|".join(re.escape(a) for a in ordered)
    return re.compile(rf"(?<![\w+#.])(?:{body})(?![\w+#])", flags)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def counts(
    gold: dict[str, set[str]],
    predicted: dict[str, set[str]],
    docs: Iterable[str],
    category_of: dict[str, str],
) -> dict[str, list[int]]:
    """``[TP, FP, FN]`` per category (and ``all``) over the (document, core id) pairs."""
    cells = {c: [0, 0, 0] for c in (*CATEGORIES, "all")}
    for doc in docs:
        want = gold.get(doc, set()) & category_of.keys()
        got = predicted.get(doc, set()) & category_of.keys()
        for core_id in want | got:
            slot = 0 if core_id in want and core_id in got else (1 if core_id in got else 2)
            for c in (category_of[core_id], "all"):
                cells[c][slot] += 1
    return cells


def comparison_table(
    corpora: dict[str, list[str]],
    runs: dict[str, tuple[dict[str, set[str]], dict[str, set[str]]]],
    category_of: dict[str, str],
) -> list[str]:
    """Markdown rows: per corpus and category, precision / recall / F1 of each run.

    ``runs`` maps a column name to ``(gold, predicted)``; ``corpora`` maps a corpus name to its
    document keys (a ``both`` block adds them up).
    """
    names = list(runs)
    header = "| corpus | category | " + " | ".join(f"{n} P / R / F1" for n in names) + " |"
    lines = [header, "| --- | --- |" + " ---: |" * len(names)]
    blocks = {**corpora, "**both**": [d for docs in corpora.values() for d in docs]}
    for corpus, docs in blocks.items():
        per_run = {n: counts(g, p, docs, category_of) for n, (g, p) in runs.items()}
        for category in (*CATEGORIES, "all"):
            cells = []
            for n in names:
                p, r, f = prf(*per_run[n][category])
                cells.append(f"{p:.3f} / {r:.3f} / {f:.3f}")
            label = f"**{category}**" if category == "all" else category
            lines.append(f"| {corpus} | {label} | " + " | ".join(cells) + " |")
    return lines

"""Skill extraction benchmark: accuracy against gold mentions, and matching speed.

Run ``python benchmarks/extraction.py`` (corpus at ``$SKILLMATCH_CORPUS``, default
``<repo>/../shared/corpus``; skipped with a message when absent). Prints Markdown tables.

Corpus (development data only: SkillSpan train+dev postings, dotin train CVs):

* ``jobs/skillspan/postings_train_dev.jsonl``: gold ``skill_spans`` and ``knowledge_spans``;
  the text is the posting's sentences, one per line.
* ``cvs/dotin/train/*.xml``: gold ``<label type=...>`` mentions; the text is the file with the
  tags stripped.

(a) Core ids, per document: the gold ids are the core ids among what ``gold_map.yaml`` maps the
    document's gold mentions to (plus the skill whose unambiguous alias is the whole mention),
    rolled up to their is-a ancestors exactly as the matcher rolls up what it finds; the
    predicted ids are the core ids ``skills`` reports. Micro precision / recall / F1 over
    (document, id) pairs, plus the precision of directly named skills alone; the old gold
    (rules only) is printed too, for comparison.
(b) Mentions: recall of gold technical mentions (SkillSpan ``knowledge``, dotin ``Tech Tools``)
    whose text is an alias in the taxonomy (the document must show that alias's skill), and
    precision of reported direct evidence: the share that overlaps any gold mention.
Speed: words per second of ``SkillMatcher.find`` on the parsed documents (one core, matcher
built before timing; first pass over the corpus, so tokenizer caches start cold).
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from adjudicated import AliasLookup, comparison_table, load_adjudication  # noqa: E402
from skillmatch.match.matcher import get_matcher  # noqa: E402
from skillmatch.models import Document, SkillsResult  # noqa: E402
from skillmatch.read.parse import parse_text  # noqa: E402
from skillmatch.taxonomy.load import load_taxonomy  # noqa: E402
from skillmatch.taxonomy.model import Taxonomy, normalise_alias  # noqa: E402

CORE = load_taxonomy().core
CORE_CATEGORY = {i: c for c, ids in CORE.items() for i in ids}
_LABEL = re.compile(r'<label type="([^"]+)">|</label>')
_SKILL_LABELS = {"Tech Tools", "Job Specific Skills", "Soft Skills"}


@dataclass
class GoldDoc:
    """A corpus document and its gold mentions ``(type, text, start, end)``."""

    corpus: str
    document: Document
    mentions: list[tuple[str, str, int, int]] = field(default_factory=list)


def corpus_dir() -> Path:
    """``$SKILLMATCH_CORPUS`` (default ``<repo>/../shared/corpus``)."""
    return Path(os.environ.get("SKILLMATCH_CORPUS", str(REPO.parent / "shared" / "corpus")))


def skillspan(root: Path) -> Iterator[GoldDoc]:
    """SkillSpan postings (train + dev only); gold span offsets found by text search."""
    path = root / "jobs" / "skillspan" / "postings_train_dev.jsonl"
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("split") not in {"train", "dev"}:
            continue
        text = "\n".join(row["sentences"])
        key = f"skillspan:{row['split']}-{row['source']}-{row['idx']}"  # idx alone repeats
        gold = GoldDoc("skillspan", parse_text(text, source=key, kind="job"))
        for kind, spans in (("skill", row["skill_spans"]), ("knowledge", row["knowledge_spans"])):
            for span in dict.fromkeys(spans):
                for found in re.finditer(re.escape(span), text):
                    gold.mentions.append((kind, span, found.start(), found.end()))
        yield gold


def dotin(root: Path) -> Iterator[GoldDoc]:
    """dotin CVs (train): tags stripped, label offsets kept."""
    folder = root / "cvs" / "dotin" / "train"
    for path in sorted(folder.glob("*.xml"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
        raw = path.read_text(encoding="utf-8")
        raw = re.sub(r"^<\?xml[^>]*>\s*<cv>\s*|\s*</cv>\s*$", "", raw)
        parts: list[str] = []
        mentions: list[tuple[str, str, int, int]] = []
        open_label: tuple[str, int] | None = None
        position = last = 0
        for tag in _LABEL.finditer(raw):
            chunk = html.unescape(raw[last : tag.start()])  # the files are XML: "&amp;" is "&"
            parts.append(chunk)
            position += len(chunk)
            last = tag.end()
            if tag.group(1):
                open_label = (tag.group(1), position)
            elif open_label is not None:
                kind, start = open_label
                mentions.append((kind, "".join(parts)[start:position], start, position))
                open_label = None
        parts.append(html.unescape(raw[last:]))
        text = "".join(parts)
        doc = parse_text(text, source=f"dotin:{path.stem}", kind="cv")
        yield GoldDoc("dotin", doc, [m for m in mentions if m[0] in _SKILL_LABELS])


class GoldMap:
    """``gold_map.yaml``: gold mention text -> core ids."""

    def __init__(self, path: Path, taxonomy: Taxonomy) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.rules: list[tuple[str, list[re.Pattern[str]], list[re.Pattern[str]]]] = []
        for ids in data.values():
            for core_id, spec in ids.items():
                match = [re.compile(p) for p in spec.get("match", [])]
                exclude = [re.compile(p) for p in spec.get("exclude", [])]
                self.rules.append((core_id, match, exclude))
        self.taxonomy = taxonomy

        # whole-mention aliases: a gold mention whose text is exactly an unambiguous alias of a
        # technical, mathematical or soft skill names that skill ("forecasting", "MySQL")
        self.folded: dict[str, str] = {}
        self.exact: dict[str, str] = {}
        for skill in taxonomy.skills.values():
            if skill.category not in CORE:
                continue
            for alias in skill.aliases:
                if alias.ambiguous:
                    continue
                if alias.case_sensitive:
                    self.exact.setdefault(alias.text, skill.id)
                else:
                    self.folded.setdefault(normalise_alias(alias.text), skill.id)

    def ids(self, text: str, *, roll_up: bool = True) -> set[str]:
        """The core ids a gold mention names.

        With ``roll_up`` (the fair comparison), the mention's mapped ids (core ids by the rules,
        plus the skill whose unambiguous alias is the whole mention) are rolled up to their is-a
        ancestors with ``Taxonomy.ancestors``, exactly as the matcher rolls up what it finds;
        without it only the core ids the rules name and their core ancestors count (the gold
        used before 2026-11-25, kept for comparison).
        """
        clean = " ".join(text.lower().split())
        found = set()
        for core_id, match, exclude in self.rules:
            if any(p.search(clean) for p in match) and not any(p.search(clean) for p in exclude):
                found.add(core_id)
        if not roll_up:
            for core_id in list(found):
                found.update(a for a in self.taxonomy.ancestors(core_id) if a in CORE_CATEGORY)
            return found
        named = self.exact.get(text.strip()) or self.folded.get(normalise_alias(text))
        mapped = found | ({named} if named else set())
        for skill_id in mapped:
            if skill_id in self.taxonomy.skills:
                found.update(self.taxonomy.ancestors(skill_id))
        return {i for i in found | mapped if i in CORE_CATEGORY}


def alias_index(taxonomy: Taxonomy) -> tuple[dict[str, str], dict[str, str]]:
    """Normalised alias text -> skill id (case-insensitive aliases; exact case-sensitive ones)."""
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    for skill in taxonomy.skills.values():
        if skill.category not in {"technical", "mathematical"}:
            continue
        for alias in skill.aliases:
            if alias.ambiguous:
                continue
            if alias.case_sensitive:
                exact.setdefault(alias.text, skill.id)
            else:
                folded.setdefault(normalise_alias(alias.text), skill.id)
    return folded, exact


def row(*cells: object) -> str:
    """A Markdown table row."""
    return "| " + " | ".join(str(c) for c in cells) + " |"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans``."""
    return any(s < end and start < e for s, e in spans)


def core_table(
    corpora: dict[str, list[GoldDoc]],
    results: dict[str, list[SkillsResult]],
    gold_map: GoldMap,
    *,
    explicit: bool,
    verbose: bool,
    roll_up: bool = True,
) -> None:
    """Table (a): core ids per document, micro P/R/F1 per corpus and category.

    The last three columns count only skills with direct evidence (named in the document, not
    reached through a more specific skill): how many such (document, id) pairs were reported,
    how many are in the gold, and their precision.
    """
    which = (
        "skills with explicit evidence" if explicit else "all reported skills (implied included)"
    )
    gold_kind = "gold rolled up (is-a ancestors)" if roll_up else "gold: mapping rules only"
    print(f"## (a) Core ids per document: {which}; {gold_kind}\n")
    print(
        "| corpus | category | docs | gold | TP | FP | FN | precision | recall | F1 "
        "| direct reported | direct TP | direct precision |"
    )
    print(
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    errors: Counter[tuple[str, str, str]] = Counter()
    fp_kinds: Counter[str] = Counter()
    keys = (*CORE, "all")
    totals = {c: [0, 0, 0, 0, 0] for c in keys}

    def print_row(name: str, category: str, n_docs: int, cells: list[int]) -> None:
        tp, fp, fn, d_reported, d_tp = cells
        p, r, f = prf(tp, fp, fn)
        dp = d_tp / d_reported if d_reported else 1.0
        print(
            row(
                name, category, n_docs, tp + fn, tp, fp, fn, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}",
                d_reported, d_tp, f"{dp:.3f}",
            )
        )  # fmt: skip

    for name, docs in corpora.items():
        counts = {c: [0, 0, 0, 0, 0] for c in keys}
        for gold_doc, result in zip(docs, results[name], strict=True):
            gold: set[str] = set()
            for mention in gold_doc.mentions:
                gold |= gold_map.ids(mention[1], roll_up=roll_up)
            shown = [s for s in result.skills if not explicit or s.strength == "explicit"]
            predicted = {s.id for s in shown} & CORE_CATEGORY.keys()
            direct = {s.id for s in shown if s.direct} & CORE_CATEGORY.keys()
            for core_id in gold | predicted:
                category = CORE_CATEGORY[core_id]
                slot = (
                    0
                    if core_id in gold and core_id in predicted
                    else (1 if core_id in predicted else 2)
                )
                for c in (category, "all"):
                    counts[c][slot] += 1
                    totals[c][slot] += 1
                    if core_id in direct:
                        counts[c][3] += 1
                        totals[c][3] += 1
                        if slot == 0:
                            counts[c][4] += 1
                            totals[c][4] += 1
                if slot:
                    errors[(name, "FP" if slot == 1 else "FN", core_id)] += 1
                if slot == 1:
                    fp_kinds[_fp_kind(result, core_id)] += 1
                    if verbose and explicit and roll_up:
                        match = result.get(core_id)
                        ev = match.evidence[0] if match else None
                        print(f"<!-- FP {gold_doc.document.source} {core_id}: {ev} -->")
        for category, cells in counts.items():
            print_row(name, category, len(docs), cells)
    for category, cells in totals.items():
        print_row("**both**", category, sum(map(len, corpora.values())), cells)
    print("\nMost frequent errors (corpus, kind, id: documents):", end=" ")
    print(", ".join(f"{n} {k} {i}: {c}" for (n, k, i), c in errors.most_common(12)))
    print("\nFalse positives by how the skill was found:", end=" ")
    print(", ".join(f"{kind}: {count}" for kind, count in fp_kinds.most_common()))

    print()


def _fp_kind(result: SkillsResult, core_id: str) -> str:
    """How a falsely reported core skill was found: named in the text (the gold did not mark
    that mention), only through a more specific skill, or only by behaviour."""
    match = result.get(core_id)
    if match is None:
        return "?"
    direct = [e for e in match.evidence if e.via is None]
    if any(e.method in {"phrase", "pattern", "acronym"} and e.rule == "alias" for e in direct):
        return "named by an unambiguous alias"
    if any(e.method in {"phrase", "pattern", "acronym"} for e in direct):
        return "named, ambiguous form gated in"
    if any(e.method == "fuzzy" for e in direct):
        return "typo match"
    if direct:
        return "behaviour only"
    return "only through a more specific skill"


def adjudicated_section(
    corpora: dict[str, list[GoldDoc]],
    results: dict[str, list[SkillsResult]],
    gold_map: GoldMap,
    taxonomy: Taxonomy,
    *,
    errors: bool,
) -> None:
    """Section (0), the headline: core ids per document against the adjudicated gold
    (``gold_adjudicated.yaml``), beside the original gold and the alias-lookup baseline."""
    adjudication = load_adjudication(Path(__file__).with_name("gold_adjudicated.yaml"))
    keys = {name: [g.document.source for g in docs] for name, docs in corpora.items()}
    live: dict[str, set[str]] = {}
    explicit: dict[str, set[str]] = {}
    everything: dict[str, set[str]] = {}
    baseline: dict[str, set[str]] = {}
    lookup = AliasLookup(taxonomy)
    for name, docs in corpora.items():
        for gold_doc, result in zip(docs, results[name], strict=True):
            key = gold_doc.document.source
            live[key] = set()
            for mention in gold_doc.mentions:
                live[key] |= gold_map.ids(mention[1])
            everything[key] = {s.id for s in result.skills}
            explicit[key] = {s.id for s in result.skills if s.strength == "explicit"}
            baseline[key] = lookup.find(gold_doc.document.text)
    gold = adjudication.adjudicated
    print("## (0) Core ids per document against the adjudicated gold (the headline)\n")
    print(
        "Adjudicated gold: `gold_adjudicated.yaml` (original gold frozen before issue 17, "
        + ", ".join(f"{n} {k}" for k, n in sorted(adjudication.changes.items()))
        + " pairs, each with its rule and quote). Columns: skillmatch (explicit evidence) on the "
        "adjudicated gold; skillmatch with behavioural evidence too; the baseline (exact "
        "case-insensitive lookup of unambiguous aliases, rolled up along is-a) on the adjudicated "
        "gold; skillmatch on the frozen original gold; skillmatch on the original gold as "
        "`gold_map.yaml` computes it with today's taxonomy.\n"
    )
    runs = {
        "adjudicated": (gold, explicit),
        "adjudicated, implied too": (gold, everything),
        "baseline, adjudicated": (gold, baseline),
        "original (frozen)": (adjudication.original, explicit),
        "original (live)": (live, explicit),
    }
    print("\n".join(comparison_table(keys, runs, CORE_CATEGORY)))
    if errors:
        print("\n### Remaining errors on the adjudicated gold (explicit evidence)\n")
        for name, docs in corpora.items():
            for gold_doc, result in zip(docs, results[name], strict=True):
                key = gold_doc.document.source
                want = gold.get(key, set()) & CORE_CATEGORY.keys()
                got = explicit[key] & CORE_CATEGORY.keys()
                for core_id in sorted(got - want):
                    match = result.get(core_id)
                    ev = match.evidence[0] if match else None
                    via = f" via {ev.via}" if ev and ev.via else ""
                    print(f"- FP {key} {core_id}: {ev.text if ev else '?'!r}{via}")
                for core_id in sorted(want - got):
                    print(f"- FN {key} {core_id}")
    print()


def main() -> int:
    root = corpus_dir()
    if not (root / "jobs" / "skillspan").exists() and not (root / "cvs" / "dotin").exists():
        print(f"skipped: no corpus at {root} (set SKILLMATCH_CORPUS)")
        return 0
    taxonomy = load_taxonomy()
    matcher = get_matcher(taxonomy)
    gold_map = GoldMap(Path(__file__).with_name("gold_map.yaml"), taxonomy)
    folded, exact = alias_index(taxonomy)
    corpora: dict[str, list[GoldDoc]] = {
        "skillspan": list(skillspan(root)),
        "dotin": list(dotin(root)),
    }
    verbose = "-v" in sys.argv

    results: dict[str, list[SkillsResult]] = {}
    words = 0
    started = time.perf_counter()
    for name, docs in corpora.items():
        results[name] = [matcher.find(g.document) for g in docs]
        words += sum(len(g.document.text.split()) for g in docs)
    elapsed = time.perf_counter() - started

    print(
        f"# Skill extraction benchmark (taxonomy {taxonomy.version}, "
        f"{len(taxonomy.skills)} entries)\n"
    )
    adjudicated_section(corpora, results, gold_map, taxonomy, errors="--errors" in sys.argv)
    for explicit in (True, False):
        core_table(corpora, results, gold_map, explicit=explicit, verbose=verbose)
    core_table(corpora, results, gold_map, explicit=True, verbose=False, roll_up=False)
    print("\n## (b) Gold mentions\n")
    print(
        row(
            "corpus",
            "known technical mentions",
            "found",
            "recall",
            "reported evidence",
            "on a gold mention",
            "precision",
        )
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    missed: Counter[str] = Counter()
    per_category: dict[str, list[int]] = {}
    for name, docs in corpora.items():
        known = found = reported = correct = 0
        for gold_doc, result in zip(docs, results[name], strict=True):
            shown = {s.id for s in result.skills if s.direct}
            for kind, text, _, _ in gold_doc.mentions:
                if kind not in {"knowledge", "Tech Tools"}:
                    continue
                skill_id = exact.get(text.strip()) or folded.get(normalise_alias(text))
                if skill_id is None:
                    continue
                known += 1
                if skill_id in shown:
                    found += 1
                else:
                    missed[f"{text.strip()} ({skill_id})"] += 1
            spans = [(s, e) for _, _, s, e in gold_doc.mentions]
            for skill in result.skills:
                if not skill.direct or skill.category not in CORE:
                    continue
                for ev in skill.evidence:
                    if ev.via is not None:
                        continue
                    hit = overlaps(ev.start, ev.end, spans)
                    reported += 1
                    correct += hit
                    tally = per_category.setdefault(f"{name}|{skill.category}", [0, 0])
                    tally[0] += 1
                    tally[1] += hit
        recall = found / known if known else 1.0
        precision = correct / reported if reported else 1.0
        print(row(name, known, found, f"{recall:.3f}", reported, correct, f"{precision:.3f}"))
    print("\nEvidence precision per category (share of reported evidence on a gold mention):\n")
    print("| corpus | category | reported | on gold | precision |")
    print("| --- | --- | ---: | ---: | ---: |")
    for key, (n, ok) in sorted(per_category.items()):
        name, category = key.split("|")
        print(f"| {name} | {category} | {n} | {ok} | {ok / n:.3f} |")
    if missed:
        print(
            "\nMost frequent missed known mentions:",
            ", ".join(f"{t}: {c}" for t, c in missed.most_common(15)),
        )

    print("\n## Speed\n")
    print("| documents | words | seconds | words/s |")
    print("| ---: | ---: | ---: | ---: |")
    n_docs = sum(map(len, corpora.values()))
    print(f"| {n_docs} | {words} | {elapsed:.2f} | {words / elapsed:,.0f} |")
    passes = []
    for _ in range(3):
        started = time.perf_counter()
        for docs in corpora.values():
            for g in docs:
                matcher.find(g.document)
        passes.append(time.perf_counter() - started)
    best = min(passes)
    print(row(f"{n_docs} (best of 3 more passes)", words, f"{best:.2f}", f"{words / best:,.0f}"))
    print("\nFirst pass: the tokenizer's cache starts cold. Timings vary with machine load.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""PDF extraction benchmark: word recall and speed per producer, ours vs pdfplumber vs pypdfium2.

Run ``python benchmarks/parsing.py [--quick] [--files N]`` (the corpus is ``$SKILLMATCH_CORPUS``,
default ``<repo>/../shared/corpus``). Prints Markdown tables, two legs:

1. **Real exporters** (``ranking/``: 166 CVs rendered by wkhtmltopdf (Qt 4.8.7), Chromium,
   LibreOffice, and DOCX files): per producer, the multiset word recall of the extracted text
   against the source text (``cvs-text/<id>.txt``; the method of ``ranking/README.md``,
   "Parsing": a space before a glued "Education Details" / "Company Details", words of 3+
   letters case-folded, recall = sum of min(count in source, count extracted) / source words),
   mean and min, and **glued pairs**: extracted words that are two consecutive source words
   joined ("ProjectManager") and not a source word themselves.
2. **Corpus PDFs** (``pdfs/``, one producer per folder: rendercv = Typst, awesome-cv = XeLaTeX,
   sb2nov = pdfLaTeX, resume-matcher*): the share of the distinct ordinary words (letters only,
   2+ characters) of a PDF's source (rendercv YAML, or the TeX the PDF was built from) that
   appear as words in the extracted text. PDFs without a source are timed but have no recall;
   the ``glued`` column counts letter runs of 21+ characters (glued words) in the output.

Engines, side by side in the same run: skillmatch (the default pdfium engine), pypdfium2's
``get_text_range()`` and pdfplumber's ``extract_text()`` (``--quick`` leaves pdfplumber out).
"""

from __future__ import annotations

import csv
import itertools
import logging
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
_WORD = re.compile(r"[^\W\d_]{2,}")
#: A letter run this long is almost always words glued together ("CORNELLUNIVERSITY...").
_GLUED = re.compile(r"(?<![/@.\w])[^\W\d_]{21,}")
_YAML_HIDDEN_KEYS = frozenset(
    [
        "email",
        "website",
        "photo",
        "phone",
        "network",
        "username",
        "url",
        "doi",
        "date",
        "start_date",
        "end_date",
    ]
)
_TEX_DROP_ARGUMENT = re.compile(
    r"\\(?:begin|end|vspace|hspace|href|url|input|include|usepackage|documentclass|"
    r"setlength|addtolength|color|colorlet|definecolor|fontdir|geometry|setbool|"
    r"makecvheader|makecvfooter|photo|quote|today|thepage|item|label|ref)"
    r"\s*(?:\[[^\]]*\])?\s*(?:\{[^{}]*\})?"
)


def corpus_pdfs_dir() -> Path:
    """``$SKILLMATCH_CORPUS/pdfs`` (default ``<repo>/../shared/corpus/pdfs``)."""
    corpus = os.environ.get("SKILLMATCH_CORPUS", str(REPO.parent / "shared" / "corpus"))
    return Path(corpus) / "pdfs"


def words(text: str) -> set[str]:
    """The distinct lower-cased letter-only words of ``text``."""
    return {w.lower() for w in _WORD.findall(text)}


def source_words(pdf: Path) -> set[str] | None:
    """The ordinary words of the PDF's source (YAML or TeX beside it), or ``None``."""
    yaml_source = pdf.with_suffix(".yaml")
    if yaml_source.exists():
        return _yaml_words(yaml_source)
    tex_source = pdf.with_suffix(".tex")
    if tex_source.exists():
        return _tex_words(tex_source)
    return None


def _yaml_words(path: Path) -> set[str]:
    """Words of the displayed values of a rendercv YAML file (the ``cv`` part)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for text in _yaml_strings(data.get("cv", {})):
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # markdown links
        text = re.sub(r"\S+@\S+|https?://\S+", " ", text)
        found |= words(text.replace("*", ""))
    return found


def _yaml_strings(node: Any, key: str = "") -> Iterable[str]:
    """Every displayed string under ``node``; section titles (dict keys of sections) included."""
    if key in _YAML_HIDDEN_KEYS:
        return
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for child_key, value in node.items():
            if key == "sections":
                yield str(child_key)
            yield from _yaml_strings(value, str(child_key))
    elif isinstance(node, list):
        for item in node:
            yield from _yaml_strings(item, key)


def _tex_words(path: Path) -> set[str]:
    """Words of a TeX document body, following ``\\input`` files, commands removed."""
    text = path.read_text(encoding="utf-8")
    if "\\begin{document}" in text:
        text = text.split("\\begin{document}", 1)[1].split("\\end{document}", 1)[0]
    text = _inline_inputs(text, path.parent)
    text = re.sub(r"(?<!\\)%.*", "", text)
    text = _TEX_DROP_ARGUMENT.sub(" ", text)
    text = re.sub(r"\\[a-zA-Z@]+\*?", " ", text)
    text = re.sub(r"\S+@\S+|https?://\S+|\b\d+(?:mm|pt|em|cm|in)\b", " ", text)
    return words(text.replace("~", " ").replace("\\&", "&"))


def _inline_inputs(text: str, folder: Path) -> str:
    """Replace uncommented ``\\input{file}`` by the file's text."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        target = folder / (name if name.endswith(".tex") else f"{name}.tex")
        return target.read_text(encoding="utf-8") if target.exists() else ""

    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("%")]
    return re.sub(r"\\input\{([^}]*)\}", replace, "\n".join(lines))


def recall(expected: set[str], text: str) -> float:
    """Share of ``expected`` words present as words in ``text``."""
    if not expected:
        return 1.0
    return len(expected & words(text)) / len(expected)


def missing_words(expected: set[str], text: str) -> set[str]:
    """The expected words absent from ``text``."""
    return expected - words(text)


# --- engines ------------------------------------------------------------------------------


def ours(path: Path) -> tuple[str, int]:
    """skillmatch's PDF text and page count."""
    from skillmatch.read.parse import parse_file

    document = parse_file(path)
    return document.text, len(document.pages)


def plain_pdfplumber(path: Path) -> tuple[str, int]:
    """pdfplumber's default ``extract_text()`` of every page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages), len(pdf.pages)


def plain_pypdfium2(path: Path) -> tuple[str, int]:
    """pypdfium2's ``get_text_range()`` of every page."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(texts), len(texts)
    finally:
        document.close()


ENGINES: dict[str, Callable[[Path], tuple[str, int]]] = {
    "skillmatch": ours,
    "pdfplumber extract_text()": plain_pdfplumber,
    "pypdfium2 get_text_range()": plain_pypdfium2,
}


def run(folder: Path, repeat: int = 3) -> list[dict[str, Any]]:
    """Measure every engine on every PDF under ``folder``; one row per engine."""
    pdfs = sorted(folder.rglob("*.pdf"))
    rows = []
    for engine_name, engine in ENGINES.items():
        pages, seconds, recalls, worst, cid, glued = 0, 0.0, [], (2.0, "-"), 0, 0
        paths: dict[str, int] = {}
        for pdf in pdfs:
            before = dict(_page_engines())
            text, count = engine(pdf)  # warm-up and result
            if engine is ours:
                for path, pages_read in _page_engines().items():
                    paths[path] = paths.get(path, 0) + pages_read - before.get(path, 0)
            reps = 1 if engine is plain_pdfplumber else repeat
            start = time.perf_counter()
            for _ in range(reps):
                engine(pdf)
            seconds += (time.perf_counter() - start) / reps
            pages += count
            cid += text.count("(cid:")
            glued += len(_GLUED.findall(text))
            expected = source_words(pdf)
            if expected is not None:
                score = recall(expected, text)
                recalls.append(score)
                worst = min(worst, (score, pdf.name))
        rows.append(
            {
                "engine": engine_name,
                "files": len(pdfs),
                "pages": pages,
                "pages_per_second": pages / seconds if seconds else 0.0,
                "mean_recall": sum(recalls) / len(recalls) if recalls else float("nan"),
                "worst": worst,
                "cid": cid,
                "glued": glued,
                "paths": paths,
            }
        )
    return rows


def _page_engines() -> dict[str, int]:
    """Pages read so far by each of skillmatch's PDF engines (pdfium, pdfplumber)."""
    from skillmatch.read.pdf import PAGE_ENGINES

    return dict(PAGE_ENGINES)


def markdown(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table; ``pages by path`` counts skillmatch's pages per PDF engine."""
    lines = [
        "| engine | pages | pages/s | mean word recall | worst file (recall) | `(cid:` | glued "
        "| pages by path |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for r in rows:
        worst_score, worst_name = r["worst"]
        paths = ", ".join(f"{n} {path}" for path, n in sorted(r["paths"].items())) or "-"
        lines.append(
            f"| {r['engine']} | {r['pages']} | {r['pages_per_second']:.1f} | "
            f"{r['mean_recall']:.3f} | {worst_name} ({worst_score:.3f}) | {r['cid']} | "
            f"{r['glued']} | {paths} |"
        )
    return "\n".join(lines)


def per_file(folder: Path) -> str:
    """Per-file word recall of every engine, as a Markdown table."""
    lines = ["| file | " + " | ".join(ENGINES) + " |", "| --- |" + " ---: |" * len(ENGINES)]
    for pdf in sorted(folder.rglob("*.pdf")):
        expected = source_words(pdf)
        if expected is None:
            continue
        scores = [f"{recall(expected, engine(pdf)[0]):.3f}" for engine in ENGINES.values()]
        lines.append(f"| {pdf.relative_to(folder)} | " + " | ".join(scores) + " |")
    return "\n".join(lines)


# --- leg 1: the ranking corpus (real exporters) ------------------------------------------

_RANKING_WORD = re.compile(r"[^\W\d_]+")
_GLUED_LABEL = re.compile(r"(?<=\S)(?=(?:Education|Company) Details)")


def ranking_dir() -> Path:
    """``$SKILLMATCH_CORPUS/ranking`` (default ``<repo>/../shared/corpus/ranking``)."""
    return corpus_pdfs_dir().parent / "ranking"


def ranking_files(root: Path) -> list[tuple[Path, str, Path]]:
    """(file, producer, source text) of every CV of the ranking corpus, in ``labels.csv`` order."""
    with (root / "labels.csv").open(encoding="utf-8") as handle:
        return [
            (root / row["file"], row["producer"], root / row["text"])
            for row in csv.DictReader(handle)
        ]


def word_counts(text: str) -> Counter[str]:
    """Words of 3+ letters, case-folded, counted (the ranking README's "Parsing" method)."""
    text = _GLUED_LABEL.sub(" ", text)
    return Counter(w for w in _RANKING_WORD.findall(text.casefold()) if len(w) >= 3)


def multiset_recall(source: str, extracted: str) -> float:
    """Sum over source words of min(count in source, count extracted) / source words."""
    expected, got = word_counts(source), word_counts(extracted)
    total = sum(expected.values())
    return sum(min(n, got[w]) for w, n in expected.items()) / total if total else 1.0


def glued_pairs(source: str, extracted: str) -> int:
    """Extracted words that are two consecutive source words joined, and not a source word."""
    words_in_order = [w.casefold() for w in _RANKING_WORD.findall(_GLUED_LABEL.sub(" ", source))]
    vocabulary = set(words_in_order)
    pairs = {a + b for a, b in itertools.pairwise(words_in_order)} - vocabulary
    extracted = _GLUED_LABEL.sub(" ", extracted)  # glued in the source as well
    return sum(1 for w in _RANKING_WORD.findall(extracted.casefold()) if w in pairs)


def skillmatch_text(path: Path) -> tuple[str, int]:
    """skillmatch's text of any document (PDF or DOCX) and its page count (1 for a DOCX)."""
    from skillmatch.read.parse import parse_file

    document = parse_file(path)
    return document.text, max(1, len(document.pages))


def pdfplumber_tolerance_1(path: Path) -> tuple[str, int]:
    """pdfplumber's ``extract_text(x_tolerance=1)`` (the ranking README's reference)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text(x_tolerance=1) or "" for page in pdf.pages]
    return "\n".join(texts), len(texts)


RANKING_ENGINES: dict[str, Callable[[Path], tuple[str, int]]] = {
    "skillmatch": skillmatch_text,
    "pypdfium2 get_text_range()": plain_pypdfium2,
    "pdfplumber extract_text(x_tolerance=1)": pdfplumber_tolerance_1,
}


def ranking_rows(
    root: Path, engines: dict[str, Callable[[Path], tuple[str, int]]], limit: int | None = None
) -> list[dict[str, Any]]:
    """One row per (producer, engine): files, pages, pages/s, recall mean and min, glued pairs."""
    files = ranking_files(root)
    by_producer: dict[str, list[tuple[Path, Path]]] = {}
    for path, producer, text in files:
        by_producer.setdefault(producer, []).append((path, text))
    rows = []
    for producer, items in by_producer.items():
        items = items[:limit] if limit else items
        for name, engine in engines.items():
            if producer == "docx" and engine is not skillmatch_text:
                continue
            rows.append(_ranking_row(producer, name, engine, items))
    return rows


def _ranking_row(
    producer: str,
    name: str,
    engine: Callable[[Path], tuple[str, int]],
    items: list[tuple[Path, Path]],
) -> dict[str, Any]:
    """Recall, glued pairs and speed of one engine on one producer's files."""
    recalls: list[tuple[float, str]] = []
    glued = pages = 0
    seconds = 0.0
    for path, text_path in items:
        source = text_path.read_text(encoding="utf-8")
        start = time.perf_counter()
        text, count = engine(path)
        seconds += time.perf_counter() - start
        pages += count
        recalls.append((multiset_recall(source, text), path.stem))
        glued += glued_pairs(source, text)
    return {
        "producer": producer,
        "engine": name,
        "files": len(items),
        "pages": pages,
        "pages_per_second": pages / seconds if seconds else 0.0,
        "mean": sum(r for r, _ in recalls) / len(recalls),
        "min": min(recalls),
        "below": sum(1 for r, _ in recalls if r < 0.97),
        "glued": glued,
    }


def ranking_markdown(rows: list[dict[str, Any]]) -> str:
    """The ranking leg as a Markdown table."""
    lines = [
        "| producer | engine | files | pages | pages/s | recall mean | recall min (file) "
        "| files < 0.97 | glued pairs |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for r in rows:
        worst, worst_file = r["min"]
        lines.append(
            f"| {r['producer']} | {r['engine']} | {r['files']} | {r['pages']} | "
            f"{r['pages_per_second']:.1f} | {r['mean']:.4f} | {worst:.4f} ({worst_file}) | "
            f"{r['below']} | {r['glued']} |"
        )
    return "\n".join(lines)


# --- leg 2: the corpus pdfs/ folders, one producer per folder ------------------------------


def folder_rows(folder: Path, engines: dict[str, Callable[[Path], tuple[str, int]]]) -> str:
    """Per folder (producer) and engine: mean and min recall against the source, glued runs."""
    lines = [
        "| folder (producer) | engine | files | with source | recall mean | recall min (file) "
        "| glued runs |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        pdfs = sorted(sub.rglob("*.pdf"))
        if not pdfs:
            continue
        for name, engine in engines.items():
            scores: list[tuple[float, str]] = []
            glued = 0
            for pdf in pdfs:
                text = engine(pdf)[0]
                glued += len(_GLUED.findall(text))
                expected = source_words(pdf)
                if expected is not None:
                    scores.append((recall(expected, text), pdf.name))
            mean = f"{sum(s for s, _ in scores) / len(scores):.4f}" if scores else "-"
            worst = f"{min(scores)[0]:.4f} ({min(scores)[1]})" if scores else "-"
            lines.append(
                f"| {sub.name} ({PRODUCERS.get(sub.name, '?')}) | {name} | {len(pdfs)} | "
                f"{len(scores)} | {mean} | {worst} | {glued} |"
            )
    return "\n".join(lines)


#: What made the PDFs of each corpus folder.
PRODUCERS = {
    "rendercv": "Typst",
    "awesome-cv": "XeLaTeX",
    "sb2nov": "pdfLaTeX",
    "resume-matcher": "Chromium/Skia",
    "resume-matcher-templates": "Chromium/Skia",
}


def main(argv: list[str]) -> int:
    """Print the ranking-corpus leg, the pdfs/ folder leg and the per-file table."""
    quick = "--quick" in argv
    limit = int(argv[argv.index("--files") + 1]) if "--files" in argv else None
    folder = corpus_pdfs_dir()
    if not folder.is_dir():
        print(f"no corpus at {folder}; set SKILLMATCH_CORPUS", file=sys.stderr)
        return 1
    sys.path.insert(0, str(REPO / "src"))
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    engines = dict(RANKING_ENGINES)
    if quick:
        del engines["pdfplumber extract_text(x_tolerance=1)"]
    root = ranking_dir()
    if (root / "labels.csv").exists():
        print("Real exporters (ranking/):\n")
        print(ranking_markdown(ranking_rows(root, engines, limit)))
        print()
    folder_engines = {k: v for k, v in ENGINES.items() if not (quick and v is plain_pdfplumber)}
    print("Corpus PDFs (pdfs/), per folder:\n")
    print(folder_rows(folder, folder_engines))
    if not quick:
        print()
        print(markdown(run(folder)))
        print()
        print(per_file(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

"""PDF extraction benchmark: pages/second and word recall, ours vs pdfplumber vs pypdfium2.

Run ``python benchmarks/parsing.py [CORPUS_PDFS_DIR]`` (default: ``$SKILLMATCH_CORPUS/pdfs``,
``SKILLMATCH_CORPUS`` defaulting to ``<repo>/../shared/corpus``). Prints a Markdown table.

Word recall: the share of the distinct ordinary words (letters only, 2+ characters) of a PDF's
source (rendercv YAML, or the TeX the PDF was built from) that appear as words in the
extracted text. PDFs without a source are timed but have no recall; for all PDFs the
``glued`` column counts letter runs of 21+ characters (glued words) in the output.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
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
    """Pages read so far by each of skillmatch's PDF paths (fast pdfium text, char-box layout)."""
    from skillmatch.read.pdf import PAGE_ENGINES

    return dict(PAGE_ENGINES)


def markdown(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table; ``pages by path`` is skillmatch's fast/layout page split."""
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


def main(argv: list[str]) -> int:
    """Print the summary and per-file tables for the corpus PDFs."""
    folder = Path(argv[1]) if len(argv) > 1 else corpus_pdfs_dir()
    if not folder.is_dir():
        print(f"no corpus at {folder}; set SKILLMATCH_CORPUS", file=sys.stderr)
        return 1
    sys.path.insert(0, str(REPO / "src"))
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    print(markdown(run(folder)))
    print()
    print(per_file(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

"""What the reliability work of issue 19 costs on real documents, each beside its baseline.

Run ``python benchmarks/reliability.py`` (about a minute). Legs, each on the project's samples
and on the development corpus when it is there (``$SKILLMATCH_CORPUS``, default
``<repo>/../shared/corpus``; skipped when absent):

* **flate-bomb check**: :func:`skillmatch.read.pdf_streams.check_streams` per PDF, beside a
  whole :func:`skillmatch.read.pdf.extract_pdf` (which includes it): the check must stay a small
  share of reading;
* **redaction** (the corpus leg: the ranking CVs' texts): per CV,
  :func:`skillmatch.read.redact.find_personal_data` with the contact
  finders of :mod:`skillmatch.read.redact_contact` (obfuscated e-mail, handles, streets,
  postcodes), beside the same call with those finders switched off (the baseline: what
  ``--redact`` found before), and how many spans the new finders add;
* **pathological RTF**: 40 MB of braces read by :func:`skillmatch.read.rtf.read_rtf`
  (time and peak memory of a child process), beside a plain text RTF of the same size.

It prints Markdown tables.
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from skillmatch.limits import DEFAULT_LIMITS
from skillmatch.read import redact
from skillmatch.read.pdf import extract_pdf
from skillmatch.read.pdf_streams import check_streams

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SKILLMATCH_CORPUS", ROOT.parent / "shared" / "corpus"))


def _per_item(function: Callable[[object], object], items: list[object], rounds: int = 3) -> float:
    """The best of ``rounds`` mean times (ms) of ``function`` over ``items``."""
    best = float("inf")
    for _round in range(rounds):
        started = time.perf_counter()
        for item in items:
            function(item)
        best = min(best, (time.perf_counter() - started) * 1000 / max(1, len(items)))
    return best


def _pdfs() -> dict[str, list[bytes]]:
    legs = {"samples": [p.read_bytes() for p in sorted((ROOT / "samples").glob("*.pdf"))]}
    corpus = sorted(CORPUS.glob("pdfs/**/*.pdf")) + sorted(CORPUS.glob("ranking/**/*.pdf"))
    if corpus:
        legs["corpus"] = [p.read_bytes() for p in corpus]
    return legs


def _texts() -> dict[str, list[str]]:
    legs = {"samples": [p.read_text() for p in sorted((ROOT / "samples").glob("cv-*.txt"))]}
    corpus = sorted(CORPUS.glob("ranking/cvs-text/*.txt"))
    if corpus:
        legs["corpus"] = [p.read_text(encoding="utf-8", errors="replace") for p in corpus]
    return legs


def _quiet_extract(data: object) -> None:
    with contextlib.suppress(Exception):  # a damaged corpus file costs what it costs
        extract_pdf(data, "bench.pdf")  # type: ignore[arg-type]


def flate_check() -> list[str]:
    """The flate-bomb check against whole extraction, per PDF."""
    rows = ["| leg | PDFs | MB | check_streams ms/PDF | extract_pdf ms/PDF | share |"]
    rows.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for leg, pdfs in _pdfs().items():
        check = _per_item(lambda d: check_streams(d, "b.pdf", DEFAULT_LIMITS), pdfs)  # type: ignore[arg-type]
        whole = _per_item(_quiet_extract, pdfs, rounds=1)
        megabytes = sum(map(len, pdfs)) / 1e6
        rows.append(
            f"| {leg} | {len(pdfs)} | {megabytes:.1f} | {check:.2f} | {whole:.1f} | "
            f"{check / whole:.1%} |"
        )
    return rows


#: The finders of issue 19's first round, and those of the second (addresses without a street
#: word: labels, contact-block house numbers, post-office boxes, CJK addresses).
FIRST_ROUND = ("obfuscated_emails", "handles", "streets", "postcodes")
SECOND_ROUND = ("labelled_addresses", "contact_addresses", "po_boxes", "cjk_addresses")


@contextmanager
def _without_contact_finders(names: tuple[str, ...] = FIRST_ROUND + SECOND_ROUND) -> Iterator[None]:
    """``find_personal_data`` with the finders ``names`` switched off (they find nothing)."""
    saved = {name: getattr(redact, name) for name in names}
    for name in saved:
        setattr(redact, name, lambda _text: iter(()))
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(redact, name, function)


def _address_scores() -> tuple[int, int, int, int]:
    """On ``tests/data/addresses.yaml``: addresses wholly masked, addresses, look-alikes kept,
    look-alikes."""
    import yaml

    cases = yaml.safe_load((ROOT / "tests" / "data" / "addresses.yaml").read_text("utf-8"))

    def masked(line: str) -> tuple[str, int]:
        text = f"Jane Doe\n{line}\njane.doe@example.org\n\nSkills\nPython, SQL\n"
        chars = list(text)
        for span in redact.find_personal_data(text):
            chars[span.start : span.end] = redact.MASK * (span.end - span.start)
        return "".join(chars), text.index(line)

    found = 0
    for case in cases["addresses"]:
        text, start = masked(case["line"])
        start += case["line"].index(case["address"])
        found += text[start : start + len(case["address"])] == redact.MASK * len(case["address"])
    kept = sum(case["keep"] in masked(case["line"])[0] for case in cases["not_addresses"])
    return found, len(cases["addresses"]), kept, len(cases["not_addresses"])


def addresses() -> list[str]:
    """The address test set, with the street and postcode finders only (the baseline) and with
    the second round's finders."""
    rows = ["| finders | addresses masked | look-alikes kept |", "| --- | ---: | ---: |"]
    for label, off in (("street words and postcodes (baseline)", SECOND_ROUND), ("all", ())):
        with _without_contact_finders(off):
            found, total, kept, alike = _address_scores()
        rows.append(f"| {label} | {found} / {total} | {kept} / {alike} |")
    return rows


def redaction() -> list[str]:
    """``find_personal_data`` per CV with and without the contact finders."""
    rows = ["| leg | CVs | baseline ms/CV | with contact finders ms/CV | spans added |"]
    # the baseline: as before issue 19 (none of the contact finders)
    rows.append("| --- | ---: | ---: | ---: | ---: |")
    for leg, texts in _texts().items():
        with _without_contact_finders():
            before = _per_item(redact.find_personal_data, texts)  # type: ignore[arg-type]
            old = sum(len(redact.find_personal_data(t)) for t in texts)
        after = _per_item(redact.find_personal_data, texts)  # type: ignore[arg-type]
        new = sum(len(redact.find_personal_data(t)) for t in texts)
        rows.append(f"| {leg} | {len(texts)} | {before:.2f} | {after:.2f} | {new - old} |")
    return rows


_RTF_CHILD = """
import resource, sys, time
from skillmatch.read.rtf import read_rtf
size = 40_000_000
body = {body}
data = b"{{\\\\rtf1 Python " + body + b"}}"
started = time.perf_counter()
read_rtf(data, "bench.rtf")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{time.perf_counter() - started:.2f}} {{peak:.0f}}")
"""

#: 40 MB RTF bodies: plain text (the baseline), then the pathological shapes.
RTF_CASES = {
    "plain text (baseline)": 'b"word " * (size // 5)',
    "nested braces": 'b"{" * (size // 2) + b"}" * (size // 2)',
    "empty groups": 'b"{}" * (size // 2)',
    "unclosed braces": 'b"{" * size',
    "{a} groups": 'b"{a}" * (size // 3)',
    "{{a}} groups": 'b"{{a}}" * (size // 5)',
    r"\'hh escapes": r'b"\\\'e9" * (size // 4)',
    "one huge control word": r'b"\\" + b"a" * size',
    r"a huge number (\u and 40 M digits)": r'b"\\u" + b"9" * size',
    r"\bin blob of braces": r'b"\\bin%d " % size + b"{" * size',
    r"{\b a} groups (a control word every 6 bytes)": r'b"{\\b a}" * (size // 6)',
    r"{\v a}{b} groups (hidden and shown text every 9 bytes)": r'b"{\\v a}{b}" * (size // 9)',
}


def rtf() -> list[str]:
    """40 MB RTFs: pathological shapes against plain text, in a child process each."""
    rows = ["| 40 MB RTF | seconds | peak MB (whole process) |", "| --- | ---: | ---: |"]
    for label, body in RTF_CASES.items():
        out = subprocess.run(
            [sys.executable, "-c", _RTF_CHILD.format(body=body)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        rows.append(f"| {label} | {out[0]} | {out[1]} |")
    return rows


def _as_rtf(text: str) -> bytes:
    """A CV's text as an RTF file: paragraphs, non-ASCII characters as ``\\u`` (UTF-16 units)."""
    parts = []
    for char in text.replace("\r", ""):
        if char.isascii():
            parts.append("\\" + char if char in "\\{}" else char)
            continue
        units = char.encode("utf-16-le")
        for index in range(0, len(units), 2):
            unit = int.from_bytes(units[index : index + 2], "little")
            parts.append(f"\\u{unit - 65536 if unit >= 32768 else unit}?")
    body = "".join(parts).replace("\n", "\\par\n")
    return ("{\\rtf1\\ansi " + body + "}").encode("ascii")


def rtf_real() -> list[str]:
    """Real CV texts written as RTF: the RTF reader beside plain-text decoding of the same
    text (the baseline)."""
    from skillmatch.read.formats import decode_text
    from skillmatch.read.rtf import read_rtf

    rows = ["| leg | CVs | MB as RTF | decode_text ms/CV (baseline) | read_rtf ms/CV |"]
    rows.append("| --- | ---: | ---: | ---: | ---: |")
    for leg, texts in _texts().items():
        files = [_as_rtf(text) for text in texts]
        plain = [text.encode() for text in texts]
        base = _per_item(lambda d: decode_text(d, "b.txt"), plain)  # type: ignore[arg-type]
        read = _per_item(lambda d: read_rtf(d, "b.rtf"), files)  # type: ignore[arg-type]
        megabytes = sum(map(len, files)) / 1e6
        rows.append(f"| {leg} | {len(files)} | {megabytes:.1f} | {base:.3f} | {read:.3f} |")
    return rows


def main() -> None:
    """Print the tables (``python benchmarks/reliability.py rtf`` or ``redact``: those only)."""
    only_rtf = sys.argv[1:] == ["rtf"]
    if sys.argv[1:] == ["redact"]:
        print("### Redaction\n", *redaction(), sep="\n")
        print("\n### Address test set\n", *addresses(), sep="\n")
        return
    if not only_rtf:
        print("### Flate-bomb check\n", *flate_check(), sep="\n")
        print("\n### Redaction\n", *redaction(), sep="\n")
        print("\n### Address test set\n", *addresses(), sep="\n")
    print("\n### Pathological RTF\n", *rtf(), sep="\n")
    print("\n### RTF of real CV texts\n", *rtf_real(), sep="\n")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n(benchmark process peak: {peak:.0f} MB)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Coverage-guided fuzzing of the PDF adapter (atheris + libFuzzer).

Each input is a file read as ``fuzz.pdf`` by :func:`skillmatch.read.parse.parse_bytes` (sniffing,
pdfium, the layout reader, the pdfplumber second opinion, text cleaning, sections). It must
give a Document or a SkillmatchError whose message quotes nothing of the file; see
``fuzz/README.md`` for the commands.

    python fuzz/fuzz_pdf.py /tmp/fuzz-corpus-pdf fuzz/seeds/pdf -max_total_time=600 \\
        -timeout=10 -rss_limit_mb=2048
"""

from __future__ import annotations

import sys

import atheris

# common is not instrumented: its own `in` checks would teach the fuzzer our messages.
with atheris.instrument_imports(exclude=["common"]):
    import pdfminer
    import pdfplumber
    import pypdfium2
    from common import check, import_readers

    import skillmatch.read.parse

    import_readers(
        ("pdf", "pdf_glyphs", "pdf_layout", "pdf_hidden", "pdf_objects", "textclean", "sections")
    )

SOURCE = "fuzz.pdf"
_LOADED = (pdfminer, pdfplumber, pypdfium2)


def test_one_input(data: bytes) -> None:
    """Read ``data`` as a PDF; only a Document or a clean SkillmatchError may come back."""
    check(
        lambda: skillmatch.read.parse.parse_bytes(data, source=SOURCE, extension=".pdf"),
        SOURCE,
        data,
    )


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

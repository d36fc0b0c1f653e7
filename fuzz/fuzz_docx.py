#!/usr/bin/env python3
"""Coverage-guided fuzzing of the DOCX adapter (atheris + libFuzzer).

An input is one selector byte and a payload (see :func:`common.docx_input`): selector 0 reads
the payload as a whole file, selectors 1-5 put it into a valid DOCX as ``word/document.xml``,
its relationships, ``[Content_Types].xml``, a header or the core properties, so the mutations
reach the package walk and lxml instead of dying at the ZIP layer. The file is read as
``fuzz.docx`` by :func:`skillmatch.read.parse.parse_bytes`; it must give a Document or a
SkillmatchError whose message quotes nothing of the payload or the file.

    python fuzz/fuzz_docx.py /tmp/fuzz-corpus-docx fuzz/seeds/docx -max_total_time=600 \\
        -timeout=10 -rss_limit_mb=2048
"""

from __future__ import annotations

import sys

import atheris

# common is not instrumented: its own `in` checks would teach the fuzzer our messages.
with atheris.instrument_imports(exclude=["common"]):
    import docx
    import lxml
    from common import check, docx_input, import_readers

    import skillmatch.read.parse

    import_readers(("archive", "docx_package", "docx_reader", "docx_hidden", "formats", "sections"))

SOURCE = "fuzz.docx"
_LOADED = (docx, lxml)


def test_one_input(data: bytes) -> None:
    """Read the DOCX ``data`` stands for: a Document or a clean SkillmatchError, nothing else."""
    document, payload = docx_input(data)
    check(
        lambda: skillmatch.read.parse.parse_bytes(document, source=SOURCE, extension=".docx"),
        SOURCE,
        payload,
        document,
    )


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

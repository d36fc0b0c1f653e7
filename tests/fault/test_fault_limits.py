"""Pathological files hit a named limit, with the way to raise it, and stay bounded in time and
memory: a PDF flate bomb, an HTML tag with millions of attributes, an RTF of millions of braces,
a DOCX of too many archive members."""

from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path

import pytest

from hostile import pdf_stream, raw_pdf
from skillmatch.limits import MB, Limits
from skillmatch.read.pdf_streams import check_streams

from .conftest import SAMPLES, run_cli

#: The reader's memory for one file in these tests: far below what the files would take unbounded.
MEMORY = ["--limit", "memory=400", "--limit", "timeout=60"]


def flate_bomb_pdf(unpacked: int) -> bytes:
    """A one-page PDF whose content stream inflates from about 1/1000 of ``unpacked`` bytes."""
    inflater = zlib.compressobj(9)
    chunk = b" " * (1 << 22)
    stream = b"".join(inflater.compress(chunk) for _ in range(unpacked // len(chunk)))
    stream += inflater.flush()
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            pdf_stream(stream, b"/Filter /FlateDecode "),
        ]
    )


def _error(args: list[str]) -> str:
    result = run_cli(args)
    assert result.exit_code == 1, result.stdout
    return str(result.stderr)


def test_a_flate_bomb_is_refused_by_the_unzipped_size_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(flate_bomb_pdf(64 << 20))
    assert len(bomb.read_bytes()) < 200_000
    message = _error(["skills", str(bomb), *MEMORY])
    assert message == (
        f"Error: {bomb}: too large: a compressed stream of the PDF unpacks to more than 50 MB "
        "(the unzipped-size limit; a 'zip bomb'); raise it with --limit unzipped-size=N if the "
        "file is genuine\n"
    )
    check_streams(bomb.read_bytes(), "bomb.pdf", Limits(unzipped_size=100 * MB))  # raised
    batch = run_cli(["batch", str(tmp_path), "--job", str(SAMPLES / "job-ml-engineer.txt")])
    [row] = json.loads(batch.stdout)["results"]
    assert row["code"] == "too_large" and "--limit unzipped-size=N" in row["error"]


def test_an_html_tag_with_millions_of_attributes_is_read(tmp_path: Path) -> None:
    page = tmp_path / "cv.html"
    page.write_bytes(b"<html><body><p " + b"a " * 6_000_000 + b">Python and PyTorch</p></body>")
    result = run_cli(["skills", str(page), "--format", "json", *MEMORY])
    assert result.exit_code == 0, result.stderr
    assert {"python", "pytorch"} <= {s["id"] for s in json.loads(result.stdout)["skills"]}


@pytest.mark.parametrize(
    "braces",
    [b"{" * 20_000_000 + b"}" * 20_000_000, b"{}" * 20_000_000, b"{" * 40_000_000],
    ids=["nested", "empty-groups", "unclosed"],
)
def test_an_rtf_of_braces_is_bounded(tmp_path: Path, braces: bytes) -> None:
    rtf = tmp_path / "cv.rtf"
    rtf.write_bytes(b"{\\rtf1 Python and PyTorch " + braces + b"}")
    result = run_cli(["skills", str(rtf), "--format", "json", *MEMORY])
    assert result.exit_code == 0, result.stderr  # within 400 MB and the time limit
    assert "python" in {s["id"] for s in json.loads(result.stdout)["skills"]}


def test_the_zip_entries_limit_names_itself_and_can_be_raised(tmp_path: Path) -> None:
    docx = tmp_path / "cv.docx"
    with zipfile.ZipFile(SAMPLES / "cv-ml-engineer.docx") as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(docx, "w") as target:
        for info, content in members:
            target.writestr(info, content)
        for number in range(10_001 - len(members)):
            target.writestr(f"extra/{number}.xml", b"")
    assert _error(["skills", str(docx)]) == (
        f"Error: {docx}: too large: 10,001 archive members, over the limit of 10,000; raise it "
        "with --limit zip-entries=N if the file is genuine\n"
    )
    raised = run_cli(["skills", str(docx), "--limit", "zip-entries=20000", "--format", "json"])
    assert raised.exit_code == 0, raised.stderr

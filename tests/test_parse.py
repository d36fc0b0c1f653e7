"""Tests for skillmatch.parse: every format, every hard case, with files the tests build."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from skillmatch.errors import (
    EncryptedDocumentError,
    InputError,
    NoTextError,
    UnsupportedFormatError,
)
from skillmatch.parse import load_document, parse_file, parse_text, sniff_format

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


# --- builders for hard-case files ---------------------------------------------------------


def make_pdf(path: Path, lines: list[str], **encryption: str) -> Path:
    """Write a one-page PDF with ``lines`` (optionally encrypted) and return its path."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.output(str(path))
    return path


def make_image_pdf(path: Path) -> Path:
    """Write a PDF whose only content is a picture of text (a "scanned" CV)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).text((20, 80), "Jane Doe  Python  SQL", fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=150)
    pdf.output(str(path))
    return path


# --- plain text ---------------------------------------------------------------------------


def test_txt_text_is_the_input_unchanged(tmp_path: Path) -> None:
    raw = "SKILLS\r\nPython, SQL  \n\n\nEXPERIENCE\nﬁne-tuned models\n"
    path = tmp_path / "cv.txt"
    path.write_bytes(raw.encode("utf-8"))
    document = parse_file(path)
    assert document.text == raw
    assert document.format == "txt"
    assert [s.name for s in document.sections] == ["skills", "experience"]


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "cv.md"
    path.write_bytes(b"\xef\xbb\xbf# Skills\nPython\n")
    document = parse_file(path)
    assert document.text == "# Skills\nPython\n"
    assert document.format == "md"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "cp1252", "utf-8-sig"])
def test_common_encodings(tmp_path: Path, encoding: str) -> None:
    text = "Résumé — Skills: Python, “SQL”, naïve Bayes\nEducation\nMSc Zürich\n"
    path = tmp_path / "cv.txt"
    path.write_bytes(text.encode(encoding))
    assert parse_file(path).text == text


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = "Requirements\n- Python\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    document = load_document("-", kind="job")
    assert (document.source, document.text) == ("-", data)
    assert document.sections[0].name == "requirements"


def test_empty_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"  \n")))
    with pytest.raises(NoTextError, match="standard input"):
        load_document("-")


def test_parse_text_offsets_index_the_text() -> None:
    text = "About us\nWe build things.\n\nRequirements:\n- 3+ years of Python\n"
    document = parse_text(text, kind="job")
    assert document.text == text
    for section in document.sections:
        assert text[section.start : section.end].startswith(section.heading)


# --- errors -------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        parse_file(tmp_path / "nope.pdf")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        parse_file(tmp_path)


@pytest.mark.parametrize("name", ["empty.pdf", "empty.txt", "empty.docx"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(NoTextError, match="empty"):
        parse_file(path)


def test_unsupported_binary(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(UnsupportedFormatError, match="unsupported"):
        parse_file(path)


def test_legacy_doc_says_how_to_convert(tmp_path: Path) -> None:
    path = tmp_path / "cv.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(UnsupportedFormatError, match=r"\.docx or PDF.*libreoffice"):
        parse_file(path)


def test_encrypted_pdf_needs_password(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "locked.pdf", ["Secret CV"], owner_password="o", user_password="u")
    with pytest.raises(EncryptedDocumentError, match=r"locked.pdf.*password"):
        parse_file(path)


def test_owner_password_only_pdf_is_read(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "owner.pdf", ["Skills", "Python and SQL"], owner_password="o")
    document = parse_file(path)
    assert "Python and SQL" in document.text


def test_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    path = make_image_pdf(tmp_path / "scan.pdf")
    with pytest.raises(NoTextError, match=r"scan.pdf.*no text layer.*OCR"):
        parse_file(path)


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"garbage" * 100)
    with pytest.raises(InputError, match=r"broken.pdf"):
        parse_file(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "good.pdf", ["Skills", "Python"]).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(good[: len(good) // 2])
    try:
        document = parse_file(path)
    except InputError as error:
        assert "truncated.pdf" in str(error)
    else:
        assert "Python" in document.text


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 300)
    with pytest.raises(InputError, match=r"broken.docx"):
        parse_file(path)


def test_zip_that_is_not_a_document(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "cv.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UnsupportedFormatError, match="not a DOCX"):
        parse_file(path)


# --- sniffing -----------------------------------------------------------------------------


def test_pdf_with_wrong_extension_is_read(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "cv.pdf", ["Experience", "Data scientist"])
    renamed = tmp_path / "cv.txt"
    os.replace(path, renamed)
    document = parse_file(renamed)
    assert document.format == "pdf"
    assert "Data scientist" in document.text


@pytest.mark.parametrize(
    ("data", "extension", "expected"),
    [
        (b"%PDF-1.4\n", ".docx", "pdf"),
        (b"{\\rtf1\\ansi hello}", ".txt", "rtf"),
        (b"<!DOCTYPE html><html><body>x</body></html>", ".txt", "html"),
        (b"# Skills\n", ".md", "md"),
        (b"Skills\n", "", "txt"),
    ],
)
def test_sniff_format(data: bytes, extension: str, expected: str) -> None:
    assert sniff_format(data, extension=extension) == expected


# --- DOCX ---------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Skills")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Python"
    table.cell(0, 1).text = "PyTorch"
    document.add_paragraph("Education")
    document.add_paragraph("MSc Statistics")
    path = tmp_path / "cv.docx"
    document.save(str(path))
    parsed = parse_file(path)
    assert parsed.format == "docx"
    assert parsed.text.index("Python | PyTorch") < parsed.text.index("Education")
    assert [s.name for s in parsed.sections] == ["skills", "education"]


# --- the project's samples ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "cv-ml-engineer.pdf",
        "cv-ml-engineer.docx",
        "cv-ml-engineer.txt",
        "cv-ml-engineer-two-column.pdf",
    ],
)
def test_sample_cv_sections(name: str) -> None:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} not written yet")
    document = parse_file(path, kind="cv")
    names = {s.name for s in document.sections}
    assert {"summary", "skills", "experience", "education"} <= names
    assert "(cid:" not in document.text

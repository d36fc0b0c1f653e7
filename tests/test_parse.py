"""Tests for skillmatch.read.parse: every format, every hard case, with files the tests build."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import benchmark_module
from skillmatch.errors import (
    EncryptedDocumentError,
    InputError,
    NoTextError,
    UnsupportedFormatError,
)
from skillmatch.read.parse import load_document, parse_file, parse_text, sniff_format

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


# --- PDF layout and words (files built here) ----------------------------------------------

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _fpdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    return pdf


def test_interleaved_two_columns_come_out_one_column_at_a_time(tmp_path: Path) -> None:
    """A stream drawn row by row across two columns (as table-based templates are)."""
    left = [
        "EXPERIENCE",
        "Data Scientist at Acme",
        "Built churn models",
        "Led a team of four",
        "Shipped forecasting",
        "Ran A/B tests",
        "Mentored analysts",
    ]
    right = [
        "SKILLS",
        "Python and SQL",
        "PyTorch",
        "Statistics",
        "Docker",
        "Airflow",
        "Tableau dashboards",
    ]
    pdf = _fpdf()
    for row, (a, b) in enumerate(zip(left, right, strict=True)):
        pdf.text(15, 20 + row * 9, a)
        pdf.text(120, 23 + row * 7, b)  # a sidebar with its own line spacing
    path = tmp_path / "two-column.pdf"
    pdf.output(str(path))
    document = parse_file(path)
    lines = document.text.splitlines()
    assert lines == left + right
    assert [s.name for s in document.sections] == ["experience", "skills"]


def test_right_aligned_dates_stay_on_their_line(tmp_path: Path) -> None:
    pdf = _fpdf()
    for row, (title, date) in enumerate(
        [
            ("Machine Learning Engineer, Acme", "2021 - Present"),
            ("Data Scientist, Globex", "2018 - 2021"),
            ("Analyst, Initech", "2016 - 2018"),
        ]
        * 4
    ):
        pdf.set_xy(15, 20 + row * 8)
        pdf.cell(90, 8, title)
        pdf.set_xy(150, 20 + row * 8)
        pdf.cell(45, 8, date, align="R")
    path = tmp_path / "dates.pdf"
    pdf.output(str(path))
    lines = parse_file(path).text.splitlines()
    assert lines[0] == "Machine Learning Engineer, Acme 2021 - Present"
    assert lines[2] == "Analyst, Initech 2016 - 2018"


def test_words_placed_without_space_characters_are_separated(tmp_path: Path) -> None:
    """HTML-to-PDF writers often position each word; the gap is the only word break."""
    pdf = _fpdf()
    x = 15.0
    for word in ["Oversaw", "the", "domestic", "migration", "of", "the", "platform"]:
        pdf.text(x, 20, word)
        x += pdf.get_string_width(word) + pdf.get_string_width(" ")
    pdf.text(15, 30, "Glued")
    pdf.text(15 + pdf.get_string_width("Glued"), 30, "Together")
    path = tmp_path / "words.pdf"
    pdf.output(str(path))
    lines = parse_file(path).text.splitlines()
    assert lines[0] == "Oversaw the domestic migration of the platform"
    assert lines[1] == "GluedTogether"


def test_line_end_hyphenation(tmp_path: Path) -> None:
    pdf = _fpdf()
    for row, line in enumerate(
        [
            "Trained models with scikit-",
            "learn and PyTorch; project manage-",
            "ment and",
            "data-",
            "driven decisions in a well-",
            "known team",
        ]
    ):
        pdf.text(15, 20 + row * 6, line)
    path = tmp_path / "hyphens.pdf"
    pdf.output(str(path))
    text = parse_file(path).text
    assert "scikit-learn" in text
    assert "management" in text
    assert "data-driven" in text
    assert "well-known" in text


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs the DejaVu Sans font")
def test_ligatures_and_bullets_are_normalised(tmp_path: Path) -> None:
    pdf = _fpdf()
    pdf.add_font("dejavu", fname=str(DEJAVU))
    pdf.set_font("dejavu", size=11)
    pdf.text(15, 20, "• Eﬃcient work ﬂow: ﬁne-tuned models")
    path = tmp_path / "ligatures.pdf"
    pdf.output(str(path))
    assert parse_file(path).text == "Efficient work flow: fine-tuned models"


def test_pages_index_the_text(tmp_path: Path) -> None:
    pdf = _fpdf()
    pdf.text(15, 20, "Page one")
    pdf.add_page()
    pdf.text(15, 20, "Page two")
    path = tmp_path / "pages.pdf"
    pdf.output(str(path))
    document = parse_file(path)
    assert [document.text[a:b] for a, b in document.pages] == ["Page one", "Page two"]


_PUA_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <41> <5A> <E000> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def make_icon_pdf(path: Path) -> Path:
    """A PDF whose upper-case codes map to private-use code points, as icon fonts do."""
    content = b"BT /F1 12 Tf 72 700 Td (ABCD) Tj ( python and sql) Tj 0 -20 Td (EFGHIJ) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_PUA_CMAP), _PUA_CMAP),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def test_private_use_icon_glyphs_are_removed_with_a_warning(tmp_path: Path) -> None:
    document = parse_file(make_icon_pdf(tmp_path / "icons.pdf"))
    assert document.text == "python and sql"
    assert len(document.warnings) == 1
    assert document.warnings[0].startswith("page 1: ")
    assert "unreadable" in document.warnings[0]


def test_cid_placeholders_and_compatibility_characters_are_cleaned() -> None:
    from skillmatch.read.textclean import clean_page_text

    assert clean_page_text("(cid:12) ﬁne-\ntuning, ｐｙｔｈｏｎ\n| | |") == "fine-tuning, python"


# --- DOCX headers, footers, text boxes; ODT; RTF; HTML --------------------------------------

_TEXTBOX = (
    "<w:r {}><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Boxed: Kubernetes"
    "</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


def test_docx_headers_footers_and_text_boxes(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    section = document.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "Jane Doe - jane@example.com"
    section.footer.is_linked_to_previous = False
    section.footer.paragraphs[0].text = "References on request"
    document.add_paragraph("Skills")
    paragraph = document.add_paragraph("Python")
    namespaces = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"'
    )
    paragraph._p.append(parse_xml(_TEXTBOX.format(namespaces)))
    path = tmp_path / "cv.docx"
    document.save(str(path))
    text = parse_file(path).text
    assert text.index("Jane Doe") < text.index("Skills") < text.index("Python")
    assert text.index("Python") < text.index("Boxed: Kubernetes") < text.index("References")


def test_odt(tmp_path: Path) -> None:
    import zipfile

    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body>'
        "<office:text><text:h>Skills</text:h><text:p>Python,<text:s/>SQL and "
        "<text:span>PyTorch</text:span></text:p><table:table><table:table-row>"
        "<table:table-cell><text:p>2019</text:p></table:table-cell><table:table-cell>"
        "<text:p>Data Scientist</text:p></table:table-cell></table:table-row></table:table>"
        "</office:text></office:body></office:document-content>"
    )
    path = tmp_path / "cv.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    document = parse_file(path)
    assert document.format == "odt"
    assert document.text == "Skills\nPython, SQL and PyTorch\n2019 | Data Scientist\n"


def test_rtf(tmp_path: Path) -> None:
    rtf = (
        r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}{\*\generator Word;}"
        r"\f0 Skills\par Python, PyTorch \u8211? r\'e9sum\'e9\par"
        r"{\header Jane Doe\par}Experience\line Data Scientist\tab 2020\par}"
    )
    path = tmp_path / "cv.rtf"
    path.write_text(rtf, encoding="ascii")
    document = parse_file(path)
    assert document.format == "rtf"
    assert document.text == (
        "Skills\nPython, PyTorch – résumé\nJane Doe\nExperience\nData Scientist\t2020\n"
    )


def test_html(tmp_path: Path) -> None:
    html = (
        "<!DOCTYPE html><html><head><title>CV</title><style>p{color:red}</style></head><body>"
        "<h2>Skills</h2><ul><li>Python</li><li>SQL &amp; dbt</li></ul>"
        "<script>var x = 1;</script><p>Built   models</p></body></html>"
    )
    path = tmp_path / "cv.html"
    path.write_text(html, encoding="utf-8")
    document = parse_file(path)
    assert document.format == "html"
    assert document.text == "Skills\nPython\nSQL & dbt\nBuilt models\n"


# --- golden text for the project's sample PDFs -------------------------------------------

GOLDEN = Path(__file__).parent / "golden"
SAMPLE_PDFS = sorted(SAMPLES.glob("*.pdf"))


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=[p.name for p in SAMPLE_PDFS])
def test_sample_pdf_matches_golden_text(pdf: Path) -> None:
    golden = GOLDEN / f"{pdf.stem}.txt"
    text = parse_file(pdf).text
    if os.environ.get("SKILLMATCH_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"no golden file {golden}; run with SKILLMATCH_UPDATE_GOLDEN=1 and review it")
    assert text == golden.read_text(encoding="utf-8")


# --- the development corpus (skipped when absent) -----------------------------------------


def _benchmark() -> Any:
    return benchmark_module("parsing")


CORPUS_PDFS = (
    Path(os.environ.get("SKILLMATCH_CORPUS", str(REPO.parent / "shared" / "corpus"))) / "pdfs"
)
CORPUS_FILES = sorted(CORPUS_PDFS.rglob("*.pdf")) if CORPUS_PDFS.is_dir() else []
corpus = pytest.mark.skipif(not CORPUS_FILES, reason=f"no corpus at {CORPUS_PDFS}")


@pytest.fixture(scope="module")
def corpus_documents() -> dict[Path, Any]:
    """Every corpus PDF parsed once."""
    return {pdf: parse_file(pdf) for pdf in CORPUS_FILES}


@corpus
@pytest.mark.corpus
def test_corpus_word_recall(corpus_documents: dict[Path, Any]) -> None:
    bench = _benchmark()
    report = {}
    for pdf, document in corpus_documents.items():
        expected = bench.source_words(pdf)
        if expected is not None:
            report[pdf.name] = (
                bench.recall(expected, document.text),
                sorted(bench.missing_words(expected, document.text))[:10],
            )
    assert report, "no corpus PDF has a source to compare with"
    assert {name: r for name, r in report.items() if r[0] < 0.97} == {}


@corpus
@pytest.mark.corpus
def test_corpus_has_no_garbage(corpus_documents: dict[Path, Any]) -> None:
    for pdf, document in corpus_documents.items():
        assert "(cid:" not in document.text, pdf
        assert not [c for c in document.text if 0xE000 <= ord(c) <= 0xF8FF], pdf
        assert "\ufffd" not in document.text, pdf


def _two_column_files() -> list[Path]:
    files = [p for p in CORPUS_FILES if "two-column" in p.name]
    return files + [p for p in SAMPLE_PDFS if "two-column" in p.name]


@pytest.mark.parametrize("pdf", _two_column_files(), ids=lambda p: p.name)
def test_two_column_headings_precede_their_own_content(pdf: Path) -> None:
    """Every line's nearest heading above it in its own column is the last heading before it."""
    import pypdfium2 as pdfium

    from skillmatch.read.pdf_layout import read_page
    from skillmatch.read.sections import heading_table, normalise_heading

    headings = heading_table()["cv"]
    document = pdfium.PdfDocument(pdf)
    checked = 0
    for page in document:
        lines = read_page(page).lines
        is_heading = [normalise_heading(line.text) in headings for line in lines]
        for index, line in enumerate(lines):
            owner = _geometric_owner(lines, is_heading, line)
            if owner is None or is_heading[index]:
                continue
            before = [i for i in range(index) if is_heading[i]]
            assert before and lines[before[-1]] is owner, (line.text, owner.text)
            checked += 1
    assert checked > 20


def _geometric_owner(lines: list[Any], is_heading: list[bool], line: Any) -> Any:
    """The closest heading above ``line`` whose column (x range) overlaps it."""
    above = [
        h
        for h, flag in zip(lines, is_heading, strict=True)
        if flag
        and h.bottom > line.top - 1
        and h is not line
        and min(h.x1, line.x1) - max(h.x0, line.x0) > -5
        and abs(h.x0 - line.x0) < 40
    ]
    return min(above, key=lambda h: h.bottom - line.top, default=None)


def test_partly_scanned_pdf_warns_about_the_page(tmp_path: Path) -> None:
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 20, "Skills: Python")
    pdf.add_page()
    pdf.image(Image.new("RGB", (50, 50), "gray"), x=10, y=10, w=50)
    path = tmp_path / "partly.pdf"
    pdf.output(str(path))
    document = parse_file(path)
    assert document.warnings == ("page 2: no text layer (a scanned page?); its content is missing",)


@pytest.mark.parametrize("name", ["cv.pdf", "cv.docx", "cv.rtf"])
def test_content_that_does_not_match_a_document_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"Jane Doe, Data Scientist" + b"\x00\xff" * 40)
    with pytest.raises(InputError, match=r"content is not a"):
        parse_file(path)


@corpus
@pytest.mark.corpus
def test_corpus_cv_sections(corpus_documents: dict[Path, Any]) -> None:
    for pdf, document in corpus_documents.items():
        if pdf.parent.name in ("rendercv", "resume-matcher", "resume-matcher-templates"):
            names = {s.name for s in document.sections}
            assert {"experience", "education"} <= names, (pdf.name, names)


@corpus
@pytest.mark.corpus
def test_corpus_job_pdfs_are_guessed_as_jobs() -> None:
    jobs = sorted((CORPUS_PDFS.parent / "jobs" / "resume-matcher").rglob("*.pdf"))
    if not jobs:
        pytest.skip("no job-description PDFs in the corpus")
    for pdf in jobs:
        names = {s.name for s in parse_file(pdf).sections}
        assert {"responsibilities", "requirements", "benefits"} <= names, (pdf.name, names)


def test_plain_text_named_docx_is_reported_not_read_as_text(tmp_path: Path) -> None:
    """As the parse module documents: text under a binary document's name is damaged/renamed."""
    path = tmp_path / "cv.docx"
    path.write_text("Jane Doe\nPython developer with SQL.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"named \.docx but its content is not a DOCX"):
        parse_file(path)

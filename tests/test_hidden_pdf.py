"""Hidden text in PDFs (issue 9): each trick a candidate can play to paste a job ad into a CV
unseen, built as a real PDF, must be left out of the text, listed in ``Document.hidden`` and
kept only with ``include_hidden=True``; CV designs (sidebars, grey dates) must not be flagged."""

from __future__ import annotations

import ctypes
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from fpdf.enums import TextMode

from skillmatch.match.matcher import extract_skills
from skillmatch.read.parse import parse_file
from skillmatch.read.pdf_objects import contrast

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"

VISIBLE = [
    "Jane Doe - Data Analyst",
    "Skills: Python, SQL and Excel.",
    "Experience: built weekly sales reports in SQL for a retail chain, 2019 - 2023.",
]
HIDDEN = "TensorFlow Kubernetes Spark"
#: Skills only the hidden text names, and skills the visible text names.
HIDDEN_SKILLS = {"tensorflow", "kubernetes", "apache-spark"}
VISIBLE_SKILLS = {"python", "sql", "excel"}


# --- builders -----------------------------------------------------------------------------


def cv_pdf() -> FPDF:
    """A one-page CV with the visible lines written, the cursor on the next line."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in VISIBLE:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return pdf


def line(pdf: FPDF, text: str) -> None:
    """Write one line at the cursor."""
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def white_text(pdf: FPDF) -> None:
    pdf.set_text_color(255, 255, 255)
    line(pdf, HIDDEN)


def near_white_text(pdf: FPDF) -> None:
    pdf.set_text_color(246, 246, 246)  # contrast 1.08 with white
    line(pdf, HIDDEN)


def text_on_same_colour_box(pdf: FPDF) -> None:
    pdf.set_fill_color(30, 60, 110)
    pdf.rect(10, 60, 190, 12, style="F")  # drawn first: a background, not a cover
    pdf.set_xy(12, 62)
    pdf.set_text_color(32, 62, 112)
    line(pdf, HIDDEN)


def white_outline_text(pdf: FPDF) -> None:
    with pdf.local_context(text_mode=TextMode.STROKE, draw_color=(255, 255, 255)):
        line(pdf, HIDDEN)


def invisible_mode(pdf: FPDF) -> None:
    with pdf.local_context(text_mode=TextMode.INVISIBLE):
        line(pdf, HIDDEN)


def transparent_text(pdf: FPDF) -> None:
    with pdf.local_context(fill_opacity=0):
        line(pdf, HIDDEN)


def tiny_font(pdf: FPDF) -> None:
    pdf.set_font_size(1)
    line(pdf, HIDDEN)


def left_of_page(pdf: FPDF) -> None:
    pdf.text(-150, 100, HIDDEN)


def below_page(pdf: FPDF) -> None:
    pdf.text(20, 320, HIDDEN)  # an A4 page is 297 mm high


def covered_by_box(pdf: FPDF) -> None:
    y = pdf.get_y()
    line(pdf, HIDDEN)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(5, y - 1, 150, 9, style="F")  # an opaque white box drawn over the line


def covered_by_image(pdf: FPDF) -> None:
    from PIL import Image

    y = pdf.get_y()
    line(pdf, HIDDEN)
    picture = Image.new("RGB", (40, 8), (200, 60, 60))
    pdf.image(picture, x=5, y=y - 1, w=150, h=9)


TRICKS: dict[str, tuple[Callable[[FPDF], None], str]] = {
    "white text": (white_text, "background_colour"),
    "near-white text": (near_white_text, "background_colour"),
    "text the colour of the box under it": (text_on_same_colour_box, "background_colour"),
    "white outline text (render mode 1)": (white_outline_text, "background_colour"),
    "render mode 3": (invisible_mode, "invisible"),
    "fill opacity 0": (transparent_text, "invisible"),
    "1-point type": (tiny_font, "tiny_font"),
    "left of the page": (left_of_page, "off_page"),
    "below the page": (below_page, "off_page"),
    "under a later white box": (covered_by_box, "covered"),
    "under a later image": (covered_by_image, "covered"),
}


def write(pdf: FPDF, path: Path) -> Path:
    """Save ``pdf`` to ``path`` and return the path."""
    pdf.output(str(path))
    return path


@pytest.fixture(params=sorted(TRICKS))
def trick_cv(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """A CV PDF with the job ad's keywords hidden by one trick, and the reason expected."""
    build, reason = TRICKS[request.param]
    pdf = cv_pdf()
    build(pdf)
    return write(pdf, tmp_path / "cv.pdf"), reason


# --- each trick ---------------------------------------------------------------------------


def test_hidden_text_is_left_out_and_recorded(trick_cv: tuple[Path, str]) -> None:
    path, reason = trick_cv
    document = parse_file(path)
    for word in HIDDEN.split():
        assert word not in document.text
    assert "Skills: Python, SQL and Excel." in document.text
    assert [part.reason for part in document.hidden] == [reason]
    part = document.hidden[0]
    assert part.sample == HIDDEN
    assert part.chars == len(HIDDEN.replace(" ", ""))
    assert part.page == 1
    assert document.to_dict()["hidden"][0]["reason"] == reason


def test_include_hidden_keeps_the_text_and_still_reports_it(trick_cv: tuple[Path, str]) -> None:
    path, reason = trick_cv
    document = parse_file(path, include_hidden=True)
    assert HIDDEN in " ".join(document.text.split())
    assert [part.reason for part in document.hidden] == [reason]


def test_hidden_skills_are_not_extracted(trick_cv: tuple[Path, str]) -> None:
    path, _ = trick_cv
    shown = extract_skills(parse_file(path)).ids()
    assert shown >= VISIBLE_SKILLS
    assert not HIDDEN_SKILLS & shown
    assert extract_skills(parse_file(path, include_hidden=True)).ids() >= HIDDEN_SKILLS


# --- partly hidden lines, pages, matrices, forms -------------------------------------------


def test_only_the_covered_part_of_a_line_is_hidden(tmp_path: Path) -> None:
    pdf = cv_pdf()
    y = pdf.get_y()
    pdf.set_font("courier", size=11)  # fixed width: the box's edge falls between words
    line(pdf, "Tools: Tableau, Looker " + HIDDEN)
    start = pdf.l_margin + pdf.get_string_width("Tools: Tableau, Looker ")
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(start - 0.5, y - 1, 120, 9, style="F")
    document = parse_file(write(pdf, tmp_path / "cv.pdf"))
    assert "Tools: Tableau, Looker" in document.text
    assert "TensorFlow" not in document.text
    assert [(part.reason, part.sample) for part in document.hidden] == [("covered", HIDDEN)]


def test_only_the_part_past_the_page_edge_is_hidden(tmp_path: Path) -> None:
    pdf = cv_pdf()
    pdf.text(150, 100, "Also: Tableau" + " " * 60 + HIDDEN)  # runs past the right edge
    document = parse_file(write(pdf, tmp_path / "cv.pdf"))
    assert "Also: Tableau" in document.text
    assert [(part.reason, part.sample) for part in document.hidden] == [("off_page", HIDDEN)]
    assert not HIDDEN_SKILLS & extract_skills(document).ids()


def test_hidden_text_on_a_second_page_names_that_page(tmp_path: Path) -> None:
    pdf = cv_pdf()
    pdf.add_page()
    line(pdf, "References available on request.")
    white_text(pdf)
    document = parse_file(write(pdf, tmp_path / "cv.pdf"))
    assert [(part.reason, part.page) for part in document.hidden] == [("background_colour", 2)]
    assert "References available on request." in document.text


def test_one_entry_per_page_and_reason(tmp_path: Path) -> None:
    pdf = cv_pdf()
    white_text(pdf)
    pdf.set_text_color(0, 0, 0)
    tiny_font(pdf)
    pdf.set_font_size(11)
    pdf.set_text_color(255, 255, 255)
    line(pdf, "Hadoop Airflow")
    document = parse_file(write(pdf, tmp_path / "cv.pdf"))
    assert [(part.reason, part.sample) for part in document.hidden] == [
        ("tiny_font", HIDDEN),
        ("background_colour", HIDDEN + " Hadoop Airflow"),
    ]


def _edit_page(path: Path, edit: Callable[[Any, Any], None]) -> Path:
    """Open ``path`` with pypdfium2, let ``edit(document, page)`` add objects, save over it."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(path.read_bytes())
    page = document[0]
    edit(document, page)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    document.save(buffer)
    page.close()
    document.close()
    path.write_bytes(buffer.getvalue())
    return path


def _text_object(document: Any, text: str, size: float, matrix: tuple[float, ...]) -> Any:
    """A Helvetica text object with ``text``, transformed by ``matrix``."""
    import pypdfium2.raw as pdfium_c

    obj = pdfium_c.FPDFPageObj_NewTextObj(document.raw, b"Helvetica", size)
    encoded = (text + "\0").encode("utf-16-le")
    buffer = ctypes.create_string_buffer(encoded, len(encoded))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, pdfium_c.FPDF_WIDESTRING))
    pdfium_c.FPDFPageObj_Transform(obj, *matrix)
    return obj


def test_text_shrunk_by_its_matrix_is_tiny(tmp_path: Path) -> None:
    import pypdfium2.raw as pdfium_c

    def edit(document: Any, page: Any) -> None:
        obj = _text_object(document, HIDDEN, 11, (0.1, 0, 0, 0.1, 72, 500))  # 1.1 pt
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)

    path = _edit_page(write(cv_pdf(), tmp_path / "cv.pdf"), edit)
    document = parse_file(path)
    assert [(part.reason, part.sample) for part in document.hidden] == [("tiny_font", HIDDEN)]
    assert "TensorFlow" not in document.text


def test_hidden_text_inside_a_form_xobject(tmp_path: Path) -> None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    source_pdf = FPDF()
    source_pdf.add_page()
    source_pdf.set_font("helvetica", size=11)
    white_text(source_pdf)
    source = pdfium.PdfDocument(bytes(source_pdf.output()))

    def edit(document: Any, page: Any) -> None:
        xobject = pdfium_c.FPDF_NewXObjectFromPage(document.raw, source.raw, 0)
        form = pdfium_c.FPDF_NewFormObjectFromXObject(xobject)
        pdfium_c.FPDFPageObj_Transform(form, 1, 0, 0, 1, 0, -200)
        pdfium_c.FPDFPage_InsertObject(page.raw, form)
        pdfium_c.FPDF_CloseXObject(xobject)

    path = _edit_page(write(cv_pdf(), tmp_path / "cv.pdf"), edit)
    source.close()
    document = parse_file(path)
    assert [(part.reason, part.sample) for part in document.hidden] == [
        ("background_colour", HIDDEN)
    ]
    assert "TensorFlow" not in document.text
    assert "Skills: Python, SQL and Excel." in document.text


# --- designs that are not hidden text --------------------------------------------------------


def test_cv_designs_are_not_hidden_text(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    # a dark sidebar drawn before its white text
    pdf.set_fill_color(25, 40, 70)
    pdf.rect(0, 0, 60, 297, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(5, 20)
    pdf.cell(50, 7, "Contact: jane@example.com")
    pdf.set_xy(5, 30)
    pdf.cell(50, 7, "Docker and Kubernetes")
    # grey dates, light headings, a pale badge behind dark text, a thin rule over nothing
    pdf.set_text_color(0x99, 0x99, 0x99)
    pdf.set_xy(70, 20)
    pdf.cell(0, 7, "2019 - 2023")
    pdf.set_text_color(0xBB, 0xBB, 0xBB)
    pdf.set_xy(70, 30)
    pdf.cell(0, 7, "EXPERIENCE")
    pdf.set_fill_color(235, 240, 250)
    pdf.rect(69, 40, 40, 9, style="F")
    pdf.set_text_color(20, 20, 20)
    pdf.set_xy(70, 41)
    pdf.cell(0, 7, "Python and SQL")
    pdf.set_draw_color(0, 0, 0)
    pdf.line(70, 52, 200, 52)
    # white letters with a black outline
    with pdf.local_context(text_mode=TextMode.FILL_STROKE, draw_color=(0, 0, 0)):
        pdf.set_text_color(255, 255, 255)
        pdf.set_xy(70, 60)
        pdf.cell(0, 7, "Outlined Heading")
    # small print that is still readable
    pdf.set_font_size(6)
    pdf.set_xy(70, 280)
    pdf.cell(0, 4, "References available on request")
    document = parse_file(write(pdf, tmp_path / "design.pdf"))
    assert document.hidden == ()
    for text in (
        "Docker and Kubernetes",
        "2019 - 2023",
        "EXPERIENCE",
        "Python and SQL",
        "Outlined Heading",
    ):
        assert text in document.text
    assert "References available on request" in document.text


def test_white_text_on_a_thick_line_band_is_not_hidden(tmp_path: Path) -> None:
    pdf = cv_pdf()
    pdf.set_draw_color(40, 40, 40)
    pdf.set_line_width(12)  # a header band drawn as one thick stroked line
    pdf.line(10, 80, 200, 80)
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(12, 77)
    pdf.cell(0, 6, "Docker and Kubernetes")
    document = parse_file(write(pdf, tmp_path / "band.pdf"))
    assert document.hidden == ()
    assert "Docker and Kubernetes" in document.text


def _scan(pdf: FPDF) -> None:
    """Draw a page-size picture of the CV lines, as a scanner would."""
    import pypdfium2 as pdfium

    paper = FPDF()
    paper.add_page()
    paper.set_font("helvetica", size=11)
    paper.set_xy(10, 10)
    for text in VISIBLE:
        line(paper, text)
    document = pdfium.PdfDocument(bytes(paper.output()))
    picture = document[0].render(scale=2).to_pil()
    document.close()
    pdf.image(picture, x=0, y=0, w=210, h=297)


def test_an_ocr_layer_over_a_blank_picture_is_hidden(tmp_path: Path) -> None:
    from PIL import Image

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.image(Image.new("RGB", (60, 85), (250, 250, 250)), x=0, y=0, w=210, h=297)
    _ocr_layer(pdf)
    document = parse_file(write(pdf, tmp_path / "fake.pdf"), include_hidden=True)
    assert [part.reason for part in document.hidden] == ["not_painted"]


def _ocr_layer(pdf: FPDF) -> None:
    """Write the CV lines as invisible text, as OCR tools do over a scan."""
    pdf.set_xy(10, 10)
    with pdf.local_context(text_mode=TextMode.INVISIBLE):
        for text in VISIBLE:
            line(pdf, text)


@pytest.mark.parametrize("image_first", [True, False], ids=["text over image", "image over text"])
def test_a_scan_with_an_ocr_layer_is_not_hidden_text(tmp_path: Path, image_first: bool) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for step in (_scan, _ocr_layer) if image_first else (_ocr_layer, _scan):
        step(pdf)
    document = parse_file(write(pdf, tmp_path / "scan.pdf"))
    assert document.hidden == ()
    assert "Skills: Python, SQL and Excel." in document.text


def test_invisible_text_on_a_page_with_visible_text_and_a_large_image_is_hidden(
    tmp_path: Path,
) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    _scan(pdf)  # a full-page background picture
    for text in VISIBLE:
        line(pdf, text)
    invisible_mode(pdf)
    document = parse_file(write(pdf, tmp_path / "cv.pdf"))
    assert [(part.reason, part.sample) for part in document.hidden] == [("invisible", HIDDEN)]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ((255, 255, 255), (0, 0, 0), 21.0),
        ((255, 255, 255), (255, 255, 255), 1.0),
        ((0x99, 0x99, 0x99), (255, 255, 255), 2.85),
    ],
)
def test_contrast_is_the_wcag_ratio(
    first: tuple[int, int, int], second: tuple[int, int, int], expected: float
) -> None:
    assert contrast(first, second) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.pdf")), ids=lambda p: p.name)
def test_samples_have_no_hidden_text(path: Path) -> None:
    document = parse_file(path)
    assert document.hidden == ()
    assert parse_file(path, include_hidden=True).text == document.text


@pytest.mark.corpus
def test_corpus_pdfs_have_no_hidden_text(corpus: Path) -> None:
    pdfs = sorted(corpus.rglob("*.pdf"))
    assert pdfs
    flagged = {
        str(path.relative_to(corpus)): parse_file(path).hidden
        for path in pdfs
        if parse_file(path).hidden
    }
    assert flagged == {}


def test_the_command_line_warns_about_hidden_text(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from skillmatch.cli import cli

    pdf = cv_pdf()
    white_text(pdf)
    path = write(pdf, tmp_path / "cv.pdf")
    chars = len(HIDDEN.replace(" ", ""))
    for command, status in (
        (["text", str(path)], "they were not scored"),
        (["skills", str(path), "--format", "json"], "they were not scored"),
        (["text", str(path), "--include-hidden"], "they were read as part of the CV"),
    ):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0
        assert result.stderr.startswith(
            f"warning: {chars} characters hidden from readers (text coloured like the "
            "background on page 1); " + status
        )
    plain = CliRunner().invoke(cli, ["text", str(SAMPLES / "cv-ml-engineer.pdf")])
    assert plain.stderr == ""


def _screened(data: bytes) -> tuple[dict[int, object], str | None]:
    import pypdfium2 as pdfium

    from skillmatch.read.pdf_hidden import screen_page

    document = pdfium.PdfDocument(data)
    page = document[0]
    return screen_page(page, page.get_textpage())


def test_text_inside_a_margin_clip_is_judged_without_a_render() -> None:
    """Exporters clip every page to its printable area (wkhtmltopdf: 39.8 pt margins); text
    inside that rectangle, or sticking out of it by less than a point, cannot be clipped away,
    so the page is not rendered for it."""
    from tricks import PdfParts, cv_text_ops, pdf

    margin = b"q 71.5 36 480 770 re W n\n"
    suspects, paint = _screened(pdf(PdfParts(text_ops=margin + cv_text_ops() + b"Q\n")))
    assert (suspects, paint) == ({}, None)


def test_a_clip_that_cuts_into_text_still_asks_for_a_render() -> None:
    from tricks import PdfParts, cv_text_ops, pdf

    for clip in (b"q 100 36 480 770 re W n\n", b"q 72 36 480 770 re 300 300 50 50 re W n\n"):
        _, paint = _screened(pdf(PdfParts(text_ops=clip + cv_text_ops() + b"Q\n")))
        assert paint == "clip", clip

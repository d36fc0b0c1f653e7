"""DOCX hidden-text tricks (issue 9): keywords a screening tool would read and a human not.

Each trick is a real .docx built with python-docx: a CV with visible skills, plus the job ad's
keywords hidden one way or another. The hidden words must stay out of ``Document.text`` and
out of the skills found, and ``Document.hidden`` must name the trick with a sample.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skillmatch.match.matcher import extract_skills
from skillmatch.models import HiddenText
from skillmatch.read.parse import parse_file

HIDDEN = "TensorFlow Kubernetes Spark"
HIDDEN_SKILLS = {"tensorflow", "kubernetes", "apache-spark"}
VISIBLE_SKILLS = {"python", "pytorch", "sql"}
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _cv() -> Any:
    """A small CV with visible skills."""
    import docx

    document = docx.Document()
    document.add_heading("Ada Example", level=1)
    document.add_paragraph("Summary")
    document.add_paragraph("Machine learning engineer who ships models in Python and PyTorch.")
    document.add_paragraph("Skills")
    return document


def _skills_paragraph(document: Any) -> Any:
    """The visible skills line, returned so a trick can add a run to it."""
    return document.add_paragraph("Python, PyTorch, SQL. ")


def _save(document: Any, tmp_path: Path, name: str = "cv.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def _xml(element: str) -> Any:
    """A WordprocessingML element from self-closing text such as ``<w:vanish/>``."""
    from docx.oxml import parse_xml

    assert element.endswith("/>")
    return parse_xml(element[:-2] + f" {NS}/>")


# --- the tricks ---------------------------------------------------------------------------


def vanish_run(document: Any) -> None:
    _skills_paragraph(document).add_run(HIDDEN).font.hidden = True


def spec_vanish_run(document: Any) -> None:
    run = _skills_paragraph(document).add_run(HIDDEN)
    run._r.get_or_add_rPr().append(_xml("<w:specVanish/>"))


def web_hidden_run(document: Any) -> None:
    run = _skills_paragraph(document).add_run(HIDDEN)
    run._r.get_or_add_rPr().append(_xml("<w:webHidden/>"))


def vanish_character_style(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    base = document.styles.add_style("Quiet", WD_STYLE_TYPE.CHARACTER)
    base.font.hidden = True
    derived = document.styles.add_style("Quieter", WD_STYLE_TYPE.CHARACTER)
    derived.base_style = base  # hidden only through basedOn
    _skills_paragraph(document).add_run(HIDDEN, style="Quieter")


def vanish_paragraph_style(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    style = document.styles.add_style("Invisible", WD_STYLE_TYPE.PARAGRAPH)
    style.font.hidden = True
    _skills_paragraph(document)
    document.add_paragraph(HIDDEN, style="Invisible")


def white_text(document: Any) -> None:
    from docx.shared import RGBColor

    _skills_paragraph(document).add_run(HIDDEN).font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def near_white_text(document: Any) -> None:
    from docx.shared import RGBColor

    _skills_paragraph(document).add_run(HIDDEN).font.color.rgb = RGBColor(0xF7, 0xF7, 0xF7)


def text_on_same_colour_shading(document: Any) -> None:
    from docx.shared import RGBColor

    run = _skills_paragraph(document).add_run(HIDDEN)
    run.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
    run._r.get_or_add_rPr().append(_xml('<w:shd w:val="clear" w:color="auto" w:fill="1F3864"/>'))


def black_on_black_paragraph(document: Any) -> None:
    from docx.shared import RGBColor

    _skills_paragraph(document)
    paragraph = document.add_paragraph()
    paragraph.add_run(HIDDEN).font.color.rgb = RGBColor(0, 0, 0)
    paragraph._p.get_or_add_pPr().append(
        _xml('<w:shd w:val="clear" w:color="auto" w:fill="000000"/>')
    )


def black_on_black_page(document: Any) -> None:
    from docx.shared import RGBColor

    document.element.insert(0, _xml('<w:background w:color="000000"/>'))
    _skills_paragraph(document).add_run(HIDDEN).font.color.rgb = RGBColor(0x11, 0x11, 0x11)


def highlight_same_as_text(document: Any) -> None:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import RGBColor

    run = _skills_paragraph(document).add_run(HIDDEN)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0x00)


def white_character_style(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    style = document.styles.add_style("Paper", WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    _skills_paragraph(document).add_run(HIDDEN, style="Paper")


def one_point_font(document: Any) -> None:
    from docx.shared import Pt

    _skills_paragraph(document).add_run(HIDDEN).font.size = Pt(1)


def two_and_a_half_point_font(document: Any) -> None:
    from docx.shared import Pt

    _skills_paragraph(document).add_run(HIDDEN).font.size = Pt(2.5)


def tiny_paragraph_style(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    style = document.styles.add_style("Footnote dust", WD_STYLE_TYPE.PARAGRAPH)
    style.font.size = Pt(1)
    _skills_paragraph(document)
    document.add_paragraph(HIDDEN, style="Footnote dust")


def split_across_runs(document: Any) -> None:
    paragraph = _skills_paragraph(document)
    for part in ("Tensor", "Flow ", "Kuber", "netes Spark"):
        paragraph.add_run(part).font.hidden = True


def hidden_in_header(document: Any) -> None:
    header = document.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = "Ada Example - ada@example.com "
    header.paragraphs[0].add_run(HIDDEN).font.hidden = True
    _skills_paragraph(document)


def white_in_table_cell(document: Any) -> None:
    from docx.shared import RGBColor

    _skills_paragraph(document)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Tools")
    table.cell(0, 1).paragraphs[0].add_run(HIDDEN).font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


TRICKS: dict[str, tuple[Callable[[Any], None], str]] = {
    "vanish": (vanish_run, "vanish"),
    "specVanish": (spec_vanish_run, "vanish"),
    "webHidden": (web_hidden_run, "vanish"),
    "vanish-character-style-basedOn": (vanish_character_style, "vanish"),
    "vanish-paragraph-style": (vanish_paragraph_style, "vanish"),
    "white": (white_text, "background_colour"),
    "near-white": (near_white_text, "background_colour"),
    "same-colour-run-shading": (text_on_same_colour_shading, "background_colour"),
    "black-paragraph-shading": (black_on_black_paragraph, "background_colour"),
    "black-page-background": (black_on_black_page, "background_colour"),
    "highlight": (highlight_same_as_text, "background_colour"),
    "white-character-style": (white_character_style, "background_colour"),
    "white-table-cell": (white_in_table_cell, "background_colour"),
    "1pt": (one_point_font, "tiny_font"),
    "2.5pt": (two_and_a_half_point_font, "tiny_font"),
    "tiny-paragraph-style": (tiny_paragraph_style, "tiny_font"),
    "split-runs": (split_across_runs, "vanish"),
    "header": (hidden_in_header, "vanish"),
}


@pytest.fixture(scope="module")
def trick_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tricks")
    files = {}
    for name, (trick, _) in TRICKS.items():
        document = _cv()
        trick(document)
        files[name] = _save(document, folder, f"{name}.docx")
    return files


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_hidden_text_is_left_out_and_reported(name: str, trick_files: dict[str, Path]) -> None:
    reason = TRICKS[name][1]
    document = parse_file(trick_files[name], kind="cv")
    for word in HIDDEN.split():
        assert word not in document.text
    assert "Python, PyTorch, SQL." in document.text
    assert [entry.reason for entry in document.hidden] == [reason]
    entry = document.hidden[0]
    assert entry == HiddenText(reason, len(HIDDEN.replace(" ", "")), HIDDEN, page=None)
    found = extract_skills(document).ids()
    assert found >= VISIBLE_SKILLS
    assert not HIDDEN_SKILLS & found


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_include_hidden_keeps_the_text_and_still_reports(
    name: str, trick_files: dict[str, Path]
) -> None:
    document = parse_file(trick_files[name], kind="cv", include_hidden=True)
    assert " ".join(document.text.split()).count(HIDDEN) == 1
    assert [entry.reason for entry in document.hidden] == [TRICKS[name][1]]
    assert extract_skills(document).ids() >= HIDDEN_SKILLS


def test_header_text_kept_once_and_hidden_reported_once(tmp_path: Path) -> None:
    document = _cv()
    hidden_in_header(document)
    second = document.add_section()
    second.header.is_linked_to_previous = False
    second.header.paragraphs[0].text = "Ada Example - ada@example.com "
    second.header.paragraphs[0].add_run(HIDDEN).font.hidden = True
    parsed = parse_file(_save(document, tmp_path), kind="cv")
    assert parsed.text.count("ada@example.com") == 1
    assert parsed.hidden == (HiddenText("vanish", 25, HIDDEN),)


def test_several_reasons_one_entry_each(tmp_path: Path) -> None:
    from docx.shared import Pt, RGBColor

    document = _cv()
    paragraph = _skills_paragraph(document)
    paragraph.add_run("TensorFlow ").font.hidden = True
    paragraph.add_run("Kubernetes ").font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    paragraph.add_run("Spark").font.size = Pt(1)
    document.add_paragraph("Experience")
    document.add_paragraph("Built recommendation models. ").add_run("Airflow").font.hidden = True
    parsed = parse_file(_save(document, tmp_path), kind="cv")
    assert parsed.hidden == (
        HiddenText("vanish", 17, "TensorFlow Airflow"),
        HiddenText("background_colour", 10, "Kubernetes"),
        HiddenText("tiny_font", 5, "Spark"),
    )
    assert "Built recommendation models." in parsed.text


def test_sample_is_at_most_80_characters(tmp_path: Path) -> None:
    document = _cv()
    _skills_paragraph(document).add_run(f"{HIDDEN} " * 20).font.hidden = True
    (entry,) = parse_file(_save(document, tmp_path)).hidden
    assert entry.chars == 25 * 20
    assert len(entry.sample) == 80 and entry.sample.startswith(HIDDEN)


def test_wholly_hidden_paragraph_leaves_no_blank_line(tmp_path: Path) -> None:
    document = _cv()
    _skills_paragraph(document)
    document.add_paragraph().add_run(HIDDEN).font.hidden = True
    document.add_paragraph("Experience")
    text = parse_file(_save(document, tmp_path)).text
    assert "Python, PyTorch, SQL.\nExperience" in text


# --- design choices that must stay visible ------------------------------------------------


def _visible_design(document: Any) -> None:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt, RGBColor

    paragraph = _skills_paragraph(document)
    grey = paragraph.add_run("TensorFlow ")
    grey.font.color.rgb = RGBColor(0xD9, 0xD9, 0xD9)  # light-grey design text: 1.41:1
    small = paragraph.add_run("Kubernetes ")
    small.font.size = Pt(3)  # small print, but printable
    marked = paragraph.add_run("Spark")
    marked.font.highlight_color = WD_COLOR_INDEX.BLACK
    marked.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)  # white on a black highlight
    banner = document.add_paragraph()
    banner.add_run("Airflow").font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    banner._p.get_or_add_pPr().append(_xml('<w:shd w:val="clear" w:color="auto" w:fill="1F3864"/>'))
    table = document.add_table(rows=1, cols=1)
    cell = table.cell(0, 0)
    cell._tc.get_or_add_tcPr().append(_xml('<w:shd w:val="clear" w:color="auto" w:fill="000000"/>'))
    cell.paragraphs[0].add_run("Docker").font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    reveal = document.add_paragraph().add_run("Pandas")
    reveal.font.hidden = False  # w:vanish w:val="0" is visible


def test_design_choices_are_not_flagged(tmp_path: Path) -> None:
    document = _cv()
    _visible_design(document)
    parsed = parse_file(_save(document, tmp_path))
    assert parsed.hidden == ()
    for word in ["TensorFlow", "Kubernetes", "Spark", "Airflow", "Docker", "Pandas"]:
        assert word in parsed.text


def test_white_text_in_a_dark_text_box_is_visible(tmp_path: Path) -> None:
    box = (
        '<w:r {ns} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
        '<v:rect fillcolor="#1F3864"><v:textbox><w:txbxContent><w:p><w:r><w:rPr>'
        '<w:color w:val="FFFFFF"/></w:rPr><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'
        "</v:textbox></v:rect></w:pict></w:r>"
    )
    from docx.oxml import parse_xml

    document = _cv()
    _skills_paragraph(document)._p.append(parse_xml(box.format(ns=NS, text="Kubernetes")))
    parsed = parse_file(_save(document, tmp_path))
    assert "Kubernetes" in parsed.text and parsed.hidden == ()


def test_white_text_over_a_picture_behind_the_text_is_not_judged(tmp_path: Path) -> None:
    """With a shape behind the text, the colour under a run is unknown: no colour verdict."""
    from docx.oxml import parse_xml
    from docx.shared import RGBColor

    anchor = (
        '<w:r {ns} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        'wordprocessingDrawing"><w:drawing><wp:anchor behindDoc="1"/></w:drawing></w:r>'
    )
    document = _cv()
    paragraph = _skills_paragraph(document)
    paragraph._p.append(parse_xml(anchor.format(ns=NS)))
    paragraph.add_run("Kubernetes").font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    parsed = parse_file(_save(document, tmp_path))
    assert "Kubernetes" in parsed.text and parsed.hidden == ()


# --- the project's samples ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["cv-ml-engineer.docx", "cv-frontend-developer.docx"])
def test_samples_have_no_hidden_text(name: str, samples: Path) -> None:
    document = parse_file(samples / name, kind="cv")
    assert document.hidden == ()
    assert parse_file(samples / name, kind="cv", include_hidden=True).text == document.text

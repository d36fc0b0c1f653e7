"""Hidden text in every format (issue 18): each trick of ``tests/tricks.py`` (PDF, DOCX, ODT,
RTF, HTML) is left out of the text, logged with a reason, flagged, kept with
``include_hidden``, and gains the chef's CV nothing against the ML job; each honest design
that looks like a trick (white text on dark bands, grey dates, watermarks, shaded table
headers, an OCR'd scan) is read whole and raises no flag."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

import tricks
from skillmatch.match.matcher import extract_skills
from skillmatch.models import Document, MatchReport
from skillmatch.read.parse import load_document, parse_bytes
from skillmatch.score.scorer import compare_skills, requirements_from_job
from skillmatch.taxonomy.load import load_taxonomy

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "odt": ".odt", "rtf": ".rtf", "html": ".html"}
TRICKS = {f"{case.format}: {case.name}": case for case in tricks.trick_cases()}
DESIGNS = {f"{case.format}: {case.name}": case for case in tricks.design_cases()}
HIDDEN_WORDS = ("PyTorch", "TensorFlow")


def _read(data: bytes, fmt: str, *, include_hidden: bool = False) -> Document:
    ext = EXTENSIONS[fmt]
    return parse_bytes(data, source=f"cv{ext}", extension=ext, include_hidden=include_hidden)


@cache
def _job() -> tuple[object, Document, object]:
    taxonomy = load_taxonomy()
    job = load_document(SAMPLES / "job-ml-engineer.txt", kind="job")
    requirements = requirements_from_job(extract_skills(job, taxonomy=taxonomy), job, taxonomy)
    return taxonomy, job, requirements


def _report(document: Document) -> MatchReport:
    taxonomy, job, requirements = _job()
    skills = extract_skills(document, taxonomy=taxonomy)  # type: ignore[arg-type]
    return compare_skills(
        skills,
        requirements,  # type: ignore[arg-type]
        job,
        taxonomy,  # type: ignore[arg-type]
        cv_document=document,
        as_of=dt.date(2026, 11, 1),
    )


def test_there_are_at_least_40_tricks_in_five_formats() -> None:
    assert len(TRICKS) >= 40
    assert {case.format for case in TRICKS.values()} == set(EXTENSIONS)


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_a_trick_is_left_out_logged_and_kept_with_include_hidden(name: str) -> None:
    case = TRICKS[name]
    data = case.build()
    document = _read(data, case.format)
    for word in HIDDEN_WORDS:
        assert word not in document.text
    assert "Marco Rossi" in document.text
    assert sum(part.chars for part in document.hidden) == len(tricks.HIDDEN.replace(" ", ""))
    assert all(part.sample.startswith("Python PyTorch") for part in document.hidden)
    kept = _read(data, case.format, include_hidden=True)
    assert tricks.HIDDEN in " ".join(kept.text.split())
    assert [p.reason for p in kept.hidden] == [p.reason for p in document.hidden]


@pytest.mark.parametrize(
    "fmt", ["pdf", "docx", "odt", "rtf", "html"], ids=lambda fmt: f"{fmt} tricks"
)
def test_tricks_gain_nothing_and_are_flagged(fmt: str) -> None:
    honest = _report(_read(tricks.HONEST[fmt](), fmt))
    assert honest.flags == ()
    for case in (c for c in TRICKS.values() if c.format == fmt):
        report = _report(_read(case.build(), case.format))
        assert report.score - honest.score <= 2.0, case.name
        assert [flag.kind for flag in report.flags] == ["hidden_text"], case.name
        assert "they were not scored" in report.flags[0].message


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("pdf: clipped away by a clipping path (W n)", "not_painted"),
        ("pdf: cut away by a form XObject's BBox", "not_painted"),
        ("pdf: optional content switched off", "not_painted"),
        ("pdf: soft mask that masks everything", "not_painted"),
        ("pdf: white Square annotation over the text", "not_painted"),
        ("pdf: Type3 font whose glyphs draw nothing", "not_painted"),
        ("pdf: fake OCR layer over a scan that is blank there", "not_painted"),
        ("pdf: fake OCR layer over a decorated scan", "not_painted"),
        ("pdf: 1% horizontal scaling (Tz 1)", "squeezed"),
        ("pdf: blend mode Lighten", "blended"),
        ("pdf: white text, colour set inside BT (base-14 font)", "background_colour"),
        ("docx: white text with a 1-EMU behindDoc shape elsewhere", "background_colour"),
        ("docx: text box 55 cm off the page", "off_page"),
        ("docx: white text in a box filled with the theme background (bg1)", "background_colour"),
        ("docx: 1% character scaling (w:w)", "squeezed"),
        ("html: a CSS class that hides", "hidden"),
        ("html: off-screen (position absolute, left -9999px)", "off_page"),
        ("html: opacity:0", "invisible"),
        ("rtf: hidden text (\\v)", "vanish"),
        ("rtf: white text (\\cf)", "background_colour"),
        ("odt: hidden section", "hidden"),
        ("odt: 1 pt span", "tiny_font"),
    ],
)
def test_the_reason_names_the_trick(name: str, reason: str) -> None:
    case = TRICKS[name]
    document = _read(case.build(), case.format)
    assert [part.reason for part in document.hidden] == [reason]


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_honest_designs_are_read_whole_and_not_flagged(name: str) -> None:
    case = DESIGNS[name]
    document = _read(case.build(), case.format)
    assert document.hidden == ()
    assert "Marco Rossi" in document.text
    assert _report(document).flags == ()


def test_a_partly_hidden_html_line_keeps_its_visible_words() -> None:
    data = tricks.html('<p>Cooking <span style="display:none">Python</span> pastry</p>')
    document = _read(data, "html")
    assert "Cooking pastry" in " ".join(document.text.split())
    assert "Python" not in document.text


def test_an_rtf_group_restores_the_formatting() -> None:
    data = tricks.rtf("{\\v Python SQL and more}After the group\\par ")
    document = _read(data, "rtf")
    assert "After the group" in document.text
    assert [(part.reason, part.sample) for part in document.hidden] == [
        ("vanish", "Python SQL and more")
    ]


def test_an_unclosed_hidden_html_paragraph_does_not_hide_the_next_one() -> None:
    data = tricks.html('<p style="display:none">Python PyTorch<p>Cooking for 200 guests')
    document = _read(data, "html")
    assert "Cooking for 200 guests" in document.text
    assert [(part.reason, part.sample) for part in document.hidden] == [
        ("hidden", "Python PyTorch")
    ]


def test_white_html_text_on_a_gradient_is_not_judged_by_colour() -> None:
    band = '<header style="background: linear-gradient(#ffffff, #1f3864); color:#fff">'
    document = _read(tricks.html(band + "<h1>Head Chef</h1></header>"), "html")
    assert document.hidden == ()
    assert "Head Chef" in document.text

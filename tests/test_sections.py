"""Tests for skillmatch.read.sections: headings -> sections with true offsets."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillmatch.read.sections import find_sections, guess_kind, heading_table, normalise_heading

CV = """Jane Doe
jane@example.com

PROFESSIONAL SUMMARY
Data scientist with 5 years of experience.

## Technical Skills
Python, SQL, PyTorch

Work Experience:
Acme - Data Scientist (2019 - present)

E D U C A T I O N
MSc Statistics

Certifications & Courses
AWS ML Specialty
Languages: English, French
Hobbies and Interests
Chess
"""

JOB = """About the company
We build forecasting tools.

What you'll do
- Ship models

Requirements:
- Python

Nice to have
- Spark

What we offer
- Remote work

Equal Opportunity Employer
We welcome everyone.
"""


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        (
            CV,
            "cv",
            [
                "summary",
                "skills",
                "experience",
                "education",
                "certifications",
                "languages",
                "interests",
            ],
        ),
        (
            JOB,
            "job",
            [
                "about",
                "responsibilities",
                "requirements",
                "nice-to-have",
                "benefits",
                "equal-opportunity",
            ],
        ),
        (
            CV,
            None,
            [
                "summary",
                "skills",
                "experience",
                "education",
                "certifications",
                "languages",
                "interests",
            ],
        ),
        (
            JOB,
            None,
            [
                "about",
                "responsibilities",
                "requirements",
                "nice-to-have",
                "benefits",
                "equal-opportunity",
            ],
        ),
    ],
)
def test_sections_found_in_order(text: str, kind: str | None, expected: list[str]) -> None:
    assert [s.name for s in find_sections(text, kind=kind)] == expected


@pytest.mark.parametrize("text", [CV, JOB])
def test_offsets_index_the_text(text: str) -> None:
    sections = find_sections(text)
    for section, following in itertools.pairwise(sections):
        assert section.end <= following.start
    for section in sections:
        assert text[section.start : section.end].startswith(section.heading)
        assert not text[section.start : section.end].endswith("\n")


def test_headings_as_written() -> None:
    headings = [s.heading for s in find_sections(CV, kind="cv")]
    assert headings[:4] == [
        "PROFESSIONAL SUMMARY",
        "Technical Skills",
        "Work Experience",
        "E D U C A T I O N",
    ]
    assert "Languages" in headings


@pytest.mark.parametrize(
    "line",
    [
        "Python is my favourite language and I use it daily for skills work",
        "- Skills",  # a bullet item, not a heading
        "Experience with Docker is a plus",
        "1. Education matters to us",
    ],
)
def test_sentences_are_not_headings(line: str) -> None:
    assert find_sections(f"Intro\n{line}\nmore text\n", kind="cv") == ()


def test_guess_kind() -> None:
    assert guess_kind(CV) == "cv"
    assert guess_kind(JOB) == "job"
    assert guess_kind("just some words\nand more\n") is None


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="kind"):
        find_sections("Skills\n", kind="letter")


def test_crlf_text() -> None:
    text = CV.replace("\n", "\r\n")
    sections = find_sections(text, kind="cv")
    assert [s.name for s in sections][:2] == ["summary", "skills"]
    for section in sections:
        assert text[section.start : section.end].startswith(section.heading)


def test_heading_table_is_normalised() -> None:
    for table in heading_table().values():
        for synonym in table:
            assert synonym == normalise_heading(synonym)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_sections_are_always_valid_spans(text: str) -> None:
    for section in find_sections(text):
        assert 0 <= section.start < section.end <= len(text)
        assert text[section.start : section.end].startswith(section.heading)


@given(st.text(max_size=200))
def test_page_cleaning_is_idempotent(text: str) -> None:
    from skillmatch.read.textclean import clean_page_text

    once = clean_page_text(text)
    assert clean_page_text(once) == once


def test_lower_case_lines_are_not_headings_unless_markdown() -> None:
    assert find_sections("Intro\nskills\nPython\n", kind="cv") == ()
    assert [s.name for s in find_sections("# skills\nPython\n", kind="cv")] == ["skills"]


@given(st.text(alphabet=st.sampled_from(list("aZ #:-=_*•·▪■◆►<>|\t\x0c\x85\u2003")), max_size=12))
def test_decoration_is_stripped_as_the_pattern_says(line: str) -> None:
    """The heading's decoration is stripped with str.lstrip/rstrip, as this pattern would."""
    import re

    from skillmatch.read import sections

    decoration = re.compile(r"^[\s\-=_*•·▪■◆►>|]+|[\s\-=_*•·▪■◆►<|]+$")
    stripped = line.lstrip(sections._LEADING_DECORATION).rstrip(sections._TRAILING_DECORATION)
    assert stripped == decoration.sub("", line).strip()


def test_spaces_are_what_the_pattern_calls_spaces() -> None:
    from skillmatch.read import sections

    assert set(sections._SPACES) == {chr(c) for c in range(0x3001) if chr(c).isspace()}

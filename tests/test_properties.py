"""Invariants of the text pipeline over any input, checked with hypothesis.

tests/test_match.py already splices noise into real sample lines and tests/test_score.py checks
the scores; here the input is anything at all: every code point (controls, NUL, lone
surrogates, odd spaces, right-to-left marks), and any bytes read as a ``.txt`` file.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from skillmatch.errors import ERROR_CODES, NoTextError, SkillmatchError
from skillmatch.match.matcher import extract_skills, get_matcher
from skillmatch.models import Document
from skillmatch.read.parse import parse_bytes, parse_text
from skillmatch.taxonomy.load import load_taxonomy

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Every code point, lone surrogates included (they are valid in a str, not in UTF-8).
ANY_CHAR = st.characters(codec=None, exclude_categories=())
#: Characters that stress tokenizers and offsets: controls, separators, marks, BOMs, joiners.
ODD_CHARS = st.sampled_from(
    [
        *"\x00\x01\x07\x0b\x0c\x1b\x7f\x85\xa0\xad\u200b\u200d\u2028\u2029\u202e\u3000\ufeff",
        *["\ud800", "\udfff", "\U0001f600", "e\u0301", "ﬁ", "Ⅻ", "Ｐｙｔｈｏｎ", "\r\n"],
    ]
)
#: Skill names from the taxonomy, so some inputs do match.
SKILL_WORDS = st.sampled_from(
    ["Python", "SQL", "C++", "R", "Go", "machine learning", "PyTorch", "AWS", "C#", "Node.js"]
)
ANY_TEXT = st.lists(
    st.one_of(st.text(ANY_CHAR, max_size=12), ODD_CHARS, SKILL_WORDS, st.just("\n")),
    max_size=30,
).map("".join)

#: A message may not quote this many consecutive characters of the input (it is personal data).
QUOTE_RUN = 12


@pytest.fixture(scope="module", autouse=True)
def _matcher_built() -> None:
    """Build the matcher once, outside the timed examples."""
    get_matcher(load_taxonomy())


def _is_blank(text: str) -> bool:
    return not text.removeprefix("\ufeff").strip()


@FAST
@given(text=ANY_TEXT)
@example(text="")
@example(text="\ufeff \n\t\u3000")
@example(text="\x00Python\x00")
@example(text="\ud800SQL\udfff and C++\u202e")
def test_any_text_parses_and_matches_with_true_offsets(text: str) -> None:
    """Blank text is a NoTextError; anything else gives skills whose evidence is the text."""
    if _is_blank(text):
        with pytest.raises(NoTextError) as raised:
            parse_text(text, source="-")
        assert raised.value.code == "empty_document"
        return
    document = parse_text(text, source="-")
    result = extract_skills(document)
    body = document.text
    for section in document.sections:
        assert 0 <= section.start <= section.end <= len(body)
    for skill in result.skills:
        assert skill.evidence
        for evidence in skill.evidence:
            assert 0 <= evidence.start <= evidence.end <= len(body)
            assert body[evidence.start : evidence.end] == evidence.text
    for mention in result.rejected:
        assert body[mention.start : mention.end] == mention.text


@FAST
@given(text=ANY_TEXT.filter(lambda t: not _is_blank(t)))
def test_the_same_text_gives_the_same_result(text: str) -> None:
    """Reading and matching are deterministic: the same input twice, the same JSON."""
    first = extract_skills(parse_text(text, source="-"))
    second = extract_skills(parse_text(text, source="-"))
    assert first.to_dict() == second.to_dict()
    assert parse_text(text, source="-").to_dict() == parse_text(text, source="-").to_dict()


def _quotes(message: str, data: bytes, source: str) -> bool:
    """True when ``message`` (file name aside) repeats ``QUOTE_RUN`` characters of ``data``."""
    for piece in message.split(source):
        for start in range(len(piece) - QUOTE_RUN + 1):
            window = piece[start : start + QUOTE_RUN]
            if window.encode("utf-8", "surrogatepass") in data:
                return True
    return False


BOMS = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"])


@FAST
@given(bom=BOMS, data=st.binary(max_size=200), extension=st.sampled_from([".txt", ".md", ""]))
@example(bom=b"", data=b"\x00" * 8, extension=".txt")
@example(bom=b"\xef\xbb\xbf", data=b"\xff\xfe broken utf-8 after a BOM", extension=".txt")
@example(bom=b"\xff\xfe", data=b"\x00\xd8odd", extension=".txt")
def test_any_bytes_as_text_give_a_document_or_a_clean_error(
    bom: bytes, data: bytes, extension: str
) -> None:
    """Any bytes named ``.txt``: a Document or a SkillmatchError with a known code whose
    message quotes nothing of the file."""
    source = f"x{extension}"
    raw = bom + data
    try:
        document = parse_bytes(raw, source=source, extension=extension)
    except SkillmatchError as error:
        assert error.code in ERROR_CODES
        assert not _quotes(str(error), raw, source)
        return
    assert isinstance(document, Document)
    assert document.text.strip()


UTF8_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=80)


@FAST
@given(text=UTF8_TEXT.filter(lambda t: "%PDF-" not in t), bom=st.booleans())
def test_utf8_text_round_trips_exactly(text: str, bom: bool) -> None:
    """Non-blank UTF-8 text (with or without a BOM) comes back character for character, so
    evidence offsets index the file's own text."""
    text = "x" + text  # not markup, not RTF: sniffed as plain text
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    assert parse_bytes(data, source="x.txt", extension=".txt").text == text

"""The RTF reader (``skillmatch.read.rtf``): what it reads from the shapes that made it slow or
wrong (``\\bin`` data, long ``\\'hh`` runs, huge numbers, escaped braces, groups closed in bulk),
and that its work grows with the control words and runs of a file, not with its braces. Its
speed on 40 MB files is measured in ``benchmarks/reliability.py``."""

from __future__ import annotations

import pytest

from skillmatch.read import rtf
from skillmatch.read.rtf import read_rtf


def _text(body: str, header: str = "\\ansi") -> str:
    return read_rtf(("{\\rtf1" + header + " " + body + "}").encode("latin-1"), "cv.rtf")[0]


def test_bin_data_is_skipped_braces_and_all() -> None:
    blob = "{{{ not text }\\par \\v "
    body = f"Python {{\\*\\blipuid {{\\pict\\bin{len(blob)} {blob}}}}}and SQL"
    assert _text(body) == "Python and SQL"


def test_a_run_of_hex_escapes_is_decoded_together_in_a_double_byte_code_page() -> None:
    # "あ" and "い" in Shift-JIS: two bytes each, one \'hh per byte
    assert _text("\\'82\\'a0\\'82\\'a2 Python", header="\\ansi\\ansicpg932") == "あい Python"
    assert _text("r\\'e9sum\\'e9") == "résumé"


def test_a_unicode_fallback_is_skipped_in_a_hex_run() -> None:
    assert _text("\\uc2\\u12354\\'82\\'a0 Python") == "あ Python"


@pytest.mark.parametrize("digits", [5_000, 100_000])
def test_huge_numbers_are_out_of_range_not_a_crash(digits: int) -> None:
    assert (
        _text("\\uc0\\u" + "9" * digits + " Python \\fs" + "9" * digits + " SQL")
        == "\ufffdPython SQL"
    )
    assert _text("Python \\bin" + "9" * digits + " skipped to the end") == "Python "


def test_escaped_braces_and_empty_groups_are_read_as_written() -> None:
    assert _text("\\{x\\} a{}b \\tab{}Python") == "{x} ab \tPython"


def test_hidden_text_keeps_the_words_around_it_apart() -> None:
    assert _text("Python{\\v  Java }SQL") == "Python SQL"
    assert _text("Py{\\v x}thon") == "Python"


@pytest.mark.parametrize("split_up_to", [0, 8])  # every closing run through the depth profile
def test_closing_braces_restore_the_state_of_their_group(
    monkeypatch: pytest.MonkeyPatch, split_up_to: int
) -> None:
    monkeypatch.setattr(rtf, "_SPLIT_UP_TO", split_up_to)
    body = "{\\v {{hidden}}still hidden}shown {{\\v {a}b}}c}d"
    text, hidden = read_rtf(("{\\rtf1{" + body + "}").encode(), "cv.rtf", include_hidden=False)
    assert text == "shown cd"
    assert [part.sample for part in hidden] == ["hiddenstill hidden ab"]


def test_a_million_groups_closed_at_once_cost_one_step(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[int] = []
    run = rtf._Reader.run

    def counted(self: rtf._Reader, text: str) -> None:
        runs.append(len(text))
        run(self, text)

    monkeypatch.setattr(rtf._Reader, "run", counted)
    monkeypatch.setattr(rtf, "_CHUNK", 1 << 16)
    data = b"{\\rtf1 Python " + b"{a}" * 300_000 + b"{" * 200_000 + b"\\v " + b"}" * 200_000 + b"}"
    text, _hidden = read_rtf(data, "cv.rtf")
    assert text == "Python " + "a" * 300_000
    assert len(runs) == 2  # one run before the \v, one after: the braces cost no steps


def test_groups_in_ever_new_states_keep_a_bounded_stack() -> None:
    reader = rtf._Reader("cp1252", rtf._Out([]))
    reader.read("{\\rtf1 " + "".join(f"{{\\fs{size} x" for size in range(3000)))
    assert reader.groups.depth == 3001
    assert len(reader.groups.saved) <= rtf._Groups.MAX_ENTRIES


def test_control_words_the_reader_ignores_join_the_runs_around_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs: list[str] = []
    run = rtf._Reader.run

    def counted(self: rtf._Reader, text: str) -> None:
        runs.append(text)
        run(self, text)

    monkeypatch.setattr(rtf._Reader, "run", counted)
    text, _hidden = read_rtf(
        b"{\\rtf1\\ansi\\deff0 " + b"{\\b\\i\\f1\\lang1033 a}" * 1000 + b"}", "cv.rtf"
    )
    assert text == "a" * 1000
    assert len(runs) == 1
    # but not where \bin data is: its length must stay
    assert _text("{\\b a}\\bin3 \\b {\\b b}") == "ab"


@pytest.mark.parametrize("size", [1, 7, 64])
def test_the_pass_over_ignored_words_cuts_no_control_word(size: int) -> None:
    raw = "{\\rtf1 " + "{\\b a}\\\\b {\\i\\f1 x}\\'e9 \\lang1033\\par\n\\\\{\\~}" * 40 + "}"
    pieces = list(rtf._pieces(raw, size=size))
    assert "".join(raw[start:end] for start, end in pieces) == raw
    remove = rtf._unknown_word().sub
    assert "".join(remove("", raw[start:end]) for start, end in pieces) == remove("", raw)

"""Every input the fuzzers (fuzz/) and property tests broke a reader with, read again.

The files in tests/fuzz/ are minimised crashing inputs and inputs that reached new error paths;
``outcomes.yaml`` beside them says what each must give: ``document`` or an error code. Whatever
it is, nothing but a Document or a SkillmatchError may come out, and an error's message must
not quote the file (fuzz/README.md tells the story of each file).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from skillmatch.errors import ERROR_CODES, SkillmatchError
from skillmatch.models import Document
from skillmatch.read.parse import parse_file

FUZZ = Path(__file__).resolve().parent / "fuzz"
OUTCOMES: dict[str, str] = yaml.safe_load((FUZZ / "outcomes.yaml").read_text(encoding="utf-8"))
#: A message may not contain this many consecutive characters of the file.
QUOTE_RUN = 12
#: Seconds one file may take (each takes well under one; a hang found by the fuzzer took
#: minutes): past it the test fails instead of hanging.
TIME_LIMIT = 30


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Fail a read that takes longer than ``seconds`` (Python code, where SIGALRM gets in)."""
    if sys.platform == "win32":
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"reading took over {seconds} s (a hang the fuzzer found is back)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _files() -> list[Path]:
    return sorted(p for p in FUZZ.iterdir() if p.name != "outcomes.yaml")


def test_every_file_has_an_outcome() -> None:
    assert sorted(OUTCOMES) == [p.name for p in _files()]
    assert set(OUTCOMES.values()) <= {"document", *ERROR_CODES}


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_a_fuzz_input_gives_a_document_or_a_clean_error(path: Path) -> None:
    data = path.read_bytes()
    try:
        with _time_limit(TIME_LIMIT):
            document = parse_file(path)
    except SkillmatchError as error:
        message = str(error).replace(str(path), "")
        assert error.code == OUTCOMES[path.name], message
        runs = {message[i : i + QUOTE_RUN] for i in range(len(message) - QUOTE_RUN + 1)}
        quoted = [run for run in runs if run.encode("utf-8", "surrogatepass") in data]
        assert not quoted, f"the message quotes the file: {quoted}"
        return
    assert isinstance(document, Document)
    assert OUTCOMES[path.name] == "document"
    assert document.text.strip()
    document.text.encode("utf-8")  # no lone surrogates: the text can be written out

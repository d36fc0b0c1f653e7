"""Addresses for ``--redact`` on the small set in ``tests/data/addresses.yaml``: every address
shape is masked (house number and name, labels in several languages, post-office boxes, Chinese,
Japanese and Korean addresses) and the lines that only look like one are kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from skillmatch.read.redact import MASK, find_personal_data

SET = yaml.safe_load((Path(__file__).parent / "data" / "addresses.yaml").read_text("utf-8"))


def _redacted(line: str) -> tuple[str, int]:
    """The top of a CV holding ``line``, masked; and where ``line`` starts in it."""
    text = f"Jane Doe\n{line}\njane.doe@example.org\n\nSkills\nPython, SQL and PyTorch\n"
    masked = list(text)
    for span in find_personal_data(text):
        masked[span.start : span.end] = MASK * (span.end - span.start)
    return "".join(masked), text.index(line)


@pytest.mark.parametrize("case", SET["addresses"], ids=lambda case: case["line"][:30])
def test_every_address_shape_is_masked(case: dict[str, Any]) -> None:
    masked, start = _redacted(case["line"])
    start += case["line"].index(case["address"])
    assert masked[start : start + len(case["address"])] == MASK * len(case["address"])
    assert "Python, SQL and PyTorch" in masked


@pytest.mark.parametrize("case", SET["not_addresses"], ids=lambda case: case["line"][:30])
def test_lines_that_only_look_like_an_address_are_kept(case: dict[str, Any]) -> None:
    masked, _start = _redacted(case["line"])
    assert case["keep"] in masked

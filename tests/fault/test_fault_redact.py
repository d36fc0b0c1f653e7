"""``--redact`` on the personal data issue 19 found left behind: a Chinese name, a handle, an
e-mail address written "at ... dot ...", a street address and postcode, in every output format
and in the evidence quotes; and what it cannot mask is said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillmatch.read.parse import parse_bytes
from skillmatch.read.redact import redact_document

from .conftest import JOB, SAMPLES, run_cli

PERSONAL = [
    "张伟",
    "zhang.wei_88",
    "@zhangwei",
    "zhang at example dot com",
    "zhang [at] example.org",
    "221B Baker Street",
    "NW1 6XE",
    "Hauptstraße 12",
    "10115",
    "CA 94103",
]


def _cv(folder: Path) -> Path:
    body = (SAMPLES / "cv-ml-engineer.txt").read_text().split("\n", 1)[1]
    cv = folder / "张伟_cv.txt"
    cv.write_text(
        "张伟\n"
        "Email: zhang at example dot com | zhang [at] example.org\n"
        "Skype: live:zhang.wei_88 | @zhangwei\n"
        "221B Baker Street, London NW1 6XE\n"
        "Hauptstraße 12, 10115 Berlin | San Francisco, CA 94103\n"
        f"{body}\n"
        "张伟 (zhang at example dot com) wrote the Terraform modules.\n",
        encoding="utf-8",
    )
    return cv


@pytest.mark.parametrize("fmt", ["txt", "md", "json", "html"])
def test_compare_redacts_in_every_format(tmp_path: Path, fmt: str) -> None:
    cv = _cv(tmp_path)
    out = tmp_path / f"report.{fmt}"
    result = run_cli(["compare", str(cv), "--job", JOB, "--redact", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in text, value
    assert "PyTorch" in text  # the skills are still there


def test_evidence_quotes_are_masked(tmp_path: Path) -> None:
    job = tmp_path / "job.txt"
    job.write_text("Infrastructure engineer\n\nRequirements:\n- Terraform\n- Python\n")
    cv = _cv(tmp_path)
    result = run_cli(["compare", str(cv), "--job", str(job), "--redact", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    [terraform] = [r for r in json.loads(result.stdout)["matched"] if r["id"] == "terraform"]
    assert "██ (████████████████████████) wrote the [[Terraform]] modules." in terraform["proof"]


@pytest.mark.parametrize("fmt", ["json", "csv", "jsonl", "table"])
def test_batch_redacts_in_every_format(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "cvs"
    folder.mkdir()
    _cv(folder)
    args = ["batch", str(folder), "--job", JOB, "--redact", "--format", fmt]
    result = run_cli(args)
    assert result.exit_code == 0, result.stderr
    for value in PERSONAL:
        assert value not in result.stdout, value


def test_the_warning_says_what_could_not_be_masked() -> None:
    text = "Jane Doe\nPython developer\nشركة النور\nPyTorch and SQL. كتب الكود مع أحمد.\n"
    document = redact_document(parse_bytes(text.encode(), source="cv.txt", kind="cv"))
    [warning] = document.warnings
    assert warning == (
        "redacted: 1 name; a name-like line in Arabic script near the top was left unmasked; "
        "other people's names written in Arabic script are not recognised and may remain"
    )


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Managed 1500 Servers and 20 engineers", "1500 Servers"),
        ("Used Spring @Autowired beans daily\n" * 60 + "@Component", "@Component"),
        ("In 2019 Google hired me to work on MP3 4GB players", "MP3 4GB"),
        ("worked at example.com for two years", "worked at example.com"),
    ],
)
def test_ordinary_text_is_left_alone(text: str, kept: str) -> None:
    document = redact_document(parse_bytes(text.encode(), source="cv.txt", kind="cv"))
    assert kept in document.text

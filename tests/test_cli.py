"""The command line, in process: exit codes, JSON keys, stdin and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatch.cli import cli

COMMANDS = [
    [], ["text"], ["skills"], ["score"], ["compare"], ["batch"], ["taxonomy"],
    ["taxonomy", "list"], ["taxonomy", "show"], ["taxonomy", "stats"], ["taxonomy", "validate"],
]  # fmt: skip


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "skillmatch")
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    code, out, _ = run(*command, "-h")
    assert code == 0
    assert "Example" in out


def test_text_of_a_txt_file_is_the_file_itself(samples: Path) -> None:
    code, out, _ = run("text", str(samples / "cv-ml-engineer.txt"))
    assert code == 0
    assert out == (samples / "cv-ml-engineer.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name", ["cv-ml-engineer.pdf", "cv-ml-engineer.docx", "cv-ml-engineer.txt"]
)
def test_skills_json_has_the_contract_keys_and_true_offsets(samples: Path, name: str) -> None:
    path = str(samples / name)
    code, out, _ = run("skills", path, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"source", "skills", "warnings"} <= data.keys()
    _, text, _ = run("text", path)
    ids = [skill["id"] for skill in data["skills"]]
    assert len(ids) == len(set(ids))
    for skill in data["skills"]:
        assert {"id", "name", "category", "evidence"} <= skill.keys()
        for evidence in skill["evidence"]:
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert {"python", "pytorch", "statistics", "communication"} <= set(ids)


def test_skills_reads_stdin(samples: Path) -> None:
    job = (samples / "job-ml-engineer.txt").read_text(encoding="utf-8")
    code, out, _ = run("skills", "-", "--format", "json", input=job)
    assert code == 0
    data = json.loads(out)
    assert data["source"] == "-"
    for skill in data["skills"]:
        for evidence in skill["evidence"]:
            assert job[evidence["start"] : evidence["end"]] == evidence["text"]


def test_traps_in_a_non_technical_cv_produce_no_language_skills(samples: Path) -> None:
    """The sample holds "go-getter", "R&D kitchen", "C-suite", "spark", "Microsoft Teams"."""
    code, out, _ = run("skills", str(samples / "cv-nontechnical.txt"), "--format", "json")
    assert code == 0
    skills = {s["id"]: s for s in json.loads(out)["skills"]}
    for trap in ("r", "go", "c", "apache-spark", "programming-languages"):
        assert trap not in skills
    teamwork = skills.get("teamwork", {"evidence": []})
    assert all("Teams" not in e["text"] for e in teamwork["evidence"])


def test_negated_and_aspirational_mentions_are_not_skills(samples: Path) -> None:
    """The ML CV says "no production experience with Java yet; currently learning Rust"."""
    code, out, _ = run("skills", str(samples / "cv-ml-engineer.txt"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    ids = {s["id"] for s in data["skills"]}
    assert "java" not in ids and "rust" not in ids
    reasons = {m["id"]: m["reason"] for m in data["not_counted"]}
    assert reasons["java"].startswith("negated")
    assert reasons["rust"].startswith("aspiration")


def test_score_json_has_the_contract_keys(samples: Path) -> None:
    code, out, _ = run("score", str(samples / "cv-ml-engineer.pdf"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"cv", "job", "score", "coverage", "matched", "missing", "warnings"} <= data.keys()
    assert data["job"] == "profile:ml-engineer"
    assert set(data["coverage"]) >= {"technical", "mathematical", "soft"}
    assert 0 <= data["score"] <= 100
    for item in data["matched"] + data["missing"]:
        assert {"id", "name", "category", "required"} <= item.keys()


def compare_score(samples: Path, cv: str, job: str) -> float:
    code, out, _ = run(
        "compare", str(samples / cv), "--job", str(samples / job), "--format", "json"
    )
    assert code == 0
    return float(json.loads(out)["score"])


def test_the_ml_engineer_cv_beats_the_non_technical_cv_for_the_ml_job(samples: Path) -> None:
    ml = compare_score(samples, "cv-ml-engineer.pdf", "job-ml-engineer.txt")
    other = compare_score(samples, "cv-nontechnical.pdf", "job-ml-engineer.txt")
    assert ml > other + 30


def test_compare_reads_a_pasted_job_from_stdin(samples: Path) -> None:
    job = (samples / "job-ml-engineer.txt").read_text(encoding="utf-8")
    code, out, _ = run(
        "compare", str(samples / "cv-ml-engineer.txt"), "--job", "-", "--format", "json", input=job
    )
    assert code == 0
    data = json.loads(out)
    assert data["job"] == "-"
    assert data["score"] == compare_score(samples, "cv-ml-engineer.txt", "job-ml-engineer.txt")


def test_batch_csv_has_the_contract_columns(samples: Path) -> None:
    code, out, _ = run("batch", str(samples), "--job", str(samples / "job-ml-engineer.txt"),
                       "--format", "csv", "--workers", "1")  # fmt: skip
    assert code == 0
    header = out.splitlines()[0].split(",")
    assert header[:9] == [
        "rank",
        "file",
        "status",
        "score",
        "technical",
        "mathematical",
        "soft",
        "missing",
        "error",
    ]


@pytest.mark.parametrize(
    ("make", "args"),
    [
        (None, ["text", "{tmp}/missing.pdf"]),
        ("empty.txt", ["skills", "{tmp}/empty.txt"]),
        ("cv.xyz", ["skills", "{tmp}/cv.xyz"]),
        ("fake.pdf", ["score", "{tmp}/fake.pdf"]),
        ("fake.docx", ["compare", "{tmp}/fake.docx", "--job", "{tmp}/fake.docx"]),
        (None, ["score", "{samples}/cv-ml-engineer.txt", "--profile", "astronaut"]),
        (None, ["taxonomy", "show", "no-such-skill"]),
    ],
)
def test_bad_input_is_one_error_line_and_exit_1(
    tmp_path: Path, samples: Path, make: str | None, args: list[str]
) -> None:
    if make == "empty.txt":
        (tmp_path / make).write_bytes(b"")
    elif make == "cv.xyz":
        (tmp_path / make).write_bytes(bytes(range(256)) * 4)
    elif make:  # a file whose content does not match its extension
        (tmp_path / make).write_bytes(
            (samples / "cv-ml-engineer.txt").read_bytes()[:50] + b"\x00\xff" * 40
        )
    code, out, err = run(*(a.format(tmp=tmp_path, samples=samples) for a in args))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "Traceback" not in out + err


def test_usage_errors_exit_2(samples: Path) -> None:
    code, _, _ = run("compare", str(samples / "cv-ml-engineer.txt"))  # no --job
    assert code == 2
    code, _, _ = run("skills", str(samples / "cv-ml-engineer.txt"), "--format", "yaml")
    assert code == 2


def test_python_dash_m_runs_the_same_cli(samples: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "skillmatch", "score", str(samples / "cv-nosuch.pdf")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")


def test_out_never_overwrites_an_input(tmp_path: Path, samples: Path) -> None:
    cv = tmp_path / "cv.txt"
    cv.write_bytes((samples / "cv-ml-engineer.txt").read_bytes())
    code, _, err = run("compare", str(cv), "--job", str(samples / "job-ml-engineer.txt"),
                       "--out", str(cv))  # fmt: skip
    assert code == 1
    assert err.startswith("Error: ") and "input" in err
    assert cv.read_bytes() == (samples / "cv-ml-engineer.txt").read_bytes()


def test_out_writes_through_a_symlink_with_normal_permissions(
    tmp_path: Path, samples: Path
) -> None:
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    link.symlink_to(real)
    code, _, _ = run("score", str(samples / "cv-ml-engineer.txt"), "--out", str(link))
    assert code == 0
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["job"] == "profile:ml-engineer"
    umask = os.umask(0)
    os.umask(umask)
    assert real.stat().st_mode & 0o777 == 0o666 & ~umask  # as any new file, not 0600


def test_batch_out_to_a_missing_folder_fails_before_scoring(tmp_path: Path, samples: Path) -> None:
    out = tmp_path / "no-such-folder" / "ranking.csv"
    code, _, err = run("batch", str(samples), "--job", str(samples / "job-ml-engineer.txt"),
                       "--out", str(out), "--workers", "1")  # fmt: skip
    assert code == 1
    assert err.strip().splitlines() == [f"Error: {out}: the folder {out.parent} does not exist"]


def test_a_cv_compared_with_itself_as_the_job_covers_every_requirement(samples: Path) -> None:
    # the same file read twice, once as a CV and once as a job ad: two documents
    from skillmatch.read.parse import parse_file, read_isolated

    cv = str(samples / "cv-ml-engineer.txt")
    as_cv, as_job = read_isolated([(cv, "cv"), (cv, "job")])
    assert as_cv.sections == parse_file(cv, kind="cv").sections
    assert as_job.sections == parse_file(cv, kind="job").sections
    assert as_cv.sections != as_job.sections
    code, out, _ = run("compare", cv, "--job", cv, "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["missing"] == []
    assert set(report["coverage"].values()) == {1.0}

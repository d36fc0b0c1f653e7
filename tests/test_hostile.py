"""Hostile and broken input: every case is built as a real file and read through the CLI.

Each must end as exit 1 with one ``Error: <file>: <reason>`` line and a named error code, or
as a result (with a documented warning), within the limits, and never as a traceback.
DOCX archive and XML attacks are in tests/test_docx_safety.py, fuzzing regressions in
tests/test_fuzz_regressions.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import hostile
from skillmatch.cli import cli
from skillmatch.errors import SkillmatchError
from skillmatch.read.parse import parse_file

MB = 1024 * 1024


def run(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``skillmatch ARGS``."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def error_of(path: Path, *args: str) -> tuple[str, str]:
    """The error code (from the library) and the one stderr line (from the CLI) for ``path``."""
    with pytest.raises(SkillmatchError) as caught:
        parse_file(path)
    code, stdout, stderr = run("text", str(path), *args)
    assert code == 1, stdout
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"Error: {path}: ")
    assert "Traceback" not in stderr
    return caught.value.code, lines[0]


# name, file name, builder, expected code, a fragment of the message
BROKEN: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("empty.txt", lambda: b"", "empty_document", "the file is empty"),
    ("empty.pdf", lambda: b"", "empty_document", "the file is empty"),
    ("blank.txt", lambda: b" \n\t\n", "empty_document", "the file is empty"),
    ("noise.pdf", hostile.random_bytes, "damaged", "its content is not a PDF document"),
    ("noise.docx", hostile.random_bytes, "damaged", "its content is not a DOCX document"),
    ("truncated.pdf", hostile.truncated_pdf, "damaged", "not a readable PDF"),
    ("locked.pdf", hostile.encrypted_pdf, "encrypted", "needs a password"),
    ("scanned.pdf", hostile.scanned_pdf, "no_text_layer", "no text layer"),
    ("no-pages.pdf", hostile.no_pages_pdf, "empty_document", "has no pages"),
    ("page-loop.pdf", hostile.page_tree_loop_pdf, "empty_document", "page tree is broken"),
    ("garbled.pdf", hostile.garbled_pdf, "garbled_text", "100% of the PDF's characters"),
    ("long.pdf", hostile.many_pages_pdf, "too_large", "150 pages, over the limit of 100"),
    ("binary.txt", lambda: hostile.random_bytes(2048, seed=3), "unsupported", "binary content"),
]


@pytest.mark.parametrize(
    ("name", "build", "expected", "fragment"), BROKEN, ids=[case[0] for case in BROKEN]
)
def test_a_broken_file_is_one_error_line_with_a_code(
    tmp_path: Path, name: str, build: Callable[[], bytes], expected: str, fragment: str
) -> None:
    path = tmp_path / name
    path.write_bytes(build())
    code, line = error_of(path)
    assert code == expected
    assert fragment in line


def test_a_100_mb_text_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(100 * MB)  # sparse: costs no disk, and reading it would take a while
    code, line = error_of(path)
    assert code == "too_large"
    assert line == (
        f"Error: {path}: too large: 100 MB, over the limit of 50 MB; raise it with "
        "--limit file-size=N if the file is genuine"
    )


def test_a_limit_can_be_raised_or_lifted(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(hostile.many_pages_pdf())
    assert run("text", str(path), "--limit", "pages=200")[0] == 0
    assert run("text", str(path), "--limit", "pages=none")[0] == 0
    code, _line = error_of(path, "--limit", "pages=120")  # the default applies in Python
    assert code == "too_large"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("pages", "expected NAME=VALUE"),
        ("colour=3", "expected NAME=VALUE"),
        ("pages=-1", "must be a positive number"),
        ("pages=2.5", "must be a whole number"),
        ("file-size=lots", "a size such as 20MB"),
        ("timeout=nan", "must be a positive number"),
    ],
)
def test_a_bad_limit_is_a_usage_error(setting: str, message: str) -> None:
    code, _stdout, stderr = run("text", "samples/cv-ml-engineer.txt", "--limit", setting)
    assert code == 2
    assert message in stderr.splitlines()[-1]


def test_a_page_of_60000_glyphs_is_read_in_bounded_time(tmp_path: Path) -> None:
    # pdfplumber took 9.4 s on such a page; the default engine reads it from the glyph boxes
    path = tmp_path / "dense.pdf"
    path.write_bytes(hostile.dense_page_pdf())
    code, stdout, stderr = run("text", str(path), "--limit", "timeout=20")
    assert code == 0, stderr
    assert len(stdout) > 50_000


def test_a_pdf_that_makes_pdfminer_loop_is_read_by_the_default_engine(tmp_path: Path) -> None:
    # pdfminer loops on the self-referencing resources; the default engine never calls it
    path = tmp_path / "pdfminer-loop.pdf"
    path.write_bytes(hostile.pdfminer_loop_pdf())
    code, stdout, stderr = run("text", str(path), "--limit", "timeout=20")
    assert code == 0, stderr
    assert stdout.count("engineerwithtensorflowexperience") == 12


def test_a_hanging_reader_is_killed_at_the_timeout(tmp_path: Path) -> None:
    # the same file read by pdfplumber (--pdf-engine pdfplumber) loops: the worker is killed
    path = tmp_path / "pdfminer-loop.pdf"
    path.write_bytes(hostile.pdfminer_loop_pdf())
    code, _stdout, stderr = run(
        "text", str(path), "--pdf-engine", "pdfplumber", "--limit", "timeout=2"
    )
    assert code == 1
    assert stderr == (
        f"Error: {path}: reading took longer than 2 s and was stopped; raise it with "
        "--limit timeout=N if the file is genuine\n"
    )


TEXT = "Jürgen Müller – Data Scientist\nSkills: Python, SQL, Statistik, Café-Analysen\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "cp1252"])
def test_text_in_other_encodings_is_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(TEXT.encode(encoding))  # no byte-order mark
    code, stdout, _stderr = run("text", str(path))
    assert code == 0
    assert stdout == TEXT


def test_invalid_utf8_is_read_without_failing(tmp_path: Path) -> None:
    path = tmp_path / "invalid-utf8.txt"
    path.write_bytes(TEXT.encode("utf-8") + b"\xff\xfe broken \xc3\x28 bytes\n" + TEXT.encode())
    code, stdout, _stderr = run("text", str(path))
    assert code == 0
    assert "Skills: Python, SQL" in stdout
    assert stdout.count("Data Scientist") == 2


def test_content_wins_over_a_lying_extension(tmp_path: Path, samples: Path) -> None:
    pdf_as_docx = tmp_path / "cv.docx"
    pdf_as_docx.write_bytes((samples / "cv-ml-engineer.pdf").read_bytes())
    docx_as_txt = tmp_path / "cv.txt"
    docx_as_txt.write_bytes((samples / "cv-ml-engineer.docx").read_bytes())
    assert parse_file(pdf_as_docx).text == parse_file(samples / "cv-ml-engineer.pdf").text
    assert parse_file(docx_as_txt).text == parse_file(samples / "cv-ml-engineer.docx").text
    text_as_pdf = tmp_path / "renamed.pdf"
    text_as_pdf.write_bytes((samples / "cv-ml-engineer.txt").read_bytes())
    code, line = error_of(text_as_pdf)
    assert code == "damaged" and "named .pdf but its content is not a PDF" in line


def test_a_symlink_loop_and_a_folder_are_errors_not_hangs(tmp_path: Path) -> None:
    loop = tmp_path / "loop.pdf"
    os.symlink(loop.name, loop)
    code, line = error_of(loop)
    assert code == "unreadable" and "too many levels of symbolic links" in line.lower()
    code, line = error_of(tmp_path)
    assert code == "unreadable" and "is a directory" in line


def test_a_missing_file(tmp_path: Path) -> None:
    code, line = error_of(tmp_path / "nowhere.pdf")
    assert code == "not_found"
    assert line == f"Error: {tmp_path / 'nowhere.pdf'}: no such file; check the path"


def test_an_unreadable_file(tmp_path: Path, samples: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_bytes((samples / "cv-ml-engineer.txt").read_bytes())
    path.chmod(0)
    if os.geteuid() == 0:  # root may read any file, but not another process's memory
        path = Path("/proc/1/mem")
    code, line = error_of(path)
    assert code == "unreadable"
    assert line == f"Error: {path}: permission denied; check the file's permissions"


GO = "  - {id: go, name: Go, category: technical}"
BAD_TAXONOMIES = [
    ("bad.yaml", ["skills: [", "  - id: python"], "invalid YAML"),
    ("unknown.yaml", ["skills:", GO.replace("}", ", colour: blue}")], "colour"),
    ("twins.yaml", ["skills:", GO, GO.replace("name: Go", "name: Golang")], "'go'"),
    ("cycle.yaml", ["skills:",
                    "  - {id: a-skill, name: A skill, category: technical, parents: [b-skill]}",
                    "  - {id: b-skill, name: B skill, category: technical, parents: [a-skill]}"],
     "cycle"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "lines", "fragment"), BAD_TAXONOMIES)
def test_a_bad_taxonomy_is_one_error_line(
    tmp_path: Path, samples: Path, name: str, lines: list[str], fragment: str
) -> None:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cv = str(samples / "cv-ml-engineer.txt")
    code, stdout, stderr = run("skills", cv, "--taxonomy", str(path))
    assert code == 1 and stdout == ""
    errors = stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"Error: {path}:")
    assert fragment in errors[0]


def test_a_pipe_is_refused_before_it_is_opened(tmp_path: Path, samples: Path) -> None:
    # opening a FIFO with no writer blocks for ever, beyond any time limit
    fifo = tmp_path / "cv.txt"
    os.mkfifo(fifo)
    code, line = error_of(fifo)
    assert code == "unreadable" and "not a regular file" in line
    folder = tmp_path / "cvs"
    folder.mkdir()
    (folder / "cv.txt").write_bytes((samples / "cv-ml-engineer.txt").read_bytes())
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    job = str(samples / "job-ml-engineer.txt")
    status, out, _ = run("batch", str(folder), "--job", job, "--format", "json")
    assert status == 0
    result = json.loads(out)
    assert [Path(r["file"]).name for r in result["results"]] == ["cv.txt"]
    assert {Path(s["file"]).name: s["reason"] for s in result["skipped"]} == {
        "pipe.txt": "not a regular file (a pipe, socket or device)",
        "zero.txt": "not a regular file (a pipe, socket or device)",
    }


def test_standard_input_is_recognised_by_its_content(samples: Path) -> None:
    pdf = samples / "cv-ml-engineer.pdf"
    piped = CliRunner().invoke(cli, ["text", "-"], input=pdf.read_bytes())
    assert piped.exit_code == 0
    assert piped.stdout == parse_file(pdf).text
    locked = CliRunner().invoke(cli, ["text", "-"], input=hostile.encrypted_pdf())
    assert locked.exit_code == 1
    assert locked.stderr.startswith("Error: -: the PDF is encrypted")
    noise = CliRunner().invoke(cli, ["text", "-"], input=hostile.random_bytes(3000, seed=5))
    assert noise.exit_code == 1
    assert noise.stderr.startswith("Error: -: unsupported file type")


@pytest.mark.parametrize(
    ("setting", "message"),
    [("memory=1e13", "at most 1,048,576"), ("timeout=1e7", "at most 604,800")],
)
def test_limits_beyond_what_the_system_takes_are_usage_errors(setting: str, message: str) -> None:
    code, _stdout, stderr = run("text", "samples/cv-ml-engineer.txt", "--limit", setting)
    assert code == 2
    assert message in stderr.splitlines()[-1]


@pytest.mark.parametrize(
    "setting", ["pages=0", "pages=00", "file-size=0KB", "timeout=0.0", "chars=0"]
)
def test_zero_lifts_a_limit_like_none(tmp_path: Path, setting: str) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(hostile.many_pages_pdf())  # over the default page limit only
    name = setting.split("=")[0]
    code, _stdout, stderr = run("text", str(path), "--limit", setting, "--limit", "pages=none")
    assert code == 0, stderr
    if name == "pages":
        assert run("text", str(path), "--limit", setting)[0] == 0

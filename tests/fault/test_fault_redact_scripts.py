"""``--redact`` on names in scripts without capital letters (and two with them), in text, DOCX
and PDF CVs the tests build: no part of the name in any output format of ``compare`` and
``batch``, nor in the evidence quotes, nor in the file names; and the warning says what was left
without quoting it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillmatch.read.parse import parse_bytes
from skillmatch.read.redact import redact_document

from .conftest import JOB, SAMPLES, run_cli

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

#: A name per script: (the name as written at the top, a transliteration written beside it or
#: "", the parts of the name that must not appear anywhere, whether DejaVu Sans draws it).
NAMES = {
    "chinese": ("王小明", "Wang Xiaoming", ["王小明", "小明", "Wang", "Xiaoming"], False),
    "japanese": ("山田 太郎", "", ["山田", "太郎"], False),
    "korean": ("김민준", "Kim Minjun", ["김민준", "민준", "Minjun"], False),
    "arabic": ("محمد العلي", "Mohammed Al-Ali", ["محمد", "العلي", "Mohammed"], True),
    "hebrew": ("יוסי כהן", "", ["יוסי", "כהן"], True),
    "hindi": ("राहुल शर्मा", "Rahul Sharma", ["राहुल", "शर्मा", "Rahul", "Sharma"], False),
    "thai": ("สมชาย ใจดี", "", ["สมชาย", "ใจดี"], False),
    "georgian": ("მარიამ ბერიძე", "", ["მარიამ", "ბერიძე"], True),
    "russian": ("Иван Петров", "", ["Иван", "Петров"], True),
}


def _lines(script: str) -> list[str]:
    """A CV: the name (and its transliteration) at the top, contact details, the body of the
    sample ML engineer's CV, and the name again in a sentence that proves a skill."""
    name, latin, _parts, _drawn = NAMES[script]
    body = (SAMPLES / "cv-ml-engineer.txt").read_text().split("\n", 1)[1]
    first_word = name.split()[0]
    return [
        name,
        *([latin] if latin else []),
        "Email: cv.candidate@example.org | Phone: +44 20 7946 0958",
        *body.splitlines(),
        f"{name} wrote the Terraform modules.",
        f"Referee for {first_word}'s work: on request.",
    ]


def _write(folder: Path, script: str, fmt: str) -> Path:
    lines = _lines(script)
    path = folder / f"{NAMES[script][0].replace(' ', '_')}_cv.{fmt}"
    if fmt == "txt":
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "docx":
        import docx

        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(str(path))
    else:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_font("dejavu", fname=str(DEJAVU))
        pdf.set_font("dejavu", size=10)
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.output(str(path))
    return path


def _cases() -> list[tuple[str, str]]:
    cases = [(script, fmt) for script in NAMES for fmt in ("txt", "docx")]
    cases += [(script, "pdf") for script, (*_rest, drawn) in NAMES.items() if drawn]
    return cases


def _assert_gone(script: str, output: str) -> None:
    for part in NAMES[script][2]:
        assert part not in output, part


@pytest.mark.parametrize(("script", "fmt"), _cases())
def test_compare_masks_every_part_of_the_name_in_every_format(
    tmp_path: Path, script: str, fmt: str
) -> None:
    if fmt == "pdf" and not DEJAVU.exists():
        pytest.skip("needs the DejaVu Sans font")
    cv = _write(tmp_path, script, fmt)
    job = tmp_path / "job.txt"
    job.write_text("ML platform engineer\n\nRequirements:\n- Terraform\n- Python\n- PyTorch\n")
    # every output format from a text CV; the JSON (which holds every quote) from the others
    for out_format in ("txt", "md", "json", "html") if fmt == "txt" else ("json",):
        out = tmp_path / f"report.{out_format}"
        result = run_cli(["compare", str(cv), "--job", str(job), "--redact", "--out", str(out)])
        assert result.exit_code == 0, result.stderr
        _assert_gone(script, out.read_text(encoding="utf-8") + result.stderr)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    proofs = [r["proof"] for r in report["matched"] if r["id"] == "terraform"]
    assert proofs and "wrote the [[Terraform]] modules" in proofs[0]
    assert "pytorch" in {r["id"] for r in report["matched"]}


@pytest.mark.parametrize("out_format", ["json", "csv", "jsonl", "table", "html"])
def test_batch_masks_every_part_of_the_name_in_every_format(
    tmp_path: Path, out_format: str
) -> None:
    folder = tmp_path / "cvs"
    folder.mkdir()
    scripts = ("chinese", "arabic", "hindi", "thai")
    for script in scripts:
        (folder / script).mkdir()
        _write(folder / script, script, "txt")
        _write(folder / script, script, "docx")
    out = tmp_path / f"ranking.{'txt' if out_format == 'table' else out_format}"
    args = ["batch", str(folder), "--job", JOB, "--redact", "--format", out_format]
    result = run_cli([*args, "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    written = out.read_text(encoding="utf-8")
    assert "cv-" in written  # files named by their content hash
    for script in scripts:
        _assert_gone(script, written + result.stdout + result.stderr)


@pytest.mark.parametrize("script", list(NAMES))
def test_the_name_is_found_and_nothing_is_left_to_warn_about(script: str) -> None:
    text = "\n".join(_lines(script))
    document = redact_document(parse_bytes(text.encode(), source="cv.txt", kind="cv"))
    [warning] = document.warnings
    assert warning.startswith("redacted: ") and "no name found" not in warning
    assert "left unmasked" not in warning and "may remain" not in warning
    _assert_gone(script, document.text)


def test_a_name_after_a_label_in_its_own_language_is_masked() -> None:
    cases = {
        "الاسم: أحمد حسن\nPython": ["أحمد", "حسن"],
        "姓名：李娜\nPython 李娜": ["李娜"],
        "个人简历\n求职意向 数据工程师\n姓名 王芳 性别 女\n王芳负责数据平台": ["王芳"],
        "이력서\n이름 박지성\n박지성은 Python을": ["박지성", "지성"],
        "ชื่อ: นางสาวมาลี สุขใจ\nPython": ["มาลี", "สุขใจ"],
        "नाम: प्रिया वर्मा\nPython": ["प्रिया", "वर्मा"],
    }
    for text, parts in cases.items():
        masked = redact_document(parse_bytes(text.encode(), source="cv.txt", kind="cv")).text
        for part in parts:
            assert part not in masked, part


def test_what_remains_is_named_by_script_never_quoted() -> None:
    text = (
        "Jane Doe\nData Scientist\nأحمد حسن\nPython, SQL\n\n"
        "Experience\nشاركت في مشروع مع فاطمة الزهراء.\n"
    )
    document = redact_document(parse_bytes(text.encode(), source="cv.txt", kind="cv"))
    [warning] = document.warnings
    assert warning == (
        "redacted: 1 name; a name-like line in Arabic script near the top was left unmasked; "
        "other people's names written in Arabic script are not recognised and may remain"
    )
    assert "أحمد" in document.text  # left, as the warning says

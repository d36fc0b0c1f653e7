"""Gaming flags: hidden text, keyword stuffing and a copied job ad, each built as a real file
(TXT, DOCX, PDF) from a sample CV plus the trick; stuffing never raises the score; honest CVs
(the samples, and the corpus when present) raise no flag; reports and batch outputs carry them.

The Flags block of the reports is kept as a golden file
(``tests/golden/reports/flags--all-three.txt``); regenerate it with::

    SKILLMATCH_UPDATE_GOLDEN=1 pytest tests/test_flags.py
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as Docx
from docx.shared import RGBColor
from fpdf import FPDF

from skillmatch.batch.output import load_previous
from skillmatch.batch.rows import BatchRow
from skillmatch.cli import cli
from skillmatch.match.matcher import extract_skills
from skillmatch.models import Flag, HiddenText, MatchReport
from skillmatch.read.parse import load_document, parse_text
from skillmatch.render.html import report_html
from skillmatch.render.report import report_markdown, report_table, write_atomic
from skillmatch.score.gaming import find_flags, hidden_flag
from skillmatch.score.scorer import compare, compare_skills, requirements_from_job, score_profile
from skillmatch.taxonomy.load import load_taxonomy

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
GOLDEN = REPO / "tests" / "golden" / "reports"
UPDATE = os.environ.get("SKILLMATCH_UPDATE_GOLDEN") == "1"
AS_OF = dt.date(2026, 11, 1)
ML_CV = (SAMPLES / "cv-ml-engineer.txt").read_text(encoding="utf-8")
ML_JOB = SAMPLES / "job-ml-engineer.txt"
#: The ML job's requirements section, as a candidate would paste it.
REQUIREMENTS = ML_JOB.read_text(encoding="utf-8").split("Requirements\n")[1].split("\n\n")[0]
SKILL_LIST = "Python, machine learning, TensorFlow, PyTorch, SQL, statistics"
#: Each sample CV and the sample job written for it (the non-technical CV is a distractor).
JOB_OF = {
    "cv-ml-engineer": "job-ml-engineer",
    "cv-ml-engineer-two-column": "job-ml-engineer",
    "cv-frontend-developer": "job-frontend",
    "cv-data-analyst": "job-data-analyst",
    "cv-nontechnical": "job-ml-engineer",
}


# -- building the tricks as files ---------------------------------------------------------------
def _txt(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _docx(path: Path, lines: list[str], *, vanish: str = "", white: str = "") -> Path:
    document = Docx()
    for line in lines:
        document.add_paragraph(line)
    if vanish:
        document.add_paragraph().add_run(vanish).font.hidden = True
    if white:
        document.add_paragraph().add_run(white).font.color.rgb = RGBColor(255, 255, 255)
    document.save(str(path))
    return path


def _pdf(path: Path, lines: list[str], *, white: str = "", tiny: str = "") -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in lines:
        text = line.replace("–", "-").encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    if white:
        pdf.set_text_color(255, 255, 255)
        pdf.multi_cell(0, 5, white, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    if tiny:
        pdf.set_font("Helvetica", size=1)
        pdf.multi_cell(0, 1, tiny, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _flag(report: MatchReport, kind: str) -> Flag:
    found = [f for f in report.flags if f.kind == kind]
    assert found, f"no {kind} flag; flags: {[f.kind for f in report.flags]}"
    return found[0]


def _same_score(a: MatchReport, b: MatchReport) -> None:
    assert a.score == b.score
    assert a.coverage == b.coverage
    assert [(c.name, c.value) for c in a.components] == [(c.name, c.value) for c in b.components]
    assert [(r.id, r.credit, r.strength) for r in a.matched] == [
        (r.id, r.credit, r.strength) for r in b.matched
    ]
    assert [r.id for r in a.missing] == [r.id for r in b.missing]


# -- hidden text --------------------------------------------------------------------------------
def test_hidden_text_in_a_docx_is_flagged_with_how_much_why_and_a_sample(tmp_path: Path) -> None:
    hidden = "Kubernetes Terraform Spark " * 8
    cv = _docx(tmp_path / "cv.docx", ML_CV.splitlines(), vanish=hidden, white="Scala Hadoop " * 5)
    report = score_profile(cv, as_of=AS_OF)
    flag = _flag(report, "hidden_text")
    document = load_document(cv, kind="cv")
    total = sum(part.chars for part in document.hidden)  # as the reader counts them
    assert total > 200
    assert re.match(rf"{total} characters hidden from readers \(", flag.message), flag.message
    assert "Word's hidden-text formatting" in flag.message, flag.message
    assert "they were not scored" in flag.message
    assert any("Kubernetes Terraform Spark" in item for item in flag.evidence)
    assert "Terraform" not in document.text


def test_hidden_text_in_a_pdf_names_the_pages_and_is_not_scored(tmp_path: Path) -> None:
    pytest.importorskip(
        "skillmatch.read.pdf_hidden", reason="PDF hidden-text detection not landed yet"
    )
    lines = ML_CV.splitlines()[:12]
    plain = score_profile(_pdf(tmp_path / "plain.pdf", lines), as_of=AS_OF)
    tricked = _pdf(tmp_path / "cv.pdf", lines, white="Kubernetes Terraform " * 6, tiny="Scala " * 9)
    report = score_profile(tricked, as_of=AS_OF)
    flag = _flag(report, "hidden_text")
    assert "on page 1" in flag.message, flag.message
    assert any("Kubernetes Terraform" in item for item in flag.evidence)
    assert report.score == plain.score
    assert not plain.flags


def test_hidden_text_wording_pages_threshold_and_included_text() -> None:
    parts = (
        HiddenText("background_colour", 300, "Python Python", page=2),
        HiddenText("tiny_font", 112, "SQL SQL", page=1),
        HiddenText("background_colour", 10, "Java", page=3),
    )
    flag = hidden_flag(parts)
    assert flag is not None
    assert flag.message == (
        "422 characters hidden from readers (text coloured like the background on pages 2 "
        "and 3, tiny type on page 1); they were not scored"
    )
    assert flag.evidence[0] == (
        'text coloured like the background on page 2, 300 characters: "Python Python"'
    )
    assert hidden_flag((HiddenText("off_page", 4, "a b", page=1),)) is None  # a stray mark
    kept = hidden_flag(parts, "CV text ... Python Python ...")  # read with include_hidden
    assert kept is not None and "read as part of the CV" in kept.message


# -- keyword stuffing ---------------------------------------------------------------------------
def test_a_skill_repeated_50_times_is_flagged_with_count_and_place(tmp_path: Path) -> None:
    cv = _txt(tmp_path / "cv.txt", ML_CV + "\n" + "Python\n" * 50)
    report = compare(cv, ML_JOB, as_of=AS_OF)
    flag = _flag(report, "keyword_stuffing")
    found = re.search(
        r"Python named (\d+) times, (\d+)% of the CV's [\d,]+ words, 50 of them in a row",
        flag.message,
    )
    assert found, flag.message
    assert int(found.group(1)) >= 50
    start = len(ML_CV) + 1  # the first appended line
    assert flag.evidence[0].startswith(f"Python x{found.group(1)}, characters {start}-")
    assert '"Python Python Python' in flag.evidence[0]
    assert "add nothing to the score" in flag.message


def test_repeated_mentions_add_nothing_to_the_score(tmp_path: Path) -> None:
    three = _txt(tmp_path / "three.txt", ML_CV + "\n" + "Python\n" * 3)
    fifty = _txt(tmp_path / "fifty.txt", ML_CV + "\n" + "Python\n" * 50)
    _same_score(compare(three, ML_JOB, as_of=AS_OF), compare(fifty, ML_JOB, as_of=AS_OF))
    _same_score(score_profile(three, as_of=AS_OF), score_profile(fifty, as_of=AS_OF))
    assert not score_profile(three, as_of=AS_OF).flags


def test_a_repeated_skill_list_in_a_docx_is_flagged_and_adds_nothing(tmp_path: Path) -> None:
    lines = ML_CV.splitlines()
    once = _docx(tmp_path / "once.docx", [*lines, SKILL_LIST])
    stuffed = _docx(tmp_path / "stuffed.docx", [*lines, *[SKILL_LIST] * 6])
    report = compare(stuffed, ML_JOB, as_of=AS_OF)
    flag = _flag(report, "keyword_stuffing")
    assert "a list of 6 skills (Python, Machine learning, TensorFlow, PyTorch, SQL, Statistics) " \
        "repeated 6 times in a row" in flag.message, flag.message  # fmt: skip
    assert flag.evidence[0].startswith("list of 6 skills, 36 mentions, characters ")
    _same_score(compare(once, ML_JOB, as_of=AS_OF), report)
    assert not compare(once, ML_JOB, as_of=AS_OF).flags


def test_a_keyword_line_in_a_pdf_is_flagged(tmp_path: Path) -> None:
    lines = ML_CV.splitlines()[:20]
    cv = _pdf(tmp_path / "cv.pdf", [*lines, "Keywords: " + ", ".join(["Kubernetes"] * 25)])
    flag = _flag(score_profile(cv, as_of=AS_OF), "keyword_stuffing")
    assert "Kubernetes named" in flag.message and "in a row" in flag.message, flag.message


def test_a_long_cv_naming_its_skills_often_is_not_stuffing(tmp_path: Path) -> None:
    # three CVs' worth of honest text: many mentions, but spread out and in sentences
    cv = _txt(tmp_path / "cv.txt", "\n\n".join([ML_CV] * 3))
    assert not score_profile(cv, as_of=AS_OF).flags


def test_one_skill_under_several_names_in_a_row_is_flagged(tmp_path: Path) -> None:
    names = "machine learning, Machine Learning, ML, machine-learning\n"
    cv = _txt(tmp_path / "cv.txt", ML_CV + "\nKEYWORDS\n" + names * 6)
    flag = _flag(score_profile(cv, as_of=AS_OF), "keyword_stuffing")
    assert re.search(r"Machine learning named \d+ times, 2\d of them in a row", flag.message), (
        flag.message
    )
    honest = _txt(tmp_path / "honest.txt", ML_CV + "\nKEYWORDS\n" + names)
    assert not score_profile(honest, as_of=AS_OF).flags


# -- copied job ad ------------------------------------------------------------------------------
def test_pasted_requirements_are_flagged_as_a_copied_ad(tmp_path: Path) -> None:
    cv = _txt(tmp_path / "cv.txt", ML_CV + "\nADDITIONAL SKILLS\n" + REQUIREMENTS + "\n")
    flag = _flag(compare(cv, ML_JOB, as_of=AS_OF), "copied_job_ad")
    assert re.match(
        r"\d+ words of the ad repeated word for word, \d+ lines of it whole", flag.message
    )
    assert "of its requirements named in the ad's own order (Python, " in flag.message
    assert any(
        "Hands-on experience with at least one major ML framework" in e for e in flag.evidence
    )
    # without a job ad there is nothing to copy
    assert not [f for f in score_profile(cv, as_of=AS_OF).flags if f.kind == "copied_job_ad"]


def test_the_ads_skills_listed_in_its_order_are_flagged(tmp_path: Path) -> None:
    listed = (
        "Key skills: Python, PyTorch, TensorFlow, data structures and algorithms, SQL, "
        "relational databases, PostgreSQL, statistics, probability, linear algebra"
    )
    cv = _docx(tmp_path / "cv.docx", [*ML_CV.splitlines(), listed])
    flag = _flag(compare(cv, ML_JOB, as_of=AS_OF), "copied_job_ad")
    assert re.match(r"(\d+) of its requirements named in the ad's own order", flag.message)
    assert any(e.startswith("requirements in the ad's order, characters ") for e in flag.evidence)


# -- honest CVs ---------------------------------------------------------------------------------
SAMPLE_CVS = sorted(p.name for p in SAMPLES.glob("cv-*") if p.suffix in {".txt", ".pdf", ".docx"})


@pytest.mark.parametrize("name", SAMPLE_CVS)
def test_sample_cvs_raise_no_flag_against_their_job_or_the_profile(name: str) -> None:
    cv = load_document(SAMPLES / name, kind="cv")
    job = SAMPLES / f"{JOB_OF[Path(name).stem]}.txt"
    assert compare(cv, job, as_of=AS_OF).flags == ()
    assert score_profile(cv, as_of=AS_OF).flags == ()


def test_sample_cvs_raise_no_flag_against_any_sample_job() -> None:
    taxonomy = load_taxonomy()
    for job_path in sorted(SAMPLES.glob("job-*.txt")):
        job = load_document(job_path, kind="job")
        requirements = requirements_from_job(extract_skills(job, taxonomy=taxonomy), job, taxonomy)
        for cv_path in sorted(SAMPLES.glob("cv-*.txt")):
            cv = load_document(cv_path, kind="cv")
            skills = extract_skills(cv, taxonomy=taxonomy)
            flags = find_flags(cv, skills, taxonomy=taxonomy, job=job, requirements=requirements)
            assert flags == (), (cv_path.name, job_path.name, flags)


_TAG = re.compile(r"<[^>]+>")


@pytest.mark.corpus
def test_corpus_cvs_raise_no_flag(corpus: Path) -> None:
    taxonomy = load_taxonomy()
    documents = []
    for xml in sorted((corpus / "cvs" / "dotin").glob("**/*.xml")):
        text = html.unescape(_TAG.sub("", xml.read_text(encoding="utf-8", errors="replace")))
        if text.strip():
            documents.append(parse_text(text.strip(), source=xml.name, kind="cv"))
    documents += [load_document(p, kind="cv") for p in sorted(corpus.glob("pdfs/**/*.pdf"))]
    assert len(documents) > 300
    flagged = {}
    for cv in documents:
        flags = find_flags(cv, extract_skills(cv, taxonomy=taxonomy), taxonomy=taxonomy)
        if flags:
            flagged[cv.source] = [f.message for f in flags]
    assert flagged == {}


@pytest.mark.corpus
def test_corpus_cvs_against_the_corpus_jobs_raise_no_copied_flag(corpus: Path) -> None:
    taxonomy = load_taxonomy()
    jobs_folder = corpus / "jobs" / "resume-matcher"
    jobs = [load_document(p, kind="job") for p in sorted(jobs_folder.glob("**/*.pdf"))]
    jobs += [load_document(p, kind="job") for p in sorted(jobs_folder.glob("**/*.txt"))]
    cvs = [load_document(p, kind="cv") for p in sorted((corpus / "pdfs").glob("**/*.pdf"))]
    assert len(jobs) >= 8 and len(cvs) >= 20
    for job in jobs:
        requirements = requirements_from_job(extract_skills(job, taxonomy=taxonomy), job, taxonomy)
        for cv in cvs:
            report = compare_skills(
                extract_skills(cv, taxonomy=taxonomy), requirements, job, taxonomy, cv_document=cv
            )
            assert report.flags == (), (cv.source, job.source, report.flags)


# -- reports ------------------------------------------------------------------------------------
def _all_three(tmp_path: Path) -> MatchReport:
    lines = [*ML_CV.splitlines(), "ADDITIONAL SKILLS", *REQUIREMENTS.splitlines()]
    lines += ["Python"] * 40
    _docx(tmp_path / "tricks.docx", lines, vanish="Kubernetes Terraform Spark " * 8)
    cwd = os.getcwd()
    os.chdir(tmp_path)  # the report names the CV "tricks.docx"
    try:
        return compare("tricks.docx", ML_JOB, as_of=AS_OF)
    finally:
        os.chdir(cwd)


def _block(text: str, first: str) -> str:
    """The lines from the one starting with ``first`` to the next blank line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join(lines[start:end]) + "\n"


def test_reports_show_a_flags_block(tmp_path: Path) -> None:
    report = _all_three(tmp_path)
    assert [f.kind for f in report.flags] == ["hidden_text", "keyword_stuffing", "copied_job_ad"]
    table = _block(report_table(report), "Flags (3)")
    markdown = _block(report_markdown(report), "## Flags")
    markdown += _block(report_markdown(report).split("## Flags\n\n", 1)[1], "- ")
    golden = GOLDEN / "flags--all-three.txt"
    actual = f"{table}\n{markdown}"
    if UPDATE or not golden.exists():
        assert UPDATE, f"{golden} is missing: run SKILLMATCH_UPDATE_GOLDEN=1 pytest {__file__}"
        write_atomic(golden, actual)
    assert actual == golden.read_text(encoding="utf-8")
    page = report_html(report)
    assert '<section id="flags"><h2>Flags (3)</h2>' in page
    assert "keyword stuffing" in page and "Kubernetes Terraform Spark" in page
    data = json.loads(json.dumps(report.to_dict()))
    assert [f["kind"] for f in data["flags"]] == [
        "hidden_text",
        "keyword_stuffing",
        "copied_job_ad",
    ]
    assert all(f["message"] and f["evidence"] for f in data["flags"])


def test_reports_without_flags_have_no_flags_block() -> None:
    report = compare(SAMPLES / "cv-ml-engineer.txt", ML_JOB, as_of=AS_OF)
    assert report.flags == () and report.to_dict()["flags"] == []
    assert "Flags" not in report_table(report, explain=True)
    assert "## Flags" not in report_markdown(report)
    assert 'id="flags"' not in report_html(report)


def test_cv_text_in_flags_cannot_carry_markup_or_escapes(tmp_path: Path) -> None:
    trick = "Python <script>\x1b[2J\n" * 20
    report = score_profile(_txt(tmp_path / "cv.txt", ML_CV + trick), as_of=AS_OF)
    flag = _flag(report, "keyword_stuffing")
    assert "<script>" in flag.evidence[0] and "\x1b" not in flag.evidence[0]
    assert "\x1b" not in report_table(report)
    for page in (report_markdown(report), report_html(report)):
        assert "Python &lt;script&gt;" in page and "Python <script>" not in page


# -- batch --------------------------------------------------------------------------------------
def test_batch_rows_carry_the_flags_in_csv_json_and_table(tmp_path: Path) -> None:
    folder = tmp_path / "cvs"
    folder.mkdir()
    _txt(folder / "stuffed.txt", ML_CV + "\n" + "Python\n" * 50)
    for name in ("cv-ml-engineer.txt", "cv-data-analyst.txt"):
        (folder / name).write_text((SAMPLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    args = ["batch", str(folder), "--job", str(ML_JOB), "--workers", "1", "--quiet"]
    runner = CliRunner()
    out_csv = tmp_path / "ranking.csv"
    assert runner.invoke(cli, [*args, "--out", str(out_csv)]).exit_code == 0
    reader = csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8")))
    assert reader.fieldnames is not None
    assert reader.fieldnames[:10] == [
        "rank", "file", "status", "score", "technical", "mathematical", "soft", "missing", "error",
        "flags",
    ]  # fmt: skip
    flags = {Path(row["file"]).name: row["flags"] for row in reader}
    assert flags == {"stuffed.txt": "keyword_stuffing", "cv-ml-engineer.txt": "",
                     "cv-data-analyst.txt": ""}  # fmt: skip
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    by_name = {Path(r["file"]).name: r for r in data["results"]}
    assert by_name["stuffed.txt"]["flags"] == ["keyword_stuffing"]
    assert by_name["cv-ml-engineer.txt"]["flags"] == []
    assert by_name["stuffed.txt"]["score"] == by_name["cv-ml-engineer.txt"]["score"]
    table = runner.invoke(cli, [*args, "--format", "table"]).stdout
    assert [line for line in table.splitlines() if "[flags:" in line] == [
        line for line in table.splitlines() if "stuffed.txt" in line
    ]
    assert "stuffed.txt  [flags: keyword_stuffing]" in table
    lines = runner.invoke(cli, [*args, "--format", "jsonl"]).stdout.splitlines()
    assert {Path(x["file"]).name: x["flags"] for x in map(json.loads, lines)}["stuffed.txt"] == [
        "keyword_stuffing"
    ]


def test_resume_reads_the_flags_back(tmp_path: Path) -> None:
    row = BatchRow("cv.pdf", "ok", score=50.0, flags=("hidden_text", "keyword_stuffing"))
    assert BatchRow.from_dict(row.to_dict()).flags == ("hidden_text", "keyword_stuffing")
    assert BatchRow.from_dict({"file": "old.pdf", "status": "ok"}).flags == ()  # older output
    folder = tmp_path / "cvs"
    folder.mkdir()
    _txt(folder / "stuffed.txt", ML_CV + "\n" + "Python\n" * 50)
    for fmt in ("csv", "json", "jsonl"):
        out = tmp_path / f"ranking.{fmt}"
        args = ["batch", str(folder), "--job", str(ML_JOB), "--workers", "1", "--quiet"]
        assert CliRunner().invoke(cli, [*args, "--out", str(out)]).exit_code == 0
        previous = load_previous(str(out), fmt)
        assert previous is not None
        assert [r.flags for r in previous.rows.values()] == [("keyword_stuffing",)], fmt


# -- issue 18: an honest stack in the ad's order ------------------------------------------------
STACK_AD = (
    "Backend Engineer\n"
    "We build a booking platform for clinics.\n"
    "Our stack: Python, Django, PostgreSQL, Redis, Docker, Kubernetes and AWS.\n"
    "You will design APIs, write tests and review code.\n"
)


def test_an_honest_stack_in_one_line_of_the_ads_order_is_not_a_copied_ad() -> None:
    cv = parse_text(
        "Sam Doe\nBackend developer, 2018 - 2025: built booking APIs in Django.\n"
        "Skills: Python, Django, PostgreSQL, Redis, Docker, Kubernetes, AWS\n",
        kind="cv",
    )
    job = parse_text(STACK_AD, kind="job")
    assert not [f for f in compare(cv, job, as_of=AS_OF).flags if f.kind == "copied_job_ad"]


def test_a_list_of_every_tool_is_flagged(tmp_path: Path) -> None:
    taxonomy = load_taxonomy()
    tools = sorted(
        skill.name for skill in taxonomy.skills.values() if skill.category == "technical"
    )[:120]
    assert len(tools) >= 80
    cv = _txt(tmp_path / "cv.txt", ML_CV + "\nTools: " + ", ".join(tools) + "\n")
    flag = _flag(score_profile(cv, as_of=AS_OF), "keyword_stuffing")
    assert re.search(r"a list of \d+ different skills named one after another", flag.message)

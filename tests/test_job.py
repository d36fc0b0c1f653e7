"""Job reading of real-looking ads, ``skillmatch job`` and the requirements file round trip."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from skillmatch.cli import cli
from skillmatch.match.matcher import extract_skills
from skillmatch.read.parse import parse_text
from skillmatch.score.job_file import dump_requirements, is_requirements_file, load_requirements
from skillmatch.score.requirements import JobRequirements, read_job
from skillmatch.score.scorer import compare
from skillmatch.score.weights import WEIGHTS
from skillmatch.taxonomy.load import load_taxonomy

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"

#: A job-board ad as real ones run: metadata, the employer's self-description, headings
#: written inside the lines, a benefits block and an equal-opportunity sentence.
BOARD_AD = (
    "Backend Engineer (Python)\n"
    "Industry: Artificial Intelligence, Fintech Company size: 51-200 people Job type: Full-time\n"
    "We build machine-learning products for retailers with Kubernetes and Scala.\n"
    "What you'll do Design and deploy backend services in Python.\n"
    "What you'll bring 4+ years of experience with Python. Strong knowledge of PostgreSQL. "
    "Bonus: Experience with Django\n"
    "Here's what we offer you Free yoga classes and a Java user group budget\n"
    "We are an equal opportunity employer and welcome Excel wizards of every background.\n"
)


def _read(text: str) -> JobRequirements:
    taxonomy = load_taxonomy()
    document = parse_text(text, kind="job")
    return read_job(extract_skills(document, taxonomy=taxonomy), document, taxonomy)


def _ids(requirements: JobRequirements) -> dict[str, bool]:
    return {i: r.requirement.required for r in requirements for i in r.requirement.ids}


def test_metadata_company_benefits_and_legal_text_are_not_requirements() -> None:
    requirements = _read(BOARD_AD)
    ids = _ids(requirements)
    assert "python" in ids and "postgresql" in ids
    for not_asked in ("artificial-intelligence", "kubernetes", "scala", "java", "excel"):
        assert not_asked not in ids, not_asked
    kinds = {s.kind for s in requirements.set_aside}
    assert {"metadata", "company", "benefits", "legal"} <= kinds


def test_inline_headings_and_cues_decide_required_and_preferred() -> None:
    ids = _ids(_read(BOARD_AD))
    assert ids["python"] is True and ids["postgresql"] is True
    assert ids["django"] is False  # "Bonus:"


def test_weight_follows_importance_in_the_ad() -> None:
    """Named in the title, stressed, in the requirement block, repeated: each raises the weight
    by its factor in data/scoring.yaml; a nice-to-have weighs less than a requirement."""
    by_id = {r.requirement.ids: r for r in _read(BOARD_AD)}
    w = WEIGHTS.requirement
    python, postgres, django = by_id[("python",)], by_id[("postgresql",)], by_id[("django",)]
    assert postgres.weight == w.required * w.place["requirements"] * w.emphasis
    assert python.weight > postgres.weight  # in the title and named three times
    assert "in the title" in python.why
    assert django.weight == w.preferred * w.place["requirements"]


def test_category_shares_follow_the_ad_and_soft_skills_stay_small() -> None:
    ad = (
        "Requirements\n- Python, SQL, Docker, Kubernetes and AWS.\n"
        "- Communication, teamwork, leadership, creativity and attention to detail.\n"
    )
    report = compare(parse_text(_cv_text(), kind="cv"), parse_text(ad, kind="job"))
    weights = {c.name: c.weight for c in report.components}
    assert weights["soft"] <= WEIGHTS.soft_share_max + 1e-9
    assert weights["technical"] == 1 - weights["soft"]


def _cv_text() -> str:
    return (SAMPLES / "cv-ml-engineer.txt").read_text(encoding="utf-8")


def test_job_command_prints_each_requirement_with_its_line() -> None:
    result = CliRunner().invoke(
        cli, ["job", str(SAMPLES / "job-ml-engineer.txt"), "--format", "table"]
    )
    assert result.exit_code == 0, result.output
    assert "Requirements (" in result.output
    line = next(x for x in result.output.splitlines() if x.strip().startswith("Statistics"))
    assert "mathematical" in line and "required" in line
    assert '"- Strong foundations in statistics' in line


def test_job_yaml_round_trips_through_compare_and_batch(tmp_path: Path) -> None:
    job = SAMPLES / "job-ml-engineer.txt"
    cv = SAMPLES / "cv-ml-engineer.txt"
    out = tmp_path / "job.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["job", str(job), "--format", "yaml", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert is_requirements_file(out)
    taxonomy = load_taxonomy()
    _, loaded = load_requirements(out, taxonomy)
    assert dump_requirements(loaded, taxonomy, str(job)) == out.read_text(encoding="utf-8")
    assert compare(cv, out).score == compare(cv, job).score
    # a recruiter's correction: drop every mathematical requirement
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["requirements"] = [r for r in data["requirements"] if r["category"] != "mathematical"]
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    report = compare(cv, edited)
    assert report.coverage["mathematical"] is None
    result = runner.invoke(cli, ["batch", str(SAMPLES), "--job", str(edited), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]
    by_file = {Path(r["file"]).name: r["score"] for r in rows if r["status"] == "ok"}
    assert by_file["cv-ml-engineer.txt"] == report.score


def test_a_broken_requirements_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "job.yaml"
    bad.write_text("skillmatch-requirements: 1\nrequirements:\n  - skills: [no-such-skill]\n")
    result = CliRunner().invoke(
        cli, ["compare", str(SAMPLES / "cv-ml-engineer.txt"), "--job", str(bad)]
    )
    assert result.exit_code == 1
    assert "unknown skill id" in result.output
    assert "Traceback" not in result.output


def test_behaviour_phrased_requirements_are_read() -> None:
    ids = _ids(
        _read("Data Engineer\n\nRequirements\n- You enjoy untangling hard problems on your own.\n")
    )
    assert {"problem-solving", "independence"} <= set(ids)


def test_or_equivalent_experience_lets_a_related_skill_count_in_full() -> None:
    plain = "Requirements\n- Experience with PyTorch.\n"
    equivalent = "Requirements\n- Experience with PyTorch or equivalent experience.\n"
    cv = parse_text(
        "Experience\nML engineer 2019 - 2024: trained models in TensorFlow.\n", kind="cv"
    )
    by_plain = compare(cv, parse_text(plain, kind="job"))
    by_equivalent = compare(cv, parse_text(equivalent, kind="job"))
    assert by_plain.matched == () and by_plain.missing[0].related == "tensorflow"
    assert _read(equivalent)[0].equivalent and not _read(plain)[0].equivalent
    technical = {c.name: c.value for c in by_equivalent.components}["technical"]
    assert technical == 2 * {c.name: c.value for c in by_plain.components}["technical"]


def test_you_master_a_language_is_no_degree() -> None:
    requirements = _read("Sales Manager\n\nRequirements\n- You master English and German.\n")
    assert requirements.degree is None


def test_contact_and_apply_text_is_set_aside() -> None:
    ad = (
        "Engineer\n\nYour profile\n- Experience with Python.\n"
        "Please do not hesitate to contact our HR Business Partner with questions about SAP.\n"
    )
    requirements = _read(ad)
    assert "sap" not in _ids(requirements) and "hr-administration" not in _ids(requirements)
    assert any(s.kind == "legal" for s in requirements.set_aside)


def test_a_degree_in_another_field_is_not_the_degree_asked() -> None:
    ad = "Requirements\n- Python.\n- A bachelor's degree in Computer Science.\n"
    law = "Education\nBachelor of Laws (LLB), Law, 2015\n\nSkills\nPython\n"
    cs = "Education\nBSc Computer Science, 2015\n\nSkills\nPython\n"
    by_field = {}
    for name, text in (("law", law), ("cs", cs)):
        report = compare(parse_text(text, kind="cv"), parse_text(ad, kind="job"))
        by_field[name] = {c.name: c.value for c in report.components}.get("education")
    assert by_field["cs"] == 1.0
    assert by_field["law"] == 0.0


def test_in_bullets_run_together_a_cue_counts_only_near_its_skill() -> None:
    """A requirement block flattened into one line: "preferably" makes only the skill after it
    preferred, "excellent" stresses only what follows it."""
    run_on = "Senior Developer\n" + (
        "Your profile Completed studies in a technical field 3+ years of experience as a data "
        "warehouse developer preferably with Microsoft SQL Server Deep knowledge of ETL processes "
        "and data modelling Experience with Python for automation and scripting in a production "
        "environment Excellent communication skills in English and a structured way of working "
        "in a team of engineers and analysts across several locations\n"
    )
    by_id = {r.requirement.ids: r for r in _read(run_on)}
    assert by_id[("sql-server",)].requirement.required is False
    assert by_id[("etl",)].requirement.required is True
    assert by_id[("python",)].requirement.required is True
    assert "stressed" not in by_id[("python",)].why
    assert "stressed" in by_id[("etl",)].why


def test_the_cvs_best_of_the_ads_titles_counts() -> None:
    """An ad titled "Data Warehouse Developer" whose job-board field says "Role: Database
    Administrator": a database administrator holds one of its titles."""
    ad = "Data Warehouse Developer Role: Database Administrator\n\nRequirements\n- SQL.\n"
    cv = "Experience\nDatabase Administrator, Acme Ltd, Jan 2018 - Dec 2022\n- Tuned SQL queries.\n"
    roles = _read(ad).roles
    assert len(roles) >= 2
    report = compare(parse_text(cv, kind="cv"), parse_text(ad, kind="job"))
    role = next(c for c in report.components if c.name == "role")
    assert role.value == 1.0
    assert "Database Administrator" in role.explanation

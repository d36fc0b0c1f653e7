"""The scorer: reading job ads and CVs, the score's components, and its invariants.

Invariants are checked with hypothesis over inputs built from the real sample texts (subsets
of their lines, permutations of their sections), not over random strings.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillmatch.match.matcher import extract_skills
from skillmatch.models import Document
from skillmatch.read.parse import load_document, parse_text
from skillmatch.score.cv_facts import read_cv
from skillmatch.score.requirements import JobRequirement, JobRequirements, read_job
from skillmatch.score.scorer import (
    STRENGTH_CREDIT,
    compare,
    compare_skills,
    requirements_from_job,
    score_profile,
    score_skills,
)
from skillmatch.taxonomy.load import load_taxonomy
from skillmatch.taxonomy.model import Requirement

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
AS_OF = dt.date(2026, 11, 1)
#: Each sample CV and the job ad it was written for.
PAIRS = {
    "cv-ml-engineer": "job-ml-engineer",
    "cv-frontend-developer": "job-frontend",
    "cv-data-analyst": "job-data-analyst",
}
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


def _text(name: str) -> str:
    return (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")


def _job(text: str) -> JobRequirements:
    taxonomy = load_taxonomy()
    document = parse_text(text, kind="job")
    return read_job(extract_skills(document, taxonomy=taxonomy), document, taxonomy)


def _by_skill(requirements: JobRequirements) -> dict[tuple[str, ...], JobRequirement]:
    return {item.requirement.ids: item for item in requirements}


# --- reading a job ad ------------------------------------------------------------------------

JOB = """Data Scientist

About us
We are a Python shop that loves statistics.

Requirements
- 3+ years of Python in a professional role.
- Experience with SQL and relational databases (PostgreSQL preferred).
- Hands-on experience with an ML framework such as PyTorch or TensorFlow.
- Strong communication skills are essential.
- BSc in Computer Science or related field; Master's preferred.

Nice to have
- Experience with C++ is a plus.
- Knowledge of linear algebra would be good.

Benefits
- Free courses in calculus, statistics and probability.

We are an equal opportunity employer and do not discriminate on the basis of teamwork.
"""


@pytest.fixture(scope="module")
def job_requirements() -> JobRequirements:
    return _job(JOB)


def test_requirements_section_makes_a_skill_required(job_requirements: JobRequirements) -> None:
    found = _by_skill(job_requirements)
    assert found[("python",)].requirement.required
    assert found[("sql",)].requirement.required
    assert found[("communication",)].requirement.required


def test_nice_to_have_section_and_cue_make_a_skill_preferred(
    job_requirements: JobRequirements,
) -> None:
    found = _by_skill(job_requirements)
    assert not found[("cpp",)].requirement.required
    assert not found[("linear-algebra",)].requirement.required


def test_a_cue_in_parentheses_only_applies_inside_them(job_requirements: JobRequirements) -> None:
    found = _by_skill(job_requirements)
    assert not found[("postgresql",)].requirement.required
    assert found[("relational-databases",)].requirement.required


def test_company_blurb_benefits_and_eeo_text_are_not_requirements(
    job_requirements: JobRequirements,
) -> None:
    ids = {i for item in job_requirements for i in item.requirement.ids}
    assert not {"probability", "statistics", "teamwork"} & ids


def test_examples_form_an_any_of_group(job_requirements: JobRequirements) -> None:
    groups = [item.requirement.ids for item in job_requirements if len(item.requirement.ids) > 1]
    assert any({"pytorch", "tensorflow"} <= set(ids) for ids in groups)
    assert ("pytorch",) not in _by_skill(job_requirements)


@pytest.mark.parametrize(
    ("line", "members"),
    [
        ("- Python or C++.", {"python", "cpp"}),
        ("- Proficiency in Python, R, or C++.", {"python", "r", "cpp"}),
        ("- Knowledge of ML frameworks (e.g. TensorFlow, PyTorch).", {"tensorflow", "pytorch"}),
        ("- At least one of PyTorch, TensorFlow.", {"pytorch", "tensorflow"}),
    ],
)
def test_any_of_groups(line: str, members: set[str]) -> None:
    groups = [set(item.requirement.ids) for item in _job(f"Requirements\n{line}\n")]
    assert any(members <= group for group in groups), groups


def test_and_lists_stay_separate_requirements() -> None:
    found = _by_skill(_job("Requirements\n- Statistics, probability and linear algebra.\n"))
    assert {("statistics",), ("probability",), ("linear-algebra",)} <= set(found)


def test_stated_years_attach_to_the_skill_named_after_them(
    job_requirements: JobRequirements,
) -> None:
    assert [(y.years, y.skill_ids) for y in job_requirements.years] == [(3.0, ("python",))]
    assert _by_skill(job_requirements)[("python",)].years == 3.0


@pytest.mark.parametrize(
    ("line", "years", "skills"),
    [
        ("- 5 years' experience in machine learning.", 5.0, ("machine-learning",)),
        ("- At least two years of experience in a similar role.", 2.0, ()),
        ("- 3-5 years of professional experience.", 3.0, ()),
        ("- 4+ yrs of Python.", 4.0, ("python",)),
    ],
)
def test_stated_years(line: str, years: float, skills: tuple[str, ...]) -> None:
    stated = _job(f"Requirements\n{line}\n").years
    assert [(y.years, y.skill_ids) for y in stated] == [(years, skills)]


def test_degree_requirement(job_requirements: JobRequirements) -> None:
    degree = job_requirements.degree
    assert degree is not None
    assert degree.level == "degree:bachelor"
    assert degree.fields == ("field:computer-science",)
    assert degree.related_fields
    assert degree.preferred_level == "degree:master"


def test_a_degree_with_equivalent_experience() -> None:
    degree = _job(
        "Requirements\n- A degree in Mathematics, or equivalent practical experience.\n"
    ).degree
    assert degree is not None and degree.level == "degree:bachelor" and degree.equivalent_experience


def test_degree_in_another_sense_is_not_a_requirement() -> None:
    assert _job("Requirements\n- Python, to a high degree of quality.\n").degree is None


# --- reading a CV ----------------------------------------------------------------------------

CV = """Sam Example

SKILLS
Python, SQL, statistics

EXPERIENCE
Data Engineer | Acme | Jan 2018 - Mar 2021
- Built pipelines in Python and SQL.
Analyst | Beta | 2020 - present
- Wrote SQL reports.

EDUCATION
MSc in Computer Science | University of Somewhere | 2016 - 2017
"""


@pytest.fixture(scope="module")
def cv_facts():  # type: ignore[no-untyped-def]
    document = parse_text(CV, kind="cv")
    return read_cv(document, extract_skills(document, taxonomy=load_taxonomy()), as_of=AS_OF)


def test_years_from_dated_roles_count_overlaps_once(cv_facts) -> None:  # type: ignore[no-untyped-def]
    # Jan 2018 - Mar 2021 and Jul 2020 - Nov 2026 (a bare year is its July): Jan 2018 - Nov 2026
    assert [round(r.years, 2) for r in cv_facts.roles] == [3.17, 6.33]
    assert cv_facts.years == pytest.approx(8 + 10 / 12)


def test_years_per_skill_come_from_the_roles_that_show_it(cv_facts) -> None:  # type: ignore[no-untyped-def]
    assert cv_facts.skill_years["python"] == pytest.approx(3 + 2 / 12)
    assert cv_facts.skill_years["sql"] == pytest.approx(8 + 10 / 12)


def test_evidence_strength_by_section(cv_facts) -> None:  # type: ignore[no-untyped-def]
    assert cv_facts.strength["python"] == "applied"
    assert cv_facts.strength["statistics"] == "listed"


def test_highest_degree_and_field(cv_facts) -> None:  # type: ignore[no-untyped-def]
    assert cv_facts.degree == "degree:master"
    assert cv_facts.degree_fields == ("field:computer-science",)


def test_present_is_today_unless_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    from skillmatch.score.cv_facts import today

    monkeypatch.setenv("SKILLMATCH_TODAY", "2030-01-31")
    assert today() == dt.date(2030, 1, 31)


def test_a_licence_is_not_a_degree() -> None:
    document = load_document(SAMPLES / "cv-nontechnical.txt", kind="cv")
    facts = read_cv(document, extract_skills(document, taxonomy=load_taxonomy()), as_of=AS_OF)
    assert facts.degree is None


# --- the score -------------------------------------------------------------------------------


def test_the_ml_engineer_beats_the_non_technical_cv_on_the_ml_job() -> None:
    job = SAMPLES / "job-ml-engineer.txt"
    ml = compare(SAMPLES / "cv-ml-engineer.txt", job, as_of=AS_OF)
    other = compare(SAMPLES / "cv-nontechnical.txt", job, as_of=AS_OF)
    assert ml.score > other.score + 50
    assert ml.score >= 85


@pytest.mark.parametrize("job", sorted(set(PAIRS.values())))
def test_each_sample_cv_ranks_first_for_the_job_it_was_written_for(job: str) -> None:
    scores = {
        cv: compare(SAMPLES / f"{cv}.txt", SAMPLES / f"{job}.txt", as_of=AS_OF).score
        for cv in [*PAIRS, "cv-nontechnical"]
    }
    best = max(scores, key=lambda cv: scores[cv])
    assert PAIRS[best] == job, scores


def test_score_is_deterministic() -> None:
    first = compare(SAMPLES / "cv-data-analyst.txt", SAMPLES / "job-data-analyst.txt", as_of=AS_OF)
    second = compare(SAMPLES / "cv-data-analyst.txt", SAMPLES / "job-data-analyst.txt", as_of=AS_OF)
    assert first.to_dict() == second.to_dict()


def test_components_combine_as_documented() -> None:
    report = compare(SAMPLES / "cv-data-analyst.txt", SAMPLES / "job-ml-engineer.txt", as_of=AS_OF)
    asked = [c for c in report.components if c.value is not None]
    expected = 100 * sum(c.weight * (c.value or 0) for c in asked) / sum(c.weight for c in asked)
    assert report.score == round(expected, 1)
    names = [c.name for c in report.components]
    assert names == ["technical", "mathematical", "soft", "role", "experience", "education"]


def test_a_related_skill_earns_partial_credit() -> None:
    taxonomy = load_taxonomy()
    document = parse_text(
        "EXPERIENCE\nML Engineer | X | 2019 - 2022\n- Trained models in TensorFlow.\n", kind="cv"
    )
    cv = extract_skills(document, taxonomy=taxonomy)
    wanted = JobRequirements([JobRequirement(Requirement(("pytorch",), True))])
    report = score_skills(
        cv, wanted, taxonomy=taxonomy, job_name="job", cv_document=document, as_of=AS_OF
    )
    (result,) = report.missing
    assert result.related == "tensorflow"
    assert result.credit == pytest.approx(0.5)
    assert report.coverage["technical"] == pytest.approx(0.5)
    assert [r.id for r in report.near_misses] == ["pytorch"]


def test_a_skill_used_in_experience_counts_more_than_one_only_listed() -> None:
    taxonomy = load_taxonomy()
    wanted = JobRequirements([JobRequirement(Requirement(("python",), True))])
    listed = parse_text("SKILLS\nPython\n", kind="cv")
    used = parse_text(
        "EXPERIENCE\nDeveloper | X | 2019 - 2022\n- Wrote Python services.\n", kind="cv"
    )
    scores = {}
    for name, document in (("listed", listed), ("used", used)):
        cv = extract_skills(document, taxonomy=taxonomy)
        report = score_skills(cv, wanted, taxonomy=taxonomy, job_name="job", cv_document=document)
        scores[name] = report.score
        assert report.coverage["technical"] == 1.0
    assert scores == {"listed": 100 * STRENGTH_CREDIT["listed"], "used": 100.0}


def test_missing_required_come_before_preferred() -> None:
    report = compare(SAMPLES / "cv-nontechnical.txt", SAMPLES / "job-ml-engineer.txt", as_of=AS_OF)
    kinds = [r.required for r in report.missing if not r.related]
    assert kinds == sorted(kinds, reverse=True)
    assert kinds[0] and not kinds[-1]


def test_matched_requirements_carry_the_cv_sentence_that_proves_them() -> None:
    report = compare(SAMPLES / "cv-ml-engineer.txt", SAMPLES / "job-ml-engineer.txt", as_of=AS_OF)
    proofs = {r.id: r.proof for r in report.matched}
    assert "[[C++]]" in proofs["cpp"]
    assert all(proofs.values())
    text = _text("cv-ml-engineer")
    for proof in proofs.values():
        assert re.sub(r"\[\[|\]\]", "", proof).rstrip(".") in " ".join(text.split())


def test_experience_and_education_checks_for_a_job() -> None:
    report = compare(SAMPLES / "cv-nontechnical.txt", SAMPLES / "job-ml-engineer.txt", as_of=AS_OF)
    checks = {c.name: c for c in report.checks}
    assert not checks["degree"].met and checks["degree"].advice
    assert checks["years of Python"].value == 0.0
    report = compare(SAMPLES / "cv-ml-engineer.txt", SAMPLES / "job-ml-engineer.txt", as_of=AS_OF)
    assert all(c.met for c in report.checks)


def test_profile_reports_categories_degree_experience_and_the_guides_advice() -> None:
    report = score_profile(SAMPLES / "cv-data-analyst.txt", as_of=AS_OF)
    assert report.job == "profile:ml-engineer"
    assert set(report.coverage) >= {"technical", "mathematical", "soft"}
    assert {c.name for c in report.components} >= {"experience", "education"}
    assert {c.kind for c in report.checks} >= {"degree", "practical"}
    profile = load_taxonomy().profile("ml-engineer")
    for gap in report.missing:
        wording = [profile.advice[i] for i in (gap.id, *gap.alternatives) if i in profile.advice]
        assert gap.advice in wording, gap


def test_compare_skills_without_the_cv_document_still_scores() -> None:
    taxonomy = load_taxonomy()
    job_doc = load_document(SAMPLES / "job-ml-engineer.txt", kind="job")
    requirements = requirements_from_job(
        extract_skills(job_doc, taxonomy=taxonomy), job_doc, taxonomy
    )
    cv = extract_skills(load_document(SAMPLES / "cv-ml-engineer.txt", kind="cv"), taxonomy=taxonomy)
    report = compare_skills(cv, requirements, job_doc, taxonomy)
    assert 0 < report.score <= 100
    # no text, no dates: the years and role checks are unknown and left out, not scored 0
    names = {c.name for c in report.components if c.value is not None}
    assert names == {"technical", "mathematical", "soft", "education"}


# --- invariants (hypothesis over the real samples) -------------------------------------------

_CVS = ["cv-ml-engineer", "cv-frontend-developer", "cv-data-analyst", "cv-nontechnical"]
_JOBS = sorted(set(PAIRS.values()))


def _lines(name: str) -> list[str]:
    return _text(name).splitlines()


@st.composite
def _subset_of_lines(draw: st.DrawFn, name: str) -> str:
    lines = _lines(name)
    keep = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    chosen = [line for line, k in zip(lines, keep, strict=True) if k]
    return "\n".join(chosen) + "\nPython\n"


@FAST
@given(data=st.data(), cv_name=st.sampled_from(_CVS), job_name=st.sampled_from(_JOBS))
def test_score_stays_within_0_and_100(data: st.DataObject, cv_name: str, job_name: str) -> None:
    cv = parse_text(data.draw(_subset_of_lines(cv_name)), kind="cv", source=cv_name)
    job = parse_text(data.draw(_subset_of_lines(job_name)), kind="job", source=job_name)
    report = compare(cv, job, as_of=AS_OF)
    assert 0.0 <= report.score <= 100.0
    for value in report.coverage.values():
        assert value is None or 0.0 <= value <= 1.0
    for component in report.components:
        assert component.value is None or 0.0 <= component.value <= 1.0


@FAST
@given(data=st.data(), name=st.sampled_from(_CVS))
def test_a_cv_scored_against_itself_gets_full_coverage(data: st.DataObject, name: str) -> None:
    text = data.draw(_subset_of_lines(name))
    report = compare(parse_text(text, kind="cv"), parse_text(text, kind="job"), as_of=AS_OF)
    assert all(v == 1.0 for v in report.coverage.values() if v is not None), report.coverage
    assert not [r for r in report.missing if not r.related]


_PREPARED: dict[tuple[str, str], tuple[Document, object, JobRequirements]] = {}


def _prepared(cv_name: str, job_name: str) -> tuple[Document, object, JobRequirements]:
    key = (cv_name, job_name)
    if key not in _PREPARED:
        taxonomy = load_taxonomy()
        cv_doc = load_document(SAMPLES / f"{cv_name}.txt", kind="cv")
        job_doc = load_document(SAMPLES / f"{job_name}.txt", kind="job")
        job = requirements_from_job(extract_skills(job_doc, taxonomy=taxonomy), job_doc, taxonomy)
        _PREPARED[key] = (cv_doc, extract_skills(cv_doc, taxonomy=taxonomy), job)
    return _PREPARED[key]


@FAST
@given(data=st.data(), cv_name=st.sampled_from(_CVS), job_name=st.sampled_from(_JOBS))
def test_adding_a_matched_requirement_never_lowers_the_score(
    data: st.DataObject, cv_name: str, job_name: str
) -> None:
    taxonomy = load_taxonomy()
    cv_doc, cv, job = _prepared(cv_name, job_name)
    keep = data.draw(st.lists(st.booleans(), min_size=len(job), max_size=len(job)))
    subset = JobRequirements(
        [item for item, k in zip(job, keep, strict=True) if k], years=job.years, degree=job.degree
    )

    def score(requirements: JobRequirements) -> float:
        return score_skills(
            cv,
            requirements,
            taxonomy=taxonomy,
            job_name=job_name,
            cv_document=cv_doc,
            as_of=AS_OF,  # type: ignore[arg-type]
        ).score

    before = score(subset)
    full = score_skills(
        cv, job, taxonomy=taxonomy, job_name=job_name, cv_document=cv_doc, as_of=AS_OF
    )  # type: ignore[arg-type]
    met = [r for r in full.matched if r.credit >= 1.0]
    if not met:
        return
    added = data.draw(st.sampled_from(met))
    required = data.draw(st.booleans())
    extended = JobRequirements(
        [*subset, JobRequirement(Requirement((added.id,), required))],
        years=job.years,
        degree=job.degree,
    )
    assert score(extended) >= before


def _sections(text: str, document: Document) -> tuple[str, list[str]]:
    starts = sorted({s.start for s in document.sections})
    head = text[: starts[0]] if starts else text
    blocks = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    return head, [b if b.endswith("\n") else b + "\n" for b in blocks]


@FAST
@given(data=st.data(), cv_name=st.sampled_from(_CVS), job_name=st.sampled_from(_JOBS))
def test_reordering_the_cvs_sections_does_not_change_the_score(
    data: st.DataObject, cv_name: str, job_name: str
) -> None:
    text = _text(cv_name)
    original = load_document(SAMPLES / f"{cv_name}.txt", kind="cv")
    head, blocks = _sections(text, original)
    order = data.draw(st.permutations(range(len(blocks))))
    shuffled = parse_text(head + "".join(blocks[i] for i in order), kind="cv", source=cv_name)
    job = SAMPLES / f"{job_name}.txt"
    assert compare(shuffled, job, as_of=AS_OF).score == compare(original, job, as_of=AS_OF).score


@pytest.mark.corpus
def test_ranking_check_each_cv_ranks_first_for_its_job(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``benchmarks/ranking.py``: the samples' and the Resume-Matcher corpus's pairs."""
    import importlib.util
    import sys

    monkeypatch.setenv("SKILLMATCH_CORPUS", str(corpus))
    monkeypatch.setenv("SKILLMATCH_TODAY", AS_OF.isoformat())
    spec = importlib.util.spec_from_file_location("ranking", REPO / "benchmarks" / "ranking.py")
    assert spec is not None and spec.loader is not None
    ranking = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "ranking", ranking)
    spec.loader.exec_module(ranking)
    outcomes = ranking.run()
    assert len(outcomes) == len(ranking.SAMPLE_PAIRS) + len(ranking.CORPUS_PAIRS)
    failed = [(o.job, o.expected, o.ranking[:2]) for o in outcomes if not o.passed]
    assert not failed

"""Ranking: real CVs for real job ads (AUC, NDCG@10, beside TF-IDF and a keyword count), and
each CV first against the job it was written for.

The first leg (:mod:`ranking_corpus`) scores the 166 rendered CVs of ``corpus/ranking/``
against its 16 labelled job ads and the guide's ML-engineer profile; see its docstring for the
figures. The second leg is the pair check: each job is scored against every CV of its own
set: the corpus's Resume-Matcher jobs against its five Resume-Matcher CVs, the project's
sample jobs against the four sample CVs (the non-technical one is a distractor). The CV
written for the job must come first, strictly.
The corpus ships no labels: its pairs were made by hand, by role, from the files' contents.

    python benchmarks/ranking.py              # Markdown tables; exit 1 if a target or pair fails
    python benchmarks/ranking.py --job java   # the corpus leg, ads whose file name holds "java"
    python benchmarks/ranking.py --source-text  # the corpus leg on the CVs' source texts
    python benchmarks/ranking.py --matrix     # also every job x CV score of the pair check

The corpus is read from ``$SKILLMATCH_CORPUS`` (default ``../shared/corpus`` next to the
repository); without it only the samples are checked. "present" in a CV's dates is
``$SKILLMATCH_TODAY`` if set, else today.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from skillmatch.match.matcher import extract_skills
from skillmatch.models import Document, SkillsResult
from skillmatch.read.parse import load_document
from skillmatch.score.requirements import JobRequirements
from skillmatch.score.scorer import compare_skills, requirements_from_job
from skillmatch.taxonomy.load import load_taxonomy

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
CORPUS = Path(os.environ.get("SKILLMATCH_CORPUS", REPO.parent / "shared" / "corpus"))
RM_CVS = CORPUS / "pdfs" / "resume-matcher"
RM_JOBS = CORPUS / "jobs" / "resume-matcher"

#: (job file, the CV written for it, why they pair), by hand.
_JD = "job_descriptions/job_desc_"
CORPUS_PAIRS = [
    (f"{_JD}front_end_engineer.pdf", "barry_allen_fe.pdf", "front-end developer"),
    (f"{_JD}full_stack_engineer.pdf", "bruce_wayne_fullstack.pdf", "full-stack (MERN) developer"),
    (f"{_JD}java_developer.pdf", "john_doe.pdf", "full-stack Java developer"),
    (f"{_JD}product_manager.pdf", "alfred_pennyworth_pm.pdf", "product manager"),
    ("e2e_fixtures/jds/frontend-eng.txt", "barry_allen_fe.pdf", "front-end developer"),
    ("e2e_fixtures/jds/ml-eng.txt", "harvey_dent_mle.pdf", "machine-learning engineer"),
    ("e2e_fixtures/jds/product-manager.txt", "alfred_pennyworth_pm.pdf", "product manager"),
]
#: The samples' pairs; cv-nontechnical is in the pool as a distractor.
SAMPLE_PAIRS = [
    ("job-ml-engineer.txt", "cv-ml-engineer.txt", "machine-learning engineer"),
    ("job-frontend.txt", "cv-frontend-developer.txt", "front-end developer"),
    ("job-data-analyst.txt", "cv-data-analyst.txt", "data analyst"),
]
SAMPLE_CVS = [
    "cv-ml-engineer.txt",
    "cv-frontend-developer.txt",
    "cv-data-analyst.txt",
    "cv-nontechnical.txt",
]


@dataclass(frozen=True)
class Outcome:
    """One job's ranking and whether the CV written for it came first."""

    job: str
    expected: str
    role: str
    ranking: list[tuple[str, float]]

    @property
    def rank(self) -> int:
        return [cv for cv, _ in self.ranking].index(self.expected) + 1

    @property
    def passed(self) -> bool:
        # a tie for first does not count as first
        return self.rank == 1 and (len(self.ranking) < 2 or self.ranking[0][1] > self.ranking[1][1])


def _cvs(paths: list[Path]) -> dict[str, tuple[Document, SkillsResult]]:
    taxonomy = load_taxonomy()
    loaded = {}
    for path in paths:
        document = load_document(path, kind="cv")
        loaded[path.name] = (document, extract_skills(document, taxonomy=taxonomy))
    return loaded


def _job(path: Path) -> tuple[Document, JobRequirements]:
    taxonomy = load_taxonomy()
    document = load_document(path, kind="job")
    return document, requirements_from_job(
        extract_skills(document, taxonomy=taxonomy), document, taxonomy
    )


def run() -> list[Outcome]:
    """Rank every CV for every paired job."""
    taxonomy = load_taxonomy()
    sample_cvs = _cvs([SAMPLES / name for name in SAMPLE_CVS])
    jobs = [(SAMPLES / job, cv, role, sample_cvs) for job, cv, role in SAMPLE_PAIRS]
    if RM_JOBS.is_dir() and RM_CVS.is_dir():
        corpus_cvs = _cvs(sorted(RM_CVS.glob("*.pdf")))
        jobs += [(RM_JOBS / job, cv, role, corpus_cvs) for job, cv, role in CORPUS_PAIRS]
    outcomes = []
    for path, expected, role, cvs in jobs:
        job_doc, requirements = _job(path)
        scores = [
            (name, compare_skills(skills, requirements, job_doc, taxonomy, cv_document=doc).score)
            for name, (doc, skills) in cvs.items()
        ]
        scores.sort(key=lambda item: (-item[1], item[0]))
        outcomes.append(Outcome(str(path.relative_to(path.parents[1])), expected, role, scores))
    return outcomes


def markdown(outcomes: list[Outcome], *, matrix: bool = False) -> str:
    """The results as Markdown tables."""
    lines = [
        "| job | written for | rank | score | best other CV | its score | margin | result |",
        "| --- | --- | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for o in outcomes:
        own = dict(o.ranking)[o.expected]
        other, other_score = next((cv, s) for cv, s in o.ranking if cv != o.expected)
        verdict = "pass" if o.passed else "**FAIL**"
        lines.append(
            f"| {o.job} | {o.expected} ({o.role}) | {o.rank} of {len(o.ranking)} | {own:.1f} | "
            f"{other} | {other_score:.1f} | {own - other_score:+.1f} | {verdict} |"
        )
    passed = sum(o.passed for o in outcomes)
    lines += ["", f"{passed} of {len(outcomes)} jobs rank the CV written for them first."]
    if matrix:
        for pool in dict.fromkeys(tuple(sorted(dict(o.ranking))) for o in outcomes):
            names = list(pool)
            lines += ["", "| job | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
            for o in outcomes:
                scores = dict(o.ranking)
                if tuple(sorted(scores)) != pool:
                    continue
                cells = [
                    f"**{scores[n]:.1f}**" if n == o.expected else f"{scores[n]:.1f}" for n in names
                ]
                lines.append(f"| {o.job} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matrix", action="store_true", help="also print every job x CV score")
    parser.add_argument("--job", help="corpus leg only, for the ads whose file name holds this")
    parser.add_argument(
        "--source-text",
        action="store_true",
        help="corpus leg on the CVs' source texts instead of their rendered files",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    met = True
    sys.path.insert(0, str(Path(__file__).parent))
    import ranking_corpus  # beside this file; imported here so that tests can load run() alone

    if ranking_corpus.available():
        only = (lambda name: args.job in name) if args.job else None
        results, profile = ranking_corpus.run(only=only, source_text=args.source_text)
        sys.stdout.write(ranking_corpus.markdown(results, profile) + "\n")
        met = ranking_corpus.targets_met(results, profile)
        if args.job:
            return 0
    else:
        print(f"(no ranking set at {ranking_corpus.RANKING}: leg skipped)", file=sys.stderr)
    outcomes = run()
    if not RM_JOBS.is_dir():
        print(f"(no corpus at {CORPUS}: samples only)", file=sys.stderr)
    sys.stdout.write(markdown(outcomes, matrix=args.matrix))
    print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0 if met and all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())

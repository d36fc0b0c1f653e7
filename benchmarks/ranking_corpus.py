"""Ranking of real CVs for real job ads (``../shared/corpus/ranking/``), with two baselines.

For each of the 16 labelled job ads, every one of the 166 rendered CVs (PDF and DOCX, read by
the real parser) is scored three ways in the same run:

* **skillmatch**: ``compare`` (``compare_skills`` on the parsed CV and the job's requirements,
  as ``batch`` does);
* **TF-IDF**: cosine of scikit-learn ``TfidfVectorizer(sublinear_tf=True,
  stop_words="english")`` vectors, fitted on the 166 CV texts and the 16 ads, over the texts the
  parser extracted (the same texts skillmatch reads);
* **keywords**: how many distinct words of the ad (3+ letters, not a stop word) the CV holds.

Per job: ROC AUC of the ``relevant`` CVs against the CVs in neither ``relevant`` nor
``related`` (ties count 1/2), and NDCG@10 with gain 1 for relevant, 0.5 for related, 0 else.

The profile leg scores every CV with ``score`` (the guide's ML-engineer profile): AUC of the
Data Science and Python Developer CVs against the non-technical categories, beside TF-IDF
cosine to the guide's text and the keyword count against it.

Parsed documents are cached in ``benchmarks/out/ranking-docs.pkl`` (keyed by each file's size
and mtime and by the source of ``skillmatch.read``), so reruns only match and score.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import pickle
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from skillmatch.match.matcher import extract_skills
from skillmatch.models import Document, SkillsResult
from skillmatch.read.parse import load_document
from skillmatch.score.scorer import (
    compare_skills,
    requirements_from_job,
    requirements_from_profile,
    score_skills,
)
from skillmatch.taxonomy.load import load_taxonomy
from skillmatch.taxonomy.model import Taxonomy

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SKILLMATCH_CORPUS", REPO.parent / "shared" / "corpus"))
RANKING = CORPUS / "ranking"
GUIDE = CORPUS.parent / "guide" / "ml-engineer-career-guide.txt"
CACHE = REPO / "benchmarks" / "out" / "ranking-docs.pkl"

#: The profile check: categories the ML-engineer profile is for, and the non-technical ones.
PROFILE_POSITIVE = ("Data Science", "Python Developer")
PROFILE_NEGATIVE = (
    "Advocate", "Arts", "HR", "Health and fitness", "Sales", "Operations Manager", "PMO",
)  # fmt: skip
METHODS = ("skillmatch", "tfidf", "keywords")


@dataclass(frozen=True)
class JobResult:
    """One job's figures for each method: ``auc[method]`` and ``ndcg[method]``."""

    job: str
    counts: tuple[int, int, int]  # relevant, related, negative
    auc: dict[str, float]
    ndcg: dict[str, float]


@dataclass(frozen=True)
class CorpusCv:
    """A CV of the ranking set: its id, category and parsed document."""

    id: str
    category: str
    document: Document


def available() -> bool:
    """Whether the ranking set is on this machine."""
    return (RANKING / "jobs.json").is_file()


def _reader_key() -> str:
    digest = hashlib.sha256()
    root = REPO / "src" / "skillmatch"
    for path in sorted([*(root / "read").glob("*.py"), *(root / "data").glob("*.yaml")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_cvs(*, source_text: bool = False) -> list[CorpusCv]:
    """The 166 CVs parsed from their rendered files (from the cache when it is current), or
    with ``source_text`` read from their source texts (``cvs-text/``: what a perfect parser
    would give)."""
    with (RANKING / "labels.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if source_text:
        return [
            CorpusCv(r["id"], r["category"], load_document(RANKING / r["text"], kind="cv"))
            for r in rows
        ]
    key = _reader_key()
    stamps = {r["file"]: _stamp(RANKING / r["file"]) for r in rows}
    cached: dict[str, tuple[tuple[int, int], Document]] = {}
    if CACHE.is_file():
        with CACHE.open("rb") as f:
            saved_key, cached = pickle.load(f)
        if saved_key != key:
            cached = {}
    fresh = {}
    for r in rows:
        hit = cached.get(r["file"])
        if hit is None or hit[0] != stamps[r["file"]]:
            hit = (stamps[r["file"]], load_document(RANKING / r["file"], kind="cv"))
        fresh[r["file"]] = hit
    if fresh != cached:
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        tmp = CACHE.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump((key, fresh), f)
        os.replace(tmp, CACHE)
    return [CorpusCv(r["id"], r["category"], fresh[r["file"]][1]) for r in rows]


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def load_jobs() -> list[dict[str, object]]:
    """``jobs.json``: file, title, relevant and related categories of each ad."""
    with (RANKING / "jobs.json").open(encoding="utf-8") as f:
        jobs: list[dict[str, object]] = json.load(f)
    return jobs


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """P(score of a positive > score of a negative), ties counted 1/2."""
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def ndcg_at(scores: Sequence[float], gains: Sequence[float], k: int = 10) -> float:
    """NDCG@k of the ranking by ``scores`` (ties keep the input order)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    dcg = sum(gains[i] / math.log2(rank + 2) for rank, i in enumerate(order[:k]))
    ideal = sorted(gains, reverse=True)[:k]
    best = sum(g / math.log2(rank + 2) for rank, g in enumerate(ideal))
    return dcg / best if best else float("nan")


_WORD = re.compile(r"[^\W\d_]{3,}")


def keyword_scores(cv_texts: Sequence[str], job_text: str) -> list[float]:
    """How many distinct words of the ad (3+ letters, not a stop word) each CV holds."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = {w for w in _WORD.findall(job_text.casefold()) if w not in ENGLISH_STOP_WORDS}
    return [float(len(words & set(_WORD.findall(t.casefold())))) for t in cv_texts]


def tfidf_scores(cv_texts: Sequence[str], job_texts: Sequence[str]) -> list[list[float]]:
    """Cosine of each job (rows) with each CV (columns), TF-IDF fitted on all the texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    matrix = vectorizer.fit_transform([*cv_texts, *job_texts])
    cvs, jobs = matrix[: len(cv_texts)], matrix[len(cv_texts) :]
    return [[float(x) for x in row] for row in (jobs @ cvs.T).toarray()]


def skill_scores(
    cvs: Sequence[tuple[CorpusCv, SkillsResult]], job_path: Path, taxonomy: Taxonomy
) -> list[float]:
    """skillmatch's score of each CV against the ad at ``job_path``."""
    job_doc = load_document(job_path, kind="job")
    requirements = requirements_from_job(
        extract_skills(job_doc, taxonomy=taxonomy), job_doc, taxonomy
    )
    return [
        compare_skills(skills, requirements, job_doc, taxonomy, cv_document=cv.document).score
        for cv, skills in cvs
    ]


def run(
    *,
    taxonomy: Taxonomy | None = None,
    only: Callable[[str], bool] | None = None,
    source_text: bool = False,
) -> tuple[list[JobResult], dict[str, float]]:
    """Every job's figures, and the profile check's AUC per method (``source_text``: see
    :func:`load_cvs`)."""
    taxonomy = taxonomy or load_taxonomy()
    cvs = load_cvs(source_text=source_text)
    matched = [(cv, extract_skills(cv.document, taxonomy=taxonomy)) for cv in cvs]
    texts = [cv.document.text for cv in cvs]
    jobs = [j for j in load_jobs() if only is None or only(str(j["file"]))]
    job_texts = [(RANKING / str(j["file"])).read_text(encoding="utf-8") for j in jobs]
    guide = GUIDE.read_text(encoding="utf-8") if GUIDE.is_file() else ""
    tfidf = tfidf_scores(texts, [*job_texts, guide])
    results = []
    for index, job in enumerate(jobs):
        relevant, related = set(job["relevant"]), set(job["related"])  # type: ignore[call-overload]
        by_method = {
            "skillmatch": skill_scores(matched, RANKING / str(job["file"]), taxonomy),
            "tfidf": tfidf[index],
            "keywords": keyword_scores(texts, job_texts[index]),
        }
        gains = [
            1.0 if c.category in relevant else 0.5 if c.category in related else 0.0 for c in cvs
        ]
        pos = [i for i, c in enumerate(cvs) if c.category in relevant]
        neg = [i for i, c in enumerate(cvs) if c.category not in relevant | related]
        results.append(
            JobResult(
                job=Path(str(job["file"])).stem,
                counts=(len(pos), len(cvs) - len(pos) - len(neg), len(neg)),
                auc={
                    m: auc([s[i] for i in pos], [s[i] for i in neg]) for m, s in by_method.items()
                },
                ndcg={m: ndcg_at(s, gains) for m, s in by_method.items()},
            )
        )
    profile = _profile_check(matched, taxonomy, tfidf[-1], keyword_scores(texts, guide))
    return results, profile


def _profile_check(
    matched: Sequence[tuple[CorpusCv, SkillsResult]],
    taxonomy: Taxonomy,
    tfidf: Sequence[float],
    keywords: Sequence[float],
) -> dict[str, float]:
    chosen = taxonomy.profile("ml-engineer")
    requirements = requirements_from_profile(chosen)
    scores = [
        score_skills(
            skills,
            requirements,
            taxonomy=taxonomy,
            job_name="profile:ml-engineer",
            profile=chosen,
            cv_document=cv.document,
        ).score
        for cv, skills in matched
    ]
    pos = [i for i, (cv, _) in enumerate(matched) if cv.category in PROFILE_POSITIVE]
    neg = [i for i, (cv, _) in enumerate(matched) if cv.category in PROFILE_NEGATIVE]
    by_method = {"skillmatch": scores, "tfidf": list(tfidf), "keywords": list(keywords)}
    return {m: auc([s[i] for i in pos], [s[i] for i in neg]) for m, s in by_method.items()}


def markdown(results: Sequence[JobResult], profile: dict[str, float]) -> str:
    """The figures as Markdown: one row per job, then the means and the profile check."""
    lines = [
        "| job | rel / related / neg | AUC skillmatch | AUC TF-IDF | AUC keywords "
        "| NDCG@10 skillmatch | NDCG@10 TF-IDF | NDCG@10 keywords |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        a, n = r.auc, r.ndcg
        best = max(a.values())
        cells = [f"**{a[m]:.3f}**" if a[m] == best else f"{a[m]:.3f}" for m in METHODS]
        lines.append(
            f"| {r.job} | {' / '.join(map(str, r.counts))} | {' | '.join(cells)} | "
            + " | ".join(f"{n[m]:.3f}" for m in METHODS)
            + " |"
        )
    mean_auc = {m: sum(r.auc[m] for r in results) / len(results) for m in METHODS}
    mean_ndcg = {m: sum(r.ndcg[m] for r in results) / len(results) for m in METHODS}
    lines.append(
        "| **mean** | | "
        + " | ".join(f"**{mean_auc[m]:.3f}**" for m in METHODS)
        + " | "
        + " | ".join(f"**{mean_ndcg[m]:.3f}**" for m in METHODS)
        + " |"
    )
    wins = sum(r.auc["skillmatch"] > r.auc["tfidf"] for r in results)
    worst = min(results, key=lambda r: r.auc["skillmatch"])
    lines += [
        "",
        f"skillmatch above TF-IDF on {wins} of {len(results)} jobs; lowest AUC "
        f"{worst.auc['skillmatch']:.3f} ({worst.job}).",
        "",
        "| profile check (`score`, ml-engineer): Data Science + Python Developer vs "
        "non-technical | skillmatch | TF-IDF (to the guide) | keywords (of the guide) |",
        "| --- | ---: | ---: | ---: |",
        "| AUC | " + " | ".join(f"{profile[m]:.3f}" for m in METHODS) + " |",
    ]
    return "\n".join(lines) + "\n"


def targets_met(results: Sequence[JobResult], profile: dict[str, float]) -> bool:
    """The issue's targets: mean AUC >= 0.88, no job below 0.65, above TF-IDF on 13 of 16 jobs,
    profile check AUC >= 0.90."""
    aucs = [r.auc["skillmatch"] for r in results]
    wins = sum(r.auc["skillmatch"] > r.auc["tfidf"] for r in results)
    return (
        sum(aucs) / len(aucs) >= 0.88
        and min(aucs) >= 0.65
        and wins >= 13 * len(results) / 16
        and profile["skillmatch"] >= 0.90
    )

"""Gaming benchmark: hidden keywords in five formats, and false alarms on honest CVs.

**Tricks.** A chef's CV (written by ``tests/tricks.py``, no ML skill in it) is built in PDF,
DOCX, ODT, RTF and HTML, honest and with the line "Python PyTorch TensorFlow machine learning
deep learning SQL statistics" hidden by each trick (60+ of them), and compared with
``samples/job-ml-engineer.txt``. Per trick: the score gain over the honest CV of the same
format, whether a ``hidden_text`` flag was raised, and, as the baseline, the gain with the
screen off (``--include-hidden``: the hidden text read as if visible). Targets: every trick
flagged, no gain above 2 points.

**False alarms.** Every honest CV of the development corpus (``ranking/cvs``: every producer,
PDF and DOCX; ``pdfs/``) and the project's ``samples/`` CVs, plus built honest designs that
look like tricks (white text on dark bands, grey dates, watermarks, shaded table headers, an
OCR'd scan), each compared with the ML job: a hidden-text, stuffing or copied-ad flag on any of
them is a false alarm (target 0). An honest CV that lists its stack in the ad's order must not
be flagged as a copied ad; visible stuffing (a repeated skills line, the ad pasted in) must be.

    python benchmarks/gaming.py            # Markdown tables; exit 1 when a target is missed
    python benchmarks/gaming.py --no-corpus

The corpus is read from ``$SKILLMATCH_CORPUS`` (default ``../shared/corpus``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))

import tricks  # noqa: E402
from skillmatch.match.matcher import extract_skills  # noqa: E402
from skillmatch.models import Document, MatchReport  # noqa: E402
from skillmatch.read.parse import load_document, parse_bytes, parse_text  # noqa: E402
from skillmatch.score.scorer import compare_skills, requirements_from_job  # noqa: E402
from skillmatch.taxonomy.load import load_taxonomy  # noqa: E402

SAMPLES = REPO / "samples"
CORPUS = Path(os.environ.get("SKILLMATCH_CORPUS", REPO.parent / "shared" / "corpus"))
JOB = SAMPLES / "job-ml-engineer.txt"
AS_OF = dt.date(2026, 11, 1)
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "odt": ".odt", "rtf": ".rtf", "html": ".html"}
#: Largest score gain (points) a trick may bring.
MAX_GAIN = 2.0
GAMING = ("hidden_text", "keyword_stuffing", "copied_job_ad")


class Scorer:
    """Scores documents against the ML job, with the job read once."""

    def __init__(self) -> None:
        self.taxonomy = load_taxonomy()
        self.job = load_document(JOB, kind="job")
        skills = extract_skills(self.job, taxonomy=self.taxonomy)
        self.requirements = requirements_from_job(skills, self.job, self.taxonomy)

    def report(self, cv: Document) -> MatchReport:
        """The CV's match report against the job."""
        skills = extract_skills(cv, taxonomy=self.taxonomy)
        return compare_skills(
            skills, self.requirements, self.job, self.taxonomy, cv_document=cv, as_of=AS_OF
        )


def read(data: bytes, fmt: str, *, include_hidden: bool = False) -> Document:
    """Parse built bytes as a CV."""
    ext = EXTENSIONS[fmt]
    return parse_bytes(
        data, source=f"cv{ext}", extension=ext, include_hidden=include_hidden, kind=None
    )


@dataclass(frozen=True)
class TrickRow:
    """One trick's result."""

    fmt: str
    name: str
    gain: float
    baseline_gain: float
    flags: tuple[str, ...]
    hidden_chars: int

    @property
    def flagged(self) -> bool:
        """A hidden-text flag was raised."""
        return "hidden_text" in self.flags


def run_tricks(scorer: Scorer) -> list[TrickRow]:
    """Every trick against the honest CV of its format."""
    honest = {fmt: scorer.report(read(build(), fmt)).score for fmt, build in tricks.HONEST.items()}
    rows = []
    for case in tricks.trick_cases():
        data = case.build()
        document = read(data, case.format)
        report = scorer.report(document)
        unscreened = scorer.report(read(data, case.format, include_hidden=True))
        rows.append(
            TrickRow(
                case.format,
                case.name,
                report.score - honest[case.format],
                unscreened.score - honest[case.format],
                tuple(f.kind for f in report.flags),
                sum(h.chars for h in document.hidden),
            )
        )
    return rows


@dataclass(frozen=True)
class HonestRow:
    """One honest document's flags."""

    group: str
    name: str
    flags: tuple[str, ...]
    detail: str


def honest_documents(use_corpus: bool) -> list[tuple[str, str, Document]]:
    """Every honest CV: corpus (ranking and pdfs), samples, built designs."""
    found: list[tuple[str, str, Document]] = []
    if use_corpus and CORPUS.is_dir():
        for path in sorted((CORPUS / "ranking" / "cvs").glob("*/*")):
            if path.suffix in (".pdf", ".docx"):
                found.append(("corpus ranking/cvs", path.name, load_document(path, kind="cv")))
        for path in sorted((CORPUS / "pdfs").rglob("*.pdf")):
            found.append(("corpus pdfs/", path.name, load_document(path, kind="cv")))
    for path in sorted(SAMPLES.glob("cv-*")):
        if path.suffix in (".pdf", ".docx", ".txt"):
            found.append(("samples/", path.name, load_document(path, kind="cv")))
    for case in tricks.design_cases():
        found.append((f"built designs ({case.format})", case.name, read(case.build(), case.format)))
    stack = "\n".join(
        [
            *(SAMPLES / "cv-ml-engineer.txt").read_text(encoding="utf-8").splitlines(),
            "Stack: Python, PyTorch, TensorFlow, SQL, PostgreSQL, Docker, Kubernetes",
        ]
    )
    found.append(("built designs (txt)", "stack listed in the ad's order", parse_text(stack)))
    return found


#: A job ad whose stack line an honest CV lists in the same order (a known false alarm of the
#: copied-ad check before issue 18).
STACK_AD = (
    "Backend Engineer\n"
    "We build a booking platform for clinics.\n"
    "Our stack: Python, Django, PostgreSQL, Redis, Docker, Kubernetes and AWS.\n"
    "You will design APIs, write tests and review code.\n"
)
STACK_CV = (
    "Sam Doe\nBackend developer, 2018 - 2025: built booking APIs in Django.\n"
    "Skills: Python, Django, PostgreSQL, Redis, Docker, Kubernetes, AWS\n"
)


def stack_row() -> HonestRow:
    """An honest CV listing its stack in its own ad's order, against that ad."""
    from skillmatch.score.scorer import compare

    report = compare(parse_text(STACK_CV, kind="cv"), parse_text(STACK_AD, kind="job"), as_of=AS_OF)
    flags = tuple(f.kind for f in report.flags)
    detail = "; ".join(f.message[:90] for f in report.flags)
    return HonestRow("built designs (txt)", "stack in its own ad's order", flags, detail)


def run_honest(scorer: Scorer, use_corpus: bool) -> list[HonestRow]:
    """Flags raised on honest documents."""
    rows = [stack_row()]
    for group, name, document in honest_documents(use_corpus):
        report = scorer.report(document)
        rows.append(
            HonestRow(
                group,
                name,
                tuple(f.kind for f in report.flags),
                "; ".join(f.message[:90] for f in report.flags),
            )
        )
    return rows


def run_stuffing(scorer: Scorer) -> list[tuple[str, tuple[str, ...]]]:
    """Visible stuffing that must stay flagged."""
    cv = (SAMPLES / "cv-ml-engineer.txt").read_text(encoding="utf-8")
    job = JOB.read_text(encoding="utf-8")
    requirements = job.split("Requirements\n")[1].split("\n\n")[0]
    tools = ", ".join(sorted(skill.name for skill in scorer.taxonomy.skills.values())[:300])
    cases = {
        "a skills line repeated 12 times": cv + "\n" + "Python, PyTorch, SQL\n" * 12,
        "the ad's requirements pasted in": cv + "\nADDITIONAL SKILLS\n" + requirements,
        "the whole ad pasted in": cv + "\n" + job,
        "a list of 300 tools": cv + "\nTools: " + tools,
    }
    return [
        (name, tuple(f.kind for f in scorer.report(parse_text(text, kind="cv")).flags))
        for name, text in cases.items()
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the tables; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus leg")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    scorer = Scorer()
    rows = run_tricks(scorer)
    print("## Tricks: score gain over the honest CV (ML job), flagged?\n")
    print("| format | trick | gain | flagged | hidden chars | baseline gain (no screen) |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    for row in rows:
        flagged = "yes" if row.flagged else "**no**"
        print(
            f"| {row.fmt} | {row.name} | {row.gain:+.1f} | {flagged} | {row.hidden_chars} "
            f"| {row.baseline_gain:+.1f} |"
        )
    by_format: dict[str, list[TrickRow]] = {}
    for row in rows:
        by_format.setdefault(row.fmt, []).append(row)
    print("\n| format | tricks | flagged | max gain | no screen: flagged | no screen: max gain |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for fmt, group in [*by_format.items(), ("all", rows)]:
        print(
            f"| {fmt} | {len(group)} | {sum(r.flagged for r in group)} "
            f"| {max(r.gain for r in group):+.1f} | 0 "
            f"| {max(r.baseline_gain for r in group):+.1f} |"
        )
    honest = run_honest(scorer, not args.no_corpus)
    print("\n## False alarms on honest CVs (against the ML job)\n")
    print("| group | documents | hidden_text | keyword_stuffing | copied_job_ad | rate |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    groups: dict[str, list[HonestRow]] = {}
    for row in honest:
        groups.setdefault(row.group, []).append(row)
    for group, members in [*groups.items(), ("all", honest)]:
        kinds = Counter(kind for row in members for kind in row.flags)
        alarms = sum(1 for row in members if row.flags)
        print(
            f"| {group} | {len(members)} | {kinds['hidden_text']} | {kinds['keyword_stuffing']} "
            f"| {kinds['copied_job_ad']} | {alarms / len(members):.1%} |"
        )
    for row in honest:
        if row.flags:
            print(f"\n- false alarm: {row.group} / {row.name}: {row.detail}")
    stuffing = run_stuffing(scorer)
    print("\n## Visible stuffing (must stay flagged)\n")
    print("| case | flags |")
    print("| --- | --- |")
    for name, flags in stuffing:
        print(f"| {name} | {', '.join(flags) or '**none**'} |")
    missed = [r for r in rows if not r.flagged or r.gain > MAX_GAIN]
    alarms = [r for r in honest if r.flags]
    unflagged = [name for name, flags in stuffing if not flags]
    print(
        f"\n{len(rows)} tricks: {len(rows) - len(missed)} meet the targets; "
        f"{len(alarms)} false alarms on {len(honest)} honest documents; "
        f"{len(unflagged)} visible stuffing cases unflagged "
        f"({time.perf_counter() - started:.0f} s)"
    )
    return 1 if missed or alarms or unflagged else 0


if __name__ == "__main__":
    sys.exit(main())

"""The worker side of a batch: the jobs it scores against (parsed once, in the parent) and
:func:`score_file`, which parses and matches one CV once and scores it against every job.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillmatch.batch.collect import find_files
from skillmatch.batch.detail import detail_of
from skillmatch.batch.readahead import ReadAheadDocuments, read_ahead_document
from skillmatch.batch.rows import BatchRow
from skillmatch.errors import InputError, SkillmatchError
from skillmatch.match.matcher import extract_skills
from skillmatch.models import Document
from skillmatch.read.parse import DEFAULT_READ, ReadOptions, read_isolated
from skillmatch.score.job_file import is_requirements_file, load_requirements
from skillmatch.score.requirements import JobRequirements
from skillmatch.score.scorer import compare_skills, requirements_from_job
from skillmatch.taxonomy.model import Taxonomy

#: Error reasons are cut to one line of at most this many characters.
MAX_ERROR_LENGTH = 300


@dataclass(frozen=True)
class Job:
    """A job description parsed once: its requirements and a hash of its text."""

    source: str
    sha256: str
    document: Document
    requirements: JobRequirements


def load_jobs(
    sources: Sequence[str | os.PathLike[str]],
    taxonomy: Taxonomy,
    options: ReadOptions = DEFAULT_READ,
) -> list[Job]:
    """Parse each job once (a file, ``-`` for stdin, or a folder of job ads), in a worker
    process bounded by the time and memory limits."""
    paths: list[str] = []
    for source in sources:
        if os.fspath(source) != "-" and Path(source).is_dir():
            folder_files = find_files([source])
            if not folder_files:
                raise InputError(f"{source}: the folder holds no job descriptions")
            paths.extend(map(str, folder_files))
        else:
            paths.append(os.fspath(source))
    jobs = []
    unique = list(dict.fromkeys(paths))
    edited = [p for p in unique if is_requirements_file(p)]  # skillmatch job --format yaml
    for path in edited:
        document, requirements = load_requirements(path, taxonomy)
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        jobs.append(Job(document.source, digest, document, requirements))
    ads = [p for p in unique if p not in edited]
    documents = read_isolated([(path, "job") for path in ads], options) if ads else []
    for document in documents:
        skills = extract_skills(document, taxonomy=taxonomy)
        # kept whole: a JobRequirements carries the stated years, degree and job title too
        requirements = requirements_from_job(skills, document, taxonomy)
        digest = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        jobs.append(Job(document.source, digest, document, requirements))
    if not jobs:
        raise InputError("no job description given; use --job FILE")
    return jobs


def job_key(source: str) -> str:
    """What identifies a job across runs: its real path (``-`` for standard input), so that
    ``jobs/ml.txt`` and ``/home/me/jobs/ml.txt`` are the same job."""
    return source if source == "-" else os.path.realpath(source)


_WORKER: dict[str, Any] = {}


def init_worker(
    taxonomy: Taxonomy,
    jobs: Sequence[Job],
    options: ReadOptions = DEFAULT_READ,
    detail: bool = False,
    read_ahead: ReadAheadDocuments | None = None,
) -> None:
    """Set a worker up once: build the matcher, keep the taxonomy, the jobs, the reading
    options, whether rows keep their :class:`~skillmatch.batch.detail.RowDetail`, and the
    documents read while the batch started (:mod:`~skillmatch.batch.readahead`)."""
    from skillmatch.match.matcher import get_matcher  # spaCy in workers, not the parent

    get_matcher(taxonomy)  # build it now, once per worker (forked workers inherit the parent's)
    _WORKER.update(
        taxonomy=taxonomy,
        jobs=tuple(jobs),
        options=options,
        detail=detail,
        read_ahead=read_ahead if read_ahead is not None else {},
    )


def preload_readers() -> None:
    """Import the format readers now: forked workers then share them instead of each importing
    them (and holding its own copy) on its first PDF or DOCX."""
    import importlib  # used once, to preload the readers before forking

    for module in ("skillmatch.read.pdf", "docx", "charset_normalizer"):
        with contextlib.suppress(ImportError):
            importlib.import_module(module)


def score_file(path: str, data: bytes | None = None) -> tuple[BatchRow, ...]:
    """Parse and match one CV once, and score it against every job (runs in a worker).

    ``data``: the file's bytes, read elsewhere (by the client of a Dask cluster whose workers
    do not share its storage); the rows are those of the file at ``path``.
    """
    jobs: tuple[Job, ...] = _WORKER["jobs"]
    try:
        options: ReadOptions = _WORKER["options"]
        if data is not None:
            document = options.parse(data, source=path, kind="cv")
        else:
            read = read_ahead_document(_WORKER.get("read_ahead", {}), path)
            document = read if read is not None else options.load(path, kind="cv")
        taxonomy = _WORKER["taxonomy"]
        skills = extract_skills(document, taxonomy=taxonomy)
        rows = []
        for job in jobs:
            report = compare_skills(
                skills, job.requirements, job.document, taxonomy, cv_document=document
            )
            rows.append(
                BatchRow(
                    file=path,
                    status="ok",
                    score=report.score,
                    coverage=dict(report.coverage),
                    matched=tuple(r.id for r in report.matched),
                    missing=tuple(r.id for r in report.missing),
                    job=job.source,
                    flags=tuple(flag.kind for flag in report.flags),
                    detail=detail_of(report) if _WORKER.get("detail") else None,
                )
            )
        return tuple(rows)
    except MemoryError:
        raise  # the pool reports it and replaces the worker
    except SkillmatchError as error:
        return error_rows(path, str(error), jobs, code=error.code)
    except Exception as error:  # a bad file must not stop the batch; never quote its text
        message = f"skillmatch failed on this file ({type(error).__name__}, a bug)"
        return error_rows(path, message, jobs, code="internal")


#: The error code of each way a worker can fail a file (see :class:`skillmatch.pool.TaskFailed`).
FAILURE_CODES = {"timeout": "timeout", "memory": "memory", "crash": "damaged", "error": "internal"}


def error_rows(
    path: str,
    message: str,
    jobs: Sequence[Job],
    sha256: str = "",
    *,
    code: str = "damaged",
    suffix: str = "",
) -> tuple[BatchRow, ...]:
    """One ``error`` row per job, the reason cut to one line of :data:`MAX_ERROR_LENGTH`
    (then ``suffix``).

    The row names the file already, so a message starting with the path loses that prefix.
    """
    line = " ".join(message.removeprefix(f"{path}: ").split())
    if len(line) > MAX_ERROR_LENGTH:
        line = line[: MAX_ERROR_LENGTH - 1] + "…"
    line += suffix
    return tuple(
        BatchRow(path, "error", error=line, sha256=sha256, job=job.source, code=code)
        for job in jobs
    )

"""The library's entry points: what the CLI does, callable from Python with the same options.

Every function takes documents as paths (``"-"`` is standard input) or as parsed
:class:`~skillmatch.models.Document` values, and the same reading options as the CLI:

- ``taxonomy``: a loaded :class:`~skillmatch.taxonomy.model.Taxonomy`, a path to a taxonomy
  folder or YAML file, or ``None`` for the built-in one (loaded once, then cached on disk);
- ``options``: :class:`~skillmatch.read.parse.ReadOptions` (limits, ``include_hidden``,
  ``redact``), the CLI's ``--limit``, ``--include-hidden`` and ``--redact``;
- ``isolate``: read each file in a worker process held to the time and memory limits, as the
  CLI does (a file that hangs a C library or blows up memory fails alone). Pass ``False`` to
  read in this process: faster for many trusted files, with no time or memory limit.

    >>> import skillmatch
    >>> report = skillmatch.compare("samples/cv-ml-engineer.pdf", "samples/job-ml-engineer.txt")
    >>> round(report.score)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence

from skillmatch.batch.rows import BatchResult
from skillmatch.batch.run import BatchRun, Dispatcher
from skillmatch.errors import InputError
from skillmatch.match.matcher import get_matcher
from skillmatch.models import Document, MatchReport, SkillsResult
from skillmatch.read.parse import DEFAULT_READ, ReadOptions, read_isolated
from skillmatch.score import scorer
from skillmatch.score.job_file import is_requirements_file, load_requirements
from skillmatch.score.requirements import JobRequirements
from skillmatch.taxonomy.cache import cached_taxonomy
from skillmatch.taxonomy.model import Taxonomy

#: A document to read: a path, ``"-"`` for standard input, or an already parsed Document.
Source = str | os.PathLike[str] | Document
#: A taxonomy: loaded, a path to one, or ``None`` for the built-in taxonomy.
TaxonomyChoice = Taxonomy | str | os.PathLike[str] | None

__all__ = [
    "Source",
    "TaxonomyChoice",
    "cluster_dispatch",
    "compare",
    "extract_skills",
    "rank_files",
    "read_document",
    "read_job",
    "score_profile",
    "taxonomy_of",
]


def taxonomy_of(taxonomy: TaxonomyChoice) -> Taxonomy:
    """The :class:`Taxonomy` a ``taxonomy`` option names (loaded once per process and path)."""
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    return cached_taxonomy(None if taxonomy is None else os.fspath(taxonomy))


def read_document(
    source: Source,
    *,
    kind: str | None = None,
    options: ReadOptions = DEFAULT_READ,
    isolate: bool = True,
) -> Document:
    """Read a CV or job description into a :class:`Document` (the ``text`` verb).

    ``kind`` is ``"cv"``, ``"job"`` or ``None`` (guessed); only CVs are redacted.
    """
    [document] = read_documents([(source, kind)], options=options, isolate=isolate)
    return document


def read_documents(
    sources: Sequence[tuple[Source, str | None]],
    *,
    options: ReadOptions = DEFAULT_READ,
    isolate: bool = True,
) -> list[Document]:
    """Several ``(source, kind)`` documents at once (one worker process for all of them)."""
    paths = [(os.fspath(s), kind) for s, kind in sources if not isinstance(s, Document)]
    if isolate:
        read = iter(read_isolated(paths, options))
    else:
        read = iter(options.load(path, kind=kind) for path, kind in paths)
    return [s if isinstance(s, Document) else next(read) for s, _kind in sources]


def extract_skills(
    source: Source,
    *,
    kind: str | None = None,
    taxonomy: TaxonomyChoice = None,
    options: ReadOptions = DEFAULT_READ,
    isolate: bool = True,
) -> SkillsResult:
    """The taxonomy skills a document shows, with evidence (the ``skills`` verb)."""
    document = read_document(source, kind=kind, options=options, isolate=isolate)
    return get_matcher(taxonomy_of(taxonomy)).find(document)


def read_job(
    job: Source,
    *,
    taxonomy: TaxonomyChoice = None,
    options: ReadOptions = DEFAULT_READ,
    isolate: bool = True,
) -> JobRequirements:
    """What a job ad asks for: its requirements (with their weights and the ad lines they came
    from), years, degree, role and the text set aside; or a requirements file written by
    ``skillmatch job --format yaml``, as it is."""
    chosen = taxonomy_of(taxonomy)
    if not isinstance(job, Document) and is_requirements_file(job):
        return load_requirements(job, chosen)[1]
    document = read_document(job, kind="job", options=options, isolate=isolate)
    return scorer.requirements_from_job(get_matcher(chosen).find(document), document, chosen)


def compare(
    cv: Source,
    job: Source,
    *,
    taxonomy: TaxonomyChoice = None,
    options: ReadOptions = DEFAULT_READ,
    isolate: bool = True,
    as_of: dt.date | None = None,
) -> MatchReport:
    """Score a CV against a job description or a requirements file (the ``compare`` verb).

    ``as_of`` is the date "present" means in the CV's dated roles (default: today).
    """
    chosen = taxonomy_of(taxonomy)
    if not isinstance(job, Document) and is_requirements_file(job):
        # a reading corrected by hand (skillmatch job --format yaml): taken as it is
        cv_document = read_document(cv, kind="cv", options=options, isolate=isolate)
        return scorer.compare(cv_document, job, taxonomy=chosen, as_of=as_of)
    cv_document, job_document = read_documents(
        [(cv, "cv"), (job, "job")], options=options, isolate=isolate
    )
    return scorer.compare(cv_document, job_document, taxonomy=chosen, as_of=as_of)


def score_profile(
    cv: Source,
    *,
    profile: str = "ml-engineer",
    taxonomy: TaxonomyChoice = None,
    options: ReadOptions = DEFAULT_READ,
    isolate: bool = True,
    as_of: dt.date | None = None,
) -> MatchReport:
    """Score a CV against a built-in profile, by default the guide's ML engineer (``score``)."""
    cv_document = read_document(cv, kind="cv", options=options, isolate=isolate)
    return scorer.score_profile(
        cv_document, profile=profile, taxonomy=taxonomy_of(taxonomy), as_of=as_of
    )


def rank_files(
    paths: Iterable[str | os.PathLike[str]],
    job: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    taxonomy: str | os.PathLike[str] | None = None,
    options: ReadOptions = DEFAULT_READ,
    workers: int | None = None,
    timeout: float | None = None,
    max_memory: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    detail: bool = False,
    cluster: str | None = None,
) -> BatchResult:
    """Score every CV under ``paths`` against ``job`` (one or several) and rank them (``batch``).

    Files are read in ``workers`` processes (default: the CPU count), each held to ``timeout``
    seconds and ``max_memory`` MB (default: ``options.limits``); a file that fails is an error
    row. ``taxonomy`` is a path (workers load it themselves). ``progress`` is called with
    ``(done, total)`` after each file. With ``detail`` rows keep each requirement's proof (what
    :func:`~skillmatch.batch.shortlist.shortlist_html` shows). ``cluster``: score on a Dask
    cluster instead (an address, see :func:`cluster_dispatch`; ``workers`` is then unused).
    """
    run = BatchRun(
        paths,
        job,
        taxonomy_path=None if taxonomy is None else os.fspath(taxonomy),
        workers=workers,
        timeout=(options.limits.timeout if timeout is None else timeout) or None,
        max_memory=(options.limits.memory if max_memory is None else max_memory) or None,
        options=options,
        detail=detail,
        dispatch=None if cluster is None else cluster_dispatch(cluster),
    )
    for done, _outcome in enumerate(run, 1):
        if progress:
            progress(done, run.total)
    return run.result()


def cluster_dispatch(
    address: str,
    *,
    shared_storage: bool | None = None,
    tls: Sequence[str] = (),
    chunk: int | None = None,
) -> Callable[[BatchRun], Dispatcher]:
    """The ``dispatch`` of a :class:`~skillmatch.batch.run.BatchRun` that scores its files on
    a Dask cluster (``batch --cluster``): ``address`` is ``tcp://HOST:PORT`` or
    ``tls://HOST:PORT`` (a running scheduler; ``tls`` names the CA certificate, this client's
    certificate and its key) or ``local:N`` (N worker processes here). ``shared_storage``: the
    workers read the files at their paths, rather than being sent their bytes (default: yes
    for ``local:N`` only); ``chunk``: files per Dask task. Dask is imported only here.

    Raises :class:`ValueError` for a malformed address and
    :class:`~skillmatch.errors.InputError` when Dask is not installed. A script that starts
    ``local:N`` needs the ``if __name__ == "__main__":`` guard: Dask starts its worker processes
    afresh (spawn), and they import the script's main module.
    """
    try:
        from skillmatch.batch import cluster  # Dask, imported only for a cluster
    except ImportError:
        raise InputError("--cluster needs Dask: pip install 'skillmatch[dask]'") from None
    cluster.check_address(address)
    options = cluster.ClusterOptions(
        address,
        shared_storage=shared_storage,
        tls=tuple(tls),
        chunk=chunk or cluster.ClusterOptions.chunk,
    )
    return cluster.dispatcher(options)

"""The ``skillmatch`` command: parse arguments, call one library function, format the result.

Library modules are imported inside the commands so that ``--help`` answers without loading
spaCy. Every :class:`~skillmatch.errors.SkillmatchError` becomes ``Error: ...`` and exit 1.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from skillmatch.errors import SkillmatchError
from skillmatch.limits import DEFAULT_LIMITS, describe

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
#: Set to 1 to see the traceback of an unexpected error (a bug), not only its type.
DEBUG_ENV = "SKILLMATCH_DEBUG"


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "json"


def format_option(*choices: str) -> Callable[[F], F]:
    """``--format`` with the given choices; default: table on a terminal, else JSON."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=None,
        help=(
            "Output format [default: table on a terminal, else json]. "
            f"One of: {', '.join(choices)}."
        ),
    )


def taxonomy_option(func: F) -> F:
    """``--taxonomy PATH``: another taxonomy (a folder, or a YAML file that may extend ours)."""
    return click.option(
        "--taxonomy",
        "taxonomy_path",
        type=click.Path(dir_okay=True, file_okay=True),
        default=None,
        help=(
            "Use another taxonomy: a folder, or a YAML file "
            "(with 'extends: builtin' to add to the built-in one)."
        ),
    )(func)


def cluster_options(func: F) -> F:
    """``--cluster``, ``--shared-storage``, ``--cluster-tls`` and ``--cluster-chunk``: run a
    batch on Dask. The values are read by :func:`_cluster_dispatch`, not passed to the command.
    """
    func = click.option(
        "--cluster-chunk",
        type=click.IntRange(min=1, max=1000),
        default=None,
        metavar="N",
        expose_value=False,
        callback=_store,
        help="With --cluster: files per Dask task at most (fewer tasks for the scheduler; a "
        "batch ends with smaller ones) [default: 32].",
    )(func)
    func = click.option(
        "--cluster-tls",
        metavar="CA,CERT[,KEY]",
        expose_value=False,
        callback=_store,
        help="With a tls:// --cluster: the CA certificate, this client's certificate and its "
        "key (PEM files).",
    )(func)
    func = click.option(
        "--shared-storage/--send-bytes",
        default=None,
        expose_value=False,
        callback=_store,
        help="With --cluster: the workers read the files at these paths (a shared file "
        "system), or are sent each file's bytes by this machine [default: shared for local:N, "
        "bytes for a scheduler].",
    )(func)
    return click.option(
        "--cluster",
        metavar="ADDRESS",
        expose_value=False,
        callback=_store,
        help="Score on a Dask cluster: tcp://HOST:8786 or tls://HOST:8786 (a running "
        "scheduler), or local:N (N worker processes here). CVs travel to the workers. "
        "Needs: pip install 'skillmatch[dask]'.",
    )(func)


def _store(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    ctx.meta[f"skillmatch.{param.name}"] = value


def reading_options(func: F) -> F:
    """``--limit NAME=VALUE``, ``--include-hidden``, ``--redact`` and ``--pdf-engine``: how
    documents are read.

    The values are gathered by :func:`_read_options`, not passed to the command.
    """
    func = click.option(
        "--pdf-engine",
        type=click.Choice(["pdfium", "pdfplumber"]),
        default="pdfium",
        show_default=True,
        expose_value=False,
        callback=_store,
        help="How PDFs are read: pdfium (words and lines rebuilt from the glyph positions) or "
        "pdfplumber (the slower reference, about 20x).",
    )(func)
    func = click.option(
        "--redact",
        is_flag=True,
        expose_value=False,
        callback=_store,
        help="Mask names, e-mail addresses, phone numbers and URLs (blind screening).",
    )(func)
    func = click.option(
        "--include-hidden",
        is_flag=True,
        expose_value=False,
        callback=_store,
        help="Also read text a reader cannot see (white, tiny, covered); it is left out and "
        "flagged by default.",
    )(func)
    return click.option(
        "--limit",
        "limits",
        multiple=True,
        metavar="NAME=VALUE",
        expose_value=False,
        callback=_store,
        help=f"Change a limit on one file: {describe()}; 'none' lifts it. Repeat for several.",
    )(func)


def _read_options() -> Any:
    """The :class:`~skillmatch.read.parse.ReadOptions` given by :func:`reading_options`."""
    from skillmatch.limits import DEFAULT_LIMITS, with_limit
    from skillmatch.read.parse import ReadOptions

    meta = click.get_current_context().meta
    limits = DEFAULT_LIMITS
    for spec in meta.get("skillmatch.limits", ()):
        try:
            limits = with_limit(limits, spec)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="'--limit'") from None
    return ReadOptions(
        limits=limits,
        include_hidden=bool(meta.get("skillmatch.include_hidden")),
        redact=bool(meta.get("skillmatch.redact")),
        pdf_engine=str(meta.get("skillmatch.pdf_engine") or "pdfium"),
    )


def _taxonomy(path: str | None) -> Any:
    from skillmatch.api import taxonomy_of

    return taxonomy_of(path)


def _finite(value: float) -> float:
    if value != value:  # NaN compares unequal to itself
        raise click.BadParameter("must be a number of seconds")
    return value


def _emit(text: str) -> None:
    # color=True: print exactly what we made (click would strip escape sequences from a
    # pipe, and then `text` output would no longer match the evidence offsets).
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8: show its bytes escaped
        from skillmatch.render.report import printable_text  # only then: start-up time

        text = printable_text(text)
    click.echo(text, nl=False, color=True)


class _Group(click.Group):
    """A click group that reports our errors as ``Error: ...`` lines, never as tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SkillmatchError as error:
            raise _UserError(str(error), error.exit_code) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise click.exceptions.Exit(0) from None
        except Exception as error:  # the last line of defence: never a traceback for users
            if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
                raise  # a developer asked for the traceback
            # the type only: an exception's text may quote the document (personal data)
            message = (
                f"unexpected {type(error).__name__} (a bug in skillmatch; please report it; "
                f"{DEBUG_ENV}=1 shows the traceback)"
            )
            raise _UserError(message, 1) from None


class _UserError(click.ClickException):
    """A :class:`SkillmatchError` as click shows it: ``Error: message`` and its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code: int = exit_code  # type: ignore[misc]  # click declares it on the class


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(package_name="skillmatch")
def cli() -> None:
    """Match CVs and job descriptions skill by skill, offline.

    \b
    Examples:
      skillmatch score samples/cv-ml-engineer.pdf
      skillmatch compare samples/cv-ml-engineer.pdf --job samples/job-ml-engineer.txt
      pbpaste | skillmatch compare cv.pdf --job -
      skillmatch batch applications/ --job job.txt --format csv --out ranking.csv

    Exit codes: 0 success, 1 bad input (one "Error: ..." line on stderr), 2 usage
    error, 130 interrupted. Tables on a terminal, JSON when piped (see --format).
    """


@cli.command(context_settings=CONTEXT)
@click.argument("file")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@reading_options
def text(file: str, fmt: str) -> None:
    """Print the text extracted from FILE (what every evidence offset indexes into).

    \b
    Example:
      skillmatch text samples/cv-ml-engineer.pdf
    """
    from skillmatch.api import read_document
    from skillmatch.render.report import to_json

    document = read_document(file, options=_read_options())
    for warning in document.warnings:
        click.echo(f"warning: {warning}", err=True)
    _warn_hidden(document)
    _emit(to_json(document) if fmt == "json" else document.text)


def _warn_hidden(document: Any) -> None:
    """Say on stderr how much text was hidden from readers (reports show it as a flag)."""
    from skillmatch.score.gaming import hidden_flag

    flag = hidden_flag(document.hidden, document.text)
    if flag is not None:
        click.echo(f"warning: {flag.message}", err=True)


@cli.command(context_settings=CONTEXT)
@click.argument("file")
@format_option("table", "json")
@taxonomy_option
@click.option("--explain", is_flag=True, help="Show the sentence and the reason for every match.")
@click.option(
    "--kind",
    type=click.Choice(["cv", "job"]),
    default=None,
    help="What FILE is [default: guessed].",
)
@reading_options
def skills(
    file: str, fmt: str | None, taxonomy_path: str | None, explain: bool, kind: str | None
) -> None:
    """List the taxonomy skills FILE shows, with evidence.

    \b
    Examples:
      skillmatch skills samples/cv-ml-engineer.txt
      skillmatch skills samples/cv-ml-engineer.pdf --explain
      skillmatch skills - --format json < job.txt
    """
    from skillmatch.api import extract_skills, read_document
    from skillmatch.render.report import skills_table, to_json

    document = read_document(file, kind=kind, options=_read_options())
    _warn_hidden(document)
    result = extract_skills(document, taxonomy=taxonomy_path)
    if (fmt or _default_format()) == "json":
        _emit(to_json(result))
    else:
        _emit(skills_table(result, explain=explain, text=document.text))


REPORT_FORMATS = ("table", "json", "markdown", "html")
_SUFFIX_FORMATS = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "table",
}


def _print_report(report: Any, fmt: str | None, explain: bool, out: str | None = None) -> None:
    """Render a MatchReport; with ``out`` write it atomically (format from its suffix)."""
    from pathlib import Path

    from skillmatch.render.html import report_html
    from skillmatch.render.report import report_markdown, report_table, to_json, write_atomic

    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(Path(out).suffix.lower(), "json") if out else _default_format()
    if fmt == "json":
        text_out = to_json(report)
    elif fmt == "markdown":
        text_out = report_markdown(report)
    elif fmt == "html":
        text_out = report_html(report)
    else:
        text_out = report_table(report, explain=explain)
    if out:
        write_atomic(out, text_out)
        click.echo(f"wrote {fmt} report to {out} (score {report.score:.1f})", err=True)
    else:
        _emit(text_out)


def out_option(func: F) -> F:
    """``--out FILE``: write the report to FILE, whole or not at all."""
    return click.option(
        "--out",
        type=click.Path(dir_okay=False),
        default=None,
        help="Write the report to FILE (whole or not at all); the format follows its extension "
        "(.html, .md, .json, .txt) unless --format says otherwise.",
    )(func)


@cli.command(context_settings=CONTEXT)
@click.argument("cv")
@click.option(
    "--profile", default="ml-engineer", show_default=True, help="Built-in profile to score against."
)
@format_option(*REPORT_FORMATS)
@taxonomy_option
@out_option
@click.option(
    "--explain", is_flag=True, help="Show each score component, what moved it, and the arithmetic."
)
@reading_options
def score(
    cv: str,
    profile: str,
    fmt: str | None,
    taxonomy_path: str | None,
    out: str | None,
    explain: bool,
) -> None:
    """Score CV against a built-in profile (default: the guide's ML engineer).

    Reports coverage of the guide's technical, mathematical and soft skills, the degree and
    practical-experience checks, and the guide's advice for each gap.

    \b
    Examples:
      skillmatch score samples/cv-ml-engineer.pdf
      skillmatch score samples/cv-data-analyst.pdf --explain
      skillmatch score samples/cv-ml-engineer.pdf --out report.html
    """
    from skillmatch.api import score_profile
    from skillmatch.render.report import check_output

    if out:
        check_output(out, inputs=(cv,))
    report = score_profile(cv, profile=profile, taxonomy=taxonomy_path, options=_read_options())
    _print_report(report, fmt, explain, out)


@cli.command(context_settings=CONTEXT)
@click.argument("cv")
@click.option("--job", "job", required=True, help="The job description: a file, or - for stdin.")
@format_option(*REPORT_FORMATS)
@taxonomy_option
@out_option
@click.option(
    "--explain", is_flag=True, help="Show each score component, what moved it, and the arithmetic."
)
@reading_options
def compare(
    cv: str, job: str, fmt: str | None, taxonomy_path: str | None, out: str | None, explain: bool
) -> None:
    """Score CV against a job description.

    Requirements are told apart from nice-to-haves by section and cue words; stated years and
    degrees become their own checks. The report lists the gaps first, then each match with
    the CV sentence that proves it.

    \b
    Examples:
      skillmatch compare samples/cv-ml-engineer.pdf --job samples/job-ml-engineer.txt
      skillmatch compare cv.docx --job - < pasted-job.txt
      skillmatch compare cv.pdf --job job.txt --format html --out report.html
    """
    from skillmatch.api import compare as compare_files
    from skillmatch.render.report import check_output

    if cv == "-" and job == "-":
        raise click.UsageError("only one of CV and --job can be read from stdin")
    if out:
        check_output(out, inputs=(cv, job))
    report = compare_files(cv, job, taxonomy=taxonomy_path, options=_read_options())
    _print_report(report, fmt, explain, out)


@cli.command(context_settings=CONTEXT)
@click.argument("job_file", metavar="JOB")
@format_option("table", "json", "yaml")
@taxonomy_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the reading to FILE (whole or not at all).",
)
@reading_options
def job(job_file: str, fmt: str | None, taxonomy_path: str | None, out: str | None) -> None:
    """Show what was read from a job ad: each requirement with its category, required or
    preferred, its weight and the ad line it came from; and the text set aside (company,
    benefits, metadata, legal).

    --format yaml writes an editable requirements file that compare --job and batch --job
    accept in place of the ad.

    \b
    Examples:
      skillmatch job samples/job-ml-engineer.txt
      skillmatch job job.txt --format yaml --out job.yaml   # edit, then:
      skillmatch batch cvs/ --job job.yaml
    """
    from skillmatch.api import read_document, read_job, taxonomy_of
    from skillmatch.render.job import job_json, job_table
    from skillmatch.render.report import check_output, write_atomic
    from skillmatch.score.job_file import dump_requirements

    if out:
        check_output(out, inputs=(job_file,))
    taxonomy = taxonomy_of(taxonomy_path)
    document = read_document(job_file, kind="job", options=_read_options())
    requirements = read_job(document, taxonomy=taxonomy)
    fmt = fmt or ("yaml" if out and out.endswith((".yaml", ".yml")) else _default_format())
    if fmt == "yaml":
        text_out = dump_requirements(requirements, taxonomy, document.source)
    elif fmt == "json":
        text_out = job_json(requirements, taxonomy, document.source)
    else:
        text_out = job_table(requirements, taxonomy, document.source)
    if out:
        write_atomic(out, text_out)
        click.echo(f"wrote {fmt} reading of {job_file} to {out}", err=True)
    else:
        _emit(text_out)


@cli.command(context_settings=CONTEXT)
@click.argument("folders", nargs=-1, required=True)
@click.option(
    "--job",
    "jobs",
    multiple=True,
    required=True,
    help="A job description (a file, - for stdin, or a folder of job ads); repeat for several.",
)
@format_option("table", "json", "csv", "jsonl", "html")
@taxonomy_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to this file (json/csv/html: whole or not at all; jsonl: line by line). "
    "The format follows its extension unless --format says otherwise.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=None,
    help="Keep only the best N of each ranking (error rows stay).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: CPU count].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, max=7 * 24 * 3600),
    callback=lambda _ctx, _param, value: value if value is None else _finite(value),
    default=None,
    help="Seconds one file may take before it becomes an error row (0: no limit) "
    f"[default: {DEFAULT_LIMITS.timeout:g}, or --limit timeout].",
)
@click.option(
    "--max-memory",
    type=click.IntRange(min=0),
    default=None,
    help="MB a worker may use for one file beyond its start-up size (0: no limit) "
    f"[default: {DEFAULT_LIMITS.memory}, or --limit memory].",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the --out file of an earlier run: skip the files it already holds.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --resume: score every file again when --out was made with another taxonomy or "
    "job (the old results are kept beside it, named after their run).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary on stderr.")
@click.option(
    "--audit",
    "audit_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Bias audit: a CSV with a 'file' column and your group columns (e.g. sex, "
    "race_ethnicity); scoring rates and impact ratios per group, in the table, json and html "
    "outputs (csv/jsonl: on stderr, or --audit-out).",
)
@click.option(
    "--audit-out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the audit alone to this file (.json: JSON, else a text table).",
)
@click.option(
    "--audit-min",
    type=click.IntRange(min=1),
    default=None,
    help="Groups with fewer candidates are too small to judge [default: 10].",
)
@cluster_options
@reading_options
def batch(
    folders: tuple[str, ...],
    jobs: tuple[str, ...],
    fmt: str | None,
    taxonomy_path: str | None,
    out: str | None,
    top: int | None,
    workers: int | None,
    timeout: float | None,
    max_memory: int | None,
    resume: bool,
    force: bool,
    quiet: bool,
    audit_path: str | None,
    audit_out: str | None,
    audit_min: int | None,
) -> None:
    """Rank every CV under FOLDERS (recursively) against one or more jobs.

    Hidden and temporary files are skipped and files with the same content are scored once
    (listed as duplicates). A file that cannot be read, hangs past --timeout or needs more than
    --max-memory is a row with status "error"; the batch still exits 0. Ctrl-C, SIGTERM and
    SIGHUP write what was done (exit 130, 143, 129); run again with --resume to finish. Two runs
    cannot write the same --out at once.

    \b
    Examples:
      skillmatch batch samples --job samples/job-ml-engineer.txt
      skillmatch batch cvs/ --job job.txt --out ranking.csv --top 20
      skillmatch batch cvs/ --job jobs/ --format json --out matrix.json
      skillmatch batch cvs/ --job job.txt --out rows.jsonl --resume
      skillmatch batch cvs/ --job job.txt --out shortlist.html --audit groups.csv
      skillmatch batch cvs/ --job job.txt --out rows.jsonl --cluster tcp://10.0.0.5:8786
    """
    from skillmatch.batch.guard import output_lock
    from skillmatch.batch.output import format_for

    fmt = format_for(out, fmt)
    if out:
        from skillmatch.render.report import check_output

        check_output(out, inputs=jobs)
    if resume and not out:
        raise click.UsageError("--resume needs --out FILE: the output of the run to continue")
    if resume and fmt == "html":
        raise click.UsageError("--resume needs a json, csv or jsonl --out, not html")
    audit_of = _batch_audit(audit_path, audit_out, audit_min, jobs)
    dispatch = _cluster_dispatch(workers)
    with output_lock(out) if out else contextlib.nullcontext():
        _batch(
            folders,
            jobs,
            fmt,
            out,
            taxonomy_path=taxonomy_path,
            workers=workers,
            top=top,
            quiet=quiet,
            timeout=timeout,
            max_memory=max_memory,
            resume=resume,
            force=force,
            audit_of=audit_of,
            audit_out=audit_out,
            dispatch=dispatch,
        )


def _cluster_dispatch(workers: int | None) -> Any:
    """With ``--cluster``: the dispatch that scores on Dask (imported only then); else
    ``None`` (the local pool)."""
    meta = click.get_current_context().meta
    address = meta.get("skillmatch.cluster")
    chunk = meta.get("skillmatch.cluster_chunk")
    tls = meta.get("skillmatch.cluster_tls")
    shared = meta.get("skillmatch.shared_storage")
    if not address:
        if chunk or tls or shared is not None:
            raise click.UsageError(
                "--shared-storage, --send-bytes, --cluster-tls and --cluster-chunk need --cluster"
            )
        return None
    if workers is not None:
        raise click.UsageError("--workers is for this machine; with --cluster use local:N")
    from skillmatch.api import cluster_dispatch

    try:
        return cluster_dispatch(
            address,
            shared_storage=shared,
            tls=tuple(filter(None, (tls or "").split(","))),
            chunk=chunk,
        )
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--cluster") from None


def _batch(
    folders: tuple[str, ...],
    jobs: tuple[str, ...],
    fmt: str,
    out: str | None,
    *,
    taxonomy_path: str | None,
    workers: int | None,
    top: int | None,
    quiet: bool,
    timeout: float | None,
    max_memory: int | None,
    resume: bool,
    force: bool,
    audit_of: Callable[[Any, dict[str, str]], Any] | None,
    audit_out: str | None,
    dispatch: Any = None,
) -> None:
    """The batch command's run, under the lock on ``out`` when there is one (``dispatch``: see
    :func:`_cluster_dispatch`)."""
    from skillmatch.batch.guard import Stopped, stop_on_signals
    from skillmatch.batch.output import (
        BatchSink,
        ProgressBar,
        keep_beside,
        load_previous,
        summary_line,
    )
    from skillmatch.batch.run import BatchRun
    from skillmatch.errors import OutputError
    from skillmatch.render.report import remove_stale_temps

    if out:
        remove_stale_temps(out)  # of a run killed while it wrote: no one else writes out now
    previous = load_previous(out, fmt) if resume and out else None
    options = _read_options()
    run = BatchRun(
        folders,
        jobs,
        taxonomy_path=taxonomy_path,
        workers=workers,
        timeout=options.limits.timeout if timeout is None else timeout or None,
        max_memory=options.limits.memory if max_memory is None else max_memory or None,
        previous=previous,
        options=options,
        output=out,
        detail=fmt == "html",
        dispatch=dispatch,
    )
    if out and previous is not None and run.previous is None:
        if not force:
            raise OutputError(
                f"{out}: was made with another taxonomy, job or reading options; --resume would "
                "score every file again and replace it. Add --force to do so (the old results "
                "are kept beside it), or choose another --out"
            )
        kept = keep_beside(out, previous)
        if not quiet:
            click.echo(f"{out} was made with another taxonomy or job; kept it as {kept}", err=True)
    bar = ProgressBar(run.total) if not quiet and sys.stderr.isatty() and run.total else None
    stopped: KeyboardInterrupt | None = None
    audit = None if audit_of is None else (lambda result: audit_of(result, run.hashes))
    with BatchSink(run, fmt, out, top, write=_emit, audit=audit) as sink, stop_on_signals():
        try:
            for done, outcome in enumerate(run, 1):
                sink.add(outcome)
                if bar:
                    bar.update(done)
        except KeyboardInterrupt as interrupt:
            stopped = interrupt
        finally:
            if bar:
                bar.finish()
        result = sink.finish(complete=stopped is None)
    if out and not quiet:
        click.echo(f"{summary_line(result)}; wrote {out}", err=True)
    if audit is not None:
        _write_audit(audit(result), audit_out, show=fmt in ("csv", "jsonl") and not quiet)
    if stopped is not None:
        where = f"{out}; run again with --resume to finish" if out else "standard output"
        click.echo(f"interrupted: wrote what was done to {where}", err=True)
        code = 128 + stopped.signum if isinstance(stopped, Stopped) else 130
        raise click.exceptions.Exit(code)


def _batch_audit(
    path: str | None, out: str | None, min_count: int | None, jobs: tuple[str, ...]
) -> Callable[[Any, dict[str, str]], Any] | None:
    """``--audit``: the groups read now (a bad CSV fails before any scoring), as a function
    from the batch result and the walked files' hashes to its audit."""
    if path is None:
        if out or min_count:
            raise click.UsageError("--audit-out and --audit-min need --audit GROUPS.csv")
        return None
    from skillmatch.batch.audit import DEFAULT_MIN_COUNT, audit_batch, load_groups

    if out:
        from skillmatch.render.report import check_output

        check_output(out, inputs=(*jobs, path))
    groups = load_groups(path)
    count = min_count or DEFAULT_MIN_COUNT
    return lambda result, hashes: audit_batch(result, groups, min_count=count, hashes=hashes)


def _write_audit(audit: Any, out: str | None, *, show: bool) -> None:
    """The audit to ``--audit-out`` (JSON or a table), and on stderr for csv/jsonl outputs."""
    from skillmatch.batch.audit import audit_text
    from skillmatch.render.report import to_json, write_atomic

    if out:
        write_atomic(out, to_json(audit) if out.lower().endswith(".json") else audit_text(audit))
    elif show:
        click.echo(audit_text(audit), err=True, nl=False)


@cli.group(cls=_Group, context_settings=CONTEXT)
def taxonomy() -> None:
    """List, show and validate taxonomies.

    \b
    Examples:
      skillmatch taxonomy list --category mathematical
      skillmatch taxonomy show pytorch
      skillmatch taxonomy stats
      skillmatch taxonomy validate my-skills.yaml
    """


@taxonomy.command("list", context_settings=CONTEXT)
@format_option("table", "json")
@taxonomy_option
@click.option("--category", default=None, help="Only this category.")
def taxonomy_list(fmt: str | None, taxonomy_path: str | None, category: str | None) -> None:
    """List the skills of the taxonomy in use.

    \b
    Example:
      skillmatch taxonomy list --category soft --format json
    """
    from skillmatch.render.report import to_json

    tax = _taxonomy(taxonomy_path)
    categories = sorted({s.category for s in tax.skills.values()})
    if category is not None and category not in categories:
        raise SkillmatchError(f"no category {category!r} (known: {', '.join(categories)})")
    skills_ = [s for s in tax.skills.values() if category in (None, s.category)]
    if (fmt or _default_format()) == "json":
        _emit(to_json([s.to_dict() for s in skills_]))
        return
    for s in skills_:
        click.echo(f"{s.id:<32} {s.category:<13} {s.name}")


@taxonomy.command("show", context_settings=CONTEXT)
@click.argument("skill_id")
@taxonomy_option
def taxonomy_show(skill_id: str, taxonomy_path: str | None) -> None:
    """Show one skill: aliases, hierarchy, gates and links.

    \b
    Example:
      skillmatch taxonomy show relational-databases
    """
    from skillmatch.render.report import to_json

    tax = _taxonomy(taxonomy_path)
    if skill_id not in tax.skills:
        raise SkillmatchError(f"no skill with id {skill_id!r} (try: skillmatch taxonomy list)")
    data = tax.skills[skill_id].to_dict()
    data["ancestors"] = tax.ancestors(skill_id)
    data["children"] = tax.children(skill_id)
    _emit(to_json(data))


@taxonomy.command("stats", context_settings=CONTEXT)
@format_option("table", "json")
@taxonomy_option
def taxonomy_stats(fmt: str | None, taxonomy_path: str | None) -> None:
    """Count skills, aliases and profiles per category.

    \b
    Example:
      skillmatch taxonomy stats
    """
    from skillmatch.render.report import to_json

    tax = _taxonomy(taxonomy_path)
    stats: dict[str, dict[str, int]] = {}
    for s in tax.skills.values():
        row = stats.setdefault(s.category, {"skills": 0, "aliases": 0, "ambiguous": 0, "linked": 0})
        row["skills"] += 1
        row["aliases"] += len(s.aliases)
        row["ambiguous"] += sum(a.ambiguous for a in s.aliases)
        row["linked"] += bool(s.external)
    if (fmt or _default_format()) == "json":
        _emit(
            to_json({"version": tax.version, "categories": stats, "profiles": sorted(tax.profiles)})
        )
        return
    from skillmatch.taxonomy.load import builtin_path

    origin = "built-in" if tax.origin == str(builtin_path()) else tax.origin
    click.echo(f"taxonomy {tax.version} ({origin})")
    click.echo(f"{'category':<14}{'skills':>8}{'aliases':>9}{'ambiguous':>11}{'linked':>8}")
    for name, row in stats.items():
        click.echo(
            f"{name:<14}{row['skills']:>8}{row['aliases']:>9}{row['ambiguous']:>11}{row['linked']:>8}"
        )
    total = sum(r["skills"] for r in stats.values())
    click.echo(f"{'total':<14}{total:>8}")
    click.echo(f"profiles: {', '.join(sorted(tax.profiles))}")


@taxonomy.command("validate", context_settings=CONTEXT)
@click.argument("path", required=False)
def taxonomy_validate(path: str | None) -> None:
    """Check a taxonomy file or folder; print every problem with file and line (exit 1 if any).

    \b
    Example:
      skillmatch taxonomy validate my-skills.yaml
    """
    from skillmatch.taxonomy.load import builtin_path, validate_file

    target = path or str(builtin_path())
    if not os.path.exists(target):
        raise SkillmatchError(f"{target}: no such file or folder")
    problems = validate_file(target)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SkillmatchError(f"{target}: {len(problems)} problem(s)")
    click.echo(f"{target}: valid")


def main() -> None:
    """Entry point of the ``skillmatch`` console script."""
    try:
        cli(prog_name="skillmatch")
    except SystemExit as done:
        _exit_now(done.code)
    _exit_now(0)


def _exit_now(code: object) -> None:
    """Exit with ``code`` without tearing the interpreter down: freeing the matcher's and
    spaCy's objects one by one took 0.2 s of every command. Output files are closed by now;
    only the standard streams need flushing."""
    if code is not None and not isinstance(code, int):
        click.echo(code, err=True)  # sys.exit("message") semantics
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`| head`) or stream: nothing left to say
        pass
    os._exit(code or 0)

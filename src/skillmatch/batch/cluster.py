"""A batch on a Dask cluster (``skillmatch batch --cluster``): the same work and the same rows
as the local pool, on as many machines as the cluster has.

Needs the optional extra ``pip install 'skillmatch[dask]'`` on the client and on every worker
(the same skillmatch version: the workers run its code). Nothing imports this module without
``--cluster``; it is a :class:`~skillmatch.batch.run.Dispatcher`, so walking, hashing,
duplicates, ``--resume`` and ranking stay the local run's own (:class:`ClusterDispatcher`).

How a file travels:

* **set-up**: a worker plugin (:class:`ScoringPlugin`) carries the taxonomy, the jobs (read and
  parsed once, by the client) and the reading options to every worker, including workers that
  join or replace a dead one later; each worker builds the matchers once;
* **files**: with ``shared_storage`` (the default for ``local:N``, whose workers are on this
  machine) only paths travel and the workers read the files; otherwise the client reads each
  file (with the checks of a local read) and sends its bytes. Files go up to ``chunk`` to a
  task, and at most ``in_flight`` tasks are out at a time, so memory stays flat however large
  the folder;
* **scoring**: on a worker each file is scored by the batch's ``score`` function (by default
  :func:`~skillmatch.batch.worker.score_file`) in a sandbox process (a
  :class:`~skillmatch.pool.WorkerPool` of one per worker thread, forked from the Dask worker
  after set-up), so the time and memory limits hold as locally and a file that kills the
  sandbox is an error row, as locally; bytes wait for the sandbox in a private spool folder of
  the worker's directory, and each is deleted as soon as it has been read;
* **faults**: tasks on a worker that dies are run again elsewhere by the scheduler; a task that
  has killed ``distributed.scheduler.allowed-failures`` + 1 workers (two for ``local:N``) fails
  with ``KilledWorker``: a task of several files is then split into one task per file, and a
  file whose own task fails so becomes an error row;
* **results** come back as tasks finish and are released at once; leaving the dispatcher with
  an exception (Ctrl-C, SIGTERM) cancels the futures not yet done.

Privacy: CVs travel to the workers (bytes or paths). Task keys are ``skillmatch-<counter>-
<token>``, never a path or text; the task function never raises (Dask logs a failed task's
arguments, which would be a CV's bytes); the workers' (and, when it can, the scheduler's) log
handlers drop the arguments of any record that carries bytes or long text
(:class:`WithholdText`), and ``local:N`` logs nothing below critical.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass
from types import TracebackType
from typing import Any, cast

import dask
from distributed import Client, Future, LocalCluster, get_worker, wait
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.scheduler import KilledWorker
from distributed.security import Security

from skillmatch.batch.rows import BatchRow
from skillmatch.batch.run import BatchRun, Scored
from skillmatch.batch.worker import error_rows, init_worker, preload_readers
from skillmatch.errors import InputError, SkillmatchError
from skillmatch.pool import TaskFailed, WorkerPool
from skillmatch.read.parse import read_file_bytes

__all__ = [
    "LOCAL_CONFIG",
    "ClusterDispatcher",
    "ClusterError",
    "ClusterOptions",
    "ScoringPlugin",
    "WithholdText",
    "check_address",
]

#: ``local:N``: a cluster of N worker processes on this machine.
_LOCAL = re.compile(r"^local:(\d+)$")
_REMOTE = re.compile(r"^(tcp|tls)://[^\s/]+$")
#: Tasks sent and not yet back, per worker thread, when ``in_flight`` is not given: one being
#: scored, and one waiting at the scheduler to start the moment it ends.
TASKS_PER_THREAD = 2
#: How often (seconds) the client asks the scheduler how many worker threads there are.
_RECOUNT_SECONDS = 2.0
#: A batch gives up when the cluster has had no worker for this long (seconds).
NO_WORKERS_SECONDS = 120.0
#: A file whose task the cluster drops (its result lost with its worker) more often than this
#: stops the batch: something is wrong with the cluster, not with the file.
MAX_LOST = 3
#: A log argument longer than this (characters) is withheld by :class:`WithholdText`.
MAX_LOGGED_ARGUMENT = 200

#: One file as a task carries it: its path, and its bytes unless the workers read the path.
Item = tuple[str, bytes | None]
#: What a sandbox is handed for one file: its path, and the spool file holding its bytes
#: (``None``: it reads the path). A small task: it can be handed over ahead.
Spooled = tuple[str, str | None]


class ClusterError(SkillmatchError):
    """The cluster cannot be reached or stopped answering (the message says what to do)."""


@dataclass(frozen=True)
class ClusterOptions:
    """Where and how a batch runs on Dask."""

    #: ``tcp://HOST:PORT`` or ``tls://HOST:PORT`` (a running scheduler), or ``local:N``.
    address: str
    #: The workers read the files at the client's paths (a shared file system); otherwise the
    #: client sends each file's bytes. ``None``: yes for ``local:N``, no for a scheduler.
    shared_storage: bool | None = None
    #: For ``tls://``: the CA certificate, the client certificate and its key (the key may be
    #: in the certificate's file: give two paths).
    tls: tuple[str, ...] = ()
    #: Tasks sent and not yet back (default: :data:`TASKS_PER_THREAD` per worker thread).
    in_flight: int | None = None
    #: Files per task, at most: between two tasks a worker waits a round trip to the scheduler
    #: and a task costs a few ms of CPU (more than scoring a short CV), so files go up to 32 a
    #: task; the last tasks of a batch are smaller (see ``_Stream._chunk``); a lost task is
    #: split.
    chunk: int = 32

    def local_workers(self) -> int | None:
        """N for ``local:N``, else ``None``."""
        match = _LOCAL.match(self.address)
        return int(match.group(1)) if match else None

    @property
    def shares_storage(self) -> bool:
        """Whether only paths travel (see :attr:`shared_storage`)."""
        if self.shared_storage is None:
            return self.local_workers() is not None
        return self.shared_storage


def check_address(address: str) -> str:
    """``address`` if it is ``local:N`` (N >= 1), ``tcp://HOST:PORT`` or ``tls://HOST:PORT``;
    raises :class:`ValueError` with a one-line reason otherwise."""
    match = _LOCAL.match(address)
    if match and int(match.group(1)) >= 1:
        return address
    if not match and _REMOTE.match(address):
        return address
    raise ValueError(
        f"{address!r}: expected tcp://HOST:PORT or tls://HOST:PORT (a running Dask scheduler) "
        "or local:N (N worker processes on this machine)"
    )


# --- what the cluster may log ----------------------------------------------------------------


class WithholdText(logging.Filter):
    """Keep a log record, but never with a document's content: an argument that is bytes, or
    text longer than :data:`MAX_LOGGED_ARGUMENT`, or a container holding one, is replaced by
    its kind and size, and so is a long message."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Withhold what could be a CV's content; never drops the record."""
        if isinstance(record.msg, str) and len(record.msg) > 4 * MAX_LOGGED_ARGUMENT:
            record.msg = f"<log message of {len(record.msg)} characters withheld>"
            record.args = None
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(_withheld(arg) for arg in args)
        elif isinstance(args, dict):
            record.args = {key: _withheld(value) for key, value in args.items()}
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.exc_info = None  # a traceback prints the arguments of the failing frames
            record.msg = f"{record.getMessage()} ({type(error).__name__}; traceback withheld)"
            record.args = None
        return True


def _withheld(value: Any) -> Any:
    if _carries_text(value):
        return f"<{type(value).__name__} withheld>"
    return value


def _carries_text(value: Any, depth: int = 0) -> bool:
    if isinstance(value, bytes | bytearray | memoryview):
        return True
    if isinstance(value, str):
        return len(value) > MAX_LOGGED_ARGUMENT
    if depth < 3 and isinstance(value, tuple | list | set | frozenset):
        return any(_carries_text(item, depth + 1) for item in itertools.islice(value, 100))
    if depth < 3 and isinstance(value, dict):
        return any(_carries_text(item, depth + 1) for item in itertools.islice(value.values(), 100))
    return False


def withhold_text_in_logs(*_args: Any, **_kwargs: Any) -> None:
    """Add :class:`WithholdText` to every handler of Dask's loggers in this process (a worker,
    or the scheduler through ``client.run_on_scheduler``)."""
    handlers: set[logging.Handler] = set(logging.getLogger().handlers)
    for name in ("distributed", "dask"):
        handlers.update(logging.getLogger(name).handlers)
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if name.startswith(("distributed", "dask")) and isinstance(logger, logging.Logger):
            handlers.update(logger.handlers)
    for handler in handlers:
        if not any(isinstance(f, WithholdText) for f in handler.filters):
            handler.addFilter(WithholdText())


# --- the worker side -------------------------------------------------------------------------


class ScoringPlugin(WorkerPlugin):
    """Set a Dask worker up for one batch: the taxonomy, the jobs and the reading options, the
    matchers built once, and a sandbox process per worker thread to score files in."""

    def __init__(self, name: str, run: BatchRun) -> None:
        self.name = name
        self.initargs = (run.taxonomy, tuple(run.jobs), run.options, run.detail)
        self.score = run.score
        self.timeout = run.timeout
        self.memory_mb = run.max_memory
        self._spool = ""
        self._pools: dict[int, WorkerPool[Spooled, tuple[BatchRow, ...]]] = {}
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        """What travels to the workers: not the sandboxes nor the lock."""
        state = dict(self.__dict__)
        state.pop("_pools", None)
        state.pop("_lock", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A plugin arrived on a worker: no sandbox yet."""
        self.__dict__.update(state)
        self._pools = {}
        self._lock = threading.Lock()

    def setup(self, worker: Any) -> None:
        """Build the matchers once, in the Dask worker: the sandboxes forked from it share
        them."""
        from skillmatch.match.matcher import get_matcher  # spaCy on the worker only

        # a Dask worker may run as a daemon process, which multiprocessing forbids to start
        # children; its sandboxes die with it all the same (PR_SET_PDEATHSIG, see pool)
        multiprocessing.current_process()._config["daemon"] = False  # type: ignore[attr-defined]
        withhold_text_in_logs()
        preload_readers()
        get_matcher(self.initargs[0])
        # a private folder (mode 0700) in the worker's own directory, which Dask clears
        local = getattr(worker, "local_directory", None)
        self._spool = tempfile.mkdtemp(prefix="skillmatch-spool-", dir=local)

    def teardown(self, worker: Any) -> None:
        """Stop the sandboxes (the batch is over, or the worker is closing)."""
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close(kill=True)
        if self._spool:
            shutil.rmtree(self._spool, ignore_errors=True)

    def score_items(self, items: Sequence[Item]) -> tuple[Scored, ...]:
        """Score ``items`` in this thread's sandbox (started on first use).

        Bytes are spooled to files first: a sandbox is then handed its next file while it
        scores the current one (a pipe cannot take a whole file without blocking the thread
        that enforces the time limit), and it deletes each file as soon as it has read it.
        """
        pool = self._pool()
        tasks = [self._spooled(path, data) for path, data in items]
        try:
            return tuple((task[0], result) for task, result in pool.run(tasks))
        finally:
            for _path, spool in tasks:
                if spool is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(spool)

    def _spooled(self, path: str, data: bytes | None) -> Spooled:
        if data is None:
            return (path, None)
        handle, spool = tempfile.mkstemp(dir=self._spool)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        return (path, spool)

    def _pool(self) -> WorkerPool[Spooled, tuple[BatchRow, ...]]:
        thread = threading.get_ident()
        with self._lock:
            pool = self._pools.get(thread)
            if pool is None:
                pool = WorkerPool(
                    functools.partial(_score_spooled, self.score),
                    workers=1,
                    initializer=init_worker,
                    initargs=self.initargs,
                    timeout=self.timeout,
                    memory_mb=self.memory_mb,
                    prefetch=2,  # never waits for the Dask worker between files
                )
                self._pools[thread] = pool
        return pool


def _score_spooled(
    score: Callable[..., tuple[BatchRow, ...]], task: Spooled
) -> tuple[BatchRow, ...]:
    """In a sandbox: one file, from its spooled bytes (deleted once read) or its path."""
    path, spool = task
    if spool is None:
        return score(path)
    with open(spool, "rb") as stream:
        data = stream.read()
    with contextlib.suppress(OSError):
        os.unlink(spool)
    return score(path, data)


def score_task(plugin_name: str, items: tuple[Item, ...]) -> tuple[Scored, ...]:
    """A Dask task: score ``items`` on this worker. Never raises (Dask would log the arguments,
    a CV's bytes); a failure becomes a :class:`~skillmatch.pool.TaskFailed` per file."""
    try:
        plugin = cast(ScoringPlugin, get_worker().plugins[plugin_name])
        return plugin.score_items(items)
    except Exception as error:
        reason = f"the Dask worker failed on this file ({type(error).__name__})"
        return tuple((path, TaskFailed("error", reason)) for path, _data in items)


def _worker_version() -> str:
    """The skillmatch version a worker runs (it must be the client's)."""
    from skillmatch import __version__  # the package's, on the worker

    return __version__


# --- the client side -------------------------------------------------------------------------


class ClusterDispatcher:
    """The :class:`~skillmatch.batch.run.Dispatcher` of a batch on a Dask cluster: entering it
    connects (or starts ``local:N``) and sets the workers up; :meth:`run` scores; leaving it
    cancels what is not done and disconnects. :attr:`client` is the Dask client meanwhile."""

    def __init__(self, run: BatchRun, options: ClusterOptions) -> None:
        self.batch = run
        self.options = options
        self.client: Client | None = None
        #: Always 0: a lost Dask worker is replaced by the cluster (its nanny), not by us.
        self.replaced = 0
        #: Files whose task was lost with its workers and sent again alone.
        self.split = 0
        self.name = f"skillmatch-{run.run}-{uuid.uuid4().hex[:8]}"
        self._stack = contextlib.ExitStack()
        self._futures: dict[str, Future[tuple[Scored, ...]]] = {}

    def __enter__(self) -> ClusterDispatcher:
        """Connect and register the :class:`ScoringPlugin` (a one-line error if that fails)."""
        with self._stack as stack:
            client = stack.enter_context(_connect(self.options))
            self.client = client
            stack.callback(self._unregister, client)
            try:
                client.register_plugin(ScoringPlugin(self.name, self.batch), name=self.name)
            except Exception as error:  # e.g. a worker that cannot load the score function
                raise ClusterError(
                    f"the Dask workers could not be set up for this batch "
                    f"({type(error).__name__}); check that they run this skillmatch version"
                ) from None
            if self.options.local_workers() is None:  # local:N: the scheduler is in here
                with contextlib.suppress(Exception):  # a scheduler without skillmatch
                    client.run_on_scheduler(withhold_text_in_logs)
            self._stack = stack.pop_all()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Cancel the tasks not yet collected, unregister the plugin, disconnect."""
        futures = list(self._futures.values())
        self._futures.clear()
        if futures and self.client is not None:
            with contextlib.suppress(Exception):
                self.client.cancel(futures, force=True)
        try:
            self._stack.close()
        finally:
            self.client = None

    def _unregister(self, client: Client) -> None:
        with contextlib.suppress(Exception):
            client.unregister_worker_plugin(self.name)

    def run(self, paths: Iterable[str]) -> Iterator[Scored]:
        """Score ``paths`` on the cluster, at most ``in_flight`` tasks out at a time; yield each
        file's result as its task finishes."""
        if self.client is None:
            raise RuntimeError("enter the dispatcher before running it")
        yield from _Stream(self, self.client, iter(paths))

    def item(self, path: str) -> Item | Scored:
        """What a task carries for ``path``: the path alone (shared storage) or with its bytes;
        or, when it cannot be read here, its error rows (as a worker's read would give)."""
        if self.options.shares_storage:
            return (path, None)
        try:
            return (path, read_file_bytes(path, limits=self.batch.options.limits))
        except SkillmatchError as error:
            return (path, error_rows(path, str(error), self.batch.jobs, code=error.code))


class _Stream:
    """Keeps at most ``in_flight`` tasks on the cluster and yields results as tasks finish."""

    def __init__(self, dispatcher: ClusterDispatcher, client: Client, paths: Iterator[str]) -> None:
        self.dispatcher, self.client, self.paths = dispatcher, client, paths
        self.options = dispatcher.options
        self.futures = dispatcher._futures
        self.again: deque[str] = deque()  # files of a lost task, sent again one by one
        self.ready: deque[Scored] = deque()  # files that could not be read here
        self.pending: dict[str, tuple[str, ...]] = {}
        self.lost: dict[str, int] = {}  # how often each file's task was dropped by the cluster
        self.idle_since: float | None = None  # when the cluster was last seen without workers
        self.token = uuid.uuid4().hex[:8]
        self.counter = itertools.count(1)
        self.exhausted = False
        self.limit = 0
        self.threads = 1
        self.sent = 0  # files taken from the batch so far (sent, or unreadable here)
        self.counted = -_RECOUNT_SECONDS

    def __iter__(self) -> Iterator[Scored]:
        while True:
            self._submit()
            while self.ready:
                yield self.ready.popleft()
            if not self.pending:
                if self.exhausted and not self.again:
                    return
                continue
            for future in self._done():
                yield from self._collect(future)

    def _done(self) -> list[Future[tuple[Scored, ...]]]:
        """The tasks that have finished (waiting for one); raises :class:`ClusterError` when the
        cluster has had no worker for :data:`NO_WORKERS_SECONDS`."""
        while True:
            try:
                done, _rest = wait(
                    list(self.futures.values()),
                    timeout=_RECOUNT_SECONDS,
                    return_when="FIRST_COMPLETED",
                )
            except TimeoutError:
                self._check_workers()
                continue
            # a task that finished and was lost with its worker is pending again: wait on
            return [f for f in done if f.status in ("finished", "error", "cancelled")]

    def _check_workers(self) -> None:
        if self.client.nthreads():
            self.idle_since = None
            return
        now = time.monotonic()
        self.idle_since = self.idle_since or now
        if now - self.idle_since > NO_WORKERS_SECONDS:
            raise ClusterError(
                f"the Dask cluster has had no workers for {NO_WORKERS_SECONDS:g} s; start some "
                "(dask worker ADDRESS), then run again with --resume to finish"
            )

    def _in_flight(self) -> int:
        """How many tasks may be out (the cluster's threads are recounted now and then)."""
        if self.options.in_flight:
            return self.options.in_flight
        now = time.monotonic()
        if now - self.counted > _RECOUNT_SECONDS:
            threads = sum(self.client.nthreads().values())
            self.limit = max(2, TASKS_PER_THREAD * threads)
            self.threads = max(1, threads)
            self.counted = now
        return self.limit

    def _chunk(self) -> int:
        """Files for the next task: ``chunk``, or fewer as the batch nears its end (a share of
        the files not yet sent, so that the last tasks, small, end together: guided
        self-scheduling)."""
        remaining = max(0, self.dispatcher.batch.total - self.sent)
        share = -(-remaining // (2 * self.threads))  # ceiling division
        return max(1, min(self.options.chunk, share))

    def _submit(self) -> None:
        """Send tasks until ``in_flight`` are out (or no file is left)."""
        while len(self.pending) < self._in_flight():
            size = 1 if self.again else self._chunk()
            items = self._items(size)
            if items is None:
                return
            if not items:
                continue
            key = f"skillmatch-{next(self.counter)}-{self.token}"
            future = self.client.submit(
                score_task, self.dispatcher.name, tuple(items), key=key, pure=False, retries=0
            )
            self.pending[key] = tuple(path for path, _data in items)
            self.futures[key] = future

    def _items(self, size: int) -> list[Item] | None:
        """Up to ``size`` files to send (fewer if some could not be read); ``None``: none left."""
        items: list[Item] = []
        while len(items) < size:
            if self.again:
                path: str | None = self.again.popleft()
            else:
                path = None if self.exhausted else next(self.paths, None)
            if path is None:
                self.exhausted = True
                break
            self.sent += 1
            item = self.dispatcher.item(path)
            if isinstance(item[1], tuple):
                self.ready.append(item)
            else:
                items.append(cast(Item, item))
        if not items and self.exhausted and not self.again:
            return None
        return items

    def _collect(self, future: Future[tuple[Scored, ...]]) -> Iterator[Scored]:
        status = future.status  # read once: the client's thread may change it meanwhile
        if status not in ("finished", "error", "cancelled"):
            return  # finished, then lost with its worker: it runs again; wait on
        key = str(future.key)
        paths = self.pending.pop(key)
        del self.futures[key]
        try:
            scored = self._outcome(future, status, paths)
        except CancelledError:  # not by us: its result was lost with its worker
            self._lost(paths)
            scored = ()
        future.release()
        yield from scored

    def _outcome(
        self, future: Future[tuple[Scored, ...]], status: str, paths: tuple[str, ...]
    ) -> tuple[Scored, ...]:
        """The results of a task that ended; ``()`` when its files are to be sent again."""
        if status == "cancelled":
            raise CancelledError
        if status == "finished":
            return future.result()
        error = future.exception()
        if not isinstance(error, KilledWorker):
            raise ClusterError(
                f"the Dask cluster failed ({type(error).__name__}); the rows so far are "
                "written: run again with --resume to finish"
            )
        if len(paths) > 1:  # which file killed the workers? each is sent again alone
            self.dispatcher.split += len(paths)
            self.again.extend(paths)
            return ()
        return ((paths[0], _killed_workers(error)),)

    def _lost(self, paths: tuple[str, ...]) -> None:
        """Send the files of a task the cluster dropped again (a few times at most)."""
        for path in paths:
            self.lost[path] = self.lost.get(path, 0) + 1
            if self.lost[path] > MAX_LOST:
                raise ClusterError(
                    f"the Dask cluster dropped the same task {MAX_LOST} times; the rows so far "
                    "are written: run again with --resume to finish"
                )
        self.again.extend(paths)


def _killed_workers(error: KilledWorker) -> TaskFailed:
    deaths = error.allowed_failures + 1
    return TaskFailed(
        "crash",
        f"{deaths} Dask worker processes died while scoring this file (damaged file or out "
        "of memory)",
    )


@contextlib.contextmanager
def _connect(options: ClusterOptions) -> Iterator[Client]:
    """A client of the cluster (a fresh ``local:N`` one, closed on the way out)."""
    workers = options.local_workers()
    with contextlib.ExitStack() as stack:
        if workers is not None:
            client = stack.enter_context(_local_client(workers))
        else:
            client = stack.enter_context(_remote_client(options))
        _check_versions(client)
        yield client


#: Dask settings of a ``local:N`` cluster (see the module documentation).
LOCAL_CONFIG = {
    # a task whose worker dies is run once more, then fails with KilledWorker
    "distributed.scheduler.allowed-failures": 1,
    # a worker holds only the tasks it runs: one that waited there would die with a file that
    # kills the worker, and be counted a suspect of it
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.worker.daemon": False,
    # no sampling of the workers' stacks (every 10 ms) nor of the GIL: CPU the files need
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    # Ctrl-C reaches every process of the terminal's group: only the client takes it
    "distributed.worker.preload": ["skillmatch.batch.cluster"],
}


def dask_setup(worker: Any) -> None:
    """Dask preload of a ``local:N`` worker: it ignores Ctrl-C, which the client handles by
    closing the cluster (a worker that took it would die with a traceback on the terminal)."""
    with contextlib.suppress(ValueError):  # not the main thread: nothing to do
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _local_client(workers: int) -> Iterator[Client]:
    with dask.config.set(LOCAL_CONFIG):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",  # its status page on a free port, this machine only
            silence_logs=logging.CRITICAL,  # failures are rows; keep stderr clean
            memory_limit=0,  # each sandbox has its own limit (--max-memory)
        )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


@contextlib.contextmanager
def _remote_client(options: ClusterOptions) -> Iterator[Client]:
    security = _security(options) if options.tls else None
    in_config = dask.config.get("distributed.comm.tls.ca-file", None)  # Dask's own settings
    if security is None and options.address.startswith("tls://") and not in_config:
        raise InputError(f"{options.address}: give the certificates with --cluster-tls CA,CERT,KEY")
    try:
        client = Client(options.address, security=security)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {options.address} ({type(error).__name__}); "
            "start one with `dask scheduler` and workers with `dask worker ADDRESS`"
        ) from None
    with client:
        yield client


def _security(options: ClusterOptions) -> Security:
    if not options.address.startswith("tls://"):
        raise InputError("--cluster-tls needs a tls:// scheduler address")
    missing = [path for path in options.tls if not os.path.isfile(path)]
    if missing or not 2 <= len(options.tls) <= 3:
        raise InputError(
            "--cluster-tls: give CA,CERT,KEY (or CA,CERT with the key in CERT), existing files"
        )
    ca, cert, *key = options.tls
    return Security(
        tls_ca_file=ca,
        tls_client_cert=cert,
        tls_client_key=key[0] if key else None,
        require_encryption=True,
    )


def _check_versions(client: Client) -> None:
    from skillmatch import __version__  # the client's, to compare with the workers'

    try:
        versions = client.run(_worker_version)
    except Exception as error:
        raise ClusterError(
            f"the Dask workers cannot run skillmatch ({type(error).__name__}); install the same "
            f"skillmatch ({__version__}) on every worker: pip install 'skillmatch[dask]'"
        ) from None
    wrong = sorted(address for address, version in versions.items() if version != __version__)
    if wrong:
        raise ClusterError(
            f"{len(wrong)} Dask worker(s) run another skillmatch version than this one "
            f"({__version__}), e.g. {wrong[0]}; install the same version on every worker"
        )


def dispatcher(options: ClusterOptions) -> Callable[[BatchRun], ClusterDispatcher]:
    """The ``dispatch`` argument of a :class:`~skillmatch.batch.run.BatchRun` that scores on
    the cluster ``options`` names."""
    return functools.partial(ClusterDispatcher, options=options)

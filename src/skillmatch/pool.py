"""A small pool of long-lived worker processes that outlives the tasks that kill workers.

:class:`concurrent.futures.ProcessPoolExecutor` is broken for good once one worker dies, and it
cannot stop a task that hangs. Here each worker holds one task at a time on its own pipe, so
the parent always knows which task a worker is on and since when. A task that runs past the
time limit is killed with its worker; a worker that dies (a crash in a C library, ``os._exit``,
the kernel's OOM killer) is replaced; either way the task comes back as a :class:`TaskFailed`
with a one-line reason and the other tasks go on.

Each worker runs ``initializer(*initargs)`` once (load the taxonomy, build the matchers), then
``gc.freeze()`` so the long-lived objects are never scanned again. On Linux workers are forked
from the parent, so what the parent already built is shared copy-on-write and a replacement
worker starts in milliseconds. ``memory_mb`` caps each worker's address space above what it
holds after initialisation (``RLIMIT_AS``, where the platform supports it): a task that needs
more raises :class:`MemoryError` in the worker, comes back as a failure, and the worker is
replaced.

With ``prefetch=2`` a worker is handed its next task while it works on the current one, so it
never waits for the parent between tasks; the parent still knows which task a worker is on (the
oldest it holds) and since when (since the previous one came back). Only small tasks (a file's
path) may be prefetched: the parent must never block writing to a worker's pipe.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_DONE = "done"
_FAILED = "failed"
_MEMORY = "memory"


@dataclass(frozen=True)
class TaskFailed:
    """Why a task has no result: ``kind`` is ``timeout``, ``crash``, ``memory`` or ``error``."""

    kind: str
    reason: str


def default_workers() -> int:
    """The number of CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _context() -> Any:
    # fork shares what the parent built (taxonomy, matchers) and starts a worker in milliseconds;
    # elsewhere fork is unsafe (macOS) or missing (Windows)
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def limit_memory(memory_mb: int | None) -> None:
    """Cap the address space at what the process maps now plus ``memory_mb``."""
    if not memory_mb:
        return
    try:
        import resource  # Unix only: the memory guard is skipped elsewhere

        with open("/proc/self/statm", encoding="ascii") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = mapped + memory_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError, OverflowError):  # no /proc or RLIMIT_AS: no guard
        pass


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (``PR_SET_PDEATHSIG``), then
    make sure the parent did not die before that took effect."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes  # Linux only: prctl, to die with the parent

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the closed pipe ends still end the worker
        return
    if os.getppid() != parent:
        os._exit(1)


def leave_signals_to_parent() -> None:
    """Ignore interrupts and termination requests: a child process's parent handles them (it
    saves what was done, then stops its children)."""
    for signum in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, signal.SIG_IGN)


def _worker_main(
    conn: Connection,
    function: Callable[[Any], Any],
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
    memory_mb: int | None,
    parent: int,
    inherited: tuple[Connection, ...] = (),
) -> None:
    """A worker's life: initialise once, then answer tasks until told to stop.

    ``inherited`` are the parent's ends of the pipes (this worker's and its siblings') that a
    forked worker holds copies of: closed at once, so that the worker reads end-of-file, and
    leaves, when the parent is gone. Interrupts and termination requests are the parent's to
    handle (it saves what was done, then stops the workers); the worker dies with its parent.
    """
    for end in inherited:
        end.close()
    die_with_parent(parent)
    leave_signals_to_parent()
    if initializer is not None:
        initializer(*initargs)
    gc.collect()
    gc.freeze()
    limit_memory(memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            reply: tuple[str, Any] = (_DONE, function(task))
        except MemoryError:
            reply = (_MEMORY, f"ran out of memory (more than {memory_mb} MB; --max-memory)")
        except Exception as error:  # the task function should catch its own; never lose a task
            reply = (_FAILED, f"unexpected {type(error).__name__} (a bug in skillmatch)")
        try:
            conn.send(reply)
        except MemoryError:
            conn.send((_MEMORY, "ran out of memory"))
        if reply[0] == _MEMORY:
            return  # a worker that hit the limit may be fragmented: start afresh


class _Worker:
    def __init__(self, pool: WorkerPool[Any, Any]) -> None:
        ctx = pool._ctx
        self.conn, child = ctx.Pipe(duplex=True)
        frozen = ctx.get_start_method() == "fork"
        # a forked child holds copies of the parent's pipe ends; spawned ones hold none
        inherited = (self.conn, *(w.conn for w in pool._workers)) if frozen else ()
        self.process = ctx.Process(
            target=_worker_main,
            args=(
                child,
                pool._function,
                pool._initializer,
                pool._initargs,
                pool._memory_mb,
                os.getpid(),
                inherited,
            ),
            daemon=True,
            name="skillmatch-worker",
        )
        if frozen:  # the child inherits a frozen heap: gc never touches (copies) shared pages
            gc.freeze()
        try:
            self.process.start()
        finally:
            if frozen:
                gc.unfreeze()
            child.close()
        #: The tasks sent and not yet answered, the one being worked on first.
        self.tasks: deque[Any] = deque()
        #: When the worker started on ``tasks[0]``.
        self.started = 0.0

    @property
    def busy(self) -> bool:
        return bool(self.tasks)

    def send(self, task: Any) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append(task)
        self.conn.send(task)

    def answered(self) -> Any:
        """The task just answered; the next one held (if any) starts now."""
        task = self.tasks.popleft()
        self.started = time.monotonic()
        return task

    def stop(self, *, kill: bool) -> None:
        if kill:
            with contextlib.suppress(OSError):
                self.process.kill()
        else:
            with contextlib.suppress(OSError, BrokenPipeError):
                self.conn.send(None)
        self.process.join(timeout=None if kill else 2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class WorkerPool(Generic[T, R]):
    """Run ``function(task)`` in ``workers`` processes; see the module documentation.

    Use as a context manager; :meth:`run` yields ``(task, result or TaskFailed)`` in the order
    tasks finish.
    """

    def __init__(
        self,
        function: Callable[[T], R],
        *,
        workers: int | None = None,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
        timeout: float | None = None,
        memory_mb: int | None = None,
        prefetch: int = 1,
    ) -> None:
        self._ctx = _context()
        self._function = function
        self._initializer = initializer
        self._initargs = initargs
        self._timeout = timeout if timeout and timeout > 0 else None
        self._memory_mb = memory_mb
        self._prefetch = max(1, prefetch)
        #: Tasks taken back from a worker that was stopped before it reached them.
        self._returned: deque[T] = deque()
        self._size = max(1, workers or default_workers())
        self._workers: list[_Worker] = []
        #: How many workers were replaced after a crash, a timeout or the memory limit.
        self.replaced = 0

    def __enter__(self) -> WorkerPool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(kill=exc[0] is not None)

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker (at once with ``kill``, else after its current task)."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop(kill=kill or worker.busy)

    def run(self, tasks: Iterable[T]) -> Iterator[tuple[T, R | TaskFailed]]:
        """Feed ``tasks`` to the workers as they free up; yield each task with its outcome."""
        pending = iter(tasks)
        exhausted = False
        while True:
            if not exhausted or self._returned:
                exhausted = self._feed(pending)
            busy = [w for w in self._workers if w.busy]
            if not busy:
                if exhausted and not self._returned:
                    return
                continue
            ready = set(
                wait(
                    [w.conn for w in busy] + [w.process.sentinel for w in busy],
                    self._wait_time(busy),
                )
            )
            for worker in busy:
                outcome = self._collect(worker, ready)
                if outcome is not None:
                    yield outcome

    def _feed(self, pending: Iterator[T]) -> bool:
        """Give every worker up to ``prefetch`` tasks, idle workers first (starting workers up
        to the pool size); True once ``pending`` is exhausted."""
        while True:
            worker = self._hungriest()
            if worker is None:
                return False
            task = self._returned.popleft() if self._returned else next(pending, _END)
            if task is _END:
                return True
            try:
                worker.send(task)
            except (OSError, BrokenPipeError):  # the worker died: the task waits for another
                worker.tasks.pop()
                self._returned.appendleft(task)
                if worker.busy:
                    return False  # its death is collected with the task it was on
                self._replace(worker)

    def _hungriest(self) -> _Worker | None:
        """The worker holding the fewest tasks, below ``prefetch`` (a new one if the pool has
        room and every worker holds one already)."""
        worker = min(self._workers, key=lambda w: len(w.tasks), default=None)
        if (worker is None or worker.busy) and len(self._workers) < self._size:
            worker = _Worker(self)
            self._workers.append(worker)
        if worker is None or len(worker.tasks) >= self._prefetch:
            return None
        return worker

    def _wait_time(self, busy: list[_Worker]) -> float | None:
        if self._timeout is None:
            return None
        now = time.monotonic()
        return max(0.0, min(w.started + self._timeout - now for w in busy)) + 0.01

    def _collect(self, worker: _Worker, ready: set[Any]) -> tuple[T, R | TaskFailed] | None:
        task = worker.tasks[0]
        if worker.conn in ready or worker.conn.poll():
            try:
                kind, value = worker.conn.recv()
            except (EOFError, OSError):
                return task, self._crashed(worker)
            if kind == _DONE:
                worker.answered()
                return task, value
            self._replace(worker, kill=kind == _MEMORY)
            return task, TaskFailed("memory" if kind == _MEMORY else "error", value)
        if worker.process.sentinel in ready or not worker.process.is_alive():
            return task, self._crashed(worker)
        if self._timeout is not None and time.monotonic() - worker.started > self._timeout:
            self._replace(worker)
            return task, TaskFailed(
                "timeout", f"took longer than {self._timeout:g} s (--timeout); skipped"
            )
        return None

    def _crashed(self, worker: _Worker) -> TaskFailed:
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        self._replace(worker)
        if code is not None and code < 0:
            try:
                how = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        return TaskFailed(
            "crash",
            f"the worker process {how} while reading this file (damaged file or out of memory)",
        )

    def _replace(self, worker: _Worker, *, kill: bool = True) -> _Worker:
        """Stop ``worker`` and start another in its place; the tasks it held beyond the first
        (the one that failed) go back to the queue."""
        held = list(worker.tasks)[1:]
        worker.tasks.clear()
        self._returned.extendleft(reversed(held))
        worker.stop(kill=kill)
        fresh = _Worker(self)
        self._workers[self._workers.index(worker)] = fresh
        if kill:
            self.replaced += 1
        return fresh


_END: Any = object()

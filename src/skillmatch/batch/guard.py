"""What keeps a batch's output safe while it runs: an advisory lock on ``--out`` (two runs never
write the same file) and termination signals turned into an orderly stop (SIGTERM and SIGHUP save
what was done, as Ctrl-C does)."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import IO

from skillmatch.errors import OutputError


class Stopped(KeyboardInterrupt):
    """The batch was asked to stop by a signal; ``signum`` says which (the exit code is
    ``128 + signum``, as a shell reports it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def lock_path(out: str | os.PathLike[str]) -> Path:
    """The lock file of an output: hidden, beside it (``.ranking.csv.lock``)."""
    target = Path(os.path.realpath(out))
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def output_lock(out: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold an exclusive advisory lock (``flock``) on ``out`` for the block; raise
    :class:`OutputError` at once when another run holds it. The lock file is removed at the end.
    Where ``fcntl`` is missing (Windows) the block runs unlocked."""
    try:
        import fcntl  # Unix only: no lock elsewhere
    except ImportError:  # pragma: no cover - not POSIX
        yield lock_path(out)
        return
    path = lock_path(out)
    stream = _acquire(path, out, fcntl)
    try:
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        stream.close()


def _acquire(path: Path, out: str | os.PathLike[str], fcntl: object) -> IO[str]:
    """Open and lock ``path``; retried when the file was removed by the run that held it while
    this one waited (the lock would then be on a file nobody else sees)."""
    for _attempt in range(10):
        try:
            stream = open(path, "a+", encoding="ascii")  # noqa: SIM115 - held for the run
        except OSError as error:
            raise OutputError(f"{out}: cannot create its lock file: {error.strerror}") from None
        try:
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[attr-defined]
        except OSError:
            stream.seek(0)
            holder = stream.read().strip()
            stream.close()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise OutputError(
                f"{out}: another skillmatch batch is writing this file{who}; wait for it to "
                "finish or choose another --out"
            ) from None
        try:
            same = os.fstat(stream.fileno()).st_ino == os.stat(path).st_ino
        except OSError:
            same = False
        if same:
            stream.seek(0)
            stream.truncate()
            stream.write(f"{os.getpid()}\n")
            stream.flush()
            return stream
        stream.close()
    raise OutputError(f"{out}: could not lock it (its lock file keeps changing)")


def _stop(signum: int, _frame: FrameType | None) -> None:
    for other in _SIGNALS:  # a second signal must not cut the save short
        signal.signal(other, signal.SIG_IGN)
    raise Stopped(signum)


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Inside the block SIGTERM and SIGHUP raise :class:`Stopped` (a ``KeyboardInterrupt``), so
    a batch stopped by a scheduler or a closed terminal saves what it did, as on Ctrl-C; the
    previous handlers come back at the end. Only the main thread can do this; elsewhere the
    block runs as it is."""
    try:
        previous = {signum: signal.signal(signum, _stop) for signum in _SIGNALS}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

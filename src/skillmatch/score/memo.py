"""Small caches for scoring: what depends only on one CV or one job is worked out once.

A batch scores every CV against the same jobs, and each CV against every job, so the scorer
asks the same of one CV (its mentions, its facts) once per job and the same of one job once
per CV. :func:`by_identity` remembers the last few answers for the very same objects (not for
equal ones: hashing a CV's skills or a job's requirements would cost more than the answer).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

__all__ = ["by_identity"]

F = TypeVar("F", bound=Callable[..., object])

#: Argument types compared by value (immutable, cheap to hash, never equal to an ``id``).
_BY_VALUE = frozenset({str, dt.date, type(None)})


def by_identity(maxsize: int) -> Callable[[F], F]:
    """Cache a function of immutable objects (frozen results, a taxonomy) by their identity,
    and of strings, dates and ``None`` by value, keeping the last ``maxsize`` calls.

    The cache holds its arguments, so an object's ``id`` cannot be reused while its answer is
    kept. Positional arguments only."""

    def decorate(function: F) -> F:
        kept: OrderedDict[tuple[Hashable, ...], tuple[tuple[object, ...], object]] = OrderedDict()
        lock = threading.Lock()  # a Dask worker may score files in threads

        @functools.wraps(function)
        def cached(*args: object) -> object:
            key = tuple([a if type(a) in _BY_VALUE else id(a) for a in args])
            with lock:
                hit = kept.get(key)
                if hit is not None:
                    kept.move_to_end(key)
                    return hit[1]
            value = function(*args)
            with lock:
                kept[key] = (args, value)
                if len(kept) > maxsize:
                    kept.popitem(last=False)
            return value

        cached.cache_clear = kept.clear  # type: ignore[attr-defined]
        return cached  # type: ignore[return-value]

    return decorate

"""A start-up cache: the loaded taxonomy, pickled, so a command does not parse the YAML again.

Parsing the taxonomy's YAML files takes most of a second; unpickling the loaded
:class:`~skillmatch.taxonomy.model.Taxonomy` takes milliseconds. The cache key covers everything the
result depends on: the taxonomy files (path, size, modification time), the built-in taxonomy
(which a file may extend), the code that builds a Taxonomy (so a new release of the package
rebuilds it) and the Python version. A cache file that is stale, damaged or unwritable is
simply not used.

The cache lives in ``$SKILLMATCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/skillmatch``, else
``~/.cache/skillmatch``. ``SKILLMATCH_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from skillmatch import models
from skillmatch.taxonomy import load, model, parse
from skillmatch.taxonomy.load import builtin_path, load_taxonomy
from skillmatch.taxonomy.model import Taxonomy

_PROTOCOL = 5


def cache_dir() -> Path | None:
    """Where cache files go, or ``None`` when caching is off."""
    if os.environ.get("SKILLMATCH_NO_CACHE"):
        return None
    if os.environ.get("SKILLMATCH_CACHE_DIR"):
        return Path(os.environ["SKILLMATCH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "skillmatch"


def _stamp(paths: list[Path]) -> list[tuple[str, int, int]]:
    stamps = []
    for path in paths:
        with contextlib.suppress(OSError):
            stat = path.stat()
            stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
    return stamps


def _key(path: str | os.PathLike[str] | None) -> tuple[str, str]:
    """``(origin, key)``: a hash of which taxonomy, and a hash of everything it depends on."""
    builtin = builtin_path()
    files = sorted(builtin.rglob("*.yaml"))
    # where the built-in taxonomy is installed: two installations (two virtual environments,
    # two checkouts) keep an entry each instead of evicting each other's on every start
    origin = f"builtin:{builtin.resolve()}"
    if path is not None:
        target = Path(path).resolve()
        origin = str(target)
        files += sorted(target.rglob("*.yaml")) if target.is_dir() else [target]
    code = [Path(str(m.__file__)) for m in (load, model, parse, models)] + [Path(__file__)]
    material = repr((sys.version, origin, _stamp(files), _stamp(code))).encode()
    origin_hash = hashlib.sha256(origin.encode()).hexdigest()[:8]
    return origin_hash, hashlib.sha256(material).hexdigest()[:16]


def cached_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """:func:`~skillmatch.taxonomy.load.load_taxonomy`, from the cache when it is fresh."""
    folder = cache_dir()
    if folder is None:
        return load_taxonomy(path)
    try:
        origin, key = _key(path)
    except OSError:
        return load_taxonomy(path)
    file = folder / f"taxonomy-{origin}-{key}.pickle"
    loaded = _read(file)
    if isinstance(loaded, Taxonomy):
        return loaded
    result = load_taxonomy(path)  # raises TaxonomyError for an invalid one: nothing is cached
    # worked out now so that the cache file carries them: every start needs them (the
    # matcher cache is keyed by the fingerprint) and they cost a tenth of a second
    for derived in ("fingerprint", "_ancestors", "_children"):
        getattr(result, derived)
    _write(folder, file, result, stale=f"taxonomy-{origin}-")
    return result


def _read(file: Path) -> Any:
    try:
        with file.open("rb") as stream:
            return pickle.load(stream)  # our own cache file, written by this user
    except Exception:  # missing, damaged, or written by other code: rebuild
        return None


def _write(folder: Path, file: Path, value: Any, *, stale: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=_PROTOCOL)
        os.replace(temp, file)
        for old in folder.glob(f"{stale}*.pickle"):
            if old != file:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temp)

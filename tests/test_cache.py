"""The start-up cache: a pickled taxonomy is used while fresh and rebuilt when a file changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skillmatch.errors import TaxonomyError
from skillmatch.taxonomy.cache import cached_taxonomy
from skillmatch.taxonomy.load import _load_cached

SKILLS = """\
skills:
  - id: python
    name: Python
    category: technical
    aliases: [Python]
"""


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SKILLMATCH_CACHE_DIR", str(folder))
    monkeypatch.delenv("SKILLMATCH_NO_CACHE", raising=False)
    return folder


def test_builtin_taxonomy_is_cached_once(cache_dir: Path) -> None:
    first = cached_taxonomy()
    files = list(cache_dir.glob("taxonomy-*.pickle"))
    assert len(files) == 1
    second = cached_taxonomy()
    assert second is not first  # unpickled, not the in-memory one
    assert second.fingerprint == first.fingerprint
    assert list(cache_dir.glob("taxonomy-*.pickle")) == files


def test_a_changed_file_is_loaded_again(tmp_path: Path, cache_dir: Path) -> None:
    custom = tmp_path / "mine.yaml"
    custom.write_text(SKILLS, encoding="utf-8")
    before = cached_taxonomy(custom)
    assert "python" in before.skills and "golang" not in before.skills
    custom.write_text(
        SKILLS + "  - id: golang\n    name: Go\n    category: technical\n    aliases: [Golang]\n",
        encoding="utf-8",
    )
    _load_cached.cache_clear()  # as in a new process: load_taxonomy keeps its own per-process cache
    after = cached_taxonomy(custom)
    assert "golang" in after.skills
    assert len(list(cache_dir.glob("taxonomy-*.pickle"))) == 1  # the stale one was removed


def test_damaged_cache_is_rebuilt_and_invalid_taxonomy_not_cached(
    tmp_path: Path, cache_dir: Path
) -> None:
    cached_taxonomy()
    (file,) = cache_dir.glob("taxonomy-*.pickle")
    file.write_bytes(b"not a pickle")
    assert cached_taxonomy().skills
    bad = tmp_path / "bad.yaml"
    bad.write_text("skills: [", encoding="utf-8")
    with pytest.raises(TaxonomyError):
        cached_taxonomy(bad)
    assert len(list(cache_dir.glob("taxonomy-*.pickle"))) == 1


def test_cache_can_be_turned_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLMATCH_NO_CACHE", "1")
    assert cached_taxonomy().skills
    assert not cache_dir.exists()
    assert os.environ["SKILLMATCH_NO_CACHE"] == "1"


def test_two_installations_keep_an_entry_each(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two checkouts or virtual environments share the user's cache folder: each keeps its
    own entry rather than evicting the other's on every start (which cost seconds a run)."""
    import shutil

    from skillmatch.taxonomy import cache
    from skillmatch.taxonomy.load import builtin_path

    other = tmp_path / "other-install" / "taxonomy"
    shutil.copytree(builtin_path(), other)
    cached_taxonomy()
    monkeypatch.setattr(cache, "builtin_path", lambda: other)
    cached_taxonomy()
    files = sorted(cache_dir.glob("taxonomy-*.pickle"))
    assert len(files) == 2
    stamps = [file.stat().st_mtime_ns for file in files]
    monkeypatch.undo()
    monkeypatch.setenv("SKILLMATCH_CACHE_DIR", str(cache_dir))
    cached_taxonomy()  # the first installation again: its entry is still there, not rewritten
    assert [
        file.stat().st_mtime_ns for file in sorted(cache_dir.glob("taxonomy-*.pickle"))
    ] == stamps

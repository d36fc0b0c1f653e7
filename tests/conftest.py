"""Shared fixtures: the project's samples, and the development corpus when it is present."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


def corpus_path() -> Path:
    """Where the development corpus lives: ``$SKILLMATCH_CORPUS`` or ``../shared/corpus``."""
    return Path(os.environ.get("SKILLMATCH_CORPUS", REPO.parent / "shared" / "corpus"))


def benchmark_module(name: str) -> Any:
    """The module ``benchmarks/<name>.py`` (its measuring functions are reused by tests)."""
    spec = importlib.util.spec_from_file_location(
        f"{name}_benchmark", REPO / "benchmarks" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def samples() -> Path:
    """The folder of sample CVs and job ads the project ships."""
    return SAMPLES


@pytest.fixture
def corpus() -> Path:
    """The development corpus; tests using it are skipped when it is absent."""
    path = corpus_path()
    if not path.is_dir():
        pytest.skip(f"development corpus not found at {path} (set SKILLMATCH_CORPUS)")
    return path

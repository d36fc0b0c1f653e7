"""skillmatch: match CVs and job descriptions skill by skill, offline.

The entry points (:mod:`skillmatch.api`) take the same options as the command line::

    >>> import skillmatch
    >>> report = skillmatch.compare("samples/cv-ml-engineer.pdf", "samples/job-ml-engineer.txt")
    >>> report.score  # doctest: +SKIP

The data flows through one package per stage: :mod:`~skillmatch.read` (bytes -> Document),
:mod:`~skillmatch.match` (Document + Taxonomy -> skills), :mod:`~skillmatch.score` (skills x job
-> MatchReport), :mod:`~skillmatch.render` (results -> text) and :mod:`~skillmatch.batch`
(folders -> rankings); ``ARCHITECTURE.md`` draws the map.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from skillmatch.errors import SkillmatchError
from skillmatch.limits import Limits
from skillmatch.models import Document, Evidence, MatchReport, SkillMatch, SkillsResult

__version__ = "0.1.0"

__all__ = [
    "BatchResult",
    "BatchRow",
    "Document",
    "Evidence",
    "JobRequirements",
    "Limits",
    "MatchReport",
    "ReadOptions",
    "SkillMatch",
    "SkillmatchError",
    "SkillsResult",
    "Taxonomy",
    "compare",
    "extract_skills",
    "load_taxonomy",
    "rank_files",
    "read_document",
    "read_job",
    "score_profile",
]

if TYPE_CHECKING:
    from skillmatch.api import (
        compare,
        extract_skills,
        rank_files,
        read_document,
        read_job,
        score_profile,
    )
    from skillmatch.batch.rows import BatchResult, BatchRow
    from skillmatch.read.parse import ReadOptions
    from skillmatch.score.requirements import JobRequirements
    from skillmatch.taxonomy.load import load_taxonomy
    from skillmatch.taxonomy.model import Taxonomy

#: Where each lazily imported public name lives.
_LAZY = {
    "compare": "skillmatch.api",
    "extract_skills": "skillmatch.api",
    "rank_files": "skillmatch.api",
    "read_document": "skillmatch.api",
    "read_job": "skillmatch.api",
    "score_profile": "skillmatch.api",
    "BatchResult": "skillmatch.batch.rows",
    "BatchRow": "skillmatch.batch.rows",
    "ReadOptions": "skillmatch.read.parse",
    "JobRequirements": "skillmatch.score.requirements",
    "Taxonomy": "skillmatch.taxonomy.model",
    "load_taxonomy": "skillmatch.taxonomy.load",
}


def __getattr__(name: str) -> Any:
    """Import the entry functions on first use, so ``import skillmatch`` stays light."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'skillmatch' has no attribute {name!r}")

"""skillmatch: match CVs and job descriptions skill by skill, offline.

The stages are modules: :mod:`~skillmatch.read.parse` (file -> Document),
:mod:`~skillmatch.match.matcher`
(Document -> skills with evidence), :mod:`~skillmatch.score.scorer` (skills -> MatchReport),
:mod:`~skillmatch.render.report` (MatchReport -> table/JSON/Markdown) and
:mod:`~skillmatch.batch.run`.

    >>> from skillmatch import compare
    >>> report = compare("samples/cv-ml-engineer.pdf", "samples/job-ml-engineer.txt")
    >>> report.score  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skillmatch.errors import SkillmatchError
from skillmatch.models import Document, Evidence, MatchReport, SkillMatch, SkillsResult

__version__ = "0.1.0"

__all__ = [
    "Document",
    "Evidence",
    "MatchReport",
    "SkillMatch",
    "SkillmatchError",
    "SkillsResult",
    "compare",
    "extract_skills",
    "load_document",
    "load_taxonomy",
    "rank_files",
    "score_profile",
]

if TYPE_CHECKING:
    from skillmatch.batch.run import rank_files
    from skillmatch.match.matcher import extract_skills
    from skillmatch.read.parse import load_document
    from skillmatch.score.scorer import compare, score_profile
    from skillmatch.taxonomy.load import load_taxonomy

_LAZY = {
    "compare": "skillmatch.score.scorer",
    "score_profile": "skillmatch.score.scorer",
    "extract_skills": "skillmatch.match.matcher",
    "load_document": "skillmatch.read.parse",
    "load_taxonomy": "skillmatch.taxonomy.load",
    "rank_files": "skillmatch.batch.run",
}


def __getattr__(name: str) -> Any:
    """Import the entry functions on first use, so ``import skillmatch`` stays light."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'skillmatch' has no attribute {name!r}")

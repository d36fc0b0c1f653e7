"""Degrees: the levels, the degree a job ad asks for, and the highest degree a CV shows.

* **A job ad's degree** ("BSc in Computer Science or related field", "Master's preferred",
  "BS/MS degree", "or equivalent practical experience"): the lowest level required, the fields,
  whether related fields or equivalent experience count, and a preferred higher level.
* **A CV's degree**: the highest level it shows (education-category skills ``degree:bachelor``
  < ``degree:master`` < ``degree:phd``) that reads as a degree, and the fields named near it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from skillmatch.models import Document, Evidence, SkillsResult
from skillmatch.score.blocks import phrase_pattern, reading_data
from skillmatch.score.clauses import Clause, decide, strip_parens

#: Degree levels, lowest first.
DEGREE_LEVELS = ("degree:bachelor", "degree:master", "degree:phd")
#: How a level reads in a check.
LEVEL_NAMES = {"degree:bachelor": "bachelor's", "degree:master": "master's", "degree:phd": "PhD"}

_DATA = reading_data()["degrees"]
_DEGREE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (level, phrase_pattern(words)) for level, words in _DATA["levels"].items()
)
_ABBREVIATIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (level, re.compile(phrase_pattern(words).pattern))  # as written: case-sensitive
    for level, words in _DATA["abbreviations"].items()
)
_VERB_AFTER = re.compile(
    r"(?:" + phrase_pattern(_DATA["verb_after"]).pattern + r")\s+$", re.IGNORECASE
)
_RELATED_FIELD = phrase_pattern(_DATA["related_field"])
_EQUIVALENT_EXPERIENCE = phrase_pattern(_DATA["equivalent_experience"])
#: "or equivalent (experience)": after a degree or a skill, experience may stand in for it.
EQUIVALENT_CUE = _EQUIVALENT_EXPERIENCE
_DEGREE_CONTEXT = phrase_pattern(_DATA["context"])


def reaches(level: str, asked: str) -> bool:
    """True when the degree ``level`` is ``asked`` or higher."""
    return DEGREE_LEVELS.index(level) >= DEGREE_LEVELS.index(asked)


@dataclass(frozen=True)
class DegreeRequirement:
    """A stated degree: the lowest ``level`` asked (``degree:bachelor``...), the ``fields``
    (``field:...`` ids), whether related fields or equivalent experience count, and a
    preferred higher level ("Master's preferred")."""

    level: str | None = None
    fields: tuple[str, ...] = ()
    related_fields: bool = False
    equivalent_experience: bool = False
    preferred_level: str | None = None
    required: bool = True
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "level": self.level,
            "fields": list(self.fields),
            "related_fields": self.related_fields,
            "equivalent_experience": self.equivalent_experience,
            "preferred_level": self.preferred_level,
            "required": self.required,
            "text": self.text,
        }


def read_degree(clauses: list[Clause], job: SkillsResult) -> DegreeRequirement | None:
    """The degree a job ad asks for (rules in the module doc), or ``None``."""
    fields_at = [
        (e.start, s.id) for s in job.skills if s.id.startswith("field:") for e in s.evidence
    ]
    level: str | None = None
    preferred_level: str | None = None
    fields: list[str] = []
    related = equivalent = False
    required = False
    texts: list[str] = []
    for clause in clauses:
        if clause.text.startswith("(") and clause.text.endswith(")"):
            outer = clause.text
        else:
            outer = strip_parens(clause.text)
        levels = _levels(outer)
        if not levels:
            continue
        if levels == ["degree:bachelor"] and _bare_degree(outer):
            continue
        texts.append(clause.text.strip(" -•*;"))
        lowest = min(levels, key=DEGREE_LEVELS.index)
        clause_required, _ = decide(clause)
        if clause_required:
            required = True
            if level is None or DEGREE_LEVELS.index(lowest) < DEGREE_LEVELS.index(level):
                level = lowest
        else:
            highest = max(levels, key=DEGREE_LEVELS.index)
            if preferred_level is None or DEGREE_LEVELS.index(highest) > DEGREE_LEVELS.index(
                preferred_level
            ):
                preferred_level = highest
        fields.extend(
            f for start, f in fields_at if clause.start <= start < clause.end and f not in fields
        )
        related = related or bool(_RELATED_FIELD.search(clause.text))
        equivalent = equivalent or bool(_EQUIVALENT_EXPERIENCE.search(clause.text))
    if level is None and preferred_level is None:
        return None
    if (
        level is not None
        and preferred_level is not None
        and DEGREE_LEVELS.index(preferred_level) <= DEGREE_LEVELS.index(level)
    ):
        preferred_level = None
    return DegreeRequirement(
        level=level,
        fields=tuple(fields),
        related_fields=related,
        equivalent_experience=equivalent,
        preferred_level=preferred_level,
        required=required,
        text="; ".join(dict.fromkeys(texts)),
    )


def _bare_degree(text: str) -> bool:
    """True when the only degree word is "degree" used in another sense ("to a high degree")."""
    only_word = re.search(r"\bdegree\b", text, re.IGNORECASE) is not None
    other = re.sub(r"\bdegree\b", "", text, flags=re.IGNORECASE)
    return only_word and not _levels(other) and not _DEGREE_CONTEXT.search(text)


def _levels(text: str) -> list[str]:
    """The degree levels ``text`` names (words of ``degrees.levels`` in data/job_reading.yaml,
    abbreviations as written); a level word used as a verb ("you master English") is none."""
    found = []
    by_level: dict[str, list[re.Pattern[str]]] = {}
    for level, pattern in (*_DEGREE_WORDS, *_ABBREVIATIONS):
        by_level.setdefault(level, []).append(pattern)
    for level in DEGREE_LEVELS[::-1]:
        for pattern in by_level.get(level, ()):
            match = next(
                (m for m in pattern.finditer(text) if not _VERB_AFTER.search(text[: m.start()])),
                None,
            )
            if match is None:
                continue
            if (
                level == "degree:master"
                and re.fullmatch(r"M\.?S\.?", match.group(0))
                and not re.search(r"degree|/|\bor\b|in\s+[A-Z]", text)
            ):
                continue
            found.append(level)
            break
    return found


def cv_degree(
    skills: SkillsResult, document: Document | None
) -> tuple[str | None, tuple[str, ...], str]:
    """``(highest level, fields near it, its text)`` of a CV; ``(None, (), "")`` without one."""
    degrees = [
        s
        for s in skills.skills
        if s.id in DEGREE_LEVELS and any(_credible(e, document) for e in s.evidence)
    ]
    if not degrees:
        return None, (), ""
    best = max(degrees, key=lambda s: DEGREE_LEVELS.index(s.id))
    fields = [s for s in skills.skills if s.id.startswith("field:")]
    near: list[str] = []
    for evidence in best.evidence:
        for f in fields:
            if any(0 <= e.start - evidence.start <= 80 for e in f.evidence) and f.id not in near:
                near.append(f.id)
    if not near:
        near = [f.id for f in fields]
    return best.id, tuple(near), best.evidence[0].text


def _credible(evidence: Evidence, document: Document | None) -> bool:
    """A degree mention to believe: a sure match, or one whose line also names a field, a
    year or an institution ("Personal Licence Holder" is not a degree)."""
    if evidence.confidence >= 0.9 or document is None:
        return True
    text = document.text
    start = text.rfind("\n", 0, evidence.start) + 1
    end = text.find("\n", evidence.end)
    line = text[start : end if end >= 0 else len(text)]
    return bool(
        re.search(r"(?:19|20)\d\d|universit|college|institut|school|academy|\bin\s+[A-Z]", line)
    )

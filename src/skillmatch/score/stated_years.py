"""Read the experience a job ad states: "3+ years of Python", "5 years' experience in ML",
"at least two years of experience".

Stated years are tied to the skill (or or-joined skills) named right after them, else they are
an overall requirement; a clause's cues decide whether they are required.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from skillmatch.score.clauses import OR_LINK, Clause, decide

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15,
}  # fmt: skip
YEARS = re.compile(
    r"(?P<n>\d{1,2}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + r")\s*(?:\+|plus)?\s*"
    r"(?:(?:-|–|to)\s*\d{1,2}\s*\+?\s*)?(?:years?|yrs?)\b['’]?",
    re.IGNORECASE,
)
_YEARS_CONTEXT = re.compile(
    r"^\s*(?:of\s+)?(?:[\w'’-]+\s+){0,3}?(?:experience|exp\b|of\b|in\b|with\b|using\b|working|as\b|hands-on|professional|commercial|industry|relevant)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class YearsRequirement:
    """Stated experience: ``years`` overall (``skill_ids`` empty) or with these skills."""

    years: float
    skill_ids: tuple[str, ...] = ()
    required: bool = True
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "years": self.years,
            "skills": list(self.skill_ids),
            "required": self.required,
            "text": self.text,
        }


def _number(raw: str) -> float:
    return float(_NUMBER_WORDS.get(raw.lower(), 0) or raw)


def read_years(clauses: list[Clause], text: str) -> Iterator[YearsRequirement]:
    """Every stated experience in the clauses, tied to the skills named right after it."""
    seen: set[int] = set()
    for clause in clauses:
        outer = clause.text
        for match in YEARS.finditer(outer):
            absolute = clause.start + match.start()
            if absolute in seen:
                continue
            after = text[clause.start + match.end() : clause.end]
            before = text[
                max(clause.start, clause.start + match.start() - 12) : clause.start + match.start()
            ]
            if not (
                _YEARS_CONTEXT.match(after)
                or re.search(r"(?:at least|minimum of|over|min\.?)\s*$", before, re.IGNORECASE)
            ):
                continue
            seen.add(absolute)
            years = _number(match.group("n"))
            if not 0 < years <= 40:
                continue
            required, _ = decide(clause)
            end = clause.start + match.end()
            ids = _skills_after(clause, end, text)
            yield YearsRequirement(years, ids, required, match.group(0) + after[:60].rstrip())


def _skills_after(clause: Clause, end: int, text: str) -> tuple[str, ...]:
    """The skill (or or-joined skills) named within a few words after stated years."""
    after = [m for m in clause.mentions if m[0].start >= end]
    if not after:
        return ()
    first = after[0]
    gap = text[end : first[0].start]
    if len(gap) > 45 or re.search(
        r"\b(?:role|position|team|environment|company)\b", gap, re.IGNORECASE
    ):
        return ()
    ids = [first[1]]
    previous = first[0]
    for evidence, skill_id in after[1:]:
        link = text[previous.end : evidence.start]
        if not OR_LINK.match(link):
            break
        ids.append(skill_id)
        previous = evidence
    return tuple(dict.fromkeys(ids))


def merge_overall(years: Sequence[YearsRequirement]) -> tuple[YearsRequirement, ...]:
    """One overall requirement (the largest required, else the largest stated) plus the
    per-skill ones (largest per skill set)."""
    overall = [y for y in years if not y.skill_ids]
    per_skill: dict[tuple[str, ...], YearsRequirement] = {}
    for y in years:
        if y.skill_ids and (y.skill_ids not in per_skill or y.years > per_skill[y.skill_ids].years):
            per_skill[y.skill_ids] = y
    merged: list[YearsRequirement] = []
    if overall:
        required = [y for y in overall if y.required]
        merged.append(max(required or overall, key=lambda y: y.years))
    return (*merged, *per_skill.values())

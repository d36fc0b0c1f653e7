"""Read a CV for what the scorer weighs beyond skill names: where each skill is shown, years of
experience (overall and per skill) from dated roles, and the highest degree and its field.

* **Evidence strength** of a skill: ``applied`` when any evidence sits in experience, projects,
  publications or volunteering (the CV shows it used), ``studied`` when the best evidence is in
  education or certifications, ``listed`` when it is only named (skills list, summary,
  header), ``implied`` when only behaviour in such places shows it (soft skills).
* **Years**: every line of the experience section with a date range ("2019 - present",
  "Jan 2018 - Mar 2021", "03/2018 - 06/2020", "2016 to 2020") opens a role that runs to the
  next such line. Overall years are the union of the roles' intervals (overlaps count once);
  a skill's years are the union of the intervals of the roles whose text shows it. A year
  without a month is read as its middle (July), so "2018 - 2020" is two years; "present" is
  the ``as_of`` date (default: today, or ``SKILLMATCH_TODAY=YYYY-MM-DD``). When no role is
  dated, a stated "6+ years of experience" is used instead.
* **Degree**: the highest degree level the CV shows and the fields named near it (read by
  :func:`skillmatch.score.degrees.cv_degree`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from skillmatch.models import Document, Evidence, SkillMatch, SkillsResult, Strength
from skillmatch.score.degrees import cv_degree
from skillmatch.score.memo import by_identity

#: Sections where a skill counts as used, not just named.
APPLIED_SECTIONS = frozenset({"experience", "projects", "publications", "volunteering"})
#: Sections where a skill counts as studied.
STUDIED_SECTIONS = frozenset({"education", "certifications"})
#: Strength names, strongest first.
STRENGTHS = ("applied", "studied", "listed", "implied")

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        1,
    )
    for m in names
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_POINT = (
    rf"(?:{_MONTH}\s*,?\s*(?:19|20)\d\d|(?:0?[1-9]|1[0-2])\s*[/.]\s*(?:19|20)\d\d|(?:19|20)\d\d)"
)
_NOW = r"(?:present|current|now|today|ongoing|date|till date|to date)"
DATE_RANGE = re.compile(
    rf"(?P<start>{_POINT})\s*(?:-|–|—|to|until|till)\s*(?P<end>{_POINT}|{_NOW})\b",
    re.IGNORECASE,
)
_STATED_YEARS = re.compile(
    r"(?P<n>\d\d?)\s*\+?\s*(?:years?|yrs?)['’]?\s+(?:of\s+)?(?:[\w-]+\s+){0,3}?experience",
    re.IGNORECASE,
)
#: Where :data:`DATE_RANGE` can be: a year (quick to find, unlike a pattern that ignores case).
_YEAR = re.compile(r"(?:19|20)\d\d")
#: The most characters of a date point before its year's separators: "september".
_MONTH_CHARS = 9


@dataclass(frozen=True)
class Role:
    """A dated block of the experience section: its heading line and its interval in months."""

    title: str
    start: int
    end: int
    months: tuple[int, int]
    heading_end: int = 0

    @property
    def years(self) -> float:
        """The role's length in years."""
        return (self.months[1] - self.months[0]) / 12

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"title": self.title, "years": round(self.years, 1)}


@dataclass(frozen=True)
class CvFacts:
    """What a CV shows beyond skill names (see the module doc)."""

    roles: tuple[Role, ...] = ()
    years: float | None = None
    stated_years: float | None = None
    skill_years: dict[str, float] = field(default_factory=dict)
    skill_roles: dict[str, tuple[int, ...]] = field(default_factory=dict)
    strength: dict[str, Strength] = field(default_factory=dict)
    degree: str | None = None
    degree_fields: tuple[str, ...] = ()
    degree_text: str = ""
    experience_kinds: tuple[str, ...] = ()
    role_titles: dict[str, tuple[int, ...]] = field(default_factory=dict)
    headline_roles: tuple[str, ...] = ()

    @property
    def total_years(self) -> float | None:
        """Dated years when any role is dated, else the years the CV states, else ``None``."""
        return self.years if self.years is not None else self.stated_years

    def years_with(self, skill_ids: Iterable[str]) -> float | None:
        """Years of the roles that show any of ``skill_ids`` (overlaps once), or ``None``."""
        return self._years_of(self.skill_roles, skill_ids)

    def years_as(self, role_ids: Iterable[str]) -> float | None:
        """Years of the dated roles whose title names any of ``role_ids``, or ``None``."""
        return self._years_of(self.role_titles, role_ids)

    def _years_of(self, index: dict[str, tuple[int, ...]], ids: Iterable[str]) -> float | None:
        held = {i for key in ids for i in index.get(key, ())}
        if not held:
            return None
        return union_years([self.roles[i].months for i in sorted(held)])

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "years": None if self.total_years is None else round(self.total_years, 1),
            "years_from": "dates"
            if self.years is not None
            else ("stated" if self.stated_years is not None else None),
            "roles": [r.to_dict() for r in self.roles],
            "skill_years": {k: round(v, 1) for k, v in sorted(self.skill_years.items())},
            "degree": self.degree,
            "degree_fields": list(self.degree_fields),
            "experience_kinds": list(self.experience_kinds),
            "titles": {
                k: [self.roles[i].title for i in v] for k, v in sorted(self.role_titles.items())
            },
            "headline": list(self.headline_roles),
        }


def today() -> dt.date:
    """The date "present" means: ``SKILLMATCH_TODAY`` (``YYYY-MM-DD``) if set, else today."""
    fixed = os.environ.get("SKILLMATCH_TODAY")
    if fixed:
        return dt.date.fromisoformat(fixed)
    return dt.date.today()


def read_cv(
    document: Document | None, skills: SkillsResult, *, as_of: dt.date | None = None
) -> CvFacts:
    """The facts of one CV. Without its ``document`` only strengths, degree and kinds are known."""
    return _read_cv(document, skills, None if document is None else as_of or today())


@by_identity(maxsize=4)  # the same for every job
def _read_cv(document: Document | None, skills: SkillsResult, now: dt.date | None) -> CvFacts:
    shown = cv_skills(skills).strengths
    strength = {s.id: where for s, where in zip(skills.skills, shown, strict=True)}
    degree, fields, degree_text = cv_degree(skills, document)
    kinds = tuple(s.id for s in skills.skills if s.category == "experience")
    if document is not None and any(
        s.name == "projects" and s.end - s.start > len(s.heading) + 20 for s in document.sections
    ):
        kinds = tuple(dict.fromkeys((*kinds, "exp:projects")))
    if document is None or now is None:
        return CvFacts(
            strength=strength,
            degree=degree,
            degree_fields=fields,
            degree_text=degree_text,
            experience_kinds=kinds,
        )
    roles = tuple(find_roles(document, now))
    years = union_years([r.months for r in roles]) if roles else None
    skill_years, skill_roles, role_titles = _role_skills(roles, skills, document.text)
    headline = tuple(
        s.id
        for s in skills.skills
        if s.category == "role"
        and any(e.section is None and e.start < HEADLINE_CHARS for e in s.evidence)
    )
    stated = [
        float(m.group("n")) for m in _stated_years(document.text) if 0 < int(m.group("n")) <= 50
    ]
    return CvFacts(
        roles=roles,
        years=years,
        stated_years=max(stated) if stated else None,
        skill_years=skill_years,
        skill_roles=skill_roles,
        role_titles=role_titles,
        headline_roles=headline,
        strength=strength,
        degree=degree,
        degree_fields=fields,
        degree_text=degree_text,
        experience_kinds=kinds,
    )


def _role_skills(
    roles: Sequence[Role], skills: SkillsResult, text: str
) -> tuple[dict[str, float], dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """The years with each skill and the roles that show it, and the roles whose heading
    names each job title (``role`` skills)."""
    skill_years: dict[str, float] = {}
    skill_roles: dict[str, tuple[int, ...]] = {}
    role_titles: dict[str, tuple[int, ...]] = {}
    if not roles:
        return skill_years, skill_roles, role_titles
    holding = _roles_holding(roles)
    for skill in skills.skills:
        held = holding(skill.evidence)
        if held:
            skill_roles[skill.id] = held
            skill_years[skill.id] = union_years([roles[i].months for i in held])
    for skill in skills.skills:
        if skill.category != "role":
            continue
        held = tuple(
            i
            for i, r in enumerate(roles)
            if any(r.start <= e.start < _heading_end(text, r) for e in skill.evidence)
        )
        if held:
            role_titles[skill.id] = held
    return skill_years, skill_roles, role_titles


def _roles_holding(roles: Sequence[Role]) -> Callable[[Sequence[Evidence]], tuple[int, ...]]:
    """A function giving the roles (their indexes, in order) that hold any of some evidence:
    found by bisection where the roles follow one another without overlapping, as the roles
    of :func:`find_roles` do."""
    starts = [r.start for r in roles]
    if any(r.start > r.end for r in roles) or any(
        a.end > b.start for a, b in itertools.pairwise(roles)
    ):
        return lambda evidence: tuple(
            i for i, r in enumerate(roles) if any(r.start <= e.start < r.end for e in evidence)
        )

    def holding(evidence: Sequence[Evidence]) -> tuple[int, ...]:
        held = set()
        for e in evidence:
            i = bisect.bisect_right(starts, e.start) - 1
            if i >= 0 and e.start < roles[i].end:
                held.add(i)
        return tuple(sorted(held))

    return holding


@dataclass(frozen=True)
class CvSkills:
    """A CV's skills as scoring asks of them, worked out once per CV: where the CV shows each
    (``strengths``, in the order of ``SkillsResult.skills``), and the first match of each id
    with its strength (``by_id``)."""

    strengths: tuple[Strength, ...]
    by_id: dict[str, tuple[SkillMatch, Strength]]


@by_identity(maxsize=4)  # a batch scores each CV against every job
def cv_skills(skills: SkillsResult) -> CvSkills:
    """The :class:`CvSkills` of a CV's ``skills``."""
    strengths = tuple(map(evidence_strength, skills.skills))
    by_id: dict[str, tuple[SkillMatch, Strength]] = {}
    for skill, strength in zip(skills.skills, strengths, strict=True):
        by_id.setdefault(skill.id, (skill, strength))
    return CvSkills(strengths, by_id)


def section_strength(section: str | None) -> Strength:
    """What a mention in ``section`` shows: ``applied``, ``studied`` or ``listed``."""
    if section in APPLIED_SECTIONS:
        return "applied"
    if section in STUDIED_SECTIONS:
        return "studied"
    return "listed"


def evidence_strength(skill: SkillMatch) -> Strength:
    """``applied``, ``studied``, ``listed`` or ``implied`` (see the module doc)."""
    sections = {e.section for e in skill.evidence}
    if not sections.isdisjoint(APPLIED_SECTIONS):
        return "applied"
    if not sections.isdisjoint(STUDIED_SECTIONS):
        return "studied"
    return "listed" if skill.strength == "explicit" else "implied"


#: How far into a CV its headline (name and title) reaches.
HEADLINE_CHARS = 300


def _heading_end(text: str, role: Role) -> int:
    """The end of a role's heading: its date line, and the next line when the title sits there;
    with the line before the dates when that is where the title is ("Title\nJan 2020 - ...")."""
    return max(role.heading_end, text.find("\n", role.start) if role.start < role.end else 0)


def find_roles(document: Document, as_of: dt.date) -> Iterator[Role]:
    """The dated roles of the experience section(s), in order. A range may wrap onto the next
    line ("June 2022 -" / "Present"); a role runs from its date's line to the next one."""
    now = as_of.year * 12 + as_of.month - 1
    text = document.text
    for section in document.sections:
        if section.name != "experience":
            continue
        starts: list[tuple[int, str, tuple[int, int], int]] = []
        for match in _date_ranges(text, section.start, section.end):
            first = _month(match.group("start"), now)
            last = _month(match.group("end"), now)
            if first is None or last is None or not first <= last <= now + 1:
                continue
            line_start = text.rfind("\n", 0, match.start()) + 1
            if starts and line_start <= starts[-1][0]:
                continue
            line_end = text.find("\n", match.end())
            line_end = section.end if line_end < 0 else min(line_end, section.end)
            title = (text[line_start : match.start()] + " " + text[match.end() : line_end]).strip(
                " |,-–—\t"
            )
            heading_end = line_end
            if not title:  # the title is on the next line
                following = text[line_end : section.end].lstrip()
                title = following.split("\n", 1)[0].strip()
                next_end = text.find("\n", section.end - len(following) + len(title))
                heading_end = section.end if next_end < 0 else min(next_end, section.end)
            starts.append((line_start, " ".join(title.split()), (first, last), heading_end))
        for i, (start, title, months, heading_end) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else section.end
            heading_end = min(max(heading_end, start), end)
            yield Role(title=title, start=start, end=end, months=months, heading_end=heading_end)


def _date_ranges(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``DATE_RANGE.finditer(text, start, end)``, searched from just before each year: a date
    range starts with a year, or a month of at most :data:`_MONTH_CHARS` characters and
    separators before its year, so none starts earlier."""
    pos = start
    while (year := _YEAR.search(text, pos, end)) is not None:
        lo = _skip_back(text, year.start(), pos, ",./")
        match = DATE_RANGE.search(text, max(pos, lo - _MONTH_CHARS), end)
        if match is None:
            return
        yield match
        pos = match.end()


def _stated_years(text: str) -> Iterator[re.Match[str]]:
    """``_STATED_YEARS.finditer(text)``, tried only where a "year" or "yr" follows one or two
    digits (and spaces or a plus): the start of every such statement. The words are found in
    the lower-case text (only "y", "Y"... lower to these letters, and where no character lowers
    to two, a place in it is the same place in the text)."""
    lower = text.lower()
    if len(lower) != len(text):
        yield from _STATED_YEARS.finditer(text)
        return
    pos = 0
    for word in _years_words(lower):
        if word < pos:
            continue
        lo = _skip_back(text, word, pos, "+")
        match = None
        for first in (lo - 2, lo - 1):  # its one or two digits
            if first >= pos and (match := _STATED_YEARS.match(text, first)):
                break
        if match is None:
            pos = word + 1
        else:
            yield match
            pos = match.end()


def _years_words(lower: str) -> list[int]:
    """Where "year" or "yr" is in ``lower``, in order."""
    found = []
    for word in ("year", "yr"):
        at = lower.find(word)
        while at >= 0:
            found.append(at)
            at = lower.find(word, at + 1)
    return sorted(found)


def _skip_back(text: str, at: int, floor: int, marks: str) -> int:
    """Where the run of white space and ``marks`` that ends at ``at`` starts (not before
    ``floor``)."""
    while at > floor and (text[at - 1].isspace() or text[at - 1] in marks):
        at -= 1
    return at


def _month(raw: str, now: int) -> int | None:
    """Months since year 0 for a date point; a bare year is its July; "present" is ``now``."""
    raw = raw.strip().lower().rstrip(".")
    if re.fullmatch(_NOW, raw, re.IGNORECASE):
        return now
    year_match = re.search(r"(19|20)\d\d", raw)
    if not year_match:
        return None
    year = int(year_match.group())
    numeric = re.match(r"(\d{1,2})\s*[/.]", raw)
    if numeric:
        return year * 12 + int(numeric.group(1)) - 1
    word = re.match(r"[a-z]+", raw)
    if word and word.group() in _MONTHS:
        return year * 12 + _MONTHS[word.group()] - 1
    return year * 12 + 6


def union_years(spans: Sequence[tuple[int, int]]) -> float:
    """The length in years of the union of month intervals (a same-month range is one month)."""
    total = 0
    current: tuple[int, int] | None = None
    for start, end in sorted((s, max(e, s + 1)) for s, e in spans):
        if current is None or start > current[1]:
            if current is not None:
                total += current[1] - current[0]
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    if current is not None:
        total += current[1] - current[0]
    return total / 12

"""The taxonomy's model: skills, aliases, profiles, context word lists and the :class:`Taxonomy`.

Plain frozen values, built by :mod:`skillmatch.taxonomy.load` from the YAML files and read by the
matcher and the scorer.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from skillmatch.errors import TaxonomyError

#: Categories a skill may have. The first three are the guide's; the others have their own uses.
CATEGORIES = ("technical", "mathematical", "soft", "education", "experience", "role", "domain")
#: Categories that are scored as skill coverage.
SKILL_CATEGORIES = ("technical", "mathematical", "soft")
#: Gates the matcher implements (see ``taxonomy/README.md``).
GATES = (
    "tech-list",
    "skills-section",
    "programming-cue",
    "ml-cue",
    "math-cue",
    "education-section",
    "hyphen-attached",
    "after-number",
    "verb-use",
    "organisation-name",
    "anywhere",
    "office-list",
    "office-only-list",
    "season",
    "other-person",
)
#: What each gate (and a plain alias) means: ``--explain`` and the ``not_counted`` reasons.
GATE_REASONS = {
    "alias": "named by an alias",
    "anywhere": "named",
    "tech-list": "listed with other technologies",
    "skills-section": "in a skills section",
    "programming-cue": "next to a programming word",
    "ml-cue": "next to a machine-learning word",
    "math-cue": "next to a mathematics word",
    "education-section": "in an education context",
    "hyphen-attached": "glued to a word by a hyphen",
    "after-number": "after a number",
    "verb-use": "used as a verb",
    "organisation-name": "part of an organisation, award or event name",
    "office-list": "in a list of office software",
    "office-only-list": "listed only with office software",
    "season": "next to a season or a collection",
    "other-person": "someone else's title",
}
ID_RE = re.compile(r"^([a-z]+:)?[a-z0-9]+(-[a-z0-9]+)*$")
_LINE = "__line__"


@dataclass(frozen=True)
class Alias:
    """One surface form of a skill."""

    text: str
    case_sensitive: bool = False
    ambiguous: bool = False
    kind: str | None = None


@dataclass(frozen=True)
class Skill:
    """One entry of the taxonomy: a skill, a group of skills, a degree, a role or a domain."""

    id: str
    name: str
    category: str
    group: str | None = None
    kind: str = "skill"
    parents: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    aliases: tuple[Alias, ...] = ()
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    require: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    evidence_phrases: tuple[str, ...] = ()
    not_aliases: tuple[str, ...] = ()
    fuzzy: bool = False
    description: str = ""
    external: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    origin: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by ``taxonomy list`` and ``taxonomy show``."""
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "group": self.group,
            "kind": self.kind,
            "parents": list(self.parents),
            "implies": list(self.implies),
            "related": list(self.related),
            "aliases": [a.text for a in self.aliases],
            "ambiguous_aliases": [a.text for a in self.aliases if a.ambiguous],
            "require": list(self.require),
            "reject": list(self.reject),
            "evidence_phrases": list(self.evidence_phrases),
            "not_aliases": list(self.not_aliases),
            "description": self.description,
            "external": self.external,
        }


@dataclass(frozen=True)
class Requirement:
    """One line of a profile: a skill, or an any-of group where one member is enough."""

    ids: tuple[str, ...]
    required: bool = True
    label: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class Profile:
    """A built-in set of requirements, such as the career guide's ML-engineer table."""

    id: str
    name: str
    source: str
    requirements: tuple[Requirement, ...]
    category_weights: dict[str, float] = field(default_factory=dict, hash=False)
    advice: dict[str, str] = field(default_factory=dict, hash=False)
    education: dict[str, Any] = field(default_factory=dict, hash=False)
    experience: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contexts:
    """The word lists behind the matcher's gates, negation and aspiration checks."""

    cues: dict[str, frozenset[str]]
    negation: frozenset[str]
    aspiration: tuple[str, ...]
    clause_breaks: frozenset[str]
    stop_phrases: tuple[str, ...]
    #: non-claim contexts (``contexts.yaml`` ``non_claim``): list name -> lower-cased words
    non_claim: dict[str, frozenset[str]] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Taxonomy:
    """Skills by id, profiles by id and the matcher's context word lists."""

    skills: dict[str, Skill]
    profiles: dict[str, Profile]
    contexts: Contexts
    version: str
    origin: str
    core: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Taxonomy) and other.fingerprint == self.fingerprint

    @functools.cached_property
    def fingerprint(self) -> str:
        """A short hash of the whole content (skills with their aliases, patterns and gates,
        profiles, context word lists, core ids, version): an edit anywhere changes it, so the
        matcher cache and ``batch --resume`` never reuse results of another taxonomy."""
        content = (self.version, self.skills, self.profiles, self.contexts, self.core)
        return hashlib.sha256(repr(_canonical(content)).encode()).hexdigest()[:16]

    def get(self, skill_id: str) -> Skill:
        """The skill with this id; ``KeyError`` if there is none."""
        return self.skills[skill_id]

    def ancestors(self, skill_id: str) -> list[str]:
        """Every is-a ancestor of ``skill_id``, nearest first, each once."""
        return list(self._ancestors[skill_id])

    def children(self, skill_id: str) -> list[str]:
        """The ids whose parents include ``skill_id``."""
        return list(self._children.get(skill_id, ()))

    @functools.cached_property
    def _ancestors(self) -> dict[str, tuple[str, ...]]:
        """Ancestors of every skill, computed once (scoring asks for them per requirement)."""
        table: dict[str, tuple[str, ...]] = {}
        for skill_id, skill in self.skills.items():
            seen: list[str] = []
            frontier = list(skill.parents)
            while frontier:
                parent = frontier.pop(0)
                if parent not in seen:
                    seen.append(parent)
                    frontier.extend(self.skills[parent].parents)
            table[skill_id] = tuple(seen)
        return table

    @functools.cached_property
    def _children(self) -> dict[str, tuple[str, ...]]:
        """Direct children of every skill, computed once."""
        table: dict[str, list[str]] = {}
        for skill in self.skills.values():
            for parent in skill.parents:
                table.setdefault(parent, []).append(skill.id)
        return {parent: tuple(ids) for parent, ids in table.items()}

    def profile(self, profile_id: str) -> Profile:
        """The profile with this id, or a :class:`TaxonomyError` naming the ones there are."""
        try:
            return self.profiles[profile_id]
        except KeyError:
            known = ", ".join(sorted(self.profiles)) or "none"
            raise TaxonomyError(f"unknown profile {profile_id!r} (known: {known})") from None


def _canonical(value: Any) -> Any:
    """``value`` in a form whose ``repr`` does not depend on set order or hash seeds."""
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_canonical(getattr(value, f.name)) for f in fields(value)))
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _canonical(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(_canonical(v)) for v in value))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    return value


def namespace(category: str) -> str:
    """The alias namespace of a category: education, roles and domains are matched apart."""
    return category if category in {"education", "role", "domain"} else "skills"


def normalise_alias(text: str) -> str:
    """The form under which aliases collide: lowercase with single spaces."""
    return " ".join(text.lower().split())

"""Load and validate skill taxonomies (YAML data in ``taxonomy/``) into a :class:`Taxonomy`.

The built-in taxonomy ships inside the package (``skillmatch/taxonomy`` in a wheel, the
repository's top-level ``taxonomy/`` folder in a checkout). Another taxonomy can replace it
(a folder laid out the same way, or one YAML file with ``skills:``), or extend it (a YAML file
with ``extends: builtin``). Every problem found is reported with its file and line.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

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
        """A short hash of the content: results computed with another taxonomy differ."""
        digest = hashlib.sha256(self.version.encode())
        for skill in sorted(self.skills.values(), key=lambda s: s.id):
            digest.update(repr((skill.id, skill.parents, skill.implies, skill.aliases)).encode())
        return digest.hexdigest()[:16]

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


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping under ``__line__``."""


def _construct_mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_with_line
)


def builtin_path() -> Path:
    """The folder of the built-in taxonomy (inside the wheel, or the checkout's ``taxonomy/``)."""
    checkout = Path(__file__).resolve().parents[3] / "taxonomy"
    if (checkout / "skills").is_dir():
        return checkout  # a source checkout or an editable install: edits apply at once
    return Path(str(resources.files("skillmatch"))) / "data" / "taxonomy"


@functools.lru_cache(maxsize=8)
def _load_cached(path: str | None) -> Taxonomy:
    if path is None:
        return _load_folder(builtin_path())
    target = Path(path)
    if not target.exists():
        raise TaxonomyError(f"taxonomy not found: {path}")
    if target.is_dir():
        return _load_folder(target)
    data = _read_yaml(target)
    if isinstance(data, dict) and data.get("extends") == "builtin":
        return _extend(_load_cached(None), target, data)
    if isinstance(data, dict) and "extends" in data:
        line = data.get(_LINE, 1)
        message = f"{target}:{line}: 'extends' can only be 'builtin', not {data['extends']!r}"
        raise TaxonomyError(message, [message])
    return _build([(target, data)], contexts=None, profiles=[], origin=str(target))


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """Load the built-in taxonomy, or the one at ``path`` (a folder or a YAML file).

    A YAML file with ``extends: builtin`` adds skills and aliases to the built-in taxonomy.
    Loading is cached: the same path gives the same :class:`Taxonomy` object.
    Raises :class:`TaxonomyError` listing every problem (``file:line: message``).
    """
    return _load_cached(None if path is None else str(Path(path).resolve()))


def validate_file(path: str | os.PathLike[str]) -> list[str]:
    """Every problem in the taxonomy at ``path`` as ``file:line: message`` lines (empty: valid)."""
    try:
        _load_cached.__wrapped__(str(Path(path).resolve()))
    except TaxonomyError as error:
        return error.problems or [str(error)]
    return []


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.load(stream, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        message = f"{path}{line}: invalid YAML: {problem}"
        raise TaxonomyError(message, [message]) from None
    except UnicodeDecodeError:
        message = f"{path}:1: not a UTF-8 text file (a taxonomy is YAML)"
        raise TaxonomyError(message, [message]) from None
    except OSError as error:
        raise TaxonomyError(f"cannot read taxonomy file {path}: {error.strerror}") from None


def _load_folder(folder: Path) -> Taxonomy:
    skill_files = sorted((folder / "skills").glob("*.yaml")) or sorted(
        p for p in folder.glob("*.yaml") if p.name not in {"contexts.yaml", "meta.yaml"}
    )
    docs = [(path, _read_yaml(path)) for path in skill_files]
    contexts_file = folder / "contexts.yaml"
    contexts = _read_yaml(contexts_file) if contexts_file.exists() else None
    profile_docs = [(p, _read_yaml(p)) for p in sorted((folder / "profiles").glob("*.yaml"))]
    meta_file = folder / "meta.yaml"
    meta = _read_yaml(meta_file) if meta_file.exists() else {}
    version = str((meta or {}).get("taxonomy_version", "unversioned"))
    core = (meta_file, (meta or {}).get("core") or {})
    return _build(
        docs,
        contexts=contexts,
        profiles=profile_docs,
        origin=str(folder),
        version=version,
        core=core,
    )


def _build(
    docs: list[tuple[Path, Any]],
    *,
    contexts: Any,
    profiles: list[tuple[Path, Any]],
    origin: str,
    version: str = "custom",
    base: Taxonomy | None = None,
    core: tuple[Path, dict[str, Any]] | None = None,
) -> Taxonomy:
    from skillmatch.taxonomy.parse import (
        check_aliases,
        check_links,
        entries,
        parse_contexts,
        parse_profile,
        parse_skill,
    )

    problems: list[str] = []
    skills: dict[str, Skill] = dict(base.skills) if base else {}
    for path, data in docs:
        for entry, where in entries(path, data, problems):
            skill = parse_skill(entry, where, problems)
            if skill is None:
                continue
            if skill.id in skills and base is not None and skill.id in base.skills:
                if skill.category != base.skills[skill.id].category:
                    problems.append(
                        f"{where}: {skill.id} is a {base.skills[skill.id].category} skill in the "
                        f"built-in taxonomy; an extension can add to it but not move it"
                    )
                skills[skill.id] = _merge_skill(skills[skill.id], skill)
            elif skill.id in skills:
                problems.append(
                    f"{where}: duplicate id {skill.id!r} (first at {skills[skill.id].origin})"
                )
            else:
                skills[skill.id] = skill
    parsed_contexts = parse_contexts(contexts) if contexts else (base.contexts if base else None)
    if parsed_contexts is None:
        parsed_contexts = _load_cached(None).contexts
    parsed_profiles = dict(base.profiles) if base else {}
    for path, data in profiles:
        profile = parse_profile(path, data, problems, skills)
        if profile is not None:
            parsed_profiles[profile.id] = profile
    if not skills:
        problems.append(f"{origin}:1: the taxonomy defines no skills (expected a 'skills:' list)")
    core_ids = _parse_core(core, skills, problems) if core else (base.core if base else {})
    problems.extend(check_links(skills))
    problems.extend(check_aliases(skills))
    if problems:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        raise TaxonomyError(
            f"{origin}: invalid taxonomy, {count} {noun}; first: {problems[0]} "
            "(see `skillmatch taxonomy validate`)",
            problems,
        )
    return Taxonomy(skills, parsed_profiles, parsed_contexts, version, origin, core_ids)


def _parse_core(
    core: tuple[Path, dict[str, Any]], skills: dict[str, Skill], problems: list[str]
) -> dict[str, tuple[str, ...]]:
    """The guide's core ids by category (``meta.yaml``), each checked to exist there."""
    from skillmatch.taxonomy.parse import strip_lines

    path, table = core
    where = f"{path}:{table.get(_LINE, '?')}"
    parsed: dict[str, tuple[str, ...]] = {}
    for category, ids in strip_lines(table).items():
        parsed[category] = tuple(str(i) for i in ids or ())
        for skill_id in parsed[category]:
            if skill_id not in skills or skills[skill_id].category != category:
                problems.append(f"{where}: core id {skill_id!r} is not a {category} skill")
    return parsed


def _extend(base: Taxonomy, path: Path, data: dict[str, Any]) -> Taxonomy:
    return _build(
        [(path, data)],
        contexts=None,
        profiles=[(path, p) for p in data.get("profiles", []) or []],
        origin=f"{base.origin} + {path}",
        version=f"{base.version}+{path.stem}",
        base=base,
    )


def _merge_skill(old: Skill, new: Skill) -> Skill:
    """An extension entry with an existing id adds aliases, phrases and links to it."""
    known = {a.text for a in old.aliases}
    return Skill(
        **{
            **old.__dict__,
            "aliases": old.aliases + tuple(a for a in new.aliases if a.text not in known),
            "patterns": old.patterns + new.patterns,
            "parents": tuple(dict.fromkeys(old.parents + new.parents)),
            "implies": tuple(dict.fromkeys(old.implies + new.implies)),
            "related": tuple(dict.fromkeys(old.related + new.related)),
            "evidence_phrases": old.evidence_phrases + new.evidence_phrases,
            "not_aliases": old.not_aliases + new.not_aliases,
        }
    )


def namespace(category: str) -> str:
    """The alias namespace of a category: education, roles and domains are matched apart."""
    return category if category in {"education", "role", "domain"} else "skills"


def normalise_alias(text: str) -> str:
    """The form under which aliases collide: lowercase with single spaces."""
    return " ".join(text.lower().split())

"""Load and validate skill taxonomies (YAML data in ``taxonomy/``) into a :class:`Taxonomy`.

The built-in taxonomy ships inside the package (``skillmatch/taxonomy`` in a wheel, the
repository's top-level ``taxonomy/`` folder in a checkout). Another taxonomy can replace it
(a folder laid out the same way, or one YAML file with ``skills:``), or extend it (a YAML file
with ``extends: builtin``). Every problem found is reported with its file and line.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from skillmatch.errors import TaxonomyError
from skillmatch.taxonomy.model import _LINE, Skill, Taxonomy
from skillmatch.taxonomy.parse import (
    check_aliases,
    check_links,
    entries,
    parse_contexts,
    parse_profile,
    parse_skill,
    strip_lines,
)


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

"""Taxonomy YAML -> taxonomy objects, with every problem found (file and line) collected.

:func:`skillmatch.taxonomy.load.load_taxonomy` reads the files; the functions here turn each entry
into a :class:`~skillmatch.taxonomy.model.Skill`, :class:`~skillmatch.taxonomy.model.Profile` or
:class:`~skillmatch.taxonomy.model.Contexts` and check what one entry cannot show alone: links to
unknown ids, parent cycles and aliases claimed twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from skillmatch.taxonomy.model import (
    _LINE,
    CATEGORIES,
    GATES,
    ID_RE,
    Alias,
    Contexts,
    Profile,
    Requirement,
    Skill,
    namespace,
    normalise_alias,
)


def entries(path: Path, data: Any, problems: list[str]) -> Iterator[tuple[dict[str, Any], str]]:
    """The skill entries of one YAML document, each with its ``file:line``."""
    if data is None:
        return
    entries = data.get("skills") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        problems.append(f"{path}:1: expected a list of skills (or a mapping with 'skills:')")
        return
    for entry in entries:
        if not isinstance(entry, dict):
            problems.append(f"{path}: skill entries must be mappings, got {entry!r}")
            continue
        yield entry, f"{path}:{entry.get(_LINE, '?')}"


_KNOWN_FIELDS = {
    "id", "name", "category", "group", "kind", "parents", "implies", "related", "aliases",
    "patterns", "ambiguity", "evidence_phrases", "not_aliases", "fuzzy", "description",
    "external", "implied_by", "since", "deprecated", "replaced_by", _LINE,
}  # fmt: skip


def parse_skill(entry: dict[str, Any], where: str, problems: list[str]) -> Skill | None:
    """One skill entry as a :class:`Skill`, or ``None`` (with its problems added)."""
    skill_id = entry.get("id")
    if not isinstance(skill_id, str) or not ID_RE.match(skill_id):
        problems.append(
            f"{where}: id {skill_id!r} is not slug-shaped (e.g. 'sql-server', 'degree:master')"
        )
        return None
    for key in entry.keys() - _KNOWN_FIELDS:
        problems.append(f"{where}: {skill_id}: unknown field {key!r}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: {skill_id}: missing 'name'")
        name = skill_id
    category = entry.get("category")
    if category not in CATEGORIES:
        problems.append(
            f"{where}: {skill_id}: category {category!r} is not one of {', '.join(CATEGORIES)}"
        )
        category = "technical"
    ambiguity = entry.get("ambiguity") or {}
    require = tuple(_strings(ambiguity.get("require"), where, problems))
    reject = tuple(_strings(ambiguity.get("reject"), where, problems))
    for gate in require + reject:
        if gate not in GATES:
            problems.append(
                f"{where}: {skill_id}: unknown gate {gate!r} (known: {', '.join(GATES)})"
            )
    aliases = tuple(_parse_aliases(entry.get("aliases"), skill_id, where, problems))
    if any(a.ambiguous for a in aliases) and not require and category != "education":
        problems.append(
            f"{where}: {skill_id}: ambiguous aliases need 'ambiguity: {{require: [...]}}'"
        )
    return Skill(
        id=skill_id,
        name=name,
        category=category,
        group=entry.get("group"),
        kind=str(entry.get("kind", "skill")),
        parents=tuple(_strings(entry.get("parents"), where, problems)),
        implies=tuple(_strings(entry.get("implies"), where, problems)),
        related=tuple(_strings(entry.get("related"), where, problems)),
        aliases=aliases,
        patterns=tuple(_parse_patterns(entry.get("patterns"), skill_id, where, problems)),
        require=require,
        reject=reject,
        evidence_phrases=tuple(_strings(entry.get("evidence_phrases"), where, problems)),
        not_aliases=tuple(_strings(entry.get("not_aliases"), where, problems)),
        fuzzy=bool(entry.get("fuzzy", False)),
        description=str(entry.get("description", "")),
        external=strip_lines(entry.get("external") or {}),
        origin=where,
    )


def _strings(value: Any, where: str, problems: list[str]) -> Iterator[str]:
    if value is None:
        return
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append(f"{where}: expected a list of strings, got {value!r}")
        return
    for item in value:
        if isinstance(item, str | int | float) and str(item).strip():
            yield str(item)
        else:
            problems.append(f"{where}: expected a string, got {item!r}")


def _parse_aliases(value: Any, skill_id: str, where: str, problems: list[str]) -> Iterator[Alias]:
    for item in value or []:
        if isinstance(item, str | int | float) and str(item).strip():
            alias = Alias(str(item))
        elif isinstance(item, dict) and str(item.get("text", "")).strip():
            alias = Alias(
                text=str(item["text"]),
                case_sensitive=bool(item.get("case_sensitive", False)),
                ambiguous=bool(item.get("ambiguous", False)),
                kind=item.get("kind"),
            )
        else:
            problems.append(f"{where}: {skill_id}: alias {item!r} needs a text")
            continue
        if len(alias.text.strip()) <= 2 and not (alias.case_sensitive or alias.ambiguous):
            problems.append(
                f"{where}: {skill_id}: alias {alias.text!r} is too short to match in any case; "
                "make it case_sensitive or ambiguous with a context rule"
            )
        yield alias


def _parse_patterns(
    value: Any, skill_id: str, where: str, problems: list[str]
) -> Iterator[tuple[dict[str, Any], ...]]:
    for pattern in value or []:
        if isinstance(pattern, list) and pattern and all(isinstance(t, dict) for t in pattern):
            tokens = tuple(strip_lines(token) for token in pattern)
            problems.extend(f"{where}: {skill_id}: {p}" for p in _pattern_problems(tokens))
            yield tokens
        else:
            problems.append(f"{where}: {skill_id}: a pattern must be a list of token mappings")


#: Token attributes the matcher's patterns may use (a subset of spaCy's, without a model).
_TOKEN_ATTRS = {
    "ORTH", "TEXT", "LOWER", "NORM", "LENGTH", "SHAPE", "PREFIX", "SUFFIX", "IS_ALPHA",
    "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
    "IS_STOP", "IS_BRACKET", "IS_QUOTE", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "SPACY", "OP",
}  # fmt: skip
_VALUE_KEYS = {"REGEX", "IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS", "FUZZY",
               "==", "!=", ">=", "<=", ">", "<"}  # fmt: skip


def _pattern_problems(tokens: tuple[dict[str, Any], ...]) -> Iterator[str]:
    """What spaCy's Matcher would reject in a token pattern, found before spaCy is loaded."""
    for token in tokens:
        for attr, value in token.items():
            if attr not in _TOKEN_ATTRS:
                yield f"unknown pattern token attribute {attr!r}"
            elif (
                attr == "OP"
                and value not in {"?", "*", "+", "!"}
                and not str(value).startswith("{")
            ):
                yield f"pattern operator {value!r} is not one of ?, *, +, !"
            elif isinstance(value, dict):
                for key, inner in value.items():
                    if key not in _VALUE_KEYS:
                        yield f"unknown pattern value key {key!r} (for {attr})"
                    elif key == "REGEX":
                        try:
                            re.compile(str(inner))
                        except re.error as error:
                            yield f"pattern regex {inner!r} does not compile: {error}"


def strip_lines(value: Any) -> Any:
    """Drop the loader's line markers from nested data that is passed on as it is."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != _LINE}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def check_links(skills: dict[str, Skill]) -> Iterator[str]:
    """Problems with parents, implied and related ids that name no skill, and cycles."""
    for skill in skills.values():
        for relation in ("parents", "implies", "related"):
            for target in getattr(skill, relation):
                if target not in skills:
                    yield f"{skill.origin}: {skill.id}: {relation} names unknown id {target!r}"
    yield from _check_cycles(skills)


def _check_cycles(skills: dict[str, Skill]) -> Iterator[str]:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(skill_id: str, path: list[str]) -> Iterator[str]:
        state[skill_id] = 1
        for parent in skills[skill_id].parents:
            if parent not in skills:
                continue
            if state.get(parent) == 1:
                cycle = " -> ".join([*path, skill_id, parent])
                yield f"{skills[skill_id].origin}: {skill_id}: parent cycle {cycle}"
            elif parent not in state:
                yield from visit(parent, [*path, skill_id])
        state[skill_id] = 2

    for skill_id in skills:
        if skill_id not in state:
            yield from visit(skill_id, [])


def check_aliases(skills: dict[str, Skill]) -> Iterator[str]:
    """Aliases claimed by two skills of the same namespace."""
    owners: dict[tuple[str, str], list[tuple[Skill, Alias]]] = {}
    for skill in skills.values():
        for alias in skill.aliases:
            key_text = alias.text if alias.case_sensitive else normalise_alias(alias.text)
            owners.setdefault((namespace(skill.category), key_text), []).append((skill, alias))
    for (_, text), claims in owners.items():
        ids = {skill.id for skill, _ in claims}
        if len(ids) > 1 and not all(alias.ambiguous for _, alias in claims):
            first = claims[1][0]
            owners_text = ", ".join(sorted(ids))
            yield (
                f"{first.origin}: alias {text!r} is claimed by {owners_text}; "
                "mark it ambiguous with a context rule in each"
            )


def parse_contexts(data: dict[str, Any]) -> Contexts:
    """The context cue lists (``contexts.yaml``) of the context gates."""
    data = strip_lines(data)
    cues = {
        name: frozenset(str(w).lower() for w in words)
        for name, words in data.get("cues", {}).items()
    }
    return Contexts(
        cues=cues,
        negation=frozenset(str(w).lower() for w in data.get("negation", [])),
        aspiration=tuple(str(w).lower() for w in data.get("aspiration", [])),
        clause_breaks=frozenset(str(w).lower() for w in data.get("clause_breaks", [])),
        stop_phrases=tuple(str(w) for w in data.get("stop_phrases", [])),
        non_claim={
            name: frozenset(str(w).lower() for w in words)
            for name, words in (data.get("non_claim") or {}).items()
        },
    )


def parse_profile(
    path: Path, data: Any, problems: list[str], skills: dict[str, Skill]
) -> Profile | None:
    """One profile file as a :class:`Profile`, or ``None`` (with its problems added)."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        problems.append(f"{path}:1: a profile needs an 'id'")
        return None
    requirements = []
    for item in data.get("requirements") or []:
        where = f"{path}:{item.get(_LINE, '?') if isinstance(item, dict) else '?'}"
        if not isinstance(item, dict) or not (item.get("skill") or item.get("any_of")):
            problems.append(f"{where}: a requirement needs 'skill' or 'any_of'")
            continue
        ids = (item["skill"],) if item.get("skill") else tuple(item["any_of"])
        for skill_id in ids:
            if skill_id not in skills:
                problems.append(f"{where}: profile {data['id']}: unknown skill id {skill_id!r}")
        requirements.append(
            Requirement(
                ids=tuple(str(i) for i in ids),
                required=bool(item.get("required", True)),
                label=str(item.get("label", "")),
                weight=float(item.get("weight", 1.0)),
            )
        )
    clean = strip_lines(data)
    return Profile(
        id=clean["id"],
        name=str(clean.get("name", clean["id"])),
        source=str(clean.get("source", "")),
        requirements=tuple(requirements),
        category_weights={k: float(v) for k, v in (clean.get("category_weights") or {}).items()},
        advice={str(k): str(v) for k, v in (clean.get("advice") or {}).items()},
        education=dict(clean.get("education") or {}),
        experience=tuple(str(e) for e in clean.get("experience") or ()),
    )

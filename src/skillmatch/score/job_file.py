"""A job's requirements as an editable YAML file, and back.

``skillmatch job JOB --format yaml`` writes what was read from an ad; a recruiter corrects it
(drops a requirement, makes one preferred, changes a weight) and gives the file to ``compare
--job`` or ``batch --job`` instead of the ad. The file starts with ``skillmatch-requirements:
1``; that key is how it is told apart from a job ad written in YAML.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from skillmatch.errors import InputError
from skillmatch.models import Document
from skillmatch.score.clauses import SetAside
from skillmatch.score.degrees import DegreeRequirement
from skillmatch.score.requirements import JobRequirement, JobRequirements
from skillmatch.score.stated_years import YearsRequirement
from skillmatch.taxonomy.model import Requirement, Taxonomy

#: The first key of a requirements file, and its format version.
MARK = "skillmatch-requirements"
VERSION = 1
_HEADER = (
    "# Requirements read from a job ad by skillmatch. Edit freely, then use this file as the job:\n"
    "#   skillmatch compare CV --job THIS.yaml      skillmatch batch CVS/ --job THIS.yaml\n"
    "# skills: taxonomy ids (several = any one of them is enough); required: true or false;\n"
    "# weight: its weight in its category (see data/scoring.yaml); years: stated years or null;\n"
    "# equivalent: true when equivalent experience (a related skill) counts in full.\n"
)


def is_requirements_file(source: str | os.PathLike[str]) -> bool:
    """Whether ``source`` names a requirements file (``.yaml``/``.yml`` starting with the mark)."""
    path = Path(source)
    if os.fspath(source) == "-" or path.suffix.lower() not in {".yaml", ".yml"}:
        return False
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return False
    return any(line.startswith(f"{MARK}:") for line in head.splitlines())


def requirement_dict(item: JobRequirement, taxonomy: Taxonomy) -> dict[str, Any]:
    """One requirement as the requirements file (and ``skillmatch job --format json``) writes it."""
    first = item.requirement.ids[0]
    skill = taxonomy.skills.get(first)
    return {
        "skills": list(item.requirement.ids),
        "name": item.requirement.label or (skill.name if skill else first),
        "category": skill.category if skill else "technical",
        "required": item.requirement.required,
        "weight": item.weight,
        "years": item.years,
        "equivalent": item.equivalent,
        "why": item.why,
        "line": item.line,
    }


def requirements_dict(requirements: JobRequirements, taxonomy: Taxonomy) -> dict[str, Any]:
    """Everything read from a job ad, as plain data (requirements, years, degree, roles, and
    the text set aside)."""
    return {
        "requirements": [requirement_dict(item, taxonomy) for item in requirements],
        "years": [y.to_dict() for y in requirements.years],
        "degree": requirements.degree.to_dict() if requirements.degree else None,
        "roles": list(requirements.roles),
        "set_aside": [{"kind": s.kind, "text": s.text} for s in requirements.set_aside],
    }


def dump_requirements(requirements: JobRequirements, taxonomy: Taxonomy, source: str) -> str:
    """``requirements`` as the YAML text of a requirements file."""
    data: dict[str, Any] = {
        MARK: VERSION,
        "job": source,
        **requirements_dict(requirements, taxonomy),
    }
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return _HEADER + body


def load_requirements(
    source: str | os.PathLike[str], taxonomy: Taxonomy
) -> tuple[Document, JobRequirements]:
    """Read a requirements file: a stand-in job document (its lines) and the requirements."""
    path = os.fspath(source)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InputError(
            f"{path}: not a readable requirements file ({type(error).__name__})"
        ) from None
    if not isinstance(data, dict) or data.get(MARK) != VERSION:
        raise InputError(f"{path}: not a requirements file (it must start with '{MARK}: 1')")
    try:
        items = tuple(_item(raw, taxonomy) for raw in data.get("requirements") or ())
        years = tuple(
            YearsRequirement(
                float(y["years"]),
                tuple(_known(i, taxonomy) for i in y.get("skills") or ()),
                bool(y.get("required", True)),
                str(y.get("text") or ""),
            )
            for y in data.get("years") or ()
        )
        degree = _degree(data.get("degree"))
        roles = tuple(str(r) for r in data.get("roles") or ())
        set_aside = tuple(
            SetAside(0, 0, str(s["kind"]), str(s["text"])) for s in data.get("set_aside") or ()
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(f"{path}: a requirement is malformed ({error})") from None
    text = "\n".join(i.line for i in items if i.line) or path
    document = Document(source=path, text=text, format="requirements")
    return document, JobRequirements(items, years, degree, roles, set_aside)


def _known(skill_id: Any, taxonomy: Taxonomy) -> str:
    if str(skill_id) not in taxonomy.skills:
        raise ValueError(f"unknown skill id {skill_id!r}")
    return str(skill_id)


def _item(raw: dict[str, Any], taxonomy: Taxonomy) -> JobRequirement:
    ids = tuple(_known(i, taxonomy) for i in raw["skills"])
    if not ids:
        raise ValueError("a requirement names no skill")
    required = bool(raw.get("required", True))
    names = [taxonomy.skills[i].name for i in ids]
    name = str(raw.get("name") or "")
    label = name if len(ids) > 1 or name not in ("", names[0]) else ""
    years = raw.get("years")
    return JobRequirement(
        Requirement(ids, required, label=label),
        years=None if years is None else float(years),
        reason="file",
        weight=float(raw.get("weight", 1.0 if required else 0.5)),
        why=str(raw.get("why") or "from the requirements file"),
        line=str(raw.get("line") or ""),
        equivalent=bool(raw.get("equivalent", False)),
    )


def _degree(raw: Any) -> DegreeRequirement | None:
    if not raw:
        return None
    return DegreeRequirement(
        level=raw.get("level"),
        fields=tuple(str(f) for f in raw.get("fields") or ()),
        related_fields=bool(raw.get("related_fields", False)),
        equivalent_experience=bool(raw.get("equivalent_experience", False)),
        preferred_level=raw.get("preferred_level"),
        required=bool(raw.get("required", True)),
        text=str(raw.get("text") or ""),
    )

"""The built-in taxonomy: contract ids, hierarchy, profiles, validation and extension."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatch.cli import cli
from skillmatch.errors import TaxonomyError
from skillmatch.match.matcher import extract_skills
from skillmatch.read.parse import load_document
from skillmatch.taxonomy.load import builtin_path, load_taxonomy, validate_file
from skillmatch.taxonomy.model import ID_RE

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract.md"


def read_contract_ids() -> dict[str, list[str]]:
    """The core ids as the shared contract's table states them."""
    found: dict[str, list[str]] = {}
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] in {"technical", "mathematical", "soft"}:
            found[cells[0]] = [part.strip(" `") for part in cells[1].split(",")]
    return found


@pytest.mark.parametrize("category", ["technical", "mathematical", "soft"])
def test_core_ids_exist_in_their_category(category: str) -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy.core[category]) >= 4
    for skill_id in taxonomy.core[category]:
        assert taxonomy.get(skill_id).category == category, skill_id


@pytest.mark.skipif(not CONTRACT.exists(), reason="../shared/contract.md not present")
def test_core_ids_are_the_contracts() -> None:
    contract = read_contract_ids()
    assert {c: list(ids) for c, ids in load_taxonomy().core.items()} == contract


def test_every_id_is_slug_shaped_and_every_link_resolves() -> None:
    taxonomy = load_taxonomy()
    for skill in taxonomy.skills.values():
        assert ID_RE.match(skill.id), skill.id
        for target in (*skill.parents, *skill.implies, *skill.related):
            assert target in taxonomy.skills, (skill.id, target)


@pytest.mark.parametrize("child", ["tensorflow", "pytorch", "keras", "scikit-learn", "jax"])
def test_ml_frameworks_are_parents_of_the_frameworks(child: str) -> None:
    assert "ml-frameworks" in load_taxonomy().ancestors(child)


@pytest.mark.parametrize(
    "child", ["sql", "postgresql", "mysql", "sqlite", "sql-server", "oracle-database"]
)
def test_sql_dialects_and_systems_roll_up_to_relational_databases(child: str) -> None:
    assert "relational-databases" in load_taxonomy().ancestors(child)


def test_ml_engineer_profile_encodes_the_guides_any_of_groups() -> None:
    profile = load_taxonomy().profile("ml-engineer")
    groups = [set(r.ids) for r in profile.requirements]
    assert any({"python", "r", "cpp"} <= g for g in groups)
    assert any({"tensorflow", "pytorch"} <= g for g in groups)
    required = {i for r in profile.requirements if r.required and len(r.ids) == 1 for i in r.ids}
    assert {"statistics", "probability", "calculus", "linear-algebra"} <= required


def test_builtin_taxonomy_validates() -> None:
    assert validate_file(builtin_path()) == []


def write_broken_taxonomy(folder: Path) -> Path:
    """A taxonomy with one problem of each kind, at known lines."""
    path = folder / "broken.yaml"
    path.write_text(
        "skills:\n"
        "  - id: Bad Id\n"  # line 2: not slug-shaped
        "    name: Bad\n"
        "    category: technical\n"
        "  - id: orphan\n"  # line 5: unknown parent
        "    name: Orphan\n"
        "    category: technical\n"
        "    parents: [nowhere]\n"
        "    aliases: [shared]\n"
        "  - id: twin\n"  # line 10: alias claimed twice
        "    name: Twin\n"
        "    category: technical\n"
        "    aliases: [shared]\n",
        encoding="utf-8",
    )
    return path


def test_validate_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    path = write_broken_taxonomy(tmp_path)
    problems = validate_file(path)
    assert any(p.startswith(f"{path}:2:") and "slug" in p for p in problems)
    assert any(p.startswith(f"{path}:5:") and "nowhere" in p for p in problems)
    assert any(p.startswith(f"{path}:10:") and "'shared'" in p for p in problems)


def test_validate_command_exits_1_on_an_invalid_file(tmp_path: Path) -> None:
    path = write_broken_taxonomy(tmp_path)
    result = CliRunner().invoke(cli, ["taxonomy", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:5:" in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: ")


def test_loading_an_invalid_taxonomy_raises_a_taxonomy_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError):
        load_taxonomy(write_broken_taxonomy(tmp_path))


def test_an_extension_file_adds_a_skill_on_top_of_the_builtin_one(
    tmp_path: Path, samples: Path
) -> None:
    extension = tmp_path / "ours.yaml"
    extension.write_text(
        "extends: builtin\n"
        "skills:\n"
        "  - id: guest-experience\n"
        "    name: Guest experience\n"
        "    category: soft\n"
        "    aliases: [guest experience]\n",
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(extension)
    assert "python" in taxonomy.skills and "guest-experience" in taxonomy.skills
    found = extract_skills(load_document(samples / "cv-nontechnical.txt"), taxonomy=taxonomy)
    assert "guest-experience" in found.ids()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "defines no skills"),
        (b"extends: nonsense\n", "'extends' can only be 'builtin'"),
        (bytes(range(128, 256)) * 4, "not a UTF-8 text file"),
        (
            b"extends: builtin\nskills:\n  - id: bad\n    name: Bad\n    category: technical\n"
            b"    aliases: [a]\n",
            "alias 'a' is too short",
        ),
        (
            b"extends: builtin\nskills:\n  - id: bad\n    name: Bad\n    category: technical\n"
            b"    patterns:\n      - [{LOWER: {REGEX: '(['}}]\n",
            "does not compile",
        ),
        (
            b"extends: builtin\nskills:\n  - id: bad\n    name: Bad\n    category: technical\n"
            b"    patterns:\n      - [{COLOUR: red}]\n",
            "unknown pattern token attribute 'COLOUR'",
        ),
        (
            b"extends: builtin\nskills:\n  - id: python\n    name: Python\n    category: soft\n",
            "an extension can add to it but not move it",
        ),
    ],
    ids=["empty", "extends", "binary", "short-alias", "bad-regex", "bad-attribute", "moved"],
)
def test_validate_catches_what_would_break_the_matcher(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_bytes(content)
    problems = validate_file(path)
    assert any(p.startswith(f"{path}:") and problem in p for p in problems), problems
    result = CliRunner().invoke(cli, ["skills", "-", "--taxonomy", str(path)], input="Python")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output

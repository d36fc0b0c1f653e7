"""The bias audit (``batch --audit GROUPS.csv``): scoring rates, impact ratios, the four-fifths
flag and groups too small to judge, worked out by hand on a ranking of 30 scores; then the CLI
over the samples."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatch.batch.audit import audit_batch, audit_text, load_groups
from skillmatch.batch.rows import BatchResult, BatchRow, Ranking, rank_rows
from skillmatch.cli import cli
from skillmatch.errors import InputError

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


def _sex(i: int) -> str:
    return "F" if i <= 12 or 25 <= i <= 27 else "M"


def _race(i: int) -> str:
    return "X" if i <= 10 else ("Y" if i <= 27 else ("Z" if i < 30 else ""))


@pytest.fixture
def result() -> BatchResult:
    """30 candidates scored 1 to 30 (median 15.5), and one error row."""
    rows = [BatchRow(f"applications/cv-{i:02d}.txt", "ok", score=float(i)) for i in range(1, 31)]
    rows.append(BatchRow("applications/broken.pdf", "error", error="damaged"))
    return BatchResult(rankings=(Ranking("job.txt", "", rank_rows(rows)),), total=31)


@pytest.fixture
def groups(tmp_path: Path) -> Path:
    lines = ["file,sex,race"]
    for i in range(1, 31):
        name = f"cv-{i:02d}.txt" if i in (3, 17) else f"applications/cv-{i:02d}.txt"  # by name
        lines.append(f"{name},{_sex(i)},{_race(i)}")
    lines += ["applications/broken.pdf,F,X", "ghost.pdf,M,Y"]
    path = tmp_path / "groups.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _groups(table) -> dict[tuple[str, ...], object]:  # type: ignore[no-untyped-def]
    return {g.values: g for g in table.groups}


def test_rates_ratios_and_flags_by_hand(result: BatchResult, groups: Path) -> None:
    audit = audit_batch(result, load_groups(groups), min_count=10)
    job = audit.jobs[0]
    assert job.median == 15.5 and job.scored == 30 and job.audited == 30
    assert audit.unmatched == ("applications/broken.pdf", "ghost.pdf")
    sex, race, both = job.tables
    assert sex.columns == ("sex",) and both.columns == ("sex", "race")
    f, m = _groups(sex)[("F",)], _groups(sex)[("M",)]
    assert (f.count, f.above, f.rate) == (15, 3, 0.2)  # 25, 26, 27 are above 15.5
    assert (m.count, m.above, m.rate) == (15, 12, 0.8)
    assert sex.reference == ("M",) and m.impact_ratio == 1.0 and not m.flagged
    assert f.impact_ratio == pytest.approx(0.25) and f.flagged
    x, y, z = (_groups(race)[(k,)] for k in ("X", "Y", "Z"))
    assert (x.count, x.above, y.count, y.above, z.count, z.above) == (10, 0, 17, 12, 2, 2)
    assert race.unknown == 1 and race.reference == ("Y",)  # Z is higher, but too small
    assert not z.judged and not z.flagged and z.impact_ratio == pytest.approx(17 / 12)
    assert x.judged and x.flagged and x.impact_ratio == 0.0
    cells = _groups(both)
    assert set(cells) == {("F", "X"), ("F", "Y"), ("M", "Y"), ("M", "Z")}
    assert both.reference == ("M", "Y") and cells[("M", "Y")].rate == 0.75
    assert cells[("F", "X")].flagged and not cells[("F", "Y")].judged
    assert both.unknown == 1


def test_small_groups_by_share(result: BatchResult, groups: Path) -> None:
    # with min_count 1, Z (2 of 29) is judged: 2 % of 29 is under 1; it becomes the reference
    race = audit_batch(result, load_groups(groups), min_count=1).jobs[0].tables[1]
    assert race.reference == ("Z",)
    y = _groups(race)[("Y",)]
    assert y.impact_ratio == pytest.approx(12 / 17) and y.flagged  # 0.71 < 0.8


def test_files_found_by_content(tmp_path: Path) -> None:
    """With --redact the rows carry blind names; the CSV's files are found by their hash."""
    cv = tmp_path / "Jane Doe.txt"
    cv.write_text("Python", encoding="utf-8")
    digest = hashlib.sha256(cv.read_bytes()).hexdigest()
    rows = [BatchRow(f"cv-{digest[:12]}.txt", "ok", score=50.0, sha256=digest)]
    result = BatchResult(rankings=(Ranking("job.txt", "", rank_rows(rows)),))
    (tmp_path / "g.csv").write_text("file,sex\nJane Doe.txt,F\n", encoding="utf-8")
    audit = audit_batch(result, load_groups(tmp_path / "g.csv"))
    assert audit.unmatched == () and audit.jobs[0].audited == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,sex\na.pdf,F\n", "needs a 'file' column"),
        ("file\na.pdf\n", "no group column"),
        ("file,sex\na.pdf,F\na.pdf,M\n", "line 3 names 'a.pdf' twice"),
        ("file,a,b,c,d,e\n", "give 1 to 4 group columns"),
    ],
)
def test_bad_groups_csv(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "g.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_groups(path)


def test_text_and_json_forms(result: BatchResult, groups: Path) -> None:
    audit = audit_batch(result, load_groups(groups), min_count=10)
    text = audit_text(audit)
    assert "F" in text and "FLAG: below 4/5" in text and "too small to judge" in text
    assert "reference (highest rate)" in text and "2 row(s) of the groups CSV" in text
    data = json.loads(json.dumps(audit.to_dict()))
    assert data["rules"]["flag_below"] == 0.8
    assert data["jobs"][0]["tables"][0]["groups"][1] == {
        "group": ["F"], "count": 15, "above_median": 3, "scoring_rate": 0.2,
        "impact_ratio": 0.25, "judged": True, "flagged": True,
    }  # fmt: skip


# --- CLI --------------------------------------------------------------------------------------


@pytest.fixture
def samples_groups(tmp_path: Path) -> Path:
    path = tmp_path / "groups.csv"
    rows = [f"{p.name},{'A' if i % 2 else 'B'}" for i, p in enumerate(sorted(SAMPLES.glob("cv-*")))]
    path.write_text("file,group\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _batch(*args: str) -> object:
    base = ["batch", str(SAMPLES), "--job", str(SAMPLES / "job-ml-engineer.txt"), "-q"]
    return CliRunner().invoke(cli, [*base, *args])


def test_cli_json_carries_the_audit(samples_groups: Path) -> None:
    result = _batch("--format", "json", "--audit", str(samples_groups), "--audit-min", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    job = data["audit"]["jobs"][0]
    assert job["audited"] == 10 and data["audit"]["rules"]["too_small"]["min_count"] == 2
    assert {g["group"][0] for g in job["tables"][0]["groups"]} == {"A", "B"}


def test_cli_table_html_and_audit_out(samples_groups: Path, tmp_path: Path) -> None:
    result = _batch("--format", "table", "--audit", str(samples_groups))
    assert result.exit_code == 0 and "Bias audit" in result.output
    out, audit_out = tmp_path / "s.html", tmp_path / "audit.json"
    args = ("--out", str(out), "--audit", str(samples_groups), "--audit-out", str(audit_out))
    result = _batch(*args)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Bias audit</button>" in page and '<table class="audit">' in page
    assert json.loads(audit_out.read_text(encoding="utf-8"))["columns"] == ["group"]


def test_cli_csv_prints_the_audit_on_stderr(samples_groups: Path) -> None:
    job = str(SAMPLES / "job-ml-engineer.txt")
    args = ["batch", str(SAMPLES), "--job", job, "--format", "csv", "--audit", str(samples_groups)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert result.stdout.startswith("rank,file,status,score") and "Bias audit" in result.stderr


def test_cli_bad_groups_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "g.csv"
    bad.write_text("name,sex\n", encoding="utf-8")
    result = _batch("--audit", str(bad))
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith("Error: ") and "'file' column" in result.output
    assert _batch("--audit-min", "3").exit_code == 2


def test_cli_audit_with_redact_finds_the_blind_rows(tmp_path: Path) -> None:
    """The rows carry blind names; the groups CSV names the files as the user knows them."""
    folder = tmp_path / "cvs"
    folder.mkdir()
    for cv in ("cv-ml-engineer.txt", "cv-data-analyst.txt", "cv-nontechnical.txt"):
        (folder / cv).write_bytes((SAMPLES / cv).read_bytes())
    groups = tmp_path / "groups.csv"  # bare file names: they exist under neither cwd nor here
    groups.write_text(
        "file,group\ncv-ml-engineer.txt,A\ncv-data-analyst.txt,B\ncv-nontechnical.txt,B\n",
        encoding="utf-8",
    )
    job = str(SAMPLES / "job-ml-engineer.txt")
    args = ["batch", str(folder), "--job", job, "--format", "json", "--redact", "-q"]
    result = CliRunner().invoke(cli, [*args, "--audit", str(groups), "--audit-min", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert all(r["file"].startswith("cv-") and len(r["file"]) == 19 for r in data["results"])
    audit = data["audit"]
    assert audit["unmatched"] == [] and audit["jobs"][0]["audited"] == 3
    counts = {g["group"][0]: g["count"] for g in audit["jobs"][0]["tables"][0]["groups"]}
    assert counts == {"A": 1, "B": 2}

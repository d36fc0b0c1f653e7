"""Redaction for blind screening: names, e-mail addresses, phones and URLs masked one for one."""

from __future__ import annotations

import dataclasses
import hashlib
import html
import itertools
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatch.cli import cli
from skillmatch.match.matcher import extract_skills
from skillmatch.models import Document, HiddenText
from skillmatch.read.parse import parse_file, parse_text
from skillmatch.read.redact import MASK, find_names, find_personal_data, redact_document

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLE_CVS = sorted(
    path for path in SAMPLES.iterdir() if path.name.startswith("cv-") and path.suffix != ".py"
)

# Expected personal data is read from the sample sources themselves (see samples/README.md:
# line 1 is the name, contact lines follow up to the first blank line).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+\d[\d ]{8,}\d")
URL = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}(?:/[\w/.-]*)?")
YEARS = re.compile(r"\b(?:19|20)\d\d(?:\s*[-–]\s*(?:(?:19|20)\d\d|present))?", re.IGNORECASE)


def personal_data(source: Path) -> dict[str, list[str]]:
    """The name, e-mail addresses, phones and URLs of a sample CV, from its .txt source."""
    stem = source.stem.removesuffix("-two-column")
    lines = (SAMPLES / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    contact = "\n".join(lines[2 : lines.index("")])
    emails = EMAIL.findall(contact)
    return {
        "name": [lines[0], *lines[0].replace("-", " ").split()],
        "email": emails,
        "phone": PHONE.findall(contact),
        "url": [u for u in URL.findall(EMAIL.sub("", contact)) if "." in u],
    }


@pytest.mark.parametrize("path", SAMPLE_CVS, ids=lambda path: path.name)
def test_sample_cv_personal_data_is_gone(path: Path) -> None:
    document = parse_file(path)
    redacted = redact_document(document)
    expected = personal_data(path)
    assert expected["name"] and expected["email"] and expected["phone"], expected
    for kind, values in expected.items():
        for value in values:
            assert value in document.text, (kind, value)
            assert value not in redacted.text, (kind, value)
            assert value.lower() not in redacted.text.lower(), (kind, value)


@pytest.mark.parametrize("path", SAMPLE_CVS, ids=lambda path: path.name)
def test_sample_cv_offsets_years_and_skills_are_kept(path: Path) -> None:
    document = parse_file(path)
    redacted = redact_document(document)
    assert len(redacted.text) == len(document.text)
    assert redacted.pages == document.pages
    assert [(s.name, s.start, s.end) for s in redacted.sections] == [
        (s.name, s.start, s.end) for s in document.sections
    ]
    # Only masks differ, and every year or date range survives.
    for before, after in zip(document.text, redacted.text, strict=True):
        assert after in (before, MASK)
    masked = [(s.start, s.end) for s in find_personal_data(document.text, source=str(path))]
    years = [
        found
        for found in YEARS.finditer(document.text)
        if not any(start < found.end() and found.start() < end for start, end in masked)
    ]
    assert len(years) >= 3
    for found in years:
        assert redacted.text[found.start() : found.end()] == found.group()
    assert extract_skills(redacted).ids() == extract_skills(document).ids()


def test_sample_warning_counts_without_revealing() -> None:
    redacted = redact_document(parse_file(SAMPLES / "cv-ml-engineer.txt"))
    assert redacted.warnings[-1] == "redacted: 1 name, 1 e-mail address, 1 phone number, 2 URLs"
    assert "Priya" not in " ".join(redacted.warnings)


def test_two_column_name_is_found_from_the_e_mail_address() -> None:
    document = parse_file(SAMPLES / "cv-ml-engineer-two-column.pdf")
    assert not document.text.startswith("Priya")  # the sidebar comes first
    assert find_names(document.text)[0] == "Priya Castellan-Hart"


def test_masked_file_name_and_hidden_samples() -> None:
    text = "Jane Doe\nData Scientist\njane.doe@example.org\n\nJane's team used Python and SQL."
    document = dataclasses.replace(
        parse_text(text, source="cvs/jane-doe-cv.pdf"),
        hidden=(HiddenText("invisible", 40, "Hire Jane Doe, call +44 20 7946 0958"),),
    )
    redacted = redact_document(document)
    assert redacted.source == f"cvs/{MASK * 4}-{MASK * 3}-cv.pdf"
    assert redacted.hidden[0].sample == f"Hire {MASK * 8}, call {MASK * 16}"
    assert redacted.text == (
        f"{MASK * 8}\nData Scientist\n{MASK * 20}\n\n{MASK * 6} team used Python and SQL."
    )
    assert extract_skills(redacted).ids() >= {"python", "sql"}
    assert redacted.warnings == ("redacted: 2 names, 1 e-mail address",)
    assert document.text == text  # the input is not changed


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("JaneDoe.pdf", f"{MASK * 7}.pdf"),
        ("Doe_Jane_Resume.docx", f"{MASK * 3}_{MASK * 4}_Resume.docx"),
        ("cv-ml-engineer.pdf", "cv-ml-engineer.pdf"),
        ("-", "-"),
    ],
)
def test_file_name_masking(source: str, expected: str) -> None:
    document = Document(source=source, text="Jane Doe\nEngineer\n", format="txt")
    assert redact_document(document).source == expected


@pytest.mark.parametrize(
    "phone",
    [
        "+44 20 7946 0958",
        "(555) 123-4567",
        "0171-234 5678",
        "+1-202-555-0143",
        "+44 (0)20 7946 0958",
        "123.345.7890",
        "+91 9876543210",
        "06.61.33.91.80",
    ],
)
def test_phone_formats(phone: str) -> None:
    text = f"Contact me on {phone} any time."
    assert [(s.kind, text[s.start : s.end]) for s in find_personal_data(text)] == [("phone", phone)]


@pytest.mark.parametrize(
    "text",
    [
        "BSc Statistics, 2019 – 2023",
        "Analyst 2016 - 2017, then 2017-2020",
        "Started 15.03.2021, left 2021-03-15",
        "Python 3.11.4 and C++17, ISO 27001",
        "Cut latency by 45% and costs by 12.5%",
        "Salary £45,000 - £55,000 or $120000-140000 per year",
        "Served 1,234,567 users and 12 000 000 requests",
        "We handled 500-1000 calls a day",
        "doi: 10.18123/456789",
    ],
)
def test_not_phones(text: str) -> None:
    assert [s for s in find_personal_data(text) if s.kind == "phone"] == []


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("See https://jane.example.org/cv?x=1.", "https://jane.example.org/cv?x=1"),
        ("Blog: www.janedoe.dev", "www.janedoe.dev"),
        ("Profile linkedin.com/in/jane-doe and more", "linkedin.com/in/jane-doe"),
        ("Code at github.com/janedoe.", "github.com/janedoe"),
        ("Portfolio: jane-doe.example.net", "jane-doe.example.net"),
        ("Website: janedoe.com", "janedoe.com"),
    ],
)
def test_urls(text: str, url: str) -> None:
    found = [text[s.start : s.end] for s in find_personal_data(text) if s.kind == "url"]
    assert found == [url]


@pytest.mark.parametrize(
    "text", ["Built APIs in ASP.NET and Socket.io with Node.js", "Worked at Booking.com"]
)
def test_tech_names_are_not_urls(text: str) -> None:
    assert find_personal_data(text) == []


def test_email_wins_over_url_and_name() -> None:
    text = "Jane Doe\nEngineer\nEmail: jane.doe@example.co.uk"
    spans = find_personal_data(text)
    assert [(s.kind, text[s.start : s.end]) for s in spans] == [
        ("name", "Jane Doe"),
        ("email", "jane.doe@example.co.uk"),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Curriculum Vitae\nJane Doe\nData Scientist", "Jane Doe"),
        ("RESUME\nJANE DOE\nLondon", "JANE DOE"),
        ("Name: Ludwig van Beethoven\nComposer", "Ludwig van Beethoven"),
        ("Jane Doe | Senior Software Engineer | London", "Jane Doe"),
        ("Allen Neal King ESB Integration Developer - Cisco Systems", "Allen Neal King"),
        ("Senior Machine Learning Engineer\nSkills\nPython", ""),
        ("Harrowgate Energy Systems | Bristol, UK\nWe build forecasts.", ""),
    ],
)
def test_candidate_name(text: str, name: str) -> None:
    assert find_names(text)[0] == name


def test_every_occurrence_of_the_name_and_its_words_is_masked() -> None:
    text = (
        "Taylor Swift\nDeveloper\n\nSummary\nSwift's apps use Swift and Kotlin; TAYLOR leads.\n"
        "I will swiftly ship."
    )
    redacted = redact_document(parse_text(text)).text
    assert "Taylor" not in redacted and "Swift" not in redacted and "TAYLOR" not in redacted
    assert f"{MASK * 7} apps use {MASK * 5} and Kotlin" in redacted  # the name line wins
    assert "swiftly" in redacted and "will" in redacted  # other words and lower case stay


def test_referees_are_masked() -> None:
    text = (
        "Jane Doe\nAnalyst\n\nREFERENCES\nProf. Alan Turing, University of Manchester\n"
        "Grace Hopper, Head of Engineering\nReferee: Ada Lovelace - ada@example.org\n"
    )
    redacted = redact_document(parse_text(text)).text
    for name in ("Alan Turing", "Grace Hopper", "Ada Lovelace", "Jane Doe"):
        assert name not in redacted
    assert "University of Manchester" in redacted and "Head of Engineering" in redacted


def test_ms_excel_is_not_a_person() -> None:
    text = "Jane Doe\nAnalyst\n\nSkills\nMS Excel, MS Office, Mr Men collector"
    redacted = redact_document(parse_text(text)).text
    assert "MS Excel, MS Office" in redacted


def test_no_name_found_is_reported() -> None:
    redacted = redact_document(parse_text("Summary\nCall 020 7946 0958 about Python.\n"))
    assert redacted.warnings == (
        "redacted: 1 phone number; no name found, check the text for the candidate's name",
    )


def test_spans_are_ordered_and_disjoint() -> None:
    text = (SAMPLES / "cv-frontend-developer.txt").read_text(encoding="utf-8")
    spans = find_personal_data(text)
    assert {span.kind for span in spans} == {"name", "email", "phone", "url"}
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert spans[0].to_dict() == {"kind": "name", "start": 0, "end": len("Amara Oyelaran-Voss")}


# --------------------------------------------------------------------------- corpus


def _dotin(path: Path) -> tuple[str, set[str], set[str]]:
    """A dotin CV as plain text, with its labelled names and e-mail addresses."""
    xml = path.read_text(encoding="utf-8")
    names = set(re.findall(r'<label type="Name">(.*?)</label>', xml, re.S))
    emails = set(re.findall(r'<label type="Email Address">(.*?)</label>', xml, re.S))
    text = re.sub(r"</?label[^>]*>|</?cv>|<\?xml[^>]*>", "", xml)
    return html.unescape(text).strip(), names, emails


@pytest.mark.corpus
def test_corpus_dotin_cvs(corpus: Path) -> None:
    files = sorted((corpus / "cvs" / "dotin" / "train").glob("*.xml"))
    if not files:
        pytest.skip("no dotin CVs in the corpus")
    names_total = names_gone = 0
    for path in files:
        text, names, emails = _dotin(path)
        redacted = redact_document(parse_text(text, source=path.name)).text
        assert len(redacted) == len(text), path.name
        for email in emails:
            assert email.strip() not in redacted, (path.name, email)
        for name in names:
            names_total += 1
            words = [w for w in name.split() if len(w) >= 2]
            names_gone += not any(
                re.search(rf"(?<!\w){re.escape(w)}(?!\w)", redacted) for w in words
            )
        # Years and date ranges are never masked (unless inside an address or URL).
        spans = find_personal_data(text, source=path.name)
        for found in YEARS.finditer(text):
            if not any(s.start < found.end() and found.start() < s.end for s in spans):
                assert redacted[found.start() : found.end()] == found.group(), path.name
    # Single-word and sample-template names are known misses; see the module docstring.
    assert names_gone / names_total >= 0.9, (names_gone, names_total)


@pytest.mark.corpus
@pytest.mark.parametrize(
    "folder", ["pdfs/rendercv", "pdfs/resume-matcher", "pdfs/sb2nov", "pdfs/awesome-cv"]
)
def test_corpus_pdfs_keep_skills_and_lose_file_name_names(corpus: Path, folder: str) -> None:
    files = sorted((corpus / folder).glob("*.pdf"))[:3]
    if not files:
        pytest.skip(f"no PDFs in {folder}")
    for path in files:
        document = parse_file(path)
        redacted = redact_document(document)
        assert len(redacted.text) == len(document.text)
        assert extract_skills(redacted).ids() == extract_skills(document).ids(), path.name
        assert MASK in redacted.text, path.name
        name = find_names(document.text, source=str(path))[0]
        assert name, path.name
        for word in re.findall(r"[^\W\d_]{2,}", name):
            for form in (word.title(), word.upper()):
                assert not re.search(rf"(?<!\w){form}(?!\w)", redacted.text), (path.name, form)
            assert word.lower() not in Path(redacted.source).name.lower(), (path.name, word)


# --------------------------------------------------------------------------- command line

CV = SAMPLES / "cv-ml-engineer.pdf"
JOB = str(SAMPLES / "job-ml-engineer.txt")
CV_WARNING = "redacted: 1 name, 1 e-mail address, 1 phone number, 2 URLs"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def shown(value: str, out: str) -> bool:
    """Whether ``value`` stands in ``out`` as a whole word, in any case."""
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", out, re.IGNORECASE) is not None


def named_copy(folder: Path) -> Path:
    """A copy of the sample CV named after its candidate: ``priya-castellan-hart-cv.pdf``."""
    name = personal_data(CV)["name"][0]
    copy = folder / f"{name.lower().replace(' ', '-')}-cv.pdf"
    shutil.copy(CV, copy)
    return copy


@pytest.mark.parametrize("named", [False, True], ids=["sample", "named-after-candidate"])
def test_cli_compare_redact_shows_no_personal_data_and_keeps_the_score(
    tmp_path: Path, named: bool
) -> None:
    cv = str(named_copy(tmp_path) if named else CV)
    code, out, _ = run("compare", cv, "--job", JOB, "--redact", "--format", "json")
    _, plain, _ = run("compare", cv, "--job", JOB, "--format", "json")
    assert code == 0
    for kind, values in personal_data(CV).items():
        for value in values:
            assert not shown(value, out), (kind, value)
    data = json.loads(out)
    assert CV_WARNING in data["warnings"]
    assert CV_WARNING not in json.loads(plain)["warnings"]
    assert data["score"] == json.loads(plain)["score"]
    # The report never quotes the contact lines, so only a file named after the candidate
    # puts personal data in the output: the "cv" path, whose name words are masked.
    assert shown("Castellan", plain) is named
    if named:
        assert data["cv"] == str(tmp_path / f"{MASK * 5}-{MASK * 9}-{MASK * 4}-cv.pdf")


def test_cli_text_redact_masks_one_for_one() -> None:
    path = SAMPLES / "cv-ml-engineer.docx"
    code, out, err = run("text", str(path), "--redact")
    _, plain, _ = run("text", str(path))
    assert code == 0
    assert err == f"warning: {CV_WARNING}\n"
    assert len(out) == len(plain)
    assert all(after in (before, MASK) for before, after in zip(plain, out, strict=True))
    for kind, values in personal_data(path).items():
        for value in values:
            assert value in plain and not shown(value, out), (kind, value)


def test_cli_batch_redact_names_files_by_their_content(tmp_path: Path) -> None:
    # blind screening: folder and file names often carry the candidate's name, so a batch
    # names every file by its content's hash; the sha256 column leads back to the file
    folder = tmp_path / "Priya Castellan-Hart"
    folder.mkdir()
    cv = named_copy(folder)
    (folder / "~$priya-castellan-hart-cv.docx").write_bytes(b"lock")
    code, out, _ = run(
        "batch", str(folder), "--job", JOB, "--redact", "--format", "json", "--workers", "1"
    )
    assert code == 0
    result = json.loads(out)
    digest = hashlib.sha256(cv.read_bytes()).hexdigest()
    [row] = result["results"]
    assert (row["file"], row["status"], row["score"]) == (f"cv-{digest[:12]}.pdf", "ok", 95.1)
    assert row["sha256"] == digest
    assert result["skipped"] == [{"file": "skipped-1.docx", "reason": "temporary file"}]
    assert "Castellan" not in out and "Priya" not in out

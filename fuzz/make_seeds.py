"""Write the seed corpora of the fuzz harnesses: ``fuzz/seeds/pdf`` and ``fuzz/seeds/docx``.

Seeds come from the project's own files only: the sample PDFs and DOCX files in ``samples/``
and small documents this script builds with fpdf2 and python-docx (one line, a table, a
header and footer, an empty page, an encrypted PDF, an uncompressed PDF whose operators the
fuzzer can see). The output is deterministic, so re-running it does not churn the seeds.

DOCX seeds use the input layout of ``fuzz_docx.py``: one selector byte, then the payload
(selector 0: a whole DOCX file; 1-4: the bytes of one XML part put into a valid DOCX).

Usage::

    python fuzz/make_seeds.py          # needs: pip install -e '.[fuzz]' (fpdf2, python-docx)
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"
SEEDS = HERE / "seeds"
FIXED_DATE = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)

sys.path.insert(0, str(HERE))
from common import PARTS, SELECTORS, TEMPLATE, docx_input  # noqa: E402


def main() -> None:
    pdf_dir, docx_dir = SEEDS / "pdf", SEEDS / "docx"
    for folder in (pdf_dir, docx_dir):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
    pdfs = [*(p.read_bytes() for p in sorted(SAMPLES.glob("*.pdf"))), *built_pdfs()]
    for data in pdfs:
        write_seed(pdf_dir, data)
    docx_files = [*(p.read_bytes() for p in sorted(SAMPLES.glob("*.docx"))), *built_docx()]
    for data in docx_files:
        write_seed(docx_dir, bytes([SELECTORS["file"]]) + data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            for part, selector in SELECTORS.items():
                if part != "file" and PARTS[part] in names:
                    write_seed(docx_dir, bytes([selector]) + archive.read(PARTS[part]))
    for part, selector in SELECTORS.items():
        if part in PARTS:
            write_seed(docx_dir, bytes([selector]) + TEMPLATE[PARTS[part]])
    template = docx_input(bytes([SELECTORS["document"]]) + TEMPLATE[PARTS["document"]])[0]
    write_seed(docx_dir, bytes([SELECTORS["file"]]) + template)
    print(f"{len(list(pdf_dir.iterdir()))} PDF seeds, {len(list(docx_dir.iterdir()))} DOCX seeds")


def write_seed(folder: Path, data: bytes) -> None:
    """Write ``data`` under its content hash (libFuzzer's naming), so duplicates collapse."""
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def built_pdfs() -> list[bytes]:
    """Small PDFs: text, two pages, no text, encrypted, uncompressed streams, a hand-written one."""
    from fpdf import FPDF

    def pdf(pages: list[list[str]], *, compress: bool = True, **encryption: str) -> bytes:
        document = FPDF()
        document.set_creation_date(FIXED_DATE)
        document.set_compression(compress)
        for lines in pages:
            document.add_page()
            document.set_font("helvetica", size=11)
            for line in lines:
                document.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        if encryption:
            document.set_encryption(**encryption)
        return bytes(document.output())

    cv = ["Ada Example", "SKILLS", "Python, SQL, PyTorch", "EXPERIENCE", "Data engineer 2020-24"]
    return [
        pdf([cv], compress=False),
        pdf([cv[:2], cv[2:]], compress=False),
        pdf([cv]),
        pdf([[]], compress=False),
        pdf([cv], owner_password="owner"),
        pdf([cv], owner_password="owner", user_password="user"),
        HAND_WRITTEN_PDF,
    ]


#: The smallest PDF with a text layer: one page, one Helvetica string, a correct xref table.
HAND_WRITTEN_PDF = b"""%PDF-1.4
1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj
2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj
3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R
/Resources <</Font <</F1 5 0 R>>>>>> endobj
4 0 obj <</Length 55>> stream
BT /F1 18 Tf 20 100 Td (Python and SQL skills) Tj ET
endstream endobj
5 0 obj <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>> endobj
trailer <</Root 1 0 R /Size 6>>
%%EOF
"""


def built_docx() -> list[bytes]:
    """Small DOCX files: paragraphs, a table, a header and footer, one with nothing in it."""
    from docx import Document

    def save(document: object) -> bytes:
        core = document.core_properties  # type: ignore[attr-defined]
        core.created = core.modified = FIXED_DATE.replace(tzinfo=None)
        core.author = core.last_modified_by = "skillmatch fuzz seeds"
        out = io.BytesIO()
        document.save(out)  # type: ignore[attr-defined]
        return normalise_zip(out.getvalue())

    plain = Document()
    plain.add_heading("SKILLS", level=1)
    plain.add_paragraph("Python, SQL and PyTorch; Docker on AWS.")
    table = Document()
    grid = table.add_table(rows=2, cols=2)
    for row, (left, right) in enumerate([("Languages", "Python, Go"), ("Data", "SQL")]):
        grid.cell(row, 0).text = left
        grid.cell(row, 1).text = right
    headed = Document()
    headed.sections[0].header.paragraphs[0].text = "Ada Example - CV"
    headed.sections[0].footer.paragraphs[0].text = "page 1"
    headed.add_paragraph("EXPERIENCE")
    headed.add_paragraph("Machine learning engineer, 2021 - present")
    empty = Document()
    return [save(plain), save(table), save(headed), save(empty)]


def normalise_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so the seed's hash does not change per run."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 12, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


if __name__ == "__main__":
    main()

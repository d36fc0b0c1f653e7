"""Builders of hostile and broken input files, for tests/test_hostile.py.

Each builder returns the bytes of one file. Raw PDFs are assembled object by object (with a
correct cross-reference table) so that they are broken in exactly one way; ordinary PDFs are
made with fpdf2.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from fpdf import FPDF

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given object bodies (object 1 is the catalog), cross-reference included."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_stream(data: bytes, extra: bytes = b"") -> bytes:
    """A stream object's body."""
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page_pdf(content: bytes, resources: bytes, *more: bytes) -> bytes:
    """A one-page raw PDF: catalog, pages, page (with ``resources``), content, then ``more``."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
            + resources
            + b" /Contents 4 0 R >>",
            pdf_stream(content),
            *more,
        ]
    )


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page_tree_loop_pdf() -> bytes:
    """A page tree whose only kid is itself: pdfium counts a page it cannot load."""
    return raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
    )


def no_pages_pdf() -> bytes:
    """A well-formed PDF with an empty page tree."""
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def pdfminer_loop_pdf() -> bytes:
    """Glued words and a Resources entry that refers to itself, on which pdfminer (the
    pdfplumber engine) loops for ever; pdfium reads it fine."""
    line = b"(Pythonmachinelearning engineerwithtensorflowexperience) Tj 0 -14 Td "
    content = b"BT /F1 10 Tf 72 720 Td " + line * 12 + b"ET"
    return one_page_pdf(content, b"6 0 R", HELVETICA, b"6 0 R")


def garbled_pdf() -> bytes:
    """A font whose ToUnicode map sends every letter to the private use area."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Garbled def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"1 beginbfrange <41> <5A> <E000> endbfrange\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    return one_page_pdf(
        b"BT /F1 12 Tf 72 720 Td (" + bytes(range(65, 91)) * 4 + b") Tj ET",
        b"<< /Font << /F1 5 0 R >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        pdf_stream(cmap),
    )


def _fpdf() -> FPDF:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    return pdf


def _bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """A CV-like PDF that needs a user password to open."""
    pdf = _fpdf()
    pdf.add_page()
    pdf.multi_cell(0, 6, "Jane Roe\nSkills: Python, SQL, statistics")
    pdf.set_encryption(owner_password="owner", user_password="user")
    return _bytes(pdf)


def scanned_pdf() -> bytes:
    """Pages that hold only a picture (what a scanner makes): no text layer at all."""
    from PIL import Image, ImageDraw

    picture = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(picture).text((20, 80), "Python SQL statistics", fill=0)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    pdf = _fpdf()
    for _ in range(2):
        pdf.add_page()
        pdf.image(io.BytesIO(buffer.getvalue()), x=10, y=10, w=190)
    return _bytes(pdf)


def many_pages_pdf(pages: int = 150) -> bytes:
    """A PDF with more pages than any CV (each a line of text)."""
    pdf = _fpdf()
    for number in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"Page {number + 1}: Python and SQL")
    return _bytes(pdf)


def dense_page_pdf(glyphs: int = 60_000) -> bytes:
    """One page of ``glyphs`` tiny characters in letter runs without spaces (glued words)."""
    letters = random.Random(8).choices("abcdefghijklmnopqrstuvwxyz", k=glyphs)
    pdf = FPDF()
    pdf.set_font("helvetica", size=2)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    line = 600
    for start in range(0, glyphs, line):
        pdf.cell(0, 0.8, "".join(letters[start : start + line]), new_x="LMARGIN", new_y="NEXT")
    return _bytes(pdf)


def truncated_pdf() -> bytes:
    """The first 40 % of a sample CV's PDF: no cross-reference table, cut mid-stream."""
    data = (SAMPLES / "cv-ml-engineer.pdf").read_bytes()
    return data[: len(data) * 4 // 10]


def random_bytes(size: int = 4096, seed: int = 1) -> bytes:
    """Noise (the same each run)."""
    return random.Random(seed).randbytes(size)

"""Render skillmatch's own sample CVs (plain-text sources) into PDF and DOCX files.

All people, companies and contact details in the sources are fictional.

The sources in this directory use a small Markdown-ish convention:

* line 1 is the person's name, line 2 the job title, then contact lines up to a blank line;
* a section heading is an upper-case line on its own ("SUMMARY", "SKILLS", ...);
* "- " starts a bullet point;
* an entry line is "Title | Organisation, Place | Dates" (the last part is rendered
  right-aligned on the same line as the title);
* in SKILLS, "Category: item, item" lines become a two-column table in DOCX.

Outputs are written next to this script and are byte-for-byte reproducible:
fixed creation dates and metadata in the PDFs, fixed core properties and zip
timestamps in the DOCX.

Usage::

    python samples/make_samples.py        # needs: pip install fpdf2 python-docx
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
FIXED_DATE = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CREATOR = "skillmatch samples/make_samples.py"
DATE_RE = re.compile(r"\b(19|20)\d\d\b|\bpresent\b", re.IGNORECASE)
HEADING_RE = re.compile(r"^[A-Z][A-Z &/]{2,40}$")

# Characters outside latin-1 that we map by hand when falling back to core fonts.
LATIN1_MAP = {"•": "-", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."}


@dataclass
class Entry:
    """A dated entry such as a job, a degree or a project."""

    title: str
    org: str
    dates: str


@dataclass
class Section:
    """A headed section of a CV; items are str paragraphs, bullets ("- ...") or Entries."""

    heading: str
    items: list[str | Entry] = field(default_factory=list)


@dataclass
class CV:
    """A parsed CV source."""

    name: str
    title: str
    contact: list[str]
    sections: list[Section]

    def section(self, heading: str) -> Section | None:
        """Return the section with this heading, if any."""
        return next((s for s in self.sections if s.heading == heading), None)


def parse_entry(line: str) -> Entry | None:
    """Parse "Title | Org | Dates" (or "Title | Dates"); None if the line is not an entry."""
    parts = [p.strip() for p in line.split(" | ")]
    if len(parts) < 2 or not DATE_RE.search(parts[-1]) or len(parts[-1]) > 30:
        return None
    return Entry(parts[0], ", ".join(parts[1:-1]), parts[-1])


def parse_cv(text: str) -> CV:
    """Parse a CV source text."""
    lines = text.splitlines()
    name, title = lines[0].strip(), lines[1].strip()
    i = 2
    contact: list[str] = []
    while i < len(lines) and lines[i].strip():
        contact.append(lines[i].strip())
        i += 1
    sections: list[Section] = []
    for raw in lines[i:]:
        line = raw.strip()
        if not line:
            continue
        if HEADING_RE.match(line):
            sections.append(Section(line))
            continue
        if not sections:
            sections.append(Section("SUMMARY"))
        entry = None if line.startswith("- ") else parse_entry(line)
        sections[-1].items.append(entry or line)
    return CV(name, title, contact, sections)


def load(stem: str) -> CV:
    """Load and parse samples/<stem>.txt."""
    return parse_cv((HERE / f"{stem}.txt").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- PDF


class CVPdf(FPDF):
    """FPDF with a Unicode font when available and deterministic metadata."""

    def __init__(self, cv: CV) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.unicode = (FONT_DIR / "DejaVuSans.ttf").exists() and (
            FONT_DIR / "DejaVuSans-Bold.ttf"
        ).exists()
        if self.unicode:
            self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.bullet = "•" if self.unicode else "-"
        self.set_creation_date(FIXED_DATE)
        self.set_title(f"{cv.name} - CV")
        self.set_author(cv.name)
        self.set_subject(cv.title)
        self.set_creator(CREATOR)
        self.set_producer(CREATOR)
        self.set_lang("en-GB")
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)

    def t(self, text: str) -> str:
        """Make text safe for the current font (latin-1 only with core fonts)."""
        if self.unicode:
            return text
        for src, dst in LATIN1_MAP.items():
            text = text.replace(src, dst)
        return text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False) -> None:
        """Select the document font."""
        self.set_font(self.family, "B" if bold else "", size)

    def heading(self, text: str) -> None:
        """Bold section heading with a rule under it."""
        self.ln(2.5)
        self.keep_with_next(20)
        self.font(11.5, bold=True)
        self.set_text_color(25, 55, 95)
        self.cell(0, 6.5, self.t(text), new_x="LMARGIN", new_y="NEXT")
        y = self.get_y()
        self.set_draw_color(25, 55, 95)
        self.set_line_width(0.3)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_text_color(0, 0, 0)
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 9.5) -> None:
        """Left-aligned wrapped paragraph (no justification: keeps extraction clean)."""
        self.font(size)
        self.multi_cell(0, 4.6, self.t(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(0.8)

    def bullet_item(self, text: str, size: float = 9.5) -> None:
        """A hanging-indent bullet point."""
        self.font(size)
        x = self.l_margin
        self.set_x(x + 2)
        self.cell(4, 4.6, self.bullet)
        self.set_x(x + 6)
        self.multi_cell(self.w - self.r_margin - x - 6, 4.6, self.t(text), align="L")
        self.set_x(x)
        self.ln(0.6)

    def keep_with_next(self, height: float) -> None:
        """Start a new page if less than `height` mm is left (avoids orphaned titles)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def entry(self, e: Entry, size: float = 10) -> None:
        """Bold title and organisation on the left, dates right-aligned on the same line.

        When "Title, Organisation" does not fit next to the dates (narrow columns), the
        organisation goes on its own line below.
        """
        self.ln(1)
        self.keep_with_next(16)
        self.font(size - 1)
        date_w = self.get_string_width(self.t(e.dates)) + 2 * self.c_margin
        avail = self.w - self.l_margin - self.r_margin - date_w - 2
        self.font(size, bold=True)
        title_w = self.get_string_width(self.t(e.title))
        self.font(size)
        org_w = self.get_string_width(self.t(", " + e.org)) if e.org else 0.0
        title_fits = title_w + 2 * self.c_margin <= avail
        inline_org = title_w + org_w + 2 * self.c_margin <= avail
        text = f"**{self.t(e.title)}**"
        if e.org and inline_org:
            text += self.t(", " + e.org)
        if not title_fits:  # long title: own line, dates move down next to the organisation
            self.multi_cell(0, 5.5, text, align="L", markdown=True, new_x="LMARGIN", new_y="NEXT")
            text = self.t(e.org)
            self.font(size - 1)
        self.cell(avail, 5.5, text, markdown=True)
        self.font(size - 1)
        self.set_text_color(80, 80, 80)
        self.set_x(self.w - self.r_margin - date_w)
        self.cell(date_w, 5.5, self.t(e.dates), align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        if e.org and title_fits and not inline_org:
            self.font(size - 1)
            self.multi_cell(0, 4.8, self.t(e.org), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(0.5)

    def skills_line(self, line: str, size: float = 9.5) -> None:
        """Render "Category: items" with the category in bold."""
        cat, sep, rest = line.partition(": ")
        if not sep:
            self.paragraph(line, size)
            return
        self.font(size)
        text = f"**{self.t(cat)}:** {self.t(rest)}"
        self.multi_cell(0, 4.6, text, align="L", markdown=True, new_x="LMARGIN", new_y="NEXT")
        self.ln(0.6)

    def items(self, section: Section) -> None:
        """Render a section's items."""
        for item in section.items:
            if isinstance(item, Entry):
                self.entry(item)
            elif item.startswith("- "):
                self.bullet_item(item[2:])
            elif section.heading in {"SKILLS", "ADDITIONAL"}:
                self.skills_line(item)
            else:
                self.paragraph(item)


def build_pdf_one_column(cv: CV, out: Path) -> None:
    """A conventional single-column CV."""
    pdf = CVPdf(cv)
    pdf.add_page()
    pdf.font(20, bold=True)
    pdf.cell(0, 9, pdf.t(cv.name), new_x="LMARGIN", new_y="NEXT")
    pdf.font(12)
    pdf.set_text_color(25, 55, 95)
    pdf.cell(0, 6.5, pdf.t(cv.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(70, 70, 70)
    pdf.font(9)
    for line in cv.contact:
        pdf.cell(0, 4.6, pdf.t(line), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    for section in cv.sections:
        pdf.heading(section.heading)
        pdf.items(section)
    pdf.output(str(out))


def build_pdf_two_column(cv: CV, out: Path) -> None:
    """Left sidebar (contact, skills, education), right main column (the rest)."""
    side_names = ("CONTACT", "SKILLS", "EDUCATION")
    side_w, gap = 62.0, 7.0
    pdf = CVPdf(cv)
    pdf.set_margins(10, 14, 10)
    pdf.add_page()
    pdf.set_fill_color(236, 241, 247)
    pdf.rect(0, 0, side_w + 4, pdf.h, style="F")

    # Sidebar.
    pdf.set_left_margin(8)
    pdf.set_right_margin(pdf.w - side_w)
    pdf.set_xy(8, 14)
    contact = Section("CONTACT", [c for line in cv.contact for c in line.split(" | ")])
    for section in [contact, *(s for s in cv.sections if s.heading in side_names[1:])]:
        pdf.heading(section.heading)
        for item in section.items:
            if isinstance(item, Entry):
                pdf.font(8.5, bold=True)
                pdf.multi_cell(0, 4.2, pdf.t(item.title), align="L", new_x="LMARGIN", new_y="NEXT")
                pdf.font(8)
                pdf.multi_cell(
                    0,
                    4,
                    pdf.t(f"{item.org}, {item.dates}"),
                    align="L",
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
                pdf.ln(0.8)
            elif item.startswith("- "):
                pdf.bullet_item(item[2:], size=8)
            elif section.heading == "SKILLS":
                pdf.skills_line(item, size=8)
            else:
                pdf.paragraph(item, size=8)
    if pdf.page != 1:
        raise RuntimeError("two-column sidebar overflowed the first page")

    # Main column.
    pdf.set_left_margin(side_w + gap)
    pdf.set_right_margin(12)
    pdf.set_xy(side_w + gap, 14)
    pdf.font(20, bold=True)
    pdf.cell(0, 9, pdf.t(cv.name), new_x="LMARGIN", new_y="NEXT")
    pdf.font(12)
    pdf.set_text_color(25, 55, 95)
    pdf.cell(0, 6.5, pdf.t(cv.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    for section in cv.sections:
        if section.heading in side_names:
            continue
        pdf.heading(section.heading)
        pdf.items(section)
    pdf.output(str(out))


# -------------------------------------------------------------------------- DOCX


def build_docx(cv: CV, out: Path) -> None:
    """Headings, bullet paragraphs, right-tabbed dates and the skills as a 2-column table."""
    from docx import Document
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    doc = Document()
    for sect in doc.sections:
        sect.left_margin = sect.right_margin = Cm(2)
        sect.top_margin = sect.bottom_margin = Cm(1.8)
    text_width = doc.sections[0].page_width - doc.sections[0].left_margin * 2
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)

    props = doc.core_properties
    props.title = f"{cv.name} - CV"
    props.author = cv.name
    props.last_modified_by = CREATOR
    props.subject = cv.title
    props.comments = "Fictional sample CV generated by skillmatch's samples/make_samples.py"
    props.created = props.modified = props.last_printed = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1

    doc.add_heading(cv.name, level=0)
    doc.add_paragraph(cv.title, style="Subtitle")
    for line in cv.contact:
        doc.add_paragraph(line)

    for section in cv.sections:
        doc.add_heading(section.heading.title(), level=1)
        if section.heading == "SKILLS":
            rows = [item.partition(": ") for item in section.items if isinstance(item, str)]
            table = doc.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for cat, _, rest in rows:
                cells = table.add_row().cells
                cells[0].text = cat
                cells[0].paragraphs[0].runs[0].bold = True
                cells[1].text = rest
            for row in table.rows:
                row.cells[0].width = Cm(4.5)
                row.cells[1].width = text_width - Cm(4.5)
            continue
        for item in section.items:
            if isinstance(item, Entry):
                p = doc.add_paragraph()
                p.paragraph_format.space_before = Pt(6)
                p.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
                p.add_run(item.title).bold = True
                if item.org:
                    p.add_run(f", {item.org}")
                p.add_run(f"\t{item.dates}").italic = True
            elif item.startswith("- "):
                doc.add_paragraph(item[2:], style="List Bullet")
            else:
                cat, sep, rest = item.partition(": ")
                p = doc.add_paragraph()
                if sep and section.heading == "ADDITIONAL":
                    p.add_run(f"{cat}: ").bold = True
                    p.add_run(rest)
                else:
                    p.add_run(item)

    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(normalise_zip(buf.getvalue()))


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps so the file is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    dst_buf = io.BytesIO()
    with zipfile.ZipFile(dst_buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 12, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return dst_buf.getvalue()


# -------------------------------------------------------------------------- main


def main() -> None:
    """Render every sample output into this directory."""
    ml = load("cv-ml-engineer")
    build_pdf_one_column(ml, HERE / "cv-ml-engineer.pdf")
    build_docx(ml, HERE / "cv-ml-engineer.docx")
    build_pdf_two_column(ml, HERE / "cv-ml-engineer-two-column.pdf")
    build_pdf_one_column(load("cv-data-analyst"), HERE / "cv-data-analyst.pdf")
    build_docx(load("cv-frontend-developer"), HERE / "cv-frontend-developer.docx")
    build_pdf_one_column(load("cv-nontechnical"), HERE / "cv-nontechnical.pdf")
    for name in (
        "cv-ml-engineer.pdf",
        "cv-ml-engineer.docx",
        "cv-ml-engineer-two-column.pdf",
        "cv-data-analyst.pdf",
        "cv-frontend-developer.docx",
        "cv-nontechnical.pdf",
    ):
        print(f"wrote samples/{name} ({(HERE / name).stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()

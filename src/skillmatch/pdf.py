"""The PDF engine: open a PDF with pypdfium2 and extract clean text page by page.

Errors from pdfium are turned into :mod:`skillmatch.errors` exceptions with a message naming
the file and the fix: a password-protected PDF, a damaged file, a scanned PDF with no text layer.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from skillmatch.errors import EncryptedDocumentError, InputError, NoTextError
from skillmatch.limits import DEFAULT_LIMITS, Limits, check_limit
from skillmatch.models import HiddenText
from skillmatch.pdf_layout import fast_page, read_textpage
from skillmatch.textclean import clean_page_text

#: Warn when at least this share of a page's glyphs could not be read as text.
UNREADABLE_WARNING = 0.05
#: Pages read so far by each engine in this process: ``"fast"`` (pdfium's text, checked by
#: quality signals) or ``"layout"`` (the char-box layout reader). Benchmarks report it.
PAGE_ENGINES: Counter[str] = Counter()


@dataclass(frozen=True)
class PdfText:
    """Extracted PDF text: the pages' texts (already cleaned), per-page warnings and the text
    left out because a reader cannot see it."""

    pages: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    hidden: tuple[HiddenText, ...] = ()


def open_pdf(data: bytes, name: str) -> pdfium.PdfDocument:
    """Open PDF bytes; an owner password alone does not stop reading.

    Raises :class:`EncryptedDocumentError` when a user password is needed and
    :class:`InputError` for a damaged file.
    """
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if (
            getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD
            or "password" in str(error).lower()
        ):
            raise EncryptedDocumentError(
                f"{name}: the PDF is encrypted and needs a password to open; save an "
                "unprotected copy (e.g. print it to PDF) and try again"
            ) from None
        raise InputError(
            f"{name}: not a readable PDF ({error}); re-export or re-download the file"
        ) from None


def extract_pdf(
    data: bytes, name: str, *, limits: Limits = DEFAULT_LIMITS, include_hidden: bool = False
) -> PdfText:
    """The cleaned text of every page of a PDF.

    Raises :class:`NoTextError` when no page has a text layer (a scanned PDF) or the PDF has
    no pages, :class:`~skillmatch.errors.TooLargeError` over the page or character limits.
    """
    document = open_pdf(data, name)
    try:
        page_count = len(document)
        if page_count == 0:
            raise NoTextError(
                f"{name}: the PDF has no pages (its page tree is empty or broken); "
                "re-export the file",
                code="empty_document",
            )
        check_limit(name, "pages", page_count, limits.pages, "pages")
        pages: list[str] = []
        warnings: list[str] = []
        chars = 0
        for index in range(page_count):
            text, page_warnings = _page_text(document, index, data)
            chars += len(text)
            check_limit(name, "characters", chars, limits.chars, "chars")
            pages.append(text)
            warnings.extend(f"page {index + 1}: {w}" for w in page_warnings)
    except pdfium.PdfiumError as error:
        raise InputError(f"{name}: damaged PDF ({error}); re-export the file") from None
    finally:
        document.close()
    if not any(page.strip() for page in pages):
        raise NoTextError(
            f"{name}: the PDF has no text layer (it looks scanned); run OCR first "
            "(e.g. `ocrmypdf in.pdf out.pdf`) or export the CV as a text PDF",
            code="no_text_layer",
        )
    warnings.extend(
        f"page {number}: no text layer (a scanned page?); its content is missing"
        for number, page in enumerate(pages, start=1)
        if not page.strip()
    )
    return PdfText(pages=tuple(pages), warnings=tuple(warnings))


def _page_text(document: pdfium.PdfDocument, index: int, data: bytes) -> tuple[str, list[str]]:
    """Clean text of one page and its warnings (unreadable glyph share).

    When the page text looks glued (many over-long words), pdfplumber's word grouping is
    asked for a second opinion and the less glued text wins.
    """
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            result = fast_page(textpage)
            engine = "fast"
            if result is None:
                result = read_textpage(textpage)
                engine = "layout"
        finally:
            textpage.close()
    finally:
        page.close()
    PAGE_ENGINES[engine] += 1
    warnings = []
    if result.glyphs and result.unreadable / result.glyphs >= UNREADABLE_WARNING:
        share = round(100 * result.unreadable / result.glyphs)
        warnings.append(f"{share}% of characters were unreadable (icon or unmapped glyphs)")
    text = clean_page_text(result.text)
    if glue_score(text) > GLUE_LIMIT:
        other = _pdfplumber_page(data, index)
        if other is not None and glue_score(other) < glue_score(text):
            text = other
    return text, warnings


#: Share of over-long words above which a page's word spacing is doubted.
GLUE_LIMIT = 0.02
_LONG_WORD = re.compile(r"[^\W\d_]{21,}")


def glue_score(text: str) -> float:
    """Share of the words of ``text`` that are suspiciously long letter runs (glued words)."""
    words = text.split()
    if len(words) < 5:
        return 0.0
    glued = sum(1 for word in words if _LONG_WORD.search(word) and "/" not in word)
    return glued / len(words)


def _pdfplumber_page(data: bytes, index: int) -> str | None:
    """pdfplumber's text of one page (stream order, font-relative word gaps), or ``None``."""
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            text = pdf.pages[index].extract_text(use_text_flow=True, x_tolerance_ratio=0.15)
    except Exception:  # a second opinion only: any pdfminer failure keeps our text
        return None
    return clean_page_text(text or "")

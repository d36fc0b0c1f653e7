"""The PDF reader: open a PDF with pypdfium2 and extract clean text page by page.

By default the words and lines of every page are rebuilt from where pdfium says each glyph is
drawn (:mod:`skillmatch.read.pdf_glyphs`, :mod:`skillmatch.read.pdf_layout`); the
``pdfplumber`` engine reads the text with pdfplumber instead (:mod:`skillmatch.read.pdf_plumber`).

Errors from pdfium are turned into :mod:`skillmatch.errors` exceptions with a message naming
the file and the fix: a password-protected PDF, a damaged file, a scanned PDF with no text layer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from skillmatch.errors import EncryptedDocumentError, GarbledTextError, InputError, NoTextError
from skillmatch.limits import DEFAULT_LIMITS, Limits, check_limit
from skillmatch.models import HiddenText
from skillmatch.read.pdf_hidden import find_hidden
from skillmatch.read.pdf_layout import read_textpage
from skillmatch.read.pdf_plumber import char_boxes, pdfplumber_page
from skillmatch.read.textclean import clean_page_text

#: Warn when at least this share of a page's glyphs could not be read as text.
UNREADABLE_WARNING = 0.05
#: The PDF engines: ``"pdfium"`` (the default: pdfium's characters, words and lines rebuilt from
#: the glyph boxes) and ``"pdfplumber"`` (pdfplumber's ``extract_text``, about 20 times slower:
#: the reference the default is measured against).
PDF_ENGINES = ("pdfium", "pdfplumber")
#: Pages read so far by each engine in this process. Benchmarks report it.
PAGE_ENGINES: Counter[str] = Counter()


@dataclass(frozen=True)
class PdfText:
    """Extracted PDF text: the pages' texts (already cleaned), per-page warnings and the text
    left out because a reader cannot see it."""

    pages: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    hidden: tuple[HiddenText, ...] = ()


_EMPTY_PAGE_TREE = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b")


def open_pdf(data: bytes, name: str) -> pdfium.PdfDocument:
    """Open PDF bytes; an owner password alone does not stop reading.

    Raises :class:`EncryptedDocumentError` when a user password is needed and
    :class:`InputError` for a damaged file.
    """
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        # pdfium's last-error code is process-wide and only set by some failures, so a code
        # may be left over from an earlier file: each is checked against the bytes too
        code = getattr(error, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD and b"/Encrypt" in data:
            raise EncryptedDocumentError(
                f"{name}: the PDF is encrypted and needs a password to open; save an "
                "unprotected copy (e.g. print it to PDF) and try again"
            ) from None
        if _EMPTY_PAGE_TREE.search(data) or code == pdfium_c.FPDF_ERR_SUCCESS:
            # pdfium refuses a document without a single page but reports no error
            raise NoTextError(
                f"{name}: the PDF has no pages (its page tree is empty or broken); "
                "re-export the file",
                code="empty_document",
            ) from None
        raise InputError(
            f"{name}: not a readable PDF (damaged, truncated or not a PDF); re-export or "
            "re-download the file"
        ) from None


def extract_pdf(
    data: bytes,
    name: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    include_hidden: bool = False,
    engine: str = "pdfium",
) -> PdfText:
    """The cleaned text of every page of a PDF.

    Text a reader cannot see (invisible, background-coloured, tiny, off-page or covered; see
    :mod:`skillmatch.read.pdf_hidden`) is left out unless ``include_hidden`` is true, and is listed
    in ``PdfText.hidden`` either way. ``engine`` is one of :data:`PDF_ENGINES`.

    Raises :class:`NoTextError` when no page has a text layer (a scanned PDF) or the PDF has
    no pages, :class:`~skillmatch.errors.TooLargeError` over the page or character limits.
    """
    if engine not in PDF_ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r} (known: {', '.join(PDF_ENGINES)})")
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
        hidden: list[HiddenText] = []
        chars = glyphs = unreadable = 0
        for index in range(page_count):
            text, page_warnings, counts, page_hidden = _page_text(
                document, index, data, include_hidden, engine, name
            )
            hidden.extend(page_hidden)
            glyphs, unreadable = glyphs + counts[0], unreadable + counts[1]
            chars += len(text)
            check_limit(name, "characters", chars, limits.chars, "chars")
            pages.append(text)
            warnings.extend(f"page {index + 1}: {w}" for w in page_warnings)
    except pdfium.PdfiumError:
        # a page pdfium counts but cannot load: a broken page tree (e.g. a page that is its
        # own parent), so no page can be read
        raise NoTextError(
            f"{name}: a page of the PDF cannot be read (its page tree is broken); "
            "re-export the file",
            code="empty_document",
        ) from None
    finally:
        document.close()
    if glyphs and unreadable / glyphs >= GARBLED_SHARE:
        raise GarbledTextError(
            f"{name}: {round(100 * unreadable / glyphs)}% of the PDF's characters are unreadable "
            "(its fonts do not map to text); export the CV again from the original, or run "
            "OCR on it (e.g. `ocrmypdf --force-ocr in.pdf out.pdf`)"
        )
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
    return PdfText(pages=tuple(pages), warnings=tuple(warnings), hidden=tuple(hidden))


#: A PDF with at least this share of unreadable glyphs is garbled, not a CV with icons.
GARBLED_SHARE = 0.5


def _page_text(
    document: pdfium.PdfDocument,
    index: int,
    data: bytes,
    include_hidden: bool,
    engine: str,
    name: str,
) -> tuple[str, list[str], tuple[int, int], tuple[HiddenText, ...]]:
    """Clean text of one page, its warnings (unreadable glyph share), its counts of glyphs
    and of unreadable glyphs, and its hidden text (left out unless ``include_hidden``)."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            hidden = find_hidden(page, textpage, index + 1)
            skip = () if include_hidden else hidden.chars
            result = read_textpage(textpage, skip=skip)
            if engine == "pdfplumber":
                hidden_boxes = char_boxes(textpage, skip)
        finally:
            textpage.close()
    finally:
        page.close()
    PAGE_ENGINES[engine] += 1
    warnings = []
    if result.glyphs and result.unreadable / result.glyphs >= UNREADABLE_WARNING:
        share = round(100 * result.unreadable / result.glyphs)
        warnings.append(f"{share}% of characters were unreadable (icon or unmapped glyphs)")
    if engine == "pdfplumber":
        text = pdfplumber_page(data, index, hidden_boxes, name=name)
    else:
        text = clean_page_text(result.text)
    return text, warnings, (result.glyphs, result.unreadable), hidden.parts

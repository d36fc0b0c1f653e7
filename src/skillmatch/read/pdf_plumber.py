"""The ``pdfplumber`` PDF engine (``--pdf-engine pdfplumber``): pdfplumber's text of a page.

The project's PDF stack before the pdfium reader, kept as an explicit choice and as the slow
reference the default engine is measured against (about 20 times slower). Hidden text found by
:mod:`skillmatch.read.pdf_hidden` on the pdfium page is left out here too: pdfplumber's
characters whose centre lies in the box of a hidden pdfium character are dropped.
"""

from __future__ import annotations

import ctypes
import io
import logging
from collections.abc import Collection

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from skillmatch.errors import InputError
from skillmatch.read.textclean import clean_page_text

#: pdfplumber's word gap, as a share of the font size (as pdfplumber's ``x_tolerance_ratio``).
X_TOLERANCE_RATIO = 0.15
#: A pdfplumber character within this many points of a hidden pdfium box is hidden too.
BOX_TOLERANCE = 0.5

Box = tuple[float, float, float, float]


def char_boxes(textpage: pdfium.PdfTextPage, indexes: Collection[int]) -> list[Box]:
    """The loose boxes (left, bottom, right, top in PDF points) of the chars at ``indexes``."""
    rect = pdfium_c.FS_RECTF()
    boxes = []
    for index in sorted(indexes):
        if pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, ctypes.byref(rect)):
            boxes.append((rect.left, rect.bottom, rect.right, rect.top))
    return boxes


def pdfplumber_page(
    data: bytes, index: int, hidden: Collection[Box] = (), *, name: str = "-"
) -> str:
    """pdfplumber's cleaned text of page ``index`` (stream order, font-relative word gaps),
    without the characters that lie in the ``hidden`` boxes; ``name`` is for the error."""
    import pdfplumber  # pdfminer loads only for --pdf-engine pdfplumber

    # pdfminer logs what it finds odd in the file; that is not for our users' stderr
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[index]
            if hidden:
                page = page.filter(lambda obj: not _in_any(obj, page.height, hidden))
            text = page.extract_text(use_text_flow=True, x_tolerance_ratio=X_TOLERANCE_RATIO)
    except Exception as error:  # pdfminer's failures are many and undocumented
        raise InputError(
            f"{name}: pdfplumber cannot read page {index + 1} ({type(error).__name__}); "
            "try the default engine (--pdf-engine pdfium)",
            code="damaged",
        ) from None
    return clean_page_text(text or "")


def _in_any(obj: dict[str, object], height: float, boxes: Collection[Box]) -> bool:
    """True when a pdfplumber character's centre lies in one of the pdfium ``boxes``."""
    if obj.get("object_type") != "char":
        return False
    x = (float(obj["x0"]) + float(obj["x1"])) / 2  # type: ignore[arg-type]
    y = height - (float(obj["top"]) + float(obj["bottom"])) / 2  # type: ignore[arg-type]
    tolerance = BOX_TOLERANCE
    return any(
        left - tolerance <= x <= right + tolerance and bottom - tolerance <= y <= top + tolerance
        for left, bottom, right, top in boxes
    )

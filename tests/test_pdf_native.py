"""The C loops of the PDF reader (``read/_pdfscan.c``) give pdfium's answers exactly as the
Python loops do, and the reader decides the same with either; the hidden-text screen's quick
walk decides as its exact one."""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Iterator

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from conftest import SAMPLES, corpus_path
from glyph_pdfs import STYLES
from skillmatch.read import pdf_native
from skillmatch.read.pdf import extract_pdf
from skillmatch.read.pdf_hidden import find_hidden, screen_page
from skillmatch.read.pdf_objects import Handle
from tricks import PDF_DESIGNS, PDF_TRICKS, PdfParts, hidden_ops, pdf

needs_native = pytest.mark.skipif(not pdf_native.NATIVE, reason="the C loops are not built here")


def built_pdfs() -> dict[str, bytes]:
    """The project's sample PDFs, the hidden-text tricks and honest designs, and a sample CV
    written in each glyph style of ``tests/glyph_pdfs.py``."""
    pdfs = {path.name: path.read_bytes() for path in sorted(SAMPLES.glob("*.pdf"))}
    pdfs.update({f"trick: {name}": build() for name, build in PDF_TRICKS.items()})
    pdfs.update({f"design: {name}": build() for name, build in PDF_DESIGNS.items()})
    text = (SAMPLES / "cv-ml-engineer.txt").read_text(encoding="utf-8")
    pdfs.update({f"style: {name}": build(text) for name, build in STYLES.items()})
    pdfs["two tricks: close colour, blend mode"] = close_colour_and_blend_mode()
    return pdfs


def close_colour_and_blend_mode() -> bytes:
    """A page where the screen's quick walk must give up (text on a box of almost its colour)
    after asking whether other text is blended (which changes that text)."""
    box = b"0.1 0.2 0.4 rg 60 390 520 30 re f\n" + hidden_ops(b"0.11 0.21 0.41 rg")
    blended = b"q /GS1 gs\n" + hidden_ops(b"0 g", y=300) + b"Q\n"
    return pdf(PdfParts(after=blended + box, resources=b"/ExtGState << /GS1 << /BM /Lighten >> >>"))


def corpus_pdfs(limit: int = 40) -> dict[str, bytes]:
    """Every fourth corpus PDF, up to ``limit`` (none without the corpus)."""
    paths = sorted(corpus_path().rglob("*.pdf"))[::4][:limit]
    return {str(path): path.read_bytes() for path in paths}


def pages(data: bytes) -> Iterator[tuple[pdfium.PdfPage, pdfium.PdfTextPage]]:
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            yield page, page.get_textpage()
    finally:
        document.close()


def test_the_build_made_the_c_loops_where_a_compiler_exists() -> None:
    """``pip install`` compiled them (``hatch_build.py``) wherever it could."""
    if not any(map(shutil.which, ("cc", "gcc", "clang"))):
        pytest.skip("no C compiler here: the Python loops are the only ones")
    if os.environ.get("SKILLMATCH_PURE_PYTHON"):
        pytest.skip("SKILLMATCH_PURE_PYTHON asks for the Python loops")
    assert pdf_native.NATIVE, "a C compiler exists but the PDF reader's C loops were not built"


@needs_native
@pytest.mark.parametrize("source", ["built", "corpus"])
def test_c_and_python_loops_give_the_same_arrays(source: str) -> None:
    pdfs = built_pdfs() if source == "built" else corpus_pdfs()
    if not pdfs:
        pytest.skip("development corpus not found")
    checked = 0
    for name, data in pdfs.items():
        for page, textpage in pages(data):
            handle = ctypes.cast(page.raw, Handle)
            count = pdfium_c.FPDFPage_CountObjects(page.raw)
            table, geometry = pdf_native.scan_objects(handle, count)
            python_table = np.empty_like(table)
            python_geometry = np.zeros_like(geometry)
            pdf_native._scan_objects(handle, count, False, python_table, python_geometry)
            assert np.array_equal(table, python_table), name
            assert np.array_equal(geometry, python_geometry), name

            text = ctypes.cast(textpage.raw, Handle)
            chars = textpage.count_chars()
            owners = np.zeros(chars, dtype=np.int64)
            pdf_native._char_objects(text, owners)
            assert np.array_equal(pdf_native.char_objects(text, chars), owners), name
            skip = np.arange(chars) % 5 == 0
            boxes = np.zeros((chars, 4), dtype=np.float32)
            pdf_native._loose_boxes(text, skip, boxes)
            assert np.array_equal(pdf_native.loose_boxes(text, skip), boxes), name
            checked += count
    assert checked > 100


@needs_native
def test_the_reader_decides_the_same_without_the_c_loops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hidden text and page text come out the same from both loops, on the tricks too."""
    pdfs = {**built_pdfs(), **corpus_pdfs(limit=12)}

    def read_all() -> dict[str, tuple[object, ...]]:
        found: dict[str, tuple[object, ...]] = {}
        for name, data in pdfs.items():
            hidden = [find_hidden(page, textpage, 1) for page, textpage in pages(data)]
            text = extract_pdf(data, name="test.pdf")
            found[name] = (*((h.chars, h.parts) for h in hidden), text)
        return found

    native = read_all()
    monkeypatch.setattr(pdf_native, "_NATIVE", None)
    assert read_all() == native
    with_hidden = [
        name
        for name, pages_found in native.items()
        if any(
            chars
            for chars, _ in pages_found[:-1]  # type: ignore[misc]
        )
    ]
    assert len(with_hidden) >= 20  # the tricks were found both ways, not just missed alike


def test_a_library_of_another_version_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A library built for another interface version (an older build left behind) is
    ignored: the Python loops run."""
    monkeypatch.setattr(pdf_native, "_VERSION", pdf_native._VERSION + 1)
    assert pdf_native._load() is None


def test_pure_python_can_be_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLMATCH_PURE_PYTHON", "1")
    assert pdf_native._load() is None


def test_a_count_pdfium_could_not_make_reads_as_nothing() -> None:
    """pdfium answers -1 for a form or text page it cannot count (a damaged file): that is no
    objects, not a crash."""
    data = (SAMPLES / "cv-ml-engineer.pdf").read_bytes()
    for page, textpage in pages(data):
        table, geometry = pdf_native.scan_objects(ctypes.cast(page.raw, Handle), -1)
        assert table.shape == (0, pdf_native.COLUMNS) and geometry.shape == (0, pdf_native.FLOATS)
        assert len(pdf_native.char_objects(ctypes.cast(textpage.raw, Handle), -1)) == 0


@pytest.mark.parametrize("source", ["built", "corpus"])
def test_the_screens_quick_walk_decides_as_the_exact_one(source: str) -> None:
    """The walk that judges a page's quiet text at once, after its shapes, finds the same
    suspects and render reason as the run-by-run walk, on every trick, design and style (the
    tricks include the pages where it must give up and walk again)."""
    pdfs = built_pdfs() if source == "built" else corpus_pdfs()
    if not pdfs:
        pytest.skip("development corpus not found")
    for name, data in pdfs.items():
        # each walk reads its own copy: asking whether text is blended changes the page
        quick = [screened(page, textpage, defer=True) for page, textpage in pages(data)]
        exact = [screened(page, textpage, defer=False) for page, textpage in pages(data)]
        assert quick == exact, name


def screened(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, defer: bool) -> object:
    """The screen's answer with each suspect named by its place among the page's objects
    (forms' objects included) instead of its address."""
    suspects, paint = screen_page(page, textpage, defer=defer)
    places = {
        ctypes.cast(obj.raw, ctypes.c_void_p).value: place
        for place, obj in enumerate(page.get_objects(max_depth=16))
    }
    return {places[address]: suspect for address, suspect in suspects.items()}, paint


def test_a_page_walked_twice_keeps_what_the_first_walk_learnt() -> None:
    """Both tricks are found though the quick walk gave up after the blend-mode question."""
    document = pdfium.PdfDocument(close_colour_and_blend_mode())
    page = document[0]
    suspects, _ = screen_page(page, page.get_textpage())
    document.close()
    assert sorted(suspect.reason for suspect in suspects.values()) == [
        "background_colour",
        "blended",
    ]

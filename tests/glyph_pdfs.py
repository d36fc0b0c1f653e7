"""Builders of PDFs that place text the way real exporters do, for tests/test_pdf_glyphs.py.

Every builder lays a text out in Helvetica (one of the 14 standard fonts: no font program, so
pdfium measures the glyphs from its own metrics) on US Letter pages, word wrapped, and writes
**no space characters at all**: word gaps exist only as positions. The styles:

- ``per_glyph``: wkhtmltopdf (Qt 4.8.7): every glyph in its own ``BT x y Td (c) Tj ET``;
- ``per_word``: every word in its own text object;
- ``tj_kerning``: Word's "Save as PDF": one ``TJ`` array a line, the word gaps as numbers;
- ``flipped``: Google Docs / Skia: a y-flipped page transform, a font size of 1 scaled by the
  text matrix, every word positioned by ``Tm``;
- ``design_tool``: Canva/Figma-like: many small runs of one to three glyphs, each with its own
  ``Tm``, and letter-spaced upper-case headings (``Tc``);
- ``justified``: LaTeX-like justified lines: word gaps stretched to fill the line.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

from fpdf.fonts import CORE_FONTS_CHARWIDTHS

from hostile import HELVETICA, pdf_stream, raw_pdf

WIDTHS = CORE_FONTS_CHARWIDTHS["helvetica"]
#: Page geometry (points): US Letter, 72 pt margins.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 612.0, 792.0, 72.0
SPACE = 278  # Helvetica's space width, in thousandths of the font size


def latin1_words(text: str) -> list[list[str]]:
    """The text's lines as lists of words, with characters outside Latin-1 (which the standard
    fonts cannot show) replaced by ``?``."""
    lines = []
    for line in text.splitlines():
        cleaned = "".join(c if 32 < ord(c) < 256 and c not in "()\\" else " " for c in line)
        words = [w for w in cleaned.split() if w]
        if words:
            lines.append(words)
    return lines


def shown_text(text: str) -> str:
    """What the builders draw of ``text`` (the reference to measure recall against)."""
    return "\n".join(" ".join(words) for words in latin1_words(text))


def width(word: str, size: float) -> float:
    """Advance width of ``word`` in Helvetica at ``size`` points."""
    return sum(WIDTHS.get(c, 556) for c in word) * size / 1000


def layout(text: str, size: float, gap: float) -> Iterator[tuple[int, float, list[str]]]:
    """(page, baseline y, words) of each laid-out line: source lines wrapped at the margin."""
    page, y = 0, PAGE_HEIGHT - MARGIN
    limit = PAGE_WIDTH - 2 * MARGIN
    for words in latin1_words(text):
        line: list[str] = []
        used = 0.0
        for word in words:
            extra = width(word, size) + (gap if line else 0.0)
            if line and used + extra > limit:
                yield page, y, line
                page, y = _next_line(page, y, size)
                line, used = [], 0.0
                extra = width(word, size)
            line.append(word)
            used += extra
        if line:
            yield page, y, line
            page, y = _next_line(page, y, size)


def _next_line(page: int, y: float, size: float) -> tuple[int, float]:
    y -= size * 1.4
    if y < MARGIN:
        return page + 1, PAGE_HEIGHT - MARGIN
    return page, y


def _escape(text: str) -> bytes:
    return text.encode("latin-1")


def per_glyph(text: str, size: float = 9.0) -> bytes:
    """wkhtmltopdf-like: one text object per glyph, no spaces."""

    def draw(y: float, words: list[str]) -> list[bytes]:
        out, x = [], MARGIN
        for word in words:
            for char in word:
                out.append(b"BT /F1 %.2f Tf %.2f %.2f Td (%s) Tj ET" % (size, x, y, _escape(char)))
                x += width(char, size)
            x += SPACE * size / 1000
        return out

    return _pages(text, size, SPACE * size / 1000, draw)


def per_word(text: str, size: float = 10.0) -> bytes:
    """One text object per word, no spaces."""

    def draw(y: float, words: list[str]) -> list[bytes]:
        out, x = [], MARGIN
        for word in words:
            out.append(b"BT /F1 %.2f Tf %.2f %.2f Td (%s) Tj ET" % (size, x, y, _escape(word)))
            x += width(word, size) + SPACE * size / 1000
        return out

    return _pages(text, size, SPACE * size / 1000, draw)


def tj_kerning(text: str, size: float = 11.0) -> bytes:
    """Word-like: one TJ array a line, word gaps as displacements, small kerning inside words."""
    rng = random.Random(3)

    def draw(y: float, words: list[str]) -> list[bytes]:
        parts = []
        for number, word in enumerate(words):
            if number:
                parts.append(b"%d" % -SPACE)
            pieces = [word[i : i + 2] for i in range(0, len(word), 2)]
            kerned = b"".join(
                b"(%s)%d" % (_escape(p), rng.choice((0, 10, -10, 20))) for p in pieces
            )
            parts.append(kerned)
        array = b" ".join(parts)
        return [b"BT /F1 %.2f Tf %.2f %.2f Td [%s] TJ ET" % (size, MARGIN, y, array)]

    return _pages(text, size, SPACE * size / 1000, draw)


def flipped(text: str, size: float = 10.5) -> bytes:
    """Skia/Google-Docs-like: y-flipped page, font size 1 scaled by Tm, a Tm per word."""

    def draw(y: float, words: list[str]) -> list[bytes]:
        out, x = [b"q 1 0 0 -1 0 %.2f cm BT /F1 1 Tf" % PAGE_HEIGHT], MARGIN
        for word in words:
            out.append(
                b"%.2f 0 0 -%.2f %.2f %.2f Tm (%s) Tj"
                % (size, size, x, PAGE_HEIGHT - y, _escape(word))
            )
            x += width(word, size) + SPACE * size / 1000
        out.append(b"ET Q")
        return out

    return _pages(text, size, SPACE * size / 1000, draw)


def design_tool(text: str, size: float = 10.0) -> bytes:
    """Canva/Figma-like: runs of 1-3 glyphs with their own Tm; upper-case lines letter-spaced."""
    rng = random.Random(5)
    spacing = 0.2 * size  # Tc: 0.2 em between letters of a heading

    def draw(y: float, words: list[str]) -> list[bytes]:
        heading = all(w.isupper() for w in words) and len(words) <= 4
        tc = spacing if heading else 0.0
        out, x = [], MARGIN
        for word in words:
            at = 0
            while at < len(word):
                run = word[at : at + rng.randint(1, 3)]
                out.append(
                    b"BT /F1 1 Tf %.3f Tc %.2f 0 0 %.2f %.2f %.2f Tm (%s) Tj ET"
                    % (tc / size, size, size, x, y, _escape(run))
                )
                x += width(run, size) + tc * len(run)
                at += len(run)
            x += SPACE * size / 1000 + tc
        return out

    return _pages(text, size, SPACE * size / 1000 + spacing, draw)


def justified(text: str, size: float = 10.0) -> bytes:
    """LaTeX-like justified lines: the gaps of every full line stretched to the margin."""

    def draw(y: float, words: list[str]) -> list[bytes]:
        natural = sum(width(w, size) for w in words)
        gaps = len(words) - 1
        room = PAGE_WIDTH - 2 * MARGIN - natural
        gap = SPACE * size / 1000
        if gaps and room / gaps < 3 * gap:  # a full line: stretch (a short last line: not)
            gap = max(gap * 0.75, room / gaps)
        out, x = [], MARGIN
        for word in words:
            out.append(b"BT /F1 %.2f Tf %.2f %.2f Td (%s) Tj ET" % (size, x, y, _escape(word)))
            x += width(word, size) + gap
        return out

    return _pages(text, size, SPACE * size / 1000 * 0.75, draw)


def _pages(
    text: str, size: float, gap: float, draw: Callable[[float, list[str]], list[bytes]]
) -> bytes:
    """A raw PDF of the laid-out ``text``, each line drawn by ``draw(y, words)``."""
    contents: dict[int, list[bytes]] = {}
    for page, y, words in layout(text, size, gap):
        contents.setdefault(page, []).extend(draw(y, words))
    count = max(contents, default=0) + 1
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count))
    objects.append(HELVETICA)
    for page in range(count):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
            b"<< /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * page)
        )
        objects.append(pdf_stream(b"\n".join(contents.get(page, []))))
    return raw_pdf(objects)


STYLES: dict[str, Callable[[str], bytes]] = {
    "wkhtmltopdf-per-glyph": per_glyph,
    "per-word": per_word,
    "word-tj-kerning": tj_kerning,
    "google-docs-flipped": flipped,
    "design-tool-runs": design_tool,
    "latex-justified": justified,
}

_HAS_SPACE = re.compile(rb"\((?:[^()\\]|\\.)* (?:[^()\\]|\\.)*\)")


def has_space_glyph(data: bytes) -> bool:
    """True when a string operand of the PDF holds a space character."""
    return bool(_HAS_SPACE.search(data))

"""What the fuzz harnesses share: the property every outcome must have, and the DOCX template.

The property: reading hostile bytes either returns a :class:`~skillmatch.models.Document` or
raises a :class:`~skillmatch.errors.SkillmatchError` with a known ``code`` whose message quotes
no run of :data:`QUOTE_RUN` or more characters of the input (messages must not carry CV text).
Anything else raises :class:`Finding` (or lets the foreign exception through), which libFuzzer
reports as a crash and saves as ``crash-<sha1>``.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import zipfile
from collections.abc import Callable

from skillmatch.errors import ERROR_CODES, SkillmatchError

#: A message may not contain this many consecutive characters taken from the input.
QUOTE_RUN = 12


class Finding(AssertionError):
    """A broken property (a quoting message, an unknown error code)."""


def check(read: Callable[[], object], source: str, *inputs: bytes) -> None:
    """Call ``read``; a SkillmatchError must have a known code and quote none of ``inputs``."""
    try:
        read()
    except SkillmatchError as error:
        if error.code not in ERROR_CODES:
            raise Finding(f"unknown error code {error.code!r}") from error
        quoted = quoted_run(str(error), source, inputs)
        if quoted is not None:
            raise Finding(f"the message quotes the input ({quoted!r}): {error}") from error


def quoted_run(message: str, source: str, inputs: tuple[bytes, ...]) -> str | None:
    """The first ``QUOTE_RUN``-character run of ``message`` found in ``inputs``, or ``None``.

    The file name is taken out of the message first (messages name the file on purpose).
    """
    for piece in message.split(source):
        for start in range(len(piece) - QUOTE_RUN + 1):
            window = piece[start : start + QUOTE_RUN]
            encodings = {window.encode("utf-8"), window.encode("utf-16-le")}
            if window.isascii():
                encodings.add(window.encode("ascii"))
            elif all(ord(c) < 256 for c in window):
                encodings.add(window.encode("latin-1"))
            for data in inputs:
                if any(encoded in data for encoded in encodings):
                    return window
    return None


def import_readers(names: tuple[str, ...]) -> None:
    """Import the ``skillmatch.<name>`` modules that exist (inside ``instrument_imports``,
    so the readers that ``parse`` imports lazily are instrumented too)."""
    for name in names:
        with contextlib.suppress(ImportError):
            importlib.import_module(f"skillmatch.read.{name}")


# --- the DOCX template -------------------------------------------------------------------

#: ``fuzz_docx.py`` inputs start with one selector byte: 0 = the payload is a whole file,
#: otherwise the payload replaces that XML part of :data:`TEMPLATE`.
SELECTORS = {"file": 0, "document": 1, "rels": 2, "content_types": 3, "header": 4, "core": 5}
PARTS = {
    "document": "word/document.xml",
    "rels": "word/_rels/document.xml.rels",
    "content_types": "[Content_Types].xml",
    "header": "word/header1.xml",
    "core": "docProps/core.xml",
}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "application/vnd.openxmlformats-officedocument"

#: A small valid DOCX: a body with a paragraph, a table and a text box, a header, core props.
TEMPLATE: dict[str, bytes] = {
    "[Content_Types].xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="{_PKG}/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="{_OFFICE}.wordprocessingml.document.main+xml"/>
<Override PartName="/word/header1.xml" ContentType="{_OFFICE}.wordprocessingml.header+xml"/>
<Override PartName="/docProps/core.xml"
 ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>""".encode(),
    "_rels/.rels": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG}/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="{_R}/officeDocument"/>
<Relationship Id="rId2" Target="docProps/core.xml"
 Type="{_PKG}/relationships/metadata/core-properties"/>
</Relationships>""".encode(),
    "word/_rels/document.xml.rels": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG}/relationships">
<Relationship Id="rId7" Target="header1.xml" Type="{_R}/header"/>
</Relationships>""".encode(),
    "word/document.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>
<w:p><w:r><w:t>SKILLS</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Python, </w:t><w:tab/><w:t>SQL</w:t><w:br/></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cloud</w:t></w:r></w:p></w:tc>
<w:tc><w:p><w:r><w:t>AWS</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:sdt><w:sdtContent><w:p><w:r><w:t>Docker</w:t></w:r></w:p></w:sdtContent></w:sdt>
<w:p><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>Go</w:t></w:r></w:p></w:txbxContent>
</w:pict></w:r></w:p>
<w:sectPr><w:headerReference w:type="default" r:id="rId7"/></w:sectPr>
</w:body></w:document>""".encode(),
    "word/header1.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="{_W}"><w:p><w:r><w:t>Ada Example</w:t></w:r></w:p></w:hdr>""".encode(),
    "docProps/core.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="{_PKG}/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>CV</dc:title></cp:coreProperties>""".encode(),
}


def docx_input(data: bytes) -> tuple[bytes, bytes]:
    """The DOCX file a fuzz input stands for, and the payload the fuzzer chose.

    Selector 0 (or an unknown selector) passes the payload through as the file; the others
    put the payload into the template as one XML part and zip it, so mutations reach the XML.
    """
    if not data:
        return b"", b""
    selector, payload = data[0] % (len(SELECTORS) + 2), data[1:]
    part = next((PARTS[k] for k, v in SELECTORS.items() if v == selector and k in PARTS), None)
    if part is None:
        return payload, payload
    return _with_part(part, payload), payload


def _with_part(part: str, payload: bytes) -> bytes:
    """:data:`TEMPLATE` as a DOCX (stored, not deflated) with ``part`` replaced by ``payload``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, content in TEMPLATE.items():
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            archive.writestr(info, payload if name == part else content)
    return out.getvalue()

"""Hostile DOCX and ODT files (issue 8): zip bombs, lying headers, XML entities, damage.

Every file is built here, for real, and each must fail fast, within bounded memory, with a
one-line message that starts with the file name and quotes nothing from the file.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from skillmatch.errors import InputError, TooLargeError
from skillmatch.limits import MB, Limits
from skillmatch.read import archive
from skillmatch.read.docx_reader import read_docx
from skillmatch.read.odt_reader import read_odt
from skillmatch.read.parse import parse_file

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: A word that appears only inside the hostile files: no message may repeat it.
SECRET = "Zanzibarquux"
DOCUMENT = "word/document.xml"


def _cv_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Ada Example", level=1)
    document.add_paragraph(f"Python engineer {SECRET}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_members(base: bytes, members: dict[str, bytes | list[bytes]]) -> bytes:
    """``base`` re-zipped with some members replaced (a list is written chunk by chunk)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in members:
                target.writestr(info.filename, source.read(info))
        for name, content in members.items():
            if isinstance(content, bytes):
                target.writestr(name, content)
            else:
                with target.open(name, "w", force_zip64=True) as stream:
                    for chunk in content:
                        stream.write(chunk)
    return out.getvalue()


def _document_xml(body: str, doctype: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'{doctype}<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _bomb_chunks(size: int) -> list[bytes]:
    """An enormous but valid document.xml, as chunks: the same short paragraph repeated."""
    head, tail = _document_xml("|").split(b"|")
    paragraph = _paragraph(f"{SECRET} Kubernetes")
    chunk = (paragraph * (MB // len(paragraph))).encode()
    return [head, *[chunk] * (size // len(chunk)), tail]


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "'
    + SECRET
    + '">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)
EXTERNAL_FILE = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
EXTERNAL_HTTP = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "http://127.0.0.1:9/cv.txt">]>'
ENTITY_CASES = {
    "billion-laughs": (BILLION_LAUGHS, "&j;"),
    "external-file": (EXTERNAL_FILE, "&x;"),
    "external-http": (EXTERNAL_HTTP, "&x;"),
}


def _check_message(error: InputError, name: str) -> None:
    """One line, starting with the file name, quoting nothing from the file."""
    message = str(error)
    assert message.startswith(f"{name}: ")
    assert "\n" not in message
    assert SECRET not in message
    assert "word/" not in message  # no member names either
    assert "hostname" not in message and "127.0.0.1" not in message


def _measure(path: Path, limits: str = "Limits()") -> dict[str, object]:
    """Read ``path`` in a fresh process: the error code, seconds taken, peak RSS growth in MB."""
    script = f"""
import json, resource, sys, time
from skillmatch.errors import SkillmatchError
from skillmatch.limits import Limits
from skillmatch.read.parse import parse_file
import docx  # imported up front, so the growth below is the file's alone
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    parse_file(sys.argv[1], limits={limits})
    code, message = None, ""
except SkillmatchError as error:
    code, message = error.code, str(error)
seconds = time.perf_counter() - start
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({{"code": code, "message": message, "seconds": seconds, "mb": grown}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    measured: dict[str, object] = json.loads(result.stdout)
    return measured


# --- zip bombs and lying headers ----------------------------------------------------------


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small DOCX whose document.xml unzips to 150 MB of repeated text."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    path.write_bytes(_with_members(_cv_docx(), {DOCUMENT: _bomb_chunks(150 * MB)}))
    return path


def test_zip_bomb_is_refused_by_ratio_before_unzipping(bomb: Path) -> None:
    assert bomb.stat().st_size < 1 * MB
    with pytest.raises(TooLargeError) as caught:
        parse_file(bomb, limits=Limits(unzipped_size=None))
    assert caught.value.code == "too_large"
    _check_message(caught.value, str(bomb))
    assert "times larger unzipped than zipped" in str(caught.value)
    assert "--limit zip-ratio=N" in str(caught.value)


def test_zip_bomb_is_refused_by_total_size(bomb: Path) -> None:
    limits = Limits(zip_ratio=None, unzipped_size=100 * MB)
    with pytest.raises(TooLargeError) as caught:
        parse_file(bomb, limits=limits)
    _check_message(caught.value, str(bomb))
    assert "when unzipped, over the limit of 100 MB" in str(caught.value)
    assert "--limit unzipped-size=N" in str(caught.value)


def test_zip_bomb_costs_little_time_and_memory(bomb: Path) -> None:
    measured = _measure(bomb)
    assert measured["code"] == "too_large"
    assert isinstance(measured["seconds"], float) and measured["seconds"] < 2
    assert isinstance(measured["mb"], float) and measured["mb"] < 30


def _lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite ``member``'s declared unzipped size (local header and central directory)."""
    raw = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        header_len = 30 if signature == b"PK\x03\x04" else 46
        start = 0
        while True:
            start = raw.find(signature, start)
            assert start >= 0, f"{member} not found"
            if raw[start + header_len : start + header_len + len(name)] == name:
                break
            start += 4
        struct.pack_into("<L", raw, start + offset, size)
    return bytes(raw)


@pytest.fixture(scope="module")
def liar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DOCX whose document.xml says it is 2 KB but unzips to 150 MB."""
    path = tmp_path_factory.mktemp("liar") / "liar.docx"
    # written without ZIP64 extras, so the 32-bit size fields are the ones read
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as target:
        with zipfile.ZipFile(io.BytesIO(_cv_docx())) as source:
            for info in source.infolist():
                if info.filename != DOCUMENT:
                    target.writestr(info.filename, source.read(info))
        with target.open(DOCUMENT, "w") as stream:
            for chunk in _bomb_chunks(150 * MB):
                stream.write(chunk)
    path.write_bytes(_lie_about_size(plain.getvalue(), DOCUMENT, 2048))
    return path


def test_lying_header_is_caught_while_unzipping(liar: Path) -> None:
    with zipfile.ZipFile(liar) as check:
        assert check.getinfo(DOCUMENT).file_size == 2048  # the header passes the size checks
    with pytest.raises(InputError) as caught:
        parse_file(liar)
    assert caught.value.code == "damaged"
    _check_message(caught.value, str(liar))
    assert "does not match its header" in str(caught.value)


def test_lying_header_costs_little_time_and_memory(liar: Path) -> None:
    measured = _measure(liar, "Limits(zip_ratio=None, unzipped_size=None)")
    assert measured["code"] == "damaged"
    assert isinstance(measured["seconds"], float) and measured["seconds"] < 2
    assert isinstance(measured["mb"], float) and measured["mb"] < 30


def test_member_longer_than_header_is_damaged(tmp_path: Path) -> None:
    data = _with_members(_cv_docx(), {DOCUMENT: _document_xml(_paragraph(SECRET * 200))})
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        real = source.getinfo(DOCUMENT).file_size
    path = tmp_path / "short-header.docx"
    path.write_bytes(_lie_about_size(data, DOCUMENT, real - 100))
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.code == "damaged"
    _check_message(caught.value, str(path))


def test_member_shorter_than_header_is_damaged(tmp_path: Path) -> None:
    data = _with_members(_cv_docx(), {DOCUMENT: _document_xml(_paragraph(SECRET))})
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        real = source.getinfo(DOCUMENT).file_size
    path = tmp_path / "long-header.docx"
    path.write_bytes(_lie_about_size(data, DOCUMENT, real + 5000))
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.code == "damaged"
    assert "shorter than its header says" in str(caught.value)
    _check_message(caught.value, str(path))


def test_huge_number_of_members_is_refused_before_listing_them(tmp_path: Path) -> None:
    extra = {f"customXml/{i}.bin": b"" for i in range(archive.MAX_MEMBERS + 1)}
    path = tmp_path / "members.docx"
    path.write_bytes(_with_members(_cv_docx(), extra))
    start = time.perf_counter()
    with pytest.raises(TooLargeError) as caught:
        read_docx(path.read_bytes(), "members.docx")
    assert time.perf_counter() - start < 0.5
    assert str(caught.value).startswith("members.docx: too large: 10,0")
    assert "archive members, over the limit of 10,000" in str(caught.value)
    _check_message(caught.value, "members.docx")


def test_other_compression_methods_are_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_cv_docx())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    with pytest.raises(InputError) as caught:
        read_docx(out.getvalue(), "bz2.docx")
    assert caught.value.code == "damaged"
    assert "compression method" in str(caught.value)


def test_a_real_cv_passes_the_archive_checks() -> None:
    text, hidden = read_docx(_cv_docx(), "cv.docx")
    assert SECRET in text and hidden == ()


# --- XML entities -------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(ENTITY_CASES))
@pytest.mark.parametrize("prescan", [True, False], ids=["prescan", "after-parse"])
def test_docx_entities_are_a_named_failure(
    case: str, prescan: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused by the byte scan, and (with the scan off) by the check after parsing."""
    if not prescan:
        monkeypatch.setattr(archive, "_DOCTYPE", ())
    doctype, reference = ENTITY_CASES[case]
    xml = _document_xml(_paragraph(f"Python {reference} Java"), doctype)
    path = tmp_path / f"{case}.docx"
    path.write_bytes(_with_members(_cv_docx(), {DOCUMENT: xml}))
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert time.perf_counter() - start < 2
    assert caught.value.code == "damaged"
    _check_message(caught.value, str(path))
    # python-docx refuses a billion laughs itself (libxml2's amplification limit) when the
    # scan is off; the other two parse, and the entity check names them
    if prescan or case != "billion-laughs":
        assert "declares entities (a DOCTYPE)" in str(caught.value)


def test_utf16_doctype_is_found_by_the_scan(tmp_path: Path) -> None:
    xml = _document_xml(_paragraph("Python &x; Java"), EXTERNAL_FILE).decode()
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = _with_members(_cv_docx(), {DOCUMENT: xml.encode("utf-16")})
    with pytest.raises(InputError, match=r"declares entities") as caught:
        read_docx(data, "utf16.docx")
    assert caught.value.code == "damaged"


def _odt(content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        target.writestr("content.xml", content)
    return out.getvalue()


def _odt_content(body: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:text><text:p>{body}</text:p></office:text></office:body>"
        "</office:document-content>"
    ).encode()


@pytest.mark.parametrize("case", sorted(ENTITY_CASES))
@pytest.mark.parametrize("prescan", [True, False], ids=["prescan", "parser"])
def test_odt_entities_are_a_named_failure(
    case: str, prescan: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not prescan:
        monkeypatch.setattr(archive, "_DOCTYPE", ())
    doctype, reference = ENTITY_CASES[case]
    doctype = doctype.replace("w:document", "office:document-content")
    path = tmp_path / f"{case}.odt"
    path.write_bytes(_odt(_odt_content(f"Python {reference} Java", doctype)))
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.code == "damaged"
    assert "declares entities (a DOCTYPE)" in str(caught.value)
    _check_message(caught.value, str(path))


def test_odt_internal_entity_is_not_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "_DOCTYPE", ())
    doctype = f'<!DOCTYPE office:document-content [<!ENTITY x "{SECRET}">]>'
    with pytest.raises(InputError, match="declares entities"):
        read_odt(_odt(_odt_content("Python &x;", doctype)), "cv.odt")


def test_odt_zip_bomb_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        with target.open("content.xml", "w", force_zip64=True) as stream:
            for chunk in _bomb_chunks(20 * MB):
                stream.write(chunk)
    with pytest.raises(TooLargeError) as caught:
        read_odt(out.getvalue(), "bomb.odt")
    _check_message(caught.value, "bomb.odt")


def test_odt_still_reads() -> None:
    assert read_odt(_odt(_odt_content("Python &amp; Java")), "cv.odt")[0] == "Python & Java"


# --- damaged files ------------------------------------------------------------------------


def test_random_bytes_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "random.docx"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.code == "damaged"
    _check_message(caught.value, str(path))


def test_random_bytes_after_a_zip_signature(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_docx(b"PK\x03\x04" + bytes(range(256)) * 40, "random.docx")
    assert caught.value.code == "damaged"
    _check_message(caught.value, "random.docx")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95, 0.999])
def test_truncated_docx(keep: float, tmp_path: Path) -> None:
    data = _cv_docx()
    cut = data[: int(len(data) * keep)]
    with pytest.raises(InputError) as caught:
        read_docx(cut, "cut.docx")
    assert caught.value.code == "damaged"
    _check_message(caught.value, "cut.docx")
    path = tmp_path / "cut.docx"
    path.write_bytes(cut)
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.code == "damaged"
    assert str(caught.value).startswith(f"{path}: ")


def test_malformed_document_xml(tmp_path: Path) -> None:
    xml = _document_xml(_paragraph(SECRET))[:-20]
    path = tmp_path / "malformed.docx"
    path.write_bytes(_with_members(_cv_docx(), {DOCUMENT: xml}))
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.code == "damaged"
    assert "its XML is not well-formed" in str(caught.value)
    _check_message(caught.value, str(path))


def test_missing_main_part(tmp_path: Path) -> None:
    data = _cv_docx()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "_rels/.rels":
                target.writestr(info.filename, source.read(info))
    with pytest.raises(InputError) as caught:
        read_docx(out.getvalue(), "norels.docx")
    assert caught.value.code == "damaged"
    _check_message(caught.value, "norels.docx")


# --- through the command line ---------------------------------------------------------------


def test_the_command_line_gives_one_error_line_for_each_attack(
    bomb: Path, liar: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from skillmatch.cli import cli

    doctype, reference = ENTITY_CASES["billion-laughs"]
    laughs = tmp_path / "laughs.docx"
    laughs.write_bytes(
        _with_members(_cv_docx(), {DOCUMENT: _document_xml(_paragraph(reference), doctype)})
    )
    expected = {bomb: "too large", liar: "damaged DOCX file", laughs: "declares entities"}
    for path, fragment in expected.items():
        result = CliRunner().invoke(cli, ["text", str(path)])
        assert result.exit_code == 1
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith(f"Error: {path}: ") and fragment in line

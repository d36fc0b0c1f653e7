"""A PDF's compressed streams measured before pdfium unpacks them: a flate bomb (a few KB that
inflate to gigabytes) is refused with the limit it passes, instead of exhausting the reader's
memory and looking like a damaged file.

Each ``/FlateDecode`` stream is inflated through a bounded window and only counted (nothing is
kept); a stream that does not inflate cleanly is left for pdfium to judge.
"""

from __future__ import annotations

import re
import zlib

from skillmatch.errors import TooLargeError
from skillmatch.limits import MB, Limits

#: A stream's start (a pattern that starts with a literal is searched fast; "endstream" is
#: told apart after a hit).
_STREAM = re.compile(rb"stream\r?\n")
#: How far before ``stream`` its dictionary is looked for.
_DICT_WINDOW = 2048
_CHUNK = 1 << 20
#: Deflate expands at most about 1032 times (a 258-byte match in two bits): a stream shorter
#: than the limit over this cannot pass it, and is not inflated at all.
_MAX_RATIO = 1100


def check_streams(data: bytes, name: str, limits: Limits) -> None:
    """Raise :class:`~skillmatch.errors.TooLargeError` when one flate stream of ``data``
    inflates past ``limits.unzipped_size`` (``--limit unzipped-size``)."""
    limit = limits.unzipped_size
    if limit is None or b"FlateDecode" not in data:
        return
    for match in _STREAM.finditer(data):
        if data[match.start() - 3 : match.start()] == b"end":
            continue
        start = match.end()
        end = data.find(b"endstream", start)
        end = end if end > 0 else len(data)
        if (end - start) * _MAX_RATIO <= limit:
            continue
        head = data[max(0, match.start() - _DICT_WINDOW) : match.start()]
        head = head[head.rfind(b"obj") + 1 :]
        if b"/FlateDecode" not in head:
            continue
        if _inflated_size(memoryview(data)[start:end], limit) > limit:
            raise TooLargeError(
                f"{name}: too large: a compressed stream of the PDF unpacks to more than "
                f"{limit / MB:.3g} MB (the unzipped-size limit; a 'zip bomb'); raise it with "
                "--limit unzipped-size=N if the file is genuine"
            )


def _inflated_size(stream: memoryview, limit: int) -> int:
    """How many bytes ``stream`` inflates to, counted up to just past ``limit``."""
    inflater = zlib.decompressobj()
    total = 0
    try:
        for offset in range(0, len(stream), _CHUNK):
            pending = bytes(stream[offset : offset + _CHUNK])
            while pending and not inflater.eof:
                produced = len(inflater.decompress(pending, _CHUNK))
                total += produced
                if total > limit:
                    return total
                if not produced and len(inflater.unconsumed_tail) == len(pending):
                    break  # no progress: leave the stream to pdfium
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass  # not zlib data after all (or damaged): pdfium decides
    return total

"""Text helpers every stage may use: the sentence around a mention, as reports quote it."""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def sentence_around(text: str, start: int, end: int, *, limit: int = 160) -> str:
    """The sentence (or line) holding ``text[start:end]``, with the mention in ``[[...]]``."""
    period = text.rfind(". ", 0, start)
    left = max(text.rfind("\n", 0, start) + 1, period + 2 if period >= 0 else 0)
    right_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    left = max(left, start - limit // 2)
    right = min(right, end + limit // 2)
    before = text[left:start].lstrip()
    after = text[end:right].rstrip()
    return f"{before}[[{text[start:end]}]]{after}".replace("\n", " ")


def proof_sentence(text: str, start: int, end: int, *, limit: int = 200) -> str:
    """The line (or, in a long line, the sentence) that holds ``text[start:end]``, cut at word
    boundaries to about ``limit`` characters, with the mention in ``[[...]]``."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    if right - left > limit:
        stop = max(text.rfind(". ", left, start), text.rfind("; ", left, start))
        left = stop + 2 if stop >= 0 else left
        ends = [i + 1 for i in (text.find(". ", end, right), text.find("; ", end, right)) if i >= 0]
        right = min(ends) if ends else right
    if right - left > limit:
        half = max(20, (limit - (end - start)) // 2)
        if start - left > half:
            cut = text.find(" ", start - half, start)
            left = cut + 1 if cut >= 0 else start - half
        if right - end > half:
            cut = text.rfind(" ", end, end + half)
            right = cut if cut >= 0 else end + half
    before = text[left:start].lstrip(" -•*\t")
    after = text[end:right].rstrip()
    shown = " ".join(f"{before}[[{text[start:end]}]]{after}".split())
    return _CONTROL.sub("", shown)  # a CV's escape sequences must not reach the terminal


def plain(proof: str) -> str:
    """A proof sentence without the ``[[...]]`` marks around the mention."""
    return proof.replace("[[", "").replace("]]", "")

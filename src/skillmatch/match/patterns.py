"""Token patterns from the taxonomy, run only where they can start.

spaCy's ``Matcher`` tries every pattern at every token; with regular expressions in the first
token that costs more than the rest of matching. A :class:`PatternSet` reads each pattern's
first token (a ``LOWER``/``ORTH``/``TEXT`` literal, an ``IN`` list or a ``REGEX``), finds the
tokens where a pattern may start, and runs the ``Matcher`` on short windows from there. Patterns
whose start cannot be told (an optional first token, ``*``/``+`` operators, other attributes)
run on the whole document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from skillmatch.match.tokens import positions

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab


class PatternSet:
    """The token patterns of one alias namespace."""

    def __init__(self, vocab: Vocab) -> None:
        from spacy.matcher import Matcher  # spaCy loads on first use, not at import

        self._anchored = Matcher(vocab)
        self._anywhere = Matcher(vocab)
        self._lower: set[str] = set()
        self._exact: set[str] = set()
        self._regexes: list[re.Pattern[str]] = []
        self._combined: list[re.Pattern[str]] | None = None
        self._width = 1

    def __len__(self) -> int:
        return len(self._anchored) + len(self._anywhere)

    def add(self, key: str, pattern: Sequence[dict[str, Any]]) -> None:
        """Add one pattern under the match key ``key``."""
        operators = [token.get("OP") for token in pattern]
        unbounded = operators[0] in {"*", "+", "?"} or bool({"*", "+"} & set(operators))
        if unbounded or not self._anchor(pattern[0]):
            self._anywhere.add(key, [list(pattern)])
            return
        self._anchored.add(key, [list(pattern)])
        self._width = max(self._width, len(pattern))

    def _anchor(self, token: dict[str, Any]) -> bool:
        """Record where a pattern with this first token can start; False if that is unknown."""
        for attr in ("LOWER", "ORTH", "TEXT", "NORM"):
            value = token.get(attr)
            if value is None:
                continue
            into = self._lower if attr in {"LOWER", "NORM"} else self._exact
            if isinstance(value, str):
                into.add(value.lower() if into is self._lower else value)
                return True
            if isinstance(value, dict) and isinstance(value.get("IN"), list):
                into.update(str(v).lower() if into is self._lower else str(v) for v in value["IN"])
                return True
            if isinstance(value, dict) and "REGEX" in value:
                flags = re.IGNORECASE if into is self._lower else 0
                self._regexes.append(re.compile(str(value["REGEX"]), flags))
                self._combined = None
                return True
        return False

    def __call__(self, doc: Doc, words: list[str], starts: set[str]) -> list[tuple[int, int, int]]:
        """``(match_id, start, end)`` of every pattern match in ``doc``.

        ``words`` are the token texts, ``starts`` those of them that pass :meth:`may_start`.
        """
        found: list[tuple[int, int, int]] = []
        if len(self._anywhere):
            found.extend(self._anywhere(doc))
        if not len(self._anchored):
            return found
        anchors = positions(words, starts)
        if not anchors:
            return found
        seen: set[tuple[int, int, int]] = set()
        n = len(words)
        window_start = window_end = -1
        for i in anchors:  # merge overlapping windows, then match each once
            if i < window_end:
                window_end = min(max(window_end, i + self._width), n)
                continue
            if window_end > window_start >= 0:
                seen.update(self._window(doc, window_start, window_end))
            window_start, window_end = i, min(i + self._width, n)
        if window_end > window_start >= 0:
            seen.update(self._window(doc, window_start, window_end))
        found.extend(seen)
        return found

    def may_start(self, word: str) -> bool:
        """Whether an anchored pattern may start at a token with this text."""
        if word.lower() in self._lower or word in self._exact:
            return True
        if not self._regexes:
            return False
        if self._combined is None:
            self._combined = [re.compile("|".join(f"(?:{r.pattern})" for r in self._regexes))]
            self._combined += [r for r in self._regexes if r.flags & re.IGNORECASE]
        combined, *folded = self._combined
        return bool(combined.search(word) or any(r.search(word) for r in folded))

    def _window(self, doc: Doc, start: int, end: int) -> list[tuple[int, int, int]]:
        return [(m, start + s, start + e) for m, s, e in self._anchored(doc[start:end])]

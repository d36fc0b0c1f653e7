"""Token patterns from the taxonomy, run only where they can start.

spaCy's ``Matcher`` tries every pattern at every token; with regular expressions in the first
token that costs more than the rest of matching. A :class:`PatternSet` reads each pattern's
first token (a ``LOWER``/``ORTH``/``TEXT`` literal, an ``IN`` list or a ``REGEX``), finds the
tokens where a pattern may start, and runs the ``Matcher`` on short windows from there. Patterns
whose start cannot be told (an optional first token, ``*``/``+`` operators, other attributes)
run on the whole document. A window whose tokens no pattern can match (told by a plain
Python reading of each pattern that errs only towards "may match") is not handed to the
``Matcher`` at all: most are not, and each ``Matcher`` call costs ~30 µs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

#: A test of one token (its text, its lower-cased text) that is True wherever the ``Matcher``
#: could accept the token, and may be True where it would not.
_TokenTest = Callable[[str, str], bool]
#: A pattern read for :meth:`PatternSet._may_match`: per token, its test and whether it is
#: optional (``None`` for a pattern that cannot be read so: it may match anywhere).
_Reading = tuple[tuple[_TokenTest, bool], ...] | None
#: Words whose readings :meth:`PatternSet._readings_from` remembers (then it starts again).
_WORDS_REMEMBERED = 100_000


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
        #: the anchored patterns read as token tests, by what their first token can be
        self._by_lower: dict[str, list[_Reading]] = {}
        self._by_exact: dict[str, list[_Reading]] = {}
        self._by_regex: list[_Reading] = []
        #: whether windows where no reading fits may be skipped: not when a ``NORM`` literal
        #: anchors a pattern (a token's norm can be such a literal while its text is not, so a
        #: match might start at a token that is no anchor)
        self._skips = True
        #: word -> the readings whose first token may be that word (words recur across CVs)
        self._starting: dict[str, list[_Reading]] = {}

    def __len__(self) -> int:
        return len(self._anchored) + len(self._anywhere)

    def add(self, key: str, pattern: Sequence[dict[str, Any]]) -> None:
        """Add one pattern under the match key ``key``."""
        operators = [token.get("OP") for token in pattern]
        unbounded = operators[0] in {"*", "+", "?"} or bool({"*", "+"} & set(operators))
        if unbounded or not self._anchor(pattern[0], _read(pattern)):
            self._anywhere.add(key, [list(pattern)])
            return
        self._anchored.add(key, [list(pattern)])
        self._width = max(self._width, len(pattern))

    def _anchor(self, token: dict[str, Any], reading: _Reading) -> bool:
        """Record where a pattern with this first token can start, and file the pattern's
        ``reading`` there; False if that is unknown."""
        for attr in ("LOWER", "ORTH", "TEXT", "NORM"):
            value = token.get(attr)
            if value is None:
                continue
            folded = attr in {"LOWER", "NORM"}
            self._skips = self._skips and attr != "NORM"
            into, readings = (
                (self._lower, self._by_lower) if folded else (self._exact, self._by_exact)
            )
            if isinstance(value, str) or (
                isinstance(value, dict) and isinstance(value.get("IN"), list)
            ):
                for v in [value] if isinstance(value, str) else value["IN"]:
                    text = str(v).lower() if folded else str(v)
                    into.add(text)
                    readings.setdefault(text, []).append(reading)
                return True
            if isinstance(value, dict) and "REGEX" in value:
                flags = re.IGNORECASE if folded else 0
                self._regexes.append(re.compile(str(value["REGEX"]), flags))
                self._combined = None
                self._by_regex.append(reading)
                return True
        return False

    def __call__(
        self, doc: Doc, words: list[str], lower: list[str], anchors: list[int]
    ) -> list[tuple[int, int, int]]:
        """``(match_id, start, end)`` of every pattern match in ``doc``.

        ``words`` are the token texts, ``lower`` the same lower-cased, ``anchors`` the indices
        of the tokens whose text passes :meth:`may_start`, in order.
        """
        found: list[tuple[int, int, int]] = []
        if len(self._anywhere):
            found.extend(self._anywhere(doc))
        if not len(self._anchored):
            return found
        if not anchors:
            return found
        seen: set[tuple[int, int, int]] = set()
        for start, end, may_match in self._windows(anchors, words, lower):
            # a non-ASCII word may differ from its token's text (tokenizer_text): never skipped
            if may_match or not self._skips or not "".join(words[start:end]).isascii():
                seen.update(self._window(doc, start, end))
        found.extend(seen)
        return found

    def _windows(
        self, anchors: list[int], words: list[str], lower: list[str]
    ) -> Iterator[tuple[int, int, bool]]:
        """The windows to match (overlapping ones merged), and whether a pattern may match
        from one of their anchors."""
        n = len(words)
        start, end, may_match = anchors[0], min(anchors[0] + self._width, n), False
        for i in anchors:
            if i >= end:
                yield start, end, may_match
                start, may_match = i, False
            end = min(max(end, i + self._width), n)
            may_match = may_match or self._may_match(words, lower, i)
        yield start, end, may_match

    def _may_match(self, words: list[str], lower: list[str], i: int) -> bool:
        """Whether an anchored pattern may match from token ``i`` (False only when none can)."""
        readings = self._starting.get(words[i])
        if readings is None:
            readings = self._readings_from(words[i], lower[i])
        return any(reading is None or _fits(reading, words, lower, i) for reading in readings)

    def _readings_from(self, word: str, low: str) -> list[_Reading]:
        """The readings whose first token may be ``word`` (lower-cased ``low``), remembered."""
        if len(self._starting) > _WORDS_REMEMBERED:
            self._starting.clear()
        filed = [*self._by_lower.get(low, ()), *self._by_exact.get(word, ()), *self._by_regex]
        found = [r for r in filed if r is None or _fits(r[:1], [word], [low], 0)]
        self._starting[word] = found
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


def _read(pattern: Sequence[dict[str, Any]]) -> _Reading:
    """A pattern as token tests, or ``None`` if one of its operators is not a plain one or
    ``?`` (a ``!`` token may be any token)."""
    reading = []
    for token in pattern:
        op = token.get("OP")
        if op not in {None, "?", "!"}:
            return None
        reading.append((_any_token if op == "!" else _token_test(token), op == "?"))
    return tuple(reading)


def _fits(
    reading: tuple[tuple[_TokenTest, bool], ...], words: list[str], lower: list[str], i: int
) -> bool:
    """Whether a pattern's reading may match from token ``i`` on."""
    at = {i}  # where the next pattern token may be
    n = len(words)
    for test, optional in reading:
        # a non-ASCII word may differ from the token's text (tokenizer_text): it may be anything
        after = {
            j + 1 for j in at if j < n and (test(words[j], lower[j]) or not words[j].isascii())
        }
        at = after | at if optional else after
        if not at:
            return False
    return True


def _token_test(token: dict[str, Any]) -> _TokenTest:
    """A test that holds wherever the ``Matcher`` could accept a token: the ``LOWER``,
    ``ORTH``/``TEXT`` and ``IS_ALPHA`` conditions read; any other condition taken as met."""
    tests: list[_TokenTest] = []
    for attr, value in token.items():
        if attr in {"ORTH", "TEXT"}:
            tests.extend(_value_tests(value, lambda word, low: word))
        elif attr == "LOWER":
            tests.extend(_value_tests(value, lambda word, low: low))
        elif attr == "IS_ALPHA" and isinstance(value, bool):
            tests.append(_is_alpha if value else _not_alpha)
    if len(tests) < 2:
        return tests[0] if tests else _any_token
    return lambda word, low: all(test(word, low) for test in tests)


def _value_tests(value: Any, pick: Callable[[str, str], str]) -> list[_TokenTest]:
    """Tests of one attribute's condition: a literal, ``IN``, ``NOT_IN``, ``REGEX``."""
    if isinstance(value, str):
        return [lambda word, low: pick(word, low) == value]
    if not isinstance(value, dict):
        return []
    tests: list[_TokenTest] = []
    if isinstance(value.get("IN"), list) and all(isinstance(v, str) for v in value["IN"]):
        among = frozenset(value["IN"])
        tests.append(lambda word, low: pick(word, low) in among)
    if isinstance(value.get("NOT_IN"), list) and all(isinstance(v, str) for v in value["NOT_IN"]):
        outside = frozenset(value["NOT_IN"])
        tests.append(lambda word, low: pick(word, low) not in outside)
    if isinstance(value.get("REGEX"), str):
        search = re.compile(value["REGEX"]).search
        tests.append(lambda word, low: search(pick(word, low)) is not None)
    return tests


def _any_token(word: str, low: str) -> bool:
    return True


def _is_alpha(word: str, low: str) -> bool:
    return word.isalpha()


def _not_alpha(word: str, low: str) -> bool:
    return not word.isalpha()

"""Typo fallback: words that matched nothing, compared with long, unambiguous aliases.

Only aliases of :data:`MIN_LENGTH`+ characters of skills marked ``fuzzy: true`` take part, never
ambiguous ones, and only ``rapidfuzz.fuzz.ratio`` is used (``WRatio`` and ``partial_ratio`` score
"java" against "javascript" at 90-100). Candidates are single tokens and bigrams; the index is
bucketed by first letter and length so each lookup compares a handful of strings, and which
words may be (or start) a typo is decided once per distinct word
(:class:`skillmatch.match.tokens.WordTests`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from skillmatch.taxonomy.model import Taxonomy

#: Shortest alias (in characters) that typo matching may target.
MIN_LENGTH = 6
#: Lowest ``fuzz.ratio`` accepted (0-100).
CUTOFF = 90.0
_CACHE_SIZE = 200_000


@dataclass(frozen=True)
class FuzzyHit:
    """A typo match: the alias it resembles and the ``fuzz.ratio`` score."""

    skill_id: str
    alias: str
    score: float


class FuzzyIndex:
    """Aliases eligible for typo matching, bucketed by (first letter, length)."""

    def __init__(
        self, taxonomy: Taxonomy, *, cutoff: float = CUTOFF, min_length: int = MIN_LENGTH
    ) -> None:
        self.cutoff = cutoff
        self.min_length = min_length
        known: set[str] = set()
        targets: dict[str, str] = {}
        for skill in taxonomy.skills.values():
            for alias in skill.aliases:
                known.add(alias.text.lower())
            if not skill.fuzzy:
                continue
            for alias in skill.aliases:
                text = " ".join(alias.text.lower().split())
                if alias.ambiguous or alias.kind == "misspelling" or len(text) < min_length:
                    continue
                targets.setdefault(text, skill.id)
        self._known = known
        self._owner = targets
        self._buckets: dict[tuple[str, int], list[str]] = {}
        for text in targets:
            self._buckets.setdefault((text[0], len(text)), []).append(text)
        self.first_letters = {text[0] for text in targets}
        self._cache: dict[str, FuzzyHit | None] = {}
        #: first letter -> (alias of two words or more, most letters of a bigram's first word
        #: that it can leave unmatched: :meth:`_may_start_pair`)
        self._pairs: dict[str, list[tuple[str, float]]] = {}
        for text in targets:
            if " " in text:
                self._pairs.setdefault(text[0], []).append((text, self._unmatched_limit(text)))

    def __len__(self) -> int:
        return len(self._owner)

    def _slack(self, length: int) -> int:
        # ratio >= cutoff bounds the length difference: 2*min/(a+b) >= cutoff/100
        return max(1, int(length * (100 - self.cutoff) / 100 * 2))

    def _choices(self, text: str) -> list[str]:
        slack = self._slack(len(text))
        first = text[0]
        found: list[str] = []
        for length in range(len(text) - slack, len(text) + slack + 1):
            found.extend(self._buckets.get((first, length), ()))
        return found

    def lookup(self, text: str) -> FuzzyHit | None:
        """The best alias within the cutoff for ``text`` (a word or two), if any."""
        text = text.lower()
        if text in self._cache:
            return self._cache[text]
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        hit = self._cache[text] = self._lookup(text)
        return hit

    def _lookup(self, text: str) -> FuzzyHit | None:
        if len(text) < self.min_length - 1 or text in self._known:
            return None
        choices = self._choices(text)
        if not choices:
            return None
        best = process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=self.cutoff)
        if best is None:
            return None
        alias, score, _ = best
        return FuzzyHit(self._owner[alias], alias, float(score))

    def candidates(
        self,
        words: list[str],
        lower: list[str],
        covered: Sequence[int],
        tests: dict[str, list[int]],
    ) -> Iterable[tuple[int, int, FuzzyHit]]:
        """``(start, end, hit)`` for token runs of 1..2 free word tokens that resemble an alias.

        ``words`` are the tokens as written and ``lower`` lowercased; a token is free when no
        match covers it (``covered[i]`` is 0) and its lowercased text is alphabetic. ``tests``
        holds the indices of the tokens that pass each of :meth:`word_tests`. Single tokens are
        tried first; a bigram only when neither of its tokens matched on its own.
        """
        n = len(words)
        taken = [False] * n
        for i in tests["typo"]:
            hit = None if covered[i] else self.lookup(lower[i])
            if hit:
                taken[i] = True
                yield i, i + 1, hit
        for i in tests["typo-start"]:
            j = i + 1  # spaCy keeps a single space on the token, so the next word is i + 1
            if j >= n or covered[i] or covered[j] or taken[i] or taken[j]:
                continue
            if not lower[j].isalpha():
                continue
            hit = self.lookup(f"{lower[i]} {lower[j]}")
            if hit and " " in hit.alias:
                taken[i] = taken[j] = True
                yield i, j + 1, hit

    def word_tests(self) -> dict[str, Callable[[str], bool]]:
        """Tests of a token's text for :meth:`candidates`: may it be a typo of an alias ("typo"),
        may it start a typo of an alias of two words ("typo-start")."""
        return {"typo": self._may_be_typo, "typo-start": self._may_start_pair}

    def _may_be_typo(self, word: str) -> bool:
        low = word.lower()
        return low.isalpha() and low[0] in self.first_letters and self.lookup(low) is not None

    def _may_start_pair(self, word: str) -> bool:
        """Whether a bigram starting with ``word`` may be a typo of an alias ``A`` of two words:
        it needs ``len(word) - LCS(word, A)`` within :meth:`_unmatched_limit` (the bigram's
        distance to ``A`` is at least the letters of ``word`` that ``A`` cannot match)."""
        low = word.lower()
        return low.isalpha() and any(
            len(low) - LCSseq.similarity(low, alias) <= limit
            for alias, limit in self._pairs.get(low[0], ())
        )

    def _unmatched_limit(self, alias: str) -> float:
        """The largest ``fuzz.ratio`` distance (inserts plus deletes) to ``alias`` within the
        cutoff, for the longest text whose choices include ``alias`` (with a little slack for
        rounding); no limit when the cutoff does not bound the length."""
        if self.cutoff <= 50:
            return math.inf
        longest = len(alias)
        while longest + 1 - self._slack(longest + 1) <= len(alias):
            longest += 1
        return math.floor((100 - self.cutoff) / 100 * (longest + len(alias)) + 0.01)

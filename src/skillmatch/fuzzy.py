"""Typo fallback: words that matched nothing, compared with long, unambiguous aliases.

Only aliases of :data:`MIN_LENGTH`+ characters of skills marked ``fuzzy: true`` take part, never
ambiguous ones, and only ``rapidfuzz.fuzz.ratio`` is used (``WRatio`` and ``partial_ratio`` score
"java" against "javascript" at 90-100). Candidates are single tokens and bigrams; the index is
bucketed by first letter and length so each lookup compares a handful of strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from skillmatch.taxonomy import Taxonomy

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
        self.max_words = max((t.count(" ") + 1 for t in targets), default=0)
        self.first_letters = {text[0] for text in targets}
        self._cache: dict[str, FuzzyHit | None] = {}

    def __len__(self) -> int:
        return len(self._owner)

    def _choices(self, text: str) -> list[str]:
        # ratio >= cutoff bounds the length difference: 2*min/(a+b) >= cutoff/100
        slack = max(1, int(len(text) * (100 - self.cutoff) / 100 * 2))
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

    def candidates(self, words: list[str], free: list[bool]) -> Iterable[tuple[int, int, FuzzyHit]]:
        """``(start, end, hit)`` for token runs of 1..2 free word tokens that resemble an alias.

        ``words`` are the lowercased tokens, ``free[i]`` says token ``i`` is an alphabetic word
        that no match covers. Single tokens are tried first; a bigram only when neither of its
        tokens matched on its own.
        """
        n = len(words)
        taken = [False] * n
        letters = self.first_letters
        for i in range(n):
            if not free[i] or words[i][0] not in letters:
                continue
            hit = self.lookup(words[i])
            if hit:
                taken[i] = True
                yield i, i + 1, hit
        if self.max_words < 2:
            return
        for i in range(n):
            j = i + 1  # spaCy keeps a single space on the token, so the next word is i + 1
            if j >= n or not free[i] or not free[j] or taken[i] or taken[j]:
                continue
            if words[i][0] not in letters:
                continue
            hit = self.lookup(f"{words[i]} {words[j]}")
            if hit and " " in hit.alias:
                taken[i] = taken[j] = True
                yield i, j + 1, hit

"""Find taxonomy skills in a document, with evidence and the reason each was accepted.

The pipeline is spaCy's blank English tokenizer (with special cases generated from the taxonomy
for aliases such as ``C#`` or ``CI/CD``), then per alias namespace a case-insensitive
``PhraseMatcher``, a case-sensitive one for short forms (``R``, ``Go``) and a token ``Matcher`` for
patterns. Overlaps are resolved longest-first; stop phrases (``R&D``, ``go-to``) and
``not_aliases`` block what they cover. Ambiguous forms must pass a context gate; negated and
aspirational mentions are reported apart. Accepted skills are rolled up to their ancestors.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from skillmatch.models import Document, Evidence, RejectedMention, SkillMatch, SkillsResult
from skillmatch.taxonomy import CATEGORIES, Skill, Taxonomy, load_taxonomy, namespace

if TYPE_CHECKING:
    from spacy.tokens import Doc

NAMESPACES = ("skills", "education", "role", "domain")
_BLOCK = "!block"
_SPLIT_CHARS = set("#+/.&")
_SKILL_HEADING_WORDS = {
    "skills", "skill", "languages", "technologies", "technology", "tools", "stack", "tech",
    "programming", "frameworks", "libraries", "competencies", "toolkit", "software",
}  # fmt: skip
_LIST_GLUE = {",", "and", "or", "/", "&", "as", "well", "nor"}
_CONTINUES = {"with", "in", "of", "to", "and", "or", "the", "a", "an", "for", "on", "no", "not", "using"}
_PRE_LEARNING = {"currently", "still", "now", "am", "'m", "been", "also", "to", "self"}
_CUE_WINDOWS = {"programming-cue": 3, "ml-cue": 6, "math-cue": 6}
_CONFIDENCE = {"phrase": 1.0, "pattern": 0.95, "implied": 0.6}
_GATED_CONFIDENCE = 0.8


@dataclass(frozen=True)
class _Key:
    """What a match id stands for."""

    skill_id: str
    method: str  # phrase | pattern | implied | block
    ambiguous: bool


@dataclass
class _Candidate:
    key: _Key
    start: int  # token indices
    end: int
    rule: str = "alias"
    reason: str | None = None  # set when the mention is not counted


class SkillMatcher:
    """A compiled taxonomy: build once (it takes a second), then call :meth:`find` per document."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher

        self.taxonomy = taxonomy
        self.nlp = spacy.blank("en")
        self._add_special_cases()
        vocab = self.nlp.vocab
        self._phrase_ci = {ns: PhraseMatcher(vocab, attr="LOWER") for ns in NAMESPACES}
        self._phrase_cs = {ns: PhraseMatcher(vocab, attr="ORTH") for ns in NAMESPACES}
        self._patterns = {ns: Matcher(vocab) for ns in NAMESPACES}
        self._keys: dict[int, _Key] = {}
        self._compile()
        contexts = taxonomy.contexts
        self._technical = {s.id for s in taxonomy.skills.values() if s.category == "technical"}
        self._aspiration = [tuple(p.split()) for p in contexts.aspiration]

    # -- building ---------------------------------------------------------------------------
    def _all_alias_texts(self) -> Iterable[tuple[str, bool]]:
        for skill in self.taxonomy.skills.values():
            for alias in skill.aliases:
                yield alias.text, alias.case_sensitive
            for text in (*skill.not_aliases, *skill.evidence_phrases):
                yield text, False
        for text in self.taxonomy.contexts.stop_phrases:
            yield text, False

    def _add_special_cases(self) -> None:
        """Keep aliases such as ``C#``, ``CI/CD`` and ``PL/SQL`` one token, as written."""
        from spacy.symbols import ORTH

        tokenizer = self.nlp.tokenizer
        for text, case_sensitive in self._all_alias_texts():
            if " " in text or not _SPLIT_CHARS & set(text) or "-" in text:
                continue
            if len(tokenizer(text)) == 1:
                continue
            forms = {text} if case_sensitive else {text, text.lower(), text.upper(), text.title()}
            for form in forms:
                tokenizer.add_special_case(form, [{ORTH: form}])

    def _key(self, skill_id: str, method: str, ambiguous: bool) -> str:
        name = f"{skill_id}|{method}|{int(ambiguous)}"
        self._keys[self.nlp.vocab.strings.add(name)] = _Key(skill_id, method, ambiguous)
        return name

    def _compile(self) -> None:
        make = self.nlp.make_doc
        for skill in self.taxonomy.skills.values():
            ns = namespace(skill.category)
            for ambiguous in (False, True):
                plain = [a.text for a in skill.aliases if a.ambiguous == ambiguous and not a.case_sensitive]
                exact = [a.text for a in skill.aliases if a.ambiguous == ambiguous and a.case_sensitive]
                if plain:
                    self._phrase_ci[ns].add(self._key(skill.id, "phrase", ambiguous), [make(t) for t in plain])
                if exact:
                    self._phrase_cs[ns].add(self._key(skill.id, "phrase", ambiguous), [make(t) for t in exact])
            if skill.patterns:
                ambiguous = bool(skill.require) and all(a.ambiguous for a in skill.aliases)
                key = self._key(skill.id, "pattern", ambiguous)
                self._patterns[ns].add(key, [list(p) for p in skill.patterns])
            if skill.evidence_phrases:
                key = self._key(skill.id, "implied", False)
                self._phrase_ci[ns].add(key, [make(t) for t in skill.evidence_phrases])
        blockers = [
            *self.taxonomy.contexts.stop_phrases,
            *(text for skill in self.taxonomy.skills.values() for text in skill.not_aliases),
        ]
        self._phrase_ci["skills"].add(self._key(_BLOCK, "block", False), [make(t) for t in blockers])

    # -- matching ---------------------------------------------------------------------------
    def find(self, document: Document) -> SkillsResult:
        """Every skill ``document`` shows, the mentions not counted, and why."""
        doc = self.nlp.make_doc(document.text)
        context = _Context(doc, document, self)
        accepted: list[_Candidate] = []
        rejected: list[_Candidate] = []
        for ns in NAMESPACES:
            for candidate in self._resolve(doc, ns):
                self._judge(candidate, ns, context)
                if not candidate.reason:
                    accepted.append(candidate)
                elif ns == "skills":  # an unused degree or role word is no claim worth listing
                    rejected.append(candidate)
        skills = self._roll_up(accepted, doc, document)
        return SkillsResult(
            source=document.source,
            skills=tuple(skills),
            rejected=tuple(self._rejected(rejected, doc)),
            warnings=document.warnings,
        )

    def _raw_matches(self, doc: Doc, ns: str) -> list[tuple[int, int, int]]:
        found = list(self._phrase_ci[ns](doc)) + list(self._phrase_cs[ns](doc))
        if len(self._patterns[ns]):
            found.extend(self._patterns[ns](doc))
        return found

    def _resolve(self, doc: Doc, ns: str) -> list[_Candidate]:
        """Longest match wins; a span keeps every key that matched it exactly; blockers drop it."""
        by_span: dict[tuple[int, int], list[_Key]] = {}
        for match_id, start, end in self._raw_matches(doc, ns):
            by_span.setdefault((start, end), []).append(self._keys[match_id])
        taken = [False] * len(doc)
        chosen: list[_Candidate] = []
        for start, end in sorted(by_span, key=lambda s: (s[0] - s[1], s[0])):
            if any(taken[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            keys = by_span[(start, end)]
            if any(k.method == "block" for k in keys):
                continue
            for key in _best_keys(keys):
                chosen.append(_Candidate(key, start, end))
        chosen.sort(key=lambda c: c.start)
        return chosen

    def _judge(self, candidate: _Candidate, ns: str, context: _Context) -> None:
        skill = self.taxonomy.skills[candidate.key.skill_id]
        if ns == "education" and not context.gate("education-section", candidate):
            candidate.reason = "not in an education context"
            return
        if candidate.key.ambiguous:
            self._gate(candidate, skill, context)
            if candidate.reason:
                return
        if ns == "skills":
            context.check_negation(candidate)

    def _gate(self, candidate: _Candidate, skill: Skill, context: _Context) -> None:
        for gate in skill.reject:
            if context.gate(gate, candidate):
                candidate.reason = f"ambiguous form rejected: {gate}"
                return
        for gate in skill.require:
            if context.gate(gate, candidate):
                candidate.rule = gate
                return
        candidate.reason = f"ambiguous form without context (needs one of: {', '.join(skill.require)})"

    def _evidence(self, candidate: _Candidate, doc: Doc, document: Document) -> Evidence:
        span = doc[candidate.start : candidate.end]
        start, end = span.start_char, span.end_char
        section = document.section_at(start)
        method = candidate.key.method
        confidence = _CONFIDENCE.get(method, 1.0)
        if candidate.key.ambiguous:
            confidence = min(confidence, _GATED_CONFIDENCE)
        rule = "behaviour" if method == "implied" else candidate.rule
        return Evidence(
            text=document.text[start:end],
            start=start,
            end=end,
            method=method,
            rule=rule,
            confidence=confidence,
            section=section.name if section else None,
        )

    def _roll_up(self, accepted: Sequence[_Candidate], doc: Doc, document: Document) -> list[SkillMatch]:
        """Direct evidence per skill, then the same evidence for ancestors and implied skills."""
        direct: dict[str, list[Evidence]] = {}
        for candidate in accepted:
            direct.setdefault(candidate.key.skill_id, []).append(self._evidence(candidate, doc, document))
        indirect: dict[str, list[Evidence]] = {}
        for skill_id, evidence in direct.items():
            first = evidence[0]
            for ancestor in self.taxonomy.ancestors(skill_id):
                indirect.setdefault(ancestor, []).append(_via(first, skill_id, first.rule))
            for implied in self.taxonomy.skills[skill_id].implies:
                for target in (implied, *self.taxonomy.ancestors(implied)):
                    indirect.setdefault(target, []).append(
                        _via(first, skill_id, "implies", first.confidence * 0.8)
                    )
        results = []
        for skill_id in {**direct, **indirect}:
            skill = self.taxonomy.skills[skill_id]
            evidence = direct.get(skill_id, []) + _dedupe_via(indirect.get(skill_id, []))
            results.append(SkillMatch(skill.id, skill.name, skill.category, tuple(evidence), skill_id in direct))
        order = {c: i for i, c in enumerate(CATEGORIES)}
        results.sort(key=lambda m: (order.get(m.category, 99), not m.direct, m.evidence[0].start, m.id))
        return results

    def _rejected(self, rejected: Sequence[_Candidate], doc: Doc) -> Iterable[RejectedMention]:
        for candidate in rejected:
            span = doc[candidate.start : candidate.end]
            yield RejectedMention(
                candidate.key.skill_id, span.text, span.start_char, span.end_char, candidate.reason or ""
            )


def _best_keys(keys: list[_Key]) -> list[_Key]:
    """One key per skill for a span, preferring unambiguous phrase matches."""
    best: dict[str, _Key] = {}
    rank = {"phrase": 0, "pattern": 1, "implied": 2}
    for key in keys:
        current = best.get(key.skill_id)
        if current is None or (key.ambiguous, rank[key.method]) < (current.ambiguous, rank[current.method]):
            best[key.skill_id] = key
    return list(best.values())


def _via(evidence: Evidence, skill_id: str, rule: str, confidence: float | None = None) -> Evidence:
    return Evidence(
        text=evidence.text,
        start=evidence.start,
        end=evidence.end,
        method=evidence.method,
        rule=rule,
        confidence=evidence.confidence if confidence is None else confidence,
        section=evidence.section,
        via=skill_id,
    )


def _dedupe_via(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str | None, int]] = set()
    kept = []
    for item in evidence:
        if (item.via, item.start) not in seen:
            seen.add((item.via, item.start))
            kept.append(item)
    return kept


class _Context:
    """Answers the gate questions about one candidate in one document."""

    def __init__(self, doc: Doc, document: Document, matcher: SkillMatcher) -> None:
        self.doc = doc
        self.document = document
        self.contexts = matcher.taxonomy.contexts
        self.matcher = matcher
        self._line_starts = [i + 1 for i, ch in enumerate(document.text) if ch == "\n"]
        self._lower = [t.lower_ for t in doc]
        self._technical_tokens: set[int] | None = None
        self._negated: dict[int, str] = {}  # end token of a negated mention -> reason

    def line_of(self, token_index: int) -> int:
        """The line number of a token."""
        return bisect.bisect_right(self._line_starts, self.doc[token_index].idx)

    def window(self, candidate: _Candidate, size: int) -> Iterable[int]:
        """Token indices around a candidate, not crossing a sentence end or a blank line."""
        for step, stop in ((-1, -1), (1, len(self.doc))):
            i = candidate.start - 1 if step < 0 else candidate.end
            taken = 0
            while i != stop and taken < size:
                token = self.doc[i]
                if token.text in {".", "!", "?", ";"} or (token.is_space and token.text.count("\n") > 1):
                    break
                if not token.is_space:
                    yield i
                    taken += 1
                i += step

    def gate(self, name: str, candidate: _Candidate) -> bool:
        """Whether the named gate holds for the candidate."""
        return bool(getattr(self, "_gate_" + name.replace("-", "_"))(candidate))

    def _gate_tech_list(self, candidate: _Candidate) -> bool:
        technical = self._unambiguous_technical()
        return any(i in technical for i in self.window(candidate, 8))

    def _gate_skills_section(self, candidate: _Candidate) -> bool:
        section = self.document.section_at(self.doc[candidate.start].idx)
        if section is not None and section.name == "skills":
            return True
        return self._line_label(candidate) & _SKILL_HEADING_WORDS != set()

    def _line_label(self, candidate: _Candidate) -> set[str]:
        """The words before a colon that opens the candidate's line ("Languages: ...")."""
        line = self.line_of(candidate.start)
        words: list[str] = []
        i = candidate.start - 1
        while i >= 0 and self.line_of(i) == line:
            if self.doc[i].text == ":":
                words = [self._lower[j] for j in range(max(i - 4, 0), i) if self.line_of(j) == line]
            i -= 1
        return set(words)

    def _cue(self, name: str, candidate: _Candidate) -> bool:
        words = self.contexts.cues.get(name, frozenset())
        return any(self._lower[i] in words for i in self.window(candidate, _CUE_WINDOWS.get(name, 6)))

    def _gate_programming_cue(self, candidate: _Candidate) -> bool:
        return self._cue("programming-cue", candidate)

    def _gate_ml_cue(self, candidate: _Candidate) -> bool:
        return self._cue("ml-cue", candidate)

    def _gate_math_cue(self, candidate: _Candidate) -> bool:
        return self._cue("math-cue", candidate)

    def _gate_education_section(self, candidate: _Candidate) -> bool:
        section = self.document.section_at(self.doc[candidate.start].idx)
        if section is not None and section.name == "education":
            return True
        degree_words = self.contexts.cues.get("degree-words", frozenset())
        inside = range(candidate.start, candidate.end)
        return any(self._lower[i] in degree_words for i in (*inside, *self.window(candidate, 8)))

    def _gate_hyphen_attached(self, candidate: _Candidate) -> bool:
        doc, start, end = self.doc, candidate.start, candidate.end
        before = start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
        before = before and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha
        after = end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
        after = after and not doc[end].whitespace_ and doc[end + 1].is_alpha
        return before or after

    def _gate_after_number(self, candidate: _Candidate) -> bool:
        return candidate.start > 0 and bool(self.doc[candidate.start - 1].like_num)

    def _gate_verb_use(self, candidate: _Candidate) -> bool:
        followers = self.contexts.cues.get("verb-use-followers", frozenset())
        return candidate.end < len(self.doc) and self._lower[candidate.end] in followers

    def _unambiguous_technical(self) -> set[int]:
        """Token indices covered by unambiguous technical mentions (for the tech-list gate)."""
        if self._technical_tokens is None:
            technical = self.matcher._technical
            tokens: set[int] = set()
            for candidate in self.matcher._resolve(self.doc, "skills"):
                if not candidate.key.ambiguous and candidate.key.skill_id in technical:
                    tokens.update(range(candidate.start, candidate.end))
            self._technical_tokens = tokens
        return self._technical_tokens

    # -- negation and aspiration ----------------------------------------------------------
    def check_negation(self, candidate: _Candidate) -> None:
        """Mark a mention that is denied ("no experience with") or only hoped for ("learning")."""
        reason = self._inherited(candidate) or self._cue_before(candidate)
        if reason:
            candidate.reason = reason
            self._negated[candidate.end] = reason

    def _inherited(self, candidate: _Candidate) -> str | None:
        """A list continues a denial: "no experience with Java, Kotlin or Scala"."""
        i = candidate.start - 1
        while i >= 0 and (self._lower[i] in _LIST_GLUE or self.doc[i].is_space):
            i -= 1
        if i < candidate.start - 1 and (i + 1) in self._negated:
            return self._negated[i + 1]
        return None

    def _cue_before(self, candidate: _Candidate) -> str | None:
        breaks = self.contexts.clause_breaks
        lowest = max(candidate.start - 8, 0)
        i = candidate.start - 1
        while i >= lowest:
            word = self._lower[i]
            if word in breaks or self._line_break(i):
                break
            if word in self.contexts.negation:
                return f"negated: '{self.doc[i].text}'"
            phrase = self._aspiration_ending_at(i)
            if phrase:
                return f"aspiration: '{phrase}'"
            i -= 1
        return None

    def _line_break(self, i: int) -> bool:
        """A newline ends a clause unless the line before stops on a word that needs more."""
        token = self.doc[i]
        if not token.is_space or "\n" not in token.text:
            return False
        return "\n\n" in token.text or i == 0 or self._lower[i - 1] not in _CONTINUES

    def _aspiration_ending_at(self, i: int) -> str | None:
        for phrase in self.matcher._aspiration:
            n = len(phrase)
            if i - n + 1 < 0 or tuple(self._lower[i - n + 1 : i + 1]) != phrase:
                continue
            if phrase in {("learning",), ("learn",)} and not self._learning_is_aspiration(i):
                continue
            return " ".join(phrase)
        return None

    def _learning_is_aspiration(self, i: int) -> bool:
        """'learning Go' is aspiration; 'machine learning with Go' is not."""
        if i == 0:
            return True
        before = self._lower[i - 1]
        return before in _PRE_LEARNING or before in self.contexts.clause_breaks or self.doc[i - 1].is_space


@functools.lru_cache(maxsize=4)
def get_matcher(taxonomy: Taxonomy) -> SkillMatcher:
    """The compiled matcher for ``taxonomy``, built once per process and reused."""
    return SkillMatcher(taxonomy)


def extract_skills(document: Document, *, taxonomy: Taxonomy | None = None) -> SkillsResult:
    """The taxonomy skills ``document`` shows, with evidence (the ``skills`` verb)."""
    return get_matcher(taxonomy or load_taxonomy()).find(document)

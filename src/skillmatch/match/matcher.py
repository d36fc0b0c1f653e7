"""Find taxonomy skills in a document, with evidence and the reason each was accepted.

The pipeline is spaCy's blank English tokenizer (with special cases generated from the taxonomy
for aliases such as ``C#`` or ``CI/CD``), then per alias namespace a case-insensitive
``PhraseMatcher``, a case-sensitive one for short forms (``R``, ``Go``) and a token ``Matcher`` for
patterns; technical names also match with a version suffix (``Python 3.11``, ``C++17``, ``Vue3``).
Overlaps are resolved longest-first; stop phrases (``R&D``, ``go-to``) and ``not_aliases`` block
what they cover. Acronyms the document defines ("Natural Language Processing (NLP)") count later
on; words that matched nothing get a typo check against long aliases
(:mod:`skillmatch.match.fuzzy`).
Ambiguous forms must pass a context gate (:mod:`skillmatch.match.gates`); negated and aspirational
mentions are reported apart. Accepted skills are rolled up to their ancestors.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from skillmatch.match.acronyms import find_acronyms
from skillmatch.match.claims import non_claim_reason
from skillmatch.match.fuzzy import FuzzyIndex
from skillmatch.match.gates import DocumentContext, Mention
from skillmatch.match.patterns import PatternSet
from skillmatch.match.phrases import PhraseGroups, Phrases
from skillmatch.match.tokens import WordTests, tokenizer_text, tune_tokenizer
from skillmatch.models import (
    Document,
    Evidence,
    EvidenceMethod,
    RejectedMention,
    SkillMatch,
    SkillsResult,
)
from skillmatch.taxonomy.load import load_taxonomy
from skillmatch.taxonomy.model import CATEGORIES, Skill, Taxonomy, namespace

if TYPE_CHECKING:
    from spacy.tokens import Doc

NAMESPACES = ("skills", "education", "role", "domain")
_BLOCK = "!block"
_CONFIDENCE = {"phrase": 1.0, "pattern": 0.95, "acronym": 0.9, "implied": 0.6}
_GATED_CONFIDENCE = 0.8
_IMPLIES_FACTOR = 0.8
#: A version written after a name: "3.11", "17", "2.x", "v2", "12c".
_VERSION = re.compile(r"^v?\d{1,4}(\.\d+)*(\.x)?[a-z]?$")
#: A name with a version glued on: "Python3.11", "C++17", "Vue3", "TF2".
_GLUED = re.compile(r"([A-Za-z][A-Za-z+#]*?[A-Za-z+#])[-_]?v?(\d{1,4}(?:\.\d+)*)$")


@dataclass(frozen=True)
class _Key:
    """What a match id stands for."""

    skill_id: str
    method: EvidenceMethod | Literal["block"]  # a block key hides what it covers
    ambiguous: bool


#: Text searched per document (characters); a longer text is cut here with a warning. Twice
#: spaCy's default: the blank tokenizer and the gates need about 120 MB and 3 s per million.
MAX_TEXT_CHARS = 2_000_000


class SkillMatcher:
    """A compiled taxonomy: build once (it takes a second), then call :meth:`find` per document."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        import spacy  # spaCy loads on first use, not at import

        self.taxonomy = taxonomy
        self.nlp = spacy.blank("en")
        # spaCy's 1,000,000-character default guards parser and NER memory; the blank tokenizer
        # needs none of it, so longer texts are read up to MAX_TEXT_CHARS (then cut, warned)
        self.nlp.max_length = MAX_TEXT_CHARS + 1
        tune_tokenizer(self.nlp, self._all_alias_texts(), _pattern_attrs(taxonomy))
        vocab = self.nlp.vocab
        self._patterns = {ns: PatternSet(vocab) for ns in NAMESPACES}
        self._keys: dict[int, _Key] = {}
        self._versioned: dict[int, int] = {}  # phrase match id -> its "with a version" match id
        self._glued_ci: dict[str, list[int]] = {}
        self._glued_cs: dict[str, list[int]] = {}
        self._technical = {s.id for s in taxonomy.skills.values() if s.category == "technical"}
        #: office software (``contexts.yaml`` cue ``office-skills``): not a programming list
        self._office = set(taxonomy.contexts.cues.get("office-skills", frozenset()))
        self._compile()
        self.fuzzy = FuzzyIndex(taxonomy)
        self._word_tests = self._tests_of_words()
        self._aspiration = [tuple(p.split()) for p in taxonomy.contexts.aspiration]

    # -- building ---------------------------------------------------------------------------
    def _all_alias_texts(self) -> Iterable[tuple[str, bool]]:
        for skill in self.taxonomy.skills.values():
            for alias in skill.aliases:
                yield alias.text, alias.case_sensitive
            for text in (*skill.not_aliases, *skill.evidence_phrases):
                yield text, False
        for text in self.taxonomy.contexts.stop_phrases:
            yield text, False

    def _key(
        self, skill_id: str, method: EvidenceMethod | Literal["block"], ambiguous: bool
    ) -> str:
        name = f"{skill_id}|{method}|{int(ambiguous)}"
        self._keys[self.nlp.vocab.strings.add(name)] = _Key(skill_id, method, ambiguous)
        return name

    def _compile(self) -> None:
        strings = self.nlp.vocab.strings
        ci: list[Phrases] = []  # case-insensitive
        cs: list[Phrases] = []  # case-sensitive
        for skill in self.taxonomy.skills.values():
            ns = namespace(skill.category)
            versioned = ns == "skills" and skill.category == "technical"
            for ambiguous in (False, True):
                plain = [
                    a.text
                    for a in skill.aliases
                    if a.ambiguous == ambiguous and not a.case_sensitive
                ]
                exact = [
                    a.text for a in skill.aliases if a.ambiguous == ambiguous and a.case_sensitive
                ]
                key = self._key(skill.id, "phrase", ambiguous)
                if plain:
                    ci.append((ns, key, plain))
                if exact:
                    cs.append((ns, key, exact))
                if versioned and (plain or exact):
                    self._versioned[strings[key]] = strings[
                        self._key(skill.id, "pattern", ambiguous)
                    ]
                if versioned and not ambiguous:
                    pattern_id = strings[self._key(skill.id, "pattern", False)]
                    for text in plain:
                        self._glued_ci.setdefault(text.lower(), []).append(pattern_id)
                    for text in exact:
                        self._glued_cs.setdefault(text, []).append(pattern_id)
            if skill.patterns:
                ambiguous = bool(skill.require) and all(a.ambiguous for a in skill.aliases)
                key = self._key(skill.id, "pattern", ambiguous)
                for pattern in skill.patterns:
                    self._patterns[ns].add(key, pattern)
            if skill.evidence_phrases:
                key = self._key(skill.id, "implied", False)
                ci.append((ns, key, skill.evidence_phrases))
        # stop phrases block every skill; a skill's not_aliases block that skill only
        stop = self.taxonomy.contexts.stop_phrases
        ci.append(("skills", self._key(_BLOCK, "block", False), stop))
        for skill in self.taxonomy.skills.values():
            if skill.not_aliases:
                ns = namespace(skill.category)
                key = self._key(skill.id, "block", False)
                ci.append((ns, key, skill.not_aliases))
        # the order of keys within a span only matters between skills, and not for blockers
        label = self._skill_unless_block
        make = self.nlp.make_doc
        self._phrase_ci = PhraseGroups(self.nlp.vocab, "LOWER", ci, make=make, label=label)
        self._phrase_cs = PhraseGroups(self.nlp.vocab, "ORTH", cs, make=make, label=label)

    def _skill_unless_block(self, key: str) -> str | None:
        """The skill a match key names, or ``None`` for a blocker (:meth:`_resolve`)."""
        found = self._keys[self.nlp.vocab.strings[key]]
        return None if found.method == "block" else found.skill_id

    def _tests_of_words(self) -> WordTests:
        """What the matcher asks about every distinct word of a document: may it carry a glued
        version, may a pattern start there, may it be a typo (answers kept across documents)."""
        tests: dict[str, Callable[[str], bool]] = {"glued": lambda w: bool(self._glued_ids(w))}
        for ns, patterns in self._patterns.items():
            if len(patterns):
                tests[f"start:{ns}"] = patterns.may_start
        if len(self.fuzzy):
            tests.update(self.fuzzy.word_tests())
        return WordTests(tests)

    # -- matching ---------------------------------------------------------------------------
    def find(self, document: Document) -> SkillsResult:
        """Every skill ``document`` shows, the mentions not counted, and why."""
        warnings = document.warnings
        if len(document.text) > MAX_TEXT_CHARS:
            doc = self.nlp.make_doc(tokenizer_text(document.text[:MAX_TEXT_CHARS]))
            warnings += (
                f"{document.source}: the text is {len(document.text):,} characters long; only "
                f"the first {MAX_TEXT_CHARS:,} were searched for skills",
            )
        else:
            doc = self.nlp.make_doc(tokenizer_text(document.text))
        context = DocumentContext(doc, document, self.taxonomy.contexts, self._aspiration)
        context.passing = self._word_tests.positions(context.words)
        covered = bytearray(len(doc))
        ci, cs = self._phrase_ci(doc), self._phrase_cs(doc)
        found = {
            ns: self._resolve(doc, ns, ci.get(ns, []) + cs.get(ns, []), context, covered)
            for ns in NAMESPACES
        }
        mentions = found["skills"]
        context.technical = {
            i
            for m in mentions
            if not m.ambiguous and m.method != "implied" and m.skill_id in self._technical
            for i in range(m.start, m.end)
        }
        context.office = {
            i
            for m in mentions
            if m.skill_id in self._office and m.method != "implied"
            for i in range(m.start, m.end)
        }
        mentions = self._apply_acronyms(doc, context.words, mentions, covered)
        if len(self.fuzzy):
            mentions.extend(self._fuzzy(context, covered))
            mentions.sort(key=lambda m: m.start)
        found["skills"] = mentions
        accepted: list[Mention] = []
        rejected: list[Mention] = []
        for ns in NAMESPACES:
            for mention in found[ns]:
                self._judge(mention, ns, context)
                if not mention.reason:
                    accepted.append(mention)
                elif ns == "skills":  # an unused degree or role word is no claim worth listing
                    rejected.append(mention)
        skills = self._roll_up(accepted, document, context)
        return SkillsResult(
            source=document.source,
            skills=tuple(skills),
            rejected=tuple(self._rejected(rejected, document.text, context)),
            warnings=warnings,
        )

    def _raw_matches(
        self, doc: Doc, ns: str, found: list[tuple[int, int, int]], context: DocumentContext
    ) -> list[tuple[int, int, int]]:
        """``found`` (the phrase matches of namespace ``ns``) and its other matches."""
        if ns == "skills":
            found.extend(self._with_versions(found, doc, context))
            found.extend(self._glued_versions(context))
        if len(self._patterns[ns]):
            found.extend(
                self._patterns[ns](
                    doc, context.words, context.lower, context.passing[f"start:{ns}"]
                )
            )
        return found

    def _with_versions(
        self, found: list[tuple[int, int, int]], doc: Doc, context: DocumentContext
    ) -> Iterable[tuple[int, int, int]]:
        """``Python 3.11``, ``Java 17``, ``PostgreSQL 15``: a technical name and a version."""
        n = len(doc)
        for match_id, start, end in found:
            version_id = self._versioned.get(match_id)
            # a space after the name: the next token starts past its end (by one, the space)
            if version_id is None or end >= n or context.idx[end] == context.ends[end - 1]:
                continue
            if context.wrapped_after(end - 1):
                continue  # "Python" ending a line, then "2019 - 2021"
            if _VERSION.match(context.lower[end]) and (
                end + 1 >= n or context.lower[end + 1] not in {"%", "+"}
            ):
                yield version_id, start, end + 1

    def _glued_versions(self, context: DocumentContext) -> Iterable[tuple[int, int, int]]:
        """``Python3.11``, ``C++17``, ``Vue3``: a technical name with a version glued on."""
        words = context.words
        for i in context.passing["glued"]:
            for match_id in self._glued_ids(words[i]):
                yield match_id, i, i + 1

    def _glued_ids(self, word: str) -> list[int]:
        """The "with a version" match ids of a name with a version glued on (none for others)."""
        if not word[-1].isdigit() or not word[0].isalpha():
            return []
        found = _GLUED.match(word)
        if found is None:
            return []
        name = found.group(1)
        return self._glued_cs.get(name) or self._glued_ci.get(name.lower()) or []

    def _resolve(
        self,
        doc: Doc,
        ns: str,
        phrases: list[tuple[int, int, int]],
        context: DocumentContext,
        covered: bytearray,
    ) -> list[Mention]:
        """Longest match wins; a span keeps every key that matched it exactly; blockers drop it."""
        by_span: dict[tuple[int, int], list[_Key]] = {}
        for match_id, start, end in self._raw_matches(doc, ns, phrases, context):
            by_span.setdefault((start, end), []).append(self._keys[match_id])
        taken = bytearray(len(doc))
        chosen: list[Mention] = []
        for start, end in sorted(by_span, key=_longest_first):
            if taken.find(1, start, end) >= 0:
                continue
            taken[start:end] = b"\x01" * (end - start)
            covered[start:end] = b"\x01" * (end - start)
            keys = by_span[(start, end)]
            if len(keys) == 1:  # most spans: no choice to make
                key = keys[0]
                if key.method != "block":
                    chosen.append(Mention(key.skill_id, key.method, key.ambiguous, start, end))
                continue
            blocked = {k.skill_id for k in keys if k.method == "block"}
            if _BLOCK in blocked:
                continue
            for key in _best_keys([k for k in keys if k.skill_id not in blocked]):
                if key.method != "block":  # blocks were taken out above; this tells the types
                    chosen.append(Mention(key.skill_id, key.method, key.ambiguous, start, end))
        chosen.extend(_nested(by_span, chosen, self.taxonomy.ancestors))
        chosen.sort(key=lambda m: m.start)
        return chosen

    def _apply_acronyms(
        self, doc: Doc, words: list[str], mentions: list[Mention], covered: bytearray
    ) -> list[Mention]:
        """Acronyms the document defines count wherever they recur, whatever their gate says."""
        definitions = find_acronyms(
            doc,
            words,
            (
                (m.skill_id, m.start, m.end)
                for m in mentions
                if not m.ambiguous and m.method != "implied"
            ),
        )
        if not definitions:
            return mentions
        at: dict[int, list[Mention]] = {}
        for mention in mentions:
            if mention.end == mention.start + 1:
                at.setdefault(mention.start, []).append(mention)
        result = list(mentions)
        for i, word in enumerate(words):
            acronym = definitions.get(word)
            if acronym is None:
                continue
            note = f"acronym defined as '{acronym.long_form}'"
            existing = at.get(i, [])
            if existing:
                for mention in existing:
                    if mention.ambiguous:  # a plain alias needs no definition
                        mention.skill_id, mention.method, mention.ambiguous = (
                            acronym.skill_id,
                            "acronym",
                            False,
                        )
                        mention.rule, mention.note = "document-acronym", note
            elif not covered[i]:
                covered[i] = 1
                result.append(
                    Mention(
                        acronym.skill_id, "acronym", False, i, i + 1, "document-acronym", note=note
                    )
                )
        # two mentions of one span may now name the same skill
        unique = {(m.skill_id, m.start, m.end): m for m in result}
        return sorted(unique.values(), key=lambda m: m.start)

    def _fuzzy(self, context: DocumentContext, covered: bytearray) -> Iterable[Mention]:
        """Typo matches ("Tensorlfow") for words nothing else matched."""
        found = self.fuzzy.candidates(context.words, context.lower, covered, context.passing)
        for start, end, hit in found:
            note = f"typo of '{hit.alias}' (ratio {hit.score:.0f})"
            yield Mention(
                hit.skill_id, "fuzzy", False, start, end, "fuzzy-ratio", None, hit.score / 100, note
            )

    def _judge(self, mention: Mention, ns: str, context: DocumentContext) -> None:
        skill = self.taxonomy.skills[mention.skill_id]
        if ns == "education" and not context.gate("education-section", mention):
            mention.reason = "not in an education context"
            return
        if mention.ambiguous:
            self._gate(mention, skill, context)
            if mention.reason:
                return
        if mention.method in {"phrase", "pattern"} and (
            context.gate("organisation-name", mention)
            or (skill.category != "technical" and context.name_ends_in_organisation_word(mention))
        ):
            mention.reason = "part of an organisation, award or event name"
            return
        if ns == "skills" and mention.method != "fuzzy":
            reason = non_claim_reason(context, mention, skill.category)
            if reason:
                mention.reason = f"not a claim: {reason}"
                return
        if ns == "skills":
            context.check_negation(mention)

    def _gate(self, mention: Mention, skill: Skill, context: DocumentContext) -> None:
        for gate in skill.reject:
            if context.gate(gate, mention):
                mention.reason = f"ambiguous form rejected: {gate}"
                return
        for gate in skill.require:
            if context.gate(gate, mention):
                mention.rule = gate
                return
        mention.reason = (
            f"ambiguous form without context (needs one of: {', '.join(skill.require)})"
        )

    def _evidence(self, mention: Mention, document: Document, context: DocumentContext) -> Evidence:
        start, end = context.idx[mention.start], context.ends[mention.end - 1]
        method = mention.method
        confidence = (
            mention.confidence if mention.confidence is not None else _CONFIDENCE.get(method, 1.0)
        )
        if mention.ambiguous:
            confidence = min(confidence, _GATED_CONFIDENCE)
        rule = "behaviour" if method == "implied" else mention.rule
        return Evidence(
            text=document.text[start:end],
            start=start,
            end=end,
            method=method,
            rule=rule,
            confidence=confidence,
            section=context.section_name(mention.start),
        )

    def _roll_up(
        self, accepted: Sequence[Mention], document: Document, context: DocumentContext
    ) -> list[SkillMatch]:
        """Direct evidence per skill, then the same evidence for ancestors and implied skills."""
        direct: dict[str, list[Evidence]] = {}
        for mention in accepted:
            direct.setdefault(mention.skill_id, []).append(
                self._evidence(mention, document, context)
            )
        indirect: dict[str, list[Evidence]] = {}
        for skill_id, evidence in direct.items():
            first = evidence[0]
            for ancestor in self.taxonomy.ancestors(skill_id):
                indirect.setdefault(ancestor, []).append(_via(first, skill_id, first.rule))
            # an `implies` link claims its target only inside one category (Flask -> Python):
            # a tool is no evidence of a mathematical or soft skill (PCA -> linear algebra)
            category = self.taxonomy.skills[skill_id].category
            for implied in self.taxonomy.skills[skill_id].implies:
                for target in (implied, *self.taxonomy.ancestors(implied)):
                    if self.taxonomy.skills[target].category != category:
                        continue
                    indirect.setdefault(target, []).append(
                        _via(first, skill_id, "implies", first.confidence * _IMPLIES_FACTOR)
                    )
        results = []
        for skill_id in {**direct, **indirect}:
            skill = self.taxonomy.skills[skill_id]
            evidence = direct.get(skill_id, []) + _dedupe_via(indirect.get(skill_id, []))
            results.append(
                SkillMatch(
                    skill.id, skill.name, skill.category, tuple(evidence), skill_id in direct
                )
            )
        order = {c: i for i, c in enumerate(CATEGORIES)}
        results.sort(
            key=lambda m: (order.get(m.category, 99), not m.direct, m.evidence[0].start, m.id)
        )
        return results

    def _rejected(
        self, rejected: Sequence[Mention], text: str, context: DocumentContext
    ) -> Iterable[RejectedMention]:
        for mention in rejected:
            start, end = context.idx[mention.start], context.ends[mention.end - 1]
            reason = mention.reason or ""
            yield RejectedMention(mention.skill_id, text[start:end], start, end, reason)


def _nested(
    by_span: dict[tuple[int, int], list[_Key]],
    chosen: list[Mention],
    ancestors: Callable[[str], list[str]],
) -> list[Mention]:
    """Plain names of other skills inside a chosen name: "creative problem-solving" names
    creativity and problem solving, "R Markdown" names R Markdown and R. Only unambiguous phrase
    matches count, nothing inside a blocked span (stop phrases, ``not_aliases``), and no name of
    the outer skill or of one of its ancestors ("databases" in "relational databases")."""
    if len(chosen) == len(by_span):
        return []
    outer = {(m.start, m.end): m.skill_id for m in chosen}
    # chosen spans never share a token (:meth:`SkillMatcher._resolve`): at most one holds a span,
    # the last to start where it starts or before
    spans = sorted(outer)
    starts = [start for start, _ in spans]
    blocks = [
        (span, {k.skill_id for k in keys if k.method == "block"})
        for span, keys in by_span.items()
        if any(k.method == "block" for k in keys)
    ]
    found: list[Mention] = []
    for (start, end), keys in sorted(by_span.items(), key=lambda item: _longest_first(item[0])):
        if (start, end) in outer:
            continue
        at = bisect.bisect_right(starts, start) - 1
        if at < 0 or spans[at][1] < end:
            continue
        holder = outer[spans[at]]
        blocked = {
            skill for (s, e), skills in blocks if s <= start and end <= e for skill in skills
        }
        if _BLOCK in blocked:
            continue
        for key in keys:
            if key.method not in {"phrase", "pattern"} or key.ambiguous or key.skill_id in blocked:
                continue
            if (key.skill_id == holder or key.skill_id in ancestors(holder)) or any(
                m.skill_id == key.skill_id and m.start < end and start < m.end for m in found
            ):
                continue
            found.append(Mention(key.skill_id, key.method, False, start, end))
    return found


def _longest_first(span: tuple[int, int]) -> tuple[int, int]:
    return span[0] - span[1], span[0]


def _best_keys(keys: list[_Key]) -> list[_Key]:
    """One key per skill for a span, preferring unambiguous phrase matches."""
    best: dict[str, _Key] = {}
    rank = {"phrase": 0, "pattern": 1, "implied": 2}
    for key in keys:
        current = best.get(key.skill_id)
        if current is None or (key.ambiguous, rank[key.method]) < (
            current.ambiguous,
            rank[current.method],
        ):
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


def _pattern_attrs(taxonomy: Taxonomy) -> set[str]:
    """The token attributes the taxonomy's patterns test ("IS_ALPHA", "SHAPE"...)."""
    return {
        attr.upper()
        for skill in taxonomy.skills.values()
        for pattern in skill.patterns
        for token in pattern
        for attr in token
    }


@functools.lru_cache(maxsize=4)
def get_matcher(taxonomy: Taxonomy) -> SkillMatcher:
    """The compiled matcher for ``taxonomy``, built once per process and reused."""
    return SkillMatcher(taxonomy)


def extract_skills(document: Document, *, taxonomy: Taxonomy | None = None) -> SkillsResult:
    """The taxonomy skills ``document`` shows, with evidence (the ``skills`` verb)."""
    return get_matcher(taxonomy or load_taxonomy()).find(document)

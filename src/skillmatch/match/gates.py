"""The context questions the matcher asks about one mention in one document.

Gates (named in a skill's ``ambiguity.require`` / ``ambiguity.reject``, word lists in
``taxonomy/contexts.yaml``) decide whether an ambiguous form such as ``R``, ``Go`` or ``ML`` is the
skill; the negation and aspiration check decides whether a mention claims the skill at all.
A :class:`DocumentContext` is built once per document and caches what it computes.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from skillmatch.models import Document, EvidenceMethod
from skillmatch.taxonomy.model import Contexts

if TYPE_CHECKING:
    from spacy.tokens import Doc

SKILL_HEADING_WORDS = {
    "skills", "skill", "languages", "technologies", "technology", "tools", "stack", "tech",
    "programming", "frameworks", "libraries", "competencies", "toolkit", "software", "knowledge",
}  # fmt: skip
_LIST_GLUE = {",", "and", "or", "/", "&", "as", "well", "nor"}
_CONTINUES = {
    "with",
    "in",
    "of",
    "to",
    "and",
    "or",
    "the",
    "a",
    "an",
    "for",
    "on",
    "no",
    "not",
    "using",
}
_PRE_LEARNING = {"currently", "still", "now", "am", "'m", "been", "also", "to", "self"}
_SENTENCE_END = {".", "!", "?", ";"}
_CUE_WINDOWS = {"programming-cue": 3, "ml-cue": 6, "math-cue": 6}
_TECH_LIST_WINDOW = 8

#: Words that may join the capitalised words of a name ("Department of Statistics").
_NAME_GLUE = {"of", "and", "&", "for", "the", "on", "in", "at"}


@dataclass(slots=True)
class Mention:
    """A candidate mention: token span ``[start, end)`` of a skill, and what decided about it."""

    skill_id: str
    method: EvidenceMethod
    ambiguous: bool
    start: int
    end: int
    rule: str = "alias"
    reason: str | None = None  # set when the mention is not counted
    confidence: float | None = None
    note: str | None = None  # extra explanation (the acronym definition, the fuzzy target)


class DocumentContext:
    """Answers the gate questions about mentions in one document."""

    def __init__(
        self, doc: Doc, document: Document, contexts: Contexts, aspiration: list[tuple[str, ...]]
    ) -> None:
        self.doc = doc
        self.document = document
        self.contexts = contexts
        self._aspiration_by_last: dict[str, list[tuple[str, ...]]] = {}
        for phrase in aspiration:
            self._aspiration_by_last.setdefault(phrase[-1], []).append(phrase)
        text = document.text
        #: token offsets, end offsets, texts, lower-cased texts and whitespace flags, computed once
        #: (no Token objects: faster)
        self.idx, self.ends = _offsets(doc)
        self.words = [text[start:end] for start, end in zip(self.idx, self.ends, strict=True)]
        self.lower = list(map(str.lower, self.words))
        self.is_space = list(map(str.isspace, self.words))
        #: word test name -> the indices of the tokens that pass it (set by the matcher)
        self.passing: dict[str, list[int]] = {}
        self.technical: set[int] = set()  # token indices covered by unambiguous technical mentions
        self.office: set[int] = set()  # ... of them, those naming office software
        self._negated: dict[int, str] = {}  # end token of a negated mention -> reason
        self._section_cache: dict[int, str | None] = {}
        #: per-document answers other checks keep (:mod:`skillmatch.match.claims`)
        self.cache: dict[str, object] = {}

    # -- positions --------------------------------------------------------------------------
    def wrapped_after(self, i: int) -> bool:
        """Whether word token ``i`` ends its line, right before the newline (which the tokenizer
        may have seen as a space, joining a wrapped line:
        :func:`skillmatch.match.tokens.tokenizer_text`);
        the clause checks treat that like a newline token."""
        end = self.ends[i]
        text = self.document.text
        return end < len(text) and text[end] == "\n" and not self.is_space[i]

    def line_of(self, token_index: int) -> int:
        """The line number of a token."""
        return bisect.bisect_right(self._line_starts, self.idx[token_index])

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        """Where each line after the first starts (only the office gates ask)."""
        return _line_starts(self.document.text)

    def _line_offsets(self, token_index: int) -> tuple[int, int]:
        """Offsets ``first, last``: a token is on the line of token ``token_index`` (its
        :meth:`line_of`) if and only if it starts at ``first`` or later and before ``last``."""
        text, start = self.document.text, self.idx[token_index]
        newline = text.find("\n", start)
        return text.rfind("\n", 0, start) + 1, newline + 1 if newline >= 0 else len(text) + 1

    def section_name(self, token_index: int) -> str | None:
        """The name of the section holding a token, if any."""
        if token_index not in self._section_cache:
            section = self.document.section_at(self.idx[token_index])
            self._section_cache[token_index] = section.name if section else None
        return self._section_cache[token_index]

    def window(self, mention: Mention, size: int) -> Iterable[int]:
        """Token indices around a mention, not crossing a sentence end or a blank line."""
        for step, stop in ((-1, -1), (1, len(self.words))):
            i = mention.start - 1 if step < 0 else mention.end
            taken = 0
            while i != stop and taken < size:
                if self.lower[i] in _SENTENCE_END:
                    break
                if self.is_space[i]:
                    if self.words[i].count("\n") > 1:
                        break
                else:
                    yield i
                    taken += 1
                i += step

    # -- gates ------------------------------------------------------------------------------
    def gate(self, name: str, mention: Mention) -> bool:
        """Whether the named gate holds for the mention."""
        return bool(_GATES[name](self, mention))

    def _gate_anywhere(self, mention: Mention) -> bool:
        """Always holds: for forms that only need their ``reject`` gates checked."""
        return True

    def _gate_tech_list(self, mention: Mention) -> bool:
        return any(
            i in self.technical and i not in self.office
            for i in self.window(mention, _TECH_LIST_WINDOW)
        )

    def _office_neighbours(self, mention: Mention) -> tuple[bool, bool]:
        """Whether office software, and whether other technologies, are listed near a mention
        (same line, within the tech-list window)."""
        words = self.contexts.cues.get("office-software", frozenset())
        line = self.line_of(mention.start)
        office = other = False
        for i in self.window(mention, _TECH_LIST_WINDOW):
            if self.line_of(i) != line:
                continue
            if i in self.office or (self.lower[i] in words and self.words[i][:1].isupper()):
                office = True
            elif i in self.technical:
                other = True
        return office, other

    def _gate_office_list(self, mention: Mention) -> bool:
        """ "Word, Excel, Access, PowerPoint": office software named on both sides or nearby."""
        return self._office_neighbours(mention)[0]

    def _gate_office_only_list(self, mention: Mention) -> bool:
        """ "Word, Excel, PowerPoint, Access, C": the only technologies around are office ones."""
        office, other = self._office_neighbours(mention)
        return office and not other

    def _gate_season(self, mention: Mention) -> bool:
        """ "the Spring/Summer collection", "Spring 2016", "spring semester"."""
        words = self.contexts.cues.get("season", frozenset())
        near = [i for i in self.window(mention, 2)]
        return any(self.lower[i] in words or self.lower[i].isdigit() for i in near)

    def _gate_other_person(self, mention: Mention) -> bool:
        """ "report to the team lead", "support your team leader": a title of someone else."""
        words = self.contexts.cues.get("other-person", frozenset())
        before = [i for i in self.window(mention, 2) if i < mention.start]
        return any(self.lower[i] in words for i in before)

    def _gate_skills_section(self, mention: Mention) -> bool:
        if self.section_name(mention.start) == "skills":
            return True
        return bool(self._line_label(mention) & SKILL_HEADING_WORDS)

    def _line_label(self, mention: Mention) -> set[str]:
        """The words before a colon that opens the mention's line ("Languages: ...")."""
        text = self.document.text
        start = self.idx[mention.start]
        line_start = text.rfind("\n", 0, start) + 1
        colon = text.find(":", line_start, start)
        if colon < 0:
            return set()
        return set(text[line_start:colon].lower().split()[-4:])

    def _cue(self, name: str, mention: Mention) -> bool:
        words = self.contexts.cues.get(name, frozenset())
        return any(self.lower[i] in words for i in self.window(mention, _CUE_WINDOWS.get(name, 6)))

    def _gate_programming_cue(self, mention: Mention) -> bool:
        return self._cue("programming-cue", mention)

    def _gate_ml_cue(self, mention: Mention) -> bool:
        return self._cue("ml-cue", mention)

    def _gate_math_cue(self, mention: Mention) -> bool:
        return self._cue("math-cue", mention)

    def _gate_education_section(self, mention: Mention) -> bool:
        if self.section_name(mention.start) == "education":
            return True
        degree_words = self.contexts.cues.get("degree-words", frozenset())
        inside = range(mention.start, mention.end)
        return any(self.lower[i] in degree_words for i in (*inside, *self.window(mention, 8)))

    def _gate_hyphen_attached(self, mention: Mention) -> bool:
        doc, start, end = self.doc, mention.start, mention.end
        before = start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
        before = before and not doc[start - 2].whitespace_ and doc[start - 2].text.isalpha()
        after = end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
        after = after and not doc[end].whitespace_ and doc[end + 1].text.isalpha()
        return before or after

    def _gate_after_number(self, mention: Mention) -> bool:
        return mention.start > 0 and _like_num(self.doc[mention.start - 1].text)

    def _gate_organisation_name(self, mention: Mention) -> bool:
        """The capitalised mention is part of a name with an organisation word in it ("Public
        Health Leadership Institute", "Political Communication Division", "Award for
        Intercampus Collaboration"), on the same line."""
        words = self.words
        if not words[mention.start][:1].isupper():
            return False
        heads = self.contexts.cues.get("organisation-words", frozenset())
        first, last = self._line_offsets(mention.start)
        for step, i in ((-1, mention.start - 1), (1, mention.end)):
            while 0 <= i < len(words) and not self.is_space[i] and first <= self.idx[i] < last:
                word = words[i]
                if self.lower[i] in heads and word[:1].isupper():
                    return True
                if not (word[:1].isupper() or self.lower[i] in _NAME_GLUE):
                    break
                i += step
        return False

    def name_ends_in_organisation_word(self, mention: Mention) -> bool:
        """A capitalised name of two words or more that ends in an organisation word: "Creative
        Solutions" (a firm), not the skill (technical products end so too: "Amazon Web
        Services", so the matcher asks this of soft and mathematical names only)."""
        heads = self.contexts.cues.get("organisation-words", frozenset())
        last = mention.end - 1
        return (
            last > mention.start
            and self.words[mention.start][:1].isupper()
            and self.lower[last] in heads
            and self.words[last][:1].isupper()
        )

    def _gate_verb_use(self, mention: Mention) -> bool:
        followers = self.contexts.cues.get("verb-use-followers", frozenset())
        return mention.end < len(self.lower) and self.lower[mention.end] in followers

    # -- negation and aspiration ----------------------------------------------------------
    def check_negation(self, mention: Mention) -> None:
        """Mark a mention that is denied ("no experience with") or only hoped for ("learning")."""
        reason = self._inherited(mention) or self._cue_before(mention)
        if reason:
            mention.reason = reason
            self._negated[mention.end] = reason

    def _inherited(self, mention: Mention) -> str | None:
        """A list continues a denial: "no experience with Java, Kotlin or Scala"."""
        i = mention.start - 1
        glued = False
        while i >= 0 and (self.lower[i] in _LIST_GLUE or self.is_space[i]):
            if not glued and (
                (self.is_space[i] and "\n" in self.words[i]) or self.wrapped_after(i)
            ):
                return None  # a new line starts a new list
            glued = glued or not self.is_space[i]
            i -= 1
        if glued and (i + 1) in self._negated:
            return self._negated[i + 1]
        return None

    def _cue_before(self, mention: Mention) -> str | None:
        breaks, negation = self.contexts.clause_breaks, self.contexts.negation
        for i in range(mention.start - 1, max(mention.start - 8, 0) - 1, -1):
            word = self.lower[i]
            if word in breaks:
                break
            if self._line_break(i) if self.is_space[i] else self._wrap_break(i):
                break
            if word in negation:
                return f"negated: '{self.doc[i].text}'"
            phrase = self._aspiration_ending_at(i) if word in self._aspiration_by_last else None
            if phrase:
                return f"aspiration: '{phrase}'"
        return None

    def _line_break(self, i: int) -> bool:
        """A newline ends a clause unless the line before stops on a word that needs more."""
        if not self.is_space[i]:
            return False
        text = self.words[i]
        if "\n" not in text:
            return False
        return "\n\n" in text or i == 0 or self.lower[i - 1] not in _CONTINUES

    def _wrap_break(self, i: int) -> bool:
        """:meth:`_line_break` for a newline the tokenizer saw as a space, after token ``i``."""
        return self.wrapped_after(i) and self.lower[i] not in _CONTINUES

    def _aspiration_ending_at(self, i: int) -> str | None:
        for phrase in self._aspiration_by_last.get(self.lower[i], ()):
            n = len(phrase)
            if i - n + 1 < 0 or tuple(self.lower[i - n + 1 : i + 1]) != phrase:
                continue
            if phrase in {("learning",), ("learn",)} and not self._learning_is_aspiration(i):
                continue
            return " ".join(phrase)
        return None

    def _learning_is_aspiration(self, i: int) -> bool:
        """'learning Go' is aspiration; 'machine learning with Go' is not."""
        if i == 0:
            return True
        before = self.lower[i - 1]
        return (
            before in _PRE_LEARNING
            or before in self.contexts.clause_breaks
            or self.is_space[i - 1]
            or self.wrapped_after(i - 1)
        )


#: Gate name -> the method that answers it.
_GATES = {
    name.removeprefix("_gate_").replace("_", "-"): method
    for name, method in vars(DocumentContext).items()
    if name.startswith("_gate_")
}


def _offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Where each token starts and ends. A token ends where the next starts, less the one space
    it may keep (``Token.whitespace_``): that reads the tokens alone, not their lexemes (whose
    lengths, scattered in memory, take twice as long to read)."""
    from spacy.attrs import IDX, SPACY  # spaCy loads on first use, not at import

    if not len(doc):
        return [], []
    found = doc.to_array([IDX, SPACY])
    starts = found[:, 0]
    ends = starts.copy()
    ends[:-1] = starts[1:] - found[:-1, 1]
    ends[-1] = starts[-1] + len(doc[-1])
    return starts.tolist(), ends.tolist()


def _like_num(text: str) -> bool:
    """spaCy's English ``like_num`` (lexemes here do not carry it, see :mod:`.tokens`)."""
    from spacy.lang.en import lex_attrs  # spaCy loads on first use, not at import

    like_num: Any = lex_attrs.like_num
    return bool(like_num(text))


def _line_starts(text: str) -> list[int]:
    """The offset where each line after the first starts."""
    starts = []
    i = text.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts

"""Whether a mention claims the skill for the CV's author or asks it of the ad's candidate.

A name can sit in text that claims nothing: the employer's description of itself, its culture or
its benefits ("we encourage creative solutions", "a collaborative environment"), a skill fostered
in others ("encouraging creativity in pupils") or a subject someone teaches ("taught Mathematics
to Year 9"). The word lists live in ``taxonomy/contexts.yaml`` under ``non_claim``; the checks use
the mention's section and its sentence (a line, or the text between sentence ends).
"""

from __future__ import annotations

from collections.abc import Iterable

from skillmatch.match.gates import DocumentContext, Mention

_SENTENCE_END = {".", "!", "?", ";", "•", "|"}
#: Words a workplace noun may stand behind: "a collaborative, trusting environment".
_NOUN_REACH = 3
#: How far a fostering or teaching word may stand from the mention.
_REACH = 6


def non_claim_reason(context: DocumentContext, mention: Mention, category: str) -> str | None:
    """Why the mention claims nothing (a short reason), or ``None`` when it is a claim."""
    lists = context.contexts.non_claim
    if not lists:
        return None
    section = context.section_name(mention.start)
    if section in lists.get("sections", frozenset()):
        return f"in the employer's '{section}' text"
    if category in lists.get("teaching-categories", frozenset()) and _taught(context, mention):
        return "a subject taught, not the teacher's own skill"
    if category not in lists.get("sentence-categories", frozenset()):
        return None
    if _near(context, mention, lists.get("fostering", frozenset()), _REACH, 0):
        return "fostered in others"
    if _describes_place(context, mention, lists):
        return "describes a workplace or culture"
    sentence = {context.lower[i] for i in sentence_tokens(context, mention)}
    if sentence & lists.get("employer-voice", frozenset()) and not (
        sentence & lists.get("candidate-voice", frozenset())
    ):
        return "the employer describing itself"
    return None


def sentence_tokens(context: DocumentContext, mention: Mention) -> Iterable[int]:
    """Word token indices of the mention's sentence: up to a sentence end, a bullet or a line
    break, whichever comes first, on each side (the mention itself excluded)."""
    for step, stop in ((-1, -1), (1, len(context.words))):
        i = mention.start - 1 if step < 0 else mention.end
        while i != stop:
            if context.lower[i] in _SENTENCE_END:
                break
            if context.is_space[i]:
                if "\n" in context.words[i]:
                    break
            else:
                yield i
                if context.wrapped_after(i) and step > 0:
                    break
            if step < 0 and i > 0 and context.wrapped_after(i - 1):
                break
            i += step


def _taught(context: DocumentContext, mention: Mention) -> bool:
    """ "taught Mathematics (and Statistics) to Year 9", "a Mathematics teacher": a teaching verb
    before the mention, across a list of subjects but not a new clause, or a teacher noun right
    after it. A teaching word that is itself a list item ("Teaching, Communication") does not
    count."""
    lists = context.contexts.non_claim
    verbs = lists.get("teaching", frozenset())
    nouns = lists.get("teacher-nouns", frozenset())
    glue = {",", "and", "or", "&", "/", "the", "to", "a", "an", "in", "of", "such", "as"}
    words = [i for i in sentence_tokens(context, mention)]
    before = [i for i in words if i < mention.start][::-1]
    after = [i for i in words if i >= mention.end]
    if after and context.lower[after[0]] in nouns:
        return True
    for n, i in enumerate(before[: _REACH * 2]):
        word = context.lower[i]
        if word in verbs:
            return n == 0 or context.lower[before[n - 1]] not in {",", ":"}
        if word in context.contexts.clause_breaks and word not in glue:
            return False
    return False


def _near(
    context: DocumentContext, mention: Mention, words: frozenset[str], before: int, after: int
) -> bool:
    """Whether one of ``words`` stands within ``before`` words before or ``after`` words after
    the mention, in its sentence."""
    if not words:
        return False
    left = right = 0
    for i in sentence_tokens(context, mention):
        if i < mention.start:
            if mention.start - i <= before * 2 and left < before:
                left += 1
                if context.lower[i] in words:
                    return True
        elif right < after:
            right += 1
            if context.lower[i] in words:
                return True
    return False


def _describes_place(
    context: DocumentContext, mention: Mention, lists: dict[str, frozenset[str]]
) -> bool:
    """ "a collaborative (trusting) environment", "a culture of open communication"."""
    nouns = lists.get("workplace-nouns", frozenset())
    taken = 0
    i = mention.end
    while i < len(context.words) and taken <= _NOUN_REACH:
        word = context.lower[i]
        if context.is_space[i]:
            if "\n" in context.words[i]:
                break
        elif word in nouns:
            return True
        elif word in _SENTENCE_END or not (word.isalpha() or word in {",", "-", "and"}):
            break
        else:
            taken += 1
        i += 1
    # "culture of (open) communication", "spirit of collaboration"
    before = [
        context.lower[i]
        for i in range(max(mention.start - 3, 0), mention.start)
        if not context.is_space[i]
    ]
    return "of" in before and bool(set(before) & lists.get("workplace-before", frozenset()))

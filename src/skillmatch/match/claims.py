"""Whether a mention claims the skill for the CV's author or asks it of the ad's candidate.

A name can sit in text that claims nothing: the employer's description of itself, its culture or
its benefits ("we encourage creative solutions", "a collaborative environment"), a skill fostered
in others ("encouraging creativity in pupils") or a subject someone teaches ("taught Mathematics
to Year 9"). The word lists live in ``taxonomy/contexts.yaml`` under ``non_claim``; the checks use
the mention's section and its sentence (a line, or the text between sentence ends).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from skillmatch.match.gates import DocumentContext, Mention

_SENTENCE_END = {".", "!", "?", ";", "•", "|"}
#: Words a workplace noun may stand behind: "a collaborative, trusting environment".
_NOUN_REACH = 4
#: How far a fostering or teaching word may stand from the mention.
_REACH = 6
#: Words on each side of a mention that decide whose voice a sentence speaks in.
_VOICE = 16
#: Words after "communicate with" searched for a technical object.
_OBJECT_REACH = 4
#: Characters searched on each side of a mention for a reference line.
_CITATION_CHARS = 160
_BRACKETED_YEAR = re.compile(r"\((?:[A-Z][a-z]+\.?,?\s*)?(?:19|20)\d\d[a-z]?\)")
_AUTHOR = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?,\s+[A-Z]\.")
_VENUE = re.compile(
    r"[Pp]aper presented|[Pp]resented at|Journal of|Proceedings|\bpp\.|\bdoi\b|\bVol\."
)
#: Text every :data:`_VENUE` match holds, one per branch: looked for first, as the regex (whose
#: branches start with no one letter) tries each branch at each character, ~20 µs a citation check.
_VENUE_TEXTS = ("aper presented", "resented at", "Journal of", "Proceedings", "pp.", "doi", "Vol.")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_COURSE_NUMBER = re.compile(r"^\d{3,4}[A-Z]?$")
#: Words searched back for a teaching verb (across a list of subjects).
_TAUGHT_REACH = 20
#: Words of a sentence read on each side of a mention (the widest check, the taught one, needs 20).
_SENTENCE_WORDS = 24
#: Words a degree name may stand before a field of study.
_DEGREE_REACH = 5
_SECOND_PERSON = {"you", "your", "you'll", "you're", "you've", "yourself"}
#: Second-person words that make a document read as an ad.
_AD_MIN_YOU = 3


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
    if category in lists.get("sentence-categories", frozenset()):
        reason = _sentence_reason(context, mention, lists)
        if reason:
            return reason
    if category in lists.get("employer-voice-categories", frozenset()) and reads_as_ad(context):
        return _employer_voice(context, mention, lists, category)
    return None


def _sentence_reason(
    context: DocumentContext, mention: Mention, lists: dict[str, frozenset[str]]
) -> str | None:
    """The checks of a soft skill's sentence: fostered, technical, a title, a field of study, a
    workplace described."""
    if _near(context, mention, lists.get("fostering", frozenset()), _REACH, 0):
        return "fostered in others"
    if _technical_object(context, mention, lists.get("technical-objects", frozenset())):
        return "software or machines communicating, not people"
    if _citation(context, mention):
        return "part of a publication's title or venue"
    if _course_title(context, mention):
        return "a course title"
    if _degree_field(context, mention, lists.get("degree-names", frozenset())):
        return "a field of study"
    if reads_as_ad(context) and _describes_place(context, mention, lists):
        return "describes a workplace or culture"
    return None


def _employer_voice(
    context: DocumentContext, mention: Mention, lists: dict[str, frozenset[str]], category: str
) -> str | None:
    """In an ad, a sentence in the employer's voice ("we", "our") that neither speaks to the
    candidate nor (for a technical skill) names the stack the team works with."""
    near = [i for i in sentence_tokens(context, mention) if abs(i - mention.start) <= _VOICE]
    words = {context.lower[i] for i in (*near, *range(mention.start, mention.end))}
    if not words & lists.get("employer-voice", frozenset()):
        return None
    claims = lists.get("candidate-voice", frozenset())
    if category == "technical":
        claims = claims | lists.get("stack-words", frozenset())
    if words & claims:
        return None
    return "the employer describing itself"


def reads_as_ad(context: DocumentContext) -> bool:
    """Whether the document speaks to a reader ("you", "your") as job ads do and CVs do not."""
    cached = context.cache.get("reads-as-ad")
    if cached is None:
        second_person = sum(map(_SECOND_PERSON.__contains__, context.lower))
        cached = context.cache["reads-as-ad"] = second_person >= _AD_MIN_YOU
    return bool(cached)


def _technical_object(context: DocumentContext, mention: Mention, objects: frozenset[str]) -> bool:
    """ "communicate with the machines", "working closely with driver code": a verb form ending
    in a preposition whose object is software or hardware."""
    if context.lower[mention.end - 1] not in {"with", "to", "between"}:
        return False
    taken = 0
    i = mention.end
    while i < len(context.words) and taken < _OBJECT_REACH:
        if not context.is_space[i]:
            if context.lower[i] in objects:
                return True
            taken += 1
        i += 1
    return False


def _degree_field(context: DocumentContext, mention: Mention, degrees: frozenset[str]) -> bool:
    """ "B.Tech (Electronics and Communication)", "Ed.D, Administrative Leadership": a degree name
    a few words before the capitalised mention, on its line."""
    if not context.words[mention.start][:1].isupper():
        return False
    before = [i for i in sentence_tokens(context, mention) if i < mention.start][:_DEGREE_REACH]
    return any(context.lower[i] in degrees for i in before)


def _citation(context: DocumentContext, mention: Mention) -> bool:
    """A reference line: an author and a year in brackets ("Fitch, D. (2009).") or a venue
    ("Paper presented at", "Journal of", "Proceedings") with a year, in the text around the
    mention (its paragraph, :data:`_CITATION_CHARS` characters each side)."""
    text = context.document.text
    start, end = context.idx[mention.start], context.ends[mention.end - 1]
    left = max(text.rfind("\n\n", 0, start), start - _CITATION_CHARS, 0)
    right = text.find("\n\n", end)
    right = min(right if right >= 0 else len(text), end + _CITATION_CHARS)
    around = text[left:right]
    if _BRACKETED_YEAR.search(around) and _AUTHOR.search(around):
        return True
    may_cite = any(venue in around for venue in _VENUE_TEXTS)
    return bool(may_cite and _VENUE.search(around) and _YEAR.search(around))


def _course_title(context: DocumentContext, mention: Mention) -> bool:
    """ "COM 100 Communication Fundamentals": a course code right before a capitalised name."""
    if not context.words[mention.start][:1].isupper():
        return False
    before = [i for i in sentence_tokens(context, mention) if i < mention.start][:2]
    return (
        len(before) == 2
        and _COURSE_NUMBER.match(context.words[before[0]]) is not None
        and (context.words[before[1]].isupper() and context.words[before[1]].isalpha())
    )


def sentence_tokens(context: DocumentContext, mention: Mention) -> Iterable[int]:
    """Word token indices of the mention's sentence: up to a sentence end, a bullet or a line
    break, whichever comes first, on each side (the mention itself excluded), and at most
    :data:`_SENTENCE_WORDS` words on each side (no check looks further)."""
    for step, stop in ((-1, -1), (1, len(context.words))):
        i = mention.start - 1 if step < 0 else mention.end
        taken = 0
        while i != stop and taken < _SENTENCE_WORDS:
            if context.lower[i] in _SENTENCE_END:
                break
            if context.is_space[i]:
                if "\n" in context.words[i]:
                    break
            else:
                taken += 1
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
    words = list(sentence_tokens(context, mention))
    before = [i for i in words if i < mention.start]  # nearest first
    after = [i for i in words if i >= mention.end]
    if after and context.lower[after[0]] in nouns:
        return True
    stops = lists.get("teaching-stops", frozenset())
    for n, i in enumerate(before[:_TAUGHT_REACH]):
        word = context.lower[i]
        if word in verbs:
            if n == 1 and context.lower[before[0]] in {"and", "&"}:
                return False  # "teaching and mentoring students": two activities
            return n == 0 or context.lower[before[n - 1]] not in {",", ":"}
        if word in stops:
            return False
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
    stops = lists.get("workplace-stops", frozenset())
    taken = 0
    i = mention.end
    while i < len(context.words) and taken <= _NOUN_REACH:
        word = context.lower[i]
        if context.is_space[i]:
            if "\n" in context.words[i]:
                break
        elif word in nouns:
            return True
        elif (
            word in _SENTENCE_END
            or word in stops
            or not (word.isalpha() or word in {",", "-", "and"})
        ):
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

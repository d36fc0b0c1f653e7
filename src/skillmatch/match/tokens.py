"""Text -> spaCy ``Doc``: the blank English tokenizer, tuned for skill lists and for speed.

Skill lists glue names with "/" and "(", so the tokenizer splits there; alias words such as
``C#`` or ``CI/CD`` stay one token (special cases generated from the taxonomy). For speed it
remembers more chunks than spaCy's default and what the affix rules find in them, and computes
only the lexeme attributes the matcher reads; :class:`WordTests` remembers what the matcher asks
of each word. :func:`tokenizer_text` is the text it is handed: the document's, one character
for one.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

_SPLIT_CHARS = set("#+/.&")
#: Tokenizer exceptions kept from spaCy's English defaults: words, contractions, abbreviations.
#: (Emoticons and the like make the tokenizer ~2x slower and never matter for skills.)
_KEEP_RULE = re.compile(r"[A-Za-z0-9.'’]+")
#: Lexeme attributes the matcher reads (the phrase matchers read LOWER; the gates read token
#: texts). spaCy computes ~20 for each new word, a third of the cost of tokenizing a new CV.
_LEXEME_ATTRS = frozenset({"LOWER"})
#: Tokenizer chunks remembered: spaCy's default (10,000) fills within a few dozen CVs, after
#: which every chunk of every later document is split by the affix rules again (~60 bytes each).
_CHUNK_CACHE = 200_000
#: Chunks (and their parts) whose affixes are remembered, per kind of affix, the most recently
#: used first (~250 bytes each; five times as many gain only ~0.02 ms a CV).
_AFFIX_CACHE = 20_000
#: Words whose test results :class:`WordTests` remembers (then it starts again).
_WORD_CACHE = 200_000
#: Spaces the tokenizer does not split on (no-break, figure, narrow no-break, thin): it is handed
#: a plain space instead, one character for one, so token offsets still index the document text.
_ODD_SPACES = ("\u00a0", "\u2007", "\u202f", "\u2009")
#: Lone surrogates (valid in a str, not in UTF-8, which spaCy's string store needs): the
#: tokenizer sees U+FFFD instead, one for one.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: A line wrapped inside a phrase ("natural\nlanguage processing"): one newline between words.
#: (The newline comes first so that the search skips to newlines instead of trying every place.)
_WRAP = re.compile(r"\n(?<=\w\n)(?=\w)")


def tokenizer_text(text: str) -> str:
    """``text`` as the tokenizer sees it, one character for one (token offsets index ``text``):
    odd spaces made plain, and a single newline between two word characters made a space, so
    a name wrapped onto the next line is one phrase, unless the line before is a short
    capitalised one (a heading such as "Your Team", or a list item such as "Apache Spark").
    The gates still see those line breaks (:meth:`DocumentContext.wrapped_after`)."""
    if not text.isascii():
        text = _plain_spaces(text)
        if _has_surrogates(text):
            text = _SURROGATE.sub("\ufffd", text)

    def join(found: re.Match[str]) -> str:
        end = found.start()
        words = text[text.rfind("\n", 0, end) + 1 : end].split(None, 3)  # 4: more than 3
        if len(words) <= 3 and all(not w[0].isalpha() or w[0].isupper() for w in words):
            return "\n"
        return " "

    return _WRAP.sub(join, text)


def _plain_spaces(text: str) -> str:
    """``text`` with each of :data:`_ODD_SPACES` made a plain space (``str.replace`` per space
    found: ``str.translate`` takes ~0.1 ms per 1,000 characters of non-ASCII text)."""
    for space in _ODD_SPACES:
        if space in text:
            text = text.replace(space, " ")
    return text


def _has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate: the one thing UTF-8 cannot encode (a search with
    :data:`_SURROGATE` takes ten times as long)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return True
    return False


class WordTests:
    """Named tests of a token's text, remembered across documents (most words recur from one CV
    to the next), that tell which tokens of a document pass each."""

    def __init__(self, tests: dict[str, Callable[[str], bool]]) -> None:
        self._tests = tests
        #: word -> the names of the tests it passes (for most words, none)
        self._passed: dict[str, tuple[str, ...]] = {}

    def positions(self, words: list[str]) -> dict[str, list[int]]:
        """Test name -> the indices of the tokens (texts ``words``) that pass it, in order."""
        passed = self._passed
        if len(passed) > _WORD_CACHE:
            passed.clear()
        for word in itertools.filterfalse(passed.__contains__, words):
            if word not in passed:  # a new word may come twice
                passed[word] = tuple(name for name, test in self._tests.items() if test(word))
        found: dict[str, list[int]] = {name: [] for name in self._tests}
        for i in itertools.compress(range(len(words)), map(passed.__getitem__, words)):
            for name in passed[words[i]]:
                found[name].append(i)
        return found


def tune_tokenizer(nlp: Language, alias_texts: Iterable[tuple[str, bool]], attrs: set[str]) -> None:
    """Set up ``nlp``'s tokenizer for the aliases ``(text, case_sensitive)``; compute only the
    lexeme attributes named in ``attrs`` (those the taxonomy's token patterns use) and LOWER."""
    tokenizer: Any = nlp.tokenizer
    kept = {k: v for k, v in (tokenizer.rules or {}).items() if _KEEP_RULE.fullmatch(k)}
    tokenizer.rules = {}  # each setter below reloads every special case: none, for now
    _split_glued_names(nlp)
    _remember_affixes(nlp)
    tokenizer.rules = kept
    _add_special_cases(nlp, alias_texts)
    from spacy.attrs import IDS  # spaCy loads on first use, not at import

    keep = {IDS[name] for name in _LEXEME_ATTRS | attrs if name in IDS}
    vocab: Any = nlp.vocab
    getters = vocab.lex_attr_getters
    for attr in [a for a in getters if a not in keep]:
        del getters[attr]
    tokenizer.max_cache_size = _CHUNK_CACHE


def _split_glued_names(nlp: Language) -> None:
    """Skill lists glue names with "/" ("C++/C#", "node.js/Javascript") and "(" ("SQL(Oracle"):
    split there, and keep whole only real URLs (with a scheme or ``www.``)."""
    from spacy.util import compile_infix_regex  # spaCy loads on first use, not at import

    tokenizer: Any = nlp.tokenizer
    defaults: Any = nlp.Defaults.infixes or ()
    infixes = [*defaults, r"(?<=\S)/(?=\S)", r"(?<=[\w+#])\((?=[A-Za-z])"]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    url_match = tokenizer.url_match
    if url_match is not None:
        tokenizer.url_match = lambda text: (
            url_match(text) if "://" in text or text[:4].lower() == "www." else None
        )


def _remember_affixes(nlp: Language) -> None:
    """Remember what the affix rules find in each chunk: the suffix rules alone take ~3 µs a
    call, and spaCy splits a chunk again, in every document, once the document has used a
    special case (it caches no chunk after that one). A word of ASCII letters alone is not
    even looked up: no English prefix, suffix or infix rule matches letters only."""
    tokenizer: Any = nlp.tokenizer
    if tokenizer.prefix_search is not None:
        tokenizer.prefix_search = _remembered(tokenizer.prefix_search, None)
    if tokenizer.suffix_search is not None:
        tokenizer.suffix_search = _remembered(tokenizer.suffix_search, None)
    finditer = tokenizer.infix_finditer
    if finditer is not None:
        tokenizer.infix_finditer = _remembered(lambda text: tuple(finditer(text)), ())


def _remembered(search: Callable[[str], Any], nothing: Any) -> Callable[[str], Any]:
    """``search``, remembered, and ``nothing`` at once for a plain ASCII word."""
    remembered = functools.lru_cache(maxsize=_AFFIX_CACHE)(search)

    def find(text: str) -> Any:
        return nothing if text.isascii() and text.isalpha() else remembered(text)

    return find


def _add_special_cases(nlp: Language, alias_texts: Iterable[tuple[str, bool]]) -> None:
    """Keep alias words such as ``C#``, ``CI/CD``, ``PL/SQL`` or the ``A/B`` of ``A/B testing``
    one token, as written, wherever they appear ("(C#)", "C#,")."""
    from spacy.symbols import ORTH  # spaCy loads on first use, not at import

    tokenizer: Any = nlp.tokenizer
    words = {(w, cs) for text, cs in alias_texts for w in text.split()}
    known = {w.lower() for w, _ in words}
    for word, case_sensitive in sorted(words):
        if not _SPLIT_CHARS & set(word) or "-" in word or not any(c.isalnum() for c in word):
            continue
        if "/" in word and all(part.lower() in known for part in word.split("/")):
            continue  # "AI/ML", "C#/.NET": two names, each matched on its own
        if len(tokenizer(word)) == 1:
            continue
        forms = {word} if case_sensitive else {word, word.lower(), word.upper(), word.title()}
        for form in forms:
            tokenizer.add_special_case(form, [{ORTH: form}])

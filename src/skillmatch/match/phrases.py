"""Alias phrases -> spaCy ``PhraseMatcher`` matches per alias namespace, in few passes.

Each ``PhraseMatcher`` call walks every token of the document (~30 µs a CV, however few
phrases it holds), so namespaces share one matcher where that cannot change what each of them
gets back. A matcher lists the keys of one phrase in the order of its own hash table; sharing
keeps that order for a namespace unless another namespace's keys sit in the same table while it
has keys of two or more labels there (keys of one label, or unlabelled, may come in any order),
or both use one key. Namespaces in such a conflict get matchers apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

#: One ``PhraseMatcher.add`` call: namespace, match key, phrase texts.
Phrases = tuple[str, str, Sequence[str]]


class PhraseGroups:
    """The phrases of every namespace, matched on one token attribute (``LOWER``, ``ORTH``)."""

    def __init__(
        self,
        vocab: Vocab,
        attr: str,
        phrases: Iterable[Phrases],
        *,
        make: Callable[[str], Doc],
        label: Callable[[str], str | None] = lambda key: key,
    ) -> None:
        """``make`` tokenizes a phrase; ``label`` tells which keys' order matters to the caller:
        keys of one label may come in any order among themselves, keys labelled ``None`` in any
        order at all."""
        from spacy.attrs import IDS  # spaCy loads on first use, not at import
        from spacy.matcher import PhraseMatcher  # spaCy loads on first use, not at import

        # the token attribute values, not the Docs: thousands of Docs at once take ~25 MB
        added = [
            (ns, key, [tuple(make(text).to_array(IDS[attr]).tolist()) for text in texts])
            for ns, key, texts in phrases
        ]
        namespaces = list(dict.fromkeys(ns for ns, _, _ in added))
        tables = _tables(added, label)
        groups: list[list[str]] = []
        for ns in namespaces:
            group = next((g for g in groups if not any(_conflict(tables, ns, o) for o in g)), None)
            if group is None:
                groups.append([ns])
            else:
                group.append(ns)
        self._groups = [(PhraseMatcher(vocab, attr=attr), tuple(group)) for group in groups]
        self._namespace_of: dict[int, str] = {}
        matchers = {ns: matcher for matcher, group in self._groups for ns in group}
        for ns, key, values in added:  # in the order given: each namespace's keys keep theirs
            matcher: Any = matchers[ns]  # values, not Docs: as spaCy's own unpickling adds them
            matcher.add(key, values)
            self._namespace_of[vocab.strings[key]] = ns
        self.namespaces = namespaces

    def __call__(self, doc: Doc) -> dict[str, list[tuple[int, int, int]]]:
        """Namespace -> its ``(match_id, start, end)`` matches in ``doc``, as its own
        ``PhraseMatcher`` would list them."""
        found: dict[str, list[tuple[int, int, int]]] = {ns: [] for ns in self.namespaces}
        for matcher, group in self._groups:
            if not len(matcher):
                continue
            matches = matcher(doc)
            if len(group) == 1:
                found[group[0]] = matches
                continue
            namespace_of = self._namespace_of
            for match in matches:
                found[namespace_of[match[0]]].append(match)
        return found


#: Namespace -> phrase (its token attribute values) -> key -> label.
_Tables = dict[str, dict[tuple[int, ...], dict[str, str | None]]]


def _tables(
    added: list[tuple[str, str, list[tuple[int, ...]]]], label: Callable[[str], str | None]
) -> _Tables:
    """Namespace -> phrase -> the keys that match it, with their labels."""
    tables: _Tables = {}
    for ns, key, phrases in added:
        table = tables.setdefault(ns, {})
        for phrase in phrases:
            if phrase:
                table.setdefault(phrase, {})[key] = label(key)
    return tables


def _conflict(tables: _Tables, a: str, b: str) -> bool:
    """Whether sharing a matcher could change the order in which ``a`` or ``b`` gets matches."""
    ta, tb = tables.get(a, {}), tables.get(b, {})
    if {k for keys in ta.values() for k in keys} & {k for keys in tb.values() for k in keys}:
        return True
    return any(_labels(ta[p]) > 1 or _labels(tb[p]) > 1 for p in ta.keys() & tb.keys())


def _labels(keys: dict[str, str | None]) -> int:
    """How many labels (other than ``None``) the keys of one phrase have."""
    return len({label for label in keys.values() if label is not None})

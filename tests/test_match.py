"""The matcher on real text: the project's samples, and the development corpus when present."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillmatch.errors import NoTextError
from skillmatch.match.fuzzy import MIN_LENGTH, FuzzyIndex
from skillmatch.match.matcher import extract_skills, get_matcher
from skillmatch.models import Document, SkillsResult
from skillmatch.read.parse import parse_file, parse_text
from skillmatch.render.report import skills_table
from skillmatch.taxonomy.load import load_taxonomy

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
METHODS = {"phrase", "pattern", "acronym", "fuzzy", "implied"}


def skills_of(name: str) -> tuple[Document, SkillsResult]:
    document = parse_file(SAMPLES / name)
    return document, extract_skills(document)


@pytest.mark.parametrize(
    "name", sorted(p.name for p in SAMPLES.glob("*.txt") if p.name != "README.md")
)
def test_every_evidence_points_at_its_text_and_says_why(name: str) -> None:
    document, result = skills_of(name)
    assert result.skills
    for skill in result.skills:
        for evidence in skill.evidence:
            assert document.text[evidence.start : evidence.end] == evidence.text
            assert evidence.method in METHODS and evidence.rule
            assert 0 < evidence.confidence <= 1
            assert evidence.via is None or evidence.via in {s.id for s in result.skills}
    for mention in result.rejected:
        assert document.text[mention.start : mention.end] == mention.text and mention.reason


def test_denied_and_hoped_for_skills_are_reported_not_counted() -> None:
    # "no production experience with Java yet; currently learning Rust"
    _, result = skills_of("cv-ml-engineer.txt")
    assert "java" not in result.ids() and "rust" not in result.ids()
    reasons = {m.id: m.reason for m in result.rejected}
    assert reasons["java"].startswith("negated")
    assert reasons["rust"].startswith("aspiration")
    # the denial does not leak onto the next line ("ML frameworks: PyTorch, ...")
    assert {"ml-frameworks", "pytorch"} <= result.ids()


def test_product_names_are_not_soft_skills_and_a_team_lead_title_is_leadership() -> None:
    # "Microsoft Teams" (both CVs) names no soft skill; "Team Leader" (a job title in the
    # non-technical CV) is its holder's leadership (issue 17), never teamwork
    for name in ("cv-ml-engineer.txt", "cv-nontechnical.txt"):
        _, result = skills_of(name)
        for skill in result.skills:
            if skill.category == "soft":
                texts = {e.text.lower() for e in skill.evidence}
                assert not texts & {"teams", "microsoft teams"}, skill
                if skill.id != "leadership":
                    assert not texts & {"team leader", "team lead"}, skill
    _, result = skills_of("cv-nontechnical.txt")
    leadership = result.get("leadership")
    assert leadership is not None
    assert "team leader" in {e.text.lower() for e in leadership.evidence}


def test_soft_skills_say_whether_they_are_named_or_shown_by_behaviour() -> None:
    _, result = skills_of("cv-data-analyst.txt")
    communication = result.get("communication")
    assert communication is not None and communication.strength == "explicit"
    _, result = skills_of("cv-nontechnical.txt")
    implied = [s for s in result.skills if s.category == "soft" and s.strength == "implied"]
    assert implied, "the non-technical CV shows some soft skills only by what it says was done"
    for skill in implied:
        assert all(e.method == "implied" for e in skill.evidence)


def test_ambiguous_forms_record_the_gate_that_accepted_them() -> None:
    # "Ran A/B tests on promotional pricing in R and presented the results"
    _, result = skills_of("cv-data-analyst.txt")
    r = result.get("r")
    assert r is not None
    gated = [e for e in r.evidence if e.text == "R"]
    assert gated and all(
        e.rule in {"tech-list", "skills-section", "programming-cue"} for e in gated
    )
    assert all(e.confidence < 1 for e in gated)


def test_c_suite_is_not_the_c_language() -> None:
    _, result = skills_of("cv-nontechnical.txt")
    assert "c" not in result.ids()


def test_specific_skills_roll_up_with_provenance() -> None:
    _, result = skills_of("cv-ml-engineer.txt")
    relational = result.get("relational-databases")
    assert relational is not None
    assert "postgresql" in {e.via for e in relational.evidence}
    frameworks = result.get("ml-frameworks")
    assert frameworks is not None and {"pytorch", "tensorflow"} <= {
        e.via for e in frameworks.evidence
    }


def test_version_suffixes_belong_to_the_name() -> None:
    # "C++17" in the skills line, "TensorFlow 2 / Keras"
    _, result = skills_of("cv-ml-engineer.txt")
    cpp = result.get("cpp")
    tensorflow = result.get("tensorflow")
    assert cpp is not None and "C++17" in {e.text for e in cpp.evidence}
    assert tensorflow is not None and "TensorFlow 2" in {e.text for e in tensorflow.evidence}


def test_explain_gives_the_sentence_and_a_reason_for_every_match() -> None:
    document, result = skills_of("cv-ml-engineer.txt")
    table = skills_table(result, explain=True, text=document.text)
    evidence_count = sum(len(s.evidence) for s in result.skills)
    assert table.count("[[") == evidence_count + len(result.rejected)
    reasons = [line for line in table.splitlines() if line.startswith("    @")]
    assert len(reasons) == evidence_count and all("confidence" in line for line in reasons)
    assert "Not counted" in table and "negated" in table


def test_the_matcher_is_built_once_per_taxonomy() -> None:
    taxonomy = load_taxonomy()
    assert get_matcher(taxonomy) is get_matcher(taxonomy)


def test_typo_matching_only_targets_long_unambiguous_aliases() -> None:
    taxonomy = load_taxonomy()
    index = FuzzyIndex(taxonomy)
    for text, skill_id in index._owner.items():
        skill = taxonomy.skills[skill_id]
        assert skill.fuzzy and len(text) >= MIN_LENGTH
        assert not any(a.ambiguous and a.text.lower() == text for a in skill.aliases)
    # what WRatio / partial_ratio would wrongly accept
    for word in ("javascript", "nosql", "excellent", "sparkling", "reactive", "scale"):
        hit = index.lookup(word)
        assert hit is None or hit.alias == word


@pytest.mark.parametrize("cutoff", [90.0, 75.0, 55.0])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_bigram_typo_passes_its_first_word_test(cutoff: float, data: st.DataObject) -> None:
    """The matcher looks a bigram up only when its first word may start a typo of an alias of
    two words; every bigram accepted as such a typo passes that test."""
    index = FuzzyIndex(load_taxonomy(), cutoff=cutoff)
    aliases = sorted(text for text in index._owner if " " in text)
    if not aliases:
        pytest.skip("no typo target of two words")
    text = list(data.draw(st.sampled_from(aliases)))
    for _ in range(data.draw(st.integers(0, 3))):
        at = data.draw(st.integers(0, len(text) - 1))
        edit = data.draw(st.sampled_from(["drop", "swap", "add"]))
        letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
        if edit == "drop" and len(text) > 1:
            del text[at]
        elif edit == "swap":
            text[at] = letter
        else:
            text.insert(at, letter)
    first, _, second = "".join(text).partition(" ")
    if not first.isalpha() or not second.isalpha():
        return
    hit = index.lookup(f"{first} {second}")
    if hit and " " in hit.alias:
        assert index._may_start_pair(first)


def _pattern_words() -> list[str]:
    """Words the taxonomy's token patterns test, with near misses and noise."""
    words: set[str] = {"the", "a", "-", ",", ".", "\n", "3", "3.11", "2019", "X", "é", "Ærø"}
    for skill in load_taxonomy().skills.values():
        for pattern in skill.patterns:
            for token in pattern:
                for value in token.values():
                    if isinstance(value, str) and value not in {"?", "*", "+", "!"}:
                        words.update({value, value.upper(), value.title()})
                    elif isinstance(value, dict):
                        for listed in (*value.get("IN", ()), *value.get("NOT_IN", ())):
                            words.update({str(listed), str(listed).title()})
    return sorted(words)


PATTERN_WORDS = _pattern_words()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(PATTERN_WORDS), min_size=1, max_size=30))
def test_pattern_windows_find_what_the_whole_document_matcher_finds(words: list[str]) -> None:
    """Matching patterns on windows from their anchors, skipping the windows where no pattern
    can match, finds every match spaCy's ``Matcher`` finds on the whole text."""
    from skillmatch.match.tokens import tokenizer_text

    matcher = get_matcher(load_taxonomy())
    text = " ".join(words)
    doc = matcher.nlp.make_doc(tokenizer_text(text))
    found = [text[t.idx : t.idx + len(t)] for t in doc]
    lower = [w.lower() for w in found]
    for ns, patterns in matcher._patterns.items():
        if not len(patterns):
            continue
        anchors = [i for i, word in enumerate(found) if patterns.may_start(word)]
        whole = [m for m in (patterns._anchored, patterns._anywhere) if len(m)]
        expected = {match for m in whole for match in m(doc)}
        assert set(patterns(doc, found, lower, anchors)) == expected, ns


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(
            [
                *"aBé7 \n\t.\u2028\ufffd中",
                "\u00a0",
                "\u2007",
                "\u202f",
                "\u2009",
                "\ud800",
                "\udfff",
            ]
        ),
        max_size=60,
    )
)
def test_the_tokenizer_text_changes_odd_spaces_and_surrogates_one_for_one(text: str) -> None:
    """Odd spaces become plain ones and lone surrogates U+FFFD, one character for one, and
    nothing else changes but the newlines of wrapped lines."""
    import re

    from skillmatch.match.tokens import tokenizer_text

    seen = tokenizer_text(text)
    assert len(seen) == len(text)
    expected = re.sub("[\ud800-\udfff]", "\ufffd", text)
    expected = expected.translate(str.maketrans(dict.fromkeys("\u00a0\u2007\u202f\u2009", " ")))
    for mine, theirs in zip(seen, expected, strict=True):
        assert mine == theirs or (theirs == "\n" and mine == " ")


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from(["Data", "of", "x", "\n", "\n\n", ",", "R", " "]), max_size=30)
)
def test_line_offsets_tell_the_line_of_every_token(words: list[str]) -> None:
    """A token starts within the offsets :meth:`DocumentContext._line_offsets` gives for a
    token exactly when it is on that token's line."""
    from skillmatch.match.gates import DocumentContext
    from skillmatch.match.tokens import tokenizer_text

    text = " ".join(words)
    matcher = get_matcher(load_taxonomy())
    doc = matcher.nlp.make_doc(tokenizer_text(text))
    document = Document(source="-", text=text, format="txt")
    context = DocumentContext(doc, document, matcher.taxonomy.contexts, [])
    for i in range(len(doc)):
        first, last = context._line_offsets(i)
        for j in range(len(doc)):
            same = context.line_of(j) == context.line_of(i)
            assert same == (first <= context.idx[j] < last)


def test_plain_ascii_words_have_no_affixes() -> None:
    """The tokenizer skips its prefix, suffix and infix rules for words of ASCII letters alone
    (:mod:`skillmatch.match.tokens`): none of the rules may match such a word."""
    import itertools
    import string

    import spacy

    from skillmatch.match.tokens import _split_glued_names

    nlp = spacy.blank("en")
    _split_glued_names(nlp)  # the rules as the matcher sets them, without the shortcut
    tokenizer: Any = nlp.tokenizer
    pairs = ("".join(p) for p in itertools.product(string.ascii_letters, repeat=2))
    for word in (*string.ascii_letters, *pairs, "Python", "SQL", "scikit", "learn", "TensorFlow"):
        assert tokenizer.find_prefix(word) == 0 and tokenizer.find_suffix(word) == 0
        assert not tokenizer.find_infix(word)


def test_namespaces_share_a_phrase_matcher_only_where_their_matches_keep_their_order() -> None:
    import spacy
    from spacy.matcher import PhraseMatcher

    from skillmatch.match.phrases import PhraseGroups

    nlp = spacy.blank("en")
    make = nlp.make_doc
    added = [
        ("a", "k1", ["machine learning", "python"]),
        ("b", "k2", ["machine learning"]),  # a has two keys here: b gets its own matcher
        ("a", "k3", ["machine learning", "deep learning"]),
        ("c", "k4", ["python", "statistics"]),  # one key each: c shares a's
        ("c", "k5", ["deep learning"]),
    ]
    doc = make("Machine learning, deep learning and Python; statistics, machine learning.")
    alone = {}
    for ns in ("a", "b", "c"):
        alone[ns] = PhraseMatcher(nlp.vocab, attr="LOWER")
        for where, key, docs in added:
            if where == ns:
                alone[ns].add(key, [make(text) for text in docs])
    groups = PhraseGroups(nlp.vocab, "LOWER", added, make=make)
    assert sorted(len(group) for _, group in groups._groups) == [1, 2]
    found = groups(doc)
    assert all(found[ns] == alone[ns](doc) for ns in alone)
    # k1 and k3 labelled alike (their order does not matter): all three share one matcher, and
    # each namespace gets its matches in the same order, but for keys labelled alike
    labels = {"k1": "same", "k3": "same", "k2": "k2", "k4": "k4", "k5": None}
    groups = PhraseGroups(nlp.vocab, "LOWER", added, make=make, label=labels.get)
    assert len(groups._groups) == 1
    found = groups(doc)

    def labelled(matches: list[tuple[int, int, int]]) -> list[tuple[str | None, int, int]]:
        return [(labels[nlp.vocab.strings[k]], s, e) for k, s, e in matches]

    assert all(labelled(found[ns]) == labelled(alone[ns](doc)) for ns in alone)


# -- the development corpus --------------------------------------------------------------------


def _posting(corpus: Path, containing: str) -> Document:
    """The first SkillSpan posting whose text contains ``containing``."""
    path = corpus / "jobs" / "skillspan" / "postings_train_dev.jsonl"
    if not path.exists():
        pytest.skip("SkillSpan postings not in the corpus")
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = "\n".join(row["sentences"])
        if containing in text:
            return parse_text(text, source=f"skillspan:{row['split']}:{row['idx']}", kind="job")
    pytest.skip(f"no SkillSpan posting contains {containing!r}")


def test_a_typo_in_a_real_posting_is_a_flagged_fuzzy_match(corpus: Path) -> None:
    result = extract_skills(_posting(corpus, "PostgrSQL"))
    postgresql = result.get("postgresql")
    assert postgresql is not None
    fuzzy = [e for e in postgresql.evidence if e.method == "fuzzy"]
    assert fuzzy and all(0.9 <= e.confidence < 1 for e in fuzzy)
    assert {e.text for e in fuzzy} == {"PostgrSQL"}


def test_acronyms_count_only_where_the_document_defines_them(corpus: Path) -> None:
    """ "Natural Language Processing ( NLP)" defines NLP for that posting, and only for it."""
    import re

    path = corpus / "jobs" / "skillspan" / "postings_train_dev.jsonl"
    if not path.exists():
        pytest.skip("SkillSpan postings not in the corpus")
    found = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        document = parse_text("\n".join(row["sentences"]), source=str(row["idx"]), kind="job")
        for skill in extract_skills(document).skills:
            for evidence in skill.evidence:
                if evidence.method != "acronym" or evidence.via:
                    continue
                found += 1
                assert evidence.rule == "document-acronym" and evidence.confidence < 1
                short = re.escape(evidence.text)
                assert re.search(rf"\(\s*{short}\s*\)|\b{short}\s*\(", document.text)
    assert found


def test_corpus_cvs_give_offsets_into_their_text(corpus: Path) -> None:
    import re

    folder = corpus / "cvs" / "dotin" / "train"
    if not folder.is_dir():
        pytest.skip("dotin CVs not in the corpus")
    for path in sorted(folder.glob("*.xml"))[:25]:
        text = re.sub(r"</?label[^>]*>", "", path.read_text(encoding="utf-8"))
        document = parse_text(text, source=path.name, kind="cv")
        for skill in extract_skills(document).skills:
            for evidence in skill.evidence:
                assert text[evidence.start : evidence.end] == evidence.text


def test_a_text_past_spacys_default_length_is_read() -> None:
    """spaCy's 1,000,000-character limit is for its parser; the blank tokenizer reads more."""
    line = "Built data pipelines in Python and SQL on AWS.\n"
    document = parse_text(line * (1_050_000 // len(line)), source="long.txt", kind="cv")
    assert len(document.text) > 1_000_000
    result = extract_skills(document)
    assert {"python", "sql"} <= result.ids()
    assert not result.warnings


def test_a_text_past_the_limit_is_cut_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from skillmatch.match import matcher as match

    monkeypatch.setattr(match, "MAX_TEXT_CHARS", 200)
    text = "Python developer.\n" + "Filler words here.\n" * 20 + "Kubernetes operator.\n"
    result = extract_skills(parse_text(text, source="cut.txt", kind="cv"))
    assert "python" in result.ids() and "kubernetes" not in result.ids()
    assert any("only the first 200 were searched" in w for w in result.warnings)


SAMPLE_LINES = [
    line
    for path in sorted(Path(__file__).resolve().parents[1].glob("samples/*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.sampled_from(SAMPLE_LINES), min_size=1, max_size=25),
    noise=st.text(max_size=40),
    where=st.integers(min_value=0, max_value=25),
)
def test_any_mix_of_real_lines_and_noise_matches_without_error(
    lines: list[str], noise: str, where: int
) -> None:
    """Shuffled sample lines with arbitrary Unicode spliced in: no exception, true offsets."""
    lines.insert(min(where, len(lines)), noise)
    text = "\n".join(lines)
    if not text.strip():
        with pytest.raises(NoTextError):
            parse_text(text, source="-")
        return
    result = extract_skills(parse_text(text, source="-"))
    for skill in result.skills:
        for evidence in skill.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
    for mention in result.rejected:
        assert text[mention.start : mention.end] == mention.text

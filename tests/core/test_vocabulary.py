"""bot.core.vocabulary: the article's own words, read from knowledge/vocabulary.yaml."""

from pathlib import Path

import pytest

from bot.core.errors import KnowledgeError
from bot.core.kb_reading import load_normalizer
from bot.core.knowledge import KnowledgeBase
from bot.core.normalize import EVERYDAY_WORDS, Normalizer, simplify, stem
from bot.core.validation import vocabulary_warnings
from bot.core.vocabulary import Vocabulary, everyday_collisions
from bot.core.vocabulary_file import parse_vocabulary, read_vocabulary

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
REAL = load_normalizer(KNOWLEDGE)


def parse(text: str) -> Vocabulary:
    return parse_vocabulary(text, "vocabulary.yaml", simplify)


def problems(text: str) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        parse(text)
    return [p.format("vocabulary.yaml") for p in caught.value.problems]


# --- the shipped vocabulary: the collisions people hit ----------------------------------------


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("tell us about the house", {"usa", "refuge"}),
        ("can you help me understand this", {"support"}),
        ("what is the article based on", {"withdraw"}),
        ("give us the answer", {"usa"}),
        ("what else is in the article", {"other"}),
        ("my teacher asked us who ousted them", {"usa"}),
        # "in" followed by what it is in is a preposition, not "take in"
        ("did the khmer rouge take power in 1975", {"refuge"}),
    ],
)
def test_everyday_words_keep_their_everyday_meaning(question: str, absent: set[str]) -> None:
    assert not set(REAL.terms(" ".join(absent))) & set(REAL.terms(question))


@pytest.mark.parametrize(
    ("question", "present"),
    [
        ("did the us back the vietnamese", "usa support vietnam"),
        ("why did us want china to house pol pot", "usa want china refuge"),
        ("what does the cable show", "cable reveal"),
        ("where did the kr base themselves", "khmer rouge withdraw"),
        # a verb's particle after its object
        ("who kicked the khmer rouge out in 1979", "oust khmer rouge 1979"),
        ("did china take them in?", "china refuge"),
        ("did beijing take the kr leaders in", "china refuge khmer rouge leader"),
    ],
)
def test_article_words_are_still_rewritten(question: str, present: str) -> None:
    assert set(REAL.terms(present)) <= set(REAL.terms(question))


def test_showing_is_not_publishing() -> None:
    """'what does the article show' once read as 'what did the article leak'."""
    assert "leak" not in REAL.terms("what does the article show")


def test_shipped_vocabulary_has_no_everyday_collisions(kb: KnowledgeBase) -> None:
    assert vocabulary_warnings(kb) == []


# --- reading and validating ------------------------------------------------------------------


def test_variants_with_limits() -> None:
    vocabulary = parse("version: 1\nterms:\n  usa:\n    - america\n"
                       "    - {words: us, not_after: [tell]}\n")
    normalizer = Normalizer(vocabulary)
    assert normalizer.terms("America") == ("usa",)
    assert "usa" in normalizer.terms("why did the us ask")
    assert "usa" not in normalizer.terms("tell us more")


def test_longest_variant_wins() -> None:
    normalizer = Normalizer(parse("version: 1\nterms:\n  un: [united nations]\n"
                                  "  usa: [united states, united states of america]\n"))
    assert normalizer.terms("the United States of America and the United Nations") == (
        "usa", "un")


def test_a_file_without_vocabulary_means_none(tmp_path: Path) -> None:
    assert read_vocabulary(tmp_path / "vocabulary.yaml", simplify) == Vocabulary()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 1\nterms:\n  usa: [us]\n  usb: [us]\n",
         "vocabulary.yaml:4: variant 'us' is already a variant of 'usa' (line 3)"),
        ("version: 1\nterms:\n  usa:\n    - {words: us, only_after: [the]}\n",
         "vocabulary.yaml:4: unknown key 'only_after' (allowed: words, not_after, not_before)"),
        ("version: 1\nterms:\n  usa: america\n",
         "vocabulary.yaml:3: term 'usa' needs a list of variants"),
        ("version: 2\nterms:\n  usa: [us]\n", "vocabulary.yaml:1: unsupported version"),
        ("version: 1\nterms: [usa]\n", "vocabulary.yaml:2: 'terms' must be a mapping"),
        ("version: 1\nterms:\n  usa: [america\n", "vocabulary.yaml:4: invalid YAML"),
        ("version: 1\nterms:\n  usa: ['?!']\n", "vocabulary.yaml:3: a variant '?!' has no words"),
    ],
    ids=["duplicate", "unknown-key", "not-a-list", "version", "terms-list", "yaml", "no-words"],
)
def test_problems_are_reported_with_their_line(text: str, expected: str) -> None:
    assert any(line.startswith(expected) for line in problems(text)), problems(text)


# --- everyday words rewritten into the article's terms --------------------------------------


@pytest.mark.parametrize(
    ("variant", "warned"),
    [
        ("house", True),  # an everyday word, rewritten everywhere
        ("{words: house, not_after: [the]}", False),  # thought about: limited
        ("asylum", False),  # not an everyday word
        ("refuges", False),  # an inflection of the term itself
    ],
)
def test_everyday_collisions(variant: str, warned: bool) -> None:
    vocabulary = parse(f"version: 1\nterms:\n  refuge: [{variant}]\n")
    found = everyday_collisions(vocabulary, frozenset({stem("refuge")}), EVERYDAY_WORDS | {"house"},
                                stem)
    assert bool(found) is warned
    if warned:
        assert found[0].line == 3 and "'house'" in found[0].message


def test_a_term_the_article_does_not_use_is_not_warned_about() -> None:
    vocabulary = parse("version: 1\nterms:\n  article: [story]\n")
    assert everyday_collisions(vocabulary, frozenset({"cable"}), EVERYDAY_WORDS, stem) == []

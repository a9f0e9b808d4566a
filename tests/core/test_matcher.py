"""bot.core.matcher: the fuzzy index over phrasings, on small synthetic documents."""

from pathlib import Path

import pytest

from bot.core.kb_reading import load_normalizer
from bot.core.matcher import Index, Tuning

NORMALIZER = load_normalizer(Path(__file__).resolve().parents[2] / "knowledge")

DOCUMENTS = [
    ("sender", "who sent the cable"),
    ("sender", "whose office wrote the memo"),
    ("death", "when did pol pot die"),
    ("toll", "how many people died under the khmer rouge"),
    ("eagle", "who was eagleburger"),
    ("zebra", "what colour is a zebra"),
]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(DOCUMENTS, normalizer=NORMALIZER)


@pytest.mark.parametrize(("key", "text"), DOCUMENTS)
def test_exact_phrasing_scores_100(index: Index, key: str, text: str) -> None:
    best = index.search(text)[0]
    assert (best.key, best.phrasing, best.score) == (key, text, 100.0)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("WHO SENT THE CABLE?", "sender"),
        ("the cable: who sent it", "sender"),
        ("who wrote the memo", "sender"),
        ("how many died", "toll"),
        ("zebras colour", "zebra"),
    ],
)
def test_rewordings_find_their_key(index: Index, query: str, key: str) -> None:
    assert index.search(query)[0].key == key


# --- typo correction -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("eaglburger", "eagleburger"),  # a letter missing
        ("eagleburgger", "eagleburger"),  # a letter too many
        ("eagelburger", "eagleburger"),  # two letters swapped
        ("eaglebruger", "eagleburger"),  # two letters swapped
        ("cabel", "cable"),
        ("zebar", "zebra"),
        ("eglebuger", "eagleburger"),  # long words may have two edits
    ],
)
def test_typo_is_corrected(index: Index, typo: str, word: str) -> None:
    correction = index.correct(typo)
    assert correction is not None
    assert correction[0] == index.normalizer.terms(word)[0]
    assert 0 < correction[1] < 1


@pytest.mark.parametrize(("typed", "word"), [("sendin", "sending"), ("dyin", "dying")])
def test_a_dropped_g_is_the_word_in_full(index: Index, typed: str, word: str) -> None:
    """Chat drops the g of -ing ("sendin"): read as the word, with full credit."""
    assert index.correct(typed) == (index.normalizer.terms(word)[0], 1.0)


@pytest.mark.parametrize(
    "typo",
    [
        "xagleburger",  # the first letter is kept by a misspelling
        "aeglebruger",
        "zxbrx",  # short words get one edit only
        "ca",  # too short to correct at all
        "dei",
        "zebra2",  # not a word
    ],
)
def test_typo_not_corrected(index: Index, typo: str) -> None:
    assert index.correct(typo) is None


def test_known_word_has_full_credit(index: Index) -> None:
    assert index.correct("zebra") == ("zebra", 1.0)


def test_three_letter_words_match_exactly_only() -> None:
    index = Index([("cat", "the cat sat"), ("dog", "a dog ran")])
    assert index.search("cot") == []
    assert index.search("cat")[0].key == "cat"


def test_search_with_a_typo_finds_the_key_below_exact(index: Index) -> None:
    exact = index.search("who sent the cable")[0]
    typo = index.search("who sent the cabel")[0]
    assert typo.key == exact.key == "sender"
    assert typo.score < exact.score


# --- scoring -------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", ["blorp", "blorp quux", "yesterday morning"])
def test_unknown_words_lower_the_score(index: Index, extra: str) -> None:
    plain = index.search("who sent the cable")[0]
    noisy = index.search(f"who sent the cable {extra}")[0]
    assert noisy.key == plain.key
    assert noisy.score < plain.score


def test_more_unknown_words_lower_it_more(index: Index) -> None:
    one = index.search("who sent the cable blorp")[0].score
    two = index.search("who sent the cable blorp quux")[0].score
    assert two < one


def test_rarer_words_weigh_more() -> None:
    # "tiger" is in four keys, "zebra" in one: a question with both is about the zebra.
    index = Index([("rare", "zebra"), ("common", "tiger"), ("f1", "tiger house"),
                   ("f2", "tiger mouse"), ("f3", "tiger horse")])
    found = index.search("zebra tiger")
    scores = {c.key: c.score for c in found}
    assert found[0].key == "rare"
    assert scores["rare"] > scores["common"]


def test_one_result_per_key_best_first() -> None:
    index = Index([("a", "red apple"), ("a", "red apples on a tree"), ("a", "apple red"),
                   ("b", "red cherry"), ("b", "dark red cherry"), ("c", "green apple")])
    found = index.search("red apple", limit=10)
    keys = [c.key for c in found]
    assert len(keys) == len(set(keys))
    assert set(keys) == {"a", "b", "c"}
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert found[0].key == "a"


def test_limit_keeps_the_best_results(index: Index) -> None:
    question = "who sent the cable eagleburger zebra"
    everything = index.search(question, limit=10)
    assert len(everything) > 2
    assert index.search(question, limit=2) == everything[:2]


@pytest.mark.parametrize(
    "query",
    ["who sent the cable", "cable", "what", "eagleburger zebra pol pot", "who painted the fence",
     "how many died", "blorp cable"],
)
def test_scores_are_within_0_and_100(index: Index, query: str) -> None:
    for candidate in index.search(query, limit=10):
        assert 0 <= candidate.score <= 100


def test_question_word_overlap_alone_is_not_a_candidate(index: Index) -> None:
    # "who" is shared with "sender" and "eagle", but "zebra" is the only content word.
    keys = [c.key for c in index.search("who has a zebra", limit=10)]
    assert keys == ["zebra"]


@pytest.mark.parametrize("query", ["", "   ", "the of and", "?!", "🙂"])
def test_query_without_terms_finds_nothing(index: Index, query: str) -> None:
    assert index.search(query) == []


def test_unknown_words_only_find_nothing(index: Index) -> None:
    assert index.search("blorp quux") == []


def test_context_words_explain_part_of_a_question() -> None:
    documents = [("sender", "who sent the cable"), ("date", "when was the cable sent")]
    without = Index(documents).search("who sent the cable eagleburger")
    with_context = Index(documents, contexts=[("sender", "Eagleburger's office sent it")]).search(
        "who sent the cable eagleburger")
    assert with_context[0].key == "sender"
    assert with_context[0].score > without[0].score


def test_a_key_with_one_phrasing_the_question_contains_is_reached() -> None:
    """Most of the deputy's phrasings are about Nuon Chea, so as a whole the key matches "who
    was the deputy of pol pot" less than Pol Pot's does; one of its phrasings is all in the
    question, which brings the key to the phrasing-by-phrasing stage anyway."""
    documents = [("pol", "pol pot"), ("pol", "who was pol pot"), ("pol", "pol pot leader"),
                 ("deputy", "nuon chea"), ("deputy", "who is nuon chea"),
                 ("deputy", "nuon chea trial"), ("deputy", "pol pot deputy")]
    question = "who was the deputy of pol pot"
    never = Tuning(keys_in_depth=1, contained_share=2.0)  # no phrasing weighs twice the question
    assert [c.key for c in Index(documents, tuning=never).search(question)] == ["pol"]
    found = Index(documents, tuning=Tuning(keys_in_depth=1)).search(question)
    assert [c.key for c in found] == ["deputy", "pol"]


def test_empty_index() -> None:
    index = Index([])
    assert len(index) == 0
    assert index.search("who sent the cable") == []


def test_phrasings_with_the_same_terms_are_indexed_once() -> None:
    index = Index([("a", "who sent the cable"), ("a", "Who sent the cable?"), ("b", "zebra")])
    assert len(index) == 2


def test_knows_all(index: Index) -> None:
    assert index.knows_all("who sent the cabel")
    assert not index.knows_all("who sent the parcel")


def test_misspellings_written_into_phrasings_count_as_the_real_word() -> None:
    topics = ["leaders", "rule", "army", "end", "ideas", "fall", "border", "years", "aims", "top"]
    documents = [("kr", "what was the khmer rouge"), ("kr", "kmer rouge")] + [
        (topic, f"khmer rouge {topic}") for topic in topics]
    contexts = [("kr", "The Khmer Rouge was a movement.")] + [
        (topic, f"The Khmer Rouge {topic}.") for topic in topics]
    index = Index(documents, contexts)
    assert index.correct("kmer") == ("khmer", index.tuning.short_typo_credit)  # not a word itself
    assert index.search("what is kmer rouge", 1)[0].key == "kr"

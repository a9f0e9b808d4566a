"""bot.core.normalize: questions reduced to the canonical words that carry their meaning."""

from pathlib import Path

import pytest

from bot.core.kb_reading import load_normalizer
from bot.core.normalize import COMMON_WORDS, QUESTION_WORDS, STOP_WORDS, simplify, stem

# The real article's vocabulary (knowledge/vocabulary.yaml) with English's question words.
NORMALIZER = load_normalizer(Path(__file__).resolve().parents[2] / "knowledge")
terms = NORMALIZER.terms
phrasing_key = NORMALIZER.phrasing_key


@pytest.mark.parametrize(
    "group",
    [
        ["US", "America", "Washington", "the United States", "USA", "the U.S.", "Americans"],
        ["Beijing", "Chinese", "the Chinese", "China", "PRC"],
        ["USSR", "Soviets", "the Soviet Union", "Soviet", "Moscow"],
        ["KR", "Khmer Rouge", "khmer rogue", "the Khmer Rouges"],
        ["killed", "died", "die", "death", "murdered", "passed away"],
        ["Pol Pot", "polpot", "Pol Pot's"],
        ["Vietnamese", "Vietnam", "Hanoi"],
        ["the United Nations", "UN", "U.N."],
        # English as people learning it write it
        ["lost power", "lost the power", "made fall"],
        ["in the 1980s", "in the 80 years", "in the years 80"],
        ["tried", "judged"],
        ["the military commander", "the army chief", "the head of the army"],
        ["who ousted pol pot", "who booted pol pot"],
        ["what did the us want", "what did the us demand", "wat did the us want doin"],
        ["where did pol pot die", "whr did pol pot die", "whered pol pot die"],
        ["is ta mok dead", "ta mok ded?"],
        ["the military commander", "the military guy", "the army boss"],
        ["pol pot's deputy", "pol pots right hand guy"],
        ["how many died under the khmer rouge", "how many died in the time of khmer rouge"],
        # how to say it is not what is asked
        ["what was the us asking china for", "in plain words, what was the us asking china for",
         "what was the us asking china for, explain in like one sentence"],
    ],
    ids=["usa", "china", "soviet", "khmer-rouge", "die", "pol-pot", "vietnam", "un", "lost-power",
         "1980s", "trial", "commander", "booted", "demand", "where", "dead", "military-guy",
         "right-hand", "in-the-time-of", "in-plain-words"],
)
def test_synonyms_share_terms(group: list[str]) -> None:
    first = terms(group[0])
    assert first
    for variant in group[1:]:
        assert terms(variant) == first, variant


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("Beijing", "china"), ("the Chinese", "china"), ("USSR", "soviet"), ("Soviets", "soviet"),
     ("killed", "die"), ("died", "die")],
)
def test_synonyms_map_to_the_canonical_word(text: str, canonical: str) -> None:
    assert terms(text) == (canonical,)


def test_khmer_rouge_abbreviation() -> None:
    assert terms("what did the KR do") == terms("what did the Khmer Rouge do")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Chinese", "Cambodian"),
        ("Soviets", "Americans"),
        ("who sent the cable", "when was the cable sent"),
        ("who sent the cable", "why was the cable sent"),
    ],
)
def test_different_meanings_keep_different_terms(left: str, right: str) -> None:
    assert terms(left) != terms(right)


@pytest.mark.parametrize(
    "text",
    ["the of and is was", "please tell me about it", "hey bot, thanks!", "", "   ", "?!...",
     "lol ok"],
)
def test_filler_only_has_no_terms(text: str) -> None:
    assert terms(text) == ()


@pytest.mark.parametrize(
    ("noisy", "plain"),
    [
        ("tell me about the cable please", "cable"),
        ("hey bot, can you tell me who sent the cable?", "who sent the cable"),
        ("so basically who actually sent the cable lol", "who sent the cable"),
    ],
)
def test_stop_words_are_dropped(noisy: str, plain: str) -> None:
    assert terms(noisy) == terms(plain)


@pytest.mark.parametrize(
    ("contrasted", "plain"),
    [
        ("not the outcome, what was the request", "what was the request"),
        ("when was the cable written, not the article?", "when was the cable written?"),
        ("the headline, not the details of the us ask - what does it say?",
         "the headline - what does it say?"),
        ("what did the us want (the what, not the why)", "what did the us want (the what)"),
    ],
)
def test_what_a_question_says_it_is_not_asking_is_left_out(contrasted: str, plain: str) -> None:
    assert terms(contrasted) == terms(plain)


@pytest.mark.parametrize(("text", "kept"), [("not sure who sent it, anyone?", "sent"),
                                            ("why did china not take them", "china"),
                                            ("did the us not want them", "us")])
def test_a_not_that_asks_keeps_its_words(text: str, kept: str) -> None:
    assert terms(kept)[0] in terms(text)


@pytest.mark.parametrize("word", ["who", "what", "when", "where", "why", "how"])
def test_question_words_are_kept(word: str) -> None:
    assert word in terms(f"{word} is the cable")
    assert word in QUESTION_WORDS


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("what year was the cable sent", "when was the cable sent"),
        ("which date was the cable sent", "when was the cable sent"),
        ("whom did the cable come from", "who did the cable come from"),
        ("how many people died", "quantity people died"),
        ("how come it was sent", "why was it sent"),
    ],
)
def test_question_phrases_map_to_question_words(variant: str, canonical: str) -> None:
    assert terms(variant) == terms(canonical)


@pytest.mark.parametrize(
    ("inflected", "base"),
    [
        ("leaders", "leader"),
        ("defectors", "defector"),
        ("talks", "talk"),
        ("changes", "change"),
        ("societies", "society"),
        ("governments", "government"),
        ("governed", "govern"),
        ("governing", "govern"),
        ("stopping", "stop"),
        ("encouraged", "encourage"),
    ],
)
def test_plurals_and_suffixes_share_a_stem(inflected: str, base: str) -> None:
    assert terms(inflected) == terms(base)


@pytest.mark.parametrize("word", ["gas", "bus", "news", "this", "1989", "1975-79", "crisis"])
def test_short_words_numbers_and_s_endings_are_left_alone(word: str) -> None:
    assert stem(word) == word


@pytest.mark.parametrize(
    ("possessive", "plain"),
    [
        ("Pol Pot's deputy", "Pol Pot deputy"),
        ("Beijing's ties", "Beijing ties"),
        ("the movement's rule", "the movement rule"),
        ("the leaders' fate", "the leaders fate"),
        ("Pol Pot’s deputy", "Pol Pot deputy"),  # curly apostrophe
    ],
)
def test_possessives_are_dropped(possessive: str, plain: str) -> None:
    assert terms(possessive) == terms(plain)


@pytest.mark.parametrize(
    ("curly", "straight"),
    [
        ("what was ‘unacceptable’?", "what was 'unacceptable'?"),
        ("“who sent the cable”", '"who sent the cable"'),
        ("who’s Eagleburger", "who's Eagleburger"),
    ],
)
def test_curly_quotes_fold(curly: str, straight: str) -> None:
    assert terms(curly) == terms(straight)


@pytest.mark.parametrize(
    ("accented", "plain"),
    [("Ieng Sáry", "Ieng Sary"), ("Phnôm Pénh", "Phnom Penh"), ("CAFÉ", "cafe"),
     ("naïve", "naive")],
)
def test_accents_and_case_fold(accented: str, plain: str) -> None:
    assert terms(accented) == terms(plain)


def test_terms_have_no_repeats_and_keep_order() -> None:
    assert terms("cable cable Eagleburger cables") == terms("cable Eagleburger")
    assert terms("Eagleburger cable") != terms("cable Eagleburger")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Who’s THE Sender?!", "who the sender"), ("  spaced\tout\n", "spaced out"),
     ("Pol Pot's", "pol pot"), ("didn't", "did not"), ("1.7 million", "1.7 million")],
)
def test_simplify(text: str, expected: str) -> None:
    assert simplify(text) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("who sent the cable", "the cable: who sent it?"),
        ("Who sent the cable?", "WHO SENT THE CABLE!!!"),
        ("when did Pol Pot die", "Pol Pot died when"),
    ],
)
def test_phrasing_key_is_order_free(left: str, right: str) -> None:
    assert phrasing_key(left) == phrasing_key(right)


def test_phrasing_key_tells_different_questions_apart() -> None:
    assert phrasing_key("who sent the cable") != phrasing_key("when was the cable sent")


def test_phrasing_key_of_filler_is_empty() -> None:
    assert phrasing_key("the?") == ""


def test_everyday_words_are_not_stop_words() -> None:
    """Stop words are dropped before weights are given, so an everyday word that is also a
    stop word would be a dead entry."""
    assert not COMMON_WORDS & STOP_WORDS

"""bot.core.coverage: which entries cite which sentences of the article."""

from bot.core.article import parse_article
from bot.core.coverage import cited_sentences
from bot.core.knowledge import Citation, Entry, KnowledgeBase

ARTICLE = parse_article(
    "A headline about a cable September 5, 2011\n\n"
    "Phnom Penh - The cable was sent in 1989 by the office of the deputy secretary of state. "
    "It asked China to take the leaders. China did not.\n")


def kb(**quotes: str) -> KnowledgeBase:
    return KnowledgeBase(ARTICLE, tuple(Entry(entry_id, "Q?", "A.", (Citation(1, quote),))
                                        for entry_id, quote in quotes.items()))


def cited(base: KnowledgeBase) -> list[tuple[int, tuple[str, ...], bool]]:
    return [(s.index, s.entries, s.covered) for s in cited_sentences(base) if s.paragraph == 1]


def test_a_short_quote_cites_its_sentence_without_covering_it() -> None:
    assert cited(kb(sender="the deputy secretary")) == [
        (0, ("sender",), False), (1, (), False), (2, (), False)]


def test_a_quote_over_two_sentences_cites_and_covers_both() -> None:
    assert cited(kb(ask="of state. It asked China to take the leaders.")) == [
        (0, (), False), (1, ("ask",), True), (2, (), False)]
    whole = "The cable was sent in 1989 by the office of the deputy secretary of state. It asked"
    assert cited(kb(sent=whole))[:2] == [(0, ("sent",), True), (1, (), False)]


def test_sentences_are_those_of_check_and_the_title_line_counts() -> None:
    found = cited_sentences(kb(no="China did not."))
    assert [(s.paragraph, s.index, s.text) for s in found] == [
        (0, 0, "A headline about a cable"), (0, 1, "September 5, 2011"),
        (1, 0, "The cable was sent in 1989 by the office of the deputy secretary of state."),
        (1, 1, "It asked China to take the leaders."), (1, 2, "China did not.")]
    assert [s.entries for s in found][-1] == ("no",)

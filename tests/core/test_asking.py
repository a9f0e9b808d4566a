"""bot.core.asking: what a question asks for, the clause that asks, how it leans on the last."""

import pytest

from bot.core.asking import (
    FollowUp,
    Kind,
    follow_up,
    gives,
    kind_of,
    points_back,
    question_clause,
    question_parts,
)
from bot.core.normalize import simplify


@pytest.mark.parametrize(("question", "kind"), [
    ("who sent the cable?", Kind.WHO),
    ("whose office sent it", Kind.WHO),
    ("which country did the us ask", Kind.WHO),
    ("when did pol pot die", Kind.WHEN),
    ("what year was the cable sent", Kind.WHEN),
    ("wat yr is the cable from", Kind.WHEN),
    ("how long did the khmer rouge rule", Kind.SPAN),
    ("how many yrs between the two", Kind.SPAN),  # not "how many"
    ("where did the khmer rouge go", Kind.WHERE),
    ("whered the kr go", Kind.WHERE),
    ("how many people died", Kind.QUANTITY),
    ("how old was ieng sary", Kind.QUANTITY),
    ("why did the us want them moved", Kind.WHY),
    ("how come china said no", Kind.WHY),
    ("how did pol pot die", Kind.HOW),
    ("did china take them in?", Kind.YES_NO),
    ("ok so was it eagleburger who sent it", Kind.YES_NO),
    ("so beijing said no in the end, right?", Kind.YES_NO),
    ("what did the cable show", Kind.OTHER),
    ("death toll", Kind.OTHER),
    ("", Kind.OTHER),
])
def test_kind_of(question: str, kind: Kind) -> None:
    assert kind_of(simplify(question)) is kind


@pytest.mark.parametrize(("answer", "kind", "expected"), [
    ("The Khmer Rouge lost power in 1979.", Kind.WHEN, True),
    ("Vietnamese troops drove them out.", Kind.WHEN, False),
    ("Between 1.7 million and 2.2 million people died.", Kind.QUANTITY, True),
    ("WikiLeaks published it.", Kind.QUANTITY, False),
    ("The Khmer Rouge ruled from 1975 to 1979.", Kind.QUANTITY, False),  # years are not amounts
    ("The Khmer Rouge ruled from 1975 to 1979.", Kind.SPAN, True),  # but bound a span
    ("They withdrew to western Cambodia along the Thai border.", Kind.WHERE, True),
    ("They lost power when Vietnamese troops drove them out.", Kind.WHERE, False),
    ("The US wanted it as part of efforts to end the conflict.", Kind.WHY, True),
    ("Eagleburger's office sent it.", Kind.WHO, True),  # no test for who: benefit of doubt
])
def test_gives(answer: str, kind: Kind, expected: bool) -> None:
    assert gives(answer, kind) is expected


@pytest.mark.parametrize(("message", "clause"), [
    ("ok so im doing this for history hw and im lowkey lost, like whose office sent it??",
     "whose office sent it"),
    ("hey so im making flashcards rn, what date was the article published and where from",
     "what date was the article published and where from"),
    ("who sent the cable", None),  # one clause
    ("the cable, the memo, the document", None),  # no clause asks
    # "according to this" opens the clause without being part of the question
    ("my grandad went on about it at dinner, according to this who pushed them out?",
     "who pushed them out"),
    # no clause opens like a question: the one the question mark ends, if it asks
    ("i keep mixing up the names, the cable came out of whose office again? so confusing",
     "the cable came out of whose office again"),
    ("Who was the second man after Pol Pot, his deputy?", None),
    # a clause that only asks whether the article covers what came before is not the question
    ("i always thought china and the kr were close, does the article say anything about that?",
     None),
    ("i always assumed it was just vietnam, is that what the article says?", None),
    ("we have to say what happened to each guy named in the cable, can u give me a quick rundown",
     None),
    ("so about china, what does the article say about the request",
     "what does the article say about the request"),
])
def test_question_clause(message: str, clause: str | None) -> None:
    assert question_clause(message) == clause


@pytest.mark.parametrize(("message", "parts"), [
    ("where did the khmer rouge go and who were they fighting?",
     ["where did the khmer rouge go", "who were they fighting"]),
    # the chat before the first question is not a question
    ("im stuck on ta mok, what was his role and what happened to him later",
     ["what was his role", "what happened to him later"]),
    ("who will be judged, in which court, and when? thank you",
     ["who will be judged, in which court", "when? thank you"]),
    ("where did pol pot die", []),  # one question
    ("ok so i read it, where did pol pot die", []),
])
def test_question_parts(message: str, parts: list[str]) -> None:
    assert question_parts(message) == parts


@pytest.mark.parametrize(("question", "points"), [
    ("what did he want", True), ("who drove them out", True), ("what did that guy do", True),
    ("who sent the cable", False), ("the other leaders", False),
])
def test_points_back(question: str, points: bool) -> None:
    assert points_back(question) is points


@pytest.mark.parametrize(("question", "content", "names", "lean"), [
    ("and then?", set(), set(), FollowUp.NEXT),
    ("what happened next", {"fate"}, set(), FollowUp.NEXT),
    ("why?", set(), set(), FollowUp.ELLIPTIC),
    ("by how long", set(), set(), FollowUp.ELLIPTIC),
    ("what about ieng sary?", {"ieng", "sary"}, {"ieng", "sary"}, FollowUp.SWAP),
    ("and ta mok", {"ta", "mok"}, {"ta", "mok"}, FollowUp.SWAP),
    ("who drove them out?", {"oust"}, set(), FollowUp.REFERS),
    ("did he outlive pol pot?", {"outliv", "pol", "pot"}, {"pol", "pot"}, FollowUp.REFERS),
    ("who sent the cable?", {"send", "cabl"}, set(), FollowUp.NONE),
    ("", set(), set(), FollowUp.NONE),
])
def test_follow_up(question: str, content: set[str], names: set[str], lean: FollowUp) -> None:
    assert follow_up(simplify(question), content, names) is lean

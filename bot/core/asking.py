"""What a question asks for: a person, a time, a place, a number, a reason, a yes or a no.

The kind decides whether an answer on the right subject really answers: "when was Ta Mok
arrested" is not answered by "Ta Mok was arrested and died in custody in 2006" when the
entry gives no date of arrest, and "did China take them in?" wants a reply that starts with
Yes or No.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Kind(StrEnum):
    WHO = "who"
    WHEN = "when"  # a date or a year
    SPAN = "span"  # how long, how many years: a length of time, or the dates that bound it
    WHERE = "where"
    QUANTITY = "quantity"  # how many, how much, how old: a number that is not a year
    WHY = "why"  # a reason or a cause
    HOW = "how"  # a manner
    YES_NO = "yes_no"
    OTHER = "other"  # what…, which…, keywords


# Words that open a chat message without being part of the question ("ok so", "hey bot").
_LEAD_IN = frozenset("""
ok okay so and but also then well hey hi hello yo bot guys wait quick question q um uh hmm
oh ah alright right lol lmao bruh ngl tbh honestly sorry pls please just like basically
actually also btw tldr tl dr
""".split())
_AUXILIARIES = frozenset("""
is was are were am did does do has have had can could will would should shall may might must
isnt wasnt arent werent didnt doesnt dont hasnt havent hadnt cant couldnt wont wouldnt
shouldnt
""".split())
_TAGS = ("right", "correct", "true", "or not", "yes", "no", "isnt it", "didnt they",
         "didnt he", "wasnt it", "wasnt he", "is it", "yeah", "ya", "yea", "innit", "or what")
_WH = re.compile(r"\b(?:who|whom|whose|what|which|when|where|why|how|wat|wut|wht|wen|whn|wher|"
                 r"whr|whered|wheres)\b")
_KINDS: tuple[tuple[re.Pattern[str], Kind], ...] = (
    # "how many years" asks for a span of time, which two dates give: listed first, so that
    # it is not read as "how many".
    (re.compile(r"\bhow long\b|\bhow (?:many|much) (?:more |other )?(?:years?|yrs?|decades?"
                r"|months?|days?)\b"), Kind.SPAN),
    (re.compile(r"\bhow (?:many|much|old|big|large|often)\b|\bnumber of\b|\bhowmany\b"),
     Kind.QUANTITY),
    (re.compile(r"\b(?:what|which|wat) (?:year|yr|date|day|month|time|decade)\b"
                r"|\bwhen\b|\bwen\b|\bsince when\b"), Kind.WHEN),
    (re.compile(r"\bwho\b|\bwhom\b|\bwhose\b|\b(?:which|what) (?:person|people|man|guy|one"
                r"|official|leader|country|countries|nation|nations|organi[sz]ation|group"
                r"|website|site|agency|department)\b"), Kind.WHO),
    (re.compile(r"\b(?:where|wher|whr|whered|wheres)\b"
                r"|\b(?:which|what) (?:place|city|country|border|region)\b"),
     Kind.WHERE),
    (re.compile(r"\bwhy\b|\bhow come\b|\bwhat for\b|\breason\b|\bcause[sd]?\b"), Kind.WHY),
    (re.compile(r"\bhow\b"), Kind.HOW),
)


# All of them as one pattern, each a named group: one scan of the text instead of six.
_ANY_KIND = re.compile("|".join(f"(?P<{kind.value}>{pattern.pattern})" for pattern, kind in _KINDS))


def kind_of(simplified: str) -> Kind:
    """The kind of answer a question wants, from its simplified text (``normalize.simplify``).

    The first wh-phrase decides ("when did … and why" asks when); a question that opens with
    an auxiliary verb ("did", "was"), or ends in a tag ("…, right?"), with no wh-word before
    it, is a yes/no question.
    """
    words = simplified.split()
    while words and words[0] in _LEAD_IN:
        words = words[1:]
    text = " ".join(words)
    if not text:
        return Kind.OTHER
    wh = _WH.search(text)
    opens_with_auxiliary = words[0] in _AUXILIARIES
    if opens_with_auxiliary and (wh is None or wh.start() > len(words[0]) + 12):
        return Kind.YES_NO  # "did china take them in", "was it pol pot who …"
    first = _ANY_KIND.search(text)  # the leftmost; at one place, the first kind listed
    if first is not None and first.lastgroup is not None:
        return Kind(first.lastgroup)
    if text.endswith(_TAGS) or opens_with_auxiliary:
        return Kind.YES_NO
    return Kind.OTHER


_TIME = re.compile(r"\b\d{4}s?\b|\b\d{2}s\b|\b(?:january|february|march|april|may|june|july|"
                   r"august|september|october|november|december|years?|decades?|"
                   r"centur(?:y|ies)|months?|weeks?)\b", re.IGNORECASE)
# A year is a time, not an amount: "how many died" is not answered by "from 1975 to 1979".
_NUMBER = re.compile(r"\b(?!(?:1[0-9]|20)\d\ds?\b)\d|\b(?:one|two|three|four|five|six|seven|"
                     r"eight|nine|ten|eleven|twelve|twenty|dozens?|hundreds?|thousands?|"
                     r"millions?|billions?)\b", re.IGNORECASE)
_REASON = re.compile(r"\b(?:because|as part of|to (?:end|find|bring|help)|in order to|so that|"
                     r"reason|why|helpful|sparked|in pursuit of|after|despite)\b",
                     re.IGNORECASE)
_PLACE = re.compile(r"\b(?:in|at|on|along|to|from|near|across|inside|into)\s+(?:the\s+)?"
                    r"(?:[A-Z]|(?:western|eastern|northern|southern)\b)|\bborder\b|\bdateline\b")
_EVIDENCE = {Kind.WHEN: _TIME, Kind.SPAN: _TIME, Kind.QUANTITY: _NUMBER, Kind.WHY: _REASON,
             Kind.WHERE: _PLACE}


def gives(answer: str, kind: Kind) -> bool:
    """Whether an answer can be of the kind asked: a time for "when", a number for "how
    many", a reason for "why". Kinds that text alone cannot tell are given the benefit of the
    doubt."""
    evidence = _EVIDENCE.get(kind)
    return evidence is None or evidence.search(answer) is not None


_CLAUSE_BREAK = re.compile(r"[,.;:!?()\n]+|\s(?:but|so|and then|because|bc|cuz|like|tho|though)\s",
                           re.IGNORECASE)
_LEAD_IN_PHRASE = re.compile(r"^(?:according to|acc to|in|from|based on) (?:this|it|the article|"
                             r"this article|the text|the story|the cable)\b\s*", re.IGNORECASE)
# A clause that only asks whether the article covers what the message said before it ("…china
# and the khmer rouge were super close, does the article say anything about that?"): the
# subject is in the clauses before it, so it is not the clause that asks.
_FRAME = re.compile(r"^(?:(?:what )?(?:does|did|do) (?:the|this|it) ?(?:article|story|text|"
                    r"piece|news)? ?(?:say|says|mention|talk|tell|cover)\w*(?: (?:us|me))?"
                    r"(?: anything| something| more)?(?: (?:about|on) (?:that|this|it|them))?"
                    r"|(?:is|was) (?:that|this|it) (?:right|true|correct|accurate|what (?:it|the "
                    r"(?:article|story|text|cable)) says?)"
                    r"|(?:can|could|would) (?:you|u|someone|somebody|anyone) (?:pls |please )?"
                    r"(?:give me|give us|do) (?:a |an )?(?:quick |short |brief )?(?:rundown|"
                    r"summary|tldr|tl dr|breakdown|recap|overview))\W*$", re.IGNORECASE)
# Where a message's next question starts: after a break or a joining word, at the word that
# opens a question ("…, what was his role and what happened to him later?").
_PART_START = re.compile(r"(?:[,?;:.!]|\s(?:and|or|like|also|plus|n|&))\s+(?:(?:and|also|like|then"
                         r"|so)\s+)*(?=(?:who|whom|whose|what|whats|which|when|where|why|how|wat"
                         r"|did|was|were|is|are|does|do)\b)", re.IGNORECASE)
_PART_END = re.compile(r"\s+(?:and|or|like|also|plus|n)$", re.IGNORECASE)
_WH_WORD = re.compile(r"\b(?:who|whom|whose|what|which|when|where|why|how)\b", re.IGNORECASE)
_OPENERS = re.compile(r"^(?:who|whom|whose|what|which|when|where|why|how|wat|wut|wen|is|was|are|"
                      r"were|did|does|do|has|have|had|can|could|will|would|isnt|wasnt|didnt|"
                      r"doesnt|dont)\b", re.IGNORECASE)


def _without_lead_in(clause: str) -> str:
    """A clause without the words that open a chat message ("ok so", "according to this")."""
    words = _LEAD_IN_PHRASE.sub("", clause).split()
    while words and words[0].lower().strip("'\"") in _LEAD_IN:
        words = words[1:]
    return " ".join(words)


def question_parts(text: str) -> list[str]:
    """The questions a message asks one after the other ("where did the khmer rouge go and
    who were they fighting?"), each from the word that opens it, when there are two or more.
    The chat before the first question is not one of them."""
    starts = [0, *(match.end() for match in _PART_START.finditer(text))]
    parts = [_PART_END.sub("", text[start:end].rstrip()).strip(" ,?;:.!")
             for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]
    if parts and not _OPENERS.match(_without_lead_in(parts[0])):
        parts = parts[1:]
    parts = [part for part in parts if part]
    return parts if len(parts) > 1 else []


def question_clause(text: str) -> str | None:
    """The clause that asks, when a chatty message wraps it in others ("ok so im doing this for
    homework and im lost, whose office sent the cable?" asks "whose office sent the cable"):
    from the first clause that opens like a question to the end, or else the clause a
    question mark ends ("…i keep mixing up the names, the cable came out of whose office?").
    None when the message is one clause, or no clause asks."""
    clauses = [c.strip() for c in _CLAUSE_BREAK.split(text) if c and c.strip()]
    if len(clauses) < 2:
        return None
    for number, clause in enumerate(clauses):
        opening = _without_lead_in(clause)
        if number and _OPENERS.match(opening) and not _FRAME.match(opening):
            return " ".join([opening, *clauses[number + 1:]])
    asking = [c.strip() for c in _CLAUSE_BREAK.split(text[: text.rfind("?")]) if c.strip()]
    if ("?" in text and len(asking) > 1 and _WH_WORD.search(asking[-1])
            and not _FRAME.match(_without_lead_in(asking[-1]))):
        return asking[-1]
    return None


class FollowUp(StrEnum):
    """How a question leans on the one before it."""

    NONE = "none"  # stands alone
    REFERS = "refers"  # names no one but points back: "who drove them out?", "did he die?"
    ELLIPTIC = "elliptic"  # asks only a question word: "why?", "when?", "how many?"
    NEXT = "next"  # "and then?", "what happened next?"
    SWAP = "swap"  # the same question about someone else: "what about ieng sary?"


_POINTERS = frozenset("he him his himself she her hers they them their theirs themselves those "
                      "these".split())
_POINTER_PHRASES = ("that guy", "this guy", "the guy", "that man", "that one", "this one",
                    "these guys", "those guys", "that person", "the same")
_NEXT = re.compile(r"^(?:and )?(?:then|then what|what then|what next|and then|after that|"
                   r"what happened (?:next|then|after that|after)|and after|next)$")
_SWAP = re.compile(r"^(?:and|what about|how about|what of|same for|and what about|and how about"
                   r"|and for|ok and|what abt|wbu|and about)\b")


def follow_up(simplified: str, content: set[str], names: set[str]) -> FollowUp:
    """Whether and how a question leans on the one before, from its simplified text, its
    content terms that the knowledge base knows (question words and everyday words left out)
    and which of those name someone or something."""
    words = simplified.split()
    while words and words[0] in _LEAD_IN - {"and", "then"}:
        words = words[1:]
    text = " ".join(words)
    if _NEXT.match(text):
        return FollowUp.NEXT
    if not content:
        return FollowUp.ELLIPTIC if text else FollowUp.NONE
    if names and _SWAP.match(text) and len(content - names) <= 1:
        return FollowUp.SWAP
    if points_back(text):
        return FollowUp.REFERS
    return FollowUp.NONE


def points_back(simplified: str) -> bool:
    """Whether a question says "he", "they", "that guy"…: whom it means is said elsewhere."""
    return bool(_POINTERS.intersection(simplified.split())) or any(
        phrase in simplified for phrase in _POINTER_PHRASES)

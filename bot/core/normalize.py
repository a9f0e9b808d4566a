"""Turning a question into the words that carry its meaning.

Both the knowledge base's phrasings and each incoming question go through ``terms``: case and
accents folded, contractions and possessives dropped, filler words removed, synonyms mapped to
one canonical word ("Beijing" and "the Chinese" become ``china``, "killed" becomes ``die``) and
plurals reduced. Question words are kept, mapped to a few canonical ones ("what year" asks
``when``), because they tell "who sent the cable" from "when was the cable sent".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.core.text import fold
from bot.core.vocabulary import Variant, Vocabulary

# Question words and how English asks them: what a question asks for is part of its meaning
# ("who sent the cable" is not "when was the cable sent"), so they are kept, as one word each.
_QUESTION_PHRASES: dict[str, tuple[str, ...]] = {
    "why": ("reason", "reasons", "purpose", "motive", "cause", "caused", "how come",
            "what for", "wherefore"),
    "where": ("place", "location", "whereabouts", "region", "area", "were did"),
    "when": ("what year", "which year", "what date", "which date", "what time", "date", "year",
             "day", "how long ago", "whn"),
    "who": ("whom", "whose", "which person", "what person", "which people", "person", "hu"),
    "what": ("which", "wht"),
    "quantity": ("how many", "how much", "number of", "toll", "count", "figure for", "total",
                 "howmany", "how many people", "how many ppl", "numbers", "number",
                 "estimate", "estimates"),
}

# Words that carry no meaning for matching: grammar, chat filler, politeness.
STOP_WORDS = frozenset("""
a an the of in on at to for by with from and or but nor as if than then so too very
is are was were be been being am do does did done doing has have had having
it its it's this that these those there here their theirs they them he she his her hers him
i me my mine we our ours you your yours u ur one ones someone somebody anyone anybody
can could would should will shall may might must also just even still ever yet
about tell told know knows knew say said explain describe details detail info information
please pls plz thanks thank thx ty hey hi hello yo hiya sup bot guys guy folks mate bro
so ok okay um uh er hmm lol lmao like basically actually really exactly anyway anyways
quick question questions ask asking wondering wonder curious idea any some all wait
now currently today anything something everything whole big little lot lots
us im ive id youre dont doesnt didnt isnt wasnt werent teh th ppl people peoples persons folks guy
into onto out up down over under again further once only own same such
get got gets getting make made makes let lets
happen happened happens happening became become becomes thing things stuff bit kind sort type
along off way ways well much many more most
do does wanna gonna gotta need needs remind recall remember
s t d ll m re ve
kinda sorta lowkey highkey literally honestly ngl tbh idk imo imho fr lmfao rofl omg wtf tf bruh
dude dudes nah yeah yep yup ya ye yea alright aight tryna finna ima btw fyi tysm ok oh ah eh
hmmm ugh welp smh iirc afaik ikr obv obviously apparently supposedly seriously totally
pretty quite rather somewhat slightly super mega hella not no never though
""".split())

# How people abbreviate and misspell everyday English in chat, and number words: rewritten
# before anything else, so "what yr" is "what year" and "3 leaders" is "three leaders".
_CHAT_WORDS = {
    "yr": "year", "yrs": "years", "abt": "about", "bout": "about", "w": "with", "wit": "with",
    "b4": "before", "bc": "because", "bcs": "because", "cuz": "because", "coz": "because",
    "cos": "because", "becuz": "because", "ppl": "people", "peeps": "people", "rn": "now",
    "tho": "though", "thru": "through", "smth": "something", "sth": "something",
    "u": "you", "r": "are", "ur": "your", "n": "and", "y": "why", "dat": "that", "da": "the",
    "dis": "this", "dem": "them", "wen": "when", "wher": "where", "wut": "what", "wat": "what",
    "wot": "what", "wht": "what", "whr": "where", "whn": "when", "wich": "which",
    "whered": "where did", "wheres": "where is", "ded": "dead", "whos": "who is",
    "wats": "what is", "whats": "what is", "hw": "homework",
    "q": "question", "qs": "questions", "msg": "message", "tmrw": "tomorrow", "2day": "today",
    "every1": "everyone", "any1": "anyone", "some1": "someone", "no1": "no one",
    "2nd": "second", "3rd": "third", "1st": "first", "gov": "government",
    "govt": "government", "mil": "million", "prob": "probably",
    "def": "definitely", "dunno": "dont know", "gimme": "give me", "lemme": "let me",
    "happend": "happened", "happenned": "happened",
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "nineteen": "19",
    "twenty": "20",
}

_NEGATIONS = frozenset("""not no never nothing neither nor none nobody didnt doesnt dont isnt wasnt
werent arent hasnt havent hadnt wont cant couldnt wouldnt shouldnt""".split())

QUESTION_WORDS = frozenset({"who", "what", "when", "where", "why", "how", "quantity"})

# Everyday words that are not stop words (they can carry meaning when a phrasing uses them) but
# say little about which fact is asked when the knowledge base does not know them: "could you
# basically sum up in a couple of lines". A question full of them is chatty, not off-topic, so
# they weigh little (see ``Tuning.common_weight``). Topic words ("born", "verdict", "wife") are
# deliberately absent: a question about something the article never mentions must score low.
COMMON_WORDS = frozenset("""
able above across actual add ago almost alone already although always among amount another answer
anymore appear around aside away awhile back bad basic before begin behind believe below beside
best better between beyond both bother break bring broad brief call came care case catch certain
chance change check clear close come comes coming complete concern confused consider continue
correct couple course current day days deal definitely different during each early easy either else
end enough entire especially every everybody everyone exact example fact fair fairly familiar far
fast feel felt few figure final finally find fine first follow form forward found free full game
gave general give given giving glad go goes going gone good great group guess half hand hard hear
heard hearing help high hold home honest hour however huge important include indeed instead
interest interested keep kept kid knowledge known last late later latest least leave left less
level life line lines live long look looked looking main major man matter maybe mean meant mention
mentioned mind minute moment mostly move name near nearly new next nice nobody none normal nothing
notice number often old open order original originally other others otherwise overall page part
particular pass past perhaps person picture piece place plain play plus point possible probably
problem properly pull put quickly read reading ready real reason recent recently regard related
right roughly run saw saying see seeing seem seemed seems seen sense serious set several short show
shown side simple simply since small sometime soon sound sounds specific specifically start started
story straight sudden suddenly summary sum supposed sure take talk talking term terms text think
thinking thought through time times title top total toward true truly try trying turn
typical understand unless until upon use used using usual usually various view want week went
whatever whether while wide wish within without word words work world worth write wrong year years
yes young essay homework class school assignment project teacher bibliography cite citing citation
research study studying exam quiz professor student students university college lecture notes
skimmed skim post posts posted random dumb stupid silly math maths swear vc server channel discord
chat thread wild insane crazy weird strange funny interesting stuck flashcard flashcards intro hook
obvious mess presentation slide slides uncle aunt cousin mom dad brother sister teacher prof class
mates classmate bus train bed night morning evening weekend podcast episode video trivia uni
seminar debate settle argue arguing argument promise finish finished double expect recognise
recognize angle perfect chart timeline table group groupmate paper report sheet worksheet test
midterm final finals grade grades tomorrow tonight yesterday minute hour second sec moment asap
definitely cool awesome great help helping everyone confusing confused lost clarify clarification
confirm confirming check checking sanity reading read reread rereading skimming phone english
language native sorry apology apologies excuse forgive mistake typo typos spelling
""".split())

# "not the outcome, what was the request", "when was the cable sent, not the article?": the
# clause after "not" up to the next comma (opening a message) or to the end of the clause.
_NOT_ASKED = re.compile(r"^\W*not (?!sure\b)[^,;:?!()]*(?:[,;:]|\s-\s)"
                        r"|,\s*(?:and |but |just )?not (?!sure\b)(?:(?!\s-\s)[^,;:?!()])*",
                        re.IGNORECASE)
_TOKEN = re.compile(r"[^\W\d_][^\W_]*|\d+(?:[.,]\d+)*[^\W_]*")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)")
_INITIALISM = re.compile(r"\b(?:[a-z]\.){2,}")


_SUFFIXES = ("ments", "ment", "ings", "ing", "ions", "ion", "ies", "ied", "ed", "es", "s", "e")


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light suffix stripper: governed, governing, government → govern; leaders → leader.

    Not a full Porter stemmer: it only needs to send both sides of a match to the same form,
    and it leaves short words and numbers alone.
    """
    if (len(word) <= 4 or not word.isalpha() or word in QUESTION_WORDS
            or word.endswith(("ss", "us", "is"))):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return word + "y"
            if suffix in ("ing", "ed") and len(word) > 4 and word[-1] == word[-2]:
                return word[:-1]  # stopping → stop
            return word.removesuffix("e") if len(word) > 4 else word
    return word


@lru_cache(maxsize=32768)
def simplify(text: str) -> str:
    """Lowercase, accent-free, apostrophe-free text with punctuation turned into spaces."""
    text = fold(text).casefold()
    if not text.isascii():  # strip accents: café → cafe
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    # Each rewrite only where its character occurs: a question is matched in microseconds.
    if "." in text:
        text = _INITIALISM.sub(lambda m: m.group().replace(".", ""), text)  # u.s. → us
    if "'" in text:
        text = _POSSESSIVE.sub("", text).replace("n't", " not").replace("'", "")
    return " ".join(_TOKEN.findall(text))


def _filler_in_full(word: str) -> str:
    """A filler word typed with its g dropped ("doin", "somethin") in full, so that it is
    dropped like the word; any other word as it is."""
    return word + "g" if word.endswith("in") and word + "g" in STOP_WORDS else word


# How learners of English say a grammar word: rewritten to it, so that it drops out like it
# ("how many died in the time of the khmer rouge" is "…under the khmer rouge").
_GRAMMAR_PHRASES: dict[str, tuple[str, ...]] = {
    "under": ("in the time of", "in time of", "in the times of", "at the time of",
              "during the time of", "in the period of", "in the era of"),
    # how to say it, not what is asked: "…what was washington asking china for, in plain words"
    # is not a request for the article's summary
    "so": ("in plain words", "in normal words", "in simple words", "in simple terms",
           "in plain terms", "in layman terms",
           "in laymans terms", "in one sentence", "in a sentence", "in a nutshell", "in short",
           "like im 5", "like i am 5", "like im five", "in simple language",
           "in like one sentence", "in like a sentence", "in like plain words",
           "in like simple words"),
}


def _english_variants() -> tuple[Variant, ...]:
    return tuple(Variant(tuple(simplify(variant).split()), (word,))
                 for table in (_QUESTION_PHRASES, _GRAMMAR_PHRASES)
                 for word, variants in table.items() for variant in variants)


class Normalizer:
    """Reduces texts to their terms, with English's question words and an article's
    vocabulary. Built once per knowledge base; remembers the texts it has seen."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.article_vocabulary = vocabulary or Vocabulary()
        self.vocabulary = self.article_vocabulary.merged(_english_variants())
        self.terms = lru_cache(maxsize=32768)(self._terms)

    def __getstate__(self) -> dict[str, object]:
        """Pickled without its memo (see ``engine_cache``), which is rebuilt on load."""
        state = dict(self.__dict__)
        del state["terms"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.terms = lru_cache(maxsize=32768)(self._terms)

    def _terms(self, text: str) -> tuple[str, ...]:
        """The meaningful words of a text, canonicalised, in order, without repeats. What it
        says it is not asking ("not the outcome, what was the request") is left out."""
        seen: dict[str, None] = {}
        text = _NOT_ASKED.sub(" ", text)
        words = [part for word in simplify(text).split()
                 for part in _CHAT_WORDS.get(word, _filler_in_full(word)).split()]
        for word in self.vocabulary.rewrite(words):
            if word not in STOP_WORDS:
                seen.setdefault(stem(word), None)
        return tuple(seen)

    def negated(self, text: str) -> bool:
        """Whether a text says "not" (after the vocabulary: "said no" is a word for refusing,
        not a negation)."""
        words = [part for word in simplify(text).split()
                 for part in _CHAT_WORDS.get(word, word).split()]
        return not _NEGATIONS.isdisjoint(self.vocabulary.rewrite(words))

    def phrasing_key(self, text: str) -> str:
        """What the matcher sees of a phrasing, order-free: equal keys cannot be told apart."""
        return " ".join(sorted(self.terms(text)))

    def clear_cache(self) -> None:
        self.terms.cache_clear()
        stem.cache_clear()
        simplify.cache_clear()


ENGLISH = Normalizer()  # no article vocabulary: for synthetic data and files without one

# COMMON_WORDS as terms come out (stemmed), for the matcher's weights.
COMMON_TERMS = frozenset(stem(word) for word in COMMON_WORDS)
# Every word that is not about any one subject, for vocabulary checks.
EVERYDAY_WORDS = COMMON_WORDS | STOP_WORDS

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

# Several words that mean one thing to this article → the word the index uses.
_PHRASES: dict[str, tuple[str, ...]] = {
    "usa": ("united states of america", "united states", "the states", "u s a", "u s",
            "us government", "america", "american", "americans", "washington", "usa", "us"),
    "soviet": ("soviet union", "ussr", "u s s r", "soviets", "soviet", "russia", "russian",
               "russians", "moscow"),
    "china": ("peoples republic of china", "beijing", "chinese", "prc", "peking"),
    "khmer rouge": ("khmer rogue", "khmer rouges", "khmers rouges", "khmer rough",
                    "khmerrouge", "kr"),
    "pol pot": ("polpot", "pol pots", "pol pott", "paul pot"),
    "ta mok": ("tamok",),
    "ieng sary": ("iengsary",),
    "nuon chea": ("nuonchea",),
    "vietnam": ("vietnamese", "viet nam", "hanoi", "viet"),
    "thailand": ("thai", "thais"),
    "cambodia": ("cambodian", "cambodians", "kampuchea", "kampuchean"),
    "wikileaks": ("wiki leaks", "wikileak", "wiki leak"),
    "eagleburger": ("eagle burger", "lawrence eagleburger's", "eagleburgers"),
    "un": ("united nations", "u n", "un backed"),
    "cold war": ("coldwar",),
    "article": ("story", "news story", "news article", "piece", "report", "news report"),
    "headline": ("title", "headline of", "heading"),
    "cable": ("memo", "memorandum", "telegram", "dispatch", "diplomatic cable",
              "diplomatic message", "document", "documents", "wire", "cables"),
    "die": ("died", "dies", "dying", "dead", "death", "deaths", "killed", "kill", "kills",
            "killing", "killings", "murdered", "murder", "murders", "perished", "passed away",
            "dye", "casualties", "victims", "lives lost", "lost their lives"),
    "leak": ("leaked", "leaks", "leaking", "published", "publish", "publishing",
             "released", "release", "exposed", "revealed", "reveal", "disclosed", "made public"),
    "send": ("sent", "sends", "sender", "wrote", "write", "written", "writer", "author",
             "authored", "drafted", "issued", "originated", "came from", "come from"),
    "want": ("wanted", "wants", "sought", "seek", "seeking", "request", "requested",
             "requests", "urge", "urged", "asked", "demanded", "proposed", "proposal", "hoped"),
    "refuge": ("relocate", "relocated", "relocation", "asylum", "exile", "exiled", "shelter",
               "haven", "sanctuary", "take in", "taken in", "took in", "harbour", "harbor",
               "move", "moved", "moving", "send away"),
    "support": ("supported", "supports", "supporting", "supporter", "supporters", "backed",
                "backing", "backer", "backers", "helped", "help", "helping", "sponsored",
                "funded", "allied", "ally", "allies", "armed"),
    "oust": ("ousted", "ousting", "overthrew", "overthrown", "overthrow", "toppled",
             "topple", "deposed", "depose", "removed", "kicked out", "pushed out",
             "driven from power", "drove from power", "lost power", "losing power", "fall",
             "fell", "coup"),
    "arrest": ("arrested", "captured", "capture", "detained", "detain", "jailed", "jail",
               "custody", "imprisoned", "prison", "caught"),
    "trial": ("tried", "trials", "prosecuted", "prosecute", "prosecution", "court case",
              "charged", "stand trial", "face trial", "facing trial", "in the dock"),
    "tribunal": ("court", "courts", "tribunals"),
    "minister": ("ministers",),
    "military": ("army", "armed forces", "troops", "troop", "soldiers"),
    "deputy": ("second in command", "number two", "no 2", "right hand man", "deputies"),
    "peace": ("peaceful", "settlement", "peace deal", "ceasefire"),
    "aid": ("assistance", "weapons", "arms", "supplies"),
    "why": ("reason", "reasons", "purpose", "motive", "cause", "caused", "how come",
            "what for"),
    "where": ("place", "location", "whereabouts", "region", "area"),
    "when": ("what year", "which year", "what date", "which date", "what time", "date", "year",
             "day", "how long ago"),
    "who": ("whom", "whose", "which person", "what person", "which people", "person"),
    "what": ("which", "whats", "wat", "wht"),
    "how many": ("how much", "number of", "toll", "count", "figure", "total", "howmany"),
}

# Words that carry no meaning for matching: grammar, chat filler, politeness.
_STOP_WORDS = frozenset("""
a an the of in on at to for by with from and or but nor as if than then so too very
is are was were be been being am do does did done doing has have had having
it its it's this that these those there here their theirs they them he she his her hers him
i me my mine we our ours you your yours u ur one ones someone somebody anyone anybody
can could would should will shall may might must also just even still ever yet
about tell told know knows knew say said explain describe details detail info information
please pls plz thanks thank thx ty hey hi hello yo hiya sup bot guys guy folks mate bro
so ok okay um uh er hmm lol lmao like basically actually really exactly anyway anyways
quick question questions ask asking wondering wonder curious idea any some all
into onto out up down over under again further once only own same such
get got gets getting go goes went gone going make made makes let lets
happen happened happens happening thing things stuff bit kind sort
do does wanna gonna gotta need needs remind recall remember
s t d ll m re ve
""".split())

_TOKEN = re.compile(r"[^\W\d_][^\W_]*|\d+(?:[.,]\d+)*[^\W_]*")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)")
_APOSTROPHE = re.compile(r"'")


def _build_replacements() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping: dict[str, str] = {}
    for canonical, variants in _PHRASES.items():
        for variant in variants:
            mapping[variant] = canonical
    # Longest first, so "soviet union" wins over "soviet"; whole words only.
    alternation = "|".join(re.escape(v) for v in sorted(mapping, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])"), mapping


_REPLACE, _REPLACEMENTS = _build_replacements()


def _stem(word: str) -> str:
    """A light plural stemmer: leaders → leader, parties → party; keeps 'us', 'ss', 'is'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        return word[:-1]
    return word


def simplify(text: str) -> str:
    """Lowercase, accent-free, apostrophe-free text with punctuation turned into spaces."""
    text = fold(text).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _POSSESSIVE.sub("", text)
    text = text.replace("n't", " not")
    text = _APOSTROPHE.sub("", text)
    return " ".join(_TOKEN.findall(text))


@lru_cache(maxsize=4096)
def terms(text: str) -> tuple[str, ...]:
    """The meaningful words of a text, canonicalised, in order, without repeats."""
    simple = _REPLACE.sub(lambda m: _REPLACEMENTS[m.group(0)], simplify(text))
    seen: dict[str, None] = {}
    for word in simple.split():
        if word not in _STOP_WORDS:
            seen.setdefault(_stem(word), None)
    return tuple(seen)


def phrasing_key(text: str) -> str:
    """What the matcher sees of a phrasing, order-free: equal keys cannot be told apart."""
    return " ".join(sorted(terms(text)))


QUESTION_WORDS = frozenset({"who", "what", "when", "where", "why", "how"})

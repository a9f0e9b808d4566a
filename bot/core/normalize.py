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
    # places, people and groups
    "usa": ("united states of america", "united states", "the states", "u s a", "u s",
            "us government", "american government", "america", "american", "americans",
            "washington", "usa", "us", "yanks", "state department", "state dept"),
    "soviet": ("soviet union", "ussr", "u s s r", "soviets", "soviet", "russia", "russian",
               "russians", "moscow", "kremlin"),
    "china": ("peoples republic of china", "beijing", "chinese", "prc", "peking"),
    "khmer rouge": ("khmer rogue", "khmer rouges", "khmers rouges", "khmer rough",
                    "khmerrouge", "kr", "k r", "pol pot regime", "pol pots regime",
                    "pol pot s regime", "movement", "the movement", "pol pots movement",
                    "pol pot movement"),
    "pol pot": ("polpot", "pol pots", "pol pott", "paul pot", "pol pat"),
    "ta mok": ("tamok", "ta mock"),
    "ieng sary": ("iengsary", "ieng sari"),
    "nuon chea": ("nuonchea", "noun chea"),
    "vietnam": ("vietnamese", "viet nam", "hanoi", "viet"),
    "thailand": ("thai", "thais", "siam"),
    "cambodia": ("cambodian", "cambodians", "kampuchea", "kampuchean", "khmer people"),
    "wikileaks": ("wiki leaks", "wikileak", "wiki leak"),
    "eagleburger": ("eagle burger", "eagleburgers"),
    "un": ("united nations", "u n", "un backed"),
    "cold war": ("coldwar",),
    "1980s": ("eighties", "80s", "1980", "the 80", "nineteen eighties"),
    "summary": ("tldr", "tl dr", "tl;dr", "gist", "nutshell", "overview", "summarise",
                "summarize", "summarised", "summarized", "sum up", "summery", "recap",
                "main point", "key points", "eli5", "explain like"),
    # things
    "article": ("story", "news story", "news article", "piece", "report", "news report",
                "news item", "newspaper", "artical", "articel"),
    "headline": ("title", "heading", "headlined", "titled"),
    "cable": ("memo", "memorandum", "telegram", "dispatch", "diplomatic cable",
              "diplomatic message", "document", "documents", "doc", "wire", "cables",
              "communique"),
    "govern": ("regime", "regimes", "government", "governments", "administration", "ruled",
               "rule", "ruling", "ran", "run", "running", "in charge", "in power", "govt",
               "gov", "authorities", "leadership of the country", "running the country"),
    "leader": ("leaders", "leadership", "figures", "figure", "officials", "cadres",
               "commanders", "bosses", "chiefs", "top brass", "top job", "head", "boss",
               "chief", "in charge of the movement", "led", "lead", "leads", "leading"),
    "tie": ("ties", "tied", "links", "linked", "link", "connection", "connections",
            "connected", "relationship", "relationships", "relations", "friends", "friendly",
            "close to", "bond", "bonds"),
    "role": ("roles", "job", "position", "post", "rank", "impact",
             "effect", "affect", "affected", "influence", "involvement", "involved"),
    "goal": ("goals", "aim", "aims", "aimed", "objective", "objectives", "achieve",
             "accomplish", "intention", "intended", "plan", "plans", "ideology",
             "ideologies", "vision"),
    "peace": ("peaceful", "settlement", "peace deal", "ceasefire", "solution", "resolve",
              "resolution"),
    "aid": ("assistance", "weapons", "arms", "supplies", "military support", "military help",
            "military assistance", "military backing"),
    "military": ("army", "armed forces", "troops", "troop", "soldiers", "soldier", "forces",
                 "fighters"),
    "deputy": ("second in command", "number two", "no 2", "right hand man", "deputies",
               "vice", "lieutenant"),
    "tribunal": ("court", "courts", "tribunals", "war crimes court"),
    "minister": ("ministers",),
    # what happened
    "die": ("died", "dies", "dying", "dead", "death", "deaths", "killed", "kill", "kills",
            "killing", "killings", "murdered", "murder", "murders", "perished", "pass away",
            "passed away", "passes away", "dye", "casualties", "victims", "lives lost",
            "lost their lives", "body count", "genocide", "massacre"),
    "leak": ("leaked", "leaks", "leaking", "published", "publish", "publishing",
             "released", "release", "exposed", "expose", "exposes", "revealed", "reveal",
             "reveals", "disclosed", "disclose", "made public", "came out", "shows", "show",
             "showed"),
    "send": ("sent", "sends", "sender", "wrote", "write", "written", "writer", "author",
             "authored", "drafted", "issued", "originated", "came from", "come from",
             "behind", "produced", "produce", "composed"),
    "want": ("wanted", "wants", "sought", "seek", "seeking", "request", "requested",
             "requests", "urge", "urged", "asked", "demanded", "proposed", "proposal", "hoped",
             "hoping", "hope", "wish", "wished", "pressed", "pressure", "pushed for"),
    "refuge": ("relocate", "relocated", "relocation", "asylum", "exile", "exiled", "shelter",
               "haven", "sanctuary", "take in", "taken in", "took in", "taking in", "harbour",
               "harbor", "move", "moved", "moving", "send away", "house", "host", "accept them",
               "give refuge", "refugee"),
    "support": ("supported", "supports", "supporting", "supporter", "supporters", "backed",
                "backing", "backer", "backers", "back", "helped", "help", "helping",
                "sponsored", "sponsor", "sponsors", "funded", "fund", "funding", "funder",
                "funders", "financed", "allied", "ally", "allies", "armed", "arming", "propped",
                "prop up", "propping up", "propped up", "propping", "on the side of",
                "sided with", "stood behind", "friends of"),
    "oust": ("ousted", "ousting", "overthrew", "overthrown", "overthrow", "toppled",
             "topple", "deposed", "depose", "removed", "kicked out", "pushed out", "kick out",
             "driven from power", "drove from power", "driven out", "drove out", "lost power",
             "losing power", "lose power", "fall from power", "fell from power", "fall", "fell",
             "coup", "took over from", "replaced", "succeeded", "defeated", "end of", "kick",
             "kicked", "out of power", "from power"),
    "withdraw": ("withdrew", "withdrawn", "retreat", "retreated", "fled", "flee", "hide",
                 "hid", "hide out", "hid out", "hideout", "base", "based", "holed up",
                 "hole up", "pull back", "pulled back", "fall back", "fell back", "regroup",
                 "regrouped"),
    "fight": ("fought", "fighting", "fights", "war against", "wage war", "waged war",
              "battle", "battled", "enemy", "enemies", "opponent", "opponents", "at war",
              "insurgency", "guerrilla"),
    "arrest": ("arrested", "captured", "capture", "detained", "detain", "jailed", "jail",
               "custody", "imprisoned", "prison", "caught", "locked up"),
    "trial": ("tried", "trials", "prosecuted", "prosecute", "prosecution", "court case",
              "charged", "stand trial", "face trial", "facing trial", "in the dock",
              "defendant", "defendants", "accused", "trail", "justice"),
    "mention": ("mentioned", "mentions", "named", "listed", "list", "cited", "singled out",
                "single out", "identified", "referred to"),
    "troublesome": ("problem", "problematic", "troubling", "trouble", "issue", "concern",
                    "worry", "unacceptable", "bad"),
    "other": ("else", "besides", "others", "another", "apart from", "as well as"),
    "fate": ("happened to", "happens to", "happen to", "became of", "become of", "becomes of",
             "what happened with", "ended up", "end up", "fate of"),
    "then": ("back then", "back in", "back when", "way back", "at the time"),
    "accept": ("accepted", "accepting", "agree", "agreed", "agreeing", "taken up", "take up",
               "took up", "acted on", "act on", "go along", "went along", "gone along",
               "comply", "complied", "said yes", "say yes", "granted", "follow through",
               "followed through", "refuse", "refused", "reject", "rejected", "turned down",
               "turn down", "declined", "ignored"),
    "raise": ("raised", "bring up", "brought up", "take it up", "put to", "pass on",
              "passed on", "deliver", "delivered", "convey", "conveyed", "talking points",
              "talking point", "embassy staff", "diplomats", "embassy"),
    "other trial": ("co defendant", "co defendants", "codefendant", "codefendants",
                    "co accused"),
    # question words
    "why": ("reason", "reasons", "purpose", "motive", "cause", "caused", "how come",
            "what for", "wherefore"),
    "where": ("place", "location", "whereabouts", "region", "area", "were did", "wher"),
    "when": ("what year", "which year", "what date", "which date", "what time", "date", "year",
             "day", "how long ago", "wen", "whn"),
    "who": ("whom", "whose", "which person", "what person", "which people", "person", "hu"),
    "what": ("which", "whats", "wat", "wht", "wut"),
    "quantity": ("how many", "how much", "number of", "toll", "count", "figure for", "total",
                 "howmany", "how many people", "how many ppl", "numbers", "number",
                 "estimate", "estimates"),
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
quick question questions ask asking wondering wonder curious idea any some all wait
now currently today anything something everything whole big little lot lots
im ive id youre dont doesnt didnt isnt wasnt werent teh th ppl people folks guy
into onto out up down over under again further once only own same such
get got gets getting make made makes let lets
happen happened happens happening became become becomes thing things stuff bit kind sort type
along off way ways well much many more most
do does wanna gonna gotta need needs remind recall remember
s t d ll m re ve
""".split())

QUESTION_WORDS = frozenset({"who", "what", "when", "where", "why", "how", "quantity"})

# Everyday words that are not stop words (they can carry meaning when a phrasing uses them) but
# say little about which fact is asked when the knowledge base does not know them: "could you
# basically sum up in a couple of lines". A question full of them is chatty, not off-topic, so
# they weigh little (see ``Tuning.common_weight``). Topic words ("born", "verdict", "wife") are
# deliberately absent: a question about something the article never mentions must score low.
COMMON_WORDS = frozenset("""
able above across actual add again ago all almost alone already although always among amount
another answer anybody anymore anyway appear around aside away awhile back bad basic before
begin behind believe below beside best better between beyond big bit both bother break bring
broad brief call came care case catch certain chance change check clear close come comes coming
complete concern confused consider continue correct couple course curious current day days deal
definitely detail different done down during each early easy either else end enough entire
especially even ever every everybody everyone exact example fact fair fairly familiar far fast
feel felt few figure final finally find fine first follow form forward found free full further
game gave general give given giving glad go goes going gone good got great group guess half
hand hard hear heard hearing help here high hold home honest hour however huge idea important
include indeed instead interest interested keep kept kid kind knew know knowledge known last
late later latest least leave left less lets level life line lines little live long look looked
looking lot lots main major make man many matter maybe mean meant mention mentioned mind minute
moment more most mostly move much must name near nearly need never new next nice nobody none
normal nothing notice number often okay old once only open order original originally other
others otherwise overall page part particular pass past perhaps person picture piece place
plain play plus point possible pretty probably problem properly pull put question quick quickly
quite rather read reading ready real really reason recent recently regard related remind
remember right roughly run said same saw say saying see seeing seem seemed seems seen sense
serious set several short show shown side simple simply since small some somebody something
sometime somewhat soon sort sound sounds specific specifically start started still story
straight sudden suddenly summary sum supposed sure take talk talking tell term terms text than
thank thanks thing things think thinking though thought through time times title today told
top total totally toward true truly try trying turn type typical under understand unless until
upon use used using usual usually various very view want way ways week well went whatever
whether while whole wide will wish within without word words work world worth would write
wrong year years yes yet young essay homework class school assignment project teacher
bibliography cite citing citation research study studying exam quiz professor student
students university college lecture notes skimmed skim post posts posted
""".split())

_TOKEN = re.compile(r"[^\W\d_][^\W_]*|\d+(?:[.,]\d+)*[^\W_]*")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)")
_APOSTROPHE = re.compile(r"'")


def _build_phrase_table() -> tuple[dict[tuple[str, ...], tuple[str, ...]], dict[str, int]]:
    """Variant word sequences → canonical words, and the longest variant per first word."""
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    longest: dict[str, int] = {}
    for canonical, variants in _PHRASES.items():
        for variant in variants:
            words = tuple(simplify(variant).split())
            table[words] = tuple(canonical.split())
            longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return table, longest


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


def simplify(text: str) -> str:
    """Lowercase, accent-free, apostrophe-free text with punctuation turned into spaces."""
    text = fold(text).casefold()
    if not text.isascii():  # strip accents: café → cafe
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    text = _POSSESSIVE.sub("", text)
    text = text.replace("n't", " not")
    text = _APOSTROPHE.sub("", text)
    return " ".join(_TOKEN.findall(text))


def _canonical(words: list[str]) -> list[str]:
    """Replace known variants by their canonical words, longest variant first."""
    out: list[str] = []
    i, count = 0, len(words)
    while i < count:
        for size in range(min(_LONGEST.get(words[i], 0), count - i), 0, -1):
            replacement = _PHRASE_TABLE.get(tuple(words[i : i + size]))
            if replacement is not None:
                out.extend(replacement)
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


_PHRASE_TABLE, _LONGEST = _build_phrase_table()


@lru_cache(maxsize=4096)
def terms(text: str) -> tuple[str, ...]:
    """The meaningful words of a text, canonicalised, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _canonical(simplify(text).split()):
        if word not in _STOP_WORDS:
            seen.setdefault(stem(word), None)
    return tuple(seen)


def phrasing_key(text: str) -> str:
    """What the matcher sees of a phrasing, order-free: equal keys cannot be told apart."""
    return " ".join(sorted(terms(text)))


# COMMON_WORDS as ``terms`` returns them (stemmed), for the matcher's weights.
COMMON_TERMS = frozenset(stem(word) for word in COMMON_WORDS)

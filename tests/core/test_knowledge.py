"""bot.core.kb_reading, validation and kb_writing: reading, validating, writing qa.yaml and
checking citations."""

import dataclasses
import textwrap
from pathlib import Path

import pytest

from bot.core.article import Article
from bot.core.errors import KnowledgeError, Problem
from bot.core.kb_reading import parse_knowledge, read_knowledge
from bot.core.kb_writing import dump_knowledge
from bot.core.knowledge import Citation, Entry, KnowledgeBase
from bot.core.safeyaml import MAX_YAML_BYTES
from bot.core.text import fold
from bot.core.validation import citation_problem, uncited_sentences

FILENAME = "qa.yaml"

# Two valid entries; each test changes one thing and looks for the problem at its line.
VALID = """\
# A header comment.
version: 1
entries:
  - id: cable-sender
    question: Who sent the cable?
    alternates:
      - Whose office did the cable come from?
    answer: The office of Lawrence Eagleburger.
    citations:
      - paragraph: 5
        quote: The September 1989 cable came from the office of then deputy secretary of state Lawrence Eagleburger.
  - id: pol-pot-death
    question: When did Pol Pot die?
    answer: In 1998, on the Thai-Cambodian border.
    citations:
      - paragraph: 10
        quote: Pol Pot died in 1998 on the Thai-Cambodian border
    revision: 3
"""  # noqa: E501 - a quote is one line in qa.yaml


def line_with(text: str, marker: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding ``marker`` (its n-th occurrence)."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    return lines[occurrence - 1]


def problems_in(text: str, article: Article) -> list[Problem]:
    with pytest.raises(KnowledgeError) as info:
        parse_knowledge(text, article, FILENAME)
    assert info.value.problems, "a KnowledgeError must list its problems"
    return info.value.problems


def single_problem(text: str, article: Article) -> Problem:
    problems = problems_in(text, article)
    assert len(problems) == 1, problems
    return problems[0]


def with_entry(extra: str) -> str:
    """VALID with one more entry appended (``extra`` is the entry's YAML, unindented)."""
    return VALID + textwrap.indent(textwrap.dedent(extra), "  ")


# --- valid files ---------------------------------------------------------------------------------


def test_valid_file_parses(article: Article) -> None:
    text = VALID.replace("revision: 3", "revision: 3\n    related: [cable-sender]")
    kb = parse_knowledge(text, article, FILENAME)
    assert [e.id for e in kb.entries] == ["cable-sender", "pol-pot-death"]
    sender = kb.by_id["cable-sender"]
    assert sender.phrasings == ("Who sent the cable?", "Whose office did the cable come from?")
    assert sender.citations[0].paragraph == 5
    assert kb.by_id["pol-pot-death"].related == ("cable-sender",)
    assert sender.revision == 1
    assert kb.by_id["pol-pot-death"].revision == 3
    assert kb.header == "# A header comment."


def test_real_knowledge_base_loads(kb: KnowledgeBase) -> None:
    assert len(kb.entries) >= 20
    assert len(kb.by_id) == len(kb.entries)


def test_wrapped_text_is_folded_to_one_line(article: Article) -> None:
    text = VALID.replace("answer: In 1998, on the Thai-Cambodian border.",
                         "answer: >\n      In 1998,\n      on the Thai-Cambodian   border.")
    kb = parse_knowledge(text, article, FILENAME)
    assert kb.by_id["pol-pot-death"].answer == "In 1998, on the Thai-Cambodian border."


# --- one test per validation error ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("- a\n- b\n", 1, "must be a mapping"),
        ("just text\n", 1, "must be a mapping"),
        ("", 1, "must be a mapping"),
        ("# comment\n\n[1, 2]\n", 3, "must be a mapping"),
    ],
)
def test_file_not_a_mapping(article: Article, text: str, line: int, fragment: str) -> None:
    problem = single_problem(text, article)
    assert problem.line == line
    assert fragment in problem.message


def test_missing_entries(article: Article) -> None:
    problem = single_problem("# header\nversion: 1\n", article)
    assert problem.line == 2
    assert "entries" in problem.message


def test_entries_not_a_list(article: Article) -> None:
    problem = single_problem("version: 1\nentries:\n  id: x\n", article)
    assert problem.line == 3
    assert "'entries' must be a list" in problem.message


def test_unknown_top_level_key(article: Article) -> None:
    text = VALID.replace("version: 1\n", "version: 1\nauthor: someone\n")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "author:")
    assert "unknown top-level key 'author'" in problem.message


def test_unsupported_version(article: Article) -> None:
    text = VALID.replace("version: 1", "version: 2")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "version: 2")
    assert "version" in problem.message


def test_unknown_entry_key(article: Article) -> None:
    text = VALID.replace("    revision: 3\n", "    revision: 3\n    anwser: typo\n")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "anwser:")
    assert "unknown key 'anwser'" in problem.message


def test_key_twice_in_an_entry(article: Article) -> None:
    text = VALID.replace("    revision: 3\n", "    revision: 3\n    answer: Again.\n")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "answer: Again.")
    assert "'answer' appears twice" in problem.message


@pytest.mark.parametrize("key", ["id", "question", "answer", "citations"])
def test_missing_required_key(article: Article, key: str) -> None:
    parts = {
        "id": "id: ta-mok-fate",
        "question": "question: Where did Ta Mok die?",
        "answer": "answer: In custody.",
        "citations": "citations:\n  - paragraph: 11\n    quote: died in custody in 2006",
    }
    del parts[key]
    text = with_entry("- " + textwrap.indent("\n".join(parts.values()), "  ")[2:] + "\n")
    problem = single_problem(text, article)
    first_line = next(iter(parts.values())).splitlines()[0]
    assert problem.line == line_with(text, f"  - {first_line}")
    assert f"missing {key!r}" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("answer: In 1998, on the Thai-Cambodian border.", 'answer: ""', "answer is empty"),
        ("answer: In 1998, on the Thai-Cambodian border.", "answer:", "answer is empty"),
        ("answer: In 1998, on the Thai-Cambodian border.", "answer: '   '", "answer is empty"),
        ("question: When did Pol Pot die?", "question: ''", "question is empty"),
        ("question: When did Pol Pot die?", "question: ~", "question is empty"),
        ("question: When did Pol Pot die?", "question: [a, b]", "question must be text"),
        ("answer: In 1998, on the Thai-Cambodian border.", "answer: " + "x" * 1501,
         "the limit is 1500"),
    ],
)
def test_bad_text_value(article: Article, old: str, new: str, fragment: str) -> None:
    text = VALID.replace(old, new)
    problem = single_problem(text, article)
    assert problem.line == line_with(text, new.split(":", maxsplit=1)[0] + ":", occurrence=2)
    assert fragment in problem.message


@pytest.mark.parametrize(
    "bad_id",
    ["Pol-Pot-Death", "pol_pot_death", "pol pot death", "-pol-pot", "pol--pot", "pol-pot-",
     "pölpot", "'123!'"],
)
def test_bad_id_pattern(article: Article, bad_id: str) -> None:
    text = VALID.replace("id: pol-pot-death", f"id: {bad_id}")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, f"id: {bad_id}")
    assert "lowercase letters, digits and dashes" in problem.message


def test_duplicate_id(article: Article) -> None:
    text = with_entry("""\
        - id: cable-sender
          question: Where did Ta Mok die?
          answer: In custody.
          citations:
            - paragraph: 11
              quote: died in custody in 2006
        """)
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "id: cable-sender", occurrence=2)
    assert "duplicate id 'cable-sender'" in problem.message
    assert f"first at line {line_with(text, 'id: cable-sender')}" in problem.message


@pytest.mark.parametrize(
    "phrasing",
    ["Who sent the cable?", "WHO SENT THE CABLE!!!", "who... sent -- the cable",
     "the cable, who sent it?", "Whose office did the cable come from"],
)
def test_same_phrasing_under_two_entries(article: Article, phrasing: str) -> None:
    text = with_entry(f"""\
        - id: ta-mok-fate
          question: Where did Ta Mok die?
          alternates:
            - "{phrasing}"
          answer: In custody.
          citations:
            - paragraph: 11
              quote: died in custody in 2006
        """)
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "id: ta-mok-fate")
    assert "matches the same words as" in problem.message
    assert "'cable-sender'" in problem.message


def test_same_phrasing_twice_in_one_entry_is_allowed(article: Article) -> None:
    text = VALID.replace("      - Whose office did the cable come from?\n",
                         "      - Whose office did the cable come from?\n"
                         "      - whose office did the cable come from\n")
    assert len(parse_knowledge(text, article, FILENAME).entries) == 2


def test_phrasing_without_words(article: Article) -> None:
    text = VALID.replace("      - Whose office did the cable come from?\n",
                         "      - The?\n")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "id: cable-sender")
    assert "no words to match on" in problem.message


@pytest.mark.parametrize("paragraph", ["13", "99", "-1"])
def test_paragraph_out_of_range(article: Article, paragraph: str) -> None:
    text = VALID.replace("paragraph: 10", f"paragraph: {paragraph}")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, f"paragraph: {paragraph}")
    assert "out of range" in problem.message
    assert f"0–{len(article.paragraphs)}" in problem.message


@pytest.mark.parametrize("paragraph", ["five", "5.0", "'5'", "true", "[5]"])
def test_paragraph_not_a_whole_number(article: Article, paragraph: str) -> None:
    text = VALID.replace("paragraph: 5", f"paragraph: {paragraph}")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, f"paragraph: {paragraph}")
    assert "whole number" in problem.message


@pytest.mark.parametrize("paragraph", ["05", "!!int five", "1:30"])
def test_odd_integer_spellings_are_accepted_or_reported(article: Article,
                                                        paragraph: str) -> None:
    """YAML 1.1 tags these as integers but Python's int(x, 0) cannot read them: either they are
    read as a number or reported at their line; they must never escape as a ValueError."""
    text = VALID.replace("paragraph: 5", f"paragraph: {paragraph}")
    try:
        kb = parse_knowledge(text, article, FILENAME)
    except KnowledgeError as error:
        assert [p.line for p in error.problems] == [line_with(text, f"paragraph: {paragraph}")]
    else:
        assert kb.by_id["cable-sender"].citations[0].paragraph == 5


def test_quote_not_verbatim(article: Article) -> None:
    text = VALID.replace("Pol Pot died in 1998", "Pol Pot passed away in 1998")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "passed away")
    assert "quote not found verbatim in paragraph 10" in problem.message


def test_quote_in_another_paragraph_gives_a_hint(article: Article) -> None:
    text = VALID.replace("paragraph: 10", "paragraph: 9")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "quote: Pol Pot died")
    assert "not found in paragraph 9; it is in paragraph 10" in problem.message


@pytest.mark.parametrize(
    ("citation", "fragment"),
    [
        ("- paragraph: 10\n", "needs both 'paragraph' and 'quote'"),
        ("- quote: Pol Pot died in 1998\n", "needs both 'paragraph' and 'quote'"),
        ("- Pol Pot died in 1998\n", "each citation must be a mapping"),
    ],
)
def test_citation_incomplete(article: Article, citation: str, fragment: str) -> None:
    text = VALID.replace(
        "      - paragraph: 10\n        quote: Pol Pot died in 1998 on the Thai-Cambodian border\n",
        "      " + citation)
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "      " + citation.strip())
    assert fragment in problem.message


@pytest.mark.parametrize("citations", ["citations: []", "citations:", "citations: text"])
def test_citations_empty_or_not_a_list(article: Article, citations: str) -> None:
    text = VALID.replace(
        "    citations:\n      - paragraph: 10\n"
        "        quote: Pol Pot died in 1998 on the Thai-Cambodian border\n",
        f"    {citations}\n")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "citations:", occurrence=2)
    assert "citations must be a non-empty list" in problem.message


def test_unknown_citation_key(article: Article) -> None:
    text = VALID.replace("        quote: Pol Pot died",
                         "        page: 3\n        quote: Pol Pot died")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "page: 3")
    assert "unknown citation key 'page'" in problem.message


@pytest.mark.parametrize(
    ("revision", "fragment"),
    [("0", "1 or more"), ("-2", "1 or more"), ("two", "whole number"), ("1.5", "whole number"),
     ("''", "whole number")],
)
def test_revision_not_a_positive_integer(article: Article, revision: str, fragment: str) -> None:
    text = VALID.replace("revision: 3", f"revision: {revision}")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "revision:")
    assert fragment in problem.message


def test_related_entry_does_not_exist(article: Article) -> None:
    text = VALID.replace("revision: 3", "revision: 3\n    related: [pol-pot-birth]")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "id: pol-pot-death")
    assert "related entry 'pol-pot-birth' does not exist" in problem.message


def test_related_entry_is_itself(article: Article) -> None:
    text = VALID.replace("revision: 3", "revision: 3\n    related: [pol-pot-death]")
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "id: pol-pot-death")
    assert "lists itself as related" in problem.message


def test_invalid_entry_is_not_reported_missing_by_its_relations(article: Article) -> None:
    """An entry with a problem is still an entry: relating to it is not a second problem."""
    text = (VALID.replace("revision: 3", "revision: 0")
            .replace("    citations:\n      - paragraph: 5",
                     "    related: [pol-pot-death]\n    citations:\n      - paragraph: 5"))
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "revision: 0")


def test_entry_not_a_mapping(article: Article) -> None:
    text = VALID + "  - just a string\n"
    problem = single_problem(text, article)
    assert problem.line == line_with(text, "just a string")
    assert "each entry must be a mapping" in problem.message


def test_yaml_syntax_error_is_a_problem_with_its_line(article: Article) -> None:
    text = VALID.replace("revision: 3", "revision: 3\n    related: [cable-sender")
    problem = single_problem(text, article)
    assert problem.line >= line_with(text, "related:")
    assert problem.message.startswith("invalid YAML")


def test_alias_is_a_problem(article: Article) -> None:
    text = VALID.replace("answer: In 1998,", "answer: &a In 1998,").replace(
        "revision: 3", "revision: 3\n    updated_by: *a")
    assert "alias" in single_problem(text, article).message


# --- several problems ----------------------------------------------------------------------------


def test_all_problems_reported_together_sorted_by_line(article: Article) -> None:
    text = (VALID.replace("revision: 3", "revision: 0")
            .replace("id: cable-sender", "id: Cable_Sender")
            .replace("paragraph: 10", "paragraph: 40")
            .replace("version: 1\n", "version: 1\nextra: 1\n"))
    problems = problems_in(text, article)
    lines = [p.line for p in problems]
    assert lines == sorted(lines)
    assert set(lines) >= {line_with(text, "extra:"), line_with(text, "id: Cable_Sender"),
                          line_with(text, "paragraph: 40"), line_with(text, "revision: 0")}


def test_error_message_is_one_file_line_message_per_problem(article: Article) -> None:
    text = VALID.replace("revision: 3", "revision: 0").replace("id: cable-sender", "id: X")
    with pytest.raises(KnowledgeError) as info:
        parse_knowledge(text, article, "knowledge/qa.yaml")
    lines = str(info.value).splitlines()
    assert lines == [p.format("knowledge/qa.yaml") for p in info.value.problems]
    assert all(line.startswith("knowledge/qa.yaml:") for line in lines)
    assert len(lines) == 2


# --- citations: verbatim after folding -----------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "quote"),
    [
        (1, "a number of ‘unacceptable’ senior Khmer Rouge leaders"),  # curly for straight
        (1, "a number of 'unacceptable' senior Khmer Rouge leaders"),
        (1, "Washington wanted <u>China</u> to take in"),  # markup as in the file
        (1, "Washington wanted China to take in"),
        (1, "Washington   wanted\n  China to\ttake in"),  # whitespace runs
        (10, "Pol Pot died in 1998 on the Thai–Cambodian border"),  # en dash for hyphen
        (0, "Leaked cable shows US sought China refuge for Pol Pot"),  # the title line
        (1, "Phnom Penh - A US State Department cable"),  # the dateline is in paragraph 1
    ],
)
def test_quote_is_verbatim_after_folding(article: Article, paragraph: int, quote: str) -> None:
    assert citation_problem(article, Citation(paragraph, quote)) is None


@pytest.mark.parametrize(
    ("paragraph", "quote"),
    [
        (1, "washington wanted china to take in"),  # case matters
        (1, "Washington wanted Beijing to take in"),
        (1, "Washington wanted China to take in. It followed"),  # runs past the paragraph
        (5, "The September 1989 cable came from the office of Lawrence Eagleburger."),
    ],
)
def test_quote_that_is_not_the_article(article: Article, paragraph: int, quote: str) -> None:
    assert citation_problem(article, Citation(paragraph, quote)) is not None


def test_curly_quote_in_yaml_is_accepted(article: Article) -> None:
    text = VALID.replace(
        "quote: Pol Pot died in 1998 on the Thai-Cambodian border",
        "quote: ‘unacceptable Khmer Rouge leaders’ was not taken up")
    kb = parse_knowledge(text, article, FILENAME)
    assert kb.by_id["pol-pot-death"].citations[0].quote.startswith("‘unacceptable")


def test_real_citations_are_verbatim(kb: KnowledgeBase) -> None:
    for entry in kb.entries:
        for citation in entry.citations:
            paragraph = kb.article.paragraph(citation.paragraph)
            assert fold(citation.quote) in paragraph.folded, (entry.id, citation)


# --- writing: dump → parse round-trip ------------------------------------------------------------


def test_real_knowledge_base_round_trips(kb: KnowledgeBase) -> None:
    again = parse_knowledge(dump_knowledge(kb), kb.article, FILENAME, kb.normalizer)
    assert again.entries == kb.entries
    assert again.header == kb.header


def test_round_trip_keeps_the_header_comment(article: Article) -> None:
    kb = parse_knowledge(VALID, article, FILENAME)
    text = dump_knowledge(kb)
    assert text.startswith("# A header comment.\n")
    assert parse_knowledge(text, article, FILENAME) == kb


@pytest.mark.parametrize(
    "awkward",
    ["yes", "null", "~", "- a dash", "key: value", "# not a comment", "'single'", '"double"',
     "x" * 250, "@at", "`tick", "%percent", "a #b", "1989", "3.5", "[a, b]", "{a: b}", "!tag",
     "&anchor", "*alias", "? question", "| pipe", "> folded", "ends with colon:",
     "ünïcödé “curly” ‘quotes’ — and dashes", "emoji 🙂 text", "back\\slash"],
)
def test_awkward_text_round_trips(article: Article, awkward: str) -> None:
    entry = Entry(
        id="awkward",
        question=f"Odd question {awkward}",
        answer=awkward,
        citations=(Citation(5, "The September 1989 cable came from the office"),),
        alternates=(f"zzz {awkward}",),
        yes_to=(f"yyy {awkward}",),
        tags=("tag-one",),
        revision=7,
    )
    kb = KnowledgeBase(article=article, entries=(entry,))
    assert parse_knowledge(dump_knowledge(kb), article, FILENAME).entries == (entry,)


# --- coverage ------------------------------------------------------------------------------------


def test_real_knowledge_base_cites_every_sentence(kb: KnowledgeBase) -> None:
    assert uncited_sentences(kb) == []


@pytest.mark.parametrize("number", [0, 3, 7, 10, 12])
def test_removing_a_paragraphs_citations_reports_its_sentences(kb: KnowledgeBase,
                                                               number: int) -> None:
    kept = [e for e in kb.entries if all(c.paragraph != number for c in e.citations)]
    assert len(kept) < len(kb.entries)
    uncited = uncited_sentences(kb.with_entries(kept))
    paragraph = kb.article.paragraph(number)
    assert [(n, s) for n, s in uncited if n == number] == [
        (number, sentence) for sentence in paragraph.sentences]


def test_a_short_quote_does_not_cover_a_long_sentence(article: Article) -> None:
    entry = Entry("p7", "How many died?", "Up to 2.2 million.",
                  (Citation(7, "2.2 million people"),))
    uncited = uncited_sentences(KnowledgeBase(article=article, entries=(entry,)))
    assert (7, article.paragraph(7).sentences[0]) in uncited


# --- reading files -------------------------------------------------------------------------------


def test_read_knowledge_missing_file(tmp_path: Path, article: Article) -> None:
    path = tmp_path / "qa.yaml"
    with pytest.raises(KnowledgeError, match="does not exist") as info:
        read_knowledge(path, article)
    assert str(info.value).startswith(f"{path}:")


def test_read_knowledge_not_utf8(tmp_path: Path, article: Article) -> None:
    path = tmp_path / "qa.yaml"
    path.write_bytes(VALID.encode("utf-8").replace(b"Who sent", b"Who \xff sent"))
    with pytest.raises(KnowledgeError, match="not UTF-8") as info:
        read_knowledge(path, article)
    assert str(info.value).startswith(f"{path}:")


def test_read_knowledge_oversize_file(tmp_path: Path, article: Article) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text(VALID + "#" * (MAX_YAML_BYTES + 1) + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="limit") as info:
        read_knowledge(path, article)
    assert str(info.value).startswith(f"{path}:")


def test_read_knowledge_reports_problems_with_the_path(tmp_path: Path, article: Article) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text(VALID.replace("revision: 3", "revision: 0"), encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        read_knowledge(path, article)
    assert info.value.filename == str(path)


def test_read_knowledge_valid_file(tmp_path: Path, article: Article) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert read_knowledge(path, article) == parse_knowledge(VALID, article, FILENAME)


def test_knowledge_base_is_immutable(kb: KnowledgeBase) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.entries = ()  # type: ignore[misc]


def test_round_trip_keeps_comments_above_entries(kb: KnowledgeBase) -> None:
    assert kb.comments, "the shipped qa.yaml has section comments"
    text = dump_knowledge(kb)
    for comment in kb.comments.values():
        assert comment in text
    again = parse_knowledge(text, kb.article, "qa.yaml", kb.normalizer)
    assert again.comments == kb.comments and again.entries == kb.entries


# --- clearer messages --------------------------------------------------------------------------


def test_a_quote_that_is_not_verbatim_names_the_first_word_that_differs(article: Article) -> None:
    text = VALID.replace("Lawrence Eagleburger.\n  - id: pol-pot-death",
                         "Lawrence Eaglebuger.\n  - id: pol-pot-death", 1)
    [problem] = problems_in(text, article)
    assert problem.message.endswith("after “of state Lawrence” it has “Eaglebuger.” (the article "
                                    "has “Eagleburger.”)")


@pytest.mark.parametrize("extra", ["        - who sent it\n", "        who: sent it\n"])
def test_a_line_indented_too_far_is_said_so(article: Article, extra: str) -> None:
    text = VALID.replace("      - Whose office did the cable come from?\n",
                         "      - Whose office did the cable come from?\n" + extra, 1)
    [problem] = problems_in(text, article)
    assert "indented too far" in problem.message
    assert problem.line in (text.splitlines().index(extra.rstrip("\n")) + 1,
                            text.splitlines().index(extra.rstrip("\n")))

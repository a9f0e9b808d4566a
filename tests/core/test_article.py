"""bot.core.article: the article file → headline, date, dateline, paragraphs, sentences."""

from pathlib import Path

import pytest

from bot.core.article import Article, load_article, parse_article, split_sentences
from bot.core.errors import ArticleError
from bot.core.text import strip_markup

# Another article in the same form as knowledge/article.txt, to keep the parser general.
OTHER_ARTICLE = """\
Volcano erupts near fishing village as residents flee March 14, 2019

Reykjavik - A volcano erupted on Tuesday near the village of Grindavik,
sending 3.5 million tonnes of ash into the sky. Officials said nobody was hurt.

"We left in the middle of the night," one resident said. The <u>coast guard</u> helped.

The eruption ended two days later.
"""


# --- the real article --------------------------------------------------------------------------


def test_real_article_headline(article: Article) -> None:
    assert article.headline == "Leaked cable shows US sought China refuge for Pol Pot"


def test_real_article_date(article: Article) -> None:
    assert article.date == "September 5, 2011"


def test_real_article_dateline(article: Article) -> None:
    assert article.dateline == "Phnom Penh"


def test_real_article_has_twelve_body_paragraphs_numbered_from_one(article: Article) -> None:
    assert [p.number for p in article.paragraphs] == list(range(1, 13))


def test_paragraph_zero_is_the_title_line(article: Article) -> None:
    title = article.paragraph(0)
    assert title.number == 0
    assert title.text.startswith(article.headline)
    assert title.text.endswith(article.date)


@pytest.mark.parametrize("number", [-1, 13, 100])
def test_paragraph_out_of_range_raises_index_error(article: Article, number: int) -> None:
    with pytest.raises(IndexError):
        article.paragraph(number)


def test_large_numbers_do_not_split_a_sentence(article: Article) -> None:
    sentences = article.paragraph(7).sentences
    assert len(sentences) == 1
    assert "1.7 million and 2.2 million" in sentences[0]


@pytest.mark.parametrize(
    ("number", "count"),
    [(1, 1), (5, 1), (8, 2), (10, 2), (12, 1)],
)
def test_real_paragraph_sentence_counts(article: Article, number: int, count: int) -> None:
    assert len(article.paragraph(number).sentences) == count


def test_sentences_rebuild_their_paragraph(article: Article) -> None:
    for paragraph in article.paragraphs[1:]:
        assert " ".join(paragraph.sentences) == paragraph.text


def test_markup_is_removed(article: Article) -> None:
    for paragraph in article.all_paragraphs:
        assert "<" not in paragraph.text and ">" not in paragraph.text
    assert "wanted China to take in" in article.paragraph(1).text
    assert "China, Thailand and Western nations" in article.paragraph(8).text


def test_dateline_opens_paragraph_one_but_not_its_first_sentence(article: Article) -> None:
    first = article.paragraph(1)
    assert first.text.startswith("Phnom Penh - ")
    assert first.sentences[0].startswith("A US State Department cable")


def test_paragraph_lines_point_at_the_file(article: Article, knowledge_dir: Path) -> None:
    lines = (knowledge_dir / "article.txt").read_text(encoding="utf-8").splitlines()
    for paragraph in article.all_paragraphs:
        assert strip_markup(lines[paragraph.line - 1]).startswith(paragraph.text[:30])


# --- sentence splitting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ("One.", "Two.")),
        ("Is it? Yes! No.", ("Is it?", "Yes!", "No.")),
        ("It cost 1.5 billion. Then 2.2 million left.", ("It cost 1.5 billion.",
                                                          "Then 2.2 million left.")),
        ("The U.N. said so.", ("The U.N. said so.",)),
        ("He said 'stop.' Then he left.", ("He said 'stop.'", "Then he left.")),
        ("It ended in 1979. 1980 began.", ("It ended in 1979.", "1980 began.")),
        ("no capital. after it", ("no capital. after it",)),
        ("", ()),
    ],
)
def test_split_sentences(text: str, expected: tuple[str, ...]) -> None:
    assert split_sentences(text) == expected


# --- another article in the same form ------------------------------------------------------------


@pytest.fixture(scope="module")
def other() -> Article:
    return parse_article(OTHER_ARTICLE)


def test_other_article_parts(other: Article) -> None:
    assert other.headline == "Volcano erupts near fishing village as residents flee"
    assert other.date == "March 14, 2019"
    assert other.dateline == "Reykjavik"
    assert len(other.paragraphs) == 3


def test_other_article_joins_wrapped_lines_and_splits_sentences(other: Article) -> None:
    assert other.paragraph(1).sentences == (
        "A volcano erupted on Tuesday near the village of Grindavik, sending 3.5 million tonnes "
        "of ash into the sky.",
        "Officials said nobody was hurt.",
    )


def test_other_article_markup_removed(other: Article) -> None:
    assert other.paragraph(2).sentences[1] == "The coast guard helped."


def test_other_article_paragraph_lines(other: Article) -> None:
    assert [p.line for p in other.all_paragraphs] == [1, 3, 6, 8]


def test_windows_line_endings_parse_the_same(other: Article) -> None:
    crlf = parse_article(OTHER_ARTICLE.replace("\n", "\r\n"))
    assert crlf.paragraphs == other.paragraphs
    assert (crlf.headline, crlf.date, crlf.dateline) == (other.headline, other.date,
                                                         other.dateline)


@pytest.mark.parametrize(
    "dateline",
    ["London", "NEW YORK", "Rio de Janeiro", "São Paulo", "Paris (AFP)", "Port-au-Prince",
     "Winston-Salem"],
)
def test_datelines(dateline: str) -> None:
    parsed = parse_article(f"Something happened somewhere May 1, 2020\n\n{dateline} - It did.\n")
    assert parsed.dateline == dateline
    assert parsed.paragraph(1).sentences == ("It did.",)


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_dateline_dashes(dash: str) -> None:
    parsed = parse_article(f"Something happened May 1, 2020\n\nLondon {dash} It did.\n")
    assert parsed.dateline == "London"


def test_utf8_byte_order_mark_is_ignored(tmp_path: Path, knowledge_dir: Path,
                                         article: Article) -> None:
    path = tmp_path / "article.txt"
    raw = (knowledge_dir / "article.txt").read_text(encoding="utf-8")
    path.write_text(raw, encoding="utf-8-sig")  # as Windows editors save it
    assert load_article(path).headline == article.headline


# --- errors --------------------------------------------------------------------------------------

_BODY = "\n\nPhnom Penh - Something happened.\n"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"\n\n   \n\t\n", "empty"),
        (b"<u></u>\n\n<br>\n", "empty"),
        (b"A headline without a date" + _BODY.encode(), "date"),
        (b"A headline with a bad date Sept 5 2011" + _BODY.encode(), "date"),
        (b"A headline September 5, 2011\n\nNo dateline in this paragraph.\n", "dateline"),
        (b"A headline September 5, 2011\n", "no body paragraphs"),
        (b"A headline\x00 September 5, 2011" + _BODY.encode(), "NUL"),
        (b"A headline \xff\xfe September 5, 2011" + _BODY.encode(), "UTF-8"),
        ("A headline September 5, 2011".encode("utf-16"), "UTF-8"),
    ],
    ids=["empty", "blank", "markup-only", "no-date", "bad-date", "no-dateline", "title-only",
         "nul", "not-utf8", "utf16"],
)
def test_bad_article_file_names_the_problem(tmp_path: Path, content: bytes,
                                            fragment: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as info:
        load_article(path)
    assert fragment in str(info.value)
    assert str(path) in str(info.value)


def test_missing_article_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "article.txt"
    with pytest.raises(ArticleError, match="does not exist") as info:
        load_article(path)
    assert str(path) in str(info.value)


def test_article_path_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="cannot read"):
        load_article(tmp_path)


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("\n\nNo date here\n\nPhnom Penh - Body.\n", 3),
        ("Headline May 1, 2020\n\n\n\nBody without a dateline.\n", 5),
    ],
)
def test_form_errors_give_the_line(raw: str, line: int) -> None:
    with pytest.raises(ArticleError, match=rf"^article:{line}: "):
        parse_article(raw)

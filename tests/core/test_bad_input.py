"""Hostile and odd questions: the engine and ``ask --json`` never fail and always say something."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.answers import MAX_QUESTION_CHARS, Answer, AnswerEngine, Decision
from bot.core.matcher import Index
from bot.core.render import as_text, status_line

ROOT = Path(__file__).resolve().parents[2]
DECISIONS = {d.value for d in Decision}

ZALGO = "w̷̢̛h̸o̵ ̶s̷e̸n̵t̷ ̵t̶h̸e̷ ̴c̸a̸b̶l̷e̵"

BAD_INPUTS = {
    "empty": "",
    "whitespace": " \t  ",
    "punctuation": "?!.,;:-()[]{}'\"…",
    "long": "who sent the cable " * 527,  # 10,013 characters
    "emoji": "🙂🔥💣🇰🇭",
    "zalgo": ZALGO,
    "nul": "who sent\x00 the cable",
    "ansi": "\x1b[31mwho sent the cable\x1b[0m",
    "carriage-return": "who sent\r the cable\r",
    "bell-and-backspace": "who\x07 sent\x08 the cable",
    "everyone": "@everyone who sent the cable",
    "role-mention": "<@&123> who sent the cable",
    "user-mention": "<@!80351110224678912> who sent the cable",
    "arabic": "من أرسل البرقية؟",
    "hebrew-rtl-marks": "\u202emi shalach et ha-mivrak\u202c",
    "cjk": "谁发送了这份电报？",
    "cyrillic": "кто отправил телеграмму",
    "long-word": "a" * 5_000,
    "long-word-short": "eagleburger" * 40,
    "newlines": "\n" * 200 + "who sent the cable" + "\n" * 200,
    "tabs": "who\tsent\tthe\tcable",
    "lone-bom": "\ufeff",
    "zero-width": "who\u200bsent\u200b the\u200d cable",
    "yaml-ish": "- id: x\n  question: &a *a",
    "html": "<script>alert(1)</script> who sent the cable",
    "markdown": "**who** sent `the` ~~cable~~ ||spoiler||",
    "sql": "'; DROP TABLE entries; --",
    "format-string": "{0} %s %(name)s {question!r}",
    "numbers": "1989 1975 1.7 2.2 2006",
    "private-use": "\ue000\uf8ff",
}


def says_something(answer: Answer, engine: AnswerEngine) -> bool:
    """The person gets words back: an answer, or what the bot could not do and why."""
    shown = as_text(answer, engine.kb.article)
    return bool(shown.strip()) and (answer.answered or answer.partial or bool(
        status_line(answer)))


def json_question_is_clean(data: dict) -> bool:
    return all(c.isprintable() for c in data["question"])


@pytest.mark.parametrize("question", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_engine_gives_a_clear_result(engine: AnswerEngine, question: str) -> None:
    answer = engine.answer(question)
    assert says_something(answer, engine)
    assert 0 <= answer.score <= 100
    assert (answer.answered or answer.partial) == (answer.text is not None)
    data = json.loads(json.dumps(answer.to_json(), ensure_ascii=False))
    assert data["decision"] in DECISIONS
    assert json_question_is_clean(data)
    assert len(data["question"]) <= MAX_QUESTION_CHARS


@pytest.mark.parametrize(
    ("name", "decision"),
    [("empty", Decision.EMPTY), ("whitespace", Decision.EMPTY), ("punctuation", Decision.EMPTY),
     ("emoji", Decision.EMPTY), ("lone-bom", Decision.EMPTY), ("long", Decision.TOO_LONG),
     ("long-word", Decision.TOO_LONG)],
)
def test_specific_decisions(engine: AnswerEngine, name: str, decision: Decision) -> None:
    assert engine.answer(BAD_INPUTS[name]).decision is decision


@pytest.mark.parametrize("name", ["arabic", "cjk", "cyrillic", "sql", "long-word-short"])
def test_foreign_or_junk_text_is_not_answered(engine: AnswerEngine, name: str) -> None:
    assert not engine.answer(BAD_INPUTS[name]).answered


@pytest.mark.parametrize("name", ["newlines", "tabs", "carriage-return"])
def test_whitespace_around_a_real_question_does_not_matter(engine: AnswerEngine,
                                                           name: str) -> None:
    answer = engine.answer(BAD_INPUTS[name])
    assert answer.answered
    assert answer.entry is not None and answer.entry.id == "cable-sender"


# --- properties ----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=st.text())
def test_engine_never_raises(engine: AnswerEngine, question: str) -> None:
    answer = engine.answer(question)
    assert says_something(answer, engine)
    assert 0 <= answer.score <= 100
    assert all(0 <= s.score <= 100 for s in answer.suggestions if s.score is not None)
    json.dumps(answer.to_json(), ensure_ascii=False).encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(["who", "sent", "the", "cable", "pol", "pot", "died",
                                        "china", "khmer", "rouge", "?", "eagleburger", "1989",
                                        "blorp", "wikileaks", "when", "why"]), max_size=12))
def test_engine_scores_in_range_on_article_words(engine: AnswerEngine, words: list[str]) -> None:
    answer = engine.answer(" ".join(words))
    assert 0 <= answer.score <= 100
    assert (answer.answered or answer.partial) == (answer.to_json()["answer"] is not None)


@pytest.fixture(scope="module")
def small_index() -> Index:
    return Index([("sender", "who sent the cable"), ("death", "when did pol pot die"),
                  ("eagle", "who was eagleburger")],
                 contexts=[("sender", "Eagleburger's office sent it in 1989")])


@settings(max_examples=300, deadline=None)
@given(query=st.text(), limit=st.integers(min_value=1, max_value=10))
def test_index_search_never_raises(small_index: Index, query: str, limit: int) -> None:
    found = small_index.search(query, limit=limit)
    assert len(found) <= limit
    assert len({c.key for c in found}) == len(found)
    assert all(0 <= c.score <= 100 for c in found)


# --- the command line: python -m bot ask --json -------------------------------------------------


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["KNOWLEDGE_DIR"] = str(ROOT / "knowledge")
    env.update(extra)
    return env


def ask_json(*args: str, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", *args], cwd=ROOT, env=cli_env(**env),
        input=stdin, capture_output=True, timeout=60, check=False)


def parse_lines(stdout: bytes) -> list[dict]:
    """JSON Lines: split on "\\n" only (str.splitlines would also split on U+2028 and kin)."""
    text = stdout.decode("utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text[:-1].split("\n")]


# Everything that fits on one line of standard input (no line breaks inside).
ONE_LINE = {name: q for name, q in BAD_INPUTS.items()
            if not any(c in q for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")}


def test_cli_stdin_bad_inputs_one_json_line_each() -> None:
    lines = list(ONE_LINE.values())
    result = ask_json("-", stdin=("\n".join(lines) + "\n").encode("utf-8"))
    assert result.returncode == 0, result.stderr.decode()
    out = parse_lines(result.stdout)
    assert len(out) == len(lines)
    for data in out:
        assert data["decision"] in DECISIONS
        assert (data["answered"] or data["decision"] == "partial") == (
            data["answer"] is not None)
        assert json_question_is_clean(data)


@pytest.mark.parametrize(
    "name", ["carriage-return", "newlines", "long", "zalgo", "everyone", "arabic", "emoji"])
def test_cli_argument_bad_input(name: str) -> None:
    result = ask_json(BAD_INPUTS[name])
    assert result.returncode == 0, result.stderr.decode()
    [data] = parse_lines(result.stdout)
    assert data["decision"] in DECISIONS


def test_cli_stdin_invalid_utf8_under_a_strict_locale() -> None:
    """In a UTF-8 locale such as en_US.UTF-8, Python decodes standard input strictly (here
    forced with PYTHONIOENCODING): one bad byte must not cost the other lines their answers."""
    stdin = b"who sent the cable\nwho sent \xff the cable\nwhen did pol pot die\n"
    result = ask_json("-", stdin=stdin, PYTHONIOENCODING="utf-8:strict")
    assert result.returncode == 0, result.stderr.decode()
    out = parse_lines(result.stdout)
    assert len(out) == 3
    assert out[0]["entry_id"] == "cable-sender"
    assert out[2]["entry_id"] == "pol-pot-death"


def test_cli_argument_invalid_utf8() -> None:
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"bot", b"ask", b"--json", b"who sent \xff the cable"],
        cwd=ROOT, env=cli_env(), capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode()
    [data] = parse_lines(result.stdout)
    assert data["decision"] in DECISIONS
    assert json_question_is_clean(data)

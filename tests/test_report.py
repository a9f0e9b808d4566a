"""bot.report: the page read back with an HTML parser, against a question log we know."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.coverage import cited_sentences
from bot.core.knowledge import KnowledgeBase
from bot.core.store import QuestionRecord, SignalRecord, Store, VoteRecord
from bot.report import ReportOptions, build
from bot.report.svg import nice_ceiling, rate_line
from tests.html_tree import Node, parse
from tests.test_cli import cli_env

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
ONE, TWO = 111222333, 444555666  # servers
CHANNEL = 777888999
MODERATOR, MODERATOR_ID = "Ramona Mod", 918273645
VOTERS = (5550001, 5550002, 5550003)
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
RARE = "my secret rare question about my neighbour"
# (day, server, question, decision, entry, times)
LOG = [
    ("2026-11-10", ONE, "who sent the cable", "answered", "cable-sender", 5),  # before the window
    ("2026-11-28", ONE, "who sent the cable", "answered", "cable-sender", 3),
    ("2026-11-28", ONE, "who sent teh cabel", "did_you_mean", "cable-sender", 1),
    ("2026-11-28", TWO, "who was eagleburger", "answered", "eagleburger", 2),
    ("2026-11-29", ONE, SCRIPT, "not_covered", None, 2),
    ("2026-11-29", TWO, IMAGE, "not_covered", None, 2),
    ("2026-11-29", ONE, "how did pol pot die", "partial", "pol-pot-cause-of-death", 1),
    ("2026-11-30", ONE, RARE, "not_covered", None, 1),
    ("2026-11-30", ONE, "what did the cable say about china", "from_article", None, 1),
]


def fill(store: Store) -> None:
    """``LOG``, three people's votes on the cable's sender (one voting twice), suggestions
    (one made by two people, one by one) and a change by a moderator."""
    records: list[object] = []
    ids: dict[str, list[int]] = {}
    for day, server, question, decision, entry, times in LOG:
        for _ in range(times):
            record = QuestionRecord(len(records) + 1, f"{day}T10:00:00+00:00", "mention", server,
                                    CHANNEL, question, decision, entry, 90.0)
            records.append(record)
            ids.setdefault(entry or "", []).append(record.id)
    voted = "2026-11-29T10:00:00+00:00"
    sender = ids["cable-sender"]
    records += [VoteRecord(sender[-1], store.voter(VOTERS[0]), 1, voted),
                VoteRecord(sender[-2], store.voter(VOTERS[0]), 1, voted),
                VoteRecord(sender[-3], store.voter(VOTERS[1]), 1, voted),
                VoteRecord(sender[-3], store.voter(VOTERS[2]), -1, voted)]
    records += [SignalRecord("cable-sender", "which office wrote the telegram",
                             store.voter(person), "click", ONE, voted) for person in VOTERS[:2]]
    records.append(SignalRecord("eagleburger", "lonely suggestion about the deputy",
                                store.voter(VOTERS[2]), "click", ONE, voted))
    store.write(records)  # type: ignore[arg-type]
    with store.transaction() as db:
        Store.record_revision(db, "cable-sender", 2, "edit",
                              changed_by=f"{MODERATOR} ({MODERATOR_ID})", before=None, after=None)


@pytest.fixture
def store(new_store: Callable[[], Store]) -> Store:
    """The known log, in each backend."""
    found = new_store()
    fill(found)
    return found


def page(store: Store, kb: KnowledgeBase, **options: object) -> tuple[str, Node]:
    html = build(store, kb, ReportOptions(**{"days": 7, **options}), NOW)  # type: ignore[arg-type]
    return html, parse(html)


def test_questions_per_day_by_decision(store: Store, kb: KnowledgeBase) -> None:
    _, tree = page(store, kb)
    rows = {row[0]: row[1:] for row in tree.by_id("per-day").rows()}
    assert rows == {  # answered, partial, did you mean, no answer, total, answered rate
        "2026-11-28": ["5", "0", "1", "0", "6", "83 %"],
        "2026-11-29": ["0", "1", "0", "4", "5", "0 %"],
        "2026-11-30": ["1", "0", "0", "1", "2", "50 %"],
    }
    assert "13 questions" in tree.by_id("summary").text
    bars = tree.by_id("per-day-chart").tags("g")
    assert len(bars) == 7  # one per day of the window, empty days included
    assert [b.tags("title")[0].text for b in bars][4] == (
        "2026-11-28: 5 answered, 0 partial answer, 1 did you mean, 0 no answer")
    assert len(tree.by_id("rate-chart").tags("polyline")) == 1  # three days in a row


def test_made_when_and_over_which_days(store: Store, kb: KnowledgeBase) -> None:
    _, tree = page(store, kb, guild_id=ONE, scope="this server")
    made = tree.by_id("made")
    assert [t.attrs["datetime"] for t in made.tags("time")] == [
        "2026-11-30T12:00:00+00:00", "2026-11-24", "2026-11-30"]
    assert "(7 days, UTC), this server." in made.text


def test_sentences_shaded_by_answers_given_and_marked_when_unsure(store: Store,
                                                                  kb: KnowledgeBase) -> None:
    _, tree = page(store, kb)
    cable = tree.by_id("s-5-0")  # "The September 1989 cable came from the office of … Eagleburger."
    assert cable.attrs["data-answered"] == "5"  # cable-sender 3 + eagleburger 2
    assert cable.attrs["data-unsure"] == "1"  # the did-you-mean whose best entry was cable-sender
    assert {"h5", "unsure"} <= cable.classes and "many" not in cable.classes  # 1 in 6
    popover = next(n for n in cable.children if isinstance(n, Node) and "pop" in n.classes)
    assert "cable-sender: 3 answered, 1 not confident" in popover.text
    assert "eagleburger: 2 answered" in popover.text
    died = next(n for n in tree.find_all(lambda n: "s" in n.classes and "pol-pot-cause-of-death"
                                         in n.text))
    assert died.attrs["data-unsure"] == "1" and {"unsure", "many"} <= died.classes
    cited_by_asked = {(s.paragraph, s.index) for s in cited_sentences(kb)
                      if {"cable-sender", "eagleburger"} & set(s.entries)}
    for span in tree.find_all(lambda n: "s" in n.classes and n.tag == "span"):
        _, paragraph, index = span.attrs["id"].split("-")
        shaded = any(c.startswith("h") for c in span.classes)
        assert shaded == ((int(paragraph), int(index)) in cited_by_asked), span.attrs["id"]
        assert span.attrs["tabindex"] == "0"  # focusable: the pop-over shows on focus too


def test_every_sentence_of_the_article_is_shown_once(store: Store, kb: KnowledgeBase) -> None:
    _, tree = page(store, kb)
    spans = tree.find_all(lambda n: "s" in n.classes)
    assert len(spans) == len(cited_sentences(kb))
    first = tree.find_all(lambda n: n.attrs.get("data-paragraph") == "1")[0]
    assert first.text.startswith(f"1 {kb.article.dateline} - ")


def test_uncited_sentences_are_marked(store: Store, kb: KnowledgeBase) -> None:
    without = kb.with_entries(e for e in kb.entries if not any(c.paragraph == 7
                                                               for c in e.citations))
    _, tree = page(store, without)
    assert "uncited" in tree.by_id("s-7-0").classes
    assert "uncited" not in tree.by_id("s-5-0").classes
    assert kb.article.paragraph(7).sentences[0] in tree.by_id("uncited").text
    _, full = page(store, kb)
    assert not full.find_all(lambda n: "uncited" in n.classes and n.tag == "span"
                             and "s" in n.classes)


def test_most_asked_entries_with_votes_of_distinct_people(store: Store,
                                                          kb: KnowledgeBase) -> None:
    _, tree = page(store, kb)
    rows = tree.by_id("most-asked").rows()
    assert [row[1:] for row in rows[:3]] == [["3", "1", "2", "1"], ["2", "0", "0", "0"],
                                             ["0", "1", "0", "0"]]
    assert "cable-sender" in rows[0][0] and "eagleburger" in rows[1][0]
    never = tree.by_id("never-asked").text
    assert "cable-sender" not in never and "leaders-named" in never
    assert len(tree.by_id("never-asked").tags("li")) == len(kb.entries) - 3


def test_rare_questions_only_with_include_rare(store: Store, kb: KnowledgeBase) -> None:
    html, tree = page(store, kb)
    unanswered = tree.by_id("unanswered").rows()
    assert sorted(row[1] for row in unanswered) == sorted([SCRIPT, IMAGE])
    assert [row[0] for row in unanswered] == ["2", "2"]
    assert RARE not in html and "teh cabel" not in html
    assert [row[:2] for row in tree.by_id("suggestions").rows()] == [
        ["2", "which office wrote the telegram"]]
    assert "lonely suggestion" not in html
    assert "3 questions or suggestions made only once" in tree.by_id("rare").text
    html, tree = page(store, kb, include_rare=True)
    assert RARE in tree.by_id("unanswered").text and "teh cabel" in html
    assert "lonely suggestion" in tree.by_id("suggestions").text
    assert 'id="rare"' not in html


def test_nothing_says_who_asked_voted_or_changed(store: Store, kb: KnowledgeBase) -> None:
    html, _ = page(store, kb, include_rare=True)
    assert "cable-sender" in parse(html).by_id("changes").text
    for secret in (MODERATOR, MODERATOR_ID, CHANNEL, *VOTERS,
                   *(store.voter(v) for v in VOTERS), ONE, TWO):
        assert str(secret) not in html


def test_question_texts_are_escaped(store: Store, kb: KnowledgeBase) -> None:
    html, tree = page(store, kb)
    assert not tree.tags("script") and not tree.tags("img")
    assert not tree.find_all(lambda n: any(name.startswith("on") for name in n.attrs))
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert {SCRIPT, IMAGE} <= {row[1] for row in tree.by_id("unanswered").rows()}


def test_one_server_only(store: Store, kb: KnowledgeBase) -> None:
    _, tree = page(store, kb, guild_id=TWO, scope="this server")
    assert {row[0]: row[-2] for row in tree.by_id("per-day").rows()} == {
        "2026-11-28": "2", "2026-11-29": "2"}
    assert [row[1] for row in tree.by_id("unanswered").rows()] == [IMAGE]
    assert SCRIPT not in tree.text
    assert not tree.find_all(lambda n: n.attrs.get("id") == "suggestions")  # all in ONE


def test_page_is_self_contained(store: Store, kb: KnowledgeBase) -> None:
    html, tree = page(store, kb)
    assert not tree.tags("script") and not tree.tags("link") and not tree.tags("iframe")
    for node in tree.iter():
        for name in ("src", "href"):
            assert not node.attrs.get(name, "#").split("#")[0], (node.tag, node.attrs)
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    meta = {n.attrs.get("name") or n.attrs.get("http-equiv"): n.attrs.get("content")
            for n in tree.tags("meta")}
    assert "default-src 'none'" in meta["Content-Security-Policy"]
    assert "width=device-width" in meta["viewport"]
    assert "prefers-color-scheme:dark" in tree.tags("style")[0].text.replace(" ", "")


def test_an_empty_log(kb: KnowledgeBase) -> None:
    empty = Store(":memory:")
    try:
        _, tree = page(empty, kb)
    finally:
        empty.close()
    assert "0 questions" in tree.by_id("summary").text
    assert tree.by_id("per-day").rows() == []
    assert not tree.by_id("rate-chart").tags("polyline")
    assert len(tree.by_id("never-asked").tags("li")) == len(kb.entries)


def test_rate_line_breaks_on_days_without_questions() -> None:
    tree = parse(rate_line("r", "rate", ["a", "b", "c", "d", "e"], [0.5, 1.0, None, 0.2, None]))
    assert len(tree.tags("polyline")) == 1 and len(tree.tags("circle")) == 1
    assert [nice_ceiling(v) for v in (0, 1, 3, 10, 11, 240, 501)] == [1, 1, 5, 10, 20, 500, 1000]


def test_the_log_is_read_along_the_day_index(tmp_path: Path) -> None:
    """The report's grouped reads stay fast at a million rows because they walk an index
    (``questions_day``), in its order; a plan that sorts or reads the table would not."""
    store = Store(tmp_path / "bot.sqlite3")
    store.close()
    db = sqlite3.connect(tmp_path / "bot.sqlite3")
    for guild in ((), (ONE,)):
        where = "AND +guild_id = ?" if guild else ""
        plan = " ".join(row[3] for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT substr(asked_at, 1, 10), decision, entry_id, COUNT(*) "
            f"FROM questions WHERE substr(asked_at, 1, 10) >= ? {where} GROUP BY 1, 2, 3",
            ("2026-11-01", *guild)))
        assert "USING INDEX questions_day" in plan and "TEMP B-TREE" not in plan, plan
    db.close()


# --- the command line ------------------------------------------------------------------------


def run_report(*args: str, data_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "report", *args], cwd=cwd,
                          env=cli_env(DATA_DIR=str(data_dir)), capture_output=True, text=True,
                          encoding="utf-8", timeout=60, check=False)


def test_cli_writes_the_page(tmp_path: Path) -> None:
    store = Store.in_directory(tmp_path / "data")
    today = datetime.now(UTC).replace(microsecond=0).isoformat()
    store.write([QuestionRecord(n, today, "mention", ONE, CHANNEL, "who sent the cable",
                                "answered", "cable-sender", 99.0) for n in range(1, 4)])
    store.close()
    done = run_report(data_dir=tmp_path / "data", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = tmp_path / "report.html"
    assert str(written) in done.stdout
    tree = parse(written.read_text(encoding="utf-8"))
    assert "3 questions" in tree.by_id("summary").text
    assert "(30 days, UTC), all servers." in tree.by_id("made").text
    other = tmp_path / "other.html"
    done = run_report("--out", str(other), "--days", "2", "--guild", str(TWO),
                      data_dir=tmp_path / "data", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    tree = parse(other.read_text(encoding="utf-8"))
    assert "0 questions" in tree.by_id("summary").text
    assert f"(2 days, UTC), server {TWO}." in tree.by_id("made").text


@pytest.mark.parametrize("args", [["--days", "0"], ["--days", "x"], ["--guild", "-3"],
                                  ["--out", "/nonexistent-folder/report.html"]])
def test_cli_refuses_bad_arguments(tmp_path: Path, args: list[str]) -> None:
    done = run_report(*args, data_dir=tmp_path / "data", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() and not (tmp_path / "report.html").exists()


@pytest.mark.parametrize(("setting", "value", "said"), [
    ("QUESTION_RETENTION_DAYS", "soon", "QUESTION_RETENTION_DAYS"),
    ("DATA_DIR", "a-file", "a-file")])
def test_cli_bad_setting_exits_2(tmp_path: Path, setting: str, value: str, said: str) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    env = cli_env(DATA_DIR=str(tmp_path / "data"))
    env[setting] = value
    done = subprocess.run([sys.executable, "-m", "bot", "report"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and said in done.stderr
    assert done.stdout == "" and not (tmp_path / "report.html").exists()

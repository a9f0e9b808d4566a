"""bot.cli: ``python -m bot ask | chat | check | run`` as a person or a script runs them."""

import difflib
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.answers import SIGNALS
from bot.core.boosting import BoostedTrees
from bot.core.kb_writing import dump_knowledge
from bot.core.knowledge import KNOWLEDGE_FILE, KnowledgeBase
from bot.quality import HELD_OUT

ROOT = Path(__file__).resolve().parents[1]
DESIGN_KEYS = {"question", "answered", "entry_id", "score", "answer", "citations", "suggestions"}
PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.+)$")


def cli_env(**extra: str) -> dict[str, str]:
    """The environment without a Discord token, pointing at the real knowledge directory."""
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["KNOWLEDGE_DIR"] = str(ROOT / "knowledge")
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def bot(*args: str, stdin: str | None = None, cwd: Path = ROOT,
        **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=cli_env(**env), input=stdin,
        capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)


def flat(text: str) -> str:
    """Text with its line wrapping undone (the terminal also wraps after a hyphen)."""
    return " ".join(re.sub(r"(?<=\w-)\n\s*", "", text).split())


# --- ask -----------------------------------------------------------------------------------------


def test_ask_prints_the_answer_and_the_quote(kb: KnowledgeBase) -> None:
    result = bot("ask", "who sent the cable")
    assert result.returncode == 0, result.stderr
    entry = kb.by_id["cable-sender"]
    assert flat(entry.answer) in flat(result.stdout)
    for citation in entry.citations:
        assert flat(citation.quote) in flat(result.stdout)
    assert "paragraph 5" in result.stdout


def test_ask_words_as_separate_arguments() -> None:
    result = bot("ask", "--json", "who", "sent", "the", "cable")
    assert json.loads(result.stdout)["question"] == "who sent the cable"


def test_ask_json_prints_one_object_matching_the_contract() -> None:
    result = bot("ask", "--json", "who sent the cable")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    data = json.loads(result.stdout)
    assert set(data) >= DESIGN_KEYS
    assert data["question"] == "who sent the cable"
    assert data["answered"] is True
    assert data["entry_id"] == "cable-sender"
    assert 0 <= data["score"] <= 100
    assert isinstance(data["answer"], str) and data["answer"]
    assert data["citations"] and all(set(c) == {"paragraph", "quote"} for c in data["citations"])
    assert isinstance(data["suggestions"], list)


def test_ask_json_refusal_has_null_answer() -> None:
    data = json.loads(bot("ask", "--json", "who won the world cup").stdout)
    assert data["answered"] is False
    assert data["answer"] is None
    assert data["entry_id"] is None


def test_ask_json_stdin_one_line_per_question_in_order() -> None:
    questions = ["who sent the cable", "", "what's the weather", "when did pol pot die",
                 "   ", "who sent the cable"]
    result = bot("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.removesuffix("\n").split("\n")]
    assert [d["question"] for d in out] == [" ".join(q.split()) for q in questions]
    assert [d["decision"] for d in out][1] == "empty"
    assert out[0]["entry_id"] == out[-1]["entry_id"] == "cable-sender"
    assert out[3]["entry_id"] == "pol-pot-death"
    assert out[2]["answered"] is False


def test_ask_json_conversation_reads_follow_ups_with_the_line_before() -> None:
    lines = ["when did the khmer rouge lose power", "who drove them out?",
             "who sent the cable?", "what was his job?"]
    result = bot("ask", "--json", "--conversation", "-", stdin="\n".join(lines) + "\n")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["entry_id"] for a in answers] == ["kr-lost-power", "kr-ousted", "cable-sender",
                                                 "eagleburger"]
    assert [a["follows"] for a in answers] == [None, lines[0], None, lines[2]]


def test_ask_json_without_conversation_reads_each_line_alone() -> None:
    result = bot("ask", "--json", "-",
                 stdin="when did the khmer rouge lose power\nwho drove them out?\n")
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["answered"] and not second["answered"]
    assert second["follows"] is None


def test_chat_follows_up(kb: KnowledgeBase) -> None:
    result = bot("chat", stdin="who was ta mok?\nwhat happened to him?\nquit\n")
    assert result.returncode == 0, result.stderr
    assert "Following up “who was ta mok?”." in result.stdout
    assert flat(kb.by_id["ta-mok-fate"].answer) in flat(result.stdout)


def test_ask_json_stdin_last_line_without_newline() -> None:
    result = bot("ask", "--json", "-", stdin="who sent the cable\nwhen did pol pot die")
    assert [json.loads(line)["entry_id"] for line in result.stdout.splitlines()] == [
        "cable-sender", "pol-pot-death"]


def test_ask_json_stdin_empty_input_prints_nothing() -> None:
    result = bot("ask", "--json", "-", stdin="")
    assert (result.returncode, result.stdout) == (0, "")


def test_ask_text_stdin_answers_each_line(kb: KnowledgeBase) -> None:
    result = bot("ask", "-", stdin="who sent the cable\nwhen did pol pot die\n")
    assert result.returncode == 0, result.stderr
    assert flat(kb.by_id["cable-sender"].answer) in flat(result.stdout)
    assert flat(kb.by_id["pol-pot-death"].answer) in flat(result.stdout)


def _line_reader(stream) -> queue.Queue:
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def test_ask_json_stdin_answers_each_line_before_stdin_closes() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"], cwd=ROOT, env=cli_env(),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        encoding="utf-8")
    try:
        assert process.stdin is not None
        lines = _line_reader(process.stdout)
        process.stdin.write("who sent the cable\n")
        process.stdin.flush()
        first = lines.get(timeout=30)  # stdin is still open: the answer must come anyway
        assert json.loads(first)["entry_id"] == "cable-sender"
        process.stdin.write("when did pol pot die\n")
        process.stdin.flush()
        second = lines.get(timeout=30)
        assert json.loads(second)["entry_id"] == "pol-pot-death"
        process.stdin.close()
        assert lines.get(timeout=30) is None
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# --- check ---------------------------------------------------------------------------------------


def test_check_passes_on_the_real_knowledge_base() -> None:
    result = bot("check")
    assert result.returncode == 0, result.stdout + result.stderr
    *warnings, summary = result.stdout.splitlines()
    assert warnings == []
    assert summary.endswith("every article sentence cited") and ": OK, " in summary


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", directory)
    return directory


BROKEN_ENTRY = """
  - id: Bad_Id
    question: Where was the zebra born?
    answer: Nowhere.
    citations:
      - paragraph: 5
        quote: The zebra was born in a cable.
"""


def test_check_reports_file_line_message_and_exits_1(knowledge_copy: Path,
                                                     kb: KnowledgeBase) -> None:
    path = knowledge_copy / KNOWLEDGE_FILE
    text = dump_knowledge(kb) + BROKEN_ENTRY
    path.write_text(text, encoding="utf-8")
    result = bot("check", KNOWLEDGE_DIR=str(knowledge_copy))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    matches = [PROBLEM_LINE.match(line) for line in lines]
    assert lines and all(matches), lines
    assert {m["file"] for m in matches if m} == {str(path)}
    numbered = text.splitlines()
    expected = {numbered.index("  - id: Bad_Id") + 1,
                numbered.index("        quote: The zebra was born in a cable.") + 1}
    assert {int(m["line"]) for m in matches if m} == expected


def test_check_reports_a_yaml_error_with_its_line(knowledge_copy: Path) -> None:
    path = knowledge_copy / KNOWLEDGE_FILE
    path.write_text("version: 1\nentries:\n  - id: x\n   question: [oops\n", encoding="utf-8")
    result = bot("check", KNOWLEDGE_DIR=str(knowledge_copy))
    assert result.returncode == 1
    match = PROBLEM_LINE.match(result.stdout.strip())
    assert match and match["file"] == str(path) and int(match["line"]) >= 3


def test_check_missing_knowledge_directory(tmp_path: Path) -> None:
    result = bot("check", KNOWLEDGE_DIR=str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "does not exist" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture
def uncited_copy(knowledge_copy: Path, kb: KnowledgeBase) -> Path:
    """The real knowledge base without the entries that cite paragraph 7."""
    kept = [e for e in kb.entries if all(c.paragraph != 7 for c in e.citations)]
    ids = {e.id for e in kept}
    kept = [replace(e, related=tuple(r for r in e.related if r in ids)) for e in kept]
    (knowledge_copy / KNOWLEDGE_FILE).write_text(dump_knowledge(kb.with_entries(kept)),
                                                 encoding="utf-8")
    return knowledge_copy


def test_check_warns_about_uncited_sentences(uncited_copy: Path) -> None:
    result = bot("check", KNOWLEDGE_DIR=str(uncited_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    *warnings, summary = result.stdout.splitlines()
    assert warnings and all("warning" in line and "paragraph 7" in line for line in warnings)
    assert all(PROBLEM_LINE.match(line) for line in warnings)
    assert summary.endswith("1 article sentence(s) uncited")


def test_check_strict_fails_when_a_sentence_is_uncited(uncited_copy: Path) -> None:
    result = bot("check", "--strict", KNOWLEDGE_DIR=str(uncited_copy))
    assert result.returncode == 1


def test_check_warns_about_an_everyday_word_rewritten_into_a_topic_term(
        knowledge_copy: Path) -> None:
    path = knowledge_copy / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8").replace("    - relocate\n",
                                                    "    - relocate\n    - home\n")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    - home") + 1
    plain = bot("check", KNOWLEDGE_DIR=str(knowledge_copy))
    strict = bot("check", "--strict", KNOWLEDGE_DIR=str(knowledge_copy))
    assert (plain.returncode, strict.returncode) == (0, 1)
    warning = plain.stdout.splitlines()[0]
    assert warning.startswith(f"{path}:{line}: warning: the everyday word 'home'")


def test_check_reports_a_broken_vocabulary(knowledge_copy: Path) -> None:
    path = knowledge_copy / "vocabulary.yaml"
    path.write_text("version: 1\nterms:\n  usa: [us]\n  usb: [us]\n", encoding="utf-8")
    result = bot("check", KNOWLEDGE_DIR=str(knowledge_copy))
    assert result.returncode == 1
    assert result.stdout.strip() == (f"{path}:4: variant 'us' is already a variant of 'usa' "
                                      "(line 3)")


def test_check_strict_passes_on_the_real_knowledge_base() -> None:
    assert bot("check", "--strict").returncode == 0


# --- chat ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["quit\n", "QUIT\n", "exit\n", ""], ids=["quit", "upper",
                                                                              "exit", "eof"])
def test_chat_answers_and_ends_cleanly(kb: KnowledgeBase, ending: str) -> None:
    result = bot("chat", stdin="who sent the cable\n" + ending)
    assert result.returncode == 0, result.stderr
    assert flat(kb.by_id["cable-sender"].answer) in flat(result.stdout)
    assert "Traceback" not in result.stderr
    assert result.stdout.rstrip().endswith("bye")


def test_chat_number_picks_a_suggestion(kb: KnowledgeBase) -> None:
    # Ask something vague enough to get suggestions, then pick the first by its number.
    vague = "cambodia sides"
    probe = json.loads(bot("ask", "--json", vague).stdout)
    assert probe["suggestions"], probe
    picked = kb.by_id[probe["suggestions"][0]["entry_id"]]
    result = bot("chat", stdin=f"{vague}\n1\nquit\n")
    assert result.returncode == 0, result.stderr
    assert flat(picked.answer) in flat(result.stdout)


# --- run -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "   "], ids=["unset", "empty", "blank"])
def test_run_without_a_token_exits_2_with_one_clear_line(tmp_path: Path,
                                                         token: str | None) -> None:
    # cwd is an empty directory so that a developer's .env cannot supply a token.
    extra = {} if token is None else {"DISCORD_TOKEN": token}
    result = bot("run", cwd=tmp_path, **extra)
    output = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 2, output
    assert len(output) == 1, output
    assert "DISCORD_TOKEN" in output[0]
    assert "Traceback" not in output[0]


# --- terminal commands do not import discord.py ------------------------------------------------

_PROBE = """
import json, sys
from bot.cli import main
code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m == "discord" or m.startswith("discord."))
sys.stderr.write("PROBE " + json.dumps({"code": code, "discord": loaded}) + "\\n")
"""


@pytest.mark.parametrize(
    ("args", "stdin"),
    [(["ask", "who sent the cable"], None), (["ask", "--json", "-"], "who sent the cable\n"),
     (["check"], None)],
)
def test_terminal_commands_do_not_import_discord(args: list[str], stdin: str | None) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], cwd=ROOT, env=cli_env(), input=stdin,
        capture_output=True, text=True, timeout=60, check=False)
    probe = [line for line in result.stderr.splitlines() if line.startswith("PROBE ")]
    assert probe, result.stderr
    report = json.loads(probe[-1].removeprefix("PROBE "))
    assert report == {"code": 0, "discord": []}


# --- usage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["frobnicate"], ["ask"], ["check", "--frob"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = bot(*args)
    assert result.returncode == 2
    assert "usage" in result.stderr.lower()


# --- suggestions -------------------------------------------------------------------------------


@pytest.fixture
def clicked(tmp_path: Path, knowledge_copy: Path) -> Path:
    """A data folder in which two people picked 'Who published the leaked cable?' from "did you
    mean" after asking it in their own words, and one person 👎-ed nothing."""
    from bot.core.store import SignalRecord, Store  # noqa: PLC0415

    data = tmp_path / "data"
    store = Store.in_directory(data)
    store.write([SignalRecord("cable-publisher", question, store.voter(person), "click", 5,
                              "2026-01-01T00:00:00+00:00")
                 for person, question in ((1, "who put the memo online zq"),
                                          (2, "who put the memo online zq?"),
                                          (3, "the wiki thing with the memo zq"))])
    store.close()
    return data


def test_suggestions_are_listed_as_json(clicked: Path, knowledge_copy: Path) -> None:
    result = bot("suggestions", "--json", DATA_DIR=str(clicked),
                 KNOWLEDGE_DIR=str(knowledge_copy))
    assert result.returncode == 0, result.stderr
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert {tuple(s["phrasings"]) for s in found} == {
        ("who put the memo online zq", "who put the memo online zq?"),
        ("the wiki thing with the memo zq",)}
    first = next(s for s in found if len(s["phrasings"]) == 2)
    assert first["entry_id"] == "cable-publisher" and first["count"] == 2
    assert len(first["id"]) == 8


def test_accepting_adds_the_phrasings_and_rejecting_is_remembered(
        clicked: Path, knowledge_copy: Path) -> None:
    env = {"DATA_DIR": str(clicked), "KNOWLEDGE_DIR": str(knowledge_copy)}
    found = [json.loads(line)
             for line in bot("suggestions", "--json", **env).stdout.splitlines()]
    grouped = next(s for s in found if len(s["phrasings"]) == 2)
    single = next(s for s in found if len(s["phrasings"]) == 1)
    accepted = bot("suggestions", "accept", grouped["id"], **env)
    rejected = bot("suggestions", "reject", single["id"], **env)
    assert accepted.returncode == rejected.returncode == 0, accepted.stderr + rejected.stderr
    assert "added to cable-publisher: who put the memo online zq" in accepted.stdout
    text = (knowledge_copy / KNOWLEDGE_FILE).read_text()
    assert "      - who put the memo online zq\n" in text
    asked = json.loads(bot("ask", "--json", "who put the memo online zq", **env).stdout)
    assert asked["answered"] and asked["entry_id"] == "cable-publisher"
    assert bot("suggestions", "--json", **env).stdout == ""
    unknown = bot("suggestions", "accept", "deadbeef", **env)
    assert unknown.returncode == 2 and "No pending suggestion deadbeef" in unknown.stderr


# --- train-confidence ------------------------------------------------------------------------


def test_train_confidence_writes_a_model_of_the_engines_signals(tmp_path: Path) -> None:
    """Trained on the question sets of this checkout, never on the current held-out set."""
    out = tmp_path / "model.json"
    result = bot("train-confidence", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"{HELD_OUT} left out" in result.stdout and str(out) in result.stdout
    model = BoostedTrees.load(out)
    assert model.signals == SIGNALS and len(model.trees) == 100


def test_train_confidence_elsewhere_says_where_the_question_sets_are(tmp_path: Path) -> None:
    result = bot("train-confidence", "--out", str(tmp_path / "model.json"), cwd=tmp_path)
    assert result.returncode == 2 and "no question sets here" in result.stderr
    assert not (tmp_path / "model.json").exists()


# --- small diffs -----------------------------------------------------------------------------


def test_one_added_alias_is_at_most_three_changed_lines(knowledge_copy: Path) -> None:
    from bot.core.service import Editor, KnowledgeService  # noqa: PLC0415
    from bot.core.store import Store  # noqa: PLC0415

    path = knowledge_copy / KNOWLEDGE_FILE
    before = path.read_text().splitlines()
    service = KnowledgeService(knowledge_copy, Store(":memory:"))
    service.add_alternate("cable-date", "month the memo went out zq", Editor("alice", 1))
    after = path.read_text().splitlines()
    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed) <= 4, changed  # one line added, the revision line changed (- and +)
    assert "+      - month the memo went out zq" in changed


def test_comments_inside_an_entry_move_above_it_and_survive(knowledge_copy: Path) -> None:
    from bot.core.service import Editor, KnowledgeService  # noqa: PLC0415
    from bot.core.store import Store  # noqa: PLC0415

    path = knowledge_copy / KNOWLEDGE_FILE
    text = path.read_text().replace("      - What's the headline?\n",
                                    "      # ask the headline in many ways\n"
                                    "      - What's the headline?\n", 1)
    path.write_text(text)
    KnowledgeService(knowledge_copy, Store(":memory:")).add_alternate(
        "article-headline", "the words on top zq", Editor("alice", 1))
    rewritten = path.read_text()
    assert "# ask the headline in many ways" in rewritten
    above = rewritten.index("# ask the headline in many ways")
    assert above < rewritten.index("  - id: article-headline")


# --- the command line as a whole -------------------------------------------------------------


def test_bot_alone_prints_the_commands_and_exit_codes() -> None:
    done = bot()
    assert done.returncode == 0, done.stderr
    for command in ("run", "sync", "ask", "chat", "check", "suggestions", "bench"):
        assert f"\n    {command} " in done.stdout or f"\n    {command}\n" in done.stdout
    assert "exit codes:" in done.stdout and "2 configuration" in done.stdout
    assert done.stderr == ""



def test_doctor_reports_a_bad_setting_as_a_failed_check() -> None:
    done = bot("doctor", COOLDOWN_SECONDS="abc")
    assert done.returncode == 1
    assert "settings: COOLDOWN_SECONDS must be a number" in done.stdout
    assert "skipped" in done.stdout


# --- import and export -------------------------------------------------------------------------


def _knowledge_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", directory)
    return directory


def test_export_writes_the_knowledge_base_and_import_brings_a_change_back(
        tmp_path: Path) -> None:
    knowledge = _knowledge_copy(tmp_path)
    env = {"KNOWLEDGE_DIR": str(knowledge), "DATA_DIR": str(tmp_path / "data")}
    exported = tmp_path / "exported.yaml"
    done = bot("export", "--out", str(exported), **env)
    assert done.returncode == 0 and exported.read_text() == (knowledge / KNOWLEDGE_FILE
                                                             ).read_text()
    exported.write_text(exported.read_text().replace("What happened to Ta Mok?",
                                                     "What became of Ta Mok?"))
    done = bot("import", str(exported), **env)
    assert done.returncode == 0, done.stderr
    assert "0 added, 1 changed, 0 removed" in done.stdout
    assert "What became of Ta Mok?" in (knowledge / KNOWLEDGE_FILE).read_text()
    again = bot("import", str(exported), **env)
    assert again.returncode == 0 and "nothing to import" in again.stdout


def test_an_invalid_import_changes_nothing_and_says_where(tmp_path: Path) -> None:
    knowledge = _knowledge_copy(tmp_path)
    before = (knowledge / KNOWLEDGE_FILE).read_text()
    broken = tmp_path / "broken.yaml"
    broken.write_text(before.replace("Eagleburger.\n", "Eaglebuger.\n", 1))  # a misquote
    done = bot("import", str(broken), KNOWLEDGE_DIR=str(knowledge),
               DATA_DIR=str(tmp_path / "data"))
    assert done.returncode == 1
    assert str(broken) in done.stdout and "nothing was changed" in done.stdout
    assert (knowledge / KNOWLEDGE_FILE).read_text() == before


def test_import_and_export_go_through_the_database(tmp_path: Path, postgres) -> None:
    """With DATABASE_URL the database is the knowledge base: seeded from qa.yaml, imported
    into, exported from; qa.yaml itself is left alone."""
    knowledge = _knowledge_copy(tmp_path)
    env = {"KNOWLEDGE_DIR": str(knowledge), "DATABASE_URL": postgres.new_database()}
    changed = tmp_path / "changed.yaml"
    changed.write_text((knowledge / KNOWLEDGE_FILE).read_text().replace(
        "What happened to Ta Mok?", "What became of Ta Mok?"))
    done = bot("import", str(changed), **env)
    assert done.returncode == 0, done.stderr
    assert "imported into the database" in done.stdout
    assert "What happened to Ta Mok?" in (knowledge / KNOWLEDGE_FILE).read_text()
    exported = bot("export", **env)
    assert exported.returncode == 0 and "What became of Ta Mok?" in exported.stdout
    answer = json.loads(bot("ask", "--json", "what became of ta mok", **env).stdout)
    assert answer["entry_id"] == "ta-mok-fate"

"""A process saving the knowledge base is killed at random moments: the file always loads and
is exactly one of the states that were saved."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from bot.core.kb_reading import load_knowledge_base
from bot.core.kb_writing import dump_knowledge
from bot.core.knowledge import ARTICLE_FILE, KNOWLEDGE_FILE
from bot.core.vocabulary import VOCABULARY_FILE

ROOT = Path(__file__).resolve().parents[2]
KILLS = 100
SOME_ENTRIES = ("cable-date", "eagleburger", "ta-mok-fate")

# The child saves the knowledge base through the service, adding one phrasing per save, and
# prints a line after its first save so the parent knows a write loop is under way.
CHILD = """
import sys
from pathlib import Path
from bot.core.service import Editor, KnowledgeService
service = KnowledgeService(Path(sys.argv[1]))
n = int(sys.argv[2])
while True:
    service.add_alternate("cable-sender", f"crash test phrasing {n} zqx", Editor("crash"))
    if n == int(sys.argv[2]):
        print("saving", flush=True)
    n += 1
"""


def phrasings(directory: Path) -> list[str]:
    kb = load_knowledge_base(directory)
    return [a for a in kb.by_id["cable-sender"].alternates if a.startswith("crash test")]


def small_knowledge(directory: Path) -> None:
    """The real article and vocabulary with a few of the real entries, so that each child
    starts and builds its engine fast and the test can kill a hundred saves in CI's time,
    behind a header comment that keeps the file as large as the real one (about 250 KB):
    a kill still often lands while the new file is being written."""
    directory.mkdir()
    for name in (ARTICLE_FILE, VOCABULARY_FILE, KNOWLEDGE_FILE):
        (directory / name).write_bytes((ROOT / "knowledge" / name).read_bytes())
    kb = load_knowledge_base(directory)
    kept = [replace(e, related=()) for e in kb.entries
            if e.id == "cable-sender" or e.id in SOME_ENTRIES]
    padding = "".join(f"# padding line {n:05d} {'-' * 60}\n" for n in range(3200))
    (directory / KNOWLEDGE_FILE).write_text(padding + dump_knowledge(kb.with_entries(kept)),
                                            encoding="utf-8")


def test_file_survives_sigkill_during_saves(tmp_path: Path) -> None:
    directory = tmp_path / "knowledge"
    small_knowledge(directory)
    rng = random.Random(1234)
    saved = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(directory), str(saved)],
                                 stdout=subprocess.PIPE, env=env, cwd=tmp_path)
        assert child.stdout is not None
        assert child.stdout.readline() == b"saving\n"
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait()
        # The file loads, and holds the phrasings of one complete save: 0..k in order.
        found = phrasings(directory)
        assert found == [f"crash test phrasing {n} zqx" for n in range(len(found))]
        assert len(found) > saved  # the first save of this child completed before the kill
        assert (directory / KNOWLEDGE_FILE).stat().st_size > 200_000  # the padding is kept
        saved = len(found)

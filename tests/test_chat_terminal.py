"""``python -m bot chat`` in a real terminal (a pseudo-terminal): line editing and history."""

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UP = "\x1b[A"


class Terminal:
    """``python -m bot chat`` on a pseudo-terminal, read until a prompt appears."""

    def __init__(self) -> None:
        self.main, follower = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"], stdin=follower, stdout=follower,
            stderr=follower, cwd=ROOT, env={**os.environ, "TERM": "xterm"}, close_fds=True)
        os.close(follower)

    def until(self, marker: str, timeout: float = 30) -> str:
        """Everything written until ``marker`` (or fail after ``timeout`` s)."""
        seen, deadline = "", time.monotonic() + timeout
        while marker not in seen:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.main], [], [], left)[0]:
                raise AssertionError(f"no {marker!r} in {seen!r}")
            seen += os.read(self.main, 65536).decode(errors="replace")
        return seen

    def type(self, keys: str) -> None:
        os.write(self.main, keys.encode())

    def close(self) -> int:
        self.process.kill()
        os.close(self.main)
        return self.process.wait(timeout=10)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    term = Terminal()
    yield term
    term.close()


def test_the_up_arrow_asks_the_last_question_again(terminal: Terminal) -> None:
    terminal.until("you> ")
    terminal.type("who sent the cable?\r")
    first = terminal.until("you> ")
    assert "Lawrence Eagleburger" in first
    terminal.type(UP + "\r")  # the history: the same question, not the characters "^[[A"
    again = terminal.until("you> ")
    assert "Q: Who sent the cable?" in again
    assert "^[[A" not in again


def test_a_number_picks_a_related_question(terminal: Terminal) -> None:
    terminal.until("you> ")
    terminal.type("who sent the cable?\r")
    first = terminal.until("you> ")
    line = next(line for line in first.splitlines() if line.strip().startswith("1. "))
    related = line.strip().removeprefix("1. ").strip()
    terminal.type("1\r")
    assert f"Q: {related}" in terminal.until("you> ")

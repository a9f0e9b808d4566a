"""The question log's writer: one background thread, in batches, that a failing disk cannot
block or break.

Answering never waits for the disk: ``question()`` and ``vote()`` only queue a record (the
question's id is chosen here, so a reply can carry it at once) and return. The thread writes
what is queued in one transaction at a time. When the disk is full or read-only the batch is
dropped, one warning is logged and ``on_trouble`` is told once; when writes work again that
is logged too. A full queue drops records the same way rather than growing without bound.
The thread also forgets questions older than the retention period. How often each entry was
asked is kept in memory too (read once at start, counted on since), for autocomplete.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.core.answers import Answer
from bot.core.database import DATABASE_ERRORS
from bot.core.store import QuestionRecord, SignalRecord, Store, VoteRecord

log = logging.getLogger(__name__)

MAX_QUEUE = 10_000
BATCH = 500
PRUNE_EVERY = 6 * 3600.0  # seconds
POPULAR = 25
MAX_LOGGED_CHARS = 500

_STOP = object()


class Journal:
    """Queues questions and votes for one background writer thread."""

    def __init__(self, store: Store, *, retention_days: int = 90,
                 on_trouble: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.retention_days = retention_days
        self.on_trouble = on_trouble
        self._clock = clock
        self._queue: queue.Queue[object] = queue.Queue(MAX_QUEUE)
        self._pending = 0
        self._idle = threading.Condition()
        self._failing = False
        self._dropped = 0
        self._last_id = 0
        self._tag = secrets.randbits(10)
        self._id_lock = threading.Lock()
        self._asked: Counter[str] = Counter()
        self._thread = threading.Thread(target=self._run, name="question-log", daemon=True)

    def start(self) -> None:
        try:
            self._asked.update(self.store.entry_counts())
        except DATABASE_ERRORS:
            log.warning("Could not read how often each entry was asked", exc_info=True)
        self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (up to ``timeout``) and stop the thread."""
        if self._thread.is_alive():
            self.flush(timeout)
            self._queue.put(_STOP)
            self._thread.join(timeout)

    # --- what the bot calls (never blocks on the disk) ---------------------------------------

    def question(self, answer: Answer, source: str, guild_id: int | None,
                 channel_id: int | None) -> int:
        """Queue one question and how it was answered; returns its id for vote buttons."""
        record = QuestionRecord(
            self._next_id(), self._now(), source, guild_id, channel_id,
            answer.question[:MAX_LOGGED_CHARS], answer.decision.value,
            answer.entry.id if answer.entry else None, answer.score)
        if record.entry_id:
            self._asked[record.entry_id] += 1
        self._put(record)
        return record.id

    def vote(self, question_id: int, user_id: int, value: int) -> None:
        """Queue a 👍 (1) or 👎 (-1) on an answer; one per person per entry counts."""
        self._put(VoteRecord(question_id, self.store.voter(user_id), value, self._now()))

    def signal(self, entry_id: str, phrasing: str, user_id: int, kind: str,
               guild_id: int | None) -> None:
        """Queue a hint that ``phrasing`` asks ``entry_id`` (see ``store.SignalRecord``)."""
        self._put(SignalRecord(entry_id, phrasing[:MAX_LOGGED_CHARS], self.store.voter(user_id),
                               kind, guild_id, self._now()))

    @property
    def popular(self) -> list[str]:
        """The most asked entries, most first (counted in memory)."""
        return [entry for entry, _ in self._asked.most_common(POPULAR)]

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far is written (or dropped); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def _now(self) -> str:
        return datetime.fromtimestamp(self._clock(), UTC).replace(microsecond=0).isoformat()

    def _next_id(self) -> int:
        """Time-ordered ids, unique across restarts and across processes sharing a database:
        milliseconds, then this journal's ten random bits, then a counter. (Not the process
        id: in containers every bot is process 1.)"""
        with self._id_lock:
            candidate = (int(self._clock() * 1000) << 22) | (self._tag << 12)
            self._last_id = max(candidate, self._last_id + 1)
            return self._last_id

    def _put(self, record: object) -> None:
        with self._idle:
            self._pending += 1
        try:
            self._queue.put_nowait(record)
        except queue.Full:
            self._done(1)
            self._trouble("the question log's queue is full; questions are being dropped")

    # --- the writer thread --------------------------------------------------------------------

    def _run(self) -> None:
        last_prune = 0.0
        while True:
            try:
                first = self._queue.get(timeout=1.0)
            except queue.Empty:
                first = None
            if first is _STOP:
                return
            batch = [] if first is None else [first]
            while len(batch) < BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._write(batch)
                    return
                batch.append(item)
            if batch:
                self._write(batch)
            now = self._clock()
            if now - last_prune >= PRUNE_EVERY:
                last_prune = now
                self._prune()

    def _write(self, batch: list[object]) -> None:
        try:
            self.store.write(batch)  # type: ignore[arg-type]
        except DATABASE_ERRORS as error:
            self._dropped += len(batch)
            self._trouble(f"could not write the question log ({error}); answering goes on, "
                          f"{self._dropped} question(s) and vote(s) not recorded so far")
        else:
            if self._failing:
                self._failing = False
                log.warning("The question log is written again (%d record(s) were lost)",
                            self._dropped)
        finally:
            self._done(len(batch))

    def _done(self, count: int) -> None:
        with self._idle:
            self._pending -= count
            if not self._pending:
                self._idle.notify_all()

    def _trouble(self, message: str) -> None:
        """Tell once per streak of failures: a log warning and ``on_trouble``."""
        if self._failing:
            return
        self._failing = True
        log.warning("Question log: %s", message)
        if self.on_trouble is not None:
            try:
                self.on_trouble(message)
            except Exception:
                log.exception("Could not report a question-log problem")

    def _prune(self) -> None:
        cutoff = datetime.fromtimestamp(self._clock(), UTC) - timedelta(
            days=self.retention_days)
        try:
            removed = self.store.prune(cutoff.replace(microsecond=0).isoformat())
        except DATABASE_ERRORS as error:
            self._trouble(f"could not prune the question log ({error})")
            return
        if removed:
            log.info("Question log: forgot %d question(s) older than %d days", removed,
                     self.retention_days)

"""Syncing slash commands only when they changed.

Discord rate-limits command syncs (a few hundred a day per application, stricter for global
commands), and a bot restarted in a loop would spend them on nothing. So the payload synced
to each target (a guild, or global) is hashed into ``DATA_DIR/command-sync.json``; at start-up
a target whose payload hashes the same as at its last sync is left alone.
``python -m bot sync`` syncs every target whatever the hashes say.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from bot.core.atomic import atomic_write_text

log = logging.getLogger(__name__)

SYNC_FILE = "command-sync.json"


def payload_hash(application_id: int | None, payload: list[dict[str, Any]]) -> str:
    """A stable hash of what a sync would send (key order and command order do not count)."""
    commands = sorted(payload, key=lambda command: (command.get("type", 1), command["name"]))
    text = json.dumps({"application": application_id, "commands": commands}, sort_keys=True,
                      ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class SyncRecord:
    """The hash of the last payload synced to each target, kept in ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / SYNC_FILE
        self._hashes: dict[str, str] = self._read()

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:  # unreadable: sync, as on a first start
            log.warning("Could not read %s (%s): syncing commands", self.path, exc)
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def unchanged(self, target: str, digest: str) -> bool:
        return self._hashes.get(target) == digest

    def synced(self, target: str, digest: str) -> None:
        """Remember a sync; a disk that refuses only costs a sync at the next start."""
        self._hashes[target] = digest
        try:
            atomic_write_text(self.path, json.dumps(self._hashes, indent=2, sort_keys=True))
        except OSError as exc:
            log.warning("Could not record the command sync in %s (%s)", self.path, exc)

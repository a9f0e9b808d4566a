"""All settings, read once from the environment (and ``.env`` when present) and passed down.

The environment wins over ``.env``. Nothing here runs at import time: ``Settings.load()`` is
called by the CLI, so tests build their own ``Settings`` directly.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.errors import QAError


class SettingsError(QAError):
    """A setting has a value that cannot be used; the message names the setting."""


def _default_knowledge_dir() -> Path:
    """``knowledge`` in the working directory, or else the one beside this package (so the
    commands also work when run from another folder of a source checkout)."""
    here = Path("knowledge")
    beside = Path(__file__).resolve().parent.parent / "knowledge"
    return here if here.is_dir() or not beside.is_dir() else beside


@dataclass(frozen=True)
class Settings:
    """The bot's configuration. Every field matches one environment variable."""

    discord_token: str | None = field(default=None, repr=False)  # never printed
    guild_ids: tuple[int, ...] = ()
    qa_channel_ids: frozenset[int] = frozenset()
    moderator_role_ids: frozenset[int] = frozenset()
    # The servers whose moderators may edit the knowledge base every server shares. None:
    # the DISCORD_GUILD_IDS (and with neither, only the application's owner or team).
    kb_guild_ids: frozenset[int] | None = None
    mod_log_channel_id: int | None = None
    knowledge_dir: Path = field(default_factory=_default_knowledge_dir)
    data_dir: Path = Path("data")
    log_level: str = "INFO"
    message_content_intent: bool = True
    cooldown_questions: int = 10
    cooldown_seconds: float = 60.0
    reload_poll_seconds: float = 2.0
    question_retention_days: int = 90
    # Sharding (both or neither): this process runs the shards ``shard_ids`` of
    # ``shard_count``. None: one process and one gateway connection, no sharding.
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    # PostgreSQL shared by every process (``postgresql://…``; it may hold a password: never
    # printed). None: SQLite in ``data_dir`` and qa.yaml in ``knowledge_dir``.
    database_url: str | None = field(default=None, repr=False)

    @property
    def editing_guild_ids(self) -> frozenset[int]:
        """The servers from which the knowledge base may be edited (empty: none, only the
        application's owner or team may edit)."""
        return self.kb_guild_ids if self.kb_guild_ids is not None else frozenset(self.guild_ids)

    @classmethod
    def load(cls, env_file: Path | None = Path(".env")) -> Settings:
        """Settings from ``.env`` (if it exists) overlaid with the process environment."""
        values: dict[str, str] = {}
        if env_file is not None and env_file.is_file():
            from dotenv import dotenv_values  # noqa: PLC0415 - only needed here

            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ)
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> Settings:
        """Settings from a mapping of environment variables; SettingsError on a bad value."""

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        level = (text("LOG_LEVEL") or "INFO").upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, "
                            f"not {level!r}")
        shard_count, shard_ids = _shards(env)
        return cls(
            discord_token=text("DISCORD_TOKEN"),
            guild_ids=tuple(_ids(env, "DISCORD_GUILD_IDS")),
            qa_channel_ids=frozenset(_ids(env, "QA_CHANNEL_IDS")),
            moderator_role_ids=frozenset(_ids(env, "MODERATOR_ROLE_IDS")),
            kb_guild_ids=frozenset(_ids(env, "KB_GUILD_IDS")) if text("KB_GUILD_IDS") else None,
            mod_log_channel_id=_one_id(env, "MOD_LOG_CHANNEL_ID"),
            knowledge_dir=Path(text("KNOWLEDGE_DIR") or _default_knowledge_dir()),
            data_dir=Path(text("DATA_DIR") or "data"),
            log_level=level,
            message_content_intent=_flag(env, "MESSAGE_CONTENT_INTENT", default=True),
            cooldown_questions=_whole(env, "COOLDOWN_QUESTIONS", 10, minimum=1),
            cooldown_seconds=_number(env, "COOLDOWN_SECONDS", 60.0, minimum=0),
            reload_poll_seconds=_number(env, "RELOAD_POLL_SECONDS", 2.0, minimum=0.1),
            question_retention_days=_whole(env, "QUESTION_RETENTION_DAYS", 90, minimum=1),
            shard_count=shard_count,
            shard_ids=shard_ids,
            database_url=_database_url(text("DATABASE_URL")),
        )


def _ids(env: Mapping[str, str], name: str) -> list[int]:
    """Comma-separated Discord ids (snowflakes)."""
    ids = []
    for part in env.get(name, "").replace(" ", "").split(","):
        if not part:
            continue
        if not (part.isascii() and part.isdigit()) or not 0 < int(part) < 2**64:
            raise SettingsError(f"{name} must be comma-separated Discord ids; {part!r} is not one")
        ids.append(int(part))
    return ids


def _one_id(env: Mapping[str, str], name: str) -> int | None:
    ids = _ids(env, name)
    if len(ids) > 1:
        raise SettingsError(f"{name} must be a single Discord id, not a list")
    return ids[0] if ids else None


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {value!r}")


def _number(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(number) or number < minimum:
        raise SettingsError(f"{name} must be a number of at least {minimum}, not {value!r}")
    return number


def _whole(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    number = _number(env, name, default, minimum=minimum)
    if number != int(number):
        raise SettingsError(f"{name} must be a whole number, not {env[name].strip()!r}")
    return int(number)


def _shards(env: Mapping[str, str]) -> tuple[int | None, tuple[int, ...] | None]:
    """``shard_count`` and ``shard_ids`` from ``SHARD_COUNT`` and ``SHARD_IDS``: both set, or
    neither (one alone is refused: a count without ids, or ids without a count, would leave
    some servers unanswered or answered twice)."""
    count_set = bool(env.get("SHARD_COUNT", "").strip())
    ids_text = env.get("SHARD_IDS", "").replace(" ", "").strip(",")
    if not count_set and not ids_text:
        return None, None
    if not (count_set and ids_text):
        missing, given = ("SHARD_IDS", "SHARD_COUNT") if count_set else \
            ("SHARD_COUNT", "SHARD_IDS")
        raise SettingsError(f"{given} is set but {missing} is not: set both (this process runs "
                            "the SHARD_IDS shards of SHARD_COUNT) or neither (one process)")
    count = _whole(env, "SHARD_COUNT", 1, minimum=1)
    ids: list[int] = []
    for part in filter(None, ids_text.split(",")):
        if not (part.isascii() and part.isdigit()):
            raise SettingsError(f"SHARD_IDS must be comma-separated shard numbers (0 to "
                                f"{count - 1}); {part!r} is not one")
        shard = int(part)
        if shard >= count:
            raise SettingsError(f"SHARD_IDS: shard {shard} does not exist with SHARD_COUNT="
                                f"{count} (shards are numbered 0 to {count - 1})")
        if shard in ids:
            raise SettingsError(f"SHARD_IDS lists shard {shard} twice")
        ids.append(shard)
    return count, tuple(ids)


def _database_url(url: str | None) -> str | None:
    """``DATABASE_URL``: empty, or a PostgreSQL URL (the message never repeats it: it may
    hold a password)."""
    if url is None:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise SettingsError("DATABASE_URL must be empty (SQLite in DATA_DIR) or a PostgreSQL "
                            "URL such as postgresql://user:password@host:5432/database")
    return url

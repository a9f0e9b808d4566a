"""bot.settings: the environment (and .env) → one Settings value, with clear errors."""

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError

ALL_NAMES = [
    "DISCORD_TOKEN", "DISCORD_GUILD_IDS", "QA_CHANNEL_IDS", "MODERATOR_ROLE_IDS",
    "MOD_LOG_CHANNEL_ID", "KNOWLEDGE_DIR", "DATA_DIR", "LOG_LEVEL", "MESSAGE_CONTENT_INTENT",
    "COOLDOWN_QUESTIONS", "COOLDOWN_SECONDS", "RELOAD_POLL_SECONDS", "SHARD_COUNT", "SHARD_IDS",
    "DATABASE_URL", "KB_GUILD_IDS", "QUESTION_RETENTION_DAYS",
]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.secret-token-value_xyz"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No setting from the test runner's own environment leaks in."""
    for name in ALL_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults() -> None:
    settings = Settings.from_mapping({})
    assert settings == Settings()
    assert settings.discord_token is None
    assert settings.guild_ids == ()
    assert settings.qa_channel_ids == frozenset()
    assert settings.moderator_role_ids == frozenset()
    assert settings.knowledge_dir == Path("knowledge")
    assert settings.data_dir == Path("data")
    assert settings.log_level == "INFO"
    assert settings.message_content_intent is True


@pytest.mark.parametrize(
    ("value", "ids"),
    [
        ("", ()),
        ("123", (123,)),
        ("123,456", (123, 456)),
        (" 123 , 456 ", (123, 456)),
        ("123,,456,", (123, 456)),
        ("1234567890123456789", (1234567890123456789,)),
    ],
)
def test_guild_ids(value: str, ids: tuple[int, ...]) -> None:
    assert Settings.from_mapping({"DISCORD_GUILD_IDS": value}).guild_ids == ids


@pytest.mark.parametrize("name", ["QA_CHANNEL_IDS", "MODERATOR_ROLE_IDS"])
def test_id_sets(name: str) -> None:
    settings = Settings.from_mapping({name: "11,22,11"})
    field = "qa_channel_ids" if name == "QA_CHANNEL_IDS" else "moderator_role_ids"
    assert getattr(settings, field) == frozenset({11, 22})


def test_mod_log_channel() -> None:
    assert Settings.from_mapping({"MOD_LOG_CHANNEL_ID": "42"}).mod_log_channel_id == 42


@pytest.mark.parametrize(
    "name", ["DISCORD_GUILD_IDS", "QA_CHANNEL_IDS", "MODERATOR_ROLE_IDS", "MOD_LOG_CHANNEL_ID"])
@pytest.mark.parametrize(
    "value",
    ["abc", "12a", "-5", "0", "1.5", "123;456", str(2**64), "0x10", "²", "١٢٣x"],
)
def test_bad_ids_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_mapping({name: value})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("YES", True), ("on", True), (" True ", True),
     ("0", False), ("false", False), ("No", False), ("off", False), ("", True)],
)
def test_boolean(value: str, expected: bool) -> None:
    assert Settings.from_mapping({"MESSAGE_CONTENT_INTENT": value}).message_content_intent is (
        expected)


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "y e s"])
def test_bad_boolean_names_the_variable(value: str) -> None:
    with pytest.raises(SettingsError, match="MESSAGE_CONTENT_INTENT"):
        Settings.from_mapping({"MESSAGE_CONTENT_INTENT": value})


@pytest.mark.parametrize(
    ("name", "value", "field", "expected"),
    [
        ("COOLDOWN_SECONDS", "12.5", "cooldown_seconds", 12.5),
        ("COOLDOWN_SECONDS", "0", "cooldown_seconds", 0.0),
        ("COOLDOWN_QUESTIONS", "3", "cooldown_questions", 3),
        ("RELOAD_POLL_SECONDS", "0.5", "reload_poll_seconds", 0.5),
        ("COOLDOWN_SECONDS", "", "cooldown_seconds", 60.0),
    ],
)
def test_numbers(name: str, value: str, field: str, expected: float) -> None:
    assert getattr(Settings.from_mapping({name: value}), field) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("COOLDOWN_SECONDS", "abc"),
        ("COOLDOWN_SECONDS", "-1"),
        ("COOLDOWN_SECONDS", "nan"),
        ("COOLDOWN_QUESTIONS", "0"),
        ("COOLDOWN_QUESTIONS", "many"),
        ("COOLDOWN_QUESTIONS", "inf"),
        ("COOLDOWN_QUESTIONS", "1e400"),
        ("RELOAD_POLL_SECONDS", "0"),
    ],
)
def test_bad_numbers_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_mapping({name: value})


@pytest.mark.parametrize(("value", "level"), [("debug", "DEBUG"), ("Warning", "WARNING"),
                                              ("", "INFO")])
def test_log_level(value: str, level: str) -> None:
    assert Settings.from_mapping({"LOG_LEVEL": value}).log_level == level


def test_bad_log_level_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="LOG_LEVEL"):
        Settings.from_mapping({"LOG_LEVEL": "loud"})


def test_directories() -> None:
    settings = Settings.from_mapping({"KNOWLEDGE_DIR": "/srv/kb", "DATA_DIR": "var/data"})
    assert (settings.knowledge_dir, settings.data_dir) == (Path("/srv/kb"), Path("var/data"))


def test_token_is_read_and_stripped() -> None:
    assert Settings.from_mapping({"DISCORD_TOKEN": f"  {TOKEN}\n"}).discord_token == TOKEN


@pytest.mark.parametrize("value", ["", "   "])
def test_blank_token_is_no_token(value: str) -> None:
    assert Settings.from_mapping({"DISCORD_TOKEN": value}).discord_token is None


def test_token_is_not_in_repr() -> None:
    settings = Settings.from_mapping({"DISCORD_TOKEN": TOKEN, "DISCORD_GUILD_IDS": "1"})
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)
    assert "secret-token" not in repr(settings)


def test_token_is_not_in_setting_errors() -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_mapping({"DISCORD_TOKEN": TOKEN, "LOG_LEVEL": "loud"})
    assert TOKEN not in str(info.value)



# --- sharding ------------------------------------------------------------------------------------


def test_no_sharding_by_default() -> None:
    settings = Settings.from_mapping({})
    assert (settings.shard_count, settings.shard_ids) == (None, None)


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("1", "0", (1, (0,))),
        ("2", "1", (2, (1,))),
        ("4", " 3, 1 ", (4, (3, 1))),
        ("4", "0,1,2,3,", (4, (0, 1, 2, 3))),
    ],
)
def test_shards(count: str, ids: str, expected: tuple[int, tuple[int, ...]]) -> None:
    settings = Settings.from_mapping({"SHARD_COUNT": count, "SHARD_IDS": ids})
    assert (settings.shard_count, settings.shard_ids) == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SHARD_COUNT": "2"}, "SHARD_COUNT is set but SHARD_IDS is not"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS is set but SHARD_COUNT is not"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": " , "}, "SHARD_COUNT is set but SHARD_IDS is not"),
        ({"SHARD_COUNT": "0", "SHARD_IDS": "0"}, "SHARD_COUNT must be a number of at least 1"),
        ({"SHARD_COUNT": "two", "SHARD_IDS": "0"}, "SHARD_COUNT must be a number"),
        ({"SHARD_COUNT": "1.5", "SHARD_IDS": "0"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "shard 2 does not exist with SHARD_COUNT=2"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "-1"}, "SHARD_IDS must be comma-separated shard"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "one"}, "'one' is not one"),
        ({"SHARD_COUNT": "3", "SHARD_IDS": "1,1"}, "SHARD_IDS lists shard 1 twice"),
    ],
)
def test_bad_shards_say_what_to_fix(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_mapping(env)

# --- .env and the environment --------------------------------------------------------------------


def test_env_file_is_read(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"DISCORD_TOKEN={TOKEN}\nDISCORD_GUILD_IDS=1,2\n# comment\n"
                        "LOG_LEVEL=debug\n", encoding="utf-8")
    settings = Settings.load(env_file)
    assert settings.discord_token == TOKEN
    assert settings.guild_ids == (1, 2)
    assert settings.log_level == "DEBUG"


def test_environment_overrides_env_file(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_GUILD_IDS=1,2\nLOG_LEVEL=debug\n", encoding="utf-8")
    clean_env.setenv("DISCORD_GUILD_IDS", "3")
    settings = Settings.load(env_file)
    assert settings.guild_ids == (3,)
    assert settings.log_level == "DEBUG"


def test_dot_env_in_the_working_directory_is_the_default(
        tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("KNOWLEDGE_DIR=elsewhere\n", encoding="utf-8")
    clean_env.chdir(tmp_path)
    assert Settings.load().knowledge_dir == Path("elsewhere")


def test_missing_env_file_is_fine(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.chdir(tmp_path)
    assert Settings.load() == Settings()
    assert Settings.load(tmp_path / "absent.env") == Settings()


def test_no_env_file(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("LOG_LEVEL=debug\n", encoding="utf-8")
    clean_env.chdir(tmp_path)
    assert Settings.load(env_file=None).log_level == "INFO"


def test_bad_value_in_env_file_names_the_variable(tmp_path: Path,
                                                  clean_env: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("QA_CHANNEL_IDS=general\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="QA_CHANNEL_IDS"):
        Settings.load(env_file)


def test_env_example_lists_every_setting() -> None:
    example = Path(__file__).resolve().parents[1] / ".env.example"
    text = example.read_text(encoding="utf-8")
    missing = [name for name in ALL_NAMES if f"{name}=" not in text]
    assert missing == []


def test_database_url_empty_means_sqlite() -> None:
    assert Settings.from_mapping({}).database_url is None
    assert Settings.from_mapping({"DATABASE_URL": "  "}).database_url is None


def test_a_database_url_is_kept_and_never_shown() -> None:
    url = "postgresql://bot:s3cret-pass@db.internal:5432/qa"
    settings = Settings.from_mapping({"DATABASE_URL": url})
    assert settings.database_url == url
    assert "s3cret-pass" not in repr(settings)


def test_a_database_url_that_is_not_postgresql_is_refused_without_repeating_it() -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL must be empty") as refused:
        Settings.from_mapping({"DATABASE_URL": "mysql://root:hunter2@localhost/qa"})
    assert "hunter2" not in str(refused.value)

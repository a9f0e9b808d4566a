"""bot.core.engine_cache: the built engine kept on disk, never stale, never fatal."""

import shutil
from pathlib import Path

import pytest

from bot.core import engine_cache
from bot.core.engine_cache import CACHE_PREFIX, load_engine
from bot.core.errors import KnowledgeError

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    return folder


def _caches(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{CACHE_PREFIX}*"))


def _no_building(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_kb: object) -> None:
        raise AssertionError("the engine was built again")
    monkeypatch.setattr(engine_cache.AnswerEngine, "build", refuse)


def test_the_second_start_loads_the_cached_engine(knowledge_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    built = load_engine(knowledge_dir, tmp_path / "data")
    assert len(_caches(tmp_path / "data")) == 1
    _no_building(monkeypatch)
    cached = load_engine(knowledge_dir, tmp_path / "data")
    question = "who sent the cable?"
    assert cached.answer(question).to_json() == built.answer(question).to_json()
    assert cached.kb.normalizer.terms(question) == built.kb.normalizer.terms(question)


def test_an_edited_file_is_never_read_from_a_stale_cache(knowledge_dir: Path,
                                                         tmp_path: Path) -> None:
    load_engine(knowledge_dir, tmp_path / "data")
    qa = knowledge_dir / "qa.yaml"
    qa.write_text(qa.read_text(encoding="utf-8").replace(
        "    question: Who sent the cable?\n    alternates:\n",
        "    question: Who sent the cable?\n    alternates:\n      - zqx sender\n", 1),
        encoding="utf-8")
    engine = load_engine(knowledge_dir, tmp_path / "data")
    assert "zqx sender" in engine.kb.by_id["cable-sender"].alternates
    assert len(_caches(tmp_path / "data")) == 1  # the old version's cache is removed


def test_an_invalid_file_is_refused_even_after_a_good_one_was_cached(knowledge_dir: Path,
                                                                    tmp_path: Path) -> None:
    load_engine(knowledge_dir, tmp_path / "data")
    (knowledge_dir / "qa.yaml").write_text("entries: [", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_engine(knowledge_dir, tmp_path / "data")


def test_a_damaged_cache_is_rebuilt(knowledge_dir: Path, tmp_path: Path) -> None:
    load_engine(knowledge_dir, tmp_path / "data")
    [cache] = _caches(tmp_path / "data")
    cache.write_bytes(b"not a pickle")
    engine = load_engine(knowledge_dir, tmp_path / "data")
    assert engine.answer("who sent the cable?").answered
    assert cache.read_bytes() != b"not a pickle"


def test_a_cache_folder_that_cannot_be_written_only_costs_time(knowledge_dir: Path,
                                                               tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    engine = load_engine(knowledge_dir, blocked / "data")
    assert engine.answer("who sent the cable?").answered

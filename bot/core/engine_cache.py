"""The answer engine built once and kept on disk, for a fast start of ``python -m bot ask``.

Reading ``qa.yaml``, checking every quote against the article and indexing 5,000 phrasings
takes about half a second; loading the engine built from them takes about 40 ms. The cache is
named by a hash of the bytes of the knowledge files and of the code that builds the engine,
so an edited file or an upgraded bot never reads a stale one, and an invalid file is never
cached (it is read, and refused, as before).

It lives in ``DATA_DIR``, which only the bot writes: a pickle runs code when it is loaded, so
it must never be read from a folder others can write. Reading or writing it never fails a
question: a cache that cannot be read or written is ignored and the engine built as before.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import sys
from pathlib import Path

import rapidfuzz

from bot.core.answers import CONFIDENCE_FILE, AnswerEngine
from bot.core.atomic import atomic_write_bytes
from bot.core.knowledge import ARTICLE_FILE, KNOWLEDGE_FILE
from bot.core.vocabulary import VOCABULARY_FILE

log = logging.getLogger(__name__)

CACHE_PREFIX = "engine-"
CACHE_SUFFIX = ".pickle"
_CODE = Path(__file__).resolve().parent  # bot/core: the code that builds the engine


def cache_key(knowledge_dir: Path) -> str:
    """A hash of everything the engine is built from: the knowledge files, the code and its
    confidence model, and the versions of Python and rapidfuzz."""
    digest = hashlib.sha256(f"{sys.version}\0{rapidfuzz.__version__}".encode())
    sources = [knowledge_dir / name for name in (KNOWLEDGE_FILE, ARTICLE_FILE, VOCABULARY_FILE)]
    for path in [*sources, *sorted(_CODE.glob("*.py")), CONFIDENCE_FILE]:
        digest.update(f"\0{path.name}\0".encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    return digest.hexdigest()[:32]


def load_engine(knowledge_dir: Path, cache_dir: Path) -> AnswerEngine:
    """The engine for ``knowledge_dir``, from the cache in ``cache_dir`` when it holds one
    built from the same files and code; otherwise built, and cached for next time."""
    path = cache_dir / f"{CACHE_PREFIX}{cache_key(knowledge_dir)}{CACHE_SUFFIX}"
    try:
        engine = pickle.loads(path.read_bytes())  # noqa: S301 - written by this bot, see above
        if isinstance(engine, AnswerEngine):
            return engine
    except FileNotFoundError:
        pass
    except Exception:  # a damaged cache is rebuilt, never fatal
        log.debug("engine cache %s unreadable; rebuilding", path, exc_info=True)
    from bot.core.kb_reading import load_knowledge_base  # noqa: PLC0415 - a YAML parser, only here

    engine = AnswerEngine.build(load_knowledge_base(knowledge_dir))
    _store(engine, path)
    return engine


def _store(engine: AnswerEngine, path: Path) -> None:
    """Write the engine to ``path`` (without its memo of questions seen) and remove the
    caches of other versions."""
    engine.clear_caches()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL))
        for old in path.parent.glob(f"{CACHE_PREFIX}*{CACHE_SUFFIX}"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.debug("engine cache not written: %s", error)

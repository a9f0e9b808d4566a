"""Crash-safe file replacement: a reader sees the old file or the new one, never a mix."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

TEMPORARY_SUFFIX = ".tmp"


class FileChangedError(OSError):
    """The file changed on disk since it was read: it was not replaced."""


def remove_leftovers(path: Path) -> list[Path]:
    """Temporary files a killed process left beside ``path``; removed, and returned."""
    found = list(path.parent.glob(f".{path.name}.*{TEMPORARY_SUFFIX}"))
    for leftover in found:
        leftover.unlink(missing_ok=True)
    return found


def atomic_write_text(path: Path, text: str,
                      unchanged: Callable[[], bool] | None = None) -> None:
    """``atomic_write_bytes`` of ``text`` in UTF-8."""
    atomic_write_bytes(path, text.encode("utf-8"), unchanged)


def atomic_write_bytes(path: Path, data: bytes,
                       unchanged: Callable[[], bool] | None = None) -> None:
    """Write ``data`` to ``path`` atomically and durably.

    The data goes to a temporary file in the same folder (so the rename stays on one file
    system), which is flushed and fsynced, then renamed over ``path`` with ``os.replace``;
    finally the folder is fsynced so the rename itself survives a power cut. On any error the
    temporary file is removed and ``path`` is untouched.

    ``unchanged``, when given, is asked right before the rename whether ``path`` is still as
    the caller read it; if not, nothing is replaced and ``FileChangedError`` is raised.
    """
    folder = path.parent
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX,
                                             dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # keep the old file's permissions
            Path(temporary).chmod(path.stat().st_mode & 0o777)
        if unchanged is not None and not unchanged():
            raise FileChangedError(f"{path.name} changed on disk meanwhile")
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)

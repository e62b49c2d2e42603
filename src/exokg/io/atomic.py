"""Write a file atomically: a temp file in the target folder, checked, fsynced, then renamed over the target.

A failure (a check that raises, a full disk, an interrupt) leaves the previous
file untouched and no temp file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from exokg.errors import InputError

__all__ = ["write_atomic"]


def write_atomic(path: Path, text: str, *, check: Callable[[Path], None] | None = None) -> None:
    """Write ``text`` to ``path`` through a checked, fsynced temp file in the same folder."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed after the checks
            "w", encoding="utf-8", dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
    except OSError as exc:
        raise InputError(f"cannot write to folder: {exc.strerror}", path=folder) from None
    temp = Path(handle.name)
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(0o666 & ~_umask())  # temp files are private; the result gets the usual permissions
        if check is not None:
            check(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

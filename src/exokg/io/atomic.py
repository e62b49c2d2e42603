"""Write a file atomically: a temp file in the target folder, checked, fsynced, then renamed over the target.

A failure (a check that raises, a full disk, an interrupt) leaves the previous
file untouched and no temp file behind.

The target must be a regular file or absent. A device, a FIFO, a folder or a symbolic
link is refused (renaming over it would destroy the node or the link; writing through
a link would write somewhere the user did not name); so is a read-only file (the rename
would bypass its protection). A replaced file keeps its permission bits.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from exokg.errors import InputError

__all__ = ["check_target", "write_atomic"]


def write_atomic(path: Path, text: str, *, check: Callable[[Path], None] | None = None) -> None:
    """Write ``text`` to ``path`` through a checked, fsynced temp file in the same folder."""
    mode = check_target(path)
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
        temp.chmod(mode)  # temp files are private; the result gets the usual (or the previous) permissions
        if check is not None:
            check(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def check_target(path: Path) -> int:
    """The permission bits the written file gets; refuse a target that is not a writable regular file.

    >>> check_target(Path("/no/such/folder/x.ttl")) == 0o666 & ~_umask()
    True
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return 0o666 & ~_umask()
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", path=path) from None
    if stat.S_ISLNK(info.st_mode):
        raise InputError("is a symbolic link; exokg does not write through links: name its target", path=path)
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, FIFO or socket)"
        raise InputError(f"is {kind}; exokg writes only regular files", path=path)
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):  # mode bits: root passes os.access
        raise InputError("is read-only; exokg does not replace it (make it writable first)", path=path)
    return stat.S_IMODE(info.st_mode)


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

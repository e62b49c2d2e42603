"""Replace a build folder all at once: build beside it, then swap the two in one rename.

``exokg build --out DIR`` writes everything into a sibling ``.DIR.build-*`` folder,
the manifest last, and then exchanges that folder with ``DIR`` in one atomic
``renameat2(RENAME_EXCHANGE)``. Until the exchange succeeds ``DIR`` is the previous
build, untouched; after it, ``DIR`` is the new build, whole. A build killed at any
point leaves a ``.DIR.build-*`` or ``.DIR.old-*`` folder beside ``DIR``, and the next
build removes it. Builds into folders of the same parent hold a lock on that parent,
so one build never removes another's folder in progress.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from exokg.errors import InputError

__all__ = ["BUILD_FILE_NAMES", "check_build_target", "staged_folder"]

#: What a build folder may hold; anything else means DIR is not (only) a build and is not replaced.
BUILD_FILE_NAMES = frozenset(
    {
        "exokg.ttl", "exokg.nt", "exokg.jsonld", "exokg.trig", "exokg-ontology.ttl", "exokg-ontology.owl",
        "exokg-inferred.ttl", "validation-report.ttl", "validation-report.txt", "validation-report.json",
        "manifest.json", "store", "obo-report.tsv", "obo-report.txt", "exokg-claims.tsv", "exokg-cargo.tsv",
    }
)  # fmt: skip
# Temp files and folders that builds before 0.3 left inside DIR when killed.
_LEGACY_LITTER = (".exokg", ".store-", ".manifest.json.", ".validation-report", ".exokg-")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def check_build_target(out: Path) -> Path:
    """The absolute folder a build may replace; refuse one that holds anything but a build.

    The whole folder is swapped, so a folder with other files in it (``--out .``,
    ``--out ~``) would lose them: refuse it, naming the first stranger.
    """
    target = Path(os.path.realpath(out))  # a symlinked DIR: the folder it points to is replaced
    if target.exists() and not target.is_dir():
        raise InputError("output folder is not writable: it exists and is not a folder", path=out)
    if target.is_dir():
        strangers = sorted(p.name for p in target.iterdir() if not _is_build_entry(p.name))
        if strangers:
            shown = ", ".join(strangers[:3]) + (" …" if len(strangers) > 3 else "")
            raise InputError(
                f"not an exokg build folder (it holds {shown}); a build replaces the whole folder, "
                "so choose a new or empty folder",
                path=out,
            )
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"output folder is not writable: {exc.strerror}", path=out) from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError("output folder is not writable: its parent folder cannot be written", path=out)
    return target


def _is_build_entry(name: str) -> bool:
    return name in BUILD_FILE_NAMES or name.startswith(_LEGACY_LITTER)


@contextlib.contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """Yield a fresh sibling folder of ``out``; on success swap it in whole, on failure remove it.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with staged_folder(Path(tmp) / "dist") as stage:
    ...         _ = (stage / "manifest.json").write_text("{}")
    ...     sorted(p.name for p in Path(tmp).iterdir())
    ['dist']
    """
    target = check_build_target(out)
    parent = target.parent
    with _locked(parent):
        remove_litter(target)
        sys.audit("exokg.build.begin", str(target))
        try:
            stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=parent))
        except OSError as exc:
            raise InputError(f"output folder is not writable: {exc.strerror}", path=out) from None
        try:
            stage.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a build folder is not
            yield stage
            _fsync(stage)
            sys.audit("exokg.build.swap", str(stage), str(target))  # a kill point for bench/kill_build.py
            _swap_in(stage, target)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise


def remove_litter(target: Path) -> None:
    """Remove what killed builds left beside ``target``; restore ``target`` if a swap was cut short."""
    parent = target.parent
    old = sorted(parent.glob(f".{target.name}.old-*"))
    if not target.exists() and old:
        # only the two-rename fallback leaves this: DIR moved aside, the new one not yet in
        old[-1].rename(target)
        old.pop()
    for path in [*old, *parent.glob(f".{target.name}.build-*")]:
        shutil.rmtree(path, ignore_errors=True)


def _swap_in(stage: Path, target: Path) -> None:
    if not target.exists():
        stage.rename(target)
    elif _exchange(stage, target):
        shutil.rmtree(stage)  # now the previous build
    else:  # no RENAME_EXCHANGE here (old kernel, some file systems): two renames
        old = target.with_name(f".{target.name}.old-{stage.name.rsplit('-', 1)[-1]}")
        target.rename(old)
        stage.rename(target)
        shutil.rmtree(old)
    _fsync(target.parent)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: fall back
        return False
    raise OSError(errno, os.strerror(errno), str(second))


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released by the kernel when the process dies, even by kill -9
        yield
    finally:
        os.close(fd)


def _fsync(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current

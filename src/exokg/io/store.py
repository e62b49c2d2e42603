"""The persistent query store: an embedded Oxigraph database written by ``exokg build``.

This module imports only pyoxigraph, so ``exokg query`` starts fast and never
re-parses the exported files.
"""

from __future__ import annotations

from pathlib import Path

from exokg.errors import InputError

TYPE_CHECKING = False  # typing stays out of a cold `exokg query run` (see exokg.cli.fast); mypy reads the name
if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["STORE_DIRNAME", "open_read_only", "open_store", "write_store"]

STORE_DIRNAME = "store"


def write_store(nquads: str, folder: Path) -> Path:
    """Load N-Quads into a new Oxigraph store at ``folder/store``.

    ``folder`` is a build's staging folder (see :mod:`exokg.io.buildfolder`), swapped
    in whole once everything is written, so the store needs no swap of its own.
    The store folder gets the usual permissions, like every other output.
    """
    import shutil

    import pyoxigraph

    target = folder / STORE_DIRNAME
    if target.exists():
        raise InputError("a store is already here: a build writes into a fresh folder", path=target)
    try:
        store = pyoxigraph.Store(str(target))
        store.bulk_load(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def open_store(folder: Path) -> pyoxigraph.Store:
    """Open the store of a build folder read-only; a clear error when there is none."""
    path = folder / STORE_DIRNAME
    if not path.is_dir():
        raise InputError("no query store here: run `exokg build` first (or pass --dist to the build folder)", path=path)
    return open_read_only(path)


def open_read_only(path: Path) -> pyoxigraph.Store:
    """Open the Oxigraph store in folder ``path`` read-only; a clear error when it is not one."""
    import pyoxigraph

    if not (path / "CURRENT").is_file():
        raise InputError("not an Oxigraph store (no CURRENT file in this folder)", path=path)
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the query store: {exc}", path=path) from None

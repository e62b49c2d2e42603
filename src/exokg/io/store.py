"""The persistent query store: an embedded Oxigraph database written by ``exokg build``.

This module imports only pyoxigraph, so ``exokg query`` starts fast and never
re-parses the exported files.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from exokg.errors import InputError

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["STORE_DIRNAME", "open_store", "write_store"]

STORE_DIRNAME = "store"


def write_store(nquads: str, folder: Path) -> Path:
    """Load N-Quads into a fresh Oxigraph store at ``folder/store``, replacing any previous one whole.

    The store is built beside the target and swapped in, so a failure leaves
    the previous store in place.
    """
    import pyoxigraph

    target = folder / STORE_DIRNAME
    building = Path(tempfile.mkdtemp(prefix=".store-", dir=folder))
    try:
        store = pyoxigraph.Store(str(building))
        store.bulk_load(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store
        old = None
        if target.exists():
            old = folder / f".store-old-{building.name}"
            target.rename(old)
        building.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return target


def open_store(folder: Path) -> pyoxigraph.Store:
    """Open the store of a build folder read-only; a clear error when there is none."""
    import pyoxigraph

    path = folder / STORE_DIRNAME
    if not path.is_dir():
        raise InputError("no query store here: run `exokg build` first (or pass --dist to the build folder)", path=path)
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the query store: {exc}", path=path) from None

"""Everything ``exokg.remote`` takes from the rest of exokg, gathered here so a move is one edit."""

from __future__ import annotations

from exokg.errors import EngineError, ExokgError, InputError
from exokg.prefixes import GRAPH

__all__ = ["GRAPH", "STORE_DIRNAME", "EngineError", "ExokgError", "InputError"]

STORE_DIRNAME = "store"  # exokg.store.STORE_DIRNAME: the embedded store of a build folder

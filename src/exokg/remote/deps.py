"""Everything ``exokg.remote`` takes from the rest of exokg, gathered here so a move is one edit."""

from __future__ import annotations

from exokg.errors import EngineError, ExokgError, InputError
from exokg.io.store import STORE_DIRNAME
from exokg.progress import Bar
from exokg.vocab import GRAPH

__all__ = ["GRAPH", "STORE_DIRNAME", "Bar", "EngineError", "ExokgError", "InputError"]

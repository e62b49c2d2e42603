"""``exokg serve``: a read-only web app over a build: SPARQL 1.1 Protocol, linked-data pages, canned-query API.

Heavy imports (starlette, uvicorn, jinja2) happen only in :func:`create_app` and the command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Settings", "create_app"]

if TYPE_CHECKING:
    from exokg.serve.app import Settings, create_app


def __getattr__(name: str) -> Any:
    if name in __all__:
        from exokg.serve import app

        return getattr(app, name)
    raise AttributeError(f"module 'exokg.serve' has no attribute {name!r}")

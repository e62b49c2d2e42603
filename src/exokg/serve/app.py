"""The ASGI application: routes, start-up state, security headers and request limits.

>>> settings = Settings(dist=Path("dist"))
>>> settings.workers, settings.max_body
(2, 1048576)
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exokg.serve import api, backend, pages, protocol, resources
from exokg.serve.cache import ResponseCache
from exokg.serve.pool import PoolOptions, WorkerPool
from exokg.serve.views import Linker, run_page_query

__all__ = ["SECURITY_HEADERS", "Settings", "create_app"]

HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


@dataclass(frozen=True)
class Settings:
    dist: Path
    workers: int = 2
    timeout: float = 30.0
    row_cap: int = backend.DEFAULT_ROW_CAP
    memory_mb: int = 2048
    max_body: int = 1024 * 1024
    max_url: int = 16 * 1024
    cache_mb: int = 64


class GuardMiddleware:
    """Refuse oversized URLs and bodies early; add the security headers to every response."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url_size = len(scope.get("raw_path", b"")) + len(scope.get("query_string", b""))
        length = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if url_size > self.settings.max_url:
            await _plain(send, 414, b"request URL too long; POST the query instead\n")
            return
        if not length.isdigit() or int(length) > self.settings.max_body:
            await _plain(send, 413, b"request body too large (or a malformed Content-Length)\n")
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, secured)


async def _plain(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _load_state(app: Starlette, settings: Settings) -> None:
    state = app.state
    pool: WorkerPool = state.pool
    state.prefix_map = state.linker.prefix_map
    state.catalogue = backend.load_catalogue()
    manifest = settings.dist / "manifest.json"
    meta: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
    state.reasoned = bool(meta.get("reasoned", True))
    state.version = str(meta.get("version") or meta.get("build_date") or "0")
    sizes = await run_page_query(pool, "graph-sizes")
    state.graph_sizes = {r["graph"]["value"]: int(r["triples"]["value"]) for r in sizes}
    state.graph_names = sorted(state.graph_sizes)
    state.counts = {r["what"]["value"]: int(r["count"]["value"]) for r in await run_page_query(pool, "home-counts")}
    state.counts["statements"] = sum(state.graph_sizes.values())
    groups: dict[str, list[Any]] = {}
    for row in await run_page_query(pool, "home-entry-points"):
        groups.setdefault(row["group"]["value"], []).append(state.linker.term(row["item"], row["label"]))
    state.entry_points = groups
    state.labels = pages.LabelIndex(await run_page_query(pool, "label-index"), state.linker.href)
    state.reference_numbers = {
        r["number"]["value"]: "/source/" + r["reference"]["value"].rsplit("/", 1)[-1]
        for r in await run_page_query(pool, "reference-numbers")
    }


def local_href(iri: str) -> str:
    """Where a link to ``iri`` goes: exokg IRIs to this server, http(s) IRIs as they are, nothing else.

    >>> local_href("https://w3id.org/exokg/entity/mir-21"), local_href("javascript:alert(1)")
    ('/entity/mir-21', '#')
    """
    if iri.startswith(backend.BASE):
        return "/" + iri[len(backend.BASE) :]
    return iri if iri.startswith(("http://", "https://")) else "#"


def create_app(settings: Settings) -> Starlette:
    """The web app over the build in ``settings.dist``; the worker pool starts with the app's lifespan."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = lambda name: name is not None and name.endswith(".html")
    templates.env.auto_reload = False  # packaged templates never change; the mtime checks cost 1,500 stats a page
    linker = Linker(backend.load_prefix_map())  # once: a lookup per call re-resolves the resource folder
    templates.env.filters["curie"] = linker.curie
    templates.env.filters["href"] = local_href

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = WorkerPool(PoolOptions(settings.dist, size=settings.workers, timeout=settings.timeout,
                                      row_cap=settings.row_cap, memory_mb=settings.memory_mb))  # fmt: skip
        app.state.pool = pool
        await pool.start()
        try:
            await _load_state(app, settings)
            yield
        finally:
            await pool.close()

    routes = [
        Route("/", pages.home, name="home"),
        Route("/favicon.ico", lambda request: RedirectResponse("/static/favicon.svg", status_code=301)),
        Route("/search", pages.search, name="search"),
        Route("/sparql", protocol.sparql_endpoint, methods=["GET", "POST"], name="sparql"),
        Route("/sparql", protocol.sparql_not_allowed, methods=["PUT", "DELETE", "PATCH"]),
        Route("/editor", pages.editor, name="editor"),
        Route("/queries", pages.catalogue, name="catalogue"),
        Route("/queries/{name}", pages.query_page, name="query_page"),
        Route("/api/queries", api.queries_list, name="api_queries"),
        Route("/api/queries/{name}", api.query_run, name="api_query"),
        Route("/api/openapi.json", api.openapi, name="openapi"),
        Route("/api/docs", pages.api_docs, name="api_docs"),
        Route("/api/search", pages.autocomplete, name="autocomplete"),
        Route("/exokg.owl", resources.ontology_resource, name="ontology"),
        Route("/graph/{name}", resources.graph_resource, name="graph"),
        Route("/reference/{id}", resources.reference_alias, name="reference"),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        Route("/{kind}/{id}/graph", resources.neighbourhood, name="neighbourhood"),
        Route("/{kind}/{id}/graph.json", resources.neighbourhood, name="neighbourhood_json"),
        Route("/{kind}/{id}", resources.dereference, name="resource"),
    ]
    middleware = [
        Middleware(GuardMiddleware, settings=settings),
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                   allow_headers=["Accept", "Content-Type", "If-None-Match"],
                   expose_headers=["X-Exokg-Truncated", "ETag"], max_age=86400),
        Middleware(ResponseCache, budget_bytes=settings.cache_mb * 1024 * 1024),
    ]  # fmt: skip
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.settings = settings
    app.state.templates = templates
    app.state.linker = linker
    return app

"""Pages for people: home, search (with a JSON autocomplete), the canned-query catalogue and the SPARQL editor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from exokg.serve import backend
from exokg.serve.api import run_canned
from exokg.serve.pool import PoolBusy, QueryFailed, QueryTimedOut
from exokg.serve.resources import not_found, render

__all__ = ["LabelIndex", "api_docs", "autocomplete", "catalogue", "editor", "home", "query_page", "search"]


@dataclass(frozen=True)
class Match:
    iri: str
    label: str
    matched: str
    kind: str
    href: str


class LabelIndex:
    """Labels and exact synonyms of entities and vocabulary terms, read once at start-up (the store is read-only)."""

    def __init__(self, rows: list[dict[str, dict[str, str]]], href: Any) -> None:
        self.entries = [
            (r["text"]["value"].casefold(), Match(r["resource"]["value"], r["label"]["value"], r["text"]["value"],
                                                  r["kind"]["value"], href(r["resource"]["value"])))
            for r in rows
        ]  # fmt: skip

    def search(self, text: str, *, limit: int = 20) -> list[Match]:
        """Matches for ``text``: exact first, then prefix, then substring; one per resource."""
        needle = text.strip().casefold()
        if not needle:
            return []
        ranked: list[tuple[int, int, str, Match]] = []
        for folded, match in self.entries:
            position = folded.find(needle)
            if position < 0:
                continue
            rank = 0 if folded == needle else 1 if position == 0 else 2
            ranked.append((rank, len(folded), match.label.casefold(), match))
        ranked.sort(key=lambda r: r[:3])
        seen: set[str] = set()
        out: list[Match] = []
        for *_, match in ranked:
            if match.iri not in seen:
                seen.add(match.iri)
                out.append(match)
            if len(out) >= limit:
                break
        return out


async def home(request: Request) -> Response:
    state = request.app.state
    return render(request, "home.html", counts=state.counts, entry_points=state.entry_points,
                  graph_sizes=state.graph_sizes, catalogue=state.catalogue)  # fmt: skip


async def search(request: Request) -> Response:
    text = request.query_params.get("q", "")[:200]
    matches = request.app.state.labels.search(text, limit=100) if text else []
    exact = [m for m in matches if m.matched.casefold() == text.strip().casefold()]
    if len({m.iri for m in exact}) == 1 and request.query_params.get("go") == "1":
        return RedirectResponse(exact[0].href, status_code=303)
    return render(request, "search.html", text=text, matches=matches)


async def autocomplete(request: Request) -> Response:
    text = request.query_params.get("q", "")[:200]
    linker = request.app.state.linker
    wanted = request.query_params.get("limit", "15")
    limit = min(int(wanted), 100) if wanted.isdigit() else 15
    matches = request.app.state.labels.search(text, limit=limit)
    return JSONResponse([{"iri": m.iri, "curie": linker.curie(m.iri), "label": m.label, "matched": m.matched,
                          "kind": m.kind, "href": m.href} for m in matches])  # fmt: skip


async def catalogue(request: Request) -> Response:
    return render(request, "catalogue.html", catalogue=request.app.state.catalogue)


async def query_page(request: Request) -> Response:
    name = request.path_params["name"]
    canned: backend.CannedQuery | None = request.app.state.catalogue.get(name)
    if canned is None:
        return not_found(request, f"a query named {name!r}")
    given = {p.name: request.query_params[p.name] for p in canned.parameters if p.name in request.query_params}
    answer = error = None
    if "run" in request.query_params:
        try:
            answer = await run_canned(request, canned, given)
        except backend.ExokgError as exc:
            error = exc.message
        except (QueryFailed, QueryTimedOut, PoolBusy) as exc:
            error = str(exc)
    values = {p.name: given.get(p.name, p.default) for p in canned.parameters}
    download = str(request.url.replace(path=f"/api/queries/{name}")).split("?")[0]
    params = urlencode(values)
    columns = backend.table_columns(answer.variables) if answer else []  # names shown, IRIs linked, as in the CLI table
    return render(request, "query.html", query=canned, values=values, answer=answer, columns=columns, error=error,
                  download=download, params=params, status=400 if error else 200)  # fmt: skip


async def editor(request: Request) -> Response:
    return render(request, "editor.html", prefixes=request.app.state.prefix_map)


async def api_docs(request: Request) -> Response:
    """The OpenAPI description as a readable page (no external UI needed)."""
    from exokg.serve.api import openapi_document

    return render(request, "api-docs.html", document=openapi_document(request))

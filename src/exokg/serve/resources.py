"""Dereferenceable IRIs: ``/entity/…``, ``/claim/…``, ``/vocab/…``, ``/source/…``, ``/graph/…`` and the ontology.

Each answers HTML by default and Turtle, N-Triples or JSON-LD by ``Accept`` or
``?format=``, always with ``Vary: Accept``.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from exokg.serve import backend
from exokg.serve.conneg import RDF_FORMATS, choose
from exokg.serve.pool import PoolBusy, QueryFailed, QueryTimedOut
from exokg.serve.views import (
    Linker,
    claim_views,
    page_query,
    resource_view,
    run_page_query,
)

__all__ = ["KINDS", "dereference", "graph_resource", "neighbourhood", "ontology_resource", "reference_alias"]

KINDS = ("entity", "claim", "vocab", "source")
OFFERED = ["text/html", "text/turtle", "application/n-triples", "application/ld+json"]
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,200}$")
_SOURCE_TYPES = {backend.EXOKG + t for t in ("Reference", "ReviewArticle", "ReviewSection", "SourceDocument")}
CLAIM_TYPE = backend.EXOKG + "Claim"


def valid_id(value: str) -> bool:
    """An identifier that can be a path segment of an exokg IRI (no dots alone, no slashes).

    >>> valid_id("mir-21"), valid_id(".."), valid_id("a/b")
    (True, False, False)
    """
    return bool(_ID.match(value)) and ".." not in value


def negotiate(request: Request) -> str | None:
    override = request.query_params.get("format")
    if override:
        wanted = RDF_FORMATS.get(override.lower())
        return wanted if wanted in OFFERED else None
    return choose(request.headers.get("accept", ""), OFFERED)


def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    response: Response = request.app.state.templates.TemplateResponse(request, template, context, status_code=status)
    response.headers["Vary"] = "Accept"
    return response


def not_found(request: Request, what: str) -> Response:
    return render(request, "error.html", status=404, title="Not found", message=f"Nothing is known about {what}.")


def busy(request: Request, exc: Exception) -> Response:
    status = 400 if isinstance(exc, QueryFailed) and exc.kind == "InputError" else 503
    return render(request, "error.html", status=status, title="Unavailable", message=str(exc))


async def rdf_response(request: Request, media_type: str, op: dict[str, Any]) -> Response:
    try:
        answer = await request.app.state.pool.call({**op, "rdf_format": media_type})
    except (QueryFailed, QueryTimedOut, PoolBusy) as exc:
        return Response(str(exc) + "\n", status_code=503, media_type="text/plain", headers={"Vary": "Accept"})
    if answer.get("count", 1) == 0:
        return Response("not found\n", status_code=404, media_type="text/plain", headers={"Vary": "Accept"})
    return Response(answer["text"], media_type=media_type, headers={"Vary": "Accept"})


async def dereference(request: Request) -> Response:
    kind, ident = request.path_params["kind"], request.path_params["id"]
    if kind not in KINDS or not valid_id(ident):
        return not_found(request, "this address")
    iri = f"{backend.BASE}{kind}/{ident}"
    media_type = negotiate(request)
    if media_type is None:
        return Response("406: choose text/html, text/turtle, application/n-triples or application/ld+json\n",
                        status_code=406, media_type="text/plain", headers={"Vary": "Accept"})  # fmt: skip
    if media_type != "text/html":
        bindings = {"resource": {"kind": "uri", "value": iri}}
        return await rdf_response(request, media_type, {"op": "sparql", "query": page_query("describe"),
                                                        "bindings": bindings})  # fmt: skip
    linker: Linker = request.app.state.linker
    pool = request.app.state.pool
    try:
        rows = await run_page_query(pool, "resource-triples", resource=iri)
        view = resource_view(iri, rows, linker)
        if view is None:
            return not_found(request, linker.curie(iri))
        if CLAIM_TYPE in view.type_iris:
            claim_rows = [{"claim": {"type": "uri", "value": iri}, **r} for r in rows]
            return render(request, "claim.html", view=view, claim=claim_views(claim_rows, linker)[0])
        claims = claim_views(await run_page_query(pool, "resource-claims", resource=iri), linker)
        if view.is_class:
            hierarchy = await run_page_query(pool, "class-hierarchy", **{"class": iri})
            members = await run_page_query(pool, "class-members", **{"class": iri})
            return render(request, "class.html", view=view, claims=claims, hierarchy=hierarchy, members=members)
        if view.type_iris & _SOURCE_TYPES:
            return render(request, "reference.html", view=view, claims=claims)
        incoming = await run_page_query(pool, "resource-incoming", resource=iri)
        return render(request, "entity.html", view=view, claims=claims, incoming=incoming)
    except (QueryFailed, QueryTimedOut, PoolBusy) as exc:
        return busy(request, exc)


async def reference_alias(request: Request) -> Response:
    """``/reference/39`` or ``/reference/soung2016-r39``: the reference's IRI is under ``/source/``."""
    ident = request.path_params["id"]
    numbers: dict[str, str] = request.app.state.reference_numbers
    if ident in numbers:
        return RedirectResponse(numbers[ident], status_code=301)
    if valid_id(ident) and f"/source/{ident}" in numbers.values():
        return RedirectResponse(f"/source/{ident}", status_code=301)
    return not_found(request, f"reference {ident}")


async def graph_resource(request: Request) -> Response:
    name = request.path_params["name"]
    iri = backend.GRAPH + name
    sizes: dict[str, int] = request.app.state.graph_sizes
    if not valid_id(name) or iri not in sizes:
        return not_found(request, "this graph")
    return await _whole_graph(request, iri, f"The {name} graph", sizes[iri])


async def ontology_resource(request: Request) -> Response:
    iri = backend.GRAPH + "ontology"
    return await _whole_graph(request, iri, "The exokg ontology", request.app.state.graph_sizes.get(iri, 0),
                              ontology=True)  # fmt: skip


async def _whole_graph(request: Request, iri: str, title: str, size: int, *, ontology: bool = False) -> Response:
    media_type = negotiate(request)
    if media_type is None:
        return Response("406\n", status_code=406, media_type="text/plain", headers={"Vary": "Accept"})
    if media_type != "text/html":
        return await rdf_response(request, media_type, {"op": "dump", "graph": iri, "row_cap": 10_000_000})
    header = None
    if ontology:
        rows = await run_page_query(request.app.state.pool, "resource-triples", resource=backend.ONTOLOGY_IRI)
        header = resource_view(backend.ONTOLOGY_IRI, rows, request.app.state.linker)
    return render(request, "graph.html", title=title, graph=iri, size=size, header=header,
                  path=request.url.path)  # fmt: skip


async def neighbourhood(request: Request) -> Response:
    """The entity's neighbours as a table (works without JavaScript) and as JSON for Cytoscape.js."""
    kind, ident = request.path_params["kind"], request.path_params["id"]
    if kind not in KINDS or not valid_id(ident):
        return not_found(request, "this address")
    iri = f"{backend.BASE}{kind}/{ident}"
    linker: Linker = request.app.state.linker
    pool = request.app.state.pool
    try:
        rows = await run_page_query(pool, "resource-triples", resource=iri)
        incoming = await run_page_query(pool, "resource-incoming", resource=iri)
    except (QueryFailed, QueryTimedOut, PoolBusy) as exc:
        return busy(request, exc)
    view = resource_view(iri, rows, linker)
    if view is None:
        return not_found(request, linker.curie(iri))
    edges = [(linker.iri(iri, view.label), s.property, s.value) for s in view.statements if s.value.iri]
    edges += [(linker.iri(iri, view.label), link, linker.iri(t.iri or "", t.text))
              for t, _ in view.types for link in [linker.iri(backend.RDF_TYPE, "type")] if t.iri]  # fmt: skip
    edges += [
        (linker.term(r["subject"], r.get("subjectLabel")), linker.term(r["property"], r.get("propertyLabel")),
         linker.iri(iri, view.label))
        for r in incoming
    ]  # fmt: skip
    edges = edges[:200]
    if request.url.path.endswith(".json"):
        from starlette.responses import JSONResponse

        nodes: dict[str, dict[str, Any]] = {}
        for source, _, target in edges:
            for node in (source, target):
                if node.iri:
                    nodes[node.iri] = {"data": {"id": node.iri, "label": node.text, "href": node.href,
                                                "centre": node.iri == iri}}  # fmt: skip
        links = [{"data": {"id": f"e{i}", "source": s.iri, "target": t.iri, "label": p.text}}
                 for i, (s, p, t) in enumerate(edges) if s.iri and t.iri]  # fmt: skip
        return JSONResponse({"elements": list(nodes.values()) + links})
    return render(request, "neighbourhood.html", view=view, edges=edges, data_url=f"{request.url.path}.json")

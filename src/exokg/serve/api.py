"""The canned queries as a web API, in the spirit of grlc: list, run, and an OpenAPI description.

``/api/queries/{name}?param=…`` answers exactly what ``exokg query run name --param …``
prints with ``--format json`` (or ``csv``/``tsv`` by ``Accept`` or ``?format=``): the
same binding, engine, row cap and formatter.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from exokg.serve import backend
from exokg.serve.conneg import choose
from exokg.serve.pool import PoolBusy, QueryFailed, QueryTimedOut

__all__ = ["API_TYPES", "openapi", "openapi_document", "queries_list", "query_run", "run_canned"]

API_TYPES = {
    "application/json": "json",
    "application/sparql-results+json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_SHORT = {"json": "application/json", "csv": "text/csv", "tsv": "text/tab-separated-values"}


async def run_canned(request: Request, canned: backend.CannedQuery, given: dict[str, str]) -> backend.Answer:
    """Bind like the CLI (typed terms, defaults, names resolved on the graph) and run with its engine, in the pool."""
    for name in given:
        canned.parameter(name)  # an unknown parameter is a 400 before any work
    if "inferred" in canned.requires and not request.app.state.reasoned:
        raise backend.InputError(f"query {canned.name!r} needs the inferred graph, but the build has none")
    try:
        answer = await request.app.state.pool.call({"op": "canned", "name": canned.name, "params": given})
    except QueryFailed as exc:
        if exc.kind in ("InputError", "QueryRefused", "QuerySyntaxError"):
            raise backend.InputError(exc.message) from None
        raise
    return backend.Answer(**answer)


def _describe(request: Request, canned: backend.CannedQuery) -> dict[str, Any]:
    base = str(request.url_for("api_query", name=canned.name))
    return {
        "name": canned.name,
        "title": canned.title,
        "question": canned.question,
        "requires": list(canned.requires),
        "parameters": [
            {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
            for p in canned.parameters
        ],
        "url": base,
        "page": str(request.url_for("query_page", name=canned.name)),
        "sparql": canned.text,
    }


async def queries_list(request: Request) -> Response:
    catalogue: dict[str, backend.CannedQuery] = request.app.state.catalogue
    return JSONResponse({"queries": [_describe(request, q) for q in catalogue.values()]})


async def query_run(request: Request) -> Response:
    name = request.path_params["name"]
    canned: backend.CannedQuery | None = request.app.state.catalogue.get(name)
    if canned is None:
        valid = ", ".join(request.app.state.catalogue)
        return PlainTextResponse(f"unknown query {name!r}; valid queries: {valid}\n", status_code=404)
    override = request.query_params.get("format")
    if override:
        media_type = _SHORT.get(override.lower())
    else:
        media_type = choose(request.headers.get("accept", ""), list(API_TYPES))
    headers = {"Vary": "Accept"}
    if media_type is None:
        return PlainTextResponse("choose application/json, text/csv or text/tab-separated-values\n",
                                 status_code=406, headers=headers)  # fmt: skip
    given = {k: v for k, v in request.query_params.multi_items() if k != "format"}
    try:
        answer = await run_canned(request, canned, given)
    except backend.ExokgError as exc:
        return PlainTextResponse(exc.message + "\n", status_code=400, headers=headers)
    except QueryFailed as exc:
        return PlainTextResponse(exc.message + "\n", status_code=400 if exc.kind == "InputError" else 500)
    except (QueryTimedOut, PoolBusy) as exc:
        return PlainTextResponse(str(exc) + "\n", status_code=503, headers=headers)
    if answer.truncated:
        headers["X-Exokg-Truncated"] = "true"
    body = backend.format_answer(answer, API_TYPES[media_type])
    return Response(body, media_type=media_type, headers=headers)


def openapi_document(request: Request) -> dict[str, Any]:
    """OpenAPI 3.1, one path per canned query, generated from the queries' parameter metadata."""
    catalogue: dict[str, backend.CannedQuery] = request.app.state.catalogue
    paths: dict[str, Any] = {
        "/api/queries": {"get": {"summary": "List the canned queries", "operationId": "listQueries",
                                 "responses": {"200": {"description": "the catalogue",
                                                       "content": {"application/json": {}}}}}},
    }  # fmt: skip
    for canned in catalogue.values():
        parameters = [
            {"name": p.name, "in": "query", "required": False, "description": p.description,
             "schema": {"type": "integer" if p.type == "integer" else "string", "default": p.default,
                        **({"format": "iri"} if p.type in ("IRI", "CURIE") else {})},
             "x-exokg-type": p.type}
            for p in canned.parameters
        ]  # fmt: skip
        parameters.append({"name": "format", "in": "query", "required": False,
                           "schema": {"type": "string", "enum": ["json", "csv", "tsv"]},
                           "description": "overrides the Accept header"})  # fmt: skip
        paths[f"/api/queries/{canned.name}"] = {
            "get": {
                "summary": canned.title,
                "description": canned.question,
                "operationId": canned.name,
                "parameters": parameters,
                "responses": {
                    "200": {"description": "SPARQL 1.1 results (JSON), or CSV/TSV",
                            "content": {t: {} for t in ("application/json", "text/csv", "text/tab-separated-values")}},
                    "400": {"description": "a parameter value is not of its type, or unknown"},
                    "503": {"description": "the query ran past the time limit, or the server is busy"},
                },
            }
        }  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {"title": "exokg canned queries", "version": request.app.state.version,
                 "description": "The review's competency questions as a web API; every parameter has a default."},
        "servers": [{"url": str(request.base_url).rstrip("/")}],
        "paths": paths,
    }  # fmt: skip


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(request))

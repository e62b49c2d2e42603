"""The SPARQL 1.1 Protocol, query side, at ``/sparql``; updates are refused.

GET with ``query=``; POST as a form or as ``application/sparql-query``; the
protocol's ``default-graph-uri`` and ``named-graph-uri`` (exokg's own graphs
only, like ``FROM``); results by ``Accept``; a service description when no query
is given. Every query runs in the worker pool with the CLI's guard, time limit,
row cap and a memory cap.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from exokg.serve import backend
from exokg.serve.conneg import RDF_FORMATS, RESULT_FORMATS, choose
from exokg.serve.formats import render_results
from exokg.serve.pool import PoolBusy, QueryFailed, QueryTimedOut, WorkerPool

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "error_response", "query_form", "read_body", "sparql_endpoint"]

RESULT_TYPES = [*RESULT_FORMATS.values(), "application/json", "text/plain"]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "text/plain"]
_MASK = re.compile(r"#[^\n]*|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^<>\s]*>")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_UPDATE_TYPES = ("application/sparql-update",)


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes even without a Content-Length."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside comments, strings and IRIs.

    >>> query_form("PREFIX a: <http://x/ASK#> # DESCRIBE\\nCONSTRUCT WHERE { ?s ?p 'SELECT' }")
    'CONSTRUCT'
    """
    match = _FORM.search(_MASK.sub(" ", query))
    return match.group(1).upper() if match else "SELECT"


def error_response(status: int, message: str, **headers: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers or None)


def _vary(response: Response) -> Response:
    response.headers["Vary"] = "Accept"
    return response


async def sparql_endpoint(request: Request) -> Response:
    settings = request.app.state.settings
    if request.method == "POST":
        content_type, _, options = request.headers.get("content-type", "").partition(";")
        content_type = content_type.strip().lower()
        charset = dict(_parameters(options)).get("charset", "utf-8").lower()
        try:
            body = await read_body(request, settings.max_body)
        except BodyTooLarge:
            return error_response(413, f"request body larger than {settings.max_body} bytes")
        if content_type in _UPDATE_TYPES:
            return error_response(403, "this endpoint is read-only: SPARQL Update is not accepted")
        if charset not in ("utf-8", "utf8"):
            return error_response(415, f"the body must be UTF-8, not {charset}")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return error_response(400, "the body is not valid UTF-8")
        url_params = list(request.query_params.multi_items())
        if content_type == "application/x-www-form-urlencoded":
            params = parse_qsl(text, keep_blank_values=True)
        elif content_type == "application/sparql-query":
            params = [*url_params, ("query", text)]
        else:
            return error_response(415, "POST a form (application/x-www-form-urlencoded) or application/sparql-query")
        if content_type == "application/x-www-form-urlencoded" and any(k == "query" for k, _ in url_params):
            return error_response(400, "send the query in the body or the URL, not both")
    else:
        params = list(request.query_params.multi_items())
    queries = [v for k, v in params if k == "query"]
    if any(k == "update" for k, _ in params):
        if request.method == "GET":
            return error_response(405, "updates are never accepted over GET (nor here at all)", Allow="GET, POST")
        return error_response(403, "this endpoint is read-only: SPARQL Update is not accepted")
    if not queries:
        if request.method == "GET":
            return await service_description(request)
        return error_response(400, "missing 'query' parameter")
    if len(queries) > 1:
        return error_response(400, "give exactly one 'query' parameter")
    default_graphs = [v for k, v in params if k == "default-graph-uri"]
    named_graphs = [v for k, v in params if k == "named-graph-uri"]
    for graph in default_graphs + named_graphs:
        if not graph.startswith(backend.GRAPH):
            return error_response(403, f"only exokg's own graphs ({backend.GRAPH}…) may form the dataset, not {graph}")
    return await run_query(request, queries[0], default_graphs, named_graphs)


def _parameters(options: str) -> list[tuple[str, str]]:
    pairs = (part.partition("=") for part in options.split(";") if "=" in part)
    return [(key.strip().lower(), value.strip().strip('"')) for key, _, value in pairs]


def _choose_type(request: Request, form: str) -> str | None:
    offered = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    override = request.query_params.get("format")
    if override:
        wanted = {**RESULT_FORMATS, **RDF_FORMATS}.get(override.lower(), override)
        return wanted if wanted in offered else None
    return choose(request.headers.get("accept", ""), offered)


async def run_query(request: Request, query: str, default_graphs: list[str], named_graphs: list[str]) -> Response:
    pool: WorkerPool = request.app.state.pool
    form = query_form(query)
    media_type = _choose_type(request, form)
    if media_type is None:
        return _vary(error_response(406, "no acceptable result format; see the service description at /sparql"))
    rdf_type = "text/turtle" if media_type == "text/plain" else media_type
    request_body: dict[str, Any] = {"op": "sparql", "query": query, "rdf_format": rdf_type,
                                    "default_graphs": default_graphs, "named_graphs": named_graphs}  # fmt: skip
    try:
        answer = await pool.call(request_body)
    except QueryFailed as exc:
        status = 403 if exc.kind == "QueryRefused" else 400 if exc.kind in ("InputError", "QuerySyntaxError") else 500
        return error_response(status, exc.message)
    except QueryTimedOut as exc:
        return error_response(503, str(exc))
    except PoolBusy as exc:
        return error_response(503, str(exc), **{"Retry-After": "5"})
    headers = {"Vary": "Accept"}
    if answer.get("truncated"):
        headers["X-Exokg-Truncated"] = "true"
    if answer["kind"] == "graph":
        return Response(answer["text"], media_type=media_type, headers=headers)
    result_type = "application/sparql-results+json" if media_type in ("application/json", "text/plain") else media_type
    text = render_results(result_type, answer.get("variables", []), answer.get("rows", []), answer.get("boolean"))
    return Response(text, media_type=media_type, headers=headers)


async def service_description(request: Request) -> Response:
    accept = request.headers.get("accept", "")
    offered = ["text/turtle", "text/html", "application/n-triples", "application/ld+json"]
    override = request.query_params.get("format")
    wanted = RDF_FORMATS.get(override.lower()) if override else choose(accept, offered)
    if wanted == "text/html":
        return _vary(RedirectResponse("/editor", status_code=303))
    if wanted is None or wanted not in offered:
        return _vary(error_response(406, "the service description is available as Turtle, N-Triples or JSON-LD"))
    endpoint = quote(str(request.url_for("sparql")), safe=":/?#[]@!$&'()*+,;=%-._~")  # a Host header stays an IRI
    text = request.app.state.templates.get_template("service-description.ttl").render(
        endpoint=endpoint, graphs=request.app.state.graph_names
    )
    if wanted != "text/turtle":
        import pyoxigraph

        triples = pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
        fmt = pyoxigraph.RdfFormat.from_media_type(wanted)
        text = (pyoxigraph.serialize(list(triples), format=fmt) or b"").decode("utf-8")
    return _vary(Response(text, media_type=wanted))


async def sparql_not_allowed(request: Request) -> Response:
    return error_response(405, "the SPARQL endpoint is read-only: use GET or POST with a query", Allow="GET, POST")

"""A query worker process: opens the store read-only and answers one JSON request per line.

The web app keeps a bounded pool of these (:mod:`exokg.serve.pool`). A worker may
grow its address space by at most ``MEMORY_MB`` once the store is open, and the app
kills it when a query runs past the time limit, so a runaway query never touches the
server or other requests.

Requests and answers are single JSON lines on stdin and stdout::

    {"op": "select", "query": "...", "bindings": {...}}  ->  {"ok": {"variables": ..., "rows": ...}}
    {"op": "canned", "name": "...", "params": {...}}  ->  the same, as `exokg query run` answers
    {"op": "sparql", "query": "...", "rdf_format": "text/turtle"}  ->  {"ok": {"kind": "graph", "text": ...}}
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from exokg.serve import backend

__all__ = ["handle", "main"]


class _InProcessEngine(backend.OxigraphEngine):
    """The CLI's engine, evaluating in this process: the worker already is the isolated child."""

    def _in_worker(self, query: backend.CheckedQuery, bindings: dict[str, backend.Term]) -> backend.Answer:
        return self._evaluate(query.text, bindings, union=not query.has_dataset)


@cache
def _catalogue() -> dict[str, backend.CannedQuery]:
    return backend.load_catalogue()


def _term_json(node: Any) -> dict[str, str] | None:
    import pyoxigraph

    if node is None:
        return None
    if isinstance(node, pyoxigraph.NamedNode):
        return {"type": "uri", "value": node.value}
    if isinstance(node, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": node.value}
    if isinstance(node, pyoxigraph.Triple):
        return {"type": "triple", "value": str(node)}
    out = {"type": "literal", "value": node.value}
    if node.language:
        out["xml:lang"] = node.language
    elif node.datatype.value != backend.XSD_STRING:
        out["datatype"] = node.datatype.value
    return out


def _answer_dict(answer: backend.Answer) -> dict[str, Any]:
    return {"variables": answer.variables, "rows": answer.rows, "boolean": answer.boolean,
            "truncated": answer.truncated}  # fmt: skip


def _bindings(raw: dict[str, dict[str, Any]]) -> dict[str, backend.Term]:
    return {name: backend.Term(t["kind"], t["value"], t.get("datatype"), t.get("language")) for name, t in raw.items()}


def _rdf_format(media_type: str) -> Any:
    import pyoxigraph

    found = pyoxigraph.RdfFormat.from_media_type(media_type)
    if found is None:
        raise backend.InputError(f"no RDF serialiser for {media_type}")
    return found


def _serialize_triples(triples: Any, media_type: str, cap: int) -> dict[str, Any]:
    import pyoxigraph

    kept: list[Any] = []
    truncated = False
    for triple in triples:
        if len(kept) >= cap:
            truncated = True
            break
        kept.append(triple)
    prefixes = backend.load_prefix_map() if media_type == "text/turtle" else None
    fmt = _rdf_format(media_type)
    options: dict[str, Any] = {"prefixes": prefixes} if prefixes else {}
    data = pyoxigraph.serialize(kept, format=fmt, **options)
    return {"kind": "graph", "text": (data or b"").decode("utf-8"), "count": len(kept), "truncated": truncated}


def _sparql(store: Any, request: dict[str, Any], row_cap: int) -> dict[str, Any]:
    import pyoxigraph

    text = request["query"]
    checked = backend.check_query(text)
    options: dict[str, Any] = {}
    if request.get("default_graphs"):
        options["default_graph"] = [pyoxigraph.NamedNode(g) for g in request["default_graphs"]]
    elif not checked.has_dataset:  # the union default graph would override the query's FROM
        options["use_default_graph_as_union"] = True
    if request.get("named_graphs"):
        options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in request["named_graphs"]]
    if request.get("bindings"):  # typed terms substituted by the engine (only IRIs are needed here)
        options["substitutions"] = {pyoxigraph.Variable(name): pyoxigraph.NamedNode(term["value"])
                                    for name, term in request["bindings"].items()}  # fmt: skip
    try:
        result = store.query(text, **options)
    except SyntaxError as exc:
        raise backend.InputError(f"SPARQL syntax error: {exc}") from None
    if isinstance(result, pyoxigraph.QueryBoolean):
        return {"kind": "boolean", "boolean": bool(result)}
    if isinstance(result, pyoxigraph.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows: list[dict[str, dict[str, str]]] = []
        truncated = False
        for solution in result:
            if len(rows) >= row_cap:
                truncated = True
                break
            rows.append({v: t for v in variables if (t := _term_json(solution[v])) is not None})
        return {"kind": "solutions", "variables": variables, "rows": rows, "truncated": truncated}
    return _serialize_triples(result, request.get("rdf_format", "text/turtle"), row_cap)


def _dump(store: Any, request: dict[str, Any], cap: int) -> dict[str, Any]:
    import pyoxigraph

    graph = request.get("graph")
    quads = store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph) if graph else None)
    return _serialize_triples((q.triple for q in quads), request.get("rdf_format", "text/turtle"), cap)


def handle(store: Any, request: dict[str, Any], *, timeout: float, row_cap: int) -> dict[str, Any]:
    """Answer one request; failures come back as ``{"error": ..., "message": ...}``."""
    cap = int(request.get("row_cap") or row_cap)
    try:
        op = request.get("op")
        if op == "ping":
            return {"ok": "pong"}
        if op == "canned":  # exactly `exokg query run`: the catalogue's text, names resolved on the graph
            engine = _InProcessEngine(store, timeout=timeout, row_cap=cap)
            canned = _catalogue()[request["name"]]
            given = request.get("params", {})
            bindings = backend.bind_parameters(canned, given, resolve=lambda text: backend.resolve(engine, text))
            return {"ok": _answer_dict(engine.run(canned.text, bindings))}
        if op == "select":
            engine = _InProcessEngine(store, timeout=timeout, row_cap=cap)
            return {"ok": _answer_dict(engine.run(request["query"], _bindings(request.get("bindings", {}))))}
        if op == "sparql":
            return {"ok": _sparql(store, request, cap)}
        if op == "dump":
            return {"ok": _dump(store, request, cap)}
        return {"error": "InputError", "message": f"unknown operation {op!r}"}
    except backend.ExokgError as exc:  # the kind decides the HTTP status (a syntax error is not a refusal)
        return {"error": type(exc).__name__, "message": exc.message}
    except MemoryError:
        return {"error": "MemoryError", "message": "the query needed more memory than the worker's cap"}
    except Exception as exc:  # an engine failure is reported, never kills the worker
        return {"error": "EngineError", "message": f"{type(exc).__name__}: {exc}"}


def serve_forever(store: Any, source: BinaryIO, sink: BinaryIO, *, timeout: float, row_cap: int) -> None:
    for line in source:
        answer = handle(store, json.loads(line), timeout=timeout, row_cap=row_cap)
        sink.write(json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n")
        sink.flush()


def main(argv: list[str] | None = None) -> None:
    """``python -m exokg.serve.worker DIST TIMEOUT ROW_CAP MEMORY_MB``."""
    import pyoxigraph

    dist, timeout, row_cap, memory_mb = (argv or sys.argv[1:])[:4]
    store = pyoxigraph.Store.read_only(str(Path(dist) / backend.STORE_DIRNAME))
    store.query("ASK { ?s ?p ?o }")  # the engine's own start-up allocations come before the cap
    if int(memory_mb) > 0:
        backend.cap_memory_growth(int(memory_mb))
    sink = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers may reach the pipe
    serve_forever(store, sys.stdin.buffer, sink, timeout=float(timeout), row_cap=int(row_cap))


if __name__ == "__main__":
    main()

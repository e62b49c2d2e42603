"""Push named graphs to a SPARQL 1.1 store: staging graphs first, one swap, then verification.

1. every staging graph is cleared, then filled in chunks through the Graph Store
   Protocol (PUT for the first chunk, POST to append), each request retried;
2. each staging graph is read back and checked: triple count and canonical checksum;
3. one SPARQL Update request moves every staging graph onto its live graph
   (``MOVE <staging> TO <live>``, one operation per graph, one request): Oxigraph
   applies a request in one transaction and Virtuoso commits it once at the end, so
   the live graphs change all together or not at all;
4. each live graph is read back and checked the same way.

A push stopped before step 3 leaves the live graphs as they were (only staging graphs
hold partial data, and the next push clears them). See docs/scaling.md.
"""

from __future__ import annotations

import sys
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from exokg.remote.deps import GRAPH, Bar, EngineError, InputError
from exokg.remote.graphs import GraphPayload, parse_graph
from exokg.remote.http import Client, origin, redact

__all__ = ["DEFAULT_CHUNK", "PushReport", "Target", "plan_text", "push", "staging_iri"]

DEFAULT_CHUNK = 50_000
NTRIPLES = "application/n-triples"


def staging_iri(live: str) -> str:
    """Where a live graph is filled before the swap.

    >>> staging_iri("https://w3id.org/exokg/graph/review")
    'https://w3id.org/exokg/graph/staging/review'
    """
    if live.startswith(GRAPH):
        return GRAPH + "staging/" + live[len(GRAPH) :]
    return GRAPH + "staging/" + urllib.parse.quote(live, safe="")


@dataclass(frozen=True)
class Target:
    """The three URLs of a store: SPARQL query, SPARQL update, Graph Store Protocol."""

    query: str
    update: str
    graph_store: str

    @classmethod
    def from_urls(cls, endpoint: str, *, update: str | None = None, graph_store: str | None = None) -> Target:
        """Derive what is not given from the endpoint, by the conventions of Oxigraph and Virtuoso.

        >>> Target.from_urls("http://127.0.0.1:7878/query")
        Target(query='http://127.0.0.1:7878/query', update='http://127.0.0.1:7878/update', graph_store='http://127.0.0.1:7878/store')
        >>> Target.from_urls("http://127.0.0.1:8890/sparql").graph_store
        'http://127.0.0.1:8890/sparql-graph-crud'
        """
        for url in (endpoint, update, graph_store):
            if url is not None and not url.startswith(("http://", "https://")):
                raise InputError(f"a store URL must be http(s), not {redact(url)!r}")
            if url is not None and "@" in urllib.parse.urlsplit(url).netloc:
                raise InputError("put credentials in --auth (or EXOKG_ENDPOINT_AUTH), not in the URL")
        path = urllib.parse.urlsplit(endpoint).path
        if path.endswith("/query"):  # Oxigraph server
            stem = endpoint[: endpoint.rfind("/query")]
            return cls(endpoint, update or stem + "/update", graph_store or stem + "/store")
        if path.endswith("/sparql"):  # Virtuoso: one endpoint for both, graph store beside it
            return cls(endpoint, update or endpoint, graph_store or endpoint + "-graph-crud")
        if update is None or graph_store is None:
            raise InputError("cannot guess this store's update and graph store URLs: pass --update and --graph-store")
        return cls(endpoint, update, graph_store)

    def graph_url(self, graph: str) -> str:
        return self.graph_store + ("&" if "?" in self.graph_store else "?") + urllib.parse.urlencode({"graph": graph})

    def check_one_origin(self) -> None:
        if len({origin(self.query), origin(self.update), origin(self.graph_store)}) != 1:
            raise InputError("query, update and graph store URLs must share one origin (credentials are bound to it)")


@dataclass
class GraphResult:
    iri: str
    triples: int
    checksum: str
    seconds: float


@dataclass
class PushReport:
    graphs: list[GraphResult] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def plan_text(payloads: Sequence[GraphPayload], target: Target, *, chunk: int = DEFAULT_CHUNK) -> str:
    """What :func:`push` would do, without a single request (``--dry-run``)."""
    lines = [
        f"push to {redact(target.query)}",
        f"  update: {redact(target.update)}",
        f"  graph store: {redact(target.graph_store)}",
        "1. fill staging graphs (PUT the first chunk, POST the rest; "
        f"up to {chunk:,} triples a request, blank nodes kept together):",
    ]
    for p in payloads:
        requests = sum(1 for _ in p.chunks(chunk))
        lines.append(f"   {p.iri} <- {staging_iri(p.iri)}: {p.triples:,} triples, {requests} request(s)")
    lines.append("2. read each staging graph back: triple count and SHA-256 of canonical N-Triples")
    lines.append("3. swap in one SPARQL Update request:")
    lines.extend(f"   MOVE <{staging_iri(p.iri)}> TO <{p.iri}>" for p in payloads)
    lines.append("4. read each live graph back and check it the same way:")
    lines.extend(f"   {p.iri}: {p.triples:,} triples, sha256 {p.checksum}" for p in payloads)
    return "\n".join(lines) + "\n"


def push(
    payloads: Sequence[GraphPayload],
    target: Target,
    client: Client,
    *,
    chunk: int = DEFAULT_CHUNK,
    progress: TextIO | None = sys.stderr,
) -> PushReport:
    """Load ``payloads`` into staging graphs, verify, swap them onto the live graphs, verify again."""
    if chunk < 1:
        raise InputError("chunk size must be at least 1 triple")
    target.check_one_origin()
    if client.auth is not None and client.auth_origin is None:
        client.auth_origin = origin(target.query)
    report = PushReport()
    start = time.monotonic()
    for p in payloads:
        began = time.monotonic()
        _fill(p, target, client, chunk, progress)
        _verify(p, staging_iri(p.iri), target, client, stage="staging")
        report.graphs.append(GraphResult(p.iri, p.triples, p.checksum, time.monotonic() - began))
    report.timings["load"] = time.monotonic() - start
    began = time.monotonic()
    swap = " ;\n".join(f"MOVE SILENT <{staging_iri(p.iri)}> TO <{p.iri}>" for p in payloads)
    _update(client, target, swap)
    report.timings["swap"] = time.monotonic() - began
    began = time.monotonic()
    for p in payloads:
        _verify(p, p.iri, target, client, stage="live")
    report.timings["verify"] = time.monotonic() - began
    return report


def _fill(p: GraphPayload, target: Target, client: Client, chunk: int, progress: TextIO | None) -> None:
    staging = staging_iri(p.iri)
    _update(client, target, f"DROP SILENT GRAPH <{staging}>")
    bar = Bar(f"push {p.iri.rsplit('/', 1)[-1]}", p.triples, progress, unit="triples")
    first = True
    for lines in p.chunks(chunk):
        body = ("\n".join(lines) + "\n").encode("utf-8")
        client.request("PUT" if first else "POST", target.graph_url(staging), body=body,
                       headers={"Content-Type": NTRIPLES})  # fmt: skip
        first = False
        bar.advance(len(lines))
    if first:  # an empty graph: create the staging graph so the swap empties the live one
        client.request("PUT", target.graph_url(staging), body=b"", headers={"Content-Type": NTRIPLES})
    bar.close()


def _update(client: Client, target: Target, text: str) -> None:
    body = urllib.parse.urlencode({"update": text}).encode("utf-8")
    client.request("POST", target.update, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})


def read_back(graph: str, target: Target, client: Client) -> list[str]:
    """The canonical lines of ``graph`` as the store holds it (empty when the store has no such graph)."""
    try:
        answer = client.request("GET", target.graph_url(graph), headers={"Accept": f"{NTRIPLES}, text/turtle;q=0.5"})
    except EngineError as exc:
        if "HTTP 404" in str(exc):
            return []
        raise
    return parse_graph(answer.body, answer.content_type)


def _verify(p: GraphPayload, graph: str, target: Target, client: Client, *, stage: str) -> None:
    from exokg.remote.graphs import checksum

    lines = read_back(graph, target, client)
    if len(lines) != p.triples or checksum(lines) != p.checksum:
        raise EngineError(
            f"{stage} graph {graph} does not match what was sent: {len(lines):,} triples read back, "
            f"{p.triples:,} sent" + ("" if len(lines) != p.triples else " (same count, different content)")
            + ("; the live graphs were not touched" if stage == "staging" else "")
        )  # fmt: skip


__all__ += ["GraphResult", "read_back"]

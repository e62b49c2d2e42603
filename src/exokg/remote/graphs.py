"""Named graphs as canonical N-Triples: what a push sends, and what its checksum covers.

A graph is held as sorted, de-duplicated N-Triples lines (pyoxigraph's writer, language
tags in lower case because stores may fold them) grouped into *blocks*: the triples that
share blank nodes travel in one request, since a blank node label means nothing across
requests. The checksum is SHA-256 over the sorted lines, blank nodes relabelled from
their content (rdflib's canonicalisation), so a graph read back from any store compares.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exokg.remote.deps import STORE_DIRNAME, InputError

__all__ = ["GraphPayload", "canonical_lines", "checksum", "parse_graph", "read_build"]


@dataclass(frozen=True)
class GraphPayload:
    """One named graph to push: its IRI, canonical lines in blocks, count and checksum."""

    iri: str
    blocks: tuple[tuple[str, ...], ...]
    triples: int
    checksum: str

    def chunks(self, size: int) -> Iterator[list[str]]:
        """Lists of about ``size`` lines; a block is never split."""
        chunk: list[str] = []
        for block in self.blocks:
            if chunk and len(chunk) + len(block) > size:
                yield chunk
                chunk = []
            chunk.extend(block)
        if chunk:
            yield chunk


def _line(triple: Any) -> str:
    import pyoxigraph

    obj = triple.object
    if isinstance(obj, pyoxigraph.Literal) and obj.language and obj.language != obj.language.lower():
        obj = pyoxigraph.Literal(obj.value, language=obj.language.lower())
        triple = pyoxigraph.Triple(triple.subject, triple.predicate, obj)
    return f"{triple} ."


def _has_blank(triple: Any) -> bool:
    import pyoxigraph

    return isinstance(triple.subject, pyoxigraph.BlankNode) or isinstance(triple.object, pyoxigraph.BlankNode)


def canonical_lines(triples: Iterable[Any]) -> list[str]:
    """Sorted unique N-Triples lines; blank nodes relabelled canonically when there are any.

    >>> import pyoxigraph
    >>> t = pyoxigraph.Triple(pyoxigraph.NamedNode("urn:a"), pyoxigraph.NamedNode("urn:p"),
    ...                       pyoxigraph.Literal("x", language="EN-GB"))
    >>> canonical_lines([t])
    ['<urn:a> <urn:p> "x"@en-gb .']
    """
    triples = list(triples)
    if any(_has_blank(t) for t in triples):
        triples = _relabel_blank_nodes(triples)
    return sorted({_line(t) for t in triples})


def _relabel_blank_nodes(triples: list[Any]) -> list[Any]:
    import pyoxigraph
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    text = "\n".join(f"{t} ." for t in triples)
    graph = to_canonical_graph(Graph().parse(data=text, format="nt"))
    out = graph.serialize(format="nt", encoding="utf-8")
    return [quad.triple for quad in pyoxigraph.parse(out, format=pyoxigraph.RdfFormat.N_TRIPLES)]


def checksum(lines: Iterable[str]) -> str:
    """SHA-256 of the sorted canonical lines, one per line."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def _blocks(lines: list[str]) -> tuple[tuple[str, ...], ...]:
    """Lines that share blank nodes (transitively) in one block; every other line alone."""
    import re

    label = re.compile(r"_:[A-Za-z0-9_.-]+")
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    blank_lines: list[tuple[str, list[str]]] = []
    singles: list[tuple[str, ...]] = []
    for line in lines:
        nodes = label.findall(_mask_literal(line))
        if not nodes:
            singles.append((line,))
            continue
        for node in nodes[1:]:
            parent[find(node)] = find(nodes[0])
        blank_lines.append((nodes[0], [line]))
    groups: dict[str, list[str]] = {}
    for node, [line] in blank_lines:
        groups.setdefault(find(node), []).append(line)
    return tuple(singles) + tuple(tuple(group) for _, group in sorted(groups.items()))


def _mask_literal(line: str) -> str:
    """The line with its literal (if any) cut off: a ``_:`` inside a string is not a blank node."""
    quote = line.find('"')
    return line if quote < 0 else line[:quote]


def parse_graph(body: bytes, content_type: str) -> list[str]:
    """Canonical lines of a graph read back from a store (N-Triples or Turtle)."""
    import pyoxigraph

    media = content_type.split(";")[0].strip().lower()
    fmt = {
        "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
        "text/plain": pyoxigraph.RdfFormat.N_TRIPLES,
        "text/turtle": pyoxigraph.RdfFormat.TURTLE,
        "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
    }.get(media)
    if fmt is None:
        raise InputError(f"the store answered a graph as {media or 'no content type'}, which exokg cannot read")
    return canonical_lines(quad.triple for quad in pyoxigraph.parse(body, format=fmt))


def payload(iri: str, triples: Iterable[Any]) -> GraphPayload:
    lines = canonical_lines(triples)
    return GraphPayload(iri, _blocks(lines), len(lines), checksum(lines))


def read_build(dist: Path, *, graphs: Iterable[str] | None = None) -> list[GraphPayload]:
    """The named graphs of a build folder's embedded store (all, or those named), sorted by IRI."""
    import pyoxigraph

    path = dist / STORE_DIRNAME
    if not path.is_dir():
        raise InputError("no store here: run `exokg build` first (or pass --dist)", path=path)
    store = pyoxigraph.Store.read_only(str(path))
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode))
    if graphs is not None:
        wanted = set(graphs)
        unknown = wanted - set(names)
        if unknown:
            raise InputError(f"no graph {', '.join(sorted(unknown))} in the build; it has {', '.join(names)}")
        names = [n for n in names if n in wanted]
    return [
        payload(name, (q.triple for q in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(name))))
        for name in names
    ]


__all__ += ["payload"]

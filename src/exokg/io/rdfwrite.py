"""Serialise graphs deterministically and write files atomically.

Determinism: blank nodes get content-derived labels (rdflib's canonical form),
N-Triples and N-Quads lines are sorted, Turtle subjects and predicates are
sorted by rdflib, and prefixes come from the single prefix map. So two builds
of the same inputs give the same bytes whatever ``PYTHONHASHSEED`` is.

Every file is written through :func:`exokg.io.atomic.write_atomic` and checked by
parsing it back and comparing it with the graph it should hold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

from exokg.errors import ExokgError, InputError
from exokg.io.atomic import write_atomic
from exokg.prefixes import bind_prefixes, load_prefix_map

__all__ = [
    "RDF_FORMATS",
    "canonical",
    "roundtrip_check",
    "same_graph",
    "serialise_dataset",
    "serialise_graph",
    "write_dataset",
    "write_graph",
]

#: format name → (rdflib format, file suffix)
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".owl"),
    "trig": ("trig", ".trig"),
}


def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes have content-derived, stable labels."""
    source = to_canonical_graph(graph) if any(True for _ in _blank_nodes(graph)) else graph
    copy = bind_prefixes(Graph())
    # rdflib's memory store iterates in insertion order, so inserting sorted triples makes
    # serialisers that do not sort (RDF/XML, JSON-LD, TriG) deterministic too.
    for _, triple in sorted((_nt_row(triple), triple) for triple in source):
        copy.add(triple)
    return copy


def _blank_nodes(graph: Graph) -> Iterable[object]:
    for s, _, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            yield s


def _sorted_ntriples(graph: Graph) -> str:
    return "".join(sorted(_nt_row(triple) for triple in graph))


def serialise_graph(graph: Graph, fmt: str, *, canonicalised: bool = False) -> str:
    """Serialise one graph in ``fmt`` (a key of :data:`RDF_FORMATS`), deterministically where the format allows.

    Pass ``canonicalised=True`` for a graph that :func:`canonical` already returned, to skip that work.
    """
    if fmt not in RDF_FORMATS or fmt == "trig":
        raise InputError(
            f"unknown graph format {fmt!r}; choose one of {', '.join(k for k in RDF_FORMATS if k != 'trig')}"
        )
    stable = graph if canonicalised else canonical(graph)
    if fmt == "nt":
        return _sorted_ntriples(stable)
    if fmt == "jsonld":
        context = dict(sorted(load_prefix_map().items()))
        return _sorted_jsonld(stable.serialize(format="json-ld", context=context, sort_keys=True, indent=1))
    if fmt == "xml":
        return _SortedGraph(stable).serialize(format="xml")
    return stable.serialize(format=RDF_FORMATS[fmt][0])


class _SortedGraph(Graph):
    """A read-only view whose subjects and predicate-object pairs come out sorted.

    rdflib's RDF/XML writer walks ``subjects()`` and ``predicate_objects()`` in the
    store's (hash-dependent) order; sorting them makes its output reproducible.
    """

    def __init__(self, source: Graph) -> None:
        super().__init__(store=source.store, identifier=source.identifier, namespace_manager=source.namespace_manager)

    # The overrides keep rdflib's untyped signatures (its overloads cannot be restated exactly).
    def subjects(self, predicate=None, object=None, unique=False):  # type: ignore[no-untyped-def]
        return iter(sorted(set(super().subjects(predicate, object)), key=_nt_term))

    def predicate_objects(self, subject=None, unique=False):  # type: ignore[no-untyped-def]  # as above
        return iter(sorted(super().predicate_objects(subject), key=lambda po: (_nt_term(po[0]), _nt_term(po[1]))))


def _nt_term(node: Node) -> str:
    return node.n3()


def _sorted_jsonld(text: str) -> str:
    """JSON-LD with its node objects, and the values of each property, in a stable order."""
    document = json.loads(text)
    nodes = document if isinstance(document, list) else document.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
    nodes.sort(key=lambda node: json.dumps(node, sort_keys=True))
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def serialise_dataset(graphs: dict[URIRef, Graph], fmt: str = "trig", *, canonicalised: bool = False) -> str:
    """Serialise named graphs as TriG (or N-Quads with ``fmt='nquads'``)."""
    dataset = Dataset()
    bind_prefixes(dataset)
    for name in sorted(graphs):
        target = dataset.graph(name)
        for triple in graphs[name] if canonicalised else canonical(graphs[name]):
            target.add(triple)
    if fmt == "nquads":
        return "".join(sorted(dataset.serialize(format="nquads").splitlines(keepends=True)))
    if fmt == "trig":
        return _sorted_trig(dataset)
    return dataset.serialize(format=fmt)


def _sorted_trig(dataset: Dataset) -> str:
    """TriG with its graphs in IRI order: rdflib writes them in the store's hash-dependent order."""
    import io

    from rdflib.plugins.serializers.trig import TrigSerializer

    serializer = TrigSerializer(dataset)
    serializer.contexts.sort(key=lambda graph: str(graph.identifier))
    stream = io.BytesIO()
    serializer.serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")


def same_graph(first: Graph, second: Graph) -> bool:
    """Whether two graphs hold the same triples: equal size and equal triples without blank nodes.

    Blank nodes only occur inside OWL axioms here; a character lost or altered in a
    literal or IRI changes a ground triple, which this catches without the cost of a
    full isomorphism test.
    """
    if len(first) != len(second):
        return False
    return _ground(first) == _ground(second)


def _ground(graph: Graph) -> set[tuple[object, object, object]]:
    return {t for t in graph if not isinstance(t[0], BNode) and not isinstance(t[2], BNode)}


def roundtrip_check(graph: Graph, rdflib_format: str) -> Callable[[Path], None]:
    """A check for :func:`write_atomic`: the written file must parse back to ``graph``."""

    def check(temp: Path) -> None:
        reread = Graph()
        try:
            reread.parse(temp, format=rdflib_format)
        except Exception as exc:
            raise ExokgError(f"re-parsing the written {rdflib_format} failed: {exc}", path=temp) from None
        if not same_graph(reread, graph):
            raise ExokgError(
                f"the written {rdflib_format} does not hold the same graph (lost or altered characters?)", path=temp
            )

    return check


def write_graph(graph: Graph, path: Path, fmt: str, *, text: str | None = None) -> None:
    """Serialise ``graph`` (or write its ready ``text``) to ``path`` atomically; the file must re-parse to it."""
    if text is None:
        text = serialise_graph(graph, fmt)
    write_atomic(path, text, check=roundtrip_check(graph, RDF_FORMATS[fmt][0]))


def write_dataset(graphs: dict[URIRef, Graph], path: Path, fmt: str = "trig", *, text: str | None = None) -> None:
    """Serialise named graphs (or write their ready ``text``) to ``path`` atomically, checking the re-parsed count."""
    if text is None:
        text = serialise_dataset(graphs, fmt)
    expected = sum(len(g) for g in graphs.values())

    def check(temp: Path) -> None:
        reread = Dataset()
        reread.parse(temp, format=fmt)
        count = sum(len(g) for g in reread.graphs() if isinstance(g.identifier, URIRef) and g.identifier in graphs)
        if count != expected:
            raise ExokgError(f"the written {fmt} holds {count} triples, expected {expected}", path=temp)

    write_atomic(path, text, check=check)

"""Serialise graphs deterministically and write files atomically.

Determinism is ours, the writing is Oxigraph's: a graph is converted once into a
:class:`Canonical` form (blank nodes relabelled from their content by Oxigraph's
canonicalisation, triples sorted by their N-Triples line), and every writer is fed
that order. N-Triples, Turtle, TriG and N-Quads are written by pyoxigraph, compact
JSON-LD by :mod:`exokg.io.jsonld` (rdflib's JSON-LD writer alone took longer than
every other file together), and rdflib writes only RDF/XML (for Protégé), from an
rdflib copy of the same sorted triples. So two builds of the same inputs give the
same bytes whatever ``PYTHONHASHSEED`` is.

Every file is written through :func:`exokg.io.atomic.write_atomic` and checked by
parsing it back with pyoxigraph and comparing it with the triples it should hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from exokg.errors import ExokgError, InputError
from exokg.io.atomic import write_atomic
from exokg.io.jsonld import jsonld_text
from exokg.prefixes import bind_prefixes, load_prefix_map
from exokg.vocab import XSD_STRING

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = [
    "RDF_FORMATS",
    "Canonical",
    "canonical",
    "canonical_from_ntriples",
    "serialise_canonical",
    "serialise_dataset",
    "serialise_graph",
    "to_oxigraph_quads",
    "write_canonical",
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
_GRAPH_FORMATS = tuple(k for k in RDF_FORMATS if k != "trig")


@dataclass(frozen=True)
class Canonical:
    """A graph in canonical form: stable blank node labels, triples in sorted N-Triples order.

    The triples are pyoxigraph quads in the default graph (what the writers take as they are).
    """

    triples: tuple[ox.Quad, ...]
    ntriples: str  # the sorted N-Triples document, one line per triple

    def __len__(self) -> int:
        return len(self.triples)

    @cached_property
    def has_blank_nodes(self) -> bool:
        return len(self.ground) < len(self.triples)

    @cached_property
    def ground(self) -> frozenset[ox.Quad]:
        """The triples without blank nodes."""
        return frozenset(_ground(self.triples))

    @cached_property
    def graph(self) -> Graph:
        """The same triples in an rdflib graph, inserted in sorted order (for the rdflib writers)."""
        graph = bind_prefixes(Graph())
        terms: dict[object, Node] = {}
        for quad in self.triples:
            s, p, o = (terms.get(t) or terms.setdefault(t, _rdflib_term(t)) for t in (quad.subject, quad.predicate,
                                                                                     quad.object))  # fmt: skip
            graph.add((s, p, o))
        return graph

    def holds(self, path: Path, fmt: str) -> bool:
        """Whether the file ``path`` (in ``fmt``) holds exactly these triples.

        Compared as sorted N-Triples text, the file parsed and written again by Oxigraph: the
        same text, or (blank node labels may change on the way through RDF/XML or JSON-LD)
        the same number of triples and the same triples without blank nodes.
        """
        return _same_graph(_reparsed(path, fmt), self.ntriples)


def canonical(graph: Graph | Canonical) -> Canonical:
    """``graph`` in canonical form (computed once; pass the result to every writer).

    >>> from rdflib import RDFS
    >>> g = Graph().add((URIRef("http://example.org/b"), RDFS.label, Literal("b")))
    >>> canonical(g).ntriples
    '<http://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> "b" .\\n'
    """
    if isinstance(graph, Canonical):
        return graph
    import pyoxigraph as ox

    quads = to_oxigraph_quads(graph)
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # stable for a pinned pyoxigraph
        quads = list(dataset)
    return canonical_from_ntriples(_sorted_lines(_text(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))))


def canonical_from_ntriples(text: str) -> Canonical:
    """The canonical form of sorted N-Triples lines whose blank nodes already have canonical labels."""
    import pyoxigraph as ox

    return Canonical(tuple(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)), text)


def _sorted_lines(text: str) -> str:
    return "".join(sorted(text.splitlines(keepends=True)))


def _text(data: bytes | None) -> str:
    assert data is not None  # pyoxigraph returns bytes when given no output
    return data.decode("utf-8")


def to_oxigraph_quads(graph: Graph, *, keep_blank_labels: bool = False) -> list[ox.Quad]:
    """The triples of ``graph`` as pyoxigraph quads in the default graph (each term converted once).

    ``keep_blank_labels`` keeps rdflib's blank node labels (so results name the same nodes);
    otherwise every blank node gets a fresh label.
    """
    import pyoxigraph as ox

    blanks: dict[Node, ox.BlankNode] = {}
    iris: dict[Node, ox.NamedNode] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, URIRef):
            found = iris.get(node)
            if found is None:
                try:
                    found = iris[node] = ox.NamedNode(str(node))
                except ValueError as exc:
                    raise ExokgError(f"cannot write the IRI <{node}>: {exc}") from None
            return found
        if isinstance(node, BNode):
            found_blank = blanks.get(node)
            if found_blank is None:
                found_blank = blanks[node] = _blank(str(node)) if keep_blank_labels else ox.BlankNode()
            return found_blank
        if isinstance(node, Literal):
            try:
                if node.language:
                    return ox.Literal(str(node), language=node.language)
                if node.datatype is not None:
                    return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
                return ox.Literal(str(node))
            except (ValueError, UnicodeError) as exc:  # e.g. a lone surrogate, which no RDF file can hold
                raise ExokgError(f"cannot write the literal {node.n3()!r}: {exc}") from None
        raise ExokgError(f"cannot write the RDF term {node!r}")

    return [ox.Quad(term(s), term(p), term(o)) for s, p, o in graph]  # type: ignore[arg-type]


def _blank(label: str) -> ox.BlankNode:
    import pyoxigraph as ox

    try:
        return ox.BlankNode(label)
    except ValueError:  # not a valid N-Triples label
        return ox.BlankNode()


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> Node:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
    raise ExokgError(f"cannot convert the RDF term {term!r}")


def _ground(triples: Iterable[ox.Quad]) -> set[ox.Quad]:
    import pyoxigraph as ox

    return {t for t in triples if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}


def _prefixes(graphs: Iterable[Canonical], names: Iterable[str] = ()) -> dict[str, str]:
    """The prefixes of the map that some IRI of ``graphs`` (or a graph name) starts with, sorted by name."""
    # Every IRI (and datatype) of an N-Triples document follows a "<": one substring search per prefix.
    text = "".join(graph.ntriples for graph in graphs) + "".join(f"<{name}>" for name in names)
    return {p: uri for p, uri in sorted(load_prefix_map().items()) if f"<{uri}" in text}


def serialise_canonical(graph: Canonical, fmt: str) -> str:
    """Serialise a canonical graph in ``fmt`` (a key of :data:`RDF_FORMATS` but ``trig``)."""
    import pyoxigraph as ox

    if fmt not in _GRAPH_FORMATS:
        raise InputError(f"unknown graph format {fmt!r}; choose one of {', '.join(_GRAPH_FORMATS)}")
    if fmt == "nt":
        return graph.ntriples
    if fmt == "ttl":
        return _text(ox.serialize(graph.triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes([graph])))
    if fmt == "jsonld":
        return jsonld_text(graph.triples, _prefixes([graph]))
    return _SortedGraph(graph.graph).serialize(format="xml")


def serialise_graph(graph: Graph | Canonical, fmt: str) -> str:
    """Serialise one graph in ``fmt`` (a key of :data:`RDF_FORMATS` but ``trig``), deterministically."""
    if fmt not in _GRAPH_FORMATS:
        raise InputError(f"unknown graph format {fmt!r}; choose one of {', '.join(_GRAPH_FORMATS)}")
    return serialise_canonical(canonical(graph), fmt)


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


def _nquads(graphs: Mapping[URIRef, Canonical]) -> str:
    """N-Quads of the named graphs, graphs in IRI order, each in its sorted N-Triples order.

    Built from the N-Triples lines (each ends in `` .``): no Python object per triple.
    """
    return "".join(f"{line[:-1]}<{name}> .\n" for name in sorted(graphs) for line in graphs[name].ntriples.splitlines())


def serialise_dataset(graphs: Mapping[URIRef, Graph | Canonical], fmt: str = "trig") -> str:
    """Serialise named graphs as TriG (or N-Quads with ``fmt='nquads'``), graphs in IRI order."""
    import pyoxigraph as ox

    stable = {name: canonical(g) for name, g in graphs.items()}
    if fmt == "nquads":
        return _nquads(stable)
    if fmt != "trig":
        raise InputError(f"unknown dataset format {fmt!r}; choose trig or nquads")
    quads = ox.parse(_nquads(stable).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    prefixes = _prefixes(stable.values(), names=[str(name) for name in stable])
    return _text(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes))


_OX_FORMATS = {
    "ttl": "TURTLE",
    "nt": "N_TRIPLES",
    "jsonld": "JSON_LD",
    "xml": "RDF_XML",
    "trig": "TRIG",
    "nquads": "N_QUADS",
}


def _same_graph(found: str, expected: str) -> bool:
    """Whether two sorted N-Quads dumps have as many lines and the same lines without blank nodes."""
    if found == expected:
        return True
    ours, theirs = found.splitlines(), expected.splitlines()
    return len(ours) == len(theirs) and [x for x in ours if "_:" not in x] == [x for x in theirs if "_:" not in x]


def _reparsed(path: Path, fmt: str) -> str:
    """The file parsed by Oxigraph and written back as sorted N-Quads lines (N-Triples for the default graph)."""
    import pyoxigraph as ox

    try:
        quads = ox.parse(path=path, format=getattr(ox.RdfFormat, _OX_FORMATS[fmt]))
        return _sorted_lines(_text(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)))
    except (SyntaxError, ValueError, OSError) as exc:
        raise ExokgError(f"re-parsing the written {fmt} failed: {exc}", path=path) from None


def write_canonical(graph: Canonical, path: Path, fmt: str, *, text: str | None = None) -> None:
    """Write a canonical graph (or its ready ``text``) to ``path`` atomically; the file must re-parse to it."""
    if text is None:
        text = serialise_canonical(graph, fmt)

    def check(temp: Path) -> None:
        if not graph.holds(temp, fmt):
            raise ExokgError(f"the written {fmt} does not hold the same graph (lost or altered characters?)", path=temp)

    write_atomic(path, text, check=check)


def write_graph(graph: Graph | Canonical, path: Path, fmt: str, *, text: str | None = None) -> None:
    """Serialise ``graph`` (or write its ready ``text``) to ``path`` atomically; the file must re-parse to it."""
    write_canonical(canonical(graph), path, fmt, text=text)


def write_dataset(
    graphs: Mapping[URIRef, Graph | Canonical], path: Path, fmt: str = "trig", *, text: str | None = None
) -> None:
    """Serialise named graphs (or write their ready ``text``) to ``path`` atomically; each graph must re-parse."""
    stable = {name: canonical(g) for name, g in graphs.items()}
    if text is None:
        text = serialise_dataset(stable, fmt)

    expected = _sorted_lines(serialise_dataset(stable, "nquads"))

    def check(temp: Path) -> None:
        if not _same_graph(_reparsed(temp, "trig" if fmt == "trig" else "nquads"), expected):
            raise ExokgError(f"the written {fmt} does not hold the same named graphs", path=temp)

    write_atomic(path, text, check=check)

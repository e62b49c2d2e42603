"""Ontology and data QC by name: ``queries/qc/*-violation.rq`` and ``*-warning.rq``.

Each file is one SELECT query with a header block::

    # name: missing-label-violation
    # severity: Violation
    # checks: every class and property declared in the ontology has an rdfs:label
    # message: the term has no rdfs:label
    # fix: fill the 'label' column of the term's row in ontology/templates/
    # columns: ?focus the term; ?path rdfs:label

Every returned row is a finding on ``?focus`` (required), with optional ``?path``,
``?value`` and ``?detail`` (appended to the message). A ``Violation`` row fails the
build; ``Warning`` and ``Info`` rows are reported only. The file name ends with the
severity (``-violation``, ``-warning``, ``-info``) so a listing shows which rules fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from exokg import vocab
from exokg.errors import EngineError, ExokgError, InputError
from exokg.query.catalogue import header_fields
from exokg.query.guard import check_query
from exokg.query.terms import from_oxigraph, to_rdflib
from exokg.resources import queries_dir

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["SEVERITIES", "QcQuery", "QcRow", "load_qc_queries", "oxigraph_store", "parse_qc_file", "run_qc"]

#: Namespace of the IRIs that name QC queries as ``sh:sourceShape`` in the results graph.
SEVERITIES = ("Violation", "Warning", "Info")
_REQUIRED = ("name", "severity", "checks", "message", "fix")


@dataclass(frozen=True)
class QcQuery:
    """One QC query file: its header fields and SPARQL text."""

    name: str
    severity: str
    checks: str
    message: str
    fix: str
    text: str
    path: Path

    @property
    def iri(self) -> URIRef:
        """The IRI naming this query as the source of its results.

        >>> QcQuery("missing-label-violation", "Violation", "", "", "", "", Path()).iri
        rdflib.term.URIRef('https://w3id.org/exokg/shapes/qc/missing-label-violation')
        """
        return URIRef(vocab.QC + self.name)


@dataclass(frozen=True)
class QcRow:
    """One row a QC query returned."""

    query: QcQuery
    focus: Node
    path: Node | None
    value: Node | None
    detail: str | None


def parse_qc_file(path: Path) -> QcQuery:
    """Read one QC query and check its header; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read QC query: {exc.strerror}", path=path) from None
    fields = header_fields(text)
    for key in _REQUIRED:
        if not fields.get(key):
            raise InputError(f"QC query header lacks '# {key}:'", path=path, line=1)
    severity = fields["severity"]
    if severity not in SEVERITIES:
        raise InputError(f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}", path=path, line=1)
    if fields["name"] != path.stem:
        raise InputError(f"header name {fields['name']!r} differs from the file name {path.stem!r}", path=path, line=1)
    if not path.stem.endswith("-" + severity.lower()):
        raise InputError(f"a {severity} query's file name must end with '-{severity.lower()}.rq'", path=path)
    check_query(text)
    return QcQuery(path.stem, severity, fields["checks"], fields["message"], fields["fix"], text, path)


def load_qc_queries(folder: Path | None = None) -> list[QcQuery]:
    """Every QC query of ``folder`` (default: the packaged ``queries/qc/``), sorted by name."""
    root = folder or (queries_dir() / "qc")
    return [parse_qc_file(path) for path in sorted(root.glob("*.rq"))]


def run_qc(
    graph: Graph | None,
    queries: list[QcQuery],
    *,
    store: pyoxigraph.Store | None = None,
    default_graph: list[Any] | None = None,
) -> list[QcRow]:
    """Run each query over ``graph`` (or ``store``, which holds it) on Oxigraph.

    ``default_graph``: the named graphs of ``store`` whose merge the queries read instead of
    its default graph. A query the engine cannot run raises :class:`EngineError`.
    """
    if store is None:
        if graph is None:
            raise ValueError("run_qc needs a graph or a store")
        store = oxigraph_store(graph)
    rows: list[QcRow] = []
    for query in queries:
        rows.extend(_row(query, solution) for solution in _solutions(store, query, default_graph))
    return rows


def _solutions(store: pyoxigraph.Store, query: QcQuery, default_graph: list[Any] | None) -> list[Any]:
    import pyoxigraph

    try:
        result = store.query(query.text, default_graph=default_graph)
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise EngineError(f"QC query {query.name} is not a SELECT query", path=query.path)
        return list(result)
    except EngineError:
        raise
    except Exception as exc:  # a syntax or evaluation error in a shipped query
        raise EngineError(f"QC query {query.name} failed: {exc}", path=query.path) from None


def oxigraph_store(graph: Graph) -> pyoxigraph.Store:
    """An in-memory Oxigraph store holding ``graph``, blank node labels kept (rdflib's engine is quadratic here)."""
    import pyoxigraph

    from exokg.io.rdfwrite import to_oxigraph_quads

    store = pyoxigraph.Store()
    try:
        store.bulk_extend(to_oxigraph_quads(graph, keep_blank_labels=True))
    except (ValueError, TypeError, ExokgError) as exc:
        raise InputError(f"the graph holds a term Oxigraph cannot store: {exc}") from None
    return store


def _from_ox(term: Any) -> Node | None:
    converted = from_oxigraph(term)
    return to_rdflib(converted) if converted is not None else None


def _row(query: QcQuery, solution: Any) -> QcRow:
    focus = _from_ox(solution["focus"])
    if focus is None:
        raise EngineError(f"QC query {query.name} returned a row without ?focus", path=query.path)
    detail = _from_ox(_optional(solution, "detail"))
    path, value = _from_ox(_optional(solution, "path")), _from_ox(_optional(solution, "value"))
    return QcRow(query, focus, path, value, str(detail) if detail is not None else None)


def _optional(solution: Any, name: str) -> Any:
    try:
        return solution[name]
    except (KeyError, IndexError):  # the query does not project this variable
        return None

"""Compile the TBox: the hand-edited Turtle file plus the term templates.

``ontology/exokg-edit.ttl`` holds the header and the axioms a table cannot say;
``ontology/templates/*.tsv`` declare classes and properties (label, definition,
synonyms, parents, domain, range, inverse); ``ontology/imports/external_terms.tsv``
declares the RO, BFO and ECO terms the ontology refers to, so the result is
OWL 2 DL without fetching any ``owl:imports``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from exokg import vocab
from exokg.errors import InputError
from exokg.io.rdf import parse_file
from exokg.io.tables import Row, read_table
from exokg.prefixes import bind_prefixes, expand
from exokg.resources import ontology_dir
from exokg.vocab import EXOKG

__all__ = [
    "data_property_ranges",
    "deprecation",
    "is_obsolete",
    "load_ontology",
    "object_property_labels",
    "obsolete_label",
    "term_iri",
]


_CHARACTERISTICS = {
    "Transitive": OWL.TransitiveProperty,
    "Symmetric": OWL.SymmetricProperty,
    "Functional": OWL.FunctionalProperty,
}


def term_iri(name: str) -> URIRef:
    """The IRI of an exokg term, or of an external term given as a CURIE.

    >>> str(term_iri("Exosome"))
    'https://w3id.org/exokg/vocab/Exosome'
    >>> str(term_iri("RO:0002607"))
    'http://purl.obolibrary.org/obo/RO_0002607'
    """
    if ":" in name:
        return URIRef(expand(name))
    return URIRef(EXOKG + name)


def load_ontology(folder: Path | None = None) -> Graph:
    """Build the ontology graph from ``folder`` (default: the packaged ``ontology/``)."""
    root = folder or ontology_dir()
    graph = bind_prefixes(Graph())
    parse_file(graph, root / "exokg-edit.ttl")
    templates = root / "templates"
    _add_classes(graph, read_table(templates / "classes.tsv", required=("id", "label", "parents", "definition")))
    _add_object_properties(
        graph, read_table(templates / "object_properties.tsv", required=("id", "label", "domain", "range"))
    )
    _add_data_properties(graph, read_table(templates / "data_properties.tsv", required=("id", "label", "range")))
    _add_annotation_properties(graph, read_table(templates / "annotation_properties.tsv", required=("id", "label")))
    _add_external_terms(graph, read_table(root / "imports" / "external_terms.tsv", required=("id", "label", "type")))
    return graph


def _annotate(graph: Graph, subject: URIRef, row: Row) -> None:
    graph.add((subject, RDFS.label, Literal(obsolete_label(row), lang="en")))
    for predicate, value in deprecation(row, _checked_term(row, "replaced_by"), _checked_term(row, "consider")):
        graph.add((subject, predicate, value))
    if row["definition"]:
        graph.add((subject, URIRef(vocab.DEFINITION), Literal(row["definition"], lang="en")))
    for synonym in row.multi("synonyms"):
        graph.add((subject, URIRef(vocab.EXACT_SYNONYM), Literal(synonym, lang="en")))


def obsolete_label(row: Row) -> str:
    """The label to emit: an obsolete row's label starts with 'obsolete ' (OBO convention)."""
    label = row["label"]
    if is_obsolete(row) and not label.lower().startswith("obsolete"):
        return f"obsolete {label}"
    return label


def is_obsolete(row: Row) -> bool:
    """The row's ``obsolete`` cell: ``true``, or ``false``/empty; anything else is refused."""
    value = row["obsolete"].lower()
    if value not in ("", "true", "false"):
        raise row.error(f"column 'obsolete' must be true, false or empty, not {row['obsolete']!r}")
    return value == "true"


def deprecation(row: Row, replaced_by: list[URIRef], consider: list[URIRef]) -> list[tuple[URIRef, Node]]:
    """owl:deprecated, IAO:0100001 'term replaced by' and oboInOwl:consider triples' (predicate, object).

    A deprecated term keeps its IRI forever; only live rows may not name a replacement.
    """
    if not is_obsolete(row):
        if replaced_by or consider:
            raise row.error("replaced_by and consider are for obsolete rows: set obsolete to true")
        return []
    if len(replaced_by) > 1:
        raise row.error("replaced_by takes one term (list the others under consider)")
    pairs: list[tuple[URIRef, Node]] = [(OWL.deprecated, Literal(True))]
    pairs += [(URIRef(vocab.TERM_REPLACED_BY), term) for term in replaced_by]
    pairs += [(URIRef(vocab.CONSIDER), term) for term in consider]
    return pairs


def _checked_term(row: Row, column: str) -> list[URIRef]:
    try:
        return [term_iri(value) for value in row.multi(column)]
    except InputError as exc:
        raise row.error(f"column {column!r}: {exc.message}") from None


def _add_classes(graph: Graph, rows: list[Row]) -> None:
    for row in rows:
        cls = term_iri(row["id"])
        graph.add((cls, RDF.type, OWL.Class))
        _annotate(graph, cls, row)
        for parent in _checked_term(row, "parents"):
            graph.add((cls, RDFS.subClassOf, parent))


def _add_object_properties(graph: Graph, rows: list[Row]) -> None:
    for row in rows:
        prop = term_iri(row["id"])
        graph.add((prop, RDF.type, OWL.ObjectProperty))
        _annotate(graph, prop, row)
        for domain in _checked_term(row, "domain"):
            graph.add((prop, RDFS.domain, domain))
        for range_ in _checked_term(row, "range"):
            graph.add((prop, RDFS.range, range_))
        for inverse in _checked_term(row, "inverse"):
            graph.add((prop, OWL.inverseOf, inverse))
        for parent in _checked_term(row, "parents"):
            graph.add((prop, RDFS.subPropertyOf, parent))
        for characteristic in row.multi("characteristics"):
            if characteristic not in _CHARACTERISTICS:
                raise row.error(f"unknown property characteristic {characteristic!r}")
            graph.add((prop, RDF.type, _CHARACTERISTICS[characteristic]))


def _add_data_properties(graph: Graph, rows: list[Row]) -> None:
    for row in rows:
        prop = term_iri(row["id"])
        graph.add((prop, RDF.type, OWL.DatatypeProperty))
        _annotate(graph, prop, row)
        for domain in _checked_term(row, "domain"):
            graph.add((prop, RDFS.domain, domain))
        datatype = row["range"]
        if not datatype.startswith("xsd:"):
            raise row.error(f"data property range must be an xsd datatype, not {datatype!r}")
        graph.add((prop, RDFS.range, XSD[datatype.removeprefix("xsd:")]))


def _add_annotation_properties(graph: Graph, rows: list[Row]) -> None:
    for row in rows:
        prop = term_iri(row["id"])
        graph.add((prop, RDF.type, OWL.AnnotationProperty))
        _annotate(graph, prop, row)


def _add_external_terms(graph: Graph, rows: list[Row]) -> None:
    for row in rows:
        term = _checked_term(row, "id")[0]
        kind = row["type"]
        if kind == "ObjectProperty":
            graph.add((term, RDF.type, OWL.ObjectProperty))
        elif kind == "AnnotationProperty":
            graph.add((term, RDF.type, OWL.AnnotationProperty))
        elif kind == "EvidenceType":
            graph.add((term, RDF.type, OWL.NamedIndividual))
            graph.add((term, RDF.type, term_iri("EvidenceType")))
        else:
            raise row.error(f"unknown external term type {kind!r} (ObjectProperty, AnnotationProperty or EvidenceType)")
        graph.add((term, RDFS.label, Literal(row["label"], lang="en")))


def data_property_ranges(folder: Path | None = None) -> dict[str, URIRef]:
    """Data property local name → its XSD range IRI, from the template."""
    path = (folder or ontology_dir()) / "templates" / "data_properties.tsv"
    return {row["id"]: XSD[row["range"].removeprefix("xsd:")] for row in read_table(path, required=("id", "range"))}


def object_property_labels(folder: Path | None = None) -> dict[str, str]:
    """Object property local name → its label, from the template."""
    path = (folder or ontology_dir()) / "templates" / "object_properties.tsv"
    return {row["id"]: row["label"] for row in read_table(path, required=("id", "label"))}

"""Compile curated records into the review graph (the ABox), one small function per record kind.

Each claim becomes a node with its subject, relation, object, qualifiers and
evidence. A claim the source asserts also draws the "shortcut" triple
``subject relation object`` that the reasoner and browsing use; a hedged claim
(suggested, hypothesised, unresolved) stays on its node only, so the reasoner never
classifies from a hedge. Every shortcut therefore has an asserted claim.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from exokg.io.tables import Row
from exokg.pipeline.curation import CERTAINTIES, DIRECTIONS, Claim, Curation, Entity, Section, Source
from exokg.pipeline.ontology import deprecation, obsolete_label
from exokg.prefixes import bind_prefixes, expand
from exokg.vocab import (
    AGENT_TYPE,
    BIBLIOGRAPHIC_CITATION,
    CLAIM,
    DEFINITION,
    ENTITY,
    EXACT_SYNONYM,
    EXOKG,
    KNOWLEDGE_LEVELS,
    SOURCE,
)

__all__ = ["build_review_graph", "claim_iri", "entity_iri", "section_iri", "source_iri", "vocab"]


def vocab(name: str) -> URIRef:
    """The IRI of an exokg vocabulary term.

    >>> str(vocab("Claim"))
    'https://w3id.org/exokg/vocab/Claim'
    """
    return URIRef(EXOKG + name)


def entity_iri(entity_id: str) -> URIRef:
    return URIRef(ENTITY + entity_id)


def claim_iri(review: str, claim_id: str) -> URIRef:
    """The IRI of a claim of a review: stable, readable, never a blank node.

    >>> str(claim_iri("soung2016", "c001"))
    'https://w3id.org/exokg/claim/soung2016-c001'
    """
    return URIRef(f"{CLAIM}{review}-{claim_id}")


def source_iri(source_id: str) -> URIRef:
    return URIRef(SOURCE + source_id)


def section_iri(review: str, section_id: str) -> URIRef:
    return URIRef(f"{SOURCE}{review}-section-{section_id}")


def build_review_graph(
    curation: Curation, *, datatypes: dict[str, URIRef], relation_labels: dict[str, str] | None = None
) -> Graph:
    """The review graph for ``curation``.

    ``datatypes`` maps data property names to their XSD range; ``relation_labels``
    maps object property names to their labels, for readable claim labels.
    """
    graph = bind_prefixes(Graph())
    labels = {entity.id: entity.label for entity in curation.entities}
    labels.update({f"relation:{name}": label for name, label in (relation_labels or {}).items()})
    for source in curation.sources:
        _add_source(graph, source, curation.review)
    for section in curation.sections:
        _add_section(graph, section, curation.review)
    for entity in curation.entities:
        _add_entity(graph, entity, datatypes)
    for claim in curation.claims:
        _add_claim(graph, claim, curation.review, labels, datatypes)
    return graph


def _add_source(graph: Graph, source: Source, review: str) -> None:
    node = source_iri(source.id)
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, RDF.type, vocab(source.type)))
    graph.add((node, RDFS.label, Literal(source.label, lang="en")))
    if source.number is not None:
        graph.add((node, vocab("referenceNumber"), Literal(source.number)))
        graph.add((node, vocab("citedBy"), source_iri(review)))
    if source.pmid:
        graph.add((node, vocab("pmid"), Literal(source.pmid)))
        graph.add((node, RDFS.seeAlso, URIRef(expand(f"pmid:{source.pmid}"))))
    if source.doi:
        graph.add((node, vocab("doi"), Literal(source.doi)))
        graph.add((node, RDFS.seeAlso, URIRef(expand(f"doi:{source.doi}"))))
    if source.citation:
        graph.add((node, URIRef(BIBLIOGRAPHIC_CITATION), Literal(source.citation)))


def _add_section(graph: Graph, section: Section, review: str) -> None:
    node = section_iri(review, section.id)
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, RDF.type, vocab("ReviewSection")))
    graph.add((node, RDFS.label, Literal(section.label, lang="en")))
    graph.add((node, vocab("sectionOf"), source_iri(review)))


def _typed(value: str, name: str, datatypes: dict[str, URIRef]) -> Literal:
    """A literal in the canonical lexical form of its datatype, so every serialisation round-trips.

    >>> _typed("4", "t", {"t": XSD.decimal})
    rdflib.term.Literal('4.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    datatype = datatypes.get(name, XSD.string)
    if datatype == XSD.decimal:
        number = Decimal(value)
        text = str(number) if "." in str(number) else f"{number}.0"
        return Literal(text, datatype=datatype)
    if datatype == XSD.integer:
        return Literal(str(int(value)), datatype=datatype)
    if datatype == XSD.string:
        return Literal(value)  # a simple literal is xsd:string in RDF 1.1, and JSON-LD keeps it that way
    if datatype == XSD.boolean:
        if value not in {"true", "false"}:
            raise ValueError(value)
        return Literal(value, datatype=datatype)
    return Literal(value, datatype=datatype)


def _checked_value(row: Row, value: str, name: str, datatypes: dict[str, URIRef]) -> Literal:
    try:
        return _typed(value, name, datatypes)
    except (ValueError, ArithmeticError):
        raise row.error(f"values: {name}={value!r} is not a valid {datatypes.get(name, XSD.string)}") from None


def _add_entity(graph: Graph, entity: Entity, datatypes: dict[str, URIRef]) -> None:
    node = entity_iri(entity.id)
    graph.add((node, RDF.type, OWL.NamedIndividual))
    for cls in entity.types:
        graph.add((node, RDF.type, vocab(cls)))
    graph.add((node, RDFS.label, Literal(obsolete_label(entity.row), lang="en")))
    replaced_by = [entity_iri(target) for target in entity.row.multi("replaced_by")]
    consider = [entity_iri(target) for target in entity.row.multi("consider")]
    for predicate, term in deprecation(entity.row, replaced_by, consider):
        graph.add((node, predicate, term))
    if entity.description:
        graph.add((node, URIRef(DEFINITION), Literal(entity.description, lang="en")))
    for synonym in entity.synonyms:
        graph.add((node, URIRef(EXACT_SYNONYM), Literal(synonym, lang="en")))
    for prop, target in entity.links:
        graph.add((node, vocab(prop), entity_iri(target)))
    for name, value in entity.values:
        graph.add((node, vocab(name), _checked_value(entity.row, value, name, datatypes)))
    if entity.note:
        graph.add((node, vocab("curationNote"), Literal(entity.note, lang="en")))


def _claim_label(claim: Claim, labels: dict[str, str], review: str) -> str:
    subject = labels.get(claim.subject, claim.subject)
    obj = labels.get(claim.object, claim.object)
    relation = labels.get(f"relation:{claim.relation}", claim.relation)
    return f"{review}-{claim.id}: {subject} {relation} {obj}"


def _add_claim(graph: Graph, claim: Claim, review: str, labels: dict[str, str], datatypes: dict[str, URIRef]) -> None:
    node = claim_iri(review, claim.id)
    subject, obj, relation = entity_iri(claim.subject), entity_iri(claim.object), vocab(claim.relation)
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, RDF.type, vocab("Claim")))
    graph.add((node, RDFS.label, Literal(_claim_label(claim, labels, review), lang="en")))
    graph.add((node, vocab("claimSubject"), subject))
    graph.add((node, vocab("claimRelation"), relation))
    graph.add((node, vocab("claimObject"), obj))
    if claim.certainty == "asserted":
        graph.add((subject, relation, obj))  # the shortcut triple
    graph.add((node, vocab("hasCertainty"), vocab(CERTAINTIES[claim.certainty])))
    for prop, value in claim.qualifiers:
        graph.add((node, vocab(prop), entity_iri(value)))
    if claim.direction:
        graph.add((node, vocab("hasDirection"), vocab(DIRECTIONS[claim.direction])))
    graph.add((node, vocab("statedIn"), source_iri(review)))
    graph.add((node, vocab("inSection"), section_iri(review, claim.section)))
    for number in claim.references:
        graph.add((node, vocab("citesReference"), source_iri(f"{review}-r{number:02d}")))
    graph.add((node, vocab("hasEvidence"), URIRef(expand(claim.evidence))))
    graph.add((node, vocab("knowledgeLevel"), Literal(KNOWLEDGE_LEVELS[claim.certainty])))
    graph.add((node, vocab("agentType"), Literal(AGENT_TYPE)))
    for name, value in claim.values:
        graph.add((node, vocab(name), _checked_value(claim.row, value, name, datatypes)))
    graph.add((node, vocab("paraphrase"), Literal(claim.paraphrase, lang="en")))
    if claim.note:
        graph.add((node, vocab("curationNote"), Literal(claim.note, lang="en")))

"""KGX TSV export: the review's entities as Biolink-typed nodes, its claims as Biolink edges.

Nodes are the review's named individuals (not claims, sources or sections); their
Biolink category comes from their exokg class, walking up ``classes.tsv`` to the
nearest class with a category. Edges come from claim nodes (``exokg:claimSubject``,
``exokg:claimRelation``, ``exokg:claimObject``) plus the structural links of the
entity tables (subtype, member, part, ...). Every edge names its provenance the
Biolink way: ``primary_knowledge_source`` infores:exokg, the review as
``aggregator_knowledge_source``, a knowledge level and an agent type.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exokg.io.tables import read_table
from exokg.mappings.graph import unique_exact_targets
from exokg.prefixes import compress, expand
from exokg.resources import ontology_dir
from exokg.vocab import (
    AGENT_TYPE,
    DEFINITION,
    EXACT_SYNONYM,
    EXOKG,
    HAS_DBXREF,
    KNOWLEDGE_LEVEL,
    REVIEW_PMID,
    SKOS,
)

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = [
    "AGGREGATOR_SOURCE",
    "BIOLINK_CATEGORIES",
    "BIOLINK_PREDICATES",
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "PRIMARY_SOURCE",
    "kgx_nodes_edges",
]

PRIMARY_SOURCE = "infores:exokg"
AGGREGATOR_SOURCE = f"PMID:{REVIEW_PMID}"  # Soung et al. 2016, the review every claim is taken from

#: exokg class → Biolink category; a class not listed takes its nearest listed ancestor's.
BIOLINK_CATEGORIES: dict[str, str] = {
    "MicroRNA": "biolink:MicroRNA", "SmallInterferingRNA": "biolink:SiRNA", "MRNA": "biolink:RNAProduct",
    "MicroRNACluster": "biolink:NucleicAcidEntity", "NucleicAcid": "biolink:NucleicAcidEntity",
    "ProteinComplex": "biolink:MacromolecularComplex", "MolecularGroup": "biolink:MolecularEntity",
    "GeneOrProtein": "biolink:Protein", "Drug": "biolink:Drug", "ChemicalEntity": "biolink:ChemicalEntity",
    "MolecularEntity": "biolink:MolecularEntity", "Disease": "biolink:Disease",
    "CancerStage": "biolink:DiseaseOrPhenotypicFeature",
    "Condition": "biolink:PhenotypicFeature", "CellLine": "biolink:CellLine", "CellType": "biolink:Cell",
    "AnatomicalEntity": "biolink:AnatomicalEntity", "ExtracellularVesicle": "biolink:CellularComponent",
    "CellularCompartment": "biolink:CellularComponent", "SignallingPathway": "biolink:Pathway",
    "BiologicalProcess": "biolink:BiologicalProcess", "Organism": "biolink:OrganismTaxon",
    "PatientCohort": "biolink:Cohort", "AnimalModel": "biolink:IndividualOrganism",
    "SurgicalResection": "biolink:Procedure", "ClinicalTrial": "biolink:ClinicalTrial",
    "TherapeuticAgent": "biolink:ChemicalEntity", "Intervention": "biolink:Treatment",
}  # fmt: skip
_FALLBACK_CATEGORY = "biolink:NamedThing"
_NOT_NODES = frozenset({"Claim", "SourceDocument", "ReviewArticle", "Reference", "ReviewSection"})


@dataclass(frozen=True)
class _Predicate:
    predicate: str
    qualified: str = ""
    direction: str = ""


_CAUSES_UP = _Predicate("biolink:affects", "biolink:causes", "increased")
_CAUSES_DOWN = _Predicate("biolink:affects", "biolink:causes", "decreased")
#: exokg object property → Biolink predicate (with qualified predicate and object direction where needed).
BIOLINK_PREDICATES: dict[str, _Predicate] = {
    "hasCargo": _Predicate("biolink:has_part"), "isCargoOf": _Predicate("biolink:part_of"),
    "partOf": _Predicate("biolink:part_of"), "hasPart": _Predicate("biolink:has_part"),
    "derivesFrom": _Predicate("biolink:derives_from"), "releases": _Predicate("biolink:produces"),
    "isProducedBy": _Predicate("biolink:produced_by"),
    "isSubtypeOf": _Predicate("biolink:subclass_of"), "hasSubtype": _Predicate("biolink:superclass_of"),
    "memberOf": _Predicate("biolink:member_of"), "hasMember": _Predicate("biolink:has_member"),
    "locatedIn": _Predicate("biolink:located_in"), "occursIn": _Predicate("biolink:occurs_in"),
    "expressedIn": _Predicate("biolink:expressed_in"),
    "promotes": _CAUSES_UP, "upregulates": _CAUSES_UP, "inhibits": _CAUSES_DOWN, "downregulates": _CAUSES_DOWN,
    "regulates": _Predicate("biolink:affects"), "isRequiredFor": _Predicate("biolink:contributes_to"),
    "involvedIn": _Predicate("biolink:actively_involved_in"),
    "interactsWith": _Predicate("biolink:physically_interacts_with"),
    "isMarkerFor": _Predicate("biolink:biomarker_for"), "correlatesWith": _Predicate("biolink:correlated_with"),
    "levelIncreasedIn": _Predicate("biolink:positively_correlated_with"),
    "levelDecreasedIn": _Predicate("biolink:negatively_correlated_with"),
}  # fmt: skip
_RELATED_TO = _Predicate("biolink:related_to")
#: claim qualifier property → KGX context qualifier column.
_CONTEXT_QUALIFIERS = {
    "inCancer": "disease_context_qualifier",
    "inBodyFluid": "anatomical_context_qualifier",
    "targetOrgan": "anatomical_context_qualifier",
    "inSpecies": "species_context_qualifier",
}
_STRUCTURAL = ("isSubtypeOf", "memberOf", "partOf", "variantOf", "derivesFrom", "ofCancer", "locatedIn")

NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "iri", "provided_by")
EDGE_COLUMNS = (
    "id", "subject", "predicate", "object", "qualified_predicate", "object_direction_qualifier",
    "disease_context_qualifier", "anatomical_context_qualifier", "species_context_qualifier",
    "original_predicate", "primary_knowledge_source", "aggregator_knowledge_source", "knowledge_level",
    "agent_type", "publications", "has_evidence", "description",
)  # fmt: skip


def kgx_nodes_edges(
    review_graph: Graph, mappings_graph: Graph, *, class_parents: Mapping[str, Sequence[str]] | None = None
) -> tuple[str, str]:
    """KGX TSV text of the nodes and the edges of the review graph, with xrefs from the mappings graph.

    Works on a graph whose IRIs were rewritten to external ones (``--ids external``):
    exact matches in ``mappings_graph`` lead back to the exokg classes.
    """
    from rdflib import OWL, RDF

    parents = class_parents if class_parents is not None else _class_parents()
    back = _back_to_exokg(mappings_graph)
    xrefs = _xrefs(mappings_graph)
    nodes: dict[str, list[str]] = {}
    for node in sorted(set(review_graph.subjects(RDF.type, OWL.NamedIndividual)), key=str):
        classes = [_local(back.get(str(t), str(t))) for t in review_graph.objects(node, RDF.type)]
        if not any(c in _NOT_NODES for c in classes):
            nodes[str(node)] = _categories([c for c in classes if c], parents)
    node_rows = [_node_row(review_graph, iri, categories, xrefs.get(back.get(iri, iri), []))
                 for iri, categories in nodes.items()]  # fmt: skip
    edge_rows = sorted(_claim_edges(review_graph, back)) + sorted(_structural_edges(review_graph, set(nodes), back))
    return _tsv(NODE_COLUMNS, sorted(node_rows)), _tsv(EDGE_COLUMNS, edge_rows)


def _class_parents() -> dict[str, list[str]]:
    rows = read_table(ontology_dir() / "templates" / "classes.tsv", required=("id", "parents"))
    return {row["id"]: row.multi("parents") for row in rows}


def _local(iri: str) -> str:
    return iri[len(EXOKG) :] if iri.startswith(EXOKG) else ""


def _back_to_exokg(mappings_graph: Graph) -> dict[str, str]:
    """External IRI → the exokg IRI it stands for, when the rewrite for ``--ids external`` would use it."""
    from rdflib import URIRef

    pairs = ((_curie(str(s)), _curie(str(o))) for s, o in mappings_graph.subject_objects(URIRef(SKOS + "exactMatch")))
    chosen = unique_exact_targets(pairs, is_entity=lambda curie: curie.startswith("exokg.entity:"))
    return {expand(target): expand(subject) for subject, target in chosen.items()}


def _xrefs(mappings_graph: Graph) -> dict[str, list[str]]:
    from rdflib import URIRef

    found: dict[str, list[str]] = defaultdict(list)
    for subject, curie in mappings_graph.subject_objects(URIRef(HAS_DBXREF)):
        found[str(subject)].append(str(curie))
    return {k: sorted(v) for k, v in found.items()}


def _categories(classes: list[str], parents: Mapping[str, Sequence[str]]) -> list[str]:
    found: set[str] = set()
    for cls in classes:
        found.add(_nearest_category(cls, parents))
    specific = found - {_FALLBACK_CATEGORY}
    return sorted(specific or found or {_FALLBACK_CATEGORY})


def _nearest_category(cls: str, parents: Mapping[str, Sequence[str]]) -> str:
    queue, seen = [cls], set()
    while queue:
        current = queue.pop(0)
        if current in BIOLINK_CATEGORIES:
            return BIOLINK_CATEGORIES[current]
        seen.add(current)
        queue.extend(p for p in parents.get(current, ()) if p not in seen)
    return _FALLBACK_CATEGORY


def _curie(iri: str) -> str:
    return compress(iri) or iri


def _texts(graph: Graph, node: Node, predicate: str) -> list[str]:
    from rdflib import URIRef

    return sorted(str(value) for value in graph.objects(node, URIRef(predicate)))


def _node_row(graph: Graph, iri: str, categories: list[str], xrefs: list[str]) -> tuple[str, ...]:
    from rdflib import RDFS, URIRef

    node = URIRef(iri)
    name = next(iter(_texts(graph, node, str(RDFS.label))), "")
    description = next(iter(_texts(graph, node, DEFINITION)), "")
    synonyms = _texts(graph, node, EXACT_SYNONYM)
    return (_curie(iri), "|".join(categories), name, description, "|".join(synonyms), "|".join(xrefs), iri,
            PRIMARY_SOURCE)  # fmt: skip


def _claim_edges(graph: Graph, back: Mapping[str, str]) -> Iterator[tuple[str, ...]]:
    from rdflib import URIRef

    vocab = {name: URIRef(EXOKG + name) for name in ("claimSubject", "claimRelation", "claimObject")}
    for claim in graph.subjects(vocab["claimRelation"], None):
        subject = graph.value(claim, vocab["claimSubject"])
        relation = graph.value(claim, vocab["claimRelation"])
        obj = graph.value(claim, vocab["claimObject"])
        if subject is None or relation is None or obj is None:
            continue
        name = _local(back.get(str(relation), str(relation)))
        yield _edge_row(_curie(str(claim)), str(subject), name, str(obj), _claim_details(graph, claim, name))


def _claim_details(graph: Graph, claim: Node, relation: str) -> dict[str, str]:
    from rdflib import URIRef

    def values(name: str) -> list[str]:
        return sorted(str(v) for v in graph.objects(claim, URIRef(EXOKG + name)))

    details: dict[str, list[str]] = defaultdict(list)
    for prop, column in _CONTEXT_QUALIFIERS.items():
        details[column] += [_curie(v) for v in values(prop)]
    details["publications"] = [_publication(graph, URIRef(ref)) for ref in values("citesReference")]
    details["has_evidence"] = [_curie(v) for v in values("hasEvidence")]
    details["description"] = values("paraphrase")
    details["knowledge_level"] = values("knowledgeLevel")  # a hedged claim is not a plain assertion
    direction = values("hasDirection")
    predicate = BIOLINK_PREDICATES.get(relation, _RELATED_TO)
    if direction and not predicate.direction and predicate.predicate == "biolink:affects":
        details["object_direction_qualifier"] = [_local(direction[0]).lower()]
    return {column: "|".join(sorted(set(items))) for column, items in details.items()}


def _publication(graph: Graph, reference: Node) -> str:
    from rdflib import URIRef

    pmid = graph.value(reference, URIRef(EXOKG + "pmid"))
    if pmid is not None:
        return f"PMID:{pmid}"
    doi = graph.value(reference, URIRef(EXOKG + "doi"))
    return f"doi:{doi}" if doi is not None else _curie(str(reference))


def _structural_edges(graph: Graph, nodes: set[str], back: Mapping[str, str]) -> Iterator[tuple[str, ...]]:
    from rdflib import URIRef

    for name in _STRUCTURAL:
        for subject, obj in graph.subject_objects(URIRef(EXOKG + name)):
            if str(subject) in nodes and str(obj) in nodes and not _has_claim(graph, subject, name, obj):
                edge_id = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{subject} {name} {obj}"))
                yield _edge_row(edge_id, str(subject), name, str(obj), {})


def _has_claim(graph: Graph, subject: Node, relation: str, obj: Node) -> bool:
    from rdflib import URIRef

    claims = set(graph.subjects(URIRef(EXOKG + "claimSubject"), subject))
    return any((c, URIRef(EXOKG + "claimRelation"), URIRef(EXOKG + relation)) in graph
               and (c, URIRef(EXOKG + "claimObject"), obj) in graph for c in claims)  # fmt: skip


def _edge_row(edge_id: str, subject: str, relation: str, obj: str, details: Mapping[str, str]) -> tuple[str, ...]:
    predicate = BIOLINK_PREDICATES.get(relation, _RELATED_TO)
    cells = {
        "id": edge_id, "subject": _curie(subject), "predicate": predicate.predicate, "object": _curie(obj),
        "qualified_predicate": predicate.qualified, "object_direction_qualifier": predicate.direction,
        "original_predicate": f"exokg:{relation}", "primary_knowledge_source": PRIMARY_SOURCE,
        "aggregator_knowledge_source": AGGREGATOR_SOURCE, "knowledge_level": KNOWLEDGE_LEVEL,
        "agent_type": AGENT_TYPE, **{k: v for k, v in details.items() if v},
    }  # fmt: skip
    return tuple(cells.get(column, "") for column in EDGE_COLUMNS)


def _tsv(columns: Sequence[str], rows: Iterable[tuple[str, ...]]) -> str:
    def clean(cell: str) -> str:
        return " ".join(cell.split()) if any(ch in cell for ch in "\t\r\n") else cell

    lines = ["\t".join(columns), *("\t".join(clean(cell) for cell in row) for row in rows)]
    return "\n".join(lines) + "\n"

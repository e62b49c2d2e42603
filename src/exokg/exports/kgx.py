"""KGX export: the review's entities as Biolink-typed nodes, its claims as Biolink edges (TSV and JSON Lines).

Nodes are the review's named individuals (not claims, sources or sections); their
Biolink category comes from their exokg class, walking up ``classes.tsv`` to the
nearest class with a category (``exokg.exports.biolink``). With ``ids="external"`` (the
default) a node takes Biolink's preferred identifier for its category from its exact
matches (NCBIGene for a gene, MONDO for a disease, GO for a process, ...); a node with
none keeps its ``exokg.entity:`` id, a prefix the graph metadata declares.

Edges come from claim nodes (``exokg:claimSubject``, ``exokg:claimRelation``,
``exokg:claimObject``) plus the structural links of the entity tables (subtype, member,
part, ...), each in Biolink's canonical direction. Every edge names its provenance the
Biolink way: ``primary_knowledge_source`` infores:exokg, a knowledge level, an agent
type, and on a claim edge the review and the references it cites as ``publications``.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exokg.exports.biolink import (
    BIOLINK_CATEGORIES,
    BIOLINK_ID_PREFIXES,
    BIOLINK_PREDICATES,
    BIOLINK_VERSION,
    FALLBACK_CATEGORY,
    RELATED_TO,
)
from exokg.io.tables import read_table
from exokg.prefixes import compress, load_prefix_map
from exokg.resources import ontology_dir
from exokg.vocab import AGENT_TYPE, DEFINITION, EXACT_SYNONYM, EXOKG, HAS_DBXREF, KNOWLEDGE_LEVEL, REVIEW_PMID, SKOS

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = ["EDGE_COLUMNS", "MULTIVALUED", "NODE_COLUMNS", "PRIMARY_SOURCE", "Kgx", "kgx_graph", "kgx_nodes_edges"]

PRIMARY_SOURCE = "infores:exokg"
REVIEW_PUBLICATION = f"PMID:{REVIEW_PMID}"  # Soung et al. 2016: every claim is stated in it
_NOT_NODES = frozenset({"Claim", "SourceDocument", "ReviewArticle", "Reference", "ReviewSection"})
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
    "original_predicate", "primary_knowledge_source", "knowledge_level", "agent_type", "publications",
    "has_evidence", "description",
)  # fmt: skip
#: Columns that hold lists (``|``-joined in TSV, arrays in JSON Lines).
MULTIVALUED = frozenset({"category", "synonym", "xref", "provided_by", "publications", "has_evidence"})

Record = dict[str, str | list[str]]


@dataclass(frozen=True)
class Kgx:
    """The KGX nodes and edges, sorted; ``prefixes`` are the CURIE prefixes their ids use."""

    nodes: tuple[Record, ...]
    edges: tuple[Record, ...]

    def tsv(self) -> tuple[str, str]:
        """KGX TSV text of the nodes and of the edges."""
        return _tsv(NODE_COLUMNS, self.nodes), _tsv(EDGE_COLUMNS, self.edges)

    def jsonl(self) -> tuple[str, str]:
        """KGX JSON Lines text of the nodes and of the edges (empty values left out)."""
        return _jsonl(self.nodes), _jsonl(self.edges)

    def metadata(self, *, version: str) -> dict[str, object]:
        """The graph metadata: what the graph is, its source, licence, Biolink release and the prefixes it uses."""
        used = sorted({str(r[k]).partition(":")[0] for r in self.edges for k in ("subject", "object")}
                      | {str(r["id"]).partition(":")[0] for r in self.nodes})  # fmt: skip
        known = load_prefix_map()
        return {
            "id": "https://w3id.org/exokg/kgx",
            "name": "exokg",
            "description": "Cancer exosome knowledge graph curated from Soung et al. 2016 (BMB Rep 49(1):18-25).",
            "version": version,
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "knowledge_source": PRIMARY_SOURCE,
            "publications": [REVIEW_PUBLICATION],
            "biolink_version": BIOLINK_VERSION,
            "node_count": len(self.nodes),
            "edge_count": len(self.edges),
            "curie_map": {prefix: known[prefix] for prefix in used if prefix in known},
        }


def kgx_graph(
    review_graph: Graph,
    mappings_graph: Graph,
    *,
    ids: str = "external",
    class_parents: Mapping[str, Sequence[str]] | None = None,
) -> Kgx:
    """The KGX nodes and edges of the review graph, with xrefs and (``ids="external"``) ids from the mappings graph."""
    from rdflib import OWL, RDF

    parents = class_parents if class_parents is not None else _class_parents()
    exact, xrefs = _exact_matches(mappings_graph), _xrefs(mappings_graph)
    categories: dict[str, list[str]] = {}
    for node in sorted(set(review_graph.subjects(RDF.type, OWL.NamedIndividual)), key=str):
        classes = [_local(str(t)) for t in review_graph.objects(node, RDF.type)]
        if not any(c in _NOT_NODES for c in classes):
            categories[str(node)] = _categories([c for c in classes if c], parents)
    node_id = _node_ids(categories, exact) if ids == "external" else {}

    def cid(iri: str) -> str:
        return node_id.get(iri) or _curie(iri)

    nodes = [_node(review_graph, iri, cid(iri), cats, xrefs.get(iri, [])) for iri, cats in categories.items()]
    edges = [*_claim_edges(review_graph, cid), *_structural_edges(review_graph, set(categories), cid)]
    return Kgx(tuple(sorted(nodes, key=lambda r: str(r["id"]))), tuple(sorted(edges, key=_edge_key)))


def kgx_nodes_edges(review_graph: Graph, mappings_graph: Graph, *, ids: str = "external") -> tuple[str, str]:
    """KGX TSV text of the nodes and the edges (see :func:`kgx_graph`)."""
    return kgx_graph(review_graph, mappings_graph, ids=ids).tsv()


def _class_parents() -> dict[str, list[str]]:
    rows = read_table(ontology_dir() / "templates" / "classes.tsv", required=("id", "parents"))
    return {row["id"]: row.multi("parents") for row in rows}


def _local(iri: str) -> str:
    return iri[len(EXOKG) :] if iri.startswith(EXOKG) else ""


def _curie(iri: str) -> str:
    return compress(iri) or iri


def _exact_matches(mappings_graph: Graph) -> dict[str, list[str]]:
    from rdflib import URIRef

    found: dict[str, list[str]] = defaultdict(list)
    for subject, target in mappings_graph.subject_objects(URIRef(SKOS + "exactMatch")):
        found[str(subject)].append(_curie(str(target)))
    return found


def _node_ids(categories: Mapping[str, list[str]], exact: Mapping[str, list[str]]) -> dict[str, str]:
    """exokg IRI → Biolink-preferred CURIE; a node whose choice is ambiguous or shared keeps its exokg id."""
    chosen: dict[str, str] = {}
    for iri, cats in categories.items():
        for prefix in next((BIOLINK_ID_PREFIXES[c] for c in cats if c in BIOLINK_ID_PREFIXES), ()):
            candidates = [c for c in exact.get(iri, []) if c.partition(":")[0] == prefix]
            if candidates:
                if len(candidates) == 1:
                    chosen[iri] = candidates[0]
                break
    shared = {curie for curie, n in Counter(chosen.values()).items() if n > 1}  # never merge two nodes
    return {iri: curie for iri, curie in chosen.items() if curie not in shared}


def _xrefs(mappings_graph: Graph) -> dict[str, list[str]]:
    from rdflib import URIRef

    found: dict[str, list[str]] = defaultdict(list)
    for subject, curie in mappings_graph.subject_objects(URIRef(HAS_DBXREF)):
        found[str(subject)].append(str(curie))
    return {k: sorted(v) for k, v in found.items()}


def _categories(classes: list[str], parents: Mapping[str, Sequence[str]]) -> list[str]:
    found = {_nearest_category(cls, parents) for cls in classes}
    specific = found - {FALLBACK_CATEGORY}
    return sorted(specific or found or {FALLBACK_CATEGORY})


def _nearest_category(cls: str, parents: Mapping[str, Sequence[str]]) -> str:
    queue, seen = [cls], set()
    while queue:
        current = queue.pop(0)
        if current in BIOLINK_CATEGORIES:
            return BIOLINK_CATEGORIES[current]
        seen.add(current)
        queue.extend(p for p in parents.get(current, ()) if p not in seen)
    return FALLBACK_CATEGORY


def _texts(graph: Graph, node: Node, predicate: str) -> list[str]:
    from rdflib import URIRef

    return sorted(str(value) for value in graph.objects(node, URIRef(predicate)))


def _node(graph: Graph, iri: str, node_id: str, categories: list[str], xrefs: list[str]) -> Record:
    from rdflib import RDFS, URIRef

    node = URIRef(iri)
    exokg_id = _curie(iri)
    return {
        "id": node_id, "category": categories, "name": next(iter(_texts(graph, node, str(RDFS.label))), ""),
        "description": next(iter(_texts(graph, node, DEFINITION)), ""),
        "synonym": _texts(graph, node, EXACT_SYNONYM),
        "xref": sorted(set(xrefs) | ({exokg_id} if node_id != exokg_id else set())), "iri": iri,
        "provided_by": [PRIMARY_SOURCE],
    }  # fmt: skip


def _claim_edges(graph: Graph, cid: Callable[[str], str]) -> Iterator[Record]:
    from rdflib import URIRef

    vocab = {name: URIRef(EXOKG + name) for name in ("claimSubject", "claimRelation", "claimObject")}
    for claim in graph.subjects(vocab["claimRelation"], None):
        subject = graph.value(claim, vocab["claimSubject"])
        relation = graph.value(claim, vocab["claimRelation"])
        obj = graph.value(claim, vocab["claimObject"])
        if subject is None or relation is None or obj is None:
            continue
        name = _local(str(relation))
        yield _edge(_curie(str(claim)), cid(str(subject)), name, cid(str(obj)), _claim_details(graph, claim, name, cid))


def _claim_details(graph: Graph, claim: Node, relation: str, cid: Callable[[str], str]) -> dict[str, list[str]]:
    from rdflib import URIRef

    def values(name: str) -> list[str]:
        return sorted(str(v) for v in graph.objects(claim, URIRef(EXOKG + name)))

    details: dict[str, list[str]] = defaultdict(list)
    for prop, column in _CONTEXT_QUALIFIERS.items():
        details[column] += [cid(v) for v in values(prop)]
    cited = [_publication(graph, URIRef(ref)) for ref in values("citesReference")]
    details["publications"] = [REVIEW_PUBLICATION, *(p for p in cited if p)]
    details["has_evidence"] = [_curie(v) for v in values("hasEvidence")]
    details["description"] = values("paraphrase")
    details["knowledge_level"] = values("knowledgeLevel")  # a hedged claim is not a plain assertion
    direction = values("hasDirection")
    predicate = BIOLINK_PREDICATES.get(relation, RELATED_TO)
    if direction and not predicate.direction and predicate.predicate == "biolink:affects":
        details["object_direction_qualifier"] = [_local(direction[0]).lower()]
    return {column: sorted(set(items)) for column, items in details.items()}


def _publication(graph: Graph, reference: Node) -> str:
    """A cited reference as a publication CURIE (PMID, else DOI); '' while its identifiers are unknown."""
    from rdflib import URIRef

    pmid = graph.value(reference, URIRef(EXOKG + "pmid"))
    if pmid is not None:
        return f"PMID:{pmid}"
    doi = graph.value(reference, URIRef(EXOKG + "doi"))
    return f"doi:{doi}" if doi is not None else ""


def _structural_edges(graph: Graph, nodes: set[str], cid: Callable[[str], str]) -> Iterator[Record]:
    from rdflib import URIRef

    for name in _STRUCTURAL:
        for subject, obj in graph.subject_objects(URIRef(EXOKG + name)):
            if str(subject) in nodes and str(obj) in nodes and not _has_claim(graph, subject, name, obj):
                edge_id = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{subject} {name} {obj}"))
                yield _edge(edge_id, cid(str(subject)), name, cid(str(obj)), {})


def _has_claim(graph: Graph, subject: Node, relation: str, obj: Node) -> bool:
    from rdflib import URIRef

    claims = set(graph.subjects(URIRef(EXOKG + "claimSubject"), subject))
    return any((c, URIRef(EXOKG + "claimRelation"), URIRef(EXOKG + relation)) in graph
               and (c, URIRef(EXOKG + "claimObject"), obj) in graph for c in claims)  # fmt: skip


def _edge(edge_id: str, subject: str, relation: str, obj: str, details: Mapping[str, list[str]]) -> Record:
    predicate = BIOLINK_PREDICATES.get(relation, RELATED_TO)
    if predicate.swap:
        subject, obj = obj, subject
    record: Record = {
        "id": edge_id, "subject": subject, "predicate": predicate.predicate, "object": obj,
        "qualified_predicate": predicate.qualified, "object_direction_qualifier": predicate.direction,
        "original_predicate": f"exokg:{relation}", "primary_knowledge_source": PRIMARY_SOURCE,
        "knowledge_level": KNOWLEDGE_LEVEL, "agent_type": AGENT_TYPE,
    }  # fmt: skip
    for column, items in details.items():
        if items:
            record[column] = items if column in MULTIVALUED else items[0]
    return record


def _edge_key(record: Record) -> tuple[str, str]:
    return (str(record["id"]), str(record["subject"]))


def _tsv(columns: Sequence[str], records: Sequence[Record]) -> str:
    def cell(value: str | list[str] | None) -> str:
        text = "|".join(value) if isinstance(value, list) else (value or "")
        return " ".join(text.split()) if any(ch in text for ch in "\t\r\n") else text

    lines = ["\t".join(columns), *("\t".join(cell(r.get(c)) for c in columns) for r in records)]
    return "\n".join(lines) + "\n"


def _jsonl(records: Sequence[Record]) -> str:
    return "".join(json.dumps({k: v for k, v in r.items() if v}, ensure_ascii=False, sort_keys=True) + "\n"
                   for r in records)  # fmt: skip

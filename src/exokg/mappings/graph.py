"""The mapping set as RDF: the mappings named graph, and exokg IRIs rewritten to external ones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from exokg.mappings.sssom import XREF_PREDICATES, Mapping, read_sssom
from exokg.prefixes import bind_prefixes, expand
from exokg.vocab import HAS_DBXREF, SKOS

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "PREFERRED_SOURCES",
    "external_ids_rewrite",
    "load_mappings",
    "mappings_graph",
    "unique_exact_targets",
]

#: The source whose exact match stands for a subject that has exact matches in several (``--ids external``).
PREFERRED_SOURCES = (
    "GO", "CL", "UBERON", "CHEBI", "MONDO", "HGNC", "mirbase.mature", "mirbase", "NCBITaxon", "ECO", "RO", "BFO",
    "DOID", "NCIT", "NCBIGene", "UniProtKB",
)  # fmt: skip


def mappings_graph(mappings: Iterable[Mapping]) -> Graph:
    """The mappings named graph: ``subject skos:<match> <external IRI>``, plus ``oboInOwl:hasDbXref``.

    External IRIs come from the prefix map (OBO PURLs; identifiers.org for HGNC,
    NCBIGene, UniProtKB and miRBase). The SKOS and oboInOwl properties are declared
    annotation properties in the ontology (``ontology/imports/external_terms.tsv``),
    so the graph stays OWL 2 DL next to it.
    """
    from rdflib import Graph, Literal, URIRef

    graph = bind_prefixes(Graph())
    for m in mappings:
        subject, obj = URIRef(expand(m.subject_id)), URIRef(expand(m.object_id))
        predicate = SKOS + m.predicate_id.partition(":")[2]
        graph.add((subject, URIRef(predicate), obj))
        if m.predicate_id in XREF_PREDICATES:
            graph.add((subject, URIRef(HAS_DBXREF), Literal(m.object_id)))
    return graph


def load_mappings(path: Path | None = None) -> Graph:
    """Read the packaged mapping set (or ``path``) and return its graph."""
    return mappings_graph(read_sssom(path)[1])


def external_ids_rewrite(graph: Graph, mappings: Iterable[Mapping]) -> Graph:
    """A copy of ``graph`` where each exokg IRI with one exact match in its preferred source becomes that IRI.

    For ``exokg export --ids external``. A subject with exact matches in several sources
    is represented by the first of :data:`PREFERRED_SOURCES` it has (MONDO before
    DOID and NCIT, HGNC before NCBI Gene), and only if it has exactly one match there.
    When several exokg IRIs share a target (a class and its eponymous individual), the
    entity takes the external IRI and the class keeps its exokg IRI; two entities sharing
    one are both left unchanged, so distinct nodes are never merged.
    """
    from rdflib import Graph as RdfGraph
    from rdflib import URIRef

    rewrite = {URIRef(expand(s)): URIRef(expand(o)) for s, o in _unique_exact(mappings).items()}
    result = bind_prefixes(RdfGraph())
    for s, p, o in graph:
        # rdflib types a triple's parts as Node; a rewrite maps IRIs to IRIs, so the triple stays valid
        result.add((rewrite.get(s, s), rewrite.get(p, p), rewrite.get(o, o)))  # type: ignore[call-overload]
    return result


def _unique_exact(mappings: Iterable[Mapping]) -> dict[str, str]:
    pairs = ((m.subject_id, m.object_id) for m in mappings if m.predicate_id == "skos:exactMatch")
    return unique_exact_targets(pairs, is_entity=lambda curie: curie.startswith("exokg.entity:"))


def unique_exact_targets(pairs: Iterable[tuple[str, str]], *, is_entity: Callable[[str], bool]) -> dict[str, str]:
    """Subject CURIE → the one external CURIE that stands for it, from ``(subject, exact match)`` pairs.

    A subject with exact matches in several sources (MONDO, DOID and NCIT for a cancer;
    HGNC and NCBI Gene for a gene) is represented by its match in the first source of
    :data:`PREFERRED_SOURCES`, and only if it has exactly one there. Two subjects are
    never merged: when several share a target, the one entity among them keeps it (a
    class and its eponymous individual); otherwise none does.

    >>> unique_exact_targets([("c", "GO:1"), ("e", "GO:1"), ("x", "GO:2"), ("x", "GO:3")], is_entity=lambda s: s == "e")
    {'e': 'GO:1'}
    >>> unique_exact_targets([("e", "DOID:1612"), ("e", "MONDO:0007254")], is_entity=lambda s: True)
    {'e': 'MONDO:0007254'}
    """
    exact: dict[str, list[str]] = defaultdict(list)
    for subject, obj in pairs:
        exact[subject].append(obj)
    by_target: dict[str, list[str]] = defaultdict(list)
    for subject, objects in exact.items():
        best = min(_source_rank(obj) for obj in objects)
        preferred = [obj for obj in objects if _source_rank(obj) == best]
        if len(preferred) == 1:
            by_target[preferred[0]].append(subject)
    chosen: dict[str, str] = {}
    for target, subjects in sorted(by_target.items()):
        entities = [s for s in subjects if is_entity(s)]
        pick = entities or subjects
        if len(pick) == 1:
            chosen[pick[0]] = target
    return chosen


def _source_rank(curie: str) -> int:
    prefix = curie.partition(":")[0]
    return PREFERRED_SOURCES.index(prefix) if prefix in PREFERRED_SOURCES else len(PREFERRED_SOURCES)

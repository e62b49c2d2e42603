"""The first two stages together: load the sources and populate the review graph.

:class:`Graphs` holds a build's named graphs apart (docs/decisions/0003); the
merges that exports and checks need are defined here once: the asserted union
(what ``exokg.ttl`` holds) and the data graph (what SHACL validates).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

from exokg.errors import InputError
from exokg.prefixes import bind_prefixes
from exokg.progress import Progress
from exokg.vocab import GRAPH_INFERRED, GRAPH_MAPPINGS, GRAPH_ONTOLOGY, GRAPH_REVIEW

__all__ = ["Graphs", "assemble", "asserted_union", "merged"]


@dataclass
class Graphs:
    """A build's named graphs; ``inferred`` is None until the reasoner ran."""

    ontology: Graph
    review: Graph
    mappings: Graph
    inferred: Graph | None = None

    def named(self) -> dict[URIRef, Graph]:
        """Graph IRI → graph, in build order (what the store and TriG hold)."""
        graphs = {
            URIRef(GRAPH_ONTOLOGY): self.ontology,
            URIRef(GRAPH_REVIEW): self.review,
            URIRef(GRAPH_MAPPINGS): self.mappings,
        }
        if self.inferred is not None:
            graphs[URIRef(GRAPH_INFERRED)] = self.inferred
        return graphs

    def data(self) -> Graph:
        """Review + mappings: the instance data that the shapes validate against the ontology."""
        return merged(self.review, self.mappings)


def merged(*parts: Graph) -> Graph:
    """One new graph holding every triple of ``parts``, with the project's prefixes bound."""
    union = bind_prefixes(Graph())
    for part in parts:
        for triple in part:
            union.add(triple)
    return union


def asserted_union(graphs: Graphs) -> Graph:
    """Ontology + review + mappings in one graph (what ``exokg.ttl`` holds)."""
    return merged(graphs.ontology, graphs.review, graphs.mappings)


def assemble(*, progress: Progress | None = None) -> Graphs:
    """Load the packaged ontology, curated tables and mappings, check them, and populate the review graph."""
    from exokg.mappings.graph import load_mappings
    from exokg.pipeline.curation import check_curation, load_curation, ontology_vocabulary
    from exokg.pipeline.ontology import data_property_ranges, load_ontology, object_property_labels
    from exokg.pipeline.populate import build_review_graph

    progress = progress or Progress(quiet=True)
    with progress.stage("load"):
        ontology = load_ontology()
        curation = load_curation()
        classes, object_properties, data_properties = ontology_vocabulary()
        problems = check_curation(
            curation, classes=classes, object_properties=object_properties, data_properties=data_properties
        )
        if problems:
            shown = "\n".join(f"  {problem}" for problem in problems[:50])
            more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
            raise InputError(f"{len(problems)} problem(s) in the curated tables:\n{shown}{more}")
        mappings = load_mappings()
    with progress.stage("populate"):
        review = build_review_graph(
            curation, datatypes=data_property_ranges(), relation_labels=object_property_labels()
        )
    return Graphs(ontology=ontology, review=review, mappings=mappings)

"""Replicate the review graph to a given size: every exokg IRI and every label renamed per copy.

Usage: python bench/replicate.py --triples 1000000 [--out replicated.nt]

Copy ``k`` renames each IRI under ``https://w3id.org/exokg/{entity,claim,source}/`` to
``…/<local>-r<k>`` and appends `` r<k>`` to every ``rdfs:label``, synonym and
definition, so copies are disjoint entities with distinct names (no merged nodes, no
duplicate labels), as a larger curation of the same shape would be. The ontology is
kept once. Written as N-Triples when ``--out`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from exokg.pipeline.assemble import Graphs, assemble
from exokg.vocab import CLAIM, DEFINITION, ENTITY, EXACT_SYNONYM, SOURCE

RENAMED = (ENTITY, CLAIM, SOURCE)
LABELS = {URIRef("http://www.w3.org/2000/01/rdf-schema#label"), URIRef(EXACT_SYNONYM), URIRef(DEFINITION)}


def _rename(node: Node, suffix: str) -> Node:
    if isinstance(node, URIRef) and str(node).startswith(RENAMED):  # rdflib's own startswith takes no tuple
        return URIRef(f"{node}-r{suffix}")
    return node


def replicated_data(graphs: Graphs, triples: int) -> Graph:
    """Review + mappings replicated until the data and the ontology hold about ``triples`` triples."""
    data = graphs.data()
    copies = max(1, round((triples - len(graphs.ontology)) / len(data)))
    result = Graph()
    for k in range(copies):
        suffix = str(k)
        for s, p, o in data:
            if p in LABELS and isinstance(o, Literal):
                o = Literal(f"{o} r{suffix}", lang=o.language, datatype=o.datatype)
            result.add((_rename(s, suffix), p, _rename(o, suffix)))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    graphs = assemble()
    data = replicated_data(graphs, args.triples)
    print(f"{len(data)} data triples + {len(graphs.ontology)} ontology triples", file=sys.stderr)
    if args.out:
        data.serialize(args.out, format="nt")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Draw the main classes and relations of the exokg ontology as Graphviz DOT (and SVG when `dot` exists).

Usage: python scripts/diagram.py [docs/modelling]   → writes docs/modelling.dot and docs/modelling.svg
The diagram is generated from the ontology, never drawn by hand: rerun after changing the templates.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from exokg.pipeline.ontology import load_ontology
from exokg.vocab import EXOKG

#: Classes drawn as boxes; a relation is drawn when its domain and range are among them.
MAIN_CLASSES = (
    "Claim", "ExtracellularVesicle", "Exosome", "CancerCellDerivedExosome", "MolecularEntity", "Protein",
    "MicroRNA", "Lipid", "Drug", "CellType", "CancerCell", "Cancer", "BiologicalProcess",
    "CancerProgressionProcess", "AnatomicalEntity", "BodyFluid", "Organism", "ExperimentalSystem",
    "ClinicalUse", "TherapeuticStrategy", "Condition", "CancerStage", "Direction", "Reference",
    "ReviewSection", "SourceDocument", "EvidenceType", "OncomiR", "ExosomalBiomarker", "DrugResistanceCargo",
    "ImmunosuppressiveCargo",
)  # fmt: skip
#: Relations between entities drawn without a declared domain (their typical use).
TYPICAL = {
    "derivesFrom": ("ExtracellularVesicle", "CellType"),
    "locatedIn": ("ExtracellularVesicle", "BodyFluid"),
    "isMarkerFor": ("MolecularEntity", "Cancer"),
    "confersResistanceTo": ("MolecularEntity", "Drug"),
    "promotes": ("MolecularEntity", "BiologicalProcess"),
    "inhibits": ("Drug", "BiologicalProcess"),
    "transferredTo": ("MolecularEntity", "CellType"),
    "isSubtypeOf": ("Cancer", "Cancer"),
    "levelIncreasedIn": ("MicroRNA", "Cancer"),
    "claimSubject": ("Claim", "MolecularEntity"),
    "claimObject": ("Claim", "BiologicalProcess"),
}


def _local(node: object) -> str:
    return str(node).removeprefix(EXOKG)


def _label(graph: Graph, node: URIRef) -> str:
    return str(graph.value(node, RDFS.label) or _local(node))


def _nearest_main_ancestors(graph: Graph, cls: str, main: set[str]) -> set[str]:
    """The closest superclasses of ``cls`` that are drawn, skipping the ones that are not."""
    found, frontier, seen = set(), [URIRef(EXOKG + cls)], set()
    while frontier:
        node = frontier.pop()
        for parent in graph.objects(node, RDFS.subClassOf):
            if not isinstance(parent, URIRef) or parent in seen:
                continue
            seen.add(parent)
            if _local(parent) in main:
                found.add(_local(parent))
            else:
                frontier.append(parent)
    return found


def edges(graph: Graph) -> list[tuple[str, str, str, str]]:
    """(from, to, label, style) for subclass links and relations among the main classes."""
    main = set(MAIN_CLASSES)
    found: set[tuple[str, str, str, str]] = set()
    for cls in main:
        for ancestor in _nearest_main_ancestors(graph, cls, main):
            found.add((cls, ancestor, "is a", "dashed"))
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        name = _local(prop)
        domain, range_ = graph.value(prop, RDFS.domain), graph.value(prop, RDFS.range)
        ends = TYPICAL.get(name) or ((_local(domain), _local(range_)) if domain and range_ else None)
        if ends and ends[0] in main and ends[1] in main:
            found.add((ends[0], ends[1], _label(graph, prop), "solid"))
    return sorted(found)


def to_dot(graph: Graph) -> str:
    lines = ["digraph exokg {", '  rankdir=LR; node [shape=box, style="rounded,filled", fillcolor="#eef4fb",'
             ' fontname="Helvetica", fontsize=10]; edge [fontname="Helvetica", fontsize=8];']  # fmt: skip
    for cls in sorted(MAIN_CLASSES):
        lines.append(f'  "{cls}" [label="{_label(graph, URIRef(EXOKG + cls))}"];')
    for start, end, label, style in edges(graph):
        lines.append(f'  "{start}" -> "{end}" [label="{label}", style={style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(stem: str = "docs/modelling") -> None:
    dot_path = Path(stem + ".dot")
    dot_path.write_text(to_dot(load_ontology()), encoding="utf-8")
    dot = shutil.which("dot")
    if dot is None:
        print(f"wrote {dot_path}; install Graphviz (`dot`) to render the SVG", file=sys.stderr)
        return
    subprocess.run([dot, "-Tsvg", str(dot_path), "-o", stem + ".svg"], check=True)
    print(f"wrote {dot_path} and {stem}.svg", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])

"""SHACL on Oxigraph (shapes compiled to SPARQL) against pySHACL, on a replicated review graph.

Usage: python bench/shacl.py [--triples 1000000] [--skip-pyshacl]

Both engines get the same merged graph (ontology + replicated data, see bench/replicate.py),
written once to N-Triples. "oxigraph" counts loading that file into an in-memory Oxigraph
store and running every compiled shape; "pyshacl" is ``pyshacl.validate`` alone on the graph
already parsed by rdflib (its parse time is not counted: that favours pySHACL).
The QC queries are left out of both: they run on Oxigraph whichever engine runs the shapes.
The two result sets (focus, path, component, severity) are compared.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rdflib import SH, Graph

sys.path.insert(0, str(Path(__file__).resolve().parent))

from replicate import replicated_data

from exokg.pipeline.assemble import assemble
from exokg.pipeline.validate.oxshacl import validate_on_oxigraph
from exokg.pipeline.validate.shacl import _render_path, load_shapes


def keys(results: Graph) -> set[tuple[str, str | None, str, str]]:
    found = set()
    for node in results.subjects(SH.sourceConstraintComponent, None):
        path = results.value(node, SH.resultPath)
        rendered = _render_path(results, path) if path is not None else None
        component, severity = results.value(node, SH.sourceConstraintComponent), results.value(node, SH.resultSeverity)
        found.add((str(results.value(node, SH.focusNode)), rendered, str(component), str(severity)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--skip-pyshacl", action="store_true")
    args = parser.parse_args()
    graphs = assemble()
    merged = replicated_data(graphs, args.triples)
    for triple in graphs.ontology:
        merged.add(triple)
    shapes = load_shapes()
    print(f"{len(merged):,} triples")
    import pyoxigraph

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "replicated.nt"
        merged.serialize(source, format="nt", encoding="utf-8")
        start = time.perf_counter()
        store = pyoxigraph.Store()
        store.bulk_load(path=str(source), format=pyoxigraph.RdfFormat.N_TRIPLES)
        loaded = time.perf_counter() - start
        ours = validate_on_oxigraph(store, shapes)
        oxigraph = time.perf_counter() - start
    print(f"oxigraph: {oxigraph:.1f} s ({loaded:.1f} s loading the N-Triples), {len(keys(ours))} results")
    if args.skip_pyshacl:
        return 0
    import pyshacl

    start = time.perf_counter()
    _, theirs, _ = pyshacl.validate(merged, shacl_graph=shapes, inference="none", advanced=False, inplace=True,
                                    allow_warnings=True, allow_infos=True, do_owl_imports=False)  # fmt: skip
    reference = time.perf_counter() - start
    print(f"pyshacl:  {reference:.1f} s, {len(keys(theirs))} results")
    same = keys(ours) == keys(theirs)
    print(f"speed-up {reference / oxigraph:.1f}x (goal >= 10); same results: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

"""SHACL on Oxigraph (shapes compiled to SPARQL) against pySHACL, on a replicated review graph.

Usage: python bench/shacl.py [--triples 1000000] [--skip-pyshacl]

Both engines get the same merged graph (ontology + replicated data, see bench/replicate.py),
written once to N-Triples. "oxigraph" counts loading that file into an in-memory Oxigraph
store and running every compiled shape; "pyshacl" is ``pyshacl.validate`` alone on the graph
already parsed by rdflib (its parse time is not counted: that favours pySHACL). Both are
timed in wall and CPU seconds (CPU: every thread of this process; on a shared machine the
CPU ratio is the steadier one).
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


class Timing:
    """Wall and CPU seconds (this process, every thread) of a piece of work."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def __enter__(self) -> Timing:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self._wall, time.process_time() - self._cpu


def compare(triples: int, *, skip_pyshacl: bool = False) -> bool:
    """Print both engines' times at ``triples`` and the speed-up; True when the result sets agree."""
    graphs = assemble()
    merged = replicated_data(graphs, triples)
    for triple in graphs.ontology:
        merged.add(triple)
    shapes = load_shapes()
    print(f"{len(merged):,} triples")
    import pyoxigraph

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "replicated.nt"
        merged.serialize(source, format="nt", encoding="utf-8")
        with Timing() as oxigraph, Timing() as loading:
            store = pyoxigraph.Store()
            store.bulk_load(path=str(source), format=pyoxigraph.RdfFormat.N_TRIPLES)
        with oxigraph:
            ours = validate_on_oxigraph(store, shapes)
        oxigraph.wall, oxigraph.cpu = oxigraph.wall + loading.wall, oxigraph.cpu + loading.cpu
    print(f"oxigraph: {oxigraph.wall:.1f} s wall, {oxigraph.cpu:.1f} s CPU ({loading.wall:.1f} s wall, "
          f"{loading.cpu:.1f} s CPU loading the N-Triples), {len(keys(ours))} results")  # fmt: skip
    if skip_pyshacl:
        return True
    import pyshacl

    with Timing() as reference:
        _, theirs, _ = pyshacl.validate(merged, shacl_graph=shapes, inference="none", advanced=False, inplace=True,
                                        allow_warnings=True, allow_infos=True, do_owl_imports=False)  # fmt: skip
    print(f"pyshacl:  {reference.wall:.1f} s wall, {reference.cpu:.1f} s CPU, {len(keys(theirs))} results")
    same = keys(ours) == keys(theirs)
    cpu, wall = reference.cpu / oxigraph.cpu, reference.wall / oxigraph.wall
    print(f"compiled SHACL on Oxigraph vs pySHACL at {len(merged):,} triples: {cpu:.1f}x in CPU time, "
          f"{wall:.1f}x in wall time (goal >= 10); same results: {same}")  # fmt: skip
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--skip-pyshacl", action="store_true")
    args = parser.parse_args()
    return 0 if compare(args.triples, skip_pyshacl=args.skip_pyshacl) else 1


if __name__ == "__main__":
    sys.exit(main())

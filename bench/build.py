"""Benchmark `exokg build` against the direct route for each stage, as ratios measured in one run.

Usage: python bench/build.py [--runs 5] [--no-reason]

Each build is a fresh process into a fresh folder (imports and the reasoner count as
they do for a user; the reasoner cache cannot hit), then one more build into the same
folder shows the cached rebuild. The direct routes run in this process on the same
graphs: pyoxigraph dumping and re-parsing the asserted union, HermiT alone as owlready2
calls it (with and without -Y), pySHACL alone on the merged graph. On a shared machine
absolute times move with load (2.4x seen): read the ratios, which are taken side by side.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHILD = """
import json, resource, sys, time
from pathlib import Path
from exokg.pipeline.build import run_build
from exokg.progress import Progress
progress = Progress(quiet=True)
start, cpu = time.perf_counter(), time.process_time()
manifest = run_build(Path(sys.argv[1]), reason=sys.argv[2] == "1", progress=progress)
progress.timings["total"] = time.perf_counter() - start
progress.cpu["total"] = sum(progress.cpu.values())
print(json.dumps({"timings": progress.timings, "stage_cpu": progress.cpu, "triples": manifest["triples"],
                  "cpu": time.process_time() - cpu,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def run_once(out: Path, reason: bool) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(out), "1" if reason else "0"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - started
    return result


def median_s(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def direct_routes(runs: int, reason: bool) -> dict[str, float]:
    """The same work done directly, each a median of ``runs``."""
    import pyoxigraph as ox

    from exokg.io.rdfwrite import serialise_canonical
    from exokg.pipeline.assemble import assemble, asserted_union
    from exokg.pipeline.outputs import canonical_asserted

    graphs = assemble()
    union = asserted_union(graphs)
    stable = canonical_asserted(graphs)
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in stable.union.triples)
    routes: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        ttl, nt = Path(folder) / "x.ttl", Path(folder) / "x.nt"

        def dump() -> None:
            store.dump(str(ttl), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
            store.dump(str(nt), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())

        routes["oxigraph dump ttl+nt"] = median_s(dump, runs)
        routes["oxigraph parse-back ttl+nt"] = median_s(
            lambda: [list(ox.parse(path=str(p), format=f)) for p, f in
                     ((ttl, ox.RdfFormat.TURTLE), (nt, ox.RdfFormat.N_TRIPLES))], runs)  # fmt: skip
    routes["exokg ttl of the union"] = median_s(lambda: serialise_canonical(stable.union, "ttl"), runs)
    routes["oxigraph Store.dump ttl"] = median_s(
        lambda: store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()), runs
    )
    routes["pyshacl alone"] = median_s(lambda: _pyshacl(graphs), max(1, runs // 2))
    if reason:
        data = _owlready_input(union)
        routes["hermit -c -O -D -Y"] = median_s(lambda: _hermit(data, y=True), max(1, runs // 2))
        routes["hermit -c -O -D"] = median_s(lambda: _hermit(data, y=False), max(1, runs // 2))
    return routes


def _pyshacl(graphs: Any) -> None:
    import pyshacl
    from rdflib import Graph

    from exokg.pipeline.validate.shacl import load_shapes

    merged = Graph()
    for part in (graphs.ontology, graphs.data()):
        for triple in part:
            merged.add(triple)
    pyshacl.validate(merged, shacl_graph=load_shapes(), inference="none", advanced=False, inplace=True,
                     allow_warnings=True, allow_infos=True, do_owl_imports=False)  # fmt: skip


def _owlready_input(union: Any) -> bytes:
    from exokg.pipeline.reason import _owlready_input as owlready_input

    return owlready_input(union)


def _hermit(data: bytes, *, y: bool) -> None:
    """HermiT as owlready2 runs it, the Java process alone."""
    import owlready2.reasoning as reasoning

    with tempfile.NamedTemporaryFile(suffix=".nt") as handle:
        handle.write(data)
        handle.flush()
        hermit = ["org.semanticweb.HermiT.cli.CommandLine", "-c", "-O", "-D", "-I", f"file://{handle.name}"]
        command = ["java", f"-Xmx{reasoning.JAVA_MEMORY}M", "-cp", reasoning._HERMIT_CLASSPATH, *hermit]
        subprocess.run(command + (["-Y"] if y else []), check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-reason", action="store_true")
    args = parser.parse_args()
    reason = not args.no_reason
    with tempfile.TemporaryDirectory() as folder:
        runs = [run_once(Path(folder) / f"run{i}", reason) for i in range(args.runs)]
        cached = run_once(Path(folder) / "run0", reason) if reason else None
    stages = list(runs[0]["timings"])
    med = {stage: statistics.median(r["timings"][stage] for r in runs) for stage in stages}
    cpu = {stage: statistics.median(r["stage_cpu"].get(stage, 0.0) for r in runs) for stage in stages}
    print(f"exokg build, {args.runs} runs, median (min-max) wall seconds per stage, and median CPU seconds")
    print(f"{'stage':<12}{'median':>9}{'min':>9}{'max':>9}{'share':>8}{'cpu':>9}")
    for stage in stages:
        values = [r["timings"][stage] for r in runs]
        print(f"{stage:<12}{med[stage]:>9.2f}{min(values):>9.2f}{max(values):>9.2f}"
              f"{med[stage] / med['total']:>8.0%}{cpu[stage]:>9.2f}")  # fmt: skip
    print(
        f"{'process':<12}{statistics.median(r['process'] for r in runs):>9.2f}   (the whole process, imports included)"
    )
    print(f"{'cpu':<12}{statistics.median(r['cpu'] for r in runs):>9.2f}   (CPU seconds of the build process alone)")
    if cached is not None:
        print(f"{'rebuild':<12}{cached['timings']['total']:>9.2f}   (same input, same folder: reason "
              f"{cached['timings'].get('reason', 0):.2f} s from the cache)")  # fmt: skip
    peak = max(r["peak_kib"] for r in runs)
    print(f"peak memory (max RSS): {peak / 1024:.0f} MiB; Java child max RSS "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB")  # fmt: skip

    direct = direct_routes(args.runs, reason)
    print("\nexokg vs the direct route (medians, seconds; ratio = exokg / direct)")
    rows = [
        ("serialise + export (cpu)", cpu["serialise"] + cpu["export"],
         direct["oxigraph dump ttl+nt"] + direct["oxigraph parse-back ttl+nt"], "pyoxigraph ttl+nt dump + parse-back"),
        ("Turtle of the asserted union", direct["exokg ttl of the union"], direct["oxigraph Store.dump ttl"],
         "Store.dump Turtle"),
        ("validate stage", med["validate"], direct["pyshacl alone"], "pySHACL alone, same merged graph"),
    ]  # fmt: skip
    if reason:
        rows.append(("reason stage", med["reason"], direct["hermit -c -O -D -Y"], "HermiT -c -O -D -Y (old path)"))
        rows.append(("reason stage", med["reason"], direct["hermit -c -O -D"], "HermiT -c -O -D (what runs now)"))
        rows.append(("build total", med["total"], direct["hermit -c -O -D -Y"], "HermiT -Y alone"))
    print(f"{'work':<30}{'exokg':>9}{'direct':>9}{'ratio':>8}  direct route")
    for work, ours, theirs, what in rows:
        print(f"{work:<30}{ours:>9.3f}{theirs:>9.3f}{ours / theirs:>8.2f}  {what}")
    print(f"\ngoals: build total {med['total']:.2f} s wall, {cpu['total']:.2f} s CPU with Java (<= 5 s); "
          f"serialise + export {med['serialise'] + med['export']:.2f} s wall, "
          f"{cpu['serialise'] + cpu['export']:.2f} s CPU (<= 0.5 s)")  # fmt: skip
    print("triples: " + ", ".join(f"{k.rsplit('/', 1)[-1]}={v}" for k, v in runs[0]["triples"].items()))


if __name__ == "__main__":
    main()

"""Measure exokg at scale on a seeded synthetic corpus of the review graph's shape.

Usage::

    python bench/scale.py --sizes 100000,1000000 [--seed 14] [--servers oxigraph,virtuoso]
                          [--validate-max 10000000] [--pyshacl-max 100000] [--reason-max 100000]
                          [--rdflib-max 100000]
                          [--repeat 9] [--work DIR] [--json bench/results]
    python bench/scale.py --sizes 1000000 --work DIR --queries-only [--only cargo-transfers,claims]
                          [--endpoint virtuoso=http://127.0.0.1:8890/sparql]

Per size it prints: generate, build per stage (load into the embedded store, reason,
validate in the store, and pySHACL over an rdflib copy where it finishes) with time and
peak RSS, push to each server, and p50/p95 of every canned query on each engine
(embedded Oxigraph in-process, rdflib, Oxigraph server, Virtuoso) with
ratios between engines of the same run. ``--queries-only`` times the canned queries on the
corpus and store an earlier run left in ``--work`` (and on servers already holding it,
``--endpoint NAME=URL``), to iterate on the queries without reloading. Heavy stages run in a child process each, so
their peak RSS is their own. The corpus goes to a scratch folder (never ``dist/``) and
its synthetic triples to their own graph (exokg.synthetic.SYNTHETIC_GRAPH).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

# Everything this script takes from exokg, in one place (modules are moving into packages).
from exokg.pipeline.build import existing_or_fresh_build
from exokg.query.catalogue import bind_parameters, load_catalogue
from exokg.query.engines import Engine, OxigraphEngine, RdflibEngine
from exokg.query.remote import RemoteEngine
from exokg.remote import Client, Target, push, read_build
from exokg.remote.servers import oxigraph_server, virtuoso_server
from exokg.synthetic import SYNTHETIC_GRAPH, generate, write_nquads
from exokg.vocab import GRAPH

REPO = Path(__file__).resolve().parents[1]
REAL_GRAPHS = ("ontology", "review", "mappings", "inferred")
GOAL_P50_MS = 100.0


# ---- stages, each run in a child process (python bench/scale.py stage NAME ARGS) ----------------------


def stage_generate(args: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph

    folder = Path(args["folder"])
    with existing_or_fresh_build(Path(args["real"])) as real:
        store = pyoxigraph.Store.read_only(str(real / "store"))

        def triples(name: str) -> list[tuple[str, str, str]]:
            node = pyoxigraph.NamedNode(GRAPH + name)
            quads = store.quads_for_pattern(None, None, None, node)
            return [(str(q.subject), str(q.predicate), str(q.object)) for q in quads]

        graphs: dict[str, Any] = {GRAPH + name: triples(name) for name in REAL_GRAPHS}
    real_count = sum(len(t) for t in graphs.values())
    synthetic = generate(graphs[GRAPH + "review"], graphs[GRAPH + "mappings"],
                         triples=max(0, args["size"] - real_count), seed=args["seed"])  # fmt: skip
    graphs[SYNTHETIC_GRAPH] = synthetic
    count = write_nquads(folder / "corpus.nq", graphs)
    return {"triples": count, "synthetic": count - real_count}


def stage_load(args: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph

    folder = Path(args["folder"])
    store = pyoxigraph.Store(str(folder / "store"))
    store.bulk_load(path=str(folder / "corpus.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    return {"triples": len(store)}


def _rdflib_graphs(folder: Path) -> tuple[Any, Any]:
    """The asserted data (everything but the ontology and inferred graphs) and the ontology, as rdflib graphs."""
    from rdflib import Dataset, Graph, URIRef

    dataset = Dataset()
    dataset.parse(folder / "corpus.nq", format="nquads")
    data, ontology = Graph(), Graph()
    for name in (GRAPH + "review", GRAPH + "mappings", SYNTHETIC_GRAPH):
        for triple in dataset.graph(URIRef(name)):
            data.add(triple)
    for triple in dataset.graph(URIRef(GRAPH + "ontology")):
        ontology.add(triple)
    return data, ontology


def stage_validate(args: dict[str, Any]) -> dict[str, Any]:
    """Shapes and QC queries compiled to SPARQL, run on the loaded store over its asserted graphs: no copy."""
    import pyoxigraph

    from exokg.pipeline.validate.shacl import validate_store

    report = validate_store(pyoxigraph.Store.read_only(str(Path(args["folder"]) / "store")))
    return {"validate_s": report.seconds, "violations": report.violations, "warnings": report.warnings}


def stage_validate_pyshacl(args: dict[str, Any]) -> dict[str, Any]:
    """The reference: the corpus parsed into rdflib, then pySHACL (where it finishes)."""
    from exokg.pipeline.validate.shacl import validate_graph

    started = time.perf_counter()
    data, ontology = _rdflib_graphs(Path(args["folder"]))
    parsed = time.perf_counter() - started
    report = validate_graph(data, ontology, engine="pyshacl")
    return {"parse_s": parsed, "validate_s": report.seconds, "violations": report.violations,
            "warnings": report.warnings}  # fmt: skip


def stage_reason(args: dict[str, Any]) -> dict[str, Any]:
    from exokg.pipeline.reason import reason

    data, ontology = _rdflib_graphs(Path(args["folder"]))
    for triple in ontology:
        data.add(triple)
    result = reason(data)
    return {"inferred": len(result.inferred), "hermit_s": result.seconds}


STAGES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "generate": stage_generate,
    "load": stage_load,
    "validate": stage_validate,
    "validate-pyshacl": stage_validate_pyshacl,
    "reason": stage_reason,
}


def run_stage(name: str, args: dict[str, Any], *, timeout: float) -> dict[str, Any]:
    """Run one stage in a child process; its wall time, peak RSS and result, or why it stopped."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, __file__, "stage", name, json.dumps(args)],
                              capture_output=True, text=True, timeout=timeout)  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"stage": name, "seconds": time.perf_counter() - started, "stopped": f"over the {timeout:g} s limit"}
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"stage": name, "seconds": seconds, "stopped": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return {"stage": name, "seconds": seconds, **result}


def child(name: str, raw: str) -> None:
    result = STAGES[name](json.loads(raw))
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["children_peak_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


# ---- queries ------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def time_queries(
    engines: dict[str, Engine], *, repeat: int, budget: float, only: list[str] | None = None
) -> dict[str, dict[str, Any]]:
    """p50/p95 (ms) and row count of every canned query (or those ``only`` names) on every engine.

    A failure is recorded, not raised.
    """
    results: dict[str, dict[str, Any]] = {}
    for name, query in sorted(load_catalogue().items()):
        if only and name not in only:
            continue
        bindings = bind_parameters(query, {})
        results[name] = {}
        for engine_name, engine in engines.items():
            in_process = isinstance(engine, (OxigraphEngine, RdflibEngine))  # no fork: the engine's own cost
            run = partial(engine._evaluate if in_process else engine.run, query.text, bindings)  # type: ignore[attr-defined]
            try:
                start = time.perf_counter()
                # warm-up through run(): local engines fork and stop at the timeout there
                rows = len(engine.run(query.text, bindings).rows)  # a query slower than the budget is timed once
                times: list[float] = (
                    [(time.perf_counter() - start) * 1000] if time.perf_counter() - start > budget else []
                )
                spent = time.perf_counter()
                slow = bool(times)
                while not slow and len(times) < repeat and (len(times) < 3 or time.perf_counter() - spent < budget):
                    start = time.perf_counter()
                    run()
                    times.append((time.perf_counter() - start) * 1000)
                results[name][engine_name] = {"rows": rows, "p50": percentile(times, 0.5),
                                              "p95": percentile(times, 0.95), "runs": len(times)}  # fmt: skip
            except Exception as exc:  # measured and reported, never fatal
                results[name][engine_name] = {"error": " ".join(str(exc).split())[:120]}
    return results


def print_queries(results: dict[str, dict[str, Any]], engines: list[str]) -> None:
    short = {"oxigraph": "ox", "rdflib": "rdflib", "oxigraph-server": "ox-srv", "virtuoso": "virt"}
    header = f"{'query':30s} {'rows':>6s} " + " ".join(f"{short.get(e, e) + ' p50':>11s} {'p95':>8s}" for e in engines)
    ratios = [e for e in engines if e != "oxigraph"]
    header += " " + " ".join(f"{short.get(e, e) + '/ox':>10s}" for e in ratios)
    print(header)
    print("-" * len(header))
    print("(* p50 over the goal; ! a different row count from oxigraph)")
    for name, per_engine in results.items():
        ox = per_engine.get("oxigraph", {})
        line = f"{name:30s} {ox.get('rows', -1):6d} "
        for engine in engines:
            cell = per_engine.get(engine, {})
            if "p50" not in cell:
                line += f"{'ERR':>11s} {'':>8s} "
                continue
            over = cell["p50"] > GOAL_P50_MS and engine in ("oxigraph", "virtuoso")
            differs = "rows" in ox and cell["rows"] != ox["rows"]  # '!': a different number of rows
            line += f"{cell['p50']:10.1f}{'*' if over else ('!' if differs else ' ')} {cell['p95']:8.1f} "
        for engine in ratios:
            cell = per_engine.get(engine, {})
            ratio = cell["p50"] / ox["p50"] if "p50" in cell and ox.get("p50") else float("nan")
            line += f"{ratio:10.2f} "
        print(line.rstrip())
    for engine in ("oxigraph", "virtuoso"):
        if engine in engines:
            slow = [n for n, r in results.items() if r.get(engine, {}).get("p50", math.inf) > GOAL_P50_MS]
            print(f"{engine}: {len(results) - len(slow)}/{len(results)} queries with p50 <= {GOAL_P50_MS:g} ms"
                  + (f" (over or failed: {', '.join(slow)})" if slow else ""))  # fmt: skip


# ---- one size -----------------------------------------------------------------------------------------


def show(stage: dict[str, Any]) -> None:
    extra = {k: v for k, v in stage.items() if k not in ("stage", "seconds", "peak_mib", "children_peak_mib")}
    extra = {k: round(v, 2) if isinstance(v, float) else v for k, v in extra.items()}
    if stage.get("children_peak_mib"):
        extra["java_peak_mib"] = round(stage["children_peak_mib"])
    peak = f"{stage['peak_mib']:8.0f} MiB" if "peak_mib" in stage else f"{'':>12s}"
    print(f"  {stage['stage']:<22s} {stage['seconds']:9.1f} s {peak}  {json.dumps(extra, default=str)}", flush=True)


def measure(size: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    folder = work / f"scale-{size}"
    folder.mkdir(parents=True, exist_ok=True)
    stage_args = {"folder": str(folder), "size": size, "seed": args.seed, "real": str(args.real)}
    print(f"== {size:,} triples (seed {args.seed}) in {folder}", flush=True)
    record: dict[str, Any] = {"size": size, "seed": args.seed, "stages": []}
    reuse = args.reuse and (folder / "store").is_dir() and (folder / "corpus.nq").is_file()
    if args.queries_only and not reuse:
        raise SystemExit(f"--queries-only: no corpus and store of an earlier run in {folder}")
    for name, limit, wanted in [
        ("generate", 3600, not reuse),
        ("load", 3600, not reuse),
        ("reason", args.stage_timeout, size <= args.reason_max and not args.queries_only),
        ("validate", args.stage_timeout, size <= args.validate_max and not args.queries_only),
        ("validate-pyshacl", args.stage_timeout, size <= args.pyshacl_max and not args.queries_only),
    ]:
        if not wanted:
            why = "reused" if reuse and name in ("generate", "load") else "at this size: see docs/scaling.md"
            why = "--queries-only" if args.queries_only and name not in ("generate", "load") else why
            print(f"  {name:<22s} skipped ({why})", flush=True)
            continue
        stage = run_stage(name, stage_args, timeout=limit)
        show(stage)
        record["stages"].append(stage)
    import pyoxigraph

    engines: dict[str, Engine] = {"oxigraph": OxigraphEngine(pyoxigraph.Store.read_only(str(folder / "store")),
                                                              timeout=args.engine_timeout)}  # fmt: skip
    if size <= args.rdflib_max and not args.queries_only:
        from rdflib import Dataset

        started = time.perf_counter()
        dataset = Dataset(default_union=True)
        dataset.parse(folder / "corpus.nq", format="nquads")
        engines["rdflib"] = RdflibEngine(dataset, timeout=300)
        show({"stage": "rdflib parse", "seconds": time.perf_counter() - started})
    with ExitStack() as stack:
        if args.servers:
            started = time.perf_counter()
            payloads = read_build(folder)
            show({"stage": "push: read + canonicalise", "seconds": time.perf_counter() - started})
        for server_name in args.servers:
            server = stack.enter_context(
                oxigraph_server(args.oxigraph) if server_name == "oxigraph" else virtuoso_server()
            )
            started = time.perf_counter()
            try:
                report = push(payloads, Target.from_urls(server.endpoint), Client(), chunk=args.chunk, progress=None)
                stage = {"stage": f"push to {server.name}", "seconds": time.perf_counter() - started, **report.timings}
            except Exception as exc:
                stage = {"stage": f"push to {server.name}", "seconds": time.perf_counter() - started,
                         "stopped": str(exc)[:200]}  # fmt: skip
            show(stage)
            record["stages"].append(stage)
            engines[server.name] = RemoteEngine(server.endpoint, timeout=args.engine_timeout)
        for server_name, url in args.endpoint:  # already holding this corpus: nothing pushed
            engines[server_name] = RemoteEngine(url, timeout=args.engine_timeout)
        results = time_queries(engines, repeat=args.repeat, budget=args.budget, only=args.only)
        print_queries(results, list(engines))
    record["queries"] = results
    return record


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--servers", default="oxigraph,virtuoso", help="comma-separated, or 'none'")
    parser.add_argument("--oxigraph", default=str(Path(sys.executable).with_name("oxigraph")))
    parser.add_argument("--reason-max", type=int, default=100_000)
    parser.add_argument("--validate-max", type=int, default=10_000_000, help="largest size validated in the store")
    parser.add_argument("--pyshacl-max", type=int, default=100_000, help="largest size also validated by pySHACL")
    parser.add_argument("--rdflib-max", type=int, default=100_000)
    parser.add_argument("--stage-timeout", type=float, default=1800)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds of timed runs per query and engine")
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument(
        "--real", type=Path, default=REPO / "dist", help="a real build (else built in a scratch folder)"
    )
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="keep the corpus and store of an earlier run in --work")
    parser.add_argument("--engine-timeout", type=float, default=60.0, help="seconds before one query run is stopped")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results")
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="only time the canned queries, on the corpus and store of an earlier run in --work",
    )
    parser.add_argument("--only", default="", help="comma-separated canned query names to time (default: all)")
    parser.add_argument(
        "--endpoint",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="also time a server that already holds the corpus (NAME: oxigraph-server or virtuoso)",
    )
    args = parser.parse_args(argv)
    args.sizes = [int(float(s)) for s in args.sizes.split(",")]
    args.servers = [] if args.servers == "none" or args.queries_only else args.servers.split(",")
    args.only = [name for name in args.only.split(",") if name]
    args.reuse = args.reuse or args.queries_only
    if any("=" not in given for given in args.endpoint):
        parser.error("--endpoint takes NAME=URL")
    args.endpoint = [tuple(given.split("=", 1)) for given in args.endpoint]
    return args


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "stage":
        child(sys.argv[2], sys.argv[3])
        return 0
    args = arguments(argv)
    args.json.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="exokg-scale-")))
        for size in args.sizes:
            record = measure(size, args, work)
            (args.json / f"scale-{size}.json").write_text(json.dumps(record, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

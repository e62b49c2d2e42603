"""Benchmark the canned queries: per-query latency on each engine, and the cold CLI.

Usage::

    python bench/queries.py [--dist DIST] [--repeat 7] [--cold 5] [--cold-queries all|NAME,...]

Columns, all medians in milliseconds:

* ``api``      — ``exokg.open(DIST).query(NAME)``: the public API, answer rows as text;
* ``raw``      — the same final SPARQL (parameters as a VALUES block) by ``Store.query`` on the same
  on-disk store, every solution read: the direct route;
* ``api/raw``  — the layer's cost as a ratio (goal: median <= 1.3);
* ``ox run``   — ``OxigraphEngine.run``: the query in the long-lived worker process (timeout, memory cap);
* ``ox eval``  — the same evaluation in this process (no fork): the engine's own cost;
* ``ox mem``   — the same on an in-memory copy of the store, to show what the on-disk store costs;
* ``rdflib``   — ``RdflibEngine`` evaluation in this process over the exported TriG;
* ``ratio``    — rdflib / ox eval;
* ``cold``     — a fresh ``python -m exokg query run NAME`` process, start to exit.

Also printed: the CPU time of a cold ``exokg query run vesicle-types`` against ``python -c "import
pyoxigraph"`` (goal: within 4x; median of at least 21 alternate runs, with and without Python's
bytecode cache), and the worker's round trip on ``ASK {}``. ``bench/speed.py`` prints only the
two ratios of issue 13 that need a long run (this one and bench/shacl.py's).
Goals: every canned query under 10 ms on Oxigraph in-process; a cold run under 0.3 s.
Without a built DIST (default ``dist/``) the whole line is built into a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exokg.pipeline.build import existing_or_fresh_build
from exokg.query.catalogue import CannedQuery, bind_parameters, load_catalogue
from exokg.query.engines import OxigraphEngine, RdflibEngine, with_values_block

REPO = Path(__file__).resolve().parents[1]
GOAL_QUERY_MS = 10.0
GOAL_COLD_MS = 300.0


@dataclass
class Timing:
    name: str
    rows: int
    api: float
    raw: float
    ox_run: float
    ox_eval: float
    ox_mem: float
    rdflib: float
    cold: float | None

    @property
    def ratio(self) -> float:
        return self.rdflib / self.ox_eval if self.ox_eval else float("nan")

    @property
    def layer(self) -> float:
        return self.api / self.raw if self.raw else float("nan")


def median_ms(work: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``work`` over ``repeat`` runs, after one warm-up run."""
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def paired_median_ms(first: Callable[[], Any], second: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median times of two routes run alternately (a burst of load on a shared machine hits both)."""
    first()
    second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for work, kept in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            work()
            kept.append(time.perf_counter() - start)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


def cold_run_ms(name: str, dist: Path, repeat: int) -> float:
    """Median time of a fresh ``exokg query run`` process."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "exokg", "query", "run", name, "--dist", str(dist), "--format", "csv"]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def in_memory_copy(engine: OxigraphEngine) -> OxigraphEngine:
    import pyoxigraph

    memory = pyoxigraph.Store()
    memory.bulk_extend(engine.store.quads_for_pattern(None, None, None, None))
    return OxigraphEngine(memory)


def raw_route(store: Any, text: str) -> Callable[[], object]:
    """The direct route: Oxigraph alone on the same store, every solution read."""

    def run() -> object:
        result = store.query(text, use_default_graph_as_union=True)
        if isinstance(result, bool) or not hasattr(result, "variables"):
            return bool(result)
        names = list(result.variables)
        return [[solution[v] for v in names] for solution in result]

    return run


def time_query(query: CannedQuery, engines: dict[str, Any], dist: Path, args: argparse.Namespace) -> Timing:
    bindings = bind_parameters(query, {})
    oxigraph, memory, rdflib, api = engines["oxigraph"], engines["memory"], engines["rdflib"], engines["api"]
    rows = len(oxigraph.run(query.text, bindings).rows)
    cold = cold_run_ms(query.name, dist, args.cold) if query.name in args.cold_queries else None
    raw = raw_route(oxigraph.store, with_values_block(query.text, bindings))
    api_ms, raw_ms = paired_median_ms(lambda: api.query(query.name), raw, args.repeat)
    return Timing(
        name=query.name,
        rows=rows,
        api=api_ms,
        raw=raw_ms,
        ox_run=median_ms(lambda: oxigraph.run(query.text, bindings), args.repeat),
        ox_eval=median_ms(lambda: oxigraph._evaluate(query.text, bindings), args.repeat),
        ox_mem=median_ms(lambda: memory._evaluate(query.text, bindings), args.repeat),
        rdflib=median_ms(lambda: rdflib._evaluate(query.text, bindings), max(1, args.repeat // 3)),
        cold=cold,
    )


def cold_cpu_ratio(dist: Path, repeat: int, *, bytecode: bool = True) -> tuple[float, float]:
    """Median CPU seconds (user + sys, the process and its children) of a cold ``exokg query run
    vesicle-types --format csv`` and of ``python -c "import pyoxigraph"``, run alternately.

    ``bytecode``: Python caches compiled modules, as it does by default and as a pip install
    does; without it (``PYTHONDONTWRITEBYTECODE=1`` and no ``__pycache__``, as in some sandboxes)
    every exokg module is compiled from source on every run.
    """
    import resource
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        source = REPO / "src"
        env = dict(os.environ)
        if bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
        else:  # a copy of the package without __pycache__, never given one
            source = Path(folder)
            shutil.copytree(REPO / "src" / "exokg", source / "exokg", ignore=shutil.ignore_patterns("__pycache__"))
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env["EXOKG_RESOURCES"] = str(REPO)  # the copy is not in a checkout
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH")]))
        exokg = [sys.executable, "-m", "exokg", "query", "run", "vesicle-types", "--dist", str(dist), "--format", "csv"]
        baseline = [sys.executable, "-c", "import pyoxigraph"]
        times: dict[int, list[float]] = {0: [], 1: []}
        for run in range(repeat + 1):  # the first round warms the caches and is not counted
            for index, command in enumerate((exokg, baseline)):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if run:
                    times[index].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times[0]), statistics.median(times[1])


def print_cold_ratio(dist: Path, repeat: int) -> float:
    """Print the cold-run CPU ratio with and without cached bytecode; return the first."""
    ratio = float("nan")
    for bytecode, how in ((True, "bytecode cached, as installed"), (False, "no bytecode cache")):
        cold, baseline = cold_cpu_ratio(dist, repeat, bytecode=bytecode)
        print(f"cold `exokg query run vesicle-types` ({how}): {cold * 1000:.0f} ms CPU vs "
              f"`python -c \"import pyoxigraph\"` {baseline * 1000:.0f} ms CPU: {cold / baseline:.1f}x "
              f"(goal <= 4; median of {repeat}, run alternately)")  # fmt: skip
        ratio = cold / baseline if bytecode else ratio
    return ratio


def fork_overhead_ms(engine: OxigraphEngine, repeat: int) -> float:
    """What the worker round trip adds to a trivial query."""
    text = "ASK { }"
    return median_ms(lambda: engine.run(text), repeat) - median_ms(lambda: engine._evaluate(text, {}), repeat)


def print_table(timings: list[Timing]) -> None:
    columns = ("api", "raw", "api/raw", "ox run", "ox eval", "ox mem", "rdflib")
    header = f"{'query':32s} {'rows':>5s} " + " ".join(f"{c:>8s}" for c in columns) + f" {'ratio':>6s} {'cold':>7s}"
    print(header)
    print("-" * len(header))
    for t in timings:
        cold = f"{t.cold:7.0f}" if t.cold is not None else f"{'':>7s}"
        print(
            f"{t.name:32s} {t.rows:5d} {t.api:8.2f} {t.raw:8.2f} {t.layer:8.2f} "
            f"{t.ox_run:8.2f} {t.ox_eval:8.2f} {t.ox_mem:8.2f} {t.rdflib:8.1f} "
            f"{t.ratio:6.0f} {cold}"
        )


def print_summary(timings: list[Timing], fork_ms: float) -> None:
    def med(values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    slow = [t.name for t in timings if t.ox_eval >= GOAL_QUERY_MS]
    slow_mem = [t.name for t in timings if t.ox_mem >= GOAL_QUERY_MS]
    colds = [t.cold for t in timings if t.cold is not None]
    print()
    print(
        f"median over queries: ox run {med([t.ox_run for t in timings]):.2f} ms, "
        f"ox eval {med([t.ox_eval for t in timings]):.2f} ms, ox mem {med([t.ox_mem for t in timings]):.2f} ms, "
        f"rdflib {med([t.rdflib for t in timings]):.1f} ms, rdflib/oxigraph {med([t.ratio for t in timings]):.0f}x"
    )
    worst = max(timings, key=lambda t: t.layer)
    print(f"exokg API / raw Oxigraph, same store: median {med([t.layer for t in timings]):.2f}x over "
          f"{len(timings)} queries (goal <= 1.3); worst {worst.name} {worst.layer:.2f}x "
          f"({worst.api:.2f} vs {worst.raw:.2f} ms)")  # fmt: skip
    print(f"worker round trip (ox run - ox eval, ASK {{}}): {fork_ms:.2f} ms")
    print(f"goal < {GOAL_QUERY_MS:g} ms in-process: {len(timings) - len(slow)}/{len(timings)} on disk"
          + (f" (over: {', '.join(slow)})" if slow else "")
          + f"; {len(timings) - len(slow_mem)}/{len(timings)} in memory"
          + (f" (over: {', '.join(slow_mem)})" if slow_mem else ""))  # fmt: skip
    if colds:
        print(f"goal cold run < {GOAL_COLD_MS:g} ms: median {med(colds):.0f} ms, max {max(colds):.0f} ms "
              f"over {len(colds)} quer{'ies' if len(colds) != 1 else 'y'}")  # fmt: skip


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark the canned queries on each engine.")
    parser.add_argument("--dist", type=Path, default=REPO / "dist")
    parser.add_argument("--repeat", type=int, default=7, help="runs per query and engine (rdflib: a third)")
    parser.add_argument("--cold", type=int, default=5, help="cold CLI runs per query")
    parser.add_argument("--cold-queries", default="all", help="'all', 'none' or comma-separated query names")
    args = parser.parse_args(argv)
    names = set(load_catalogue())
    chosen = {"all": names, "none": set()}.get(args.cold_queries)
    args.cold_queries = chosen if chosen is not None else set(args.cold_queries.split(","))
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    with existing_or_fresh_build(args.dist) as dist:
        import exokg

        oxigraph = OxigraphEngine.open(dist)
        engines = {"oxigraph": oxigraph, "memory": in_memory_copy(oxigraph), "rdflib": RdflibEngine.open(dist),
                   "api": exokg.open(dist)}  # fmt: skip
        timings = [time_query(query, engines, dist, args) for query in load_catalogue().values()]
        print_table(timings)
        print_summary(timings, fork_overhead_ms(oxigraph, args.repeat))
        print_cold_ratio(dist, max(args.cold, 21))
    return 0


if __name__ == "__main__":
    sys.exit(main())

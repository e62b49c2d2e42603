"""Benchmark `exokg build`: median wall time of each stage over N runs, and peak memory.

Usage: python bench/build.py [--runs 5] [--no-reason]
Each run is a fresh process (so imports and caches count as they do for a user);
the stage timings come from the build's own progress report. Prints a table.
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

CHILD = """
import json, resource, sys, time
from pathlib import Path
from exokg.pipeline.build import run_build
from exokg.progress import Progress
progress = Progress(quiet=True)
start = time.perf_counter()
manifest = run_build(Path(sys.argv[1]), reason=sys.argv[2] == "1", progress=progress)
progress.timings["total"] = time.perf_counter() - start
print(json.dumps({"timings": progress.timings, "triples": manifest["triples"],
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def run_once(reason: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHILD, out, "1" if reason else "0"],
                              capture_output=True, text=True, check=True)  # fmt: skip
        result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        result["process"] = time.perf_counter() - started
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-reason", action="store_true")
    args = parser.parse_args()
    runs = [run_once(not args.no_reason) for _ in range(args.runs)]
    stages = list(runs[0]["timings"])  # type: ignore[arg-type]
    print(f"exokg build, {args.runs} runs, median (min–max) seconds per stage")
    print(f"{'stage':<12}{'median':>9}{'min':>9}{'max':>9}{'share':>8}")
    total = statistics.median(r["timings"]["total"] for r in runs)  # type: ignore[index]
    for stage in stages:
        values = [r["timings"][stage] for r in runs]  # type: ignore[index]
        median = statistics.median(values)
        print(f"{stage:<12}{median:>9.2f}{min(values):>9.2f}{max(values):>9.2f}{median / total:>8.0%}")
    process = statistics.median(r["process"] for r in runs)  # type: ignore[misc]
    print(f"{'process':<12}{process:>9.2f}   (wall time of the whole process, imports included)")
    peak = max(r["peak_kib"] for r in runs)  # type: ignore[type-var]
    print(f"peak memory (max RSS): {peak / 1024:.0f} MiB (the Java reasoner runs in its own process: "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB max child RSS)")  # fmt: skip
    print("triples: " + ", ".join(f"{k.rsplit('/', 1)[-1]}={v}" for k, v in runs[0]["triples"].items()))  # type: ignore[union-attr]


if __name__ == "__main__":
    main()

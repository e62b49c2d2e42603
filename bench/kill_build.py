"""Kill `exokg build` at every step that touches the disk, and starve it of disk, and check DIR each time.

The promise (docs/security.md, "All-or-nothing builds"): after any kill or failed
write, DIR is entirely the previous build or entirely the new one, and its
manifest.json matches every file (sha256, size), the store's triple count and the
build it describes. The next build removes whatever a killed one left beside DIR.

Usage:
  python bench/kill_build.py --small [--json]   # seconds: small builds, one kill per disk step
  python bench/kill_build.py --full             # minutes: the real `exokg build`, killed at every stage

--small prepares two small builds in memory (A: not reasoned, B: reasoned, different
triples), publishes A into DIR, then publishes the other one again and again in a forked
child that an audit hook SIGKILLs at the k-th disk step (every file opened for writing,
rename, removal, folder creation, chmod, the exchange call), for every k; then under
RLIMIT_FSIZE limits from 1 byte up. --full runs `exokg build --out DIR` and SIGKILLs it
when each stage line appears on stderr and at fixed delays after it, then under
`ulimit -f`. Every process that opens the Oxigraph store is a fresh fork or subprocess.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DISK_EVENTS = frozenset(
    {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "shutil.rmtree", "tempfile.mkdtemp",
     "tempfile.mkstemp", "os.truncate", "exokg.build.begin", "exokg.build.stage", "exokg.build.swap"}
)  # fmt: skip
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def is_disk_step(event: str, args: tuple[Any, ...]) -> bool:
    if event in DISK_EVENTS:
        return True
    if event == "open" and len(args) >= 3:
        mode, flags = args[1], args[2]
        return bool(isinstance(mode, str) and set(mode) & set("wax+")) or bool(
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
    return False


# ---- the check ---------------------------------------------------------------------------------


def check_folder(out: Path) -> dict[str, Any]:
    """The manifest of ``out`` if the folder is a whole, consistent build; raise ValueError otherwise."""
    manifest_path = out / "manifest.json"
    if not manifest_path.is_file():
        raise ValueError(f"{out}: no manifest.json")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    files = {p.name for p in out.iterdir() if p.is_file()}
    folders = {p.name for p in out.iterdir() if p.is_dir()}
    if files != set(manifest["files"]) | {"manifest.json"}:
        raise ValueError(f"{out}: files {sorted(files)} differ from the manifest's {sorted(manifest['files'])}")
    if folders != {"store"}:
        raise ValueError(f"{out}: folders {sorted(folders)}, expected only store/")
    for name, record in manifest["files"].items():
        data = (out / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != record["sha256"] or len(data) != record["bytes"]:
            raise ValueError(f"{out}/{name}: sha256 or size differs from the manifest")
    count = _store_count(out / "store")
    if count != sum(manifest["triples"].values()):
        raise ValueError(f"{out}/store: {count} quads, manifest says {sum(manifest['triples'].values())}")
    return manifest


def _store_count(store: Path) -> int:
    """The store's quad count, read in a fresh process (RocksDB must not be open across a fork)."""
    code = "import pyoxigraph, sys; print(len(pyoxigraph.Store.read_only(sys.argv[1])))"
    done = subprocess.run([sys.executable, "-c", code, str(store)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ValueError(f"{store}: cannot open the store: {done.stderr.strip()[-300:]}")
    return int(done.stdout)


def litter(out: Path) -> list[str]:
    """What sits beside ``out`` or hides inside it that a build would not leave."""
    beside = [p.name for p in out.parent.iterdir() if p.name != out.name]
    inside = [p.name for p in out.iterdir() if p.name.startswith(".")] if out.is_dir() else []
    return sorted(beside + inside)


# ---- small builds, killed in a fork -------------------------------------------------------------


def small_builds() -> tuple[Any, Any]:
    """Two small prepared builds that differ in every file: A (not reasoned) and B (reasoned)."""
    from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

    from exokg.pipeline.assemble import Graphs
    from exokg.pipeline.build import PreparedBuild
    from exokg.pipeline.outputs import canonical_graphs, serialise_all
    from exokg.pipeline.validate.shacl import validate_graph
    from exokg.vocab import EXOKG

    def prepared(label: str, *, reasoned: bool) -> PreparedBuild:
        thing, cls = URIRef(f"{EXOKG}Thing{label}"), URIRef(f"{EXOKG}Class{label}")
        ontology, review, mappings = Graph(), Graph(), Graph()
        ontology.add((cls, RDF.type, OWL.Class))
        ontology.add((cls, RDFS.label, Literal(f"class {label}", lang="en")))
        review.add((thing, RDFS.label, Literal(f"thing {label}", lang="en")))
        mappings.add((thing, RDFS.comment, Literal(f"mapped {label}")))
        inferred = Graph()
        inferred.add((thing, RDF.type, OWL.Thing))
        raw = Graphs(ontology, review, mappings, inferred if reasoned else None)
        report = validate_graph(raw.data(), raw.ontology)
        graphs = canonical_graphs(raw)
        return PreparedBuild(graphs, serialise_all(graphs), report, obo=[], extra_files={}, reasoned=reasoned,
                             reasoner_input=None)  # fmt: skip

    return prepared("A", reasoned=False), prepared("B", reasoned=True)


def _in_fork(work: Callable[[], int], *, kill_at: int | None = None, fsize: int | None = None) -> tuple[int, list[str]]:
    """Run ``work`` in a forked child; return (how it ended, the disk steps it took, by event name).

    The child SIGKILLs itself at its ``kill_at``-th disk step. The end is the exit
    code, or minus the signal number.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_end)
        steps = [0]
        started = [False]

        def hook(event: str, args: tuple[Any, ...]) -> None:
            # count from the build's start, after it removed what an earlier kill left (that varies)
            started[0] = started[0] or event == "exokg.build.begin"
            if started[0] and is_disk_step(event, args):
                steps[0] += 1
                os.write(write_end, event.encode() + b"\n")
                if steps[0] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)

        code = 1
        try:
            if fsize is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
            sys.addaudithook(hook)
            code = work()
        except BaseException as exc:  # report how it ended, never return into the parent's code
            from exokg.errors import ExokgError

            code = exc.exit_code if isinstance(exc, ExokgError) else 99
        finally:
            os._exit(code)
    os.close(write_end)
    received = b""
    while chunk := os.read(read_end, 65536):
        received += chunk
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), received.decode().splitlines()


def run_small(root: Path, *, max_points: int = 0) -> dict[str, Any]:
    """Kill a small publish at every disk step (or ``max_points`` of them, evenly spread); then starve it."""
    from exokg.pipeline.build import publish_build

    build_a, build_b = small_builds()
    out = root / "work" / "dist"
    out.parent.mkdir(parents=True)
    expected: dict[str, dict[str, Any]] = {}
    for name, build in (("A", build_a), ("B", build_b)):
        reference = root / f"reference-{name}" / "dist"
        end, steps = _in_fork(lambda b=build, r=reference: _publish(publish_build, b, r))  # type: ignore[misc]
        if end != 0:
            raise RuntimeError(f"publishing build {name} failed with {end}")
        expected[name] = _without_date(check_folder(reference))
    end, _ = _in_fork(lambda: _publish(publish_build, build_a, out))
    current = _state(out, expected)
    counting = root / "count" / "dist"  # count the steps of a publish that replaces a build, as below
    _in_fork(lambda: _publish(publish_build, build_a, counting))
    _, steps = _in_fork(lambda: _publish(publish_build, build_b, counting))
    total = len(steps)
    points = list(range(1, total + 1))
    if max_points and len(points) > max_points:
        # every stage boundary and the steps either side of the swap, then an even spread
        marks = {i + 1 + d for i, e in enumerate(steps) if e.startswith("exokg.") for d in (-1, 0, 1)}
        spread = {points[round(i * (total - 1) / (max_points - 1))] for i in range(max_points)}
        points = sorted(p for p in marks | spread if 1 <= p <= total)
    outcomes: dict[str, int] = {"A": 0, "B": 0}
    failures: list[str] = []
    for kill_at in points:
        nxt = build_b if current == "A" else build_a
        end, _ = _in_fork(lambda b=nxt: _publish(publish_build, b, out), kill_at=kill_at)  # type: ignore[misc]
        try:
            current = _state(out, expected)
            outcomes[current] += 1
        except ValueError as exc:
            failures.append(f"kill at step {kill_at}: {exc}")
    limits = [1, 100, 1_000, 10_000, 100_000, 1_000_000]
    fsize_ends: dict[int, int] = {}
    for limit in limits:
        nxt = build_b if current == "A" else build_a
        before = current
        end, _ = _in_fork(lambda b=nxt: _publish(publish_build, b, out), fsize=limit)  # type: ignore[misc]
        fsize_ends[limit] = end
        try:
            current = _state(out, expected)
        except ValueError as exc:
            failures.append(f"RLIMIT_FSIZE {limit}: {exc}")
            continue
        if end != 0 and current != before:
            failures.append(f"RLIMIT_FSIZE {limit}: failed ({end}) yet DIR changed")
        if end not in (0, 2):
            failures.append(f"RLIMIT_FSIZE {limit}: ended with {end}, expected a clean exit 2")
    end, _ = _in_fork(lambda: _publish(publish_build, build_a, out))  # a whole publish clears every leftover
    left = litter(out)
    if end != 0 or left:
        failures.append(f"the final publish ended {end} and left {left}")
    return {"disk_steps": total, "kill_points": len(points), "outcomes": outcomes,
            "fsize_exits": fsize_ends, "failures": failures}  # fmt: skip


def _publish(publish: Callable[..., Any], build: Any, out: Path) -> int:
    publish(build, out)
    return 0


def _without_date(manifest: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in manifest.items() if k not in ("build_date",)}


def _state(out: Path, expected: dict[str, dict[str, Any]]) -> str:
    manifest = _without_date(check_folder(out))
    for name, reference in expected.items():
        if manifest == reference:
            return name
    raise ValueError(f"{out}: a consistent folder, but neither build A nor build B")


# ---- the real command, killed at every stage -----------------------------------------------------


STAGES = ("load", "populate", "reason", "validate", "serialise", "store", "export", "wrote")


def run_full(root: Path, *, delays: tuple[float, ...] = (0.0, 0.3, 1.0)) -> dict[str, Any]:
    """Kill `exokg build --no-reason` when each stage ends (and ``delays`` later); then `ulimit -f`."""
    exe = str(Path(sys.executable).with_name("exokg"))
    out = root / "dist"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764201600"}
    first = subprocess.run([exe, "build", "--no-reason", "--quiet", "--out", str(out)], env=env, check=False)
    if first.returncode != 0:
        raise RuntimeError("the first build failed")
    reference = check_folder(out)
    failures: list[str] = []
    runs = 0
    epochs = ("1764201600", "1764288000")  # alternate, so a completed build is told apart from the previous one
    for stage in STAGES[:-1]:
        for delay in delays:
            runs += 1
            epoch = epochs[runs % 2]
            args = [exe, "build", "--no-reason", "--out", str(out)]
            process = subprocess.Popen(args, env={**env, "SOURCE_DATE_EPOCH": epoch}, stderr=subprocess.PIPE, text=True)
            assert process.stderr is not None
            for line in process.stderr:
                if line.startswith(f"exokg: {stage} "):
                    time.sleep(delay)
                    process.send_signal(signal.SIGKILL)
                    break
            process.wait()
            try:
                manifest = check_folder(out)
            except ValueError as exc:
                failures.append(f"after the {stage} stage + {delay} s: {exc}")
                continue
            new_date = datetime.fromtimestamp(int(epoch), tz=UTC).isoformat()
            if manifest != reference and manifest["build_date"] != new_date:
                failures.append(f"after the {stage} stage + {delay} s: a manifest of neither build")
            reference = manifest
    for blocks in (1, 100, 1000):
        runs += 1
        before = check_folder(out)
        shell = f"ulimit -f {blocks}; exec {exe} build --no-reason --quiet --out {out}"
        done = subprocess.run(["bash", "-c", shell], env=env, capture_output=True, text=True, check=False)
        try:
            after = check_folder(out)
        except ValueError as exc:
            failures.append(f"ulimit -f {blocks}: {exc}")
            continue
        if done.returncode != 2 or "cannot write the build" not in done.stderr or after != before:
            failures.append(f"ulimit -f {blocks}: exit {done.returncode}, {done.stderr.strip()[-200:]}")
    final = subprocess.run([exe, "build", "--no-reason", "--quiet", "--out", str(out)], env=env, check=False)
    left = litter(out)
    if final.returncode != 0 or left:
        failures.append(f"the final build ended {final.returncode} and left {left}")
    return {"kill_points": len(STAGES[:-1]) * len(delays), "runs": runs, "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="small builds, one kill per disk step (seconds)")
    parser.add_argument("--full", action="store_true", help="the real command, killed at every stage (minutes)")
    parser.add_argument("--max-points", type=int, default=0, help="spread at most this many kill points (small)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    options = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="exokg-kill-") as folder:
        if options.small or not options.full:
            start = time.perf_counter()
            results["small"] = run_small(Path(folder) / "small", max_points=options.max_points)
            results["small"]["seconds"] = round(time.perf_counter() - start, 1)
        if options.full:
            start = time.perf_counter()
            results["full"] = run_full(Path(folder) / "full")
            results["full"]["seconds"] = round(time.perf_counter() - start, 1)
        shutil.rmtree(folder, ignore_errors=True)
    if options.json:
        print(json.dumps(results, indent=2))
    else:
        for mode, result in results.items():
            print(f"{mode}: " + ", ".join(f"{k}={v}" for k, v in result.items() if k != "failures"))
            for failure in result["failures"]:
                print(f"  FAIL {failure}")
    return 1 if any(r["failures"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

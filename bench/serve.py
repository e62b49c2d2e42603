"""Load-test ``exokg serve`` on loopback, and compare its canned-query load with ``oxigraph serve-read-only``.

Usage::

    python bench/serve.py [--dist DIST] [--clients 50] [--seconds 20] [--workers 2]

Scenarios, each ``--clients`` concurrent clients for ``--seconds`` (bounded in count and
time, loopback only):

* ``entity pages``   — HTML pages of entities, round-robin;
* ``canned API``     — ``GET /api/queries/{name}`` for every canned query with its defaults;
* ``/sparql``        — a small SELECT by ``GET /sparql``, results as JSON;

each first with the response cache off (``--cache-mb 0``: every request evaluates), then on
(the store is read-only, so repeated GETs are answered from memory), and
* ``oxigraph canned`` — the same canned queries (same text, same VALUES binding) sent to
  ``oxigraph serve-read-only --union-default-graph`` over the same store.

Prints requests per second, p50 and p99 latency in ms, errors, and the ratio of
exokg's canned API throughput (cache off and on) to Oxigraph's own server.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from exokg.pipeline.build import existing_or_fresh_build
from exokg.query.catalogue import bind_parameters, load_catalogue
from exokg.query.engines import with_values_block

ENTITIES = ["mir-21", "cd63", "tsg101", "melanoma", "pancreatic-cancer", "exosome", "serum", "colon-cancer",
            "mir-1246", "gw4869", "breast-cancer", "alix"]  # fmt: skip
SPARQL = "SELECT ?l WHERE { <https://w3id.org/exokg/entity/mir-21> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def row(self) -> str:
        p50 = statistics.median(self.latencies) * 1000 if self.latencies else float("nan")
        return (f"| {self.name} | {self.requests} | {self.rate:.0f} | {p50:.1f} | {self.percentile(0.99):.1f} "
                f"| {self.errors} |")  # fmt: skip


async def load(name: str, base: str, requests: list[tuple[str, dict[str, str]]], *, clients: int,
               seconds: float, headers: dict[str, str]) -> Result:  # fmt: skip
    """``clients`` loops, each sending the next request until the deadline; nothing outside loopback."""
    assert base.startswith("http://127.0.0.1:"), "load goes to loopback only"
    latencies: list[float] = []
    errors = 0
    counter = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as client:
        deadline = time.monotonic() + seconds

        async def one_client() -> None:
            nonlocal errors, counter
            while time.monotonic() < deadline:
                path, params = requests[counter % len(requests)]
                counter += 1
                started = time.monotonic()
                try:
                    response = await client.get(path, params=params)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.monotonic() - started)
                errors += 0 if ok else 1

        started = time.monotonic()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.monotonic() - started
    return Result(name, len(latencies), errors, elapsed, latencies)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early: {url}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not start: {url}")


def start(command: list[str], probe: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(probe, process)
    except BaseException:
        process.kill()
        raise
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    clients, seconds = min(args.clients, 200), min(args.seconds, 120.0)  # bounded, whatever is asked
    catalogue = load_catalogue()
    canned = [(f"/api/queries/{name}", {}) for name in catalogue]
    texts = [with_values_block(q.text, bind_parameters(q, {})) for q in catalogue.values()]
    results: list[Result] = []
    with existing_or_fresh_build(args.dist) as dist:
        scenarios = [
            ("entity pages", [(f"/entity/{e}", {}) for e in ENTITIES], {"Accept": "text/html"}),
            ("canned API", canned, {"Accept": "application/json"}),
            ("/sparql", [("/sparql", {"query": SPARQL})], {"Accept": "application/sparql-results+json"}),
        ]
        for cache_mb in (0, 64):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = start([sys.executable, "-m", "exokg", "serve", "--dist", str(dist), "--port", str(port),
                            "--workers", str(args.workers), "--cache-mb", str(cache_mb)],
                           f"{base}/sparql?query=ASK%7B%7D")  # fmt: skip
            try:
                for name, requests, headers in scenarios:
                    label = f"{name} ({'cached' if cache_mb else 'no cache'})"
                    results.append(asyncio.run(load(label, base, requests, clients=clients, seconds=seconds,
                                                    headers=headers)))  # fmt: skip
                    print(results[-1].row(), file=sys.stderr)
            finally:
                stop(server)
        oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start([oxigraph, "serve-read-only", "--location", str(dist / "store"), "--bind",
                        f"127.0.0.1:{port}", "--union-default-graph"], f"{base}/query?query=ASK%7B%7D")  # fmt: skip
        try:
            requests = [("/query", {"query": text}) for text in texts]
            results.append(asyncio.run(load("oxigraph canned", base, requests, clients=clients, seconds=seconds,
                                            headers={"Accept": "application/sparql-results+json"})))  # fmt: skip
        finally:
            stop(server)
    print(f"{clients} clients, {seconds:g} s per scenario, exokg serve --workers {args.workers}, loopback\n")
    print("| scenario | requests | req/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.row())
    api, cached, ox = results[1], results[4], results[-1]
    print(
        f"\ncanned API / oxigraph serve-read-only, req/s: {api.rate / ox.rate:.2f} without the cache, "
        f"{cached.rate / ox.rate:.2f} with it"
    )


if __name__ == "__main__":
    main()

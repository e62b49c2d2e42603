"""Fuzz the SPARQL guard: many obfuscated attacks on both local engines, and what reached the outside.

Usage::

    python bench/guard_fuzz.py [--queries 10000] [--control-every 20] [--seed 0]

Each generated query (``tests/guard_attacks.py``: SERVICE, LOAD, FROM and updates under \\u escapes,
comments, case, nesting, prefixed-name escapes and odd white space) is run through
``Engine.run`` on an in-memory Oxigraph store and an rdflib dataset, while a loopback server
records every request, a secret file is watched by an audit hook and inotify, and an audit hook
counts every host lookup, socket connect and urllib request made from Python. Printed:
queries generated (and distinct), per engine how many were refused and by which layer,
how many the structural check alone would refuse, requests seen, files opened, network
attempts. A control
pass evaluates every Nth query *without* the guard, to show the attacks are live.
Exit status 1 if any attack was accepted, reached the server or opened the file.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import logging
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the generator and the watches are shared with the tests

import pyoxigraph  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rdflib import Dataset, Literal, URIRef  # noqa: E402

from conftest import RequestRecorder  # noqa: E402
from exokg.errors import QueryRefused  # noqa: E402
from exokg.query.engines import Engine, OxigraphEngine, RdflibEngine  # noqa: E402
from exokg.query.guard import _check_structure  # noqa: E402
from guard_attacks import Attack, FileWatch, NetWatch, attacks  # noqa: E402

GRAPH = "https://w3id.org/exokg/graph/review"


def small_engines() -> dict[str, Engine]:
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("urn:x:s"),
            pyoxigraph.NamedNode("urn:x:p"),
            pyoxigraph.Literal("here"),
            pyoxigraph.NamedNode(GRAPH),
        )
    )
    dataset = Dataset(default_union=True)
    dataset.graph(URIRef(GRAPH)).add((URIRef("urn:x:s"), URIRef("urn:x:p"), Literal("here")))
    return {"oxigraph": OxigraphEngine(store, timeout=20), "rdflib": RdflibEngine(dataset, timeout=20)}


def layer(message: str) -> str:
    """Which check refused: the lexical filter names a position, the structural check does not."""
    return "lexical" if ", at line " in message else "structural"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--control-every", type=int, default=20, help="evaluate every Nth query unguarded")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # rdflib logs every odd IRI it parses

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RequestRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    RequestRecorder.requests = []
    engines = small_engines()
    generated: list[Attack] = []
    outcome: dict[str, Counter[str]] = {name: Counter() for name in engines}
    structural_alone: Counter[str] = Counter()
    leaks: list[tuple[str, Attack, str]] = []

    with tempfile.TemporaryDirectory() as folder:
        secret = Path(folder) / "exokg-guard-secret.ttl"
        secret.write_text('<urn:x:secret> <urn:x:says> "TOP-SECRET" .\n', encoding="utf-8")
        watch = FileWatch(secret)
        net = NetWatch(block=False)
        opened: Counter[str] = Counter()
        attempts = 0
        started = time.monotonic()

        @settings(
            max_examples=args.queries,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @seed(args.seed)
        @given(data=st.data())
        def run_one(data: st.DataObject) -> None:
            nonlocal attempts
            attack = data.draw(attacks(server=url, secret=secret))
            generated.append(attack)
            if len(generated) % 1000 == 0:
                print(f"... {len(generated)} queries, {time.monotonic() - started:.0f} s", file=sys.stderr)
            for name, engine in engines.items():
                try:
                    engine.run(attack.text)
                    outcome[name]["accepted"] += 1
                    leaks.append((name, attack, "accepted"))
                except QueryRefused as refused:
                    outcome[name][f"refused ({layer(str(refused))})"] += 1
                except Exception as exc:  # an engine error means the guard let it through
                    outcome[name][f"accepted, then failed ({type(exc).__name__})"] += 1
                    leaks.append((name, attack, repr(exc)))
                seen, tried = watch.opened(), net.attempts()
                opened.update(seen)
                attempts += tried
                if RequestRecorder.requests or any(seen.values()) or tried:
                    leaks.append((name, attack, f"requests {RequestRecorder.requests}, opened {seen}, net {tried}"))
                    RequestRecorder.requests.clear()
            try:
                _check_structure(attack.text)
                structural_alone["accepted"] += 1
            except QueryRefused:
                structural_alone["refused"] += 1

        run_one()
        guarded_seconds = time.monotonic() - started

        control: dict[str, Counter[str]] = {name: Counter() for name in engines}
        for attack in generated[:: args.control_every]:
            for name, engine in engines.items():
                with contextlib.suppress(Exception):
                    engine._evaluate(attack.text, {})  # below the guard, in this process
                seen = watch.opened()
                control[name]["queries"] += 1
                control[name]["reached the server"] += bool(RequestRecorder.requests)
                control[name]["opened the file"] += bool(any(seen.values()))
                control[name]["network attempts"] += bool(net.attempts())
                RequestRecorder.requests.clear()
        watch.close()
        net.close()
    server.shutdown()

    distinct = len({a.text for a in generated})
    print(f"queries generated: {len(generated)} ({distinct} distinct), {guarded_seconds:.0f} s, seed {args.seed}")
    print(f"templates: {len({a.template for a in generated})}; targets: {dict(Counter(a.target for a in generated))}")
    for name, counts in outcome.items():
        print(f"  {name:8}: {sum(counts.values())} run, " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"  structural check alone: {dict(structural_alone)}")
    print(f"requests seen by the loopback server: {sum(1 for leak in leaks if 'requests' in leak[2])}")
    print(f"secret file opened: audit hook {opened['audit hook']}, inotify {opened['inotify']}")
    print(f"network attempts from Python (host lookups, connects, urllib requests): {attempts}")
    print(f"control, one query in {args.control_every} evaluated without the guard:")
    for name, counts in control.items():
        print(f"  {name:8}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for name, attack, what in leaks[:10]:
        print(f"LEAK on {name}: {what}\n  {attack.text!r}")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())

"""``exokg push`` and the HTTP client: plan, staging and swap, verification, credentials, interruption."""

from __future__ import annotations

import base64
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from exokg.cli.main import cli
from exokg.errors import EngineError, InputError
from exokg.remote import Client, Target, canonical_lines, checksum, plan_text, push, read_back, read_build, staging_iri
from exokg.remote.http import origin
from exokg.remote.servers import oxigraph_server

GRAPH = "https://w3id.org/exokg/graph/"
SECRET = "s3cr3t-pw"


# ---- URLs, plan, canonical form -----------------------------------------------------------------------


def test_urls_follow_the_store_conventions() -> None:
    oxigraph = Target.from_urls("http://127.0.0.1:7878/query")
    assert (oxigraph.update, oxigraph.graph_store) == ("http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    virtuoso = Target.from_urls("http://127.0.0.1:8890/sparql")
    assert (virtuoso.update, virtuoso.graph_store) == (
        "http://127.0.0.1:8890/sparql",
        "http://127.0.0.1:8890/sparql-graph-crud",
    )
    assert (
        virtuoso.graph_url(GRAPH + "review")
        == "http://127.0.0.1:8890/sparql-graph-crud?graph=https%3A%2F%2Fw3id.org%2Fexokg%2Fgraph%2Freview"
    )
    with pytest.raises(InputError, match="pass --update and --graph-store"):
        Target.from_urls("http://127.0.0.1:3030/ds")
    with pytest.raises(InputError, match="not in the URL"):
        Target.from_urls(f"http://alice:{SECRET}@127.0.0.1:7878/query")
    with pytest.raises(InputError, match="one origin"):
        Target.from_urls("http://127.0.0.1:7878/query", graph_store="http://127.0.0.2:7878/store").check_one_origin()


def test_dry_run_shows_the_plan_and_sends_nothing(dist: Path) -> None:
    result = CliRunner().invoke(
        cli, ["push", "--endpoint", "http://127.0.0.1:9/query", "--dry-run", "--dist", str(dist)]
    )
    assert result.exit_code == 0, result.output  # port 9 (discard) is never contacted
    payloads = read_build(dist)
    assert {p.iri for p in payloads} == {GRAPH + n for n in ("ontology", "review", "mappings", "inferred")}
    for p in payloads:
        assert f"MOVE <{staging_iri(p.iri)}> TO <{p.iri}>" in result.output
        assert f"{p.iri}: {p.triples:,} triples, sha256 {p.checksum}" in result.output


def test_blank_nodes_travel_together_and_checksums_ignore_their_labels(dist: Path) -> None:
    ontology = next(p for p in read_build(dist) if p.iri.endswith("/ontology"))
    for chunk in ontology.chunks(7):
        labels_here = {t for line in chunk for t in line.split() if t.startswith("_:")}
        others = [line for other in ontology.chunks(7) if other is not chunk for line in other]
        assert not any(label in line.split() for label in labels_here for line in others if line not in chunk)
    relabelled = [line.replace("_:", "_:x") for block in ontology.blocks for line in block]
    import pyoxigraph

    triples = [
        q.triple for q in pyoxigraph.parse("\n".join(relabelled).encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    ]
    assert checksum(canonical_lines(triples)) == ontology.checksum


# ---- credentials: only to their origin, never shown ------------------------------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[int, str, str | None]]] = []
    redirect_to: ClassVar[str] = ""

    def do_GET(self) -> None:
        type(self).seen.append((self.server.server_address[1], self.path, self.headers.get("Authorization")))
        if self.path.startswith("/go") and self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self) -> None:
        type(self).seen.append((self.server.server_address[1], self.path, self.headers.get("Authorization")))
        self.send_response(307)
        self.send_header("Location", self.redirect_to)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def two_origins() -> Iterator[tuple[str, str]]:
    Recorder.seen = []
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield tuple(f"http://127.0.0.1:{s.server_address[1]}" for s in servers)  # type: ignore[misc]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def test_credentials_stay_on_their_origin(two_origins: tuple[str, str]) -> None:
    home, elsewhere = two_origins
    client = Client(auth=f"alice:{SECRET}", auth_origin=origin(home + "/query"))
    token = "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()
    Recorder.redirect_to = home + "/same"
    client.request("GET", home + "/go")
    Recorder.redirect_to = elsewhere + "/other"
    client.request("GET", home + "/go")
    home_port, other_port = int(home.rsplit(":", 1)[1]), int(elsewhere.rsplit(":", 1)[1])
    assert Recorder.seen == [
        (home_port, "/go", token),
        (home_port, "/same", token),
        (home_port, "/go", token),
        (other_port, "/other", None),  # followed, but without the credentials
    ]


def test_a_redirected_write_is_not_followed_and_no_message_shows_the_password(two_origins: tuple[str, str]) -> None:
    home, elsewhere = two_origins
    client = Client(auth=f"alice:{SECRET}", auth_origin=origin(home))
    Recorder.redirect_to = elsewhere + "/steal"
    with pytest.raises(EngineError, match="not followed for a write") as caught:
        client.request("PUT", home + "/store?graph=x", body=b"")
    assert SECRET not in str(caught.value)
    assert [port for port, _, _ in Recorder.seen] == [int(home.rsplit(":", 1)[1])]


def test_push_output_never_shows_the_password(dist: Path) -> None:
    result = CliRunner().invoke(cli, ["push", "--endpoint", "http://127.0.0.1:9/query", "--auth", f"alice:{SECRET}",
                                      "--dist", str(dist), "-q"])  # fmt: skip
    assert result.exit_code == 2
    assert "failed after" in result.output and SECRET not in result.output


def test_retries_then_fails_on_a_dead_endpoint() -> None:
    naps: list[float] = []
    client = Client(retries=3, sleep=naps.append, timeout=2)
    with pytest.raises(EngineError, match="failed after 4 attempts"):
        client.request("GET", "http://127.0.0.1:9/query")
    assert naps == [0.5, 1.0, 2.0]


# ---- push to real stores --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_oxigraph() -> Iterator[str]:
    found = Path(sys.executable).with_name("oxigraph")
    with oxigraph_server(str(found)) as server:
        yield server.endpoint


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store_endpoint(request: pytest.FixtureRequest) -> str:
    name = "fresh_oxigraph" if request.param == "oxigraph" else "virtuoso_endpoint"
    return str(request.getfixturevalue(name))


def _live(target: Target, graphs: list[str]) -> dict[str, str]:
    client = Client()
    return {g: checksum(read_back(g, target, client)) for g in graphs}


def test_push_loads_and_verifies_every_graph(dist: Path, store_endpoint: str) -> None:
    target = Target.from_urls(store_endpoint)
    payloads = read_build(dist)
    report = push(payloads, target, Client(), chunk=4_000, progress=None)
    assert [g.iri for g in report.graphs] == [p.iri for p in payloads]
    assert _live(target, [p.iri for p in payloads]) == {p.iri: p.checksum for p in payloads}
    assert read_back(staging_iri(payloads[0].iri), target, Client()) == []  # moved, not copied
    # a second push replaces, it does not add
    push(payloads, target, Client(), chunk=50_000, progress=None)
    assert _live(target, [p.iri for p in payloads]) == {p.iri: p.checksum for p in payloads}


def _altered_build(dist: Path, folder: Path, extra: int) -> Path:
    """A build folder whose review graph has ``extra`` more triples than ``dist``'s."""
    import pyoxigraph

    source = pyoxigraph.Store.read_only(str(dist / "store"))
    store = pyoxigraph.Store(str(folder / "store"))
    store.bulk_extend(source.quads_for_pattern(None, None, None, None))
    review = pyoxigraph.NamedNode(GRAPH + "review")
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.bulk_extend(pyoxigraph.Quad(pyoxigraph.NamedNode(f"urn:x:{i}"), label, pyoxigraph.Literal(f"x{i}"), review)
                      for i in range(extra))  # fmt: skip
    store.flush()
    del store
    return folder


def test_a_push_killed_midway_leaves_the_live_graphs_unchanged(dist: Path, store_endpoint: str, tmp_path: Path) -> None:
    target = Target.from_urls(store_endpoint)
    before = read_build(dist)
    push(before, target, Client(), progress=None)
    altered = _altered_build(dist, tmp_path, extra=30_000)
    command = [sys.executable, "-m", "exokg", "push", "--endpoint", store_endpoint, "--dist", str(altered),
               "--graph", GRAPH + "review", "--chunk", "300", "-q"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = staging_iri(GRAPH + "review")
    try:
        deadline = time.monotonic() + 120
        while not read_back(staging, target, Client()) and time.monotonic() < deadline:
            assert process.poll() is None, "the push finished before it could be interrupted"
            time.sleep(0.05)
        assert read_back(staging, target, Client()), "the staging graph never filled"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert _live(target, [p.iri for p in before]) == {p.iri: p.checksum for p in before}
    # and the next complete push gets through: stale staging data is cleared first
    after = read_build(altered, graphs=[GRAPH + "review"])
    push(after, target, Client(), progress=None)
    assert (
        _live(target, [GRAPH + "review"])
        == {GRAPH + "review": after[0].checksum}
        != {GRAPH + "review": before[-1].checksum}
    )


def test_a_failed_verification_never_swaps(dist: Path, fresh_oxigraph: str) -> None:
    target = Target.from_urls(fresh_oxigraph)
    payloads = read_build(dist, graphs=[GRAPH + "mappings"])
    push(payloads, target, Client(), progress=None)
    lying = [type(payloads[0])(payloads[0].iri, payloads[0].blocks, payloads[0].triples, "0" * 64)]
    with pytest.raises(EngineError, match=r"staging graph .* does not match.*live graphs were not touched"):
        push(lying, target, Client(), progress=None)
    assert _live(target, [GRAPH + "mappings"]) == {GRAPH + "mappings": payloads[0].checksum}


def test_plan_text_counts_requests() -> None:
    import pyoxigraph

    from exokg.remote.graphs import payload

    p, o = pyoxigraph.NamedNode("urn:p"), pyoxigraph.Literal("o")
    triples = [pyoxigraph.Triple(pyoxigraph.NamedNode(f"urn:s{i}"), p, o) for i in range(10)]
    text = plan_text([payload(GRAPH + "x", triples)], Target.from_urls("http://127.0.0.1:1/query"), chunk=4)
    assert f"{GRAPH}x <- {GRAPH}staging/x: 10 triples, 3 request(s)" in text

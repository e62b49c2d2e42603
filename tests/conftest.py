"""Shared fixtures: one full build per test session, and a real Oxigraph server on loopback."""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from exokg.remote.servers import free_port, wait_until_up

REPO = Path(__file__).resolve().parents[1]
#: EXOKG_SHARED, else the nearest shared/ above the repository (beside it in CI, or above a git worktree):
#: the one way the tests find the review text and the reference lexicons.
SHARED = Path(
    os.environ.get("EXOKG_SHARED")
    or next((folder / "shared" for folder in REPO.parents if (folder / "shared").is_dir()), REPO.parent / "shared")
)


def shared_path(*parts: str) -> Path:
    """A file under ../shared; skip without it, but fail when EXOKG_REQUIRE_SHARED=1 (CI sets it)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} not found (put ../shared beside the repository or set EXOKG_SHARED)"
        if os.environ.get("EXOKG_REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def review_text() -> Path:
    """The review's plain text (../shared/review/review.txt)."""
    return shared_path("review", "review.txt")


@pytest.fixture
def lexicons() -> Path:
    """The reference lexicons (../shared/lexicons)."""
    return shared_path("lexicons")


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete build (reasoned, validated, exported) shared by the whole session.

    ``EXOKG_TEST_DIST`` names an existing build to use instead (a developer's quick loop).
    """
    import os

    from exokg.exports.tables import download_files
    from exokg.pipeline.build import run_build

    if os.environ.get("EXOKG_TEST_DIST"):
        return Path(os.environ["EXOKG_TEST_DIST"])

    out = tmp_path_factory.mktemp("dist")
    run_build(out, reason=True, downloads=download_files)  # what `exokg build` writes
    return out


@pytest.fixture(scope="session")
def graphs():  # type: ignore[no-untyped-def]
    """The asserted graphs in memory (ontology, review, mappings), no reasoning."""
    from exokg.pipeline.assemble import assemble

    return assemble()


class RequestRecorder(http.server.BaseHTTPRequestHandler):
    """Records the path of every request, whatever its method (a malformed one as ``"<malformed>"``),
    and answers GET and POST with a small Turtle document."""

    requests: ClassVar[list[str]] = []

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        type(self).requests.append(self.path if parsed else "<malformed>")
        return parsed

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.do_GET()

    def do_GET(self) -> None:
        body = b"<urn:leak> <urn:leak> <urn:leak> ."
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on 127.0.0.1 that records every request; yields its base URL and the record."""
    RequestRecorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RequestRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", RequestRecorder.requests
    finally:
        server.shutdown()
        server.server_close()


def _oxigraph_cli() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the `oxigraph` server (PyPI package oxigraph) is not installed; `make test` installs it")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `oxigraph serve` on 127.0.0.1 holding the build, loaded through the Graph Store Protocol.

    Yields the SPARQL query endpoint URL. The default graph is the union of the named graphs,
    as on the embedded engine.
    """
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [_oxigraph_cli(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/query", process)
        _load_graph_store(base, dist / "exokg.trig")
        yield f"{base}/query"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def running_exokg_server(dist: Path, *options: str) -> Iterator[str]:
    """`exokg serve --dist DIST OPTIONS` on 127.0.0.1 (a free port) until the block ends; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "exokg", "serve", "--dist", str(dist), "--port", str(port), *options]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/sparql", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def exokg_server(dist: Path) -> Iterator[str]:
    """`exokg serve` over the session's build, two workers and a 5 s limit; yields its base URL."""
    with running_exokg_server(dist, "--workers", "2", "--timeout", "5") as base:
        yield base


def _load_graph_store(base: str, trig: Path) -> None:
    """POST the TriG to the Graph Store Protocol endpoint (named graphs kept)."""
    request = urllib.request.Request(
        f"{base}/store", data=trig.read_bytes(), method="POST", headers={"Content-Type": "application/trig"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status in (200, 201, 204)


# ---- Virtuoso (issue 14) -------------------------------------------------------------------------------
# .ci/run starts one and sets EXOKG_VIRTUOSO_ENDPOINT; otherwise the fixture starts its own from a fresh
# folder. Without Virtuoso the tests skip on a workstation and fail under CI=true.


@pytest.fixture(scope="session")
def virtuoso_endpoint() -> Iterator[str]:
    """The SPARQL URL of an empty-at-start Virtuoso on 127.0.0.1 that allows anonymous SPARQL update."""
    import os

    given = os.environ.get("EXOKG_VIRTUOSO_ENDPOINT")
    if given:
        yield given
        return
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        message = "Virtuoso (virtuoso-t, isql-vt) is not installed: apt-get install virtuoso-opensource-7-bin"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from exokg.remote.servers import virtuoso_server

    with virtuoso_server() as server:
        yield server.endpoint

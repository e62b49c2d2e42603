"""The remote engine against hostile loopback endpoints (issue 12, items 4, 5 and 6).

Every server here listens on 127.0.0.1 and is scripted by the test: it redirects,
drips, streams forever or answers nonsense. No test reaches another host.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from exokg.cli.main import cli
from exokg.errors import EngineError, InputError
from exokg.query.remote import RemoteEngine

Reply = Callable[[http.server.BaseHTTPRequestHandler], None]
GOOD = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}})


@contextmanager
def endpoint(reply: Reply) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A loopback server answering every POST with ``reply``; yields its URL and the headers it received."""
    received: list[dict[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(dict(self.headers))
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client hung up, as it should
                reply(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False  # a dripping handler may run on; the test is over
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", received
    finally:
        server.shutdown()
        server.server_close()


def answer(body: str | bytes, content_type: str = "application/sparql-results+json", status: int = 200) -> Reply:
    data = body.encode("utf-8") if isinstance(body, str) else body

    def reply(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return reply


def redirect(to: str, status: int = 302) -> Reply:
    def reply(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return reply


def sparql(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["sparql", "-", *args], input="SELECT ?n WHERE { ?s ?p ?n }", env=env)
    return result.exit_code, result.output


def test_a_good_answer_passes() -> None:
    with endpoint(answer(GOOD)) as (url, _):
        assert RemoteEngine(url).run("SELECT ?n WHERE { ?s ?p ?n }").rows == [{"n": {"type": "literal", "value": "1"}}]


# ---- item 4: credentials stay with the host named --------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_credentials_never_follow_a_redirect_to_another_host(status: int) -> None:
    with endpoint(answer(GOOD)) as (elsewhere, seen_elsewhere), endpoint(redirect(elsewhere, status)) as (url, seen):
        code, output = sparql("--endpoint", url, "--auth", "ann:s3cret")
    assert code == 2
    assert "redirect" in output and "s3cret" not in output
    assert seen[0]["Authorization"].startswith("Basic ")
    assert seen_elsewhere == [], "the other host received a request"


def test_credentials_in_the_url_are_refused_and_never_printed() -> None:
    with endpoint(answer(GOOD)) as (url, seen):
        code, output = sparql("--endpoint", url.replace("http://", "http://ann:s3cret@"))
    assert code == 2 and "--auth" in output
    assert "s3cret" not in output and "ann" not in output
    assert seen == []


def test_cannot_reach_message_shows_no_credentials() -> None:
    code, output = sparql("--endpoint", "http://127.0.0.1:9/sparql?key=s3cret", "--auth", "ann:s3cret")
    assert code == 2 and "cannot reach endpoint http://127.0.0.1:9/sparql" in output
    assert "s3cret" not in output


# ---- item 5: one deadline, a byte cap -----------------------------------------------------------------------


def drip(handler: http.server.BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    for byte in GOOD.encode("utf-8"):
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.2)


def header_drip(handler: http.server.BaseHTTPRequestHandler) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.2)


def endless(handler: http.server.BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    handler.wfile.write(b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
    chunk = b'{"x": {"type": "literal", "value": "' + b"y" * 4000 + b'"}},'
    while True:
        handler.wfile.write(chunk)


@pytest.mark.parametrize("reply", [drip, header_drip], ids=["body", "headers"])
def test_a_drip_is_cut_at_the_deadline_with_exit_3(reply: Reply) -> None:
    with endpoint(reply) as (url, _):
        start = time.monotonic()
        code, output = sparql("--endpoint", url, "--timeout", "1")
        elapsed = time.monotonic() - start
    assert code == 3 and "did not answer within 1 s" in output
    assert elapsed < 5


def test_an_endless_answer_stops_at_the_byte_cap() -> None:
    with endpoint(endless) as (url, _):
        engine = RemoteEngine(url, max_bytes=1_000_000, timeout=20)
        start = time.monotonic()
        with pytest.raises(EngineError, match="larger than 1,000,000 bytes") as caught:
            engine.run("SELECT * WHERE { ?s ?p ?o }")
    assert caught.value.exit_code == 2
    assert time.monotonic() - start < 10


def test_a_declared_oversize_answer_is_refused_before_reading() -> None:
    with endpoint(answer(GOOD + " " * 2000)) as (url, _), pytest.raises(EngineError, match="larger than"):
        RemoteEngine(url, max_bytes=1000).run("SELECT * WHERE { ?s ?p ?o }")


# ---- item 6: nonsense answers are clear exit-2 errors ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("{not json", "application/sparql-results+json", "not JSON"),
        ("<?xml version='1.0'?><sparql/>", "application/sparql-results+xml", "not SPARQL JSON results"),
        ("<html><body>login</body></html>", "text/html; charset=utf-8", "text/html"),
        ("[1, 2, 3]", "application/json", "a JSON list"),
        ('{"head": {"vars": ["n"]}, "results": {"bindings": [1, 2]}}', "application/json", "binding 1 is not an"),
        ('{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": 5}]}}', "application/json", "?n is not a term"),
        ('{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "uri"}}]}}', "application/json",
         "has no value"),
        ('{"head": {}, "results": {}}', "application/json", "no head.vars"),
        ('{"boolean": "yes"}', "application/json", "'boolean' is not true or false"),
        ("[" * 100_000, "application/json", "not JSON"),
        (b"\xff\xfe{}", "application/json", "not JSON"),
    ],
    ids=["bad-json", "xml", "html", "array", "binding-int", "term-int", "no-value", "no-vars", "boolean", "deep",
         "not-utf8"],
)  # fmt: skip
def test_a_malformed_answer_is_a_clear_exit_2(body: str | bytes, content_type: str, expected: str) -> None:
    with endpoint(answer(body, content_type)) as (url, _):
        code, output = sparql("--endpoint", url)
    assert code == 2, output
    assert expected in output and "Traceback" not in output


def test_an_http_error_body_cannot_drive_the_terminal() -> None:
    with endpoint(answer("\x1b[2J\x1b]0;pwned\x07bad query", "text/plain", status=400)) as (url, _):
        code, output = sparql("--endpoint", url)
    assert code == 2 and "HTTP 400" in output and "bad query" in output
    assert "\x1b" not in output and "\x07" not in output


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "http:///nohost", "http://127.0.0.1:notaport/x", "file:///etc"])
def test_an_endpoint_that_is_not_an_http_url_is_refused(url: str) -> None:
    with pytest.raises(InputError):
        RemoteEngine(url)


def test_a_hostile_value_cannot_drive_the_terminal_in_a_table() -> None:
    evil = {"n": {"type": "literal", "value": "\x1b]0;pwned\x07\x1b[2Jplain\u202etxt"}}
    body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [evil]}})
    with endpoint(answer(body)) as (url, _):
        code, output = sparql("--endpoint", url)
    assert code == 0 and "plain" in output
    assert not any(ch in output for ch in "\x1b\x07\u202e")


def test_a_broken_manifest_is_one_message(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("[1, 2", encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", "run", "cancer-cell-derived-exosomes", "--dist", str(tmp_path)])
    assert result.exit_code == 2 and "cannot read the build's manifest" in result.output

"""Any SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB, ...) as a query engine.

Parameters travel as a ``VALUES`` block of typed terms, the same text that the
embedded Oxigraph engine evaluates, so answers compare across engines.

The exchange is bounded: one deadline for all of it (connect, send, headers, body;
a watchdog closes the socket when it passes), a byte cap on the answer, no redirects
followed (credentials never travel to a host the user did not name), no credentials
in the URL, and the URL shown in messages without any. An answer that is not SPARQL
1.1 Query Results JSON is a clear error (exit 2), a timeout exit 3.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
import time
import urllib.parse
from typing import Any

from exokg.errors import EngineError, InputError
from exokg.query.engines import Answer, Engine, QueryTimeout, with_values_block
from exokg.query.guard import CheckedQuery
from exokg.query.terms import Term, normalised_json
from exokg.vocab import DEFAULT_MAX_ANSWER_BYTES

__all__ = ["RemoteEngine", "redacted"]

_TERM_TYPES = frozenset({"uri", "literal", "typed-literal", "bnode"})
_NOT_JSON = ("text/html", "application/xhtml", "application/sparql-results+xml", "application/xml", "text/xml")


def redacted(url: str) -> str:
    """The URL without user, password, query string or fragment: safe to print.

    >>> redacted("https://ann:secret@example.org:8443/sparql?key=k")
    'https://example.org:8443/sparql'
    """
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<the endpoint URL>"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _protocol_form(text: str, query: CheckedQuery) -> list[tuple[str, str]]:
    """The form to POST: the query, and its FROM / FROM NAMED graphs again as protocol parameters.

    The protocol's dataset overrides the query's (SPARQL 1.1 Protocol 2.1.4), and an endpoint with
    a union default graph (``oxigraph serve --union-default-graph``) ignores FROM otherwise: this way
    FROM means on every endpoint what it means on the local engines.
    """
    form = [("query", text)]
    form += [("default-graph-uri", graph) for graph in query.default_graphs]
    form += [("named-graph-uri", graph) for graph in query.named_graphs]
    return form


class RemoteEngine(Engine):
    """Any SPARQL 1.1 endpoint; parameters are sent as a VALUES block of typed terms."""

    name = "remote"

    def __init__(
        self, url: str, *, auth: str | None = None, max_bytes: int = DEFAULT_MAX_ANSWER_BYTES, **options: Any
    ) -> None:
        super().__init__(**options)
        self.url = _checked_url(url)
        self.shown = redacted(url)
        self.auth = auth
        self.max_bytes = max_bytes

    def _run(self, query: CheckedQuery, bindings: dict[str, Term]) -> Answer:
        text = with_values_block(query.text, bindings)
        body = urllib.parse.urlencode(_protocol_form(text, query)).encode("utf-8")
        headers = {
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        if self.auth:
            headers["Authorization"] = "Basic " + base64.b64encode(self.auth.encode("utf-8")).decode("ascii")
        status, content_type, location, payload = self._exchange(body, headers)
        if 300 <= status < 400:
            where = redacted(urllib.parse.urljoin(self.url, location)) if location else "an unnamed place"
            raise EngineError(
                f"endpoint {self.shown} redirected (HTTP {status}) to {where}; redirects are not followed, "
                "so credentials stay with the host you named: give the final URL as --endpoint"
            )
        if status >= 400:
            raise EngineError(f"endpoint {self.shown} answered HTTP {status}: {_printable(payload[:300])}")
        return self._answer(_parse_results(payload, content_type, self.shown))

    def _exchange(self, body: bytes, headers: dict[str, str]) -> tuple[int, str, str | None, bytes]:
        """POST the query; (status, content type, location, body) within one deadline and the byte cap."""
        import http.client

        parts = urllib.parse.urlsplit(self.url)
        connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_type(parts.hostname or "", parts.port, timeout=self.timeout)
        expired = threading.Event()
        sockets: list[socket.socket] = []  # the response takes the socket from the connection: keep it here

        def expire() -> None:  # one deadline for the whole exchange, however slowly the bytes come
            expired.set()
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(self.timeout, expire)
        watchdog.daemon = True
        started = time.monotonic()
        watchdog.start()
        try:
            connection.connect()
            sockets.append(connection.sock)
            if expired.is_set():
                raise self._timeout()
            connection.request("POST", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body, headers)
            response = connection.getresponse()
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large()
            chunks, size = [], 0
            while chunk := response.read1(1 << 16):
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_large()
                chunks.append(chunk)
            if expired.is_set():
                raise self._timeout()
            location = response.getheader("Location")
            return response.status, response.getheader("Content-Type") or "", location, b"".join(chunks)
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set() or isinstance(exc, TimeoutError) or time.monotonic() - started >= self.timeout:
                raise self._timeout() from None
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise EngineError(f"cannot reach endpoint {self.shown}: {reason}") from None
        finally:
            watchdog.cancel()
            connection.close()

    def _timeout(self) -> QueryTimeout:
        return QueryTimeout(f"the endpoint {self.shown} did not answer within {self.timeout:g} s (use --timeout)")

    def _too_large(self) -> EngineError:
        return EngineError(f"the answer of {self.shown} is larger than {self.max_bytes:,} bytes; ask for fewer rows")

    def _answer(self, payload: dict[str, Any]) -> Answer:
        if "boolean" in payload:
            return Answer(boolean=payload["boolean"])
        variables = payload["head"]["vars"]
        bindings = payload["results"]["bindings"]
        rows = [{k: normalised_json(v) for k, v in b.items()} for b in bindings[: self.row_cap]]
        # normalised_json keeps None only for None, and _parse_results refused null bindings
        return Answer(variables, rows, truncated=len(bindings) > self.row_cap)  # type: ignore[arg-type]


def _checked_url(url: str) -> str:
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # raises for a port that is not a number
    except ValueError:
        raise InputError(f"endpoint {redacted(url)!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"endpoint must be an http(s) URL with a host, not {redacted(url)!r}")
    if parts.username is not None or parts.password is not None:
        raise InputError(
            f"endpoint {redacted(url)} has credentials in the URL; pass them with --auth or EXOKG_ENDPOINT_AUTH"
        )
    return url


def _parse_results(payload: bytes, content_type: str, shown: str) -> dict[str, Any]:
    """The answer as SPARQL 1.1 Query Results JSON, checked; a clear error naming what came instead."""
    kind = content_type.split(";")[0].strip().lower()
    if kind.startswith(_NOT_JSON):
        raise EngineError(f"endpoint {shown} answered {kind}, not SPARQL JSON results: is it the query endpoint?")
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        start = _printable(payload[:80])
        raise EngineError(
            f"endpoint {shown} answered something that is not JSON ({kind or 'no type'}): {start}"
        ) from None
    problem = _results_problem(data)
    if problem:
        raise EngineError(f"endpoint {shown} answered JSON that is not SPARQL results: {problem}")
    return dict(data)


def _results_problem(data: object) -> str | None:
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, not an object"
    if "boolean" in data:
        return None if isinstance(data["boolean"], bool) else "'boolean' is not true or false"
    head, results = data.get("head"), data.get("results")
    if not isinstance(head, dict) or not isinstance(head.get("vars"), list):
        return "no head.vars list"
    if not all(isinstance(v, str) for v in head["vars"]):
        return "head.vars holds a name that is not a string"
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        return "no results.bindings list"
    for number, binding in enumerate(results["bindings"], start=1):
        if not isinstance(binding, dict):
            return f"binding {number} is not an object"
        for name, term in binding.items():
            if not isinstance(term, dict) or term.get("type") not in _TERM_TYPES:
                return f"binding {number}: ?{name} is not a term with a known type"
            if not all(isinstance(term.get(key, ""), str) for key in ("value", "datatype", "xml:lang")):
                return f"binding {number}: ?{name} has a value, datatype or language that is not a string"
            if "value" not in term:
                return f"binding {number}: ?{name} has no value"
    return None


def _printable(data: bytes) -> str:
    """Bytes as text safe for a terminal: control characters (escape sequences too) shown as '?'."""
    text = data.decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else "?" for ch in " ".join(text.split()))

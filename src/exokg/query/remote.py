"""Any SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB, ...) as a query engine.

Parameters travel as a ``VALUES`` block of typed terms, the same text that the
embedded Oxigraph engine evaluates, so answers compare across engines.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from exokg.errors import EngineError, InputError
from exokg.query.engines import Answer, Engine, QueryTimeout, with_values_block
from exokg.query.guard import CheckedQuery
from exokg.query.terms import Term, normalised_json

__all__ = ["RemoteEngine"]


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

    def __init__(self, url: str, *, auth: str | None = None, **options: Any) -> None:
        super().__init__(**options)
        if not url.startswith(("http://", "https://")):
            raise InputError(f"endpoint must be an http(s) URL, not {url!r}")
        self.url = url
        self.auth = auth

    def _run(self, query: CheckedQuery, bindings: dict[str, Term]) -> Answer:
        import urllib.error
        import urllib.parse
        import urllib.request

        text = with_values_block(query.text, bindings)
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(_protocol_form(text, query)).encode("utf-8"),
            headers={
                "Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        if self.auth:
            request.add_header("Authorization", "Basic " + base64.b64encode(self.auth.encode()).decode())
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(response.read())
        except TimeoutError:
            raise QueryTimeout(f"the endpoint did not answer within {self.timeout:g} s") from None
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise EngineError(f"endpoint {self.url} answered HTTP {exc.code}: {detail}") from None
        except urllib.error.URLError as exc:
            raise EngineError(f"cannot reach endpoint {self.url}: {exc.reason}") from None
        return self._answer(payload)

    def _answer(self, payload: dict[str, Any]) -> Answer:
        if "boolean" in payload:
            return Answer(boolean=bool(payload["boolean"]))
        variables = list(payload.get("head", {}).get("vars", []))
        bindings = payload.get("results", {}).get("bindings", [])
        rows = [{k: normalised_json(v) for k, v in b.items()} for b in bindings[: self.row_cap]]
        # normalised_json keeps None only for None, and an endpoint never binds a variable to null
        return Answer(variables, rows, truncated=len(bindings) > self.row_cap)  # type: ignore[arg-type]

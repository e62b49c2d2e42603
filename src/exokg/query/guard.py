"""Refuse SPARQL that would reach outside the graph or change it, on every engine.

A small lexer removes comments, string literals and IRIs before looking for
keywords, so ``"SERVICE"`` inside a string or ``ex:loadFactor`` never trips it.
``SERVICE``, ``LOAD`` and every update operation are refused; ``FROM`` and
``FROM NAMED`` are accepted only for exokg's own named graphs.
"""

from __future__ import annotations

import re

from exokg.errors import QueryRefused
from exokg.vocab import GRAPH

__all__ = ["check_query"]


_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<word>[?$]?[A-Za-z_][\w.-]*:?[\w.-]*)
  | (?P<other>\S)
    """,
    re.VERBOSE,
)
_FORBIDDEN = {
    "SERVICE": "SERVICE (federated queries) is not allowed",
    "LOAD": "LOAD is an update operation",
    "INSERT": "INSERT is an update operation",
    "DELETE": "DELETE is an update operation",
    "CLEAR": "CLEAR is an update operation",
    "DROP": "DROP is an update operation",
    "CREATE": "CREATE is an update operation",
    "ADD": "ADD is an update operation",
    "MOVE": "MOVE is an update operation",
    "COPY": "COPY is an update operation",
    "WITH": "WITH introduces an update operation",
}


def _tokens(query: str) -> list[tuple[str, str]]:
    tokens = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind != "comment":
            tokens.append((kind, match.group()))
    return tokens


def _prefixes(tokens: list[tuple[str, str]]) -> dict[str, str]:
    declared = {}
    for i, (kind, text) in enumerate(tokens[:-2]):
        if kind == "word" and text.upper() == "PREFIX" and tokens[i + 2][0] == "iri":
            declared[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
    return declared


def _graph_iri(token: tuple[str, str], prefixes: dict[str, str]) -> str | None:
    kind, text = token
    if kind == "iri":
        return text[1:-1]
    if kind == "word" and ":" in text and not text.startswith(("?", "$")):
        prefix, _, local = text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def check_query(query: str) -> None:
    """Raise :class:`QueryRefused` if ``query`` uses SERVICE, LOAD, an update or a foreign FROM graph.

    >>> check_query("SELECT * WHERE { ?s ?p 'SERVICE' }")
    >>> check_query("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    exokg.errors.QueryRefused: SERVICE (federated queries) is not allowed
    """
    tokens = _tokens(query)
    prefixes = _prefixes(tokens)
    for i, (kind, text) in enumerate(tokens):
        if kind != "word" or text.startswith(("?", "$")) or ":" in text:
            continue
        keyword = text.upper()
        if keyword in _FORBIDDEN:
            raise QueryRefused(_FORBIDDEN[keyword])
        if keyword == "FROM":
            j = i + 1
            if j < len(tokens) and tokens[j][1].upper() == "NAMED":
                j += 1
            iri = _graph_iri(tokens[j], prefixes) if j < len(tokens) else None
            if iri is None or not iri.startswith(GRAPH):
                raise QueryRefused(f"FROM may name only exokg's own graphs ({GRAPH}…), not {iri or tokens[j][1]!r}")

"""Refuse SPARQL that would reach outside the graph or change it, on every engine.

The decision is taken on the *parsed* query, in two steps:

1. a cheap lexical filter refuses the keywords of federation and updates, any
   backslash outside a string literal (``\\u0053ERVICE``, ``ex:a\\#b``), any
   ``\\uXXXX`` escape standing for an ASCII character (rdflib decodes such escapes
   before parsing, Oxigraph does not) and a comment ended by a lone carriage return
   (rdflib reads on to the next line feed): on such text the two engines would
   read different queries;
2. rdflib parses the query (``parseQuery`` and ``translateQuery``) and the parse
   tree and algebra are walked: ``SERVICE`` anywhere, ``FROM``/``FROM NAMED`` of a
   graph other than exokg's own, and every update operation are refused, and so is
   any text rdflib cannot parse (the check cannot vouch for it).

A text identical to one of the packaged query files skips step 2: the test suite puts
every one through both steps, and canned queries then answer without importing rdflib.

See ``docs/security.md`` for the threat model and how this is tested.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator

from exokg.errors import QueryRefused, QuerySyntaxError
from exokg.prefixes import position_in_query
from exokg.query.terms import Record
from exokg.vocab import GRAPH, GRAPH_NAMES

TYPE_CHECKING = False  # typing stays out of a cold `exokg query run` (see exokg.cli.fast); mypy reads the name
if TYPE_CHECKING:
    from typing import Any


__all__ = ["OWN_GRAPHS", "CheckedQuery", "check_query"]

OWN_GRAPHS = frozenset(GRAPH + name for name in GRAPH_NAMES)

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<word>[?$]?[A-Za-z_][\w.-]*:?[\w.-]*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
# rdflib's own pattern (parser.expandUnicodeEscapes_re), so we see every escape it will decode
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-f]{4}(?:[0-9a-f]{4})?)", re.IGNORECASE)
_FORBIDDEN = {
    "SERVICE": "SERVICE would send a request to another endpoint (federated queries are not allowed)",
    "LOAD": "LOAD would fetch a document into the store (updates are not allowed)",
    "INSERT": "INSERT would change the store (updates are not allowed)",
    "DELETE": "DELETE would change the store (updates are not allowed)",
    "CLEAR": "CLEAR would change the store (updates are not allowed)",
    "DROP": "DROP would change the store (updates are not allowed)",
    "CREATE": "CREATE would change the store (updates are not allowed)",
    "ADD": "ADD would change the store (updates are not allowed)",
    "MOVE": "MOVE would change the store (updates are not allowed)",
    "COPY": "COPY would change the store (updates are not allowed)",
    "WITH": "WITH introduces an update (updates are not allowed)",
}


class CheckedQuery(Record):
    """A query the guard accepted, with what the engines need from its parse.

    ``default_graphs`` and ``named_graphs`` are its ``FROM`` and ``FROM NAMED`` graphs
    (all exokg's own); ``parsed`` is rdflib's translated query, which the rdflib engine
    evaluates so that what was checked is exactly what runs (None for a packaged query,
    whose ``form`` is then ``"packaged"``).
    """

    __slots__ = ("text", "form", "default_graphs", "named_graphs", "parsed")  # noqa: RUF023 (the fields, in order)
    text: str
    form: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    parsed: Any

    def __init__(self, text: str, form: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...],
                 parsed: Any) -> None:  # fmt: skip
        super().__init__(text, form, default_graphs, named_graphs, parsed)

    @property
    def has_dataset(self) -> bool:
        """True when the query names its own dataset with FROM or FROM NAMED."""
        return bool(self.default_graphs or self.named_graphs)


def check_query(query: str) -> CheckedQuery:
    """Return the checked query, or raise :class:`QueryRefused` saying what was refused and why.

    >>> check_query("SELECT * WHERE { ?s ?p 'SERVICE' }").form
    'SelectQuery'
    >>> check_query("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    exokg.errors.QueryRefused: query refused: SERVICE would send a request to another endpoint ..., at line 1, column 18
    """
    _check_lexically(query)
    if _is_packaged(query):
        return CheckedQuery(query, "packaged", (), (), None)
    return _check_structure(query)


def _is_packaged(query: str) -> bool:
    """True when ``query`` is the text of a packaged ``.rq`` file, read as the query catalogue reads it.

    Only files of the query's size in bytes are read: reading all 76 cost a cold
    ``exokg query run`` 2 ms. A file with CRLF line ends is read shorter than its size
    and never matches, so its text gets the full check: slower, never weaker.
    """
    size = len(query.encode("utf-8", "surrogatepass"))
    return any(_read(path) == query for path in _packaged_files().get(size, ()))


@functools.cache
def _packaged_files() -> dict[int, list[str]]:
    """Every packaged ``.rq`` file by its size in bytes."""
    from exokg.resources import queries_dir

    found: dict[int, list[str]] = {}
    for folder, _, names in os.walk(queries_dir()):
        for name in sorted(names):
            if name.endswith(".rq"):
                path = os.path.join(folder, name)
                found.setdefault(os.path.getsize(path), []).append(path)
    return found


@functools.cache
def _read(path: str) -> str:
    with open(path, encoding="utf-8") as file:
        return file.read()


# ---- 1. the cheap lexical filter -------------------------------------------------------------------------


def _where(query: str, offset: int) -> str:
    line, column, _ = position_in_query(query, offset)
    return f"line {line}, column {column}"


def _refuse(reason: str) -> QueryRefused:
    return QueryRefused(f"query refused: {reason}")


def _check_lexically(query: str) -> None:
    for match in _UNICODE_ESCAPE.finditer(query):
        code = int(match.group(1), 16)
        if code < 0x80 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise _refuse(
                f"the escape {match.group()} stands for {_show(chr(code)) if code <= 0x10FFFF else 'no character'}; "
                f"write ASCII characters as themselves (engines decode \\u escapes differently), "
                f"at {_where(query, match.start())}"
            )
    for match in _TOKEN.finditer(query):
        kind, text = match.lastgroup, match.group()
        if (
            kind == "comment"
            and query[match.end() : match.end() + 1] == "\r"
            and not query.startswith("\r\n", match.end())
        ):
            raise _refuse(
                "a comment ends at a carriage return without a line feed: Oxigraph ends it there, rdflib reads on "
                f"to the next line feed, at {_where(query, match.start())}"
            )
        if kind == "other" and text == "\\":
            raise _refuse(
                "a backslash escape outside a string literal (in a name or IRI) is read differently by "
                f"rdflib and Oxigraph, at {_where(query, match.start())}"
            )
        if kind == "word" and not text.startswith(("?", "$")) and ":" not in text:
            reason = _FORBIDDEN.get(text.upper())
            if reason:
                raise _refuse(f"{reason}, at {_where(query, match.start())}")


# ---- 2. the structural check on rdflib's parse -----------------------------------------------------------


def _check_structure(query: str) -> CheckedQuery:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(query)
    except RecursionError:
        raise _refuse(
            "it is nested too deeply or has too many patterns in one group for rdflib's parser to check "
            "(about 35 nested groups or 400 triple patterns); split it"
        ) from None
    except (ParseException, ValueError) as query_error:
        try:
            update = parseUpdate(query)
        except (ParseException, ValueError, RecursionError):
            raise _unparsed(query_error, query) from None
        operations = sorted({str(request.name) for request in _field(update, "request") or []})
        if not operations:
            raise _unparsed(query_error, query) from None
        raise _refuse(f"it is an update ({', '.join(operations)}); only SELECT and ASK queries are allowed") from None
    for node in _nodes(tree):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise _refuse(f"SERVICE {_show(_field(node, 'term'))} would send a request to another endpoint")
    try:
        translated = translateQuery(tree)
    except (Exception, RecursionError) as exc:  # rdflib raises plain Exceptions for scoping errors
        raise _refuse(f"rdflib cannot translate it, so the guard cannot check it: {exc}") from None
    for node in _nodes(translated.algebra):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise _refuse(f"SERVICE {_show(_field(node, 'term'))} would send a request to another endpoint")
    default: list[str] = []
    named: list[str] = []
    for clause in _field(translated.algebra, "datasetClause") or []:
        keyword = "FROM" if _field(clause, "default") is not None else "FROM NAMED"
        graph = _field(clause, "default" if keyword == "FROM" else "named")
        if str(graph) not in OWN_GRAPHS:
            raise _refuse(
                f"{keyword} {_show(graph)} is not one of exokg's graphs ({', '.join(sorted(OWN_GRAPHS))}); "
                "a query may read only the graphs of the build"
            )
        (default if keyword == "FROM" else named).append(str(graph))
    return CheckedQuery(query, str(translated.algebra.name), tuple(default), tuple(named), translated)


def _field(node: Any, name: str) -> Any:
    """A field of an rdflib CompValue, or None (its ``get`` returns the *name* of a missing field)."""
    return node[name] if isinstance(node, dict) and name in node else None


def _nodes(value: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree or algebra (CompValue, ParseResults, lists, dicts)."""
    from pyparsing import ParseResults

    stack = [value]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, dict):  # CompValue is an OrderedDict
            stack.extend(node.values())
        elif isinstance(node, ParseResults | list | tuple | set | frozenset):
            stack.extend(node)


def _unparsed(error: Exception, query: str) -> QueryRefused:
    """A syntax error: where it is, with the line and a caret, and what the parser expected there."""
    location = getattr(error, "loc", None)
    if not isinstance(location, int):
        detail = " ".join(str(error).split())[:200]
        return _refuse(f"rdflib cannot parse it as a SPARQL 1.1 query, so the guard cannot check it: {detail}")
    line, column, text = position_in_query(query, location)
    expected = " ".join(str(getattr(error, "msg", error)).split())[:200]
    return QuerySyntaxError(
        f"SPARQL syntax error at line {line}, column {column}: {expected}\n    {text}\n    {' ' * (column - 1)}^\n"
        "(the guard reads queries with rdflib's SPARQL 1.1 parser; SPARQL 1.2 and Oxigraph-only syntax are refused)"
    )


def _show(term: Any) -> str:
    """A term for a message: IRIs in angle brackets, anything unprintable escaped, at most 100 characters."""
    text = str(term) if term is not None else "?"
    if getattr(term, "n3", None) is not None and type(term).__name__ == "URIRef":
        text = f"<{text}>"
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return shown if len(shown) <= 100 else shown[:99] + "…"

"""Parse RDF files safely: clear errors with file and line, NFC text, lower-case language tags.

RDF/XML with a DOCTYPE is refused before parsing: nested entity declarations
("billion laughs") would cost the XML parser minutes of CPU.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.term import Node

from exokg.errors import InputError

__all__ = ["FORMATS_BY_SUFFIX", "guess_format", "normalise_graph", "parse_file"]

FORMATS_BY_SUFFIX = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".owl": "xml",
    ".rdf": "xml",
    ".xml": "xml",
    ".trig": "trig",
    ".nq": "nquads",
}

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_LINE_HINT = re.compile(r"line[: ]+(\d+)", re.IGNORECASE)


def guess_format(path: Path) -> str:
    """The rdflib format name for a file, from its suffix.

    >>> guess_format(Path("x.ttl"))
    'turtle'
    """
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(f"unknown RDF file type {path.suffix!r} (known: {known})", path=path) from None


def parse_file(graph: Graph, path: Path, *, rdf_format: str | None = None) -> Graph:
    """Parse ``path`` into ``graph``, normalise its text, and return the graph."""
    fmt = rdf_format or guess_format(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not an RDF file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    if fmt == "xml" and _DOCTYPE.search(data):
        raise InputError("RDF/XML with a DOCTYPE declaration is refused (entity expansion risk)", path=path)
    parsed = Graph()
    try:
        parsed.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many unrelated types for syntax errors
        raise InputError(f"cannot parse as {fmt}: {_describe(exc)}", path=path, line=_line_of(exc)) from None
    normalise_graph(parsed)
    for triple in parsed:
        graph.add(triple)
    for prefix, namespace in parsed.namespaces():
        if prefix and prefix not in dict(graph.namespaces()):
            graph.bind(prefix, namespace)
    return graph


def normalise_graph(graph: Graph) -> Graph:
    """Rewrite literals in place to NFC text and lower-case language tags."""
    changes: list[tuple[tuple[Node, Node, Node], Literal]] = []
    for s, p, o in graph:
        if isinstance(o, Literal):
            fixed = _normalise_literal(o)
            if fixed is not o:
                changes.append(((s, p, o), fixed))
    for (s, p, o), fixed in changes:
        graph.remove((s, p, o))
        graph.add((s, p, fixed))
    return graph


def _normalise_literal(literal: Literal) -> Literal:
    text = str(literal)
    normal = unicodedata.normalize("NFC", text)
    lang = literal.language.lower() if literal.language else None
    if normal == text and lang == literal.language:
        return literal
    if lang:
        return Literal(normal, lang=lang)
    return Literal(normal, datatype=literal.datatype)


def _describe(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__


def _line_of(exc: Exception) -> int | None:
    line = getattr(exc, "lines", None) or getattr(exc, "line", None) or getattr(exc, "lineno", None)
    if isinstance(line, int):
        return line
    match = _LINE_HINT.search(str(exc))
    return int(match.group(1)) if match else None

"""Parse RDF files safely: clear errors with file and line, NFC text, lower-case language tags.

RDF/XML with a DOCTYPE is refused before parsing: nested entity declarations
("billion laughs") would cost the XML parser minutes of CPU. Only regular files
are read (a FIFO would hang, ``/dev/zero`` would fill memory). JSON-LD is read with
no document loader at all: a ``@context`` or ``@import`` that names a document
(``http:``, ``file:`` or relative) is refused, never fetched. A lone surrogate
(``\ud800`` in an escape) is refused naming the line: it cannot be stored or written.
"""

from __future__ import annotations

import json
import os
import re
import stat
import unicodedata
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.term import Node

from exokg.errors import InputError

__all__ = ["FORMATS_BY_SUFFIX", "guess_format", "normalise_graph", "parse_file", "read_regular_file"]

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
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}|\\U0000[dD][89a-fA-F][0-9a-fA-F]{2}")


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
    data = read_regular_file(path)
    if fmt == "json-ld":
        _refuse_context_documents(data, path)
    if fmt == "xml" and _DOCTYPE.search(data):
        raise InputError("RDF/XML with a DOCTYPE declaration is refused (entity expansion risk)", path=path)
    parsed = Graph()
    try:
        parsed.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many unrelated types for syntax errors
        raise InputError(f"cannot parse as {fmt}: {_describe(exc)}", path=path, line=_line_of(exc)) from None
    _refuse_surrogates(parsed, data, path)
    normalise_graph(parsed)
    for triple in parsed:
        graph.add(triple)
    for prefix, namespace in parsed.namespaces():
        if prefix and prefix not in dict(graph.namespaces()):
            graph.bind(prefix, namespace)
    return graph


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file (symlinks followed); a FIFO, device, socket or folder is refused unopened."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO with no writer must not hang the open
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError("is a directory, not an RDF file", path=path)
        if not stat.S_ISREG(mode):
            raise InputError("is not a regular file (a FIFO, device or socket): refused", path=path)
        try:
            return handle.read()
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror}", path=path) from None


def _refuse_context_documents(data: bytes, path: Path) -> None:
    """Refuse JSON-LD whose ``@context``/``@import`` names a document: it would be fetched or read from disk."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return  # the parser reports the syntax error with its position
    stack: list[object] = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    named = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
                    if named:
                        raise InputError(
                            f"JSON-LD {key} names a document ({named[0][:80]!r}); exokg never fetches or reads "
                            "contexts (no network at run time): put the context inline",
                            path=path,
                        )
                stack.append(value)


def _refuse_surrogates(graph: Graph, data: bytes, path: Path) -> None:
    for triple in graph:
        for term in triple:
            if _SURROGATE.search(str(term)):
                text = data.decode("utf-8", "replace")
                match = _SURROGATE_ESCAPE.search(text)
                line = text.count("\n", 0, match.start()) + 1 if match else None
                raise InputError(
                    "a lone surrogate (\\uD800-\\uDFFF escape) is not a character: fix the escape",
                    path=path,
                    line=line,
                )


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

"""Validate a curator's RDF files, merged with the packaged ontology (and, if asked, the review graph)."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, URIRef

from exokg.errors import InputError
from exokg.io.rdf import parse_file
from exokg.pipeline.assemble import assemble, merged
from exokg.pipeline.validate.shacl import ValidationReport, validate_graph
from exokg.query.terms import ABSOLUTE_IRI, IRI_FORBIDDEN

__all__ = ["validate_files"]

_IRI_TOKEN = re.compile(r"<([^<>\n]*)>")


def validate_files(paths: list[Path], *, with_review: bool = False, engine: str = "oxigraph") -> ValidationReport:
    """Validate RDF files (Turtle, N-Triples, JSON-LD, RDF/XML) merged with the packaged ontology.

    With ``with_review``, the packaged review and mappings graphs are merged too, so a
    curator's claims may point at existing entities without restating their types.
    """
    from exokg.pipeline.ontology import load_ontology

    if not paths:
        raise InputError("no files to validate")
    data = Graph()
    for path in paths:
        for triple in _parse_checked(path):
            data.add(triple)
    if not with_review:
        return validate_graph(data, load_ontology(), engine=engine)
    graphs = assemble()
    return validate_graph(merged(data, graphs.data()), graphs.ontology, engine=engine)


def _parse_checked(path: Path) -> Graph:
    """Parse one file; refuse it, naming file and line, when it holds an invalid IRI."""
    try:
        graph = parse_file(Graph(), path)
    except InputError as exc:
        if exc.line is None and exc.path is not None and path.is_file():
            line = _first_bad_iri_line(path)
            if line is not None:
                raise InputError(exc.message, path=path, line=line) from None
        raise
    bad = sorted({term for triple in graph for term in triple if isinstance(term, URIRef) and _is_bad_iri(term)})
    if bad:
        shown = ", ".join(f"<{iri}>" for iri in bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        raise InputError(
            f"{len(bad)} invalid IRI(s): {shown}; IRIs must be absolute (no relative or file: IRIs) "
            'and free of spaces and <>"{}|^`\\ characters',
            path=path,
            line=_line_of_iri(path, bad[0]),
        )
    return graph


def _is_bad_iri(iri: URIRef) -> bool:
    text = str(iri)
    return bool(IRI_FORBIDDEN.search(text)) or not ABSOLUTE_IRI.match(text) or text.startswith("file:")


def _first_bad_iri_line(path: Path) -> int | None:
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if any(IRI_FORBIDDEN.search(token) for token in _IRI_TOKEN.findall(line)):
            return number
    return None


def _line_of_iri(path: Path, iri: str) -> int | None:
    text = path.read_text(encoding="utf-8", errors="replace")
    base = path.resolve().parent.as_uri() + "/"
    candidates = [iri, iri.removeprefix(base)] if iri.startswith(base) else [iri]
    for candidate in candidates:
        index = text.find(candidate)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None

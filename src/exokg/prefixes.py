"""The single, bijective prefix map used by data, shapes, queries, mappings and exports."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from exokg.errors import InputError
from exokg.io.tables import read_table
from exokg.resources import prefixes_file

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["bind_prefixes", "compress", "declared_prefixes", "expand", "load_prefix_map", "with_prefixes"]

_PREFIX_DECLARATION = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


def load_prefix_map(path: Path | None = None) -> dict[str, str]:
    """Read the prefix map and check that it is bijective.

    >>> load_prefix_map()["GO"]
    'http://purl.obolibrary.org/obo/GO_'
    """
    return dict(_load_prefix_map(path or prefixes_file()))


@cache
def _load_prefix_map(source: Path) -> dict[str, str]:
    mapping: dict[str, str] = {}
    seen: dict[str, str] = {}
    for row in read_table(source, required=("prefix", "uri_prefix")):
        prefix, uri = row["prefix"], row["uri_prefix"]
        if prefix in mapping:
            raise row.error(f"prefix {prefix!r} declared twice")
        if uri in seen:
            raise row.error(f"URI prefix {uri} already bound to {seen[uri]!r}: the map must be bijective")
        mapping[prefix] = uri
        seen[uri] = prefix
    return mapping


def expand(curie: str, *, prefix_map: dict[str, str] | None = None) -> str:
    """Expand a CURIE to an IRI; raise :class:`InputError` for an unknown prefix.

    >>> expand("GO:0070062")
    'http://purl.obolibrary.org/obo/GO_0070062'
    >>> expand("mirbase.mature:MIMAT0000076")
    'https://identifiers.org/mirbase.mature:MIMAT0000076'
    """
    mapping = prefix_map or load_prefix_map()
    prefix, sep, local = curie.partition(":")
    if not sep or not local:
        raise InputError(f"{curie!r} is not a CURIE (expected prefix:local)")
    if prefix not in mapping:
        raise InputError(f"unknown prefix {prefix!r} in {curie!r}; known prefixes are listed in ontology/prefixes.tsv")
    return mapping[prefix] + local


def compress(iri: str, *, prefix_map: dict[str, str] | None = None) -> str | None:
    """Compress an IRI with the longest matching URI prefix, or return None.

    >>> compress("http://purl.obolibrary.org/obo/CL_0000057")
    'CL:0000057'
    """
    mapping = prefix_map or load_prefix_map()
    best: tuple[int, str] | None = None
    for prefix, uri in mapping.items():
        if iri.startswith(uri) and len(iri) > len(uri) and (best is None or len(uri) > best[0]):
            best = (len(uri), prefix)
    if best is None:
        return None
    return f"{best[1]}:{iri[best[0] :]}"


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every prefix of the map to ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, uri in sorted(load_prefix_map().items()):
        graph.bind(prefix, uri, override=True, replace=True)
    return graph


def declared_prefixes(query: str) -> set[str]:
    """Prefixes that a SPARQL query declares itself (the empty prefix as ``""``)."""
    return {match.group(1) or "" for match in _PREFIX_DECLARATION.finditer(query)}


def with_prefixes(query: str) -> str:
    """``query`` with every prefix of the map that it does not declare itself, so CURIEs just work.

    The declarations go on the query's first line, ahead of its text, so the line
    numbers of an error message stay those of the query as written.

    >>> with_prefixes("SELECT * WHERE { ?s a exokg:Exosome }").count("PREFIX exokg:")
    1
    >>> "PREFIX exokg: <urn:x:>" in with_prefixes("PREFIX exokg: <urn:x:> ASK {}")
    True
    """
    own = declared_prefixes(query)
    prologue = "".join(f"PREFIX {p}: <{u}> " for p, u in sorted(load_prefix_map().items()) if p not in own)
    return prologue + query

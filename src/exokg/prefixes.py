"""The single, bijective prefix map used by data, shapes, queries, mappings and exports."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from exokg.errors import InputError
from exokg.io.tables import read_table
from exokg.resources import prefixes_file

TYPE_CHECKING = False  # typing stays out of a cold `exokg query run` (see exokg.cli.fast); mypy reads the name
if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "bind_prefixes",
    "compress",
    "declared_prefixes",
    "expand",
    "load_prefix_map",
    "position_in_query",
    "with_prefixes",
]

#: Ends the line of PREFIX declarations that :func:`with_prefixes` puts ahead of a query.
PROLOGUE_END = "# exokg: the project's prefixes\n"

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
    if prefix_map is None:
        return _compress_with(prefixes_file(), iri)  # cached: result tables compress every cell
    return _longest_match(iri, prefix_map)


@lru_cache(maxsize=1 << 16)
def _compress_with(source: Path, iri: str) -> str | None:
    return _longest_match(iri, _load_prefix_map(source))


def _longest_match(iri: str, mapping: dict[str, str]) -> str | None:
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

    The declarations take one line of their own ahead of the query (see :func:`position_in_query`
    for mapping an error position back to the query as written).

    >>> with_prefixes("SELECT * WHERE { ?s a exokg:Exosome }").count("PREFIX exokg:")
    1
    >>> with_prefixes("PREFIX exokg: <urn:x:> ASK {}").startswith("PREFIX BFO:")
    True
    """
    own = declared_prefixes(query)
    prologue = "".join(f"PREFIX {p}: <{u}> " for p, u in sorted(load_prefix_map().items()) if p not in own)
    return prologue + PROLOGUE_END + query if prologue else query


def position_in_query(text: str, offset: int) -> tuple[int, int, str]:
    r"""Line and column (from 1) of character ``offset`` of ``text``, and that line's text, as the user wrote it.

    When ``text`` came from :func:`with_prefixes`, its first line is the added prologue and is
    not counted.

    >>> position_in_query(with_prefixes("ASK {\n  ?s ?p }"), len(with_prefixes("ASK {\n  ?s ")))
    (2, 6, '  ?s ?p }')
    """
    skip = text.find(PROLOGUE_END) + len(PROLOGUE_END) if PROLOGUE_END in text.partition("\n")[0] + "\n" else 0
    offset = max(offset - skip, 0)
    own = text[skip:]
    start = own.rfind("\n", 0, offset) + 1
    end = own.find("\n", offset)
    return own.count("\n", 0, offset) + 1, offset - start + 1, own[start : end if end >= 0 else len(own)]

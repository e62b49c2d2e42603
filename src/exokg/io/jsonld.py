"""Compact JSON-LD, written from triples in canonical order (no rdflib, no network).

Compaction uses only the prefix map: IRIs become CURIEs, ``rdf:type`` becomes
``@type``, plain strings stay strings. Every prefix is declared with
``"@prefix": true`` so JSON-LD 1.1 processors expand CURIEs whose namespace does not
end in ``/`` or ``#`` (``GO:0070062``). Nodes come in subject order and values in
triple order, so the same triples give the same bytes.

>>> import pyoxigraph as ox
>>> t = ox.Triple(ox.NamedNode("https://w3id.org/exokg/entity/a"), ox.NamedNode(
...     "http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("a"))
>>> print(jsonld_text([t], {"exokg.entity": "https://w3id.org/exokg/entity/",
...     "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}))  # doctest: +NORMALIZE_WHITESPACE
{"@context": {"exokg.entity": {"@id": "https://w3id.org/exokg/entity/", "@prefix": true},
 "rdfs": {"@id": "http://www.w3.org/2000/01/rdf-schema#", "@prefix": true}},
"@graph": [
{"@id": "exokg.entity:a", "rdfs:label": "a"}
]}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from exokg.vocab import RDF_TYPE, XSD_STRING

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["jsonld_text"]


def jsonld_text(triples: Iterable[ox.Triple | ox.Quad], prefixes: dict[str, str]) -> str:
    """A compact JSON-LD document of ``triples`` (grouped by consecutive subject)."""
    import pyoxigraph as ox

    by_length = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
    cache: dict[str, str] = {}

    def compact(iri: str) -> str:
        found = cache.get(iri)
        if found is None:
            found = iri
            for prefix, namespace in by_length:
                local = iri[len(namespace) :]
                if iri.startswith(namespace) and local and not local.startswith("//"):
                    found = f"{prefix}:{local}"
                    break
            cache[iri] = found
        return found

    def node_id(term: ox.NamedNode | ox.BlankNode) -> str:
        return compact(term.value) if isinstance(term, ox.NamedNode) else f"_:{term.value}"

    def value(term: Any) -> Any:
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@language": term.language, "@value": term.value}
            if term.datatype.value == XSD_STRING:
                return term.value
            return {"@type": compact(term.datatype.value), "@value": term.value}
        return {"@id": node_id(term)}

    nodes: list[dict[str, Any]] = []
    current: object = None
    node: dict[str, Any] = {}
    for triple in triples:
        if triple.subject != current:
            current = triple.subject
            node = {"@id": node_id(triple.subject)}  # type: ignore[arg-type]
            nodes.append(node)
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            key, item = "@type", compact(triple.object.value)
        else:
            key, item = compact(triple.predicate.value), value(triple.object)
        if key in node:
            previous = node[key]
            node[key] = [*previous, item] if isinstance(previous, list) else [previous, item]
        else:
            node[key] = item
    context = {p: {"@id": uri, "@prefix": True} for p, uri in sorted(prefixes.items())}
    # One node per line, each by the C encoder (``indent`` would switch to the slow pure-Python one).
    head = json.dumps({"@context": context}, ensure_ascii=False)[:-1]
    body = ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes)
    return f'{head},\n"@graph": [\n{body}\n]}}\n'

"""Engine-neutral RDF terms for query parameters and results (no rdflib, no pyoxigraph).

Results from every engine are normalised to the SPARQL 1.1 JSON term form
(``{"type": "uri", "value": ...}``), so answers can be compared across engines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from exokg.errors import InputError

__all__ = ["XSD_STRING", "Term", "iri", "literal", "sparql_literal", "term_json"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Term:
    """An IRI (``kind='uri'``) or a literal with optional datatype or language."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None


def iri(value: str, *, expand_curie: bool = False, require_curie: bool = False) -> Term:
    """An IRI term from ``<iri>``, an absolute IRI or (when allowed) a CURIE of the prefix map.

    >>> iri("GO:0070062", expand_curie=True).value
    'http://purl.obolibrary.org/obo/GO_0070062'
    """
    text = value.strip()
    if text.startswith("<") and text.endswith(">") and not require_curie:
        text = text[1:-1]
    elif expand_curie:
        from exokg.prefixes import load_prefix_map

        prefix, sep, local = text.partition(":")
        mapping = load_prefix_map()
        if sep and prefix in mapping:
            text = mapping[prefix] + local
        elif require_curie:
            raise InputError(f"{value!r} is not a CURIE with a known prefix (see ontology/prefixes.tsv)")
    if not _ABSOLUTE.match(text) or _IRI_FORBIDDEN.search(text):
        raise InputError(f"{value!r} is not a valid absolute IRI or known CURIE")
    return Term("uri", text)


def literal(value: str, *, datatype: str | None = None, language: str | None = None) -> Term:
    """A literal term; text is NFC-normalised like all exokg input."""
    text = unicodedata.normalize("NFC", value)
    if datatype == XSD_STRING:
        datatype = None
    return Term("literal", text, datatype, language.lower() if language else None)


def term_json(term: Term | None) -> dict[str, str] | None:
    """The SPARQL 1.1 Query Results JSON form of a term."""
    if term is None:
        return None
    if term.kind == "uri":
        return {"type": "uri", "value": term.value}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = term.datatype
    return out


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_literal(term: Term) -> str:
    """SPARQL syntax for a term, escaping every character that could end the token.

    Used only to write a ``VALUES`` block for remote endpoints, from typed terms.

    >>> sparql_literal(literal('x" || true || "'))
    '"x\\\\" || true || \\\\""'
    """
    if term.kind == "uri":
        return f"<{term.value}>"
    body = "".join(_ESCAPES.get(ch, ch) for ch in term.value)
    if term.language:
        return f'"{body}"@{term.language}'
    if term.datatype:
        return f'"{body}"^^<{term.datatype}>'
    return f'"{body}"'

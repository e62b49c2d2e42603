"""RDF terms across engines: the one place where rdflib, pyoxigraph and SPARQL JSON terms meet.

Query parameters are engine-neutral :class:`Term` objects. Results from every
engine are normalised to the SPARQL 1.1 JSON term form (``{"type": "uri",
"value": ...}``, plain literals without ``xsd:string``), so answers compare
across engines. Neither rdflib nor pyoxigraph is imported at module load.
"""

from __future__ import annotations

import re
import unicodedata

from exokg.errors import InputError
from exokg.vocab import XSD_STRING

TYPE_CHECKING = False  # typing stays out of a cold `exokg query run` (see exokg.cli.fast); mypy reads the name
if TYPE_CHECKING:
    from typing import Self

    import pyoxigraph
    from rdflib.term import Node

__all__ = [
    "ABSOLUTE_IRI",
    "IRI_FORBIDDEN",
    "JsonTerm",
    "Record",
    "Term",
    "from_oxigraph",
    "from_rdflib",
    "iri",
    "literal",
    "normalised_json",
    "oxigraph_json",
    "rdflib_json",
    "sparql_literal",
    "term_json",
    "to_oxigraph",
    "to_rdflib",
]

#: A term in the SPARQL 1.1 Query Results JSON form.
JsonTerm = dict[str, str]

#: Characters that may not appear in an IRI (RFC 3987 minus what SPARQL and N-Triples forbid).
IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class Record:
    """An immutable record compared, hashed, shown and pickled by its ``__slots__``, like a frozen dataclass.

    ``__slots__`` lists the fields in the order ``__init__`` takes them.

    Records on the path of a cold ``exokg query run`` are not dataclasses or NamedTuples:
    importing dataclasses (it imports inspect) and typing cost that command 11 ms of CPU.
    """

    __slots__: tuple[str, ...] = ()

    def __init__(self, *values: object) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a {type(self).__name__}")

    def __reduce__(self) -> tuple[type[Record], tuple[object, ...]]:
        return type(self), self._values()

    def replace(self, **changes: object) -> Self:
        """A copy with ``changes`` (what ``dataclasses.replace`` did for these records).

        >>> Term("uri", "http://example.org/a").replace(value="http://example.org/b").value
        'http://example.org/b'
        """
        return type(self)(*(changes.pop(name, getattr(self, name)) for name in self.__slots__), *changes.values())


class Term(Record):
    """An IRI (``kind='uri'``) or a literal with optional datatype or language."""

    __slots__ = ("kind", "value", "datatype", "language")  # noqa: RUF023 (the fields, in order)
    kind: str
    value: str
    datatype: str | None
    language: str | None

    def __init__(self, kind: str, value: str, datatype: str | None = None, language: str | None = None) -> None:
        super().__init__(kind, value, datatype, language)


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
    if not ABSOLUTE_IRI.match(text) or IRI_FORBIDDEN.search(text):
        raise InputError(f"{value!r} is not a valid absolute IRI or known CURIE")
    return Term("uri", text)


def literal(value: str, *, datatype: str | None = None, language: str | None = None) -> Term:
    """A literal term; text is NFC-normalised like all exokg input."""
    text = unicodedata.normalize("NFC", value)
    if datatype == XSD_STRING:
        datatype = None
    return Term("literal", text, datatype, language.lower() if language else None)


def term_json(term: Term | None) -> JsonTerm | None:
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


def normalised_json(term: JsonTerm | None) -> JsonTerm | None:
    """A JSON term as an endpoint sent it, in the normal form (``typed-literal`` and ``xsd:string`` dropped)."""
    if term is None:
        return None
    if term.get("type") == "typed-literal":
        term = {**term, "type": "literal"}
    if term.get("datatype") == XSD_STRING:
        term = {k: v for k, v in term.items() if k != "datatype"}
    return term


def from_oxigraph(node: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | None) -> Term | None:
    """The engine-neutral term of a pyoxigraph term."""
    import pyoxigraph

    if node is None:
        return None
    if isinstance(node, pyoxigraph.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, pyoxigraph.BlankNode):
        return Term("bnode", node.value)
    if node.language:
        return Term("literal", node.value, language=node.language)
    datatype = node.datatype.value
    return Term("literal", node.value, None if datatype == XSD_STRING else datatype)


def from_rdflib(node: Node | None) -> Term | None:
    """The engine-neutral term of an rdflib term."""
    from rdflib import BNode, Literal, URIRef

    if node is None:
        return None
    if isinstance(node, URIRef):
        return Term("uri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if not isinstance(node, Literal):
        raise TypeError(f"unsupported RDF term {node!r}")
    if node.language:
        return Term("literal", str(node), language=node.language)
    datatype = str(node.datatype) if node.datatype is not None else None
    return Term("literal", str(node), None if datatype == XSD_STRING else datatype)


def to_rdflib(term: Term) -> Node:
    """The rdflib term of an engine-neutral term (blank nodes keep their label)."""
    from rdflib import BNode, Literal, URIRef

    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype) if term.datatype else None)


def to_oxigraph(term: Term) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    """The pyoxigraph term of an engine-neutral term (blank nodes keep their label)."""
    import pyoxigraph

    if term.kind == "uri":
        return pyoxigraph.NamedNode(term.value)
    if term.kind == "bnode":
        return pyoxigraph.BlankNode(term.value)
    if term.language:
        return pyoxigraph.Literal(term.value, language=term.language)
    datatype = pyoxigraph.NamedNode(term.datatype) if term.datatype else None
    return pyoxigraph.Literal(term.value, datatype=datatype)


def oxigraph_json(node: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | None) -> JsonTerm | None:
    """A pyoxigraph result term in the normal JSON form."""
    return term_json(from_oxigraph(node))


def rdflib_json(node: Node | None) -> JsonTerm | None:
    """An rdflib result term in the normal JSON form."""
    return term_json(from_rdflib(node))

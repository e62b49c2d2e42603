"""Page data: the statements about one resource, shaped for the templates.

Every query is a ``.rq`` file in ``serve/queries/`` run through the worker pool with
typed bindings; this module only groups the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from exokg.serve import backend
from exokg.serve.pool import WorkerPool

__all__ = ["Link", "Linker", "ResourceView", "page_query", "run_page_query"]

RDF_TYPE, RDFS_LABEL, DEFINITION = backend.RDF_TYPE, backend.RDFS_LABEL, backend.DEFINITION
SYNONYM, XREF, EXACT_MATCH, OWL_CLASS = (
    backend.EXACT_SYNONYM,
    backend.HAS_DBXREF,
    backend.EXACT_MATCH,
    backend.OWL_CLASS,
)
INFERRED = backend.GRAPH + "inferred"
V = backend.EXOKG
CLAIM_CORE = {
    V + "claimSubject", V + "claimRelation", V + "claimObject", V + "paraphrase", V + "inSection", V + "statedIn",
    V + "citesReference", V + "hasEvidence", V + "knowledgeLevel", V + "agentType", V + "curationNote",
    RDF_TYPE, RDFS_LABEL,
}  # fmt: skip

Row = dict[str, dict[str, str]]


@cache
def page_query(name: str) -> str:
    """The text of ``serve/queries/{name}.rq`` (package data, read once)."""
    return (files("exokg.serve") / "queries" / f"{name}.rq").read_text(encoding="utf-8")


async def run_page_query(pool: WorkerPool, name: str, **iris: str) -> list[Row]:
    bindings = {key: {"kind": "uri", "value": value} for key, value in iris.items()}
    answer = await pool.call({"op": "select", "query": page_query(name), "bindings": bindings})
    rows: list[Row] = answer["rows"]
    return rows


@dataclass(frozen=True)
class Link:
    """Something to show: its text, where it links to (local path or resolver) and the full IRI."""

    text: str
    href: str | None = None
    iri: str | None = None
    external: bool = False


class Linker:
    """Turns IRIs and CURIEs into links: exokg IRIs to this server's pages, others to their resolvers."""

    def __init__(self, prefix_map: dict[str, str]) -> None:
        self.prefix_map = prefix_map

    def href(self, iri: str) -> str:
        if iri.startswith(backend.BASE):
            return "/" + iri[len(backend.BASE) :]
        return iri

    def curie(self, iri: str) -> str:
        return backend.compress(iri, prefix_map=self.prefix_map) or iri

    def iri(self, iri: str, label: str | None = None) -> Link:
        local = iri.startswith(backend.BASE)
        safe = iri.startswith(("http://", "https://"))
        return Link(label or self.curie(iri), self.href(iri) if local or safe else None, iri, external=not local)

    def term(self, term: dict[str, str] | None, label: dict[str, str] | None = None) -> Link:
        if term is None:
            return Link("")
        if term["type"] == "uri":
            return self.iri(term["value"], label["value"] if label else None)
        if term["type"] == "bnode":
            return Link("(an anonymous class expression)")
        return Link(term["value"])

    def xref(self, curie: str) -> Link:
        prefix, sep, local = curie.partition(":")
        if sep and prefix in self.prefix_map:
            return Link(curie, self.prefix_map[prefix] + local, self.prefix_map[prefix] + local, external=True)
        return Link(curie)


@dataclass
class Statement:
    property: Link
    value: Link
    inferred: bool


@dataclass
class ClaimView:
    iri: str
    link: Link
    paraphrase: str = ""
    subject: Link | None = None
    relation: Link | None = None
    object: Link | None = None
    section: Link | None = None
    source: Link | None = None
    references: list[Link] = field(default_factory=list)
    evidence: list[Link] = field(default_factory=list)
    knowledge_level: str = ""
    agent_type: str = ""
    notes: list[str] = field(default_factory=list)
    qualifiers: list[tuple[Link, Link]] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)


@dataclass
class ResourceView:
    iri: str
    label: str
    curie: str
    definitions: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    types: list[tuple[Link, bool]] = field(default_factory=list)
    xrefs: list[Link] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    type_iris: set[str] = field(default_factory=set)

    @property
    def is_class(self) -> bool:
        return OWL_CLASS in self.type_iris


def resource_view(iri: str, rows: list[Row], linker: Linker) -> ResourceView | None:
    """Group the rows of ``resource-triples.rq``; None when nothing is said about ``iri``."""
    if not rows:
        return None
    view = ResourceView(iri, "", linker.curie(iri))
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        prop, value = row["property"]["value"], row["value"]
        inferred = row["graph"]["value"] == INFERRED
        key = (prop, value["type"], value["value"])
        if key in seen:
            continue
        seen.add(key)
        if prop == RDFS_LABEL and not view.label:
            view.label = value["value"]
        elif prop == DEFINITION:
            view.definitions.append(value["value"])
        elif prop == SYNONYM:
            view.synonyms.append(value["value"])
        elif prop == RDF_TYPE:
            view.type_iris.add(value["value"])
            view.types.append((linker.term(value, row.get("valueLabel")), inferred))
        elif prop == XREF:
            view.xrefs.append(linker.xref(value["value"]))
        elif prop == EXACT_MATCH:
            view.xrefs.append(linker.term(value))
        elif prop != RDFS_LABEL:
            view.statements.append(
                Statement(
                    linker.term(row["property"], row.get("propertyLabel")),
                    linker.term(value, row.get("valueLabel")),
                    inferred,
                )
            )
    view.label = view.label or view.curie
    unique: dict[str | None, Link] = {}
    for link in view.xrefs:  # a CURIE xref and its exact-match IRI are one identifier
        unique.setdefault(link.href or link.text, link)
    view.xrefs = list(unique.values())
    return view


def claim_views(rows: list[Row], linker: Linker) -> list[ClaimView]:
    """Group the rows of ``resource-claims.rq`` (or of one claim's statements) into claims."""
    claims: dict[str, ClaimView] = {}
    for row in sorted(rows, key=_claim_row_order):
        iri = row["claim"]["value"]
        claim = claims.setdefault(iri, ClaimView(iri, linker.iri(iri, iri.rsplit("/", 1)[-1])))
        if "role" in row:
            claim.roles.add(row["role"]["value"])
        _add_claim_statement(claim, row["property"]["value"], row["value"], row.get("valueLabel"), linker)
    return list(claims.values())


def _claim_row_order(row: Row) -> tuple[str, str, str]:
    return (row["claim"]["value"], row["property"]["value"], row["value"]["value"])


def _add_claim_statement(claim: ClaimView, prop: str, value: dict[str, str], label: Any, linker: Linker) -> None:
    link = linker.term(value, label)
    if prop == V + "paraphrase":
        claim.paraphrase = value["value"]
    elif prop == V + "claimSubject":
        claim.subject = link
    elif prop == V + "claimRelation":
        claim.relation = link
    elif prop == V + "claimObject":
        claim.object = link
    elif prop == V + "inSection":
        claim.section = link
    elif prop == V + "statedIn":
        claim.source = link
    elif prop == V + "citesReference":
        claim.references.append(link)
    elif prop == V + "hasEvidence":
        claim.evidence.append(link)
    elif prop == V + "knowledgeLevel":
        claim.knowledge_level = value["value"]
    elif prop == V + "agentType":
        claim.agent_type = value["value"]
    elif prop == V + "curationNote":
        claim.notes.append(value["value"])
    elif prop not in CLAIM_CORE:
        claim.qualifiers.append((linker.iri(prop, _local(prop)), link))


def _local(iri: str) -> str:
    """A readable name for a vocabulary property: ``inBodyFluid`` → ``in body fluid``."""
    name = iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return "".join(" " + c.lower() if c.isupper() else c for c in name).strip()

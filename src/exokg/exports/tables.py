"""Flat downloads for curators: ``exokg-claims.tsv`` (one row per claim) and ``exokg-cargo.tsv`` (ExoCarta-style).

Both are computed from the review graph, with labels from the ontology and gene ids and
symbols from the mapping set, so a spreadsheet user needs no SPARQL. A reference number
always comes with the PMID, DOI and citation that ``data/sources.tsv`` holds for it.

>>> from rdflib import Graph
>>> claims_table(Graph(), Graph()).splitlines()[0].split("\\t")[:4]
['claim', 'subject_id', 'subject_label', 'relation_id']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from exokg.pipeline.curation import QUALIFIER_COLUMNS
from exokg.prefixes import compress
from exokg.vocab import BIBLIOGRAPHIC_CITATION, EXOKG, REVIEW_PMID

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from exokg.mappings.sssom import Mapping as SssomMapping

__all__ = ["CARGO_COLUMNS", "CLAIM_COLUMNS", "cargo_table", "claims_table", "download_files"]

_QUALIFIERS = tuple(QUALIFIER_COLUMNS.items())  # (column, property)
CLAIM_COLUMNS = (
    "claim", "subject_id", "subject_label", "relation_id", "relation_label", "object_id", "object_label",
    *(f"{column}{part}" for column, _ in _QUALIFIERS for part in ("_id", "_label")),
    "direction", "section_id", "section_label", "reference_numbers", "reference_pmids", "reference_dois",
    "reference_citations", "evidence_id", "evidence_label", "paraphrase", "note",
)  # fmt: skip
CARGO_COLUMNS = (
    "molecule", "molecule_id", "type", "gene_symbol", "gene_id", "species", "vesicle", "vesicle_id",
    "source_cell", "cancer", "body_fluid", "pmid", "reference_numbers", "review_pmid", "claim",
)  # fmt: skip
_QUALIFIER = re.compile(r"\s+\((?:class|exokg)\)$")  # the naming rule's qualifier (decision 0011)


def download_files(review: Graph, ontology: Graph) -> dict[str, str]:
    """The downloads of a build, by file name."""
    from exokg.mappings.sssom import read_sssom

    return {"exokg-claims.tsv": claims_table(review, ontology),
            "exokg-cargo.tsv": cargo_table(review, ontology, read_sssom()[1])}  # fmt: skip


class _Lookup:
    """Labels and claim properties over the review and ontology graphs."""

    def __init__(self, review: Graph, ontology: Graph) -> None:
        from rdflib import RDFS

        self.review = review
        self.labels = {str(s): str(o) for g in (ontology, review) for s, o in g.subject_objects(RDFS.label)}

    def values(self, node: Node, name: str) -> list[str]:
        from rdflib import URIRef

        return sorted(str(v) for v in self.review.objects(node, URIRef(EXOKG + name)))

    def one(self, node: Node, name: str) -> str:
        found = self.values(node, name)
        return found[0] if found else ""

    def label(self, iri: str) -> str:
        return _QUALIFIER.sub("", self.labels.get(iri, ""))

    def references(self, claim: Node) -> tuple[list[str], list[str], list[str], list[str]]:
        """(numbers, PMIDs, DOIs, citations) of the references a claim cites, by reference number."""
        from rdflib import URIRef

        rows = []
        for reference in self.values(claim, "citesReference"):
            node = URIRef(reference)
            citation = self.review.value(node, URIRef(BIBLIOGRAPHIC_CITATION))
            rows.append((int(self.one(node, "referenceNumber") or 0), self.one(node, "pmid"), self.one(node, "doi"),
                         str(citation) if citation is not None else ""))  # fmt: skip
        rows.sort()
        return ([str(r[0]) for r in rows], [r[1] for r in rows if r[1]], [r[2] for r in rows if r[2]],
                [r[3] for r in rows if r[3]])  # fmt: skip


def _claims(review: Graph) -> list[Node]:
    from rdflib import RDF, URIRef

    return sorted(review.subjects(RDF.type, URIRef(EXOKG + "Claim")), key=str)


def _curie(iri: str) -> str:
    return compress(iri) or iri if iri else ""


def claims_table(review: Graph, ontology: Graph) -> str:
    """``exokg-claims.tsv``: one row per claim, ids and labels of every part, references with PMID/DOI."""
    look = _Lookup(review, ontology)
    rows = []
    for claim in _claims(review):
        subject, relation, obj = (look.one(claim, n) for n in ("claimSubject", "claimRelation", "claimObject"))
        cells = [_curie(str(claim)), _curie(subject), look.label(subject), _curie(relation), look.label(relation),
                 _curie(obj), look.label(obj)]  # fmt: skip
        for _, prop in _QUALIFIERS:
            found = look.values(claim, prop)
            cells += ["|".join(_curie(v) for v in found), "|".join(look.label(v) for v in found)]
        section, evidence = look.one(claim, "inSection"), look.one(claim, "hasEvidence")
        numbers, pmids, dois, citations = look.references(claim)
        cells += [look.label(look.one(claim, "hasDirection")).lower(), _curie(section), look.label(section),
                  "|".join(numbers), "|".join(pmids), "|".join(dois), " | ".join(citations), _curie(evidence),
                  look.label(evidence), look.one(claim, "paraphrase"), look.one(claim, "curationNote")]  # fmt: skip
        rows.append(cells)
    return _tsv(CLAIM_COLUMNS, rows)


def cargo_table(review: Graph, ontology: Graph, mappings: Iterable[SssomMapping]) -> str:
    """``exokg-cargo.tsv``: one row per molecule a vesicle carries (``hasCargo`` / ``isCargoOf`` claims).

    ``pmid`` holds the PMIDs of the cited references that have one; ``review_pmid`` the review's.
    """
    from rdflib import RDF, URIRef

    look = _Lookup(review, ontology)
    genes = _gene_links(mappings)
    rows = []
    for claim in _claims(review):
        relation = look.one(claim, "claimRelation").removeprefix(EXOKG)
        if relation not in ("hasCargo", "isCargoOf"):
            continue
        vesicle, molecule = look.one(claim, "claimSubject"), look.one(claim, "claimObject")
        if relation == "isCargoOf":
            vesicle, molecule = molecule, vesicle
        types = sorted(look.label(str(t)) for t in review.objects(URIRef(molecule), RDF.type)
                       if str(t).startswith(EXOKG))  # fmt: skip
        symbol, gene_id = genes.get(_curie(molecule), ("", ""))
        numbers, pmids, _, _ = look.references(claim)
        rows.append([
            look.label(molecule), _curie(molecule), "|".join(types), symbol, gene_id,
            _labels(look, claim, "inSpecies"), look.label(vesicle), _curie(vesicle),
            _labels(look, claim, "sourceCell"), _labels(look, claim, "inCancer"), _labels(look, claim, "inBodyFluid"),
            "|".join(pmids), "|".join(numbers), REVIEW_PMID, _curie(str(claim)),
        ])  # fmt: skip
    return _tsv(CARGO_COLUMNS, rows)


def _labels(look: _Lookup, claim: Node, prop: str) -> str:
    return "|".join(look.label(v) for v in look.values(claim, prop))


def _gene_links(mappings: Iterable[SssomMapping]) -> dict[str, tuple[str, str]]:
    """exokg entity CURIE → (HGNC symbol, NCBI Gene CURIE), from exact matches."""
    symbol: dict[str, str] = {}
    gene: dict[str, str] = {}
    for m in mappings:
        if m.predicate_id != "skos:exactMatch":
            continue
        if m.object_id.startswith("HGNC:"):
            symbol[m.subject_id] = m.object_label
        elif m.object_id.startswith("NCBIGene:"):
            gene[m.subject_id] = m.object_id
            symbol.setdefault(m.subject_id, m.object_label)
    return {s: (symbol.get(s, ""), gene.get(s, "")) for s in set(symbol) | set(gene)}


def _tsv(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    def clean(cell: str) -> str:
        return " ".join(cell.split()) if any(ch in cell for ch in "\t\r\n") else cell

    lines = ["\t".join(columns), *("\t".join(clean(c) for c in row) for row in rows)]
    return "\n".join(lines) + "\n"

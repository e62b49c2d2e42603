"""exokg.exports.tables: the flat downloads exokg-claims.tsv and exokg-cargo.tsv, checked against the curated tables."""

from __future__ import annotations

import pytest
from rdflib import Graph

from exokg.exports.tables import CARGO_COLUMNS, CLAIM_COLUMNS, download_files
from exokg.io.tables import read_table
from exokg.pipeline.assemble import assemble
from exokg.pipeline.curation import QUALIFIER_COLUMNS, load_curation
from exokg.resources import data_dir


def _rows(text: str) -> list[dict[str, str]]:
    header, *lines = text.rstrip("\n").split("\n")
    return [dict(zip(header.split("\t"), line.split("\t"), strict=True)) for line in lines]


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    graphs = assemble()
    return download_files(graphs.review, graphs.ontology)


def test_one_claim_row_per_claim_with_every_qualifier(files: dict[str, str]) -> None:
    rows = _rows(files["exokg-claims.tsv"])
    assert files["exokg-claims.tsv"].split("\n")[0].split("\t") == list(CLAIM_COLUMNS)
    curation = load_curation()
    assert len(rows) == len(curation.claims)
    assert {f"{column}_id" for column in QUALIFIER_COLUMNS} <= set(CLAIM_COLUMNS)
    c001 = next(r for r in rows if r["claim"] == "exokg.claim:soung2016-c001")
    assert (c001["subject_label"], c001["relation_label"], c001["object_label"]) == (
        "intercellular communication", "mediated by", "exosome")  # fmt: skip
    assert c001["cancer_id"] == "exokg.entity:cancer" and c001["evidence_id"] == "ECO:0000303"
    assert c001["section_label"] == "Abstract" and c001["paraphrase"].startswith("Exosomes")


def test_reference_numbers_carry_the_pmid_and_doi_of_sources_tsv(files: dict[str, str]) -> None:
    sources = {row["number"]: row for row in read_table(data_dir() / "sources.tsv", required=("id", "number"))}
    rows = [r for r in _rows(files["exokg-claims.tsv"]) if r["reference_numbers"]]
    assert rows
    for row in rows:
        numbers = row["reference_numbers"].split("|")
        assert row["reference_pmids"].split("|") == [sources[n]["pmid"] for n in numbers if sources[n]["pmid"]] or (
            row["reference_pmids"] == "" and not any(sources[n]["pmid"] for n in numbers))  # fmt: skip
        assert set(filter(None, row["reference_dois"].split("|"))) == {sources[n]["doi"] for n in numbers} - {""}


def test_cargo_table_is_exocarta_shaped(files: dict[str, str]) -> None:
    rows = _rows(files["exokg-cargo.tsv"])
    assert files["exokg-cargo.tsv"].split("\n")[0].split("\t") == list(CARGO_COLUMNS)
    cd63 = next(r for r in rows if r["molecule_id"] == "exokg.entity:cd63")
    assert (cd63["gene_symbol"], cd63["gene_id"], cd63["type"]) == ("CD63", "NCBIGene:967", "tetraspanin")
    assert cd63["vesicle"] == "exosome" and cd63["review_pmid"] == "26592936"
    egfrviii = next(r for r in rows if r["claim"] == "exokg.claim:soung2016-c606")
    assert egfrviii["molecule"] == "EGFRvIII"
    assert (egfrviii["species"], egfrviii["cancer"], egfrviii["body_fluid"]) == (
        "Homo sapiens", "glioblastoma", "blood serum")  # fmt: skip
    curation = load_curation()
    cargo_claims = [c for c in curation.claims if c.relation in ("hasCargo", "isCargoOf")]
    assert len(rows) == len(cargo_claims)


def test_empty_graph_gives_headers_only() -> None:
    assert download_files(Graph(), Graph())["exokg-claims.tsv"].count("\n") == 1


def test_citation_cff_cites_exokg_and_the_review() -> None:
    import yaml

    from exokg._version import package_version
    from exokg.resources import data_dir as _data
    from exokg.vocab import REVIEW_DOI, REVIEW_PMID

    citation = yaml.safe_load((_data().parent / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["title"].startswith("exokg")
    assert citation["version"] == package_version()  # one version: pyproject's
    review = citation["references"][0]
    assert review["doi"] == REVIEW_DOI and review["identifiers"][0]["value"] == f"PMID:{REVIEW_PMID}"
    assert [a["family-names"] for a in review["authors"]] == ["Soung", "Nguyen", "Cao", "Lee", "Chung"]

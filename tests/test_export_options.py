"""``exokg export``: --ids and --graph are honoured by every format, or refused with a reason, never ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from exokg.errors import InputError
from exokg.exports.formats import run_export

MIR21_ENTITY = "https://w3id.org/exokg/entity/mir-21"
MIR21_MATURE = "https://identifiers.org/mirbase.mature:MIMAT0000076"
RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}


def _export(dist: Path, tmp_path: Path, fmt: str, *, graph: str = "all", ids: str | None = None) -> Path:
    out = tmp_path / f"out-{fmt}-{graph}-{ids}"
    run_export(dist=dist, fmt=fmt, graph_name=graph, ids=ids, output=str(out))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_ids_external_rewrites_every_rdf_format(dist: Path, tmp_path: Path, fmt: str) -> None:
    plain = Graph().parse(_export(dist, tmp_path, fmt, graph="review"), format=RDF_FORMATS[fmt])
    external = Graph().parse(_export(dist, tmp_path, fmt, graph="review", ids="external"), format=RDF_FORMATS[fmt])
    assert MIR21_ENTITY in {str(s) for s in plain.subjects()}
    assert MIR21_ENTITY not in {str(s) for s in external.subjects()}
    assert MIR21_MATURE in {str(s) for s in external.subjects()}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_graph_selects_the_named_graph_in_every_rdf_format(dist: Path, tmp_path: Path, fmt: str) -> None:
    ontology = Graph().parse(_export(dist, tmp_path, fmt, graph="ontology"), format=RDF_FORMATS[fmt])
    review = Graph().parse(_export(dist, tmp_path, fmt, graph="review"), format=RDF_FORMATS[fmt])
    assert MIR21_ENTITY not in {str(s) for s in ontology.subjects()}
    assert MIR21_ENTITY in {str(s) for s in review.subjects()}
    assert len(ontology) != len(review)


@pytest.mark.slow
def test_trig_honours_graph_and_ids(dist: Path, tmp_path: Path) -> None:
    dataset = Dataset()
    dataset.parse(_export(dist, tmp_path, "trig", graph="review", ids="external"), format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {"https://w3id.org/exokg/graph/review"}
    subjects = {str(s) for s, _, _, _ in dataset.quads()}
    assert MIR21_MATURE in subjects and MIR21_ENTITY not in subjects


@pytest.mark.slow
def test_kgx_ids_default_external_and_exokg_on_request(dist: Path, tmp_path: Path) -> None:
    default = _export(dist, tmp_path, "kgx")
    exokg = _export(dist, tmp_path, "kgx", ids="exokg")
    default_ids = {json.loads(line)["id"] for line in Path(f"{default}_nodes.jsonl").read_text().splitlines()}
    exokg_ids = {json.loads(line)["id"] for line in Path(f"{exokg}_nodes.jsonl").read_text().splitlines()}
    assert "NCBIGene:967" in default_ids and "exokg.entity:cd63" not in default_ids
    assert "exokg.entity:cd63" in exokg_ids and all(i.startswith("exokg.entity:") for i in exokg_ids)
    metadata = json.loads(Path(f"{default}_graph.json").read_text())
    assert metadata["curie_map"]["exokg.entity"] == "https://w3id.org/exokg/entity/"
    assert metadata["knowledge_source"] == "infores:exokg"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fmt", "graph", "ids", "message"),
    [
        ("kgx", "ontology", None, "KGX holds the review's entities and claims"),
        ("kgx", "mappings", None, "KGX holds the review's entities and claims"),
        ("sssom", "review", None, "SSSOM holds the mapping set"),
        ("sssom", "all", "external", "--ids external does not apply"),
    ],
)
def test_an_option_a_format_cannot_honour_is_refused(
    dist: Path, tmp_path: Path, fmt: str, graph: str, ids: str | None, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        _export(dist, tmp_path, fmt, graph=graph, ids=ids)


@pytest.mark.slow
def test_kgx_review_and_all_are_the_same_graph(dist: Path, tmp_path: Path) -> None:
    review, union = _export(dist, tmp_path, "kgx", graph="review"), _export(dist, tmp_path, "kgx", graph="all")
    assert Path(f"{review}_edges.tsv").read_bytes() == Path(f"{union}_edges.tsv").read_bytes()

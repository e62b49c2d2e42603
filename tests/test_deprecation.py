"""Deprecation: obsolete/replaced_by/consider columns become owl:deprecated, IAO:0100001 and oboInOwl:consider;
a deprecated term keeps its IRI, and QC refuses a claim that still uses it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDFS, Graph, Literal, URIRef

from exokg.errors import InputError
from exokg.pipeline.assemble import merged
from exokg.pipeline.curation import DEPRECATION_COLUMNS, ENTITY_COLUMNS, load_curation
from exokg.pipeline.ontology import data_property_ranges, load_ontology
from exokg.pipeline.populate import build_review_graph
from exokg.pipeline.validate.qc import load_qc_queries, run_qc
from exokg.pipeline.validate.report import run_report
from exokg.resources import data_dir, ontology_dir
from exokg.vocab import CONSIDER, ENTITY, EXOKG, TERM_REPLACED_BY

CD9, CD81, CD82 = (URIRef(ENTITY + name) for name in ("cd9", "cd81", "cd82"))


def _retire(table: Path, row_id: str, cells: tuple[str, str, str], *, columns: int) -> None:
    """Fill the deprecation columns on row ``row_id``, adding them to ``table``'s header if it lacks them."""
    lines = table.read_text(encoding="utf-8").rstrip("\n").split("\n")
    if "obsolete" not in lines[0].split("\t"):
        lines[0] += "\t" + "\t".join(DEPRECATION_COLUMNS)
    for i, line in enumerate(lines[1:], start=1):
        parts = line.split("\t")
        if parts[0] == row_id:
            lines[i] = "\t".join(parts + [""] * (columns - len(parts)) + list(cells))
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _entity_table(folder: Path, entity_id: str) -> Path:
    return next(p for p in sorted((folder / "entities").glob("*.tsv"))
                if any(line.split("\t", 1)[0] == entity_id for line in p.read_text().splitlines()))  # fmt: skip


@pytest.fixture(scope="module")
def retired(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Graph]:
    """The review graph with CD9 obsolete (replaced by CD81, consider CD82), and the ontology."""
    data = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(data_dir(), data)
    _retire(_entity_table(data, "cd9"), "cd9", ("true", "cd81", "cd82"), columns=len(ENTITY_COLUMNS))
    review = build_review_graph(load_curation(data), datatypes=data_property_ranges())
    return review, load_ontology()


def test_entity_columns_become_owl_deprecated_iao_and_consider(retired: tuple[Graph, Graph]) -> None:
    review, _ = retired
    assert review.value(CD9, OWL.deprecated) == Literal(True)
    assert review.value(CD9, URIRef(TERM_REPLACED_BY)) == CD81
    assert review.value(CD9, URIRef(CONSIDER)) == CD82
    assert str(review.value(CD9, RDFS.label)) == "obsolete CD9"
    assert review.value(CD81, OWL.deprecated) is None


def test_qc_refuses_a_claim_that_uses_a_deprecated_term(retired: tuple[Graph, Graph]) -> None:
    review, ontology = retired
    query = [q for q in load_qc_queries() if q.name == "deprecated-reference-violation"]
    rows = run_qc(merged(ontology, review), query)
    claims = {str(row.focus) for row in rows if str(row.focus).startswith("https://w3id.org/exokg/claim/")}
    using_cd9 = {str(c) for c in review.subjects(None, CD9) if str(c).startswith("https://w3id.org/exokg/claim/")}
    assert using_cd9 and using_cd9 <= claims
    assert str(CD9) in {str(row.value) for row in rows}


def test_a_deprecated_class_in_use_is_an_obo_report_error(tmp_path: Path) -> None:
    ontology = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), ontology)
    header = (ontology / "templates" / "classes.tsv").read_text().split("\n", 1)[0].split("\t")
    _retire(
        ontology / "templates" / "classes.tsv", "Flotillin", ("true", "Protein", ""), columns=header.index("obsolete")
    )
    graph = load_ontology(ontology)
    flotillin = URIRef(EXOKG + "Flotillin")
    assert graph.value(flotillin, OWL.deprecated) == Literal(True)
    assert graph.value(flotillin, URIRef(TERM_REPLACED_BY)) == URIRef(EXOKG + "Protein")
    assert (flotillin, None, None) in graph  # the IRI stays
    review = build_review_graph(load_curation(), datatypes=data_property_ranges())
    report = run_report(merged(graph, review), allow={})
    users = {row.entity for row in report.rows if row.check == "deprecated_class_reference"}
    assert "exokg.entity:flotillin" in users


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (("yes", "", ""), "column 'obsolete' must be true, false or empty"),
        (("false", "cd81", ""), "replaced_by and consider are for obsolete rows"),
        (("true", "cd81|cd82", ""), "replaced_by takes one term"),
    ],
)
def test_malformed_deprecation_is_refused(tmp_path: Path, cells: tuple[str, str, str], message: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    _retire(_entity_table(data, "cd9"), "cd9", cells, columns=len(ENTITY_COLUMNS))
    with pytest.raises(InputError, match=message):
        build_review_graph(load_curation(data), datatypes=data_property_ranges())

"""exokg.pipeline.validate.report: the OBO report (ROBOT's report checks as exokg's own queries)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from exokg.errors import InputError
from exokg.io.rdf import parse_file
from exokg.pipeline.assemble import assemble
from exokg.pipeline.validate.report import (
    LEVELS,
    OboReport,
    load_report_checks,
    parse_report_check,
    report_scopes,
    run_report,
    write_obo_reports,
)

BROKEN = Path(__file__).parent / "data" / "report" / "broken.ttl"
#: ROBOT's report profile: each check and its level.
ROBOT_LEVELS = {
    "deprecated_boolean_datatype": "ERROR", "deprecated_class_reference": "ERROR",
    "deprecated_property_reference": "ERROR", "duplicate_definition": "ERROR", "duplicate_label": "ERROR",
    "label_formatting": "ERROR", "label_whitespace": "ERROR", "misused_obsolete_label": "ERROR",
    "missing_label": "ERROR", "missing_ontology_description": "ERROR", "missing_ontology_license": "ERROR",
    "missing_ontology_title": "ERROR", "multiple_definitions": "ERROR", "multiple_equivalent_classes": "ERROR",
    "multiple_labels": "ERROR",
    "annotation_whitespace": "WARN", "duplicate_exact_synonym": "WARN", "equivalent_pair": "WARN",
    "invalid_xref": "WARN", "missing_definition": "WARN", "missing_obsolete_label": "WARN",
    "misused_replaced_by": "WARN", "missing_subset_declaration": "WARN", "missing_synonymtype_declaration": "WARN",
    "lowercase_definition": "INFO", "missing_superclass": "INFO",
}  # fmt: skip


@pytest.fixture(scope="module")
def scopes() -> list[OboReport]:
    graphs = assemble()
    return report_scopes(graphs.ontology, graphs.data())


@pytest.fixture(scope="module")
def broken() -> OboReport:
    return run_report(parse_file(Graph(), BROKEN), scope="fixture", allow={})


def test_every_check_is_shipped_at_robots_level() -> None:
    assert {check.name: check.level for check in load_report_checks()} == ROBOT_LEVELS


@pytest.mark.slow
def test_no_error_on_the_ontology_nor_on_the_full_graph(scopes: list[OboReport]) -> None:
    assert [report.scope for report in scopes] == ["ontology", "full"]
    for report in scopes:
        errors = [row for row in report.rows if row.level == "ERROR"]
        assert not errors, f"{report.scope}: {errors[:5]}"


@pytest.mark.slow
def test_labels_and_definitions_are_distinct_on_the_full_graph(scopes: list[OboReport]) -> None:
    full = scopes[1]
    assert not [row for row in full.rows if row.check in ("duplicate_label", "duplicate_definition")]


def test_every_check_fires_on_the_broken_fixture(broken: OboReport) -> None:
    fired = {row.check for row in broken.rows}
    assert fired == set(ROBOT_LEVELS), f"silent: {sorted(set(ROBOT_LEVELS) - fired)}"


@pytest.mark.parametrize(
    ("check", "entity"),
    [
        ("deprecated_class_reference", "exokg:UsesOld"),
        ("deprecated_property_reference", "exokg:UsesOldProp"),
        ("deprecated_boolean_datatype", "exokg:StringDeprecated"),
        ("duplicate_label", "exokg:TwinA"),
        ("duplicate_label", "exokg:TwinB"),
        ("duplicate_definition", "exokg:TwinB"),
        ("label_formatting", "exokg:TwoLines"),
        ("label_whitespace", "exokg:Spacey"),
        ("misused_obsolete_label", "exokg:NotObsolete"),
        ("missing_label", "exokg:NoLabel"),
        ("multiple_definitions", "exokg:TwoDefinitions"),
        ("multiple_labels", "exokg:TwoLabels"),
        ("multiple_equivalent_classes", "exokg:TwoExpressions"),
        ("missing_obsolete_label", "exokg:DeprecatedNoPrefix"),
        ("misused_replaced_by", "exokg:Replaced"),
        ("lowercase_definition", "exokg:Lower"),
    ],
)
def test_check_names_the_offending_term(broken: OboReport, check: str, entity: str) -> None:
    assert entity in {row.entity for row in broken.rows if row.check == check}


def test_well_formed_terms_are_not_reported(broken: OboReport) -> None:
    assert "exokg:EqB" not in {row.entity for row in broken.rows if row.check != "equivalent_pair"}
    assert not [row for row in broken.rows if row.entity == "exokg:Top" and row.check != "missing_superclass"]


def test_allow_list_holds_back_intended_findings() -> None:
    graph = parse_file(Graph(), BROKEN)
    report = run_report(graph, allow={("missing_label", "exokg:NoLabel"): "intended in this test"})
    assert "exokg:NoLabel" not in {row.entity for row in report.rows if row.check == "missing_label"}
    assert report.allowed == 1


def test_written_report_has_robots_columns(tmp_path: Path, broken: OboReport) -> None:
    write_obo_reports([broken], tmp_path)
    lines = (tmp_path / "obo-report.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Scope\tLevel\tRule Name\tSubject\tProperty\tValue"
    assert len(lines) == len(broken.rows) + 1
    assert all(line.split("\t")[1] in LEVELS for line in lines[1:])
    assert "ERROR" in (tmp_path / "obo-report.txt").read_text(encoding="utf-8")


def test_bad_report_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "duplicate_label.rq"
    path.write_text("# name: duplicate_label\n# level: FATAL\n# checks: x\n# fix: y\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(InputError, match="level must be one of ERROR, WARN, INFO"):
        parse_report_check(path)

"""The command line as a user meets it: help, version, export, coverage, reason, links."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef

from exokg.cli.main import cli

REPO = Path(__file__).resolve().parents[1]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_python_dash_m_and_help_with_examples() -> None:
    done = subprocess.run([sys.executable, "-m", "exokg", "--help"], capture_output=True, text=True, check=True)
    assert "build" in done.stdout and "query" in done.stdout and "Example" in done.stdout
    code, output = invoke("build", "--help")
    assert code == 0 and "exokg build --out dist" in output


def test_version() -> None:
    code, output = invoke("--version")
    assert code == 0 and output.startswith("exokg, version ")


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                                    ("xml", "xml")])  # fmt: skip
def test_export_review_graph_in_each_format(dist: Path, tmp_path: Path, fmt: str, rdflib_format: str) -> None:
    target = tmp_path / f"review.{fmt}"
    code, output = invoke("export", "--dist", str(dist), "--format", fmt, "--graph", "review", "-o", str(target))
    assert code == 0, output
    exported = Graph().parse(target, format=rdflib_format)
    dataset = Dataset()
    dataset.parse(dist / "exokg.trig", format="trig")
    review = dataset.graph(URIRef("https://w3id.org/exokg/graph/review"))
    assert len(exported) == len(review) > 5000
    assert set(exported) == set(review)


def test_export_to_stdout_and_trig(dist: Path) -> None:
    code, output = invoke("export", "--dist", str(dist), "--format", "nt", "--graph", "inferred")
    assert code == 0 and output.count("\n") > 100
    code, output = invoke("export", "--dist", str(dist), "--format", "trig")
    assert code == 0 and "exokg.graph:review {" in output and "exokg.graph:inferred {" in output


def test_export_kgx_and_sssom(dist: Path, tmp_path: Path) -> None:
    code, output = invoke("export", "--dist", str(dist), "--format", "kgx", "-o", str(tmp_path / "exokg"))
    assert code == 0, output
    edges = (tmp_path / "exokg_edges.tsv").read_text(encoding="utf-8").splitlines()
    header = edges[0].split("\t")
    assert {"subject", "predicate", "object", "knowledge_level", "agent_type"} <= set(header)
    assert len(edges) > 400
    code, output = invoke("export", "--dist", str(dist), "--format", "sssom")
    assert code == 0 and "mapping_set_id" in output and "skos:exactMatch" in output


def test_export_with_external_ids(dist: Path) -> None:
    code, output = invoke("export", "--dist", str(dist), "--format", "nt", "--graph", "review", "--ids", "external")
    assert code == 0
    assert "<https://identifiers.org/mirbase.mature:MIMAT0000076>" in output  # miR-21 → hsa-miR-21-5p
    assert "<https://w3id.org/exokg/entity/mir-21>" not in output


def test_export_without_a_build_is_a_clear_error(tmp_path: Path) -> None:
    code, output = invoke("export", "--dist", str(tmp_path), "--format", "ttl")
    assert code == 2 and "run `exokg build` first" in output


def test_coverage_reports_counts_and_no_uncovered_paragraph(review_text: Path) -> None:
    code, output = invoke("coverage", "--review", str(review_text))
    assert code == 0
    assert "without a claim: 0" in output
    assert "references cited in the text but by no claim of their section: 0" in output


def test_links_check_against_the_lexicons(lexicons: Path) -> None:
    code, output = invoke("links", "check", "--lexicon", str(lexicons))
    assert code == 0, output
    assert "problems: none" in output


@pytest.mark.slow
def test_reason_explains_an_oncomir() -> None:
    code, output = invoke("reason", "--explain", "exokg.entity:mir-105")
    assert code == 0, output
    assert "consistent: yes" in output and "unsatisfiable classes: 0" in output
    assert "exokg:OncomiR" in output and "exokg:promotes" in output


def test_curation_check_passes() -> None:
    code, output = invoke("curation", "check")
    assert code == 0 and "curated tables are valid" in output


def test_manifest_is_json(dist: Path) -> None:
    assert json.loads((dist / "manifest.json").read_text(encoding="utf-8"))["name"] == "exokg"


def test_validate_a_curators_file_against_the_packaged_graph() -> None:
    addition = REPO / "tests" / "data" / "curator-addition.ttl"
    code, output = invoke("validate", "--with-review", str(addition))
    assert code == 0, output
    assert "conforms: 0 violation(s)" in output
    code, output = invoke("validate", str(addition))  # alone, the entities it points at are untyped
    assert code == 1 and "Violation" in output and "soung2016-c999" in output


def test_validate_a_store_in_place(dist: Path, tmp_path: Path) -> None:
    code, output = invoke("validate", "--store", str(dist / "store"), "--out", str(tmp_path / "report"))
    assert code == 0, output
    assert output.startswith("Validation conforms: 0 violation(s), ") and "[Warning]" in output
    assert json.loads((tmp_path / "report" / "validation-report.json").read_text(encoding="utf-8"))["conforms"]
    ontology_only = invoke(
        "validate", "--store", str(dist / "store"), "--graph", "https://w3id.org/exokg/graph/ontology"
    )
    assert ontology_only[0] == 0 and ontology_only[1] != output  # fewer graphs, other findings
    code, output = invoke("validate", "--store", str(dist / "store"), "--graph", "https://w3id.org/exokg/graph/review")
    assert code == 2 and "needs the ontology graph" in output
    code, output = invoke("validate", "--store", str(tmp_path))
    assert code == 2 and "not an Oxigraph store" in output
    code, output = invoke("validate", "--graph", "https://w3id.org/exokg/graph/review")
    assert code == 2 and "--graph needs --store" in output


@pytest.mark.parametrize(
    "command",
    [["build"], ["export"], ["validate"], ["reason"], ["coverage"], ["links", "check"], ["curation", "check"],
     ["curation", "sort"], ["query", "list"], ["query", "show"], ["query", "run"], ["sparql"]],
)  # fmt: skip
def test_every_command_shows_an_example_in_its_help(command: list[str]) -> None:
    code, output = invoke(*command, "--help")
    assert code == 0 and "Example:" in output and "exokg " in output.split("Example:")[1]


def test_sparql_declares_the_project_prefixes(dist: Path) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?claim a exokg:Claim ; exokg:claimSubject exokg.entity:mir-21 }"
    result = CliRunner().invoke(cli, ["sparql", "-", "--dist", str(dist), "--format", "csv"], input=query)
    assert result.exit_code == 0, result.output
    assert int(result.output.splitlines()[1]) > 0


def test_a_prefix_the_query_declares_wins(dist: Path) -> None:
    query = "PREFIX exokg: <urn:nothing:> ASK { ?claim a exokg:Claim }"
    result = CliRunner().invoke(cli, ["sparql", "-", "--dist", str(dist)], input=query)
    assert result.exit_code == 0 and result.output.strip() == "false"


def test_sparql_prefixes_lists_the_map() -> None:
    code, output = invoke("sparql", "--prefixes")
    assert code == 0
    assert "PREFIX exokg.entity: <https://w3id.org/exokg/entity/>" in output.splitlines()
    assert "PREFIX GO: <http://purl.obolibrary.org/obo/GO_>" in output.splitlines()


def test_sparql_without_a_file_says_what_to_give() -> None:
    code, output = invoke("sparql")
    assert code == 2 and "give a query FILE" in output


def test_a_syntax_error_shows_the_line_and_a_caret(dist: Path) -> None:
    query = "SELECT ?s WHERE {\n  ?s a exokg:Claim .\n  FILTER(?s = ) }\n"
    result = CliRunner().invoke(cli, ["sparql", "-", "--dist", str(dist)], input=query)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert "SPARQL syntax error at line 3, column 3" in lines[0]  # the user's lines, not the added prefixes
    assert lines[1] == "      FILTER(?s = ) }" and lines[2] == "      ^"
    assert "Traceback" not in result.output and "PREFIX" not in result.output

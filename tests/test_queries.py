"""The canned query catalogue: every shipped ``queries/*.rq`` parses, runs on the three engines
with identical answers, and the ``exokg query`` command lists, explains and formats them."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from exokg.cli.main import cli
from exokg.query.catalogue import PARAM_TYPES, CannedQuery, bind_parameters, load_catalogue, parse_query_file
from exokg.query.engines import Answer, Engine, OxigraphEngine, RdflibEngine
from exokg.query.guard import check_query
from exokg.query.remote import RemoteEngine
from exokg.resources import queries_dir
from exokg.vocab import GRAPH as OWN_GRAPH_PREFIX

QUERY_FILES = sorted(queries_dir().glob("*.rq"))
CATALOGUE = load_catalogue()
INFERRED_GRAPH = OWN_GRAPH_PREFIX + "inferred"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
NUMERIC = {XSD + name for name in ("decimal", "integer", "double", "float")}
_GRAPH_CLAUSE = re.compile(r"\bGRAPH\s+(<[^>]*>|\?\w+)", re.IGNORECASE)
_SELECT_CLAUSE = re.compile(r"\bSELECT\b(.*?)\bWHERE\b", re.IGNORECASE | re.DOTALL)


def _body(query: CannedQuery) -> str:
    """The query text without its comment lines."""
    return "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))


# ---- every shipped file parses and follows the house rules ------------------------------------------


def test_catalogue_has_the_competency_questions() -> None:
    assert len(QUERY_FILES) >= 22
    assert set(CATALOGUE) == {path.stem for path in QUERY_FILES}
    assert not any(path.parent.name == "qc" for path in QUERY_FILES), "QC queries live in queries/qc/"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_header_is_complete(path: Path) -> None:
    query = parse_query_file(path)
    assert query.title and query.question.endswith("?")
    assert query.example.startswith(f"exokg query run {query.name}")
    assert set(query.requires) <= {"inferred"}
    for parameter in query.parameters:
        assert parameter.type in PARAM_TYPES
        assert parameter.default and parameter.description
    bind_parameters(query, {})  # every default is a valid value of its type


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_text_follows_the_rules(path: Path) -> None:
    query = parse_query_file(path)
    body = _body(query)
    check_query(query.text)
    assert re.search(r"\bWHERE\s*\{", body), "an explicit WHERE { is where a remote VALUES block goes"
    assert re.search(r"\bORDER\s+BY\b", body), "ORDER BY makes the output deterministic"
    assert not re.search(r"\bGROUP_CONCAT\b", body, re.IGNORECASE), "GROUP_CONCAT order differs between engines"
    for graph in _GRAPH_CLAUSE.findall(body):
        assert "inferred" in query.requires and graph == f"<{INFERRED_GRAPH}>", "only the inferred graph by name"
    selected = _SELECT_CLAUSE.search(body)
    assert selected is not None
    for parameter in query.parameters:
        # used in the WHERE clause (values arrive as a VALUES block or initial bindings, so they need no projection)
        where = body[re.search(r"\bWHERE\s*\{", body).end() :]  # type: ignore[union-attr]
        assert f"?{parameter.name}" in where


# ---- `exokg query list`, `show`, unknown names ---------------------------------------------------------


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def _all_output(result: Any) -> str:
    """What the user sees: click's runner mixes stdout and stderr in ``output``."""
    return str(result.output)


def test_query_list_shows_the_catalogue() -> None:
    result = _invoke("query", "list")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) >= 20
    names = {line.split()[0] for line in lines}
    assert names == set(CATALOGUE)


def test_query_show_prints_the_file() -> None:
    result = _invoke("query", "show", "mirnas-elevated-in-cancer")
    assert result.exit_code == 0
    assert result.output == CATALOGUE["mirnas-elevated-in-cancer"].text


def test_unknown_query_lists_the_valid_ones(dist: Path) -> None:
    result = _invoke("query", "run", "no-such-query", "--dist", str(dist))
    assert result.exit_code == 2
    message = _all_output(result)
    assert "unknown query 'no-such-query'" in message
    assert "valid queries:" in message and "common-markers" in message and "molecule-profile" in message


def test_unknown_parameter_lists_the_valid_ones(dist: Path) -> None:
    result = _invoke("query", "run", "mirnas-elevated-in-cancer", "--param", "tumour=x", "--dist", str(dist))
    assert result.exit_code == 2
    message = _all_output(result)
    assert "no parameter 'tumour'" in message and "valid parameters: cancer" in message


def test_bad_parameter_value_is_refused(dist: Path) -> None:
    result = _invoke("query", "run", "claims-citing-reference", "--param", "number=seventeen", "--dist", str(dist))
    assert result.exit_code == 2
    assert "must be an integer" in _all_output(result)


# ---- output formats -------------------------------------------------------------------------------------


def test_json_output_is_sparql_results_json(dist: Path) -> None:
    result = _invoke("query", "run", "integrin-organotropism", "--format", "json", "--dist", str(dist))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    variables = payload["head"]["vars"]
    assert variables[:2] == ["integrin", "integrinLabel"]
    bindings = payload["results"]["bindings"]
    assert len(bindings) == 3
    for binding in bindings:
        assert set(binding) <= set(variables)
        for term in binding.values():
            assert term["type"] in {"uri", "literal", "bnode"} and isinstance(term["value"], str)
    assert {"type": "literal", "value": "lung", "xml:lang": "en"} in [b["organLabel"] for b in bindings]


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_delimited_output(dist: Path, fmt: str, delimiter: str) -> None:
    result = _invoke("query", "run", "mirnas-elevated-in-cancer", "--format", fmt, "--dist", str(dist))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output), delimiter=delimiter))
    assert rows[0][:3] == ["cancer", "mirna", "mirnaLabel"]
    assert sorted(row[2] for row in rows[1:]) == ["miR-1246", "miR-3976", "miR-4306", "miR-4644"]
    assert rows[1][1].startswith("https://w3id.org/exokg/entity/mir-")  # full IRIs in CSV/TSV


def test_table_output(dist: Path) -> None:
    result = _invoke("query", "run", "mirnas-elevated-in-cancer", "--dist", str(dist))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["cancer", "mirna", "bodyFluid"]  # ?mirna and ?mirnaLabel: one column
    assert set(lines[1]) <= {"-", " "}
    assert "miR-1246" in result.output and "exokg.entity:mir-1246" not in result.output  # names, not CURIEs
    assert "exokg.claim:soung2016-c320" in result.output  # a claim is named by its id
    assert lines[-1] == "(4 rows)"


def test_parameters_from_the_command_line(dist: Path) -> None:
    result = _invoke(
        "query", "run", "mirnas-elevated-in-cancer", "--param", "cancer=exokg.entity:ovarian-cancer",
        "--format", "csv", "--dist", str(dist),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    labels = sorted(row[2] for row in list(csv.reader(io.StringIO(result.output)))[1:])
    assert labels == ["miR-200c", "miR-214"]


# ---- the three engines give the same answers ------------------------------------------------------------


@pytest.fixture(scope="module")
def engines(dist: Path, oxigraph_server: str) -> dict[str, Engine]:
    return {
        "oxigraph": OxigraphEngine.open(dist),
        "rdflib": RdflibEngine.open(dist, timeout=120),
        "remote": RemoteEngine(oxigraph_server),
    }


def _term(term: dict[str, str]) -> dict[str, str]:
    if term.get("type") == "typed-literal":
        term = {**term, "type": "literal"}
    if term.get("datatype") == XSD_STRING:
        term = {k: v for k, v in term.items() if k != "datatype"}
    if term.get("datatype") in NUMERIC:
        # rdflib writes xsd:decimal 4 as "4.0", Oxigraph as "4": compare the numbers
        term = {**term, "value": format(Decimal(term["value"]).normalize(), "f")}
    return term


def normalise(answer: Answer) -> tuple[list[str], list[dict[str, dict[str, str]]]]:
    """Variables and rows in a form every engine shares; row order is kept (the queries are ORDER BY'd)."""
    return answer.variables, [{k: _term(v) for k, v in sorted(row.items())} for row in answer.rows]


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_engines_agree(name: str, engines: dict[str, Engine]) -> None:
    query = CATALOGUE[name]
    bindings = bind_parameters(query, {})
    answers = {engine_name: normalise(engine.run(query.text, bindings)) for engine_name, engine in engines.items()}
    reference = answers["oxigraph"]
    assert reference[1], f"{name} answers nothing with its defaults"
    for engine_name, answer in answers.items():
        assert answer == reference, f"{engine_name} differs from oxigraph on {name}"


NON_DEFAULT_PARAMETERS = [
    ("mirnas-elevated-in-cancer", {"cancer": "exokg.entity:colorectal-cancer"}),
    ("cancer-profile", {"cancer": "exokg.entity:melanoma"}),
    ("molecule-profile", {"molecule": "exokg.entity:emmprin"}),
    ("entities-by-external-id", {"xref": "HGNC:1692"}),
    ("claims-citing-reference", {"number": "39"}),
    ("inferred-class-members", {"class": "exokg:CancerCellDerivedExosome"}),
    ("search-entities", {"text": "Α"}),  # Greek capital alpha: matches α case-insensitively on every engine
    ("entity-profile", {"entity": "exokg.entity:mir-21"}),
    ("chains", {"entity": "exokg.entity:exosome-secretion", "direction": "to", "steps": "3"}),
    ("claims", {"relation": "exokg:promotes", "cancer": "exokg.entity:breast-cancer"}),
]


@pytest.mark.parametrize("name, given", NON_DEFAULT_PARAMETERS, ids=[n for n, _ in NON_DEFAULT_PARAMETERS])
def test_engines_agree_on_other_parameters(name: str, given: dict[str, str], engines: dict[str, Engine]) -> None:
    query = CATALOGUE[name]
    bindings = bind_parameters(query, given)
    answers = [normalise(engine.run(query.text, bindings)) for engine in engines.values()]
    assert answers[0][1], f"{name} answers nothing with {given}: agreeing on nothing proves nothing"
    assert answers[0] == answers[1] == answers[2]


# ---- a build without reasoning --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unreasoned_dist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from exokg.pipeline.build import run_build

    out = tmp_path_factory.mktemp("dist-no-reason")
    run_build(out, reason=False)
    yield out


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(n for n, q in CATALOGUE.items() if "inferred" in q.requires))
def test_inferred_query_on_unreasoned_build_says_so(name: str, unreasoned_dist: Path) -> None:
    result = _invoke("query", "run", name, "--dist", str(unreasoned_dist))
    assert result.exit_code == 2
    message = _all_output(result)
    assert f"query {name!r} needs the inferred graph" in message and "--no-reason" in message


@pytest.mark.slow
def test_asserted_query_on_unreasoned_build_answers(unreasoned_dist: Path) -> None:
    result = _invoke("query", "run", "mirnas-elevated-in-cancer", "--format", "csv", "--dist", str(unreasoned_dist))
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 5

"""Queries cannot reach outside the graph, change it, run forever or flood the caller, on any engine;
parameter values are data, never SPARQL."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exokg.errors import QueryRefused
from exokg.query.catalogue import CannedQuery, Parameter, bind_parameters, load_catalogue
from exokg.query.engines import Engine, OxigraphEngine, QueryTimeout, RdflibEngine, with_values_block
from exokg.query.guard import check_query
from exokg.query.remote import RemoteEngine

CATALOGUE = load_catalogue()
ALL_ROWS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"

# $SERVER is the loopback request recorder: no test names a real host (a broken guard would reach it).
REFUSED = {
    "service": ("SELECT * WHERE { SERVICE <$SERVER/sparql> { ?s ?p ?o } }", "SERVICE"),
    "service-silent": ("SELECT * WHERE { SERVICE SILENT <$SERVER/silent> { ?s ?p ?o } }", "SERVICE"),
    "load": ("LOAD <$SERVER/data.ttl>", "LOAD"),
    "insert-data": ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    "delete-where": ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    "delete-insert": ("WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "update"),
    "drop-all": ("DROP ALL", "DROP"),
    "drop-graph": ("DROP GRAPH <https://w3id.org/exokg/graph/review>", "DROP"),
    "clear": ("CLEAR DEFAULT", "CLEAR"),
    "create": ("CREATE GRAPH <urn:g>", "CREATE"),
    "add": ("ADD DEFAULT TO <urn:g>", "ADD"),
    "move": ("MOVE DEFAULT TO <urn:g>", "MOVE"),
    "copy": ("COPY DEFAULT TO <urn:g>", "COPY"),
    "lower-case": ("select * where { ?s ?p ?o } ; drop all", "DROP"),
    "from-web": ("SELECT * FROM <$SERVER/x.ttl> WHERE { ?s ?p ?o }", "FROM"),
    "from-named-web": ("SELECT * FROM NAMED <$SERVER/x.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    "from-file": ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
    "from-prefixed": ("PREFIX ex: <$SERVER/> SELECT * FROM ex:x WHERE { ?s ?p ?o }", "FROM"),
}


@pytest.fixture(scope="module")
def oxigraph(dist: Path) -> OxigraphEngine:
    return OxigraphEngine.open(dist)


@pytest.fixture(scope="module")
def rdflib_engine(dist: Path) -> RdflibEngine:
    return RdflibEngine.open(dist, timeout=120)


@pytest.fixture(scope="module")
def remote(oxigraph_server: str) -> RemoteEngine:
    return RemoteEngine(oxigraph_server)


@pytest.fixture(scope="module")
def engines(oxigraph: OxigraphEngine, rdflib_engine: RdflibEngine, remote: RemoteEngine) -> dict[str, Engine]:
    return {"oxigraph": oxigraph, "rdflib": rdflib_engine, "remote": remote}


# ---- refused on every engine -----------------------------------------------------------------------------


@pytest.mark.parametrize("engine_name", ["oxigraph", "rdflib", "remote"])
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_dangerous_query_is_refused(
    case: str, engine_name: str, engines: dict[str, Engine], loopback_server: tuple[str, list[str]]
) -> None:
    url, requests = loopback_server
    text, keyword = REFUSED[case]
    with pytest.raises(QueryRefused) as refused:
        engines[engine_name].run(text.replace("$SERVER", url))
    assert keyword.lower() in str(refused.value).lower()
    assert requests == []


def test_refusal_is_reported_by_the_cli(dist: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from exokg.cli.main import cli

    query = tmp_path / "drop.rq"
    query.write_text("DROP ALL\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sparql", str(query), "--dist", str(dist)])
    assert result.exit_code == 2
    assert "exokg: error: query refused: DROP would change the store (updates are not allowed)" in result.output


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?s WHERE { ?s ?p 'SERVICE' }",  # keywords inside strings are data
        "SELECT ?load WHERE { ?load ?p ?o } LIMIT 1",  # ... and variable names
        "PREFIX ex: <http://example.org/drop#> SELECT * WHERE { ?s ex:insert ?o } LIMIT 1",
        "SELECT * FROM <https://w3id.org/exokg/graph/review> WHERE { ?s ?p ?o } LIMIT 1",  # exokg's own graphs
    ],
)
def test_harmless_queries_pass_the_guard(text: str) -> None:
    check_query(text)


# ---- FROM a foreign graph: no request is made, no file is read ---------------------------------------------


class _OpenWatch:
    """An audit hook (installed once per process) that reports opens of one watched path through a pipe,
    so opens in the engine's forked child are seen too."""

    installed = False
    target: str | None = None
    write_fd: int | None = None

    @classmethod
    def install(cls) -> None:
        if not cls.installed:
            sys.addaudithook(cls._hook)
            cls.installed = True

    @classmethod
    def _hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and cls.target and cls.write_fd is not None and args and str(args[0]) == cls.target:
            os.write(cls.write_fd, b"!")


@pytest.fixture()
def secret_file(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A Turtle file whose opening, by this process or its children, is written to a pipe."""
    secret = tmp_path / "secret.ttl"
    secret.write_text('<urn:secret> <urn:says> "TOP-SECRET" .\n', encoding="utf-8")
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    _OpenWatch.install()
    _OpenWatch.target, _OpenWatch.write_fd = str(secret), write_fd
    try:
        yield secret, read_fd
    finally:
        _OpenWatch.target, _OpenWatch.write_fd = None, None
        os.close(write_fd)
        os.close(read_fd)


def _opened(read_fd: int) -> bool:
    try:
        return bool(os.read(read_fd, 64))
    except BlockingIOError:
        return False


def _from_queries(source: str) -> list[str]:
    return [
        f"SELECT ?s ?o FROM <{source}> WHERE {{ ?s ?p ?o }} LIMIT 1",
        f"SELECT ?g FROM NAMED <{source}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
    ]


def test_from_web_graph_makes_no_request(loopback_server: tuple[str, list[str]], rdflib_engine: RdflibEngine) -> None:
    url, requests = loopback_server
    for text in _from_queries(f"{url}/x"):
        with pytest.raises(QueryRefused, match="is not one of exokg's graphs"):
            rdflib_engine.run(text)
        # below the guard, rdflib's own evaluation (SPARQL_LOAD_GRAPHS off) must not fetch either
        answer = rdflib_engine._evaluate(text, {})
        assert all("leak" not in str(row) for row in answer.rows)
        rdflib_engine._in_child(functools.partial(rdflib_engine._evaluate, text, {}))
    assert requests == []


def test_loopback_server_sees_a_fetch(loopback_server: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The control for the test above: rdflib left to itself does fetch a FROM graph."""
    import rdflib.plugins.sparql as rdflib_sparql
    from rdflib import Dataset

    url, requests = loopback_server
    monkeypatch.setattr(rdflib_sparql, "SPARQL_LOAD_GRAPHS", True)
    Dataset(default_union=True).query(f"SELECT * FROM <{url}/x> WHERE {{ ?s ?p ?o }}")
    assert requests == ["/x"]


def test_from_file_is_never_read(secret_file: tuple[Path, int], rdflib_engine: RdflibEngine) -> None:
    secret, read_fd = secret_file
    for text in _from_queries(secret.as_uri()):
        with pytest.raises(QueryRefused, match="is not one of exokg's graphs"):
            rdflib_engine.run(text)
        answer = rdflib_engine._evaluate(text, {})  # Dataset.query through our engine path, no guard
        assert "TOP-SECRET" not in str(answer.rows)
        child = rdflib_engine._in_child(functools.partial(rdflib_engine._evaluate, text, {}))
        assert "TOP-SECRET" not in str(child.rows)
    assert not _opened(read_fd), "the secret file was opened"


def test_open_watch_sees_an_open(secret_file: tuple[Path, int]) -> None:
    """The control for the test above: reading the file is noticed."""
    secret, read_fd = secret_file
    secret.read_text(encoding="utf-8")
    assert _opened(read_fd)


# ---- parameter values are data -------------------------------------------------------------------------

NASTY = [
    'x" || true || "',
    '"}; DROP ALL; #',
    "<x> ?p ?o",
    "') } UNION { ?s ?p ?o } #",
    "\\u0022 } #",
    "line one\nline two\r\n",
    "αβγ ΑΒΓ ω",
    "",
    "#",
    '"""',
    "?text",
]
MARKER = "☃"  # in no label or synonym of the graph: every value below matches nothing


def _as_type(query: CannedQuery, kind: str) -> CannedQuery:
    """The query with its single literal parameter declared as ``kind`` (string or label)."""
    (parameter,) = query.parameters
    return query.replace(parameters=(Parameter(parameter.name, kind, parameter.default, "x"),))


def _rows(engine: Engine, query: CannedQuery, value: str) -> tuple[list[str], list[Any]]:
    (parameter,) = query.parameters
    answer = engine.run(query.text, bind_parameters(query, {parameter.name: value}))
    return answer.variables, answer.rows


LITERAL_QUERIES = ["search-entities"]


@pytest.mark.parametrize("name", LITERAL_QUERIES)
def test_literal_queries_match_something(name: str, oxigraph: OxigraphEngine) -> None:
    """The control: with their defaults these queries answer, so an empty answer below means no match."""
    assert _rows(oxigraph, CATALOGUE[name], CATALOGUE[name].parameters[0].default)[1]


@pytest.mark.parametrize("kind", ["string", "label"])
@pytest.mark.parametrize("name", LITERAL_QUERIES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.sampled_from(NASTY), st.text(max_size=40)))
@example(text=NASTY[0])
@example(text=NASTY[1])
def test_parameter_value_is_never_sparql_on_oxigraph(oxigraph: OxigraphEngine, name: str, kind: str, text: str) -> None:
    query = _as_type(CATALOGUE[name], kind)
    baseline = _rows(oxigraph, query, MARKER + "no such name")
    assert _rows(oxigraph, query, MARKER + text) == baseline
    assert baseline[1] == []


@pytest.mark.parametrize("name", LITERAL_QUERIES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.sampled_from(NASTY), st.text(max_size=40)))
@example(text=NASTY[1])
def test_parameter_value_is_never_sparql_as_values_block(
    oxigraph: OxigraphEngine, remote: RemoteEngine, name: str, text: str
) -> None:
    """The remote path: the value goes into a VALUES block of the query text."""
    query = CATALOGUE[name]
    (parameter,) = query.parameters
    bindings = bind_parameters(query, {parameter.name: MARKER + text})
    written = with_values_block(query.text, bindings)
    if re.search(r"\\u[0-9a-fA-F]{4}", written):  # rdflib would decode "\\u0022" in a value: refused
        with pytest.raises(QueryRefused, match="stands for"):
            check_query(written)
        assert oxigraph._evaluate(written, {}).rows == []
    else:
        check_query(written)
        assert oxigraph.run(written).rows == []
    assert remote.run(query.text, bindings).rows == []


@pytest.mark.parametrize("name", LITERAL_QUERIES)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.sampled_from(NASTY), st.text(max_size=20)))
@example(text=NASTY[0])
@example(text=NASTY[1])
@example(text=NASTY[2])
def test_parameter_value_is_never_sparql_on_rdflib(rdflib_engine: RdflibEngine, name: str, text: str) -> None:
    query = CATALOGUE[name]
    baseline = _rows(rdflib_engine, query, MARKER + "no such name")
    assert _rows(rdflib_engine, query, MARKER + text) == baseline == (baseline[0], [])


def test_iri_parameter_must_be_an_iri() -> None:
    from exokg.errors import InputError

    query = CATALOGUE["cancer-profile"]
    for value in ["<x> ?p ?o", "exokg.entity:x> } DROP ALL {", "not an iri", "<urn:x> . ?s ?p ?o"]:
        with pytest.raises(InputError):
            bind_parameters(query, {"cancer": value})


# ---- bounded work ----------------------------------------------------------------------------------------

CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a"


@pytest.mark.parametrize("engine_class", [OxigraphEngine, RdflibEngine])
def test_runaway_query_times_out_and_the_next_one_answers(dist: Path, engine_class: type[Engine]) -> None:
    engine = engine_class.open(dist, timeout=1)  # type: ignore[attr-defined]
    with pytest.raises(QueryTimeout, match=r"stopped after the 1 s limit \(use --timeout to change it\)"):
        engine.run(CARTESIAN)
    engine.timeout = 60
    answer = engine.run("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/exokg/vocab/Claim> }")
    assert int(answer.rows[0]["n"]["value"]) > 300


@pytest.mark.parametrize("engine_name", ["oxigraph", "rdflib", "remote"])
def test_big_answer_is_truncated_at_the_row_cap(engine_name: str, engines: dict[str, Engine]) -> None:
    engine = engines[engine_name]
    engine.row_cap = 50
    try:
        answer = engine.run(ALL_ROWS)
    finally:
        engine.row_cap = 10_000
    assert answer.truncated is True
    assert len(answer.rows) == 50
    assert engine.run("SELECT ?s WHERE { ?s ?p ?o } LIMIT 5").truncated is False

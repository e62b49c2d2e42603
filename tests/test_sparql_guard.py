"""The SPARQL guard decides on the parsed query: obfuscated SERVICE, LOAD, FROM and updates reach no server
and open no file on either local engine; FROM of exokg's own graphs means the same on every engine."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef

from exokg.errors import QueryRefused
from exokg.query.engines import Engine, OxigraphEngine, RdflibEngine
from exokg.query.guard import OWN_GRAPHS, _check_structure, check_query
from guard_attacks import ATTACKS, Attack, FileWatch, NetWatch, attacks, benign_queries

GRAPH = "https://w3id.org/exokg/graph/"
FUZZ_EXAMPLES = int(os.environ.get("EXOKG_GUARD_FUZZ_EXAMPLES", "300"))
TRIPLE = ("urn:x:s", "urn:x:p", "here")


# ---- small in-memory engines, with a triple so every pattern has something to join with ---------------------


@pytest.fixture(scope="module")
def small_engines() -> dict[str, Engine]:
    store = pyoxigraph.Store()
    s, p, o = TRIPLE
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(s),
            pyoxigraph.NamedNode(p),
            pyoxigraph.Literal(o),
            pyoxigraph.NamedNode(GRAPH + "review"),
        )
    )
    dataset = Dataset(default_union=True)
    dataset.graph(URIRef(GRAPH + "review")).add((URIRef(s), URIRef(p), Literal(o)))
    return {"oxigraph": OxigraphEngine(store, timeout=20), "rdflib": RdflibEngine(dataset, timeout=20)}


@pytest.fixture
def secret(tmp_path: Path) -> Iterator[tuple[Path, FileWatch]]:
    """A Turtle file watched for opens (audit hook and inotify), and the watch."""
    path = tmp_path / "exokg-guard-secret.ttl"
    path.write_text('<urn:x:secret> <urn:x:says> "TOP-SECRET" .\n', encoding="utf-8")
    watch = FileWatch(path)
    try:
        yield path, watch
    finally:
        watch.close()


ENGINES = ["oxigraph", "rdflib"]


# ---- the reported bypasses (each sent a request or opened a file before the parse-based guard) ----------------


PNAME = "PREFIX ex: <http://e/> SELECT * WHERE"


def _service(target: str) -> dict[str, str]:
    return {
        "unicode-escape": f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        "unicode-escape-lower": f"select * where {{ ?s ?p ?o . s\\u0065rvice <{target}> {{ }} }}",
        "pname-escape-hash": f"{PNAME} {{ BIND(ex:a\\#b AS ?q) SERVICE <{target}> {{ }} }}",
        "pname-escape-quote": f"{PNAME} {{ BIND(ex:a\\'b AS ?q) SERVICE <{target}> {{ }} BIND('x' AS ?r) }}",
        "pname-escape-dquote": f'{PNAME} {{ BIND(ex:a\\"b AS ?q) SERVICE <{target}> {{ }} BIND("x" AS ?r) }}',
        "comment-lone-cr": f"SELECT * WHERE {{ ?s ?p ?o # x\r SERVICE <{target}> {{ }}\n }}",
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", sorted(_service("x")))
def test_obfuscated_service_sends_nothing(
    case: str, engine: str, small_engines: dict[str, Engine], loopback_server: tuple[str, list[str]]
) -> None:
    url, requests = loopback_server
    with pytest.raises(QueryRefused, match="query refused: "):
        small_engines[engine].run(_service(f"{url}/{case}")[case])
    assert requests == []


@pytest.mark.parametrize("engine", ENGINES)
def test_obfuscated_service_to_a_file_opens_nothing(
    engine: str, small_engines: dict[str, Engine], secret: tuple[Path, FileWatch]
) -> None:
    path, watch = secret
    for case, text in _service(path.as_uri()).items():
        with pytest.raises(QueryRefused):
            small_engines[engine].run(text)
        assert watch.opened() == {"audit hook": 0, "inotify": 0}, case
    with pytest.raises(QueryRefused):  # a missing file is refused the same way: no existence oracle
        small_engines[engine].run(_service(path.with_name("missing.ttl").as_uri())["unicode-escape"])


@pytest.mark.parametrize("engine", ENGINES)
def test_unguarded_engines_do_fall_for_the_obfuscations(
    engine: str, small_engines: dict[str, Engine], loopback_server: tuple[str, list[str]]
) -> None:
    """The control for the tests above: below the guard, each engine sends the request."""
    url, requests = loopback_server
    case = {"rdflib": "unicode-escape", "oxigraph": "pname-escape-hash"}[engine]
    with contextlib.suppress(Exception):  # the recorder answers Turtle, which is no SPARQL result
        small_engines[engine]._evaluate(_service(f"{url}/{case}")[case], {})
    assert requests == [f"/{case}"]


def test_file_watch_sees_an_open(secret: tuple[Path, FileWatch]) -> None:
    """The control for the file tests: reading the secret is seen by both means."""
    path, watch = secret
    path.read_bytes()
    seen = watch.opened()
    assert seen["audit hook"] >= 1
    assert seen["inotify"] >= 1


def test_rdflib_unguarded_opens_a_file_service(
    secret: tuple[Path, FileWatch], small_engines: dict[str, Engine]
) -> None:
    """The control: rdflib fetches a file: SERVICE through urllib when nothing stops it."""
    path, watch = secret
    with contextlib.suppress(Exception):
        small_engines["rdflib"]._evaluate(_service(path.as_uri())["unicode-escape"], {})
    assert watch.opened()["audit hook"] >= 1


@pytest.fixture
def net_watch() -> Iterator[NetWatch]:
    watch = NetWatch()
    try:
        yield watch
    finally:
        watch.close()


def test_net_watch_sees_and_stops_a_fetch(net_watch: NetWatch, loopback_server: tuple[str, list[str]]) -> None:
    """The control for the test below."""
    import urllib.request

    url, requests = loopback_server
    with pytest.raises(PermissionError, match="network blocked"):
        urllib.request.urlopen(url + "/x", timeout=5)
    assert net_watch.attempts() >= 1
    assert requests == []


def test_from_an_own_graph_missing_from_the_build_is_not_fetched(
    small_engines: dict[str, Engine], net_watch: NetWatch
) -> None:
    """rdflib fetches a FROM graph it does not hold (here https://w3id.org/exokg/graph/inferred, as after
    `build --no-reason`) unless loading is off: the guard lets own graphs through, the engine must not fetch."""
    text = f"SELECT * FROM <{GRAPH}inferred> FROM NAMED <{GRAPH}mappings> WHERE {{ ?s ?p ?o }}"
    for engine in small_engines.values():
        assert engine.run(text).rows == []
    assert net_watch.attempts() == 0


# ---- each layer on its own ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { } }",  # rdflib decodes, then sees SERVICE
        "SELECT * WHERE { { SELECT * WHERE { OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/> { } } } } }",
        "SELECT * WHERE { FILTER NOT EXISTS { SERVICE ?where { } } }",
        "ASK { MINUS { GRAPH ?g { SERVICE <http://127.0.0.1:9/> { } } } }",
    ],
)
def test_structural_check_alone_finds_service(text: str) -> None:
    with pytest.raises(QueryRefused, match=r"SERVICE .* would send a request to another endpoint"):
        _check_structure(text)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("LOAD <http://127.0.0.1:9/x>", "Load"),
        ("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> } ; DROP ALL", "Drop, InsertData"),
        ("WITH <urn:x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "Modify"),
        ("CLEAR DEFAULT", "Clear"),
    ],
)
def test_structural_check_alone_refuses_updates_by_name(text: str, named: str) -> None:
    with pytest.raises(QueryRefused, match=rf"it is an update \({named}\); only SELECT and ASK"):
        _check_structure(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { BIND(<<( <urn:x:a> <urn:x:b> <urn:x:c> )>> AS ?t) }",  # SPARQL 1.2: Oxigraph only
        "SELECT * WHERE { LATERAL { SELECT * WHERE { } } }",  # an Oxigraph extension
        "SELECT * WHERE { ?s ?p }",
        "",
        "# only a comment\n",
    ],
)
def test_what_rdflib_cannot_parse_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match=r"SPARQL syntax error at line \d+, column \d+: (.|\n)*SPARQL 1\.2"):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{ " * 60 + "?s ?p ?o" + " }" * 60,
        "SELECT * WHERE { " + " ".join(f"?s <urn:x:p{i}> ?o{i} ." for i in range(600)) + " }",
    ],
    ids=["nested", "long"],
)
def test_what_is_too_big_for_rdflib_is_refused_clearly(text: str) -> None:
    """rdflib's parser recurses; a RecursionError was a traceback (exit 1) instead of a refusal."""
    with pytest.raises(QueryRefused, match="nested too deeply or has too many patterns in one group"):
        check_query(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }", "FROM <http://127.0.0.1:9/x> is not one of"),
        ("PREFIX g: <https://w3id.org/exokg/graph/> SELECT * FROM NAMED g:secrets { ?s ?p ?o }", "FROM NAMED <"),
        ("BASE <file:///etc/> SELECT * FROM <passwd> { ?s ?p ?o }", "FROM <file:///etc/passwd> is not one of"),
        (f"SELECT * FROM <{GRAPH}review/../../x> {{ ?s ?p ?o }}", "is not one of exokg's graphs"),
    ],
)
def test_from_a_foreign_graph_is_refused_after_resolving_prefixes_and_base(text: str, reason: str) -> None:
    with pytest.raises(QueryRefused, match=reason.replace("(", r"\(")):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s ?p "a\\\\u0053ERVICE" }',  # an escaped backslash, then text: still \u to rdflib
        "SELECT * WHERE { ?s ?p ?o } # \\u000A SERVICE <http://127.0.0.1:9/> { }",
        'SELECT * WHERE { ?s ?p "\\u0022" }',
        "SELECT * WHERE { ?s ?p <http://x/\\u0041> }",
    ],
)
def test_ascii_unicode_escapes_are_refused_wherever_they_are(text: str) -> None:
    with pytest.raises(QueryRefused, match=r"the escape \\u00.. stands for"):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?s WHERE { ?s ?p "caf\\u00e9" }',  # non-ASCII escapes in strings read the same everywhere
        'SELECT ?s WHERE { ?s ?p "tab\\tquote\\"" }',
        "SELECT ?s WHERE { ?s ?p ?o # a comment with SERVICE in it\r\n }",
        f"PREFIX g: <{GRAPH}> SELECT * FROM g:review FROM NAMED g:inferred WHERE {{ ?s ?p ?o }}",
    ],
)
def test_harmless_spellings_pass(text: str) -> None:
    check_query(text)


# ---- the fuzzer ---------------------------------------------------------------------------------------------------


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_obfuscated_attack_gets_through(
    data: st.DataObject,
    small_engines: dict[str, Engine],
    loopback_server: tuple[str, list[str]],
    secret: tuple[Path, FileWatch],
    net_watch: NetWatch,
) -> None:
    url, requests = loopback_server
    path, watch = secret
    attack: Attack = data.draw(attacks(server=url, secret=path), label="attack")
    for name, engine in small_engines.items():
        with pytest.raises(QueryRefused):
            engine.run(attack.text)
        assert requests == [], (name, attack)
        assert watch.opened() == {"audit hook": 0, "inotify": 0}, (name, attack)
        assert net_watch.attempts() == 0, (name, attack)


@settings(max_examples=FUZZ_EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=benign_queries())
def test_benign_twins_of_the_attacks_are_answered(text: str) -> None:
    """The same obfuscations on a harmless query are accepted: the guard does not just refuse everything."""
    checked = check_query(text)
    assert checked.form == "SelectQuery"


def test_every_attack_template_is_refused_plainly() -> None:
    for name, template in ATTACKS.items():
        text = "PREFIX ex: <http://example.org/> " + template.replace("[[ ", "").replace(" ]]", "")
        with pytest.raises(QueryRefused):
            check_query(text.replace("$TARGET", "<http://127.0.0.1:9/x>"))
        if "SERVICE" in template or "LOAD" in template:  # refused by the parse too, not only by the keyword
            with pytest.raises(QueryRefused):
                _check_structure(text.replace("$TARGET", "<http://127.0.0.1:9/x>"))
        assert name


# ---- clear errors -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { } }",
            "exokg: error: query refused: the escape \\u0053 stands for S; write ASCII characters as themselves",
        ),
        (
            "SELECT *\nWHERE { SERVICE <http://127.0.0.1:9/> { } }",
            "exokg: error: query refused: SERVICE would send a request to another endpoint (federated queries are "
            "not allowed), at line 2, column 9",
        ),
        (
            "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }",
            "exokg: error: query refused: FROM <http://127.0.0.1:9/x> is not one of exokg's graphs",
        ),
    ],
)
def test_cli_says_what_was_refused_and_why(text: str, message: str, dist: Path) -> None:
    from click.testing import CliRunner

    from exokg.cli.main import cli

    result = CliRunner().invoke(cli, ["sparql", "-", "--dist", str(dist)], input=text)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


# ---- FROM and FROM NAMED of exokg's own graphs mean the same on every engine (issue 12, item 11) ----------------

COUNT = "SELECT (COUNT(*) AS ?n)"
FROM_FORMS = {
    "no-dataset": f"{COUNT} WHERE {{ ?s ?p ?o }}",
    "from-ontology": f"{COUNT} FROM <{GRAPH}ontology> WHERE {{ ?s ?p ?o }}",
    "from-two": f"{COUNT} FROM <{GRAPH}ontology> FROM <{GRAPH}review> WHERE {{ ?s ?p ?o }}",
    "from-named-only": f"{COUNT} FROM NAMED <{GRAPH}ontology> WHERE {{ ?s ?p ?o }}",
    "from-named-graph": f"SELECT ?g (COUNT(*) AS ?n) FROM <{GRAPH}review> FROM NAMED <{GRAPH}ontology> "
    f"FROM NAMED <{GRAPH}mappings> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g ORDER BY ?g",
    "prefixed": f"PREFIX g: <{GRAPH}> {COUNT} FROM g:ontology WHERE {{ ?s ?p ?o }}",
    "from-hides-named": f"ASK FROM <{GRAPH}review> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
}


@pytest.fixture(scope="module")
def big_engines(dist: Path, oxigraph_server: str) -> dict[str, Engine]:
    from exokg.query.remote import RemoteEngine

    return {
        "oxigraph": OxigraphEngine.open(dist),
        "rdflib": RdflibEngine.open(dist, timeout=120),
        "remote": RemoteEngine(oxigraph_server),
    }


def _graph_size(engine: Engine, name: str) -> int:
    answer = engine.run(f"{COUNT} WHERE {{ GRAPH <{GRAPH}{name}> {{ ?s ?p ?o }} }}")
    return int(answer.rows[0]["n"]["value"])


def _answer(engine: Engine, text: str) -> object:
    answer = engine.run(text)
    if answer.boolean is not None:
        return answer.boolean
    return [{k: v["value"] for k, v in row.items()} for row in answer.rows]


def test_from_own_graphs_means_the_same_on_every_engine(big_engines: dict[str, Engine]) -> None:
    reference = big_engines["oxigraph"]
    ontology, review, mappings = (_graph_size(reference, n) for n in ("ontology", "review", "mappings"))
    total = int(reference.run(FROM_FORMS["no-dataset"]).rows[0]["n"]["value"])
    assert 0 < ontology < ontology + review < total  # so each expectation below tells the forms apart
    expected: dict[str, object] = {
        "no-dataset": [{"n": str(total)}],
        "from-ontology": [{"n": str(ontology)}],  # Oxigraph counted all 13,734 here before
        "from-two": [{"n": str(ontology + review)}],  # the two graphs share no triple
        "from-named-only": [{"n": "0"}],  # FROM NAMED alone leaves the default graph empty
        "from-named-graph": [
            {"g": f"{GRAPH}mappings", "n": str(mappings)},
            {"g": f"{GRAPH}ontology", "n": str(ontology)},
        ],
        "prefixed": [{"n": str(ontology)}],
        "from-hides-named": False,  # FROM without FROM NAMED leaves no named graph to match
    }
    for name, engine in big_engines.items():
        got = {form: _answer(engine, text) for form, text in FROM_FORMS.items()}
        assert got == expected, name


def test_own_graphs_are_the_graphs_of_the_build(dist: Path) -> None:
    from exokg.io.store import open_store

    assert {graph.value for graph in open_store(dist).named_graphs()} == OWN_GRAPHS


# ---- packaged queries skip the parse (no rdflib import on the default path); tests vouch for them -------------


def test_packaged_queries_pass_the_full_check_and_name_no_dataset() -> None:
    from exokg.resources import queries_dir

    paths = sorted(queries_dir().rglob("*.rq"))
    assert len(paths) > 30  # canned and QC queries
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert not _check_structure(text).has_dataset, path  # the shortcut gives Oxigraph the union graph
        assert check_query(text).form == "packaged", path


def test_a_changed_packaged_query_gets_the_full_check() -> None:
    from exokg.resources import queries_dir

    text = (queries_dir() / "cancer-profile.rq").read_text(encoding="utf-8")
    assert check_query(text + "\n").form == "SelectQuery"
    with pytest.raises(QueryRefused, match=r"FROM <http://127\.0\.0\.1:9/x> is not one of"):
        check_query(text.replace("WHERE {", "FROM <http://127.0.0.1:9/x> WHERE {", 1))

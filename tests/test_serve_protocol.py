"""SPARQL 1.1 Protocol at ``/sparql``: the W3C test cases (query side) and the endpoint's own limits.

The W3C cases are named as in the SPARQL 1.1 test suite's protocol manifest. Cases
whose dataset is data1.rdf … data3.rdf are adapted to exokg's own named graphs, since
the endpoint serves only its build and refuses other graphs (``docs/serve.md`` lists
which cases pass as written, which are adapted and which are refused by design).
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest

G = "https://w3id.org/exokg/graph/"
ONTOLOGY, REVIEW, MAPPINGS = G + "ontology", G + "review", G + "mappings"
ONTOLOGY_IRI = "https://w3id.org/exokg/exokg.owl"
RESULT_TYPES = ("application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                "text/tab-separated-values")  # fmt: skip
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")
DIRECT = {"Content-Type": "application/sparql-query"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def sparql(exokg_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=exokg_server, timeout=30) as client:
        yield client


def _boolean(response: httpx.Response) -> bool:
    assert response.status_code == 200, response.text
    value: bool = response.json()["boolean"]
    return value


# ---- W3C SPARQL 1.1 Protocol test cases, query side -----------------------------------------------


def test_query_get(sparql: httpx.Client) -> None:
    assert _boolean(sparql.get("/sparql", params={"query": "ASK {}"})) is True


def test_query_post_form(sparql: httpx.Client) -> None:
    assert _boolean(sparql.post("/sparql", content="query=ASK%20%7B%7D", headers=FORM)) is True


def test_query_post_direct(sparql: httpx.Client) -> None:
    assert _boolean(sparql.post("/sparql", content="ASK {}", headers=DIRECT)) is True


def test_query_dataset_default_graphs_get(sparql: httpx.Client) -> None:
    """Adapted: the ontology and review graphs stand for data1.rdf and data2.rdf."""
    query = f"ASK {{ <{ONTOLOGY_IRI}> ?p ?o . <https://w3id.org/exokg/entity/mir-21> ?q ?v }}"
    response = sparql.get("/sparql", params=[("query", query), ("default-graph-uri", ONTOLOGY),
                                             ("default-graph-uri", REVIEW)])  # fmt: skip
    assert _boolean(response) is True
    only_one = sparql.get("/sparql", params={"query": query, "default-graph-uri": ONTOLOGY})
    assert _boolean(only_one) is False


def test_query_dataset_default_graphs_post(sparql: httpx.Client) -> None:
    query = f"ASK {{ <{ONTOLOGY_IRI}> ?p ?o . <https://w3id.org/exokg/entity/mir-21> ?q ?v }}"
    url = f"/sparql?default-graph-uri={ONTOLOGY}&default-graph-uri={REVIEW}"
    assert _boolean(sparql.post(url, content=query, headers=DIRECT)) is True


def test_query_dataset_named_graphs_post(sparql: httpx.Client) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    url = f"/sparql?named-graph-uri={ONTOLOGY}&named-graph-uri={MAPPINGS}"
    response = sparql.post(url, content=query, headers=DIRECT)
    assert {b["g"]["value"] for b in response.json()["results"]["bindings"]} == {ONTOLOGY, MAPPINGS}


def test_query_dataset_named_graphs_get(sparql: httpx.Client) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = sparql.get("/sparql", params=[("query", query), ("named-graph-uri", REVIEW)])
    assert {b["g"]["value"] for b in response.json()["results"]["bindings"]} == {REVIEW}


def test_query_dataset_full(sparql: httpx.Client) -> None:
    query = "SELECT DISTINCT ?g WHERE { ?x ?y ?o  GRAPH ?g { ?s ?p ?o } } LIMIT 10"
    url = f"/sparql?default-graph-uri={MAPPINGS}&named-graph-uri={ONTOLOGY}&named-graph-uri={REVIEW}"
    response = sparql.post(url, content=query, headers=DIRECT)
    assert response.status_code == 200
    assert {b["g"]["value"] for b in response.json()["results"]["bindings"]} <= {ONTOLOGY, REVIEW}


def test_query_multiple_dataset(sparql: httpx.Client) -> None:
    """The protocol's dataset overrides the query's FROM."""
    query = f"ASK FROM <{ONTOLOGY}> {{ <{ONTOLOGY_IRI}> ?p ?o }}"
    assert _boolean(sparql.post("/sparql", content=query, headers=DIRECT)) is True
    assert _boolean(sparql.post(f"/sparql?default-graph-uri={REVIEW}", content=query, headers=DIRECT)) is False


def test_query_content_type_select(sparql: httpx.Client) -> None:
    response = sparql.post("/sparql", content="SELECT (1 AS ?value) {}", headers=DIRECT)
    assert response.headers["content-type"].split(";")[0] in RESULT_TYPES


def test_query_content_type_ask(sparql: httpx.Client) -> None:
    response = sparql.post("/sparql", content="ASK {}", headers=DIRECT)
    assert response.headers["content-type"].split(";")[0] in RESULT_TYPES[:2]


def test_query_content_type_describe(sparql: httpx.Client) -> None:
    response = sparql.post("/sparql", content="DESCRIBE <http://example.org/>", headers=DIRECT)
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] in RDF_TYPES


def test_query_content_type_construct(sparql: httpx.Client) -> None:
    query = "CONSTRUCT { <http://example.org/s> <http://example.org/p> 1 } WHERE {}"
    response = sparql.post("/sparql", content=query, headers=DIRECT)
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] in RDF_TYPES
    assert "<http://example.org/s>" in response.text


def test_bad_query_method(sparql: httpx.Client) -> None:
    assert 400 <= sparql.put("/sparql?query=ASK%20%7B%7D").status_code < 500


def test_bad_multiple_queries(sparql: httpx.Client) -> None:
    assert sparql.get("/sparql", params=[("query", "ASK {}"), ("query", "SELECT * {}")]).status_code == 400


def test_bad_query_wrong_media_type(sparql: httpx.Client) -> None:
    assert sparql.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"}).status_code == 415


def test_bad_query_missing_form_type(sparql: httpx.Client) -> None:
    assert 400 <= sparql.post("/sparql", content="query=ASK%20%7B%7D").status_code < 500


def test_bad_query_missing_direct_type(sparql: httpx.Client) -> None:
    assert 400 <= sparql.post("/sparql", content="ASK {}").status_code < 500


def test_bad_query_non_utf8(sparql: httpx.Client) -> None:
    headers = {"Content-Type": "application/sparql-query; charset=UTF-16"}
    assert 400 <= sparql.post("/sparql", content="ASK {}".encode("utf-16"), headers=headers).status_code < 500


def test_bad_query_syntax(sparql: httpx.Client) -> None:
    response = sparql.get("/sparql", params={"query": "ASK {"})
    assert response.status_code == 400 and "syntax" in response.text.lower()


def test_bad_update_get(sparql: httpx.Client) -> None:
    assert sparql.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 405


@pytest.mark.parametrize(
    ("body", "headers"),
    [("update=CLEAR%20ALL", FORM), ("CLEAR ALL", {"Content-Type": "application/sparql-update"}),
     ("update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM)],
)  # fmt: skip
def test_updates_are_forbidden(sparql: httpx.Client, body: str, headers: dict[str, str]) -> None:
    """update_post_form, update_post_direct, bad_multiple_updates: a read-only endpoint answers 403."""
    assert sparql.post("/sparql", content=body, headers=headers).status_code == 403
    assert _boolean(sparql.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})) is True


def test_foreign_dataset_graphs_are_refused(sparql: httpx.Client) -> None:
    """The W3C cases' own data1.rdf … are outside exokg: refused, like FROM <elsewhere>."""
    response = sparql.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "http://example.org/data1.rdf"})
    assert response.status_code == 403


# ---- results formats, the service description, the guard and the limits ---------------------------

SELECT = "SELECT ?l WHERE { <https://w3id.org/exokg/entity/mir-21> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


def test_select_in_every_results_format(sparql: httpx.Client) -> None:
    as_json = sparql.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    expected = {"type": "literal", "value": "miR-21", "xml:lang": "en"}
    assert as_json.json()["results"]["bindings"] == [{"l": expected}]
    as_xml = sparql.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"})
    literal = ElementTree.fromstring(as_xml.text).find(".//{http://www.w3.org/2005/sparql-results#}literal")
    assert literal is not None and literal.text == "miR-21"
    as_csv = sparql.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert as_csv.text == "l\r\nmiR-21\r\n"
    as_tsv = sparql.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/tab-separated-values"})
    assert as_tsv.text == '?l\n"miR-21"@en\n'
    assert sparql.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize(("accept", "marker"), [("text/turtle", "miR-21"), ("application/n-triples", "> ."),
                                                ("application/ld+json", '"@id"')])  # fmt: skip
def test_construct_by_accept(sparql: httpx.Client, accept: str, marker: str) -> None:
    query = "CONSTRUCT WHERE { <https://w3id.org/exokg/entity/mir-21> ?p ?o }"
    response = sparql.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(accept) and marker in response.text


def test_service_description(sparql: httpx.Client) -> None:
    import pyoxigraph

    response = sparql.get("/sparql", headers={"Accept": "text/turtle"})
    triples = list(pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(t.predicate.value == sd + "endpoint" for t in triples)
    assert {t.object.value for t in triples if t.predicate.value == sd + "name"} >= {ONTOLOGY, REVIEW, MAPPINGS}
    assert sparql.get("/sparql", headers={"Accept": "text/html"}).status_code == 303


@pytest.mark.parametrize(
    "query",
    ["SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
     "SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }",
     "INSERT DATA { <http://x> <http://x> <http://x> }"],
)  # fmt: skip
def test_the_cli_guard_applies(sparql: httpx.Client, query: str) -> None:
    assert sparql.post("/sparql", content=query, headers=DIRECT).status_code == 403


def test_row_cap_truncates_and_says_so(sparql: httpx.Client) -> None:
    response = sparql.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 10_000
    assert response.headers["x-exokg-truncated"] == "true"


def test_a_query_past_the_time_limit_never_holds_up_others(sparql: httpx.Client) -> None:
    """The fixture's server stops queries after 5 s; a quick query meanwhile answers at once."""
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        started = time.monotonic()
        future = executor.submit(sparql.get, "/sparql", params={"query": slow})
        time.sleep(0.5)
        quick = time.monotonic()
        assert _boolean(sparql.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})) is True
        assert time.monotonic() - quick < 3
        response = future.result()
    assert response.status_code == 503 and "limit" in response.text
    assert time.monotonic() - started < 15
    assert _boolean(sparql.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})) is True  # the pool recovered


@pytest.mark.parametrize(
    ("case", "body", "headers"),
    [
        ("bad_update_wrong_media_type", "CLEAR NAMED", {"Content-Type": "text/plain"}),
        ("bad_update_missing_form_type", "update=CLEAR%20NAMED", {}),
        ("bad_update_non_utf8", "CLEAR NAMED".encode("utf-16"),
         {"Content-Type": "application/sparql-update; charset=UTF-16"}),
        ("bad_update_syntax", "update=CLEAR%20XYZ", FORM),
        ("bad_update_dataset_conflict",
         "using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople&update=WITH%20%3Chttp%3A%2F%2Fexample%2Faddresses%3E"
         "%20DELETE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", FORM),
    ],
)  # fmt: skip
def test_bad_update_cases_answer_4xx(
    sparql: httpx.Client, case: str, body: str | bytes, headers: dict[str, str]
) -> None:
    """The W3C bad_update_* cases expect a 4xx; a read-only endpoint refuses every update anyway."""
    assert 400 <= sparql.post("/sparql", content=body, headers=headers).status_code < 500, case


@pytest.fixture(scope="module")
def capped_server(dist: Path) -> Iterator[str]:
    """One worker that may add 400 MiB of address space once its store is open."""
    from tests.conftest import running_exokg_server

    with running_exokg_server(dist, "--workers", "1", "--memory-mb", "400", "--timeout", "20") as base:
        yield base


def test_a_query_past_the_memory_cap_fails_alone(capped_server: str) -> None:
    greedy = "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r } ORDER BY ?a ?b LIMIT 1"
    response = httpx.post(f"{capped_server}/sparql", data={"query": greedy}, timeout=60)
    assert response.status_code == 500 and "memory" in response.text
    after = httpx.get(f"{capped_server}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert after.status_code == 200 and after.json()["boolean"] is True

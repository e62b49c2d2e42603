"""HTTP-level tests of ``exokg serve``: every route, its content types and status codes, and the safety rules.

The server is a real ``exokg serve`` process on 127.0.0.1 started by the ``exokg_server`` fixture.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

MIR_21 = "/entity/mir-21"
CLAIM = "/claim/soung2016-c320"
REFERENCE = "/source/soung2016-r39"
ONCOMIR = "/vocab/OncomiR"
SELECT_ONE = "SELECT ?s WHERE { ?s a <https://w3id.org/exokg/vocab/Claim> } LIMIT 1"


@pytest.fixture(scope="module")
def client(exokg_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=exokg_server, timeout=30, follow_redirects=False) as c:
        yield c


PAGES = ["/", "/search?q=CD63", MIR_21, CLAIM, REFERENCE, "/source/soung2016", ONCOMIR, "/vocab/claimSubject",
         "/graph/review", "/exokg.owl", "/queries", "/queries/cancer-profile", "/queries/cancer-profile?run=1",
         "/editor", "/api/docs", f"{MIR_21}/graph"]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_html_with_security_headers(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text.replace('<script src="', "").replace(
        '<script type="application/json"', ""
    ), "no inline script may appear (the CSP forbids it)"


def test_entity_page_shows_types_claims_xrefs(client: httpx.Client) -> None:
    html = client.get(MIR_21).text
    assert "<h1>miR-21</h1>" in html
    assert 'class="badge inferred"' in html  # OncomiR is inferred
    assert "https://identifiers.org/mirbase.mature:MIMAT0000076" in html
    assert 'class="claim"' in html and "ECO:0000304" in html


def test_query_page_shows_names_linked_to_their_iris(client: httpx.Client) -> None:
    """As the CLI table: a relation reads "promotes" (linked to its IRI), a reference "Hoshino 2015, ref 17"."""
    html = client.get("/queries/cancer-profile?run=1&cancer=melanoma").text
    assert "<th>relation</th>" in html and "<th>relationLabel</th>" not in html
    assert 'title="https://w3id.org/exokg/vocab/promotes">promotes</a>' in html
    assert ">exokg:promotes</a>" not in html
    assert "<td>Hoshino 2015, ref 17</td>" in client.get("/queries/integrin-organotropism?run=1").text


def test_claim_page_has_provenance(client: httpx.Client) -> None:
    html = client.get(CLAIM).text
    assert "miR-1246 is more plentiful in serum exosomes" in html
    assert 'href="/source/soung2016-r39"' in html
    assert "Oncogenic elements found in CCEs: Nucleic acid content" in html


def test_class_page_marks_inferred_members(client: httpx.Client) -> None:
    html = client.get(ONCOMIR).text
    assert "Superclasses" in html and 'href="/vocab/MicroRNA"' in html
    assert 'href="/entity/mir-21"' in html and "badge inferred" in html


def test_reference_page_lists_citing_claims(client: httpx.Client) -> None:
    html = client.get(REFERENCE).text
    assert "reference 39 of Soung et al. 2016" in html
    assert 'href="/claim/soung2016-c320"' in html


@pytest.mark.parametrize(
    ("accept", "media_type", "marker"),
    [
        ("text/turtle", "text/turtle", "@prefix"),
        ("application/n-triples", "application/n-triples", "<https://w3id.org/exokg{path}>"),
        ("application/ld+json", "application/ld+json", '"@id"'),
        ("text/html", "text/html", "<h1>"),
        ("", "text/html", "<h1>"),
        ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json", '"@id"'),
    ],
)
@pytest.mark.parametrize("path", [MIR_21, CLAIM, ONCOMIR, REFERENCE])
def test_iris_negotiate_content(client: httpx.Client, path: str, accept: str, media_type: str, marker: str) -> None:
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]
    assert marker.format(path=path) in response.text


@pytest.mark.parametrize(("fmt", "media_type"), [("ttl", "text/turtle"), ("nt", "application/n-triples"),
                                                 ("jsonld", "application/ld+json"), ("html", "text/html")])  # fmt: skip
def test_format_override_beats_accept(client: httpx.Client, fmt: str, media_type: str) -> None:
    response = client.get(f"{MIR_21}?format={fmt}", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith(media_type)


def test_rdf_is_parseable_and_about_the_resource(client: httpx.Client) -> None:
    import pyoxigraph

    body = client.get(MIR_21, headers={"Accept": "text/turtle"}).content
    triples = list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE))
    assert any(t.subject.value == "https://w3id.org/exokg/entity/mir-21" for t in triples)


@pytest.mark.parametrize(("path", "size_at_least"), [("/graph/review", 10_000), ("/exokg.owl", 1_000)])
def test_graph_iris_dump_their_graph(client: httpx.Client, path: str, size_at_least: int) -> None:
    import pyoxigraph

    body = client.get(path, headers={"Accept": "application/n-triples"}).content
    assert len(list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_TRIPLES))) >= size_at_least


def test_unacceptable_type_is_406(client: httpx.Client) -> None:
    assert client.get(MIR_21, headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("path", ["/entity/no-such-thing", "/graph/nothing", "/reference/9999", "/queries/nope",
                                  "/elsewhere/mir-21", "/entity/no-such-thing/graph"])  # fmt: skip
def test_unknown_things_are_404(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_reference_alias_redirects_to_the_iri(client: httpx.Client) -> None:
    for alias in ("/reference/39", "/reference/soung2016-r39"):
        response = client.get(alias)
        assert response.status_code == 301 and response.headers["location"] == REFERENCE


def test_search_and_autocomplete(client: httpx.Client) -> None:
    matches = client.get("/api/search?q=tsg101").json()
    assert matches[0]["label"].lower().startswith("tsg101") and matches[0]["href"].startswith("/entity/")
    assert client.get("/api/search?q=oncogenic%20microRNA").json()[0]["iri"].endswith("/vocab/OncomiR")
    go = client.get("/search?q=miR-21&go=1")
    assert go.status_code == 303 and go.headers["location"] == MIR_21
    assert "miR-214" in client.get("/search?q=miR-21").text


def test_neighbourhood_json_and_table(client: httpx.Client) -> None:
    data = client.get(f"{MIR_21}/graph.json").json()
    ids = {e["data"]["id"] for e in data["elements"]}
    assert "https://w3id.org/exokg/entity/mir-21" in ids and any(e["data"].get("source") for e in data["elements"])
    assert '<table class="statements" id="edges">' in client.get(f"{MIR_21}/graph").text


def test_static_vendor_files_and_licences(client: httpx.Client) -> None:
    for path in ("/static/vendor/cytoscape/cytoscape.min.js", "/static/vendor/yasgui/yasgui.min.js",
                 "/static/vendor/yasgui/yasgui.min.css", "/static/style.css", "/static/exokg.js"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200 and response.headers["x-content-type-options"] == "nosniff"
    vendor = Path(__file__).resolve().parents[1] / "src/exokg/serve/static/vendor"
    assert all((folder / "LICENSE").is_file() for folder in vendor.iterdir())


# ---- safety ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fapp.py",
     "/entity/..%2f..%2fetc%2fpasswd", "/entity/%2e%2e", "/graph/..%2f..%2fstore", "/queries/..%2f..%2fpyproject"],
)  # fmt: skip
def test_path_traversal_is_refused(exokg_server: str, path: str) -> None:
    # raw request: httpx would normalise the dots away
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(exokg_server)
    connection = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    assert response.status in (400, 404), (path, response.status)
    assert b"root:" not in body and b"[project]" not in body


def test_oversized_requests_are_refused(client: httpx.Client) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2_000_000
    assert client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"}).status_code == 413
    assert client.get("/sparql", params={"query": "ASK {} #" + "x" * 20_000}).status_code == 414


def test_chunked_oversized_body_is_refused(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"query=ASK%7B%7D%23"
        for _ in range(40):
            yield b"x" * 65536

    response = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_no_write_route_exists(client: httpx.Client, method: str) -> None:
    for path in ("/sparql", MIR_21, "/api/queries/cancer-profile", "/graph/review"):
        assert client.request(method, path, content=b"<a:b> <a:b> <a:b> .").status_code == 405


def test_cors_preflight_and_header(client: httpx.Client) -> None:
    preflight = client.options("/sparql", headers={"Origin": "https://example.org",
                                                   "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] in (
        "*",
        "https://example.org",
    )
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"


HOSTILE = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a tiny store whose labels and literals carry markup."""
    import pyoxigraph
    from tests.conftest import running_exokg_server

    dist = tmp_path_factory.mktemp("hostile-dist")
    store = pyoxigraph.Store(str(dist / "store"))
    definition = "http://purl.obolibrary.org/obo/IAO_0000115"
    e, v, g = "https://w3id.org/exokg/entity/", "https://w3id.org/exokg/vocab/", "https://w3id.org/exokg/graph/review"
    label, claim = "http://www.w3.org/2000/01/rdf-schema#label", "https://w3id.org/exokg/claim/evil-c1"
    quad = pyoxigraph.Quad
    nn, lit = pyoxigraph.NamedNode, pyoxigraph.Literal
    store.extend([
        quad(nn(e + "evil"), nn(label), lit(HOSTILE, language="en"), nn(g)),
        quad(nn(e + "evil"), nn(definition), lit(f'"><img src=x onerror=alert(1)>{HOSTILE}'), nn(g)),
        quad(nn(e + "evil"), nn("http://www.w3.org/2000/01/rdf-schema#seeAlso"), nn("javascript:alert(1)"), nn(g)),
        quad(nn(claim), nn("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), nn(v + "Claim"), nn(g)),
        quad(nn(claim), nn(v + "claimSubject"), nn(e + "evil"), nn(g)),
        quad(nn(claim), nn(v + "paraphrase"), lit(HOSTILE + " paraphrase"), nn(g)),
    ])  # fmt: skip
    store.flush()
    del store
    (dist / "manifest.json").write_text(json.dumps({"reasoned": False}))
    with running_exokg_server(dist, "--workers", "1") as base:
        yield base


@pytest.mark.parametrize("path", ["/entity/evil", "/claim/evil-c1", "/search?q=script", "/entity/evil/graph"])
def test_labels_and_literals_are_escaped(hostile_server: str, path: str) -> None:
    html = httpx.get(hostile_server + path, timeout=30).text
    assert HOSTILE not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html


def test_search_text_is_escaped(client: httpx.Client) -> None:
    html = client.get("/search", params={"q": HOSTILE}).text
    assert HOSTILE not in html and "&lt;script&gt;" in html


def test_answers_carry_an_etag_and_revalidate(client: httpx.Client) -> None:
    first = client.get(MIR_21, headers={"Accept": "text/turtle"})
    again = client.get(MIR_21, headers={"Accept": "text/turtle"})
    assert first.headers["etag"] == again.headers["etag"] and first.content == again.content
    assert again.headers["vary"].startswith("Accept") and "nosniff" in again.headers["x-content-type-options"]
    assert client.get(MIR_21, headers={"Accept": "text/html"}).headers["etag"] != first.headers["etag"]
    unchanged = client.get(MIR_21, headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert client.head(MIR_21).status_code == 200


def test_a_forged_host_neither_breaks_nor_poisons_the_service_description(client: httpx.Client) -> None:
    import pyoxigraph

    forged = client.get("/sparql", headers={"Accept": "text/turtle", "Host": "evil> <urn:x> <urn:y"})
    if forged.status_code == 200:  # the server may refuse the Host outright; if not, the Turtle must stay sound
        list(pyoxigraph.parse(forged.content, format=pyoxigraph.RdfFormat.TURTLE))
        assert "<urn:x>" not in forged.text
    honest = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert "evil" not in honest.text


def test_serve_without_a_build_says_so(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "exokg", "serve", "--dist", str(tmp_path)], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "run `exokg build` first" in done.stderr and "Traceback" not in done.stderr

"""Unit tests of the web app's pure parts: content negotiation, result formats, search ranking, identifiers.

The modules' own ``>>>`` examples run here too (``make test`` collects only ``tests/``).
"""

from __future__ import annotations

import asyncio
import doctest
import importlib
from pathlib import Path
from xml.etree import ElementTree

import pytest

from exokg.serve.conneg import choose, parse_accept
from exokg.serve.formats import render_results
from exokg.serve.pages import LabelIndex
from exokg.serve.pool import PoolBusy, PoolOptions, QueryTimedOut, WorkerPool
from exokg.serve.protocol import query_form
from exokg.serve.resources import valid_id

MODULES = ["app", "conneg", "formats", "protocol", "resources"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(f"exokg.serve.{name}")
    failed, _ = doctest.testmod(module)
    assert failed == 0


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("*/*", "text/html"),
        ("text/*", "text/html"),
        ("application/*", "application/n-triples"),
        ("text/html;q=0, */*;q=0.1", "text/turtle"),
        ("application/ld+json;q=0.8, text/turtle", "text/turtle"),
        ("application/ld+json; q=bad, text/turtle;q=0.5", "text/turtle"),
        ("image/png, application/pdf", None),
    ],
)
def test_choose(accept: str, expected: str | None) -> None:
    assert choose(accept, ["text/html", "text/turtle", "application/n-triples", "application/ld+json"]) == expected


def test_parse_accept_orders_by_quality_then_specificity() -> None:
    assert [m for m, _ in parse_accept("*/*;q=0.5, text/*;q=0.5, text/turtle;q=0.5")] == [
        "text/turtle", "text/*", "*/*"
    ]  # fmt: skip


ROWS = [{"x": {"type": "literal", "value": 'a "b"\n<c> & d', "xml:lang": "en"}, "y": {"type": "uri", "value": "http://e/f"}},
        {"y": {"type": "bnode", "value": "b0"}}]  # fmt: skip


def test_xml_results_escape_and_parse() -> None:
    root = ElementTree.fromstring(render_results("application/sparql-results+xml", ["x", "y"], ROWS, None))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert root.find(f".//{ns}literal").text == 'a "b"\n<c> & d'  # type: ignore[union-attr]
    assert [v.get("name") for v in root.iter(f"{ns}variable")] == ["x", "y"]


def test_tsv_and_csv_results() -> None:
    tsv = render_results("text/tab-separated-values", ["x", "y"], ROWS, None).splitlines()
    assert tsv == ["?x\t?y", '"a \\"b\\"\\n<c> & d"@en\t<http://e/f>', "\t_:b0"]
    csv = render_results("text/csv", ["x", "y"], ROWS, None)
    assert csv.startswith('x,y\r\n"a ""b""\n<c> & d",http://e/f\r\n,_:b0')
    assert render_results("application/sparql-results+json", [], [], True) == '{"head": {}, "boolean": true}'


def test_query_form_ignores_keywords_in_strings_comments_and_iris() -> None:
    assert query_form("# SELECT\nASK { ?s ?p 'CONSTRUCT' }") == "ASK"
    assert query_form("PREFIX d: <http://x/DESCRIBE/> DESCRIBE d:x") == "DESCRIBE"


@pytest.mark.parametrize("ident", ["..", "a/b", ".hidden", "a..b", "", "x" * 300, "a%2Fb", "a b"])
def test_invalid_ids(ident: str) -> None:
    assert not valid_id(ident)


def test_label_index_ranks_exact_then_prefix_then_substring() -> None:
    def row(iri: str, label: str, text: str, kind: str = "label") -> dict[str, dict[str, str]]:
        return {"resource": {"value": iri}, "label": {"value": label}, "text": {"value": text}, "kind": {"value": kind}}

    index = LabelIndex([row("e:1", "miR-214", "miR-214"), row("e:2", "anti-miR-21", "anti-miR-21"),
                        row("e:3", "miR-21", "miR-21"), row("e:3", "miR-21", "hsa-miR-21", "synonym")],
                       lambda iri: "/" + iri)  # fmt: skip
    assert [m.iri for m in index.search("mir-21")] == ["e:3", "e:1", "e:2"]
    assert index.search("  ") == []


def test_pool_times_out_replaces_and_refuses_when_full(dist: Path) -> None:
    async def scenario() -> None:
        pool = WorkerPool(PoolOptions(dist, size=1, timeout=2, max_waiting=1, queue_timeout=0.5))
        await pool.start()
        try:
            slow = {"op": "select", "query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}
            running = asyncio.create_task(pool.call(slow))
            await asyncio.sleep(0.2)
            with pytest.raises(PoolBusy):  # the one worker is busy and nobody may wait long
                await pool.call({"op": "ping"})
            with pytest.raises(QueryTimedOut):
                await running
            assert await pool.call({"op": "ping"}) == "pong"  # a fresh worker took its place
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_only_backend_imports_the_rest_of_exokg() -> None:
    """The refactor moves exokg's modules: serve/backend.py is the one file to re-point."""
    import ast

    folder = Path(importlib.import_module("exokg.serve").__file__ or "").parent
    for path in folder.glob("*.py"):
        if path.name == "backend.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                assert not name.startswith("exokg.") or name.startswith("exokg.serve"), f"{path.name} imports {name}"

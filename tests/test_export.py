"""Deterministic serialisation and atomic writes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDFS, Graph, Literal, URIRef

from exokg.errors import ExokgError
from exokg.io.atomic import write_atomic
from exokg.io.rdfwrite import serialise_graph, write_graph

REPO = Path(__file__).resolve().parents[1]

DIGEST_SCRIPT = """
import hashlib
from exokg.pipeline.assemble import assemble, asserted_union
from exokg.io.rdfwrite import serialise_graph
union = asserted_union(assemble())
for fmt in ("ttl", "nt"):
    print(fmt, hashlib.sha256(serialise_graph(union, fmt).encode()).hexdigest())
"""


@pytest.mark.slow
def test_serialisation_is_identical_under_three_hash_seeds() -> None:
    digests = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", DIGEST_SCRIPT], env=env, capture_output=True, text=True,
                              check=True, cwd=REPO)  # fmt: skip
        digests.add(done.stdout)
    assert len(digests) == 1, digests


def _graph_with_bnodes() -> Graph:
    graph = Graph()
    graph.parse(
        data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix ex: <http://example.org/> .
        ex:A owl:equivalentClass [ owl:intersectionOf ( ex:B [ owl:onProperty ex:p ; owl:someValuesFrom ex:C ] ) ] .
        ex:D owl:equivalentClass [ owl:intersectionOf ( ex:B [ owl:onProperty ex:q ; owl:someValuesFrom ex:C ] ) ] .
        """,
        format="turtle",
    )
    return graph


def test_blank_nodes_get_stable_labels_in_ntriples() -> None:
    first = serialise_graph(_graph_with_bnodes(), "nt")
    second = serialise_graph(_graph_with_bnodes(), "nt")  # fresh blank node ids, same content
    assert first == second
    assert first.splitlines() == sorted(first.splitlines())


def test_write_graph_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "g.ttl"
    write_graph(_graph_with_bnodes(), target, "ttl")
    assert len(Graph().parse(target, format="turtle")) == len(_graph_with_bnodes())
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_a_lone_surrogate_is_refused_and_the_previous_file_kept(tmp_path: Path) -> None:
    target = tmp_path / "g.ttl"
    target.write_text("previous\n", encoding="utf-8")
    graph = Graph()
    graph.add((URIRef("http://example.org/x"), RDFS.label, Literal("bad \ud800 text")))
    with pytest.raises((ExokgError, UnicodeError)):
        write_graph(graph, target, "ttl")
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_a_failed_check_leaves_the_previous_file_byte_identical(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old bytes")
    before = hashlib.sha256(target.read_bytes()).hexdigest()

    def reject(_: Path) -> None:
        raise ExokgError("simulated failure after writing")

    with pytest.raises(ExokgError):
        write_atomic(target, "new text", check=reject)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_an_interrupted_write_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"

    def interrupt(_: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "text", check=interrupt)
    assert list(tmp_path.iterdir()) == []

"""The synthetic corpus: seeded, of the review's shape, in its own graph, and about the size asked for."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from exokg.synthetic import SYNTHETIC_GRAPH, generate, write_nquads

GRAPH = "https://w3id.org/exokg/graph/"
EXOKG = "https://w3id.org/exokg/vocab/"
CLAIM = "<https://w3id.org/exokg/claim/"


@pytest.fixture(scope="module")
def real(dist: Path) -> dict[str, list[tuple[str, str, str]]]:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(dist / "store"))

    def triples(name: str) -> list[tuple[str, str, str]]:
        quads = store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(GRAPH + name))
        return [(str(q.subject), str(q.predicate), str(q.object)) for q in quads]

    return {"review": triples("review"), "mappings": triples("mappings")}


def test_same_seed_same_corpus(real: dict[str, list[tuple[str, str, str]]]) -> None:
    first = list(generate(real["review"], real["mappings"], triples=30_000, seed=1))
    assert first == list(generate(real["review"], real["mappings"], triples=30_000, seed=1))
    assert first != list(generate(real["review"], real["mappings"], triples=30_000, seed=2))
    assert 27_000 <= len(first) <= 40_000 and len(set(first)) == len(first)


def test_claims_keep_the_shape_and_draw_qualifiers_from_the_real_ones(
    real: dict[str, list[tuple[str, str, str]]],
) -> None:
    corpus = list(generate(real["review"], real["mappings"], triples=30_000, seed=3))
    real_claims = {s for s, _, _ in real["review"] if s.startswith(CLAIM)}
    synthetic_claims = {s for s, _, _ in corpus if s.startswith(CLAIM)}
    assert synthetic_claims and not synthetic_claims & real_claims
    assert all(s.startswith(CLAIM + "syn") for s in synthetic_claims)
    per_claim: dict[str, set[str]] = defaultdict(set)
    for s, p, _ in corpus:
        per_claim[s].add(p)
    for name in ("claimSubject", "claimRelation", "claimObject", "hasEvidence", "statedIn"):
        assert all(f"<{EXOKG}{name}>" in per_claim[c] for c in synthetic_claims), name
    real_values: dict[str, set[str]] = defaultdict(set)
    for s, p, o in real["review"]:
        if s in real_claims:
            real_values[p].add(o)
    for p in (f"<{EXOKG}inCancer>", f"<{EXOKG}inBodyFluid>", f"<{EXOKG}atDiseaseStage>"):
        drawn = {o for s, q, o in corpus if q == p and s in synthetic_claims}
        assert drawn and drawn <= real_values[p], p


def test_written_into_the_synthetic_graph_only(real: dict[str, list[tuple[str, str, str]]], tmp_path: Path) -> None:
    import pyoxigraph

    corpus = list(generate(real["review"], real["mappings"], triples=5_000, seed=4))
    count = write_nquads(tmp_path / "corpus.nq", {SYNTHETIC_GRAPH: corpus})
    store = pyoxigraph.Store()
    store.bulk_load(path=str(tmp_path / "corpus.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    assert count == len(store) == len(corpus)
    assert [g.value for g in store.named_graphs()] == [SYNTHETIC_GRAPH]


@pytest.fixture(scope="module")
def corpus_store(
    real: dict[str, list[tuple[str, str, str]]], dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Any:
    """The real build's graphs and a 20,000-triple synthetic corpus in one store, as bench/scale.py loads them."""
    import pyoxigraph

    folder = tmp_path_factory.mktemp("corpus")
    real_store = pyoxigraph.Store.read_only(str(dist / "store"))
    store = pyoxigraph.Store()
    store.bulk_extend(q for q in real_store if q.graph_name.value != GRAPH + "inferred")  # type: ignore[union-attr]
    corpus = generate(real["review"], real["mappings"], triples=20_000, seed=5)
    write_nquads(folder / "corpus.nq", {SYNTHETIC_GRAPH: corpus})
    store.bulk_load(path=str(folder / "corpus.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _asserted_graphs(store: Any) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if g.value != GRAPH + "inferred")


def test_the_corpus_validates_where_it_lies_as_the_real_graph_does(corpus_store: Any) -> None:
    from exokg.pipeline.validate.shacl import validate_store

    assert _asserted_graphs(corpus_store) == [GRAPH + g for g in ("mappings", "ontology", "review", "synthetic")]
    report = validate_store(corpus_store)  # by default every graph but the inferred one
    assert report.violations == 0, report.to_text()[:2000]
    real_only = validate_store(corpus_store, [GRAPH + g for g in ("mappings", "ontology", "review")])
    # the synthetic studies add no finding of their own: the same warnings, on the real entities
    assert {(f.source, f.focus) for f in report.findings} == {(f.source, f.focus) for f in real_only.findings}


def test_a_hedged_claim_redrawn_as_asserted_is_caught(corpus_store: Any) -> None:
    """The negative control: an asserted claim without its shortcut triple is a violation on the store."""
    import pyoxigraph

    from exokg.pipeline.validate.shacl import validate_store

    store = pyoxigraph.Store()
    store.bulk_extend(corpus_store)
    certainty = pyoxigraph.NamedNode(EXOKG + "hasCertainty")
    hedged = next(q for q in store.quads_for_pattern(None, certainty, None, pyoxigraph.NamedNode(SYNTHETIC_GRAPH))
                  if q.object.value != EXOKG + "Asserted")  # fmt: skip
    store.remove(hedged)
    store.add(pyoxigraph.Quad(hedged.subject, certainty, pyoxigraph.NamedNode(EXOKG + "Asserted"), hedged.graph_name))
    report = validate_store(store, _asserted_graphs(store))
    assert [(f.source, f.focus) for f in report.findings if f.severity == "Violation"] == [
        ("claim-without-shortcut-violation", hedged.subject.value)
    ]


def test_validating_a_graph_the_store_lacks_names_it(corpus_store: Any) -> None:
    from exokg.errors import InputError
    from exokg.pipeline.validate.shacl import validate_store

    with pytest.raises(InputError, match=re.escape("no graph <https://example.org/missing>")):
        validate_store(corpus_store, [GRAPH + "ontology", "https://example.org/missing"])

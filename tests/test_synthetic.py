"""The synthetic corpus: seeded, of the review's shape, in its own graph, and about the size asked for."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

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

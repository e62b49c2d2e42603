"""The reasoner runs only when its input (or exokg's version) changed since the last build in DIR."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from exokg.pipeline import reason as reason_module
from exokg.pipeline import reasoncache
from exokg.pipeline.build import run_build
from exokg.pipeline.reason import Reasoning

INFERRED = (URIRef("https://w3id.org/exokg/entity/x"), RDF.type, URIRef("https://w3id.org/exokg/vocab/Claim"))


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Replace HermiT by a stub that counts its runs."""
    runs: list[int] = []

    def fake_reason(asserted: Graph) -> Reasoning:
        runs.append(len(asserted))
        inferred = Graph()
        inferred.add(INFERRED)
        return Reasoning(True, (), inferred, 0.0)

    monkeypatch.setattr(reason_module, "reason", fake_reason)
    return runs


def test_the_key_changes_with_the_input_and_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    first = reasoncache.reasoner_key("<a:s> <a:p> <a:o> .\n")
    assert reasoncache.reasoner_key("<a:s> <a:p> <a:o> .\n") == first
    assert reasoncache.reasoner_key("<a:s> <a:p> <a:other> .\n") != first
    monkeypatch.setattr(reasoncache, "package_version", lambda: "999.0")
    assert reasoncache.reasoner_key("<a:s> <a:p> <a:o> .\n") != first


@pytest.mark.slow
def test_a_second_build_reuses_the_inferences_and_a_changed_file_is_not_trusted(
    tmp_path: Path, calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    out = tmp_path / "dist"
    run_build(out)
    assert len(calls) == 1
    first = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    run_build(out)
    assert len(calls) == 1, "the reasoner ran again on the same input"
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == first
    inferred = out / reasoncache.INFERRED_FILE
    inferred.write_text(inferred.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    run_build(out)
    assert len(calls) == 2, "an edited inferred file was trusted"
    monkeypatch.setattr(reasoncache, "package_version", lambda: "999.0")
    run_build(out)
    assert len(calls) == 3, "a cache of another exokg version was trusted"

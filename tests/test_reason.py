"""The reason stage: what HermiT adds over the ontology, how each failure reads, and what it leaves behind.

Tests marked ``slow`` start Java (about 2-3 s each); fixtures under ``tests/data/reason/``
are loaded on top of the real ontology.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

from exokg.errors import EngineError, ExokgError
from exokg.pipeline.clashes import find_clashes
from exokg.pipeline.explain import Explanation, explain
from exokg.pipeline.ontology import load_ontology
from exokg.pipeline.reason import InconsistentError, JavaNotFoundError, Reasoning, java_available, reason
from exokg.vocab import ONTOLOGY_IRI as ONTOLOGY

DATA = Path(__file__).parent / "data" / "reason"
EXOKG = Namespace("https://w3id.org/exokg/vocab/")
ENTITY = Namespace("https://w3id.org/exokg/entity/")
TEST = Namespace("https://example.org/exokg-test/")
FIXTURE_NAMESPACES = (str(ENTITY), "https://w3id.org/exokg/claim/", str(TEST))
INSTALL_LINE = "apt-get install openjdk-17-jre-headless"

needs_java = pytest.mark.skipif(not java_available(), reason="Java is not installed")


def with_ontology(*names: str) -> Graph:
    """The exokg ontology plus the named fixture files."""
    graph = load_ontology()
    for name in names:
        graph.parse(DATA / name, format="turtle")
    return graph


def golden() -> Graph:
    return Graph().parse(DATA / "classify-inferred.ttl", format="turtle")


def about_fixture(graph: Graph) -> set[tuple[object, object, object]]:
    """Triples whose subject is one of the fixture's own individuals or classes."""
    return {t for t in graph if str(t[0]).startswith(FIXTURE_NAMESPACES)}


@pytest.fixture(scope="module")
def classified() -> tuple[Graph, Reasoning]:
    if not java_available():
        pytest.skip("Java is not installed")
    asserted = with_ontology("classify.ttl")
    return asserted, reason(asserted)


# ---- what the reasoner adds ----------------------------------------------------------


@pytest.mark.slow
@needs_java
def test_the_ontology_alone_is_consistent_with_no_unsatisfiable_class() -> None:
    result = reason(load_ontology())
    assert result.consistent
    assert result.unsatisfiable == ()


@pytest.mark.slow
@pytest.mark.parametrize("triple", sorted(golden()), ids=lambda t: " ".join(str(x).rsplit("/", 1)[-1] for x in t))
def test_each_expected_inference_is_made_and_was_not_asserted(
    classified: tuple[Graph, Reasoning], triple: tuple[URIRef, URIRef, URIRef]
) -> None:
    asserted, result = classified
    assert triple not in asserted
    assert triple in result.inferred


@pytest.mark.slow
def test_inferences_about_the_fixture_are_exactly_the_golden_file(classified: tuple[Graph, Reasoning]) -> None:
    _, result = classified
    assert about_fixture(result.inferred) == set(golden())


@pytest.mark.slow
def test_inferred_holds_only_new_non_trivial_triples(classified: tuple[Graph, Reasoning]) -> None:
    asserted, result = classified
    assert result.consistent and result.unsatisfiable == ()
    for s, p, o in result.inferred:
        assert (s, p, o) not in asserted
        assert not isinstance(s, BNode) and not isinstance(o, BNode)
        assert o not in (OWL.Thing, OWL.NamedIndividual, OWL.Nothing)
        assert not (p == RDFS.subClassOf and s == o)
    assert result.seconds > 0


@pytest.mark.slow
def test_the_same_input_gives_the_same_inferences(classified: tuple[Graph, Reasoning]) -> None:
    asserted, first = classified
    again = reason(asserted)
    assert set(again.inferred) == set(first.inferred)
    assert sorted(again.inferred) == sorted(first.inferred)


@pytest.mark.slow
@needs_java
def test_the_default_owlready2_world_is_never_used(classified: tuple[Graph, Reasoning]) -> None:
    import owlready2

    assert owlready2.default_world[str(ENTITY["tumour-exosome"])] is None


# ---- unsatisfiable classes and inconsistency -----------------------------------------


@pytest.mark.slow
@needs_java
def test_unsatisfiable_classes_are_listed_sorted() -> None:
    result = reason(with_ontology("unsatisfiable.ttl"))
    assert result.consistent
    assert result.unsatisfiable == (str(TEST.SmallVesicleProtein), str(TEST.VesicleProtein))


@pytest.mark.slow
@needs_java
def test_inconsistent_input_names_the_individuals_and_the_disjoint_classes() -> None:
    with pytest.raises(InconsistentError) as caught:
        reason(with_ontology("inconsistent.ttl"))
    error = caught.value
    assert isinstance(error, ExokgError) and error.exit_code == 1
    message = str(error)
    assert 'exokg.entity:cd9 "CD9"' in message
    assert "exokg:ExtracellularVesicle" in message and "exokg:MolecularEntity" in message
    assert "exokg.entity:cisplatin" in message and "domain exokg:ExtracellularVesicle" in message
    assert {c.individual for c in error.clashes} == {str(ENTITY.cd9), str(ENTITY.cisplatin)}


@pytest.mark.slow
@needs_java
def test_inconsistent_input_without_strict_returns_consistent_false() -> None:
    result = reason(with_ontology("inconsistent.ttl"), strict=False)
    assert not result.consistent
    assert len(result.inferred) == 0


def test_an_inconsistency_with_no_type_clash_still_reads_as_advice() -> None:
    message = str(InconsistentError([]))
    assert "no individual has two disjoint told types" in message
    assert "reason over the ontology alone" in message


def test_find_clashes_needs_no_java() -> None:
    clashes = find_clashes(with_ontology("inconsistent.ttl"))
    assert [(c.individual, c.label) for c in clashes] == [
        (str(ENTITY.cd9), "CD9"),
        (str(ENTITY.cisplatin), "cisplatin"),
    ]
    assert {c.first for c in clashes} | {c.second for c in clashes} == {
        str(EXOKG.ExtracellularVesicle),
        str(EXOKG.MolecularEntity),
    }
    assert any("hasCargo" in reason_ for c in clashes for reason_ in c.reasons)


def test_find_clashes_finds_nothing_in_consistent_data() -> None:
    assert find_clashes(with_ontology("classify.ttl")) == []


# ---- Java, temporary files, imports --------------------------------------------------


def test_java_available_is_false_for_a_missing_executable() -> None:
    assert not java_available("/nonexistent/java")


def test_missing_java_is_an_error_that_says_how_to_install_it() -> None:
    with pytest.raises(JavaNotFoundError) as caught:
        reason(Graph(), java="/nonexistent/java")
    assert isinstance(caught.value, ExokgError) and caught.value.exit_code == 2
    assert INSTALL_LINE in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_java_missing_from_path_is_detected(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    assert not java_available()
    with pytest.raises(JavaNotFoundError, match=INSTALL_LINE):
        reason(load_ontology())


@pytest.fixture
def private_tempdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty folder standing in for the system temp dir (which other processes share)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.slow
@needs_java
def test_no_temporary_file_is_left_after_success_or_failure(private_tempdir: Path) -> None:
    reason(load_ontology())
    assert list(private_tempdir.iterdir()) == []
    with pytest.raises(InconsistentError):  # owlready2 itself leaks its file on this path
        reason(with_ontology("inconsistent.ttl"))
    assert list(private_tempdir.iterdir()) == []
    assert tempfile.tempdir == str(private_tempdir)  # restored


@pytest.mark.slow
def test_a_java_that_crashes_is_an_engine_error_and_leaves_no_file(private_tempdir: Path, tmp_path: Path) -> None:
    fake = tmp_path / "java"
    script = ["#!/bin/sh", '[ "$1" = "-version" ] && exit 0', 'echo "java.lang.OutOfMemoryError: heap" >&2', "exit 3"]
    fake.write_text("\n".join(script) + "\n")
    fake.chmod(0o755)
    with pytest.raises(EngineError, match="OutOfMemoryError"):
        reason(load_ontology(), java=str(fake))
    assert list(private_tempdir.iterdir()) == []


@pytest.mark.slow
def test_a_java_removed_after_the_check_is_reported_as_missing(private_tempdir: Path, tmp_path: Path) -> None:
    fake = tmp_path / "java"
    fake.write_text('#!/bin/sh\nrm -f -- "$0"\nexit 0\n')  # answers -version once, then is gone
    fake.chmod(0o755)
    with pytest.raises(JavaNotFoundError, match=INSTALL_LINE):
        reason(load_ontology(), java=str(fake))
    assert list(private_tempdir.iterdir()) == []


@pytest.mark.slow
@needs_java
def test_owl_imports_are_never_fetched(loopback_server: tuple[str, list[str]]) -> None:
    base, requests = loopback_server
    graph = load_ontology()
    graph.add((URIRef(ONTOLOGY), OWL.imports, URIRef(f"{base}/x.owl")))
    assert reason(graph).consistent
    assert requests == []
    urllib.request.urlopen(f"{base}/probe", timeout=5).close()  # the server was listening all along
    assert requests == ["/probe"]


def test_importing_the_module_does_not_import_owlready2() -> None:
    code = "import sys, exokg.pipeline.reason; print('owlready2' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# ---- explanations (no Java: the golden file stands in for the reasoner's output) -----


def explanations(individual: str) -> dict[str, Explanation]:
    found = explain(with_ontology("classify.ttl"), golden(), str(ENTITY[individual]))
    return {e.defined_class.rsplit("/", 1)[-1]: e for e in found}


def test_explain_a_defined_class_part_by_part() -> None:
    (only,) = explain(with_ontology("classify.ttl"), golden(), str(ENTITY["tumour-exosome"]))
    assert only.defined_class == str(EXOKG.CancerCellDerivedExosome)
    assert only.definition == "exokg:Exosome and (exokg:derivesFrom some exokg:CancerCell)"
    exosome, derives = only.parts
    assert exosome.asserted == ((str(ENTITY["tumour-exosome"]), str(RDF.type), str(EXOKG.Exosome)),)
    assert (str(ENTITY["tumour-exosome"]), str(EXOKG.derivesFrom), str(ENTITY["tumour-cell"])) in derives.asserted
    assert (str(ENTITY["tumour-cell"]), str(RDF.type), str(EXOKG.CancerCell)) in derives.asserted
    assert "exokg.entity:tumour-exosome is a exokg:CancerCellDerivedExosome because" in only.render()


def test_explain_shows_why_an_inferred_value_holds() -> None:
    chain = explanations("egfrviii")["ExosomalCargo"]
    assert chain.parts[1].inferred
    assert "property chain via" in chain.parts[1].derivations[0]
    inverse = explanations("hsp70")["ExosomalCargo"]
    assert "inverse of exokg.entity:tumour-exosome exokg:hasCargo" in inverse.parts[1].derivations[0]


def test_explain_follows_a_nested_defined_class_and_a_union() -> None:
    cargo = explanations("p-glycoprotein")["DrugResistanceCargo"]
    nested = cargo.parts[0]
    assert (str(ENTITY["p-glycoprotein"]), str(EXOKG.isCargoOf), str(ENTITY["tumour-exosome"])) in nested.asserted
    biomarker = explanations("mir-1246")["ExosomalBiomarker"]
    assert all(part.satisfied for part in biomarker.parts)


def test_explain_an_individual_with_no_inferred_class_is_empty() -> None:
    assert explain(with_ontology("classify.ttl"), golden(), str(ENTITY.docetaxel)) == []


# ---- scale ---------------------------------------------------------------------------


def synthetic_abox(size: int) -> Graph:
    """About ``size`` individuals in the shapes the review uses: vesicles, cells, cargo, claims."""
    graph = load_ontology()
    for i in range(size // 5):
        cell, exo, mir, protein, claim = (ENTITY[f"{kind}-{i}"] for kind in ("cell", "exo", "mir", "protein", "claim"))
        for node, cls in ((cell, "CancerCell"), (exo, "Exosome"), (mir, "MicroRNA"), (protein, "Protein")):
            graph.add((node, RDF.type, OWL.NamedIndividual))
            graph.add((node, RDF.type, EXOKG[cls]))
            graph.add((node, RDFS.label, Literal(f"{cls} {i}", lang="en")))
        graph.add((claim, RDF.type, EXOKG.Claim))
        graph.add((exo, EXOKG.derivesFrom, cell))
        graph.add((exo, EXOKG.hasCargo, mir))
        graph.add((mir, EXOKG.promotes, ENTITY.metastasis))
        graph.add((claim, EXOKG.claimSubject, protein))
        graph.add((claim, EXOKG.viaVesicle, exo))
        graph.add((protein, EXOKG.isMarkerFor, exo))
    graph.add((ENTITY.metastasis, RDF.type, EXOKG.Metastasis))
    return graph


@pytest.mark.slow
@needs_java
def test_reasoning_over_200_individuals_takes_seconds() -> None:
    result = reason(synthetic_abox(200))
    counts = Counter(str(o).rsplit("/", 1)[-1] for o in result.inferred.objects(None, RDF.type))
    # a cargo miRNA that promotes metastasis is both an OncomiR and OncogenicCargo (neither subsumes the other)
    assert counts == {
        "CancerCellDerivedExosome": 40,
        "OncomiR": 40,
        "OncogenicCargo": 40,
        "CommonExosomeMarker": 40,
        "ExosomalCargo": 40,
    }
    print(f"\nreason(): ontology + 200 individuals in {result.seconds:.2f} s, {len(result.inferred)} triples added")
    assert result.seconds < 120


@pytest.mark.slow
@needs_java
def test_the_curated_review_is_consistent() -> None:
    from exokg.pipeline.curation import load_curation
    from exokg.pipeline.ontology import data_property_ranges
    from exokg.pipeline.populate import build_review_graph

    graph = load_ontology()
    for triple in build_review_graph(load_curation(), datatypes=data_property_ranges()):
        graph.add(triple)
    result = reason(graph)
    assert result.unsatisfiable == ()
    print(f"\nreason(): ontology + review ({len(graph)} triples) in {result.seconds:.2f} s")

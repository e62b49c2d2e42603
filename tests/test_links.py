"""Tests for exokg.mappings and exokg.exports.kgx: the SSSOM mapping set, its graph, lexicon checks, exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from exokg.errors import InputError
from exokg.exports.kgx import EDGE_COLUMNS, NODE_COLUMNS, kgx_nodes_edges
from exokg.io.tables import read_table
from exokg.mappings.graph import external_ids_rewrite, load_mappings, mappings_graph
from exokg.mappings.lexicons import check_links, normalise_label, subject_labels
from exokg.mappings.sssom import LABEL_DIFFERS, Mapping, read_sssom, render_sssom, write_sssom
from exokg.prefixes import load_prefix_map
from exokg.resources import mappings_dir, ontology_dir
from exokg.vocab import ENTITY, EXOKG

EXTRACELLULAR_EXOSOME = "GO:0070062"
EGFR_HGNC = "HGNC:3236"
CD63_HGNC = "HGNC:1692"
CD63_NCBIGENE = "NCBIGene:967"
MIR21_MATURE = "mirbase.mature:MIMAT0000076"
SKOS = "http://www.w3.org/2004/02/skos/core#"
HAS_DBXREF = URIRef("http://www.geneontology.org/formats/oboInOwl#hasDbXref")
SSSOM = mappings_dir() / "exokg.sssom.tsv"
UNMAPPED = mappings_dir() / "unmapped.tsv"


@pytest.fixture(scope="module")
def mapping_set() -> tuple[dict[str, object], list[Mapping]]:
    return read_sssom()


@pytest.fixture(scope="module")
def mappings(mapping_set: tuple[dict[str, object], list[Mapping]]) -> list[Mapping]:
    return mapping_set[1]


@pytest.fixture(scope="module")
def labels() -> dict[str, set[str]]:
    return subject_labels()


def _unmapped() -> list[dict[str, str]]:
    return [row.cells for row in read_table(UNMAPPED, required=("id", "label", "target", "has_counterpart", "reason"))]


def _by_subject(mappings: list[Mapping], subject: str) -> list[Mapping]:
    return [m for m in mappings if m.subject_id == subject]


# ---- the shipped mapping set ----


def test_sssom_parses_with_metadata(mapping_set: tuple[dict[str, object], list[Mapping]]) -> None:
    metadata, mappings = mapping_set
    assert metadata["mapping_set_id"] == "https://w3id.org/exokg/mappings/exokg.sssom.tsv"
    assert metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert metadata["creator_id"] == ["infores:exokg"]  # a CURIE whose prefix the curie_map declares
    assert metadata["creator_label"] and metadata["mapping_date"] and metadata["mapping_set_version"]
    assert len(mappings) > 400


def test_curie_map_agrees_with_prefix_map(mapping_set: tuple[dict[str, object], list[Mapping]]) -> None:
    metadata, mappings = mapping_set
    curie_map = metadata["curie_map"]
    assert isinstance(curie_map, dict)
    prefix_map = load_prefix_map()
    assert {p: prefix_map[p] for p in curie_map} == curie_map
    used = {m.object_id.partition(":")[0] for m in mappings} | {m.subject_id.partition(":")[0] for m in mappings}
    creators = {str(c).partition(":")[0] for c in metadata["creator_id"]}  # type: ignore[attr-defined]
    assert used | {"skos", "semapv"} | creators == set(curie_map)


def test_every_subject_exists_with_its_label(mappings: list[Mapping], labels: dict[str, set[str]]) -> None:
    unknown = sorted({m.subject_id for m in mappings} - set(labels))
    assert not unknown, f"subjects not in the ontology templates or data tables: {unknown}"
    wrong = [m.subject_id for m in mappings if m.subject_label not in labels[m.subject_id]]
    assert not wrong, f"subject_label is not the exokg label: {wrong}"


def test_shipped_file_is_in_canonical_form(mapping_set: tuple[dict[str, object], list[Mapping]]) -> None:
    metadata, mappings = mapping_set
    assert render_sssom(mappings, metadata) == SSSOM.read_text(encoding="utf-8")


def test_every_term_is_mapped_or_listed_unmapped(mappings: list[Mapping]) -> None:
    templates = ontology_dir() / "templates"
    scope = {f"exokg:{row['id']}" for name in ("classes.tsv", "object_properties.tsv")
             for row in read_table(templates / name, required=("id",))}  # fmt: skip
    scope |= {key for key in subject_labels() if key.startswith("exokg.entity:")}
    mapped = {m.subject_id for m in mappings}
    unmapped = {row["id"] for row in _unmapped()}
    assert not mapped & unmapped, f"both mapped and unmapped: {sorted(mapped & unmapped)}"
    assert not scope - mapped - unmapped, f"neither mapped nor listed unmapped: {sorted(scope - mapped - unmapped)}"
    assert not unmapped - scope, f"unmapped.tsv lists unknown ids: {sorted(unmapped - scope)}"


def test_unmapped_rows_give_a_reason() -> None:
    for row in _unmapped():
        assert row["reason"], row["id"]
        assert row["has_counterpart"] in ("yes", "no"), row["id"]


def test_coverage_of_mappable_terms(mappings: list[Mapping]) -> None:
    mapped = {m.subject_id for m in mappings}
    missed = [row["id"] for row in _unmapped() if row["has_counterpart"] == "yes"]
    assert len(mapped) / (len(mapped) + len(missed)) >= 0.95


def test_every_mapped_identifier_checks_out_against_the_lexicons(
    mappings: list[Mapping], labels: dict[str, set[str]], lexicons: Path
) -> None:
    problems = check_links(mappings, lexicons, labels=labels)
    assert not problems, "\n".join(str(p) for p in problems)


# ---- honest predicates ----


def test_egfrviii_is_not_an_exact_match_of_egfr(mappings: list[Mapping]) -> None:
    rows = _by_subject(mappings, "exokg.entity:egfrviii")
    assert not [m for m in rows if m.predicate_id == "skos:exactMatch"]
    assert ("skos:broadMatch", EGFR_HGNC) in {(m.predicate_id, m.object_id) for m in rows}


def test_clusters_and_populations_are_never_exact(mappings: list[Mapping]) -> None:
    cluster = _by_subject(mappings, "exokg.entity:mir-17-92-cluster")
    assert cluster and all(m.predicate_id in ("skos:relatedMatch", "skos:broadMatch") for m in cluster)
    assert all(m.object_id.startswith("mirbase:MI") for m in cluster)
    population = _by_subject(mappings, "exokg.entity:glioma-cell-exosome")
    assert [(m.predicate_id, m.object_id) for m in population] == [("skos:broadMatch", EXTRACELLULAR_EXOSOME)]


def test_mature_mirnas_map_to_the_dominant_arm(mappings: list[Mapping]) -> None:
    (mir21,) = [m for m in _by_subject(mappings, "exokg.entity:mir-21") if m.predicate_id == "skos:exactMatch"]
    assert mir21.object_id == MIR21_MATURE and mir21.object_label == "hsa-miR-21-5p"
    assert "5p" in mir21.comment
    exact_mirna = [m for m in mappings if m.object_id.startswith("mirbase") and m.predicate_id == "skos:exactMatch"]
    assert all(m.object_id.startswith("mirbase.mature:MIMAT") for m in exact_mirna)


# ---- the mappings graph ----


def test_mappings_graph_uses_obo_purls_and_identifiers_org(mappings: list[Mapping]) -> None:
    graph = mappings_graph(mappings)
    exosome = URIRef(EXOKG + "Exosome")
    assert (exosome, URIRef(SKOS + "exactMatch"), URIRef("http://purl.obolibrary.org/obo/GO_0070062")) in graph
    assert (exosome, HAS_DBXREF, Literal(EXTRACELLULAR_EXOSOME)) in graph
    cd63 = URIRef(ENTITY + "cd63")
    assert (cd63, URIRef(SKOS + "exactMatch"), URIRef("https://identifiers.org/hgnc:1692")) in graph
    assert (cd63, URIRef(SKOS + "exactMatch"), URIRef("https://identifiers.org/ncbigene:967")) in graph
    mir21 = URIRef(ENTITY + "mir-21")
    assert (mir21, URIRef(SKOS + "exactMatch"), URIRef("https://identifiers.org/mirbase.mature:MIMAT0000076")) in graph
    population = URIRef(ENTITY + "glioma-cell-exosome")
    assert not list(graph.objects(population, HAS_DBXREF)), "broad matches are not cross-references"
    for _, _, obj in graph.triples((None, URIRef(SKOS + "exactMatch"), None)):
        assert str(obj).startswith(("http://purl.obolibrary.org/obo/", "https://identifiers.org/"))


def test_load_mappings_reads_the_packaged_file() -> None:
    assert len(load_mappings()) > 400


def test_external_ids_rewrite(mappings: list[Mapping]) -> None:
    graph = Graph()
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    for name in ("cd63", "breast-cancer", "exosome", "egfrviii"):
        graph.add((URIRef(ENTITY + name), label, Literal(name)))
    graph.add((URIRef(ENTITY + "exosome"), URIRef(EXOKG + "hasCargo"), URIRef(ENTITY + "cd63")))
    graph.add((URIRef(ENTITY + "exosome"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
               URIRef(EXOKG + "Exosome")))  # fmt: skip
    rewritten = external_ids_rewrite(graph, mappings)
    subjects = {str(s) for s in rewritten.subjects()}
    assert "https://identifiers.org/hgnc:1692" in subjects  # HGNC preferred over NCBI Gene and UniProt
    assert "http://purl.obolibrary.org/obo/MONDO_0007254" in subjects  # MONDO preferred over DOID and NCIT
    assert ENTITY + "egfrviii" in subjects  # no exact match: unchanged
    exosome = URIRef("http://purl.obolibrary.org/obo/GO_0070062")
    assert (exosome, URIRef(EXOKG + "hasCargo"), URIRef("https://identifiers.org/hgnc:1692")) in rewritten
    # the entity takes GO:0070062, so the class keeps its exokg IRI and the two are not merged
    assert (exosome, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(EXOKG + "Exosome")) in rewritten


# ---- read and write errors ----


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = SSSOM.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.sssom.tsv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_bad_row_names_file_and_line(tmp_path: Path) -> None:
    path = _variant(tmp_path, "\tskos:exactMatch\t", "\tskos:sameAs\t")
    with pytest.raises(InputError, match=r"variant\.sssom\.tsv:\d+: predicate_id 'skos:sameAs'"):
        read_sssom(path)


def test_unknown_prefix_is_refused(tmp_path: Path) -> None:
    path = _variant(tmp_path, f"\t{EXTRACELLULAR_EXOSOME}\t", "\tGOX:0070062\t")
    with pytest.raises(InputError, match=r":\d+: unknown prefix 'GOX'"):
        read_sssom(path)


def test_curie_map_that_disagrees_is_refused(tmp_path: Path) -> None:
    path = _variant(tmp_path, "#  GO: http://purl.obolibrary.org/obo/GO_", "#  GO: http://identifiers.org/go/")
    with pytest.raises(InputError, match=r":\d+: " + re.escape("curie_map: GO is http://identifiers.org/go/ here")):
        read_sssom(path)


def test_write_then_read_round_trips(tmp_path: Path, mapping_set: tuple[dict[str, object], list[Mapping]]) -> None:
    metadata, mappings = mapping_set
    target = tmp_path / "out.sssom.tsv"
    write_sssom(list(reversed(mappings)), metadata, target)
    assert target.read_text(encoding="utf-8") == SSSOM.read_text(encoding="utf-8")
    assert read_sssom(target) == (metadata, mappings)


# ---- the lexicon check on a small fixture lexicon (runs without ../shared) ----

FIXTURE_GO = """id\tlabel\tsynonyms\tobsolete\tparents\txrefs\treplaced_by\tnamespace\tsource
GO:0070062\textracellular exosome\texosome|extracellular vesicular exosome\tfalse\t\t\t\tcellular_component\t
GO:0006944\tmembrane fusion\t\ttrue\t\t\tGO:0061025\tbiological_process\t
GO:0005764\tlysosome\t\tfalse\t\t\t\tcellular_component\t
GO:0034676\tintegrin alpha6-beta4 complex\t\tfalse\t\t\t\tcellular_component\t
"""


def _mapping(subject: str, predicate: str, obj: str, object_label: str, comment: str = "") -> Mapping:
    return Mapping(subject, "x", predicate, obj, object_label, "semapv:ManualMappingCuration", None, comment)


@pytest.fixture
def fixture_lexicons(tmp_path: Path) -> Path:
    (tmp_path / "go.tsv").write_text(FIXTURE_GO, encoding="utf-8")
    return tmp_path


FIXTURE_LABELS = {"exokg:Exosome": {"exosome"}, "exokg:Lysosome": {"lysosome"},
                  "exokg.entity:integrin-alpha6-beta4": {"integrin α6β4"}}  # fmt: skip


@pytest.mark.parametrize(
    ("mapping", "kind"),
    [
        (_mapping("exokg:Exosome", "skos:exactMatch", "GO:0006944", "membrane fusion"), "obsolete"),
        (_mapping("exokg:Exosome", "skos:exactMatch", "GO:9999999", "nothing"), "unknown"),
        (_mapping("exokg:Exosome", "skos:exactMatch", "GO:0005764", "lysosome"), "label-mismatch"),
        (_mapping("exokg:Exosome", "skos:exactMatch", "GO:0070062", "lysosome"), "label-mismatch"),
        (_mapping("exokg:Exosome", "skos:exactMatch", "IAO:0000115", "definition"), "unknown-prefix"),
        (_mapping("exokg:Exosome", "skos:exactMatch", "FOO:1", "foo"), "unknown-prefix"),
    ],
)
def test_check_links_reports_each_kind(fixture_lexicons: Path, mapping: Mapping, kind: str) -> None:
    problems = check_links([mapping], fixture_lexicons, labels=FIXTURE_LABELS)
    assert [p.kind for p in problems] == [kind]


def test_check_links_accepts_good_explained_and_non_exact_mappings(fixture_lexicons: Path) -> None:
    good = [
        _mapping("exokg:Exosome", "skos:exactMatch", "GO:0070062", "extracellular exosome"),
        _mapping("exokg:Lysosome", "skos:broadMatch", "GO:0070062", "extracellular exosome"),
        _mapping("exokg:Exosome", "skos:closeMatch", "GO:0005764", "lysosome", f"{LABEL_DIFFERS} a test reason"),
        _mapping(
            "exokg.entity:integrin-alpha6-beta4",
            "skos:exactMatch",
            "GO:0034676",
            "integrin alpha6-beta4 complex",
            f"{LABEL_DIFFERS} GO adds 'complex'",
        ),
    ]
    assert check_links(good, fixture_lexicons, labels=FIXTURE_LABELS) == []


def test_normalised_labels_tolerate_case_punctuation_and_greek() -> None:
    assert normalise_label("Integrin α6β4") == normalise_label("integrin alpha6-beta4")
    assert normalise_label("TGF-β") == normalise_label("TGF beta")
    assert normalise_label("CD8-positive T cell") == normalise_label("CD8 positive t-cell")


# ---- KGX ----


def _review_graph() -> Graph:
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    individual = URIRef("http://www.w3.org/2002/07/owl#NamedIndividual")
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    graph = Graph()
    for name, cls in (("mir-21", "MicroRNA"), ("cell-migration", "CellMigration"), ("cd63", "Tetraspanin"),
                      ("exosome", "Exosome"), ("pancreatic-cancer", "Cancer")):  # fmt: skip
        node = URIRef(ENTITY + name)
        graph.add((node, rdf_type, individual))
        graph.add((node, rdf_type, URIRef(EXOKG + cls)))
        graph.add((node, label, Literal(name, lang="en")))
    claim = URIRef("https://w3id.org/exokg/claim/soung2016-c001")
    graph.add((claim, rdf_type, individual))
    graph.add((claim, rdf_type, URIRef(EXOKG + "Claim")))
    graph.add((claim, URIRef(EXOKG + "claimSubject"), URIRef(ENTITY + "mir-21")))
    graph.add((claim, URIRef(EXOKG + "claimRelation"), URIRef(EXOKG + "promotes")))
    graph.add((claim, URIRef(EXOKG + "claimObject"), URIRef(ENTITY + "cell-migration")))
    graph.add((claim, URIRef(EXOKG + "inCancer"), URIRef(ENTITY + "pancreatic-cancer")))
    graph.add((claim, URIRef(EXOKG + "hasEvidence"), URIRef("http://purl.obolibrary.org/obo/ECO_0000304")))
    graph.add((URIRef(ENTITY + "cd63"), URIRef(EXOKG + "partOf"), URIRef(ENTITY + "exosome")))
    return graph


def _rows(tsv: str) -> list[dict[str, str]]:
    header, *lines = tsv.rstrip("\n").split("\n")
    return [dict(zip(header.split("\t"), line.split("\t"), strict=True)) for line in lines]


def test_kgx_nodes_and_edges(mappings: list[Mapping]) -> None:
    nodes_tsv, edges_tsv = kgx_nodes_edges(_review_graph(), mappings_graph(mappings), ids="exokg")
    assert nodes_tsv.split("\n")[0].split("\t") == list(NODE_COLUMNS)
    assert edges_tsv.split("\n")[0].split("\t") == list(EDGE_COLUMNS)
    nodes = {row["id"]: row for row in _rows(nodes_tsv)}
    assert "exokg.claim:soung2016-c001" not in nodes
    assert nodes["exokg.entity:mir-21"]["category"] == "biolink:Transcript"  # KGX 2.7 refuses 'MicroRNA'
    assert MIR21_MATURE in nodes["exokg.entity:mir-21"]["xref"].split("|")
    assert nodes["exokg.entity:cd63"]["category"] == "biolink:Gene"
    assert nodes["exokg.entity:pancreatic-cancer"]["category"] == "biolink:Disease"
    assert nodes["exokg.entity:exosome"]["category"] == "biolink:CellularComponent"
    assert nodes["exokg.entity:cell-migration"]["category"] == "biolink:BiologicalProcess"
    edges = _rows(edges_tsv)
    claim = next(e for e in edges if e["id"] == "exokg.claim:soung2016-c001")
    assert (claim["subject"], claim["predicate"], claim["object"]) == (
        "exokg.entity:mir-21", "biolink:affects", "exokg.entity:cell-migration")  # fmt: skip
    assert claim["qualified_predicate"] == "biolink:causes" and claim["object_direction_qualifier"] == "increased"
    assert claim["primary_knowledge_source"] == "infores:exokg"
    assert "aggregator_knowledge_source" not in claim  # the review is a publication, not an infores
    assert claim["publications"] == "PMID:26592936"  # no reference cited: the review itself
    assert claim["knowledge_level"] == "knowledge_assertion" and claim["agent_type"] == "manual_agent"
    assert claim["disease_context_qualifier"] == "exokg.entity:pancreatic-cancer"
    assert claim["has_evidence"] == "ECO:0000304"
    structural = next(e for e in edges if e["original_predicate"] == "exokg:partOf")
    # part_of is the non-canonical inverse of has_part: the edge is turned round
    assert (structural["subject"], structural["predicate"], structural["object"]) == (
        "exokg.entity:exosome", "biolink:has_part", "exokg.entity:cd63")  # fmt: skip


def test_kgx_uses_biolink_preferred_ids_by_default(mappings: list[Mapping]) -> None:
    nodes_tsv, edges_tsv = kgx_nodes_edges(_review_graph(), mappings_graph(mappings))
    nodes = {row["id"]: row for row in _rows(nodes_tsv)}
    assert nodes[CD63_NCBIGENE]["category"] == "biolink:Gene"  # Gene: NCBIGene before HGNC
    assert "exokg.entity:cd63" in nodes[CD63_NCBIGENE]["xref"].split("|")
    assert nodes["MONDO:0009831"]["category"] == "biolink:Disease"
    assert nodes[EXTRACELLULAR_EXOSOME]["name"] == "exosome"
    assert "exokg.entity:mir-21" in nodes  # no Biolink-preferred id for a mature miRNA: exokg id, MIMAT xref
    claim = next(e for e in _rows(edges_tsv) if e["id"] == "exokg.claim:soung2016-c001")
    assert claim["subject"] == "exokg.entity:mir-21" and claim["disease_context_qualifier"] == "MONDO:0009831"

"""exokg.pipeline.validate: the real graph, claims with a part removed, failing closed, files, reports.

Results are checked through the SHACL results graph (``sh:sourceShape``, ``sh:focusNode``,
``sh:resultSeverity``), never by matching report text.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rdflib import OWL, RDF, RDFS, SH, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from exokg.errors import EngineError, InputError
from exokg.io.rdf import parse_file
from exokg.pipeline.ontology import load_ontology
from exokg.pipeline.validate import ValidationReport, load_shapes, validate_files, validate_graph, write_reports
from exokg.pipeline.validate.qc import QcQuery, load_qc_queries, parse_qc_file, run_qc
from exokg.vocab import EXOKG

DATA = Path(__file__).parent / "data"
CONTEXT = DATA / "shapes" / "context.ttl"
COMPLETE_CLAIMS = DATA / "shapes" / "valid" / "Claim-complete.ttl"
CLAIM = URIRef("https://w3id.org/exokg/claim/test2020-c001")
SHAPE = "https://w3id.org/exokg/shapes/"
ECO_TRACEABLE = URIRef("http://purl.obolibrary.org/obo/ECO_0000304")


def vocab(name: str) -> URIRef:
    return URIRef(EXOKG + name)


@cache
def ontology() -> Graph:
    return load_ontology()


def claims_graph() -> Graph:
    graph = parse_file(Graph(), CONTEXT)
    return parse_file(graph, COMPLETE_CLAIMS)


def results_for(report: ValidationReport, *, severity: URIRef = SH.Violation) -> set[tuple[Node, Node]]:
    """(source shape, focus node) of every result of ``severity`` in the results graph."""
    graph = report.results_graph
    return {
        (graph.value(result, SH.sourceShape), graph.value(result, SH.focusNode))
        for result in graph.subjects(RDF.type, SH.ValidationResult)
        if graph.value(result, SH.resultSeverity) == severity
    }


# ---- The real graph ----


@pytest.fixture(scope="module")
def review() -> Graph:
    from exokg.pipeline.curation import load_curation
    from exokg.pipeline.ontology import data_property_ranges
    from exokg.pipeline.populate import build_review_graph

    return build_review_graph(load_curation(), datatypes=data_property_ranges())


@pytest.fixture(scope="module")
def real_report(review: Graph) -> ValidationReport:
    return validate_graph(review, ontology())


def test_real_review_graph_conforms(real_report: ValidationReport) -> None:
    violations = [finding for finding in real_report.findings if finding.severity == "Violation"]
    assert violations == []
    assert real_report.conforms
    report_node = next(real_report.results_graph.subjects(RDF.type, SH.ValidationReport))
    assert real_report.results_graph.value(report_node, SH.conforms) == Literal(True)


def test_real_claim_without_its_reference_is_a_violation(review: Graph) -> None:
    claim = min(review.subjects(vocab("hasEvidence"), ECO_TRACEABLE))
    broken = Graph()
    for triple in review:
        broken.add(triple)
    broken.remove((claim, vocab("citesReference"), None))
    report = validate_graph(broken, ontology())
    assert results_for(report) == {(URIRef(SHAPE + "ClaimTraceableReference"), claim)}


def test_real_graph_with_mappings_conforms() -> None:
    from exokg.mappings.graph import load_mappings
    from exokg.pipeline.curation import load_curation
    from exokg.pipeline.ontology import data_property_ranges
    from exokg.pipeline.populate import build_review_graph

    data = build_review_graph(load_curation(), datatypes=data_property_ranges()) + load_mappings()
    assert results_for(validate_graph(data, ontology())) == set()


def test_the_built_store_validated_in_place_gives_the_same_findings(dist: Path) -> None:
    """``validate_store`` (no rdflib copy, for corpora of millions of triples) agrees with ``validate_graph``."""
    import pyoxigraph

    from exokg.pipeline.assemble import assemble
    from exokg.pipeline.validate.shacl import validate_store
    from exokg.vocab import GRAPH_MAPPINGS, GRAPH_ONTOLOGY, GRAPH_REVIEW

    graphs = assemble()
    expected = validate_graph(graphs.data(), graphs.ontology)
    in_place = validate_store(
        pyoxigraph.Store.read_only(str(dist / "store")), [GRAPH_ONTOLOGY, GRAPH_REVIEW, GRAPH_MAPPINGS]
    )
    assert expected.warnings > 0  # the comparison covers findings, labels included
    assert in_place.findings == expected.findings
    assert in_place.conforms


# ---- Removing one required element of a claim ----

REQUIRED = [
    "claimSubject",
    "claimRelation",
    "claimObject",
    "statedIn",
    "inSection",
    "hasEvidence",
    "citesReference",  # required because the claim's evidence is ECO:0000304
    "knowledgeLevel",
    "agentType",
    "paraphrase",
    "label",
]


def test_complete_claim_is_valid() -> None:
    graph = claims_graph()
    assert graph.value(CLAIM, vocab("hasEvidence")) == ECO_TRACEABLE
    report = validate_graph(graph, ontology())
    assert {focus for _, focus in results_for(report)} == set()


@pytest.mark.parametrize("name", REQUIRED)
def test_removing_a_required_element_is_a_violation_on_the_claim(name: str) -> None:
    graph = claims_graph()
    prop = RDFS.label if name == "label" else vocab(name)
    assert (CLAIM, prop, None) in graph
    graph.remove((CLAIM, prop, None))
    report = validate_graph(graph, ontology())
    assert CLAIM in {focus for _, focus in results_for(report)}
    assert not report.conforms


def test_traceable_evidence_without_reference_names_the_rule() -> None:
    graph = claims_graph()
    graph.remove((CLAIM, vocab("citesReference"), None))
    report = validate_graph(graph, ontology())
    assert (URIRef(SHAPE + "ClaimTraceableReference"), CLAIM) in results_for(report)


def test_warnings_do_not_fail() -> None:
    graph = claims_graph()
    untraceable = URIRef("https://w3id.org/exokg/claim/test2020-c002")
    graph.add((untraceable, vocab("citesReference"), URIRef("https://w3id.org/exokg/source/test2020-r01")))
    report = validate_graph(graph, ontology())
    assert (URIRef(SHAPE + "ClaimUntraceableEvidence"), untraceable) in results_for(report, severity=SH.Warning)
    assert report.conforms and report.warnings >= 1 and report.violations == 0


def test_target_class_reaches_subclasses() -> None:
    """An entity typed only by a deep subclass is checked by shapes that target a root class."""
    graph = Graph()
    entity = URIRef("https://w3id.org/exokg/entity/t-unlabelled-mir")
    graph.add((entity, RDF.type, vocab("MicroRNA")))
    report = validate_graph(graph, ontology())
    assert (URIRef(SHAPE + "Individual-label"), entity) in results_for(report)


# ---- Failing closed ----


def _patch_pyshacl(monkeypatch: pytest.MonkeyPatch, outcome: Any) -> None:
    import pyshacl

    def fake(*args: object, **kwargs: object) -> Any:
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(pyshacl, "validate", fake)


def _report_graph(*, conforms: bool, violation: bool) -> Graph:
    from rdflib import BNode

    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    if violation:
        result = BNode()
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.resultSeverity, SH.Violation))
        graph.add((result, SH.focusNode, CLAIM))
        graph.add((result, SH.sourceShape, URIRef(SHAPE + "Claim")))
    return graph


class _ValidationFailure:
    message = "shape graph could not be loaded"


@pytest.mark.parametrize(
    "outcome",
    [
        RuntimeError("boom"),
        ValueError("bad shapes"),
        RecursionError("too deep"),
        (False, _ValidationFailure(), "Validation Failure - shape graph could not be loaded"),
        (True, "not a graph", ""),
        None,
        (True, _report_graph(conforms=True, violation=True), ""),
        (False, _report_graph(conforms=False, violation=False), ""),
        ("yes", _report_graph(conforms=True, violation=False), ""),
    ],
    ids=[
        "raises",
        "raises-value",
        "recursion",
        "failure-object",
        "not-a-graph",
        "none",
        "conforms-with-violation",
        "fails-without-result",
        "conforms-not-bool",
    ],
)
def test_engine_failure_is_engine_error(monkeypatch: pytest.MonkeyPatch, outcome: Any) -> None:
    _patch_pyshacl(monkeypatch, outcome)
    with pytest.raises(EngineError) as caught:
        validate_graph(claims_graph(), ontology(), engine="pyshacl")
    assert caught.value.exit_code == 2
    assert not isinstance(caught.value, InputError)


def test_a_compiled_query_oxigraph_refuses_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Oxigraph engine fails closed too: a query it cannot run is never "conforms"."""
    from rdflib import SH

    from exokg.pipeline.validate import oxshacl
    from exokg.pipeline.validate.compile import CompiledConstraint

    broken = CompiledConstraint(URIRef(SHAPE + "Claim"), SH.NodeKindConstraintComponent, SH.Violation, None, "SELEC")
    monkeypatch.setattr(oxshacl, "compile_shapes", lambda shapes: [broken])
    with pytest.raises(EngineError) as caught:
        validate_graph(claims_graph(), ontology())
    assert caught.value.exit_code == 2


def test_a_coherent_fake_report_passes_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks above reject only incoherent reports: a coherent one is used as given."""
    _patch_pyshacl(monkeypatch, (False, _report_graph(conforms=False, violation=True), ""))
    report = validate_graph(Graph(), Graph(), engine="pyshacl")
    assert (URIRef(SHAPE + "Claim"), CLAIM) in results_for(report)


def test_broken_qc_query_is_engine_error(tmp_path: Path) -> None:
    query = QcQuery("broken-violation", "Violation", "x", "x", "x", "SELECT ?focus WHERE { ?focus", tmp_path)
    with pytest.raises(EngineError):
        run_qc(Graph(), [query])


# ---- QC query files ----


def test_every_shipped_qc_query_parses_and_runs() -> None:
    queries = load_qc_queries()
    assert len(queries) >= 13
    assert {q.severity for q in queries} <= {"Violation", "Warning", "Info"}
    assert run_qc(ontology(), [q for q in queries if q.severity == "Violation"]) == []


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("a-violation", "# name: a-violation\n# severity: Violation\n# checks: x\n# message: x\n"),  # no fix
        ("b-violation", "# name: b-violation\n# severity: Warning\n# checks: x\n# message: x\n# fix: x\n"),
        ("c-violation", "# name: other\n# severity: Violation\n# checks: x\n# message: x\n# fix: x\n"),
        ("d-violation", "# name: d-violation\n# severity: Fatal\n# checks: x\n# message: x\n# fix: x\n"),
    ],
    ids=["missing-fix", "severity-vs-suffix", "name-vs-file", "unknown-severity"],
)
def test_bad_qc_header_is_refused(tmp_path: Path, name: str, header: str) -> None:
    path = tmp_path / f"{name}.rq"
    path.write_text(header + "SELECT ?focus WHERE { ?focus ?p ?o }\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_qc_file(path)
    assert caught.value.path == path


# ---- Shapes are well-formed and complete ----


def _rule_shapes() -> list[URIRef]:
    shapes = load_shapes()
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    return sorted(node for node in found if isinstance(node, URIRef))


def test_every_shape_has_message_fix_and_severity() -> None:
    shapes = load_shapes()
    for shape in _rule_shapes():
        assert shapes.value(shape, SH.message) is not None, shape
        assert shapes.value(shape, SH.description) is not None, shape
        assert shapes.value(shape, SH.severity) in {SH.Violation, SH.Warning, SH.Info}, shape


def test_shapes_use_only_declared_terms() -> None:
    """Every exokg class or property a shape names exists in the ontology (a typo would make a shape vacuous)."""
    shapes, onto = load_shapes(), ontology()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
    declared = {term for kind in kinds for term in onto.subjects(RDF.type, kind)}
    named = {term for triple in shapes for term in triple if isinstance(term, URIRef) and term.startswith(EXOKG)}
    assert named - declared == set()


def test_every_declared_domain_and_range_is_checked() -> None:
    shapes, onto = load_shapes(), ontology()

    def checked(prop: Node, cls: Node, target: URIRef) -> bool:
        by_target = any((shape, SH["class"], cls) in shapes for shape in shapes.subjects(target, prop))
        by_path = any((shape, SH["class"], cls) in shapes for shape in shapes.subjects(SH.path, prop))
        return by_target or (target == SH.targetObjectsOf and by_path)

    missing = [
        (prop, kind, cls)
        for kind, target in ((RDFS.domain, SH.targetSubjectsOf), (RDFS.range, SH.targetObjectsOf))
        for prop, cls in onto.subject_objects(kind)
        if str(prop).startswith(EXOKG) and str(cls).startswith(EXOKG) and not checked(prop, cls, target)
    ]
    assert missing == []


def test_individual_targets_reach_every_class() -> None:
    """Every exokg class is a subclass of a class the individual shapes target (a new root class must be added)."""
    shapes, onto = load_shapes(), ontology()
    roots = set(shapes.objects(URIRef(SHAPE + "Individual"), SH.targetClass))
    for cls in onto.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and cls.startswith(EXOKG):
            assert roots & set(onto.transitive_objects(cls, RDFS.subClassOf)), cls


# ---- Curators' files ----


def _write_formats(tmp_path: Path) -> list[Path]:
    graph = claims_graph()
    paths = []
    for suffix, fmt in ((".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld"), (".rdf", "xml"), (".owl", "xml")):
        path = tmp_path / f"claims{suffix}"
        path.write_text(graph.serialize(format=fmt), encoding="utf-8")
        paths.append(path)
    return paths


def test_validate_files_reads_every_format(tmp_path: Path) -> None:
    for path in _write_formats(tmp_path):
        report = validate_files([path])
        assert results_for(report) == set(), path.name


def test_validate_files_merges_several_files(tmp_path: Path) -> None:
    context, claims = tmp_path / "context.ttl", tmp_path / "claims.ttl"
    context.write_bytes(CONTEXT.read_bytes())
    claims.write_bytes(COMPLETE_CLAIMS.read_bytes())
    assert validate_files([context, claims]).conforms
    alone = validate_files([claims])
    assert CLAIM in {focus for _, focus in results_for(alone)}  # the section and review are missing


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    """Refused before parsing (how quickly: bench/refusals.py; a wall time here would be flaky)."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">' for previous, name in zip("abcde", "bcdef", strict=True)
    )
    payload = (
        f'<?xml version="1.0"?><!DOCTYPE r [{entities}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="https://w3id.org/exokg/entity/x"><rdf:value>&f;</rdf:value>'
        "</rdf:Description></rdf:RDF>"
    )
    assert len(payload) < 1000
    path = tmp_path / "laughs.rdf"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(InputError, match="DOCTYPE") as caught:
        validate_files([path])
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("suffix", "text", "line"),
    [
        (".ttl", "@prefix ex: <http://example.org/> .\n\nex:a ex:p ex:b .\nex:a ex:p <http://example.org/a b> .\n", 4),
        (".ttl", "@prefix ex: <http://example.org/> .\nex:a ex:p <relative/thing> .\n", 2),
        (".ttl", "@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\nex:a ex:p <http://example.org/{x}> .\n", 3),
        (
            ".nt",
            "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n"
            "<http://example.org/a> <http://example.org/p> <http://example.org/a b> .\n",
            2,
        ),
    ],
    ids=["space", "relative", "braces", "n-triples"],
)
def test_invalid_iri_is_reported_with_file_and_line(tmp_path: Path, suffix: str, text: str, line: int) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        validate_files([path])
    assert (caught.value.path, caught.value.line) == (path, line)


def test_validate_files_needs_a_file() -> None:
    with pytest.raises(InputError):
        validate_files([])


def test_missing_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        validate_files([tmp_path / "absent.ttl"])


# ---- Reports ----


def _invalid_report() -> ValidationReport:
    graph = claims_graph()
    graph.remove((CLAIM, vocab("claimSubject"), None))
    return validate_graph(graph, ontology())


def test_findings_name_node_rule_and_fix() -> None:
    report = _invalid_report()
    finding = next(f for f in report.findings if f.source == SHAPE + "Claim-subject")
    assert finding.severity == "Violation"
    assert finding.focus == str(CLAIM)
    assert finding.focus_label is not None
    assert finding.path == EXOKG + "claimSubject"
    assert finding.fix
    assert all(f.fix for f in report.findings)
    assert report.findings[0].severity == "Violation"  # violations come first


def test_write_reports(tmp_path: Path) -> None:
    report = _invalid_report()
    write_reports(report, tmp_path)
    written = Graph().parse(tmp_path / "validation-report.ttl", format="turtle")
    assert isomorphic(written, report.results_graph)
    data = json.loads((tmp_path / "validation-report.json").read_text(encoding="utf-8"))
    assert data["conforms"] is False
    assert data["violations"] == report.violations == len([f for f in data["findings"] if f["severity"] == "Violation"])
    text = (tmp_path / "validation-report.txt").read_text(encoding="utf-8")
    assert text == report.to_text(timing=False)
    assert "seconds" not in data
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "validation-report.json",
        "validation-report.ttl",
        "validation-report.txt",
    ]


def test_written_reports_are_byte_stable(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write_reports(_invalid_report(), first)
    write_reports(_invalid_report(), second)
    for name in ("validation-report.ttl", "validation-report.txt", "validation-report.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_qc_findings_are_validation_results() -> None:
    graph = claims_graph()
    graph.add((vocab("TestUndefined"), RDF.type, OWL.Class))
    report = validate_graph(graph, ontology())
    qc = URIRef("https://w3id.org/exokg/shapes/qc/missing-label-violation")
    assert (qc, vocab("TestUndefined")) in results_for(report)
    finding = next(f for f in report.findings if f.source == "missing-label-violation")
    assert finding.fix and finding.severity == "Violation"


def test_empty_graph_conforms() -> None:
    report = validate_graph(Graph(), Graph())
    assert report.conforms and report.findings == ()
    assert report.to_json()["findings"] == []

"""Validate the graph: SHACL shapes (``shapes/*.ttl``) and QC queries (``queries/qc/*.rq``).

The ontology is merged into the data graph before validation, so ``sh:targetClass``
and ``sh:class`` reach subclasses through ``rdfs:subClassOf*`` with no inference.
A ``Violation`` fails; ``Warning`` and ``Info`` are reported. Validation fails
closed: if pySHACL raises, or returns anything but a well-formed report, the
result is :class:`~exokg.errors.EngineError`, never "conforms".

>>> from rdflib import Graph
>>> validate_graph(Graph(), Graph()).conforms
True
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from exokg import vocab
from exokg.errors import EngineError, InputError
from exokg.io.rdf import parse_file
from exokg.pipeline.validate.qc import QcQuery, QcRow, load_qc_queries, oxigraph_store, run_qc
from exokg.resources import shapes_dir

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "ENGINES",
    "Finding",
    "ValidationReport",
    "load_shapes",
    "validate_graph",
    "validate_store",
    "write_reports",
]

_SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}
#: The engines that can run the shapes; the first is the default.
ENGINES = vocab.SHACL_ENGINES


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: what (``message``), where (``focus``, ``path``, ``value``), which rule (``source``) and the fix."""

    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    fix: str | None
    source: str  # a shape IRI, or a QC query name

    def to_json(self) -> dict[str, str | None]:
        return {
            "severity": self.severity,
            "focus": self.focus,
            "focus_label": self.focus_label,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "fix": self.fix,
            "source": self.source,
        }


@dataclass(frozen=True)
class ValidationReport:
    """The findings of one validation, its SHACL results graph and how long it took."""

    findings: tuple[Finding, ...]
    results_graph: Graph
    seconds: float

    @property
    def conforms(self) -> bool:
        return self.violations == 0

    @property
    def violations(self) -> int:
        return self._count("Violation")

    @property
    def warnings(self) -> int:
        return self._count("Warning")

    @property
    def infos(self) -> int:
        return self._count("Info")

    def _count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def to_text(self, *, timing: bool = True) -> str:
        """A plain-text report: a summary line, then one block per finding, violations first.

        ``timing=False`` leaves out the time taken, so that a build writes the same bytes every time.
        """
        lines = [self._summary(timing=timing)]
        for finding in self.findings:
            lines.append("")
            lines.extend(_finding_lines(finding))
        return "\n".join(lines) + "\n"

    def _summary(self, *, timing: bool) -> str:
        verdict = "conforms" if self.conforms else "does NOT conform"
        took = f" in {self.seconds:.2f} s" if timing else ""
        return (
            f"Validation {verdict}: {self.violations} violation(s), {self.warnings} warning(s), "
            f"{self.infos} info(s){took}"
        )

    def to_json(self, *, timing: bool = True) -> dict[str, Any]:
        """The report as JSON-ready data; ``timing=False`` leaves out ``seconds`` (stable bytes)."""
        data: dict[str, Any] = {
            "conforms": self.conforms,
            "violations": self.violations,
            "warnings": self.warnings,
            "infos": self.infos,
            "findings": [finding.to_json() for finding in self.findings],
        }
        if timing:
            data["seconds"] = round(self.seconds, 3)
        return data


def _finding_lines(finding: Finding) -> list[str]:
    from exokg.prefixes import compress

    focus = compress(finding.focus) or finding.focus
    label = f" ({finding.focus_label})" if finding.focus_label else ""
    rule = finding.source.replace(vocab.SHAPES, "shape:") if ":" in finding.source else f"qc:{finding.source}"
    lines = [f"[{finding.severity}] {focus}{label}", f"  rule:    {rule}", f"  problem: {finding.message}"]
    if finding.path:
        lines.append(f"  path:    {compress(finding.path) or finding.path}")
    if finding.value is not None:
        lines.append(f"  value:   {finding.value}")
    if finding.fix:
        lines.append(f"  fix:     {finding.fix}")
    return lines


# ---- Loading the rules ----


def load_shapes(folder: Path | None = None) -> Graph:
    """Every shape file of ``folder`` (default: the packaged ``shapes/``) in one graph."""
    root = folder or shapes_dir()
    graph = Graph()
    paths = sorted(root.glob("*.ttl"))
    if not paths:
        raise InputError("no SHACL shape files (*.ttl) found", path=root)
    for path in paths:
        parse_file(graph, path)
    return graph


# ---- Validation ----


def validate_graph(data: Graph, ontology: Graph, *, engine: str = "oxigraph") -> ValidationReport:
    """Validate ``data`` (review and mappings graphs, asserted) merged with ``ontology``.

    ``engine`` runs the shapes: ``oxigraph`` (compiled to SPARQL, the default) or ``pyshacl``
    (the oracle that the compiled shapes are tested against).
    """
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r}; choose one of {', '.join(ENGINES)}")
    start = time.perf_counter()
    merged = Graph()
    for part in (ontology, data):
        for triple in part:
            merged.add(triple)
    shapes = load_shapes()
    queries = load_qc_queries()
    store = oxigraph_store(merged)
    if engine == "oxigraph":
        from exokg.pipeline.validate.oxshacl import validate_on_oxigraph

        results = validate_on_oxigraph(store, shapes)
    else:
        results = _run_shacl(merged, shapes)
    _add_qc_results(results, run_qc(merged, queries, store=store))
    findings = _findings(results, shapes, partial(_label, merged), queries)
    _set_conforms(results, findings)
    return ValidationReport(tuple(sorted(findings, key=_sort_key)), results, time.perf_counter() - start)


def validate_store(
    store: pyoxigraph.Store, graphs: Sequence[str] | None = None, *, progress: TextIO | None = None
) -> ValidationReport:
    """Validate the merge of the named ``graphs`` of an Oxigraph ``store`` where it lies: no copy.

    ``graphs`` defaults to every named graph but the inferred one (the asserted data, as the build
    validates it). They must include the ontology (as ``validate_graph`` merges it in). Shapes and QC
    queries read the merge as their default graph, so a corpus of millions of triples is
    validated without parsing it into rdflib (docs/scaling.md).
    """
    import pyoxigraph

    start = time.perf_counter()
    known = {graph.value for graph in store.named_graphs() if isinstance(graph, pyoxigraph.NamedNode)}
    graphs = sorted(known - {vocab.GRAPH_INFERRED}) if graphs is None else graphs
    missing = sorted(set(graphs) - known)
    if missing:
        raise InputError(f"the store has no graph {', '.join(f'<{g}>' for g in missing)}; it has: "
                         + ", ".join(f"<{g}>" for g in sorted(known)))  # fmt: skip
    if vocab.GRAPH_ONTOLOGY not in graphs:  # without it sh:targetClass misses every subclass: too few findings
        raise InputError(f"validation needs the ontology graph <{vocab.GRAPH_ONTOLOGY}> among the graphs")
    default_graph = [pyoxigraph.NamedNode(graph) for graph in graphs]
    shapes = load_shapes()
    queries = load_qc_queries()
    from exokg.pipeline.validate.oxshacl import validate_on_oxigraph

    results = validate_on_oxigraph(store, shapes, default_graph=default_graph, progress=progress)
    _add_qc_results(results, run_qc(None, queries, store=store, default_graph=default_graph))
    findings = _findings(results, shapes, partial(_store_label, store, default_graph), queries)
    _set_conforms(results, findings)
    return ValidationReport(tuple(sorted(findings, key=_sort_key)), results, time.perf_counter() - start)


def _run_shacl(data: Graph, shapes: Graph) -> Graph:
    import pyshacl

    try:
        outcome = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=False,
            inplace=True,
            allow_warnings=True,
            allow_infos=True,
            do_owl_imports=False,
        )
    except Exception as exc:  # any pySHACL failure is an engine failure, never "invalid data"
        raise EngineError(f"pySHACL failed: {type(exc).__name__}: {exc}") from None
    return _checked_report(outcome)


def _checked_report(outcome: object) -> Graph:
    """The results graph of a pySHACL outcome, or :class:`EngineError` if it is not a coherent report."""
    if not isinstance(outcome, tuple) or len(outcome) != 3:
        raise EngineError(f"pySHACL returned {type(outcome).__name__}, not (conforms, report, text)")
    conforms, report, _ = outcome
    if not isinstance(report, Graph):
        raise EngineError(f"pySHACL returned no validation report ({type(report).__name__}): {report}")
    if not isinstance(conforms, bool):
        raise EngineError(f"pySHACL returned conforms={conforms!r}, not a boolean")
    nodes = list(report.subjects(RDF.type, SH.ValidationReport))
    if len(nodes) != 1:
        raise EngineError(f"pySHACL returned {len(nodes)} validation reports, expected 1")
    stated = report.value(nodes[0], SH.conforms)
    violations = [r for r in report.objects(nodes[0], SH.result) if report.value(r, SH.resultSeverity) == SH.Violation]
    if not isinstance(stated, Literal) or stated.toPython() is not conforms or conforms == bool(violations):
        raise EngineError("pySHACL returned an incoherent report (conforms does not match its results)")
    return report


def _add_qc_results(results: Graph, rows: Iterable[QcRow]) -> None:
    report = next(iter(results.subjects(RDF.type, SH.ValidationReport)))
    for row in rows:
        node = BNode()
        results.add((report, SH.result, node))
        results.add((node, RDF.type, SH.ValidationResult))
        results.add((node, SH.focusNode, row.focus))
        results.add((node, SH.resultSeverity, SH[row.query.severity]))
        results.add((node, SH.sourceShape, row.query.iri))
        results.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        message = row.query.message + (f" ({row.detail})" if row.detail else "")
        results.add((node, SH.resultMessage, Literal(message)))
        if row.path is not None:
            results.add((node, SH.resultPath, row.path))
        if row.value is not None:
            results.add((node, SH.value, row.value))


def _set_conforms(results: Graph, findings: Sequence[Finding]) -> None:
    report = next(iter(results.subjects(RDF.type, SH.ValidationReport)))
    conforms = not any(finding.severity == "Violation" for finding in findings)
    results.set((report, SH.conforms, Literal(conforms)))


# ---- From the results graph to findings ----


def _findings(
    results: Graph, shapes: Graph, label: Callable[[Node], str | None], queries: Sequence[QcQuery]
) -> list[Finding]:
    by_iri = {query.iri: query for query in queries}
    return [_finding(results, node, shapes, label, by_iri) for node in results.subjects(RDF.type, SH.ValidationResult)]


def _finding(
    results: Graph, node: Node, shapes: Graph, label: Callable[[Node], str | None], queries: dict[URIRef, QcQuery]
) -> Finding:
    focus = results.value(node, SH.focusNode)
    source = results.value(node, SH.sourceShape)
    severity = results.value(node, SH.resultSeverity)
    if focus is None or source is None or not isinstance(severity, URIRef):
        raise EngineError("pySHACL returned a validation result without focus node, source shape or severity")
    path = results.value(node, SH.resultPath)
    value = results.value(node, SH.value)
    query = queries.get(source) if isinstance(source, URIRef) else None
    return Finding(
        severity=severity.removeprefix(str(SH)),
        focus=str(focus) if isinstance(focus, URIRef) else focus.n3(),
        focus_label=label(focus),
        path=_render_path(results, path) if path is not None else None,
        value=str(value) if value is not None else None,
        message=_message(results, node),
        fix=query.fix if query else _shape_fix(shapes, source),
        source=query.name if query else (str(source) if isinstance(source, URIRef) else source.n3()),
    )


def _message(results: Graph, node: Node) -> str:
    messages = sorted(results.objects(node, SH.resultMessage), key=lambda m: (getattr(m, "language", None) != "en", m))
    return str(messages[0]) if messages else "(no message)"


def _shape_fix(shapes: Graph, shape: Node) -> str | None:
    fix = shapes.value(shape, SH.description)
    return str(fix) if fix is not None else None


def _label(graph: Graph, node: Node) -> str | None:
    labels = sorted(graph.objects(node, RDFS.label), key=lambda m: (getattr(m, "language", None) != "en", m))
    return str(labels[0]) if labels else None


def _store_label(store: pyoxigraph.Store, default_graph: list[Any], node: Node) -> str | None:
    """As :func:`_label`, read from the store (English first, then the smallest)."""

    if not isinstance(node, URIRef):
        return None  # a blank focus node has no label to look up
    query = f"SELECT ?label WHERE {{ {node.n3()} <{RDFS.label}> ?label }}"
    found = store.query(query, default_graph=default_graph)
    labels = sorted((s["label"].language != "en", s["label"].value) for s in found)  # type: ignore[union-attr]
    return labels[0][1] if labels else None


def _render_path(graph: Graph, path: Node) -> str:
    """A SHACL property path as text: an IRI, or ``(a | b)`` for an alternative path."""
    if isinstance(path, URIRef):
        return str(path)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(str(item) for item in Collection(graph, alternatives)) + ")"
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_render_path(graph, inverse)}"
    return path.n3()


def _sort_key(finding: Finding) -> tuple[int, str, str, str, str]:
    return (_SEVERITY_RANK.get(finding.severity, 3), finding.source, finding.focus, finding.path or "",
            finding.value or "")  # fmt: skip


# ---- Writing the reports ----


def write_reports(report: ValidationReport, folder: Path, stem: str = "validation-report") -> None:
    """Write ``stem``.ttl (the SHACL results graph), ``stem``.txt and ``stem``.json, each atomically.

    The files leave out the time taken, so the same graph gives the same bytes.
    """
    from exokg.io.atomic import write_atomic
    from exokg.io.rdfwrite import write_graph

    write_graph(report.results_graph, folder / f"{stem}.ttl", "ttl")
    write_atomic(folder / f"{stem}.txt", report.to_text(timing=False))
    text = json.dumps(report.to_json(timing=False), indent=2, sort_keys=True, ensure_ascii=False)
    write_atomic(folder / f"{stem}.json", text + "\n")

"""Run the project's SHACL Core shapes on Oxigraph: compiled to SPARQL, the report built as pySHACL builds it.

pySHACL stays the oracle (``exokg validate --engine pyshacl``); a test checks that both
give the same set of (focus node, path, constraint component, severity) on every
fixture and on the review graph. The results graph has pySHACL's shape, so the rest of
the validate stage (QC rows, findings, reports) reads it the same way.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TextIO

from rdflib import RDF, SH, BNode, Graph, Literal
from rdflib.term import Node

from exokg.errors import EngineError
from exokg.pipeline.validate.compile import CompiledConstraint, QueryBatch, batch_queries, compile_shapes
from exokg.progress import Bar
from exokg.query.terms import from_oxigraph, to_rdflib

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["validate_on_oxigraph"]


def validate_on_oxigraph(
    store: pyoxigraph.Store,
    shapes: Graph,
    *,
    default_graph: list[Any] | None = None,
    progress: TextIO | None = None,
) -> Graph:
    """The SHACL results graph of ``shapes`` over the default graph of ``store``.

    ``default_graph``: the named graphs (pyoxigraph nodes) whose merge is validated instead.
    ``progress``: where to report batches done, rate and ETA (a long run at 10^7 triples).
    """
    results = Graph()
    report = BNode()
    results.add((report, RDF.type, SH.ValidationReport))
    violations = 0
    batches = batch_queries(compile_shapes(shapes))
    # pyoxigraph evaluates without the GIL, so batches run side by side on a read-only store;
    # results are read back in batch order, so the report is the same whatever the timing.
    bar = Bar("validate", len(batches), progress, unit="shape queries")

    def run(batch: QueryBatch) -> list[Any]:
        solutions = _solutions(store, batch, default_graph)
        bar.advance(1)
        return solutions

    with ThreadPoolExecutor(max_workers=_workers(len(batches))) as pool:
        answers = list(pool.map(run, batches))
    bar.close()
    for batch, solutions in zip(batches, answers, strict=True):
        for solution in solutions:
            focus = _node(solution, "this")
            if focus is None:
                continue  # an aggregate over no focus node at all
            constraint = batch.constraints[int(solution["k"].value) if len(batch.constraints) > 1 else 0]
            node = BNode()
            results.add((report, SH.result, node))
            _add_result(results, node, constraint, focus, _node(solution, "value"), shapes)
            violations += constraint.severity == SH.Violation
    results.add((report, SH.conforms, Literal(violations == 0)))
    return results


def _workers(batches: int) -> int:
    """Threads for the shape queries: one per core this process may use, at most 4 (and at least 1)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4, batches))


def _solutions(store: pyoxigraph.Store, batch: QueryBatch, default_graph: list[Any] | None) -> list[Any]:
    try:
        return list(store.query(batch.query, default_graph=default_graph))  # type: ignore[arg-type]
    except Exception as exc:  # a compiled query the engine refuses is an engine failure, never "conforms"
        shapes = ", ".join(sorted({c.shape.n3() for c in batch.constraints}))
        raise EngineError(f"SHACL on Oxigraph failed for {shapes}: {exc}") from None


def _node(solution: Any, name: str) -> Node | None:
    try:
        term = solution[name]
    except (KeyError, IndexError):  # not projected (aggregate queries return ?this only)
        return None
    converted = from_oxigraph(term) if term is not None else None
    return to_rdflib(converted) if converted is not None else None


def _add_result(results: Graph, node: Node, c: CompiledConstraint, focus: Node, value: Node | None,
                shapes: Graph) -> None:  # fmt: skip
    results.add((node, RDF.type, SH.ValidationResult))
    results.add((node, SH.focusNode, focus))
    results.add((node, SH.resultSeverity, c.severity))
    results.add((node, SH.sourceShape, c.shape))
    results.add((node, SH.sourceConstraintComponent, c.component))
    for message in shapes.objects(c.shape, SH.message):
        results.add((node, SH.resultMessage, message))
    if value is not None:
        results.add((node, SH.value, value))
    if c.path is not None:
        results.add((node, SH.resultPath, c.path))
        _copy_description(shapes, c.path, results)


def _copy_description(source: Graph, node: Node, target: Graph) -> None:
    """Copy the triples that describe a blank node (a path expression or a list) and its own blank nodes."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if not isinstance(current, BNode) or current in seen:
            continue
        seen.add(current)
        for _, p, o in source.triples((current, None, None)):
            target.add((current, p, o))
            todo.append(o)

"""The whole line: load → populate → reason → validate → store → export, as ``exokg build`` runs it.

Everything is computed and serialised in memory first; only then are files
written, each atomically. A failure at any stage leaves the output folder as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

import exokg
from exokg.errors import ExokgError, InputError
from exokg.export import canonical, serialise_dataset, serialise_graph, write_atomic, write_dataset, write_graph
from exokg.prefixes import GRAPH, bind_prefixes
from exokg.progress import Progress

if TYPE_CHECKING:
    from exokg.validate import ValidationReport

__all__ = [
    "GRAPH_INFERRED",
    "GRAPH_MAPPINGS",
    "GRAPH_ONTOLOGY",
    "GRAPH_REVIEW",
    "Graphs",
    "assemble",
    "asserted_union",
    "build_date",
    "existing_or_fresh_build",
    "run_build",
]

GRAPH_ONTOLOGY = URIRef(GRAPH + "ontology")
GRAPH_REVIEW = URIRef(GRAPH + "review")
GRAPH_MAPPINGS = URIRef(GRAPH + "mappings")
GRAPH_INFERRED = URIRef(GRAPH + "inferred")


@dataclass
class Graphs:
    ontology: Graph
    review: Graph
    mappings: Graph
    inferred: Graph | None = None

    def named(self) -> dict[URIRef, Graph]:
        graphs = {GRAPH_ONTOLOGY: self.ontology, GRAPH_REVIEW: self.review, GRAPH_MAPPINGS: self.mappings}
        if self.inferred is not None:
            graphs[GRAPH_INFERRED] = self.inferred
        return graphs


def asserted_union(graphs: Graphs) -> Graph:
    """Ontology + review + mappings in one graph (what ``exokg.ttl`` holds)."""
    union = bind_prefixes(Graph())
    for part in (graphs.ontology, graphs.review, graphs.mappings):
        for triple in part:
            union.add(triple)
    return union


def assemble(*, progress: Progress | None = None) -> Graphs:
    """Load the packaged ontology, curated tables and mappings, check them, and populate the review graph."""
    from exokg.curation import check_curation, load_curation, ontology_vocabulary
    from exokg.links import load_mappings
    from exokg.ontology import data_property_ranges, load_ontology, object_property_labels
    from exokg.populate import build_review_graph

    progress = progress or Progress(quiet=True)
    with progress.stage("load"):
        ontology = load_ontology()
        curation = load_curation()
        classes, object_properties, data_properties = ontology_vocabulary()
        problems = check_curation(
            curation, classes=classes, object_properties=object_properties, data_properties=data_properties
        )
        if problems:
            shown = "\n".join(f"  {problem}" for problem in problems[:50])
            more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
            raise InputError(f"{len(problems)} problem(s) in the curated tables:\n{shown}{more}")
        mappings = load_mappings()
    with progress.stage("populate"):
        review = build_review_graph(
            curation, datatypes=data_property_ranges(), relation_labels=object_property_labels()
        )
    return Graphs(ontology=ontology, review=review, mappings=mappings)


def build_date() -> datetime:
    """The build timestamp: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except ValueError:
            raise InputError(f"SOURCE_DATE_EPOCH must be an integer number of seconds, not {epoch!r}") from None
    return datetime.now(tz=UTC).replace(microsecond=0)


@contextmanager
def existing_or_fresh_build(dist: Path) -> Iterator[Path]:
    """``dist`` when it holds a build (store and TriG), else a fresh build in a temporary folder.

    For scripts (benchmarks, generated docs) that need a build and should not leave one behind.
    """
    if (dist / "store").is_dir() and (dist / "exokg.trig").is_file():
        yield dist
        return
    with tempfile.TemporaryDirectory(prefix="exokg-build-") as folder:
        print(f"no build in {dist}: building into {folder}", file=sys.stderr)
        run_build(Path(folder), reason=True)
        yield Path(folder)


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise InputError(f"output folder is not writable: {exc.strerror}", path=folder) from None


def run_build(out: Path, *, reason: bool = True, progress: Progress | None = None) -> dict[str, object]:
    """Run the whole line into ``out`` and return the manifest."""
    from exokg.validate import validate_graph, write_reports

    progress = progress or Progress(quiet=True)
    _check_writable(out)
    graphs = assemble(progress=progress)
    if reason:
        with progress.stage("reason"):
            graphs.inferred = _reason(graphs)
    with progress.stage("validate"):
        report = validate_graph(_data_graph(graphs), graphs.ontology)
        if not report.conforms:
            raise ExokgError(f"validation failed: {report.violations} violation(s)\n{_violations_text(report)}")
    with progress.stage("serialise"):
        graphs = canonical_graphs(graphs)
        outputs = _serialise_all(graphs)
    with progress.stage("store"):
        from exokg.store import write_store

        write_store(serialise_dataset(graphs.named(), "nquads", canonicalised=True), out)
    with progress.stage("export"):
        _write_exports(graphs, outputs, out)
        write_reports(report, out)
        manifest = _manifest(graphs, out, reasoned=reason)
        write_atomic(out / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    progress.note(f"wrote {out} ({sum(manifest['triples'].values())} triples)")  # type: ignore[attr-defined]
    return manifest


def _violations_text(report: ValidationReport) -> str:
    """The violations only (warnings would bury them), one block each: node, rule, problem, fix."""
    blocks = []
    for finding in report.findings:
        if finding.severity == "Violation":
            node = finding.focus + (f" ({finding.focus_label})" if finding.focus_label else "")
            blocks.append(f"- {node}\n  rule: {finding.source}\n  problem: {finding.message}"
                          + (f"\n  fix: {finding.fix}" if finding.fix else ""))  # fmt: skip
    return "\n".join(blocks)


def _data_graph(graphs: Graphs) -> Graph:
    data = Graph()
    for part in (graphs.review, graphs.mappings):
        for triple in part:
            data.add(triple)
    return data


def _reason(graphs: Graphs) -> Graph:
    from exokg.reason import reason

    result = reason(asserted_union(graphs))
    return bind_prefixes(result.inferred)


@dataclass(frozen=True)
class Output:
    """One file of the build: its name, the graph it holds (None for TriG) and its text."""

    name: str
    graph: Graph | None
    fmt: str
    text: str


def canonical_graphs(graphs: Graphs) -> Graphs:
    """The same graphs with content-derived blank node labels, computed once for every export."""
    inferred = canonical(graphs.inferred) if graphs.inferred is not None else None
    return Graphs(canonical(graphs.ontology), canonical(graphs.review), canonical(graphs.mappings), inferred)


def _serialise_all(graphs: Graphs) -> list[Output]:
    """Every export, serialised in memory from graphs that :func:`canonical_graphs` returned."""
    union, ontology = asserted_union(graphs), graphs.ontology  # blank node labels stay as canonicalised
    plan: list[tuple[str, Graph, str]] = [
        ("exokg.ttl", union, "ttl"),
        ("exokg.nt", union, "nt"),
        ("exokg.jsonld", union, "jsonld"),
        ("exokg-ontology.ttl", ontology, "ttl"),
        ("exokg-ontology.owl", ontology, "xml"),
    ]
    if graphs.inferred is not None:
        plan.append(("exokg-inferred.ttl", graphs.inferred, "ttl"))
    outputs = [Output(name, graph, fmt, serialise_graph(graph, fmt, canonicalised=True)) for name, graph, fmt in plan]
    outputs.append(Output("exokg.trig", None, "trig", serialise_dataset(graphs.named(), "trig", canonicalised=True)))
    return outputs


def _write_exports(graphs: Graphs, outputs: list[Output], out: Path) -> None:
    """Write every output atomically, each checked by parsing it back."""
    for output in outputs:
        if output.graph is None:
            write_dataset(graphs.named(), out / output.name, text=output.text)
        else:
            write_graph(output.graph, out / output.name, output.fmt, text=output.text)
    if graphs.inferred is None:
        (out / "exokg-inferred.ttl").unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(graphs: Graphs, out: Path, *, reasoned: bool) -> dict[str, object]:
    files = sorted(
        p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(".") and p.name != "manifest.json"
    )
    return {
        "name": "exokg",
        "version": exokg.__version__,
        "build_date": build_date().isoformat(),
        "reasoned": reasoned,
        "triples": {str(name): len(graph) for name, graph in sorted(graphs.named().items())},
        "files": {name: {"sha256": _sha256(out / name), "bytes": (out / name).stat().st_size} for name in files},
        "source": {"review": "doi:10.5483/BMBRep.2016.49.1.239", "pmid": "26592936"},
    }

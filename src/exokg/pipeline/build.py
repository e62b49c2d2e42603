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
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from rdflib import Graph

from exokg import vocab
from exokg._version import package_version
from exokg.errors import ExokgError, InputError
from exokg.io.atomic import write_atomic
from exokg.io.rdfwrite import serialise_dataset
from exokg.pipeline.assemble import Graphs, assemble, asserted_union
from exokg.pipeline.outputs import canonical_asserted, canonical_graphs, serialise_all, write_exports
from exokg.pipeline.reasoncache import cached_inferences, reasoner_key
from exokg.prefixes import bind_prefixes
from exokg.progress import Progress

if TYPE_CHECKING:
    from exokg.pipeline.validate.shacl import ValidationReport

__all__ = ["FileRecord", "Manifest", "build_date", "existing_or_fresh_build", "run_build"]


class FileRecord(TypedDict):
    sha256: str
    bytes: int


class Manifest(TypedDict):
    """``manifest.json`` of a build folder."""

    name: str
    version: str
    build_date: str
    reasoned: bool
    reasoner_input: str | None  # the reasoner cache key (exokg.pipeline.reasoncache) when reasoned
    triples: dict[str, int]
    files: dict[str, FileRecord]
    source: dict[str, str]


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


def run_build(out: Path, *, reason: bool = True, progress: Progress | None = None) -> Manifest:
    """Run the whole line into ``out`` and return the manifest."""
    from exokg.pipeline.validate.shacl import validate_graph, write_reports

    progress = progress or Progress(quiet=True)
    _check_writable(out)
    graphs = assemble(progress=progress)
    asserted, reasoner_input = None, None
    if reason:
        with progress.stage("reason"):
            asserted = canonical_asserted(graphs)
            reasoner_input = reasoner_key(asserted.union.ntriples)
            graphs.inferred = _reason(graphs, previous=out, key=reasoner_input)
    with progress.stage("validate"):
        report = validate_graph(graphs.data(), graphs.ontology)
        if not report.conforms:
            raise ExokgError(f"validation failed: {report.violations} violation(s)\n{_violations_text(report)}")
    with progress.stage("serialise"):
        stable = canonical_graphs(graphs, asserted=asserted)
        outputs = serialise_all(stable)
    with progress.stage("store"):
        from exokg.io.store import write_store

        write_store(serialise_dataset(stable.named, "nquads"), out)
    with progress.stage("export"):
        write_exports(stable, outputs, out)
        write_reports(report, out)
        manifest = _manifest(stable.triples(), out, reasoned=reason, reasoner_input=reasoner_input)
        write_atomic(out / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    progress.note(f"wrote {out} ({sum(manifest['triples'].values())} triples)")
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


def _reason(graphs: Graphs, *, previous: Path, key: str) -> Graph:
    """What the reasoner adds; reused from the build in ``previous`` when its input had the same ``key``."""
    from exokg.pipeline.reason import reason

    cached = cached_inferences(previous, key)
    if cached is not None:
        return bind_prefixes(cached)
    result = reason(asserted_union(graphs))
    return bind_prefixes(result.inferred)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(triples: dict[str, int], out: Path, *, reasoned: bool, reasoner_input: str | None) -> Manifest:
    files = sorted(
        p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(".") and p.name != "manifest.json"
    )
    return {
        "name": "exokg",
        "version": package_version(),
        "build_date": build_date().isoformat(),
        "reasoned": reasoned,
        "reasoner_input": reasoner_input,
        "triples": triples,
        "files": {name: {"sha256": _sha256(out / name), "bytes": (out / name).stat().st_size} for name in files},
        "source": {"review": f"doi:{vocab.REVIEW_DOI}", "pmid": vocab.REVIEW_PMID},
    }

"""The whole line: load → populate → reason → validate → store → export, as ``exokg build`` runs it.

Everything is computed and serialised in memory first (:func:`prepare_build`); only
then are files written (:func:`publish_build`), into a sibling folder that replaces
the output folder in one rename once the manifest is written. A failure or a kill at
any point leaves the output folder entirely the previous build.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from rdflib import Graph

from exokg import vocab
from exokg._version import package_version
from exokg.errors import ExokgError, InputError
from exokg.io.atomic import write_atomic
from exokg.io.buildfolder import check_build_target, staged_folder
from exokg.io.rdfwrite import serialise_dataset
from exokg.pipeline.assemble import Graphs, assemble, asserted_union
from exokg.pipeline.outputs import (
    CanonicalGraphs,
    Output,
    canonical_asserted,
    canonical_graphs,
    serialise_all,
    write_exports,
)
from exokg.pipeline.reasoncache import cached_inferences, reasoner_key
from exokg.prefixes import bind_prefixes
from exokg.progress import Progress

if TYPE_CHECKING:
    from exokg.pipeline.validate.report import OboReport
    from exokg.pipeline.validate.shacl import ValidationReport

__all__ = [
    "Downloads",
    "FileRecord",
    "Manifest",
    "PreparedBuild",
    "build_date",
    "existing_or_fresh_build",
    "prepare_build",
    "publish_build",
    "run_build",
]


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


#: Extra files of a build from the review and ontology graphs, by name (``exokg.exports.tables.download_files``:
#: the export layer sits above this one, so the command line and the API hand it in).
Downloads = Callable[[Graph, Graph], dict[str, str]]


@dataclass(frozen=True)
class PreparedBuild:
    """Everything a build writes, computed in memory: the graphs, their serialisations, the reports, the downloads."""

    graphs: CanonicalGraphs
    outputs: list[Output]
    report: ValidationReport
    obo: list[OboReport]
    extra_files: dict[str, str]
    reasoned: bool
    reasoner_input: str | None


def run_build(
    out: Path, *, reason: bool = True, progress: Progress | None = None, downloads: Downloads | None = None
) -> Manifest:
    """Run the whole line into ``out`` and return the manifest; ``out`` is replaced whole or not at all."""
    progress = progress or Progress(quiet=True)
    check_build_target(out)  # refuse a folder we would not replace before minutes of work
    prepared = prepare_build(reason=reason, progress=progress, downloads=downloads, previous=out)
    manifest = publish_build(prepared, out, progress=progress)
    progress.note(f"wrote {out} ({sum(manifest['triples'].values())} triples)")
    return manifest


def prepare_build(
    *,
    reason: bool = True,
    progress: Progress | None = None,
    downloads: Downloads | None = None,
    previous: Path | None = None,
) -> PreparedBuild:
    """Load, populate, reason, validate and serialise, in memory; nothing is written.

    ``previous`` is the build folder about to be replaced: its inferred graph is reused
    when the reasoner's input is unchanged.
    """
    from exokg.pipeline.validate.report import report_scopes
    from exokg.pipeline.validate.shacl import validate_graph

    progress = progress or Progress(quiet=True)
    graphs = assemble(progress=progress)
    asserted, reasoner_input = None, None
    if reason:
        with progress.stage("reason"):
            asserted = canonical_asserted(graphs)
            reasoner_input = reasoner_key(asserted.union.ntriples)
            graphs.inferred = _reason(graphs, previous=previous, key=reasoner_input)
    with progress.stage("validate"):
        report = validate_graph(graphs.data(), graphs.ontology)
        if not report.conforms:
            raise ExokgError(f"validation failed: {report.violations} violation(s)\n{_violations_text(report)}")
        obo = report_scopes(graphs.ontology, graphs.data())
        if any(scope.errors for scope in obo):
            raise ExokgError("OBO report has ERROR findings\n" + "".join(scope.summary() for scope in obo))
    with progress.stage("serialise"):
        stable = canonical_graphs(graphs, asserted=asserted)
        outputs = serialise_all(stable)
        extra_files = downloads(graphs.review, graphs.ontology) if downloads else {}
    return PreparedBuild(stable, outputs, report, obo, extra_files, reason, reasoner_input)


def publish_build(prepared: PreparedBuild, out: Path, *, progress: Progress | None = None) -> Manifest:
    """Write a prepared build into a staging folder, manifest last, then swap it in for ``out``."""
    from exokg.io.store import write_store
    from exokg.pipeline.validate.report import write_obo_reports
    from exokg.pipeline.validate.shacl import write_reports

    progress = progress or Progress(quiet=True)
    stable = prepared.graphs
    try:
        with staged_folder(out) as stage:
            sys.audit("exokg.build.stage", "store")  # stage boundaries are kill points in bench/kill_build.py
            with progress.stage("store"):
                write_store(serialise_dataset(stable.named, "nquads"), stage)
            sys.audit("exokg.build.stage", "export")
            with progress.stage("export"):
                write_exports(stable, prepared.outputs, stage)
                sys.audit("exokg.build.stage", "reports")
                write_reports(prepared.report, stage)
                write_obo_reports(prepared.obo, stage)
                for name, text in sorted(prepared.extra_files.items()):
                    write_atomic(stage / name, text)
                sys.audit("exokg.build.stage", "manifest")
                manifest = _manifest(
                    stable.triples(), stage, reasoned=prepared.reasoned, reasoner_input=prepared.reasoner_input
                )
                write_atomic(stage / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    except OSError as exc:  # a full disk, a file size limit, a vanished folder: DIR is still the previous build
        reason = exc.strerror or str(exc)
        raise InputError(f"cannot write the build ({reason}); the folder is unchanged", path=out) from None
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


def _reason(graphs: Graphs, *, previous: Path | None, key: str) -> Graph:
    """What the reasoner adds; reused from the build in ``previous`` when its input had the same ``key``."""
    from exokg.pipeline.reason import reason

    cached = cached_inferences(previous, key) if previous is not None else None
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

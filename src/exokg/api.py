"""The Python API: build the graph, open a build and ask it questions, validate files.

For notebooks and scripts; the command line is a thin layer over the same
functions. Every flag is keyword-only and every result is a typed value.
Query answers keep the promises of the CLI: the SPARQL guard, the time limit
and the row cap.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, cast

from exokg.errors import InputError
from exokg.pipeline.build import Manifest
from exokg.query.lookup import Entity
from exokg.vocab import DEFAULT_MAX_MEMORY_MIB, DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_S

if TYPE_CHECKING:  # heavy modules, imported where used
    from exokg.pipeline.validate.shacl import ValidationReport
    from exokg.query.engines import Answer, OxigraphEngine

__all__ = ["Build", "Entity", "KnowledgeGraph", "Manifest", "Rows", "build", "open", "validate"]


@dataclass(frozen=True)
class Build:
    """A finished build: its folder and manifest."""

    out: Path
    manifest: Manifest

    @property
    def triples(self) -> int:
        """Triples in all named graphs together."""
        return sum(self.manifest["triples"].values())


@dataclass(frozen=True)
class Rows:
    """A query's answer: column names and one dict per row (values as text, CURIEs where a prefix fits).

    ``json`` keeps the SPARQL 1.1 JSON results, with full IRIs, datatypes and languages.
    """

    variables: list[str]
    rows: list[dict[str, str]]
    truncated: bool
    json: dict[str, object] = field(repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, str]]:
        return iter(self.rows)

    def column(self, name: str) -> list[str]:
        """The values of one column, in row order (empty text where a row has none)."""
        if name not in self.variables:
            raise InputError(f"no column {name!r}; the columns are {', '.join(self.variables)}")
        return [row.get(name, "") for row in self.rows]


def build(*, out: Path | str = "dist", reason: bool = True, quiet: bool = True) -> Build:
    """Run the whole line (load, populate, reason, validate, store, export) into ``out``."""
    from exokg.exports.tables import download_files
    from exokg.pipeline.build import run_build
    from exokg.progress import Progress

    manifest = run_build(Path(out), reason=reason, progress=Progress(quiet=quiet), downloads=download_files)
    return Build(Path(out), manifest)


def open(
    dist: Path | str = "dist",
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_rows: int = DEFAULT_ROW_CAP,
    max_memory: int = DEFAULT_MAX_MEMORY_MIB,
) -> KnowledgeGraph:
    """Open a build folder's store for queries (read-only).

    Queries run in a worker process, stopped after ``timeout`` seconds or when they need
    more than ``max_memory`` MiB (0: no cap); answers stop at ``max_rows`` rows.
    """
    from exokg.query.engines import OxigraphEngine

    folder = Path(dist)
    engine = OxigraphEngine.open(folder, timeout=timeout, row_cap=max_rows, max_memory=max_memory or None)
    return KnowledgeGraph(folder, engine)


def validate(paths: Sequence[Path | str] = (), *, with_review: bool = False) -> ValidationReport:
    """Validate RDF files merged with the ontology (and the review graph), or the packaged graph when none."""
    from exokg.pipeline.assemble import assemble
    from exokg.pipeline.validate import validate_files, validate_graph

    if paths:
        return validate_files([Path(p) for p in paths], with_review=with_review)
    graphs = assemble()
    return validate_graph(graphs.data(), graphs.ontology)


class KnowledgeGraph:
    """A read-only handle on a build: canned queries, ad-hoc SPARQL and entity look-up."""

    def __init__(self, dist: Path, engine: OxigraphEngine) -> None:
        self.dist = dist
        self._engine = engine

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the query worker and release the store (its files stay as they are)."""
        self._engine.close()
        del self._engine.store

    @property
    def manifest(self) -> Manifest:
        return _as_manifest(json.loads((self.dist / "manifest.json").read_text(encoding="utf-8")))

    def queries(self) -> list[str]:
        """Names of the canned queries."""
        from exokg.query.catalogue import load_catalogue

        return sorted(load_catalogue())

    def query(self, name: str, /, **params: str) -> Rows:
        """Answer canned query ``name``; parameters left out take their defaults.

        An entity or class parameter may be a label, synonym, CURIE or IRI (see :meth:`entity`).
        """
        from exokg.query.catalogue import bind_parameters, get_query
        from exokg.query.lookup import resolve

        canned = get_query(name)
        bindings = bind_parameters(canned, params, resolve=lambda text: resolve(self._engine, text))
        return _rows(self._engine.run(canned.text, bindings))

    def sparql(self, text: str) -> Rows:
        """Answer an ad-hoc read-only SELECT or ASK query; the project's prefixes are declared for it.

        SERVICE, LOAD, updates and FROM of graphs other than exokg's are refused.
        """
        from exokg.prefixes import with_prefixes

        return _rows(self._engine.run(with_prefixes(text)))

    def entity(self, label_or_curie: str) -> Entity:
        """The entity or term with this label, synonym (case-insensitive), CURIE or IRI."""
        from exokg.query.lookup import describe, resolve

        return describe(self._engine, resolve(self._engine, label_or_curie))


def _rows(answer: Answer) -> Rows:
    from exokg.query.results import display_value

    if answer.boolean is not None:
        return Rows(["boolean"], [{"boolean": str(answer.boolean).lower()}], False, answer.to_json())
    rows = [{name: display_value(term) for name, term in row.items()} for row in answer.rows]
    return Rows(list(answer.variables), rows, answer.truncated, answer.to_json())


def _as_manifest(data: dict[str, object]) -> Manifest:
    missing = sorted(set(Manifest.__annotations__) - set(data))
    if missing:
        raise InputError(f"manifest.json lacks {', '.join(missing)}: rebuild with `exokg build`")
    return cast(Manifest, data)  # keys checked above; the values are what run_build wrote

"""``exokg release``: a dated, reproducible release folder, ``releases/YYYY-MM-DD/``, from a build.

A release holds the ontology (``exokg-ontology``: full, with the stubs of the RO, BFO,
ECO, ... terms it uses; ``exokg-ontology-base``: exokg's own axioms only), the knowledge
graph (``exokg-kg``: review and mappings, under its own ontology IRI that imports the
TBox) in Turtle, N-Triples, JSON-LD and RDF/XML, the TriG dataset, the flat tables, the
SSSOM mapping set, KGX, the validation and OBO reports, ``CHANGES.md`` against the
previous release and ``release.json`` (each file's SHA-256). Every RDF file says its own
IRI in the release under ``owl:versionIRI``.

Nothing depends on the clock: the date is an argument, and the same build gives the
same bytes (``tests/test_release.py`` releases twice and compares).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from exokg.errors import InputError
from exokg.exports.changes import changes_markdown
from exokg.io.atomic import write_atomic
from exokg.vocab import BASE, DCTERMS, ENTITY, EXOKG, GRAPH, ONTOLOGY_IRI

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = ["BASE_IRI", "KG_IRI", "RELEASES", "entities_table", "previous_release", "run_release", "version_iri"]

RELEASES = BASE + "releases/"
KG_IRI = BASE + "exokg-kg.owl"  # the knowledge graph's ontology IRI, distinct from the TBox's (ONTOLOGY_IRI)
BASE_IRI = BASE + "exokg-base.owl"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RDF = {"ttl": "ttl", "nt": "nt", "jsonld": "jsonld", "owl": "xml"}
_COPIED = ("validation-report.txt", "validation-report.json",
           "obo-report.tsv", "obo-report.txt")  # fmt: skip
ENTITY_COLUMNS = ("id", "label", "types", "synonyms", "definition", "deprecated", "replaced_by")


def version_iri(date: str, name: str) -> str:
    """The IRI of one file of a release.

    >>> version_iri("2026-12-01", "exokg-kg.ttl")
    'https://w3id.org/exokg/releases/2026-12-01/exokg-kg.ttl'
    """
    return f"{RELEASES}{date}/{name}"


def previous_release(root: Path, date: str) -> Path | None:
    """The latest release folder under ``root`` dated before ``date``, if any."""
    earlier = sorted(p for p in root.glob("*") if p.is_dir() and _DATE.match(p.name) and p.name < date)
    return earlier[-1] if earlier else None


def run_release(*, dist: Path, root: Path, date: str, previous: Path | None = None) -> Path:
    """Write ``root/date/`` from the build in ``dist``; return the folder. An existing folder is replaced whole."""
    from exokg._version import package_version
    from exokg.exports.formats import load_built_graphs, write_kgx_files
    from exokg.exports.kgx import kgx_graph
    from exokg.exports.tables import download_files

    if not _DATE.match(date):
        raise InputError(f"release date must be YYYY-MM-DD, not {date!r}")
    graphs = load_built_graphs(dist)
    missing = [name for name in _COPIED if not (dist / name).is_file()]
    if missing:
        raise InputError(f"the build lacks {', '.join(missing)}: rebuild with `exokg build`", path=dist)
    before = previous if previous is not None else previous_release(root, date)
    folder = root / date
    staging = root / f".{date}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)

    ontology, review, mappings = (graphs.get(n) for n in ("ontology", "review", "mappings"))
    if ontology is None or review is None or mappings is None:
        raise InputError("the build lacks the ontology, review or mappings graph", path=dist)
    files: dict[str, str] = {}
    full = _with_header(ontology, ONTOLOGY_IRI, date, "exokg-ontology")
    base = _with_header(_base(ontology), BASE_IRI, date, "exokg-ontology-base")
    kg = _kg(review, mappings, date)
    for stem, graph in (("exokg-ontology", full), ("exokg-ontology-base", base), ("exokg-kg", kg)):
        for ext, fmt in _RDF.items():
            files[f"{stem}.{ext}"] = _serialise(_versioned(graph, date, f"{stem}.{ext}"), fmt)
    for name in _COPIED:
        files[name] = (dist / name).read_text(encoding="utf-8")
    files["exokg.trig"] = _trig(graphs)
    files.update(download_files(review, ontology))
    files["exokg-entities.tsv"] = entities_table(review)
    files["exokg.sssom.tsv"] = _sssom(date)
    for name, text in files.items():
        write_atomic(staging / name, text)
    kgx = kgx_graph(review, mappings)
    write_kgx_files(kgx, staging / "exokg-kgx", version=date)
    (staging / "CHANGES.md").write_text(changes_markdown(staging, before, date=date, version=package_version()))
    _write_manifest(staging, date)
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return folder


def _serialise(graph: Graph, fmt: str) -> str:
    from exokg.io.rdfwrite import canonical, serialise_graph

    return serialise_graph(canonical(graph), fmt)


def _trig(graphs: dict[str, Graph]) -> str:
    """TriG with the named graphs in name order, each block canonical Turtle (rdflib orders graphs at random)."""
    prefixes: set[str] = set()
    blocks = []
    for name in sorted(graphs):
        body = []
        for line in _serialise(graphs[name], "ttl").splitlines():
            (prefixes.add(line) if line.startswith("@prefix") else body.append(f"    {line}" if line else ""))
        blocks.append(f"<{GRAPH}{name}> {{\n" + "\n".join(body).rstrip() + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def _copy(graph: Graph) -> Graph:
    from rdflib import Graph as RdfGraph

    from exokg.prefixes import bind_prefixes

    copy = bind_prefixes(RdfGraph())
    for triple in graph:
        copy.add(triple)
    return copy


def _with_header(graph: Graph, iri: str, date: str, title: str) -> Graph:
    """A copy of ``graph`` whose ontology node is ``iri``, with versionInfo ``date`` (versionIRI set per file)."""
    from rdflib import OWL, RDF, Literal, URIRef

    copy = _copy(graph)
    old = URIRef(ONTOLOGY_IRI)
    node = URIRef(iri)
    if node != old:
        for p, o in list(copy.predicate_objects(old)):
            copy.remove((old, p, o))
            copy.add((node, p, o))
    copy.add((node, RDF.type, OWL.Ontology))
    copy.set((node, OWL.versionInfo, Literal(date)))
    if title.endswith("-base"):
        copy.add((node, URIRef(DCTERMS + "description"), Literal(
            "exokg's own classes, properties and axioms, without the declarations of the external terms it uses "
            "(an OBO 'base' file, for merging into other ontologies).", lang="en")))  # fmt: skip
    return copy


def _versioned(graph: Graph, date: str, name: str) -> Graph:
    """``graph`` whose ontology node(s) carry ``owl:versionIRI`` this file's IRI in the release."""
    from rdflib import OWL, RDF, URIRef

    copy = _copy(graph)
    for node in list(copy.subjects(RDF.type, OWL.Ontology)):
        copy.set((node, OWL.versionIRI, URIRef(version_iri(date, name))))
    return copy


def _base(ontology: Graph) -> Graph:
    """The ontology without the stub declarations of external terms (subjects outside exokg's namespace)."""
    from rdflib import URIRef

    copy = _copy(ontology)
    for subject in {s for s in copy.subjects() if isinstance(s, URIRef)}:
        if not str(subject).startswith(BASE):
            copy.remove((subject, None, None))
    return copy


def _kg(review: Graph, mappings: Graph, date: str) -> Graph:
    """The knowledge graph file's content: review and mappings, under KG_IRI, importing the TBox."""
    from rdflib import OWL, RDF, Literal, URIRef

    kg = _copy(review)
    for triple in mappings:
        kg.add(triple)
    node = URIRef(KG_IRI)
    kg.add((node, RDF.type, OWL.Ontology))
    kg.add((node, OWL.imports, URIRef(ONTOLOGY_IRI)))
    kg.add((node, OWL.versionInfo, Literal(date)))
    kg.add(
        (node, URIRef(DCTERMS + "title"), Literal("exokg knowledge graph: entities, claims and mappings", lang="en"))
    )
    kg.add((node, URIRef(DCTERMS + "license"), URIRef("https://creativecommons.org/licenses/by/4.0/")))
    return kg


def entities_table(review: Graph) -> str:
    """``exokg-entities.tsv``: one row per named entity (id, label, types, synonyms, definition, deprecation)."""
    from rdflib import OWL, RDF, RDFS, URIRef

    from exokg.prefixes import compress
    from exokg.vocab import DEFINITION, EXACT_SYNONYM, TERM_REPLACED_BY

    def texts(node: Node, predicate: URIRef) -> list[str]:
        return sorted(str(v) for v in review.objects(node, predicate))

    def curies(values: list[str]) -> str:
        return "|".join(compress(v) or v for v in values)

    rows = ["\t".join(ENTITY_COLUMNS)]
    for node in sorted(
        {s for s in review.subjects(RDF.type, OWL.NamedIndividual) if str(s).startswith(ENTITY)}, key=str
    ):
        types = [t for t in texts(node, RDF.type) if t.startswith(EXOKG)]
        replaced = curies(texts(node, URIRef(TERM_REPLACED_BY)))
        cells = [compress(str(node)) or str(node), "|".join(texts(node, RDFS.label)), curies(types),
                 "|".join(texts(node, URIRef(EXACT_SYNONYM))), "|".join(texts(node, URIRef(DEFINITION))),
                 "true" if texts(node, OWL.deprecated) else "", replaced]  # fmt: skip
        rows.append("\t".join(" ".join(c.split()) for c in cells))
    return "\n".join(rows) + "\n"


def _sssom(date: str) -> str:
    from exokg.mappings.sssom import read_sssom, render_sssom

    metadata, mappings = read_sssom()
    metadata = {**metadata, "mapping_set_version": date}
    return render_sssom(mappings, metadata)


def _write_manifest(folder: Path, date: str) -> None:
    from exokg._version import package_version

    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}
    manifest = {"name": "exokg", "release": date, "version": package_version(),
                "iri": version_iri(date, ""), "files": files}  # fmt: skip
    (folder / "release.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")

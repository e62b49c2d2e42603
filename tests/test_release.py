"""``exokg release``: a dated release folder, byte-identical when repeated; CHANGES.md lists exactly the edits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, URIRef

from exokg.errors import InputError
from exokg.exports.release import BASE_IRI, KG_IRI, run_release, version_iri
from exokg.vocab import ONTOLOGY_IRI

FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "owl": "xml"}


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def release(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_release(dist=dist, root=tmp_path_factory.mktemp("releases"), date="2026-12-01")


@pytest.mark.slow
def test_a_release_twice_is_byte_identical(dist: Path, release: Path, tmp_path: Path) -> None:
    again = run_release(dist=dist, root=tmp_path, date="2026-12-01")
    assert _bytes(again) == _bytes(release)


@pytest.mark.slow
def test_release_has_every_part(release: Path) -> None:
    names = {p.name for p in release.iterdir()}
    for stem in ("exokg-ontology", "exokg-ontology-base", "exokg-kg"):
        assert {f"{stem}.{ext}" for ext in FORMATS} <= names
    expected = {"exokg.trig", "exokg-claims.tsv", "exokg-cargo.tsv", "exokg-entities.tsv", "exokg.sssom.tsv",
                "exokg-kgx_nodes.tsv", "exokg-kgx_edges.tsv", "exokg-kgx_nodes.jsonl", "exokg-kgx_edges.jsonl",
                "exokg-kgx_graph.json", "obo-report.tsv", "validation-report.txt", "CHANGES.md",
                "release.json"}  # fmt: skip
    assert expected <= names
    assert "mapping_set_version: '2026-12-01'" in (release / "exokg.sssom.tsv").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["exokg-ontology", "exokg-ontology-base", "exokg-kg"])
@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_each_rdf_file_states_its_own_version_iri(release: Path, stem: str, ext: str) -> None:
    graph = Graph().parse(release / f"{stem}.{ext}", format=FORMATS[ext])
    ontologies = set(graph.subjects(RDF.type, OWL.Ontology))
    expected = {"exokg-ontology": ONTOLOGY_IRI, "exokg-ontology-base": BASE_IRI, "exokg-kg": KG_IRI}[stem]
    assert ontologies == {URIRef(expected)}
    assert graph.value(URIRef(expected), OWL.versionIRI) == URIRef(version_iri("2026-12-01", f"{stem}.{ext}"))


@pytest.mark.slow
def test_kg_has_its_own_iri_and_imports_the_tbox(release: Path) -> None:
    kg = Graph().parse(release / "exokg-kg.ttl")
    assert KG_IRI != ONTOLOGY_IRI
    assert (URIRef(KG_IRI), OWL.imports, URIRef(ONTOLOGY_IRI)) in kg
    base = Graph().parse(release / "exokg-ontology-base.ttl")
    assert not [s for s in base.subjects() if str(s).startswith("http://purl.obolibrary.org/obo/RO_")]
    assert [s for s in Graph().parse(release / "exokg-ontology.ttl").subjects()
            if str(s).startswith("http://purl.obolibrary.org/obo/RO_")]  # fmt: skip


def _edit(path: Path, edit: dict[str, str | None], key_columns: int = 1, *, add: str | None = None) -> None:
    """Change or drop rows of a TSV (by the first ``key_columns`` cells), optionally add one."""
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        key = " ".join(line.split("\t")[:key_columns])
        if key in edit:
            if edit[key] is not None:
                out.append(edit[key])
            continue
        out.append(line)
    if add:
        out.insert(len(out) - 1, add)
    path.write_text("\n".join(out), encoding="utf-8")


def _row(path: Path, key: str, key_columns: int = 1) -> list[str]:
    return next(
        line.split("\t") for line in path.read_text().split("\n") if " ".join(line.split("\t")[:key_columns]) == key
    )


@pytest.mark.slow
def test_changes_against_a_hand_edited_earlier_release_lists_exactly_the_edits(
    dist: Path, release: Path, tmp_path: Path
) -> None:
    earlier = tmp_path / "2026-11-01"
    shutil.copytree(release, earlier)
    claims, entities, sssom = earlier / "exokg-claims.tsv", earlier / "exokg-entities.tsv", earlier / "exokg.sssom.tsv"
    c001 = _row(claims, "exokg.claim:soung2016-c001")
    paraphrase = c001[-2]
    c001[-2] = "An older wording."
    fake = "\t".join(["exokg.claim:soung2016-c999", *c001[1:]])
    _edit(claims, {"exokg.claim:soung2016-c001": "\t".join(c001), "exokg.claim:soung2016-c002": None}, add=fake)
    cd63 = _row(entities, "exokg.entity:cd63")
    cd63[1] = "CD-63"
    _edit(entities, {"exokg.entity:cd63": "\t".join(cd63), "exokg.entity:cd9": None})
    mapping = "exokg.entity:cd63 skos:exactMatch NCBIGene:967"
    lines = sssom.read_text().split("\n")
    dropped = "exokg.entity:cd63\tCD63\tskos:exactMatch\tNCBIGene:967\t"
    sssom.write_text("\n".join(line for line in lines if not line.startswith(dropped)))

    later = run_release(dist=dist, root=tmp_path, date="2026-12-01")
    text = (later / "CHANGES.md").read_text()
    assert "Changes since the release of 2026-11-01." in text
    claims_part = text.split("## Claims")[1].split("## Entities")[0]
    assert claims_part.strip().splitlines() == [
        "- added: exokg.claim:soung2016-c002",
        "- removed: exokg.claim:soung2016-c999",
        "- changed: exokg.claim:soung2016-c001",
        f"  - paraphrase: `An older wording.` → `{paraphrase}`",
    ]
    entities_part = text.split("## Entities")[1].split("## Mappings")[0]
    assert entities_part.strip().splitlines() == [
        "- added: exokg.entity:cd9", "- changed: exokg.entity:cd63", "  - label: `CD-63` → `CD63`",
    ]  # fmt: skip
    assert text.split("## Mappings")[1].strip().splitlines() == [f"- added: {mapping}"]


def test_a_malformed_date_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        run_release(dist=tmp_path, root=tmp_path, date="1 Dec 2026")


@pytest.mark.slow
def test_trig_holds_every_named_graph_of_the_build(dist: Path, release: Path) -> None:
    from rdflib import Dataset

    from exokg.exports.formats import load_built_graphs

    dataset = Dataset()
    dataset.parse(release / "exokg.trig", format="trig")
    sizes = {str(g.identifier).rsplit("/", 1)[-1]: len(g) for g in dataset.graphs() if len(g)}
    assert sizes == {name: len(graph) for name, graph in load_built_graphs(dist).items()}


@pytest.mark.slow
def test_a_release_depends_only_on_what_git_would_commit(release: Path, tmp_path: Path) -> None:
    """Reproducible from its tag: a copy of just the files git tracks (or would add), at another path
    and under another hash seed, built and released by the CLI, gives the same bytes.

    Nothing ignored (dist/, caches, .venv data) and nothing about the checkout's location may leak in.
    """
    root = Path(__file__).resolve().parents[1]
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=root, capture_output=True, check=True).stdout  # fmt: skip
    copy = tmp_path / "elsewhere" / "checkout"
    for name in filter(None, listing.split(b"\0")):
        source = root / os.fsdecode(name)
        if source.is_file():  # a tracked file deleted in the work tree is not part of what would be committed
            target = copy / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    env = {**os.environ, "PYTHONPATH": str(copy / "src"), "PYTHONHASHSEED": "4242"}
    for leaked in ("EXOKG_RESOURCES", "EXOKG_TEST_DIST"):
        env.pop(leaked, None)
    exokg = [sys.executable, "-m", "exokg"]
    subprocess.run([*exokg, "build", "--quiet", "--out", "dist"], cwd=copy, env=env, check=True)
    subprocess.run([*exokg, "release", "--dist", "dist", "--out", "releases", "--date", "2026-12-01"],
                   cwd=copy, env=env, check=True, capture_output=True)  # fmt: skip
    from_copy = copy / "releases" / "2026-12-01"
    assert _bytes(from_copy) == _bytes(release)

"""`exokg build` end to end: outputs, manifest, reproducibility, and every bad-input case."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from exokg.cli.main import cli

REPO = Path(__file__).resolve().parents[1]
RESOURCE_FOLDERS = ("ontology", "shapes", "queries", "data", "mappings")
EXPECTED_FILES = {
    "exokg.ttl", "exokg.nt", "exokg.jsonld", "exokg.trig", "exokg-ontology.ttl", "exokg-ontology.owl",
    "exokg-inferred.ttl", "validation-report.ttl", "validation-report.txt", "validation-report.json", "manifest.json",
}  # fmt: skip


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_writes_every_output(dist: Path) -> None:
    assert {p.name for p in dist.iterdir()} >= EXPECTED_FILES
    assert (dist / "store").is_dir()
    assert not [p.name for p in dist.iterdir() if p.name.startswith(".")], "temp files left behind"


def test_manifest_counts_and_checksums(dist: Path) -> None:
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    triples = manifest["triples"]
    assert set(triples) == {f"https://w3id.org/exokg/graph/{n}" for n in ("ontology", "review", "mappings", "inferred")}
    assert all(count > 0 for count in triples.values())
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == sha(dist / name), name
    assert manifest["reasoned"] is True


def test_exports_agree_with_each_other(dist: Path) -> None:
    ttl = Graph().parse(dist / "exokg.ttl", format="turtle")
    nt = Graph().parse(dist / "exokg.nt", format="nt")
    assert len(ttl) == len(nt) > 5000
    dataset = Dataset()
    dataset.parse(dist / "exokg.trig", format="trig")
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    for graph in dataset.graphs():
        if str(graph.identifier) in manifest["triples"]:
            assert len(graph) == manifest["triples"][str(graph.identifier)]


def test_inferred_graph_holds_only_new_triples(dist: Path) -> None:
    asserted = set(Graph().parse(dist / "exokg.nt", format="nt"))
    inferred = set(Graph().parse(dist / "exokg-inferred.ttl", format="turtle"))
    assert inferred and not (inferred & asserted)


def test_rdfxml_export_parses_with_rdflib(dist: Path) -> None:
    graph = Graph().parse(dist / "exokg-ontology.owl", format="xml")
    assert len(graph) == len(Graph().parse(dist / "exokg-ontology.ttl", format="turtle"))


def test_rdfxml_export_loads_in_owlready2(dist: Path) -> None:
    import owlready2

    world = owlready2.World()  # never the default world
    ontology = world.get_ontology((dist / "exokg-ontology.owl").as_uri()).load(only_local=True)
    labels = {str(label) for cls in ontology.classes() for label in cls.label}
    assert {"cancer cell-derived exosome (class)", "oncomiR", "exosomal biomarker"} <= labels  # decision 0011
    assert len(list(ontology.classes())) >= 140
    assert len(list(ontology.object_properties())) >= 50


# ---- bad input: one message naming the file, a non-zero exit, nothing in DIR overwritten ----------


@pytest.fixture
def resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the packaged resources that a test may break."""
    root = tmp_path / "resources"
    for folder in RESOURCE_FOLDERS:
        shutil.copytree(REPO / folder, root / folder)
    monkeypatch.setenv("EXOKG_RESOURCES", str(root))
    return root


@pytest.fixture
def previous_build(tmp_path: Path) -> Path:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "exokg.ttl").write_text("# a previous build\n", encoding="utf-8")
    return out


def run_build(out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", "--quiet", "--no-reason", "--out", str(out)])
    return result.exit_code, result.output


def assert_untouched(out: Path) -> None:
    assert [p.name for p in out.iterdir()] == ["exokg.ttl"]
    assert (out / "exokg.ttl").read_text(encoding="utf-8") == "# a previous build\n"


def test_malformed_ontology_names_file_and_line(resources: Path, previous_build: Path) -> None:
    edit = resources / "ontology" / "exokg-edit.ttl"
    lines = edit.read_text(encoding="utf-8").splitlines()
    lines.insert(20, "exokg:Broken exokg:p ;;; .")
    edit.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = run_build(previous_build)
    assert code == 2
    assert "exokg-edit.ttl" in output and "cannot parse as turtle" in output
    assert_untouched(previous_build)


def test_malformed_data_table_names_file_and_line(resources: Path, previous_build: Path) -> None:
    table = next((resources / "data" / "claims").glob("*.tsv"))
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[3] += "\tstray"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = run_build(previous_build)
    assert code == 2
    assert f"{table.name}:4" in output and "stray tab" in output
    assert_untouched(previous_build)


def test_unknown_prefix_is_named(resources: Path, previous_build: Path) -> None:
    classes = resources / "ontology" / "templates" / "classes.tsv"
    text = classes.read_text(encoding="utf-8").replace("\tExtracellularVesicle\tAn extracellular vesicle of about",
                                                        "\tFOO:0001\tAn extracellular vesicle of about")  # fmt: skip
    classes.write_text(text, encoding="utf-8")
    code, output = run_build(previous_build)
    assert code == 2
    assert "classes.tsv" in output and "unknown prefix 'FOO'" in output
    assert_untouched(previous_build)


def test_missing_file_is_named(resources: Path, previous_build: Path) -> None:
    (resources / "data" / "sources.tsv").unlink()
    code, output = run_build(previous_build)
    assert code == 2
    assert "sources.tsv" in output and "file not found" in output
    assert_untouched(previous_build)


def test_invalid_curation_is_reported_row_by_row(resources: Path, previous_build: Path) -> None:
    table = next((resources / "data" / "claims").glob("*.tsv"))
    text = table.read_text(encoding="utf-8")
    first_row = text.splitlines()[1]
    table.write_text(text.replace(first_row, first_row.replace("\t", "\tbogus-section\t", 1).replace(
        "\t" + first_row.split("\t")[1] + "\t", "\t", 1)), encoding="utf-8")  # fmt: skip
    code, output = run_build(previous_build)
    assert code == 2
    assert f"{table.name}:2" in output and "unknown section 'bogus-section'" in output
    assert_untouched(previous_build)


def test_unwritable_output_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, output = run_build(blocker / "dist")
    assert code == 2
    assert "a-file" in output and "not writable" in output
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_claim_without_its_reference_fails_the_build_naming_the_claim(resources: Path, previous_build: Path) -> None:
    table = resources / "data" / "claims" / "part-b.tsv"
    lines = table.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    for number, line in enumerate(lines):
        cells = line.split("\t")
        if cells[0] == "c263":  # MDR-1 confers resistance to docetaxel (ref 24, ECO:0000304)
            cells[header.index("references")] = ""
            lines[number] = "\t".join(cells)
    table.write_text("\n".join(lines), encoding="utf-8")
    code, output = run_build(previous_build)
    assert code == 1
    assert "soung2016-c263" in output and "ClaimTraceableReference" in output and "fix:" in output
    assert_untouched(previous_build)
    result = CliRunner().invoke(cli, ["validate"])  # the validate command names it too
    assert result.exit_code == 1 and "soung2016-c263" in result.output

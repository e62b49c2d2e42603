"""The public Python API (exokg.open/.query/.sparql/.entity, exokg.validate) on the session's build."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path

import pytest

import exokg
from exokg.errors import InputError, QueryRefused


@pytest.fixture(scope="module")
def kg(dist: Path) -> typing.Iterator[exokg.KnowledgeGraph]:
    with exokg.open(dist) as handle:
        yield handle


def test_query_by_name_with_a_label_parameter(kg: exokg.KnowledgeGraph) -> None:
    rows = kg.query("mirnas-elevated-in-cancer", cancer="pancreatic cancer")
    assert sorted(set(rows.column("mirnaLabel"))) == ["miR-1246", "miR-3976", "miR-4306", "miR-4644"]
    assert set(rows.column("reference")) == {"39"}
    assert rows.json["head"] == {"vars": rows.variables}


def test_label_synonym_and_curie_give_the_same_answer(kg: exokg.KnowledgeGraph) -> None:
    by_curie = kg.query("cancer-profile", cancer="exokg.entity:gastric-cancer")
    assert len(by_curie) > 0
    assert kg.query("cancer-profile", cancer="Gastric Cancer").rows == by_curie.rows  # a label, any case
    assert kg.query("cancer-profile", cancer="stomach cancer").rows == by_curie.rows  # a synonym
    assert kg.query("cancer-profile", cancer="MONDO:0001056").rows == by_curie.rows  # its external id


def test_defaults_answer_without_parameters(kg: exokg.KnowledgeGraph) -> None:
    assert {row["vesicleLabel"] for row in kg.query("vesicle-types")} >= {"exosome", "ectosome", "apoptotic body"}


def test_unknown_query_and_parameter_are_named(kg: exokg.KnowledgeGraph) -> None:
    with pytest.raises(InputError, match="unknown query 'no-such-query'"):
        kg.query("no-such-query")
    with pytest.raises(InputError, match="cancr"):
        kg.query("mirnas-elevated-in-cancer", cancr="pancreatic cancer")


def test_entity_by_label_curie_and_external_id(kg: exokg.KnowledgeGraph) -> None:
    mir21 = kg.entity("miR-21")
    assert mir21.iri == "https://w3id.org/exokg/entity/mir-21"
    assert "exokg:MicroRNA" in mir21.types and "exokg:OncomiR" in mir21.types  # asserted and inferred
    assert mir21.external_ids == ["mirbase.mature:MIMAT0000076"]
    assert kg.entity("exokg.entity:mir-21") == mir21
    assert kg.entity("mirbase.mature:MIMAT0000076") == mir21
    assert kg.entity("GO:0070062").curie == "exokg.entity:exosome"  # the entity, not the eponymous class


def test_unknown_names_fail_with_suggestions(kg: exokg.KnowledgeGraph) -> None:
    with pytest.raises(InputError, match="did you mean: 'miR-21'"):
        kg.entity("mir-2l")
    with pytest.raises(InputError, match="not in the graph"):
        kg.entity("exokg.entity:no-such-thing")
    with pytest.raises(InputError, match="did you mean: 'colon cancer'"):
        kg.query("mirnas-elevated-in-cancer", cancer="colon cancr")


def test_an_ambiguous_name_lists_what_it_names(kg: exokg.KnowledgeGraph) -> None:
    # a synonym shared by a class and its entity ("tumour"); a label no longer is (decision 0007)
    with pytest.raises(InputError, match=r"names 2 things: .*exokg.entity:cancer.*exokg:Cancer"):
        kg.entity("tumour")
    assert kg.entity("exosome").curie == "exokg.entity:exosome"


def test_sparql_keeps_the_guard(kg: exokg.KnowledgeGraph) -> None:
    count = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/exokg/vocab/Claim> }")
    assert int(count.rows[0]["n"]) >= 500
    with pytest.raises(QueryRefused):
        kg.sparql("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")


def test_row_cap_applies(dist: Path) -> None:
    with exokg.open(dist, max_rows=3) as small:
        rows = small.sparql("SELECT ?s WHERE { ?s ?p ?o }")
    assert len(rows) == 3 and rows.truncated


def test_manifest_is_typed(kg: exokg.KnowledgeGraph) -> None:
    manifest = kg.manifest
    assert manifest["reasoned"] is True
    assert set(manifest["triples"]) == {f"https://w3id.org/exokg/graph/{n}" for n in exokg.vocab.GRAPH_NAMES}


def test_validate_the_packaged_graph_and_a_bad_file(tmp_path: Path) -> None:
    assert exokg.validate().conforms
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix exokg: <https://w3id.org/exokg/vocab/> .\n<https://w3id.org/exokg/claim/x-c001> a exokg:Claim .\n"
    )
    assert not exokg.validate([bad]).conforms


def test_public_signatures_are_keyword_only_and_typed() -> None:
    for function in (exokg.build, exokg.open, exokg.validate):
        signature = inspect.signature(function)
        flags = [p for p in signature.parameters.values() if p.default is not inspect.Parameter.empty]
        positional_flags = [p.name for p in flags if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        assert positional_flags in ([], ["out"], ["dist"], ["paths"]), function.__name__
        from exokg.pipeline.validate import ValidationReport

        hints = typing.get_type_hints(
            function, globalns=vars(exokg.api), localns={"ValidationReport": ValidationReport}
        )
        assert "Any" not in " ".join(str(h) for h in hints.values()), function.__name__


def test_import_exokg_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, exokg; print(sorted(m for m in ('rdflib', 'pyoxigraph', 'click') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""Every row of the curated tables, and negative cases proving each check can fail."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from exokg.io.tables import read_table
from exokg.pipeline.curation import (
    CLAIM_COLUMNS,
    DEPRECATION_COLUMNS,
    ENTITY_COLUMNS,
    Curation,
    check_curation,
    load_curation,
    ontology_vocabulary,
)
from exokg.resources import data_dir


@pytest.fixture(scope="module")
def curation() -> Curation:
    return load_curation()


@pytest.fixture(scope="module")
def vocabulary() -> dict[str, set[str]]:
    classes, objects, data = ontology_vocabulary()
    return {"classes": classes, "object_properties": objects, "data_properties": data}


def test_the_curated_tables_have_no_problem(curation: Curation, vocabulary: dict[str, set[str]]) -> None:
    problems = check_curation(curation, **vocabulary)
    assert [str(p) for p in problems] == []


def test_the_review_is_curated_at_scale(curation: Curation) -> None:
    assert len(curation.claims) >= 150
    assert len(curation.entities) >= 200
    assert {c.section for c in curation.claims} == {s.id for s in curation.sections}


@pytest.mark.parametrize("folder", ["entities", "claims"])
def test_tables_are_in_canonical_order_with_canonical_columns(folder: str) -> None:
    expected = ENTITY_COLUMNS if folder == "entities" else CLAIM_COLUMNS
    for path in sorted((data_dir() / folder).glob("*.tsv")):
        header = path.read_text(encoding="utf-8").split("\n", 1)[0].split("\t")
        assert tuple(header) in (expected, expected + DEPRECATION_COLUMNS), path.name
        ids = [row["id"] for row in read_table(path)]
        assert ids == sorted(ids), f"{path.name} is not sorted by id (run `exokg curation sort`)"


def test_greek_letters_are_restored(curation: Curation) -> None:
    labels = {e.id: e.label for e in curation.entities}
    assert labels["integrin-alpha6-beta4"] == "integrin α6β4"
    assert labels["tgf-beta"] == "TGF-β"
    garbled = [e.id for e in curation.entities if e.label in {"integrin 64", "integrin 61", "TGF-"}]
    assert garbled == []


def test_every_paraphrase_is_the_curators_own(curation: Curation, review_text: Path) -> None:
    """No paraphrase repeats eight consecutive words of the review."""
    words = " ".join(review_text.read_text(encoding="utf-8").replace("-\n", "").split()).lower()
    copied = []
    for claim in curation.claims:
        tokens = claim.paraphrase.lower().split()
        for i in range(len(tokens) - 7):
            if " ".join(tokens[i : i + 8]) in words:
                copied.append(claim.id)
                break
    assert copied == []


def _problems(curation: Curation, vocabulary: dict[str, set[str]]) -> list[str]:
    return [p.message for p in check_curation(curation, **vocabulary)]


def _with_claim(curation: Curation, **changes: object) -> Curation:
    first = dataclasses.replace(curation.claims[0], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(curation, claims=(first, *curation.claims[1:]))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"relation": "curesEverything"}, "unknown relation 'curesEverything'"),
        ({"relation": "inCancer"}, "unknown relation 'inCancer'"),
        ({"subject": "no-such-entity"}, "subject: undefined entity 'no-such-entity'"),
        ({"section": "appendix"}, "unknown section 'appendix'"),
        ({"references": (999,)}, "reference 999 is not in data/sources.tsv"),
        ({"evidence": "ECO:123"}, "evidence must be an ECO CURIE"),
        ({"paraphrase": ""}, "paraphrase is empty"),
        ({"direction": "sideways"}, "direction must be increased or decreased"),
        ({"id": "C1"}, "does not match cNNN"),
    ],
)
def test_each_claim_check_can_fail(
    curation: Curation, vocabulary: dict[str, set[str]], changes: dict[str, object], message: str
) -> None:
    problems = _problems(_with_claim(curation, **changes), vocabulary)
    assert any(message in p for p in problems), problems


def test_duplicate_claims_and_entities_are_caught(curation: Curation, vocabulary: dict[str, set[str]]) -> None:
    twice = dataclasses.replace(
        curation,
        claims=(*curation.claims, dataclasses.replace(curation.claims[0], id="c999")),
        entities=(*curation.entities, curation.entities[0]),
    )
    problems = _problems(twice, vocabulary)
    assert any("repeats claim" in p for p in problems)
    assert any("duplicate entity id" in p for p in problems)


def test_unknown_entity_type_is_caught(curation: Curation, vocabulary: dict[str, set[str]]) -> None:
    odd = dataclasses.replace(curation.entities[0], types=("Unicorn",))
    problems = _problems(dataclasses.replace(curation, entities=(odd, *curation.entities[1:])), vocabulary)
    assert any("unknown type 'Unicorn'" in p for p in problems)


def test_problems_name_file_and_line(curation: Curation, vocabulary: dict[str, set[str]]) -> None:
    problem = check_curation(_with_claim(curation, subject="nope"), **vocabulary)[0]
    assert problem.path is not None and problem.path.suffix == ".tsv" and problem.line == curation.claims[0].row.line


# ---- issue 12, item 10: a misspelt header, a CR-only file or a stray file name fails, naming the file ------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(data_dir(), tmp_path / "data")
    return tmp_path / "data"


@pytest.mark.parametrize(("old", "new"), [("\tsynonyms\t", "\tsynonym\t"), ("\tcomparator\t", "\tcomparitor\t")])
def test_a_misspelt_header_fails_naming_the_file(data_copy: Path, old: str, new: str) -> None:
    from exokg.errors import InputError

    folder = "entities" if "synonym" in old else "claims"
    table = data_copy / folder / "part-a.tsv"
    table.write_text(table.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=f"unknown column.*{new.strip()}") as caught:
        load_curation(data_copy)
    assert caught.value.path == table and caught.value.line == 1


def test_a_cr_only_table_fails_naming_the_file(data_copy: Path) -> None:
    from exokg.errors import InputError

    table = data_copy / "claims" / "part-b.tsv"
    table.write_bytes(table.read_bytes().replace(b"\n", b"\r"))
    with pytest.raises(InputError, match="CR-only") as caught:
        load_curation(data_copy)
    assert caught.value.path == table


@pytest.mark.parametrize("name", ["part-c.TSV", "part-c.tsv.bak", "Part-D.tsv", ".part-e.tsv"])
def test_an_unexpected_file_name_fails_naming_the_file(data_copy: Path, name: str) -> None:
    from exokg.errors import InputError

    table = data_copy / "claims" / "part-c.tsv"
    table.rename(table.with_name(name))
    with pytest.raises(InputError, match="unexpected entry") as caught:
        load_curation(data_copy)
    assert caught.value.path == table.with_name(name)


def test_the_packaged_tables_still_load_whole(curation: Curation) -> None:
    """Every data line of the tables becomes a record: nothing is dropped on the way (counted apart from the loader)."""
    from exokg.resources import data_dir

    def lines(folder: str) -> int:
        return sum(
            len(path.read_text(encoding="utf-8").splitlines()) - 1 for path in (data_dir() / folder).glob("*.tsv")
        )

    assert len(curation.claims) == lines("claims") >= 515
    assert len(curation.entities) == lines("entities") >= 385


# ---- exokg curation sort, for real (it was tested only through --help) -------------------------------------


def test_sort_restores_canonical_order_and_columns(data_copy: Path) -> None:
    from exokg.curation.sort import sort_tables

    table = data_copy / "claims" / "part-b.tsv"
    original = table.read_text(encoding="utf-8")
    header, *rows = original.rstrip("\n").split("\n")
    columns = header.split("\t")
    swapped = [1, 0, *range(2, len(columns))]  # section before id
    shuffled = [rows[-1], *rows[1:-1], rows[0]]
    table.write_text("\n".join("\t".join(line.split("\t")[i] for i in swapped) for line in [header, *shuffled])
                     + "\n", encoding="utf-8")  # fmt: skip
    assert sort_tables(data_copy) == [table]
    assert table.read_text(encoding="utf-8") == original
    assert sort_tables(data_copy) == []


def test_sort_refuses_an_unknown_column_and_changes_nothing(data_copy: Path) -> None:
    from exokg.curation.sort import sort_tables
    from exokg.errors import InputError

    table = data_copy / "entities" / "core.tsv"
    text = table.read_text(encoding="utf-8").replace("\tnote\n", "\tnotes\n", 1)
    table.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="notes"):
        sort_tables(data_copy)
    assert table.read_text(encoding="utf-8") == text

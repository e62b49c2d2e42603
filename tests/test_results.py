"""Names out: tables show labels and citations; CSV, TSV and JSON keep the IRIs and reference numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from exokg.query.catalogue import bind_parameters, load_catalogue
from exokg.query.engines import Answer, OxigraphEngine
from exokg.query.results import format_answer, table_columns

CATALOGUE = load_catalogue()
PROMOTES = "https://w3id.org/exokg/vocab/promotes"
#: columns that name a thing by its identifier beside a ``label`` column (search results, members, noted items)
IDENTIFIER_COLUMNS = {"entity", "member", "item"}


@pytest.fixture(scope="module")
def engine(dist: Path) -> OxigraphEngine:
    return OxigraphEngine.open(dist)


def _answer(engine: OxigraphEngine, name: str, **given: str) -> Answer:
    query = CATALOGUE[name]
    return engine.run(query.text, bind_parameters(query, given))


def _table(answer: Answer) -> list[dict[str, str]]:
    """The table's cells by header (columns are split on the header's offsets)."""
    lines = format_answer(answer, "table").splitlines()
    header, rule, body = lines[0], lines[1], lines[2:-1]
    starts = [i for i, char in enumerate(rule) if char == "-" and (i == 0 or rule[i - 1] == " ")]
    names = [header[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
    return [dict(zip(names, [row[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)],
                     strict=True)) for row in body]  # fmt: skip


def test_a_pair_of_iri_and_label_is_one_column_showing_the_label() -> None:
    assert table_columns(["claim", "relation", "relationLabel", "objectLabel", "reference", "referenceLabel"]) == [
        ("claim", "claim", "claim"),
        ("relation", "relationLabel", "relation"),
        ("object", "objectLabel", "objectLabel"),
        ("reference", "referenceLabel", "reference"),
    ]
    unlabelled = {"relation": {"type": "uri", "value": PROMOTES}}
    answer = Answer(variables=["relation", "relationLabel"], rows=[unlabelled])
    assert "exokg:promotes" in format_answer(answer, "table")  # no label: the CURIE, never an empty cell


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_tables_show_names_not_curies(name: str, engine: OxigraphEngine) -> None:
    for row in _table(_answer(engine, name)):
        for header, cell in row.items():
            if header not in IDENTIFIER_COLUMNS:
                assert not cell.startswith(("exokg:", "exokg.entity:", "skos:")), f"{name}: {header} shows {cell}"


def test_cancer_profile_table_reads_promotes_and_csv_keeps_the_iri(engine: OxigraphEngine) -> None:
    answer = _answer(engine, "cancer-profile", cancer="exokg.entity:melanoma")
    table = _table(answer)
    assert {"relation", "subject", "object"} <= set(table[0])
    assert "promotes" in {row["relation"] for row in table}
    rows = list(csv.DictReader(io.StringIO(format_answer(answer, "csv"))))
    assert PROMOTES in {row["relation"] for row in rows} and "promotes" in {row["relationLabel"] for row in rows}


def test_reference_numbers_come_with_their_citation(engine: OxigraphEngine) -> None:
    """Ref 17 is Hoshino et al. 2015 (Nature; PMID 26524530); ref 45 has no known citation."""
    table = _table(_answer(engine, "integrin-organotropism"))
    assert {row["reference"] for row in table} == {"Hoshino 2015, ref 17"}
    rows = list(csv.DictReader(io.StringIO(format_answer(_answer(engine, "integrin-organotropism"), "csv"))))
    assert {row["reference"] for row in rows} == {"17"}  # machines keep the number
    oncomirs = _table(_answer(engine, "oncomirs-and-effects"))
    assert "ref 45" in {row["reference"] for row in oncomirs}


def test_every_identified_reference_is_cited_by_author_and_year(engine: OxigraphEngine) -> None:
    """Each work data/reference-evidence.tsv identifies is named "<first author> <year>, ref <n>" in answers."""
    from exokg.io.tables import read_table
    from exokg.resources import data_dir

    identified = [row for row in read_table(data_dir() / "reference-evidence.tsv") if row["first_author"]]
    assert len(identified) >= 31
    for row in identified:
        surname = row["first_author"].rsplit(" ", 1)[0]  # "Demory Beckler M" -> "Demory Beckler"
        shown = {cells["number"] for cells in _table(_answer(engine, "claims-citing-reference", number=row["number"]))}
        assert shown == {f"{surname} {row['year']}, ref {row['number']}"}, row["number"]

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


def test_every_paraphrase_is_the_curators_own(curation: Curation) -> None:
    """No paraphrase repeats eight consecutive words of the review (when the review text is at hand)."""
    review = Path(__file__).resolve().parents[2] / "shared" / "review" / "review.txt"
    if not review.is_file():
        pytest.skip(f"review text not found at {review}")
    words = " ".join(review.read_text(encoding="utf-8").replace("-\n", "").split()).lower()
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

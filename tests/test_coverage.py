"""Paragraph splitting and citation parsing of ``exokg coverage`` on a small checked-in excerpt.

The excerpt (tests/data/coverage/excerpt.txt) is made up, in the layout of the review's
plain text: an abstract ending in the journal line, headings (one wrapped), a paragraph
split by a page break and a hyphenated word, and a figure legend the extraction put
mid-sentence. Runs without ../shared.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from exokg.curation.coverage import Paragraph, split_paragraphs, uncited_references, uncovered_paragraphs
from exokg.pipeline.curation import Curation, load_curation

EXCERPT = Path(__file__).parent / "data" / "coverage" / "excerpt.txt"


@pytest.fixture(scope="module")
def curation() -> Curation:
    return load_curation()


@pytest.fixture(scope="module")
def paragraphs(curation: Curation) -> list[Paragraph]:
    return split_paragraphs(EXCERPT.read_text(encoding="utf-8"), curation.sections)


def test_paragraphs_are_split_and_assigned_to_sections(paragraphs: list[Paragraph]) -> None:
    assert [(p.section, p.number) for p in paragraphs] == [
        ("abstract", 1),
        ("introduction", 1),
        ("biogenesis", 1),
        ("biogenesis", 2),
        ("fig1-legend", 1),
    ]


def test_a_page_break_and_a_hyphen_are_joined(paragraphs: list[Paragraph]) -> None:
    text = paragraphs[2].text
    assert text.startswith("Vesicles form inside endosomes (8).")
    assert "past a page break and a hyphenated word, and ends here (10)." in text
    assert "Fig. 1." not in text


def test_the_legend_is_lifted_out(paragraphs: list[Paragraph]) -> None:
    assert paragraphs[-1].text == "Fig. 1. A legend that the text extraction put in the middle of a sentence (9)."


def test_citations_are_parsed_with_ranges_and_lists(paragraphs: list[Paragraph]) -> None:
    assert [p.references for p in paragraphs] == [set(), {1, 2, 3, 4, 5, 7}, {8, 10}, set(), {9}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a (12) b", {12}), ("(3-5)", {3, 4, 5}), ("(1, 4 - 6)", {1, 4, 5, 6}), ("f(2)", set()), ("(2009)", {2009}),
     ("no citation", set()), ("(a)", set())],
)  # fmt: skip
def test_citation_forms(text: str, expected: set[int]) -> None:
    assert Paragraph("s", 1, text).references == expected


def test_uncovered_and_uncited_use_the_parsed_citations(curation: Curation, paragraphs: list[Paragraph]) -> None:
    only = [dataclasses.replace(c, section="introduction", references=(1,)) for c in curation.claims[:1]]
    small = dataclasses.replace(curation, claims=tuple(only))
    missing = uncovered_paragraphs(small, paragraphs)
    assert ("introduction", 1) not in {(p.section, p.number) for p in missing}
    assert ("biogenesis", 1) in {(p.section, p.number) for p in missing}
    assert uncited_references(small, paragraphs)["introduction"] == [2, 3, 4, 5, 7]

"""Certainty as data: every claim's certainty agrees with the hedge words of its source sentence.

``data/hedges.tsv`` records, per claim, its certainty, the hedge cue that justifies a
certainty other than *asserted*, the opening words of its source sentence in the review
(a unique prefix) and, when the hedge of that sentence governs another clause, the clause
the claim rests on. ``data/hedge-cues.tsv`` lists the hedge words. The rule: a claim is
asserted only when its sentence (or clause) holds no hedge cue; any other certainty names
a cue found there. Claims from the curator's background knowledge (ECO:0000306) have no
source sentence.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from exokg.curation.coverage import split_paragraphs
from exokg.io.tables import Row, read_table
from exokg.pipeline.curation import CERTAINTIES, Curation, load_curation
from exokg.pipeline.populate import entity_iri, vocab
from exokg.resources import data_dir

OUTSIDE_KNOWLEDGE = "ECO:0000306"
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z“(])")
_NO_END = ("i.e.", "e.g.", "et al.", "vs.", "Fig.")


@cache
def curation() -> Curation:
    return load_curation()


def hedge_rows() -> list[Row]:
    return read_table(data_dir() / "hedges.tsv", required=("claim", "certainty", "cue", "sentence", "clause"))


def hedge_cues() -> list[str]:
    return [row["cue"] for row in read_table(data_dir() / "hedge-cues.tsv", required=("cue", "certainty"))]


def split_sentences(text: str) -> list[str]:
    """Sentences of the review text, paragraph by paragraph (abbreviations do not end a sentence).

    >>> split_sentences("INTRODUCTION\\n\\nExosomes (i.e., vesicles) exist. They carry cargo (1).")
    ['Exosomes (i.e., vesicles) exist.', 'They carry cargo (1).']
    """
    sentences: list[str] = []
    for paragraph in split_paragraphs(text, curation().sections):
        for part in _SENTENCE_END.split(paragraph.text):
            if sentences and sentences[-1].endswith(_NO_END):
                sentences[-1] += " " + part
            else:
                sentences.append(part)
    return sentences


def cues_in(text: str, cues: list[str]) -> list[str]:
    """The hedge cues that occur in ``text`` as whole words.

    >>> cues_in("ABCA3 is implicated in resistance", ["implicated", "may"])
    ['implicated']
    """
    return [cue for cue in cues if re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", text, re.IGNORECASE)]


def hedge_problems(rows: list[Row], certainty: dict[str, str], evidence: dict[str, str], sentences: list[str],
                   cues: list[str]) -> list[str]:  # fmt: skip
    """Every disagreement between the claims' certainty and the hedge evidence (empty when they agree)."""
    problems = []
    recorded = {row["claim"] for row in rows}
    problems += [f"{claim}: no row in data/hedges.tsv" for claim in sorted(set(certainty) - recorded)]
    for row in rows:
        claim = row["claim"]
        if claim not in certainty:
            problems.append(f"{claim}: not a claim")
            continue
        if row["certainty"] != certainty[claim]:
            problems.append(f"{claim}: certainty {certainty[claim]} in the claim table, {row['certainty']} here")
        if not row["sentence"]:
            if evidence[claim] != OUTSIDE_KNOWLEDGE:
                problems.append(f"{claim}: no source sentence (only {OUTSIDE_KNOWLEDGE} claims have none)")
            continue
        found = [s for s in sentences if s.startswith(row["sentence"])]
        if len(found) != 1:
            problems.append(f"{claim}: {len(found)} sentences start with {row['sentence']!r}")
            continue
        text = row["clause"] or found[0]
        if row["clause"] and row["clause"] not in found[0]:
            problems.append(f"{claim}: clause {row['clause']!r} is not in its sentence")
        hedges = cues_in(text, cues)
        if certainty[claim] == "asserted" and hedges:
            problems.append(f"{claim}: marked asserted but its source says {', '.join(hedges)}")
        if certainty[claim] != "asserted" and (not row["cue"] or row["cue"].lower() not in text.lower()):
            problems.append(f"{claim}: {certainty[claim]} needs the hedge cue of its sentence in the cue column")
    return problems


def _inputs(review: Path) -> tuple[dict[str, str], dict[str, str], list[str]]:
    claims = curation().claims
    sentences = split_sentences(review.read_text(encoding="utf-8"))
    return {c.id: c.certainty for c in claims}, {c.id: c.evidence for c in claims}, sentences


def test_every_certainty_agrees_with_its_source_sentence(review_text: Path) -> None:
    certainty, evidence, sentences = _inputs(review_text)
    assert hedge_problems(hedge_rows(), certainty, evidence, sentences, hedge_cues()) == []


def test_a_hedged_sentence_cannot_back_an_asserted_claim(review_text: Path) -> None:
    certainty, evidence, sentences = _inputs(review_text)
    rows = hedge_rows()
    hedged = next(row for row in rows if row["certainty"] == "suggested" and not row["clause"])
    problems = hedge_problems(rows, {**certainty, hedged["claim"]: "asserted"}, evidence, sentences, hedge_cues())
    assert any(p.startswith(f"{hedged['claim']}: certainty asserted") for p in problems)
    assert any(p.startswith(f"{hedged['claim']}: marked asserted but its source says") for p in problems)


def test_a_hedged_claim_names_its_cue(review_text: Path) -> None:
    certainty, evidence, sentences = _inputs(review_text)
    rows = hedge_rows()
    asserted = next(row for row in rows if row["certainty"] == "asserted" and row["sentence"])
    problems = hedge_problems(rows, {**certainty, asserted["claim"]: "suggested"}, evidence, sentences, hedge_cues())
    assert f"{asserted['claim']}: suggested needs the hedge cue of its sentence in the cue column" in problems


def test_the_cue_list_holds_the_hedges_of_the_issue() -> None:
    cues = set(hedge_cues())
    assert {"could", "may", "might", "suggest", "implicated", "is related to", "probably"} <= cues
    assert "remains to be investigated" in cues
    assert {row["certainty"] for row in read_table(data_dir() / "hedge-cues.tsv")} <= set(CERTAINTIES)


@pytest.mark.parametrize(
    ("claim", "certainty"),
    [("c550", "suggested"), ("c565", "suggested"), ("c055", "unresolved"), ("c119", "hypothesised"),
     ("c562", "hypothesised"), ("c320", "asserted")],
)  # fmt: skip
def test_the_issue_examples_carry_their_certainty(claim: str, certainty: str) -> None:
    assert {c.id: c.certainty for c in curation().claims}[claim] == certainty


def test_only_asserted_claims_draw_a_shortcut(graphs) -> None:  # type: ignore[no-untyped-def]
    review = graphs.review
    claims = {c.id: c for c in curation().claims}
    asserted = {(c.subject, c.relation, c.object) for c in claims.values() if c.certainty == "asserted"}
    for claim in claims.values():
        drawn = (entity_iri(claim.subject), vocab(claim.relation), entity_iri(claim.object)) in review
        assert drawn == ((claim.subject, claim.relation, claim.object) in asserted), claim.id

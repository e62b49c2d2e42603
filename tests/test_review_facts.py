"""Facts of the review, section by section, asked of the *built* graph (the Oxigraph store of a build).

Each row: the section, subject, relation, object, the cited reference (0 when the review
cites none) and extra qualifier triples the claim must carry. The query asks for a claim
node with all of it *and* the shortcut triple, so a fact lost anywhere on the line fails.
A fact the review only hedges (HEDGED) is asked as a claim node with its certainty and
without a shortcut triple: the graph must not state it as fact.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exokg.query.engines import OxigraphEngine

FACTS = [
    # section, subject, relation, object, reference, extra qualifiers (property, entity)
    ("abstract", "cancer-cell-derived-exosome", "locatedIn", "urine", 0, []),
    ("abstract", "cancer-cell-derived-exosome", "locatedIn", "saliva", 0, []),
    ("introduction", "ectosome", "derivesFrom", "plasma-membrane", 2, []),
    ("introduction", "exosome", "locatedIn", "saliva", 4, []),
    ("biogenesis", "rab27a", "promotes", "exosome-secretion", 15, [("underCondition", "hypoxia")]),
    ("biogenesis", "vamp7", "involvedIn", "mvb-plasma-membrane-fusion", 14, []),
    ("biogenesis", "integrin-alpha6-beta4", "directsTo", "lung", 17, [("targetOrgan", "lung")]),
    ("biogenesis", "integrin-alphav-beta3", "directsTo", "liver", 17, [("targetOrgan", "liver")]),
    ("fig1-legend", "rab35", "involvedIn", "exosome-secretion", 0, []),
    ("oncogenic-elements", "cancer-cell-derived-exosome", "hasCargo", "mrna", 20, []),
    ("protein-content", "hsp60", "isMarkerFor", "exosome", 21, []),
    ("protein-content", "mdr-1", "confersResistanceTo", "docetaxel", 24, [("inCancer", "prostate-cancer")]),
    ("protein-content", "mutant-kras", "promotes", "tumour-growth", 23, [("inCancer", "colon-cancer")]),
    ("protein-content", "emmprin", "upregulates", "mmp-1", 27, []),
    ("nucleic-acid-content", "mir-1246", "levelIncreasedIn", "pancreatic-cancer", 39,
     [("inBodyFluid", "serum"), ("comparedWith", "healthy-donor")]),
    ("nucleic-acid-content", "mir-200c", "levelIncreasedIn", "ovarian-cancer", 40, []),
    ("nucleic-acid-content", "mir-1229", "levelDecreasedAfter", "surgical-resection", 41,
     [("inCancer", "colon-cancer")]),
    ("nucleic-acid-content", "mir-105", "downregulates", "zo-1", 46, [("inCancer", "breast-cancer")]),
    ("lipidomic-content", "pc3-exosome", "hasCargo", "phosphatidylserine", 56, [("inExperimentalSystem", "pc3")]),
    ("lipidomic-content", "pge2", "promotes", "mdsc-accumulation", 35, []),
    ("diagnosis-prognosis", "egfrviii", "isMarkerFor", "glioblastoma", 61, []),
    ("diagnosis-prognosis", "met", "promotes", "metastasis", 63, [("inCancer", "hepatocellular-carcinoma")]),
    ("therapeutics", "dimethyl-amiloride", "inhibits", "exosome-secretion", 67,
     [("inExperimentalSystem", "ct26-bearing-mice"), ("inStrategy", "inhibition-of-exosome-secretion")]),
    ("therapeutics", "gw4869", "inhibits", "metastasis", 44, [("inExperimentalSystem", "lung-cancer-bearing-mice")]),
    ("therapeutics", "let-7a", "inhibits", "tumour-growth", 68, []),
    ("conclusions", "cancer-cell-derived-exosome", "promotes", "pre-metastatic-niche-formation", 0, []),
]  # fmt: skip

HEDGED = [
    # section, subject, relation, object, reference, certainty
    ("lipidomic-content", "abca3", "confersResistanceTo", "rituximab", 60, "Suggested"),
    ("lipidomic-content", "pge2", "promotes", "mdsc-accumulation", 35, "Suggested"),
    ("biogenesis", "oncogenic-elements", "involvedIn", "exosome-secretion", 0, "Hypothesised"),
    ("introduction", "cancer-cell", "regulates", "cargo-sorting", 0, "Unresolved"),
    ("diagnosis-prognosis", "met", "isMarkerFor", "hepatocellular-carcinoma", 63, "Suggested"),
]  # fmt: skip

PREFIXES = """PREFIX exokg: <https://w3id.org/exokg/vocab/>
PREFIX e: <https://w3id.org/exokg/entity/>
PREFIX src: <https://w3id.org/exokg/source/>
"""


def ask(section: str, subject: str, relation: str, obj: str, reference: int, extra: list[tuple[str, str]]) -> str:
    lines = [
        f"e:{subject} exokg:{relation} e:{obj} .",
        f"?claim exokg:claimSubject e:{subject} ; exokg:claimRelation exokg:{relation} ; exokg:claimObject e:{obj} ;",
        f"       exokg:inSection src:soung2016-section-{section} ; exokg:statedIn src:soung2016 .",
    ]
    if reference:
        lines.append(f"?claim exokg:citesReference src:soung2016-r{reference:02d} .")
    lines += [f"?claim exokg:{prop} e:{value} ." for prop, value in extra]
    return PREFIXES + "ASK WHERE {\n  " + "\n  ".join(lines) + "\n}"


@pytest.fixture(scope="module")
def engine(dist: Path) -> OxigraphEngine:
    return OxigraphEngine.open(dist)


@pytest.mark.parametrize(("section", "subject", "relation", "obj", "reference", "extra"), FACTS)
def test_the_built_graph_states_the_fact(
    engine: OxigraphEngine, section: str, subject: str, relation: str, obj: str, reference: int,
    extra: list[tuple[str, str]],
) -> None:  # fmt: skip
    assert engine.run(ask(section, subject, relation, obj, reference, extra)).boolean is True


def test_every_section_has_a_fact() -> None:
    from exokg.pipeline.curation import load_curation

    assert {fact[0] for fact in FACTS} == {section.id for section in load_curation().sections}


def test_a_fact_the_review_does_not_state_is_absent(engine: OxigraphEngine) -> None:
    """The check can fail: the right triple with the wrong reference or organ is not found."""
    assert engine.run(ask("biogenesis", "integrin-alpha6-beta4", "directsTo", "liver", 17, [])).boolean is False
    assert engine.run(ask("protein-content", "mdr-1", "confersResistanceTo", "docetaxel", 25, [])).boolean is False


def test_the_alpha_v_beta3_claim_carries_the_discrepancy_note(engine: OxigraphEngine) -> None:
    query = (
        PREFIXES
        + """ASK WHERE {
      ?claim exokg:claimSubject e:integrin-alphav-beta3 ; exokg:claimObject e:liver ; exokg:curationNote ?note .
      FILTER(CONTAINS(STR(?note), "αvβ5"))
    }"""
    )
    assert engine.run(query).boolean is True


@pytest.mark.parametrize(("section", "subject", "relation", "obj", "reference", "certainty"), HEDGED)
def test_a_hedged_fact_is_a_claim_without_a_shortcut(
    engine: OxigraphEngine, section: str, subject: str, relation: str, obj: str, reference: int, certainty: str
) -> None:
    claim = ask(section, subject, relation, obj, reference, []).replace(
        f"e:{subject} exokg:{relation} e:{obj} .", f"?claim exokg:hasCertainty exokg:{certainty} ."
    )
    assert engine.run(claim).boolean is True
    shortcut = PREFIXES + f"ASK {{ e:{subject} exokg:{relation} e:{obj} }}"
    hedged_only = subject not in {"pge2"}  # PGE2 → MDSC accumulation is also asserted (ref 35, CCE content)
    assert engine.run(shortcut).boolean is not hedged_only

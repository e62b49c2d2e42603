"""exokg mine: repaired text, grounding, candidates, the leave-one-section-out guard, curation check."""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from exokg.cli.main import cli
from exokg.mine import CANDIDATE_COLUMNS, certainty_of, load_lexicon
from exokg.mine._exokg import CLAIM_COLUMNS, Claim, load_curation
from exokg.mine.candidates import analyse
from exokg.mine.text import citation_numbers, find_sections, repair, split_sentences

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def review() -> str:
    """The review's text; a failure, not a skip, where ../shared is required (CI)."""
    from tests.conftest import shared_path

    return shared_path("review", "review.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lexicon():  # type: ignore[no-untyped-def]
    return load_lexicon(load_curation().entities)


@pytest.fixture(scope="module")
def mined(review: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, str]]]:
    out = tmp_path_factory.mktemp("mine") / "candidates.tsv"
    review_file = out.with_name("review.txt")
    review_file.write_text(review, encoding="utf-8")
    result = CliRunner().invoke(cli, ["mine", str(review_file), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return out, rows


# ---- text ----


def test_repair_joins_line_end_hyphens_and_restores_lost_greek() -> None:
    assert repair("oncogen-\nic and meta-\nstasis").text == "oncogenic and metastasis"
    assert repair("transforming growth factor beta (TGF-) in CCEs").text.endswith("(TGF-β) in CCEs")
    assert (
        repair("exosomal integrins 64 and 61 are associated").text == "exosomal integrins α6β4 and α6β1 are associated"
    )
    assert repair("exosomal integrin v3 integrin is").text == "exosomal integrin αvβ3 integrin is"
    assert repair("integrin v-specific peptide").text == "integrin αv-specific peptide"


def test_repair_keeps_real_hyphens() -> None:
    assert repair("tumor- \nstromal interaction").text == "tumor-stromal interaction"
    assert repair("miR- \n4644").text == "miR-4644"
    assert repair("ESCRT-independent and TGF-β1").text == "ESCRT-independent and TGF-β1"
    # a hyphenated word the text writes whole elsewhere stays hyphenated at a line end
    assert repair("cell-free DNA and cell-\nfree RNA").text == "cell-free DNA and cell-free RNA"


def test_repair_reads_windows_line_ends() -> None:
    assert repair("oncogen-\r\nic cells\r\nrelease").text == "oncogenic cells release"


def test_mining_an_empty_or_unrelated_text_proposes_nothing() -> None:
    from exokg.mine import mine_text

    assert mine_text("").candidates == ()
    assert mine_text("The weather was fine and the train left on time.").candidates == ()


def test_repair_maps_every_character_back_to_the_original() -> None:
    original = "Early en-\ndosomes and TGF- here"
    repaired = repair(original)
    assert repaired.text == "Early endosomes and TGF-β here"
    start = repaired.text.index("endosomes")
    begin, end = repaired.span(start, start + len("endosomes"))
    assert original[begin:end] == "en-\ndosomes"


def test_sections_of_the_review_follow_the_curated_section_ids(review: str) -> None:
    curation = load_curation()
    known = {s.heading: s.id for s in curation.sections if s.heading}
    found = [s.id for s in find_sections(review, known) if any(split_sentences(review, s))]
    assert found == [s.id for s in sorted(curation.sections, key=lambda s: s.order)]


def test_a_sentence_interrupted_by_the_figure_legend_is_joined(review: str) -> None:
    known = {s.heading: s.id for s in load_curation().sections if s.heading}
    biogenesis = next(s for s in find_sections(review, known) if s.id == "biogenesis")
    texts = [s.text for s in split_sentences(review, biogenesis)]
    assert any("in the endosomal membrane." in t and t.startswith("ESCRT 0 involves") for t in texts)
    assert not any("Biogenesis, secretion, and intercellular communication" in t for t in texts)


def test_citation_numbers_expand_ranges_and_ignore_figures_and_volumes() -> None:
    assert citation_numbers("cancer processes (5-7) and (1, 5, 6).") == [5, 6, 7, 1]
    assert citation_numbers("see (Fig. 1) and BMB Reports 2016; 49(1): 18-25") == []


def test_certainty_reads_hedges() -> None:
    assert certainty_of("It remains to be seen whether cancer cells develop packing mechanisms.") == "unresolved"
    assert certainty_of("These lipids could potentially be used as biomarkers.") == "hypothesised"
    assert certainty_of("This study suggests that integrins direct metastasis.") == "suggested"
    assert certainty_of("Exosomes contain CD63 (4).") == "asserted"


# ---- grounding ----


def _entities(lexicon, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {m.entity for m in lexicon.find(repair(text).text)}


def test_grounding_reads_damaged_and_abbreviated_names(lexicon) -> None:  # type: ignore[no-untyped-def]
    assert "tgf-beta" in _entities(lexicon, "transforming growth factor beta (TGF-) in CCEs")
    assert {"integrin-alpha6-beta4", "integrin-alpha6-beta1"} <= _entities(lexicon, "integrins 64 and 61 are")
    assert "integrin-alphav-beta3" in _entities(lexicon, "exosomal integrin v3 integrin is associated")
    assert {"multivesicular-body", "cancer-cell-derived-exosome"} <= _entities(lexicon, "MVBs release CCEs")
    assert {"mir-17", "mir-18a", "mir-19a", "mir-92a"} <= _entities(lexicon, "(miR-17, -18a, -19a, -20a, and -92a)")
    assert {"mir-221", "mir-222", "mir-221-222"} <= _entities(lexicon, "exosomal miRNAs (miR-221/222) to gastric")
    assert "mir-221-222" not in _entities(lexicon, "miR-221 and miR-21 were found")  # no cluster holds both
    assert "mir-105" in _entities(lexicon, "Exosomal miR105 secreted from")
    assert "tumour-growth" in _entities(lexicon, "leads to tumor growth")


def test_grounding_needs_the_case_of_short_symbols(lexicon) -> None:  # type: ignore[no-untyped-def]
    assert "met" in _entities(lexicon, "the HGF receptor, MET oncoprotein")
    assert "met" not in _entities(lexicon, "the criteria were met by all patients")
    assert not any(e in lexicon.proposed for e in _entities(lexicon, "cells can set the pace"))


def test_unknown_well_formed_names_become_proposed_entities(lexicon) -> None:  # type: ignore[no-untyped-def]
    found = _entities(lexicon, "Exosomal miR-155 and PTEN were found in serum.")
    assert {"mir-155", "pten", "serum"} <= found
    assert lexicon.proposed["mir-155"].curie == "mirbase.mature:MIMAT0000646"
    assert lexicon.proposed["pten"].curie == "HGNC:9588"
    assert lexicon.proposed["pten"].type == "Protein"


def test_derived_exosomes_are_read_as_the_curated_population(lexicon) -> None:  # type: ignore[no-untyped-def]
    text = "Highly metastatic melanoma-driven exosomes are able to convert cells."
    (item,) = analyse(split_sentences(text, find_sections(text)[0]), lexicon)
    assert "melanoma-cell-exosome" in {m.entity for m in item.mentions}
    text = "Exosomes are able to convert cells."
    (item,) = analyse(split_sentences(text, find_sections(text)[0]), lexicon)
    assert "melanoma-cell-exosome" not in {m.entity for m in item.mentions}
    text = "We know that CCEs in breast cancer cells contain Dicer. Studies of cells (PC3) and their exosomes."
    first, second = analyse(split_sentences(text, find_sections(text)[0]), lexicon)
    assert "breast-cancer-cell-exosome" in {m.entity for m in first.mentions}
    assert "pc3-exosome" in {m.entity for m in second.mentions}


def test_an_abbreviation_names_the_phrase_it_follows_not_an_of_phrase_around_it(lexicon) -> None:  # type: ignore[no-untyped-def]
    text = "The secretion of extracellular vesicles (EVs) is conserved (1). EVs are categorized by size."
    second = analyse(split_sentences(text, find_sections(text)[0]), lexicon)[1]
    assert {m.entity for m in second.mentions if m.surface == "EVs"} == {"extracellular-vesicle"}


def test_exosomes_of_the_same_study_are_read_as_the_population_just_named(lexicon) -> None:  # type: ignore[no-untyped-def]
    text = ("Lipidomics of prostate cancer cells (PC3) and their exosomes (56). Cholesterol was found in "
            "exosomes (56). Exosomes carry RNA (12).")  # fmt: skip
    same, other = analyse(split_sentences(text, find_sections(text)[0]), lexicon)[1:]
    assert {"exosome", "pc3-exosome"} <= {m.entity for m in same.mentions}
    assert "pc3-exosome" not in {m.entity for m in other.mentions}  # another study: exosomes in general


# ---- the command and its table ----


def test_mine_writes_a_candidates_table_that_points_at_the_text(mined, review: str) -> None:  # type: ignore[no-untyped-def]
    out, rows = mined
    assert out.read_text(encoding="utf-8").splitlines()[0].split("\t") == list(CANDIDATE_COLUMNS)
    assert len(rows) > 100
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert review[start] == row["sentence"][0] and review[end - 1] == row["sentence"][-1], row["id"]
        assert row["subject_text"] in row["sentence"] and row["object_text"] in row["sentence"]
        assert 0.0 <= float(row["score"]) <= 1.0 and row["reason"].startswith("model p=")
        # the score is the pair probability times the probability of the relation chosen, both shown
        pair, relation = re.search(r"\(pair ([\d.]+) x relation ([\d.]+)\)", row["reason"]).groups()  # type: ignore[union-attr]
        assert float(row["score"]) == pytest.approx(float(pair) * float(relation), abs=0.01)
        assert float(row["score"]) <= float(pair) + 0.005
        assert row["certainty"] in {"asserted", "suggested", "hypothesised", "unresolved"}
    assert len({row["id"] for row in rows}) == len(rows)


def test_mine_finds_known_claims_of_the_review(mined) -> None:  # type: ignore[no-untyped-def]
    _, rows = mined
    triples = {(r["subject"], r["relation"], r["object"]) for r in rows}
    assert ("exosome", "hasCargo", "cd63") in triples
    assert ("exosome", "hasCargo", "protein") in triples
    cd63 = next(r for r in rows if (r["subject"], r["relation"], r["object"]) == ("exosome", "hasCargo", "cd63"))
    assert cd63["references"] == "4|17|21" and cd63["evidence"] == "ECO:0000304"
    assert ("cd63", "hasCargo", "exosome") not in triples  # never the wrong way round


def test_mine_refuses_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["mine", str(tmp_path / "absent.txt")])
    assert result.exit_code == 2


# ---- evaluation that cannot flatter itself ----


def _analysed_sections(review: str, lexicon, sections: list[str]):  # type: ignore[no-untyped-def]
    """The curation and the analysed sentences of ``sections`` of the review."""
    curation = load_curation()
    known = {s.heading: s.id for s in curation.sections if s.heading}
    sentences = [s for sec in find_sections(review, known) if sec.id in sections for s in split_sentences(review, sec)]
    return curation, analyse(sentences, lexicon)


def test_loso_reads_no_held_out_claims_before_mining_that_section(
    review: str,
    lexicon,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import exokg.mine.candidates as candidates
    import exokg.mine.evaluate as evaluate

    sections = ["oncogenic-elements", "lipidomic-content", "conclusions"]
    curation, analysed = _analysed_sections(review, lexicon, sections)
    events: list[tuple[str, str]] = []

    def claims_for(section: str) -> Sequence[Claim]:
        events.append(("read", section))
        return [claim for claim in curation.claims if claim.section == section]

    real = evaluate.mine_sentences

    def recording(items, *args, **kwargs):  # type: ignore[no-untyped-def]
        items = list(items)
        events.append(("mine", items[0].sentence.section if items else ""))
        return real(items, *args, **kwargs)

    real_support = candidates.supporting_sentences

    def recording_support(items, claims):  # type: ignore[no-untyped-def]
        claims = list(claims)
        for section in sorted({claim.section for claim in claims} | {item.sentence.section for item in items}):
            events.append(("label", section))  # the sentence-level labels see these sections' claims and text
        return real_support(items, claims)

    monkeypatch.setattr(evaluate, "mine_sentences", recording)
    monkeypatch.setattr(candidates, "supporting_sentences", recording_support)
    folds = evaluate.evaluate_loso(analysed, sections, claims_for, lexicon, min_score=0.3)
    assert [fold.section for fold in folds] == sections
    for held_out in sections:
        mined_at = events.index(("mine", held_out))
        fold_start = max((i for i, e in enumerate(events[:mined_at]) if e[0] == "mine"), default=-1) + 1
        assert ("read", held_out) not in events[fold_start:mined_at]  # trained without it
        assert ("label", held_out) not in events[fold_start:mined_at]  # nor labelled from it
        assert any(e[0] == "label" for e in events[fold_start:mined_at])  # the labels came through the guard
        assert ("read", held_out) in events[mined_at:]  # and scored against it afterwards
    curated = {(c.subject, c.relation, c.object) for c in curation.claims if c.section == "oncogenic-elements"}
    assert folds[0].gold_triples == len(curated)  # distinct triples: two claims may differ only in qualifiers


def test_a_threshold_chosen_per_fold_reads_only_that_fold_s_training_claims(
    review: str,
    lexicon,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import exokg.mine.evaluate as evaluate

    sections = ["oncogenic-elements", "lipidomic-content", "conclusions", "abstract"]
    curation, analysed = _analysed_sections(review, lexicon, sections)
    reads: list[str] = []
    choices: list[tuple[list[str], list[str]]] = []  # (sections offered, claims read) per call

    def claims_for(section: str) -> Sequence[Claim]:
        reads.append(section)
        return [claim for claim in curation.claims if claim.section == section]

    real = evaluate.choose_threshold

    def recording(items, offered, *args, **kwargs):  # type: ignore[no-untyped-def]
        before = len(reads)
        threshold = real(items, offered, *args, **kwargs)
        choices.append((list(offered), reads[before:]))
        assert {item.sentence.section for item in items} <= set(offered)  # no held-out sentences either
        return threshold

    monkeypatch.setattr(evaluate, "choose_threshold", recording)
    folds = evaluate.evaluate_loso(analysed, sections, claims_for, lexicon, min_score=None)
    assert [fold.section for fold in folds] == sections
    for fold, (offered, read) in zip(folds, choices, strict=True):
        assert fold.section not in offered and fold.section not in read
        assert fold.threshold is not None and 0 < fold.threshold < 1


def _claim(claim_id: str, **changes: object) -> Claim:
    import dataclasses

    claim = next(c for c in load_curation().claims if c.id == claim_id)
    return dataclasses.replace(claim, **changes)  # type: ignore[arg-type]


def test_a_claim_is_supported_by_the_sentence_that_cites_its_reference(review: str, lexicon) -> None:  # type: ignore[no-untyped-def]
    from exokg.mine.labels import supporting_sentences

    _, analysed = _analysed_sections(review, lexicon, ["biogenesis"])
    # c065 multivesicular-body hasPart intraluminal-vesicle, citing (8): five biogenesis sentences name both
    c065 = _claim("c065")
    assert c065.references == (8,)
    naming_both = [i for i, item in enumerate(analysed)
                   if {"multivesicular-body", "intraluminal-vesicle"} <= {m.entity for m in item.mentions}]  # fmt: skip
    assert len(naming_both) == 5
    (index,) = supporting_sentences(analysed, [c065])["c065"]
    assert "(8)" in analysed[index].sentence.text
    assert analysed[index].sentence.text.startswith(
        "MVBs are defined by the presence of small, cytosol-containing ILVs"
    )
    # c068 multivesicular-body fusesWith lysosome (9): the sentence citing 9, not the later one citing nothing
    (index,) = supporting_sentences(analysed, [_claim("c068")])["c068"]
    assert "(9)" in analysed[index].sentence.text and "fusion with lysosomes" in analysed[index].sentence.text


def test_a_changed_reference_moves_the_supporting_sentence_and_the_label(review: str, lexicon) -> None:  # type: ignore[no-untyped-def]
    from exokg.mine.candidates import training_examples
    from exokg.mine.labels import supporting_sentences

    _, analysed = _analysed_sections(review, lexicon, ["biogenesis"])
    cites_8, cites_9, cites_11 = (_claim("c065", references=(n,)) for n in (8, 9, 11))
    (at_8,) = supporting_sentences(analysed, [cites_8])["c065"]
    (at_9,) = supporting_sentences(analysed, [cites_9])["c065"]
    (at_11,) = supporting_sentences(analysed, [cites_11])["c065"]
    assert len({at_8, at_9, at_11}) == 3
    assert "(9)" in analysed[at_9].sentence.text and "(11)" in analysed[at_11].sentence.text
    # a reference no sentence naming both cites: the ones nearest a sentence that cites it (ties all kept);
    # (10) is cited just after the sentence citing (9) and just before the one citing (11)
    near_10 = supporting_sentences(analysed, [_claim("c065", references=(10,))])["c065"]
    assert near_10 == (at_9, at_11)
    assert all("(10)" in analysed[i + 1].sentence.text or "(10)" in analysed[i - 1].sentence.text for i in near_10)
    # one claim: a single positive example with sentence labels, one per sentence naming both with section labels
    for claim in (cites_8, cites_9):
        examples = training_examples(analysed, [claim], lexicon)
        assert sum(example.label for example in examples) == 1
    assert sum(example.label for example in training_examples(analysed, [cites_8], lexicon, labels="section")) == 5


def test_scores_count_pairs_and_triples_by_entity_id() -> None:
    from exokg.mine.candidates import Candidate
    from exokg.mine.evaluate import score_fold
    from exokg.mine.text import Sentence

    sentence = Sentence("s", "x", 0, 1, (0,))
    gold = [c for c in load_curation().claims if c.id in ("c216", "c217")]  # exosome hasCargo cd9 / cd63
    right = Candidate("s", "exosome", "hasCargo", "cd9", 0.9, sentence, "", "", "", references=(4, 17, 21))
    wrong_relation = Candidate("s", "exosome", "releases", "cd63", 0.9, sentence, "", "", "")
    invented = Candidate("s", "cd63", "hasCargo", "exosome", 0.9, sentence, "", "", "")
    fold = score_fold("s", [right, wrong_relation, invented], gold)
    figures = fold.figures()
    assert (fold.hit_triples, fold.hit_pairs) == (1, 2)
    assert figures["triple_precision"] == pytest.approx(1 / 3) and figures["triple_recall"] == 0.5
    assert figures["pair_precision"] == pytest.approx(2 / 3) and figures["pair_recall"] == 1.0
    assert figures["reference_accuracy"] == 1.0


# ---- a candidate copied into a curation table ----


def test_candidates_copied_unedited_pass_curation_check(mined, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The sample is every candidate mined from the review at the default score (all of them)."""
    from exokg.mine.evaluate import check_as_curation

    out, _ = mined
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()[1:]]
    problems = check_as_curation(rows)
    passed = [index for index, found in problems.items() if not found]
    assert len(passed) / len(rows) >= 0.8, {i: p for i, p in problems.items() if p}
    # and the real command agrees on the rows that pass
    root = tmp_path / "resources"
    root.mkdir()
    for name in ("ontology", "shapes", "queries", "mappings"):
        os.symlink(REPO / name, root / name)
    shutil.copytree(REPO / "data", root / "data")
    sections = {rows[i][CLAIM_COLUMNS.index("section")] for i in passed}
    for table in (root / "data" / "claims").glob("*.tsv"):
        lines = table.read_text(encoding="utf-8").splitlines()
        table.write_text("\n".join([lines[0], *(x for x in lines[1:] if x.split("\t")[1] not in sections)]) + "\n")
    copied = ["\t".join(CLAIM_COLUMNS), *("\t".join(rows[i][: len(CLAIM_COLUMNS)]) for i in passed)]
    (root / "data" / "claims" / "zz-mined.tsv").write_text("\n".join(copied) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["curation", "check"], env={"EXOKG_RESOURCES": str(root)})
    assert result.exit_code == 0, result.output


def test_the_model_keeps_the_threshold_it_was_built_with(tmp_path: Path) -> None:
    from exokg.mine.model import MODEL_FILE, Model

    model = Model(pair={"bias": 0.5}, relations={"hasCargo": {"bias": 1.0}}, threshold=0.15)
    model.save(tmp_path / "model.tsv.gz")
    again = Model.load(tmp_path / "model.tsv.gz")
    assert (again.pair, again.relations, again.threshold) == (model.pair, model.relations, 0.15)
    shipped = Model.load(MODEL_FILE).threshold
    assert shipped is not None and 0 < shipped < 1  # `exokg mine` uses it when --min-score is not given

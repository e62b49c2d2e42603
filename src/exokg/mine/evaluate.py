"""Leave-one-section-out evaluation: train on the other sections, mine the held-out one, compare.

The curated claims reach a fold only through ``claims_for(section)``; the held-out
section's claims are asked for only after its candidates are mined (a test checks
the order of calls).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from exokg.mine._exokg import (
    CLAIM_COLUMNS,
    QUALIFIER_COLUMNS,
    Claim,
    InputError,
    check_curation,
    data_dir,
    load_curation,
    ontology_vocabulary,
)
from exokg.mine.candidates import AnalysedSentence, Candidate, mine_sentences, training_examples
from exokg.mine.lexicon import Lexicon
from exokg.mine.model import train

__all__ = ["FoldScore", "check_as_curation", "choose_threshold", "evaluate_loso", "score_fold"]


@dataclass
class FoldScore:
    """Counts for one held-out section (or the sum of all)."""

    section: str
    gold_triples: int = 0
    mined_triples: int = 0
    hit_triples: int = 0
    gold_pairs: int = 0
    mined_pairs: int = 0
    hit_pairs: int = 0
    qualifier_checked: int = 0
    qualifier_right: int = 0
    reference_checked: int = 0
    reference_right: int = 0
    threshold: float | None = None  # the minimum score the fold was mined at
    candidates: list[Candidate] = field(default_factory=list, repr=False)

    def add(self, other: FoldScore) -> None:
        for name in ("gold_triples", "mined_triples", "hit_triples", "gold_pairs", "mined_pairs", "hit_pairs",
                     "qualifier_checked", "qualifier_right", "reference_checked", "reference_right"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def ratio(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    def figures(self) -> dict[str, float]:
        r = self.ratio
        return {
            "triple_precision": r(self.hit_triples, self.mined_triples),
            "triple_recall": r(self.hit_triples, self.gold_triples),
            "pair_precision": r(self.hit_pairs, self.mined_pairs),
            "pair_recall": r(self.hit_pairs, self.gold_pairs),
            "qualifier_accuracy": r(self.qualifier_right, self.qualifier_checked),
            "reference_accuracy": r(self.reference_right, self.reference_checked),
        }


def _qualifier_sets(claim: Claim) -> dict[str, frozenset[str]]:
    columns = {prop: column for column, prop in QUALIFIER_COLUMNS.items()}
    out: dict[str, set[str]] = {}
    for prop, value in claim.qualifiers:
        out.setdefault(columns[prop], set()).add(value)
    if claim.direction:
        out["direction"] = {claim.direction}
    return {column: frozenset(values) for column, values in out.items()}


def score_fold(section: str, candidates: Sequence[Candidate], gold: Sequence[Claim]) -> FoldScore:
    """Compare one section's candidates with its curated claims (entities matched by id, i.e. by IRI)."""
    mined = {(c.subject, c.relation, c.object): c for c in candidates}
    golden = {(c.subject, c.relation, c.object): c for c in gold}
    mined_pairs = {(s, o) for s, _, o in mined}
    gold_pairs = {(s, o) for s, _, o in golden}
    fold = FoldScore(section, len(golden), len(mined), len(mined.keys() & golden.keys()), len(gold_pairs),
                     len(mined_pairs), len(mined_pairs & gold_pairs), candidates=list(candidates))  # fmt: skip
    for triple in mined.keys() & golden.keys():
        candidate, claim = mined[triple], golden[triple]
        want = _qualifier_sets(claim)
        got = {column: frozenset(values) for column, values in candidate.qualifiers.items()}
        if candidate.direction:
            got["direction"] = frozenset({candidate.direction})
        for column in sorted(want.keys() | got.keys()):  # columns where either side has a value
            fold.qualifier_checked += 1
            fold.qualifier_right += want.get(column) == got.get(column)
        fold.reference_checked += 1
        fold.reference_right += set(candidate.references) == set(claim.references)
    return fold


def evaluate_loso(
    analysed: Sequence[AnalysedSentence],
    sections: Sequence[str],
    claims_for: Callable[[str], Sequence[Claim]],
    lexicon: Lexicon,
    *,
    min_score: float | None = 0.5,
    held_out: Sequence[str] | None = None,
    labels: str = "sentence",
) -> list[FoldScore]:
    """One fold per section (or per ``held_out`` section): fit on the other sections' claims, mine it, score it.

    With ``min_score=None`` each fold's threshold is chosen by :func:`choose_threshold` on its training
    sections alone; ``FoldScore.threshold`` records it. ``labels`` is passed to :func:`training_examples`
    (the supporting sentences are derived from the training sections' claims only).
    """
    by_section: dict[str, list[AnalysedSentence]] = {}
    for item in analysed:
        by_section.setdefault(item.sentence.section, []).append(item)
    folds = []
    for section in held_out if held_out is not None else sections:
        others = [s for s in sections if s != section]
        training = [item for s in others for item in by_section.get(s, [])]
        claims = [claim for s in others for claim in claims_for(s)]
        threshold = (
            min_score
            if min_score is not None
            else choose_threshold(training, others, claims_for, lexicon, labels=labels)
        )
        model = train(training_examples(training, claims, lexicon, labels=labels))
        candidates = mine_sentences(by_section.get(section, []), lexicon, model, min_score=threshold)
        fold = score_fold(section, candidates, claims_for(section))
        fold.threshold = threshold
        folds.append(fold)
    return folds


def choose_threshold(
    analysed: Sequence[AnalysedSentence],
    sections: Sequence[str],
    claims_for: Callable[[str], Sequence[Claim]],
    lexicon: Lexicon,
    *,
    groups: int = 3,
    labels: str = "sentence",
) -> float:
    """The minimum score that maximises the F1 of (subject, object) pairs over ``sections`` alone.

    The sections are dealt into ``groups`` groups; each group is mined by a model trained on the others,
    and the pooled scores of its pairs are compared with its curated claims. Only the claims of
    ``sections`` are read, so a held-out section's threshold never depends on its own claims.
    """
    by_section: dict[str, list[AnalysedSentence]] = {}
    for item in analysed:
        by_section.setdefault(item.sentence.section, []).append(item)
    scored: list[tuple[float, bool]] = []  # best score of each mined (section, subject, object), and if curated
    gold_pairs = 0
    for index in range(groups):
        inner = [s for k, s in enumerate(sections) if k % groups == index]
        outer = [s for s in sections if s not in inner]
        if not inner or not outer:
            continue
        training = [item for s in outer for item in by_section.get(s, [])]
        model = train(training_examples(training, [c for s in outer for c in claims_for(s)], lexicon, labels=labels))
        for section in inner:
            gold = {(c.subject, c.object) for c in claims_for(section)}
            gold_pairs += len(gold)
            best: dict[tuple[str, str], float] = {}
            for candidate in mine_sentences(by_section.get(section, []), lexicon, model, min_score=0.0):
                pair = (candidate.subject, candidate.object)
                best[pair] = max(best.get(pair, 0.0), candidate.score)
            scored += [(score, pair in gold) for pair, score in best.items()]
    choice, best_f1 = 0.5, -1.0
    for step in range(1, 20):
        threshold = step / 20
        mined = [hit for score, hit in scored if score >= threshold]
        hits = sum(mined)
        f1 = 2 * hits / (len(mined) + gold_pairs) if mined or gold_pairs else 0.0
        if f1 > best_f1:
            choice, best_f1 = threshold, f1
    return choice


def check_as_curation(rows: Sequence[Sequence[str]], *, data: Path | None = None) -> dict[int, list[str]]:
    """Copy candidate rows (their claim-table cells, unedited) into a copy of the curated tables and check them.

    The sections the rows come from lose their curated claims first, as for a section no one has
    curated yet (otherwise a right candidate would be reported as repeating a curated claim).
    Returns, for each row index, the problems ``exokg curation check`` reports for it (empty: it passes).
    """
    width = len(CLAIM_COLUMNS)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data or data_dir(), copy)
        sections = {row[CLAIM_COLUMNS.index("section")] for row in rows}
        for table in sorted((copy / "claims").glob("*.tsv")):
            lines = table.read_text(encoding="utf-8").splitlines()
            column = lines[0].split("\t").index("section")
            kept = [lines[0]] + [line for line in lines[1:] if line.split("\t")[column] not in sections]
            table.write_text("\n".join(kept) + "\n", encoding="utf-8")
        mined = copy / "claims" / "zz-mined.tsv"
        body = ["\t".join(CLAIM_COLUMNS)] + ["\t".join(row[:width]) for row in rows]
        mined.write_text("\n".join(body) + "\n", encoding="utf-8")
        classes, objects, datas = ontology_vocabulary()
        problems = check_curation(load_curation(copy), classes=classes, object_properties=objects,
                                  data_properties=datas)  # fmt: skip
        out: dict[int, list[str]] = {index: [] for index in range(len(rows))}
        for problem in problems:
            if problem.path is not None and problem.path.name == mined.name and problem.line is not None:
                out[problem.line - 2].append(problem.message)
            else:
                raise InputError(f"the curated tables themselves have a problem: {problem}")
        return out

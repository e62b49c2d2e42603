"""Benchmark `exokg mine` on the curated review: leave-one-section-out scores, speed and memory.

Usage: python bench/mine.py [--review ../shared/review/review.txt] [--min-score 0.3] [--labels sentence] [--ablations]

For each section of the review, the pair and relation classifiers are trained on the
other sections' sentences and curated claims only, the held-out section is mined,
and its candidates are compared with its curated claims (entities matched by id,
i.e. by IRI). Prints a Markdown table per section and overall: precision and recall
of (subject, relation, object) triples and of (subject, object) pairs, qualifier
accuracy (per qualifier column, on matched triples, where either side has a value)
and reference accuracy (matched triples whose cited numbers are exactly the curated ones).
A second table mines each held-out section at a threshold chosen on its training sections
alone (the pair F1 of an inner 3-fold split of them), never on its own claims.
``--labels section`` trains on the first labels (a pair positive in every sentence of a section with
a claim linking it) instead of the supporting sentences of each claim. ``--ablations`` repeats the
overall figures with each reading of the text switched off.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from exokg.mine._exokg import Claim, load_curation
from exokg.mine.candidates import READINGS, analyse
from exokg.mine.evaluate import FoldScore, evaluate_loso
from exokg.mine.lexicon import load_lexicon
from exokg.mine.run import mine_text
from exokg.mine.text import find_sections, split_sentences

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = (ROOT.parent / "shared" / "review" / "review.txt", ROOT.parents[1] / "shared" / "review" / "review.txt")


def loso(text: str, *, min_score: float | None, readings: frozenset[str] = READINGS, external: bool = True,
         lexicon_readings: frozenset[str] | None = None, labels: str = "sentence") -> list[FoldScore]:  # fmt: skip
    curation = load_curation()
    lexicon = load_lexicon(curation.entities, external=external)
    if lexicon_readings is not None:
        lexicon.readings = lexicon_readings
    known = {section.heading: section.id for section in curation.sections if section.heading}
    sentences = [s for section in find_sections(text, known) for s in split_sentences(text, section)]
    analysed = analyse(sentences, lexicon, readings=readings)
    by_section: dict[str, list[Claim]] = {}
    for claim in curation.claims:
        by_section.setdefault(claim.section, []).append(claim)
    sections = [section.id for section in curation.sections if section.id in by_section]
    return evaluate_loso(analysed, sections, lambda s: by_section.get(s, []), lexicon, min_score=min_score,
                         labels=labels)  # fmt: skip


def loso_unseen_vocabulary(text: str, *, min_score: float, labels: str = "sentence") -> list[FoldScore]:
    """Leave-one-section-out where the held-out section's own entities are unknown too.

    Each fold's dictionary holds only the entities the other sections' claims use (and
    what those link to), as for a review whose entities no one has curated yet; the
    miRBase and HGNC names can still propose them.
    """
    curation = load_curation()
    entities = {entity.id: entity for entity in curation.entities}
    by_section: dict[str, list[Claim]] = {}
    for claim in curation.claims:
        by_section.setdefault(claim.section, []).append(claim)
    sections = [section.id for section in curation.sections if section.id in by_section]
    known = {section.heading: section.id for section in curation.sections if section.heading}
    sentences = [s for section in find_sections(text, known) for s in split_sentences(text, section)]
    folds = []
    for held_out in sections:
        used = {e for s in sections if s != held_out for c in by_section[s]
                for e in (c.subject, c.object, *(v for _, v in c.qualifiers))}  # fmt: skip
        queue = list(used)
        while queue:  # and whatever those entities link to (populations, parents, parts)
            entity = entities.get(queue.pop())
            for _, target in entity.links if entity is not None else ():
                if target not in used:
                    used.add(target)
                    queue.append(target)
        lexicon = load_lexicon([entities[e] for e in sorted(used) if e in entities])
        analysed = analyse(sentences, lexicon)
        folds += evaluate_loso(analysed, sections, lambda s: by_section.get(s, []), lexicon, min_score=min_score,
                               held_out=[held_out], labels=labels)  # fmt: skip
    return folds


def overall(folds: list[FoldScore]) -> FoldScore:
    total = FoldScore("overall")
    for fold in folds:
        total.add(fold)
    return total


def row(fold: FoldScore) -> str:
    f = fold.figures()
    return (f"| {fold.section} | {fold.gold_triples} | {fold.mined_triples} | {f['triple_precision']:.2f} | "
            f"{f['triple_recall']:.2f} | {f['pair_precision']:.2f} | {f['pair_recall']:.2f} | "
            f"{f['qualifier_accuracy']:.2f} ({fold.qualifier_checked}) | "
            f"{f['reference_accuracy']:.2f} ({fold.reference_checked}) |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", type=Path, default=next((p for p in REVIEWS if p.is_file()), REVIEWS[0]))
    parser.add_argument("--min-score", type=float, default=0.3)
    parser.add_argument("--labels", choices=("sentence", "section", "ignore"), default="sentence")
    parser.add_argument("--ablations", action="store_true")
    args = parser.parse_args()
    text = args.review.read_text(encoding="utf-8")

    started = time.perf_counter()
    result = mine_text(text, min_score=args.min_score)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    folds = loso(text, min_score=args.min_score, labels=args.labels)
    print(f"exokg mine, leave-one-section-out over the curated review (min score {args.min_score}, "
          f"{args.labels} labels)\n")  # fmt: skip
    print("| held-out section | curated triples | mined triples | triple P | triple R | pair P | pair R "
          "| qualifier acc. (n) | reference acc. (n) |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for fold in folds:
        print(row(fold))
    print(row(overall(folds)).replace("| overall |", "| **overall** |"))
    chosen = loso(text, min_score=None, labels=args.labels)
    print("\nthe same, each fold's minimum score chosen on its training sections alone (inner 3-fold pair F1)\n")
    print("| held-out section | threshold | curated triples | mined triples | triple P | triple R | pair P | pair R "
          "| qualifier acc. (n) | reference acc. (n) |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for fold in chosen:
        print(row(fold).replace(f"| {fold.section} |", f"| {fold.section} | {fold.threshold:.2f} |"))
    print(row(overall(chosen)).replace("| overall |", "| **overall** | |"))
    print(
        f"\nmining the whole review: {seconds:.2f} s in-process ({len(result.candidates)} candidates, "
        f"{len(result.proposed)} proposed entities), peak memory (max RSS) {peak:.0f} MiB"
    )

    unseen = overall(loso_unseen_vocabulary(text, min_score=args.min_score, labels=args.labels)).figures()
    print(
        f"\nwith the held-out section's own entities unknown as well: pairs P {unseen['pair_precision']:.2f} "
        f"R {unseen['pair_recall']:.2f}, triples P {unseen['triple_precision']:.2f} R {unseen['triple_recall']:.2f}"
    )

    if args.ablations:
        print("\n| variant | pair P | pair R | triple P | triple R |")
        print("| --- | ---: | ---: | ---: | ---: |")
        variants: list[tuple[str, dict[str, object]]] = [("all readings", {})]
        variants += [(f"without {name}", {"readings": READINGS - {name}}) for name in sorted(READINGS)]
        variants += [(f"without {name}", {"lexicon_readings": frozenset({"nested", "of-phrase", "shared-head"})
                                          - {name}}) for name in ("nested", "of-phrase", "shared-head")]  # fmt: skip
        variants += [("without external names", {"external": False}),
                     ("every co-occurring pair (min score 0)", {"min_score": 0.0})]  # fmt: skip
        for name, options in variants:
            kwargs = {"min_score": args.min_score, "labels": args.labels, **options}
            total = overall(loso(text, **kwargs)).figures()  # type: ignore[arg-type]
            print(f"| {name} | {total['pair_precision']:.2f} | {total['pair_recall']:.2f} | "
                  f"{total['triple_precision']:.2f} | {total['triple_recall']:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()

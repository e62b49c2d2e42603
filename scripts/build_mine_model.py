"""Train the miner's shipped model on every curated section of the review and save its weights.

Usage: python scripts/build_mine_model.py [--review ../shared/review/review.txt]
Writes src/exokg/mine/model.tsv.gz (deterministic: fixed example order, no sampling), with the
minimum score `exokg mine` uses by default: the one that maximises the pair F1 of a 3-fold split
of the curated sections (each third mined by a model trained on the other two).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from exokg.mine._exokg import Claim, load_curation
from exokg.mine.candidates import analyse, training_examples
from exokg.mine.evaluate import choose_threshold
from exokg.mine.lexicon import load_lexicon
from exokg.mine.model import MODEL_FILE, train
from exokg.mine.text import find_sections, split_sentences

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    beside = [root / "shared" / "review" / "review.txt" for root in (ROOT.parent, ROOT.parents[1])]
    parser.add_argument("--review", type=Path, default=next((p for p in beside if p.is_file()), beside[0]))
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    text = args.review.read_text(encoding="utf-8")
    curation = load_curation()
    lexicon = load_lexicon(curation.entities)
    known = {section.heading: section.id for section in curation.sections if section.heading}
    sentences = [s for section in find_sections(text, known) for s in split_sentences(text, section)]
    analysed = analyse(sentences, lexicon)
    examples = training_examples(analysed, curation.claims, lexicon)
    model = train(examples)
    by_section: dict[str, list[Claim]] = {}
    for claim in curation.claims:
        by_section.setdefault(claim.section, []).append(claim)
    sections = [section.id for section in curation.sections if section.id in by_section]
    model.threshold = choose_threshold(analysed, sections, lambda s: by_section.get(s, []), lexicon)
    model.save(args.out)
    print(f"wrote {args.out}: {len(examples)} examples, {sum(e.label for e in examples)} positive, "
          f"min score {model.threshold:.2f} (inner 3-fold pair F1)")  # fmt: skip


if __name__ == "__main__":
    main()

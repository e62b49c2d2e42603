"""Train the miner's shipped model on every curated section of the review and save its weights.

Usage: python scripts/build_mine_model.py [--review ../shared/review/review.txt]
Writes src/exokg/mine/model.tsv.gz (deterministic: fixed example order, no sampling).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from exokg.mine._exokg import load_curation
from exokg.mine.candidates import analyse, training_examples
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
    examples = training_examples(analyse(sentences, lexicon), curation.claims, lexicon)
    model = train(examples)
    model.save(args.out)
    print(f"wrote {args.out}: {len(examples)} examples, {sum(e.label for e in examples)} positive")


if __name__ == "__main__":
    main()

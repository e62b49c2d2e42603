"""Mine a review's text into candidate claims, and write them as a curation table.

>>> from exokg.mine.run import mine_text
>>> result = mine_text("Exosomes contain CD63 and miR-21 (4).")
>>> sorted((c.subject, c.relation, c.object) for c in result.candidates)[:1]
[('exosome', 'hasCargo', 'cd63')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from exokg.mine._exokg import ENTITY_COLUMNS, Curation, load_curation
from exokg.mine.candidates import CANDIDATE_COLUMNS, Candidate, analyse, mine_sentences
from exokg.mine.lexicon import ProposedEntity, load_lexicon
from exokg.mine.model import MODEL_FILE, Model
from exokg.mine.text import find_sections, split_sentences

__all__ = ["MineResult", "free_claim_ids", "mine_text", "write_candidates", "write_proposed_entities"]

DEFAULT_MIN_SCORE = 0.3


@dataclass(frozen=True)
class MineResult:
    candidates: tuple[Candidate, ...]
    proposed: tuple[ProposedEntity, ...]


def mine_text(
    text: str,
    *,
    min_score: float | None = None,
    curation: Curation | None = None,
    model: Model | None = None,
) -> MineResult:
    """Candidate claims of ``text``, numbered after the curated claims, with the new entities they need.

    Without ``min_score``, the threshold chosen when the model was built applies (else DEFAULT_MIN_SCORE).
    """
    model = model or Model.load(MODEL_FILE)
    if min_score is None:
        min_score = model.threshold if model.threshold is not None else DEFAULT_MIN_SCORE
    curation = curation or load_curation()
    lexicon = load_lexicon(curation.entities)
    known = {section.heading: section.id for section in curation.sections if section.heading}
    sentences = [s for section in find_sections(text, known) for s in split_sentences(text, section)]
    references = {source.number for source in curation.sources if source.number is not None}
    candidates = mine_sentences(
        analyse(sentences, lexicon), lexicon, model, min_score=min_score,
        known_references=lambda n: not references or n in references,
    )  # fmt: skip
    ids = free_claim_ids({claim.id for claim in curation.claims})
    labels = lexicon.labels
    for candidate in candidates:
        candidate.id = next(ids, "")
        relation = re.sub(r"(?<=[a-z])([A-Z])", lambda m: " " + m.group(1).lower(), candidate.relation)
        subject, obj = labels.get(candidate.subject, candidate.subject), labels.get(candidate.object, candidate.object)
        paraphrase = f"{subject} {relation} {obj}."
        candidate.paraphrase = paraphrase[:1].upper() + paraphrase[1:]
    needed = {c.subject for c in candidates} | {c.object for c in candidates}
    proposed = tuple(sorted((p for p in lexicon.proposed.values() if p.id in needed), key=lambda p: p.id))
    return MineResult(tuple(candidates), proposed)


def free_claim_ids(used: set[str]) -> Iterator[str]:
    """Claim ids no curated claim uses: after the highest one first, then the gaps below it.

    >>> list(free_claim_ids({"c001", "c003", "c997"}))[:4]
    ['c998', 'c999', 'c002', 'c004']
    """
    numbers = {int(claim_id[1:]) for claim_id in used if re.fullmatch(r"c\d{3}", claim_id)}
    highest = max(numbers, default=0)
    for number in [*range(highest + 1, 1000), *range(1, highest)]:
        if number not in numbers:
            yield f"c{number:03d}"


def _write(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> None:
    lines = ["\t".join(columns)]
    for row in rows:
        lines.append("\t".join(re.sub(r"[\t\n\r]+", " ", row.get(column, "")) for column in columns))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_candidates(path: Path, candidates: Sequence[Candidate]) -> None:
    """The candidates table: the claim table's columns first (copy those), then the mining evidence."""
    _write(path, CANDIDATE_COLUMNS, [candidate.cells() for candidate in candidates])


def write_proposed_entities(path: Path, proposed: Sequence[ProposedEntity]) -> None:
    """New entities the candidates name, in the entity table's format."""
    rows = [
        {"id": p.id, "type": p.type, "label": p.label,
         "description": f"Named in the mined review; proposed as {p.curie} ({p.label}).",
         "note": f"proposed by exokg mine; external id {p.curie}"}
        for p in proposed
    ]  # fmt: skip
    _write(path, ENTITY_COLUMNS, rows)

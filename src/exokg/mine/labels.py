"""Which sentence supports each curated claim: the sentence-level training labels of the pair classifier.

The claim tables record a claim's section and cited reference numbers, not its sentence. The
supporting sentences are derived from them: the sentences of the claim's section that name both
its subject and its object (in any reading), those whose citation brackets hold one of the claim's
reference numbers first; failing that, the ones nearest a sentence citing it; failing that (the
claim cites nothing the section's text cites), all of them.

Only the claims passed in are read, so a leave-one-section-out fold that passes its training
sections' claims derives labels from nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from exokg.mine._exokg import Claim
from exokg.mine.readings import AnalysedSentence
from exokg.mine.text import citation_numbers

__all__ = ["supporting_sentences"]


def supporting_sentences(analysed: Sequence[AnalysedSentence], claims: Iterable[Claim]) -> dict[str, tuple[int, ...]]:
    """For each claim id, the indexes (into ``analysed``) of the sentences that support it (maybe none).

    >>> from exokg.mine.lexicon import Mention
    >>> from exokg.mine.text import Sentence
    >>> def item(text, *entities):
    ...     return AnalysedSentence(Sentence("s", text, 0, len(text), ()),
    ...                             tuple(Mention(e, 0, 1, e, "label") for e in entities))
    >>> sentences = [item("Exosomes carry CD63 (4).", "exosome", "cd63"),
    ...              item("Exosomes carry CD63 and CD9 (17).", "exosome", "cd63", "cd9")]
    >>> claim = Claim("c1", "s", "exosome", "hasCargo", "cd63", (), None, (17,), "", "", (), "", "", None)
    >>> supporting_sentences(sentences, [claim])
    {'c1': (1,)}
    """
    by_section: dict[str, list[int]] = {}
    for index, item in enumerate(analysed):
        by_section.setdefault(item.sentence.section, []).append(index)
    entities = [{m.entity for m in item.mentions} for item in analysed]
    cited = [frozenset(citation_numbers(item.sentence.text)) for item in analysed]
    out: dict[str, tuple[int, ...]] = {}
    for claim in claims:
        indexes = by_section.get(claim.section, [])
        together = [i for i in indexes if claim.subject in entities[i] and claim.object in entities[i]]
        references = set(claim.references)
        citing = [i for i in indexes if cited[i] & references]
        if not together:
            out[claim.id] = ()
        elif both := [i for i in together if i in citing]:
            out[claim.id] = tuple(both)
        elif citing:
            position = {index: k for k, index in enumerate(indexes)}  # distance in sentences of the section
            distance = {i: min(abs(position[i] - position[j]) for j in citing) for i in together}
            nearest = min(distance.values())
            out[claim.id] = tuple(i for i in together if distance[i] == nearest)
        else:
            out[claim.id] = tuple(together)
    return out

"""From sentences to candidate claims: pairs, relation, qualifiers, references, certainty, score.

>>> from exokg.mine.candidates import certainty_of
>>> certainty_of("These lipids could potentially be used as biomarkers.")
'hypothesised'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from exokg.mine._exokg import CLAIM_COLUMNS, Claim, ontology_dir, read_table
from exokg.mine.labels import supporting_sentences
from exokg.mine.lexicon import Lexicon, Mention
from exokg.mine.model import Example, Model, SectionContext, coordination_groups, pair_features, section_context
from exokg.mine.readings import READINGS, AnalysedSentence, analyse
from exokg.mine.text import Sentence, citation_numbers

__all__ = [
    "CANDIDATE_COLUMNS",
    "MINING_COLUMNS",
    "READINGS",
    "AnalysedSentence",
    "Candidate",
    "analyse",
    "certainty_of",
    "mine_sentences",
    "training_examples",
]

#: The evidence after the claim table's own columns (certainty is one of those: the claim table has it).
MINING_COLUMNS = ("score", "reason", "sentence", "start", "end", "subject_text", "object_text")
CANDIDATE_COLUMNS = (*CLAIM_COLUMNS, *MINING_COLUMNS)
_EXOSOME_LIKE = ("ExtracellularVesicle",)
_HEDGES = (
    ("unresolved", re.compile(r"\b(remains? to be|not (?:currently |yet |well )?(?:known|understood|clear)|"
                              r"unclear|unknown|whether)\b", re.I)),
    ("hypothesised", re.compile(r"\b(may|might|could|probably|possibly|potential(?:ly)?|likely|hypothes\w*|"
                                r"merit consideration)\b", re.I)),
    ("suggested", re.compile(r"\b(suggest\w*|indicat\w*|appear\w*|suppor\w* the view|evidence)\b", re.I)),
)  # fmt: skip
_UP = re.compile(r"\b(increas\w*|elevat\w*|higher|more abundant|overexpress\w*|up-?regulat\w*|excessive)\b", re.I)
_DOWN = re.compile(r"\b(decreas\w*|lower|reduc\w*|down-?regulat\w*)\b", re.I)
_RECIPIENT = re.compile(r"\b(to|into|recipient|target(?:ed)?)\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
_SOURCE = re.compile(r"\b(from|by|in)\s+(?:the\s+)?(?:\w+\s+){0,2}$|^[-\s]*(?:cell[s]?[-\s]*)?(derived|driven)", re.I)


def certainty_of(sentence: str) -> str:
    """The certainty a sentence's hedges give its claims: unresolved, hypothesised, suggested or asserted.

    >>> certainty_of("Exosomes contain proteins (4).")
    'asserted'
    """
    for value, pattern in _HEDGES:
        if pattern.search(sentence):
            return value
    return "asserted"


@cache
def _relation_signatures() -> dict[str, tuple[str, str, str]]:
    rows = read_table(ontology_dir() / "templates" / "object_properties.tsv", required=("id",))
    return {row["id"]: (row["label"], row["domain"], row["range"]) for row in rows}


def _allowed(lexicon: Lexicon, relation: str, subject: str, obj: str) -> bool:
    _, domain, range_ = _relation_signatures().get(relation, ("", "", ""))
    return (not domain or lexicon.has_type(subject, (domain,))) and (not range_ or lexicon.has_type(obj, (range_,)))


#: Mentions that fill qualifiers but are never a claim's subject or object: a name read inside a
#: longer one ("breast cancer" in "breast cancer cells") added more wrong pairs than right ones.
QUALIFIER_ONLY = frozenset({"nested"})


def _pairs(analysed: AnalysedSentence, *, qualifier_only: frozenset[str] = QUALIFIER_ONLY) -> Iterator[tuple[int, int]]:
    mentions = analysed.mentions
    for a, subj in enumerate(mentions):
        if subj.source in qualifier_only:
            continue
        for b, obj in enumerate(mentions):
            if subj.entity != obj.entity and a != b and obj.source not in qualifier_only:
                yield a, b


def _contexts(items: Sequence[AnalysedSentence]) -> dict[str, SectionContext]:
    """Each section's context, from its own sentences' mentions (its text, never its claims)."""
    by_section: dict[str, list[Sequence[Mention]]] = {}
    for item in items:
        by_section.setdefault(item.sentence.section, []).append(item.mentions)
    return {section: section_context(mentions) for section, mentions in by_section.items()}


def sentence_signals(items: Sequence[AnalysedSentence]) -> list[list[str]]:
    """Features of each sentence as a whole, shared by all its pairs: how many entities it names
    (a sentence listing many proposes many pairs, of which curators keep few)."""
    out = []
    for item in items:
        entities = len({m.entity for m in item.mentions if m.source not in QUALIFIER_ONLY})
        out.append([f"crowd={min(entities, 9).bit_length()}"])
    return out


def training_examples(
    analysed: Iterable[AnalysedSentence], claims: Iterable[Claim], lexicon: Lexicon, *, labels: str = "sentence"
) -> list[Example]:
    """Labelled mention pairs: positive when a claim links the two entities and the sentence supports it
    (:func:`~exokg.mine.labels.supporting_sentences`); with ``labels="section"``, in every sentence of
    the claim's section. With ``labels="ignore"``, a claim's pair named in a sentence that does not
    support it is left out of training rather than counted negative."""
    items = list(analysed)
    claims = list(claims)
    gold: dict[tuple[str, str, str], str] = {}
    supported: dict[tuple[int, str, str], str] = {}
    for claim in claims:
        gold.setdefault((claim.section, claim.subject, claim.object), claim.relation)
    if labels != "section":
        support = supporting_sentences(items, claims)
        for claim in claims:
            for index in support[claim.id]:
                supported.setdefault((index, claim.subject, claim.object), claim.relation)
    examples = []
    contexts = _contexts(items)
    signals = sentence_signals(items)
    for index, item in enumerate(items):
        seen: set[tuple[str, str]] = set()
        groups = coordination_groups(item.sentence.text, item.mentions)
        for a, b in _pairs(item):
            pair = (item.mentions[a].entity, item.mentions[b].entity)
            if pair in seen:
                continue
            seen.add(pair)
            if labels == "section":
                relation = gold.get((item.sentence.section, *pair), "")
            else:
                relation = supported.get((index, *pair), "")
                if not relation and labels == "ignore" and (item.sentence.section, *pair) in gold:
                    continue
            feats = pair_features(
                lexicon, item.sentence.text, item.mentions, a, b, groups, contexts[item.sentence.section],
                signals[index],
            )  # fmt: skip
            examples.append(Example(tuple(feats), bool(relation), relation))
    return examples


@dataclass
class Candidate:
    """One proposed claim with the evidence a curator needs to accept or reject it."""

    section: str
    subject: str
    relation: str
    object: str
    score: float
    sentence: Sentence
    subject_text: str
    object_text: str
    reason: str
    references: tuple[int, ...] = ()
    qualifiers: dict[str, list[str]] = field(default_factory=dict)
    direction: str = ""
    certainty: str = "asserted"
    id: str = ""
    paraphrase: str = ""

    def cells(self) -> dict[str, str]:
        """The candidate as one row of CANDIDATE_COLUMNS."""
        cells = dict.fromkeys(CANDIDATE_COLUMNS, "")
        cells.update(
            id=self.id, section=self.section, subject=self.subject, relation=self.relation, object=self.object,
            direction=self.direction, references="|".join(str(n) for n in self.references),
            evidence="ECO:0000304" if self.references else "ECO:0000303", paraphrase=self.paraphrase,
            certainty=self.certainty, score=f"{self.score:.3f}", reason=self.reason,
            sentence=" ".join(self.sentence.text.split()), start=str(self.sentence.start), end=str(self.sentence.end),
            subject_text=self.subject_text, object_text=self.object_text,
        )  # fmt: skip
        for column, values in self.qualifiers.items():
            cells[column] = "|".join(values)
        return cells


def mine_sentences(
    analysed: Iterable[AnalysedSentence],
    lexicon: Lexicon,
    model: Model,
    *,
    min_score: float = 0.5,
    known_references: Callable[[int], bool] | None = None,
) -> list[Candidate]:
    """Candidate claims of the sentences, best first within each sentence, one per (section, triple).

    A candidate's score is the pair classifier's probability times the relation classifier's
    probability of the relation chosen (the best one the ontology's domain and range allow).
    """
    best: dict[tuple[str, str, str, str], Candidate] = {}
    items = list(analysed)
    contexts = _contexts(items)
    signals = sentence_signals(items)
    for index, item in enumerate(items):
        text = item.sentence.text
        references = tuple(n for n in citation_numbers(text) if known_references is None or known_references(n))
        groups = coordination_groups(text, item.mentions)
        chosen: dict[frozenset[tuple[int, int]], Candidate] = {}
        for a, b in _pairs(item):
            subj, obj = item.mentions[a], item.mentions[b]
            feats = pair_features(
                lexicon, text, item.mentions, a, b, groups, contexts[item.sentence.section], signals[index]
            )
            pair_score = model.pair_score(feats)
            if pair_score < min_score:  # the score below is at most this
                continue
            ranked = sorted(model.relation_scores(feats).items(), key=lambda kv: (-kv[1], kv[0]))
            allowed = ((r, p) for r, p in ranked if _allowed(lexicon, r, subj.entity, obj.entity))
            relation, fit = next(allowed, ("", 0.0))
            # a pair no relation the ontology allows fits well is rarely a claim: the score is both probabilities
            score = pair_score * fit
            if not relation or score < min_score:
                continue
            # one reading per pair of text spans: "exosomes" is either exosome or its cancer cell-derived kind
            key = frozenset(((subj.start, subj.end), (obj.start, obj.end)))
            if key in chosen and chosen[key].score >= score:
                continue
            triggers = sorted({f.split("|")[0][2:] for f in feats if f.startswith("t=")})
            reason = (f"model p={score:.2f} (pair {pair_score:.2f} x relation {fit:.2f}); relation {relation}; "
                      f"triggers {','.join(triggers) or '-'}; "
                      f"subject by {subj.source}; object by {obj.source}")  # fmt: skip
            chosen[key] = Candidate(
                section=item.sentence.section, subject=subj.entity, relation=relation, object=obj.entity, score=score,
                sentence=item.sentence, subject_text=subj.surface, object_text=obj.surface, reason=reason,
                references=references, qualifiers=_qualifiers(item, subj, obj, lexicon),
                direction=_direction(text, relation), certainty=certainty_of(text),
            )  # fmt: skip
        for candidate in chosen.values():
            triple = (candidate.section, candidate.subject, candidate.relation, candidate.object)
            if triple not in best or best[triple].score < candidate.score:
                best[triple] = candidate
    return sorted(best.values(), key=lambda c: (c.sentence.start, -c.score, c.subject, c.object))


def _direction(text: str, relation: str) -> str:
    if relation in ("levelIncreasedIn", "levelDecreasedIn"):
        return ""
    if _UP.search(text) and not _DOWN.search(text):
        return "increased" if relation in ("hasCargo", "releases", "isMarkerFor", "correlatesWith") else ""
    return ""


def _qualifiers(item: AnalysedSentence, subj: Mention, obj: Mention, lexicon: Lexicon) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}

    def put(column: str, entity: str) -> None:
        if entity not in (subj.entity, obj.entity) and entity not in out.setdefault(column, []):
            out[column].append(entity)

    for mention in (subj, obj):
        links = lexicon.links.get(mention.entity, {})
        if lexicon.has_type(mention.entity, ("Exosome",)) and links.get("ofCancer"):  # a specific population
            for source in links.get("derivesFrom", []):
                put("source_cell", source)
            for cancer in links.get("ofCancer", []):
                put("cancer", cancer)
    text = item.sentence.text
    cargo = lexicon.has_type(subj.entity, ("MolecularEntity",))
    vesicles: list[str] = []
    for mention in item.mentions:
        entity = mention.entity
        if entity in (subj.entity, obj.entity):
            continue
        if cargo and lexicon.has_type(entity, _EXOSOME_LIKE) and mention.source != "context":
            vesicles.append(entity)  # the subject is cargo carried by this vesicle population
            continue
        before = text[max(0, mention.start - 40) : mention.start]
        if lexicon.has_type(entity, ("Cancer",)):
            put("cancer", entity)
        elif lexicon.has_type(entity, ("BodyFluid",)):
            put("body_fluid", entity)
        elif lexicon.has_type(entity, ("Organism",)):
            put("species", entity)
        elif lexicon.has_type(entity, ("CancerStage",)):
            put("stage", entity)
        elif lexicon.has_type(entity, ("Condition",)):
            put("condition", entity)
        elif lexicon.has_type(entity, ("ExperimentalSystem",)):
            put("system", entity)
        elif lexicon.has_type(entity, ("Organ",)):
            put("target_organ", entity)
        elif lexicon.has_type(entity, ("CellType",)):
            if _RECIPIENT.search(before):
                put("recipient_cell", entity)
            elif _SOURCE.search(before) or _SOURCE.match(text[mention.end : mention.end + 12]):
                put("source_cell", entity)
    specific = [v for v in vesicles if lexicon.links.get(v)]  # a population named by its source beats "exosomes"
    if vesicles:
        put("vesicle", (specific or vesicles)[0])
    return {column: values for column, values in out.items() if values}

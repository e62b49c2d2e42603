"""Which pairs of mentions in a sentence are claims, and with which relation.

A pair of mentions is described by sparse features (the entities' classes, the
words between them, trigger words, order and distance); a logistic regression
trained on the curated sentences scores whether the pair is a claim, and one per
relation picks the relation. The trainer is a few lines of plain Python: the data
is small, and the weights are saved as a table anyone can read.
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from exokg.mine.lexicon import Lexicon, Mention

__all__ = ["MODEL_FILE", "Example", "Model", "SectionContext", "pair_features", "section_context", "train"]

MODEL_FILE = Path(__file__).with_name("model.tsv.gz")
_WORD = re.compile(r"[a-z][a-z-]+")
_STOP = frozenset(
    {
        "the", "a", "an", "of", "in", "and", "or", "to", "by", "as", "with", "that",
        "which", "is", "are", "be", "for", "from", "on", "its", "their", "this", "these", "such",
        "has", "have", "been", "can", "could", "also", "into", "at", "than", "not", "it", "they",
    }
)  # fmt: skip
#: The coarse kinds a relation's argument falls into, most specific first.
_KINDS = (
    "ExtracellularVesicle", "MicroRNA", "NucleicAcid", "Lipid", "ProteinComplex", "Protein", "MolecularGroup",
    "MolecularEntity", "Cancer", "CancerCell", "CellType", "BodyFluid", "Organ", "CellularCompartment",
    "AnatomicalEntity", "SignallingPathway", "CancerProgressionProcess", "ExosomeBiogenesis",
    "BiologicalProcess", "Drug", "Intervention", "ClinicalUse", "Condition", "ExperimentalSystem", "Organism",
)  # fmt: skip
_TRIGGERS = {
    "contain": "cargo", "carry": "cargo", "carried": "cargo", "harbor": "cargo", "enrich": "cargo", "abundant": "cargo",
    "present": "cargo", "packag": "cargo", "load": "cargo", "incorporat": "cargo", "bearing": "cargo",
    "express": "cargo", "found": "cargo", "transfer": "transfer", "deliver": "transfer", "transport": "transfer",
    "promot": "promote", "induc": "promote", "enhanc": "promote", "increas": "promote", "stimulat": "promote",
    "trigger": "promote", "lead": "promote", "contribut": "promote", "favor": "promote", "facilitat": "promote",
    "inhibit": "inhibit", "block": "inhibit", "suppress": "inhibit", "prevent": "inhibit", "reduc": "inhibit",
    "involv": "involved", "role": "involved", "implicat": "involved", "participat": "involved", "mediat": "involved",
    "requir": "required", "essential": "required", "depend": "required", "marker": "marker", "biomarker": "marker",
    "diagnos": "marker", "prognos": "marker", "elevat": "level", "higher": "level", "abundan": "level",
    "level": "level", "secret": "release", "releas": "release", "produc": "release", "shed": "release",
    "derived": "derive", "originat": "derive", "form": "derive", "bind": "interact", "interact": "interact",
    "target": "target", "resist": "resist", "correlat": "correlate", "associat": "correlate", "fus": "fuse",
    "compris": "member", "consist": "member", "includ": "member", "member": "member", "famil": "member",
}  # fmt: skip


_TRIGGER_WORD = re.compile("|".join(sorted(_TRIGGERS, key=len, reverse=True)))


def _kind(lexicon: Lexicon, entity: str) -> str:
    cached = lexicon.kinds.get(entity)
    if cached is None:
        cached = next((kind for kind in _KINDS if lexicon.has_type(entity, (kind,))), "")
        cached = cached or ("Proposed" if entity in lexicon.proposed else "Other")
        lexicon.kinds[entity] = cached
    return cached


_COORDINATION = re.compile(r"[\s,;()/]*(?:and|or|and/or|as well as|plus)?[\s,;()]*", re.I)


def coordination_groups(sentence: str, mentions: Sequence[Mention]) -> list[int]:
    """For each mention, the index of its coordinated group ("CD9, CD63, and CD81" is one group)."""
    groups: list[int] = []
    for index, mention in enumerate(mentions):
        if index == 0:
            groups.append(0)
            continue
        previous = mentions[index - 1]
        joined = mention.start < previous.end or _COORDINATION.fullmatch(sentence[previous.end : mention.start])
        groups.append(groups[-1] if joined else groups[-1] + 1)
    return groups


@dataclass(frozen=True)
class SectionContext:
    """What the section's text (never its claims) says about its entities: how many sentences name each
    entity, and each unordered pair of entities together."""

    entity_sentences: Mapping[str, int]
    pair_sentences: Mapping[frozenset[str], int]
    topics: frozenset[str]


def section_context(sentences: Iterable[Sequence[Mention]]) -> SectionContext:
    """Counts over the mentions of one section's sentences; the three most-named entities are its topics."""
    entity_sentences: dict[str, int] = {}
    pair_sentences: dict[frozenset[str], int] = {}
    for mentions in sentences:
        entities = sorted({m.entity for m in mentions if m.source != "context"})
        for index, entity in enumerate(entities):
            entity_sentences[entity] = entity_sentences.get(entity, 0) + 1
            for other in entities[index + 1 :]:
                key = frozenset((entity, other))
                pair_sentences[key] = pair_sentences.get(key, 0) + 1
    ranked = sorted(entity_sentences, key=lambda e: (-entity_sentences[e], e))
    return SectionContext(entity_sentences, pair_sentences, frozenset(ranked[:3]))


def pair_features(
    lexicon: Lexicon,
    sentence: str,
    mentions: Sequence[Mention],
    a: int,
    b: int,
    groups: Sequence[int] | None = None,
    context: SectionContext | None = None,
    sentence_signals: Sequence[str] = (),
) -> list[str]:
    """Sparse features of the ordered pair (subject ``mentions[a]``, object ``mentions[b]``).

    ``groups`` (from :func:`coordination_groups`) may be passed in when scoring many pairs of one sentence;
    ``context`` (from :func:`section_context`) adds how often the section's text names the two together;
    ``sentence_signals`` are features of the whole sentence, added plain and conditioned on the pair's kinds.
    """
    subj, obj = mentions[a], mentions[b]
    ks, ko = _kind(lexicon, subj.entity), _kind(lexicon, obj.entity)
    first, second = (subj, obj) if subj.start < obj.start else (obj, subj)
    between = sentence[first.end : second.start].lower()
    words = [w for w in _WORD.findall(between) if w not in _STOP]
    order = "fwd" if subj.start < obj.start else "rev"
    gap = sum(1 for m in mentions if first.end <= m.start and m.end <= second.start)
    feats = [
        "bias",
        f"kinds={ks}>{ko}",
        f"kinds={ks}>{ko}|{order}",
        f"subj={subj.entity}",
        f"obj={obj.entity}",
        f"subjkind={ks}",
        f"objkind={ko}",
        f"order={order}",
        f"dist={min(len(words), 12) // 3}",
        f"gap={min(gap, 4)}",
        f"subjfirst={mentions[0] is subj}",
        f"subjsrc={subj.source.split(' ')[0]}",
        f"objsrc={obj.source.split(' ')[0]}",
    ]
    groups = groups if groups is not None else coordination_groups(sentence, mentions)
    gs, go = groups[a], groups[b]
    group_sizes = {g: groups.count(g) for g in set(groups)}
    feats += [
        f"groups={max(min(go - gs, 3), -2)}",
        f"groups={max(min(go - gs, 3), -2)}|{ks}>{ko}",
        f"subjgroup={min(gs, 3)}",
        f"objlist={group_sizes[go] > 1}|{ks}",
        f"subjlist={group_sizes[gs] > 1}",
    ]
    if gs == go:
        feats.append("same-group")
    rival_s, rival_o = _rivals(lexicon, mentions, subj, obj, ks, ko)
    feats += [f"rival-subj={rival_s}|{ks}", f"rival-obj={rival_o}|{ko}", f"rivals={rival_s}{rival_o}"]
    if re.search(r"\b(such as|including|i\.e\.|e\.g\.|namely|consisting of)\b", between):
        feats.append(f"such-as|{order}|{ks}>{ko}")
    if re.search(r"\b(also known as|referred to as|called)\b|\(", between):
        feats.append("alias-like")
    if "(" in between and ")" not in between:
        feats.append("inside-brackets")
    for word in words[:12]:
        feats.append(f"w={word[:7]}|{order}")
        feats.append(f"w={word[:7]}|{ks}>{ko}")
    if context is not None:
        together = context.pair_sentences.get(frozenset((subj.entity, obj.entity)), 1)
        feats.append(f"cooc={min(together, 4)}")
        feats.append(f"cooc={min(together, 4)}|{ks}>{ko}")
        feats.append(f"subjfreq={min(context.entity_sentences.get(subj.entity, 1), 8).bit_length()}")
        feats.append(f"objfreq={min(context.entity_sentences.get(obj.entity, 1), 8).bit_length()}")
        if subj.entity in context.topics:
            feats.append(f"subj-topic|{ko}")
        if obj.entity in context.topics:
            feats.append(f"obj-topic|{ks}")
    for word in words:
        stem = _TRIGGER_WORD.match(word)
        if stem:
            trigger = _TRIGGERS[stem.group()]
            feats.append(f"t={trigger}|{ks}>{ko}")
            feats.append(f"t={trigger}|{order}")
    for signal in sentence_signals:
        feats += [signal, f"{signal}|{ks}>{ko}"]
    return feats


def _rivals(
    lexicon: Lexicon, mentions: Sequence[Mention], subj: Mention, obj: Mention, ks: str, ko: str
) -> tuple[bool, bool]:
    """Whether another mention of the subject's kind is closer to the object than the subject is, and
    whether another of the object's kind is closer to the subject: in "CCEs ... CCEs in breast cancer
    cells contain Dicer" the nearer vesicle is the one the curators link to Dicer."""

    def gap(m: Mention, n: Mention) -> int:
        return max(m.start - n.end, n.start - m.end, 0)

    apart = gap(subj, obj)
    others = [m for m in mentions if m.entity not in (subj.entity, obj.entity) and m.source != "nested"]
    rival_s = any(gap(m, obj) < apart and _kind(lexicon, m.entity) == ks for m in others)
    rival_o = any(gap(m, subj) < apart and _kind(lexicon, m.entity) == ko for m in others)
    return rival_s, rival_o


@dataclass(frozen=True)
class Example:
    features: tuple[str, ...]
    label: bool
    relation: str


@dataclass
class Model:
    """Weights of the pair classifier and of one classifier per relation."""

    pair: dict[str, float] = field(default_factory=dict)
    relations: dict[str, dict[str, float]] = field(default_factory=dict)
    #: The minimum pair score chosen when the model was built (cross-validated pair F1), if one was.
    threshold: float | None = None

    def pair_score(self, features: Iterable[str]) -> float:
        return _sigmoid(sum(self.pair.get(f, 0.0) for f in features))

    def relation_scores(self, features: Iterable[str]) -> dict[str, float]:
        feats = list(features)
        return {rel: _sigmoid(sum(w.get(f, 0.0) for f in feats)) for rel, w in self.relations.items()}

    def save(self, path: Path) -> None:
        """Write the weights as a gzipped TSV (model, feature, weight), byte-for-byte reproducible."""
        lines = ["model\tfeature\tweight"]
        if self.threshold is not None:
            lines.append(f"meta\tthreshold\t{self.threshold:.4f}")
        for name, weights in [("pair", self.pair), *sorted(self.relations.items())]:
            lines += [
                f"{name}\t{feat}\t{weight:.4f}" for feat, weight in sorted(weights.items()) if abs(weight) >= 0.01
            ]
        with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
            handle.write(("\n".join(lines) + "\n").encode("utf-8"))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Model:
        model = cls()
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        for line in lines[1:]:
            name, feat, weight = line.split("\t")
            if name == "meta":
                if feat == "threshold":
                    model.threshold = float(weight)
                continue
            target = model.pair if name == "pair" else model.relations.setdefault(name, {})
            target[feat] = float(weight)
        return model


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 30.0), -30.0)))


def _fit(
    data: Sequence[tuple[Sequence[str], bool]], *, epochs: int = 12, l2: float = 1e-2, rate: float = 0.5
) -> dict[str, float]:
    """Logistic regression by AdaGrad over binary features; deterministic (fixed order, no sampling)."""
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    positives = sum(1 for _, label in data if label) or 1
    balance = max(1.0, (len(data) - positives) / positives) ** 0.5  # weigh the rare positives up
    for _ in range(epochs):
        for feats, label in data:
            p = _sigmoid(sum(weights.get(f, 0.0) for f in feats))
            g = (p - (1.0 if label else 0.0)) * (balance if label else 1.0)
            for f in feats:
                w = weights.get(f, 0.0)
                grad = g + l2 * w
                squares[f] = squares.get(f, 0.0) + grad * grad
                weights[f] = w - rate * grad / math.sqrt(squares[f] + 1e-8)
    return weights


def train(examples: Sequence[Example], relations: Mapping[str, int] | None = None) -> Model:
    """Fit the pair classifier on all examples and a relation classifier on the positive ones."""
    model = Model(pair=_fit([(ex.features, ex.label) for ex in examples]))
    positives = [ex for ex in examples if ex.label]
    for relation in sorted({ex.relation for ex in positives}):
        model.relations[relation] = _fit([(ex.features, ex.relation == relation) for ex in positives], epochs=10)
    return model

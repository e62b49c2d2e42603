"""Grounding: find the ontology's entities in a sentence by dictionary.

The dictionary holds the labels and synonyms of the curated entities, the names of
the external terms they map to (from the packaged compact lexicon), and the human
miRNAs and protein-coding genes of miRBase and HGNC, which become proposed new
entities when the review names one that exokg does not have yet.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from exokg.mine._exokg import Entity, mappings_dir, ontology_dir, read_table

__all__ = ["LEXICON_FILE", "Lexicon", "Mention", "ProposedEntity", "load_lexicon", "name_key"]

LEXICON_FILE = Path(__file__).with_name("lexicon.tsv.gz")
_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "ε": "epsilon"}
_TOKEN = re.compile(r"[A-Za-z0-9αβγδκε]+")
_SPELLING = (
    (re.compile(r"our\b"), "or"), (re.compile(r"lling"), "ling"), (re.compile(r"ae"), "e"),
    # adjective → noun, so "metastatic" finds metastasis and "immunosuppressive" immunosuppression
    (re.compile(r"(?<=.{4})sive$"), "sion"), (re.compile(r"(?<=.{3})tatic$"), "tasis"),
    (re.compile(r"(?<=.{3})genic$"), "genesis"),
)  # fmt: skip
_MAX_TOKENS = 8
#: Names that read as English words or are too vague to propose as genes.
_GENE_STOP = frozenset({"CAN", "SET", "MET", "REST", "CELL", "LIGHT", "TYPE", "AND", "NOT", "CAT", "CAR", "ANY",
                        "MAX", "POLE", "PIGS", "ATM", "MARS", "GC", "EVI", "LARGE", "IMPACT", "SHE", "WAS",
                        "HR", "ER", "PC", "CA", "II", "III", "IV", "MB", "MR", "PR"})  # fmt: skip
#: Entities too general to be read inside a longer name ("cell" in "cancer cell").
_TOO_VAGUE = frozenset({"cell", "protein", "cancer", "exosome", "extracellular-vesicle"})
_MIRNA = re.compile(r"\b(?:hsa-)?(miR|mir|let)-?(\d+[a-z]?)(?:-(\d))?(?:-([35]p))?\b")


def _norm_token(token: str) -> str:
    token = token.lower()
    for letter, name in _GREEK.items():
        token = token.replace(letter, name)
    for pattern, replacement in _SPELLING:
        token = pattern.sub(replacement, token)
    if len(token) > 3 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Normalised tokens with their spans; a letters token and a following number token join."""
    out: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(text):
        token, start, end = match.group(), match.start(), match.end()
        if (
            out
            and token[0].isdigit()
            and out[-1][0].isalpha()
            and not out[-1][0][-1].isdigit()
            and text[out[-1][2] : start] in ("-", " ")
        ):
            prev = out.pop()
            out.append((prev[0] + token.lower(), prev[1], end))
            continue
        out.append((_norm_token(token), start, end))
    return out


def name_key(name: str) -> tuple[str, ...]:
    """The lookup key of a name: normalised tokens, Greek spelled out, plurals and spelling folded.

    >>> name_key("TGF-β") == name_key("TGF beta")
    True
    >>> name_key("miR-21") == name_key("miR21") == name_key("mir 21")
    True
    >>> name_key("Tumour-associated macrophages") == name_key("tumor-associated macrophage")
    True
    """
    return tuple(token for token, _, _ in _tokens(name))


@dataclass(frozen=True)
class Mention:
    """An entity named in a sentence: which entity, where (sentence offsets), and how it was found."""

    entity: str
    start: int
    end: int
    surface: str
    source: str  # "label", "synonym", "xref CURIE", "proposed CURIE", "population", "mirna"


@dataclass(frozen=True)
class ProposedEntity:
    """A well-formed name exokg has no entity for, with the external identifier it maps to."""

    id: str
    type: str
    label: str
    curie: str


@dataclass
class Lexicon:
    """Name keys → entity ids, with each entity's types and the structure the miner uses."""

    names: dict[tuple[str, ...], list[tuple[str, str]]] = field(default_factory=dict)
    case_sensitive: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    links: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    external: dict[tuple[str, ...], ProposedEntity] = field(default_factory=dict)
    proposed: dict[str, ProposedEntity] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # memo of the coarse kind of each entity (model features)
    #: Readings beyond the longest match: "nested", "of-phrase", "shared-head" (all on by default).
    readings: frozenset[str] = frozenset({"nested", "of-phrase", "shared-head"})

    def add(self, name: str, entity: str, source: str) -> None:
        key = name_key(name)
        if not key or len(key) > _MAX_TOKENS:
            return
        entries = self.names.setdefault(key, [])
        if all(existing != entity for existing, _ in entries):
            entries.append((entity, source))
        if len(name) <= 5 and any(c.isupper() for c in name):
            self.case_sensitive.setdefault(key, set()).add(re.sub(r"[^A-Za-z0-9]", "", name))

    def find(self, sentence: str) -> list[Mention]:
        """Longest matches left to right, plus what they hide: names nested in them, "formation of ILVs"
        read as "ILV formation", list members sharing a head ("integrins α6β4 and α6β1"), miRNA shorthand.
        """
        tokens = _tokens(sentence)
        mentions: list[Mention] = []
        taken: set[int] = set()
        for mention in _mirna_mentions(sentence, self):
            mentions.append(mention)
            taken.update(range(mention.start, mention.end))
        index = 0
        while index < len(tokens):
            if "of-phrase" in self.readings:
                mentions.extend(self._of_phrase(sentence, tokens, index))
            found = self._longest(sentence, tokens, index, taken)
            if found is None:
                index += 1
                continue
            mention, width = found
            mentions.append(mention)
            if "nested" in self.readings:
                mentions.extend(self._nested(sentence, tokens, index, width, mention.entity))
            if "shared-head" in self.readings:
                mentions.extend(self._shared_head(sentence, tokens, index, width))
            index += width
        unique = {(m.entity, m.start, m.end): m for m in mentions}
        return sorted(unique.values(), key=lambda m: (m.start, m.end, m.entity))

    def _match(self, key: tuple[str, ...], surface: str) -> str | None:
        if key in self.names and self._case_ok(key, surface):
            return self.names[key][0][0]
        return None

    def _nested(
        self, sentence: str, tokens: list[tuple[str, int, int]], index: int, width: int, outer: str
    ) -> Iterator[Mention]:
        for size in range(width - 1, 0, -1):
            for first in range(index, index + width - size + 1):
                start, end = tokens[first][1], tokens[first + size - 1][2]
                entity = self._match(tuple(t for t, _, _ in tokens[first : first + size]), sentence[start:end])
                if entity and entity != outer and entity not in _TOO_VAGUE:
                    yield Mention(entity, start, end, sentence[start:end], "nested")

    def _of_phrase(self, sentence: str, tokens: list[tuple[str, int, int]], index: int) -> Iterator[Mention]:
        if index + 2 >= len(tokens) or tokens[index + 1][0] != "of":
            return
        first = index + 2 + (tokens[index + 2][0] in ("the", "these", "their", "its"))
        for size in range(min(4, len(tokens) - first), 0, -1):
            key = (*(t for t, _, _ in tokens[first : first + size]), tokens[index][0])
            start, end = tokens[index][1], tokens[first + size - 1][2]
            entity = self._match(key, sentence[start:end])
            if entity:
                yield Mention(entity, start, end, sentence[start:end], "of-phrase")
                return

    def _shared_head(
        self, sentence: str, tokens: list[tuple[str, int, int]], index: int, width: int
    ) -> Iterator[Mention]:
        if width < 2:
            return
        head = tokens[index][0]
        last = index + width - 1
        position = last + 1
        while position < len(tokens) and re.fullmatch(
            r"[\s,/]*(?:and|or)?[\s,]*", sentence[tokens[position - 1][2] : tokens[position][1]]
        ):
            token, start, end = tokens[position]
            if token in ("and", "or"):
                position += 1
                continue
            entity = self._match((head, token), f"{head} {sentence[start:end]}")
            if entity is None:
                return
            yield Mention(entity, start, end, sentence[start:end], "shared-head")
            position += 1

    def _longest(
        self, sentence: str, tokens: list[tuple[str, int, int]], index: int, taken: set[int]
    ) -> tuple[Mention, int] | None:
        for width in range(min(_MAX_TOKENS, len(tokens) - index), 0, -1):
            key = tuple(token for token, _, _ in tokens[index : index + width])
            start, end = tokens[index][1], tokens[index + width - 1][2]
            if any(position in taken for position in range(start, end)):
                continue
            surface = sentence[start:end]
            if key in self.names and self._case_ok(key, surface):
                entity, source = self.names[key][0]
                return Mention(entity, start, end, surface, source), width
            proposal = self.external.get(key)
            if proposal is not None and re.sub(r"[^A-Za-z0-9]", "", surface) == re.sub(
                r"[^A-Za-z0-9]", "", proposal.label
            ):
                self._propose(proposal)
                return Mention(proposal.id, start, end, surface, f"proposed {proposal.curie}"), width
        return None

    def _case_ok(self, key: tuple[str, ...], surface: str) -> bool:
        exact = self.case_sensitive.get(key)
        if exact is None or len(self.names[key]) > 1:
            return True
        bare = re.sub(r"[^A-Za-z0-9]", "", surface)
        return bare in exact or (bare.endswith("s") and bare[:-1] in exact)  # "MVBs"

    def resolve_mirna(self, family: str, number: str) -> str | None:
        """The entity of ``miR-<number>`` (or ``let-<number>``): a curated one, else a proposed one."""
        slug = f"{family}-{number}"
        if slug in self.types:
            return slug
        proposal = self.external.get(name_key(slug))
        if proposal is None:
            return None
        self._propose(proposal)
        return proposal.id

    def _propose(self, proposal: ProposedEntity) -> None:
        self.proposed.setdefault(proposal.id, proposal)
        self.types.setdefault(proposal.id, (proposal.type,))
        self.labels.setdefault(proposal.id, proposal.label)

    def has_type(self, entity: str, wanted: Iterable[str]) -> bool:
        """Whether ``entity`` is typed by one of ``wanted`` or a subclass of one."""
        ancestors = _ancestors()
        wanted = set(wanted)
        return any(wanted & ancestors.get(cls, {cls}) for cls in self.types.get(entity, ()))


def _mirna_mentions(sentence: str, lexicon: Lexicon) -> Iterator[Mention]:
    """miRNA names, including the review's shorthand lists ("miR-17, -18a, -19a" and "miR-221/222")."""
    for match in re.finditer(r"\b(?:miR|let)-?\d+[a-z]?(?:(?:\s*,\s*(?:and\s+)?|/|\s+and\s+)-?\d+[a-z]?\b)*", sentence):
        text = match.group()
        family = "let" if text.startswith("let") else "mir"
        if family == "mir" and sentence[match.end() : match.end() + 3] == "-92":
            continue  # "miR17-92 cluster" names the cluster, an entity of its own
        members: list[str] = []
        for part in re.finditer(r"\d+[a-z]?", text):
            entity = lexicon.resolve_mirna(family, part.group())
            if entity is None:
                continue
            members.append(entity)
            start = match.start() if part.start() <= 4 else match.start() + part.start()
            end = match.start() + part.end()
            yield Mention(entity, start, end, sentence[start:end], "mirna")
        cluster = _shared_cluster(lexicon, members)
        if cluster is not None:  # "miR-221/222": the pair is also the cluster both belong to
            yield Mention(cluster, match.start(), match.end(), text, "mirna-cluster")


def _shared_cluster(lexicon: Lexicon, members: list[str]) -> str | None:
    """The miRNA cluster every one of two or more listed miRNAs is part of, if there is one."""
    if len(set(members)) < 2:
        return None
    shared: set[str] | None = None
    for member in members:
        targets = {t for values in lexicon.links.get(member, {}).values() for t in values}
        shared = targets if shared is None else shared & targets
    clusters = sorted(t for t in shared or () if lexicon.has_type(t, ("MicroRNACluster",)))
    return clusters[0] if len(clusters) == 1 else None


@cache
def _ancestors() -> dict[str, set[str]]:
    parents = {row["id"]: row.multi("parents") for row in read_table(ontology_dir() / "templates" / "classes.tsv")}
    closure: dict[str, set[str]] = {}

    def up(cls: str) -> set[str]:
        if cls not in closure:
            closure[cls] = {cls}
            for parent in parents.get(cls, []):
                closure[cls] |= up(parent)
        return closure[cls]

    for cls in parents:
        up(cls)
    return closure


def ancestors(cls: str) -> set[str]:
    """The class and every superclass of it in the exokg class templates."""
    return _ancestors().get(cls, {cls})


def _external_rows() -> list[tuple[str, str, str, list[str]]]:
    with gzip.open(LEXICON_FILE, "rt", encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in handle if not line.startswith("#")]
    rows = []
    for line in lines[1:]:
        curie, kind, label, names = [*line.split("\t"), "", "", ""][:4]
        rows.append((curie, kind, label, [name for name in names.split("|") if name]))
    return rows


def _exact_mappings() -> dict[str, list[str]]:
    """exokg entity id → external CURIEs it is an exact or close match of."""
    out: dict[str, list[str]] = {}
    for line in (mappings_dir() / "exokg.sssom.tsv").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 3 and cells[0].startswith("exokg.entity:") and cells[2] in ("skos:exactMatch",):
            out.setdefault(cells[0].removeprefix("exokg.entity:"), []).append(cells[3])
    return out


def load_lexicon(entities: Iterable[Entity], *, external: bool = True) -> Lexicon:
    """The dictionary for ``entities``; ``external`` adds names of mapped terms and proposable miRNAs and genes."""
    lexicon = Lexicon()
    entities = list(entities)
    for entity in entities:
        lexicon.types[entity.id] = entity.types
        lexicon.labels[entity.id] = entity.label
        lexicon.links[entity.id] = {}
        for prop, target in entity.links:
            lexicon.links[entity.id].setdefault(prop, []).append(target)
    for entity in entities:  # labels first, so a label wins over another entity's synonym
        lexicon.add(entity.label, entity.id, "label")
    for entity in entities:
        for synonym in entity.synonyms:
            lexicon.add(synonym, entity.id, "synonym")
    for entity in entities:  # the id is the label as a slug; it sometimes reads better than the label
        if "-" in entity.id and name_key(entity.id) not in lexicon.names:
            lexicon.add(entity.id.replace("-", " "), entity.id, "id")
    if not external:
        return lexicon
    rows = _external_rows()
    by_curie = {curie: (label, names) for curie, _, label, names in rows}
    for entity_id, curies in sorted(_exact_mappings().items()):
        if entity_id not in lexicon.types:
            continue
        for curie in curies:
            label, names = by_curie.get(curie, ("", []))
            for name in [label, *names]:
                if len(name) >= 3 and name.upper() not in _GENE_STOP and name_key(name) not in lexicon.names:
                    lexicon.add(name, entity_id, f"xref {curie}")
    for curie, kind, label, names in rows:
        if kind == "mirna":
            for name in [label, *names]:
                match = _MIRNA.fullmatch(name)
                if match and not match.group(3) and (not match.group(4) or not names):
                    slug = f"{match.group(1).lower()}-{match.group(2)}"
                    key = name_key(slug)
                    if key not in lexicon.external:
                        lexicon.external[key] = ProposedEntity(slug, "MicroRNA", f"miR-{match.group(2)}", curie)
        elif kind == "gene" and len(label) >= 3 and label not in _GENE_STOP and label.isupper():
            key = name_key(label)
            if key not in lexicon.names and key not in lexicon.external:
                slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
                lexicon.external[key] = ProposedEntity(slug, "Protein", label, curie)
    return lexicon

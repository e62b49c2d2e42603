"""Readings of a review beyond the dictionary: abbreviations the text defines, vesicle populations,
"They ..." anaphora, exosomes in a cancer context, and exosomes of the study just named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from exokg.mine.lexicon import Lexicon, Mention
from exokg.mine.model import coordination_groups
from exokg.mine.text import Sentence, citation_numbers

__all__ = ["READINGS", "AnalysedSentence", "analyse"]

_POPULATION_GAP = re.compile(
    r"^\)?[\s-]*(?:cells?[\s-]*)?(?:derived|driven)[\s-]*$|"
    r"^[\s-]*(?:cells?\s+)?(?:secreted|released|isolated|derived)?\s*from\s+(?:the\s+)?(?:\w+\s+of\s+)?"
    r"(?:patients\s+with\s+)?$",
    re.I,
)


@dataclass(frozen=True)
class AnalysedSentence:
    sentence: Sentence
    mentions: tuple[Mention, ...]


#: The document-level readings ``analyse`` applies (all by default; the bench switches them off one by one).
READINGS = frozenset({"abbreviations", "populations", "anaphora", "context", "same-study"})


def analyse(
    sentences: Iterable[Sentence], lexicon: Lexicon, *, readings: frozenset[str] = READINGS
) -> list[AnalysedSentence]:
    """Ground every sentence: dictionary mentions, abbreviations the text defines ("extracellular vesicles
    (EVs)"), "X-derived exosomes" read as the curated vesicle population of X, "they"/"these vesicles"
    read as the last vesicle named, exosomes in a cancer context read also as cancer cell-derived, and
    exosomes in the sentence after one naming a specific population, citing the same study, read also as
    that population ("PC3 cells and their exosomes (56). ... were found in exosomes (56).").
    """
    populations = _populations(lexicon)
    out = []
    previous: AnalysedSentence | None = None
    study: tuple[str, frozenset[int], str] | None = None  # (section, references, population) of the last study
    for sentence in sentences:
        text = sentence.text
        mentions = lexicon.find(text)
        for mention in mentions if "abbreviations" in readings else ():
            after = re.match(r"\s*\(([A-Za-z][A-Za-z0-9-]{1,9})\)", text[mention.end :])
            if after and any(c.isupper() for c in after.group(1)) and mention.source not in ("nested", "of-phrase"):
                lexicon.add(after.group(1), mention.entity, "abbreviation")
        if "populations" in readings:
            mentions = list(_merge_populations(text, mentions, lexicon, populations))
        if "anaphora" in readings and previous is not None and previous.sentence.section == sentence.section:
            mentions.extend(_anaphora(text, mentions, previous))
        if "context" in readings and re.search(r"\b(cancer|tumou?r|oncogen|metasta|malignan)", text, re.I):
            mentions.extend(
                Mention("cancer-cell-derived-exosome", m.start, m.end, m.surface, "context")
                for m in mentions
                if m.entity == "exosome" and "cancer-cell-derived-exosome" in lexicon.types
            )
        references = frozenset(citation_numbers(text))
        if "same-study" in readings and study is not None and study[0] == sentence.section and references & study[1]:
            mentions += [
                Mention(study[2], m.start, m.end, m.surface, "same-study")
                for m in mentions
                if m.entity in _GENERIC_VESICLES and m.source not in ("nested", "context")
            ]
        named = [m.entity for m in mentions if m.source == "population" or _specific_population(lexicon, m.entity)]
        if named and references:
            study = (sentence.section, references, named[0])
        elif study is not None and not references & study[1]:
            study = None
        unique = {(m.entity, m.start, m.end): m for m in mentions}
        previous = AnalysedSentence(sentence, tuple(sorted(unique.values(), key=lambda m: (m.start, m.end))))
        out.append(previous)
    return out


_ANAPHOR = re.compile(
    r"^(?:They|These|Such|Their|Its|This|It)\b(?! (?:findings|results|studies|data|observations|reports|study|"
    r"finding|evidence|approach|process|strategy|suggests))(?: \w+){0,2}?(?= |$)"
)


def _anaphora(text: str, mentions: Sequence[Mention], previous: AnalysedSentence) -> Iterator[Mention]:
    """A sentence opening with "They"/"These ..." points back at the previous sentence's list, or its first name."""
    match = _ANAPHOR.match(text)
    if match is None or not previous.mentions:
        return
    start, end = match.start(), match.end()
    if any(m.start < end and start < m.end for m in mentions):
        return  # "These subdomains": the sentence names its own subject
    groups = coordination_groups(previous.sentence.text, previous.mentions)
    sizes = {g: groups.count(g) for g in groups}
    largest = max(sizes, key=lambda g: (sizes[g], g))
    chosen = [m for m, g in zip(previous.mentions, groups, strict=True) if g == largest]
    if sizes[largest] < 2:
        chosen = [previous.mentions[0]]
    seen: set[str] = set()
    for mention in chosen:
        if mention.entity not in seen and mention.source != "context":
            seen.add(mention.entity)
            yield Mention(mention.entity, start, end, text[start:end], "anaphora")


_GENERIC_VESICLES = ("exosome", "cancer-cell-derived-exosome")


def _specific_population(lexicon: Lexicon, entity: str) -> bool:
    """A curated vesicle population of a named source (PC3 exosome), not exosomes in general."""
    links = lexicon.links.get(entity, {})
    return (
        entity not in _GENERIC_VESICLES
        and lexicon.has_type(entity, ("Exosome",))
        and bool(links.get("derivesFrom") or links.get("ofCancer"))
    )


def _populations(lexicon: Lexicon) -> dict[str, list[str]]:
    """Cell, cancer or fluid entity → the vesicle populations derived from or located in it."""
    out: dict[str, list[str]] = {}
    for entity, links in lexicon.links.items():
        if not lexicon.has_type(entity, ("Exosome",)):
            continue
        for prop in ("derivesFrom", "ofCancer", "locatedIn"):
            for target in links.get(prop, []):
                out.setdefault(target, []).append(entity)
    return out


def _merge_populations(
    text: str, mentions: Sequence[Mention], lexicon: Lexicon, populations: Mapping[str, list[str]]
) -> Iterator[Mention]:
    for index, mention in enumerate(mentions):
        if mention.entity in ("exosome", "cancer-cell-derived-exosome"):
            before = [m for m in mentions[:index] if m.source != "nested"]
            after = [m for m in mentions[index + 1 :] if m.source != "nested"]  # the whole name, not a part
            for other in (before[-1] if before else None, after[0] if after else None):
                if other is None:
                    continue
                gap = (
                    text[other.end : mention.start] if other.start < mention.start else text[mention.end : other.start]
                )
                cell = lexicon.has_type(other.entity, ("CellType",))
                if other.start < mention.start and not (
                    re.fullmatch(r"\)?[\s-]*(?:cells?[\s-]*)?(?:derived|driven)[\s-]*", gap, re.I)
                    or (cell and re.fullmatch(r"\)?\s+and\s+their\s+", gap))  # "PC3 cells and their exosomes"
                ):
                    continue
                if other.start > mention.start and not (
                    _POPULATION_GAP.match(gap) or (cell and re.fullmatch(r"\s+(?:in|of)\s+(?:the\s+)?", gap))
                ):  # "CCEs in breast cancer cells"
                    continue
                choice = _population_for(other.entity, populations)
                if choice:
                    start, end = min(other.start, mention.start), max(other.end, mention.end)
                    yield Mention(choice, start, end, text[start:end], "population")
                    break
            else:
                yield mention
            continue
        yield mention


def _population_for(entity: str, populations: Mapping[str, list[str]]) -> str | None:
    options = populations.get(entity, [])
    for preferred in (f"{entity}-exosome", f"{entity}-cell-exosome"):
        if preferred in options:
            return preferred
    return options[0] if len(options) == 1 else None

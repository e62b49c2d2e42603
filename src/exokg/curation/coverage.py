"""``exokg coverage``: how much of the review the curated tables cover.

Counts claims and entities per review section and per kind, and lists the
paragraphs of the review text that no claim covers. A paragraph counts as
covered when a claim of its section cites one of the reference numbers the
paragraph cites, or, for a paragraph without citations, when a claim of its
section names (by label or synonym) something the paragraph mentions.
The review text is not shipped with exokg; pass its path with ``--review``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from exokg.pipeline.curation import Curation, Entity, Section, load_curation

__all__ = [
    "Paragraph",
    "coverage_counts",
    "coverage_report",
    "split_paragraphs",
    "uncited_references",
    "uncovered_paragraphs",
]

_CITATION = re.compile(r"(?<!\w)\((\d+(?:\s*[-,]\s*\d+)*)\)")
_ABSTRACT_END = "[BMB Reports"


@dataclass(frozen=True)
class Paragraph:
    section: str
    number: int  # 1-based within its section
    text: str

    @property
    def references(self) -> set[int]:
        found: set[int] = set()
        for group in _CITATION.findall(self.text):
            for part in re.split(r"\s*,\s*", group):
                low, _, high = part.partition("-")
                found.update(range(int(low), int(high or low) + 1))
        return found


def _blocks(text: str) -> list[str]:
    """Blank-line separated blocks, re-joined where a page break split a sentence or word."""
    blocks: list[str] = []
    for raw in re.split(r"\n\s*\n", text):
        block = " ".join(line.strip() for line in raw.strip().splitlines()).strip()
        if not block:
            continue
        if blocks and not blocks[-1].endswith((".", ":", "]")) and not block[0].isupper():
            blocks[-1] = _join(blocks[-1], block)
        else:
            blocks.append(block)
    return [re.sub(r"(\w)- (\w)", r"\1\2", b) for b in blocks]


def _join(left: str, right: str) -> str:
    return left[:-1] + right if left.endswith("-") else f"{left} {right}"


def split_paragraphs(text: str, sections: tuple[Section, ...]) -> list[Paragraph]:
    """Paragraphs of the review text, each assigned to a section by the headings it follows."""
    legend = [s.id for s in sections if s.heading.startswith("Fig.")]
    headings = {s.heading: s.id for s in sections if s.heading and not s.heading.startswith("Fig.")}
    current, paragraphs, counts = sections[0].id, [], Counter[str]()
    for block in _blocks(_lift_legends(text)):
        section = _heading_section(block, headings)
        if section:
            current = section
            block = _strip_heading(block, headings)
        if _is_heading(block):
            continue
        target = legend[0] if legend and block.startswith("Fig. 1.") else current
        counts[target] += 1
        paragraphs.append(Paragraph(target, counts[target], block))
        if target == sections[0].id and _ABSTRACT_END in block:
            current = sections[1].id
    return paragraphs


def _lift_legends(text: str) -> str:
    """Move figure legends (which the extraction put mid-sentence) out into their own block."""
    lines, legends, body = text.splitlines(), [], []
    inside = False
    for line in lines:
        if line.strip().startswith("Fig. 1."):
            inside = True
        if inside:
            legends.append(line)
            if not line.strip():
                inside = False
            continue
        body.append(line)
    return "\n".join(body) + "\n\n" + "\n".join(legends)


def _heading_section(block: str, headings: dict[str, str]) -> str | None:
    for heading, section in headings.items():
        if block.startswith(heading):
            return section
    return None


def _strip_heading(block: str, headings: dict[str, str]) -> str:
    for heading in headings:
        if block.startswith(heading):
            return block[len(heading) :].strip()
    return block


def _is_heading(block: str) -> bool:
    """Empty, or a short line without a full stop (a heading, or the rest of one that wrapped)."""
    return not block or (len(block) < 60 and "." not in block)


def _names(entity: Entity) -> list[str]:
    return [n.lower() for n in (entity.label, *entity.synonyms) if len(n) >= 3]


def uncovered_paragraphs(curation: Curation, paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Paragraphs that no claim of their section covers (see the module docstring)."""
    entities = {e.id: e for e in curation.entities}
    missing = []
    for paragraph in paragraphs:
        claims = [c for c in curation.claims if c.section == paragraph.section]
        cited = paragraph.references
        if cited and any(cited & set(c.references) for c in claims):
            continue
        text = paragraph.text.lower()
        named = {n for c in claims for eid in (c.subject, c.object) if eid in entities for n in _names(entities[eid])}
        if not cited and any(name in text for name in named):
            continue
        missing.append(paragraph)
    return missing


def coverage_counts(curation: Curation) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Claims per section, entities per kind (first type), claims per relation."""
    per_section = Counter(c.section for c in curation.claims)
    per_kind = Counter(e.types[0] if e.types else "?" for e in curation.entities)
    per_relation = Counter(c.relation for c in curation.claims)
    return per_section, per_kind, per_relation


def coverage_report(review_text: Path | None = None) -> str:
    """The text report of ``exokg coverage``."""
    curation = load_curation()
    per_section, per_kind, per_relation = coverage_counts(curation)
    cited = {n for c in curation.claims for n in c.references}
    lines = [f"claims: {len(curation.claims)}   entities: {len(curation.entities)}   "
             f"references cited by claims: {len(cited)}", "", "claims per section:"]  # fmt: skip
    lines += [f"  {s.id:<22} {per_section.get(s.id, 0):>4}" for s in curation.sections]
    lines += ["", "entities per kind:"]
    lines += [f"  {kind:<34} {n:>4}" for kind, n in sorted(per_kind.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines += ["", "claims per relation:"]
    lines += [f"  {rel:<22} {n:>4}" for rel, n in sorted(per_relation.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines += ["", *_paragraph_lines(curation, review_text)]
    return "\n".join(lines) + "\n"


def _paragraph_lines(curation: Curation, review_text: Path | None) -> list[str]:
    if review_text is None or not review_text.is_file():
        return ["paragraphs: review text not given (use --review PATH) — paragraph coverage not checked"]
    paragraphs = split_paragraphs(review_text.read_text(encoding="utf-8"), curation.sections)
    missing = uncovered_paragraphs(curation, paragraphs)
    lines = [f"paragraphs: {len(paragraphs)}   without a claim: {len(missing)}"]
    lines += [f"  {p.section} ¶{p.number}: {p.text[:90]}…" for p in missing]
    uncited = uncited_references(curation, paragraphs)
    lines += ["", f"references cited in the text but by no claim of their section: {len(uncited)}"]
    lines += [f"  {section}: {', '.join(map(str, numbers))}" for section, numbers in uncited.items()]
    return lines


def uncited_references(curation: Curation, paragraphs: list[Paragraph]) -> dict[str, list[int]]:
    """Per section, the reference numbers its text cites that none of its claims cites."""
    result: dict[str, list[int]] = {}
    for section in curation.sections:
        in_text = set().union(*(p.references for p in paragraphs if p.section == section.id))
        by_claims = {n for c in curation.claims if c.section == section.id for n in c.references}
        if in_text - by_claims:
            result[section.id] = sorted(in_text - by_claims)
    return result

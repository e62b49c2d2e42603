"""Text of a review as the miner reads it: sections, repaired sentences, citations.

PDF-extracted text breaks words at line ends and loses Greek letters. Every repair
keeps a map from each character of the repaired text back to the original, so a
candidate's offsets always point into the text the curator has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

__all__ = [
    "Sentence",
    "TextSection",
    "citation_numbers",
    "find_sections",
    "repair",
    "split_sentences",
]


@dataclass(frozen=True)
class Repaired:
    """Repaired text and, for each of its characters, the offset of its source character."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the repaired slice ``[start, end)``."""
        return self.origin[start], self.origin[max(start, end - 1)] + 1


@dataclass(frozen=True)
class TextSection:
    """A section of the review: its id, heading and the original character ranges of its body."""

    id: str
    heading: str
    ranges: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Sentence:
    """One repaired sentence, where it is in the original text, and its section."""

    section: str
    text: str
    start: int
    end: int
    origin: tuple[int, ...]  # original offset of each character of ``text``

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the sentence slice ``[start, end)``."""
        return self.origin[start], self.origin[max(start, end - 1)] + 1


def _rewrite(text: str, origin: list[int], pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> str:
    """Apply one substitution, keeping ``origin`` (mutated in place) aligned with the returned text."""
    out: list[str] = []
    new_origin: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last : match.start()])
        new_origin.extend(origin[last : match.start()])
        replacement = replace(match)
        anchor = match.start() if match.end() > match.start() else max(match.start() - 1, 0)
        width = max(match.end() - match.start(), 1)
        out.append(replacement)
        new_origin.extend(origin[min(anchor + min(k, width - 1), len(origin) - 1)] for k in range(len(replacement)))
        last = match.end()
    out.append(text[last:])
    new_origin.extend(origin[last:])
    origin[:] = new_origin
    return "".join(out)


_LINE_HYPHEN = re.compile(r"(?<=[A-Za-z])-([ \t]*)\r?\n\s*(?=[A-Za-z0-9])")
_SPACE = re.compile(r"\s+")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")
_WORD_AFTER = re.compile(r"^([A-Za-z]+)")
#: Greek letters the PDF dropped, restored where the name makes the loss certain.
_GREEK_SUFFIX = {"TGF": "β", "TNF": "α", "HIF-1": "α", "IFN": "γ", "PPAR": "γ", "ER": "α", "IL-1": "β"}
_LOST_GREEK = re.compile(r"\b(" + "|".join(re.escape(name) for name in _GREEK_SUFFIX) + r")-(?=[\s)\],;.:]|$)")
_INTEGRIN_PAIR = re.compile(r"(?<=\bintegrins )([0-9v])([0-9])\b|(?<=\bintegrin )([0-9v])([0-9])\b")
_INTEGRIN_ALPHA = re.compile(r"(?<=\bintegrin )v(?=[-\s])")
_INTEGRIN_LIST = re.compile(r"(?<=\band )([0-9v])([0-9])\b(?= (?:are|is|integrin))")


def repair(text: str, origin: Iterable[int] | None = None) -> Repaired:
    """Join words broken at line ends, restore lost Greek letters, collapse white space.

    >>> repair("onco-\\ngenic TGF- and integrin v3 and tumor- \\nstromal").text
    'oncogenic TGF-β and integrin αvβ3 and tumor-stromal'
    """
    offsets = list(origin) if origin is not None else list(range(len(text)))
    words = set(re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text))

    def line_hyphen(match: re.Match[str]) -> str:
        if match.group(1):  # "tumor- \nstromal": a real hyphen that happened to end a line
            return "-"
        left = _WORD_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
        right = _WORD_AFTER.search(text[match.end() : match.end() + 40])
        if not left or not right:
            return "-"
        hyphenated = f"{left.group(1)}-{right.group(1)}"
        if hyphenated in words and (left.group(1) + right.group(1)) not in words:
            return "-"
        return ""

    text = _rewrite(text, offsets, _LINE_HYPHEN, line_hyphen)
    text = _rewrite(text, offsets, _SPACE, lambda m: " ")
    text = _rewrite(text, offsets, _LOST_GREEK, lambda m: f"{m.group(1)}-{_GREEK_SUFFIX[m.group(1)]}")
    text = _rewrite(text, offsets, _INTEGRIN_PAIR, _integrin_pair)
    text = _rewrite(text, offsets, _INTEGRIN_LIST, _integrin_pair)
    text = _rewrite(text, offsets, _INTEGRIN_ALPHA, lambda m: "αv")
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return Repaired(text[start:end], tuple(offsets[start:end]))


def _integrin_pair(match: re.Match[str]) -> str:
    alpha, beta = (group for group in match.groups() if group is not None)
    return f"α{alpha}β{beta}"


# ---- sections ----

_FIGURE = re.compile(r"^\s*Fig\.?\s*(\d+)\.")


def find_sections(text: str, known: Mapping[str, str] | None = None) -> list[TextSection]:
    """Split a review into sections at its headings; ``known`` maps heading prefixes to section ids.

    Text before the first heading is the abstract. A figure legend (a block starting
    ``Fig. N.``) is a section of its own, cut out of the section it interrupts.

    >>> [s.id for s in find_sections("Summary text.\\n\\nINTRODUCTION\\nBody text here.\\n")]
    ['abstract', 'introduction']
    """
    known = {" ".join(key.split()).casefold(): value for key, value in (known or {}).items() if key.strip()}
    lines = _lines(text)
    width = sorted(len(line.strip()) for _, line in lines)[len(lines) // 2] if lines else 0
    sections: list[tuple[str, str, list[tuple[int, int]]]] = [("abstract", "", [])]
    current = sections[0]
    legend: tuple[str, str, list[tuple[int, int]]] | None = None
    previous_blank = True
    index = 0
    while index < len(lines):
        start, line = lines[index]
        stripped = line.strip()
        end = start + len(line)
        if legend is not None:
            if not stripped:
                legend = None
            else:
                legend[2].append((start, end))
                index += 1
                continue
        figure = _FIGURE.match(line)
        if figure:
            legend_id = _known_id(known, stripped) or f"fig{figure.group(1)}-legend"
            legend = (legend_id, stripped, [(start, end)])
            sections.append(legend)
            index += 1
            previous_blank = False
            continue
        if stripped and _is_heading(stripped, lines, index, width, previous_blank):
            heading_lines = [stripped]
            while index + 1 < len(lines) and _is_caps(lines[index + 1][1].strip()) and stripped.isupper():
                index += 1
                heading_lines.append(lines[index][1].strip())
            heading = " ".join(heading_lines)
            section_id = _known_id(known, heading) or _slug(heading)
            current = (section_id, heading, [])
            sections.append(current)
        elif stripped:
            current[2].append((start, end))
        else:
            current[2].append((start, end))
        previous_blank = not stripped
        index += 1
    return [TextSection(sid, heading, tuple(ranges)) for sid, heading, ranges in sections if ranges]


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    position = 0
    for line in text.splitlines(keepends=True):
        out.append((position, line))
        position += len(line)
    return out


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _is_heading(line: str, lines: list[tuple[int, str]], index: int, width: int, previous_blank: bool) -> bool:
    if line.endswith((".", ",", ";", ":")) or not line[0].isupper() or not previous_blank:
        return False
    if _is_caps(line) and not line.startswith("["):
        return True
    following = lines[index + 1][1].strip() if index + 1 < len(lines) else ""
    return len(line) < 0.75 * width and bool(following) and following[0].isupper()


def _known_id(known: Mapping[str, str], heading: str) -> str | None:
    folded = " ".join(heading.split()).casefold()
    for prefix, section_id in known.items():
        if folded.startswith(prefix):
            return section_id
    return None


def _slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.casefold()).strip("-") or "section"


# ---- sentences and citations ----

_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z(“\"0-9])")
_ABBREVIATIONS = ("e.g.", "i.e.", "al.", "Fig.", "Figs.", "vs.", "ca.", "approx.", "Dr.", "no.", "No.", "cf.")


def split_sentences(text: str, section: TextSection) -> Iterator[Sentence]:
    """Repaired sentences of one section, each with its original span.

    >>> text = "Intro.\\n\\nINTRODUCTION\\nExosomes carry (Fig. 1) cargo (1). They fuse, e.g. with cells."
    >>> [s.text for s in split_sentences(text, find_sections(text)[1])]
    ['Exosomes carry (Fig. 1) cargo (1).', 'They fuse, e.g. with cells.']
    """
    pieces: list[str] = []
    origin: list[int] = []
    for start, end in section.ranges:
        pieces.append(text[start:end])
        origin.extend(range(start, end))
    body = repair("".join(pieces), origin)
    start = 0
    for match in _BOUNDARY.finditer(body.text):
        before = body.text[start : match.start()]
        if before.endswith(_ABBREVIATIONS) or re.search(r"\b[A-Z]\.$", before):
            continue
        yield from _sentence(body, section.id, start, match.start())
        start = match.end()
    yield from _sentence(body, section.id, start, len(body.text))


def _sentence(body: Repaired, section: str, start: int, end: int) -> Iterator[Sentence]:
    if end <= start or not body.text[start:end].strip():
        return
    origin = body.origin[start:end]
    yield Sentence(section, body.text[start:end], origin[0], origin[-1] + 1, origin)


_CITATION = re.compile(r"(?<![\w)])\((\d{1,3}(?:\s*[-–,]\s*\d{1,3})*)\)")


def citation_numbers(sentence: str) -> list[int]:
    """Reference numbers in a sentence's citation brackets, ranges expanded.

    >>> citation_numbers("as shown (5-7) and (17), not in 49(1) or (Fig. 1)")
    [5, 6, 7, 17]
    """
    numbers: list[int] = []
    for match in _CITATION.finditer(sentence):
        for part in match.group(1).split(","):
            low, _, high = part.replace("–", "-").partition("-")
            first = int(low)
            last = int(high) if high.strip() else first
            if last - first > 20 or last < first:
                last = first
            numbers.extend(n for n in range(first, last + 1) if n not in numbers)
    return numbers

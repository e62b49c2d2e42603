"""Links from exokg terms and entities to external ontologies, kept as an SSSOM mapping set.

``mappings/exokg.sssom.tsv`` is curated data: a ``#``-prefixed YAML metadata block,
then one row per mapping. This module reads and writes it; ``exokg.mappings.graph``
turns it into RDF, and ``exokg.mappings.lexicons`` checks it against reference lexicons.

>>> from exokg.mappings.sssom import read_sssom
>>> metadata, mappings = read_sssom()
>>> metadata["license"]
'https://creativecommons.org/licenses/by/4.0/'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from collections.abc import Mapping as MappingType
from dataclasses import dataclass
from datetime import date as date_type
from pathlib import Path

from exokg.errors import InputError
from exokg.io.tables import nfc
from exokg.prefixes import load_prefix_map
from exokg.resources import mappings_dir

__all__ = [
    "JUSTIFICATIONS",
    "LABEL_DIFFERS",
    "LEXICAL_MATCHING_TOOL",
    "MAPPING_PREDICATES",
    "SSSOM_COLUMNS",
    "SUBJECT_PREFIXES",
    "XREF_PREDICATES",
    "LinkProblem",
    "Mapping",
    "curie_prefix",
    "read_sssom",
    "render_sssom",
    "write_sssom",
]

MAPPING_PREDICATES = (
    "skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch",
)  # fmt: skip
#: Predicates that also yield an ``oboInOwl:hasDbXref`` and need a matching label.
XREF_PREDICATES = frozenset({"skos:exactMatch", "skos:closeMatch"})
JUSTIFICATIONS = frozenset({"semapv:ManualMappingCuration", "semapv:LexicalMatching"})
SSSOM_COLUMNS = (
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label",
    "mapping_justification", "mapping_tool", "confidence", "comment",
)  # fmt: skip
LEXICAL_MATCHING = "semapv:LexicalMatching"
#: What proposed the lexically matched rows (a curator then checked each against the reference lexicons).
LEXICAL_MATCHING_TOOL = "exokg label matcher (exact, normalised label and synonym match)"
SUBJECT_PREFIXES = ("exokg", "exokg.entity")
#: A comment starting with this explains why an exact or close match has no matching label.
LABEL_DIFFERS = "label differs:"
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9._-]*):(\S+)$")


@dataclass(frozen=True)
class Mapping:
    """One SSSOM row: an exokg subject, a SKOS predicate and an external object."""

    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    justification: str
    confidence: float | None
    comment: str


@dataclass(frozen=True)
class LinkProblem:
    """A mapping whose object is unknown, obsolete, mislabelled or has no lexicon for its prefix."""

    kind: str  # "unknown" | "obsolete" | "label-mismatch" | "unknown-prefix"
    mapping: Mapping
    detail: str

    def __str__(self) -> str:
        m = self.mapping
        return f"{self.kind}: {m.subject_id} {m.predicate_id} {m.object_id}: {self.detail}"


# ---- reading ----


def read_sssom(
    path: Path | None = None, *, prefix_map: dict[str, str] | None = None
) -> tuple[dict[str, object], list[Mapping]]:
    """Read an SSSOM TSV file: its metadata block and its mappings, checked against the prefix map.

    Raises :class:`InputError` naming the file and line for a malformed row, an unknown
    prefix, or a ``curie_map`` entry that disagrees with ``ontology/prefixes.tsv``.
    """
    source = path or mappings_dir() / "exokg.sssom.tsv"
    known = prefix_map or load_prefix_map()
    lines = _read_lines(source)
    header_at = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    metadata = _parse_metadata(lines[:header_at], source)
    curie_map = _check_curie_map(metadata, known, source, lines[:header_at])
    mappings = list(_parse_rows(lines, header_at, source, known))
    _check_creators(metadata, curie_map, source)
    _check_prefixes_declared(mappings, curie_map, source, header_at)
    return metadata, mappings


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError("mapping set not found", path=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 ({exc.reason})", path=path) from None
    return [nfc(line.rstrip("\r")) for line in text.split("\n")]


def _parse_metadata(lines: list[str], path: Path) -> dict[str, object]:
    """Parse the ``#``-prefixed YAML block with a safe YAML loader; dates are kept as ISO strings."""
    import yaml

    text = "\n".join(line[1:] for line in lines)
    try:
        loaded = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"metadata: not valid YAML ({getattr(exc, 'problem', exc)})", path=path, line=line) from None
    if not isinstance(loaded, dict):
        raise InputError("metadata: the block is not a YAML mapping of keys to values", path=path, line=1)
    return {str(key): _plain(value) for key, value in loaded.items()}


def _plain(value: object) -> object:
    """YAML reads an unquoted date as a date: keep it as the ISO string SSSOM means."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, date_type):
        return value.isoformat()
    return value


def _check_curie_map(
    metadata: dict[str, object], known: dict[str, str], path: Path, lines: list[str]
) -> dict[str, str]:
    curie_map = metadata.get("curie_map")
    if not isinstance(curie_map, dict):
        raise InputError("metadata: curie_map is missing or not a mapping", path=path)
    for prefix, uri in curie_map.items():
        line = next((n for n, text in enumerate(lines, start=1) if text[1:].strip().startswith(f"{prefix}:")), None)
        if prefix not in known:
            raise InputError(f"curie_map: prefix {prefix!r} is not in ontology/prefixes.tsv", path=path, line=line)
        if uri != known[prefix]:
            message = f"curie_map: {prefix} is {uri} here but {known[prefix]} in ontology/prefixes.tsv"
            raise InputError(message, path=path, line=line)
    return {str(k): str(v) for k, v in curie_map.items()}


def _parse_rows(lines: list[str], header_at: int, path: Path, known: dict[str, str]) -> Iterator[Mapping]:
    if header_at >= len(lines) or not lines[header_at].strip():
        raise InputError("no table header after the metadata block", path=path, line=header_at + 1)
    header = [name.strip() for name in lines[header_at].split("\t")]
    optional = ("mapping_tool", "confidence", "comment")
    missing = [name for name in SSSOM_COLUMNS if name not in header and name not in optional]
    if missing:
        raise InputError(f"missing column(s): {', '.join(missing)}", path=path, line=header_at + 1)
    seen: dict[tuple[str, str, str], int] = {}
    for number, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not line.strip():
            continue
        values = line.split("\t")
        if len(values) > len(header):
            raise InputError(f"{len(values)} cells but the header has {len(header)} columns", path=path, line=number)
        cells = dict(zip(header, [v.strip() for v in values] + [""] * (len(header) - len(values)), strict=True))
        mapping = _mapping(cells, known, path, number)
        key = (mapping.subject_id, mapping.predicate_id, mapping.object_id)
        if key in seen:
            raise InputError(f"mapping repeated (first at line {seen[key]})", path=path, line=number)
        seen[key] = number
        yield mapping


def _mapping(cells: dict[str, str], known: dict[str, str], path: Path, line: int) -> Mapping:
    def fail(message: str) -> InputError:
        return InputError(message, path=path, line=line)

    subject, predicate, obj = cells["subject_id"], cells["predicate_id"], cells["object_id"]
    if curie_prefix(subject) not in SUBJECT_PREFIXES:
        raise fail(f"subject_id {subject!r} must be an exokg: or exokg.entity: CURIE")
    if predicate not in MAPPING_PREDICATES:
        raise fail(f"predicate_id {predicate!r} is not one of {', '.join(MAPPING_PREDICATES)}")
    object_prefix = curie_prefix(obj)
    if object_prefix is None:
        raise fail(f"object_id {obj!r} is not a CURIE")
    if object_prefix not in known:
        raise fail(f"unknown prefix {object_prefix!r} in object_id {obj!r} (see ontology/prefixes.tsv)")
    if object_prefix in SUBJECT_PREFIXES:
        raise fail(f"object_id {obj!r} must be external, not an exokg CURIE")
    if cells["mapping_justification"] not in JUSTIFICATIONS:
        raise fail(f"mapping_justification must be one of {', '.join(sorted(JUSTIFICATIONS))}")
    if not cells["subject_label"] or not cells["object_label"]:
        raise fail("subject_label and object_label are required")
    confidence = _confidence(cells.get("confidence", ""))
    if confidence is not None and not 0.0 <= confidence <= 1.0:
        raise fail(f"confidence must be a number from 0 to 1, not {cells['confidence']!r}")
    return Mapping(subject, cells["subject_label"], predicate, obj, cells["object_label"],
                   cells["mapping_justification"], confidence, cells.get("comment", ""))  # fmt: skip


def _confidence(text: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return -1.0


def curie_prefix(curie: str) -> str | None:
    match = _CURIE.match(curie)
    return match.group(1) if match else None


def _check_creators(metadata: dict[str, object], curie_map: dict[str, str], path: Path) -> None:
    """SSSOM wants each ``creator_id`` as a CURIE whose prefix the ``curie_map`` declares."""
    creators = metadata.get("creator_id") or []
    for creator in creators if isinstance(creators, list) else [creators]:
        if curie_prefix(str(creator)) not in curie_map:
            raise InputError(f"creator_id {creator!r} is not a CURIE with a prefix the curie_map declares", path=path)


def _check_prefixes_declared(mappings: list[Mapping], curie_map: dict[str, str], path: Path, line: int) -> None:
    used = {"skos", "semapv"} | {
        p for m in mappings for p in (curie_prefix(m.subject_id), curie_prefix(m.object_id)) if p
    }
    missing = sorted(used - set(curie_map))
    if missing:
        raise InputError(f"curie_map lacks prefix(es) used in the table: {', '.join(missing)}", path=path, line=line)


# ---- writing ----


def render_sssom(mappings: Iterable[Mapping], metadata: MappingType[str, object]) -> str:
    """The SSSOM TSV text: metadata block, header, rows sorted by subject, predicate and object."""
    lines = [f"#{line}" for line in _render_metadata(metadata)]
    lines.append("\t".join(SSSOM_COLUMNS))
    for m in sorted(mappings, key=lambda m: (m.subject_id, MAPPING_PREDICATES.index(m.predicate_id), m.object_id)):
        confidence = "" if m.confidence is None else f"{m.confidence:g}"
        tool = LEXICAL_MATCHING_TOOL if m.justification == LEXICAL_MATCHING else ""
        cells = (m.subject_id, m.subject_label, m.predicate_id, m.object_id, m.object_label, m.justification,
                 tool, confidence, m.comment)  # fmt: skip
        if any("\t" in cell or "\n" in cell for cell in cells):
            raise InputError(f"mapping {m.subject_id} → {m.object_id} has a tab or newline in a cell")
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _render_metadata(metadata: MappingType[str, object]) -> Iterator[str]:
    """The metadata block as YAML (safe dump, key order kept, curie_map sorted), one line per item."""
    import yaml

    ordered = {key: dict(sorted(value.items())) if isinstance(value, dict) else value
               for key, value in metadata.items()}  # fmt: skip
    text = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000)
    yield from text.splitlines()


def write_sssom(mappings: Iterable[Mapping], metadata: MappingType[str, object], path: Path) -> None:
    """Write a mapping set atomically; the temp file must read back to the same mappings."""
    from exokg.io.atomic import write_atomic

    rows = list(mappings)
    text = render_sssom(rows, metadata)

    def check(temp: Path) -> None:
        if sorted(read_sssom(temp)[1], key=repr) != sorted(rows, key=repr):
            raise InputError("the written SSSOM does not read back to the same mappings", path=temp)

    write_atomic(path, text, check=check)

"""Links from exokg terms and entities to external ontologies, kept as an SSSOM mapping set.

``mappings/exokg.sssom.tsv`` is curated data: a ``#``-prefixed YAML metadata block,
then one row per mapping. This module reads and writes it, turns it into the
mappings named graph, checks every mapped identifier against offline reference
lexicons, and rewrites exokg IRIs to their exact external equivalents for export.

>>> from exokg.links import read_sssom
>>> metadata, mappings = read_sssom()
>>> metadata["license"]
'https://creativecommons.org/licenses/by/4.0/'
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from collections.abc import Mapping as MappingType
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exokg.errors import InputError
from exokg.kgx import kgx_nodes_edges, unique_exact_targets
from exokg.prefixes import bind_prefixes, expand, load_prefix_map
from exokg.resources import data_dir, mappings_dir, ontology_dir
from exokg.tables import nfc, read_table, split_multi

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "JUSTIFICATIONS",
    "LABEL_DIFFERS",
    "LEXICON_FILES",
    "MAPPING_PREDICATES",
    "SSSOM_COLUMNS",
    "SUBJECT_PREFIXES",
    "XREF_PREDICATES",
    "LexiconTerm",
    "LinkProblem",
    "Mapping",
    "check_links",
    "external_ids_rewrite",
    "kgx_nodes_edges",
    "load_lexicon_terms",
    "load_mappings",
    "mappings_graph",
    "normalise_label",
    "read_sssom",
    "render_sssom",
    "subject_labels",
    "write_sssom",
]

SKOS = "http://www.w3.org/2004/02/skos/core#"
HAS_DBXREF = "http://www.geneontology.org/formats/oboInOwl#hasDbXref"
MAPPING_PREDICATES = (
    "skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch",
)  # fmt: skip
#: Predicates that also yield an ``oboInOwl:hasDbXref`` and need a matching label.
XREF_PREDICATES = frozenset({"skos:exactMatch", "skos:closeMatch"})
JUSTIFICATIONS = frozenset({"semapv:ManualMappingCuration", "semapv:LexicalMatching"})
SSSOM_COLUMNS = (
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label",
    "mapping_justification", "confidence", "comment",
)  # fmt: skip
SUBJECT_PREFIXES = ("exokg", "exokg.entity")
#: A comment starting with this explains why an exact or close match has no matching label.
LABEL_DIFFERS = "label differs:"
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9._-]*):(\S+)$")
_METADATA_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*):(?:\s+(.*))?$")


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
    """Parse the ``#``-prefixed YAML block (scalars, lists of scalars, one-level mappings)."""
    metadata: dict[str, object] = {}
    key: str | None = None
    for number, raw in enumerate(lines, start=1):
        text = raw[1:]
        if not text.strip():
            continue
        if not text[0].isspace():
            match = _METADATA_KEY.match(text.strip())
            if not match:
                raise InputError(f"metadata: expected 'key: value', got {text.strip()!r}", path=path, line=number)
            key, value = match.group(1), (match.group(2) or "").strip()
            if key in metadata:
                raise InputError(f"metadata: {key!r} given twice", path=path, line=number)
            metadata[key] = _scalar(value) if value else None
            continue
        if key is None:
            raise InputError("metadata: indented line before any key", path=path, line=number)
        metadata[key] = _add_nested(metadata[key], text.strip(), path, number)
    return metadata


def _scalar(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _add_nested(current: object, item: str, path: Path, line: int) -> object:
    if item.startswith("- "):
        if current is not None and not isinstance(current, list):
            raise InputError("metadata: a list item under a key that is not a list", path=path, line=line)
        return [*(current or []), _scalar(item[2:].strip())]
    name, sep, value = item.partition(":")
    if not sep or not name.strip() or not value.strip():
        raise InputError(f"metadata: expected '- item' or 'key: value', got {item!r}", path=path, line=line)
    if current is not None and not isinstance(current, dict):
        raise InputError("metadata: a key: value entry under a key that is not a mapping", path=path, line=line)
    nested = dict(current or {})
    nested[name.strip()] = _scalar(value.strip())
    return nested


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
    missing = [name for name in SSSOM_COLUMNS if name not in header and name not in ("confidence", "comment")]
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
    if _prefix(subject) not in SUBJECT_PREFIXES:
        raise fail(f"subject_id {subject!r} must be an exokg: or exokg.entity: CURIE")
    if predicate not in MAPPING_PREDICATES:
        raise fail(f"predicate_id {predicate!r} is not one of {', '.join(MAPPING_PREDICATES)}")
    object_prefix = _prefix(obj)
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


def _prefix(curie: str) -> str | None:
    match = _CURIE.match(curie)
    return match.group(1) if match else None


def _check_prefixes_declared(mappings: list[Mapping], curie_map: dict[str, str], path: Path, line: int) -> None:
    used = {"skos", "semapv"} | {p for m in mappings for p in (_prefix(m.subject_id), _prefix(m.object_id)) if p}
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
        cells = (m.subject_id, m.subject_label, m.predicate_id, m.object_id, m.object_label, m.justification,
                 confidence, m.comment)  # fmt: skip
        if any("\t" in cell or "\n" in cell for cell in cells):
            raise InputError(f"mapping {m.subject_id} → {m.object_id} has a tab or newline in a cell")
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _render_metadata(metadata: MappingType[str, object]) -> Iterator[str]:
    for key, value in metadata.items():
        if isinstance(value, dict):
            yield f"{key}:"
            yield from (f"  {name}: {value[name]}" for name in sorted(value))
        elif isinstance(value, list):
            yield f"{key}:"
            yield from (f"  - {item}" for item in value)
        else:
            yield f"{key}: {value}"


def write_sssom(mappings: Iterable[Mapping], metadata: MappingType[str, object], path: Path) -> None:
    """Write a mapping set atomically; the temp file must read back to the same mappings."""
    from exokg.export import write_atomic

    rows = list(mappings)
    text = render_sssom(rows, metadata)

    def check(temp: Path) -> None:
        if sorted(read_sssom(temp)[1], key=repr) != sorted(rows, key=repr):
            raise InputError("the written SSSOM does not read back to the same mappings", path=temp)

    write_atomic(path, text, check=check)


# ---- RDF ----


def mappings_graph(mappings: Iterable[Mapping]) -> Graph:
    """The mappings named graph: ``subject skos:<match> <external IRI>``, plus ``oboInOwl:hasDbXref``.

    External IRIs come from the prefix map (OBO PURLs; identifiers.org for HGNC,
    NCBIGene, UniProtKB and miRBase). The SKOS and oboInOwl properties are declared
    annotation properties in the ontology (``ontology/imports/external_terms.tsv``),
    so the graph stays OWL 2 DL next to it.
    """
    from rdflib import Graph, Literal, URIRef

    graph = bind_prefixes(Graph())
    for m in mappings:
        subject, obj = URIRef(expand(m.subject_id)), URIRef(expand(m.object_id))
        predicate = SKOS + m.predicate_id.partition(":")[2]
        graph.add((subject, URIRef(predicate), obj))
        if m.predicate_id in XREF_PREDICATES:
            graph.add((subject, URIRef(HAS_DBXREF), Literal(m.object_id)))
    return graph


def load_mappings(path: Path | None = None) -> Graph:
    """Read the packaged mapping set (or ``path``) and return its graph."""
    return mappings_graph(read_sssom(path)[1])


# ---- reference lexicons (tests, CI and curation only; never needed at run time) ----

#: prefix → the lexicon file that lists its identifiers (see ../shared/lexicons/SOURCES.md).
LEXICON_FILES: dict[str, str] = {
    "GO": "go.tsv", "CHEBI": "chebi.tsv", "MONDO": "mondo.tsv", "DOID": "doid.tsv",
    "NCIT": "ncit_mondo_subset.tsv", "UBERON": "uberon.tsv", "CL": "cl.tsv", "ECO": "eco.tsv",
    "RO": "ro.tsv", "BFO": "ro.tsv", "NCBITaxon": "ncbitaxon_subset.tsv",
    "HGNC": "hgnc.tsv", "NCBIGene": "hgnc.tsv", "UniProtKB": "hgnc.tsv",
    "mirbase": "mirbase.tsv", "mirbase.mature": "mirbase.tsv",
}  # fmt: skip
_MIRBASE_TYPES = {"precursor": "mirbase", "mature": "mirbase.mature"}
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta", "θ": "theta",
    "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi",
    "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi",
    "ω": "omega",
}  # fmt: skip


@dataclass(frozen=True)
class LexiconTerm:
    """One identifier of a reference lexicon: its label, every name it answers to, and its status."""

    id: str
    label: str
    names: tuple[str, ...]
    obsolete: bool
    replaced_by: str = ""


def normalise_label(text: str) -> str:
    """A label reduced for comparison: lower case, Greek letters spelled out, no punctuation or spaces.

    >>> normalise_label("TGF-β") == normalise_label("TGF beta")
    True
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\W_]+", "", "".join(_GREEK.get(ch, ch) for ch in folded))


def load_lexicon_terms(lexicon_dir: Path, wanted: MappingType[str, set[str]]) -> dict[str, LexiconTerm]:
    """The lexicon terms for the ``wanted`` CURIEs (prefix → CURIEs), reading only the files they need."""
    files: dict[str, set[str]] = defaultdict(set)
    for prefix, curies in wanted.items():
        if curies:
            files[LEXICON_FILES[prefix]] |= set(curies)
    found: dict[str, LexiconTerm] = {}
    for name, curies in sorted(files.items()):
        for term in _scan_lexicon(lexicon_dir / name, curies):
            if term.id not in found or found[term.id].obsolete:
                found[term.id] = term
    return found


def _scan_lexicon(path: Path, curies: set[str]) -> Iterator[LexiconTerm]:
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("reference lexicon not found", path=path) from None
    with handle:
        header = handle.readline().rstrip("\n").split("\t")
        derived = path.name in ("hgnc.tsv", "mirbase.tsv")
        bare = {curie.partition(":")[2] for curie in curies}
        for line in handle:
            first = line.partition("\t")[0]
            if not derived and first not in curies:
                continue
            if path.name == "mirbase.tsv" and first not in bare:
                continue
            row = dict(zip(header, line.rstrip("\n").split("\t"), strict=False))  # short rows: missing cells
            yield from (term for term in _terms_of_row(path.name, row) if term.id in curies)


def _terms_of_row(file: str, row: dict[str, str]) -> Iterator[LexiconTerm]:
    names = tuple(n for n in (row.get("label", ""), *split_multi(row.get("synonyms", ""))) if n)
    obsolete = row.get("obsolete") == "true"
    replaced = row.get("replaced_by", "")
    if file == "mirbase.tsv":
        prefix = _MIRBASE_TYPES.get(row.get("type", ""), "mirbase")
        yield LexiconTerm(f"{prefix}:{row['id']}", row.get("label", ""), names, obsolete, replaced)
        return
    ids = [row["id"]]
    if file == "hgnc.tsv":  # genes answer to their full name too, and carry their NCBI Gene and UniProt ids
        names = (*names, row.get("name", ""))
        ids += [f"NCBIGene:{g}" for g in split_multi(row.get("entrez_id", ""))]
        ids += [f"UniProtKB:{u}" for u in split_multi(row.get("uniprot_ids", ""))]
    yield from (LexiconTerm(i, row.get("label", ""), names, obsolete, replaced) for i in ids)


# ---- checking against reference lexicons ----


def check_links(
    mappings: Iterable[Mapping], lexicon_dir: Path, *, labels: MappingType[str, set[str]]
) -> list[LinkProblem]:
    """Every problem of ``mappings`` against the lexicons in ``lexicon_dir`` (empty when all is well).

    An object must exist in the lexicon file for its prefix and not be obsolete; its
    ``object_label`` must be one of that term's names; and for exact and close matches one
    of its names must match one of the subject's ``labels`` (case, punctuation and Greek
    letters aside) unless the comment starts with ``label differs:`` and says why.
    """
    rows = list(mappings)
    wanted: dict[str, set[str]] = defaultdict(set)
    problems: list[LinkProblem] = []
    for m in rows:
        prefix = _prefix(m.object_id) or ""
        if prefix in LEXICON_FILES:
            wanted[prefix].add(m.object_id)
        else:
            problems.append(LinkProblem("unknown-prefix", m, f"no reference lexicon for prefix {prefix!r}"))
    terms = load_lexicon_terms(lexicon_dir, wanted)
    for m in rows:
        if (_prefix(m.object_id) or "") in LEXICON_FILES:
            problems.extend(_term_problems(m, terms.get(m.object_id), labels.get(m.subject_id, set())))
    return problems


def _term_problems(m: Mapping, term: LexiconTerm | None, subject_names: set[str]) -> list[LinkProblem]:
    if term is None:
        return [LinkProblem("unknown", m, f"{m.object_id} is not in the reference lexicon")]
    if term.obsolete:
        hint = f"; replaced by {term.replaced_by}" if term.replaced_by else ""
        return [LinkProblem("obsolete", m, f"{m.object_id} is obsolete{hint}")]
    names = {normalise_label(name) for name in term.names}
    problems = []
    if normalise_label(m.object_label) not in names:
        problems.append(LinkProblem("label-mismatch", m, f"object_label {m.object_label!r} is not a name of "
                                    f"{m.object_id} (label {term.label!r})"))  # fmt: skip
    explained = m.comment.lower().startswith(LABEL_DIFFERS)
    if m.predicate_id in XREF_PREDICATES and not explained:
        ours = {normalise_label(name) for name in subject_names | {m.subject_label}}
        if not ours & names:
            problems.append(LinkProblem("label-mismatch", m, f"no name of {m.subject_id} matches {term.label!r} "
                                        f"or its synonyms; explain with a comment '{LABEL_DIFFERS} …'"))  # fmt: skip
    return problems


def subject_labels(*, ontology_folder: Path | None = None, data_folder: Path | None = None) -> dict[str, set[str]]:
    """exokg CURIE → its label and synonyms, from the ontology templates and ``data/entities`` tables."""
    templates = (ontology_folder or ontology_dir()) / "templates"
    labels: dict[str, set[str]] = {}
    for name in ("classes.tsv", "object_properties.tsv", "data_properties.tsv"):
        for row in read_table(templates / name, required=("id", "label")):
            labels[f"exokg:{row['id']}"] = {row["label"], *row.multi("synonyms")}
    folder = (data_folder or data_dir()) / "entities"
    for path in sorted(folder.glob("*.tsv")):
        for row in read_table(path, required=("id", "label")):
            labels[f"exokg.entity:{row['id']}"] = {row["label"], *split_multi(row["synonyms"])}
    return labels


# ---- export with external identifiers ----


def external_ids_rewrite(graph: Graph, mappings: Iterable[Mapping]) -> Graph:
    """A copy of ``graph`` where each exokg IRI with one exact match in its preferred source becomes that IRI.

    For ``exokg export --ids external``. A subject with exact matches in several sources
    is represented by the first of :data:`exokg.kgx.PREFERRED_SOURCES` it has (MONDO before
    DOID and NCIT, HGNC before NCBI Gene), and only if it has exactly one match there.
    When several exokg IRIs share a target (a class and its eponymous individual), the
    entity takes the external IRI and the class keeps its exokg IRI; two entities sharing
    one are both left unchanged, so distinct nodes are never merged.
    """
    from rdflib import Graph as RdfGraph
    from rdflib import URIRef

    rewrite = {URIRef(expand(s)): URIRef(expand(o)) for s, o in _unique_exact(mappings).items()}
    result = bind_prefixes(RdfGraph())
    for s, p, o in graph:
        result.add((rewrite.get(s, s), rewrite.get(p, p), rewrite.get(o, o)))  # type: ignore[call-overload]
    return result


def _unique_exact(mappings: Iterable[Mapping]) -> dict[str, str]:
    pairs = ((m.subject_id, m.object_id) for m in mappings if m.predicate_id == "skos:exactMatch")
    return unique_exact_targets(pairs, is_entity=lambda curie: curie.startswith("exokg.entity:"))

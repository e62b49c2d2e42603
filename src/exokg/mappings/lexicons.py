"""Check the mapping set against reference lexicons: every identifier exists, is current, and names the same thing.

The lexicons (``../shared/lexicons`` in a checkout: id, label, synonyms, obsolete)
are for tests, CI and curators; exokg never needs them at run time, and reads
only the files and rows a check asks for.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from collections.abc import Mapping as MappingType
from dataclasses import dataclass
from pathlib import Path

from exokg.errors import InputError
from exokg.io.tables import read_table, split_multi
from exokg.mappings.sssom import LABEL_DIFFERS, XREF_PREDICATES, LinkProblem, Mapping, curie_prefix
from exokg.resources import data_dir, ontology_dir

__all__ = ["LEXICON_FILES", "LexiconTerm", "check_links", "load_lexicon_terms", "normalise_label", "subject_labels"]


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


_QUALIFIER = re.compile(r"\s+\((?:class|exokg)\)$")


def normalise_label(text: str) -> str:
    """A label reduced for comparison: lower case, Greek letters spelled out, no punctuation or spaces.

    The naming rule's disambiguating qualifier (``exosome (class)``, ``part of (exokg)``,
    docs/decisions/0011-labels.md) is not part of the name and is dropped.

    >>> normalise_label("TGF-β") == normalise_label("TGF beta")
    True
    >>> normalise_label("exosome (class)") == normalise_label("exosome")
    True
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = _QUALIFIER.sub("", folded)
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
        prefix = curie_prefix(m.object_id) or ""
        if prefix in LEXICON_FILES:
            wanted[prefix].add(m.object_id)
        else:
            problems.append(LinkProblem("unknown-prefix", m, f"no reference lexicon for prefix {prefix!r}"))
    terms = load_lexicon_terms(lexicon_dir, wanted)
    for m in rows:
        if (curie_prefix(m.object_id) or "") in LEXICON_FILES:
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

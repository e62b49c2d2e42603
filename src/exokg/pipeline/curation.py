"""Read and check the curated tables of ``data/``: sources, sections, entities, claims.

The tables are the source of truth for the review's facts. This module turns them
into plain records and checks them against the ontology's vocabulary, reporting
every problem with the file and line of the offending row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from exokg.errors import InputError
from exokg.io.tables import Row, read_table
from exokg.resources import data_dir, ontology_dir

__all__ = [
    "CERTAINTIES",
    "CLAIM_COLUMNS",
    "DEPRECATION_COLUMNS",
    "ENTITY_COLUMNS",
    "QUALIFIER_COLUMNS",
    "SECTION_COLUMNS",
    "SOURCE_COLUMNS",
    "STRUCTURAL_COLUMNS",
    "Claim",
    "Curation",
    "Entity",
    "Section",
    "Source",
    "check_curation",
    "load_curation",
    "ontology_vocabulary",
    "table_files",
]

ENTITY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CLAIM_ID = re.compile(r"^c\d{3}$")
ECO_ID = re.compile(r"^ECO:\d{7}$")
TABLE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.tsv$")

#: Qualifier column → exokg object property on the claim node.
QUALIFIER_COLUMNS: dict[str, str] = {
    "cancer": "inCancer",
    "body_fluid": "inBodyFluid",
    "source_cell": "sourceCell",
    "recipient_cell": "recipientCell",
    "target_organ": "targetOrgan",
    "species": "inSpecies",
    "system": "inExperimentalSystem",
    "stage": "atDiseaseStage",
    "condition": "underCondition",
    "comparator": "comparedWith",
    "vesicle": "viaVesicle",
    "mechanism": "viaMechanism",
    "clinical_use": "forClinicalUse",
    "strategy": "inStrategy",
    "agent": "usingAgent",
    "route": "viaRoute",
    "setting": "inStudySetting",
}

#: Entity column → exokg object property between entities.
STRUCTURAL_COLUMNS: dict[str, str] = {
    "subtype_of": "isSubtypeOf",
    "member_of": "memberOf",
    "part_of": "partOf",
    "variant_of": "variantOf",
    "derives_from": "derivesFrom",
    "of_cancer": "ofCancer",
    "located_in": "locatedIn",
}

ENTITY_COLUMNS = ("id", "type", "label", "synonyms", "description", *STRUCTURAL_COLUMNS, "values", "note")
#: Optional trailing columns of an entity table (and of the ontology templates): a table that retires a
#: term adds them to its header. ``obsolete`` true → owl:deprecated; ``replaced_by`` → IAO:0100001;
#: ``consider`` → oboInOwl:consider. A deprecated term keeps its IRI and row forever.
DEPRECATION_COLUMNS = ("obsolete", "replaced_by", "consider")
CLAIM_COLUMNS = (
    "id", "section", "subject", "relation", "object", "cancer", "body_fluid", "source_cell", "recipient_cell",
    "target_organ", "species", "system", "direction", "stage", "condition", "comparator", "vesicle", "mechanism",
    "clinical_use", "strategy", "agent", "route", "setting", "references", "evidence", "certainty", "values",
    "paraphrase", "note",
)  # fmt: skip

SOURCE_COLUMNS = ("id", "type", "label", "number", "pmid", "doi", "citation")
SECTION_COLUMNS = ("id", "label", "order", "heading")

DIRECTIONS = {"increased": "Increased", "decreased": "Decreased"}

#: Certainty column value → exokg individual: how firmly the source states the claim (docs/decisions/0007).
CERTAINTIES = {"asserted": "Asserted", "suggested": "Suggested", "hypothesised": "Hypothesised",
               "unresolved": "Unresolved"}  # fmt: skip

#: Properties that qualify or document a claim node; never a claim's relation.
CLAIM_ONLY_PROPERTIES = frozenset(
    {"claimSubject", "claimObject", "statedIn", "inSection", "citesReference", "hasEvidence", "citedBy", "sectionOf"}
    | set(QUALIFIER_COLUMNS.values())
    | {"hasDirection", "hasCertainty"}
)


@dataclass(frozen=True)
class Entity:
    id: str
    types: tuple[str, ...]
    label: str
    synonyms: tuple[str, ...]
    description: str
    links: tuple[tuple[str, str], ...]  # (exokg property, entity id)
    values: tuple[tuple[str, str], ...]  # (exokg data property, lexical value)
    note: str
    row: Row = field(compare=False, repr=False)


@dataclass(frozen=True)
class Claim:
    id: str
    section: str
    subject: str
    relation: str
    object: str
    qualifiers: tuple[tuple[str, str], ...]  # (exokg property, entity id)
    direction: str | None
    references: tuple[int, ...]
    evidence: str
    certainty: str
    values: tuple[tuple[str, str], ...]
    paraphrase: str
    note: str
    row: Row = field(compare=False, repr=False)


@dataclass(frozen=True)
class Source:
    id: str
    type: str
    label: str
    number: int | None
    pmid: str
    doi: str
    citation: str


@dataclass(frozen=True)
class Section:
    id: str
    label: str
    order: int
    heading: str = ""


@dataclass(frozen=True)
class Curation:
    review: str
    sources: tuple[Source, ...]
    sections: tuple[Section, ...]
    entities: tuple[Entity, ...]
    claims: tuple[Claim, ...]


def load_curation(folder: Path | None = None, *, review: str = "soung2016") -> Curation:
    """Read every table of ``folder`` (default: the packaged ``data/``) into records."""
    root = folder or data_dir()
    sources = tuple(
        _source(row) for row in read_table(root / "sources.tsv", required=SOURCE_COLUMNS[:3], columns=SOURCE_COLUMNS)
    )
    sections = tuple(
        _section(row)
        for row in read_table(root / "sections.tsv", required=SECTION_COLUMNS[:3], columns=SECTION_COLUMNS)
    )
    entities = tuple(
        _entity(row)
        for path in table_files(root / "entities")
        for row in read_table(path, required=ENTITY_COLUMNS[:3], columns=(*ENTITY_COLUMNS, *DEPRECATION_COLUMNS))
    )
    claims = tuple(
        _claim(row)
        for path in table_files(root / "claims")
        for row in read_table(path, required=CLAIM_COLUMNS[:5], columns=CLAIM_COLUMNS)
    )
    return Curation(review, sources, sections, entities, claims)


def table_files(folder: Path) -> list[Path]:
    """The tables of a folder; any other file there is an error (a ``part-c.TSV`` would be skipped silently)."""
    if not folder.is_dir():
        raise InputError("folder of curated tables not found", path=folder)
    entries = sorted(folder.iterdir())
    for entry in entries:
        if not TABLE_NAME.match(entry.name) or not entry.is_file():
            raise InputError(
                "unexpected entry in a folder of curated tables: only files named like part-a.tsv "
                "(lower case, ending .tsv) are read; rename or move it",
                path=entry,
            )
    return entries


def _source(row: Row) -> Source:
    number = row["number"]
    if number and not number.isdigit():
        raise row.error(f"reference number must be an integer, not {number!r}")
    return Source(row["id"], row["type"], row["label"], int(number) if number else None,
                  row["pmid"], row["doi"], row["citation"])  # fmt: skip


def _section(row: Row) -> Section:
    if not row["order"].isdigit():
        raise row.error(f"section order must be an integer, not {row['order']!r}")
    return Section(row["id"], row["label"], int(row["order"]), row["heading"])


def _pairs(row: Row, columns: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((prop, value) for column, prop in columns.items() for value in row.multi(column))


def _values(row: Row) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in row.multi("values"):
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise row.error(f"values: {item!r} is not property=value")
        pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


def _entity(row: Row) -> Entity:
    return Entity(
        id=row["id"], types=tuple(row.multi("type")), label=row["label"], synonyms=tuple(row.multi("synonyms")),
        description=row["description"], links=_pairs(row, STRUCTURAL_COLUMNS), values=_values(row),
        note=row["note"], row=row,
    )  # fmt: skip


def _claim(row: Row) -> Claim:
    references = []
    for ref in row.multi("references"):
        if not ref.isdigit():
            raise row.error(f"references: {ref!r} is not a reference number")
        references.append(int(ref))
    direction = row["direction"] or None
    return Claim(
        id=row["id"], section=row["section"], subject=row["subject"], relation=row["relation"],
        object=row["object"], qualifiers=_pairs(row, QUALIFIER_COLUMNS), direction=direction,
        references=tuple(references), evidence=row["evidence"], certainty=row["certainty"], values=_values(row),
        paraphrase=row["paraphrase"], note=row["note"], row=row,
    )  # fmt: skip


def check_curation(
    curation: Curation,
    *,
    classes: Iterable[str],
    object_properties: Iterable[str],
    data_properties: Iterable[str],
) -> list[InputError]:
    """Every problem of the curated records, each naming its file and line (empty when clean)."""
    known_classes, known_props, known_data = set(classes), set(object_properties), set(data_properties)
    problems: list[InputError] = []
    entity_ids = _check_entities(curation.entities, known_classes, known_props, known_data, problems)
    sections = {section.id for section in curation.sections}
    reference_numbers = {source.number for source in curation.sources if source.number is not None}
    seen: dict[str, Row] = {}
    for claim in curation.claims:
        row = claim.row
        if not CLAIM_ID.match(claim.id):
            problems.append(row.error(f"claim id {claim.id!r} does not match cNNN"))
        if claim.id in seen:
            problems.append(row.error(f"duplicate claim id {claim.id!r} (first at line {seen[claim.id].line})"))
        seen[claim.id] = row
        if claim.section not in sections:
            problems.append(row.error(f"unknown section {claim.section!r}"))
        if claim.relation not in known_props or claim.relation in CLAIM_ONLY_PROPERTIES:
            problems.append(row.error(f"unknown relation {claim.relation!r}"))
        for column, value in (("subject", claim.subject), ("object", claim.object)):
            if value not in entity_ids:
                problems.append(row.error(f"{column}: undefined entity {value!r}"))
        for prop, value in claim.qualifiers:
            if value not in entity_ids:
                problems.append(row.error(f"qualifier {prop}: undefined entity {value!r}"))
        if claim.direction is not None and claim.direction not in DIRECTIONS:
            problems.append(row.error(f"direction must be increased or decreased, not {claim.direction!r}"))
        for number in claim.references:
            if number not in reference_numbers:
                problems.append(row.error(f"reference {number} is not in data/sources.tsv"))
        if claim.certainty not in CERTAINTIES:
            problems.append(row.error(f"certainty must be one of {', '.join(CERTAINTIES)}, not {claim.certainty!r}"))
        if not ECO_ID.match(claim.evidence):
            problems.append(row.error(f"evidence must be an ECO CURIE, not {claim.evidence!r}"))
        if not claim.paraphrase:
            problems.append(row.error("paraphrase is empty"))
        for name, _ in claim.values:
            if name not in known_data:
                problems.append(row.error(f"values: unknown data property {name!r}"))
    problems.extend(_check_duplicate_claims(curation.claims))
    return problems


def _check_entities(
    entities: tuple[Entity, ...], classes: set[str], props: set[str], data_props: set[str], problems: list[InputError]
) -> set[str]:
    first: dict[str, Row] = {}
    for entity in entities:
        row = entity.row
        if not ENTITY_ID.match(entity.id):
            problems.append(row.error(f"entity id {entity.id!r} is not a lower-case slug"))
        if entity.id in first:
            where = f"{first[entity.id].path.name}:{first[entity.id].line}"
            problems.append(row.error(f"duplicate entity id {entity.id!r} (first defined at {where})"))
        first.setdefault(entity.id, row)
        if not entity.types:
            problems.append(row.error("type is empty"))
        for cls in entity.types:
            if cls not in classes:
                problems.append(row.error(f"unknown type {cls!r} (see ontology/templates/classes.tsv)"))
        if not entity.label:
            problems.append(row.error("label is empty"))
        for name, _ in entity.values:
            if name not in data_props:
                problems.append(row.error(f"values: unknown data property {name!r}"))
    for entity in entities:
        for column in ("replaced_by", "consider"):
            problems += [entity.row.error(f"{column}: undefined entity {target!r}")
                         for target in entity.row.multi(column) if target not in first]  # fmt: skip
        for prop, target in entity.links:
            if prop not in props:
                problems.append(entity.row.error(f"unknown property {prop!r}"))
            if target not in first:
                problems.append(entity.row.error(f"{prop}: undefined entity {target!r}"))
    return set(first)


def _check_duplicate_claims(claims: tuple[Claim, ...]) -> list[InputError]:
    problems = []
    seen: dict[tuple[object, ...], Claim] = {}
    for claim in claims:
        key = (claim.subject, claim.relation, claim.object, tuple(sorted(claim.qualifiers)), claim.direction,
               claim.section, claim.references, claim.evidence, claim.certainty)  # fmt: skip
        if key in seen:
            problems.append(claim.row.error(f"claim {claim.id} repeats claim {seen[key].id}"))
        seen.setdefault(key, claim)
    return problems


def ontology_vocabulary(folder: Path | None = None) -> tuple[set[str], set[str], set[str]]:
    """Local names of the exokg classes, object properties and data properties, read from the templates."""
    templates = (folder or ontology_dir()) / "templates"
    classes = {row["id"] for row in read_table(templates / "classes.tsv", required=("id",))}
    objects = {row["id"] for row in read_table(templates / "object_properties.tsv", required=("id",))}
    data = {row["id"] for row in read_table(templates / "data_properties.tsv", required=("id",))}
    return classes, objects, data

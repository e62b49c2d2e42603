"""How exokg's classes, relations and identifiers map onto the Biolink Model (4.4), for the KGX export.

Tables only, no I/O. ``docs/kgx.md`` explains the choices, and lists the relations that
stay ``biolink:related_to`` and why.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BIOLINK_CATEGORIES",
    "BIOLINK_ID_PREFIXES",
    "BIOLINK_PREDICATES",
    "BIOLINK_VERSION",
    "FALLBACK_CATEGORY",
    "RELATED_TO",
    "VAGUE_RELATIONS",
    "BiolinkPredicate",
]

#: The Biolink Model release these tables follow (the ``biolink-model`` PyPI package CI validates with).
BIOLINK_VERSION = "4.4.6"

#: exokg class → Biolink category; a class not listed takes its nearest listed ancestor's.
#: miRNAs, siRNAs and mRNAs are ``biolink:Transcript``, the nearest ancestor of Biolink's MicroRNA, SiRNA and
#: RNAProduct whose name KGX 2.7 accepts: its CamelCase check (``^([A-Z][a-z\d]+)+$``) rejects a class
#: name with an acronym in it, Biolink's own included (docs/kgx.md).
#: A gene-or-protein entity is a ``biolink:Gene`` (Biolink conflates a gene with its products in KGs;
#: exokg's exact matches are NCBI Gene and HGNC, its UniProt links only close matches).
BIOLINK_CATEGORIES: dict[str, str] = {
    "MicroRNA": "biolink:Transcript", "SmallInterferingRNA": "biolink:Transcript", "MRNA": "biolink:Transcript",
    "MicroRNACluster": "biolink:NucleicAcidEntity", "NucleicAcid": "biolink:NucleicAcidEntity",
    "ProteinComplex": "biolink:MacromolecularComplex", "MolecularGroup": "biolink:MolecularEntity",
    "GeneOrProtein": "biolink:Gene", "Drug": "biolink:Drug", "ChemicalEntity": "biolink:ChemicalEntity",
    "MolecularEntity": "biolink:MolecularEntity", "Disease": "biolink:Disease",
    "CancerStage": "biolink:DiseaseOrPhenotypicFeature",
    "Condition": "biolink:PhenotypicFeature", "CellLine": "biolink:CellLine", "CellType": "biolink:Cell",
    "AnatomicalEntity": "biolink:AnatomicalEntity", "ExtracellularVesicle": "biolink:CellularComponent",
    "CellularCompartment": "biolink:CellularComponent", "SignallingPathway": "biolink:Pathway",
    "BiologicalProcess": "biolink:BiologicalProcess", "Organism": "biolink:OrganismTaxon",
    "PatientCohort": "biolink:Cohort", "AnimalModel": "biolink:IndividualOrganism",
    "SurgicalResection": "biolink:Procedure", "ClinicalTrial": "biolink:ClinicalTrial",
    "TherapeuticAgent": "biolink:ChemicalEntity", "Intervention": "biolink:Treatment",
}  # fmt: skip
FALLBACK_CATEGORY = "biolink:NamedThing"

#: Biolink's preferred identifier prefixes per category (its ``id_prefixes``, in order), restricted to the
#: sources exokg maps to. A node takes its exact match in the first listed source; a category with no
#: list, or an entity with no exact match there, keeps its exokg id (declared in the graph metadata).
BIOLINK_ID_PREFIXES: dict[str, tuple[str, ...]] = {
    "biolink:Gene": ("NCBIGene", "HGNC"),
    "biolink:Protein": ("UniProtKB", "NCIT"),
    "biolink:NucleicAcidEntity": ("CHEBI",),
    "biolink:MacromolecularComplex": ("GO",),
    "biolink:MolecularEntity": ("CHEBI",),
    "biolink:ChemicalEntity": ("CHEBI",),
    "biolink:Drug": ("CHEBI",),
    "biolink:Disease": ("MONDO", "DOID", "NCIT"),
    "biolink:DiseaseOrPhenotypicFeature": ("MONDO", "DOID", "NCIT"),
    "biolink:PhenotypicFeature": ("NCIT",),
    "biolink:Cell": ("CL", "NCIT", "UBERON"),
    "biolink:AnatomicalEntity": ("UBERON", "GO", "CL", "NCIT"),
    "biolink:CellularComponent": ("GO", "NCIT", "CL", "UBERON"),
    "biolink:Pathway": ("GO",),
    "biolink:BiologicalProcess": ("GO",),
    "biolink:OrganismTaxon": ("NCBITaxon",),
}


@dataclass(frozen=True)
class BiolinkPredicate:
    """A Biolink predicate for an exokg relation; ``swap`` puts the edge in Biolink's canonical direction."""

    predicate: str
    qualified: str = ""
    direction: str = ""
    swap: bool = False


_CAUSES_UP = BiolinkPredicate("biolink:affects", "biolink:causes", "increased")
_CAUSES_DOWN = BiolinkPredicate("biolink:affects", "biolink:causes", "decreased")
RELATED_TO = BiolinkPredicate("biolink:related_to")
#: exokg object property → Biolink predicate. Inverse relations (``isCargoOf``, ``hasSubtype``, ...) are
#: swapped into the canonical predicate of the pair (``has_part``, ``subclass_of``, ...).
BIOLINK_PREDICATES: dict[str, BiolinkPredicate] = {
    "hasCargo": BiolinkPredicate("biolink:has_part"), "isCargoOf": BiolinkPredicate("biolink:has_part", swap=True),
    "hasPart": BiolinkPredicate("biolink:has_part"), "partOf": BiolinkPredicate("biolink:has_part", swap=True),
    "derivesFrom": BiolinkPredicate("biolink:derives_from"), "releases": BiolinkPredicate("biolink:produces"),
    "isProducedBy": BiolinkPredicate("biolink:produces", swap=True),
    "isSubtypeOf": BiolinkPredicate("biolink:subclass_of"),
    "hasSubtype": BiolinkPredicate("biolink:subclass_of", swap=True),
    "memberOf": BiolinkPredicate("biolink:member_of"), "hasMember": BiolinkPredicate("biolink:member_of", swap=True),
    "locatedIn": BiolinkPredicate("biolink:located_in"), "occursIn": BiolinkPredicate("biolink:occurs_in"),
    "expressedIn": BiolinkPredicate("biolink:expressed_in"),
    "promotes": _CAUSES_UP, "upregulates": _CAUSES_UP, "inhibits": _CAUSES_DOWN, "downregulates": _CAUSES_DOWN,
    "regulates": BiolinkPredicate("biolink:affects"), "targets": BiolinkPredicate("biolink:affects"),
    "isRequiredFor": BiolinkPredicate("biolink:contributes_to"),
    "involvedIn": BiolinkPredicate("biolink:actively_involved_in"),
    "mediatedBy": BiolinkPredicate("biolink:has_participant"),
    "interactsWith": BiolinkPredicate("biolink:physically_interacts_with"),
    "fusesWith": BiolinkPredicate("biolink:physically_interacts_with"),
    "isMarkerFor": BiolinkPredicate("biolink:biomarker_for"),
    "correlatesWith": BiolinkPredicate("biolink:correlated_with"),
    "levelIncreasedIn": BiolinkPredicate("biolink:positively_correlated_with"),
    "levelDecreasedIn": BiolinkPredicate("biolink:negatively_correlated_with"),
}  # fmt: skip

#: exokg relations that stay ``biolink:related_to``, and why (docs/kgx.md shows this table).
VAGUE_RELATIONS: dict[str, str] = {
    "hasClinicalUse": "the object is a use (diagnosis, prognosis, therapy), not a Biolink node type with a predicate",
    "transferredTo": "cargo moved between cells: Biolink has no transport or delivery predicate between entities",
    "confersResistanceTo": "resistance to a drug: Biolink 4 expresses it only through qualifiers KGX cannot check",
    "directsTo": "a molecule directs metastasis to an organ: a process-to-location link with no Biolink predicate",
    "ofCancer": "a cell or sample 'of' a cancer type: provenance of the material, not association or causation",
    "variantOf": "an isoform or form of a molecule: Biolink's variant predicates need a SequenceVariant",
}

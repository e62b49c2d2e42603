"""Everything the miner takes from the rest of exokg, gathered in one place.

The package layout is being reorganised; re-point these imports here and
nothing else in ``exokg.mine`` needs to change.
"""

from __future__ import annotations

from exokg.curation import (
    CLAIM_COLUMNS,
    ENTITY_COLUMNS,
    QUALIFIER_COLUMNS,
    Claim,
    Curation,
    Entity,
    Section,
    check_curation,
    load_curation,
    ontology_vocabulary,
)
from exokg.errors import InputError
from exokg.resources import data_dir, mappings_dir, ontology_dir, resource_root
from exokg.tables import nfc, read_table, split_multi

__all__ = [
    "CLAIM_COLUMNS",
    "ENTITY_COLUMNS",
    "QUALIFIER_COLUMNS",
    "Claim",
    "Curation",
    "Entity",
    "InputError",
    "Section",
    "check_curation",
    "data_dir",
    "load_curation",
    "mappings_dir",
    "nfc",
    "ontology_dir",
    "ontology_vocabulary",
    "read_table",
    "resource_root",
    "split_multi",
]

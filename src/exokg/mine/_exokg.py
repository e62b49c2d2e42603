"""Everything the miner takes from the rest of exokg, gathered in one place.

Keeping them here shows at a glance what mining depends on (the curated tables and
their vocabulary), and keeps ``exokg.mine`` at its layer (docs/decisions/0006-layers.md).
"""

from __future__ import annotations

from exokg.errors import InputError
from exokg.io.tables import nfc, read_table, split_multi
from exokg.pipeline.curation import (
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
from exokg.resources import data_dir, mappings_dir, ontology_dir, resource_root

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

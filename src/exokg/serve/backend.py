"""Everything the web app takes from the rest of exokg, gathered in one place.

Only this file names exokg's other modules (a test checks it), so a move in the
layers re-points one file. Nothing heavy is imported here: pyoxigraph is imported
by the worker processes.
"""

from __future__ import annotations

from exokg.errors import EngineError, ExokgError, InputError, QueryRefused
from exokg.io.store import STORE_DIRNAME
from exokg.prefixes import compress, load_prefix_map
from exokg.query.catalogue import CannedQuery, Parameter, bind_parameters, load_catalogue
from exokg.query.engines import Answer, OxigraphEngine, with_values_block
from exokg.query.guard import CheckedQuery, check_query
from exokg.query.lookup import resolve
from exokg.query.results import format_answer, table_columns
from exokg.query.terms import Term
from exokg.query.worker import cap_memory_growth
from exokg.vocab import (
    BASE,
    CLAIM,
    DEFAULT_ROW_CAP,
    DEFINITION,
    ENTITY,
    EXACT_SYNONYM,
    EXOKG,
    GRAPH,
    HAS_DBXREF,
    ONTOLOGY_IRI,
    RDF_TYPE,
    SOURCE,
    XSD_STRING,
)

__all__ = [
    "BASE",
    "CLAIM",
    "DEFAULT_ROW_CAP",
    "DEFINITION",
    "ENTITY",
    "EXACT_MATCH",
    "EXACT_SYNONYM",
    "EXOKG",
    "GRAPH",
    "HAS_DBXREF",
    "ONTOLOGY_IRI",
    "OWL_CLASS",
    "RDFS_LABEL",
    "RDF_TYPE",
    "SOURCE",
    "STORE_DIRNAME",
    "XSD_STRING",
    "Answer",
    "CannedQuery",
    "CheckedQuery",
    "EngineError",
    "ExokgError",
    "InputError",
    "OxigraphEngine",
    "Parameter",
    "QueryRefused",
    "Term",
    "bind_parameters",
    "cap_memory_growth",
    "check_query",
    "compress",
    "format_answer",
    "load_catalogue",
    "load_prefix_map",
    "resolve",
    "table_columns",
    "with_values_block",
]

# IRIs the pages need that exokg.vocab does not define (yet)
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"

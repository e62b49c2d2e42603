"""Everything the web app takes from the rest of exokg, gathered in one place.

The architecture refactor moves these modules (``engines`` → ``query.engines`` and
so on) and adds ``exokg.open(dist)``; only this file needs re-pointing then.
Nothing heavy is imported here: pyoxigraph is imported by the worker processes.
"""

from __future__ import annotations

from exokg.engines import DEFAULT_ROW_CAP, Answer, OxigraphEngine, with_values_block
from exokg.errors import EngineError, ExokgError, InputError, QueryRefused
from exokg.prefixes import CLAIM, ENTITY, EXOKG, GRAPH, SOURCE, compress, load_prefix_map
from exokg.queries import CannedQuery, Parameter, bind_parameters, load_catalogue
from exokg.results import format_answer
from exokg.sparql_guard import check_query
from exokg.store import STORE_DIRNAME
from exokg.terms import XSD_STRING, Term

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
    "EngineError",
    "ExokgError",
    "InputError",
    "OxigraphEngine",
    "Parameter",
    "QueryRefused",
    "Term",
    "bind_parameters",
    "check_query",
    "compress",
    "format_answer",
    "load_catalogue",
    "load_prefix_map",
    "with_values_block",
]

# IRIs the pages need; with the refactor they come from exokg.vocab (which lacks the first four yet)
BASE = ENTITY.removesuffix("entity/")
ONTOLOGY_IRI = BASE + "exokg.owl"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
DEFINITION = "http://purl.obolibrary.org/obo/IAO_0000115"
EXACT_SYNONYM = "http://www.geneontology.org/formats/oboInOwl#hasExactSynonym"
HAS_DBXREF = "http://www.geneontology.org/formats/oboInOwl#hasDbXref"

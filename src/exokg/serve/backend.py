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
from exokg.terms import Term

__all__ = [
    "BASE",
    "CLAIM",
    "DEFAULT_ROW_CAP",
    "ENTITY",
    "EXOKG",
    "GRAPH",
    "ONTOLOGY_IRI",
    "SOURCE",
    "STORE_DIRNAME",
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

BASE = "https://w3id.org/exokg/"
ONTOLOGY_IRI = BASE + "exokg.owl"

"""Every namespace and IRI constant of exokg, defined once.

Plain strings, so importing this module costs nothing (no rdflib); wrap them in
``rdflib.URIRef`` or ``pyoxigraph.NamedNode`` where a term object is needed.
The prefix map (``ontology/prefixes.tsv``) binds the same namespaces for CURIEs;
a test checks that the two agree.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: a cold `exokg query run` forks before importing typing (mypy reads the name)
if TYPE_CHECKING:
    from typing import Final

# --- exokg's own namespaces (docs/decisions/0002-iri-scheme.md) ---
BASE: Final = "https://w3id.org/exokg/"
EXOKG: Final = BASE + "vocab/"
ENTITY: Final = BASE + "entity/"
CLAIM: Final = BASE + "claim/"
SOURCE: Final = BASE + "source/"
GRAPH: Final = BASE + "graph/"
SHAPES: Final = BASE + "shapes/"
QC: Final = SHAPES + "qc/"
ONTOLOGY_IRI: Final = BASE + "exokg.owl"

#: The named graphs of a build, by short name, in build order.
GRAPH_NAMES: Final = ("ontology", "review", "mappings", "inferred")
#: The graphs that hold what was asserted (everything but the reasoner's output).
ASSERTED_GRAPH_NAMES: Final = ("ontology", "review", "mappings")
GRAPH_ONTOLOGY: Final = GRAPH + "ontology"
GRAPH_REVIEW: Final = GRAPH + "review"
GRAPH_MAPPINGS: Final = GRAPH + "mappings"
GRAPH_INFERRED: Final = GRAPH + "inferred"

# --- external vocabularies ---
OBO: Final = "http://purl.obolibrary.org/obo/"
OBO_IN_OWL: Final = "http://www.geneontology.org/formats/oboInOwl#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING: Final = XSD + "string"
DCTERMS: Final = "http://purl.org/dc/terms/"

DEFINITION: Final = OBO + "IAO_0000115"  # IAO "definition"
EXACT_SYNONYM: Final = OBO_IN_OWL + "hasExactSynonym"
HAS_DBXREF: Final = OBO_IN_OWL + "hasDbXref"
TERM_REPLACED_BY: Final = OBO + "IAO_0100001"  # IAO "term replaced by"
CONSIDER: Final = OBO_IN_OWL + "consider"
BIBLIOGRAPHIC_CITATION: Final = DCTERMS + "bibliographicCitation"

# --- the review every claim comes from ---
REVIEW_ID: Final = "soung2016"
REVIEW_PMID: Final = "26592936"
REVIEW_DOI: Final = "10.5483/BMBRep.2016.49.1.239"

# --- Biolink provenance of every curated claim (a person read the text and stated it) ---
KNOWLEDGE_LEVEL: Final = "knowledge_assertion"
AGENT_TYPE: Final = "manual_agent"
#: Biolink knowledge level for each certainty; a hypothesis is a Biolink prediction, an open question not a level.
KNOWLEDGE_LEVELS: Final = {
    "asserted": KNOWLEDGE_LEVEL,
    "suggested": KNOWLEDGE_LEVEL,
    "hypothesised": "prediction",
    "unresolved": "not_provided",
}

# --- query bounds shared by the CLI and the API ---
DEFAULT_ROW_CAP: Final = 10_000
DEFAULT_TIMEOUT_S: Final = 30.0
#: The largest answer read from a remote endpoint (bytes); a larger one is an error, not a swap storm.
DEFAULT_MAX_ANSWER_BYTES: Final = 64 * 1024 * 1024
#: Bounds of the query options: a timeout is a positive, finite number of seconds up to a day.
MAX_TIMEOUT_S: Final = 86_400.0
#: The largest row cap --max-rows accepts.
MAX_ROW_CAP: Final = 10_000_000
#: The longest ad-hoc query read from a file or stdin (bytes).
MAX_QUERY_BYTES: Final = 1024 * 1024
#: MiB a local query may add to its worker's address space (RLIMIT_AS); 0 means no cap.
DEFAULT_MAX_MEMORY_MIB: Final = 2048

# --- validation engines: SHACL compiled to SPARQL on Oxigraph (default), or pySHACL (the reference) ---
SHACL_ENGINES: Final = ("oxigraph", "pyshacl")

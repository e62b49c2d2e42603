"""Push the build's named graphs to a SPARQL 1.1 store and read them back (Oxigraph server, Virtuoso, ...)."""

from exokg.remote.graphs import GraphPayload, canonical_lines, checksum, read_build
from exokg.remote.http import Client
from exokg.remote.push import DEFAULT_CHUNK, PushReport, Target, plan_text, push, read_back, staging_iri

__all__ = [
    "DEFAULT_CHUNK",
    "Client",
    "GraphPayload",
    "PushReport",
    "Target",
    "canonical_lines",
    "checksum",
    "plan_text",
    "push",
    "read_back",
    "read_build",
    "staging_iri",
]

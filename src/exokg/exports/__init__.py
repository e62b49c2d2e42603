"""Exports of a built graph beyond the build outputs: other RDF syntaxes, KGX."""

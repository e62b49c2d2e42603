"""The build line, one module per stage in build order.

curation → ontology → populate → (assemble) → reason/explain → validate/ → build (which writes the store and exports).
"""

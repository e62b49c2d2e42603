"""Reading and writing: curated TSV tables, RDF files, deterministic serialisation, atomic writes, the store."""

"""The query layer: canned-query catalogue, SPARQL guard, RDF terms, engines, result formatting."""

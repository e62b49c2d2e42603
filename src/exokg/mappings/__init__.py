"""Links to external ontologies: the SSSOM mapping set, its graph, external-id rewriting, lexicon checks."""

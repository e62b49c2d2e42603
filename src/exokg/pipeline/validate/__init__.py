"""The validate stage: SHACL shapes and ontology QC queries over a data graph, a report, curator files.

``shacl`` runs the shapes and the QC queries (``qc``) and builds the report;
``files`` parses and checks a curator's RDF files before validating them.
"""

from __future__ import annotations

from exokg.pipeline.validate.files import validate_files
from exokg.pipeline.validate.shacl import Finding, ValidationReport, load_shapes, validate_graph, write_reports

__all__ = ["Finding", "ValidationReport", "load_shapes", "validate_files", "validate_graph", "write_reports"]

"""``exokg validate``: the packaged graph, or a curator's files merged with the ontology."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["run_validate"]


def run_validate(files: list[Path], out: Path | None, *, with_review: bool = False) -> int:
    """Validate, print the text report, optionally write the three report files; return the exit code."""
    from exokg.validate import validate_files, validate_graph, write_reports

    if files:
        report = validate_files(files, with_review=with_review)
    else:
        from exokg.build import assemble

        graphs = assemble()
        data = graphs.review + graphs.mappings
        report = validate_graph(data, graphs.ontology)
    click.echo(report.to_text(), nl=False)
    if out is not None:
        write_reports(report, out)
    return 0 if report.conforms else 1

"""``exokg validate``: the packaged graph, or a curator's files merged with the ontology."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from exokg.cli.options import reports_errors
from exokg.vocab import SHACL_ENGINES

__all__ = ["run_validate", "validate"]


def run_validate(files: list[Path], out: Path | None, *, with_review: bool = False, engine: str = "oxigraph") -> int:
    """Validate, print the text report, optionally write the three report files; return the exit code."""
    from exokg.pipeline.validate import validate_files, validate_graph, write_reports

    if files:
        report = validate_files(files, with_review=with_review, engine=engine)
    else:
        from exokg.pipeline.assemble import assemble

        graphs = assemble()
        report = validate_graph(graphs.data(), graphs.ontology, engine=engine)
    click.echo(report.to_text(), nl=False)
    if out is not None:
        write_reports(report, out)
    return 0 if report.conforms else 1


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for validation-report.{ttl,txt,json} (default: print the text report only).")  # fmt: skip
@click.option("--with-review", is_flag=True, help="Merge FILES with the packaged review graph (existing entities).")
@click.option("--engine", type=click.Choice(SHACL_ENGINES), default=SHACL_ENGINES[0], show_default=True,
              help="What runs the shapes: compiled to SPARQL on Oxigraph, or pySHACL (the reference).")  # fmt: skip
@reports_errors
def validate(files: tuple[Path, ...], out: Path | None, with_review: bool, engine: str) -> None:
    """Validate the packaged graph, or FILES (a curator's additions) merged with the ontology.

    Exit 0 when it conforms, 1 on violations, 2 on unusable input or an engine error.

    \b
    Example:
      exokg validate my-additions.ttl
      exokg validate --engine pyshacl my-additions.ttl
    """
    sys.exit(run_validate(list(files), out, with_review=with_review, engine=engine))

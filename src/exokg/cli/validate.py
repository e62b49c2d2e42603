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
        from exokg.pipeline.validate.report import report_scopes, write_obo_reports

        graphs = assemble()
        report = validate_graph(graphs.data(), graphs.ontology, engine=engine)
        obo = report_scopes(graphs.ontology, graphs.data())
        click.echo(report.to_text(), nl=False)
        click.echo("".join(scope.summary() for scope in obo), nl=False)
        if out is not None:
            write_reports(report, out)
            write_obo_reports(obo, out)
        return 0 if report.conforms and not any(scope.errors for scope in obo) else 1
    click.echo(report.to_text(), nl=False)
    if out is not None:
        write_reports(report, out)
    return 0 if report.conforms else 1


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for validation-report.{ttl,txt,json}, obo-report.{tsv,txt} (default: print).")  # fmt: skip
@click.option("--with-review", is_flag=True, help="Merge FILES with the packaged review graph (existing entities).")
@click.option("--engine", type=click.Choice(SHACL_ENGINES), default=SHACL_ENGINES[0], show_default=True,
              help="What runs the shapes: compiled to SPARQL on Oxigraph, or pySHACL (the reference).")  # fmt: skip
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="Validate an Oxigraph store in place (e.g. dist/store, or a corpus of millions of triples): "
                   "its named graphs but the inferred one, merged, without copying them.")  # fmt: skip
@click.option("--graph", "graphs", multiple=True, metavar="IRI",
              help="With --store: a named graph to validate (repeat); the ontology's must be one of them.")  # fmt: skip
@reports_errors
def validate(
    files: tuple[Path, ...], out: Path | None, with_review: bool, engine: str, store_path: Path | None,
    graphs: tuple[str, ...],
) -> None:  # fmt: skip
    """Validate the packaged graph, or FILES (a curator's additions) merged with the ontology.

    The packaged graph also gets the OBO report (ROBOT's report checks, queries/report/)
    on the ontology and on the full graph; an ERROR fails like a violation.
    Exit 0 when it conforms, 1 on violations, 2 on unusable input or an engine error.

    \b
    Example:
      exokg validate my-additions.ttl
      exokg validate --engine pyshacl my-additions.ttl
      exokg validate --store /scratch/scale-1000000/store
    """
    if store_path is not None:
        if files or with_review or engine != SHACL_ENGINES[0]:
            raise click.UsageError("--store validates a store on Oxigraph: give no FILES, --with-review or --engine")
        sys.exit(run_validate_store(store_path, list(graphs), out))
    if graphs:
        raise click.UsageError("--graph needs --store")
    sys.exit(run_validate(list(files), out, with_review=with_review, engine=engine))


def run_validate_store(path: Path, graphs: list[str], out: Path | None) -> int:
    """Validate the named graphs of the store at ``path`` where they lie; return the exit code."""
    from exokg.io.store import open_read_only
    from exokg.pipeline.validate import write_reports
    from exokg.pipeline.validate.shacl import validate_store

    report = validate_store(open_read_only(path), graphs or None, progress=sys.stderr)
    click.echo(report.to_text(), nl=False)
    if out is not None:
        write_reports(report, out)
    return 0 if report.conforms else 1

"""The ``exokg`` command line: thin wrappers over the pipeline stages.

Exit codes: 0 success; 1 the data is invalid or inconsistent; 2 unusable input
or an engine failure; 3 a query hit its time limit.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from exokg.errors import ExokgError

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])
DIST_OPTION = click.option(
    "--dist", type=click.Path(path_type=Path), default=Path("dist"), show_default=True,
    help="Build folder written by `exokg build`.",
)  # fmt: skip


def reports_errors(func: F) -> F:
    """Turn an :class:`ExokgError` into one message on stderr and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ExokgError as exc:
            click.echo(f"exokg: error: {exc.render()}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="exokg", prog_name="exokg")
def cli() -> None:
    """exokg: a knowledge graph of cancer cell-derived exosomes.

    \b
    Example:
      exokg build --out dist
      exokg query run mirnas-elevated-in-cancer --param cancer=exokg.entity:pancreatic-cancer
    """


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("dist"), show_default=True)
@click.option("--no-reason", is_flag=True, help="Skip the reasoner (queries that need inference will say so).")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@reports_errors
def build(out: Path, no_reason: bool, quiet: bool) -> None:
    """Build the graph: load, populate, reason, validate, store and export into OUT.

    \b
    Example:
      exokg build --out dist
    """
    from exokg.build import run_build
    from exokg.progress import Progress

    run_build(out, reason=not no_reason, progress=Progress(quiet=quiet))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld", "xml", "trig", "kgx", "sssom"]),
              default="ttl", show_default=True)  # fmt: skip
@click.option("--graph", "graph_name", type=click.Choice(["all", "ontology", "review", "mappings", "inferred"]),
              default="all", show_default=True, help="Named graph (all = the asserted graphs merged).")  # fmt: skip
@click.option("--ids", type=click.Choice(["exokg", "external"]), default="exokg", show_default=True,
              help="external: rewrite entity IRIs to their exact-match external IRIs.")  # fmt: skip
@click.option("-o", "--output", default="-", show_default=True, help="File to write, or - for stdout.")
@DIST_OPTION
@reports_errors
def export(fmt: str, graph_name: str, ids: str, output: str, dist: Path) -> None:
    """Export the built graph in another RDF syntax, as KGX TSV, or the mapping set as SSSOM.

    \b
    Example:
      exokg export --format nt --graph review -o review.nt
    """
    from exokg.exporting import run_export

    run_export(dist=dist, fmt=fmt, graph_name=graph_name, ids=ids, output=output)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for validation-report.{ttl,txt,json} (default: print the text report only).")  # fmt: skip
@click.option("--with-review", is_flag=True, help="Merge FILES with the packaged review graph (existing entities).")
@reports_errors
def validate(files: tuple[Path, ...], out: Path | None, with_review: bool) -> None:
    """Validate the packaged graph, or FILES (a curator's additions) merged with the ontology.

    Exit 0 when it conforms, 1 on violations, 2 on unusable input or an engine error.

    \b
    Example:
      exokg validate my-additions.ttl
    """
    from exokg.validation_cli import run_validate

    sys.exit(run_validate(list(files), out, with_review=with_review))


@cli.command()
@click.option("--explain", "explain_iri", default=None, help="Explain why an individual has each inferred type.")
@reports_errors
def reason(explain_iri: str | None) -> None:
    """Run the reasoner: consistency, unsatisfiable classes, inferred triples.

    \b
    Example:
      exokg reason --explain exokg.entity:mir-105
    """
    from exokg.reasoning_cli import run_reason

    run_reason(explain_iri)


@cli.command()
@click.option("--review", "review_text", type=click.Path(path_type=Path), default=Path("../shared/review/review.txt"),
              show_default=True, help="Plain text of the review, for paragraph coverage.")  # fmt: skip
@reports_errors
def coverage(review_text: Path) -> None:
    """Claims and entities per review section and kind, and review paragraphs with no claim.

    \b
    Example:
      exokg coverage --review ../shared/review/review.txt
    """
    from exokg.coverage import coverage_report

    click.echo(coverage_report(review_text), nl=False)


@cli.group()
def links() -> None:
    """Links to external ontologies (the SSSOM mapping set)."""


@links.command("check")
@click.option("--lexicon", "lexicon", type=click.Path(path_type=Path), default=Path("../shared/lexicons"),
              show_default=True, help="Folder of reference lexicons (id, label, synonyms, obsolete).")  # fmt: skip
@reports_errors
def links_check(lexicon: Path) -> None:
    """Check every mapped identifier against reference lexicons: exists, not obsolete, label matches.

    \b
    Example:
      exokg links check --lexicon ../shared/lexicons
    """
    from exokg.links_cli import run_links_check

    sys.exit(run_links_check(lexicon))


@cli.group()
def curation() -> None:
    """The curated tables under data/."""


@curation.command("check")
@reports_errors
def curation_check() -> None:
    """Check every curated table against the ontology's vocabulary.

    \b
    Example:
      exokg curation check
    """
    from exokg.build import assemble

    graphs = assemble()
    click.echo(f"curated tables are valid: {len(graphs.review)} review triples")


@curation.command("sort")
@reports_errors
def curation_sort() -> None:
    """Rewrite the entity and claim tables in canonical column and row order.

    \b
    Example:
      exokg curation sort && git diff --stat data/
    """
    from exokg.curation import sort_tables

    changed = sort_tables()
    click.echo("\n".join(f"sorted {path}" for path in changed) or "all tables already in canonical order")


def _register_query_commands() -> None:
    from exokg.cli_query import query, sparql

    cli.add_command(query)
    cli.add_command(sparql)


_register_query_commands()


def _register_remote_commands() -> None:
    from exokg.cli_push import push

    cli.add_command(push)


_register_remote_commands()


def main() -> None:
    cli()

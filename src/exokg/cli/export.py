"""``exokg export``: a built graph in another syntax, KGX, or the mapping set as SSSOM."""

from __future__ import annotations

from pathlib import Path

import click

from exokg.cli.options import DIST_OPTION, reports_errors


@click.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld", "xml", "trig", "kgx", "sssom"]),
              default="ttl", show_default=True)  # fmt: skip
@click.option("--graph", "graph_name", type=click.Choice(["all", "ontology", "review", "mappings", "inferred"]),
              default="all", show_default=True, help="Named graph (all = the asserted graphs merged).")  # fmt: skip
@click.option("--ids", type=click.Choice(["exokg", "external"]), default=None,
              help="external: exact-match external ids (the default for kgx; exokg for the rest).")  # fmt: skip
@click.option("-o", "--output", default="-", show_default=True, help="File to write, or - for stdout.")
@DIST_OPTION
@reports_errors
def export(fmt: str, graph_name: str, ids: str | None, output: str, dist: Path) -> None:
    """Export the built graph in another RDF syntax, as KGX (TSV, JSON Lines, graph metadata), or SSSOM.

    \b
    Example:
      exokg export --format nt --graph review -o review.nt
    """
    from exokg.exports.formats import run_export

    run_export(dist=dist, fmt=fmt, graph_name=graph_name, ids=ids, output=output)

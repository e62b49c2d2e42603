"""``exokg push``: the build's named graphs into a SPARQL 1.1 store, through staging graphs."""

from __future__ import annotations

from pathlib import Path

import click

from exokg.cli.options import DIST_OPTION, reports_errors

__all__ = ["push"]


@click.command()
@click.option("--endpoint", required=True, help="SPARQL query URL of the store (Oxigraph …/query, Virtuoso …/sparql).")
@click.option("--graph-store", default=None, help="Graph Store Protocol URL (default: derived from --endpoint).")
@click.option("--update", "update_url", default=None, help="SPARQL Update URL (default: derived from --endpoint).")
@click.option(
    "--auth",
    envvar="EXOKG_ENDPOINT_AUTH",
    default=None,
    help="user:password (or set EXOKG_ENDPOINT_AUTH); sent only to the endpoint's origin, never shown.",
)
@click.option("--graph", "graphs", multiple=True, help="Push only this named graph IRI (repeatable; default: all).")
@click.option("--chunk", type=click.IntRange(min=1), default=50_000, show_default=True, help="Triples per request.")
@click.option("--dry-run", is_flag=True, help="Show the plan (graphs, counts, requests, swap) and send nothing.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@DIST_OPTION
@reports_errors
def push(endpoint: str, graph_store: str | None, update_url: str | None, auth: str | None, graphs: tuple[str, ...],
         chunk: int, dry_run: bool, quiet: bool, dist: Path) -> None:  # fmt: skip
    """Load the build's named graphs into a remote store: staging graphs, one swap, verified.

    Each graph is filled into a staging graph, read back and checked (triple count and a
    SHA-256 of canonical N-Triples), then all are moved onto the live graphs in one SPARQL
    Update request and checked again. An interrupted push leaves the live graphs as they were.

    \b
    Example:
      exokg push --endpoint http://127.0.0.1:7878/query --dry-run
    """
    import sys

    from exokg.remote import Client, Target, plan_text, read_build
    from exokg.remote import push as run_push

    target = Target.from_urls(endpoint, update=update_url, graph_store=graph_store)
    payloads = read_build(dist, graphs=graphs or None)
    if dry_run:
        click.echo(plan_text(payloads, target, chunk=chunk), nl=False)
        return
    report = run_push(payloads, target, Client(auth=auth), chunk=chunk, progress=None if quiet else sys.stderr)
    for graph in report.graphs:
        click.echo(f"{graph.iri}: {graph.triples:,} triples, sha256 {graph.checksum[:16]}… verified")
    timings = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.timings.items())
    click.echo(f"pushed {len(report.graphs)} graph(s) to {target.query} ({timings})")

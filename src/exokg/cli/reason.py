"""``exokg reason``: run HermiT over the packaged graph and report, or explain an inferred type."""

from __future__ import annotations

import click

from exokg.cli.options import reports_errors
from exokg.errors import InputError
from exokg.query.terms import iri

__all__ = ["reason", "run_reason"]


def run_reason(explain_iri: str | None) -> None:
    """Print consistency, unsatisfiable classes and inferred-triple counts; explain one individual if asked."""
    from exokg.pipeline.assemble import assemble, asserted_union
    from exokg.pipeline.explain import explain
    from exokg.pipeline.reason import reason

    union = asserted_union(assemble())
    result = reason(union)
    click.echo(f"consistent: {'yes' if result.consistent else 'no'}")
    click.echo(f"unsatisfiable classes: {len(result.unsatisfiable)}")
    for cls in result.unsatisfiable:
        click.echo(f"  {cls}")
    click.echo(f"inferred triples: {len(result.inferred)} ({result.seconds:.1f} s)")
    if explain_iri is None:
        return
    target = iri(explain_iri, expand_curie=True).value
    explanations = explain(union, result.inferred, target)
    if not explanations:
        raise InputError(f"{explain_iri} has no inferred type (is it an individual of the graph?)")
    for explanation in explanations:
        click.echo("")
        click.echo(explanation.render())


@click.command()
@click.option("--explain", "explain_iri", default=None, help="Explain why an individual has each inferred type.")
@reports_errors
def reason(explain_iri: str | None) -> None:
    """Run the reasoner: consistency, unsatisfiable classes, inferred triples.

    \b
    Example:
      exokg reason --explain exokg.entity:mir-105
    """
    run_reason(explain_iri)

"""``exokg reason``: run HermiT over the packaged graph and report, or explain an inferred type."""

from __future__ import annotations

import click

from exokg.errors import InputError
from exokg.terms import iri

__all__ = ["run_reason"]


def run_reason(explain_iri: str | None) -> None:
    """Print consistency, unsatisfiable classes and inferred-triple counts; explain one individual if asked."""
    from exokg.build import assemble, asserted_union
    from exokg.reason import explain, reason

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

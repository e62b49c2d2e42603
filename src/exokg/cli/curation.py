"""``exokg curation`` and ``exokg coverage``: tools for curators of the tables under data/."""

from __future__ import annotations

from pathlib import Path

import click

from exokg.cli.options import reports_errors


@click.group()
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
    from exokg.pipeline.assemble import assemble

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
    from exokg.curation.sort import sort_tables

    changed = sort_tables()
    click.echo("\n".join(f"sorted {path}" for path in changed) or "all tables already in canonical order")


@click.command()
@click.option("--review", "review_text", type=click.Path(path_type=Path), default=Path("../shared/review/review.txt"),
              show_default=True, help="Plain text of the review, for paragraph coverage.")  # fmt: skip
@reports_errors
def coverage(review_text: Path) -> None:
    """Claims and entities per review section and kind, and review paragraphs with no claim.

    \b
    Example:
      exokg coverage --review ../shared/review/review.txt
    """
    from exokg.curation.coverage import coverage_report

    click.echo(coverage_report(review_text), nl=False)

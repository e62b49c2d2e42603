"""``exokg mine``: propose candidate claims from a review's text."""

from __future__ import annotations

from pathlib import Path

import click

from exokg.cli.options import reports_errors

__all__ = ["mine"]


@click.command()
@click.argument("text", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("candidates.tsv"),
              show_default=True, help="Candidates table; new entities go to <out>.entities.tsv beside it.")  # fmt: skip
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=None,
              help="Keep candidates the model scores at least this high  [default: the threshold chosen "
                   "when the model was built, by cross-validated pair F1 on the curated review]")  # fmt: skip
@reports_errors
def mine(text: Path, out: Path, min_score: float | None) -> None:
    """Mine TEXT (plain or PDF-extracted text of a review) into candidate claims.

    The first columns of OUT are the claim table's; copy them into data/claims/ and
    run `exokg curation check`. Nothing is added to the graph.

    \b
    Example:
      exokg mine ../shared/review/review.txt --out candidates.tsv --min-score 0.6
    """
    from exokg.errors import InputError
    from exokg.mine import mine_text, write_candidates, write_proposed_entities

    try:
        content = text.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not valid UTF-8 text", path=text) from None
    result = mine_text(content, min_score=min_score)
    write_candidates(out, result.candidates)
    entities = out.with_suffix(".entities.tsv")
    write_proposed_entities(entities, result.proposed)
    click.echo(
        f"{len(result.candidates)} candidate claims → {out}; {len(result.proposed)} proposed entities → {entities}"
    )

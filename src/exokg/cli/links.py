"""``exokg links check``: the mapping set against reference lexicons, with a summary per target."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from exokg.cli.options import reports_errors
from exokg.errors import InputError

__all__ = ["links", "links_check", "run_links_check"]


def run_links_check(lexicon: Path) -> int:
    """Print problems and per-prefix counts; return 0 when clean, 1 when any problem remains."""
    from exokg.mappings.lexicons import check_links, subject_labels
    from exokg.mappings.sssom import read_sssom

    if not lexicon.is_dir():
        raise InputError("lexicon folder not found (give one with --lexicon)", path=lexicon)
    _, mappings = read_sssom()
    problems = check_links(mappings, lexicon, labels=subject_labels())
    per_prefix = Counter(m.object_id.partition(":")[0] for m in mappings)
    click.echo(f"mappings: {len(mappings)} to {len(per_prefix)} vocabularies")
    for prefix, count in sorted(per_prefix.items()):
        click.echo(f"  {prefix:<16} {count:>4}")
    kinds = Counter(problem.kind for problem in problems)
    click.echo("problems: " + (", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"))
    for problem in problems:
        m = problem.mapping
        click.echo(f"  {problem.kind}: {m.subject_id} {m.predicate_id} {m.object_id}: {problem.detail}")
    return 1 if problems else 0


@click.group()
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
    sys.exit(run_links_check(lexicon))

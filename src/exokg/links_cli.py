"""``exokg links check``: the mapping set against reference lexicons, with a summary per target."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from exokg.errors import InputError

__all__ = ["run_links_check"]


def run_links_check(lexicon: Path) -> int:
    """Print problems and per-prefix counts; return 0 when clean, 1 when any problem remains."""
    from exokg.lexicons import check_links, subject_labels
    from exokg.links import read_sssom

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

"""``exokg build``: the whole line into a build folder."""

from __future__ import annotations

from pathlib import Path

import click

from exokg.cli.options import reports_errors


@click.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("dist"), show_default=True)
@click.option("--no-reason", is_flag=True, help="Skip the reasoner (queries that need inference will say so).")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@reports_errors
def build(out: Path, no_reason: bool, quiet: bool) -> None:
    """Build the graph: load, populate, reason, validate, store and export into OUT.

    OUT also gets the OBO report (obo-report.tsv) and the downloads exokg-claims.tsv and exokg-cargo.tsv.

    \b
    Example:
      exokg build --out dist
    """
    from exokg.exports.tables import download_files
    from exokg.pipeline.build import run_build
    from exokg.progress import Progress

    run_build(out, reason=not no_reason, progress=Progress(quiet=quiet), downloads=download_files)

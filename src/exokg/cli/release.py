"""``exokg release``: a dated, reproducible release folder from a build."""

from __future__ import annotations

from pathlib import Path

import click

from exokg.cli.options import DIST_OPTION, reports_errors

__all__ = ["release"]


@click.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("releases"), show_default=True,
              help="Folder of releases; this one goes to OUT/DATE/.")  # fmt: skip
@click.option("--date", "day", default=None, help="Release date, YYYY-MM-DD (default: today, UTC).")
@click.option("--previous", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Release to compare with in CHANGES.md (default: the latest earlier one in OUT).")  # fmt: skip
@DIST_OPTION
@reports_errors
def release(out: Path, day: str | None, previous: Path | None, dist: Path) -> None:
    """Write a release (ontology base and full, the KG in every format, tables, SSSOM, KGX, reports, CHANGES.md).

    Run `exokg build` first; the same build and date give byte-identical files.

    \b
    Example:
      exokg build --out dist && exokg release --dist dist --date 2026-12-01
    """
    from datetime import UTC, datetime

    from exokg.exports.release import run_release

    chosen = day or datetime.now(tz=UTC).date().isoformat()
    folder = run_release(dist=dist, root=out, date=chosen, previous=previous)
    click.echo(f"wrote {folder}")

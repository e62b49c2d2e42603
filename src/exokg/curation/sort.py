"""Rewrite the curated tables in canonical order (``exokg curation sort``), so diffs stay small."""

from __future__ import annotations

from pathlib import Path

from exokg.errors import InputError
from exokg.io.atomic import write_atomic
from exokg.io.tables import read_table
from exokg.pipeline.curation import CLAIM_COLUMNS, DEPRECATION_COLUMNS, ENTITY_COLUMNS, table_files
from exokg.resources import data_dir

__all__ = ["sort_tables"]


def sort_tables(folder: Path | None = None) -> list[Path]:
    """Rewrite every entity and claim table in canonical form: canonical columns, rows sorted by id.

    Returns the tables that changed. Unknown columns are an error, never dropped.
    """
    root = folder or data_dir()
    changed = []
    for sub, columns in (("entities", ENTITY_COLUMNS), ("claims", CLAIM_COLUMNS)):
        for path in table_files(root / sub):
            rows = read_table(path, required=("id",))
            if sub == "entities":  # the deprecation columns stay only in a table whose header has them
                header = path.read_text(encoding="utf-8").split("\n", 1)[0].split("\t")
                columns = ENTITY_COLUMNS + tuple(c for c in DEPRECATION_COLUMNS if c in header)
            extra = sorted({name for row in rows for name in row.cells} - set(columns))
            if extra:
                raise InputError(f"unknown column(s) {', '.join(extra)}", path=path, line=1)
            lines = ["\t".join(columns)]
            lines += ["\t".join(row[c] for c in columns) for row in sorted(rows, key=lambda r: r["id"])]
            text = "\n".join(lines) + "\n"
            if path.read_text(encoding="utf-8") != text:
                write_atomic(path, text)
                changed.append(path)
    return changed

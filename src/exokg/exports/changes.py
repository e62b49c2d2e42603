"""``CHANGES.md`` of a release: claims and entities added, removed and changed, mappings changed, since the last one.

It compares the flat tables of two release folders (``exokg-claims.tsv``,
``exokg-entities.tsv``, ``exokg.sssom.tsv``), so a release can be compared with any
earlier one, including one edited by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["TableDiff", "changes_markdown", "diff_rows"]

_SSSOM_KEY = ("subject_id", "predicate_id", "object_id")


@dataclass(frozen=True)
class TableDiff:
    """Rows added, removed and changed (key → [(column, before, after)]) between two versions of a table."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _read(path: Path, key: tuple[str, ...]) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line and not line.startswith("#")]
    if not lines:
        return {}
    header = lines[0].split("\t")
    rows = {}
    for line in lines[1:]:
        cells = dict(zip(header, line.split("\t") + [""] * (len(header) - len(line.split("\t"))), strict=False))
        rows[" ".join(cells.get(k, "") for k in key)] = cells
    return rows


def diff_rows(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> TableDiff:
    """What changed from ``before`` to ``after`` (rows by key).

    >>> d = diff_rows({"a": {"x": "1"}, "b": {"x": "2"}}, {"a": {"x": "9"}, "c": {"x": "3"}})
    >>> d.added, d.removed, d.changed
    (('c',), ('b',), (('a', (('x', '1', '9'),)),))
    """
    changed = []
    for key in sorted(set(before) & set(after)):
        columns = sorted(set(before[key]) | set(after[key]))
        edits = tuple((c, before[key].get(c, ""), after[key].get(c, "")) for c in columns
                      if before[key].get(c, "") != after[key].get(c, ""))  # fmt: skip
        if edits:
            changed.append((key, edits))
    return TableDiff(tuple(sorted(set(after) - set(before))), tuple(sorted(set(before) - set(after))), tuple(changed))


def changes_markdown(current: Path, previous: Path | None, *, date: str, version: str) -> str:
    """The text of ``CHANGES.md`` for the release in ``current`` against the one in ``previous``."""
    tables = (("Claims", "exokg-claims.tsv", ("claim",)), ("Entities", "exokg-entities.tsv", ("id",)),
              ("Mappings", "exokg.sssom.tsv", _SSSOM_KEY))  # fmt: skip
    lines = [f"# exokg release {date}", "", f"Package version {version}."]
    if previous is None:
        lines += ["", "First release: nothing to compare with."]
        for title, name, key in tables:
            lines.append(f"- {title}: {len(_read(current / name, key))}")
        return "\n".join(lines) + "\n"
    lines += ["", f"Changes since the release of {previous.name}."]
    for title, name, key in tables:
        diff = diff_rows(_read(previous / name, key), _read(current / name, key))
        lines += ["", f"## {title}", ""]
        if diff.empty:
            lines.append("No change.")
            continue
        lines += [f"- added: {item}" for item in diff.added]
        lines += [f"- removed: {item}" for item in diff.removed]
        for item, edits in diff.changed:
            lines.append(f"- changed: {item}")
            lines += [f"  - {column}: {_quote(old)} → {_quote(new)}" for column, old, new in edits]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return f"`{text}`" if text else "(empty)"

"""Read the project's tab-separated tables with errors that name file and line.

Every table has one header line, no quoting, ``|`` between the values of a
multi-valued cell. Text is NFC-normalised as it is read, so that curated
labels compare equal however the editor composed them.

Nothing is dropped silently: a duplicated column, a column the caller does not
know (a misspelt header), CR-only line endings (one giant line to a reader that
splits on LF) and text that is not UTF-8 are errors naming the file and line.
A UTF-8 byte order mark (some spreadsheets write one) is skipped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from exokg.errors import InputError

__all__ = ["Row", "nfc", "read_table", "split_multi"]


def nfc(text: str) -> str:
    """Normalise text to Unicode NFC.

    >>> nfc("α6β4") == "α6β4"
    True
    """
    return unicodedata.normalize("NFC", text)


def split_multi(cell: str) -> list[str]:
    """Split a multi-valued cell on ``|`` and drop empty parts.

    >>> split_multi("cd9| cd63 |")
    ['cd9', 'cd63']
    """
    return [part.strip() for part in cell.split("|") if part.strip()]


class Row:
    """One data line of a table: its cells by column name, and where it came from.

    Not a dataclass: the prefix map is read with this module on the path of a cold
    ``exokg query run``, and importing dataclasses cost it 8 ms.
    """

    __slots__ = ("cells", "line", "path")

    def __init__(self, path: Path, line: int, cells: dict[str, str]) -> None:
        self.path = path
        self.line = line
        self.cells = cells

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Row):
            return NotImplemented
        return (self.path, self.line, self.cells) == (other.path, other.line, other.cells)

    __hash__ = None  # type: ignore[assignment]  # the cells are a dict

    def __repr__(self) -> str:
        return f"Row(path={self.path!r}, line={self.line!r}, cells={self.cells!r})"

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")

    def multi(self, column: str) -> list[str]:
        return split_multi(self[column])

    def error(self, message: str) -> InputError:
        return InputError(message, path=self.path, line=self.line)


def read_table(path: Path, *, required: Sequence[str] = (), columns: Sequence[str] | None = None) -> list[Row]:
    """Read a TSV table; raise :class:`InputError` naming the file and line on any defect.

    ``required`` columns must be present; with ``columns``, every header must be one of them.
    """
    return list(_iter_rows(path, required, columns))


def _iter_rows(path: Path, required: Sequence[str], columns: Sequence[str] | None) -> Iterator[Row]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 ({exc.reason})", path=path, line=bad_line) from None
    text = text.removeprefix("\ufeff")
    lone_cr = text.replace("\r\n", "\n").find("\r")
    if lone_cr >= 0:
        where = text.replace("\r\n", "\n")[:lone_cr].count("\n") + 1
        raise InputError(
            "CR-only line ending (old Mac style): save the table with LF line endings", path=path, line=where
        )
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise InputError("empty table: a header line is required", path=path, line=1)
    header = [nfc(name.strip()) for name in lines[0].rstrip("\r").split("\t")]
    _check_header(header, columns, path)
    missing = [name for name in required if name not in header]
    if missing:
        raise InputError(f"missing column(s): {', '.join(missing)}", path=path, line=1)
    for number, raw_line in enumerate(lines[1:], start=2):
        line = raw_line.rstrip("\r")
        if not line.strip():
            continue
        values = line.split("\t")
        if len(values) > len(header):
            raise InputError(
                f"{len(values)} cells but the header has {len(header)} columns (a stray tab?)",
                path=path,
                line=number,
            )
        values += [""] * (len(header) - len(values))
        yield Row(path, number, {name: nfc(value.strip()) for name, value in zip(header, values, strict=True)})


def _check_header(header: list[str], columns: Sequence[str] | None, path: Path) -> None:
    seen: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if name in seen:
            raise InputError(f"column {name!r} appears twice (columns {seen[name]} and {number})", path=path, line=1)
        seen[name] = number
    if columns is not None:
        unknown = [name for name in header if name not in columns]
        if unknown:
            raise InputError(
                f"unknown column(s) {', '.join(map(repr, unknown))}; known columns: {', '.join(columns)}",
                path=path,
                line=1,
            )

"""The one error type the CLI turns into a clear message and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "EngineError",
    "ExokgError",
    "InputError",
    "QueryRefused",
    "QuerySyntaxError",
]


class ExokgError(Exception):
    """An expected failure with a message meant for the user.

    >>> str(ExokgError("bad column", path=Path("data/x.tsv"), line=3))
    'data/x.tsv:3: bad column'
    """

    exit_code = 1

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return where + self.message


class InputError(ExokgError):
    """Input that cannot be used: missing, malformed or unknown (exit 2)."""

    exit_code = 2


class EngineError(ExokgError):
    """A library we rely on (pySHACL, HermiT, a SPARQL engine) failed (exit 2)."""

    exit_code = 2


class QueryRefused(ExokgError):
    """A query asked for something exokg does not allow (exit 2)."""

    exit_code = 2


class QuerySyntaxError(QueryRefused):
    """A query the guard's parser cannot read: refused (it cannot be checked), but the user's mistake to fix."""

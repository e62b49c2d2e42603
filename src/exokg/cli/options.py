"""Options and error handling shared by every command (defined once)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from exokg.errors import ExokgError

__all__ = ["DIST_OPTION", "reports_errors"]

F = TypeVar("F", bound=Callable[..., Any])
DIST_OPTION = click.option(
    "--dist", type=click.Path(path_type=Path), default=Path("dist"), show_default=True,
    help="Build folder written by `exokg build`.",
)  # fmt: skip


def reports_errors(func: F) -> F:
    """Turn an :class:`ExokgError` into one message on stderr and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ExokgError as exc:
            click.echo(f"exokg: error: {exc.render()}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]  # wraps() keeps the signature; mypy cannot see it

"""Options and error handling shared by every command (defined once)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from exokg.cli.run import report_output_failure
from exokg.errors import ExokgError

__all__ = ["DIST_OPTION", "reports_errors"]

F = TypeVar("F", bound=Callable[..., Any])
DIST_OPTION = click.option(
    "--dist", type=click.Path(path_type=Path), default=Path("dist"), show_default=True,
    help="Build folder written by `exokg build`.",
)  # fmt: skip


def reports_errors(func: F) -> F:
    """Turn an :class:`ExokgError` into one message on stderr and its exit code.

    Output that cannot be written (a full disk, a file size limit, a closed pipe) is
    one message and exit 2 too, not a traceback.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()  # inside the try: a full disk shows here, not at interpreter exit
            return result
        except ExokgError as exc:
            click.echo(f"exokg: error: {exc.render()}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:
            if not report_output_failure(exc):
                raise
            sys.exit(2)

    return wrapper  # type: ignore[return-value]  # wraps() keeps the signature; mypy cannot see it

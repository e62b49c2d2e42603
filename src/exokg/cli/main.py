"""The ``exokg`` entry point: the fast path for ``exokg query run`` (:mod:`exokg.cli.fast`), else click.

``cli`` (the click group, :mod:`exokg.cli.group`) is resolved on first use, so the
entry point imports no click when the fast path answers.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: a cold `exokg query run` forks before importing typing (mypy reads the name)

if TYPE_CHECKING:
    from typing import Any

    from exokg.cli.group import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Run the ``exokg`` command line with the process's arguments."""
    from exokg.cli.fast import main as run

    run()


def __getattr__(name: str) -> Any:
    if name == "cli":
        from exokg.cli.group import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

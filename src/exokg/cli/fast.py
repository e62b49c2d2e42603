"""The ``exokg`` entry point: ``exokg query run`` on the local store without loading click.

A cold ``exokg query run`` spent more CPU importing click and every command module
than answering. The common form — ``query run NAME`` with ``--param``, ``--format``,
``--dist``, ``--timeout``, ``--max-rows``, ``--max-memory`` and the default engine — is
parsed here and answered by the same function as the click command
(:func:`exokg.cli.query.answer_canned` lives click-free in :mod:`exokg.cli.run`).
Anything else (help, another engine, an endpoint, an option this parser does not
know, a value out of bounds that click would reject) goes to click, so every message and exit
code stays click's.

The command runs in a child forked at once (:func:`exokg.query.watched.run_watched`),
which keeps the query worker's timeout, memory cap and no-orphan promises; this module
imports neither typing nor pathlib, so the process that forks is as small as it can be
(the child's copy-on-write faults cost CPU for every page the two still share).
"""

from __future__ import annotations

import math
import os
import sys

from exokg.vocab import DEFAULT_MAX_MEMORY_MIB, DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_S, MAX_ROW_CAP, MAX_TIMEOUT_S

TYPE_CHECKING = False  # not typing's (see the module docstring); mypy reads the name
if TYPE_CHECKING:
    from exokg.errors import ExokgError
    from exokg.query.watched import Watch

__all__ = ["main", "parse_query_run"]

_FORMATS = ("table", "csv", "tsv", "json")


def main() -> None:
    """Run ``exokg`` with the process's arguments."""
    request = parse_query_run(sys.argv[1:])
    if request is None:
        from exokg.cli.group import cli

        cli()
        return
    from exokg.query.watched import run_watched

    timeout, max_memory = request["timeout"], request["max_memory"]
    assert isinstance(timeout, float) and isinstance(max_memory, int)
    try:
        code, out, err = run_watched(lambda watch: _answer(request, watch), timeout=timeout,
                                     max_memory=max_memory or None)  # fmt: skip
        sys.stdout.write(out)
        sys.stdout.flush()
        sys.stderr.write(err)
        sys.stderr.flush()
    except OSError as exc:
        from exokg.cli.run import report_output_failure

        if not report_output_failure(exc):
            raise
        sys.exit(2)
    except Exception as exc:  # exokg.errors is imported only here: it imports pathlib
        from exokg.errors import ExokgError

        if not isinstance(exc, ExokgError):
            raise
        sys.exit(_report(exc))
    except KeyboardInterrupt:
        sys.stderr.write("Aborted!\n")  # what click prints
        sys.exit(1)
    # Everything is written and flushed, and this process holds nothing else to release: skip
    # the interpreter's clean-up of every module (about 3 ms of CPU).
    os._exit(code)


def _answer(request: dict[str, object], watch: Watch) -> int:
    """In the watched child: answer the query, or report its error, and return the exit code."""
    from pathlib import Path

    from exokg.cli.run import answer_canned
    from exokg.errors import ExokgError

    try:
        return answer_canned(**{**request, "dist": Path(str(request["dist"]))}, watch=watch)  # type: ignore[arg-type]
    except ExokgError as exc:
        return _report(exc)


def _report(exc: ExokgError) -> int:
    sys.stderr.write(f"exokg: error: {exc.render()}\n")
    return exc.exit_code


def parse_query_run(argv: list[str]) -> dict[str, object] | None:
    """The arguments of a plain ``query run NAME …`` on the local store, or None for click to handle.

    >>> parse_query_run(["query", "run", "vesicle-types", "--format=csv"])["fmt"]
    'csv'
    >>> parse_query_run(["query", "run", "vesicle-types", "--help"]) is None
    True
    """
    if len(argv) < 3 or argv[:2] != ["query", "run"] or argv[2].startswith("-"):
        return None
    found: dict[str, object] = {
        "name": argv[2], "params": [], "fmt": "table", "dist": "dist", "timeout": DEFAULT_TIMEOUT_S,
        "max_rows": DEFAULT_ROW_CAP, "max_memory": DEFAULT_MAX_MEMORY_MIB,
    }  # fmt: skip
    words = argv[3:]
    while words:
        option, sep, value = words.pop(0).partition("=")
        if not sep:
            if not words:
                return None
            value = words.pop(0)
        if not _take(found, option, value):
            return None
    return found


def _take(found: dict[str, object], option: str, value: str) -> bool:
    try:
        if option == "--param":
            found["params"].append(value)  # type: ignore[attr-defined]
        elif option == "--format" and value in _FORMATS:
            found["fmt"] = value
        elif option == "--dist" and value:
            found["dist"] = value
        elif option == "--timeout" and math.isfinite(float(value)) and 0 < float(value) <= MAX_TIMEOUT_S:
            found["timeout"] = float(value)
        elif option == "--max-rows" and 1 <= int(value) <= MAX_ROW_CAP:
            found["max_rows"] = int(value)
        elif option == "--max-memory" and int(value) >= 0:
            found["max_memory"] = int(value)
        elif not (option == "--engine" and value == "oxigraph"):
            return False
    except ValueError:
        return False
    return True

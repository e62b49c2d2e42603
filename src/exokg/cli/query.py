"""``exokg query`` and ``exokg sparql``: canned and ad-hoc queries on the three engines.

Only pyoxigraph is imported on the default path, so a cold answer is fast.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import click

from exokg.cli.options import DIST_OPTION, reports_errors
from exokg.errors import InputError
from exokg.query.engines import Engine
from exokg.vocab import (
    DEFAULT_MAX_MEMORY_MIB,
    DEFAULT_ROW_CAP,
    DEFAULT_TIMEOUT_S,
    MAX_QUERY_BYTES,
    MAX_ROW_CAP,
    MAX_TIMEOUT_S,
)

__all__ = ["query", "sparql"]


def _timeout(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value) or not 0 < value <= MAX_TIMEOUT_S:  # nan passes every comparison: test it first
        raise click.BadParameter(f"must be a number of seconds above 0 and at most {MAX_TIMEOUT_S:g}, not {value}")
    return value


ENGINE_OPTIONS = [
    click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
                 help="Local engine (ignored with --endpoint)."),
    click.option("--endpoint", default=None, help="URL of a SPARQL 1.1 endpoint to query instead."),
    click.option("--auth", envvar="EXOKG_ENDPOINT_AUTH", default=None,
                 help="user:password for the endpoint (or set EXOKG_ENDPOINT_AUTH)."),
    click.option("--timeout", type=float, default=DEFAULT_TIMEOUT_S, show_default=True, callback=_timeout,
                 help="Seconds before a query is stopped."),
    click.option("--max-rows", type=click.IntRange(1, MAX_ROW_CAP), default=DEFAULT_ROW_CAP, show_default=True,
                 help="Row cap (answers are truncated)."),
    click.option("--max-memory", type=click.IntRange(min=0), default=DEFAULT_MAX_MEMORY_MIB, show_default=True,
                 help="MiB a local query may use before it is stopped (exit 3); 0 for no cap."),
    click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
                 show_default=True),
    DIST_OPTION,
]  # fmt: skip


F = TypeVar("F", bound=Callable[..., Any])


def engine_options(func: F) -> F:
    """Apply the shared engine options (defined once) to a command."""
    for option in reversed(ENGINE_OPTIONS):
        func = option(func)
    return func


def open_engine(
    engine: str,
    endpoint: str | None,
    auth: str | None,
    timeout: float,
    max_rows: int,
    dist: Path,
    max_memory: int = DEFAULT_MAX_MEMORY_MIB,
) -> Engine:
    from exokg.cli.run import open_engine as open_any

    opened: Engine = open_any(engine, endpoint, auth, timeout, max_rows, dist, max_memory)
    return opened


@click.group()
def query() -> None:
    """Canned queries: the review's competency questions.

    \b
    Example:
      exokg query list
      exokg query run mirnas-elevated-in-cancer --param cancer=exokg.entity:colon-cancer
    """


@query.command("list")
@reports_errors
def query_list() -> None:
    """List the canned queries with their titles.

    \b
    Example:
      exokg query list
    """
    from exokg.query.catalogue import load_catalogue

    catalogue = load_catalogue()
    width = max(len(name) for name in catalogue)
    for name, canned in catalogue.items():
        click.echo(f"{name.ljust(width)}  {canned.title}")


@query.command("show")
@click.argument("name")
@reports_errors
def query_show(name: str) -> None:
    """Print a canned query: header, parameters and SPARQL text.

    \b
    Example:
      exokg query show mirnas-elevated-in-cancer
    """
    from exokg.query.catalogue import get_query

    click.echo(get_query(name).text, nl=False)


@query.command("run")
@click.argument("name")
@click.option("--param", "params", multiple=True, help="name=value; repeat for several parameters.")
@engine_options
@reports_errors
def query_run(name: str, params: tuple[str, ...], engine: str, endpoint: str | None, auth: str | None,
              timeout: float, max_rows: int, max_memory: int, fmt: str, dist: Path) -> None:  # fmt: skip
    """Run canned query NAME; every parameter has a default (entity parameters take names too).

    \b
    Example:
      exokg query run drug-resistance-cargo --format csv
      exokg query run cancer-profile --param cancer="stomach cancer"
    """
    from exokg.cli.run import answer_canned

    answer_canned(name=name, params=list(params), fmt=fmt, dist=dist, timeout=timeout, max_rows=max_rows,
                  max_memory=max_memory, engine=engine, endpoint=endpoint, auth=auth)  # fmt: skip


@click.command()
@click.argument("file", required=False)
@click.option(
    "--prefixes", "show_prefixes", is_flag=True, help="Print the PREFIX lines that every query gets, and exit."
)
@engine_options
@reports_errors
def sparql(file: str | None, show_prefixes: bool, engine: str, endpoint: str | None, auth: str | None,
           timeout: float, max_rows: int, max_memory: int, fmt: str, dist: Path) -> None:  # fmt: skip
    """Run an ad-hoc read-only SPARQL query from FILE (or - for stdin).

    The project's prefixes (exokg:, exokg.entity:, GO:, MONDO:, ...; see --prefixes) are
    declared for you; a PREFIX in the query wins. SERVICE, LOAD, updates and FROM graphs
    other than exokg's are refused.

    \b
    Example:
      echo 'SELECT (COUNT(*) AS ?n) WHERE { ?claim a exokg:Claim }' | exokg sparql -
    """
    from exokg.prefixes import load_prefix_map, with_prefixes
    from exokg.query.results import format_answer

    if show_prefixes:
        click.echo("".join(f"PREFIX {p}: <{u}>\n" for p, u in sorted(load_prefix_map().items())), nl=False)
        return
    if file is None:
        raise InputError("give a query FILE, or - to read it from standard input")
    text = _read_query(sys.stdin.buffer, "stdin") if file == "-" else _read(Path(file))
    answer = open_engine(engine, endpoint, auth, timeout, max_rows, dist, max_memory).run(with_prefixes(text))
    click.echo(format_answer(answer, fmt), nl=False)
    if answer.truncated:
        click.echo(f"exokg: answer truncated at {max_rows} rows (use --max-rows)", err=True)


def _read(path: Path) -> str:
    try:
        with path.open("rb") as handle:  # a FIFO is fine here: `exokg sparql <(make-query)`
            return _read_query(handle, str(path))
    except OSError as exc:
        raise InputError(f"cannot read query: {exc.strerror}", path=path) from None


def _read_query(stream: BinaryIO, where: str) -> str:
    """At most MAX_QUERY_BYTES of UTF-8 text (stdin may be /dev/zero)."""
    data = stream.read(MAX_QUERY_BYTES + 1)
    if len(data) > MAX_QUERY_BYTES:
        raise InputError(f"the query is longer than {MAX_QUERY_BYTES:,} bytes", path=where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"the query is not UTF-8 text (byte {exc.start + 1})", path=where, line=line) from None

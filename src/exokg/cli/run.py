"""What ``exokg query run`` does once its arguments are parsed, without click (see :mod:`exokg.cli.fast`)."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from exokg.errors import InputError
from exokg.vocab import DEFAULT_MAX_MEMORY_MIB

TYPE_CHECKING = False  # typing stays out of a cold `exokg query run` (see exokg.cli.fast); mypy reads the name
if TYPE_CHECKING:
    from exokg.query.engines import Engine
    from exokg.query.watched import Watch

__all__ = ["OUTPUT_ERRNOS", "answer_canned", "open_engine", "parse_params", "report_output_failure"]


def answer_canned(*, name: str, params: list[str], fmt: str, dist: Path, timeout: float, max_rows: int,
                  max_memory: int = DEFAULT_MAX_MEMORY_MIB, engine: str = "oxigraph", endpoint: str | None = None,
                  auth: str | None = None, watch: Watch | None = None) -> int:  # fmt: skip
    """Answer canned query ``name``, print it in ``fmt`` and return the exit code (``watch``: see open_engine)."""
    from exokg.query.catalogue import bind_parameters, get_query
    from exokg.query.results import format_answer

    canned = get_query(name)
    if "inferred" in canned.requires and not endpoint:
        _require_inference(dist, name)
    runner = open_engine(engine, endpoint, auth, timeout, max_rows, dist, max_memory, watch=watch)

    def resolve(text: str) -> str:  # only a given parameter needs the lookup module (and difflib)
        from exokg.query.lookup import resolve

        return resolve(runner, text)

    bindings = bind_parameters(canned, parse_params(params), resolve=resolve)
    answer = runner.run(canned.text, bindings)
    sys.stdout.write(format_answer(answer, fmt))
    sys.stdout.flush()
    if answer.truncated:
        sys.stderr.write(f"exokg: answer truncated at {max_rows} rows (use --max-rows)\n")
    return 0


def open_engine(engine: str, endpoint: str | None, auth: str | None, timeout: float, max_rows: int, dist: Path,
                max_memory: int = DEFAULT_MAX_MEMORY_MIB, *, watch: Watch | None = None) -> Engine:  # fmt: skip
    """The engine a query command asked for: a remote endpoint, rdflib or (default) the Oxigraph store.

    With ``watch`` (this process is a child watched by :func:`exokg.query.watched.run_watched`),
    a local engine evaluates in this process instead of forking a worker of its own.
    """
    from exokg.query.engines import OxigraphEngine, RdflibEngine

    if endpoint:
        from exokg.query.remote import RemoteEngine

        return RemoteEngine(endpoint, auth=auth, timeout=timeout, row_cap=max_rows)
    cap = max_memory or None
    if engine == "rdflib":
        return RdflibEngine.open(dist, timeout=timeout, row_cap=max_rows, max_memory=cap, watch=watch)
    return OxigraphEngine.open(dist, timeout=timeout, row_cap=max_rows, max_memory=cap, watch=watch)


def parse_params(params: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``name=value`` pairs as a dict.

    >>> parse_params(["cancer=exokg.entity:colon-cancer"])
    {'cancer': 'exokg.entity:colon-cancer'}
    """
    given = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"--param expects name=value, got {item!r}")
        given[key.strip()] = value
    return given


def _require_inference(dist: Path, name: str) -> None:
    manifest = dist / "manifest.json"
    if not manifest.is_file():
        return
    import json

    try:
        reasoned = json.loads(manifest.read_text(encoding="utf-8")).get("reasoned", False)
    except (OSError, ValueError, AttributeError):
        raise InputError("cannot read the build's manifest: rebuild with `exokg build`", path=manifest) from None
    if not reasoned:
        raise InputError(f"query {name!r} needs the inferred graph, but {dist} was built with --no-reason")


#: Errors writing the output (a full disk, a file size limit, a closed pipe): one message, exit 2.
OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EPIPE, errno.EIO, errno.EDQUOT})


def report_output_failure(exc: OSError) -> bool:
    """Say that the output could not be written (quietly for a reader that went away); False if not such an error."""
    if exc.errno not in OUTPUT_ERRNOS:
        return False
    try:  # point stdout at /dev/null, so the interpreter's final flush does not fail a second time
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (a test runner's buffer)
        pass
    if exc.errno != errno.EPIPE:  # `| head` closing the pipe is not an error to report
        sys.stderr.write(f"exokg: error: cannot write the output: {exc.strerror}\n")
    return True

"""Run SPARQL on the three engines with typed bindings, a timeout and a row cap.

* ``OxigraphEngine`` — the embedded default, the persistent store of ``exokg build``;
* ``RdflibEngine`` — the reference implementation, over the exported TriG;
* ``RemoteEngine`` — any SPARQL 1.1 endpoint over HTTP.

All return :class:`Answer` with terms in the SPARQL JSON form, so results can be
compared across engines. Every query passes :func:`exokg.query.guard.check_query`.
Local engines evaluate in a long-lived forked worker (:mod:`exokg.query.worker`),
killed at the timeout (an embedded engine cannot be interrupted from Python
otherwise) or when it outgrows ``max_memory``, and respawned for the next query.
"""

from __future__ import annotations

import os
import re
import select
import signal
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from exokg.errors import EngineError, InputError, QueryRefused
from exokg.query.guard import CheckedQuery, check_query
from exokg.query.terms import Term, oxigraph_json, rdflib_json, sparql_literal, to_rdflib
from exokg.query.worker import QueryMemoryError, QueryTimeout, Worker, query_failure
from exokg.vocab import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT_S

TYPE_CHECKING = False  # typing stays out of a cold `exokg query run` (see exokg.cli.fast); mypy reads the name
if TYPE_CHECKING:
    from typing import Any

    import pyoxigraph

    from exokg.query.watched import Watch

__all__ = ["Answer", "Engine", "OxigraphEngine", "QueryMemoryError", "QueryTimeout", "RdflibEngine"]

Row = dict[str, dict[str, str]]
_CHECKED: dict[str, CheckedQuery] = {}  # the guard is a pure function of the text: its verdicts by text
_CHECKED_MAX = 4096


class Answer:
    """A SELECT result (``variables`` and ``rows``) or an ASK result (``boolean``).

    A plain class, not a dataclass: importing dataclasses cost a cold ``exokg query run`` 8 ms.
    """

    __slots__ = ("boolean", "rows", "truncated", "variables")

    def __init__(self, variables: list[str] | None = None, rows: list[Row] | None = None,
                 boolean: bool | None = None, truncated: bool = False) -> None:  # fmt: skip
        self.variables: list[str] = [] if variables is None else variables
        self.rows: list[Row] = [] if rows is None else rows
        self.boolean = boolean
        self.truncated = truncated

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Answer):
            return NotImplemented
        return (self.variables, self.rows, self.boolean, self.truncated) == (
            other.variables, other.rows, other.boolean, other.truncated
        )  # fmt: skip

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return (f"Answer(variables={self.variables!r}, rows={self.rows!r}, boolean={self.boolean!r}, "
                f"truncated={self.truncated!r})")  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        if self.boolean is not None:
            return {"head": {}, "boolean": self.boolean}
        return {"head": {"vars": self.variables}, "results": {"bindings": self.rows}}


class Engine:
    name = "engine"

    def __init__(
        self, *, timeout: float = DEFAULT_TIMEOUT_S, row_cap: int = DEFAULT_ROW_CAP, max_memory: int | None = None,
        watch: Watch | None = None,
    ) -> None:  # fmt: skip
        self.timeout = timeout
        self.row_cap = row_cap
        self.max_memory = max_memory  # MiB a query may add to the worker's address space, or None
        self.watch = watch  # set in a child watched by its parent (exokg.query.watched): no worker of its own
        self._worker: Worker | None = None

    def run(self, query: str, bindings: dict[str, Term] | None = None) -> Answer:
        checked = _CHECKED.get(query)
        if checked is None:  # canned queries pass the guard once per process
            checked = check_query(query)
            if len(_CHECKED) < _CHECKED_MAX:
                _CHECKED[query] = checked
        return self._run(checked, bindings or {})

    def close(self) -> None:
        """Stop the worker process, if one runs."""
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def _run(self, query: CheckedQuery, bindings: dict[str, Term]) -> Answer:
        raise NotImplementedError

    def _evaluate(self, query: str, bindings: dict[str, Term], *, union: bool = True) -> Answer:
        """Evaluate in this process; ``union=False`` lets the query's FROM / FROM NAMED choose the graphs."""
        raise NotImplementedError

    def _in_worker(self, query: CheckedQuery, bindings: dict[str, Term]) -> Answer:
        """Evaluate in the long-lived worker (forked on first use, respawned after a kill)."""
        # The worker gets the text the guard checked; the same parser reads the same text the same way there.
        request = (query.text, bindings, self.row_cap, not query.has_dataset)
        if self.watch is not None:  # this process is already a watched child: evaluate here, timed by the parent
            with self.watch:
                try:
                    return self._serve(request)
                except Exception as exc:  # reported as the worker reports what failed in it
                    refused = isinstance(exc, QueryRefused)
                    raise query_failure(type(exc).__name__, str(exc), refused, max_memory=self.max_memory) from None
        if self._worker is None or self._worker.max_memory != self.max_memory:
            self.close()
            self._worker = Worker(self._serve, max_memory=self.max_memory)
        answer: Answer = self._worker.run(request, timeout=self.timeout)
        return answer

    def _serve(self, request: tuple[str, dict[str, Term], int, bool]) -> Answer:
        """In the worker: one request, with the row cap the parent has now."""
        query, bindings, self.row_cap, union = request
        return self._evaluate(query, bindings, union=union)

    def _in_child(self, work: Callable[[], Answer]) -> Answer:
        """Run any ``work`` in a child forked for it alone (for checks on what a child may do)."""
        return run_forked(work, timeout=self.timeout)


def run_forked(work: Callable[[], Answer], *, timeout: float) -> Answer:
    """Run ``work`` in a forked child and return its answer; kill it after ``timeout`` seconds."""
    import json

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns
        os.close(read_fd)
        payload: dict[str, Any]
        try:
            payload = {"ok": _answer_dict(work())}
        except BaseException as exc:  # report every failure to the parent
            payload = {"error": type(exc).__name__, "message": str(exc), "refused": isinstance(exc, QueryRefused)}
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(json.dumps(payload).encode("utf-8"))
        os._exit(0)
    os.close(write_fd)
    return _collect(pid, read_fd, timeout)


def _collect(pid: int, read_fd: int, timeout: float) -> Answer:
    import json

    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                raise QueryTimeout(f"query stopped after the {timeout:g} s limit (use --timeout to change it)")
            ready, _, _ = select.select([read_fd], [], [], min(remaining, 0.5))
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
        os.waitpid(pid, 0)
    payload = json.loads(b"".join(chunks) or b'{"error": "EngineError", "message": "engine process died"}')
    if "ok" in payload:
        return Answer(**payload["ok"])
    if payload.get("refused"):
        raise QueryRefused(payload["message"])
    raise EngineError(f"query failed: {payload['message']}")


def capped_answer(
    solutions: Iterable[Any], variables: list[str], convert: Callable[[Any], dict[str, str] | None], cap: int
) -> Answer:
    """Read at most ``cap`` solutions into an :class:`Answer`, marking it truncated when more were there."""
    rows: list[Row] = []
    for solution in solutions:
        if len(rows) >= cap:
            return Answer(variables, rows, truncated=True)
        rows.append({v: t for v in variables if (t := convert(solution[v])) is not None})
    return Answer(variables, rows)


def _answer_dict(answer: Answer) -> dict[str, Any]:
    return {
        "variables": answer.variables,
        "rows": answer.rows,
        "boolean": answer.boolean,
        "truncated": answer.truncated,
    }


# ---- Oxigraph (embedded) -------------------------------------------------------------------------


class OxigraphEngine(Engine):
    """The embedded store written by ``exokg build`` (or any pyoxigraph store)."""

    name = "oxigraph"

    def __init__(self, store: pyoxigraph.Store, **options: Any) -> None:
        super().__init__(**options)
        self.store = store

    @classmethod
    def open(cls, dist: Path, **options: Any) -> OxigraphEngine:
        from exokg.io.store import open_store

        return cls(open_store(dist), **options)

    def _run(self, query: CheckedQuery, bindings: dict[str, Term]) -> Answer:
        return self._in_worker(query, bindings)

    def _evaluate(self, query: str, bindings: dict[str, Term], *, union: bool = True) -> Answer:
        import pyoxigraph

        # A VALUES block of typed terms, not substitutions: Oxigraph's planner sees the
        # values and starts from them (cancer-profile: 7 ms instead of 145 ms).
        text = with_values_block(query, bindings)
        try:
            # The union default graph would override FROM (rdflib honours it): only without one.
            result = self.store.query(text, use_default_graph_as_union=union)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from None
        if isinstance(result, pyoxigraph.QueryBoolean):
            return Answer(boolean=bool(result))
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise QueryRefused("only SELECT and ASK queries are supported")
        variables = [v.value for v in result.variables]
        return capped_answer(result, variables, oxigraph_json, self.row_cap)


# ---- rdflib (reference) --------------------------------------------------------------------------


class RdflibEngine(Engine):
    """rdflib's SPARQL engine over a dataset whose default graph is the union of the named graphs."""

    name = "rdflib"

    def __init__(self, dataset: Any, **options: Any) -> None:
        super().__init__(**options)
        self.dataset = dataset

    @classmethod
    def open(cls, dist: Path, **options: Any) -> RdflibEngine:
        from rdflib import Dataset

        path = dist / "exokg.trig"
        if not path.is_file():
            raise InputError("no exported TriG here: run `exokg build` first", path=path)
        dataset = Dataset(default_union=True)
        dataset.parse(path, format="trig")
        return cls(dataset, **options)

    def _run(self, query: CheckedQuery, bindings: dict[str, Term]) -> Answer:
        return self._in_worker(query, bindings)

    def _evaluate(self, query: str, bindings: dict[str, Term], *, union: bool = True) -> Answer:
        import rdflib.plugins.sparql as rdflib_sparql

        # Never let rdflib fetch FROM graphs from files or the web (the guard refuses them too).
        rdflib_sparql.SPARQL_LOAD_GRAPHS = False
        init = {k: to_rdflib(v) for k, v in bindings.items()}
        try:
            result = self.dataset.query(query, initBindings=init)
        except Exception as exc:  # rdflib raises pyparsing errors for syntax problems
            raise InputError(f"SPARQL error: {' '.join(str(exc).split())[:300]}") from None
        if result.type == "ASK":
            return Answer(boolean=bool(result.askAnswer))
        if result.type != "SELECT":
            raise QueryRefused("only SELECT and ASK queries are supported")
        variables = [str(v) for v in result.vars or []]
        return capped_answer(result, variables, rdflib_json, self.row_cap)


# ---- parameters as a VALUES block (Oxigraph and remote endpoints) --------------------------------

_WHERE_BRACE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values_block(query: str, bindings: dict[str, Term]) -> str:
    """Insert a ``VALUES`` block built from typed terms at the top of the outermost WHERE group."""
    if not bindings:
        return query
    names = sorted(bindings)
    block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
    block += " ".join(sparql_literal(bindings[n]) for n in names) + ") }\n"
    match = _WHERE_BRACE.search(_mask_comments_and_strings(query))
    if match is None:
        raise InputError("a parameterised query needs an explicit WHERE { … } for a remote endpoint")
    return query[: match.end()] + "\n  " + block + query[match.end() :]


def _mask_comments_and_strings(query: str) -> str:
    pattern = re.compile(r"#[^\n]*|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^<>\s]*>")
    return pattern.sub(lambda m: " " * len(m.group()), query)


__all__ += ["run_forked", "with_values_block"]

"""A long-lived query worker: a forked child that evaluates queries, killed and respawned at a limit.

A fork per query cost more than most queries (4 ms at start-up, up to 115 ms for a
large parent) and threw away the child's warm caches. The worker is forked once, on
the first query, and answers every later one over a pipe. The promises stay:

* **timeout** — the parent waits at most ``timeout`` seconds, then kills the worker
  (SIGKILL: an embedded engine cannot be interrupted otherwise) and raises
  :class:`QueryTimeout`; the next query forks a fresh worker;
* **memory** — with ``max_memory`` (MiB), the worker's address space may grow by at
  most that much (``RLIMIT_AS``); a query that needs more ends the worker and raises
  :class:`QueryMemoryError`;
* **no orphans** — the worker asks the kernel to kill it when its parent dies
  (``PR_SET_PDEATHSIG`` on Linux; elsewhere it stops when its request pipe closes),
  ignores Ctrl-C (the parent handles it and kills the worker), and is killed when
  the parent is interrupted while waiting or exits.

Messages are pickles between a process and its own fork, never from anyone else.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import signal
import struct
import sys
import time
import weakref
from collections.abc import Callable

from exokg.errors import EngineError, ExokgError, QueryRefused

TYPE_CHECKING = False  # typing stays out of a cold `exokg query run` (see exokg.cli.fast); mypy reads the name
if TYPE_CHECKING:
    from typing import Any


__all__ = ["QueryMemoryError", "QueryTimeout", "Worker", "cap_memory_growth", "query_failure"]

_HEADER = struct.Struct("!Q")
_PR_SET_PDEATHSIG = 1


class QueryTimeout(EngineError):
    """A query ran past its time limit (exit 3)."""

    exit_code = 3


class QueryMemoryError(EngineError):
    """A query needed more memory than its cap (exit 3, like the time limit)."""

    exit_code = 3


class Worker:
    """Evaluate ``evaluate(query, bindings)`` in a forked child that outlives one query."""

    def __init__(self, evaluate: Callable[[Any], Any], *, max_memory: int | None = None) -> None:
        self._evaluate = evaluate
        self.max_memory = max_memory  # MiB the worker's address space may grow by, or None
        self._pid: int | None = None
        self._send = self._receive = -1

    def _state(self) -> tuple[int | None, int, int]:
        return self._pid, self._send, self._receive

    def run(self, request: Any, *, timeout: float) -> Any:
        """``evaluate(request)`` in the worker; raises what it raised, :class:`QueryTimeout` or
        :class:`QueryMemoryError`."""
        import pickle  # here, not at import: a one-shot `exokg query run` never needs it

        if self._pid is None:
            self._spawn()
        try:
            _write(self._send, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
            reply = self._read_reply(timeout)
        except BaseException:  # a timeout, Ctrl-C or SIGTERM handler: never leave a worker computing
            self.stop()
            raise
        if reply is None:
            raise self._died()
        kind, payload = pickle.loads(reply)
        if kind == "ok":
            return payload
        failure = query_failure(*payload, max_memory=self.max_memory)
        if isinstance(failure, QueryMemoryError):
            self.stop()
        raise failure

    def stop(self) -> None:
        """Kill the worker (the next query forks a new one)."""
        _kill_quietly(self._state())
        self._pid, self._send, self._receive = None, -1, -1

    # ---- parent side ----

    def _read_reply(self, timeout: float) -> bytes | None:
        deadline = time.monotonic() + timeout
        header = self._read_exactly(_HEADER.size, deadline, timeout)
        if header is None:
            return None
        return self._read_exactly(_HEADER.unpack(header)[0], deadline, timeout)

    def _read_exactly(self, size: int, deadline: float, timeout: float) -> bytes | None:
        chunks, missing = [], size
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise _timeout(timeout)
            ready, _, _ = select.select([self._receive], [], [], remaining)
            if ready:
                chunk = os.read(self._receive, min(missing, 1 << 20))
                if not chunk:
                    return None  # the worker died
                chunks.append(chunk)
                missing -= len(chunk)
        return b"".join(chunks)

    def _died(self) -> EngineError:
        pid = self._pid
        self._pid = None
        status = 0
        if pid is not None:
            with contextlib.suppress(ChildProcessError):
                _, status = os.waitpid(pid, 0)
        for fd in (self._send, self._receive):
            _close(fd)
        self._send = self._receive = -1
        return _death(status, self.max_memory)

    def _spawn(self) -> None:
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        parent = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            os.close(from_parent)  # the parent's ends of both pipes, and other workers' pipes
            os.close(to_parent)
            for other in list(_LIVE):
                for fd in (other._send, other._receive):
                    _close(fd)
            _serve(to_child, from_child, self._evaluate, parent=parent, max_memory=self.max_memory)
        os.close(to_child)
        os.close(from_child)
        self._pid, self._send, self._receive = pid, from_parent, to_parent
        _LIVE.add(self)


def query_failure(name: str, message: str, refused: bool, *, max_memory: int | None) -> ExokgError:
    """The error the parent raises for an exception (its type name and text) raised by a query in a child."""
    if refused:
        return QueryRefused(message)
    if name == "MemoryError" and max_memory is not None:
        return _memory_error(max_memory)
    return EngineError(f"query failed: {message}")


def _timeout(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"query stopped after the {timeout:g} s limit (use --timeout to change it)")


def _memory_error(max_memory: int) -> QueryMemoryError:
    return QueryMemoryError(
        f"query stopped: it needed more than the {max_memory} MiB memory limit (use --max-memory to change it)"
    )


def _death(status: int, max_memory: int | None) -> EngineError:
    """The error for a child that died (``status`` from waitpid): killed at the memory cap, or a crash."""
    if max_memory is not None and os.WIFSIGNALED(status) and os.WTERMSIG(status) in (
        signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL
    ):  # fmt: skip
        return _memory_error(max_memory)
    return EngineError(f"the query engine process died (exit status {status})")


# ---- worker side ---------------------------------------------------------------------------------


def _serve(requests: int, replies: int, evaluate: Callable[[Any], Any], *, parent: int,
           max_memory: int | None) -> None:  # fmt: skip
    import pickle  # already loaded by the parent's Worker.run

    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills the worker
        _quiet_stderr()  # failures go back through the pipe; an allocation failure would print a Rust backtrace
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with(parent)
        if max_memory is not None:
            cap_memory_growth(max_memory)
        while True:
            request = _read_request(requests)
            if request is None:
                break  # the parent closed the pipe (or died)
            try:
                reply: tuple[str, Any] = ("ok", evaluate(pickle.loads(request)))
            except BaseException as exc:  # every failure goes back to the parent
                reply = ("error", (type(exc).__name__, str(exc), isinstance(exc, QueryRefused)))
            _write(replies, pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _quiet_stderr() -> None:
    import faulthandler

    faulthandler.disable()  # an allocation failure at the cap aborts: not a crash to report
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _die_with(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux), and check it has not already."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)


def cap_memory_growth(mebibytes: int) -> None:
    """Let this process's address space grow by at most ``mebibytes`` from now on.

    Relative, not absolute: a fresh process's virtual size depends on the machine
    (malloc arenas and thread stacks per core), so an absolute cap that fits one
    machine kills the process at start-up on another.
    """
    import resource

    limit = _address_space() + mebibytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    """This process's current virtual size in bytes (the cap is added to it: the fork inherits the parent's)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _read_request(fd: int) -> bytes | None:
    header = _read_blocking(fd, _HEADER.size)
    return None if header is None else _read_blocking(fd, _HEADER.unpack(header)[0])


def _read_blocking(fd: int, size: int) -> bytes | None:
    chunks, missing = [], size
    while missing:
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


# ---- clean-up ------------------------------------------------------------------------------------

_LIVE: weakref.WeakSet[Worker] = weakref.WeakSet()


def _kill_quietly(state: tuple[int | None, int, int]) -> None:
    pid, send, receive = state
    if pid is not None and pid > 0:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    for fd in (send, receive):
        _close(fd)


def _close(fd: int) -> None:
    if fd >= 0:
        with contextlib.suppress(OSError):
            os.close(fd)


@atexit.register
def _stop_all() -> None:
    for worker in list(_LIVE):
        worker.stop()

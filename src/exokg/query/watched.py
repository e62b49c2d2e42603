"""A one-shot command run whole in a forked child that its parent watches: the worker's promises, one fork.

A cold ``exokg query run`` forked the long-lived worker (:mod:`exokg.query.worker`) from a
process that had imported everything and opened the store: the fork and the child's
copy-on-write faults cost about 10 ms of CPU, a tenth of the command. Here the process
forks while it is still small, and the child does all the work (imports, the store, the
query, the formatting) and sends back its exit code and output; the parent prints them.
The promises are the worker's:

* **timeout** — each query runs inside ``with watch:``, which starts and stops the
  parent's clock; past ``timeout`` seconds the parent kills the child (SIGKILL) and raises
  :class:`~exokg.query.worker.QueryTimeout`. Imports, opening the store and formatting are
  not timed, as they are not with the worker;
* **memory** — entering the first ``with watch:`` caps the child's address space growth
  at ``max_memory`` MiB from there (the store is open by then); an allocation failure
  ends the child and the parent raises :class:`~exokg.query.worker.QueryMemoryError`;
* **no orphans** — the child asks the kernel to kill it when the parent dies, ignores
  Ctrl-C (the parent handles it and kills the child) and is killed when the parent is
  interrupted while waiting.

Nothing is printed until the child has finished, so a killed child prints nothing.
"""

from __future__ import annotations

import os
import select
import struct
import sys
import time

TYPE_CHECKING = False  # not typing's: the process that forks imports as little as it can (see exokg.cli.fast)
if TYPE_CHECKING:
    from collections.abc import Callable

# exokg.query.worker (and through it exokg.errors, pathlib, signal) is imported after the fork.

__all__ = ["Watch", "run_watched"]

_RESULT = struct.Struct("!qQQ")  # the child's exit code and the lengths of its stdout and stderr
_START, _FINISH, _PAYLOAD = b"S", b"F", b"P"
#: A marker and the child's CLOCK_MONOTONIC (shared by every process on Linux): the parent judges
#: the limit by when the query started and ended, not by when it happened to read the pipe.
_MARK = struct.Struct("!cd")


class Watch:
    """Brackets each query of a watched child: ``with watch:`` is timed by the parent and memory-capped."""

    def __init__(self, fd: int, max_memory: int | None) -> None:
        self._fd = fd
        self.max_memory = max_memory  # MiB the child's address space may grow by, or None
        self._capped = False

    def __enter__(self) -> Watch:
        if self.max_memory is not None and not self._capped:
            from exokg.query.worker import cap_memory_growth

            cap_memory_growth(self.max_memory)
            self._capped = True
        os.write(self._fd, _MARK.pack(_START, time.monotonic()))
        return self

    def __exit__(self, *exc: object) -> None:
        os.write(self._fd, _MARK.pack(_FINISH, time.monotonic()))


def run_watched(work: Callable[[Watch], int], *, timeout: float, max_memory: int | None) -> tuple[int, str, str]:
    """Run ``work`` in a forked child; its exit code and what it wrote to ``sys.stdout`` and ``sys.stderr``.

    Raises :class:`~exokg.query.worker.QueryTimeout` or
    :class:`~exokg.query.worker.QueryMemoryError` for a query past its limits, and an
    :class:`~exokg.errors.EngineError` when the child died otherwise.
    """
    receive, send = os.pipe()
    parent = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(receive)
        _run_child(work, send, parent=parent, max_memory=max_memory)
    os.close(send)
    try:
        result = _collect(receive, timeout)
    except BaseException:  # a timeout, Ctrl-C or SIGTERM handler: never leave the child computing
        from exokg.query.worker import _kill_quietly

        _kill_quietly((pid, receive, -1))
        raise
    os.close(receive)
    _, status = os.waitpid(pid, 0)
    if result is None:
        from exokg.query.worker import _death

        raise _death(status, max_memory)
    return result


def _collect(receive: int, timeout: float) -> tuple[int, str, str] | None:
    """Read the child's markers and result; None when it died first."""
    data = bytearray()
    deadline: float | None = None
    while True:
        while data[:1] in (_START, _FINISH) and len(data) >= _MARK.size:
            marker, when = _MARK.unpack_from(data)
            del data[: _MARK.size]
            if marker == _START:
                deadline = when + timeout
            elif deadline is not None and when > deadline:  # it ended past its limit, read late or not
                from exokg.query.worker import _timeout

                raise _timeout(timeout)
            else:
                deadline = None
        if data[:1] == _PAYLOAD and len(data) >= 1 + _RESULT.size:
            code, out, err = _RESULT.unpack_from(data, 1)
            body = data[1 + _RESULT.size :]
            if len(body) == out + err:
                return code, _text(body[:out]), _text(body[out:])
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            from exokg.query.worker import _timeout

            raise _timeout(timeout)
        ready, _, _ = select.select([receive], [], [], remaining)
        if ready:
            chunk = os.read(receive, 1 << 20)
            if not chunk:
                return None
            data += chunk


def _text(data: bytes | bytearray) -> str:
    return bytes(data).decode("utf-8", "surrogatepass")


def _run_child(work: Callable[[Watch], int], send: int, *, parent: int, max_memory: int | None) -> None:
    import io
    import signal

    from exokg.query.worker import _die_with, _quiet_stderr

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills the child
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with(parent)
        _quiet_stderr()  # an allocation failure at the cap would print a Rust message on fd 2
        out, err = io.StringIO(), io.StringIO()
        sys.stdout, sys.stderr = out, err
        try:
            code = work(Watch(send, max_memory))
        except SystemExit as exc:  # what the interpreter would make of it
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
            if exc.code is not None and not isinstance(exc.code, int):
                err.write(f"{exc.code}\n")
        except BaseException as exc:
            if isinstance(exc, MemoryError) and max_memory is not None:
                os.kill(os.getpid(), signal.SIGKILL)  # ended at the cap, as an allocation failure in the engine is
            import traceback

            traceback.print_exc()  # to ``err``, like an uncaught exception; exit status 1
            code = 1
        streams = [out.getvalue().encode("utf-8", "surrogatepass"), err.getvalue().encode("utf-8", "surrogatepass")]
        view = memoryview(_PAYLOAD + _RESULT.pack(code, *map(len, streams)) + b"".join(streams))
        while view:
            view = view[os.write(send, view) :]
    finally:
        os._exit(0)

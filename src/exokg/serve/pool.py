"""A bounded pool of query worker processes, driven from the event loop.

Each request takes an idle worker (waiting at most ``queue_timeout`` seconds, and
only while fewer than ``max_waiting`` requests already wait), sends one JSON
line and reads one back. A worker that passes the time limit is killed and
replaced, so a slow or failing query never holds up other requests for long.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["PoolBusy", "PoolOptions", "QueryFailed", "QueryTimedOut", "WorkerPool"]

_LINE_LIMIT = 512 * 1024 * 1024


class QueryFailed(Exception):
    """The worker answered with an error: ``kind`` is the exokg error class name."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class QueryTimedOut(Exception):
    pass


class PoolBusy(Exception):
    pass


@dataclass(frozen=True)
class PoolOptions:
    dist: Path
    size: int = 2
    timeout: float = 30.0
    row_cap: int = 10_000
    memory_mb: int = 2048
    max_waiting: int = 64
    queue_timeout: float = 10.0


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def call(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        await self.process.stdin.drain()
        line = await self.process.stdout.readline()
        if not line:
            raise QueryFailed("EngineError", "the query worker died")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()


class WorkerPool:
    """Start with :meth:`start`, stop with :meth:`close`; :meth:`call` runs one request."""

    def __init__(self, options: PoolOptions) -> None:
        self.options = options
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._waiting = 0

    async def _spawn(self) -> _Worker:
        o = self.options
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "exokg.serve.worker", str(o.dist), str(o.timeout), str(o.row_cap), str(o.memory_mb),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=_LINE_LIMIT,
        )  # fmt: skip
        worker = _Worker(process)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.options.size)))
        for worker in workers:  # the first answer proves the store opened
            answer = await asyncio.wait_for(worker.call({"op": "ping"}), timeout=60)
            if answer.get("ok") != "pong":
                raise RuntimeError(f"query worker failed to start: {answer}")
            self._idle.put_nowait(worker)

    async def close(self) -> None:
        for worker in list(self._all):
            worker.kill()
            with contextlib.suppress(Exception):
                await worker.process.wait()
        self._all.clear()

    async def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        with contextlib.suppress(Exception):
            await worker.process.wait()
        self._idle.put_nowait(await self._spawn())

    async def call(self, request: dict[str, Any], *, timeout: float | None = None) -> Any:
        """The ``ok`` part of the worker's answer; raises QueryFailed, QueryTimedOut or PoolBusy."""
        if self._waiting >= self.options.max_waiting:
            raise PoolBusy("too many queries waiting; try again shortly")
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=self.options.queue_timeout)
        except TimeoutError:
            raise PoolBusy("every query worker is busy; try again shortly") from None
        finally:
            self._waiting -= 1
        limit = timeout or self.options.timeout
        try:
            answer = await asyncio.wait_for(worker.call(request), timeout=limit)
        except TimeoutError:
            await self._replace(worker)
            raise QueryTimedOut(f"query stopped after the {limit:g} s limit") from None
        except (QueryFailed, OSError, ValueError, asyncio.CancelledError) as exc:
            await asyncio.shield(self._replace(worker))  # a dead or confused worker is never reused
            if isinstance(exc, asyncio.CancelledError):
                raise
            raise QueryFailed("EngineError", "the query worker died (memory cap?)") from None
        self._idle.put_nowait(worker)
        if "error" in answer:
            raise QueryFailed(answer["error"], answer["message"])
        return answer["ok"]

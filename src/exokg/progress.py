"""Stage progress on stderr: a live line on a terminal, plain lines otherwise, nothing when quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

__all__ = ["Bar", "Progress"]


@dataclass
class Progress:
    """Times named stages and reports them.

    >>> import io
    >>> out = io.StringIO()
    >>> p = Progress(stream=out)
    >>> with p.stage("load"):
    ...     pass
    >>> "load" in out.getvalue() and "load" in p.timings
    True
    """

    quiet: bool = False
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    timings: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of this process (and waited-for children)

    @property
    def live(self) -> bool:
        return not self.quiet and self.stream.isatty()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.live:
            self.stream.write(f"\r… {name}")
            self.stream.flush()
        start, cpu = time.perf_counter(), _cpu()
        try:
            yield
        except BaseException:
            if self.live:
                self.stream.write(f"\r✗ {name}\n")
            elif not self.quiet:
                self.stream.write(f"exokg: {name} failed after {time.perf_counter() - start:.2f} s\n")
            raise
        elapsed = time.perf_counter() - start
        self.timings[name] = elapsed
        self.cpu[name] = _cpu() - cpu
        self.note(f"{name:<10} {elapsed:7.2f} s", mark="✓")

    def note(self, text: str, *, mark: str = "·") -> None:
        if self.quiet:
            return
        if self.live:
            self.stream.write(f"\r{mark} {text}\n")
        else:
            self.stream.write(f"exokg: {text}\n")
        self.stream.flush()


class Bar:
    """Progress of a long stage with rate and ETA: a live line on a terminal, a line every ``every`` s otherwise.

    >>> import io
    >>> out = io.StringIO()
    >>> bar = Bar("validate", 40, out, unit="shape queries", every=0)
    >>> bar.advance(10)
    >>> out.getvalue().startswith("validate: 10/40 shape queries (25%), ")
    True
    """

    def __init__(self, label: str, total: int, stream: TextIO | None, *, unit: str, every: float = 5.0) -> None:
        self.label, self.total, self.stream, self.unit, self.every = label, total, stream, unit, every
        self.done = 0
        self.start = self.last = time.monotonic()

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.stream is None or (now - self.last < self.every and not self.stream.isatty()):
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-9)
        eta = (self.total - self.done) / rate if rate else float("inf")
        text = f"{self.label}: {self.done:,}/{self.total:,} {self.unit} ({self.done / max(self.total, 1):.0%}), "
        text += f"{rate:,.1f} {self.unit}/s, ETA {eta:.0f} s"
        self.stream.write(("\r" + text) if self.stream.isatty() else text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self.stream.isatty():
            self.stream.write("\n")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the reasoner's Java process counts)."""
    import os

    times = os.times()
    return times.user + times.system + times.children_user + times.children_system

"""Stage progress on stderr: a live line on a terminal, plain lines otherwise, nothing when quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

__all__ = ["Progress"]


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


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the reasoner's Java process counts)."""
    import os

    times = os.times()
    return times.user + times.system + times.children_user + times.children_system

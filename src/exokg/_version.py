"""The installed package's version, read from its metadata on first use (never at import)."""

from __future__ import annotations

from functools import cache

__all__ = ["package_version"]


@cache
def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("exokg")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0"

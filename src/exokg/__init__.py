"""exokg: a knowledge graph of cancer cell-derived exosomes.

The package only re-exports; every pipeline stage lives in its own module
(``curation`` → ``populate`` → ``reason`` → ``validate`` → ``store``/``queries`` →
``export``), and heavy libraries are imported inside the functions that use them.
``__version__`` is read from the installed metadata on first use, not at import,
to keep ``exokg query`` fast.
"""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("exokg")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0"
    raise AttributeError(f"module 'exokg' has no attribute {name!r}")

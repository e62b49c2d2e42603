"""exokg: a knowledge graph of cancer cell-derived exosomes.

The package only re-exports; every pipeline stage lives in its own module
(``curation`` → ``populate`` → ``reason`` → ``validate`` → ``store``/``queries`` →
``export``), and heavy libraries are imported inside the functions that use them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("exokg")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]

"""exokg: a knowledge graph of cancer cell-derived exosomes.

The public Python API (see the README's "Python" section)::

    import exokg
    result = exokg.build(out="dist")           # -> exokg.Build
    with exokg.open("dist") as kg:             # -> exokg.KnowledgeGraph
        kg.query("vesicle-types")              # -> exokg.Rows
        kg.sparql("SELECT ...")
        kg.entity("miR-21")                    # -> exokg.Entity
    exokg.validate(["my-claims.ttl"])          # -> ValidationReport

Names are resolved on first use, so ``import exokg`` loads nothing heavy and the
command line starts fast. The package is layered (docs/decisions/0006-layers.md):
``cli`` → ``api`` → ``exports``/``curation`` → ``pipeline`` → ``query``/``mappings``
→ ``io``/``prefixes``/``resources`` → ``vocab``/``errors``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: a cold `exokg query run` forks before importing typing (mypy reads the name)

if TYPE_CHECKING:
    from exokg.api import Build, Entity, KnowledgeGraph, Manifest, Rows, build, open, validate

__all__ = ["Build", "Entity", "KnowledgeGraph", "Manifest", "Rows", "__version__", "build", "open", "validate"]

_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> object:
    if name == "__version__":
        from exokg._version import package_version

        return package_version()
    if name in _API:
        from exokg import api

        return getattr(api, name)
    raise AttributeError(f"module 'exokg' has no attribute {name!r}")

"""Locate the packaged data files: ontology, shapes, queries, curated data, mappings.

A wheel carries them under ``exokg/_resources/``; a source checkout (editable
install or tests) finds them at the repository root. ``EXOKG_RESOURCES`` names
another folder with the same layout (a curator's working copy, or a test fixture).
Nothing is read at import.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__all__ = [
    "data_dir",
    "mappings_dir",
    "ontology_dir",
    "prefixes_file",
    "queries_dir",
    "resource_root",
    "shapes_dir",
]

_FOLDERS = ("ontology", "shapes", "queries", "data", "mappings")


def resource_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/``, ``queries/``, ``data/`` and ``mappings/``."""
    override = os.environ.get("EXOKG_RESOURCES")
    if override:
        return Path(override)
    return _installed_root()


@cache
def _installed_root() -> Path:
    """Where the installed package finds its files (looked up once: a build asks 1,201 times)."""
    packaged = Path(__file__).parent / "_resources"
    if (packaged / "ontology").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if all((checkout / name).is_dir() for name in _FOLDERS):
        return checkout
    raise FileNotFoundError(f"exokg resources not found in {packaged} or {checkout}")


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def shapes_dir() -> Path:
    return resource_root() / "shapes"


def queries_dir() -> Path:
    return resource_root() / "queries"


def data_dir() -> Path:
    return resource_root() / "data"


def mappings_dir() -> Path:
    return resource_root() / "mappings"


def prefixes_file() -> Path:
    return _prefixes_file(os.environ.get("EXOKG_RESOURCES"))


@cache
def _prefixes_file(override: str | None) -> Path:
    """Kept per resources folder: result tables ask once per cell."""
    return ontology_dir() / "prefixes.tsv"

"""Skip the reasoner when nothing it reads has changed since the last build in the same folder.

The key is a SHA-256 over the asserted graph in canonical N-Triples (TBox and ABox),
the exokg version and the owlready2 (HermiT) version, so a key is never trusted
across versions. The previous build is the cache: its ``manifest.json`` records
the key (``reasoner_input``) and the checksum of ``exokg-inferred.ttl``; the file is
reused only when both match, so a stale or edited file is never read as inferences.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from rdflib import Graph

from exokg._version import package_version

__all__ = ["INFERRED_FILE", "cached_inferences", "reasoner_key"]

INFERRED_FILE = "exokg-inferred.ttl"


def reasoner_key(asserted_ntriples: str) -> str:
    """The cache key of one reasoner input (canonical, sorted N-Triples).

    >>> len(reasoner_key("")) == 64
    True
    """
    from importlib.metadata import version

    digest = hashlib.sha256()
    for part in (f"exokg {package_version()}", f"owlready2 {version('owlready2')}", "property-values rules 1"):
        digest.update(part.encode() + b"\n")
    digest.update(asserted_ntriples.encode("utf-8"))
    return digest.hexdigest()


def cached_inferences(folder: Path, key: str) -> Graph | None:
    """The inferred graph of the build in ``folder`` when it was reasoned from the input with ``key``, else None."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        record = manifest["files"][INFERRED_FILE]
        if manifest.get("reasoner_input") != key or not manifest.get("reasoned"):
            return None
        data = (folder / INFERRED_FILE).read_bytes()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(record, dict) or hashlib.sha256(data).hexdigest() != record.get("sha256"):
        return None
    try:
        return Graph().parse(data=data, format="turtle")
    except Exception:  # a file that does not parse is no cache
        return None

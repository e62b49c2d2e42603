"""Every output file of a build is the same bytes whatever PYTHONHASHSEED is (issue 12, item 12).

Each build runs in its own process (the hash seed is fixed at interpreter start, so
one process cannot test it), with SOURCE_DATE_EPOCH set, and every file is compared:
the exports, the validation reports and the manifest (which holds their checksums).
The store is a RocksDB folder whose file layout is not reproducible; its content is
the TriG's, which is compared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXOKG = str(Path(sys.executable).with_name("exokg"))
EPOCH = "1764201600"


def build(out: Path, seed: str, *extra: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": EPOCH}
    subprocess.run([EXOKG, "build", "--quiet", "--out", str(out), *extra], env=env, check=True, timeout=900)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.mark.slow
def test_every_file_is_identical_across_three_hash_seeds(tmp_path: Path) -> None:
    builds = {seed: build(tmp_path / seed, seed, "--no-reason") for seed in ("0", "1", "2")}
    reference = builds["0"]
    assert {"exokg.trig", "exokg-ontology.owl", "manifest.json", "validation-report.json"} <= set(reference)
    for seed, files in builds.items():
        assert set(files) == set(reference), seed
        differing = [name for name in reference if files[name] != reference[name]]
        assert differing == [], f"PYTHONHASHSEED={seed} changes {differing}"
    assert json.loads(reference["manifest.json"])["build_date"] == "2025-11-27T00:00:00+00:00"


@pytest.mark.slow
def test_a_reasoned_build_matches_the_session_build(dist: Path, tmp_path: Path) -> None:
    """With the reasoner too (exokg-inferred.ttl): another seed, another process, the same bytes."""
    files = build(tmp_path / "again", "3")
    session = {p.name: p.read_bytes() for p in sorted(dist.iterdir()) if p.is_file()}
    assert set(files) == set(session) and "exokg-inferred.ttl" in files
    differing = [name for name in files if name != "manifest.json" and files[name] != session[name]]
    assert differing == []
    manifests = [json.loads(m) for m in (files["manifest.json"], session["manifest.json"])]
    for manifest in manifests:
        del manifest["build_date"]  # the session build does not set SOURCE_DATE_EPOCH
    assert manifests[0] == manifests[1]

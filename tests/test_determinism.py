"""Every output file of a build is byte-identical across builds and hash seeds (separate processes)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUILD = "import sys; from pathlib import Path; from exokg.pipeline.build import run_build; run_build(Path(sys.argv[1]))"


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.slow
def test_every_output_file_is_identical_under_three_hash_seeds(tmp_path: Path) -> None:
    builds = {}
    for seed in ("0", "1", "4242"):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1767225600"}
        subprocess.run([sys.executable, "-c", BUILD, str(out)], env=env, check=True, cwd=REPO, capture_output=True)
        builds[seed] = _digests(out)
    first = builds["0"]
    assert {"exokg.ttl", "exokg.nt", "exokg.jsonld", "exokg.trig", "exokg-ontology.owl", "manifest.json"} <= set(first)
    for seed, digests in builds.items():
        differing = sorted(name for name in first.keys() | digests.keys() if first.get(name) != digests.get(name))
        assert not differing, f"seed {seed} wrote different bytes in {differing}"

"""The wheel carries every data file and resolves them without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling", reason="hatchling (a test dependency) builds the wheel offline")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("exokg-*.whl"))


def test_wheel_carries_the_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "exokg/py.typed",
        "exokg/_resources/ontology/exokg-edit.ttl",
        "exokg/_resources/ontology/prefixes.tsv",
        "exokg/_resources/ontology/templates/classes.tsv",
        "exokg/_resources/shapes/claims.ttl",
        "exokg/_resources/queries/mirnas-elevated-in-cancer.rq",
        "exokg/_resources/queries/qc/missing-label-violation.rq",
        "exokg/_resources/data/sources.tsv",
        "exokg/_resources/mappings/exokg.sssom.tsv",
        "exokg/mine/lexicon.tsv.gz",  # the miner needs no reference lexicon at run time
        "exokg/mine/model.tsv.gz",
    ):
        assert required in names, required
    claims = [n for n in names if n.startswith("exokg/_resources/data/claims/")]
    assert len(claims) == len(list((REPO / "data" / "claims").glob("*.tsv")))


def test_unpacked_wheel_finds_its_own_resources(wheel: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(wheel).extractall(tmp_path)
    script = "from exokg.resources import resource_root; from exokg.query.catalogue import load_catalogue; " \
             "print(resource_root()); print(len(load_catalogue()))"  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "EXOKG_RESOURCES"} | {"PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True,
                          cwd=tmp_path)  # fmt: skip
    root, count = done.stdout.split()
    assert Path(root) == tmp_path / "exokg" / "_resources"
    assert int(count) >= 20

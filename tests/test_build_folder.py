"""All-or-nothing builds (issue 12, items 2 and 16): DIR is the previous build or the new one, never a mix."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from exokg.errors import InputError
from exokg.io.buildfolder import check_build_target, remove_litter, staged_folder

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_kill_at_every_disk_step_and_full_disk_leave_a_whole_build() -> None:
    """bench/kill_build.py --small: ≥ 20 kill points across every stage boundary, six file-size limits."""
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "kill_build.py"), "--small", "--max-points", "12", "--json"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(done.stdout)["small"]
    assert result["failures"] == []
    assert result["kill_points"] >= 20
    assert result["outcomes"]["A"] > 0 and result["outcomes"]["B"] > 0, "kills before and after the swap"
    assert 2 in result["fsize_exits"].values(), "a file-size limit must fail the build cleanly (exit 2)"


def test_the_store_gets_the_same_permissions_as_the_files(dist: Path) -> None:
    store_mode = stat.S_IMODE((dist / "store").stat().st_mode)
    file_mode = stat.S_IMODE((dist / "manifest.json").stat().st_mode)
    assert store_mode & 0o777 == (file_mode | 0o111) & 0o777  # 0755 beside 0644 with umask 022
    assert stat.S_IMODE(dist.stat().st_mode) == store_mode


def test_a_folder_with_other_files_is_refused_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match=r"not an exokg build folder.*notes\.txt"):
        check_build_target(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_failure_inside_leaves_the_folder_and_no_litter(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(RuntimeError), staged_folder(out) as stage:
        (stage / "manifest.json").write_text('{"new": 1}', encoding="utf-8")
        raise RuntimeError("disk full")
    assert (out / "manifest.json").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_the_next_build_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (tmp_path / ".dist.build-abc123").mkdir()
    (tmp_path / ".dist.build-abc123" / "exokg.ttl").write_text("half", encoding="utf-8")
    with staged_folder(out) as stage:
        (stage / "manifest.json").write_text("{}", encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
    assert os.listdir(out) == ["manifest.json"]


def test_a_swap_cut_between_two_renames_is_undone(tmp_path: Path) -> None:
    """Where RENAME_EXCHANGE is missing the swap takes two renames; a kill between them is repaired."""
    out = tmp_path / "dist"
    old = tmp_path / ".dist.old-xyz"
    old.mkdir()
    (old / "manifest.json").write_text("{}", encoding="utf-8")
    remove_litter(out)
    assert (out / "manifest.json").is_file() and not old.exists()


def test_a_symlinked_folder_is_followed_and_the_link_kept(tmp_path: Path) -> None:
    real = tmp_path / "builds" / "v1"
    real.mkdir(parents=True)
    (real / "manifest.json").write_text("{}", encoding="utf-8")
    link = tmp_path / "dist"
    link.symlink_to(real)
    with staged_folder(link) as stage:
        (stage / "manifest.json").write_text('{"new": 1}', encoding="utf-8")
    assert link.is_symlink() and (link / "manifest.json").read_text(encoding="utf-8") == '{"new": 1}'
    assert sorted(p.name for p in real.parent.iterdir()) == ["v1"]

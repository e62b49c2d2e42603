"""Atomic writes refuse targets that are not writable regular files (issue 12, item 3)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from exokg.cli.main import cli
from exokg.errors import InputError
from exokg.io.atomic import write_atomic


def test_a_fifo_is_refused_and_kept(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        write_atomic(fifo, "x")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_symlink_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.ttl"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    with pytest.raises(InputError, match="symbolic link"):
        write_atomic(link, "x")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="a folder"):
        write_atomic(tmp_path, "x")


def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "frozen.ttl"
    path.write_text("keep", encoding="utf-8")
    path.chmod(0o444)
    with pytest.raises(InputError, match="read-only"):
        write_atomic(path, "x")
    assert path.read_text(encoding="utf-8") == "keep"


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "private.ttl"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o600)
    write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("fmt", ["ttl", "sssom", "kgx"])
def test_export_refuses_a_fifo_before_any_work(tmp_path: Path, fmt: str) -> None:
    fifo = tmp_path / ("pipe_nodes.tsv" if fmt == "kgx" else "pipe")
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["export", "--format", fmt, "--dist", str(tmp_path / "nowhere"),
                                      "-o", str(tmp_path / "pipe")])  # fmt: skip
    assert result.exit_code == 2
    assert "not a regular file" in result.output and "pipe" in result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)

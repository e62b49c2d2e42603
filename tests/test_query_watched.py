"""The watched one-shot child of a cold ``exokg query run``: the worker's timeout, memory and output promises."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exokg.errors import EngineError
from exokg.query.watched import Watch, run_watched
from exokg.query.worker import QueryMemoryError, QueryTimeout

REPO = Path(__file__).resolve().parents[1]


def test_the_child_output_and_exit_code_come_back() -> None:
    def work(watch: Watch) -> int:
        with watch:
            print("answer é")
        sys.stderr.write("a warning\n")
        return 4

    assert run_watched(work, timeout=10, max_memory=None) == (4, "answer é\n", "a warning\n")


def test_an_uncaught_exception_is_a_traceback_and_exit_1() -> None:
    def work(watch: Watch) -> int:
        raise ValueError("broken")

    code, out, err = run_watched(work, timeout=10, max_memory=None)
    assert (code, out) == (1, "")
    assert "Traceback" in err and "ValueError: broken" in err


def test_only_the_watched_block_is_timed() -> None:
    def work(watch: Watch) -> int:
        time.sleep(0.5)  # start-up work outside the block: not timed
        with watch:
            pass
        return 0

    assert run_watched(work, timeout=0.2, max_memory=None)[0] == 0


def test_a_query_past_the_timeout_is_stopped_and_prints_nothing() -> None:
    def work(watch: Watch) -> int:
        print("never shown")
        with watch:
            time.sleep(30)
        return 0

    start = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"after the 0.3 s limit \(use --timeout"):
        run_watched(work, timeout=0.3, max_memory=None)
    assert time.monotonic() - start < 10


def test_a_python_allocation_past_the_cap_is_a_memory_error() -> None:
    def work(watch: Watch) -> int:
        with watch:
            bytearray(1 << 30)
        return 0

    with pytest.raises(QueryMemoryError, match=r"more than the 100 MiB memory limit"):
        run_watched(work, timeout=30, max_memory=100)


def test_an_abort_at_the_cap_is_a_memory_error() -> None:
    """What an embedded engine does when an allocation fails: abort."""

    def work(watch: Watch) -> int:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file
        with watch:
            os.abort()
        return 0

    with pytest.raises(QueryMemoryError):
        run_watched(work, timeout=30, max_memory=100)


def test_a_crash_without_a_cap_is_an_engine_error() -> None:
    def work(watch: Watch) -> int:
        os._exit(7)

    with pytest.raises(EngineError, match="process died"):
        run_watched(work, timeout=30, max_memory=None)


def test_the_cli_fast_path_keeps_the_timeout(dist: Path) -> None:
    command = [sys.executable, "-m", "exokg", "query", "run", "vesicle-types", "--dist", str(dist), "--timeout", "1e-9"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == "exokg: error: query stopped after the 1e-09 s limit (use --timeout to change it)\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", ["SIGKILL", "Ctrl-C"])
def test_the_child_dies_with_the_command(how: str) -> None:
    script = (
        "import time\nfrom exokg.query.watched import run_watched\n"
        "def work(watch):\n    with watch:\n        time.sleep(600)\n    return 0\n"
        "run_watched(work, timeout=600, max_memory=None)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, start_new_session=True)
    try:
        child = _wait_for_child(process.pid)
        os.killpg(process.pid, signal.SIGKILL if how == "SIGKILL" else signal.SIGINT)
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child), f"the child {child} outlived the command ({how})"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait_for_child(pid: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and _alive(int(entry.name)):
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    return int(entry.name)
        time.sleep(0.05)
    raise AssertionError("no child started")


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_query_that_ended_past_its_limit_times_out_even_when_read_late() -> None:
    """The parent may read START and FINISH together (a busy machine): the child's clock decides."""
    from exokg.query import watched

    receive, send = os.pipe()
    started = time.monotonic()
    os.write(send, watched._MARK.pack(watched._START, started) + watched._MARK.pack(watched._FINISH, started + 2.0))
    os.write(send, watched._PAYLOAD + watched._RESULT.pack(0, 2, 0) + b"ok")
    os.close(send)
    try:
        with pytest.raises(QueryTimeout):
            watched._collect(receive, 1.0)
    finally:
        os.close(receive)


def test_a_query_that_ended_within_its_limit_is_answered_when_read_late() -> None:
    from exokg.query import watched

    receive, send = os.pipe()
    started = time.monotonic() - 10.0  # read long after it ran
    os.write(send, watched._MARK.pack(watched._START, started) + watched._MARK.pack(watched._FINISH, started + 0.5))
    os.write(send, watched._PAYLOAD + watched._RESULT.pack(0, 2, 0) + b"ok")
    os.close(send)
    try:
        assert watched._collect(receive, 1.0) == (0, "ok", "")
    finally:
        os.close(receive)

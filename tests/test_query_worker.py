"""The query worker: reused across queries, capped in memory, and never outliving the command that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exokg.query.engines import OxigraphEngine, QueryMemoryError

REPO = Path(__file__).resolve().parents[1]
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs for hours in little memory
GREEDY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c"  # sorts 10^8 rows: gigabytes


def children(pid: int) -> list[int]:
    """Live (non-zombie) processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def start_sparql(dist: Path, query: str, *extra: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "exokg", "sparql", "-", "--dist", str(dist), *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=REPO,
    )  # fmt: skip
    assert process.stdin is not None
    process.stdin.write(query.encode())
    process.stdin.close()
    return process


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")


def test_one_worker_answers_query_after_query(dist: Path) -> None:
    engine = OxigraphEngine.open(dist)
    try:
        engine.run("ASK {}")
        assert engine._worker is not None
        first = engine._worker._pid
        engine.row_cap = 3
        answer = engine.run("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10")
        assert (len(answer.rows), answer.truncated) == (3, True), "the worker must use the row cap set since"
        assert engine._worker._pid == first
    finally:
        engine.close()
    assert first is not None and not alive(first), "close() must stop the worker"


def test_a_query_over_its_memory_cap_is_stopped_and_the_next_one_answers(dist: Path) -> None:
    engine = OxigraphEngine.open(dist, timeout=120, max_memory=200)
    try:
        with pytest.raises(QueryMemoryError, match=r"more than the 200 MiB memory limit \(use --max-memory"):
            engine.run(GREEDY)
        assert engine.run("ASK { ?s ?p ?o }").boolean is True
    finally:
        engine.close()


def test_the_cli_reports_the_memory_cap_with_exit_3(dist: Path) -> None:
    command = [sys.executable, "-m", "exokg", "sparql", "-", "--dist", str(dist), "--max-memory", "200"]
    done = subprocess.run([*command, "--timeout", "120"], input=GREEDY.encode(), capture_output=True, cwd=REPO,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 3
    assert done.stderr.decode().strip() == (
        "exokg: error: query stopped: it needed more than the 200 MiB memory limit (use --max-memory to change it)"
    )


@needs_proc
@pytest.mark.parametrize("how", ["SIGTERM", "first Ctrl-C"])
def test_the_engine_process_dies_with_the_command(dist: Path, how: str) -> None:
    process = start_sparql(dist, FOREVER, "--timeout", "600")
    try:
        assert wait_for(lambda: children(process.pid), 30), "no engine process started"
        (worker,) = children(process.pid)
        time.sleep(0.3)  # let it get into the query
        if how == "SIGTERM":
            process.send_signal(signal.SIGTERM)
        else:
            os.killpg(process.pid, signal.SIGINT)  # what a terminal sends to the foreground group
        process.wait(timeout=10)
        assert wait_for(lambda: not alive(worker), 10), f"the engine process {worker} outlived the command ({how})"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

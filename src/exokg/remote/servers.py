"""Throwaway SPARQL servers on loopback for tests, benchmarks and CI: ``oxigraph serve`` and Virtuoso.

Each runs from a fresh folder, listens on 127.0.0.1 only and is stopped (and its folder
removed) on exit. Virtuoso gets a minimal ini and anonymous write access, which is safe
only because it listens on loopback and lives for one run.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from exokg.remote.deps import EngineError

__all__ = ["Server", "free_port", "oxigraph_server", "virtuoso_ini", "virtuoso_server", "wait_until_up"]


@dataclass(frozen=True)
class Server:
    name: str
    endpoint: str  # the SPARQL query URL; update and graph store URLs follow from it (remote.Target)
    pid: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(endpoint: str, process: subprocess.Popen[bytes] | None = None, *, timeout: float = 60) -> None:
    """Poll ``endpoint`` with ``ASK {}`` until it answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            said = process.stderr.read().decode(errors="replace").strip() if process.stderr else ""
            raise EngineError(f"the server exited with status {process.returncode} before answering: {said[-2000:]}")
        try:
            with urllib.request.urlopen(f"{endpoint}?query=ASK%7B%7D", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise EngineError(f"{endpoint} did not answer within {timeout:g} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def oxigraph_server(oxigraph: str, *, folder: Path | None = None) -> Iterator[Server]:
    """``oxigraph serve`` with the default graph as the union of the named graphs."""
    with tempfile.TemporaryDirectory(prefix="exokg-oxigraph-") as scratch:
        location = folder or Path(scratch)
        port = free_port()
        command = [oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                   "--union-default-graph"]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            endpoint = f"http://127.0.0.1:{port}/query"
            wait_until_up(endpoint, process)
            yield Server("oxigraph-server", endpoint, process.pid)
        finally:
            _stop(process)


def virtuoso_ini(folder: Path, *, sql_port: int, http_port: int, buffers: int = 170_000) -> str:
    """A minimal virtuoso.ini: database files in ``folder``, both ports on 127.0.0.1."""
    db = folder / "db"
    return f"""[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {buffers * 3 // 4}
ServerThreads = 10
DirsAllowed = {folder}
MaxQueryMem = 2G
VADInstallDir = {folder}/vad

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 8
ServerThreads = 8

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
"""


@contextmanager
def virtuoso_server(virtuoso: str = "virtuoso-t", isql: str = "isql-vt") -> Iterator[Server]:
    """Debian's Virtuoso (``virtuoso-t``) from a fresh database, with anonymous SPARQL update allowed."""
    for program in (virtuoso, isql):
        if shutil.which(program) is None:
            raise EngineError(f"{program} not found: install Debian's virtuoso-opensource-7-bin")
    with tempfile.TemporaryDirectory(prefix="exokg-virtuoso-") as scratch:
        folder = Path(scratch)
        (folder / "db").mkdir()
        sql_port, http_port = free_port(), free_port()
        (folder / "virtuoso.ini").write_text(virtuoso_ini(folder, sql_port=sql_port, http_port=http_port))
        process = subprocess.Popen([virtuoso, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                                   cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            endpoint = f"http://127.0.0.1:{http_port}/sparql"
            wait_until_up(endpoint, process, timeout=120)
            grant = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
            subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={grant}"], check=True,
                           capture_output=True, timeout=60)  # fmt: skip
            yield Server("virtuoso", endpoint, process.pid)
        finally:
            _stop(process)

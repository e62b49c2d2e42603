"""Reading a curator's RDF files refuses what would hang, fetch or crash (issue 12, items 9, 14 and 15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from exokg.errors import InputError
from exokg.io.rdf import parse_file

EXOKG = str(Path(sys.executable).with_name("exokg"))


def test_validate_refuses_a_fifo_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "additions.ttl"
    os.mkfifo(fifo)
    done = subprocess.run([EXOKG, "validate", str(fifo)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "additions.ttl" in done.stderr and "not a regular file" in done.stderr


def test_a_symlink_to_a_non_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.ttl"
    link.symlink_to(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        parse_file(Graph(), link)


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    real = tmp_path / "real.ttl"
    real.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    assert len(parse_file(Graph(), link)) == 1


def _jsonld(tmp_path: Path, context: object) -> Path:
    path = tmp_path / "additions.jsonld"
    document = {"@context": context, "@id": "http://example.org/a", "http://example.org/b": "c"}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_remote_jsonld_context_is_refused_and_never_fetched(
    tmp_path: Path, loopback_server: tuple[str, list[str]]
) -> None:
    base, requests = loopback_server
    for context in (f"{base}/context.jsonld", [{"ex": "http://example.org/"}, f"{base}/second.jsonld"]):
        with pytest.raises(InputError, match="never fetches"):
            parse_file(Graph(), _jsonld(tmp_path, context))
    assert requests == []


def test_file_and_imported_contexts_are_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jsonld"
    secret.write_text('{"@context": {"ex": "http://example.org/"}}', encoding="utf-8")
    opened: list[str] = []
    listening = [True]

    def audit(event: str, args: tuple[object, ...]) -> None:
        if listening[0] and event == "open" and str(args[0]).endswith("secret.jsonld"):
            opened.append(str(args[0]))

    sys.addaudithook(audit)  # hooks cannot be removed: this one goes quiet after the test
    try:
        for context in (secret.as_uri(), "secret.jsonld", {"@import": secret.as_uri()}, {"ex": {"@context": "x"}}):
            with pytest.raises(InputError, match="names a document"):
                parse_file(Graph(), _jsonld(tmp_path, context))
    finally:
        listening[0] = False
    assert opened == []


def test_an_inline_context_still_works(tmp_path: Path) -> None:
    path = _jsonld(tmp_path, {"ex": "http://example.org/"})
    assert len(parse_file(Graph(), path)) == 1


def test_a_lone_surrogate_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "additions.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:b "x\\uD800y" .\n', encoding="utf-8")
    with pytest.raises(InputError, match="lone surrogate") as caught:
        parse_file(Graph(), path)
    assert caught.value.path == path and caught.value.line == 3

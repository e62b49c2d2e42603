"""How quickly exokg refuses hostile input: wall time of each refusal, median of N runs.

Usage: python bench/refusals.py [--runs 5]
The tests check that each input is refused; this measures how fast (a wall-time
assertion in a test fails on a loaded machine, so timing lives here).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from exokg.errors import InputError
from exokg.pipeline.validate import validate_files


def billion_laughs(folder: Path) -> Callable[[], None]:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">' for previous, name in zip("abcde", "bcdef", strict=True)
    )
    path = folder / "laughs.rdf"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [{entities}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="https://w3id.org/exokg/entity/x"><rdf:value>&f;</rdf:value>'
        "</rdf:Description></rdf:RDF>",
        encoding="utf-8",
    )
    return lambda: validate_files([path])


def remote_context(folder: Path) -> Callable[[], None]:
    path = folder / "remote.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/c", "@id": "http://example.org/a"}', encoding="utf-8")
    return lambda: validate_files([path])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for label, make in (
            ("billion laughs (RDF/XML DOCTYPE)", billion_laughs),
            ("remote JSON-LD context", remote_context),
        ):
            refuse = make(folder)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                try:
                    refuse()
                except InputError:
                    times.append(time.perf_counter() - start)
                else:
                    raise SystemExit(f"{label}: not refused")
            print(f"{label:<36} median {statistics.median(times) * 1000:8.1f} ms   max {max(times) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()

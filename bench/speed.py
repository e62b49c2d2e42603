"""The two ratios of issue 13 that take a long run, in one: cold CLI CPU and compiled SHACL at 10^6 triples.

Usage: python bench/speed.py [--dist DIST] [--cold 21] [--triples 1000000]

* a cold ``exokg query run vesicle-types`` against ``python -c "import pyoxigraph"``, CPU time,
  median of ``--cold`` alternate runs, with and without Python's bytecode cache (goal <= 4x);
* SHACL compiled to SPARQL on Oxigraph against pySHACL on a replicated review graph of
  ``--triples`` triples, CPU and wall time (goal >= 10x), and whether the results agree.

Both come from bench/queries.py and bench/shacl.py, which print more.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from queries import REPO, print_cold_ratio
from shacl import compare

from exokg.pipeline.build import existing_or_fresh_build


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist")
    parser.add_argument("--cold", type=int, default=21, help="cold CLI runs of each command")
    parser.add_argument("--triples", type=int, default=1_000_000)
    args = parser.parse_args()
    with existing_or_fresh_build(args.dist) as dist:
        print_cold_ratio(dist, args.cold)
    return 0 if compare(args.triples) else 1


if __name__ == "__main__":
    sys.exit(main())

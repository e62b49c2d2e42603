"""Run ``kgx validate`` with no network, on the Biolink Model that the ``biolink-model`` package ships.

Run it with the Python of the KGX tool environment (``.venv-tools/kgx``, made by
``make conformance-tools``), not exokg's own::

    .venv-tools/kgx/bin/python scripts/kgx_validate_offline.py dist/kgx/exokg_nodes.tsv dist/kgx/exokg_edges.tsv \
        --graph-metadata dist/kgx/exokg_graph.json --report report.json

How KGX 2.7 would reach the network, and what this script does instead:

- the model: ``bmt.Toolkit()`` defaults to biolink-model.yaml and predicate_mapping.yaml on GitHub, and
  ``kgx.utils.kgx_utils`` builds one at import time. Here, before kgx is imported, ``Toolkit.__init__``
  is replaced by one that reads the packaged ``biolink_model/schema/biolink_model.yaml`` (and no predicate
  map: validation does not use it); ``_default_toolkit`` is then that Toolkit, which
  ``Validator.set_biolink_model(None)`` takes.
- the prefixes: ``kgx.config.get_jsonld_context("biolink")`` downloads a Biolink 2.2.5 ``context.jsonld``.
  Here the cache it reads first (``jsonld_context_map``) is filled from the packaged prefix map
  (``biolink_model/prefixmaps/biolink-model-prefix-map.json``) plus the prefixes the graph metadata
  declares in its ``curie_map`` (``exokg.entity`` for nodes that have no external id).
- any other attempt (a socket connect or DNS lookup) raises, so a hidden download fails loudly.

Exit 0 when KGX reports no ERROR, 1 otherwise; the counts by level and error type go to stdout.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from importlib import resources
from pathlib import Path


def _no_network(*args: object, **kwargs: object) -> None:
    raise OSError(f"network access attempted during offline KGX validation: {args[:2]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="KGX node and edge files")
    parser.add_argument("--format", default="tsv", choices=["tsv", "jsonl"])
    parser.add_argument("--graph-metadata", type=Path, help="graph metadata JSON whose curie_map declares prefixes")
    parser.add_argument("--report", type=Path, help="where to write the errors KGX found, as JSON")
    args = parser.parse_args(argv)

    socket.socket.connect = _no_network  # type: ignore[method-assign]
    socket.getaddrinfo = _no_network  # type: ignore[assignment]

    import biolink_model
    import bmt.toolkit
    from linkml_runtime.utils.schemaview import SchemaView

    package = resources.files(biolink_model)
    schema = str(package / "schema" / "biolink_model.yaml")

    def offline_init(self: bmt.toolkit.Toolkit, schema_arg: object = schema, predicate_map: object = None) -> None:
        # bmt's defaults are GitHub URLs, and kgx.utils.kgx_utils builds a Toolkit() at import time
        remote = isinstance(schema_arg, str) and schema_arg.startswith("http")
        self.view = SchemaView(schema if remote else schema_arg)
        self.pmap = {}  # predicate_mapping.yaml is not packaged; validation does not read it

    bmt.toolkit.Toolkit.__init__ = offline_init  # type: ignore[method-assign]

    import kgx.config
    import kgx.utils.kgx_utils as kgx_utils
    from kgx.cli.cli_utils import validate

    toolkit = bmt.toolkit.Toolkit()
    kgx_utils._default_toolkit = toolkit
    context: dict[str, object] = json.loads((package / "prefixmaps" / "biolink-model-prefix-map.json").read_text())
    if args.graph_metadata:
        declared = json.loads(args.graph_metadata.read_text(encoding="utf-8")).get("curie_map", {})
        context.update({prefix: uri for prefix, uri in declared.items() if prefix not in context})
    kgx.config.jsonld_context_map["biolink"] = context

    errors = validate([str(f) for f in args.files], args.format, None, None, None)  # None: KGX prints its report
    if args.report:  # KGX 2.7 leaves a report file it opened itself empty: write the returned errors instead
        found = {level: {str(kind): {m: sorted(set(e)) for m, e in msgs.items()} for kind, msgs in by.items()}
                 for level, by in errors.items()}  # fmt: skip
        args.report.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"kgx {kgx.__version__ if hasattr(kgx, '__version__') else ''} on Biolink {toolkit.get_model_version()}")
    total = 0
    for level, by_type in sorted(errors.items()):
        for error_type, messages in sorted(by_type.items()):
            count = sum(len(entities) for entities in messages.values())
            print(f"{level}\t{error_type}\t{count}")
            for message in sorted(messages)[:5]:
                print(f"  {message}")
            total += count if level == "ERROR" else 0
    print(f"ERROR total: {total}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())

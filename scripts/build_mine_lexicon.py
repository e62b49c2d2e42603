"""Build the miner's compact lexicon from the reference lexicons (../shared/lexicons).

The miner must not need the reference lexicons at run time, so this script copies
the few names it uses into ``src/exokg/mine/lexicon.tsv.gz``:

* every external identifier the mapping set uses (names become synonyms of the
  mapped exokg entity);
* every human mature miRNA of miRBase, and every approved protein-coding HGNC symbol
  with its approved name (so an unknown but well-formed name can be proposed as a
  new entity with its identifier).

Usage: python scripts/build_mine_lexicon.py [--lexicons ../shared/lexicons]
The output is deterministic (sorted rows, gzip without a timestamp).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "exokg" / "mine" / "lexicon.tsv.gz"
csv.field_size_limit(sys.maxsize)

#: prefix → (file, licence as stated by the source, release as stated in SOURCES.md)
SOURCES: dict[str, tuple[str, str, str]] = {
    "GO": ("go.tsv", "CC BY 4.0", "GO 2024-02"),
    "CHEBI": ("chebi.tsv", "CC BY 4.0", "ChEBI lite 2026-05-01"),
    "MONDO": ("mondo.tsv", "CC BY 4.0", "MONDO 2026-05-05"),
    "DOID": ("doid.tsv", "CC0 1.0", "Disease Ontology 2026-07-31"),
    "NCIT": ("ncit_mondo_subset.tsv", "CC BY 4.0", "NCIT subset cross-referenced by MONDO 2026-08-04"),
    "UBERON": ("uberon.tsv", "CC BY 3.0", "UBERON 2026-04-01"),
    "CL": ("cl.tsv", "CC BY 4.0", "Cell Ontology 2026-03-26"),
    "NCBITaxon": ("ncbitaxon_subset.tsv", "CC0 1.0", "NCBITaxon 2026-05-13 (subset)"),
    "HGNC": ("hgnc.tsv", "CC0 1.0", "HGNC 2024-02-04"),
    "mirbase": ("mirbase.tsv", "freely available (miRBase states no licence terms)", "miRBase 22.1"),
    "mirbase.mature": ("mirbase.tsv", "freely available (miRBase states no licence terms)", "miRBase 22.1"),
}
HEADER = ("curie", "kind", "label", "names")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def mapped_curies() -> set[str]:
    curies = set()
    for line in (ROOT / "mappings" / "exokg.sssom.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "subject_id")):
            continue
        cells = line.split("\t")
        if len(cells) > 3 and cells[0].startswith("exokg.entity:"):
            curies.add(cells[3])
    return curies


def clean(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = " ".join(name.replace("|", " ").split())
        if name and name not in out:
            out.append(name)
    return out


def build(lexicons: Path) -> list[tuple[str, str, str, str]]:
    wanted = mapped_curies()
    rows: dict[str, tuple[str, str, str, str]] = {}
    files: dict[str, list[str]] = {}
    for prefix, (filename, _, _) in SOURCES.items():
        files.setdefault(filename, []).append(prefix)
    for filename, prefixes in sorted(files.items()):
        for row in read_rows(lexicons / filename):
            raw = row["id"]
            if filename == "mirbase.tsv":
                curie = ("mirbase.mature:" if row.get("type") == "mature" else "mirbase:") + raw
            elif filename == "hgnc.tsv":
                curie = raw
            else:
                curie = raw
            prefix = curie.split(":", 1)[0]
            if prefix not in prefixes or row.get("obsolete") == "true":
                continue
            label = row["label"]
            if curie in wanted:
                names = clean([label, *row.get("synonyms", "").split("|"), row.get("name", "")])
                rows[curie] = (curie, "mapped", label, "|".join(names[1:]))
            elif prefix == "mirbase.mature" and row.get("taxon") == "NCBITaxon:9606":
                rows[curie] = (curie, "mirna", label, "|".join(clean(row.get("synonyms", "").split("|"))))
            elif prefix == "HGNC" and row.get("locus_type") == "gene with protein product":
                rows[curie] = (curie, "gene", label, "|".join(clean([row.get("name", "")])))
    return sorted(rows.values())


def write(rows: list[tuple[str, str, str, str]], out: Path) -> None:
    text = io.StringIO()
    text.write("# exokg mine lexicon, built by scripts/build_mine_lexicon.py from the reference lexicons.\n")
    for prefix, (filename, licence, release) in sorted(SOURCES.items()):
        text.write(f"# {prefix}: {release} ({filename}); licence: {licence}\n")
    text.write("\t".join(HEADER) + "\n")
    for row in rows:
        text.write("\t".join(row) + "\n")
    with out.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
        handle.write(text.getvalue().encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    beside = [root / "shared" / "lexicons" for root in (ROOT.parent, ROOT.parents[1])]
    parser.add_argument("--lexicons", type=Path, default=next((p for p in beside if p.is_dir()), beside[0]))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = build(args.lexicons)
    write(rows, args.out)
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row[1]] = kinds.get(row[1], 0) + 1
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes): {kinds}")


if __name__ == "__main__":
    main()

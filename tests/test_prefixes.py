import pytest

from exokg.errors import InputError
from exokg.prefixes import compress, expand, load_prefix_map

EXTRACELLULAR_EXOSOME = "GO:0070062"


def test_prefix_map_is_bijective_and_has_the_standard_prefixes() -> None:
    mapping = load_prefix_map()
    assert len(set(mapping.values())) == len(mapping)
    for prefix in ("GO", "CHEBI", "MONDO", "UBERON", "CL", "HGNC", "NCBIGene", "mirbase", "mirbase.mature",
                   "NCBITaxon", "ECO", "RO", "pmid", "doi"):  # fmt: skip
        assert prefix in mapping


def test_obo_purls_and_identifiers_org() -> None:
    assert expand(EXTRACELLULAR_EXOSOME) == "http://purl.obolibrary.org/obo/GO_0070062"
    assert expand("HGNC:3236") == "https://identifiers.org/hgnc:3236"
    assert expand("mirbase.mature:MIMAT0000076") == "https://identifiers.org/mirbase.mature:MIMAT0000076"


def test_round_trip() -> None:
    for curie in (EXTRACELLULAR_EXOSOME, "CL:0000057", "mirbase:MI0000077", "exokg.entity:mir-21"):
        assert compress(expand(curie)) == curie


def test_unknown_prefix_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="unknown prefix 'FOO'"):
        expand("FOO:1")


def test_duplicate_uri_prefix_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.tsv"
    path.write_text("prefix\turi_prefix\nA\thttp://x/\nB\thttp://x/\n", encoding="utf-8")
    with pytest.raises(InputError, match="bijective"):
        load_prefix_map(path)

"""The canned-query web API answers exactly what the CLI prints, for every query.

Each query runs with its defaults and with the parameters of its ``# example:`` line
(queries without parameters are compared as CSV too), through ``exokg query run``
and through ``GET /api/queries/{name}``; the bodies must be byte-identical.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from exokg.cli.main import cli
from exokg.query.catalogue import load_catalogue

CATALOGUE = load_catalogue()


def _example_params(name: str) -> dict[str, str]:
    words = shlex.split(CATALOGUE[name].example)
    return dict(words[i + 1].split("=", 1) for i, word in enumerate(words) if word == "--param")


CASES = [(name, {}, "json") for name in CATALOGUE] + [
    (name, _example_params(name), "json") if _example_params(name) else (name, {}, "csv") for name in CATALOGUE
]


def _cli(dist: Path, name: str, params: dict[str, str], fmt: str) -> str:
    args = ["query", "run", name, "--format", fmt, "--dist", str(dist)]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("name", "params", "fmt"), CASES, ids=[f"{n}-{f}-{bool(p)}" for n, p, f in CASES])
def test_api_answers_exactly_the_cli_rows(exokg_server: str, dist: Path, name: str, params: dict[str, str],
                                          fmt: str) -> None:  # fmt: skip
    response = httpx.get(f"{exokg_server}/api/queries/{name}", params={**params, "format": fmt}, timeout=60)
    assert response.status_code == 200, response.text
    assert response.text == _cli(dist, name, params, fmt)


def test_accept_header_picks_csv_and_tsv(exokg_server: str) -> None:
    url = f"{exokg_server}/api/queries/search-entities"
    assert httpx.get(url, headers={"Accept": "text/csv"}).headers["content-type"].startswith("text/csv")
    tsv = httpx.get(url, headers={"Accept": "text/tab-separated-values"})
    assert tsv.headers["content-type"].startswith("text/tab-separated-values") and "\t" in tsv.text
    assert httpx.get(url, headers={"Accept": "image/png"}).status_code == 406


def test_bad_parameters_are_400_with_the_reason(exokg_server: str) -> None:
    base = f"{exokg_server}/api/queries"
    unknown = httpx.get(f"{base}/cancer-profile", params={"tumour": "x"})
    assert unknown.status_code == 400 and "valid parameters: cancer" in unknown.text
    assert httpx.get(f"{base}/claims-citing-reference", params={"number": "seventeen"}).status_code == 400
    assert httpx.get(f"{base}/cancer-profile", params={"cancer": "not an iri"}).status_code == 400
    assert httpx.get(f"{base}/no-such-query").status_code == 404


def test_listing_and_openapi_cover_every_query(exokg_server: str) -> None:
    listing = httpx.get(f"{exokg_server}/api/queries").json()["queries"]
    assert {q["name"] for q in listing} == set(CATALOGUE)
    document = httpx.get(f"{exokg_server}/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    for name, canned in CATALOGUE.items():
        operation = document["paths"][f"/api/queries/{name}"]["get"]
        declared = {p["name"]: p for p in operation["parameters"]}
        for parameter in canned.parameters:
            assert declared[parameter.name]["schema"]["default"] == parameter.default
            assert declared[parameter.name]["x-exokg-type"] == parameter.type
    assert "cancer-profile" in httpx.get(f"{exokg_server}/api/docs").text

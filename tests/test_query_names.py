"""Names in: every entity or class parameter of a canned query accepts a label, a synonym, a CURIE or an
external id, and each form gives the same, non-empty answer; unknown names fail with suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from exokg.cli.main import cli
from exokg.query.catalogue import bind_parameters, load_catalogue
from exokg.query.engines import OxigraphEngine
from exokg.query.lookup import resolve

#: query -> parameter -> equivalent ways to name one thing (CURIE first; then label, synonym or external id)
FORMS: dict[str, dict[str, list[str]]] = {
    "cancer-profile": {"cancer": ["exokg.entity:gastric-cancer", "Gastric cancer", "stomach cancer", "MONDO:0001056"]},
    "mirnas-elevated-in-cancer": {"cancer": ["exokg.entity:colorectal-cancer", "colorectal cancer", "MONDO:0005575"]},
    "non-invasive-biomarkers": {"cancer": ["exokg.entity:hepatocellular-carcinoma", "hepatocellular carcinoma", "HCC"]},
    "common-markers": {"vesicle": ["exokg.entity:exosome", "extracellular exosome", "GO:0070062"]},
    "inferred-class-members": {"class": ["exokg:OncomiR", "oncomiR", "oncogenic microRNA"]},
    "claim-evidence": {
        "claim": ["exokg.claim:soung2016-c330", "soung2016-c330: miR-1246 level increased in colon cancer"]
    },
    "entity-profile": {"entity": ["exokg.entity:abca3", "ABCA3", "ABC transporter A3"]},
    "chains": {"entity": ["exokg.entity:mir-105", "miR-105", "miR105", "mirbase.mature:MIMAT0000102"]},
    "molecule-profile": {
        "molecule": ["exokg.entity:emmprin", "EMMPRIN", "cd147", "basigin", "UniProtKB:P35613", "uniprotkb:p35613"]
    },
    "open-questions": {
        "section": [
            "exokg.ref:soung2016-section-lipidomic-content",
            "Oncogenic elements found in CCEs: Lipidomic content",
        ]
    },
    "claims": {
        "relation": ["exokg:promotes", "promotes"],
        "certainty": ["exokg:Unresolved", "unresolved"],
        "cancer": ["exokg.entity:breast-cancer", "breast cancer", "MONDO:0007254"],
    },
}


@pytest.fixture(scope="module")
def engine(dist: Path) -> OxigraphEngine:
    return OxigraphEngine.open(dist)


def test_every_iri_parameter_is_covered() -> None:
    iri_parameters = {
        (name, p.name) for name, query in load_catalogue().items() for p in query.parameters if p.type == "IRI"
    }
    covered = {(name, parameter) for name, parameters in FORMS.items() for parameter in parameters}
    # the faceted claims query has many IRI facets; two of them stand for the rest (same code path)
    assert iri_parameters - covered == {
        ("claims", p) for p in ("subject", "object", "bodyFluid", "cell", "organ", "species", "system", "section")
    }


@pytest.mark.parametrize("name", sorted(FORMS))
def test_each_form_of_a_name_gives_the_same_answer(name: str, engine: OxigraphEngine) -> None:
    query = load_catalogue()[name]
    for parameter, forms in FORMS[name].items():
        answers = []
        for form in forms:
            bindings = bind_parameters(query, {parameter: form}, resolve=lambda text: resolve(engine, text))
            answers.append(engine.run(query.text, bindings).rows)
        assert answers[0], f"{name} answers nothing for {forms[0]}"
        assert all(answer == answers[0] for answer in answers), f"{name}: {forms} differ"


def test_the_cli_takes_names_and_fails_on_unknown_ones(dist: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["query", "run", "cancer-profile", "--param", "cancer=stomach cancer", "--dist", str(dist)])
    assert ok.exit_code == 0 and "gastric cancer" in ok.output
    bad = runner.invoke(cli, ["query", "run", "cancer-profile", "--param", "cancer=stomach cancr", "--dist", str(dist)])
    assert bad.exit_code == 2 and "did you mean: 'stomach cancer'" in bad.output
    absent = runner.invoke(
        cli, ["query", "run", "cancer-profile", "--param", "cancer=exokg.entity:atlantis", "--dist", str(dist)]
    )
    assert absent.exit_code == 2 and "not in the graph" in absent.output


def test_defaults_are_not_looked_up(engine: OxigraphEngine) -> None:
    """A parameter left out keeps its default, even a sentinel such as exokg:any that names nothing."""
    query = load_catalogue()["claims"]
    bindings = bind_parameters(query, {}, resolve=lambda text: pytest.fail(f"looked up {text!r}"))
    assert len(engine.run(query.text, bindings).rows) >= 515

"""What each canned query answers on the real build: the review's own statements.

One test (at least) per query in ``queries/``; ``test_every_query_has_an_answer_test`` keeps it so.
Rows are compared through the table display (IRIs as CURIEs, literals as their text).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from exokg.query.catalogue import bind_parameters, load_catalogue
from exokg.query.engines import OxigraphEngine
from exokg.query.lookup import resolve
from exokg.query.results import display_value

Row = dict[str, str]
Ask = Callable[..., list[Row]]
CATALOGUE = load_catalogue()
ENTITY = "exokg.entity:"
CLAIM = "exokg.claim:soung2016-"


@pytest.fixture(scope="module")
def ask(dist: Path) -> Ask:
    """``ask(name, **parameters)``: the rows of a canned query as display strings (empty cells left out).

    An IRI parameter may be given as a name, as on the command line.
    """
    engine = OxigraphEngine.open(dist)

    def run(name: str, **given: str) -> list[Row]:
        query = CATALOGUE[name]
        answer = engine.run(query.text, bind_parameters(query, given, resolve=lambda text: resolve(engine, text)))
        return [{k: display_value(v) for k, v in row.items()} for row in answer.rows]

    return run


def column(rows: list[Row], name: str) -> set[str]:
    return {row[name] for row in rows if name in row}


def pairs(rows: list[Row], first: str, second: str) -> set[tuple[str, str]]:
    return {(row[first], row[second]) for row in rows if first in row and second in row}


# ---- biogenesis, secretion, uptake -----------------------------------------------------------------------


def test_common_markers(ask: Ask) -> None:
    rows = ask("common-markers")
    assert column(rows, "markerLabel") == {
        "CD9", "CD63", "CD81", "CD82", "Hsp60", "Hsp70", "Hsp90", "TSG101", "ALIX", "flotillin", "annexins",
        "Rab GTPases",
    }  # fmt: skip
    assert pairs(rows, "markerLabel", "familyLabel") >= {("CD63", "tetraspanins"), ("Hsp70", "heat shock proteins")}
    assert column(rows, "bodyFluidLabel") == {"body fluid"}


def test_biogenesis_machinery_by_mechanism(ask: Ask) -> None:
    rows = ask("biogenesis-machinery")
    dependent = {r["componentLabel"] for r in rows if r["mechanism"] == "exokg:ESCRTDependentILVFormation"}
    independent = {r["componentLabel"] for r in rows if r["mechanism"] == "exokg:ESCRTIndependentILVFormation"}
    assert dependent >= {"ESCRT-0", "ESCRT-I", "ESCRT-II", "ESCRT-III", "VPS4", "VTA1", "ALIX", "TSG101"}
    assert independent >= {"tetraspanins", "ceramide", "lipid raft-like microdomain"}
    assert not dependent & {"tetraspanins", "ceramide"}
    steps = pairs(rows, "componentLabel", "stepLabel")
    assert ("ESCRT-0", "cargo clustering") in steps and ("ESCRT-III", "vesicle scission") in steps
    assert ("ESCRT-I", "membrane deformation into buds") in steps


def test_mvb_secretion_control(ask: Ask) -> None:
    rows = ask("mvb-secretion-control")
    hypoxic = {(r["proteinLabel"], r["processLabel"]) for r in rows if r.get("conditionLabel") == "hypoxia"}
    assert hypoxic == {("Rab27a", "exosome secretion"), ("Rab27b", "exosome secretion")}
    transport = {r["proteinLabel"] for r in rows if r["process"] == ENTITY + "mvb-transport"}
    assert transport >= {"Rab11", "Rab27", "Rab35"}
    fusion = {r["proteinLabel"] for r in rows if r["process"] == ENTITY + "mvb-plasma-membrane-fusion"}
    assert fusion == {"VAMP7", "YKT6"}
    assert "ABCA3" in column(rows, "proteinLabel")  # ABCA3-dependent exosome release in B-cell lymphoma (ref 60)


def test_uptake_routes(ask: Ask) -> None:
    rows = ask("uptake-routes")
    routes = {r["objectLabel"] for r in rows if r["relation"] == "exokg:hasSubtype"}
    assert routes == {
        "exosome uptake by membrane fusion",
        "exosome uptake by receptor-ligand interaction",
        "exosome uptake by endocytosis",
    }
    assert ("tetraspanin-integrin complex", "exosome uptake") in pairs(rows, "subjectLabel", "objectLabel")
    assert ("exosome uptake", "alteration of target cell function") in pairs(rows, "subjectLabel", "objectLabel")


def test_vesicle_types(ask: Ask) -> None:
    rows = ask("vesicle-types")
    exosome = [r for r in rows if r["vesicle"] == ENTITY + "exosome"]
    assert {(r["sizeMinNm"], r["sizeMaxNm"]) for r in exosome} == {("30", "100")}
    assert ("derives from", "endosome") in pairs(exosome, "aspect", "otherLabel")
    assert ("ectosome", "plasma membrane") in pairs(rows, "vesicleLabel", "otherLabel")
    assert ("apoptotic body", "dying cell") in pairs(rows, "vesicleLabel", "otherLabel")


# ---- oncogenic cargo ---------------------------------------------------------------------------------------


def test_integrin_organotropism(ask: Ask) -> None:
    rows = ask("integrin-organotropism")
    assert pairs(rows, "integrinLabel", "organLabel") == {
        ("integrin α6β4", "lung"), ("integrin α6β1", "lung"), ("integrin αvβ3", "liver"),
    }  # fmt: skip
    assert column(rows, "reference") == {"17"}
    notes = {r["note"] for r in rows if r["integrinLabel"] == "integrin αvβ3"}
    assert len(notes) == 1 and "αvβ5" in notes.pop()  # the discrepancy with the primary study


def test_drug_resistance_cargo(ask: Ask) -> None:
    rows = ask("drug-resistance-cargo")
    found = {(r["moleculeLabel"], r["drugLabel"], r.get("cancerLabel")) for r in rows}
    assert ("MDR-1", "docetaxel", "prostate cancer") in found
    assert ("ABCA3", "rituximab", "B-cell lymphoma") in found
    mdr1 = [r for r in rows if r["moleculeLabel"] == "MDR-1"]
    assert column(mdr1, "recipientCellLabel") == {"non-resistant prostate cancer cell"}
    assert column(mdr1, "reference") == {"24"}


def test_immunosuppressive_cargo(ask: Ask) -> None:
    rows = ask("immunosuppressive-cargo")
    apoptosis = {r["moleculeLabel"] for r in rows if r["effectLabel"] == "T-cell apoptosis"}
    assert apoptosis == {"Fas-L", "TRAIL", "galectin-9"}
    assert column([r for r in rows if r["moleculeLabel"] in apoptosis], "targetCellLabel") == {"T lymphocyte"}
    mdsc = {r["moleculeLabel"] for r in rows if r["effectLabel"] == "MDSC accumulation"}
    assert mdsc >= {"PGE2", "TGF-β"}
    assert ("PGE2", "bone marrow myeloid cell") in pairs(rows, "moleculeLabel", "targetCellLabel")


def test_cargo_transfers(ask: Ask) -> None:
    rows = ask("cargo-transfers")
    transfers = {(r["cargoLabel"], r.get("sourceCellLabel"), r["recipientCellLabel"]) for r in rows}
    assert ("EGFRvIII", "glioma cell", "EGFRvIII-negative cell") in transfers
    assert ("mutant KRAS", "mutant KRAS colon cancer cell", "wild-type KRAS cell") in transfers
    assert ("MDR-1", "docetaxel-resistant prostate cancer cell", "non-resistant prostate cancer cell") in transfers
    assert ("miR-223", "tumour-associated macrophage", "breast cancer cell") in transfers
    effects = {(r["cargoLabel"], r.get("effectRelation"), r.get("effectLabel")) for r in rows}
    assert ("MDR-1", "exokg:confersResistanceTo", "docetaxel") in effects
    assert ("EMMPRIN", "exokg:upregulates", "MMP-1") in effects
    assert ("miR-223", "exokg:promotes", "invasion") in effects
    assert ("EGFRvIII", "exokg:promotes", "anchorage-independent growth") in effects


def test_oncomirs_and_effects(ask: Ask) -> None:
    rows = ask("oncomirs-and-effects")
    promoted = {(r["mirnaLabel"], r["processLabel"]) for r in rows if r["relation"] == "exokg:promotes"}
    assert ("miR-105", "endothelial barrier disruption") in promoted
    assert ("miR-223", "invasion") in promoted
    assert ("miR-17-92 cluster", "tumour angiogenesis") in promoted
    assert ("miR-221/222", "cell migration") in promoted  # the review credits the pair as a whole
    # group claims stay on the group
    assert not {label for label, _ in promoted} & {"miR-17", "miR-92a", "miR-221", "miR-222"}
    assert {("miR-21", "metastasis"), ("miR-29a", "tumour growth")} <= promoted
    inhibited = {(r["mirnaLabel"], r["processLabel"]) for r in rows if r["relation"] == "exokg:inhibits"}
    assert ("let-7a", "tumour growth") in inhibited
    assert not {label for label, _ in promoted} & {"let-7a"}


def test_exosomal_lipids(ask: Ask) -> None:
    rows = ask("exosomal-lipids")
    pc3 = {r["lipidLabel"] for r in rows if r.get("systemLabel") == "PC3" and r.get("direction") == "exokg:Increased"}
    assert pc3 >= {"phosphatidylserine", "cholesterol", "sphingomyelin", "glycosphingolipids"}
    assert {r.get("foldChange") for r in rows if r.get("systemLabel") == "PC3"} >= {"8.4"}
    assert column([r for r in rows if r.get("systemLabel") == "PC3"], "cancerLabel") == {"prostate cancer"}
    lim = {r["lipidLabel"] for r in rows if r.get("systemLabel") == "LIM1215" and r.get("direction")}
    assert lim == {"sphingolipids", "sterol lipids", "glycerolipids", "glycerophospholipids"}
    assert "520" in column(rows, "countValue")
    in_exosomes = {r["lipidLabel"] for r in rows if r["vesicleLabel"] == "exosome" and r.get("reference") == "47"}
    assert in_exosomes == {
        "cholesterol", "sphingomyelin", "glycerophospholipids", "phosphatidylserine", "phosphatidylinositol",
        "ceramide",
    }  # fmt: skip


# ---- clinical applications ---------------------------------------------------------------------------------


def test_mirnas_elevated_in_pancreatic_cancer(ask: Ask) -> None:
    rows = ask("mirnas-elevated-in-cancer")
    assert column(rows, "mirnaLabel") == {"miR-1246", "miR-4644", "miR-3976", "miR-4306"}
    assert len(rows) == 4
    for row in rows:
        assert row["bodyFluidLabel"] == "blood serum"
        assert row["comparatorLabel"] == "healthy donors"
        assert row["reference"] == "39"
        assert "stageLabel" not in row  # the review gives no stage for these four


def test_mirnas_elevated_in_other_cancers(ask: Ask) -> None:
    colon = ask("mirnas-elevated-in-cancer", cancer=ENTITY + "colon-cancer")
    assert column(colon, "mirnaLabel") == {"let-7a", "miR-1229", "miR-1246", "miR-150", "miR-21", "miR-223", "miR-23a"}
    assert column(colon, "stageLabel") == {"early stage"}
    # subtypes are included: colon cancer is a colorectal cancer
    assert column(ask("mirnas-elevated-in-cancer", cancer=ENTITY + "colorectal-cancer"), "mirnaLabel") >= column(
        colon, "mirnaLabel"
    )
    ovarian = ask("mirnas-elevated-in-cancer", cancer=ENTITY + "ovarian-cancer")
    assert column(ovarian, "mirnaLabel") == {"miR-200c", "miR-214"}


def test_non_invasive_biomarkers(ask: Ask) -> None:
    rows = ask("non-invasive-biomarkers")
    found = {
        (r["markedCancerLabel"], r["markerLabel"], r.get("bodyFluidLabel"), r.get("clinicalUseLabel")) for r in rows
    }
    assert ("glioblastoma", "EGFRvIII", "blood serum", "cancer diagnosis") in found
    assert (
        "colorectal cancer",
        "circulating exosomes of colorectal cancer patients",
        "blood",
        "cancer prognosis",
    ) in found
    assert ("colon cancer", "miR-21", None, "early detection") in found
    assert {("hepatocellular carcinoma", m) for m in ("MET", "caveolins", "S100 family")} <= pairs(
        rows, "markedCancerLabel", "markerLabel"
    )
    assert {("breast cancer", "mRNAs"), ("breast cancer", "microRNAs")} <= pairs(
        rows, "markedCancerLabel", "markerLabel"
    )
    glioma = ask("non-invasive-biomarkers", cancer=ENTITY + "glioma")
    assert column(glioma, "markedCancerLabel") == {"glioblastoma"}  # a subtype of glioma


def test_exosome_stability(ask: Ask) -> None:
    rows = ask("exosome-stability")
    storage = {(r["temperatureCelsius"], r.get("durationDays")) for r in rows}
    assert storage == {("4", "4"), ("-70", None)}
    assert column(rows, "vesicleLabel") == {"circulating serum exosome"}
    assert column(rows, "useLabel") == {"early detection"}
    assert column(rows, "reference") == {"40"}


def test_therapeutic_strategies(ask: Ask) -> None:
    rows = ask("therapeutic-strategies")
    assert column(rows, "strategyLabel") == {
        "inhibition of exosome secretion", "blocking of exosome-mediated intercellular transfer",
        "exosomes as delivery vehicles", "exosome-based immunotherapy",
    }  # fmt: skip
    outcomes = {(r["subjectLabel"], r["outcomeLabel"], r.get("modelLabel")) for r in rows}
    assert ("dimethyl amiloride", "exosome secretion", "CT26-bearing mice") in outcomes
    assert ("GW4869", "tumour growth", "lung cancer-bearing mice") in outcomes
    assert ("GW4869", "metastasis", "lung cancer-bearing mice") in outcomes
    assert ("let-7a-loaded exosome", "tumour growth", "mice bearing EGFR-expressing breast cancer cells") in outcomes
    assert ("dendritic cell-derived exosome", "cancer immunotherapy") in pairs(rows, "subjectLabel", "outcomeLabel")


def test_engineered_exosomes(ask: Ask) -> None:
    rows = ask("engineered-exosomes")
    cargo = {(r["exosomeLabel"], r["objectLabel"]) for r in rows if r["relation"] == "exokg:hasCargo"}
    assert cargo >= {
        ("let-7a-loaded exosome", "let-7a"),
        ("curcumin-loaded exosome", "curcumin"),
        ("integrin αv-targeted exosome", "doxorubicin"),
        ("integrin αv-targeted exosome", "integrin αv-specific peptide"),
    }
    targets = {r["objectLabel"] for r in rows if r["relation"] == "exokg:targets"}
    assert targets == {"integrin αv-positive breast cancer cell"}
    inhibited = {r["subjectLabel"] for r in rows if r["relation"] == "exokg:inhibits"}
    assert {"let-7a", "doxorubicin", "integrin αv-targeted exosome"} <= inhibited


# ---- profiles and look-ups -----------------------------------------------------------------------------


def test_cancer_profile(ask: Ask) -> None:
    breast = column(ask("cancer-profile"), "claim")
    assert {CLAIM + c for c in ("c378", "c355", "c284", "c312", "c670", "c682")} <= breast  # miR-105, miR-223 ...
    assert CLAIM + "c320" not in breast  # pancreatic
    melanoma = ask("cancer-profile", cancer=ENTITY + "melanoma")
    assert ("melanoma cell exosome", "pro-metastatic conversion") in pairs(melanoma, "subjectLabel", "objectLabel")
    assert ("MET", "pro-metastatic conversion") in pairs(melanoma, "subjectLabel", "objectLabel")
    # the claims of a subtype belong to the broader cancer's profile
    assert column(ask("cancer-profile", cancer=ENTITY + "colon-cancer"), "claim") <= column(
        ask("cancer-profile", cancer=ENTITY + "colorectal-cancer"), "claim"
    )


def test_molecule_profile(ask: Ask) -> None:
    rows = ask("molecule-profile")
    assert column(rows, "entity") == {ENTITY + "mir-21"}
    claims = {(r["relationLabel"], r["objectLabel"]) for r in rows if r["aspect"] == "subject of claim"}
    assert ("promotes", "metastasis") in claims
    assert ("is marker for (exokg)", "colon cancer") in claims
    assert ("interacts with", "TLR") in claims
    assert ("mapping", "mirbase.mature:MIMAT0000076") in pairs(rows, "aspect", "object")
    # the same entity by any case of its label, by a synonym, by an external identifier or cross-reference
    assert ask("molecule-profile", molecule="MIR-21") == rows
    assert column(ask("molecule-profile", molecule="cd147"), "entity") == {ENTITY + "emmprin"}
    assert column(ask("molecule-profile", molecule="basigin"), "entity") == {ENTITY + "emmprin"}
    assert column(ask("molecule-profile", molecule="mirbase.mature:MIMAT0000076"), "entity") == {ENTITY + "mir-21"}
    assert column(ask("molecule-profile", molecule="UniProtKB:P35613"), "entity") == {ENTITY + "emmprin"}  # xref
    assert column(ask("molecule-profile", molecule="hgnc:33"), "entity") == {ENTITY + "abca3"}  # xref, any case
    assert ask("molecule-profile", molecule="breast cancer") == []  # not a molecule


def test_molecule_profile_reads_subject_relation_object_where_the_molecule_is_the_object(ask: Ask) -> None:
    """miR-105 downregulates ZO-1 (ref 46): ZO-1's profile must not read as if ZO-1 downregulated miR-105."""
    rows = ask("molecule-profile", molecule="ZO-1")
    about = [(r["subjectLabel"], r["relationLabel"], r["objectLabel"]) for r in rows if r["aspect"].endswith("claim")]
    assert ("miR-105", "downregulates", "ZO-1") in about
    assert ("ZO-1", "downregulates", "miR-105") not in about
    # and where the molecule is the subject, it stays the subject
    emmprin = ask("molecule-profile", molecule="EMMPRIN")
    assert ("EMMPRIN", "upregulates", "MMP-1") in {
        (r["subjectLabel"], r["relationLabel"], r["objectLabel"]) for r in emmprin if r["aspect"] == "subject of claim"
    }
    assert all(r["subject"] == r["entity"] for r in emmprin if r["aspect"] != "object of claim")


def test_entities_by_external_id(ask: Ask) -> None:
    rows = ask("entities-by-external-id")
    assert ("exokg:Exosome", "class") in pairs(rows, "entity", "kind")
    assert (ENTITY + "exosome", "skos:exactMatch") in pairs(rows, "entity", "mapping")
    assert (ENTITY + "glioma-cell-exosome", "skos:broadMatch") in pairs(rows, "entity", "mapping")
    cd63 = ask("entities-by-external-id", xref="HGNC:1692")
    assert pairs(cd63, "entity", "mapping") == {(ENTITY + "cd63", "skos:exactMatch")}


def test_search_entities(ask: Ask) -> None:
    rab = column(ask("search-entities", text="rab"), "label")
    assert {"Rab11", "Rab27", "Rab27a", "Rab27b", "Rab35", "Rab GTPases"} <= rab
    integrins = column(ask("search-entities"), "label")
    assert {"integrin α6β4", "integrin α6β1", "integrin αvβ3", "integrin αv"} <= integrins
    assert "integrin αvβ3" in column(ask("search-entities", text="ΑVΒ3"), "label")  # Greek, any case


def test_cancers_hierarchy(ask: Ask) -> None:
    rows = ask("cancers-hierarchy")
    broader = pairs(rows, "cancerLabel", "broaderLabel")
    assert {("colon cancer", "colorectal cancer"), ("glioblastoma", "glioma"), ("breast cancer", "cancer")} <= broader
    assert ("colon cancer", "cancer") not in broader  # direct broader cancer only
    assert "cancer" in {r["cancerLabel"] for r in rows if "broader" not in r}


def test_curation_notes(ask: Ask) -> None:
    rows = ask("curation-notes")
    integrin = [r for r in rows if r["item"] == ENTITY + "integrin-alphav-beta3"]
    assert len(integrin) == 1 and integrin[0]["kind"] == "entity" and "αvβ5" in integrin[0]["note"]
    assert {CLAIM + "c134", CLAIM + "c137"} <= {r["item"] for r in rows if r["kind"] == "claim"}


# ---- evidence ----------------------------------------------------------------------------------------------


def test_claim_evidence(ask: Ask) -> None:
    (row,) = ask("claim-evidence")
    assert (row["subject"], row["relation"], row["object"]) == (
        ENTITY + "mir-1246", "exokg:levelIncreasedIn", ENTITY + "pancreatic-cancer",
    )  # fmt: skip
    assert row["evidence"] == "ECO:0000304" and row["reference"] == "39"
    assert row["knowledgeLevel"] == "knowledge_assertion" and row["agentType"] == "manual_agent"
    assert row["source"] == "exokg.ref:soung2016"
    assert row["sectionLabel"].endswith("Nucleic acid content")
    uncited = ask("claim-evidence", claim=CLAIM + "c001")
    assert [r["evidence"] for r in uncited] == ["ECO:0000303"] and "reference" not in uncited[0]
    assert row["certainty"] == "exokg:Asserted"
    hedged = ask("claim-evidence", claim=CLAIM + "c550")
    assert [r["certainty"] for r in hedged] == ["exokg:Suggested"]  # "is related to"


def test_claims_citing_reference(ask: Ask) -> None:
    from exokg.pipeline.curation import load_curation

    curation = load_curation()
    expected = {f"{CLAIM}{claim.id}" for claim in curation.claims if 17 in claim.references}
    rows = ask("claims-citing-reference")
    assert column(rows, "claim") == expected
    assert {CLAIM + "c132", CLAIM + "c133", CLAIM + "c134"} <= expected  # the integrin claims
    assert column(ask("claims-citing-reference", number="39"), "claim") == {
        CLAIM + c for c in ("c320", "c321", "c322", "c323")
    }


def test_claims_per_section(ask: Ask) -> None:
    from exokg.pipeline.curation import load_curation

    curation = load_curation()
    rows = ask("claims-per-section")
    assert len(rows) == len(curation.sections) == 11
    assert sum(int(r["claims"]) for r in rows) == len(curation.claims)
    by_section = {r["section"].rsplit("-section-", 1)[1]: int(r["claims"]) for r in rows}
    for section in curation.sections:
        assert by_section[section.id] == sum(1 for c in curation.claims if c.section == section.id) > 0
    assert rows[0]["sectionLabel"] == "Abstract"  # in the order of the review


# ---- what the reasoner adds --------------------------------------------------------------------------------


def test_inferred_class_members_oncomirs(ask: Ask) -> None:
    rows = ask("inferred-class-members")
    members = column(rows, "label")
    assert {"miR-105", "miR-223", "miR-21", "miR-29a"} <= members
    assert "let-7a" not in members and "miR-1246" not in members
    # the review credits the miR-17-92 cluster and the miR-221/222 pair as wholes, not each member
    assert not members & {"miR-17", "miR-92a", "miR-221", "miR-222"}
    assert column(rows, "source") == {"inferred"}  # OncomiR is a defined class: nothing is asserted into it
    suppressive = column(ask("inferred-class-members", **{"class": "exokg:TumourSuppressiveMicroRNA"}), "label")
    assert "let-7a" in suppressive


def test_inferred_class_members_other_classes(ask: Ask) -> None:
    cargo = column(ask("inferred-class-members", **{"class": "exokg:DrugResistanceCargo"}), "label")
    assert "MDR-1" in cargo
    assert "ABCA3" not in cargo  # the review only says ABCA3-dependent exosome release is implicated (suggested)
    markers = column(ask("inferred-class-members", **{"class": "exokg:CommonExosomeMarker"}), "label")
    assert {"CD63", "CD9", "TSG101", "ALIX"} <= markers
    rows = ask("inferred-class-members", **{"class": "exokg:MicroRNA"})
    assert ("miR-21", "asserted") in pairs(rows, "label", "source")


def test_cancer_cell_derived_exosomes(ask: Ask) -> None:
    rows = ask("cancer-cell-derived-exosomes")
    vesicles = {r["vesicle"].removeprefix(ENTITY) for r in rows}
    assert {
        "glioma-cell-exosome", "melanoma-cell-exosome", "pancreatic-cancer-serum-exosome", "pc3-exosome",
        "docetaxel-resistant-prostate-cancer-cell-exosome", "b-cell-lymphoma-exosome",
    } <= vesicles  # fmt: skip
    assert not vesicles & {
        "fibroblast-exosome", "tumour-associated-macrophage-exosome", "dendritic-cell-exosome", "normal-cell-exosome",
        "gc-msc-exosome", "exosome",
    }  # fmt: skip
    assert ("glioma-cell-exosome", "glioma") in {
        (v.removeprefix(ENTITY), c) for v, c in pairs(rows, "vesicle", "cancerLabel")
    }


def test_distant_site_effects(ask: Ask) -> None:
    rows = ask("distant-site-effects")
    effects = {(r["siteLabel"], r["subjectLabel"], r["effectLabel"]) for r in rows}
    assert ("lymph node", "melanoma cell exosome", "pre-metastatic niche formation") in effects
    assert ("bone marrow", "melanoma cell exosome", "pro-metastatic conversion") in effects
    assert ("pre-metastatic site", "melanoma cell exosome", "vascular leakiness") in effects
    assert ("liver", "integrin αvβ3", "liver") in effects and ("lung", "integrin α6β4", "lung") in effects


# ---- questions without SPARQL: profiles, chains, facets -------------------------------------------------------


def test_entity_profile_of_mir_105(ask: Ask) -> None:
    rows = ask("entity-profile", entity="exokg.entity:mir-105")
    about = {(r["aspect"], r["statement"]) for r in rows if "claim" not in r}
    assert ("synonym", "miR105") in about and ("kind", "oncomiR") in about  # oncomiR is inferred
    assert ("external id", "mirbase.mature:MIMAT0000102") in about
    claims = {(r["claim"], r["statement"]) for r in rows if r.get("aspect") == "as subject"}
    assert (CLAIM + "c378", "miR-105 → promotes → metastasis") in claims
    details = {(r["aspect"].strip(), r["statement"]) for r in rows if r.get("claim") == CLAIM + "c378"}
    assert ("in cancer", "breast cancer") in details and ("has certainty", "asserted") in details
    assert ("reference", "Zhou 2014, ref 46") in details


def test_entity_profile_of_a_condition(ask: Ask) -> None:
    rows = ask("entity-profile")  # hypoxia: a condition, as a qualifier of other claims too
    roles = {(r["claim"], r["aspect"]) for r in rows if "claim" in r and not r["aspect"].startswith(" ")}
    assert (CLAIM + "c123", "as subject") in roles
    assert (CLAIM + "c121", "as under condition") in roles


def test_chains_follow_causal_claims_step_by_step(ask: Ask) -> None:
    rows = ask("chains", entity="exokg.entity:mir-105", steps="3")
    paths = {(r["step1"], r.get("step2", "")) for r in rows}
    assert ("miR-105 -> promotes -> endothelial barrier disruption",
            "endothelial barrier disruption -> promotes -> metastasis") in paths  # fmt: skip
    assert ("miR-105 -> downregulates -> ZO-1", "") in paths
    one_step = ask("chains", entity="exokg.entity:mir-105", steps="1")
    assert {r["step1"] for r in one_step} == {r["step1"] for r in rows} and not column(one_step, "step2")


def test_chains_backwards(ask: Ask) -> None:
    rows = ask("chains", entity="exokg.entity:exosome-secretion", direction="to")
    assert "Rab27a -> promotes -> exosome secretion" in column(rows, "step1")
    assert "dimethyl amiloride -> inhibits -> exosome secretion" in column(rows, "step1")


def test_claims_by_facets(ask: Ask) -> None:
    rows = ask("claims", subject="exokg.entity:mir-105")
    assert column(rows, "claim") == {CLAIM + "c378", CLAIM + "c379", CLAIM + "c380"}
    assert column(rows, "cited") == {"46"}
    promoting_in_breast = ask("claims", relation="exokg:promotes", cancer="exokg.entity:breast-cancer")
    assert CLAIM + "c378" in column(promoting_in_breast, "claim")
    assert column(promoting_in_breast, "relationLabel") == {"promotes"}
    assert len(column(ask("claims", reference="17"), "claim")) >= 10
    assert len(column(ask("claims"), "claim")) >= 515  # no facet: every claim
    # the one statement the review calls unresolved (Introduction): whether and how cancer cells sort their cargo
    unresolved = ask("claims", certainty="exokg:Unresolved")
    assert {(r["subjectLabel"], r["relationLabel"], r["objectLabel"], r["sectionLabel"]) for r in unresolved} == {
        ("cancer cell", "regulates", "cargo sorting into exosomes", "Introduction")
    }
    assert column(ask("claims", certainty="exokg:Hypothesised", subject="exokg.entity:leukotrienes"), "claim")


# ---- coverage of this module ------------------------------------------------------------------------------

ANSWERED = {
    "biogenesis-machinery", "cancer-cell-derived-exosomes", "cancer-profile", "cancers-hierarchy",
    "cargo-transfers", "chains", "claim-evidence", "claims", "claims-citing-reference", "claims-per-section",
    "common-markers", "curation-notes", "distant-site-effects", "drug-resistance-cargo", "engineered-exosomes",
    "entities-by-external-id", "entity-profile", "exosomal-lipids", "exosome-stability", "immunosuppressive-cargo",
    "inferred-class-members", "integrin-organotropism", "mirnas-elevated-in-cancer", "molecule-profile",
    "mvb-secretion-control", "non-invasive-biomarkers", "oncomirs-and-effects", "search-entities",
    "therapeutic-strategies", "uptake-routes", "vesicle-types",
    # questions of the review's sections, answered in test_section_queries.py
    "drug-resistance-mechanisms", "lipid-functions", "open-questions", "secretion-modulators",
}  # fmt: skip


def test_every_query_has_an_answer_test() -> None:
    assert set(CATALOGUE) == ANSWERED

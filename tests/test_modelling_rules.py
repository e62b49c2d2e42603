"""One test per modelling rule of docs/curation.md (groups, conditions, measurements, qualifiers, entities).

Each rule is a small function returning its offences, run on the real tables, and each is
shown to catch a broken record, so a rule cannot pass by being vacuous.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from functools import cache

from rdflib import RDFS, Graph, URIRef

from exokg.pipeline.curation import Claim, Curation, Entity, load_curation
from exokg.pipeline.ontology import load_ontology
from exokg.pipeline.populate import entity_iri, vocab

#: Relations whose name already says the sign of the change: a direction would only repeat it.
SIGNED_RELATIONS = frozenset(
    {
        "promotes",
        "inhibits",
        "upregulates",
        "downregulates",
        "levelIncreasedIn",
        "levelDecreasedIn",
        "levelDecreasedAfter",
    }
)
#: Claim ids taken out of use; never reuse them (docs/curation.md, "Retired claim ids").
RETIRED = frozenset({"c357", "c359", "c372", "c373", "c374", "c375", "c376", "c377"})
OUTSIDE_KNOWLEDGE = "ECO:0000306"


@cache
def curation() -> Curation:
    return load_curation()


@cache
def ontology() -> Graph:
    return load_ontology()


def _entities() -> dict[str, Entity]:
    return {e.id: e for e in curation().entities}


def _is_a(entity: Entity, cls: str) -> bool:
    onto = ontology()
    return any(vocab(cls) in set(onto.transitive_objects(vocab(t), RDFS.subClassOf)) for t in entity.types)


def _with_claim(claim: Claim) -> tuple[Claim, ...]:
    return (*curation().claims, claim)


def _claim(**changes: object) -> Claim:
    return dataclasses.replace(curation().claims[0], **changes)  # type: ignore[arg-type]


# ---- Conditions: no contradictory shortcuts ----


def contradictory_levels(graph: Graph) -> list[tuple[str, str]]:
    """(entity, cancer) pairs with both a level-increased and a level-decreased shortcut."""
    up = set(graph.subject_objects(vocab("levelIncreasedIn")))
    down = set(graph.subject_objects(vocab("levelDecreasedIn")))
    return sorted((str(s), str(o)) for s, o in up & down)


def test_no_entity_has_a_level_both_raised_and_lowered_in_one_cancer(graphs) -> None:  # type: ignore[no-untyped-def]
    assert contradictory_levels(graphs.review) == []
    broken = Graph()
    broken.add((entity_iri("mir-21"), vocab("levelIncreasedIn"), entity_iri("colon-cancer")))
    broken.add((entity_iri("mir-21"), vocab("levelDecreasedIn"), entity_iri("colon-cancer")))
    assert contradictory_levels(broken) != []


def test_a_change_after_an_intervention_names_the_intervention() -> None:
    """The seven colon-cancer miRNAs fall after resection: levelDecreasedAfter, not levelDecreasedIn."""
    after = {
        c.subject for c in curation().claims if c.relation == "levelDecreasedAfter" and c.object == "surgical-resection"
    }
    assert after == {"let-7a", "mir-1229", "mir-1246", "mir-150", "mir-21", "mir-223", "mir-23a"}
    assert not [c.id for c in curation().claims if ("underCondition", "surgical-resection") in c.qualifiers]


# ---- Groups: a group claim stays on the group ----


def group_claims_copied_to_members(claims: tuple[Claim, ...], entities: dict[str, Entity]) -> list[str]:
    """Claims on a member of a microRNA cluster that repeat one of the cluster's claims."""
    clusters = {e.id for e in entities.values() if "MicroRNACluster" in e.types}
    member_of = {e.id: {t for p, t in e.links if p == "memberOf"} & clusters for e in entities.values()}
    group = {(c.subject, c.relation, c.object, c.references) for c in claims if c.subject in clusters}
    return [c.id for c in claims
            if any((g, c.relation, c.object, c.references) in group for g in member_of.get(c.subject, ()))]  # fmt: skip


def test_a_cluster_claim_is_not_copied_to_its_members() -> None:
    entities = _entities()
    assert group_claims_copied_to_members(curation().claims, entities) == []
    copy = _claim(id="c999", subject="mir-17", relation="promotes", object="angiogenesis", references=(45,))
    assert group_claims_copied_to_members(_with_claim(copy), entities) == ["c999"]


def test_every_cluster_member_is_linked_by_has_member() -> None:
    claims = curation().claims
    for entity in _entities().values():
        for prop, group in entity.links:
            if prop == "memberOf" and "MicroRNACluster" in _entities()[group].types:
                assert any(
                    c.subject == group and c.relation == "hasMember" and c.object == entity.id for c in claims
                ), entity.id


def test_retired_claim_ids_are_not_reused() -> None:
    assert RETIRED.isdisjoint(c.id for c in curation().claims)


# ---- Qualifier hygiene ----


def repeated_signs(claims: tuple[Claim, ...]) -> list[str]:
    return [c.id for c in claims if c.direction and c.relation in SIGNED_RELATIONS]


def test_direction_never_repeats_the_sign_of_the_relation() -> None:
    assert repeated_signs(curation().claims) == []
    assert repeated_signs(_with_claim(_claim(id="c999", relation="inhibits", direction="decreased"))) == ["c999"]


def agents_repeating_an_end(claims: tuple[Claim, ...]) -> list[str]:
    return [c.id for c in claims for p, v in c.qualifiers if p == "usingAgent" and v in (c.subject, c.object)]


def test_the_agent_is_never_the_subject_or_object() -> None:
    assert agents_repeating_an_end(curation().claims) == []
    first = curation().claims[0]
    bad = _claim(id="c999", qualifiers=(("usingAgent", first.subject),))
    assert agents_repeating_an_end(_with_claim(bad)) == ["c999"]


def test_outside_knowledge_carries_its_own_evidence_code() -> None:
    outside = [c for c in curation().claims if c.evidence == OUTSIDE_KNOWLEDGE]
    assert {(c.subject, c.object) for c in outside} >= {("ct26", "colon-cancer"), ("ct26-bearing-mice", "colon-cancer")}
    assert all(not c.references and c.note for c in outside)
    dma = next(c for c in curation().claims if c.id == "c659")
    assert ("inCancer", "colon-cancer") not in dma.qualifiers
    assert not [
        e.id for e in curation().entities if e.id.startswith("ct26") and ("ofCancer", "colon-cancer") in e.links
    ]


def test_only_cells_release_vesicles() -> None:
    entities = _entities()
    releasing = {c.subject for c in curation().claims if c.relation == "releases"}
    assert [s for s in sorted(releasing) if not _is_a(entities[s], "CellType")] == []


# ---- Measurements and properties ----


def test_a_storage_condition_is_what_something_is_stable_under() -> None:
    entities = _entities()
    storage = {e.id for e in entities.values() if _is_a(e, "SampleStorageCondition")}
    assert not [c.id for c in curation().claims for p, v in c.qualifiers if p == "underCondition" and v in storage]
    stable = [c for c in curation().claims if c.relation == "stableUnder"]
    assert {c.object for c in stable} == {"storage-4c-4-days", "storage-minus-70c-long-term"}
    assert all(any(name == "temperatureCelsius" for name, _ in entities[c.object].values) for c in stable)


def test_a_measured_value_says_what_it_measures_and_per_what() -> None:
    for claim in curation().claims:
        names = {name for name, _ in claim.values}
        if "foldChange" in names:
            assert {"measuredQuantity", "measurementBasis"} <= names, claim.id
        if "countValue" in names:
            assert "measuredQuantity" in names, claim.id
    pc3 = dict(next(c for c in curation().claims if c.id == "c524").values)
    assert pc3["measurementBasis"] == "per mg of protein"


def test_route_setting_and_toxicity_are_values_not_notes() -> None:
    claims = {c.id: c for c in curation().claims}
    assert ("viaRoute", "intravenous-injection") in claims["c670"].qualifiers
    assert ("inStudySetting", "in-vivo") in claims["c682"].qualifiers
    assert ("overtToxicity", "false") in claims["c682"].values
    assert ("inStudySetting", "in-vitro") not in claims["c682"].qualifiers


# ---- Entities ----


def shared_definitions(entities: tuple[Entity, ...]) -> list[list[str]]:
    by_text: dict[str, list[str]] = defaultdict(list)
    for entity in entities:
        by_text[entity.description.strip().casefold()].append(entity.id)
    return [ids for ids in by_text.values() if len(ids) > 1]


def test_no_two_entities_share_a_definition() -> None:
    entities = curation().entities
    assert shared_definitions(entities) == []
    assert all(e.description for e in entities)
    twin = dataclasses.replace(entities[1], id="twin", description=entities[0].description)
    assert shared_definitions((*entities, twin)) != []


def shared_names(entities: tuple[Entity, ...]) -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = defaultdict(list)
    for entity in entities:
        for name in {n.casefold() for n in (entity.label, *entity.synonyms)}:
            by_name[name].append(entity.id)
    return {name: ids for name, ids in by_name.items() if len(ids) > 1}


def test_no_name_belongs_to_two_entities() -> None:
    """A synonym of one entity is never the label or synonym of another (cytosol, miR-221/222)."""
    assert shared_names(curation().entities) == {}


def mixed_groups(entities: dict[str, Entity]) -> list[str]:
    """Groups typed with a member kind (``MolecularGroup|Annexin``) that have a member of another kind."""
    onto = ontology()

    def kinds(entity: Entity) -> set[object]:
        return {k for t in entity.types for k in onto.transitive_objects(vocab(t), RDFS.subClassOf)}

    offenders = []
    for group in entities.values():
        kind = [t for t in group.types if t != "MolecularGroup"]
        if "MolecularGroup" not in group.types or not kind:
            continue
        members = [e for e in entities.values() if ("memberOf", group.id) in e.links]
        if any(not {vocab(k) for k in kind} <= kinds(m) for m in members):
            offenders.append(group.id)
    return offenders


def test_a_group_is_typed_by_a_kind_only_when_every_member_has_it() -> None:
    """A family (annexins, Rab GTPases) carries its members' kind; a loose collection is MolecularGroup only."""
    entities = _entities()
    assert mixed_groups(entities) == []
    assert entities["cancer-associated-exosomal-proteins"].types == ("MolecularGroup",)
    mixed = dict(
        entities, tetraspanins=dataclasses.replace(entities["tetraspanins"], types=("MolecularGroup", "Enzyme"))
    )
    assert mixed_groups(mixed) == ["tetraspanins"]


def test_causal_relations_do_not_inherit_a_process_domain_from_ro() -> None:
    """RO's causal relations hold between processes; exokg's subjects are drugs, molecules and vesicles."""
    onto = ontology()
    ro_process = {
        URIRef(f"http://purl.obolibrary.org/obo/RO_{n}") for n in ("0002304", "0002305", "0002411", "0002211")
    }
    for name in ("promotes", "inhibits", "isRequiredFor", "regulates", "upregulates", "downregulates"):
        assert ro_process.isdisjoint(onto.transitive_objects(vocab(name), RDFS.subPropertyOf)), name

"""Find a thing of the graph by the name a person would use: label, synonym, CURIE or IRI.

The SPARQL lives in ``queries/lookup/``. An unknown or ambiguous name is an
:class:`~exokg.errors.InputError` that lists the closest names, never an empty answer.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from exokg.errors import InputError
from exokg.prefixes import compress, load_prefix_map
from exokg.query.engines import Engine
from exokg.query.terms import iri, literal
from exokg.resources import queries_dir
from exokg.vocab import ENTITY

__all__ = ["Entity", "describe", "resolve"]

_SUGGESTIONS = 5


@dataclass(frozen=True)
class Entity:
    """A thing of the graph, found by label, synonym, CURIE or IRI."""

    iri: str
    curie: str
    label: str
    types: list[str]
    synonyms: list[str]
    definition: str
    external_ids: list[str]


@cache
def _lookup_query(name: str) -> str:
    return (queries_dir() / "lookup" / f"{name}.rq").read_text(encoding="utf-8")


def _looks_like_iri(text: str) -> bool:
    prefix, sep, _ = text.partition(":")
    return text.startswith("<") or "://" in text or (bool(sep) and prefix in load_prefix_map())


def resolve(engine: Engine, name: str) -> str:
    """The IRI that ``name`` stands for: a CURIE or IRI of the graph, an external id mapped to one, or a name.

    A name is a label, exact synonym or database cross-reference, in any case.
    """
    text = name.strip()
    if not text:
        raise InputError("an empty name matches nothing")
    if _looks_like_iri(text):
        target = iri(text, expand_curie=True).value
        if engine.run(_lookup_query("exists"), {"thing": iri(target)}).boolean:
            return target
        mapped = [row["thing"]["value"] for row in engine.run(_lookup_query("external"), {"target": iri(target)}).rows]
        if not mapped:  # else the thing that lists it as a database cross-reference (a literal "UniProtKB:…")
            mapped = [row["thing"]["value"] for row in engine.run(_lookup_query("xref"), {"name": literal(text)}).rows]
        # An external id (GO, MONDO, HGNC, ...) stands for the one thing mapped to it; a class and its
        # eponymous individual may share one, and then the individual is meant (as in --ids external).
        entities = [thing for thing in mapped if thing.startswith(ENTITY)]
        if len(mapped) == 1 or len(entities) == 1:
            return (entities or mapped)[0]
        if mapped:
            shown = ", ".join(_curie(thing) for thing in mapped)
            raise InputError(f"{name!r} is the exact match of {len(mapped)} things: {shown}; give one of them")
        raise InputError(f"{name!r} is not in the graph{_did_you_mean(engine, text)}")
    matches = engine.run(_lookup_query("resolve"), {"name": literal(text)}).rows
    things = sorted({row["thing"]["value"] for row in matches})
    entities = [thing for thing in things if thing.startswith(ENTITY)]
    if len(things) == 1 or len(entities) == 1:
        # A class and its eponymous individual may share a name: the individual is meant.
        return (entities or things)[0]
    if not things:
        raise InputError(f"nothing in the graph is named {name!r}{_did_you_mean(engine, text)}")
    shown = "; ".join(f"{_curie(t)} ({_label_of(matches, t)})" for t in things[:10])
    raise InputError(f"{name!r} names {len(things)} things: {shown}; give a CURIE to choose one")


def describe(engine: Engine, target: str) -> Entity:
    """Label, types (asserted and inferred), synonyms, definition and external ids of ``target``."""
    rows = engine.run(_lookup_query("describe"), {"thing": iri(target)}).rows
    fields: dict[str, list[str]] = {"label": [], "type": [], "synonym": [], "definition": [], "external_id": []}
    for row in rows:
        value = row["value"]
        text = _curie(value["value"]) if value["type"] == "uri" else value["value"]
        fields[row["field"]["value"]].append(text)
    return Entity(
        iri=target,
        curie=_curie(target),
        label=(fields["label"] or [""])[0],
        types=sorted(set(fields["type"])),
        synonyms=fields["synonym"],
        definition=(fields["definition"] or [""])[0],
        external_ids=fields["external_id"],
    )


def _did_you_mean(engine: Engine, text: str) -> str:
    """The closest labels, synonyms or CURIEs to ``text``, as a hint for the error message."""
    candidates: dict[str, tuple[str, str]] = {}  # lower-case key -> (name as written, thing)
    for row in engine.run(_lookup_query("names")).rows:
        thing, name = row["thing"]["value"], row["text"]["value"]
        candidates.setdefault(name.lower(), (name, thing))
        candidates.setdefault(_curie(thing).lower(), (_curie(thing), thing))
    close = difflib.get_close_matches(text.lower(), list(candidates), n=_SUGGESTIONS, cutoff=0.6)
    if not close:
        return ""
    shown = [f"{candidates[key][0]!r} ({_curie(candidates[key][1])})" for key in close]
    return "; did you mean: " + ", ".join(shown) + "?"


def _label_of(rows: list[dict[str, dict[str, str]]], thing: str) -> str:
    return next((row["label"]["value"] for row in rows if row["thing"]["value"] == thing), "")


def _curie(target: str) -> str:
    return compress(target) or target

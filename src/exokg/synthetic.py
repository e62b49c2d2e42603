"""A seeded synthetic corpus of the review graph's shape, for measuring exokg at 10^5–10^7 triples.

The real review graph is the template. Each synthetic *study* is a copy of every claim
and every cited reference with fresh IRIs (``claim/syn<k>-…``, ``source/syn<k>-…``);
the molecules and other entities the claims are about are replaced by synthetic
variants (``entity/syn<v>-…``, labelled "… (synthetic v)", the same types, synonyms and
external mappings), a variant shared by about three studies, as a protein is reported
by several studies in ExoCarta. The small vocabularies — cancers, body fluids, cells,
organs, species, sections, the review itself — stay the real entities, and each claim
qualifier (cancer, body fluid, stage, …) is redrawn with probability one half from that
qualifier's distribution over the real claims. So every shape, QC query and canned
query applies, and answers anchored on a real cancer grow with the corpus.

Synthetic triples go into their own named graph, :data:`SYNTHETIC_GRAPH`; the real
graphs are kept beside them unchanged. Nothing here writes into a build folder.

>>> real = [("<https://w3id.org/exokg/claim/c1>", "<https://w3id.org/exokg/vocab/claimSubject>",
...          "<https://w3id.org/exokg/entity/cd63>")]
>>> out = list(generate(real, [], triples=2, seed=1))
>>> out[0][2]
'<https://w3id.org/exokg/entity/syn0-cd63>'
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from exokg.vocab import CLAIM, ENTITY, EXOKG, GRAPH

__all__ = ["SYNTHETIC_GRAPH", "generate", "write_nquads"]

SYNTHETIC_GRAPH = GRAPH + "synthetic"
Triple = tuple[str, str, str]  # N-Triples terms: <iri>, "literal"…, _:b

RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SYNONYM = "<http://www.geneontology.org/formats/oboInOwl#hasExactSynonym>"
RENAMED_LITERALS = {RDFS_LABEL, SYNONYM}
# Claim properties kept as they are (structure and evidence); every other IRI-valued one is a qualifier.
# Certainty too: an asserted claim has its subject-relation-object shortcut and a hedged one has none,
# so a redrawn certainty would break the QC rule that pairs them.
FIXED = {f"<{EXOKG}{name}>" for name in ("claimSubject", "claimObject", "claimRelation", "citesReference",
                                          "statedIn", "inSection", "hasEvidence", "hasCertainty")}  # fmt: skip
FIXED.add("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>")
STUDIES_PER_VARIANT = 3


def _is(term: str, namespace: str) -> bool:
    return term.startswith("<" + namespace)


class _Shape:
    """What the real review graph is made of: claims, cited references, entities to vary, qualifier draws."""

    def __init__(self, review: Sequence[Triple], mappings: Sequence[Triple]) -> None:
        self.review = sorted(set(review))
        self.mappings = sorted(set(mappings))
        claims = {s for s, _, _ in self.review if _is(s, CLAIM)}
        self.references = {o for s, p, o in self.review if s in claims and p == f"<{EXOKG}citesReference>"}
        subjects_and_objects = {o for s, p, o in self.review if s in claims and p in FIXED and _is(o, ENTITY)}
        qualifier_values: dict[str, list[str]] = defaultdict(list)
        for s, p, o in self.review:
            if s in claims and p not in FIXED and o.startswith("<"):
                qualifier_values[p].append(o)
        shared = {o for values in qualifier_values.values() for o in values}
        shared |= {o for _, p, o in self.review if p in (f"<{EXOKG}isSubtypeOf>", f"<{EXOKG}hasSubtype>")}
        shared |= {s for s, p, _ in self.review if p in (f"<{EXOKG}isSubtypeOf>", f"<{EXOKG}hasSubtype>")}
        self.varied = {e for e in subjects_and_objects if _is(e, ENTITY)} - shared
        self.qualifiers = {p: sorted(v) for p, v in qualifier_values.items()}
        self.study_triples = [t for t in self.review if t[0] in claims or t[0] in self.references]
        self.variant_triples = [
            t for t in self.review + self.mappings
            if t not in self.study_triples and (t[0] in self.varied or t[2] in self.varied)
        ]  # fmt: skip


def _rename(term: str, prefix: str) -> str:
    """``<…/entity/x>`` → ``<…/entity/syn3-x>``."""
    cut = term.rfind("/") + 1
    return term[:cut] + prefix + term[cut:]


def _literal_suffix(term: str, suffix: str) -> str:
    end = term.rfind('"')
    return term[:end] + suffix + term[end:]


def generate(review: Iterable[Triple], mappings: Iterable[Triple], *, triples: int, seed: int) -> Iterator[Triple]:
    """Synthetic triples (studies and entity variants) until about ``triples`` are produced.

    The same inputs, size and seed give the same triples in the same order.
    """
    shape = _Shape(list(review), list(mappings))
    if not shape.study_triples:
        return
    rng = random.Random(seed)
    per_study = len(shape.study_triples) + len(shape.variant_triples) / STUDIES_PER_VARIANT
    studies = max(1, math.ceil(triples / per_study))
    variants = max(1, math.ceil(studies / STUDIES_PER_VARIANT))
    emitted_variants: set[int] = set()
    for study in range(studies):
        variant = study % variants
        entity_prefix, study_prefix = f"syn{variant}-", f"syn{study}-"

        def rename(term: str, study_prefix: str = study_prefix, entity_prefix: str = entity_prefix) -> str:
            if term in shape.varied:
                return _rename(term, entity_prefix)
            if _is(term, CLAIM) or term in shape.references:
                return _rename(term, study_prefix)
            return term

        if variant not in emitted_variants:
            emitted_variants.add(variant)
            for s, p, o in shape.variant_triples:
                if p in RENAMED_LITERALS and s in shape.varied and o.startswith('"'):
                    o = _literal_suffix(o, f" (synthetic {variant})")
                yield rename(s), p, rename(o)
        seen: set[Triple] = set()  # a redrawn qualifier may repeat another value of the same claim
        for s, p, o in shape.study_triples:
            if p in shape.qualifiers and rng.random() < 0.5:
                o = rng.choice(shape.qualifiers[p])
            elif p == RDFS_LABEL and _is(s, CLAIM):
                o = _literal_suffix(o, f" (synthetic study {study})")
            triple = (rename(s), p, rename(o))
            if triple not in seen:
                seen.add(triple)
                yield triple


def write_nquads(path: Path, graphs: dict[str, Iterable[Triple]]) -> int:
    """Write ``{graph IRI: triples}`` as N-Quads, streaming; return the number of lines written."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for graph, triples in graphs.items():
            name = f"<{graph}>"
            for s, p, o in triples:
                out.write(f"{s} {p} {o} {name} .\n")
                count += 1
    return count


__all__ += ["STUDIES_PER_VARIANT"]

"""The reason stage: HermiT (through owlready2) over the asserted graph, keeping only what it adds.

The asserted graph (ontology + data) is written as N-Triples, without any
``owl:imports`` (owlready2 fetches imports over HTTP even with ``only_local=True``),
and loaded into a fresh owlready2 ``World``. HermiT checks consistency, classifies
the classes and realises the individuals; the object property values between
individuals come from the property axioms (:mod:`exokg.pipeline.entailment`). The result is
what HermiT added and the input did not already say, in an rdflib graph.

owlready2 keeps two settings process-wide: the Java executable and the folder of its
temporary file (``tempfile.tempdir``, which it leaks when HermiT fails). Both are set
for one run at a time under a lock, inside a temporary folder this module removes.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from exokg.errors import EngineError, ExokgError
from exokg.pipeline.clashes import Clash, find_clashes
from exokg.prefixes import bind_prefixes

__all__ = [
    "INSTALL_JAVA",
    "InconsistentError",
    "JavaNotFoundError",
    "Reasoning",
    "java_available",
    "reason",
]

INSTALL_JAVA = (
    "install a Java runtime, version 8 or later (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; "
    "Fedora: dnf install java-17-openjdk-headless; macOS: brew install openjdk@17), "
    "or give the path of a java executable (--java, or JAVA_HOME)"
)

_INPUT_IRI = "http://exokg.invalid/reason-input"
_INFERENCES_IRI = "http://inferrences/"  # owlready2's spelling: where sync_reasoner writes
_LOCK = threading.Lock()  # guards owlready2.JAVA_EXE and tempfile.tempdir, both process-wide
_MAX_CLASHES_SHOWN = 20
_Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Reasoning:
    """What one run of the reasoner found."""

    consistent: bool
    unsatisfiable: tuple[str, ...]  # class IRIs, sorted
    inferred: Graph  # only triples absent from the input graph
    seconds: float


class InconsistentError(ExokgError):
    """The asserted graph has no model: HermiT refused it (exit 1).

    >>> InconsistentError([]).exit_code
    1
    """

    exit_code = 1

    def __init__(self, clashes: Iterable[Clash]) -> None:
        self.clashes = tuple(clashes)
        super().__init__(_describe_inconsistency(self.clashes))


class JavaNotFoundError(EngineError):
    """No Java runtime to run HermiT (exit 2)."""


def java_available(java: str | None = None) -> bool:
    """Whether ``java`` (default: ``$JAVA_HOME/bin/java``, else ``java`` on PATH) runs.

    >>> java_available("/nonexistent/java")
    False
    """
    path = _find_java(java)
    if path is None:
        return False
    try:
        done = subprocess.run([path, "-version"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def reason(
    asserted: Graph, *, java: str | None = None, strict: bool = True, hermit_property_values: bool = False
) -> Reasoning:
    """Run HermiT over ``asserted`` and return what it adds.

    HermiT checks consistency, classifies and realises; the object property values
    come from :func:`~exokg.pipeline.entailment.entailed_property_values` (the same
    values as HermiT's ``-Y``, which doubles its time) unless ``hermit_property_values``.
    Raises :class:`InconsistentError` (naming the individuals whose types clash) when
    the graph is inconsistent, unless ``strict`` is false: then the result says
    ``consistent=False`` and holds no inferences. Raises :class:`JavaNotFoundError`
    without Java. ``seconds`` covers serialising, loading, reasoning and collecting.
    """
    path = _require_java(java)
    started = time.perf_counter()
    produced = _run_hermit(_owlready_input(asserted), path, property_values=hermit_property_values)
    if produced is None:
        if strict:
            raise InconsistentError(find_clashes(asserted))
        return Reasoning(False, (), bind_prefixes(Graph()), time.perf_counter() - started)
    if not hermit_property_values:
        from exokg.pipeline.entailment import entailed_property_values

        for triple in entailed_property_values(asserted):
            produced.add(triple)
    unsatisfiable = _unsatisfiable(produced)
    inferred = _new_triples(asserted, produced)
    return Reasoning(True, unsatisfiable, inferred, time.perf_counter() - started)


# ---- Java ----------------------------------------------------------------------------


def _find_java(java: str | None) -> str | None:
    if java is None and os.environ.get("JAVA_HOME"):
        candidate = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which(java or "java")


def _require_java(java: str | None) -> str:
    path = _find_java(java)
    if path is None or not java_available(path):
        where = java or "java (JAVA_HOME or PATH)"
        raise JavaNotFoundError(f"cannot run {where}: the reasoner HermiT needs Java; {INSTALL_JAVA}")
    return path


# ---- owlready2 and HermiT ------------------------------------------------------------


def _owlready_input(graph: Graph) -> bytes:
    """N-Triples for owlready2, without ``owl:imports`` (which it would fetch over HTTP)."""
    clean = Graph()
    for triple in graph:
        if triple[1] != OWL.imports:
            clean.add(triple)
    return clean.serialize(format="nt", encoding="utf-8")


@contextmanager
def _sandbox(owlready2: Any, java: str) -> Iterator[None]:
    """Point owlready2 at ``java`` and every temporary file at a folder removed afterwards."""
    with _LOCK, tempfile.TemporaryDirectory(prefix="exokg-reason-") as folder:
        saved_tempdir, saved_java = tempfile.tempdir, owlready2.JAVA_EXE
        tempfile.tempdir, owlready2.JAVA_EXE = folder, java
        try:
            yield
        finally:
            tempfile.tempdir, owlready2.JAVA_EXE = saved_tempdir, saved_java


def _run_hermit(data: bytes, java: str, *, property_values: bool) -> Graph | None:
    """The triples HermiT added, as owlready2 records them; None when the input is inconsistent."""
    import owlready2

    with _sandbox(owlready2, java):
        world = owlready2.World()  # fresh: never the default world
        try:
            world.get_ontology(_INPUT_IRI).load(fileobj=io.BytesIO(data), format="ntriples")
            owlready2.sync_reasoner(world, infer_property_values=property_values, debug=0)
            return _saved(world.get_ontology(_INFERENCES_IRI))
        except owlready2.OwlReadyInconsistentOntologyError:
            return None
        except OSError as exc:
            raise _os_error(exc, java) from None
        except owlready2.OwlReadyJavaError as exc:
            raise EngineError(f"HermiT failed: {_tail(str(exc))}") from None
        except owlready2.OwlReadyOntologyParsingError as exc:
            raise EngineError(f"owlready2 could not load the graph: {_tail(str(exc))}") from None
        finally:
            world.close()


def _os_error(exc: OSError, java: str) -> ExokgError:
    if exc.filename == java:  # subprocess could not start it (removed or broken since the check)
        return JavaNotFoundError(f"cannot run {java}: {exc.strerror}; {INSTALL_JAVA}")
    return EngineError(f"the reasoner could not read or write a file: {exc}")


def _saved(ontology: Any) -> Graph:
    buffer = io.BytesIO()
    ontology.save(file=buffer, format="ntriples")
    return Graph().parse(data=buffer.getvalue(), format="nt")


def _tail(text: str, lines: int = 12) -> str:
    """The last lines of a Java error: the message is at the end of the stack trace."""
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


# ---- collecting the inferences -------------------------------------------------------


def _unsatisfiable(produced: Graph) -> tuple[str, ...]:
    """Classes HermiT found equivalent to owl:Nothing, sorted."""
    found = {s for s in produced.subjects(OWL.equivalentClass, OWL.Nothing)}
    found |= {o for o in produced.objects(OWL.Nothing, OWL.equivalentClass)}
    return tuple(sorted(str(c) for c in found if isinstance(c, URIRef) and c != OWL.Nothing))


@dataclass(frozen=True)
class _Vocabulary:
    classes: frozenset[Node]
    object_properties: frozenset[Node]
    mirrors: dict[Node, frozenset[Node]]  # p -> q such that (s p o) entails (o q s)

    @classmethod
    def of(cls, graph: Graph) -> _Vocabulary:
        mirrors: dict[Node, set[Node]] = {}
        for p, q in graph.subject_objects(OWL.inverseOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef):  # not the anonymous inverses of chains
                mirrors.setdefault(p, set()).add(q)
                mirrors.setdefault(q, set()).add(p)
        for p in graph.subjects(RDF.type, OWL.SymmetricProperty):
            if isinstance(p, URIRef):
                mirrors.setdefault(p, set()).add(p)
        return cls(
            frozenset(graph.subjects(RDF.type, OWL.Class)) - {OWL.Thing, OWL.Nothing, OWL.NamedIndividual},
            frozenset(graph.subjects(RDF.type, OWL.ObjectProperty)),
            {p: frozenset(qs) for p, qs in mirrors.items()},
        )


def _new_triples(asserted: Graph, produced: Graph) -> Graph:
    """Wanted inferences (types, subclasses, equivalences, property values) absent from ``asserted``."""
    vocabulary = _Vocabulary.of(asserted)
    kept = {t for t in produced if _wanted(t, vocabulary)}
    kept |= _mirrored(asserted, kept, vocabulary)
    inferred = bind_prefixes(Graph())
    for triple in sorted(kept):
        if triple not in asserted:
            inferred.add(triple)
    return inferred


def _wanted(triple: _Triple, vocabulary: _Vocabulary) -> bool:
    """Keep non-trivial types, subclass and equivalence axioms between named classes, and property values."""
    s, p, o = triple
    if not (isinstance(s, URIRef) and isinstance(o, URIRef)):
        return False
    if p == RDF.type:
        return o in vocabulary.classes
    if p in (RDFS.subClassOf, OWL.equivalentClass):
        return s != o and s in vocabulary.classes and o in vocabulary.classes
    return p in vocabulary.object_properties


def _mirrored(asserted: Graph, produced: set[_Triple], vocabulary: _Vocabulary) -> set[_Triple]:
    """Close property values under inverses and symmetry.

    owlready2 drops a value HermiT found when the input states its inverse
    (``hasCargo`` given, ``isCargoOf`` dropped) or, for a symmetric property, its mirror.
    """
    todo = [t for t in produced if t[1] in vocabulary.mirrors]
    for prop in vocabulary.mirrors:
        todo += [t for t in asserted.triples((None, prop, None)) if isinstance(t[0], URIRef)]
    known = set(todo)
    while todo:
        s, p, o = todo.pop()
        if not isinstance(o, URIRef):
            continue
        for q in vocabulary.mirrors.get(p, frozenset()):
            mirror = (o, q, s)
            if mirror not in known:
                known.add(mirror)
                todo.append(mirror)
    return known


def _describe_inconsistency(clashes: tuple[Clash, ...]) -> str:
    head = "the asserted graph is inconsistent (HermiT found no model of it)"
    if not clashes:
        return (
            f"{head}, and no individual has two disjoint told types (by rdf:type, subclass, domain or range): "
            "the clash involves other axioms (a defined class, owl:sameAs/differentFrom, cardinality) "
            "or the ontology itself; reason over the ontology alone to narrow it down"
        )
    shown = [f"  - {clash.render()}" for clash in clashes[:_MAX_CLASHES_SHOWN]]
    if len(clashes) > _MAX_CLASHES_SHOWN:
        shown.append(f"  ... and {len(clashes) - _MAX_CLASHES_SHOWN} more")
    return f"{head}: {len(clashes)} individual type clash(es):\n" + "\n".join(shown)

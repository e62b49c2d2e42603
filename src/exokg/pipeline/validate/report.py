"""The OBO ontology report: the checks of ROBOT's report profile, as exokg's own queries in ``queries/report/``.

Each ``queries/report/<check>.rq`` is one SELECT query named after the ROBOT check it
implements, at the same level (``ERROR``, ``WARN``, ``INFO``)::

    # name: duplicate_label
    # level: ERROR
    # checks: no two live terms share a label
    # fix: rename one, or apply the naming rule ...

and returns ``?entity ?property ?value`` per finding. ``queries/report/allow-list.tsv``
lists the findings that are intended (check, entity, reason); they are counted, not
reported. An ERROR fails ``exokg validate`` and ``exokg build``.

>>> from rdflib import Graph
>>> run_report(Graph()).errors
0
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exokg.errors import EngineError, InputError
from exokg.io.tables import read_table
from exokg.query.catalogue import header_fields
from exokg.query.guard import check_query
from exokg.resources import queries_dir

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["LEVELS", "OboReport", "ReportCheck", "ReportRow", "load_allow_list", "load_report_checks", "run_report"]

LEVELS = ("ERROR", "WARN", "INFO")
_CHECK_NAME = re.compile(r"^[a-z][a-z_]*$")


@dataclass(frozen=True)
class ReportCheck:
    """One report query: the ROBOT check it implements, its level, what it checks and the fix."""

    name: str
    level: str
    checks: str
    fix: str
    text: str
    path: Path


@dataclass(frozen=True, order=True)
class ReportRow:
    """One finding, as ROBOT's TSV report writes it: level, check, subject, property, value."""

    level_rank: int
    check: str
    entity: str
    predicate: str  # ROBOT's 'Property' column
    value: str

    @property
    def level(self) -> str:
        return LEVELS[self.level_rank]


@dataclass(frozen=True)
class OboReport:
    """The findings of the report on one graph, and how many intended findings the allow-list held back."""

    scope: str
    rows: tuple[ReportRow, ...]
    allowed: int
    checks: tuple[str, ...]

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if row.level == "ERROR")

    def counts(self) -> dict[tuple[str, str], int]:
        """(level, check) → number of findings, every check listed (0 included), ERROR first."""
        found = Counter((row.level, row.check) for row in self.rows)
        return dict(sorted(found.items(), key=lambda item: (LEVELS.index(item[0][0]), item[0][1])))

    def summary(self) -> str:
        by_level = Counter(row.level for row in self.rows)
        parts = ", ".join(f"{by_level.get(level, 0)} {level}" for level in LEVELS)
        lines = [f"OBO report ({self.scope}): {parts} from {len(self.checks)} checks; {self.allowed} allowed"]
        lines += [f"  {level:<5} {check}: {count}" for (level, check), count in self.counts().items()]
        return "\n".join(lines) + "\n"

    def to_tsv(self) -> str:
        """ROBOT's TSV report columns, with the scope first; sorted by level, check, subject."""
        lines = ["Scope\tLevel\tRule Name\tSubject\tProperty\tValue"]
        for row in sorted(self.rows):
            value = " ".join(row.value.split())
            lines.append("\t".join((self.scope, row.level, row.check, row.entity, row.predicate, value)))
        return "\n".join(lines) + "\n"


def parse_report_check(path: Path) -> ReportCheck:
    """Read one report query and check its header; errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read report query: {exc.strerror}", path=path) from None
    fields = header_fields(text)
    for key in ("name", "level", "checks", "fix"):
        if not fields.get(key):
            raise InputError(f"report query header lacks '# {key}:'", path=path, line=1)
    if fields["name"] != path.stem or not _CHECK_NAME.match(path.stem):
        raise InputError(f"header name {fields['name']!r} must be the file name {path.stem!r}", path=path, line=1)
    if fields["level"] not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}, not {fields['level']!r}", path=path, line=1)
    check_query(text)
    return ReportCheck(path.stem, fields["level"], fields["checks"], fields["fix"], text, path)


def load_report_checks(folder: Path | None = None) -> list[ReportCheck]:
    """Every check of ``folder`` (default: the packaged ``queries/report/``), sorted by name."""
    root = folder or (queries_dir() / "report")
    return [parse_report_check(path) for path in sorted(root.glob("*.rq"))]


def load_allow_list(path: Path | None = None) -> dict[tuple[str, str], str]:
    """(check, entity CURIE or IRI) → why the finding is intended."""
    source = path or (queries_dir() / "report" / "allow-list.tsv")
    if not source.is_file():
        return {}
    rows = read_table(source, required=("check", "entity", "reason"))
    return {(row["check"], row["entity"]): row["reason"] for row in rows}


def run_report(
    graph: Graph,
    *,
    scope: str = "graph",
    checks: list[ReportCheck] | None = None,
    allow: dict[tuple[str, str], str] | None = None,
) -> OboReport:
    """Run every check over ``graph`` (on Oxigraph) and return the findings the allow-list does not hold back."""
    from exokg.pipeline.validate.qc import oxigraph_store

    chosen = checks if checks is not None else load_report_checks()
    allowed = allow if allow is not None else load_allow_list()
    store = oxigraph_store(graph)
    rows: set[ReportRow] = set()
    held_back = 0
    for check in chosen:
        for entity, prop, value in _solutions(store, check):
            if (check.name, entity) in allowed or (check.name, _curie(entity)) in allowed:
                held_back += 1
                continue
            rows.add(ReportRow(LEVELS.index(check.level), check.name, _curie(entity), _curie(prop), value))
    return OboReport(scope, tuple(sorted(rows)), held_back, tuple(check.name for check in chosen))


def _solutions(store: Any, check: ReportCheck) -> list[tuple[str, str, str]]:
    import pyoxigraph

    try:
        result = store.query(check.text)
    except Exception as exc:  # a syntax or evaluation error in a shipped query
        raise EngineError(f"report check {check.name} failed: {exc}", path=check.path) from None
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise EngineError(f"report check {check.name} is not a SELECT query", path=check.path)
    return [(_text(s["entity"]), _text(s["property"]), _text(s["value"])) for s in result]


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)


def _curie(text: str) -> str:
    from exokg.prefixes import compress

    return compress(text) or text if "://" in text else text


def report_scopes(ontology: Graph, data: Graph) -> list[OboReport]:
    """The report on the ontology alone (what OBO tools load) and on the full graph (ontology + data)."""
    from exokg.pipeline.assemble import merged

    checks, allow = load_report_checks(), load_allow_list()
    return [
        run_report(ontology, scope="ontology", checks=checks, allow=allow),
        run_report(merged(ontology, data), scope="full", checks=checks, allow=allow),
    ]


def write_obo_reports(reports: list[OboReport], folder: Path) -> None:
    """``obo-report.tsv`` (every finding, ROBOT's columns with the scope first) and ``obo-report.txt`` (counts)."""
    from exokg.io.atomic import write_atomic

    rows = [line for report in reports for line in report.to_tsv().splitlines()[1:]]
    header = OboReport("", (), 0, ()).to_tsv()
    write_atomic(folder / "obo-report.tsv", header + "".join(line + "\n" for line in rows))
    write_atomic(folder / "obo-report.txt", "".join(report.summary() for report in reports))

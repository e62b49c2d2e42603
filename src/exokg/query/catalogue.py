"""The canned query catalogue: ``queries/*.rq`` files with a header block, and typed parameters.

Header lines start with ``#`` and come before the query text::

    # title: Proteins common to most exosomes
    # question: Which proteins are found in most exosomes and used to confirm them?
    # param: cancer | IRI | exokg.entity:pancreatic-cancer | the cancer to ask about
    # requires: inferred
    # example: exokg query run common-markers

Each parameter is a SPARQL variable of the same name; its value is turned into
an RDF term of the declared type and bound by the engine, never spliced into text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from exokg.errors import InputError
from exokg.query.terms import Record, Term, iri, literal
from exokg.resources import queries_dir

__all__ = [
    "HEADER_LINE",
    "PARAM_TYPES",
    "CannedQuery",
    "Parameter",
    "bind_parameters",
    "get_query",
    "header_fields",
    "load_catalogue",
    "parse_query_file",
]

PARAM_TYPES = ("IRI", "CURIE", "label", "string", "integer")
#: One ``# key: value`` line of the comment block that heads every shipped ``.rq`` file.
HEADER_LINE = re.compile(r"^#\s*([a-z_]+):\s*(.*)$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")  # fits xsd:long; Python refuses int() of 4,300+ digits anyway
_SURROGATE = re.compile("[\ud800-\udfff]")


class Parameter(Record):
    __slots__ = ("name", "type", "default", "description")  # noqa: RUF023 (the fields, in order)
    name: str
    type: str
    default: str
    description: str

    def __init__(self, name: str, type: str, default: str, description: str) -> None:
        super().__init__(name, type, default, description)


class CannedQuery(Record):
    __slots__ = ("name", "title", "question", "parameters", "requires", "example", "text", "path")  # noqa: RUF023
    name: str
    title: str
    question: str
    parameters: tuple[Parameter, ...]
    requires: tuple[str, ...]
    example: str
    text: str
    path: Path

    def __init__(self, name: str, title: str, question: str, parameters: tuple[Parameter, ...],
                 requires: tuple[str, ...], example: str, text: str, path: Path) -> None:  # fmt: skip
        super().__init__(name, title, question, parameters, requires, example, text, path)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        valid = ", ".join(p.name for p in self.parameters) or "none"
        raise InputError(f"query {self.name!r} has no parameter {name!r}; valid parameters: {valid}")


def parse_query_file(path: Path) -> CannedQuery:
    """Read one ``.rq`` file and its header; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read query: {exc.strerror}", path=path) from None
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = HEADER_LINE.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            parameters.append(_parameter(value, path, number))
        else:
            fields[key] = value
    for key in ("title", "question", "example"):
        if not fields.get(key):
            raise InputError(f"query header lacks '# {key}:'", path=path, line=1)
    requires = tuple(part.strip() for part in fields.get("requires", "").split(",") if part.strip())
    return CannedQuery(path.stem, fields["title"], fields["question"], tuple(parameters), requires,
                       fields["example"], text, path)  # fmt: skip


def header_fields(text: str) -> dict[str, str]:
    r"""The ``# key: value`` fields of a query file's leading comment block (a repeated key keeps its last value).

    >>> header_fields("# name: x\n# level: ERROR\nSELECT * WHERE {}")
    {'name': 'x', 'level': 'ERROR'}
    """
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if match := HEADER_LINE.match(line):
            fields[match.group(1)] = match.group(2).strip()
    return fields


def _parameter(spec: str, path: Path, line: int) -> Parameter:
    parts = [part.strip() for part in spec.split("|")]
    if len(parts) != 4:
        raise InputError("'# param:' needs name | type | default | description", path=path, line=line)
    name, kind, default, description = parts
    if not _VARIABLE.match(name):
        raise InputError(f"parameter name {name!r} is not a SPARQL variable name", path=path, line=line)
    if kind not in PARAM_TYPES:
        raise InputError(f"parameter type {kind!r} is not one of {', '.join(PARAM_TYPES)}", path=path, line=line)
    if not default:
        raise InputError(f"parameter {name!r} has no default", path=path, line=line)
    return Parameter(name, kind, default, description)


def load_catalogue(folder: Path | None = None) -> dict[str, CannedQuery]:
    """Every canned query of ``folder`` (default: the packaged ``queries/``), by name."""
    root = folder or queries_dir()
    return {path.stem: parse_query_file(path) for path in sorted(root.glob("*.rq"))}


def get_query(name: str, *, folder: Path | None = None) -> CannedQuery:
    """One canned query by name; an unknown name lists the valid ones."""
    root = folder or queries_dir()
    path = root / f"{name}.rq"
    try:
        found = path.stat() if "/" not in name else None
    except OSError:
        found = None
    if found is None or not path.is_file():
        valid = ", ".join(sorted(p.stem for p in root.glob("*.rq")))
        raise InputError(f"unknown query {name!r}; valid queries: {valid}")
    return _parsed(path, found.st_mtime_ns, found.st_size)


@lru_cache(maxsize=256)
def _parsed(path: Path, mtime_ns: int, size: int) -> CannedQuery:
    """A parsed query file, kept while the file is unchanged (the API answers the same queries again)."""
    return parse_query_file(path)


def bind_parameters(
    query: CannedQuery, given: dict[str, str], *, resolve: Callable[[str], str] | None = None
) -> dict[str, Term]:
    """Typed terms for every parameter: the given value or the default.

    With ``resolve``, a given IRI parameter may be a label, synonym, CURIE or IRI:
    ``resolve`` turns it into the IRI of the one thing of the graph it names, or raises.
    """
    for name, value in given.items():
        query.parameter(name)  # raises for an unknown parameter, listing the valid ones
        if _SURROGATE.search(value):  # what the shell passes for bytes that are not UTF-8
            raise InputError(f"parameter {name!r} is not valid UTF-8 text")
    terms = {}
    for parameter in query.parameters:
        value = given.get(parameter.name, parameter.default)
        if resolve is not None and parameter.type == "IRI" and parameter.name in given:
            value = f"<{resolve(value)}>"
        terms[parameter.name] = _term(parameter, value)
    return terms


def _term(parameter: Parameter, value: str) -> Term:
    if parameter.type == "IRI":
        return iri(value, expand_curie=True)
    if parameter.type == "CURIE":
        return iri(value, expand_curie=True, require_curie=True)
    if parameter.type == "integer":
        if not _INTEGER.match(value.strip()):
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise InputError(f"parameter {parameter.name!r} must be an integer of at most 18 digits, not {shown!r}")
        return literal(str(int(value)), datatype="http://www.w3.org/2001/XMLSchema#integer")
    return literal(value)

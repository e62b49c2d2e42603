"""Format query answers as a text table, CSV, TSV or SPARQL 1.1 Query Results JSON."""

from __future__ import annotations

import re

from exokg.prefixes import compress

TYPE_CHECKING = False  # typing stays out of a cold `exokg query run` (see exokg.cli.fast); mypy reads the name
if TYPE_CHECKING:
    from exokg.query.engines import Answer

__all__ = ["RESULT_FORMATS", "display_value", "format_answer", "table_columns"]

RESULT_FORMATS = ("table", "csv", "tsv", "json")
LABEL_SUFFIX = "Label"


def display_value(term: dict[str, str] | None, *, curies: bool = True) -> str:
    """A cell's text: IRIs as CURIEs where the prefix map knows them, literals as their value.

    >>> display_value({"type": "uri", "value": "http://purl.obolibrary.org/obo/GO_0070062"})
    'GO:0070062'
    """
    if term is None:
        return ""
    if term["type"] == "uri" and curies:
        return compress(term["value"]) or term["value"]
    return term["value"]


def format_answer(answer: Answer, fmt: str) -> str:
    """Render ``answer`` in ``fmt`` (one of :data:`RESULT_FORMATS`)."""
    if fmt == "json":
        import json

        return json.dumps(answer.to_json(), indent=2, ensure_ascii=False) + "\n"
    if answer.boolean is not None:
        return ("true" if answer.boolean else "false") + "\n"
    if fmt in ("csv", "tsv"):
        return _delimited(answer, "," if fmt == "csv" else "\t")
    return _table(answer)


def _delimited(answer: Answer, delimiter: str) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow([display_value(row.get(v), curies=False) for v in answer.variables])
    return out.getvalue()


def table_columns(variables: list[str]) -> list[tuple[str, str, str]]:
    """The table's columns as (header, label variable, value variable): names out, identifiers kept in data.

    A variable ``x`` answered beside ``xLabel`` is one column headed ``x`` that shows the label (or,
    where the label is unbound, ``x`` itself); a lone ``xLabel`` is headed ``x``. CSV, TSV and JSON
    keep every variable, so machines still get the IRIs and reference numbers.

    >>> table_columns(["relation", "relationLabel", "subjectLabel"])
    [('relation', 'relationLabel', 'relation'), ('subject', 'subjectLabel', 'subjectLabel')]
    """
    names = set(variables)
    columns = []
    for variable in variables:
        if variable.endswith(LABEL_SUFFIX) and len(variable) > len(LABEL_SUFFIX):
            base = variable[: -len(LABEL_SUFFIX)]
            if base not in names:  # a lone label, headed by its plain name (a pair is placed at its IRI)
                columns.append((base, variable, variable))
        elif variable + LABEL_SUFFIX in names:
            columns.append((variable, variable + LABEL_SUFFIX, variable))
        else:
            columns.append((variable, variable, variable))
    return columns


def _table(answer: Answer) -> str:
    columns = table_columns(answer.variables)
    header = [name for name, _, _ in columns]
    body = [[display_value(row.get(label) or row.get(value)) for _, label, value in columns] for row in answer.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    widths = [min(w, 60) for w in widths]

    def line(cells: list[str]) -> str:
        return "  ".join(_clip(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    lines = [line(header), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in body]
    lines.append(
        f"({len(body)} row{'s' if len(body) != 1 else ''}{', truncated at the row cap' if answer.truncated else ''})"
    )
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int) -> str:
    text = _CONTROL.sub("?", text)  # a value (from a remote endpoint, say) must not drive the terminal
    return text if len(text) <= width else text[: width - 1] + "…"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

"""Format query answers as a text table, CSV, TSV or SPARQL 1.1 Query Results JSON."""

from __future__ import annotations

import re

from exokg.prefixes import compress

TYPE_CHECKING = False  # typing stays out of a cold `exokg query run` (see exokg.cli.fast); mypy reads the name
if TYPE_CHECKING:
    from exokg.query.engines import Answer

__all__ = ["RESULT_FORMATS", "display_value", "format_answer"]

RESULT_FORMATS = ("table", "csv", "tsv", "json")


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


def _table(answer: Answer) -> str:
    header = answer.variables
    body = [[display_value(row.get(v)) for v in header] for row in answer.rows]
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

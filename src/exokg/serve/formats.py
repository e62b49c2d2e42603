"""SPARQL 1.1 query results as JSON, XML, CSV and TSV, from rows in the JSON term form."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

__all__ = ["render_results"]

Row = dict[str, dict[str, str]]


def render_results(media_type: str, variables: list[str], rows: list[Row], boolean: bool | None) -> str:
    """Serialise a SELECT (``rows``) or ASK (``boolean``) result.

    >>> render_results("text/csv", ["x"], [{"x": {"type": "literal", "value": "a,b"}}], None)
    'x\\r\\n"a,b"\\r\\n'
    """
    if media_type == "application/sparql-results+xml":
        return _xml(variables, rows, boolean)
    if media_type == "text/csv":
        return _csv(variables, rows, boolean)
    if media_type == "text/tab-separated-values":
        return _tsv(variables, rows, boolean)
    return _json(variables, rows, boolean)


def _json(variables: list[str], rows: list[Row], boolean: bool | None) -> str:
    payload: dict[str, Any]
    if boolean is not None:
        payload = {"head": {}, "boolean": boolean}
    else:
        payload = {"head": {"vars": variables}, "results": {"bindings": rows}}
    return json.dumps(payload, ensure_ascii=False)


def _xml(variables: list[str], rows: list[Row], boolean: bool | None) -> str:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables if boolean is None]
    out.append("</head>")
    if boolean is not None:
        out.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in rows:
            out.append("<result>")
            for name, term in row.items():
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out)


def _xml_term(term: dict[str, str]) -> str:
    value = escape(term["value"])
    if term["type"] == "uri":
        return f"<uri>{value}</uri>"
    if term["type"] == "bnode":
        return f"<bnode>{value}</bnode>"
    if "xml:lang" in term:
        return f"<literal xml:lang={quoteattr(term['xml:lang'])}>{value}</literal>"
    if "datatype" in term:
        return f"<literal datatype={quoteattr(term['datatype'])}>{value}</literal>"
    return f"<literal>{value}</literal>"


def _csv(variables: list[str], rows: list[Row], boolean: bool | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if boolean is not None:  # not defined by the CSV results format; a one-cell table is the convention
        writer.writerow(["boolean"])
        writer.writerow(["true" if boolean else "false"])
        return out.getvalue()
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row.get(v)) for v in variables])
    return out.getvalue()


def _csv_value(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    return "_:" + term["value"] if term["type"] == "bnode" else term["value"]


_TSV_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _tsv_term(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    body = '"' + "".join(_TSV_ESCAPES.get(c, c) for c in term["value"]) + '"'
    if "xml:lang" in term:
        return f"{body}@{term['xml:lang']}"
    if "datatype" in term:
        return f"{body}^^<{term['datatype']}>"
    return body


def _tsv(variables: list[str], rows: list[Row], boolean: bool | None) -> str:
    if boolean is not None:
        return "?boolean\n" + ("true" if boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_term(row.get(v)) for v in variables) for row in rows]
    return "\n".join(lines) + "\n"

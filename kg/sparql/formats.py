"""Result formats: the CLI's (`kg query --format table|csv|tsv|json`) and the endpoint's (SPARQL
1.1 JSON, XML, CSV and TSV results by media type), over the same term writers.

Why the two differ and stay so: the CLI writes for a reader and a spreadsheet (short prefixed names
in a table, plain values in CSV/TSV, indented JSON), the endpoint writes what the SPARQL 1.1
result formats prescribe (CSV with CRLF line ends, TSV with terms in N-Triples syntax, compact
JSON). What they share is how a term becomes JSON and how a term becomes a plain value.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.model.results import QueryResult
from kg.model.vocab import PREFIXES, XSD
from kg.sparql.errors import QueryError

JSON_TYPE = "application/sparql-results+json"
XML_TYPE = "application/sparql-results+xml"
CSV_TYPE = "text/csv"
TSV_TYPE = "text/tab-separated-values"
_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


# -- terms ---------------------------------------------------------------------------------------
def term_value(t: Any, *, short: bool) -> str:
    """A term as plain text: an IRI (as prefix:name when `short`), a literal's lexical form, a
    blank node as _:id, nothing for an unbound variable."""
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        v = t.value
        if short:
            for prefix, iri in PREFIXES.items():
                if v.startswith(iri):
                    return f"{prefix}:{v[len(iri):]}"
        return v
    if isinstance(t, ox.Literal):
        return t.value
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return str(t)


def json_term(t: Any) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": str(t)}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != XSD + "string":
        d["datatype"] = t.datatype.value
    return d


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype and t.datatype.value != XSD + "string":
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return f"<literal>{escape(str(t))}</literal>"


# -- whole results -------------------------------------------------------------------------------
def sparql_json(variables: list[str], rows: Sequence[Sequence[Any]]) -> dict[str, Any]:
    bindings = [{v: json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return {"head": {"vars": variables}, "results": {"bindings": bindings}}


def ask_json(value: bool | None) -> str:
    return json.dumps({"head": {}, "boolean": value})


def delimited(variables: list[str], rows: Sequence[Sequence[Any]], *, delimiter: str, line_end: str) -> str:
    """A header of variable names, then each row's plain values (CSV quoting)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=line_end)
    w.writerow(variables)
    for row in rows:
        w.writerow([term_value(t, short=False) for t in row])
    return buf.getvalue()


def format_result(res: QueryResult, fmt: str, *, max_width: int = 60) -> str:
    """`kg query`'s output: table, csv, tsv or json (N-Triples lines for CONSTRUCT/DESCRIBE)."""
    if res.kind == "ask":
        return ask_json(res.boolean) if fmt == "json" else ("true" if res.boolean else "false")
    if res.kind == "graph":
        return "".join(f"{s} {p} {o} .\n" for s, p, o in res.triples)
    if fmt == "json":
        return json.dumps(sparql_json(res.variables, res.rows), ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        return delimited(res.variables, res.rows, delimiter="," if fmt == "csv" else "\t", line_end="\n")
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; use table, csv, tsv or json")
    return _table(res, max_width)


def _table(res: QueryResult, max_width: int) -> str:
    rows = [[_clip(term_value(t, short=True), max_width) for t in row] for row in res.rows]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(res.variables)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(res.variables), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def render_select(variables: list[str], rows: list[list[Any]], media: str) -> bytes:
    """A SELECT result in one of the SPARQL 1.1 result formats (the endpoint's answer)."""
    if media == JSON_TYPE:
        return json.dumps(sparql_json(variables, rows), ensure_ascii=False).encode()
    if media == XML_TYPE:
        out = [_XML_HEAD + "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if media == CSV_TYPE:
        return delimited(variables, rows, delimiter=",", line_end="\r\n").encode()
    # TSV: terms in SPARQL/Turtle syntax, per the SPARQL 1.1 TSV results format
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t).replace("\t", "\\t") for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def render_ask(value: bool, media: str) -> bytes:
    """An ASK result in one of the SPARQL 1.1 result formats."""
    if media == XML_TYPE:
        return f"{_XML_HEAD}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n".encode()
    if media in (CSV_TYPE, TSV_TYPE):
        return b"true\n" if value else b"false\n"
    return ask_json(value).encode()

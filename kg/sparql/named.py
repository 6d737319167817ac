"""Named SPARQL queries (queries/*.rq): discovery, parameters, binding, paging and execution.

A query file starts with comment lines that document it:

    # name: who-controls
    # description: Who is said to control a place ...
    # param: place label required  Name or alias of the place

Parameter types: `label` and `string` (plain literals), `date` (xsd:date), `integer`, `iri`.
Values become RDF terms first (a literal, a typed date, an IRI checked against the IRI grammar)
and enter the query only as an inline-data block (`VALUES (?place) { ("Talbisseh") }`) placed at
the start of the query's outermost group, written by the RDF library's own term serialiser; user
text never becomes query syntax, so a value cannot change what the query does. (Oxigraph's
`substitutions` would be the other way, but it only binds variables that the SELECT projects.)

A `label` parameter `?place` also binds `?placeKey`, its lower-cased form, which a query matches
against `ckg:nameKey` in the entities graph (kg/entities.py): an index lookup. The obvious
`FILTER(LCASE(STR(?name)) = LCASE(STR(?place)))` is applied by Oxigraph after the joins that
follow it, so at a million quads it cost seconds instead of milliseconds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.graph.entities import name_key
from kg.model.vocab import PREFIXES, XSD, sparql_prefixes
from kg.runtime.resources import shipped
from kg.sparql.errors import QueryError
from kg.sparql.scanner import code_only, matching_brace
from kg.store.base import QueryResult, Store

PARAM_TYPES = {"label", "string", "date", "integer", "iri"}


@dataclass
class Param:
    name: str
    type: str
    required: bool
    description: str


@dataclass
class NamedQuery:
    name: str
    path: Path
    description: str
    params: list[Param] = field(default_factory=list)
    text: str = ""

    @property
    def sparql(self) -> str:
        return sparql_prefixes() + self.text


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    name, desc, params = path.stem, "", []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if body.startswith("name:"):
            name = body[5:].strip()
        elif body.startswith("description:"):
            desc = body[12:].strip()
        elif body.startswith("param:"):
            parts = body[6:].split(None, 3)
            if len(parts) < 3 or parts[1] not in PARAM_TYPES:
                raise QueryError(f"{path}: bad param line {line!r}")
            params.append(Param(parts[0], parts[1], parts[2] == "required", parts[3] if len(parts) > 3 else ""))
    return NamedQuery(name=name, path=path, description=desc, params=params, text=text)


def named_queries() -> dict[str, NamedQuery]:
    out = {}
    for p in sorted(shipped("queries").glob("*.rq")):
        q = parse_query_file(p)
        out[q.name] = q
    return out


def resolve_query(name_or_file: str) -> NamedQuery:
    p = Path(name_or_file)
    if name_or_file.endswith(".rq"):
        if not p.is_file():
            raise QueryError(f"query file {name_or_file}: not found")
        return parse_query_file(p)
    queries = named_queries()
    if name_or_file not in queries:
        raise QueryError(f"unknown query {name_or_file!r}; known: {', '.join(queries)}")
    return queries[name_or_file]


def bind_params(q: NamedQuery, raw: dict[str, str]) -> dict[str, Any]:
    """Turn --param key=value strings into RDF terms, checking names, types and required ones."""
    known = {p.name: p for p in q.params}
    out: dict[str, Any] = {}
    for k, v in raw.items():
        if k not in known:
            hint = ", ".join(known) or "none"
            raise QueryError(f"query {q.name} has no parameter {k!r} (parameters: {hint})")
        out[k] = to_term(known[k], v)
        if known[k].type == "label":
            out[k + "Key"] = ox.Literal(name_key(v))
    for p in q.params:
        if p.required and p.name not in out:
            raise QueryError(f"query {q.name} needs --param {p.name}=... ({p.description})")
    return out


def to_term(p: Param, value: str) -> Any:
    if p.type in ("label", "string"):
        return ox.Literal(value)
    if p.type == "date":
        try:
            return ox.Literal(dt.date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(XSD + "date"))
        except ValueError:
            raise QueryError(f"parameter {p.name}: {value!r} is not a date YYYY-MM-DD") from None
    if p.type == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryError(f"parameter {p.name}: {value!r} is not an integer")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    if p.type == "iri":
        for prefix, iri in PREFIXES.items():
            if value.startswith(prefix + ":"):
                value = iri + value[len(prefix) + 1 :]
        if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*", value):
            raise QueryError(f"parameter {p.name}: {value!r} is not an IRI")
        return ox.NamedNode(value)
    raise QueryError(f"parameter {p.name}: unknown type {p.type}")


def run_named(store: Store, name_or_file: str, raw_params: dict[str, str], *,
              limit: int | None = None, offset: int = 0) -> QueryResult:
    q = resolve_query(name_or_file)
    return store.query(paged(with_bindings(q.sparql, bind_params(q, raw_params)), limit, offset))


OPTIONAL_LINE = re.compile(r"^([ \t]*)#\?([A-Za-z_]\w*) ([^\n]*)$", re.MULTILINE)
PAGE_MARK = re.compile(r"^[ \t]*# page\b[^\n]*$", re.MULTILINE)
TRAILING_SLICE = re.compile(r"\}[^{}]*\b(LIMIT|OFFSET)\b[^{}]*$", re.IGNORECASE)


def paged(sparql: str, limit: int | None, offset: int = 0) -> str:
    """One page of a query's rows: `LIMIT limit OFFSET offset` (no limit: every row).

    A LIMIT at the end of a query is always right but saves little: Oxigraph computes and sorts
    every row before it cuts, so a listing of 17,000 event accounts with their labels costs the
    same for its first 100 rows. A query that can pick its page early says where, with a comment
    line `# page` closing the sub-SELECT that chooses and orders its rows (before the joins that
    only decorate them); the slice goes there. Run as it stands, by any other SPARQL client, the
    comment is just a comment and the query returns every row."""
    if not limit and not offset:
        return sparql
    if limit is not None and limit < 0 or offset < 0:
        raise QueryError("--limit and --offset must be 0 or more")
    clause = (f"LIMIT {limit} " if limit else "") + (f"OFFSET {offset}" if offset else "")
    marks = list(PAGE_MARK.finditer(sparql))
    if len(marks) > 1:
        raise QueryError("the query has more than one '# page' line")
    if marks:
        m = marks[0]
        return sparql[: m.start()] + "  " + clause.strip() + sparql[m.end():]
    if TRAILING_SLICE.search(code_only(sparql)):
        raise QueryError("the query has its own LIMIT or OFFSET; drop it or --limit 0")
    return sparql.rstrip() + "\n" + clause.strip() + "\n"


def with_bindings(sparql: str, bindings: dict[str, Any]) -> str:
    """The query with a VALUES block for the bound parameters at the start of its outer group, and
    in each sub-SELECT that uses a parameter's variable, a VALUES block for those parameters.

    Why sub-SELECTs too: a sub-SELECT sees nothing of the outer query, so a parameter bound only
    outside is applied after the sub-SELECT has computed its answer over the whole store (every
    event, every control statement) -- correct, but at a million quads seconds instead of
    milliseconds. A parameter's variable in a sub-SELECT therefore means that parameter.

    A line that starts `#?place ` is a pattern for when `place` is given: the comment mark goes and
    the pattern joins the query. Why not `FILTER(!BOUND(?placeKey) || EXISTS {...})`: Oxigraph
    evaluates that EXISTS once per candidate row, 17,000 event accounts at a million quads, for
    over a minute; a pattern that starts from the place is a few index lookups. Unbound, the line
    stays a comment, so the query as written (run by any SPARQL client) means "no restriction"."""
    if not bindings:
        return sparql
    sparql = OPTIONAL_LINE.sub(lambda m: m.group(1) + m.group(3) if m.group(2) in bindings else m.group(0), sparql)
    code = code_only(sparql)
    outer = code.find("{")
    if outer < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    inserts = [(outer, sorted(bindings))]
    for m in re.finditer(r"\bSELECT\b", code, re.IGNORECASE):
        if m.start() < outer:
            continue
        open_ = code.find("{", m.end())
        close = matching_brace(code, open_) if open_ >= 0 else -1
        if close < 0:
            continue
        used = [n for n in sorted(bindings) if re.search(rf"[?$]{re.escape(n)}\b", code[open_:close])]
        if used:
            inserts.append((open_, used))
    out = sparql
    for pos, names in sorted(inserts, reverse=True):
        block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(str(bindings[n]) for n in names) + ") }"
        out = out[: pos + 1] + "\n  " + block + "\n" + out[pos + 1 :]
    return out

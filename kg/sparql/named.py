"""Named SPARQL queries (queries/*.rq): discovery, parameters, binding, paging and execution.

A query file starts with comment lines that document it:

    # name: who-controls
    # description: Who is said to control a place ...
    # param: place label required  Name or alias of the place

Parameter types: `label` and `string` (plain literals), `date` (xsd:date), `integer`, `iri`, and
three enumerated kinds of string, checked before the query runs because a value outside them
matches nothing and the query would silently return no rows: `eventclass` and `actorclass` (a
class name the ontology declares, from kg.model.results import QueryResult
from kg.model.vocab) and `enum(a|b|c)` (one of the listed words).
Enumerated values match case-insensitively, as the queries compare them; a wrong one is refused
with the nearest allowed value ("did you mean Airstrike?").
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
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.model.text import name_key
from kg.model.vocab import PREFIXES, XSD, sparql_prefixes
from kg.runtime.resources import shipped
from kg.sparql.errors import QueryError, QueryFileError
from kg.sparql.scanner import code_only, matching_brace

PARAM_TYPES = {"label", "string", "date", "integer", "iri"}
ENUM_KINDS = {"eventclass": "event class", "actorclass": "actor class"}
_ENUM = re.compile(r"enum\((\w+(?:\|\w+)*)\)")

if TYPE_CHECKING:  # an annotation only: kg/sparql sits above kg/store
    from kg.store.base import Store


@dataclass
class Param:
    name: str
    type: str  # the value's RDF type (an enumerated kind is a `string`, as `kg query --list` shows)
    required: bool
    description: str
    kind: str = ""  # "", "eventclass", "actorclass" or "enum": which values are allowed
    words: tuple[str, ...] = ()  # an enum's allowed values

    def choices(self) -> tuple[str, ...]:
        """The values this parameter allows (empty: any value of its type). Read when asked,
        so that `kg query` without such a parameter reads no ontology file."""
        if self.kind == "enum":
            return self.words
        if self.kind == "eventclass":
            from kg.model.vocab import EVENT_CLASSES  # ckg:Event itself is no filter: the queries drop it
            return tuple(sorted(EVENT_CLASSES - {"Event"}))
        if self.kind == "actorclass":
            from kg.model.vocab import ACTOR_CLASSES
            return tuple(sorted(ACTOR_CLASSES))
        return ()


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
    text = _read_query_text(path)
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
            params.append(_param_line(path, line, body[6:]))
    return NamedQuery(name=name, path=path, description=desc, params=params, text=text)


def _param_line(path: Path, line: str, body: str) -> Param:
    """`NAME TYPE required|optional TEXT`; TYPE is one of PARAM_TYPES, ENUM_KINDS or enum(a|b)."""
    parts = body.split(None, 3)
    if len(parts) < 3:
        raise QueryError(f"{path}: bad param line {line!r}")
    name, typ, required, text = parts[0], parts[1], parts[2] == "required", parts[3] if len(parts) > 3 else ""
    if typ in PARAM_TYPES:
        return Param(name, typ, required, text)
    if typ in ENUM_KINDS:
        return Param(name, "string", required, text, kind=typ)
    m = _ENUM.fullmatch(typ)
    if m:
        return Param(name, "string", required, text, kind="enum", words=tuple(m.group(1).split("|")))
    raise QueryError(f"{path}: bad param line {line!r}")


def _read_query_text(path: Path) -> str:
    """The file's text; a file that is not UTF-8 text (a binary file, a legacy encoding) is one
    line naming it, not a decoding traceback."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise QueryFileError(f"query file {path}: not UTF-8 text (byte {e.start}); "
                             "a .rq file is SPARQL text in UTF-8") from None
    if "\x00" in text:
        raise QueryFileError(f"query file {path}: binary data (NUL bytes), not SPARQL text")
    return text


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


def check_choice(p: Param, value: str) -> None:
    """A value an enumerated parameter does not allow: refused, naming the nearest allowed one."""
    choices = p.choices()
    if not choices or value.lower() in {c.lower() for c in choices}:
        return
    import difflib

    by_key = {c.lower(): c for c in choices}
    near = difflib.get_close_matches(value.lower(), list(by_key), n=1, cutoff=0.6)
    what = ENUM_KINDS.get(p.kind, p.name)
    hint = f"did you mean {by_key[near[0]]}?" if near else f"one of: {', '.join(choices)}"
    raise QueryError(f"parameter {p.name}: unknown {what} {value!r}; {hint}")


def to_term(p: Param, value: str) -> Any:
    if p.type in ("label", "string"):
        check_choice(p, value)
        return ox.Literal(value)
    if p.type == "date":
        try:
            return ox.Literal(dt.date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(XSD + "date"))
        except ValueError:
            raise QueryError(f"parameter {p.name}: {value!r} is not a date YYYY-MM-DD") from None
    if p.type == "integer":
        # ASCII digits only: `\d` also takes "١٢", which no SPARQL engine reads as a number (the
        # query's COALESCE then silently used its default)
        if not re.fullmatch(r"-?[0-9]+", value):
            raise QueryError(f"parameter {p.name}: {value!r} is not an integer (digits 0-9)")
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
    sparql, inserts = _binding_plan(sparql, bindings)
    out = sparql
    for pos, names in sorted(inserts, reverse=True):
        block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(str(bindings[n]) for n in names) + ") }"
        out = out[: pos + 1] + "\n  " + block + "\n" + out[pos + 1 :]
    return out


def _binding_plan(sparql: str, bindings: dict[str, Any]) -> tuple[str, list[tuple[int, list[str]]]]:
    """The query with its bound `#?name` lines uncommented, and where VALUES blocks go: the
    position of each `{` and the parameters whose block follows it."""
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
    return sparql, inserts


_POSITION = re.compile(r"\b(?:at |line )(\d+)(:|, column )(\d+)")


def user_position(message: str, original: str, bindings: dict[str, Any]) -> str:
    """A syntax error's message with its position (`at 15:2`, `line 15, column 2`) moved from the
    text kg sent to the store back to the user's own file.

    What kg adds shifted every position: the PREFIX block before the file (an error on line 3 of a
    file was reported at line 15), and with_bindings' VALUES block after a `{`, which splits that
    line in three (the part up to the brace, the VALUES line, the rest). Both are undone here, by
    the same plan with_bindings follows; a position on a VALUES line points at its brace."""
    m = _POSITION.search(message)
    if not m:
        return message
    line, col = int(m.group(1)) - sparql_prefixes().count("\n"), int(m.group(3))
    if line < 1:
        return message
    text, inserts = _binding_plan(original, bindings) if bindings else (original, [])
    line, col = _before_values(line, col, text, inserts)
    opt = OPTIONAL_LINE.match(original.split("\n")[line - 1]) if line <= original.count("\n") + 1 else None
    if opt and opt.group(2) in bindings and col > len(opt.group(1)):
        col += len(opt.group(2)) + 3  # the `#?name ` with_bindings took away
    return f"{message[: m.start(1)]}{line}{m.group(2)}{col}{message[m.end():]}"


def _before_values(line: int, col: int, text: str, inserts: list[tuple[int, list[str]]]) -> tuple[int, int]:
    """A 1-based (line, column) of with_bindings' output as a position of its input `text`."""
    added = 0
    for pos, _ in sorted(inserts):
        at = text.count("\n", 0, pos) + 1
        brace_col = pos - (text.rfind("\n", 0, pos) + 1)  # 0-based column of the `{`
        here = at + added  # the output line that ends with this `{`
        if line <= here:
            break
        if line == here + 1:  # the VALUES line
            return at, brace_col + 1
        if line == here + 2:  # the rest of the line after the `{`
            return at, brace_col + 1 + col
        added += 2
    return line - added, col

"""A store on a SPARQL 1.1 server, over the SPARQL 1.1 Protocol and the Graph Store Protocol.

Why this shape:
- Reads go to the query URL as `POST application/x-www-form-urlencoded` (no URL length limit) and
  come back as SPARQL JSON results (or N-Triples for CONSTRUCT/DESCRIBE), parsed by pyoxigraph so
  that `QueryResult` rows hold the same term objects as the embedded store's and every formatter
  works unchanged.
- One article is one named graph. `put_graph` replaces it with a Graph Store Protocol `PUT` of
  N-Triples to `?graph=IRI`: one request, which the server applies whole or not at all. A batch of
  articles (`put_graphs`) goes as one SPARQL Update request (`DROP SILENT GRAPH g ; INSERT DATA
  { GRAPH g {...} }` per article); if the server rejects the batch, each article is sent alone
  with `PUT`, so one bad article fails alone. An article counts as written only after a 2xx.
- Named queries expect the default graph to be the union of all graphs. Oxigraph honours the
  `union-default-graph` request parameter (and `oxigraph serve --union-default-graph`); Virtuoso
  already answers queries without FROM over all graphs; other servers must be configured so
  (Fuseki: `tdb2:unionDefaultGraph true`). Listing every graph with `default-graph-uri` is not an
  option at 100,000 article graphs. A writable store checks this once and says so if it is not.
- Only graphs whose IRI starts with https://w3id.org/conflict-kg/ (articles, ontology, merged)
  are this store's: a shared server's other graphs (Virtuoso's system graphs) stay out of
  `graphs()`, `count()` and `export()`.
- Connection failures, resets, timeouts, 429 and 5xx (honouring Retry-After, capped) and answers
  that do not parse (truncated or malformed results) are retried with exponential backoff, then
  reported in one line naming the server and the fault. Every request is idempotent (queries,
  `DROP SILENT GRAPH` + `INSERT DATA`, `PUT`), so retrying a write whose reply was lost is safe;
  an article is reported loaded only after the server's 2xx. Credentials come only from the environment
  (KG_ENDPOINT_USER / KG_ENDPOINT_PASSWORD or KG_ENDPOINT_PASSWORD_FILE) and never appear in a message.

Configuration (environment): KG_ENDPOINT (base or query URL), KG_ENDPOINT_QUERY, KG_ENDPOINT_UPDATE,
KG_ENDPOINT_STORE (Graph Store URL) for servers that split them, KG_ENDPOINT_USER,
KG_ENDPOINT_PASSWORD, KG_ENDPOINT_TIMEOUT (seconds, default 60), KG_ENDPOINT_RETRIES (attempts,
default 4), KG_ENDPOINT_BACKOFF (first pause in seconds, default 0.5), KG_ENDPOINT_MAX_WAIT (longest
pause between attempts, also for a server's Retry-After, default 60).
"""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg.graph.entities import entity_quads, is_article_graph, rebuild_update, unbacked_update
from kg.graph.ontology import ontology_path
from kg.model.vocab import ENTITIES_GRAPH, ONTOLOGY_GRAPH, sparql_prefixes
from kg.sparql.internal import internal_query, iri_list
from kg.store.base import QueryResult, QuerySyntaxError, Store, StoreError, export_rdf
from kg.runtime.httputil import env_number, retry_after_seconds

KG_GRAPHS = "https://w3id.org/conflict-kg/"
ACCEPT_RESULTS = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.8, text/turtle;q=0.7, application/rdf+xml;q=0.5"
)
RDF_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
MAX_BATCH_BYTES = 8 * 1024 * 1024  # one update request; servers commonly cap bodies at 10+ MB
RETRY_STATUS = {429, 500, 502, 503, 504}


class _Unreadable(Exception):
    """A 2xx answer that does not parse (truncated, malformed): worth another attempt."""


def _password() -> str | None:
    """KG_ENDPOINT_PASSWORD, else the first line of the file KG_ENDPOINT_PASSWORD_FILE names (a
    container secret, a file only its owner reads): a password kept out of the environment of
    every child process and out of shell history."""
    if os.environ.get("KG_ENDPOINT_PASSWORD"):
        return os.environ["KG_ENDPOINT_PASSWORD"]
    path = os.environ.get("KG_ENDPOINT_PASSWORD_FILE")
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return f.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"KG_ENDPOINT_PASSWORD_FILE {path}: cannot read ({e.__class__.__name__})") from None


def _clean_url(url: str, what: str) -> str:
    """The URL without a trailing slash; credentials in it are refused (they would be logged)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"{what} {url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise StoreError(
            f"{what}: put credentials in KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, not in the URL"
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), parts.query, ""))


def endpoint_urls(url: str) -> tuple[str, str, str | None]:
    """(query, update, graph store) URLs from one URL, by the common server layouts.

    - a bare server (`http://host:7878`) or `.../query`: Oxigraph (`/query`, `/update`, `/store`);
    - `.../sparql`: Virtuoso (`/sparql` for query and update, `/sparql-graph-crud` for graphs);
    - anything else: queries and updates to that URL and no Graph Store (writes use SPARQL Update).
    KG_ENDPOINT_QUERY / KG_ENDPOINT_UPDATE / KG_ENDPOINT_STORE override each one.
    """
    base = _clean_url(url, "endpoint")
    path = urlsplit(base).path
    if path in ("", "/"):
        q, u, s = base + "/query", base + "/update", base + "/store"
    elif path.endswith("/query"):
        root = base[: -len("/query")]
        q, u, s = base, root + "/update", root + "/store"
    elif path.endswith("/sparql"):
        q, u, s = base, base, base + "-graph-crud"
    else:
        q, u, s = base, base, None
    q = _clean_url(os.environ["KG_ENDPOINT_QUERY"], "KG_ENDPOINT_QUERY") if os.environ.get("KG_ENDPOINT_QUERY") else q
    u = _clean_url(os.environ["KG_ENDPOINT_UPDATE"], "KG_ENDPOINT_UPDATE") if os.environ.get("KG_ENDPOINT_UPDATE") else u
    if os.environ.get("KG_ENDPOINT_STORE"):
        s = _clean_url(os.environ["KG_ENDPOINT_STORE"], "KG_ENDPOINT_STORE")
    return q, u, s


def _ntriples(quads: Iterable[Any]) -> bytes:
    """N-Triples of the quads' triples (graph names are set by the request, not the data)."""
    buf = io.BytesIO()
    ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), buf, ox.RdfFormat.N_TRIPLES)
    return buf.getvalue()


class EndpointStore(Store):
    """A SPARQL 1.1 server as the store: same interface, same query semantics as the embedded one."""

    def __init__(self, url: str, *, read_only: bool = False, transport: httpx.BaseTransport | None = None) -> None:
        self.query_url, self.update_url, self.store_url = endpoint_urls(url)
        self.name = self.query_url
        self.read_only = read_only
        self.retries = max(1, int(env_number("KG_ENDPOINT_RETRIES", 4, StoreError)))
        self.backoff = env_number("KG_ENDPOINT_BACKOFF", 0.5, StoreError)
        self.max_wait = env_number("KG_ENDPOINT_MAX_WAIT", 60.0, StoreError)
        timeout = env_number("KG_ENDPOINT_TIMEOUT", 60.0, StoreError)
        self.timeout = timeout
        user, password = os.environ.get("KG_ENDPOINT_USER"), _password()
        auth = httpx.BasicAuth(user, password or "") if user else None
        self._http = httpx.Client(
            transport=transport, auth=auth, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": "conflict-kg"}, follow_redirects=False,
        )
        if not read_only:  # read-only opens send nothing: the first writing command migrates
            self._ensure_ontology()

    # -- HTTP ---------------------------------------------------------------------------------
    def _request(self, method: str, url: str, *, what: str, ok_404: bool = False,
                 parse: Callable[[httpx.Response], Any] | None = None, **kw: Any) -> Any:
        """One request with retries on transport faults, timeouts, 429 and 5xx (waiting what
        Retry-After asks, capped by KG_ENDPOINT_MAX_WAIT), and - when `parse` is given - on a 2xx
        answer that `parse` cannot read (it raises _Unreadable). Other 4xx are returned (or passed
        to `parse`, which decides). Returns the response, or what `parse` made of it."""
        fault = ""
        wait = 0.0
        for attempt in range(self.retries):
            if attempt:
                time.sleep(min(self.max_wait, max(wait, self.backoff * 2 ** (attempt - 1))))
            wait = 0.0
            try:
                r = self._http.request(method, url, **kw)
            except httpx.TimeoutException:
                fault = f"timed out (no answer within {self.timeout:g}s)"
                continue
            except httpx.ConnectError as e:
                fault = f"cannot connect ({_reason(e)})"
                continue
            except httpx.TransportError as e:  # reset, closed without an answer, broken body
                fault = f"connection lost ({_reason(e)})"
                continue
            if r.status_code in RETRY_STATUS:
                fault = f"HTTP {r.status_code} {_server_message(r)}".rstrip()
                wait = retry_after_seconds(r.headers.get("Retry-After")) or 0.0
                if wait:
                    fault += f" (Retry-After {wait:g}s)"
                continue
            if r.status_code in (401, 403):
                raise StoreError(
                    f"endpoint {url}: HTTP {r.status_code} {what} refused; "
                    "set KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD for a server that needs them"
                )
            if r.status_code == 404 and not ok_404:
                raise StoreError(f"endpoint {url}: HTTP 404 (wrong URL? see KG_ENDPOINT_QUERY/UPDATE/STORE)")
            if parse is None:
                return r
            try:
                return parse(r)
            except _Unreadable as e:
                fault = str(e)
                continue
        n = self.retries
        raise StoreError(f"endpoint {url}: {what} failed: {fault} (after {n} attempt{'s' if n > 1 else ''})")

    # -- graphs -------------------------------------------------------------------------------
    def _ensure_ontology(self) -> None:
        """Load the ontology graph into a new store, and check the default graph is the union."""
        row = self.query(internal_query("store-probe", ontology=ONTOLOGY_GRAPH, entities=ENTITIES_GRAPH)).rows[0]
        named, union, ent, arts = (x is not None and x.value == "true" for x in row[:4])
        if arts and not ent:  # written by an older conflict-kg: derive the entities graph once
            self._update_text(rebuild_update(), what="building the entities graph")
        if not named:
            data = ontology_path().read_bytes()
            quads = [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.TURTLE)]
            self.put_graph(ONTOLOGY_GRAPH, quads)
            union = self.query(internal_query("store-union-default", ontology=ONTOLOGY_GRAPH)).boolean
        if not union:
            raise StoreError(
                f"endpoint {self.name}: queries do not see named graphs in the default graph; start "
                "the server with the union of all graphs as default graph (oxigraph serve "
                "--union-default-graph; Fuseki tdb2:unionDefaultGraph true)"
            )

    def has_graph(self, graph: str) -> bool:
        return bool(self.query(internal_query("store-has-graph", graph=graph)).boolean)

    def existing_graphs(self, graphs: Sequence[str]) -> set[str]:
        """Which of these graphs hold data: one query per call, not one per article."""
        if not graphs:
            return set()
        res = self.query(internal_query("store-existing-graphs", graphs=iri_list(graphs)))
        return {row[0].value for row in res.rows if row[0] is not None}

    def put_graph(self, graph: str, quads: Iterable[Any]) -> None:
        self._writable()
        if is_article_graph(graph):  # with its entity facts, in one request (see put_graphs)
            rejected = self.put_graphs([(graph, quads)])
            if rejected:
                raise StoreError(f"endpoint {self.name}: graph <{graph}> rejected: {rejected[graph]}")
            return
        body = _ntriples(quads)
        if self.store_url is None:
            self._update_batch([(graph, body)])
            return
        reason = self._put_one(graph, body)
        if reason:
            raise StoreError(f"endpoint {self.store_url}: graph <{graph}> rejected: {reason}")

    def _put_one(self, graph: str, body: bytes) -> str | None:
        """A Graph Store PUT of one graph; None when done, else the server's reason for refusing."""
        r = self._request(
            "PUT", self.store_url, what=f"writing graph <{graph}>", params={"graph": graph}, content=body,
            headers={"Content-Type": "application/n-triples"},
        )
        if not r.is_success:
            return f"HTTP {r.status_code} {_server_message(r)}".rstrip()
        return None

    def put_graphs(self, graphs: Sequence[tuple[str, Iterable[Any]]], *, new: bool = False) -> dict[str, str]:
        """Replace several graphs with as few requests as possible; returns {graph: reason} for
        the ones the server refused. Each article is whole or absent whatever happens. With
        new=True (none of them exists yet) the request carries no replace bookkeeping, which
        costs the server a pass over the batch's graphs and the entities graph."""
        self._writable()
        rejected: dict[str, str] = {}
        pending: list[tuple[str, bytes, list[Any]]] = []
        size = 0
        for graph, quads in graphs:
            quads = list(quads)
            body = _ntriples(quads)
            if pending and size + len(body) > MAX_BATCH_BYTES:
                rejected.update(self._flush(pending, new))
                pending, size = [], 0
            pending.append((graph, body, quads))
            size += len(body)
        if pending:
            rejected.update(self._flush(pending, new))
        return rejected

    @staticmethod
    def _entity_ops(graphs: Sequence[tuple[str, list[Any]]], new: bool = False) -> tuple[list[str], list[str], bytes]:
        """Update operations to run before and after replacing these graphs so that the entities
        graph follows (kg/graph/entities.py): remove the facts only the replaced articles state,
        add the new entity facts (idempotent). Plus the facts as N-Triples, for a server that
        takes no updates. Nothing for graphs that are not articles. (`after` is empty: the
        bookkeeping is done before the graphs change, as in the embedded store.)"""
        articles = [(g, q) for g, q in graphs if is_article_graph(g)]
        if not articles:
            return [], [], b""
        facts = _ntriples(entity_quads(q for _, quads in articles for q in quads))
        before = [] if new else [unbacked_update(g for g, _ in articles)]
        if facts:
            before.append(internal_query("store-insert-data", graph=ENTITIES_GRAPH, triples=facts.decode("utf-8")))
        return before, [], facts

    def _flush(self, batch: list[tuple[str, bytes, list[Any]]], new: bool = False) -> dict[str, str]:
        """One update request for the batch; if the server refuses it, each graph alone."""
        if len(batch) > 1 or self.store_url is None or is_article_graph(batch[0][0]):
            before, after, _ = self._entity_ops([(g, q) for g, _, q in batch], new)
            try:
                self._update_batch([(g, b) for g, b, _ in batch], before, after)
                return {}
            except QuerySyntaxError as e:
                if len(batch) == 1 and self.store_url is None:
                    return {batch[0][0]: str(e)}
        rejected: dict[str, str] = {}
        for graph, body, quads in batch:
            if self.store_url is None:
                before, after, _ = self._entity_ops([(graph, quads)], new)
                try:
                    self._update_batch([(graph, body)], before, after)
                except QuerySyntaxError as e:
                    rejected[graph] = str(e)
                continue
            _, _, facts = self._entity_ops([(graph, quads)])
            if facts:
                # a server that refused the update: the entity facts by a Graph Store POST (they
                # add to the graph and are idempotent), before the article, never missing after it
                r = self._request(
                    "POST", self.store_url, what=f"writing the entity facts of <{graph}>",
                    params={"graph": ENTITIES_GRAPH}, content=facts, headers={"Content-Type": "application/n-triples"},
                )
                if not r.is_success:
                    rejected[graph] = f"HTTP {r.status_code} {_server_message(r)}".rstrip()
                    continue
            reason = self._put_one(graph, body)
            if reason:
                rejected[graph] = reason
        return rejected

    def _update_batch(self, batch: list[tuple[str, bytes]], before: Sequence[str] = (),
                      after: Sequence[str] = ()) -> None:
        """One update request: `before` (entity bookkeeping), each graph replaced, then `after`;
        Oxigraph applies one request in one transaction."""
        ops = list(before)
        for graph, body in batch:
            ops.append(internal_query("store-replace-graph", graph=graph, triples=body.decode("utf-8")))
        ops.extend(after)
        self._update_text(" ;\n".join(ops), what=f"writing {len(batch)} graph{'s' if len(batch) > 1 else ''}")

    def drop_graph(self, graph: str) -> None:
        self._writable()
        before, after, _ = self._entity_ops([(graph, [])])
        drop = internal_query("store-drop-graph", graph=graph)
        self._update_text(" ;\n".join([*before, drop, *after]), what=f"dropping graph <{graph}>")

    def graphs(self) -> list[str]:
        res = self.query(internal_query("store-graphs", namespace=KG_GRAPHS))
        return sorted(row[0].value for row in res.rows if isinstance(row[0], ox.NamedNode))

    # -- SPARQL -------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        if bindings:
            from kg.sparql.named import with_bindings

            sparql = with_bindings(sparql, dict(bindings))
        text = _with_prefixes(sparql)
        def parse(r: httpx.Response) -> QueryResult:
            if r.status_code == 400:
                added = text.count("\n") - sparql.count("\n")  # report positions in the user's text
                msg = re.sub(r"\b(\d+):(\d+)\b",
                             lambda m: f"{int(m[1]) - added}:{m[2]}" if int(m[1]) > added else m[0],
                             _server_message(r), count=1)
                raise QuerySyntaxError(f"invalid SPARQL (endpoint {self.query_url}): {msg}")
            if not r.is_success:
                raise StoreError(
                    f"endpoint {self.query_url}: query failed: HTTP {r.status_code} {_server_message(r)}".rstrip())
            return self._parse_results(r)

        return self._request(
            "POST", self.query_url, what="query", parse=parse,
            data={"query": text, "union-default-graph": ""},
            headers={"Accept": ACCEPT_RESULTS},
        )

    def _parse_results(self, r: httpx.Response) -> QueryResult:
        ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if ctype in ("application/sparql-results+json", "application/json"):
                res = ox.parse_query_results(r.content, ox.QueryResultsFormat.JSON)
            elif ctype in ("application/sparql-results+xml", "application/xml"):
                res = ox.parse_query_results(r.content, ox.QueryResultsFormat.XML)
            elif ctype in RDF_TYPES:
                triples = list(ox.parse(r.content, format=RDF_TYPES[ctype]))
                return QueryResult(kind="graph", triples=[(t.subject, t.predicate, t.object) for t in triples])
            else:
                raise _Unreadable(f"unexpected result type {ctype or 'none'!r}")
            if isinstance(res, ox.QueryBoolean):
                return QueryResult(kind="ask", boolean=bool(res))
            variables = [v.value for v in res.variables]
            # pyoxigraph parses lazily: a result cut short fails here, while reading the rows
            rows = [[sol[v] for v in variables] for sol in res]
        except (SyntaxError, ValueError) as e:
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise _Unreadable(f"unreadable results ({first[:160]})") from None
        return QueryResult(kind="select", variables=variables, rows=rows)

    def update(self, sparql: str) -> None:
        self._writable()
        self._update_text(_with_prefixes(sparql), what="update")

    def _update_text(self, sparql: str, *, what: str) -> None:
        r = self._request(
            "POST", self.update_url, what=what, content=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
        )
        if r.status_code == 400:
            raise QuerySyntaxError(f"invalid SPARQL update (endpoint {self.update_url}): {_server_message(r)}")
        if not r.is_success:
            raise StoreError(f"endpoint {self.update_url}: {what} failed: HTTP {r.status_code} {_server_message(r)}".rstrip())

    # -- export -------------------------------------------------------------------------------
    def _graph_triples(self, graph: str) -> list[ox.Triple]:
        """One graph's triples: Graph Store GET where there is one, else a CONSTRUCT."""
        if self.store_url is not None:
            def parse(r: httpx.Response) -> list[ox.Triple]:
                if r.status_code == 404:
                    return []
                if not r.is_success:
                    raise StoreError(f"endpoint {self.store_url}: reading graph <{graph}> failed: HTTP {r.status_code}")
                ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
                try:
                    return list(ox.parse(r.content, format=RDF_TYPES.get(ctype, ox.RdfFormat.N_TRIPLES)))
                except (SyntaxError, ValueError) as e:
                    raise _Unreadable(f"unreadable graph ({str(e).splitlines()[0][:160] if str(e) else 'empty'})") from None

            return self._request("GET", self.store_url, what=f"reading graph <{graph}>", params={"graph": graph},
                                 headers={"Accept": "application/n-triples"}, ok_404=True, parse=parse)
        res = self.query(internal_query("store-graph-triples", graph=graph))
        return [ox.Triple(*t) for t in res.triples]

    def export(self, fmt: str) -> bytes:
        def quads() -> Iterable[ox.Quad]:
            for g in self.graphs():
                gn = ox.NamedNode(g)
                for t in self._graph_triples(g):
                    yield ox.Quad(t.subject, t.predicate, t.object, gn)

        return export_rdf(fmt, quads)

    def count(self) -> int:
        res = self.query(internal_query("store-count", namespace=KG_GRAPHS))
        return int(res.rows[0][0].value) if res.rows and res.rows[0][0] is not None else 0

    def close(self) -> None:
        self._http.close()

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"endpoint {self.name} is open read-only")


def _with_prefixes(sparql: str) -> str:
    """The query with kg's PREFIX block in front unless it already starts with it (redeclaring a
    prefix is legal SPARQL, so a query's own declarations still win)."""
    block = sparql_prefixes()
    return sparql if sparql.startswith(block) else block + sparql


def _reason(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    low = text.lower()
    if "refused" in low:
        return "connection refused"
    if "reset" in low:
        return "connection reset by peer"
    if "disconnected without" in low or "without sending" in low:
        return "server closed the connection without an answer"
    if "name or service" in low or "nodename" in low or "getaddrinfo" in low:
        return "unknown host"
    return redact(text[:120])


SERVER_TEXT_MAX = 200  # characters of a server's text kg prints
_SECRET = re.compile(
    r"((?:proxy-)?authorization|(?:set-)?cookie|pass(?:word|wd)?|pwd|secret|token|api[_-]?key)"
    r"([\"']?\s*[:=]\s*[\"']?)[^\"'\r\n,&}]*", re.I)
_USERINFO = re.compile(r"(\w+://)[^/\s@]*@")
_SCHEME_TOKEN = re.compile(r"\b(Basic|Bearer|Digest)\s+[A-Za-z0-9+/=._~-]{6,}", re.I)


def redact(text: str) -> str:
    """A server's text with what looks like a credential replaced: header values of
    Authorization/Cookie, password/token/secret/api-key values, Basic/Bearer tokens and the
    userinfo of URLs; cut to SERVER_TEXT_MAX. Why: a server (or a proxy) may echo the request in
    its error body, and kg prints that body in its one-line message."""
    text = _SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]", text)
    text = _SCHEME_TOKEN.sub(lambda m: f"{m.group(1)} [redacted]", text)
    text = _USERINFO.sub(r"\1[redacted]@", text)
    return text if len(text) <= SERVER_TEXT_MAX else text[: SERVER_TEXT_MAX - 3] + "..."


def _server_message(r: httpx.Response) -> str:
    """The first meaningful line of a server's error body, short and redacted, for the one-line
    message."""
    try:
        text = r.text
    except Exception:  # undecodable body: the status says enough
        return ""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("<"):
            return redact(line)
    return ""

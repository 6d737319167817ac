"""`kg serve`: the embedded store as a read-only SPARQL 1.1 Protocol endpoint.

Why the standard library (ThreadingHTTPServer) and not a web framework: the endpoint is one
route, meant for a desk or a private network, and must start without new dependencies.

What it guarantees, and why:
- Read-only: the store is opened read-only (RocksDB read-only mode) and SPARQL Update is refused
  with 403 whatever the route, so a published endpoint cannot change the graph.
- One store state: the server serves a snapshot of the store as it was when it started (hard
  links beside the store, removed when it stops; see serve_workers.snapshot), and every query
  worker, a replacement too, opens that snapshot: measured before, a replaced worker opened the
  store as an ingest had left it since and answers alternated between 30 and 4,030 articles.
  Restart the server after an ingest.
- Bound to 127.0.0.1 unless told otherwise: a graph is nobody else's business by default; any
  other bind prints a warning line. Only requests whose Host names the server (localhost,
  127.0.0.1, [::1], the bind address; any IP address when bound to every interface) are answered,
  else 403: a web page cannot reach the endpoint through a name of its own (DNS rebinding). More
  names with --allow-host NAME. No CORS header is sent (browsers keep other sites' pages from
  reading answers) unless --cors ORIGIN names the one origin allowed to.
- SERVICE is refused unless --allow-service: a federated query makes the server fetch URLs a
  client chose (server-side request forgery).
- Each query has a time budget (503 when exceeded), a row limit (400 when exceeded, so that a
  client never mistakes a truncated answer for the whole one) and a memory limit (--max-memory,
  per worker process; 503 when exceeded). `kg serve` runs queries in worker processes and kills
  one that overruns (see serve_workers.ProcessSparqlService): a thread cannot be stopped.
- Hostile clients: a request body must have a valid Content-Length of at most 1 MB (else
  400/411/413, without reading it), each request must arrive whole (line, headers, body)
  within --read-timeout of the server waiting for it (then 408 or the connection is closed: a
  client dribbling a byte a second is cut off too), at most --max-connections connections are served at once (503 beyond),
  errors the HTTP library raises itself answer in one plain line, and log lines escape
  non-printable characters.
- The default graph is the union of all graphs, and kg's prefixes (ckg:, ckr:, schema: ...) are
  predeclared, as for `kg query`.
- Results: SPARQL JSON, XML, CSV or TSV by the Accept header (or `format=json|xml|csv|tsv`);
  CONSTRUCT/DESCRIBE as N-Triples or Turtle.
"""

from __future__ import annotations

import io
import ipaddress
import re
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Any

import pyoxigraph as ox

from kg.sparql.formats import CSV_TYPE, JSON_TYPE, TSV_TYPE, XML_TYPE, render_ask, render_select
from kg.sparql.scanner import is_update, uses_service
from kg.store.base import QuerySyntaxError, Store, StoreError

ROUTES = {"/sparql", "/query", "/"}
MAX_BODY = 1024 * 1024  # a query, not a payload
FORMAT_NAMES = {"json": JSON_TYPE, "xml": XML_TYPE, "csv": CSV_TYPE, "tsv": TSV_TYPE}
ACCEPTED = {
    JSON_TYPE: JSON_TYPE, "application/json": JSON_TYPE, XML_TYPE: XML_TYPE, "application/xml": XML_TYPE,
    "text/xml": XML_TYPE, CSV_TYPE: CSV_TYPE, TSV_TYPE: TSV_TYPE,
}
GRAPH_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
               "text/plain": ox.RdfFormat.N_TRIPLES}


class Refused(Exception):
    """A request the endpoint will not answer: an HTTP status and one line for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class ServeConfig:
    timeout_s: float = 30.0
    max_rows: int = 100_000
    allow_service: bool = False
    quiet: bool = False
    max_memory_mb: int = 1024  # per query worker (RLIMIT_DATA); a result body may be a quarter of it
    read_timeout_s: float = 10.0  # for a whole request (line, headers, body) to arrive
    max_connections: int = 256  # served at once; beyond: 503 at once
    allow_hosts: tuple[str, ...] = ()  # Host names answered besides the local ones ("*": any)
    cors_origin: str | None = None  # the one origin whose pages may read answers


# a text without any of these words (a fast C search) can hold no SERVICE clause nor update
# operation, so the scanner (linear, but ~5 s for a 1 MB text of braces) is only run on the rest
_SERVICE_WORD = re.compile(r"service", re.IGNORECASE)
_UPDATE_WORDS = re.compile(r"insert|delete|load|clear|create|drop|copy|move|add|with", re.IGNORECASE)


def negotiate(accept: str, fmt: str | None, graph: bool) -> str:
    """The media type to answer with: `format=` wins, else the first acceptable Accept entry."""
    if fmt:
        if graph:
            return "text/turtle" if fmt in ("ttl", "turtle") else "application/n-triples"
        if fmt not in FORMAT_NAMES:
            raise Refused(400, f"unknown format {fmt!r}; use json, xml, csv or tsv")
        return FORMAT_NAMES[fmt]
    entries = []
    for k, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        entries.append((-q, k, bits[0].lower()))
    for _, _, mt in sorted(entries):
        if graph and mt in GRAPH_TYPES:
            return mt
        if not graph and mt in ACCEPTED:
            return ACCEPTED[mt]
        if mt in ("*/*", "application/*", "text/*"):
            break
    return "application/n-triples" if graph else JSON_TYPE


class SparqlService:
    """Runs one query under the time budget and the row limit; no HTTP in here, so tests and
    other front ends can call it directly."""

    def __init__(self, store: Store, config: ServeConfig) -> None:
        self.store = store
        self.config = config
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="kg-query")

    def check(self, sparql: str) -> None:
        """Refuse updates and SERVICE. In a worker process for `kg serve` (under the time budget:
        the scan of a hostile 1 MB text took seconds of the server's own CPU)."""
        if _UPDATE_WORDS.search(sparql) and is_update(sparql):
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        if not self.config.allow_service and _SERVICE_WORD.search(sparql) and uses_service(sparql):
            raise Refused(400, "SERVICE (federated query) is refused by this endpoint; start it with --allow-service")

    def run(self, sparql: str, accept: str, fmt: str | None) -> tuple[str, bytes]:
        self.check(sparql)
        cancel = threading.Event()
        fut = self._pool.submit(self.evaluate, sparql, accept, fmt, cancel)
        try:
            return fut.result(timeout=self.config.timeout_s)
        except FutureTimeout:
            cancel.set()
            raise Refused(503, f"query timed out after {self.config.timeout_s:g} s (server limit)") from None

    def _evaluate(self, sparql: str, accept: str, fmt: str | None, cancel: threading.Event) -> tuple[str, bytes]:
        try:
            res = self.store.stream(sparql)
        except QuerySyntaxError as e:
            raise Refused(400, str(e)) from None
        except (StoreError, ValueError) as e:
            raise Refused(500, f"query failed: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
        limit = self.config.max_rows
        if res.kind == "ask":
            media = negotiate(accept, fmt, graph=False)
            return media, render_ask(bool(res.boolean), media)
        if res.kind == "select":
            media = negotiate(accept, fmt, graph=False)
            rows = list(self._bounded(res.items, limit, cancel))
            return media, render_select(res.variables, rows, media)
        media = negotiate(accept, fmt, graph=True)
        triples = list(self._bounded(res.items, limit, cancel))
        buf = io.BytesIO()
        ox.serialize(triples, buf, GRAPH_TYPES[media])
        return media, buf.getvalue()

    def evaluate(self, sparql: str, accept: str, fmt: str | None, cancel: threading.Event) -> tuple[str, bytes]:
        """`_evaluate` with a bound on the answer's size: the server process holds each answer
        while it sends it, and its memory is not the workers' to spend."""
        media, body = self._evaluate(sparql, accept, fmt, cancel)
        cap = self.config.max_memory_mb * 1024 * 1024 // 4
        if len(body) > cap:
            raise Refused(400, f"the result is over {cap // (1024 * 1024)} MB (server limit); add LIMIT/OFFSET")
        return media, body

    @staticmethod
    def _bounded(it: Any, limit: int, cancel: threading.Event) -> Iterator[Any]:
        for n, x in enumerate(it):
            if cancel.is_set():
                return
            if n >= limit:
                raise Refused(400, f"the result has more than {limit:,} rows (server limit); add LIMIT/OFFSET")
            yield x

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)




def is_loopback(bind: str) -> bool:
    if bind.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(bind.strip("[]")).is_loopback
    except ValueError:
        return False


def make_server(store: Store | None, bind: str = "127.0.0.1", port: int = 7878, config: ServeConfig | None = None,
                *, store_path: str | None = None, workers: int = 4) -> ThreadingHTTPServer:
    """A ready-to-run server (call serve_forever): queries run in `workers` killable worker
    processes, each opening a snapshot of the embedded store at `store_path` read-only, or,
    without a path, in threads over `store`. Call server.service.close() after server_close()."""
    from kg.ops.serve_http import make_http_server

    config = config or ServeConfig()
    if not is_loopback(bind):
        sys.stderr.write(f"kg serve: warning: listening on {bind}, not only this machine: anyone who can reach "
                         f"it can query the graph (Host names answered: local ones, IP addresses, --allow-host)\n")
    if store_path is not None:
        from kg.ops.serve_workers import ProcessSparqlService

        service: SparqlService = ProcessSparqlService(store_path, config, workers)
    else:
        assert store is not None
        service = SparqlService(store, config)
    try:
        return make_http_server(service, bind, port)
    except BaseException:
        service.close()
        raise

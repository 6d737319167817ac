"""`kg serve`: the embedded store as a read-only SPARQL 1.1 Protocol endpoint.

Why the standard library (ThreadingHTTPServer) and not a web framework: the endpoint is one
route, meant for a desk or a private network, and must start without new dependencies.

What it guarantees, and why:
- Read-only: the store is opened read-only (RocksDB read-only mode) and SPARQL Update is refused
  with 403 whatever the route, so a published endpoint cannot change the graph. The store is
  seen as it was when the server started; restart it after an ingest.
- Bound to 127.0.0.1 unless told otherwise: a graph is nobody else's business by default.
- SERVICE is refused unless --allow-service: a federated query makes the server fetch URLs a
  client chose (server-side request forgery).
- Each query has a time budget (503 when exceeded) and a row limit (400 when exceeded, so that a
  client never mistakes a truncated answer for the whole one). `kg serve` runs queries in worker
  processes and kills one that overruns (see ProcessSparqlService): a thread cannot be stopped.
- The default graph is the union of all graphs, and kg's prefixes (ckg:, ckr:, schema: ...) are
  predeclared, as for `kg query`.
- Results: SPARQL JSON, XML, CSV or TSV by the Accept header (or `format=json|xml|csv|tsv`);
  CONSTRUCT/DESCRIBE as N-Triples or Turtle.
"""

from __future__ import annotations

import io
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

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
        if is_update(sparql):
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        if not self.config.allow_service and uses_service(sparql):
            raise Refused(400, "SERVICE (federated query) is refused by this endpoint; start it with --allow-service")

    def run(self, sparql: str, accept: str, fmt: str | None) -> tuple[str, bytes]:
        self.check(sparql)
        cancel = threading.Event()
        fut = self._pool.submit(self._evaluate, sparql, accept, fmt, cancel)
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


class _Handler(BaseHTTPRequestHandler):
    server_version = "conflict-kg"
    service: SparqlService  # set on the subclass made by make_server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if not self.service.config.quiet:
            sys.stderr.write(f"kg serve: {self.address_string()} {format % args}\n")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # the request line minus its query string: queries can be long and are the client's business
        if not self.service.config.quiet:
            path = urlsplit(self.path).path
            sys.stderr.write(f"kg serve: {self.command} {path} {code} {time.perf_counter() - self._t0:.3f}s\n")

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype if ctype.startswith("text/plain") or "charset" in ctype else f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode(), "text/plain; charset=utf-8")

    def _answer(self, params: dict[str, list[str]], sparql: str | None) -> None:
        if "update" in params:
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        if sparql is None:
            q = params.get("query", [])
            if len(q) != 1:
                if urlsplit(self.path).path == "/" and not q:
                    self._send(200, b"conflict-kg SPARQL endpoint (read-only): GET or POST /sparql?query=...\n",
                               "text/plain; charset=utf-8")
                    return
                raise Refused(400, "give exactly one 'query' parameter")
            sparql = q[0]
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            raise Refused(400, "default-graph-uri/named-graph-uri are not supported: the default graph is the union of all graphs")
        fmt = (params.get("format") or [None])[0]
        media, body = self.service.run(sparql, self.headers.get("Accept", ""), fmt)
        self._send(200, body, media)

    def _guard(self, fn: Any) -> None:
        self._t0 = time.perf_counter()
        if urlsplit(self.path).path not in ROUTES:
            self._error(404, "not found: the endpoint is /sparql")
            return
        try:
            fn()
        except Refused as e:
            self._error(e.status, str(e))
        except Exception as e:  # never a traceback to the client; one line in the log
            sys.stderr.write(f"kg serve: internal error: {type(e).__name__}: {e}\n")
            self._error(500, "internal error")

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._guard(lambda: self._answer(parse_qs(urlsplit(self.path).query, keep_blank_values=True), None))

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        def post() -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise Refused(413, f"request body over {MAX_BODY // 1024} KB")
            body = self.rfile.read(length).decode("utf-8", "replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            if ctype == "application/sparql-update":
                raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype == "application/sparql-query":
                self._answer(params, body)
            elif ctype == "application/x-www-form-urlencoded":
                for k, v in parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
                self._answer(params, None)
            else:
                raise Refused(415, "POST application/sparql-query or application/x-www-form-urlencoded")

        self._guard(post)

    def _refuse_write(self) -> None:
        self._t0 = time.perf_counter()
        self._error(405, "this endpoint is read-only")

    do_PUT = do_DELETE = do_PATCH = _refuse_write


class ProcessSparqlService(SparqlService):
    """Evaluates queries in worker processes, so that a query past its time budget can be stopped.

    Why: pyoxigraph cannot cancel a running query, and a blocking operator (COUNT, ORDER BY,
    GROUP BY over a cartesian product) computes inside one call. With threads, a query past its
    budget is answered 503 but keeps its thread busy until it ends: measured, 8 such queries made
    the endpoint answer 503 to everything afterwards. A worker process that overruns is killed and
    replaced; each worker opens the store read-only (RocksDB allows many read-only openers)."""

    def __init__(self, store_path: str, config: ServeConfig, workers: int = 4) -> None:
        import multiprocessing as mp
        import queue

        self.config = config
        self.store_path = store_path
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_QueryWorker] = queue.Queue()
        self._closed = False
        self._all: set[_QueryWorker] = set()
        self._lock = threading.Lock()
        for _ in range(workers):
            self._idle.put(self._start())
        for w in list(self._all):  # fail at start-up, not at the first query, if workers cannot run
            w.ready(timeout=60)

    def _start(self) -> "_QueryWorker":
        import os

        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_query_worker_main, name="kg-serve-query",
                                 args=(child, self.store_path, self.config.max_rows, os.getpid()), daemon=True)
        proc.start()
        child.close()
        w = _QueryWorker(proc, parent)
        with self._lock:
            self._all.add(w)
        return w

    def _replace(self, w: "_QueryWorker") -> None:
        """Kill a worker (overran or broke) and put a fresh one in its place, in the background."""
        w.kill()
        with self._lock:
            self._all.discard(w)

        def start() -> None:
            if self._closed:
                return
            fresh = self._start()
            try:
                fresh.ready(timeout=60)
            except OSError as e:  # the server goes on with one worker fewer
                fresh.kill()
                sys.stderr.write(f"kg serve: cannot replace a query worker: {e}\n")
                return
            self._idle.put(fresh)

        threading.Thread(target=start, name="kg-serve-respawn", daemon=True).start()

    def run(self, sparql: str, accept: str, fmt: str | None) -> tuple[str, bytes]:
        import queue

        self.check(sparql)
        budget = self.config.timeout_s
        deadline = time.monotonic() + budget
        try:
            w = self._idle.get(timeout=budget)
        except queue.Empty:
            raise Refused(503, f"server busy: no query worker free within {budget:g} s; retry later") from None
        try:
            w.conn.send((sparql, accept, fmt))
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(w)
                w = None
                raise Refused(503, f"query timed out after {budget:g} s (server limit)")
            kind, a, b = w.conn.recv()
        except (EOFError, OSError):
            self._replace(w)
            w = None
            raise Refused(500, "query worker failed; retry") from None
        finally:
            if w is not None:
                self._idle.put(w)
        if kind == "ok":
            return a, b
        raise Refused(a, b)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for w in workers:
            w.kill()


class _QueryWorker:
    def __init__(self, proc: Any, conn: Any) -> None:
        self.proc, self.conn = proc, conn

    def ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            raise OSError("a query worker did not start")
        msg = self.conn.recv()
        if msg != ("ready",):
            raise OSError(f"a query worker failed to open the store: {msg[1] if len(msg) > 1 else msg}")

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass
        try:
            self.conn.close()
        except OSError:
            pass


def _query_worker_main(conn: Any, store_path: str, max_rows: int, parent: int) -> None:
    """A query worker: opens the store read-only, answers (sparql, accept, fmt) jobs until its
    pipe closes. It ignores Ctrl-C (the server stops it) and dies with the server."""
    import signal

    from kg.ops.parallel import _exit_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent, death_signal=False)  # workers are also started from respawn threads
    from kg.store.embedded import EmbeddedStore

    try:
        store = EmbeddedStore(store_path, read_only=True)
    except StoreError as e:
        conn.send(("error", str(e)))
        return
    service = SparqlService.__new__(SparqlService)  # evaluation only: no thread pool in a worker
    service.store, service.config = store, ServeConfig(max_rows=max_rows)
    never = threading.Event()
    first = True
    while True:
        if first:
            conn.send(("ready",))
            first = False
        try:
            sparql, accept, fmt = conn.recv()
        except (EOFError, OSError):
            return
        try:
            media, body = service._evaluate(sparql, accept, fmt, never)
            conn.send(("ok", media, body))
        except Refused as e:
            conn.send(("refused", e.status, str(e)))
        except Exception as e:  # one line for the client, never a traceback
            conn.send(("refused", 500, f"query failed: {type(e).__name__}"))


def make_server(store: Store | None, bind: str = "127.0.0.1", port: int = 7878, config: ServeConfig | None = None,
                *, store_path: str | None = None, workers: int = 4) -> ThreadingHTTPServer:
    """A ready-to-run server (call serve_forever): queries run in `workers` killable worker
    processes, each opening the embedded store at `store_path` read-only, or, without a path,
    in threads over `store`."""
    config = config or ServeConfig()
    if store_path is not None:
        service: SparqlService = ProcessSparqlService(store_path, config, workers)
    else:
        assert store is not None
        service = SparqlService(store, config)
    handler = type("Handler", (_Handler,), {"service": service})
    server = _Server((bind, port), handler)
    server.daemon_threads = True
    server.service = service  # type: ignore[attr-defined]
    return server


class _Server(ThreadingHTTPServer):
    # the standard library's listen backlog is 5: with 50 clients connecting at once the kernel
    # drops the other SYNs and they retry 1 s later or more. Measured with benchmarks/serve_load.py
    # (50 clients): backlog 5 gave p99 1,029 ms, max 27.8 s and 8 client timeouts in 10 s;
    # 128 gave p99 62 ms and no error (89 ms since queries run in worker processes)
    request_queue_size = 128

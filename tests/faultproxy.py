"""A fault-injecting HTTP proxy for the tests: 127.0.0.1, a free port, one thread per connection.

It sits in front of a real SPARQL server (Oxigraph) and, for the requests a rule matches, answers
with a fault instead of (or after) the server's answer:

    500          HTTP 500, the server is not asked
    503          HTTP 503 with Retry-After (seconds: `retry_after`)
    429          HTTP 429 with Retry-After
    reset        the connection is reset (TCP RST) once the request is read
    stall        nothing is answered for `stall_s` seconds (past the client's timeout), then closed
    truncate     the server's answer, cut in half, with a Content-Length that matches the cut
    malformed    status 200 and the server's content type, with a body that is not what it says
    drop_reply   the request goes to the server (a write is applied), then the connection is reset

Why a proxy of our own: the faults that matter are the ones between a client and a real server
(a write applied but never confirmed, an answer cut short by a middlebox), and they must be
exactly repeatable in a test, with no network beyond 127.0.0.1.

Usage:
    with FaultProxy("http://127.0.0.1:7878") as proxy:
        proxy.inject("503", times=2, match=writes)   # the next 2 writes get a 503
        ... client pointed at proxy.url ...
        proxy.clear()
"""

from __future__ import annotations

import http.client
import socket
import socketserver
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .servers import free_port

FAULTS = ("500", "503", "429", "reset", "stall", "truncate", "malformed", "drop_reply")

Match = Callable[[str, str], bool]  # (method, path with query) -> does the rule apply


def everything(method: str, path: str) -> bool:
    return True


def queries(method: str, path: str) -> bool:
    """SPARQL queries (Oxigraph: /query; a Wikidata-style endpoint: its one URL, POSTed)."""
    return "/query" in path or path.startswith("/sparql")


def writes(method: str, path: str) -> bool:
    """SPARQL updates and Graph Store writes."""
    return "/update" in path or (method in ("PUT", "POST", "DELETE") and "/store" in path)


@dataclass
class Rule:
    fault: str
    times: int | None  # None: every matching request
    match: Match
    after: int = 0  # let this many matching requests through first
    seen: int = 0
    injected: int = 0


@dataclass
class Stats:
    forwarded: int = 0
    injected: dict[str, int] = field(default_factory=dict)


class FaultProxy:
    """The proxy; a context manager. `inject` sets the rule, `clear` stops the faults."""

    def __init__(self, upstream: str, *, stall_s: float = 3.0, retry_after: int = 1) -> None:
        u = urlsplit(upstream)
        self.up_host, self.up_port = u.hostname or "127.0.0.1", u.port or 80
        self.stall_s, self.retry_after = stall_s, retry_after
        self.port = free_port()
        self.stats = Stats()
        self._rule: Rule | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: socketserver.ThreadingTCPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- control ------------------------------------------------------------------------------
    def inject(self, fault: str, *, times: int | None = None, match: Match = everything, after: int = 0) -> None:
        """From now on, answer matching requests with `fault`: every one (times=None) or the next
        `times`, after letting `after` of them through."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
        with self._lock:
            self._rule = Rule(fault, times, match, after)

    def clear(self) -> None:
        with self._lock:
            self._rule = None

    def _fault_for(self, method: str, path: str) -> str | None:
        with self._lock:
            r = self._rule
            if r is None or not r.match(method, path):
                return None
            r.seen += 1
            if r.seen <= r.after:
                return None
            if r.times is not None and r.injected >= r.times:
                return None
            r.injected += 1
            self.stats.injected[r.fault] = self.stats.injected.get(r.fault, 0) + 1
            return r.fault

    # -- server -------------------------------------------------------------------------------
    def __enter__(self) -> "FaultProxy":
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                proxy._handle(self.connection, self.rfile)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 128

            def handle_error(self, request, client_address) -> None:  # a reset we caused: quiet
                pass

        self._server = Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, name="faultproxy", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- one request per connection (the proxy answers Connection: close) ---------------------
    def _handle(self, conn: socket.socket, rfile) -> None:
        request_line = rfile.readline(65537).decode("latin-1").strip()
        if not request_line:
            return
        method, path, _ = request_line.split(" ", 2)
        headers: list[tuple[str, str]] = []
        length = 0
        while True:
            line = rfile.readline(65537).decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            k, _, v = line.partition(":")
            k, v = k.strip(), v.strip()
            if k.lower() == "content-length":
                length = int(v)
            if k.lower() not in ("connection", "keep-alive", "host", "content-length", "transfer-encoding"):
                headers.append((k, v))
        body = rfile.read(length) if length else b""
        fault = self._fault_for(method, path)

        if fault in ("500", "503", "429"):
            extra = [("Retry-After", str(self.retry_after))] if fault != "500" else []
            self._reply(conn, int(fault), b"injected fault\n", [("Content-Type", "text/plain"), *extra])
            return
        if fault == "reset":
            self._reset(conn)
            return
        if fault == "stall":
            self._stopping.wait(self.stall_s)
            return
        try:
            status, rheaders, rbody = self._forward(method, path, headers, body)
        except OSError as e:
            self._reply(conn, 502, f"proxy: upstream failed: {e}\n".encode(), [("Content-Type", "text/plain")])
            return
        self.stats.forwarded += 1
        if fault == "drop_reply":
            self._reset(conn)
            return
        if fault == "truncate":
            rbody = rbody[: len(rbody) // 2]
        elif fault == "malformed":
            ctype = dict((k.lower(), v) for k, v in rheaders).get("content-type", "")
            rbody = (b'{"head": {"vars": ["x"]}, "results": {"bindings": [1, "two", {"x": 3}]}}'
                     if "json" in ctype else b"<html><body>Service temporarily moved</body></html>")
        self._reply(conn, status, rbody, rheaders)

    def _forward(self, method: str, path: str, headers: list[tuple[str, str]], body: bytes):
        c = http.client.HTTPConnection(self.up_host, self.up_port, timeout=30)
        try:
            c.putrequest(method, path, skip_accept_encoding=True)
            for k, v in headers:
                c.putheader(k, v)
            c.putheader("Content-Length", str(len(body)))
            c.endheaders(body)
            r = c.getresponse()
            data = r.read()
            keep = [(k, v) for k, v in r.getheaders()
                    if k.lower() not in ("connection", "keep-alive", "content-length", "transfer-encoding")]
            return r.status, keep, data
        finally:
            c.close()

    @staticmethod
    def _reply(conn: socket.socket, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        head = [f"HTTP/1.1 {status} {http.client.responses.get(status, 'Status')}"]
        head += [f"{k}: {v}" for k, v in headers]
        head += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
        try:
            conn.sendall("\r\n".join(head).encode("latin-1") + body)
        except OSError:
            pass

    @staticmethod
    def _reset(conn: socket.socket) -> None:
        """Close with SO_LINGER 0: the kernel sends RST, the client sees 'connection reset'."""
        try:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        conn.close()

"""The HTTP front end of `kg serve`: request framing, the Host check, CORS, the connection cap,
the log. Queries are answered by a SparqlService (kg/ops/serve.py); nothing here evaluates one.

Why each guard (each found by a hostile-client probe, issue 15):
- Content-Length must be digits and at most MAX_BODY, else 400/413 at once, body unread (a
  length of -1 read the whole stream: 200 MB accepted); a chunked body is 411.
- Each request has a deadline for its reading (ServeConfig.read_timeout_s, from the moment the
  server waits for it: request line, headers and body together): a body shorter than its length
  is 408, an idle or dribbling connection is closed (1,030 idle sockets had locked every client
  out; with a timeout per read, a client sending a byte a second held its connection for ever).
- At most ServeConfig.max_connections connections at once; the next gets 503 and is closed.
- Host must name this server (DNS rebinding: a page on evil.example whose name is made to point
  to 127.0.0.1 sends `Host: evil.example`); CORS only for the one --cors origin.
- Errors the standard library raises itself (unknown methods, 414, 431, bad versions) answer in
  one plain-text line, not an HTML page, and are logged without a traceback.
- Log lines escape non-printable characters: a request path could write terminal escape codes.
"""

from __future__ import annotations

import io
import ipaddress
import re
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kg.ops.serve import MAX_BODY, ROUTES, Refused, SparqlService

LOCAL_NAMES = {"localhost", "127.0.0.1", "[::1]"}
_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[^:\[\]/@\s]+)(?::([0-9]{1,5}))?")
_LENGTH = re.compile(r"[0-9]{1,15}")
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")
READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"


def printable(text: str) -> str:
    """`text` with every character outside printable ASCII written as an escape (\\x1b, \\u202e)."""
    def esc(m: re.Match[str]) -> str:
        c = ord(m.group(0))
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" if c < 0x10000 else f"\\U{c:08x}"

    return _UNPRINTABLE.sub(esc, text)


def host_allowed(host: str | None, names: set[str], port: int, any_ip: bool) -> bool:
    """Whether a Host header names this server: one of `names` (or, with any_ip, an IP address),
    with this server's port if it gives one. No Host at all (HTTP/1.0) is allowed: browsers,
    the only clients DNS rebinding works through, always send one."""
    if host is None:
        return True
    m = _HOST.fullmatch(host.strip().lower())
    if m is None:
        return False
    name, p = m.group(1), m.group(2)
    if p is not None and int(p) != port:
        return False
    if name in names or "*" in names:
        return True
    if any_ip:
        try:
            ipaddress.ip_address(name.strip("[]"))
            return True
        except ValueError:
            return False
    return False


class DeadlineReader(io.RawIOBase):
    """A socket's reading side under a deadline the handler moves at each request: every recv
    waits at most for what is left of it, so the time a request may take to arrive is bounded
    whatever its pace. The socket's own timeout (for writing the answer) is restored after."""

    def __init__(self, sock: socket.socket, per_op_timeout: float) -> None:
        super().__init__()
        self.sock = sock
        self.per_op_timeout = per_op_timeout
        self.deadline = time.monotonic() + per_op_timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("request deadline passed")
        self.sock.settimeout(min(left, self.per_op_timeout))
        try:
            return self.sock.recv_into(buf)
        finally:
            self.sock.settimeout(self.per_op_timeout)


class Handler(BaseHTTPRequestHandler):
    server_version = "conflict-kg"
    service: SparqlService  # set on the subclass made by make_http_server
    host_names: set[str]
    any_ip: bool
    _t0 = 0.0

    def setup(self) -> None:
        self.timeout = self.service.config.read_timeout_s  # each write of the answer
        super().setup()
        self.rfile.close()  # the library's reader: every read here goes through the deadline
        self._reader = DeadlineReader(self.connection, self.timeout)
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        """The deadline starts when the server waits for a request, not at its first byte: an idle
        keep-alive connection has the same time to send one as a new connection."""
        self._reader.deadline = time.monotonic() + self.service.config.read_timeout_s
        super().handle_one_request()

    def _log(self, line: str) -> None:
        if not self.service.config.quiet:
            sys.stderr.write(printable(f"kg serve: {line}") + "\n")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        self._log(f"{self.address_string()} {format % args}")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # the request line minus its query string: queries can be long and are the client's business.
        # Errors the library raises before the request line is parsed have no path nor command.
        path = urlsplit(getattr(self, "path", "") or "").path
        took = time.perf_counter() - self._t0 if self._t0 else 0.0
        self._log(f"{getattr(self, 'command', '') or '-'} {path or '-'} {int(code)} {took:.3f}s")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own errors, in one plain line (its HTML page otherwise)."""
        self.close_connection = True
        if getattr(self, "request_version", "") == "HTTP/0.9":  # not parsed yet: answer with a status line
            self.request_version = "HTTP/1.0"
        if code == HTTPStatus.NOT_IMPLEMENTED:  # a method it has no do_ for
            code, message = 405, f"method {printable(getattr(self, 'command', '') or '?')} is not allowed"
        line = message or HTTPStatus(code).phrase
        if explain and code in (414, 431):
            line = f"{line}: {explain}"
        try:
            self._error(code, line)
        except OSError:
            pass

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype if ctype.startswith("text/plain") or "charset" in ctype else f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept, Origin" if self.service.config.cors_origin else "Accept")
        if self.service.config.cors_origin:
            self.send_header("Access-Control-Allow-Origin", self.service.config.cors_origin)
        if status == 405:
            self.send_header("Allow", "GET, HEAD, POST")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (printable(message) + "\n").encode(), "text/plain; charset=utf-8")

    def _answer(self, params: dict[str, list[str]], sparql: str | None) -> None:
        if "update" in params:
            raise Refused(403, READ_ONLY)
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

    def _host_ok(self) -> bool:
        if host_allowed(self.headers.get("Host"), self.host_names, self.server.server_address[1], self.any_ip):
            return True
        self._error(403, f"Host {self.headers.get('Host')!r} is not this server's name (a guard against DNS "
                         "rebinding); start kg serve with --allow-host NAME to answer it")
        return False

    def _guard(self, fn: Any) -> None:
        self._t0 = time.perf_counter()
        if not self._host_ok():
            return
        if urlsplit(self.path).path not in ROUTES:
            self._error(404, "not found: the endpoint is /sparql")
            return
        try:
            fn()
        except Refused as e:
            self._error(e.status, str(e))
        except Exception as e:  # never a traceback to the client; one line in the log
            sys.stderr.write(printable(f"kg serve: internal error: {type(e).__name__}: {e}") + "\n")
            self._error(500, "internal error")

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._guard(lambda: self._answer(parse_qs(urlsplit(self.path).query, keep_blank_values=True), None))

    do_HEAD = do_GET

    def _body(self) -> str:
        """The request body, read only when its Content-Length is sound and at most MAX_BODY."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise Refused(411, "send the body with a Content-Length (chunked bodies are not accepted)")
        lengths = {v.strip() for v in self.headers.get_all("Content-Length") or []}
        if not lengths:
            return ""
        if len(lengths) > 1 or not _LENGTH.fullmatch(next(iter(lengths))):
            self.close_connection = True
            raise Refused(400, "bad Content-Length: give one number of bytes")
        length = int(next(iter(lengths)))
        if length > MAX_BODY:
            self.close_connection = True
            raise Refused(413, f"request body over {MAX_BODY // 1024} KB")
        try:
            data = self.rfile.read(length)
        except (TimeoutError, socket.timeout):
            data = b""
        if len(data) < length:
            self.close_connection = True
            raise Refused(408, f"the request did not arrive whole within {self.service.config.read_timeout_s:g} s "
                               f"(body shorter than its Content-Length, {length:,} bytes, or sent too slowly)")
        return data.decode("utf-8", "replace")

    def do_POST(self) -> None:  # noqa: N802
        def post() -> None:
            body = self._body()
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            if ctype == "application/sparql-update":
                raise Refused(403, READ_ONLY)
            if ctype == "application/sparql-query":
                self._answer(params, body)
            elif ctype == "application/x-www-form-urlencoded":
                for k, v in parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
                self._answer(params, None)
            else:
                raise Refused(415, "POST application/sparql-query or application/x-www-form-urlencoded")

        self._guard(post)

    def _refuse_method(self) -> None:
        self._t0 = time.perf_counter()
        self.close_connection = True
        self._error(405, "this endpoint is read-only" if self.command in ("PUT", "DELETE", "PATCH")
                    else f"method {self.command} is not allowed")

    do_PUT = do_DELETE = do_PATCH = do_TRACE = do_CONNECT = _refuse_method

    def do_OPTIONS(self) -> None:  # noqa: N802
        """A CORS preflight, answered only for the --cors origin."""
        origin = self.service.config.cors_origin
        if origin is None or self.headers.get("Origin") != origin:
            self._refuse_method()
            return
        self._guard(lambda: self._send(204, b"", "text/plain; charset=utf-8", {
            "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type, Accept",
            "Access-Control-Max-Age": "600"}))


class Server(ThreadingHTTPServer):
    # the standard library's listen backlog is 5: with 50 clients connecting at once the kernel
    # drops the other SYNs and they retry 1 s later or more. Measured with benchmarks/serve_load.py
    # (50 clients): backlog 5 gave p99 1,029 ms, max 27.8 s and 8 client timeouts in 10 s;
    # 128 gave p99 62 ms and no error (89 ms since queries run in worker processes)
    request_queue_size = 128
    daemon_threads = True
    service: SparqlService
    _BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 5\r\n"
             b"Connection: close\r\nContent-Length: 52\r\n\r\nserver busy: too many connections open; retry later\n")

    def __init__(self, address: tuple[str, int], handler: type[Handler], max_connections: int) -> None:
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread per connection up to the cap; beyond it a 503 from this thread, at once."""
        if not self._slots.acquire(blocking=False):
            self._refuse_busy(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse_busy(self, request: socket.socket) -> None:
        try:
            request.settimeout(0.2)
            request.sendall(self._BUSY)
            request.setblocking(False)
            try:  # what the client sent already: closing with it unread would reset the connection
                request.recv(65536)
            except OSError:
                pass
        except OSError:
            pass
        self.shutdown_request(request)


def make_http_server(service: SparqlService, bind: str, port: int) -> Server:
    """The HTTP server over `service` on bind:port (0: any free port)."""
    cfg = service.config
    names = LOCAL_NAMES | {h.lower() for h in cfg.allow_hosts}
    b = bind.lower()
    names.add(f"[{b}]" if ":" in b else b)
    any_ip = b in ("0.0.0.0", "::", "")
    handler = type("Handler", (Handler,), {"service": service, "host_names": names, "any_ip": any_ip})
    server = Server((bind, port), handler, cfg.max_connections)
    server.service = service
    return server

"""Issue 15's leftovers: a slow-loris client on `kg serve` (a deadline per request, not per read),
the SPARQL scanner's speed on hostile text, and an article too long for the pipeline."""

from __future__ import annotations

import select
import socket
import time

import httpx
import pytest

from .servers import KgServe

ASK = "ASK { ?e a ckg:Airstrike }"


@pytest.fixture(scope="module")
def endpoint(example_store):
    with KgServe(example_store, "--read-timeout", "1", "--max-connections", "20") as server:
        yield server


def dribble(port: int, data: bytes, pause: float, limit: float = 15) -> tuple[float, bytes]:
    """Send `data` one byte per `pause` seconds; (seconds until the server answered or closed,
    what it sent)."""
    out = b""
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=limit) as s:
        for i in range(len(data) + int(limit / pause)):
            if i < len(data):
                try:
                    s.sendall(data[i : i + 1])
                except OSError:  # closed under us: the server gave up on the request
                    break
            ready, _, _ = select.select([s], [], [], pause)
            if ready:
                try:
                    chunk = s.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            if time.monotonic() - t0 > limit:
                break
    return time.monotonic() - t0, out


def head(port: int, length: int) -> bytes:
    return (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: {length}\r\nConnection: close\r\n\r\n").encode()


def test_headers_sent_a_byte_at_a_time_are_cut_off_at_the_deadline(endpoint):
    request = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.port}\r\n\r\n".encode()
    took, answer = dribble(endpoint.port, request, pause=0.25)  # 60+ bytes: 15 s at this pace
    assert took < 3.5, took  # --read-timeout 1 for the whole request
    assert not answer.startswith(b"HTTP/1.0 200") and not answer.startswith(b"HTTP/1.1 200"), answer[:100]


def test_a_body_sent_a_byte_at_a_time_is_408_at_the_deadline(endpoint):
    body = b"ASK { ?s ?p ?o }"
    hdr = head(endpoint.port, len(body))
    with socket.create_connection(("127.0.0.1", endpoint.port), timeout=10) as s:
        s.sendall(hdr)  # headers at once, then the body dribbled
        t0 = time.monotonic()
        answer = b""
        for i in range(len(body)):
            try:
                s.sendall(body[i : i + 1])
            except OSError:
                break
            if select.select([s], [], [], 0.3)[0]:
                answer = s.recv(65536)
                break
        took = time.monotonic() - t0
    assert answer.split(b" ", 2)[1:2] == [b"408"], answer[:200]
    assert took < 3.5, took
    assert b"did not arrive whole" in answer


def test_a_keep_alive_connection_gets_a_fresh_deadline_per_request(endpoint):
    """Requests on one connection spaced by less than the deadline are each answered: the
    deadline is per request, not per connection."""
    with httpx.Client(timeout=10) as c:
        for _ in range(3):
            r = c.get(endpoint.url, params={"query": ASK})
            assert r.status_code == 200, r.text
            time.sleep(0.6)
        assert c.get(endpoint.url, params={"query": ASK}).status_code == 200


def test_a_request_at_a_normal_pace_is_answered(endpoint):
    request = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.port}\r\nConnection: close\r\n\r\n".encode()
    took, answer = dribble(endpoint.port, request, pause=0.005)
    assert answer.startswith(b"HTTP/1.1 200") or answer.startswith(b"HTTP/1.0 200"), answer[:200]

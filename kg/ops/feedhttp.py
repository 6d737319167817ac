"""A polite HTTP client for feeds and their item pages (httpx).

What publishers ask of a poller, and what this does: a descriptive User-Agent with kg's version;
a timeout on every request; one request at a time per host with a short pause between two
(requests are sequential, and each host's last request time is kept); 429 and 503 answered by
waiting what Retry-After says (capped), other 5xx and network failures by exponential backoff,
a few times; redirects followed by hand so that a chain of permanent ones (301/308) can be
remembered as the feed's new URL. Bodies are read up to a size cap.

Tuning through the environment (tests make the waits tiny): KG_FEED_TIMEOUT (seconds per
request, default 20), KG_FEED_PAUSE (seconds between two requests to one host, default 1),
KG_FEED_BACKOFF (first backoff, default 2, doubled each retry), KG_FEED_MAX_WAIT (cap on any one
wait, default 60), KG_FEED_RETRIES (default 3).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from kg import __version__
from kg.read.errors import InputError
from kg.read.text import MAX_BYTES
from kg.runtime.httputil import env_number, retry_after_seconds

USER_AGENT = (
    f"conflict-kg/{__version__} (feed reader of a conflict-news knowledge graph; "
    "https://w3id.org/conflict-kg) python-httpx"
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
RETRY_AFTER_STATUS = frozenset({429, 503})
BACKOFF_STATUS = frozenset({500, 502, 504})
MAX_REDIRECTS = 5


class FetchError(InputError):
    """A URL could not be fetched (network, timeout, too many redirects, too large): one line."""


@dataclass(frozen=True)
class Fetched:
    """An answer: status, the final URL, where a chain of 301/308 ended (else None), headers, body."""

    status: int
    url: str
    moved_to: str | None
    headers: httpx.Headers
    content: bytes


class PoliteClient:
    """Sequential GETs with politeness, retries and remembered permanent redirects."""

    def __init__(self, *, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.timeout = env_number("KG_FEED_TIMEOUT", 20.0, InputError)
        self.pause = env_number("KG_FEED_PAUSE", 1.0, InputError)
        self.backoff = env_number("KG_FEED_BACKOFF", 2.0, InputError)
        self.max_wait = env_number("KG_FEED_MAX_WAIT", 60.0, InputError)
        self.retries = int(env_number("KG_FEED_RETRIES", 3, InputError))
        self._sleep = sleep
        self._last: dict[str, float] = {}  # host -> when its last request ended (monotonic)
        self.requests = 0  # counted for the summary and the tests
        self._http = httpx.Client(timeout=self.timeout, follow_redirects=False, transport=transport,
                                  headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self._http.close()

    def get(self, url: str, headers: Mapping[str, str] | None = None, *, max_bytes: int = MAX_BYTES) -> Fetched:
        """GET with redirects followed; the last answer whatever its status (FetchError if none)."""
        permanent = True
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            status, hdrs, body = self._retrying(current, headers or {}, max_bytes)
            location = hdrs.get("location")
            if status not in REDIRECTS or not location:
                moved = current if permanent and current != url else None
                return Fetched(status, current, moved, hdrs, body)
            permanent = permanent and status in PERMANENT
            current = urljoin(current, location.strip())
            if not current.startswith(("http://", "https://")):
                raise FetchError(f"{url}: redirected to a non-HTTP URL")
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _retrying(self, url: str, headers: Mapping[str, str], max_bytes: int) -> tuple[int, httpx.Headers, bytes]:
        """One URL, retried on 429/503 (Retry-After), other 5xx and network failures (backoff)."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                status, hdrs, body = self._once(url, headers, max_bytes)
            except httpx.InvalidURL:
                raise FetchError(f"{url}: not a valid URL") from None
            except httpx.HTTPError as e:
                if last:
                    raise FetchError(f"{url}: {_describe(e)}") from None
                self._wait(self.backoff * 2 ** attempt)
                continue
            if last or status not in RETRY_AFTER_STATUS | BACKOFF_STATUS:
                return status, hdrs, body
            hinted = retry_after_seconds(hdrs.get("retry-after")) if status in RETRY_AFTER_STATUS else None
            self._wait(hinted if hinted is not None else self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: Mapping[str, str], max_bytes: int) -> tuple[int, httpx.Headers, bytes]:
        host = urlsplit(url).netloc.lower()
        since = time.monotonic() - self._last.get(host, float("-inf"))
        if since < self.pause:
            self._sleep(self.pause - since)
        self.requests += 1
        try:
            with self._http.stream("GET", url, headers=dict(headers)) as r:
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"{url}: answer too large (> {max_bytes // (1024 * 1024)} MB)")
                    chunks.append(chunk)
                return r.status_code, r.headers, b"".join(chunks)
        finally:
            self._last[host] = time.monotonic()

    def _wait(self, seconds: float) -> None:
        self._sleep(max(0.0, min(seconds, self.max_wait)))


def _describe(e: httpx.HTTPError) -> str:
    if isinstance(e, httpx.TimeoutException):
        return "timed out"
    if isinstance(e, httpx.ConnectError):
        return "cannot connect"
    return f"{type(e).__name__}: {e}".rstrip(": ")

"""A polite SPARQL client for Wikidata-compatible services, with an on-disk answer cache.

Why a client of our own rather than SPARQLWrapper: the public Wikidata Query Service asks every
client for a descriptive User-Agent, answers bursts with 429 and a Retry-After header, and has
5xx hiccups under load; a linker that gives up on the first one, or hammers the service, is no
use. And a second run of `kg link wikidata` over the same graph should need no network at all, so
every answer is kept in a cache keyed by what was asked (endpoint, kind of lookup, key), not by
the text of a batch query: a graph that grows by one article costs one new lookup, not a new
batch.

The cache is one SQLite file. Each batch of answers is written in one transaction, so a run that
is killed leaves the cache as it was before the batch or with the whole batch, never half of it.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from kg import __version__
from kg.runtime.httputil import env_number, retry_after_seconds  # noqa: F401  (re-exported for tests)

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = (
    f"conflict-kg/{__version__} (entity linking of a conflict-news knowledge graph; "
    "https://w3id.org/conflict-kg) python-httpx"
)
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_S = 120.0

Binding = dict[str, dict[str, str]]  # one row of SPARQL JSON results: var -> {"type", "value", ...}


class LinkError(Exception):
    """Linking cannot go on (service unreachable, not cached while offline, bad answer): one line."""


def default_cache_dir() -> Path:
    """Where answers are cached: $KG_CACHE_DIR, else the XDG cache folder; shared by all stores,
    because Wikidata's answers do not depend on which graph asked."""
    env = os.environ.get("KG_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "conflict-kg"


class AnswerCache:
    """Answers per (endpoint, kind, key) in an SQLite file; batches are committed atomically."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.path = Path(folder) / "wikidata-cache.sqlite"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS answer (endpoint TEXT NOT NULL, kind TEXT NOT NULL, "
                "key TEXT NOT NULL, fetched REAL NOT NULL, rows TEXT NOT NULL, "
                "PRIMARY KEY (endpoint, kind, key)) WITHOUT ROWID"
            )
            self._db.commit()
        except (OSError, sqlite3.Error) as e:
            raise LinkError(f"cache {self.path}: {e}") from None

    def get_many(self, endpoint: str, kind: str, keys: Iterable[str]) -> dict[str, list[Binding]]:
        """The cached answers among these keys (missing keys are simply absent)."""
        out: dict[str, list[Binding]] = {}
        keys = list(keys)
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                cur = self._db.execute(
                    f"SELECT key, rows FROM answer WHERE endpoint=? AND kind=? AND key IN ({marks})",
                    [endpoint, kind, *chunk],
                )
                for key, rows in cur:
                    try:
                        out[key] = json.loads(rows)
                    except ValueError:  # a damaged row is a miss, it will be fetched again
                        continue
        except sqlite3.Error as e:
            raise LinkError(f"cache {self.path}: {e}") from None
        return out

    def put_many(self, endpoint: str, kind: str, answers: Mapping[str, list[Binding]]) -> None:
        """Store the answers of one batch in one transaction (all or nothing)."""
        now = time.time()
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO answer VALUES (?, ?, ?, ?, ?)",
                    [(endpoint, kind, k, now, json.dumps(v, ensure_ascii=False)) for k, v in answers.items()],
                )
        except sqlite3.Error as e:
            raise LinkError(f"cache {self.path}: {e}") from None

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM answer").fetchone()[0])

    def close(self) -> None:
        self._db.close()


class SparqlClient:
    """SELECT queries over HTTP POST with timeouts, retries and backoff.

    Retries transport errors (refused, reset, timed out), the statuses in RETRY_STATUS and 200
    answers that are not SPARQL JSON results (truncated or malformed: a proxy or an overloaded
    service cut them), waiting what Retry-After says (seconds or an HTTP date, capped) or else an
    exponential backoff with jitter. Any other HTTP error is final: retrying a 400 (bad query) or
    403 (blocked User-Agent) cannot help. A bad answer is never returned, so it never reaches the
    cache. Timeout, retries, backoff and the cap can be set with KG_WIKIDATA_TIMEOUT,
    KG_WIKIDATA_RETRIES, KG_WIKIDATA_BACKOFF and KG_WIKIDATA_MAX_WAIT (tests use small ones).
    """

    def __init__(
        self,
        endpoint: str = DEFAULT_ENDPOINT,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        transport: Any = None,
    ) -> None:
        import httpx

        self.endpoint = endpoint
        timeout = env_number("KG_WIKIDATA_TIMEOUT", 60.0, LinkError) if timeout is None else timeout
        self.timeout = timeout
        self.retries = int(env_number("KG_WIKIDATA_RETRIES", 3, LinkError)) if retries is None else retries
        self.backoff = env_number("KG_WIKIDATA_BACKOFF", 1.0, LinkError) if backoff is None else backoff
        self.max_wait = env_number("KG_WIKIDATA_MAX_WAIT", MAX_RETRY_AFTER_S, LinkError)
        self.sleep = sleep
        self.requests = 0  # HTTP requests actually sent (benchmarks and tests read it)
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": user_agent, "Accept": "application/sparql-results+json"},
            transport=transport,
            follow_redirects=True,
        )

    def select(self, query: str) -> list[Binding]:
        """Run a SELECT query; the rows of its JSON results."""
        import httpx

        attempt = 0
        while True:
            attempt += 1
            wait: float | None = None
            try:
                self.requests += 1
                r = self._http.post(self.endpoint, data={"query": query})
            except httpx.TransportError as e:
                fault = _transport_fault(e, self.timeout)
            else:
                if r.status_code == 200:
                    rows = _bindings(r)
                    if rows is not None:
                        return rows
                    fault = "answer is not SPARQL JSON results (truncated or malformed)"
                elif r.status_code not in RETRY_STATUS:
                    first = (r.text or "").strip().splitlines()[:1]
                    detail = f": {first[0][:160]}" if first else ""
                    raise LinkError(f"{self.endpoint}: HTTP {r.status_code}{detail}")
                else:
                    fault = f"HTTP {r.status_code}"
                    wait = retry_after_seconds(r.headers.get("Retry-After"))
                    if wait is not None:
                        fault += f" (Retry-After {wait:g}s)"
            if attempt > self.retries:
                n = attempt
                raise LinkError(f"{self.endpoint}: {fault} (after {n} attempt{'s' if n > 1 else ''})")
            if wait is None:
                wait = self.backoff * (2 ** (attempt - 1)) * (0.75 + random.random() / 2)
            self.sleep(min(wait, self.max_wait))

    def close(self) -> None:
        self._http.close()


def _transport_fault(e: Exception, timeout: float) -> str:
    """What went wrong on the wire, in a few words."""
    import httpx

    if isinstance(e, httpx.TimeoutException):
        return f"timed out (no answer within {timeout:g}s)"
    text = (str(e).strip().splitlines() or [type(e).__name__])[0]
    if isinstance(e, httpx.ConnectError):
        return f"unreachable ({text[:120]})"
    if "reset" in text.lower():
        text = "connection reset by peer"
    return f"connection lost ({text[:120]})"


def _bindings(r: Any) -> list[Binding] | None:
    """The rows of a SPARQL JSON results answer, or None if it is not one (cut short, an HTML
    error page with status 200, rows of the wrong shape)."""
    try:
        rows = r.json()["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(rows, list):
        return None
    for row in rows:
        if not isinstance(row, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("value"), str) for v in row.values()
        ):
            return None
    return rows



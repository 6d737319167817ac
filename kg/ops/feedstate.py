"""What feed polling remembers between runs, in one small SQLite file.

Where: `feeds.sqlite` inside the embedded store's folder (Oxigraph's RocksDB ignores files it did
not write: checked with a WAL-mode SQLite file beside 200,000 quads, through flush, optimize and a
read-only reopen), so moving or deleting the store moves or deletes its feed state. With
`--endpoint` there is no folder of ours: the file is in kg's cache folder, one per endpoint URL.
$KG_FEED_STATE names another file. Why not a graph in the store: every item seen would be a
write to the store, and `kg export` would carry the poller's bookkeeping.

What: each feed (the URL given, the URL it moved to on a 301/308, its ETag and Last-Modified, its
last fetch, last success, last new item, errors, whether it answered 410) and each item settled
(by feed and GUID, and by URL). An item is recorded only once the store has confirmed its article
(or found it already there), and a feed's validators only once the run that fetched them has
settled all its items, so a killed run's rerun asks unconditionally and loads exactly what is
missing. The article IRI (from the normalised text) still guards against the same text under
two URLs.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from kg.read.errors import InputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS feed (
  url TEXT PRIMARY KEY, current_url TEXT NOT NULL, etag TEXT, last_modified TEXT,
  gone INTEGER NOT NULL DEFAULT 0, title TEXT, last_fetch REAL, last_status TEXT,
  last_success REAL, last_new REAL, errors INTEGER NOT NULL DEFAULT 0, last_error TEXT);
CREATE TABLE IF NOT EXISTS item (
  feed TEXT NOT NULL, guid TEXT NOT NULL, url TEXT NOT NULL, status TEXT NOT NULL,
  article TEXT, at REAL NOT NULL, PRIMARY KEY (feed, guid));
CREATE INDEX IF NOT EXISTS item_url ON item (url);
"""


@dataclass(frozen=True)
class FeedRow:
    """One feed as `kg feeds` lists it."""

    url: str
    current_url: str
    gone: bool
    title: str | None
    last_fetch: float | None
    last_status: str | None
    last_success: float | None
    last_new: float | None
    errors: int
    last_error: str | None
    items: int


def state_path(store_path: str | None, endpoint: str | None) -> Path:
    """Where the feed state of the store named by --store / --endpoint lives (see the module
    docstring); found without opening the store, so `kg feeds` works while `kg watch` holds it."""
    env = os.environ.get("KG_FEED_STATE")
    if env:
        return Path(env)
    from kg.store import STORE_SCHEMES

    endpoint = endpoint or os.environ.get("KG_ENDPOINT")
    location = store_path or os.environ.get("KG_STORE") or "./kg-store"
    if not endpoint and location.partition(":")[0] not in STORE_SCHEMES:
        return Path(location) / "feeds.sqlite"
    from kg.ops.link.client import default_cache_dir

    digest = hashlib.sha256((endpoint or location).encode("utf-8")).hexdigest()[:16]
    return default_cache_dir() / f"feeds-{digest}.sqlite"


class FeedState:
    """The feed state file; every change is one committed transaction."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as e:
            raise InputError(f"feed state {self.path}: {e}") from None

    def close(self) -> None:
        self._db.close()

    def _write(self, sql: str, args: tuple) -> None:
        with self._db:
            self._db.execute(sql, args)

    # -- feeds -----------------------------------------------------------------------------------

    def feed(self, url: str) -> dict:
        """The feed's row (created on first sight): current_url, etag, last_modified, gone."""
        self._write("INSERT OR IGNORE INTO feed (url, current_url) VALUES (?, ?)", (url, url))
        cur = self._db.execute("SELECT current_url, etag, last_modified, gone FROM feed WHERE url = ?", (url,))
        current, etag, modified, gone = cur.fetchone()
        return {"current_url": current, "etag": etag, "last_modified": modified, "gone": bool(gone)}

    def fetched(self, url: str, status: str, *, error: str | None = None, title: str | None = None) -> None:
        """One fetch of the feed: its outcome (an error counts)."""
        now = time.time()
        if error:
            self._write("UPDATE feed SET last_fetch = ?, last_status = ?, errors = errors + 1, last_error = ? "
                        "WHERE url = ?", (now, status, error, url))
        else:
            self._write("UPDATE feed SET last_fetch = ?, last_status = ?, last_success = ?, "
                        "title = COALESCE(?, title) WHERE url = ?", (now, status, now, title, url))

    def moved(self, url: str, new_url: str) -> None:
        """A 301/308: poll the new URL from now on."""
        self._write("UPDATE feed SET current_url = ? WHERE url = ?", (new_url, url))

    def gone(self, url: str) -> None:
        """A 410: the feed is no longer polled."""
        self._write("UPDATE feed SET gone = 1 WHERE url = ?", (url,))

    def validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """The validators for the next conditional GET (stored once the items are settled)."""
        self._write("UPDATE feed SET etag = ?, last_modified = ? WHERE url = ?", (etag, last_modified, url))

    def feeds(self) -> list[FeedRow]:
        cur = self._db.execute(
            "SELECT f.url, f.current_url, f.gone, f.title, f.last_fetch, f.last_status, f.last_success, "
            "f.last_new, f.errors, f.last_error, (SELECT COUNT(*) FROM item i WHERE i.feed = f.url "
            "AND i.status != 'failed') FROM feed f ORDER BY f.url")
        return [FeedRow(r[0], r[1], bool(r[2]), *r[3:]) for r in cur.fetchall()]

    # -- items -----------------------------------------------------------------------------------

    def seen(self, feed: str, guid: str, url: str) -> bool:
        """Whether this item was settled before (same GUID in this feed, or the same URL)."""
        cur = self._db.execute("SELECT 1 FROM item WHERE (feed = ? AND guid = ?) OR url = ? LIMIT 1",
                               (feed, guid, url))
        return cur.fetchone() is not None

    def settled(self, feed: str, guid: str, url: str, status: str, article: str | None = None) -> None:
        """An item is done: 'loaded', 'present' (already in the store) or 'failed' (for good)."""
        now = time.time()
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO item (feed, guid, url, status, article, at) "
                             "VALUES (?, ?, ?, ?, ?, ?)", (feed, guid, url, status, article, now))
            if status == "loaded":
                self._db.execute("UPDATE feed SET last_new = ? WHERE url = ?", (now, feed))

    def error(self, feed: str, message: str) -> None:
        """An item of this feed failed (counted in `kg feeds`)."""
        self._write("UPDATE feed SET errors = errors + 1, last_error = ? WHERE url = ?", (message, feed))

"""`kg ingest --feed` and `kg watch`: poll feeds, fetch each new item's page, load it as an article.

The feed side only produces Article records (or one InputError line per thing that failed) for
the existing ingest (kg/ops/ingest.py), so the skip check, batching, one transaction per article,
interruption and the merge work exactly as for files. What is feed-specific is what to fetch:
FeedPoller asks each feed conditionally (its stored ETag / Last-Modified; a 304 means nothing
new and no page is fetched), skips items already settled (kg/ops/feedstate.py), and records an
item only when the ingest reports its article loaded (or already in the store). Validators are
stored at the end of a run and only for feeds whose items all settled, so a run killed at any
point is followed by a rerun that asks unconditionally and loads exactly what is missing; an item
whose page failed for a passing reason (5xx, network) is retried by the next run, one that is
gone (4xx) or is no article is not.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.model.records import Article
from kg.ops.ingest import Ingest, IngestReport
from kg.ops.feedhttp import FetchError, PoliteClient
from kg.ops.feedstate import FeedState
from kg.read.errors import InputError
from kg.read.feeds import Feed, FeedEntry, FeedError, item_article, parse_feed
from kg.store import Store

MAX_FEED_BYTES = 16 * 1024 * 1024
TRANSIENT_STATUS = frozenset({408, 425, 429})  # 4xx answers that may change on the next poll


@dataclass
class PollReport:
    """What the feed side did in one run (the ingest's own report counts the articles)."""

    feeds: int = 0  # polled (a feed that answered 410 before is not)
    not_modified: int = 0  # answered 304: nothing new, no page fetched
    gone: int = 0  # answered 410 in this run: no longer polled
    moved: int = 0  # a chain of 301/308: the new URL is polled from now on
    pages: int = 0  # item pages fetched (answered, whatever the status)

    def summary(self) -> str:
        extra = "".join(f", {n} {what}" for n, what in ((self.gone, "gone (410)"), (self.moved, "moved"))
                        if n)
        return f"{self.feeds} feeds ({self.not_modified} not modified{extra}), {self.pages} pages fetched"


def read_feed_list(path: str) -> list[str]:
    """The feed URLs of a --feeds file: one a line; blank lines and # comments ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read the feed list ({getattr(e, 'strerror', None) or e})") from None
    urls = []
    for n, line in enumerate(text.splitlines(), 1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not re.match(r"https?://[^\s/]+", url):
            raise InputError(f"{path}:{n}: {url!r} is not an http(s) URL")
        urls.append(url)
    return urls


class FeedPoller:
    """One run over a list of feeds: `items()` feeds an Ingest, `on_article` and `finish` record.

    Pass `on_article` to the Ingest (it is called in the ingest's thread once the store has
    confirmed an article) and call `finish()` after the ingest's load returned."""

    def __init__(self, state: FeedState, client: PoliteClient, *,
                 on_notice: Callable[[str], None] | None = None) -> None:
        self.state = state
        self.client = client
        self.on_notice = on_notice or (lambda msg: None)
        self.report = PollReport()
        self._pending: dict[str, tuple[str, str, str]] = {}  # article source -> (feed, guid, link)
        self._unsettled: dict[str, int] = {}  # feed -> its items handed to the ingest, not yet settled
        self._validators: dict[str, tuple[str | None, str | None]] = {}
        self._retry: set[str] = set()  # feeds with an item to retry: no validators stored
        self._links: set[str] = set()  # item links met in this run (two feeds, one item)

    # -- reading side ----------------------------------------------------------------------------

    def items(self, feeds: list[str]) -> Iterator[Article | InputError]:
        """Every new item of every feed, as an Article or the InputError that names what failed."""
        for url in dict.fromkeys(feeds):  # a feed listed twice is polled once
            yield from self._poll(url)

    def _poll(self, url: str) -> Iterator[Article | InputError]:
        row = self.state.feed(url)
        if row["gone"]:
            return
        self.report.feeds += 1
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
        if row["etag"]:
            headers["If-None-Match"] = row["etag"]
        if row["last_modified"]:
            headers["If-Modified-Since"] = row["last_modified"]
        try:
            r = self.client.get(row["current_url"], headers, max_bytes=MAX_FEED_BYTES)
        except FetchError as e:
            yield self._feed_failed(url, str(e))
            return
        if r.moved_to:
            self.state.moved(url, r.moved_to)
            self.report.moved += 1
            self.on_notice(f"kg: feed moved permanently: {url} -> {r.moved_to} (polled there from now on)")
        if r.status == 304:
            self.state.fetched(url, "304 not modified")
            self.report.not_modified += 1
            return
        if r.status == 410:
            self.state.gone(url)
            self.state.fetched(url, "410 gone")
            self.report.gone += 1
            self.on_notice(f"kg: feed gone (HTTP 410), no longer polled: {url}")
            return
        if r.status != 200:
            yield self._feed_failed(url, f"{url}: HTTP {r.status}")
            return
        try:
            feed = parse_feed(r.content, url, r.headers.get("content-type"))
        except FeedError as e:
            yield self._feed_failed(url, str(e))
            return
        self.state.fetched(url, "200", title=feed.title)
        self._validators[url] = (r.headers.get("etag"), r.headers.get("last-modified"))
        for msg in feed.skipped:
            self.state.error(url, msg)
            yield InputError(msg)
        for entry in feed.entries:
            yield from self._item(url, feed, entry)

    def _feed_failed(self, url: str, message: str) -> FeedError:
        self.state.fetched(url, "error", error=message)
        return FeedError(message)

    def _item(self, feed_url: str, feed: Feed, entry: FeedEntry) -> Iterator[Article | InputError]:
        if entry.link in self._links or self.state.seen(feed_url, entry.guid, entry.link):
            return
        self._links.add(entry.link)
        try:
            r = self.client.get(entry.link, {"Accept": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"})
        except FetchError as e:
            yield self._item_failed(feed_url, entry, str(e), retry=True)
            return
        self.report.pages += 1
        if r.status != 200:
            retry = r.status >= 500 or r.status in TRANSIENT_STATUS
            yield self._item_failed(feed_url, entry, f"{entry.link}: HTTP {r.status}", retry=retry)
            return
        ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype and "html" not in ctype:
            yield self._item_failed(feed_url, entry, f"{entry.link}: not an HTML page ({ctype})", retry=False)
            return
        try:
            article = item_article(r.content, entry, url=r.url, feed_title=feed.title)
        except InputError as e:
            yield self._item_failed(feed_url, entry, str(e), retry=False)
            return
        self._pending[article.source] = (feed_url, entry.guid, entry.link)
        self._unsettled[feed_url] = self._unsettled.get(feed_url, 0) + 1
        yield article

    def _item_failed(self, feed_url: str, entry: FeedEntry, message: str, *, retry: bool) -> InputError:
        """One item failed: counted on its feed; recorded for good unless it may work next time."""
        self.state.error(feed_url, message)
        if retry:
            self._retry.add(feed_url)
        else:
            self.state.settled(feed_url, entry.guid, entry.link, "failed")
        return InputError(message)

    # -- recording side --------------------------------------------------------------------------

    def on_article(self, article: Article, what: str) -> None:
        """The ingest's callback: the store holds this article now ('loaded') or already did."""
        key = self._pending.pop(article.source, None)
        if key is None:
            return
        feed_url, guid, link = key
        status = "loaded" if what == "loaded" else "present"
        self.state.settled(feed_url, guid, link, status, article=article.key)
        self._unsettled[feed_url] -= 1

    def finish(self) -> None:
        """After the load: store the validators of every feed whose items all settled."""
        for url, (etag, modified) in self._validators.items():
            if url not in self._retry and not self._unsettled.get(url):
                self.state.validators(url, etag, modified)
        self._validators.clear()


def feed_ingest(store: Store, state: FeedState, client: PoliteClient, *,
                on_notice: Callable[[str], None] | None = None,
                on_article: Callable[[Article, str], None] | None = None,
                **options: object) -> tuple[Ingest, FeedPoller]:
    """An Ingest (options as for files) wired to a FeedPoller that records what it confirms."""
    poller = FeedPoller(state, client, on_notice=on_notice)

    def confirmed(article: Article, what: str) -> None:
        poller.on_article(article, what)
        if on_article is not None:
            on_article(article, what)

    return Ingest(store, on_article=confirmed, **options), poller  # type: ignore[arg-type]


def ingest_feeds(store: Store, feeds: list[str], *, state: FeedState, client: PoliteClient | None = None,
                 on_notice: Callable[[str], None] | None = None,
                 **options: object) -> tuple[IngestReport, PollReport]:
    """One run over the feeds into the store (merge=True to keep the merged graph right)."""
    own = client is None
    client = client or PoliteClient()
    try:
        run, poller = feed_ingest(store, state, client, on_notice=on_notice, **options)
        report = run.run(poller.items(feeds))
        poller.finish()  # only after a whole run: a stopped run stores no validators
        return report, poller.report
    finally:
        if own:
            client.close()


def parse_every(text: str) -> float:
    """Seconds from `15m`, `30s`, `1h`, `1h30m` or a plain number of seconds; InputError if not."""
    t = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", t):
        seconds = float(t)
    else:
        parts = re.findall(r"(\d+(?:\.\d+)?)\s*([hms])", t)
        if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*([hms])", "", t).strip():
            raise InputError(f"--every {text!r}: expected a duration such as 15m, 30s or 1h")
        seconds = sum(float(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts)
    if seconds < 1:
        raise InputError(f"--every {text!r}: at least one second")
    return seconds


def sleep_until(deadline: float, sleep: Callable[[float], None] = time.sleep) -> None:
    """Wait until a monotonic deadline, in short steps (a signal ends the wait at once)."""
    while (left := deadline - time.monotonic()) > 0:
        sleep(min(left, 1.0))

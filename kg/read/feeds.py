"""RSS 2.0 / Atom feeds: feed bytes -> entries (feedparser), an item's page -> Article (the HTML
reader, with the entry's date and the feed's title as fallbacks).

Why feedparser is given bytes and never a URL: its own fetcher has no timeout and no politeness;
kg/ops/feeds.py fetches. Why the page's metadata wins over the entry's: the page is the article
itself (its own publication date and site name), the entry is a summary that aggregators rewrite.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from xml.sax import SAXException

from kg.model.records import Article
from kg.read.errors import InputError
from kg.read.html import html_article

MAX_ENTRIES = 2000  # a feed is a list of recent items; more is a mistake or an attack


class FeedError(InputError):
    """A feed cannot be read (empty, malformed, an HTML page); the message names its URL."""


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: what identifies it (GUID, link) and the fallbacks for its article."""

    guid: str
    link: str
    title: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True)
class Feed:
    title: str | None
    entries: list[FeedEntry]
    skipped: list[str]  # one line per entry that has no usable link


_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)\b", re.I | re.S)


def looks_like_html(data: bytes, content_type: str | None) -> bool:
    """An HTML page served where a feed was expected (a moved feed, a login or error page)."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    return ctype in ("text/html", "application/xhtml+xml") or bool(_HTML_START.match(data[:4096]))


def _entry_date(entry: dict) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed"):
        t = entry.get(key)
        if t:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(t), dt.timezone.utc).date()
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> Feed:
    """The feed's title and entries; FeedError if the bytes are no RSS/Atom feed."""
    import feedparser  # imported lazily: only feed commands need it

    if not data.strip():
        raise FeedError(f"{url}: empty feed (no bytes)")
    if looks_like_html(data, content_type):
        raise FeedError(f"{url}: an HTML page, not an RSS/Atom feed")
    if re.search(rb"<!ENTITY", data[:65536], re.IGNORECASE):
        raise FeedError(f"{url}: feed declares entities (possible entity expansion attack)")
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False, resolve_relative_uris=True)
    if not parsed.get("version"):
        why = parsed.get("bozo_exception")
        detail = f" ({str(why).splitlines()[0][:120]})" if why else ""
        raise FeedError(f"{url}: malformed feed, not RSS or Atom{detail}")
    entries, skipped = [], []
    for i, e in enumerate(parsed.entries[:MAX_ENTRIES], 1):
        link = (e.get("link") or "").strip()
        if not link.startswith(("http://", "https://")):
            skipped.append(f"{url}: item {i} has no http(s) link")
            continue
        guid = (e.get("id") or "").strip() or link
        entries.append(FeedEntry(guid=guid, link=link, title=(e.get("title") or None), published=_entry_date(e)))
    broken = parsed.get("bozo") and isinstance(parsed.get("bozo_exception"), SAXException)
    if broken and not entries:  # a feed with a stray "&" but good items is still read, as browsers do
        why = str(parsed.get("bozo_exception")).splitlines()[0][:120]
        raise FeedError(f"{url}: malformed feed ({why})")
    title = (parsed.feed.get("title") or "").strip() or None
    return Feed(title=title, entries=entries, skipped=skipped)


def _date_in_metadata(page: bytes) -> bool:
    """Whether the page states its date in metadata (meta tags, JSON-LD, <time>, its URL).

    Why ask: without one, trafilatura's date search reads the body text and returns its best
    guess (a page saying "fighting since 2015" is dated 2015-01-01); the feed entry's date is
    better than a guess."""
    from htmldate import find_date  # trafilatura's own date finder

    try:
        return find_date(page, extensive_search=False, original_date=True) is not None
    except Exception:  # htmldate raises many kinds on malformed pages
        return False


def item_article(page: bytes, entry: FeedEntry, *, url: str, feed_title: str | None) -> Article:
    """The item's article from its page; the date and outlet fall back to the entry and the feed
    (the date also when the page's is only a guess from its text).

    InputError (naming the URL) when the page is not an article."""
    art = html_article(page, url)
    published = art.published
    if entry.published and (published is None or not _date_in_metadata(page)):
        published = entry.published
    return replace(
        art,
        title=art.title or entry.title,
        published=published,
        outlet=art.outlet or feed_title,
        url=art.url or url,
    )

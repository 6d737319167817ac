"""A small news site for the feed tests: an RSS 2.0 and an Atom feed on 127.0.0.1, article pages
made from tests/data/*.txt wrapped in real-looking HTML (navigation, related links, footer), and
the faults a poller meets (5xx, 429 with Retry-After, redirects, malformed feeds, dead links)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import threading
from collections.abc import Callable
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

NAV = """<header><a class="logo" href="/">{outlet}</a><nav><ul><li><a href="/">Home</a></li>
<li><a href="/world">World</a></li><li><a href="/africa">Africa</a></li><li><a href="/middle-east">Middle East</a></li>
<li><a href="/europe">Europe</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav></header>"""
RELATED = """<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/news/older-1.html">Ceasefire talks stall as envoys leave the capital</a></li>
<li><a href="/news/older-2.html">Aid agencies warn of food shortages in the region</a></li></ul></aside>"""
FOOTER = """<footer><ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy policy</a></li>
<li><a href="/contact">Contact</a></li></ul><p>Copyright {outlet}. All rights reserved.</p></footer>"""


def article_page(name: str, *, outlet: str | None, published: dt.date | None) -> bytes:
    """tests/data/NAME.txt as a news page; without outlet/published the page has no such metadata."""
    lines = [ln.strip() for ln in (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()]
    headline, body = lines[0], [ln for ln in lines[1:] if ln]
    meta = [f'<meta property="og:title" content="{html.escape(headline)}">']
    if outlet:
        meta.append(f'<meta property="og:site_name" content="{html.escape(outlet)}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published.isoformat()}T08:30:00Z">')
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    who = outlet or "the newsroom"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(headline)}</title>
{chr(10).join(meta)}
</head><body>
{NAV.format(outlet=who)}
<main><article><h1>{html.escape(headline)}</h1><p class="byline">By a staff reporter</p>
{paras}
</article>
{RELATED}
</main>
{FOOTER.format(outlet=who)}
</body></html>""".encode()


def rss(title: str, base: str, items: list[tuple[str, dt.date]]) -> bytes:
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{title}</title>'
           f"<link>{base}/</link><description>Latest news</description>"]
    for name, day in items:
        when = format_datetime(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc))
        out.append(f"<item><title>{name}</title><link>{base}/news/{name}.html</link>"
                   f'<guid isPermaLink="false">rss-{name}</guid><pubDate>{when}</pubDate></item>')
    out.append("</channel></rss>")
    return "".join(out).encode()


def atom(title: str, base: str, items: list[tuple[str, dt.date]]) -> bytes:
    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
           f"<title>{title}</title><id>{base}/atom</id><updated>2024-05-01T00:00:00Z</updated>"]
    for name, day in items:
        out.append(f'<entry><title>{name}</title><link href="{base}/news/{name}.html"/>'
                   f"<id>urn:x-test:{name}</id><updated>{day.isoformat()}T12:00:00Z</updated></entry>")
    out.append("</feed>")
    return "".join(out).encode()


class Site:
    """Routes path -> (status, headers, body) or a callable; `faults[path]` answers first (a list
    of (status, headers) used up one request each); every request is logged as (path, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes] | Callable[[], tuple]] = {}
        self.faults: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                with site.lock:
                    site.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                    fault = site.faults.get(self.path)
                    answer = fault.pop(0) + (b"",) if fault else site.routes.get(self.path)
                if callable(answer):
                    answer = answer()
                status, headers, body = answer or (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
                etag = headers.get("ETag")
                if status == 200 and etag and self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def feed(self, path: str, body: bytes, ctype: str = "application/rss+xml") -> None:
        """A feed with an ETag and Last-Modified (a new body gets a new ETag)."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
        self.routes[path] = (200, {"Content-Type": ctype, "ETag": etag,
                                   "Last-Modified": "Wed, 01 May 2024 10:00:00 GMT"}, body)

    def page(self, name: str, *, outlet: str | None = "Frontline Wire",
             published: dt.date | None = dt.date(2024, 4, 2)) -> None:
        self.routes[f"/news/{name}.html"] = (200, {"Content-Type": "text/html; charset=utf-8"},
                                             article_page(name, outlet=outlet, published=published))

    def requested(self, since: int = 0) -> list[str]:
        with self.lock:
            return [p for p, _ in self.log[since:]]

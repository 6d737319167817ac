"""Feeds (issue 19): `kg ingest --feed/--feeds`, `kg watch`, `kg feeds`, against a small news site
served on 127.0.0.1 by the tests (tests/feedsite.py): an RSS 2.0 and an Atom feed, article pages
made from tests/data/*.txt in real-looking HTML, and the faults a poller meets."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.ops.feedhttp import USER_AGENT, FetchError, PoliteClient
from kg.ops.feeds import ingest_feeds, parse_every, read_feed_list
from kg.ops.feedstate import FeedState
from kg.read.errors import InputError
from kg.read.feeds import FeedError, parse_feed
from kg.store import open_store

from .conftest import ROOT, run_kg
from .feedsite import Site, atom, rss

FAST = {"KG_FEED_PAUSE": "0", "KG_FEED_BACKOFF": "0.01", "KG_FEED_MAX_WAIT": "0.05", "KG_FEED_TIMEOUT": "5"}
RSS_ITEMS = [("gaza-nuseirat-school", dt.date(2024, 4, 1)), ("yemen-marib-missile", dt.date(2024, 4, 3))]
ATOM_ITEMS = [("sudan-zamzam-camp", dt.date(2024, 3, 9)), ("congo-m23-sake", dt.date(2024, 3, 10))]
ARTICLE_QUERY = """PREFIX schema: <https://schema.org/>
SELECT ?url ?date ?outlet WHERE { ?a schema:url ?url . OPTIONAL { ?a schema:datePublished ?date }
OPTIONAL { ?a schema:publisher ?outlet } }"""


@pytest.fixture(autouse=True)
def fast_waits(monkeypatch):
    for k, v in FAST.items():
        monkeypatch.setenv(k, v)


def news_site() -> Site:
    """The two feeds; gaza and sudan pages carry their own date and outlet, yemen's page has
    neither (the feed entry's date and the feed's title are used), congo's has no outlet."""
    s = Site()
    s.feed("/rss.xml", rss("Frontline Wire", s.base, RSS_ITEMS))
    s.feed("/atom.xml", atom("Atom Desk", s.base, ATOM_ITEMS), "application/atom+xml")
    s.page("gaza-nuseirat-school", outlet="Gaza Daily", published=dt.date(2024, 4, 2))
    s.page("yemen-marib-missile", outlet=None, published=None)
    s.page("sudan-zamzam-camp", outlet="Darfur Monitor", published=dt.date(2024, 3, 8))
    s.page("congo-m23-sake", outlet=None, published=dt.date(2024, 3, 11))
    return s


def articles(store) -> dict[str, tuple[str | None, str | None]]:
    """url path -> (date, outlet) of every article in the store."""
    rows = store.query(ARTICLE_QUERY).rows
    return {re.sub(r"^http://[^/]+", "", r[0].value): (r[1] and r[1].value, r[2] and r[2].value) for r in rows}


def sorted_nq(store_dir: Path) -> list[str]:
    with open_store(str(store_dir), read_only=True) as st:
        data = st.export("nq").decode()
    return sorted(re.sub(r"_:\w+", "_:b", ln) for ln in data.splitlines() if ln.strip())


# -- parsing and the HTTP client, no pipeline -----------------------------------------------------


def test_parse_feed_rss_atom_and_what_is_no_feed():
    f = parse_feed(rss("Wire", "http://x", RSS_ITEMS), "http://x/rss")
    assert f.title == "Wire" and [e.link for e in f.entries] == [f"http://x/news/{n}.html" for n, _ in RSS_ITEMS]
    assert f.entries[0].guid == "rss-gaza-nuseirat-school" and f.entries[0].published == dt.date(2024, 4, 1)
    a = parse_feed(atom("Desk", "http://x", ATOM_ITEMS), "http://x/atom")
    assert a.entries[1].guid == "urn:x-test:congo-m23-sake" and a.entries[1].published == dt.date(2024, 3, 10)
    for data, ctype, why in [(b"", None, "empty feed"), (b"<rss><channel><item><title>x</ti", None, "malformed"),
                             (b"<!DOCTYPE html><html><body>x</body></html>", None, "HTML page"),
                             (b"<p>hello</p>", "text/html; charset=utf-8", "HTML page"),
                             (b"just words", None, "not RSS or Atom"),
                             (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss/>', None, "entities")]:
        with pytest.raises(FeedError, match=why) as e:
            parse_feed(data, "http://x/f", ctype)
        assert str(e.value).startswith("http://x/f: ")


def test_client_retry_after_backoff_redirects_and_user_agent(monkeypatch):
    monkeypatch.setenv("KG_FEED_MAX_WAIT", "7")
    waits: list[float] = []
    with Site() as s:
        s.routes["/f"] = (200, {"Content-Type": "text/plain"}, b"ok")
        s.faults["/f"] = [(429, {"Retry-After": "3"}), (503, {"Retry-After": "120"}), (500, {})]
        s.routes["/perm"] = (301, {"Location": "/perm2"}, b"")
        s.routes["/perm2"] = (308, {"Location": s.base + "/f"}, b"")
        s.routes["/temp"] = (302, {"Location": "/f"}, b"")
        s.routes["/slow"] = lambda: (time.sleep(1.5), (200, {}, b"late"))[1]
        client = PoliteClient(sleep=waits.append)
        r = client.get(s.base + "/f")
        assert (r.status, r.content) == (200, b"ok")
        assert waits[:2] == [3.0, 7.0] and len(waits) == 3  # Retry-After honoured, capped; then backoff
        assert client.get(s.base + "/perm").moved_to == s.base + "/f"
        assert client.get(s.base + "/temp").moved_to is None  # a 302 is not remembered
        assert all(h["user-agent"] == USER_AGENT for _, h in s.log) and "conflict-kg/" in USER_AGENT
        monkeypatch.setenv("KG_FEED_TIMEOUT", "0.3")
        monkeypatch.setenv("KG_FEED_RETRIES", "0")
        with pytest.raises(FetchError, match=r"/slow: timed out"):
            PoliteClient().get(s.base + "/slow")
        client.close()


def test_client_pauses_between_requests_to_one_host(monkeypatch):
    monkeypatch.setenv("KG_FEED_PAUSE", "0.2")
    with Site() as s:
        s.routes["/a"] = (200, {}, b"a")
        client = PoliteClient()
        t0 = time.monotonic()
        for _ in range(3):
            client.get(s.base + "/a")
        assert time.monotonic() - t0 >= 0.4
        client.close()


def test_durations_and_feed_lists(tmp_path):
    assert [parse_every(x) for x in ("15m", "30s", "1h30m", "90")] == [900, 30, 5400, 90]
    for bad in ("soon", "0s", "5x"):
        with pytest.raises(InputError):
            parse_every(bad)
    f = tmp_path / "feeds.txt"
    f.write_text("# my feeds\nhttp://a/rss#x\n\n  https://b/atom  \n")
    assert read_feed_list(str(f)) == ["http://a/rss#x", "https://b/atom"]
    f.write_text("ftp://a/rss\n")
    with pytest.raises(InputError, match=r"feeds.txt:1: 'ftp://a/rss' is not an http\(s\) URL"):
        read_feed_list(str(f))


# -- runs through the pipeline (in process) -------------------------------------------------------


def test_first_run_then_304_then_only_the_new_item(tmp_path):
    with news_site() as s:
        feeds = [s.base + "/rss.xml", s.base + "/atom.xml"]
        state = FeedState(tmp_path / "feeds.sqlite")
        with open_store(str(tmp_path / "store")) as store:
            report, polled = ingest_feeds(store, feeds, state=state, merge=True)
            assert (report.loaded, report.failed, polled.pages) == (4, 0, 4)
            assert articles(store) == {
                "/news/gaza-nuseirat-school.html": ("2024-04-02", "Gaza Daily"),  # the page's own
                "/news/yemen-marib-missile.html": ("2024-04-03", "Frontline Wire"),  # entry and feed
                "/news/sudan-zamzam-camp.html": ("2024-03-08", "Darfur Monitor"),
                "/news/congo-m23-sake.html": ("2024-03-11", "Atom Desk"),
            }
            n = len(s.log)
            report, polled = ingest_feeds(store, feeds, state=state, merge=True)
            assert (report.loaded, polled.not_modified, polled.pages) == (0, 2, 0)
            assert s.requested(n) == ["/rss.xml", "/atom.xml"]
            assert all(h.get("if-none-match") and h.get("if-modified-since") for _, h in s.log[n:])
            s.feed("/rss.xml", rss("Frontline Wire", s.base, [("ukraine-kharkiv-strike", dt.date(2024, 4, 5)),
                                                              *RSS_ITEMS]))
            s.page("ukraine-kharkiv-strike")
            n = len(s.log)
            report, polled = ingest_feeds(store, feeds, state=state, merge=True)
            assert (report.loaded, polled.pages) == (1, 1)
            assert s.requested(n) == ["/rss.xml", "/news/ukraine-kharkiv-strike.html", "/atom.xml"]
        rows = {r.url: r for r in state.feeds()}
        assert rows[feeds[0]].items == 3 and rows[feeds[0]].last_status == "200"
        assert rows[feeds[1]].title == "Atom Desk" and rows[feeds[1]].errors == 0
        state.close()


def test_faults_fail_alone_through_the_cli(tmp_path):
    """500 then success, 429 with Retry-After, a 301 remembered, a malformed feed, an HTML page as a
    feed, a 404 item, a page that is no article, a feed gone (410): the good items load, each failure
    is one line naming its URL, the exit status is 1; the next run polls the new URL, not the 410."""
    with news_site() as s:
        s.feed("/rss2.xml", rss("Second Wire", s.base, [("iraq-bartella-retaken", dt.date(2024, 2, 1)),
                                                         ("missing", dt.date(2024, 2, 2)),
                                                         ("menu", dt.date(2024, 2, 3))]))
        s.page("iraq-bartella-retaken")
        s.routes["/news/menu.html"] = (200, {"Content-Type": "text/html"},
                                       b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
        s.faults["/rss.xml"] = [(500, {})]
        s.faults["/atom.xml"] = [(429, {"Retry-After": "1"})]
        s.routes["/old.xml"] = (301, {"Location": "/rss2.xml"}, b"")
        s.routes["/bad.xml"] = (200, {"Content-Type": "application/rss+xml"}, b"<rss><channel><item><title>x</ti")
        s.routes["/page.xml"] = (200, {"Content-Type": "text/html"}, b"<!DOCTYPE html><html><body>Hi</body></html>")
        s.routes["/gone.xml"] = (410, {}, b"")
        names = ["rss.xml", "atom.xml", "old.xml", "bad.xml", "page.xml", "gone.xml"]
        (tmp_path / "feeds.txt").write_text("".join(f"{s.base}/{n}\n" for n in names))
        store = tmp_path / "store"
        p = run_kg("ingest", "--feeds", str(tmp_path / "feeds.txt"), "-q", store=store, env=FAST)
        assert p.returncode == 1, p.stderr_text
        err = p.stderr_text
        for line in (f"kg: failed: {s.base}/news/missing.html: HTTP 404",
                     f"kg: failed: {s.base}/news/menu.html: HTML page has no article body",
                     f"kg: failed: {s.base}/bad.xml: malformed feed",
                     f"kg: failed: {s.base}/page.xml: an HTML page, not an RSS/Atom feed",
                     f"kg: feed gone (HTTP 410), no longer polled: {s.base}/gone.xml",
                     f"kg: feed moved permanently: {s.base}/old.xml -> {s.base}/rss2.xml"):
            assert line in err, err
        assert "5 loaded, 0 skipped (already in store), 4 failed" in err, err
        assert "Traceback" not in err
        assert s.requested().count("/rss.xml") == 2 and s.requested().count("/atom.xml") == 2
        n = len(s.log)
        state = FeedState(store / "feeds.sqlite")
        with open_store(str(store)) as st:
            report, _ = ingest_feeds(st, [f"{s.base}/{n}" for n in names], state=state)
        assert report.loaded == 0 and report.failed == 2  # the two broken feeds, nothing else
        asked = s.requested(n)
        assert "/gone.xml" not in asked and "/old.xml" not in asked and "/rss2.xml" in asked
        assert not any(p.startswith("/news/") for p in asked)  # dead items are not fetched again
        listing = run_kg("feeds", store=store).stdout_text
        assert f"{s.base}/old.xml -> {s.base}/rss2.xml" in listing and "(gone: 410, not polled)" in listing
        assert "last error: " + f"{s.base}/bad.xml: malformed feed" in listing
        state.close()


def test_sigkill_mid_run_then_watch_equals_a_clean_run(tmp_path):
    """A run killed while fetching its fourth page, then `kg watch` (stopped by SIGTERM after its
    first pass), leaves the same quads as one clean run."""
    reached, release = threading.Event(), threading.Event()
    with news_site() as s:
        gated_page = s.routes["/news/sudan-zamzam-camp.html"]

        def gated():
            reached.set()
            release.wait(60)
            return gated_page

        feeds = [s.base + "/rss.xml", s.base + "/atom.xml"]
        clean = tmp_path / "clean"
        with open_store(str(clean)) as st:
            ingest_feeds(st, feeds, state=FeedState(tmp_path / "clean.sqlite"), merge=True)
        (tmp_path / "feeds.txt").write_text("\n".join(feeds) + "\n")
        store = tmp_path / "store"
        s.routes["/news/sudan-zamzam-camp.html"] = gated
        env = {**os.environ, **FAST, "KG_STORE": str(store)}
        env.pop("KG_ENDPOINT", None)
        run = subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", "--feeds", str(tmp_path / "feeds.txt"),
                                "--batch-size", "1"], cwd=ROOT, env=env, stderr=subprocess.PIPE)
        assert reached.wait(120), "the run never reached the gated page"
        time.sleep(0.5)
        run.send_signal(signal.SIGKILL)
        run.wait(30)
        run.stderr.close()
        killed = FeedState(store / "feeds.sqlite")
        assert sum(r.items for r in killed.feeds()) >= 1  # killed mid-run: some items settled, not all
        with open_store(str(store), read_only=True) as st:
            assert 1 <= len(articles(st)) < 4
        killed.close()
        s.routes["/news/sudan-zamzam-camp.html"] = gated_page
        release.set()
        watch = subprocess.Popen([sys.executable, "-m", "kg.cli", "watch", "--feeds", str(tmp_path / "feeds.txt"),
                                  "--every", "30s"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        lines = []
        for line in watch.stderr:
            lines.append(line)
            if " pass 1: " in line:
                break
        watch.send_signal(signal.SIGTERM)
        rest = watch.stderr.read()
        assert watch.wait(30) == 0, "".join(lines) + rest
        assert "kg: watch stopped by SIGTERM after 1 passes (between passes)" in rest
        assert "0 failed" in lines[-1], "".join(lines)
        assert sorted_nq(store) == sorted_nq(clean)

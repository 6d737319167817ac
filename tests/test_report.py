"""`kg report`: one self-contained HTML page, tested as a user sees it, in Debian's chromium (driven
by playwright, never `playwright install`) with the network cut: a proxy that goes nowhere and a
request hook that fails anything but the file itself. The store: the bundled example and
tests/data/*.txt, ingested through the CLI."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, run_kg

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


@pytest.fixture(scope="module")
def report_store(example_store, tmp_path_factory):
    """The example store (dated 2015-10-15) plus the fifteen test articles of other theatres."""
    store = tmp_path_factory.mktemp("report") / "kg-store"
    shutil.copytree(example_store, store)
    p = run_kg("ingest", *sorted(str(t) for t in (ROOT / "tests" / "data").glob("*.txt")), "-q", store=store)
    assert p.returncode == 0, p.stderr_text
    return store


@pytest.fixture(scope="module")
def report_file(report_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("report-out") / "report.html"
    p = run_kg("report", "-o", str(out), store=report_store)
    assert p.returncode == 0, p.stderr_text
    assert "merged events" in p.stderr_text and out.exists()
    return out


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--proxy-server=127.0.0.1:9", "--no-sandbox"])
        yield b
        b.close()


class Opened:
    """A report opened offline: the page, its console errors and every request it tried."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1280, "height": 1400})
        self.errors: list[str] = []
        self.requests: list[str] = []
        url = path.resolve().as_uri()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def hook(route):
            self.requests.append(route.request.url)
            route.continue_() if route.request.url == url else route.abort()

        self.page.route("**/*", hook)
        self.page.goto(url)
        self.page.wait_for_function("window.ckgReport !== undefined")
        self.url = url

    def js(self, expr: str):
        return self.page.evaluate(expr)

    def close(self) -> None:
        self.page.close()


def _distinct_colours(browser, png: bytes) -> int:
    """How many colours a screenshot has (counted in a blank page's canvas: no PIL needed)."""
    page = browser.new_page()
    try:
        return page.evaluate("""async (b64) => {
            const img = new Image(); img.src = 'data:image/png;base64,' + b64; await img.decode();
            const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
            const g = c.getContext('2d'); g.drawImage(img, 0, 0);
            const d = g.getImageData(0, 0, c.width, c.height).data, seen = new Set();
            for (let i = 0; i < d.length; i += 16) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
            return seen.size; }""", base64.b64encode(png).decode())
    finally:
        page.close()


def test_report_opens_offline_with_a_marker_per_located_event(browser, report_file, tmp_path):
    o = Opened(browser, report_file)
    try:
        data = o.js("ckgReport.data")
        assert o.errors == [] and o.requests == [o.url]
        located = [e for e in data["events"] if e["place"] is not None and data["places"][e["place"]]["lat"] is not None]
        assert len(located) == data["counts"]["located"] > 10
        assert o.js("ckgReport.markerCount()") == len(located)
        assert o.js("document.querySelectorAll('path.ckg-marker').length") == len(located)
        assert o.js("document.querySelectorAll('#network-svg line').length") == len(data["fights"]) + len(data["supports"])
        assert o.js("document.querySelectorAll('#control-table tbody tr').length") > 0
        # events without coordinates are listed, not dropped
        assert o.js("document.querySelectorAll('#unlocated-table tbody tr').length") == len(data["events"]) - len(located)
        assert o.js("document.querySelectorAll('#events-table tbody tr').length") == len(data["events"])
        shot = o.page.screenshot(path=str(tmp_path / "report.png"))
        assert _distinct_colours(browser, shot) > 20  # map outlines, markers, bars: not a blank page
        # a popup is built from the graph: evidence sentence and outlet
        o.js("(() => { const m = document.querySelector('path.ckg-marker'); m.dispatchEvent(new MouseEvent('click', {bubbles: true})); })()")
        assert o.js("document.querySelectorAll('.leaflet-popup .popup blockquote').length") >= 1
    finally:
        o.close()


def test_choosing_a_period_filters_the_map_and_lists(browser, report_file):
    o = Opened(browser, report_file)
    try:
        total = o.js("ckgReport.visibleMarkers()")
        o.js("ckgReport.setRange('2015-09-30', '2015-09-30')")
        one_day = o.js("ckgReport.visibleMarkers()")
        assert 0 < one_day < total
        assert o.js("document.querySelectorAll('#events-table tbody tr').length") == o.js(
            "ckgReport.data.events.filter(e => (e.from || e.date) && (e.to || e.date) >= '2015-09-30' && (e.from || e.date) <= '2015-09-30').length")
        o.js("ckgReport.clearRange()")
        assert o.js("ckgReport.visibleMarkers()") == total
        # brushing with the mouse: a drag over the timeline's first day
        box = o.page.locator("#timeline-svg").bounding_box()
        o.page.mouse.move(box["x"] + 25, box["y"] + 60)
        o.page.mouse.down()
        o.page.mouse.move(box["x"] + 40, box["y"] + 60)
        o.page.mouse.up()
        assert o.js("ckgReport.visibleMarkers()") < total
        assert "2015-09-30" in o.page.inner_text("#range-text")
        assert o.errors == [] and o.requests == [o.url]
    finally:
        o.close()


def test_empty_store_opens_and_says_there_is_nothing(browser, tmp_path):
    from kg.store import open_store

    open_store(str(tmp_path / "empty"), None, read_only=False).close()
    out = tmp_path / "empty.html"
    p = run_kg("report", "-o", str(out), store=tmp_path / "empty")
    assert p.returncode == 0, p.stderr_text
    o = Opened(browser, out)
    try:
        assert o.errors == [] and o.requests == [o.url]
        assert o.js("ckgReport.markerCount()") == 0
        assert "Nothing to report" in o.page.inner_text("#empty")
        assert o.page.is_visible("#empty")
    finally:
        o.close()


def test_text_from_the_news_cannot_inject_markup(browser, tmp_path):
    from kg.ops.report import render_page

    data = {"filters": {"place": HOSTILE, "from": None, "to": None, "actor": None},
            "events": [{"id": "urn:x", "cls": "Airstrike", "place": 0, "date": "2015-10-01", "from": "2015-10-01",
                        "to": "2015-10-01", "fmin": 3, "fmax": 3, "outlets": 1, "disputed": [], "agent": [0],
                        "target": [], "supporter": [], "reportedBy": [],
                        "accounts": [{"evidence": HOSTILE, "outlet": HOSTILE, "headline": HOSTILE, "published": None,
                                      "date": None, "url": None, "fatalities": 3}]}],
            "places": [{"id": "urn:p", "label": HOSTILE, "province": None, "country": None, "lat": 34.7, "lon": 36.7}],
            "actors": [{"id": "urn:a", "label": HOSTILE, "cls": "Army"}],
            "fights": [], "supports": [], "control": [{"asOf": None, "change": "controls", "actor": 0, "place": 0,
                                                       "outlet": HOSTILE, "evidence": HOSTILE}],
            "disputed": [], "counts": {"events": 1, "located": 1}}
    html = render_page(data, title=HOSTILE)
    assert "</script><script>window.pwned" not in html
    out = tmp_path / "hostile.html"
    out.write_text(html, encoding="utf-8")
    o = Opened(browser, out)
    try:
        o.js("document.querySelector('path.ckg-marker').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
        assert o.js("window.pwned") is None
        assert o.js("document.querySelectorAll('main img, .leaflet-popup img').length") == 0
        assert HOSTILE in o.page.inner_text("#events-table") and HOSTILE in o.page.inner_text(".leaflet-popup")
        assert o.requests == [o.url]
    finally:
        o.close()


def test_filters_and_errors_on_the_command_line(report_store, tmp_path):
    out = tmp_path / "homs.html"
    p = run_kg("report", "--place", "Homs", "--from", "2015-09-01", "--to", "2015-12-31", "-o", str(out), store=report_store)
    assert p.returncode == 0, p.stderr_text
    text = out.read_text(encoding="utf-8")
    start = text.index('<script type="application/json" id="ckg-data">') + len('<script type="application/json" id="ckg-data">')
    data = json.loads(text[start:text.index("</script>", start)])
    assert data["events"] and all(data["places"][e["place"]]["country"] == "Syria" for e in data["events"])
    assert all("2015-09-01" <= (e["from"] or e["date"]) <= "2015-12-31" for e in data["events"])
    p = run_kg("report", "--place", "Nowhereville", "-o", str(tmp_path / "x.html"), store=report_store)
    assert p.returncode == 1 and p.stderr_text.strip() == "kg: error: no place called 'Nowhereville' in the store"
    assert not (tmp_path / "x.html").exists()
    p = run_kg("report", "--from", "2015-12-01", "--to", "2015-01-01", store=report_store)
    assert p.returncode == 2 and "Traceback" not in p.stderr_text
    p = run_kg("report", "-o", str(tmp_path / "no" / "x.html"), store=report_store)
    assert p.returncode == 1 and p.stderr_text.count("\n") == 1


def test_library_reads_accounts_sources_and_links(report_store):
    from kg.ops.report import Filters, report_data
    from kg.ops.report.data import _safe_url
    from kg.store import open_store

    with open_store(str(report_store), None, read_only=True) as store:
        d = report_data(store)
        russia = report_data(store, Filters(actor="Russian air force"))
    assert all(e["accounts"] and all(a["evidence"] for a in e["accounts"]) for e in d["events"])
    assert any(e["place"] is not None and d["places"][e["place"]]["province"] for e in d["events"])
    assert d["control"] and d["fights"]
    assert 0 < len(russia["events"]) < len(d["events"])
    assert _safe_url("javascript:alert(1)") is None and _safe_url("https://a.example/x") == "https://a.example/x"

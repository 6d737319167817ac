"""How big and how slow `kg report` gets: the corpus's article graphs (dev and homs-2015) copied under
new article IRIs with their dates moved on by a day per copy (as benchmarks/merge_scale.py does),
merged, then reported; optionally opened in /usr/bin/chromium to time the page's load.

    python benchmarks/report_scale.py [--articles 1000] [--out report.html] [--browser]

Prints articles, merged events, seconds to read the store and write the page, its size, and with
--browser the seconds until the page's script has run (offline: no request leaves the file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.runtime.corpus import corpus_dir  # noqa: E402


def build_store(path: Path, articles: int):
    """An embedded store of `articles` copies of the corpus's article graphs, merged."""
    import pyoxigraph as ox

    from kg.graph.rdf import graph_triples
    from kg.nlp.extract import extract
    from kg.ops.merge import merge_store
    from kg.read.readers import article_from_text, decode_bytes
    from kg.store.embedded import EmbeddedStore

    arts = []
    for folder in ("dev", "homs-2015"):
        for t in sorted((corpus_dir() / folder).glob("*.txt")):
            arts.append(article_from_text(decode_bytes(t.read_bytes(), str(t)), source=str(t),
                                          published=dt.date(2015, 10, 15)))
    templates = [(ex.article.key, graph_triples(ex)) for ex in extract(arts)]
    date_rx = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    store = EmbeddedStore(path)
    for n in range(articles):
        key, quads = templates[n % len(templates)]
        shift = dt.timedelta(days=n // len(templates))
        new = f"{key}x{n}"

        def term(t, key=key, new=new, shift=shift):
            if isinstance(t, ox.NamedNode) and key in t.value:
                return ox.NamedNode(t.value.replace(key, new))
            if isinstance(t, ox.Literal) and t.datatype.value.endswith("#date") and date_rx.match(t.value):
                return ox.Literal((dt.date.fromisoformat(t.value) + shift).isoformat(), datatype=t.datatype)
            return t

        store.put_graph(f"https://w3id.org/conflict-kg/id/article/{new}",
                        [ox.Quad(term(q.subject), q.predicate, term(q.object)) for q in quads])
    merge_store(store)
    return store


def time_in_browser(path: Path) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--proxy-server=127.0.0.1:9", "--no-sandbox"])
        page = b.new_page()
        url = path.resolve().as_uri()
        page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function("window.ckgReport !== undefined")
        seconds = time.perf_counter() - t0
        b.close()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--out", default=None)
    ap.add_argument("--browser", action="store_true")
    args = ap.parse_args()
    from kg.ops.report import write_report

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store = build_store(Path(tmp) / "store", args.articles)
        t_build = time.perf_counter() - t0
        out = Path(args.out or Path(tmp) / "report.html")
        t0 = time.perf_counter()
        r = write_report(store, out)
        t_report = time.perf_counter() - t0
        store.close()
        print(f"articles {args.articles}  merged events {r.events} ({r.located} on the map)  "
              f"report {t_report:.2f} s  size {r.bytes / 1e6:.2f} MB  (store built in {t_build:.0f} s)")
        if args.browser:
            print(f"page ready in chromium after {time_in_browser(out):.2f} s")


if __name__ == "__main__":
    main()

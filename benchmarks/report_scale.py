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
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.runtime.corpus import corpus_dir  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from article_copies import corpus_templates, put_copy  # noqa: E402


def build_store(path: Path, articles: int):
    """An embedded store of `articles` copies of the corpus's article graphs, merged."""
    from kg.ops.merge import merge_store
    from kg.store.embedded import EmbeddedStore

    templates = corpus_templates(corpus_dir())
    store = EmbeddedStore(path)
    for n in range(articles):
        key, quads = templates[n % len(templates)]
        shift = dt.timedelta(days=n // len(templates))
        new = f"{key}x{n}"

        put_copy(store, key, quads, new, shift)
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

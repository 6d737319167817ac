"""Benchmark and accuracy of `kg link wikidata` against a local Wikidata-shaped SPARQL server.

    .venv/bin/python benchmarks/link_bench.py [--store DIR] [--corpus DIR ...] [--repeat N]

Starts `oxigraph serve` on a free port loaded with tests/fixtures/wikidata/*.ttl, builds (or
reuses) a store from the gold corpora, then links it twice: cold (empty cache: every lookup goes
to the server) and cached (a second run, no HTTP at all). Prints links per method, precision and
recall against tests/fixtures/wikidata/expected-*.tsv, and time per 100 entities. No network is
used beyond 127.0.0.1: the timings measure our side (store reads, batching, parsing, scoring)
plus a local server, not the public Wikidata Query Service's latency.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.runtime.corpus import corpus_dir  # noqa: E402

sys.path.insert(0, str(ROOT))

from kg.ops.link.client import AnswerCache, SparqlClient  # noqa: E402
from tests.wikidata_fixture import OxigraphServer, fixture_files, score_links  # noqa: E402
from kg.ops.link.wikidata import link_wikidata  # noqa: E402
from kg.store import open_store  # noqa: E402


def all_nodes(store_dir: str) -> list[str]:
    """IRIs of the places and actors in the store (the nodes that were up for linking)."""
    from kg.ops.link.wikidata import read_entities

    store = open_store(store_dir, read_only=True)
    try:
        return [e.iri for e in read_entities(store)]
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", help="store to link (default: built from --corpus in a temp folder)")
    ap.add_argument("--corpus", nargs="*", default=[str(corpus_dir() / "dev"),
                                                    str(corpus_dir() / "homs-2015"),
                                                    str(ROOT / "examples")])
    ap.add_argument("-v", "--verbose", action="store_true", help="list errors and misses")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store_dir = args.store
        if not store_dir:
            import subprocess

            store_dir = str(Path(tmp) / "store")
            subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "-q", *args.corpus, "--store", store_dir],
                           check=True, cwd=ROOT)
        with OxigraphServer(fixture_files(), Path(tmp) / "wd") as server:
            cache = AnswerCache(Path(tmp) / "cache")
            timings = {}
            for run in ("cold", "cached"):
                store = open_store(store_dir, read_only=False)
                client = SparqlClient(server.query_url)
                t0 = time.perf_counter()
                rep = link_wikidata(store, endpoint=server.query_url, cache=cache, client=client)
                timings[run] = (time.perf_counter() - t0, rep.entities, client.requests)
                store.close()
            print(rep.summary())
            print("links by method:", rep.by_method())
            s = score_links(rep.links, [e for e in all_nodes(store_dir)])
            print(f"precision {s.precision:.3f} ({s.correct}/{s.judged_links} judged links), "
                  f"recall {s.recall:.3f} ({s.found}/{s.expected} expected links); "
                  f"{s.unjudged} links on nodes without a judgement")
            for run, (dt, n, reqs) in timings.items():
                print(f"{run:>6}: {dt:.2f} s for {n} entities = {100 * dt / max(n, 1):.3f} s per 100 entities, "
                      f"{reqs} HTTP requests")
            if args.verbose:
                for line in s.errors:
                    print("  wrong:", line)
                for line in s.misses:
                    print("  missed:", line)
                for a in rep.ambiguous:
                    print("  ambiguous:", a.node_label, a.candidates)


if __name__ == "__main__":
    main()

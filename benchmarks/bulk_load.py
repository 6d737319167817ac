"""`kg load` with each loader, side by side in one run (ratios: the machine is shared).

    PYTHONPATH=. python benchmarks/bulk_load.py [--articles 2000] [--rounds 2] [--virtuoso]

Builds a folder of partitions as `kg extract --to` writes them (the article graphs of tests/data,
extracted once, copied under new article keys, 64 articles a partition), then loads it into a
fresh store with each loader and reports quads/s and articles/s (the load alone; kg merge, the
same for every loader, is timed once apart):
- embedded store: `transactions` (one per article, as ingest and the old `kg load`), `pyoxigraph`
  (bulk_extend, the new default), `oxigraph` (the `oxigraph load` command);
- an `oxigraph serve` on 127.0.0.1: the client path (one process writes batched updates, as kg
  load and ingest do) and the worker path (2 processes write disjoint halves at once, as Dask
  workers writing their own batches would);
- with --virtuoso (needs virtuoso-t and isql-vt): a throw-away Virtuoso on 127.0.0.1, SPARQL
  updates vs `ld_dir` + `rdf_loader_run()` through isql.
Rounds alternate the loaders; each keeps its best.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
PER_PARTITION = 64


def templates() -> list[tuple[str, list]]:
    """(article key, quads) of every article of tests/data."""
    from kg.ops.ingest import article_graph_iri
    from kg.ops.parallel import LocalExecutor
    from kg.read.readers import read_all

    arts = [a for a in read_all([str(ROOT / "tests" / "data")]) if hasattr(a, "text")]
    got = LocalExecutor(1).article_graphs(iter(arts), batch_size=16)
    return [(article_graph_iri(a).rsplit("/", 1)[1], list(q)) for a, q in got]


def copy_graph(key: str, quads: list, new: str) -> tuple[str, list]:
    import pyoxigraph as ox

    def term(t):
        return ox.NamedNode(t.value.replace(key, new)) if isinstance(t, ox.NamedNode) and key in t.value else t

    return (f"https://w3id.org/conflict-kg/id/article/{new}",
            [ox.Quad(term(q.subject), q.predicate, term(q.object)) for q in quads])


def build_partitions(folder: Path, n: int) -> int:
    """n article copies in partitions of PER_PARTITION; returns the quads written."""
    from kg.ops.bulk import write_partition

    base = templates()
    quads, batch = 0, []
    for i in range(n):
        key, qs = base[i % len(base)]
        batch.append(copy_graph(key, qs, f"{key}-copy{i}"))
        if len(batch) == PER_PARTITION or i == n - 1:
            quads += write_partition(folder / f"part-{i // PER_PARTITION:06d}-bench.nq", batch)
            batch = []
    return quads


def load_embedded(folder: Path, kind: str, work: Path) -> dict:
    from kg.ops.bulk import Load, make_loader
    from kg.store.embedded import EmbeddedStore

    path = Path(tempfile.mkdtemp(dir=work)) / "store"
    store = EmbeddedStore(path)
    t0 = time.perf_counter()
    r = Load(store, loader=make_loader(kind, store, folder), merge=False).run(folder)
    dt = time.perf_counter() - t0
    t1 = time.perf_counter()
    from kg.ops.merge import merge_store

    merge_store(store)
    merge_s = time.perf_counter() - t1
    count = store.count()
    store.close()
    disk = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    shutil.rmtree(path.parent)
    return {"seconds": dt, "quads": r.quads, "articles": r.articles, "merge_s": merge_s,
            "store_quads": count, "disk_bytes_per_quad": disk / count}


def _write_share(url: str, files: list[str], ready, go) -> None:
    """One writer process: imports and connects first, then writes its partitions when told."""
    from kg.ops.bulk import read_partition
    from kg.store.endpoint import EndpointStore

    store = EndpointStore(url)
    graphs = [list(read_partition(Path(f)).items()) for f in files]
    ready.release()
    go.wait()
    for batch in graphs:
        store.put_graphs(batch, new=True)


def load_server(folder: Path, writers: int, work: Path) -> dict:
    """A fresh `oxigraph serve`; the partitions written by `writers` processes at once (timed from
    when every writer is ready: process start-up is a one-off on a cluster's workers)."""
    from servers import OxigraphServer

    files = [str(f) for f in sorted(folder.glob("part-*.nq"))]
    with OxigraphServer(None, Path(tempfile.mkdtemp(dir=work)), union=True) as server:
        return _timed_writers(server.base, files, writers)


def _timed_writers(url: str, files: list[str], writers: int) -> dict:
    ctx = mp.get_context("spawn")
    ready, go = ctx.Semaphore(0), ctx.Event()
    procs = [ctx.Process(target=_write_share, args=(url, files[i::writers], ready, go)) for i in range(writers)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.acquire()
    t0 = time.perf_counter()
    go.set()
    for p in procs:
        p.join()
    dt = time.perf_counter() - t0
    assert all(p.exitcode == 0 for p in procs)
    return {"seconds": dt}


def load_virtuoso(folder: Path, kind: str, work: Path) -> dict:
    from kg.ops.bulk import Load, make_loader
    from kg.store.endpoint import EndpointStore

    from servers import Virtuoso

    with Virtuoso(work) as v:
        store = EndpointStore(v.url)
        os.environ.update(KG_VIRTUOSO_ISQL=f"127.0.0.1:{v.isql}", KG_VIRTUOSO_USER="dba", KG_VIRTUOSO_PASSWORD="dba")
        loader = make_loader(kind, store, folder, stage=v.stage)
        t0 = time.perf_counter()
        r = Load(store, loader=loader, merge=False).run(folder)
        dt = time.perf_counter() - t0
        count = store.count()
        store.close()
    return {"seconds": dt, "quads": r.quads, "articles": r.articles, "store_count": count}


def rates(res: dict, quads: int, articles: int) -> dict:
    s = res["seconds"]
    return {**{k: round(v, 2) if isinstance(v, float) else v for k, v in res.items()},
            "quads_per_s": round(quads / s), "articles_per_s": round(articles / s, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--virtuoso", action="store_true", help="also a throw-away Virtuoso (virtuoso-t, isql-vt)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bulk-bench-"))
    try:
        folder = work / "parts"
        folder.mkdir()
        quads = build_partitions(folder, args.articles)
        from kg.store.bulk_common import chunk_quads
        from kg.ops.bulk import read_partition

        one = list(read_partition(sorted(folder.glob("part-*.nq"))[0]).items())
        with_entities = len(chunk_quads(one)) / len(one)
        best: dict[str, dict] = {}
        runs = {"transactions": lambda: load_embedded(folder, "transactions", work),
                "pyoxigraph": lambda: load_embedded(folder, "pyoxigraph", work),
                "oxigraph": lambda: load_embedded(folder, "oxigraph", work),
                "server, client writes (1 process)": lambda: load_server(folder, 1, work),
                "server, worker writes (2 processes)": lambda: load_server(folder, 2, work)}
        if args.virtuoso:
            runs["virtuoso, SPARQL updates"] = lambda: load_virtuoso(folder, "transactions", work)
            runs["virtuoso, ld_dir + rdf_loader_run"] = lambda: load_virtuoso(folder, "virtuoso", work)
        for _ in range(args.rounds):
            for name, run in runs.items():
                res = run()
                if name not in best or res["seconds"] < best[name]["seconds"]:
                    best[name] = res
        out = {"articles": args.articles, "quads_in_partitions": quads,
               "quads_per_article": round(quads / args.articles, 1),
               "quads_per_article_with_entity_facts_per_partition": round(with_entities, 1),
               "loaders": {k: rates(v, quads, args.articles) for k, v in best.items()}}
        base = out["loaders"]["transactions"]["quads_per_s"]
        for v in out["loaders"].values():
            v["vs_embedded_transactions"] = round(v["quads_per_s"] / base, 2)
        print(json.dumps(out, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

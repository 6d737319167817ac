"""Extraction throughput on one machine vs a Dask cluster, in one run (ratios: the machine is shared).

    PYTHONPATH=. python benchmarks/dask_scale.py [--articles 96] [--batch-size 8]

Runs the same texts (the articles of tests/data, each copied with a numbered closing line so
every copy is a new article) through Ingest into an in-memory store three ways: in process,
`--workers 2` processes, and a LocalCluster of 2 Dask workers. Reports docs/s (wall time, start-up
included, and after the first batch), the ratios to one process, and Dask's overhead per batch
(the round trip of a batch of articles to a worker and back through a task that does no work).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def articles(n: int) -> list:
    from kg.read.readers import read_all

    base = [a for a in read_all([str(ROOT / "tests" / "data")]) if hasattr(a, "text")]
    out = []
    for i in range(n):
        a = base[i % len(base)]
        out.append(dataclasses.replace(a, text=f"{a.text}\n\nCopy {i} of this report.", source=f"copy-{i}"))
    return out


def run(name: str, arts: list, batch_size: int, **options) -> dict:
    from kg.ops.ingest import Ingest
    from kg.store.memory import MemoryStore

    store = MemoryStore()
    empty = store.count()  # the ontology graph
    marks: list[float] = []
    t0 = time.perf_counter()
    report = Ingest(store, batch_size=batch_size, on_progress=lambda r: marks.append(time.perf_counter()),
                    **options).load(iter(arts))
    wall = time.perf_counter() - t0
    first = marks[0] if marks else t0
    steady = (report.loaded - batch_size) / max(1e-9, marks[-1] - first) if len(marks) > 1 else None
    return {"name": name, "loaded": report.loaded, "wall_s": round(wall, 2), "docs_per_s": round(report.loaded / wall, 2),
            "steady_docs_per_s": steady and round(steady, 2), "quads": store.count() - empty}


def echo(batch: list) -> int:
    return len(batch)


def batch_overhead(arts: list, batch_size: int, rounds: int = 50) -> float:
    """Milliseconds per batch for a no-op task carrying a batch of articles, on a warm cluster."""
    from kg.ops.distributed import dask_client

    batch = arts[:batch_size]
    with dask_client(None, 2) as client:
        client.submit(echo, batch, pure=False).result()
        t0 = time.perf_counter()
        for _ in range(rounds):
            client.submit(echo, batch, pure=False).result()
        return (time.perf_counter() - t0) / rounds * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=96)
    ap.add_argument("--batch-size", type=int, default=8)
    args = ap.parse_args()
    from kg.ops.distributed import DaskExecutor

    arts = articles(args.articles)
    rows = [run("1 process", arts, args.batch_size),
            run("--workers 2", arts, args.batch_size, workers=2),
            run("dask LocalCluster, 2 workers", arts, args.batch_size, executor=DaskExecutor(None, 2))]
    base = rows[0]
    for r in rows:
        r["ratio_wall"] = round(r["docs_per_s"] / base["docs_per_s"], 2)
        if r["steady_docs_per_s"] and base["steady_docs_per_s"]:
            r["ratio_steady"] = round(r["steady_docs_per_s"] / base["steady_docs_per_s"], 2)
    out = {"articles": args.articles, "batch_size": args.batch_size, "runs": rows,
           "quads_per_article": round(base["quads"] / base["loaded"], 1),  # with the entities graph
           "dask_overhead_ms_per_batch": round(batch_overhead(arts, args.batch_size), 2)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

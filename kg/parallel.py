"""Articles -> (article, quads) pairs, in this process or in N worker processes.

Why processes: spaCy's pipeline holds the GIL, so threads do not scale; each worker loads the
pipeline once and extracts whole batches (nlp.pipe). The parent process keeps the reading, the
skip check and every store write (an embedded RocksDB store admits one writer process), so the
store never sees a half-written article whatever a worker does.

Workers return each article's graph as N-Triples bytes (compact, and cheap to pickle and to parse
again with pyoxigraph). At most `2 * workers` batches are in flight, so memory stays flat however
long the input stream is, and the results come back in input order.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .records import Article


class WorkerError(RuntimeError):
    """A worker process died (killed, out of memory); one line for the user."""


def graphs_in_process(articles: Iterable[Article], *, batch_size: int = 16) -> Iterator[tuple[Article, list[Any]]]:
    """Extract and map to RDF here (one worker: no process start-up, no pickling)."""
    from .extract import extract
    from .rdf import graph_triples

    for ex in extract(articles, batch_size=batch_size):
        yield ex.article, graph_triples(ex)


def _init_worker() -> None:
    # Ctrl-C is the parent's to handle: workers must not print their own KeyboardInterrupt
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .pipeline import build_nlp

    build_nlp()


def _extract_batch(batch: list[Article]) -> list[bytes]:
    import pyoxigraph as ox

    from .extract import extract
    from .rdf import graph_triples

    out = []
    for ex in extract(batch, batch_size=len(batch)):
        buf = io.BytesIO()
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in graph_triples(ex)), buf,
                     ox.RdfFormat.N_TRIPLES)
        out.append(buf.getvalue())
    return out


def graphs_in_workers(
    articles: Iterable[Article], *, workers: int, batch_size: int = 16
) -> Iterator[tuple[Article, list[Any]]]:
    """Extract in `workers` processes, batch by batch, yielding results in input order."""
    import pyoxigraph as ox

    # spawn, not fork: the parent may hold an open RocksDB store and HTTP connections
    ctx = mp.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker)
    inflight: deque[tuple[list[Article], Future[list[bytes]]]] = deque()

    def results(batch: list[Article], fut: Future[list[bytes]]) -> Iterator[tuple[Article, list[Any]]]:
        try:
            graphs = fut.result()
        except BrokenProcessPool:
            raise WorkerError("an extraction worker died (out of memory or killed); rerun to resume") from None
        for art, nt in zip(batch, graphs):
            quads = [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
            yield art, quads

    try:
        batch: list[Article] = []
        for art in articles:
            batch.append(art)
            if len(batch) >= batch_size:
                inflight.append((batch, pool.submit(_extract_batch, batch)))
                batch = []
                while len(inflight) >= 2 * workers:
                    yield from results(*inflight.popleft())
        if batch:
            inflight.append((batch, pool.submit(_extract_batch, batch)))
        while inflight:
            yield from results(*inflight.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def article_graphs(
    articles: Iterable[Article], *, workers: int = 1, batch_size: int = 16
) -> Iterator[tuple[Article, list[Any]]]:
    """Each article with its graph's quads, in input order."""
    if workers <= 1:
        return graphs_in_process(articles, batch_size=batch_size)
    return graphs_in_workers(articles, workers=workers, batch_size=batch_size)

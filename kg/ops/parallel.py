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
import os
import multiprocessing as mp
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from typing import Any

from kg.model.records import Article
from kg.runtime.batching import batched


class WorkerError(RuntimeError):
    """A worker process died (killed, out of memory); one line for the user."""


@contextmanager
def spacy_memory_zone() -> Iterator[None]:
    """A spaCy memory zone around a run of batches (spaCy >= 3.8; nothing on older versions or
    when a zone is already open: zones must not nest). Runs of ZONE_ARTICLES articles: see there.

    Why: spaCy's string store and vocabulary keep every new string they meet (the tokenizer also
    caches every new word), forever. A stream of articles never stops bringing new strings
    (headlines' numbers, names, dates), so a long ingest grew without end: measured on 10,000
    one-sentence articles, the string store gained one entry per article and the extraction
    process ~6 MB per 10,000 articles; in a zone the strings and lexemes an article added are
    freed when its batch is done (string store flat, growth halved; what is left is bounded caches
    filling up). Nothing spaCy allocates in a zone may be used after it: each batch's
    graph is mapped to RDF (plain strings) inside it."""
    from kg.nlp.pipeline import build_nlp

    nlp = build_nlp()
    zone = getattr(nlp, "memory_zone", None)
    if zone is None or getattr(nlp.vocab, "in_memory_zone", False):
        yield
        return
    with zone():
        yield


def graphs_in_process(articles: Iterable[Article], *, batch_size: int = 16) -> Iterator[tuple[Article, list[Any]]]:
    """Extract and map to RDF here (one worker: no process start-up, no pickling), a batch at a
    time, in spaCy memory zones of ZONE_ARTICLES articles (see spacy_memory_zone). Only RDF
    terms leave a zone: nothing spaCy made is held when it ends."""
    from kg.nlp.extract import extract
    from kg.graph.rdf import graph_triples

    batches = batched(articles, batch_size)
    while True:
        with spacy_memory_zone():
            done = 0
            for batch in batches:
                yield from [(ex.article, graph_triples(ex)) for ex in extract(batch, batch_size=batch_size)]
                done += len(batch)
                if done >= ZONE_ARTICLES:
                    break
            else:
                return


# Articles per spaCy memory zone in one process. Why not one zone per batch: leaving a zone frees
# every word and string the zone added, so the next zone makes them again (and the tokenizer caches
# nothing inside a zone): one zone per 16-article batch cost ~1.2 ms an article (2.5% of the
# spaCy model's time); one per 1,024 costs nothing measurable, and holds at most 1,024 articles'
# new strings (well under a megabyte).
ZONE_ARTICLES = 1024


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _init_worker(parent: int) -> None:
    # Ctrl-C and SIGTERM are the parent's to handle (it stops the workers itself): a worker must
    # not print its own KeyboardInterrupt traceback. The signals are already blocked from the
    # worker's first instruction (inherited mask, see _spawning); ignoring them keeps it so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    _exit_with_parent(parent)
    from kg.nlp.pipeline import build_nlp

    build_nlp()


def _exit_with_parent(parent: int, *, death_signal: bool = True) -> None:
    """End this worker as soon as the parent is gone (SIGKILLed, out of memory).

    Why: a pool worker waits on a queue whose write end it holds itself, so it never sees the
    parent go and would sit there forever holding a loaded pipeline (~250 MB) - measured: every
    SIGKILL of `kg ingest --workers 2` left its workers behind. Linux's parent-death signal ends
    it at once; elsewhere a thread polls for the parent changing. The death signal fires when the
    *thread* that started the worker ends, so a worker started from a short-lived thread passes
    death_signal=False and relies on the polling alone."""
    import threading

    try:
        import ctypes

        if death_signal:
            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)
    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


def _extract_batch(batch: list[Article]) -> list[bytes]:
    import pyoxigraph as ox

    from kg.nlp.extract import extract
    from kg.graph.rdf import graph_triples

    out = []
    _worker_zone(len(batch))  # a worker lives as long as the stream: see spacy_memory_zone
    for ex in extract(batch, batch_size=len(batch)):
        buf = io.BytesIO()
        ox.serialize(graph_triples(ex), buf, ox.RdfFormat.N_TRIPLES)  # default-graph quads: plain triples
        out.append(buf.getvalue())
    return out


_zone: ExitStack | None = None  # the worker's open memory zone and how many articles it has seen
_zone_articles = 0


def _worker_zone(articles: int) -> None:
    """Keep one memory zone open in a worker across its batches, a new one every ZONE_ARTICLES
    articles (as graphs_in_process does). Between batches nothing spaCy made is held: a batch
    leaves the worker as N-Triples bytes."""
    global _zone, _zone_articles
    if _zone is None or _zone_articles >= ZONE_ARTICLES:
        if _zone is not None:
            _zone.close()
        _zone = ExitStack()
        _zone.enter_context(spacy_memory_zone())
        _zone_articles = 0
    _zone_articles += articles


def _submit(pool: ProcessPoolExecutor, batch: list[Article]) -> Future[list[bytes]]:
    """Submit a batch; a worker process spawned by this call starts with SIGINT and SIGTERM blocked.

    Why: a spawned worker spends its first few hundred milliseconds importing before its
    initializer can ignore the signals, and a Ctrl-C in that window (the terminal sends it to the
    whole process group) would print a KeyboardInterrupt traceback from the worker. The signal mask
    is inherited through fork and exec; in the parent the signals stay pending for the
    microseconds of the call and are handled right after."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        return pool.submit(_extract_batch, batch)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the workers now (interrupted or failed): their unfinished batches are thrown away, and
    waiting for them would keep a Ctrl-C waiting for seconds of extraction."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except (OSError, ValueError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass


def graphs_in_workers(
    articles: Iterable[Article], *, workers: int, batch_size: int = 16
) -> Iterator[tuple[Article, list[Any]]]:
    """Extract in `workers` processes, batch by batch, yielding results in input order."""
    import pyoxigraph as ox

    # spawn, not fork: the parent may hold an open RocksDB store and HTTP connections
    ctx = mp.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(os.getpid(),))
    inflight: deque[tuple[list[Article], Future[list[bytes]]]] = deque()

    def results(batch: list[Article], fut: Future[list[bytes]]) -> Iterator[tuple[Article, list[Any]]]:
        try:
            graphs = fut.result()
        except BrokenProcessPool:
            # workers that die because the user is stopping everything (a signal to the whole
            # process group) mean an interruption, not a failure: give the handler a moment
            from kg.runtime.interrupt import Interrupted, pending

            time.sleep(0.05)
            if pending() is not None:
                raise Interrupted(pending()) from None
            raise WorkerError("an extraction worker died (out of memory or killed); rerun to resume") from None
        for art, nt in zip(batch, graphs):
            yield art, list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))  # quads in the default graph

    try:
        for batch in batched(articles, batch_size):
            inflight.append((batch, _submit(pool, batch)))
            while len(inflight) >= 2 * workers:
                yield from results(*inflight.popleft())
        while inflight:
            yield from results(*inflight.popleft())
    except BaseException:  # interrupted, a worker died, the consumer stopped (GeneratorExit)
        _stop_workers(pool)
        raise
    else:
        pool.shutdown(wait=True)


def article_graphs(
    articles: Iterable[Article], *, workers: int = 1, batch_size: int = 16
) -> Iterator[tuple[Article, list[Any]]]:
    """Each article with its graph's quads, in input order."""
    if workers <= 1:
        return graphs_in_process(articles, batch_size=batch_size)
    return graphs_in_workers(articles, workers=workers, batch_size=batch_size)

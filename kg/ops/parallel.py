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
import itertools
import os
import multiprocessing as mp
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from kg.model.records import Article, Extraction
from kg.runtime.batching import batched

T = TypeVar("T")


class WorkerError(RuntimeError):
    """A worker process died (killed, out of memory); one line for the user."""


@dataclass
class Failed:
    """What an article whose extraction or RDF mapping raised yields instead of its quads.

    Why: one poison article (an integer past Python's 4,300-digit limit in a toll, a date before
    year 1) raised out of the batch, and the run stopped with every batch in flight lost; now it
    fails alone with one line and the ingest counts it."""

    message: str


class ArticleQuads(list):  # type: ignore[type-arg]
    """An article's quads, plus how many of its events are undated for lack of a publication date
    (for the ingest summary; a plain list of quads counts as none)."""

    undated: int = 0


def undated_events(ex: Extraction) -> int:
    """Events left without a date in an article that has no publication date: the ones a date
    would have dated ("on Monday", "yesterday", an ongoing offensive all resolve against it)."""
    return 0 if ex.article.published else sum(1 for e in ex.events if e.date is None)


def _failure(art: Article, stage: str, e: Exception) -> Failed:
    detail = str(e).splitlines()[0][:160] if str(e) else ""
    return Failed(f"{art.source}: {stage} failed ({type(e).__name__}{': ' + detail if detail else ''})")


def guarded_batch(batch: list[Article], mapped: Callable[[Extraction], T]) -> list[tuple[Article, T | Failed]]:
    """Extract a batch and map each extraction, as one spaCy batch; if anything raises, the
    articles not yet done are redone one at a time, so only the poison one fails. The pipeline
    must be built already: a missing model is the run's failure, not each article's."""
    from kg.nlp.extract import extract

    out: list[tuple[Article, T | Failed]] = []
    try:
        for ex in extract(batch, batch_size=len(batch)):
            out.append((ex.article, _map(ex, mapped)))
    except Exception:  # noqa: BLE001 - found again below, article by article
        for art in batch[len(out):]:
            try:
                ex = next(iter(extract([art], batch_size=1)))
            except Exception as e:  # noqa: BLE001 - this article is the poison one
                out.append((art, _failure(art, "extraction", e)))
                continue
            out.append((art, _map(ex, mapped)))
    return out


def _map(ex: Extraction, mapped: Callable[[Extraction], T]) -> T | Failed:
    try:
        return mapped(ex)
    except Exception as e:  # noqa: BLE001 - an RDF mapping failure costs this article only
        return _failure(ex.article, "RDF mapping", e)


def _quads(ex: Extraction) -> ArticleQuads:
    from kg.graph.rdf import graph_triples

    undated = undated_events(ex)
    quads = ArticleQuads(graph_triples(ex))
    quads.undated = undated
    return quads


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


def graphs_in_process(articles: Iterable[Article], *,
                      batch_size: int = 16) -> Iterator[tuple[Article, list[Any] | Failed]]:
    """Extract and map to RDF here (one worker: no process start-up, no pickling), a batch at a
    time, in spaCy memory zones of ZONE_ARTICLES articles (see spacy_memory_zone). Only RDF
    terms leave a zone: nothing spaCy made is held when it ends. The pipeline is loaded only once
    a first article needs it: a rerun whose articles are all in the store never imports spaCy."""
    batches = batched(articles, batch_size)
    first = next(batches, None)
    if first is None:
        return
    batches = itertools.chain([first], batches)
    while True:
        with spacy_memory_zone():
            done = 0
            for batch in batches:
                yield from guarded_batch(batch, _quads)
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


def _extract_batch(batch: list[Article]) -> list[tuple[bytes, int] | str]:
    """A batch's graphs as N-Triples with their undated-event counts; a failed article as its
    error line."""
    _worker_zone(len(batch))  # a worker lives as long as the stream: see spacy_memory_zone
    return [r.message if isinstance(r, Failed) else r for _, r in guarded_batch(batch, _ntriples)]


def _ntriples(ex: Extraction) -> tuple[bytes, int]:
    import pyoxigraph as ox

    from kg.graph.rdf import graph_triples

    undated = undated_events(ex)
    buf = io.BytesIO()
    ox.serialize(graph_triples(ex), buf, ox.RdfFormat.N_TRIPLES)  # default-graph quads: plain triples
    return buf.getvalue(), undated


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


def _submit(pool: ProcessPoolExecutor, batch: list[Article]) -> Future[list[tuple[bytes, int] | str]]:
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
) -> Iterator[tuple[Article, list[Any] | Failed]]:
    """Extract in `workers` processes, batch by batch, yielding results in input order. The
    workers start only once a first article needs extracting (a rerun of loaded articles starts none)."""
    batches = batched(articles, batch_size)
    first = next(batches, None)
    if first is None:
        return
    # spawn, not fork: the parent may hold an open RocksDB store and HTTP connections
    ctx = mp.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(os.getpid(),))
    inflight: deque[tuple[list[Article], Future[list[tuple[bytes, int] | str]]]] = deque()
    try:
        for batch in itertools.chain([first], batches):
            inflight.append((batch, _submit(pool, batch)))
            while len(inflight) >= 2 * workers:
                yield from _results(*inflight.popleft())
        while inflight:
            yield from _results(*inflight.popleft())
    except BaseException:  # interrupted, a worker died, the consumer stopped (GeneratorExit)
        _stop_workers(pool)
        raise
    else:
        pool.shutdown(wait=True)


def _results(batch: list[Article],
             fut: Future[list[tuple[bytes, int] | str]]) -> Iterator[tuple[Article, list[Any] | Failed]]:
    """A finished batch's articles with their quads (or their failure)."""
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
    yield from decoded(batch, graphs)


def decoded(batch: list[Article],
            graphs: list[tuple[bytes, int] | str]) -> Iterator[tuple[Article, list[Any] | Failed]]:
    """A batch's articles with the quads a worker sent back as N-Triples (or their failure):
    what every executor that extracts in other processes hands to the ingest."""
    import pyoxigraph as ox

    for art, got in zip(batch, graphs):
        if isinstance(got, str):
            yield art, Failed(got)
            continue
        nt, undated = got
        quads = ArticleQuads(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))  # quads in the default graph
        quads.undated = undated
        yield art, quads


def article_graphs(
    articles: Iterable[Article], *, workers: int = 1, batch_size: int = 16
) -> Iterator[tuple[Article, list[Any] | Failed]]:
    """Each article with its graph's quads (or `Failed`, for an article that fails alone), in
    input order."""
    if workers <= 1:
        return graphs_in_process(articles, batch_size=batch_size)
    return graphs_in_workers(articles, workers=workers, batch_size=batch_size)


@dataclass
class LocalExecutor:
    """Extraction on this machine (in this process, or in `workers` processes): the default
    executor. Another executor (kg/ops/distributed.py) has the same `article_graphs` method."""

    workers: int = 1

    def article_graphs(self, articles: Iterable[Article], *,
                       batch_size: int = 16) -> Iterator[tuple[Article, list[Any] | Failed]]:
        return article_graphs(articles, workers=self.workers, batch_size=batch_size)

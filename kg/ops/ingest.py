"""reader -> extract -> rdf -> store, streaming, one article per transaction, batched writes.

An article already in the store (same normalised text, hence same IRI) is skipped, so a rerun
after a crash finishes the rest and a second load of the same text changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from kg.runtime.interrupt import deferred
from kg.read.readers import InputError, read_all
from kg.model.records import Article
from kg.store import Store
from kg.model.vocab import CKR


@dataclass
class IngestReport:
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    loaded_iris: list[str] = field(default_factory=list)  # filled only with collect_iris=True

    def summary(self) -> str:
        return f"{self.loaded} loaded, {self.skipped} skipped (already in store), {self.failed} failed"


FLUSH_EVERY = 500  # articles between store flushes (measured: RSS flat at ~120 MB instead of > 1 GB)
MAX_KEPT_ERRORS = 1000  # a 100,000-line file full of bad lines must not grow memory without end


# A one-triple graph that says "articles were loaded since the merged graph was last computed".
# Written just before an ingest's first article write and dropped after `kg merge` succeeds, so a
# run killed after its last article but before (or during) the merge is finished by the rerun,
# although that rerun loads nothing new.
MERGE_PENDING_GRAPH = "https://w3id.org/conflict-kg/state/merge-pending"


def article_graph_iri(article: Article) -> str:
    return f"{CKR}article/{article.key}"


def mark_merge_pending(store: Store) -> None:
    """Record that the merged graph is out of date (before articles are written)."""
    import pyoxigraph as ox

    g = ox.NamedNode(MERGE_PENDING_GRAPH)
    store.put_graph(MERGE_PENDING_GRAPH, [ox.Quad(g, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
                                                  ox.Literal("kg merge has not run since articles were loaded"), g)])


def merge_pending(store: Store) -> bool:
    return store.has_graph(MERGE_PENDING_GRAPH)


def clear_merge_pending(store: Store) -> None:
    store.drop_graph(MERGE_PENDING_GRAPH)


def ingest_articles(
    items: Iterable[Article | InputError],
    store: Store,
    *,
    replace: bool = False,
    on_error: Callable[[str], None] | None = None,
    on_article: Callable[[Article, str], None] | None = None,
    on_progress: Callable[[IngestReport], None] | None = None,
    batch_size: int = 16,
    workers: int = 1,
    collect_iris: bool = False,
    before_first_write: Callable[[], None] | None = None,
) -> IngestReport:
    """Load articles (and count the unreadable items) into a store; returns what happened.

    Streams: items are read, checked against the store, extracted (spaCy batches of
    `batch_size`, in `workers` processes) and written a batch at a time, so memory does not grow
    with the input. An article counts as loaded only once the store has confirmed its graph.
    """
    from kg.ops.parallel import article_graphs

    report = IngestReport()

    def fail(msg: str) -> None:
        report.failed += 1
        if len(report.errors) < MAX_KEPT_ERRORS:
            report.errors.append(msg)
        if on_error:
            on_error(msg)

    def skip(article: Article) -> None:
        report.skipped += 1
        if on_article:
            on_article(article, "skipped")
        if on_progress:
            on_progress(report)

    # Repeats within the stream. Without replace, only the keys of articles passed on to
    # extraction and not yet written are held here (a few batches): once an article is written,
    # the store answers for it (existing_graphs). Why not a set of every key seen: it grew by
    # ~120 bytes an article without end (12 MB over a 100,000-line file). With replace the store
    # cannot tell this run's writes from older ones, so that mode keeps every key.
    unwritten: set[str] = set()
    refused: set[str] = set()  # keys the store refused (a repeat is skipped, as it always was)

    def fresh() -> Iterator[Article]:
        """Articles not yet in the store, checked a batch at a time (one request on a server)."""
        buf: list[Article] = []

        def check(batch: list[Article]) -> Iterator[Article]:
            present = set() if replace else store.existing_graphs([article_graph_iri(a) for a in batch])
            for a in batch:
                if article_graph_iri(a) in present:
                    unwritten.discard(a.key)  # a repeat is answered by the store again
                    skip(a)
                else:
                    yield a

        for item in items:
            if isinstance(item, InputError):
                fail(str(item))
                continue
            if item.key in unwritten or item.key in refused:
                skip(item)
                continue
            unwritten.add(item.key)
            buf.append(item)
            if len(buf) >= batch_size:
                yield from check(buf)
                buf = []
        if buf:
            yield from check(buf)

    pending: list[tuple[Article, str, list[Any]]] = []
    unflushed = 0
    first_write = [before_first_write]
    # Writes overlap extraction: batch N is written in a thread while batch N+1 is extracted. Why:
    # an embedded store's write is RocksDB work that releases the GIL (measured: a Python loop
    # beside a writer thread ran at full speed), so the ~6% of a 1-worker ingest spent writing is
    # hidden instead of added. One batch in flight at most, counted by this thread when it is
    # collected; stores that do not say they can (a server's client), write in line as before.
    background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") \
        if getattr(store, "background_writes", False) else None
    inflight: list[tuple[Future, list[tuple[Article, str, list[Any]]]]] = []

    def flush() -> None:
        with deferred():  # each batch is written and counted, or not written at all
            collect()
            submit()

    def write(batch: list[tuple[Article, str, list[Any]]]) -> dict[str, str]:
        nonlocal unflushed
        # new: fresh() checked that these articles are absent (a store skips replace bookkeeping)
        rejected = store.put_graphs([(iri, quads) for _, iri, quads in batch], new=not replace)
        unflushed += len(batch)
        if unflushed >= FLUSH_EVERY:  # keeps an embedded store's memory flat on long streams
            store.flush()
            unflushed = 0
        return rejected

    def submit() -> None:
        if not pending:
            return
        if first_write[0] is not None:
            first_write[0]()
            first_write[0] = None
        batch = list(pending)
        pending.clear()
        if background is None:
            count(batch, write(batch))
        else:
            inflight.append((background.submit(write, batch), batch))

    def collect() -> None:
        """Wait for the batch being written, then count it (or raise what stopped it)."""
        while inflight:
            fut, batch = inflight.pop(0)
            count(batch, fut.result())

    def count(batch: list[tuple[Article, str, list[Any]]], rejected: dict[str, str]) -> None:
        for art, iri, _ in batch:
            if not replace:
                unwritten.discard(art.key)  # written (or refused): the store answers from now on
            if iri in rejected:
                if len(refused) < MAX_KEPT_ERRORS:
                    refused.add(art.key)
                fail(f"{art.source}: the store refused the article's graph: {rejected[iri]}")
                continue
            report.loaded += 1
            if collect_iris:
                report.loaded_iris.append(iri)
            if on_article:
                on_article(art, "loaded")
        if on_progress:
            on_progress(report)

    graphs = article_graphs(fresh(), workers=workers, batch_size=batch_size)
    try:
        for art, quads in graphs:
            pending.append((art, article_graph_iri(art), quads))
            if len(pending) >= batch_size:
                flush()
        flush()
        with deferred():
            collect()
    except BaseException as e:  # interrupted, or a store or worker failure: say how far the run got
        with suppress(BaseException), deferred():
            collect()  # the batch being written lands whole and is counted (unless it failed)
        try:
            e.report = report  # type: ignore[attr-defined]
        except AttributeError:
            pass
        raise
    finally:
        if background is not None:
            background.shutdown(wait=True)
        close = getattr(graphs, "close", None)
        if close is not None:
            close()  # stops extraction workers at once when the loop ended early
    return report


def ingest_paths(
    paths: list[str],
    store: Store,
    *,
    outlet: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
    **kw: object,
) -> IngestReport:
    return ingest_articles(read_all(paths, outlet=outlet, url=url, published=published), store, **kw)  # type: ignore[arg-type]

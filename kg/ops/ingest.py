"""reader -> extract -> rdf -> store, streaming, one article per transaction, batched writes.

An article already in the store (same normalised text, hence same IRI) is skipped, so a rerun
after a crash finishes the rest and a second load of the same text changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from typing import Any

from kg.model.records import Article
from kg.model.vocab import CKR
from kg.ops.writer import WriteBehind
from kg.read.readers import InputError, read_all
from kg.runtime.batching import batched
from kg.runtime.interrupt import deferred
from kg.store import Store


@dataclass
class IngestReport:
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    loaded_iris: list[str] = field(default_factory=list)  # filled only with collect_iris=True
    undated: int = 0  # events of loaded articles left undated for lack of a publication date

    def summary(self) -> str:
        line = f"{self.loaded} loaded, {self.skipped} skipped (already in store), {self.failed} failed"
        if self.undated:  # relative dates ("on Monday") resolve against the publication date
            line += f" ({self.undated} event{'s' if self.undated != 1 else ''} undated: no publication date)"
        return line


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


Pending = tuple[Article, str, list[Any]]  # an extracted article, its graph IRI and its quads


class Ingest:
    """One ingest run into a store: skip check, extraction, write-behind, counts, then the merge.

    Streams: items are read, checked against the store, extracted (spaCy batches of
    `batch_size`, in `workers` processes or on `executor`) and written a batch at a time, so memory does not grow
    with the input. An article counts as loaded only once the store has confirmed its graph.
    With merge=True the run also keeps the merged graph right: the merge-pending mark is written
    before the first article, `kg merge` runs after the load, and the mark is dropped once it has
    succeeded. One instance is one run; `report` is None until the load starts, then the counts so
    far (also when the run stops early: the exception carries it as `report` too).
    """

    def __init__(
        self,
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
        merge: bool = False,
        executor: Any = None,
    ) -> None:
        self.store = store
        self.replace = replace
        self.on_error = on_error
        self.on_article = on_article
        self.on_progress = on_progress
        self.batch_size = batch_size
        self.workers = workers
        self.collect_iris = collect_iris
        self.merge = merge
        self.executor = executor  # any object with parallel.LocalExecutor's article_graphs (None: that one)
        self._before_first_write = before_first_write
        self._written_yet = False
        self.report: IngestReport | None = None
        self.stage = "loading"  # then "merging"
        self.merged: Any = None  # kg merge's report, when it ran
        # Repeats within the stream. Without replace, only the keys of articles passed on to
        # extraction and not yet written are held here (a few batches): once an article is written,
        # the store answers for it (existing_graphs). Why not a set of every key seen: it grew by
        # ~120 bytes an article without end (12 MB over a 100,000-line file). With replace the store
        # cannot tell this run's writes from older ones, so that mode keeps every key.
        self._unwritten: set[str] = set()
        self._refused: set[str] = set()  # keys the store refused (a repeat is skipped, as it always was)
        self._unflushed = 0
        self._writer: WriteBehind[list[Pending], dict[str, str]] | None = None

    # -- the whole run ---------------------------------------------------------------------------

    def run(self, items: Iterable[Article | InputError], *,
            loading: AbstractContextManager[Any] | None = None) -> IngestReport:
        """Load the items (inside `loading`, e.g. a progress line), then merge if needed."""
        with loading or nullcontext():
            self.load(items)
        self.merge_if_pending()
        assert self.report is not None
        return self.report

    def merge_if_pending(self) -> None:
        """Run kg merge after articles were loaded - also after a run that loaded nothing new, if
        the one before was stopped before merging - then drop the merge-pending mark."""
        assert self.report is not None
        if self.merge and (self.report.loaded or merge_pending(self.store)):
            from kg.ops.merge import merge_store

            self.stage = "merging"
            self.merged = merge_store(self.store)
            clear_merge_pending(self.store)

    def load(self, items: Iterable[Article | InputError]) -> IngestReport:
        """Load articles (and count the unreadable items) into the store; returns what happened."""
        from kg.ops import parallel  # looked up here: tests replace parallel.article_graphs

        self.report = report = IngestReport()
        self._writer = writer = WriteBehind(self._write, self._count,
                                            background=getattr(self.store, "background_writes", False))
        if self.executor is not None:  # e.g. a Dask cluster (kg/ops/distributed.py)
            graphs = self.executor.article_graphs(self._fresh(items), batch_size=self.batch_size)
        else:
            graphs = parallel.article_graphs(self._fresh(items), workers=self.workers, batch_size=self.batch_size)
        try:
            for batch in batched(self._extracted(graphs), self.batch_size):
                self._flush(batch)
            with deferred():
                writer.collect()
        except BaseException as e:  # interrupted, or a store or worker failure: say how far the run got
            with suppress(BaseException), deferred():
                writer.collect()  # the batch being written lands whole and is counted (unless it failed)
            try:
                e.report = report  # type: ignore[attr-defined]
            except AttributeError:
                pass
            raise
        finally:
            writer.close()
            close = getattr(graphs, "close", None)
            if close is not None:
                close()  # stops extraction workers at once when the loop ended early
        return report

    # -- reading side: what goes to extraction ---------------------------------------------------

    def _fresh(self, items: Iterable[Article | InputError]) -> Iterator[Article]:
        """Articles not yet in the store, checked a batch at a time (one request on a server)."""
        for batch in batched(self._unseen(items), self.batch_size):
            present = set() if self.replace else self.store.existing_graphs([article_graph_iri(a) for a in batch])
            for a in batch:
                if article_graph_iri(a) in present:
                    self._unwritten.discard(a.key)  # a repeat is answered by the store again
                    self._skip(a)
                else:
                    yield a

    def _unseen(self, items: Iterable[Article | InputError]) -> Iterator[Article]:
        """Readable articles that are not a repeat of one in flight (or refused) in this run."""
        for item in items:
            if isinstance(item, InputError):
                self._fail(str(item))
                continue
            if item.key in self._unwritten or item.key in self._refused:
                self._skip(item)
                continue
            self._unwritten.add(item.key)
            yield item

    def _extracted(self, graphs: Iterable[tuple[Article, Any]]) -> Iterator[Pending]:
        """Extracted articles to write; one whose extraction failed is counted and dropped here."""
        from kg.ops.parallel import Failed

        for art, quads in graphs:
            if isinstance(quads, Failed):
                if not self.replace:
                    self._unwritten.discard(art.key)
                if len(self._refused) < MAX_KEPT_ERRORS:
                    self._refused.add(art.key)  # a repeat in this run is skipped, not re-extracted
                self._fail(quads.message)
                continue
            yield art, article_graph_iri(art), quads

    # -- writing side ----------------------------------------------------------------------------

    def _flush(self, batch: list[Pending]) -> None:
        assert self._writer is not None
        with deferred():  # each batch is written and counted, or not written at all
            self._writer.collect()
            if not self._written_yet:
                self._written_yet = True
                if self.merge:
                    mark_merge_pending(self.store)
                if self._before_first_write is not None:
                    self._before_first_write()
            self._writer.submit(batch)

    def _write(self, batch: list[Pending]) -> dict[str, str]:
        """The store write (in the writer thread when the store allows it)."""
        # new: _fresh checked that these articles are absent (a store skips replace bookkeeping)
        rejected = self.store.put_graphs([(iri, quads) for _, iri, quads in batch], new=not self.replace)
        self._unflushed += len(batch)
        if self._unflushed >= FLUSH_EVERY:  # keeps an embedded store's memory flat on long streams
            self.store.flush()
            self._unflushed = 0
        return rejected

    # -- counting (always in the calling thread) -------------------------------------------------

    def _count(self, batch: list[Pending], rejected: dict[str, str]) -> None:
        report = self.report
        assert report is not None
        for art, iri, quads in batch:
            if not self.replace:
                self._unwritten.discard(art.key)  # written (or refused): the store answers from now on
            if iri in rejected:
                if len(self._refused) < MAX_KEPT_ERRORS:
                    self._refused.add(art.key)
                self._fail(f"{art.source}: the store refused the article's graph: {rejected[iri]}")
                continue
            report.loaded += 1
            report.undated += getattr(quads, "undated", 0)
            if self.collect_iris:
                report.loaded_iris.append(iri)
            if self.on_article:
                self.on_article(art, "loaded")
        if self.on_progress:
            self.on_progress(report)

    def _fail(self, msg: str) -> None:
        report = self.report
        assert report is not None
        report.failed += 1
        if len(report.errors) < MAX_KEPT_ERRORS:
            report.errors.append(msg)
        if self.on_error:
            self.on_error(msg)

    def _skip(self, article: Article) -> None:
        assert self.report is not None
        self.report.skipped += 1
        if self.on_article:
            self.on_article(article, "skipped")
        if self.on_progress:
            self.on_progress(self.report)


def ingest_articles(items: Iterable[Article | InputError], store: Store, **options: Any) -> IngestReport:
    """Load articles into a store (see Ingest for the options); returns what happened."""
    return Ingest(store, **options).load(items)


def ingest_paths(
    paths: list[str],
    store: Store,
    *,
    outlet: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
    **options: Any,
) -> IngestReport:
    return ingest_articles(read_all(paths, outlet=outlet, url=url, published=published), store, **options)

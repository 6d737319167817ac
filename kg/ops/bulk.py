"""The bulk path: extraction to partitioned N-Quads files (`kg extract --to DIR`), and the load
of such a folder into a store (`kg load DIR`).

Why split them: extraction is the cost and spreads over any executor (processes, a Dask cluster)
with no store in reach, while a load is one writer; files between the two let a big archive be
extracted once, on many machines, and loaded (or reloaded) later, or handed to the store
engine's own bulk loader.

A partition is one batch of articles in input order, named `part-<index>-<digest>.nq` where the
digest is of its articles' keys: the same input cut the same way gives the same names, so a
rerun skips every partition already on disk and extracts the rest. A partition is written to a
temporary name and renamed when complete: a file with a final name is always whole.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.model.records import Article
from kg.ops.ingest import MAX_KEPT_ERRORS, article_graph_iri, clear_merge_pending, mark_merge_pending, merge_pending
from kg.read.readers import InputError
from kg.runtime.batching import batched
from kg.runtime.interrupt import deferred
from kg.store.bulk_common import (CHUNK_QUADS, TransactionLoader, clear_bulk_pending, drop_articles,
                                   mark_bulk_pending, recover_bulk_pending)

PARTITION_GLOB = "part-*.nq"


class BulkError(Exception):
    """A folder that cannot be written or read as partitions; one line for the user."""


@dataclass
class Partition:
    index: int
    articles: list[Article]

    @property
    def name(self) -> str:
        digest = hashlib.sha256("\n".join(a.key for a in self.articles).encode()).hexdigest()[:16]
        return f"part-{self.index:06d}-{digest}.nq"


@dataclass
class BulkReport:
    partitions_written: int = 0
    partitions_skipped: int = 0  # extract: already on disk; load: every graph already in the store
    articles: int = 0  # extracted (or loaded) articles
    skipped: int = 0  # load: article graphs already in the store
    failed: int = 0
    quads: int = 0
    errors: list[str] = field(default_factory=list)

    def fail(self, msg: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(msg)


# -- kg extract --to DIR ---------------------------------------------------------------------


class Extraction:
    """One `kg extract --to DIR` run: partitions of `batch_size` articles, each extracted on the
    executor (anything with parallel.LocalExecutor's article_graphs) and written as one file."""

    def __init__(self, out: Path, executor: Any, *, batch_size: int = 16,
                 on_error: Callable[[str], None] | None = None,
                 on_partition: Callable[[str, str], None] | None = None) -> None:
        self.out = out
        self.executor = executor
        self.batch_size = batch_size
        self.on_error = on_error
        self.on_partition = on_partition
        self.report = BulkReport()

    def run(self, items: Iterable[Article | InputError]) -> BulkReport:
        _writable_dir(self.out)
        todo: deque[Partition] = deque()
        results = self.executor.article_graphs(self._queued(items, todo), batch_size=self.batch_size)
        done: list[tuple[Article, Any]] = []
        try:
            for art, quads in results:
                done.append((art, quads))
                if len(done) == len(todo[0].articles):
                    self._write(todo.popleft(), done)
                    done = []
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()
        return self.report

    def _queued(self, items: Iterable[Article | InputError], todo: deque[Partition]) -> Iterator[Article]:
        """The articles of the partitions not on disk yet, each partition queued before its
        articles go to extraction (results come back in input order)."""
        for partition in self._partitions(items):
            if (self.out / partition.name).exists():
                self.report.partitions_skipped += 1
                self._tell(partition.name, "skipped")
                continue
            todo.append(partition)
            yield from partition.articles

    def _partitions(self, items: Iterable[Article | InputError]) -> Iterator[Partition]:
        """Batches in input order. A repeated article is not dropped (that would need a set of
        every key seen, growing without end): its graph is the same in both partitions, and the
        load writes it once."""
        for index, batch in enumerate(batched(self._readable(items), self.batch_size)):
            yield Partition(index, batch)

    def _readable(self, items: Iterable[Article | InputError]) -> Iterator[Article]:
        for item in items:
            if isinstance(item, InputError):
                self._fail(str(item))
            else:
                yield item

    def _write(self, partition: Partition, results: list[tuple[Article, Any]]) -> None:
        from kg.ops.parallel import Failed

        good = []
        for art, quads in results:
            if isinstance(quads, Failed):
                self._fail(quads.message)
            else:
                good.append((article_graph_iri(art), quads))
        with deferred():  # a partition is renamed whole, or not at all
            self.report.quads += write_partition(self.out / partition.name, good)
        self.report.partitions_written += 1
        self.report.articles += len(good)
        self._tell(partition.name, "written")

    def _fail(self, msg: str) -> None:
        self.report.fail(msg)
        if self.on_error:
            self.on_error(msg)

    def _tell(self, name: str, what: str) -> None:
        if self.on_partition:
            self.on_partition(name, what)


def write_partition(path: Path, graphs: list[tuple[str, list[Any]]]) -> int:
    """Write the graphs as N-Quads to a temporary name, sync it, then rename it to `path`;
    returns the number of quads."""
    import pyoxigraph as ox

    quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(iri)) for iri, qs in graphs for q in qs]
    tmp = path.with_name(f".{path.name}.part")
    try:
        with open(tmp, "wb") as f:
            ox.serialize(quads, f, ox.RdfFormat.N_QUADS)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise BulkError(f"{path}: cannot write ({e.strerror or e})") from None
    return len(quads)


def _writable_dir(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BulkError(f"{out}: cannot create the folder ({e.strerror or e})") from None
    if not os.access(out, os.W_OK):
        raise BulkError(f"{out}: not writable")


# -- kg load DIR -----------------------------------------------------------------------------


def partition_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise BulkError(f"{folder}: no such folder")
    files = sorted(folder.glob(PARTITION_GLOB))
    if not files:
        raise BulkError(f"{folder}: no partitions (part-*.nq files written by kg extract --to)")
    return files


def read_partition(path: Path) -> dict[str, list[Any]]:
    """A partition's quads by article graph (input order kept)."""
    import pyoxigraph as ox

    graphs: dict[str, list[Any]] = {}
    try:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            if not isinstance(q.graph_name, ox.NamedNode):
                raise BulkError(f"{path}: a quad outside an article graph; not a kg extract partition")
            graphs.setdefault(q.graph_name.value, []).append(q)
    except SyntaxError as e:
        raise BulkError(f"{path}: not N-Quads ({str(e).splitlines()[0]})") from None
    except OSError as e:
        raise BulkError(f"{path}: cannot read ({e.strerror or e})") from None
    return graphs


class Load:
    """One `kg load DIR` run into a store: the article graphs of the partitions not in the store
    yet are handed to the loader, then kg merge runs, with the same merge-pending mark as ingest,
    so a load stopped anywhere is finished by its rerun.

    The transactional loader writes as ingest writes (each article one transaction, with its
    entity facts; on a SPARQL server, batched updates), a partition at a time. A bulk loader
    (kg/store/bulk_*.py: pyoxigraph's, `oxigraph load`, Virtuoso's) gets chunks of about
    CHUNK_QUADS quads, each inside the bulk-pending mark (kg/store/bulk_common.py): a chunk
    stopped half-way is dropped and redone by the rerun, so every article ends whole."""

    def __init__(self, store: Any, *, loader: Any = None, replace: bool = False, merge: bool = True,
                 on_partition: Callable[[str, str], None] | None = None,
                 on_error: Callable[[str], None] | None = None, chunk_quads: int = CHUNK_QUADS) -> None:
        self.store = store
        self.loader = loader or TransactionLoader(store, replace=replace)
        self.replace = replace
        self.merge = merge
        self.on_partition = on_partition
        self.on_error = on_error
        self.chunk_quads = chunk_quads if self.loader.needs_mark else 0  # 0: a partition at a time
        self.report = BulkReport()
        self.stage = "loading"
        self.merged: Any = None
        self.recovered = 0  # graphs of a stopped bulk chunk, dropped to be loaded again
        self._marked = False
        self._chunk: list[tuple[str, list[Any]]] = []
        self._in_chunk: set[str] = set()
        self._replaced: list[str] = []
        self._names: list[str] = []
        self._size = 0

    def run(self, folder: Path) -> BulkReport:
        files = partition_files(folder)
        if self.loader.needs_mark:
            self.recovered = recover_bulk_pending(self.store)
        for path in files:
            self._add(path)
        self._write()
        if self.merge and (self.report.articles or merge_pending(self.store)):
            from kg.ops.merge import merge_store

            self.stage = "merging"
            self.merged = merge_store(self.store)
            clear_merge_pending(self.store)
        return self.report

    def _add(self, path: Path) -> None:
        """Queue the partition's graphs that are not in the store (nor queued) yet; write the
        queue when it is a chunk."""
        graphs = read_partition(path)
        check = not self.replace or self.loader.needs_mark  # a bulk --replace drops the old ones first
        present = self.store.existing_graphs(list(graphs)) if check else set()
        fresh = [(g, q) for g, q in graphs.items() if g not in self._in_chunk and (self.replace or g not in present)]
        self.report.skipped += len(graphs) - len(fresh)
        if not fresh:
            self.report.partitions_skipped += 1
            self._tell(path.name, "skipped")
            return
        self._chunk += fresh
        self._in_chunk.update(g for g, _ in fresh)
        self._replaced += [g for g, _ in fresh if g in present]
        self._names.append(path.name)
        self._size += sum(len(q) for _, q in fresh)
        if self._size >= self.chunk_quads:
            self._write()

    def _write(self) -> None:
        if not self._chunk:
            return
        chunk, names, replaced = self._chunk, self._names, self._replaced
        self._chunk, self._names, self._replaced, self._in_chunk, self._size = [], [], [], set(), 0
        bulk = self.loader.needs_mark
        with deferred():  # the chunk's articles are written and counted, or not written
            if self.merge and not self._marked:
                mark_merge_pending(self.store)
                self._marked = True
            if bulk:
                mark_bulk_pending(self.store, [g for g, _ in chunk])
                drop_articles(self.store, replaced)
            rejected = self.loader.load(chunk)
            if bulk:
                clear_bulk_pending(self.store)
            self._count(chunk, rejected)
        self.report.partitions_written += len(names)
        for name in names:
            self._tell(name, "loaded")

    def _count(self, fresh: list[tuple[str, list[Any]]], rejected: dict[str, str]) -> None:
        for graph, quads in fresh:
            if graph in rejected:
                self.report.fail(f"{graph}: the store refused the article's graph: {rejected[graph]}")
                if self.on_error:
                    self.on_error(self.report.errors[-1])
                continue
            self.report.articles += 1
            self.report.quads += len(quads)

    def _tell(self, name: str, what: str) -> None:
        if self.on_partition:
            self.on_partition(name, what)


LOADERS = ("auto", "transactions", "pyoxigraph", "oxigraph", "virtuoso")


def make_loader(kind: str, store: Any, folder: Path, *, replace: bool = False, stage: Path | None = None) -> Any:
    """The loader `--loader` names for this store. auto: the embedded store's bulk loader, a
    SPARQL server's update requests (the engine's own loaders are opt-in: they need the server
    stopped, or isql access and a folder the server reads)."""
    from kg.store.embedded import EmbeddedStore

    embedded = isinstance(store, EmbeddedStore)
    if kind == "auto":
        kind = "pyoxigraph" if embedded else "transactions"
    if kind == "transactions":
        return TransactionLoader(store, replace=replace)
    if kind in ("pyoxigraph", "oxigraph") and not embedded:
        raise BulkError(f"--loader {kind} writes an Oxigraph folder (--store DIR; a server's --location, with the "
                        "server stopped); a running SPARQL server is loaded with --loader transactions")
    if kind == "pyoxigraph":
        from kg.store.bulk_embedded import EmbeddedBulkLoader

        return EmbeddedBulkLoader(store)
    if kind == "oxigraph":
        from kg.store.bulk_oxigraph import OxigraphCliLoader

        return OxigraphCliLoader(store)
    if embedded:
        raise BulkError("--loader virtuoso loads a Virtuoso server: give its SPARQL endpoint (--endpoint "
                        "http://HOST:8890/sparql) and KG_VIRTUOSO_PASSWORD for isql")
    from kg.store.bulk_virtuoso import VirtuosoLoader

    return VirtuosoLoader(store, stage or folder / ".staged")

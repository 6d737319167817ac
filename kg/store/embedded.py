"""The default store: an embedded Oxigraph (RocksDB) database in a folder on disk."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.graph.entities import entity_quads, is_article_graph, unbacked_update
from kg.graph.ontology import ontology_path
from kg.model.vocab import CKG, ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES, RDF
from kg.sparql.internal import internal_query
from kg.store.base import QueryResult, QuerySyntaxError, ResultStream, Store, StoreError, export_rdf

ENTITY_CACHE_MAX = 50_000  # entity facts remembered as written (about 10 MB at most)


def _packaged_version() -> str | None:
    import re

    m = re.search(r'owl:versionInfo\s+"([^"]+)"', ontology_path().read_text(encoding="utf-8"))
    return m.group(1) if m else None


def _describe_os_error(path: Path, e: OSError) -> str:
    msg = str(e)
    low = msg.lower()
    if "lock" in low:
        return (
            f"store {path} is locked by another kg process (RocksDB LOCK file); "
            "wait for it to finish, or use another --store"
        )
    if "permission" in low or "read-only" in low:
        return f"store {path}: permission denied or read-only file system"
    return f"store {path}: {msg.splitlines()[0] if msg else type(e).__name__}"


def _describe_damage(path: Path, e: RuntimeError) -> str:
    first = (str(e).splitlines() or [type(e).__name__])[0][:160]
    return (f"store {path} is damaged and cannot be opened ({first}); restore it from a backup, or move it "
            "away and ingest the articles again")


#: pauses (seconds) between read-only opens that met a file the writer had just deleted
READ_ONLY_RETRIES = (0.05, 0.2, 0.5, 1.0, 2.0)


def _open_db(path: Path, read_only: bool) -> ox.Store:
    """Open the RocksDB folder. A read-only open lists the live files, then opens them; a writer
    compacting in between deletes one of them and the open reports it missing ("No such file",
    seen as Corruption). That is a race, not damage, so a read-only open retries a few times; a
    writable open is alone on the store (the LOCK file), so its Corruption is real."""
    pauses = iter(READ_ONLY_RETRIES if read_only else ())
    while True:
        try:
            return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as e:
            if not _vanished_file(e) or (pause := next(pauses, None)) is None:
                raise StoreError(_describe_os_error(path, e)) from None
        except RuntimeError as e:  # RocksDB's Corruption: a torn MANIFEST, a lost file
            if not _vanished_file(e) or (pause := next(pauses, None)) is None:
                raise StoreError(_describe_damage(path, e)) from None
        time.sleep(pause)


def _vanished_file(e: Exception) -> bool:
    return "no such file" in str(e).lower()


def _refuse_foreign_folder(path: Path) -> None:
    """A non-empty folder that is not an Oxigraph store (no RocksDB CURRENT file) is refused:
    opening it would silently write a database into, say, a folder of articles."""
    if path.is_dir() and not (path / "CURRENT").exists() and any(path.iterdir()):
        raise StoreError(f"store {path}: the folder is not empty and is not a kg store; "
                         "give --store a new or empty folder")


class EmbeddedStore(Store):
    """Oxigraph on disk. Writes are transactions: an article's graph lands whole or not at all."""

    # ingest may write one batch from a thread while the next is extracted: pyoxigraph releases the
    # GIL during writes and the store is safe to read (the skip check) while it writes
    background_writes = True

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"store {self.path}: exists and is not a folder")
        if read_only and not self.path.exists():
            raise StoreError(f"store {self.path}: no such store (run `kg ingest` first)")
        if not read_only and not self.path.parent.exists():
            raise StoreError(f"store {self.path}: parent folder {self.path.parent} does not exist")
        # entity facts this process has written: most of an article's are already in the store
        # (the same actors and places again), and skipping them halves the cost of a write
        self._entities_written: set[ox.Quad] = set()
        _refuse_foreign_folder(self.path)
        self._db = _open_db(self.path, read_only)
        if not read_only:
            self._ensure_ontology()
            if self._needs_entities():
                self.rebuild_entities()
        elif self._needs_entities():
            self._migrate_read_only()

    # -- the entities graph (kg/graph/entities.py) ----------------------------------------------
    def _needs_entities(self) -> bool:
        """A store written before the entities graph existed: articles but no entities graph."""
        if self._db.contains_named_graph(ox.NamedNode(ENTITIES_GRAPH)):
            return False
        articles = self._db.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(CKG + "Article"), None)
        return next(iter(articles), None) is not None

    def _migrate_read_only(self) -> None:
        """A read-only command met an old store: migrate it once with a short writable open (the
        queries need the entities graph), then go on read-only."""
        self._db = None  # type: ignore[assignment]
        try:
            EmbeddedStore(self.path).close()
        except StoreError as e:
            raise StoreError(f"{e} (store {self.path} needs a one-off upgrade, its entities graph; "
                             "rerun when no other kg process writes to it)") from None
        self._db = _open_db(self.path, True)

    def rebuild_entities(self) -> int:
        """Derive the entities graph from every article graph (one pass over the store, one
        transaction); returns how many entity quads it holds. The one-off migration of a store
        written by an older conflict-kg, and a repair tool."""
        self._writable()
        g = ox.NamedNode(ENTITIES_GRAPH)
        quads = entity_quads(q for q in self._db if isinstance(q.graph_name, ox.NamedNode)
                             and is_article_graph(q.graph_name.value))
        self._entities_written.clear()
        try:
            if self._db.contains_named_graph(g):
                self._db.remove_graph(g)
            self._db.extend(quads)
            self._db.add_graph(g)
        except OSError as e:
            raise StoreError(_describe_os_error(self.path, e)) from None
        return len(quads)

    def _ensure_ontology(self) -> None:
        g = ox.NamedNode(ONTOLOGY_GRAPH)
        if self._db.contains_named_graph(g):
            if self._ontology_version() != _packaged_version():
                self.reload_ontology()  # a newer conflict-kg brings a newer ontology
            return
        try:
            self._db.load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE, to_graph=g)
        except OSError as e:
            raise StoreError(_describe_os_error(self.path, e)) from None

    def _ontology_version(self) -> str | None:
        g = ox.NamedNode(ONTOLOGY_GRAPH)
        for quad in self._db.quads_for_pattern(g, ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo"), None, g):
            return quad.object.value
        return None

    def reload_ontology(self) -> None:
        """Replace the ontology graph with the packaged ontology (after an upgrade)."""
        data = ontology_path().read_bytes()
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(ONTOLOGY_GRAPH))
            for t in ox.parse(data, format=ox.RdfFormat.TURTLE)
        ]
        self.put_graph(ONTOLOGY_GRAPH, quads)

    # -- graphs --------------------------------------------------------------------------------
    def has_graph(self, graph: str) -> bool:
        return self._db.contains_named_graph(ox.NamedNode(graph))

    def put_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Write a graph in one transaction; an article graph's entity facts go into the entities
        graph in that same transaction (and a replaced article's nodes are recomputed)."""
        self._writable()
        g = ox.NamedNode(graph)
        quads = [ox.Quad(q.subject, q.predicate, q.object, g) for q in quads]
        article = is_article_graph(graph)
        try:
            if not self._db.contains_named_graph(g):
                new = [q for q in entity_quads(quads) if q not in self._entities_written] if article else []
                # extend() is one transaction: a kill mid-way leaves no partial graph
                self._db.extend(quads + new)
                if not quads:
                    self._db.add_graph(g)
                if len(self._entities_written) + len(new) > ENTITY_CACHE_MAX:
                    self._entities_written.clear()  # memory stays bounded on endless streams
                self._entities_written.update(new)
                return
            self._entities_written.clear()  # a replace may remove entity facts
            ops = [unbacked_update([graph])] if article else []
            ops.append(internal_query("store-replace-graph", graph=graph, triples=_lines(quads)))
            if article:
                ops.append(internal_query("store-insert-data", graph=ENTITIES_GRAPH, triples=_lines(entity_quads(quads))))
            # one update, one transaction: the facts only the old version stated removed, the
            # article replaced, its entity facts added
            self._db.update(" ;\n".join(ops))
        except OSError as e:
            raise StoreError(_describe_os_error(self.path, e)) from None

    def put_graphs(self, graphs: Sequence[tuple[str, Iterable[Any]]], *, new: bool = False) -> dict[str, str]:
        """Write the batch, each graph in its own transaction, then make it durable before
        returning, so that what ingest counts as loaded survives a crash. Why the flush: RocksDB
        writes a transaction to its log without syncing it, so until the memtables are flushed to
        synced files a power loss (a torn log) drops it; a truncated log lost 29 of 30 loaded
        articles. flush() writes and syncs the memtables (measured: ~1% of a dev-corpus ingest)."""
        for graph, quads in graphs:
            self.put_graph(graph, quads)
        self.flush()
        return {}

    def drop_graph(self, graph: str) -> None:
        self._writable()
        g = ox.NamedNode(graph)
        if not self._db.contains_named_graph(g):
            return
        self._entities_written.clear()
        if is_article_graph(graph):  # the article's nodes keep only what other articles say of them
            self._db.update(unbacked_update([graph]) + " ;\n" + internal_query("store-drop-graph", graph=graph))
        else:
            self._db.remove_graph(g)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._db.named_graphs())

    # -- bulk loading (kg/store/bulk_embedded.py, kg/store/bulk_oxigraph.py) -----------------------
    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads with Oxigraph's bulk loader (new files beside the database, ~2-3x the rate
        of transactions). Not a transaction: kg load's bulk-pending mark makes it whole."""
        self._writable()
        self._entities_written.clear()
        try:
            self._db.bulk_extend(quads)
        except OSError as e:
            raise StoreError(_describe_os_error(self.path, e)) from None

    @contextmanager
    def released(self) -> Iterator[Path]:
        """Close the database so that another process (`oxigraph load`) may open the folder, and
        open it again afterwards, however that process ended."""
        self._writable()
        self.flush()
        self._db = None  # type: ignore[assignment]  # the last reference: RocksDB closes, the LOCK goes
        self._entities_written.clear()
        try:
            yield self.path
        finally:
            self._db = _open_db(self.path, False)

    # -- SPARQL -------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        res = self._stream(sparql, bindings)
        if res.kind == "graph":
            return QueryResult(kind="graph", triples=[(t.subject, t.predicate, t.object) for t in res.items])
        return QueryResult(kind=res.kind, variables=res.variables, rows=list(res.items), boolean=res.boolean)

    def stream(self, sparql: str) -> ResultStream:
        return self._stream(sparql, None)

    def _stream(self, sparql: str, bindings: Mapping[str, Any] | None) -> ResultStream:
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            res = self._db.query(sparql, use_default_graph_as_union=True, substitutions=subs or None, prefixes=PREFIXES)
        except SyntaxError as e:
            raise QuerySyntaxError(f"invalid SPARQL: {str(e).splitlines()[0]}") from None
        except OSError as e:
            raise StoreError(_describe_os_error(self.path, e)) from None
        if isinstance(res, ox.QueryBoolean):
            return ResultStream(kind="ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            return ResultStream(kind="select", variables=variables, items=([sol[v] for v in variables] for sol in res))
        return ResultStream(kind="graph", items=iter(res))

    def update(self, sparql: str) -> None:
        self._writable()
        self._entities_written.clear()  # an update may delete entity facts
        try:
            self._db.update(sparql, prefixes=PREFIXES)
        except SyntaxError as e:
            raise QuerySyntaxError(f"invalid SPARQL update: {str(e).splitlines()[0]}") from None
        except OSError as e:
            raise StoreError(_describe_os_error(self.path, e)) from None

    def export(self, fmt: str) -> bytes:
        return export_rdf(fmt, lambda: iter(self._db), lambda buf, f: self._db.dump(buf, f))

    def count(self) -> int:
        return len(self._db)

    def flush(self) -> None:
        if not self.read_only:
            try:
                self._db.flush()
            except OSError as e:
                raise StoreError(_describe_os_error(self.path, e)) from None

    def close(self) -> None:
        self._db = None  # type: ignore[assignment]

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")


def _lines(quads: Iterable[ox.Quad]) -> str:
    """The quads' triples as N-Triples lines, for an INSERT DATA block."""
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)

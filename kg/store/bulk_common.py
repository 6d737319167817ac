"""What every bulk loader of `kg load` shares: the quads it writes for a chunk of article graphs
(the graphs and their entity facts), the transactional loader (the path without a bulk loader),
and the bulk-pending mark that makes a chunk whole after a crash.

Why a mark: an engine's bulk loader is not a transaction per article. pyoxigraph's
`bulk_extend` and `oxigraph load` build files beside the database and add them at the end
(documented as not atomic for the library's loader), and Virtuoso's `rdf_loader_run()` commits
row by row without a log. So before a chunk is handed to the loader, the graphs it holds are
written, in one transaction, into the mark graph; the mark is dropped once the loader returned
and the store is flushed. A run that dies in between leaves the mark: the next `kg load` first
drops every graph the mark names (a graph may be half there) with the entity facts only they
stated, then loads their partitions again as if never loaded. Each article therefore ends whole
or absent, as with ingest; the unit of redo is the chunk, not the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.graph.entities import entity_quads, is_article_graph, unbacked_update
from kg.sparql.internal import internal_query
from kg.store.base import Store

BULK_PENDING_GRAPH = "https://w3id.org/conflict-kg/state/bulk-pending"
MEMBER = "http://www.w3.org/2000/01/rdf-schema#member"
#: quads per chunk handed to a bulk loader: each call has a fixed cost (new files, a compaction),
#: and a chunk is held in memory (~250 bytes a quad) and redone whole after a crash
CHUNK_QUADS = 250_000

Graphs = Sequence[tuple[str, list[Any]]]


def chunk_quads(graphs: Graphs) -> list[Any]:
    """The quads a bulk loader writes for these article graphs: theirs (in their graph) and their
    entity facts (in the entities graph), as `put_graph` writes them for a new article."""
    import pyoxigraph as ox

    out: list[Any] = []
    for g, quads in graphs:  # a partition's quads are in their graph already: kept as they are
        named = ox.NamedNode(g)
        in_graph = bool(quads) and quads[0].graph_name == named and quads[-1].graph_name == named
        out += quads if in_graph else [ox.Quad(q.subject, q.predicate, q.object, named) for q in quads]
    out += entity_quads(q for g, quads in graphs if is_article_graph(g) for q in quads)
    return out


def mark_bulk_pending(store: Store, graphs: Sequence[str]) -> None:
    """Name the graphs about to be bulk-loaded (one transaction, durable before the load)."""
    import pyoxigraph as ox

    g = ox.NamedNode(BULK_PENDING_GRAPH)
    store.put_graph(BULK_PENDING_GRAPH, [ox.Quad(g, ox.NamedNode(MEMBER), ox.NamedNode(x), g) for x in graphs])
    store.flush()


def clear_bulk_pending(store: Store) -> None:
    store.drop_graph(BULK_PENDING_GRAPH)
    store.flush()


def recover_bulk_pending(store: Store) -> int:
    """Undo the chunk a stopped bulk load left behind; returns how many graphs it named."""
    if not store.has_graph(BULK_PENDING_GRAPH):
        return 0
    res = store.query(internal_query("bulk-pending-graphs", marker=BULK_PENDING_GRAPH))
    graphs = [row[0].value for row in res.rows if row[0] is not None]
    drop_articles(store, graphs)
    clear_bulk_pending(store)
    return len(graphs)


def drop_articles(store: Store, graphs: Sequence[str], step: int = 500) -> None:
    """Drop article graphs with the entity facts only they state, a few hundred per update."""
    for i in range(0, len(graphs), step):
        part = list(graphs[i:i + step])
        ops = [unbacked_update(part)] + [internal_query("store-drop-graph", graph=g) for g in part]
        store.update(" ;\n".join(ops))


class TransactionLoader:
    """No bulk loader: each article in its own transaction (embedded store) or in batched update
    requests (SPARQL server), exactly as kg ingest writes; atomic per article, so no mark."""

    name = "transactions"
    needs_mark = False

    def __init__(self, store: Store, *, replace: bool = False) -> None:
        self.store = store
        self.replace = replace

    def load(self, graphs: Graphs) -> dict[str, str]:
        return self.store.put_graphs(graphs, new=not self.replace)

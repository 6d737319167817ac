"""The store interface every command talks to, so that an HTTP SPARQL endpoint can replace the
embedded store without any command changing."""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# re-exported: the result records live in kg/model (kg/sparql formats them without importing kg/store)
from kg.model.results import QueryResult, ResultStream  # noqa: F401


class StoreError(Exception):
    """The store cannot do what was asked (locked, missing, unreachable); one line for the user."""


class QuerySyntaxError(StoreError):
    """The SPARQL text does not parse."""



class Store(ABC):
    """A quad store holding one named graph per article plus the ontology graph."""

    #: True when put_graphs may run in a thread beside reads (ingest then overlaps writing a batch
    #: with extracting the next); a store that says nothing is written in line
    background_writes: bool = False

    @abstractmethod
    def has_graph(self, graph: str) -> bool: ...

    @abstractmethod
    def put_graph(self, graph: str, quads: Iterable[Any]) -> None:
        """Replace a named graph by these quads atomically: readers see the old or the new graph."""

    def put_graphs(self, graphs: Sequence[tuple[str, Iterable[Any]]], *, new: bool = False) -> dict[str, str]:
        """Replace several graphs, each atomically; returns {graph: reason} for refused ones.

        Ingest hands over a batch so that a store that pays per request (HTTP) can write it in
        one; the default writes them one by one. `new=True` says the caller checked that none of
        these graphs exists yet (ingest does, unless --replace): a store may then skip the work
        that replacing needs (recomputing the entity facts of the replaced articles' nodes).

        Durability: when this returns, the graphs written are durable (they survive a kill or a
        power loss), and only then does ingest count them as loaded: the embedded store syncs
        its files at the end of each batch (a single put_graph is atomic, but durable only at the
        next batch end or flush); a server has confirmed the request, so they are as durable as
        that server makes a committed update."""
        for graph, quads in graphs:
            self.put_graph(graph, quads)
        return {}

    def existing_graphs(self, graphs: Sequence[str]) -> set[str]:
        """Which of these graphs exist; a remote store answers for a whole batch in one request."""
        return {g for g in graphs if self.has_graph(g)}

    @abstractmethod
    def drop_graph(self, graph: str) -> None: ...

    @abstractmethod
    def graphs(self) -> list[str]: ...

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a read-only query over the union of all graphs; bindings are RDF terms, never text."""

    def stream(self, sparql: str) -> ResultStream:
        """Run a read-only query and hand its answer out as it comes; a store that cannot stream
        (a server's answer arrives whole) computes it first."""
        import pyoxigraph as ox

        res = self.query(sparql)
        if res.kind == "graph":
            return ResultStream("graph", items=iter([ox.Triple(*t) for t in res.triples]))
        return ResultStream(res.kind, res.variables, iter(res.rows), res.boolean)

    @abstractmethod
    def update(self, sparql: str) -> None: ...

    @abstractmethod
    def export(self, fmt: str) -> bytes: ...

    @abstractmethod
    def count(self) -> int: ...

    def flush(self) -> None:  # noqa: B027 - optional hook
        """Persist buffered writes and make them durable. put_graphs calls it at each batch end;
        long ingests also call it every few hundred articles: RocksDB keeps written data in
        memory until flushed, which would otherwise grow without end."""

    def close(self) -> None:  # noqa: B027 - optional hook
        pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


EXPORT_FORMATS = ("ttl", "turtle", "nt", "nq", "trig", "jsonld")
DATASET_FORMATS = {"nq", "trig", "jsonld"}  # formats that keep graph names
EXPORT_PREFIXES = {"ckg": "https://w3id.org/conflict-kg/ontology#", "ckr": "https://w3id.org/conflict-kg/id/"}


def export_rdf(fmt: str, quads: Callable[[], Iterable[Any]], dump: Callable[[io.BytesIO, Any], None] | None = None) -> bytes:
    """Serialise a whole store, however it hands out its quads: dataset formats keep the graphs
    (through `dump` when the store can write them itself), triple formats get the union of all
    graphs, each triple once."""
    import pyoxigraph as ox

    formats = {"ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
    if fmt not in formats:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    buf = io.BytesIO()
    if fmt in DATASET_FORMATS:
        if dump is not None:
            dump(buf, formats[fmt])
        else:
            ox.serialize(list(quads()), buf, formats[fmt])
        return buf.getvalue()
    seen: set[tuple[Any, Any, Any]] = set()
    triples = []
    for q in quads():
        t = (q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            triples.append(ox.Triple(*t))
    ox.serialize(triples, buf, formats[fmt], prefixes=EXPORT_PREFIXES if fmt in ("ttl", "turtle") else None)
    return buf.getvalue()

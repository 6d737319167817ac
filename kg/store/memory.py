"""A store that lives in memory only: one article's graph (plus the ontology) while `kg evaluate`
reads the system's view back, and tests that need a store without a folder.

It is the embedded store's code over an in-memory Oxigraph instead of a RocksDB folder, so that
what evaluation scores is exactly what `kg query` would answer (same engine, prefixes, graph
handling); only opening differs. A graph put under an article IRI gets its entity facts mirrored
(kg/graph/entities.py) as in the embedded store; kg evaluate uses another graph name, so that the
view holds the article's statements alone.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.store.embedded import EmbeddedStore


class MemoryStore(EmbeddedStore):
    """An in-memory Oxigraph with the ontology loaded (queries walk rdfs:subClassOf*)."""

    background_writes = False  # nothing to overlap: writes cost no disk time

    def __init__(self) -> None:  # noqa: D107 - the embedded store's state, without a folder
        self.path = Path(":memory:")  # named in error messages only
        self.read_only = False
        self._entities_written: set[ox.Quad] = set()
        self._db = ox.Store()
        self._ensure_ontology()

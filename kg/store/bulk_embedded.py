"""`kg load` into the embedded store with Oxigraph's own bulk loader (pyoxigraph `bulk_extend`).

Why: a transaction per article writes every quad through RocksDB's log and memtables, then
flushes; the bulk loader sorts a chunk in memory and writes it as new table files that RocksDB
adds as they are (measured in benchmarks/bulk_load.py). It is not a transaction: the caller
holds the bulk-pending mark around each chunk (kg/store/bulk_common.py).
"""

from __future__ import annotations

from kg.store.bulk_common import Graphs, chunk_quads
from kg.store.embedded import EmbeddedStore


class EmbeddedBulkLoader:
    name = "pyoxigraph"
    needs_mark = True

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store

    def load(self, graphs: Graphs) -> dict[str, str]:
        """Write the chunk and make it durable; nothing is refused one by one (a bad chunk fails
        whole, as an OSError of the store)."""
        self.store.bulk_extend(chunk_quads(graphs))
        self.store.flush()
        return {}

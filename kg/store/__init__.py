"""Stores: one interface (`Store`), an embedded Oxigraph store on disk, and a SPARQL 1.1 server."""

from __future__ import annotations

import os

from kg.store.base import QueryResult, Store, StoreError

__all__ = ["QueryResult", "Store", "StoreError", "open_store"]


def open_store(
    store: str | None = None, endpoint: str | None = None, *, read_only: bool = False
) -> Store:
    """Open the store named on the command line or in the environment (endpoint wins if given)."""
    endpoint = endpoint or os.environ.get("KG_ENDPOINT")
    if endpoint:
        from kg.store.endpoint import EndpointStore  # httpx is imported only when a server is used

        return EndpointStore(endpoint, read_only=read_only)
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(store or os.environ.get("KG_STORE") or "./kg-store", read_only=read_only)

"""Stores: one interface (`Store`), an embedded Oxigraph store on disk, and a SPARQL 1.1 server.

`open_store` picks the store class from a small registry (kind -> "module:Class", imported only
when used, so that httpx loads only when a server is the store). A `--store` value `kind:rest`
whose kind is registered under a scheme opens that kind at `rest`; anything else is a folder.
"""

from __future__ import annotations

import importlib
import os

from kg.store.base import QueryResult, Store, StoreError

__all__ = ["QueryResult", "Store", "StoreError", "open_store", "register_store", "STORE_KINDS"]

#: kind -> "module:Class"; each class takes (location, *, read_only)
STORE_KINDS: dict[str, str] = {
    "embedded": "kg.store.embedded:EmbeddedStore",
    "endpoint": "kg.store.endpoint:EndpointStore",
}
#: kinds a --store value may name as `kind:location` (the embedded store and servers have their
#: own options, so only stores registered here are opened that way)
STORE_SCHEMES: set[str] = set()


def register_store(kind: str, target: str, *, scheme: bool = False) -> None:
    """Make a store class known to open_store; `scheme=True` lets `--store kind:location` open it."""
    STORE_KINDS[kind] = target
    if scheme:
        STORE_SCHEMES.add(kind)


def store_class(kind: str) -> type[Store]:
    module, _, name = STORE_KINDS[kind].partition(":")
    return getattr(importlib.import_module(module), name)


def open_store(
    store: str | None = None, endpoint: str | None = None, *, read_only: bool = False
) -> Store:
    """Open the store named on the command line or in the environment (endpoint wins if given)."""
    endpoint = endpoint or os.environ.get("KG_ENDPOINT")
    if endpoint:
        return store_class("endpoint")(endpoint, read_only=read_only)
    location = store or os.environ.get("KG_STORE") or "./kg-store"
    kind, sep, rest = location.partition(":")
    if sep and kind in STORE_SCHEMES:
        return store_class(kind)(rest, read_only=read_only)
    return store_class("embedded")(location, read_only=read_only)

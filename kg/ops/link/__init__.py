"""Linking the graph to other knowledge graphs (Wikidata): `kg link wikidata`.

`kg.ops.link.client` talks to a SPARQL service politely and caches its answers on disk;
`kg.ops.link.wikidata` reads the graph's places and actors, finds and scores candidates, and writes
the links to a named graph of their own so that they can be inspected and undone as one.
"""

from __future__ import annotations

from kg.ops.link.client import DEFAULT_ENDPOINT, AnswerCache, LinkError, SparqlClient, default_cache_dir
from kg.ops.link.wikidata import LINK_GRAPH, LinkReport, link_wikidata, unlink_wikidata

__all__ = [
    "DEFAULT_ENDPOINT", "LINK_GRAPH", "AnswerCache", "LinkError", "LinkReport", "SparqlClient",
    "default_cache_dir", "link_wikidata", "unlink_wikidata",
]

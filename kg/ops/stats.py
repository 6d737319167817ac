"""Store summaries (`kg stats`) and the data graph handed to SHACL validation."""

from __future__ import annotations

from typing import Any

from kg.model.vocab import ONTOLOGY_GRAPH, sparql_prefixes
from kg.sparql.internal import internal_query
from kg.store.base import Store


def store_stats(store: Store) -> dict[str, Any]:
    out: dict[str, Any] = {"triples": store.count()}
    graphs = store.graphs()
    out["graphs"] = len(graphs)
    res = store.query(sparql_prefixes() + internal_query("stats-articles"))
    out["articles"] = int(res.rows[0][0].value) if res.rows else 0
    res = store.query(sparql_prefixes() + internal_query("stats-merged-events"))
    out["merged_events"] = int(res.rows[0][0].value) if res.rows else 0
    for group, top in (("actors", "Actor"), ("places", "Place"), ("events", "Event")):
        res = store.query(sparql_prefixes() + internal_query("stats-count-by-class", top=top))
        out[group] = {row[0].value: int(row[1].value) for row in res.rows if row[0] is not None}
    return out


def data_graph(store: Store):
    """Every triple outside the ontology graph, as an rdflib Graph (for pyshacl)."""
    import rdflib

    nq = store.export("nq")
    ds = rdflib.Dataset()
    ds.parse(data=nq, format="nquads")
    g = rdflib.Graph()
    for s, p, o, ctx in ds.quads((None, None, None, None)):
        if ctx is not None and str(getattr(ctx, "identifier", ctx)) == ONTOLOGY_GRAPH:
            continue
        g.add((s, p, o))
    return g

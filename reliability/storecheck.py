"""Compare embedded stores quad for quad (read-only, in this process).

Why in-process pyoxigraph and not `kg export`: the harness checks a store after every kill, and
opening it read-only here is both the "does it open" check and far cheaper than a subprocess.
The ontology graph is compared by size only: its OWL restrictions are blank nodes, whose labels
differ between two loads of the same file; every other graph (articles, merged events, links)
has no blank nodes and is compared exactly.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

ONTOLOGY_GRAPH = "https://w3id.org/conflict-kg/ontology"
ARTICLE_PREFIX = "https://w3id.org/conflict-kg/id/article/"


def _open(store: Path) -> ox.Store:
    return ox.Store.read_only(str(store))


def all_quads(store: Path) -> dict[str, set[str]]:
    """Graph name -> its quads as N-Quads-ish strings, for every named graph."""
    out: dict[str, set[str]] = {}
    db = _open(store)
    for q in db:
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        out.setdefault(g, set()).add(f"{q.subject} {q.predicate} {q.object}")
    for g in db.named_graphs():  # empty graphs count too
        out.setdefault(g.value, set())
    return out


def article_graphs(store: Path) -> dict[str, set[str]]:
    return {g: qs for g, qs in all_quads(store).items() if g.startswith(ARTICLE_PREFIX)}


def non_ontology_quads(store: Path) -> set[str]:
    return {f"{q} <{g}>" for g, qs in all_quads(store).items() if g != ONTOLOGY_GRAPH for q in qs}


def compare_stores(a: Path, b: Path) -> str | None:
    """None if the two stores hold the same quads (ontology: same size); else what differs."""
    qa, qb = all_quads(a), all_quads(b)
    if set(qa) != set(qb):
        only_a, only_b = sorted(set(qa) - set(qb)), sorted(set(qb) - set(qa))
        return f"graphs differ: only in {a}: {only_a[:3]} ({len(only_a)}); only in {b}: {only_b[:3]} ({len(only_b)})"
    for g in sorted(qa):
        if g == ONTOLOGY_GRAPH:
            if len(qa[g]) != len(qb[g]):
                return f"ontology graph: {len(qa[g])} vs {len(qb[g])} quads"
            continue
        if qa[g] != qb[g]:
            return (f"graph {g}: {len(qa[g] - qb[g])} quads only in {a}, {len(qb[g] - qa[g])} only in {b}; "
                    f"e.g. {sorted(qa[g] ^ qb[g])[:2]}")
    return None

"""The shared entities graph (https://w3id.org/conflict-kg/entities): each actor and place once.

Why it exists: every article graph is self-contained (it repeats the label, type, aliases,
country, hierarchy and GeoNames facts of every actor and place it names), which keeps an
article's provenance whole and lets it be replaced or dropped as one graph. But over the union of
thousands of article graphs each such fact exists once per article, and joins on them multiply
(a query that looked up "the label of each agent" met 5,000 copies of the Syrian army's label).
So the stores keep, next to the article graphs and written in the same transaction (embedded
store) or the same update request (SPARQL server), one deduplicated copy of those descriptive
facts, and the named queries read labels, types and hierarchy from it with
`GRAPH <https://w3id.org/conflict-kg/entities> { ... }`, per-article facts from the article graphs.

What goes in: every triple of an article graph whose subject is an actor or place node (IRI under
ckr:actor/ or ckr:place/, including a place's geometry node) except the per-article claims
(ckg:mentionedIn, ckg:controls, ckg:supports: who said what, and when, stays with the article).
Added: `ckg:nameKey`, the lower-cased form of every rdfs:label and skos:altLabel, so that a
case-insensitive name lookup is an index lookup instead of a filter over every name (the named
queries bind `?<param>Key` for each label parameter; see kg/sparql/named.py).

Entity facts are idempotent (a set), so writing them again for an article already described
changes nothing. Replacing or dropping an article removes the facts that only it stated: both
stores run the same update (`unbacked_update`, kg/sparql/internal/store-entities-unbacked.rq) in
the transaction or request that replaces the article, then add the new version's facts, so the
graph never keeps a fact no article states.
A store written by an older conflict-kg has no entities graph: `rebuild_entities` derives it
from the article graphs once (the stores call it when they open such a store).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.model.text import name_key
from kg.model.vocab import CKG, CKR, ENTITIES_GRAPH, RDFS, SKOS

ARTICLE_PREFIX = CKR + "article/"
ENTITY_PREFIXES = (CKR + "actor/", CKR + "place/")
# per-article claims: they stay in the article graphs only
PER_ARTICLE = frozenset({CKG + "mentionedIn", CKG + "controls", CKG + "supports"})
NAME_PREDICATES = frozenset({RDFS + "label", SKOS + "altLabel"})
NAME_KEY = CKG + "nameKey"


def is_article_graph(graph: str) -> bool:
    """Article graphs are the ones whose entity facts are mirrored."""
    return graph.startswith(ARTICLE_PREFIX)


def entity_quads(quads: Iterable[Any]) -> list[Any]:
    """The entity facts among an article graph's quads (or triples), as quads of the entities
    graph, without repeats, plus a ckg:nameKey for every name. (Runs for every article written:
    terms are compared as pyoxigraph objects, and each subject is classified once.)"""
    import pyoxigraph as ox

    g = ox.NamedNode(ENTITIES_GRAPH)
    key = ox.NamedNode(NAME_KEY)
    per_article = {ox.NamedNode(p) for p in PER_ARTICLE}
    names = {ox.NamedNode(p) for p in NAME_PREDICATES}
    is_entity: dict[Any, bool] = {}
    out: dict[Any, None] = {}
    for q in quads:
        s = q.subject
        e = is_entity.get(s)
        if e is None:
            e = is_entity[s] = isinstance(s, ox.NamedNode) and s.value.startswith(ENTITY_PREFIXES)
        if not e:
            continue
        p = q.predicate
        if p in per_article:
            continue
        o = q.object
        out[ox.Quad(s, p, o, g)] = None
        if p in names and isinstance(o, ox.Literal):
            out[ox.Quad(s, key, ox.Literal(name_key(o.value)), g)] = None
    return list(out)


def _fills() -> dict[str, str]:
    """What the entity queries of kg/sparql/internal/ need to know of the entity facts' shape."""
    from kg.sparql.internal import iri_list

    actor, place = ENTITY_PREFIXES
    return {"entities": ENTITIES_GRAPH, "article_prefix": ARTICLE_PREFIX, "actor_prefix": actor,
            "place_prefix": place, "per_article": ", ".join(f"<{p}>" for p in sorted(PER_ARTICLE)),
            "names": iri_list(sorted(NAME_PREDICATES)), "name_key": NAME_KEY}


def unbacked_update(graphs: Iterable[str]) -> str:
    """SPARQL Update removing the entity facts that only these article graphs state, to run just
    before they are replaced or dropped (both stores, in the same transaction or request); the
    new versions' facts (`entity_quads`) are written after it."""
    from kg.sparql.internal import internal_query, iri_list

    graphs = list(graphs)
    return internal_query("store-entities-unbacked", graphs=iri_list(graphs),
                          graphs_in=", ".join(f"<{g}>" for g in graphs), **_fills())


def rebuild_update() -> str:
    """SPARQL Update deriving the whole entities graph from the article graphs (a server's
    one-off migration; the embedded store does the same in Python, much faster)."""
    from kg.sparql.internal import internal_query

    return internal_query("store-entities-rebuild", **_fills())

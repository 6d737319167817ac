"""The system's view of one article, read back from its graph with SPARQL: what is scored is the
graph, not the extractor's internals (kg/sparql/internal/evaluate-*.rq)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kg.model.vocab import CKG
from kg.ops.evaluation.names import norm_name
from kg.sparql.internal import prefixed_query as internal_query
from kg.store.base import Store


@dataclass
class SysItem:
    node: str
    names: set[str]
    cls: str
    extra: dict[str, Any] = field(default_factory=dict)


def _v(term: Any) -> Any:
    return None if term is None else term.value


def system_view(store: Store) -> dict[str, Any]:
    """Actors, places, events and relations of a store, in plain Python, for scoring."""
    import pyoxigraph as ox

    def rows(name: str, bindings: dict | None = None) -> list[list[Any]]:
        return store.query(internal_query(name), bindings).rows

    def pairs(relation: str) -> set[tuple[str, str]]:
        return {(_v(s), _v(o)) for s, o, _ in rows("evaluate-pairs", {"relation": ox.NamedNode(CKG + relation)})}

    all_places: dict[str, set[str]] = defaultdict(set)
    for x, name in rows("evaluate-all-places"):
        all_places[_v(x)].add(norm_name(_v(name)))
    located: dict[str, set[str]] = defaultdict(set)
    for x, y in rows("evaluate-located"):
        located[_v(x)].add(_v(y))
    return {"actors": _actors(rows("evaluate-actors"), {_v(r[0]) for r in rows("evaluate-acting")}),
            "places": _places(rows("evaluate-places")), "all_places": all_places, "located": located,
            "events": _events(rows("evaluate-events")), "control": pairs("controls"), "support": pairs("supports"),
            "sources": {_v(r[0]) for r in rows("evaluate-sources")}}


def _actors(rows: list[list[Any]], acting: set[str]) -> dict[str, SysItem]:
    """Actor nodes by IRI; a country only if it acts (the class of a node typed Country and more
    is the other class)."""
    actors: dict[str, SysItem] = {}
    for x, cls, name, country in rows:
        node = _v(x)
        it = actors.setdefault(node, SysItem(node, set(), _v(cls)))
        if _v(cls) != "Country":
            it.cls = _v(cls)
        it.names.add(_v(name))
        if country is not None:
            it.extra["country"] = _v(country)
    return {k: a for k, a in actors.items() if a.cls != "Country" or k in acting}


def _places(rows: list[list[Any]]) -> dict[str, SysItem]:
    places: dict[str, SysItem] = {}
    for x, cls, name in rows:
        it = places.setdefault(_v(x), SysItem(_v(x), set(), _v(cls)))
        if _v(cls) not in ("Place",):
            it.cls = _v(cls)
        it.names.add(_v(name))
    return places


def _events(rows: list[list[Any]]) -> dict[str, dict[str, Any]]:
    events: dict[str, dict[str, Any]] = {}
    for e, cls, place, date, fat, role, actor in rows:
        ev = events.setdefault(_v(e), {"cls": set(), "place": _v(place), "date": _v(date),
                                       "fatalities": int(_v(fat)) if fat is not None else None,
                                       "agent": set(), "target": set(), "supporter": set()})
        ev["cls"].add(_v(cls))
        if role is not None:
            ev[_v(role)].add(_v(actor))
    return events

"""Which side an event's agent fights on, as far as merging needs it.

Outlets name one state's forces in many ways ("Russia", "Russian warplanes", "the Russian air
force"; "the Syrian army", "the regime"): the extractor makes them distinct actors, rightly, but two
accounts whose agents are one state's forces do not contradict each other the way two different
armed groups do. A state actor (vocab.STATE_CLASSES: forces, government, the country itself) is
on its country's side; any other actor is a side of its own.
"""

from __future__ import annotations

from kg.model.vocab import STATE_CLASSES
from kg.sparql.internal import prefixed_query as internal_query
from kg.store.base import Store


def actor_sides(store: Store) -> dict[str, str]:
    """Agent IRI -> side key: the country's IRI for a state actor with a known country (or for a
    country itself), else the actor's own IRI."""
    sides: dict[str, str] = {}
    for actor, cls, country in store.query(internal_query("merge-actor-sides")).rows:
        if cls is None or cls.value not in STATE_CLASSES:
            continue
        if cls.value == "Country":
            sides[actor.value] = actor.value
        elif country is not None:
            sides.setdefault(actor.value, country.value)
    return sides


def side_keys(agents: set[str], sides: dict[str, str]) -> set[str]:
    """The sides a set of agents stands for."""
    return {sides.get(a, a) for a in agents}

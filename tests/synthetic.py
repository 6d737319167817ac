"""Synthetic article graphs for the merge's worst case (issue 15): many one-event reports of one town,
shared by tests/test_store_hardening.py and benchmarks/merge_scale.py so both measure the same data."""

from __future__ import annotations

import pyoxigraph as ox

from kg.model.vocab import CKG, CKR

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def one_town_reports(store, n: int, dated: int = 0) -> None:
    """n one-event article graphs about one town, the same class and actor, as extraction writes
    them (what merge-accounts.rq reads), the first `dated` with a stated date: written straight
    into the store, in one transaction, rather than through spaCy."""
    place, army = ox.NamedNode(CKR + "place/homs"), ox.NamedNode(CKR + "actor/army")
    quads = []
    for i in range(n):
        g = ox.NamedNode(CKR + f"article/r{i:06d}")
        e = ox.NamedNode(g.value + "#e1")
        quads += [ox.Quad(g, RDF_TYPE, ox.NamedNode(CKG + "Article"), g),
                  ox.Quad(e, RDF_TYPE, ox.NamedNode(CKG + "Airstrike"), g),
                  ox.Quad(e, ox.NamedNode(CKG + "evidence"), ox.Literal(f"Jets struck Homs ({i})."), g),
                  ox.Quad(e, ox.NamedNode(CKG + "mentionedIn"), g, g),
                  ox.Quad(e, ox.NamedNode(CKG + "place"), place, g),
                  ox.Quad(e, ox.NamedNode(CKG + "agent"), army, g),
                  ox.Quad(place, ox.NamedNode(CKG + "countryCode"), ox.Literal("SY"), g)]
        if i < dated:
            quads.append(ox.Quad(e, ox.NamedNode(CKG + "date"),
                                 ox.Literal("2015-10-15", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), g))
    store._db.extend(quads)

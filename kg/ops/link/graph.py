"""Linking's side of our graph: the places and actors read from the store (what linking needs of
each), and the linking graph written back.

Read with several small queries (kg/sparql/internal/link-*.rq) rather than one with many
OPTIONALs: labels times aliases times classes would multiply rows on a large graph. Each query is
a row of a table: the query, and what its value sets on the entity.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

from kg.model.vocab import ACTOR_CLASSES, CKG, CKR, OWL, PLACE_CLASSES, RDF, RDFS, WD, XSD
from kg.ops.link.model import LINK_GRAPH, Entity, Link
from kg.sparql.internal import internal_query
from kg.store.base import Store

Setter = Callable[[Entity, Any, dict[str, Entity]], None]


def _add_label(e: Entity, lab: Any, ents: dict[str, Entity]) -> None:
    if isinstance(lab, ox.Literal) and lab.value not in e.labels:
        e.labels.append(lab.value)


def _add_alias(e: Entity, lab: Any, ents: dict[str, Entity]) -> None:
    if isinstance(lab, ox.Literal) and lab.value not in e.aliases:
        e.aliases.append(lab.value)


def _set_country_code(e: Entity, cc: Any, ents: dict[str, Entity]) -> None:
    if e.cc is None:
        e.cc = cc.value.upper()


def _set_country(e: Entity, country: Any, ents: dict[str, Entity]) -> None:
    if e.cc is None:
        e.cc = _country_code(country.value, ents)


def _set_geonames(e: Entity, gid: Any, ents: dict[str, Entity]) -> None:
    e.geonames_id = gid.value


def _set_iso(e: Entity, iso: Any, ents: dict[str, Entity]) -> None:
    if "-" in iso.value:
        e.iso_code = iso.value


def _set_wikidata(e: Entity, same: Any, ents: dict[str, Entity]) -> None:
    e.wikidata = same.value[len(WD):]


# (query in kg/sparql/internal/, what its second column sets), in the order they apply: an
# explicit country code wins over the one derived from ckg:country
FACTS: list[tuple[str, Setter]] = [
    ("link-labels", _add_label),
    ("link-aliases", _add_alias),
    ("link-country-codes", _set_country_code),
    ("link-countries", _set_country),
    ("link-geonames-ids", _set_geonames),
    ("link-iso-codes", _set_iso),
    ("link-lexicon-sameas", _set_wikidata),
]


def read_entities(store: Store) -> list[Entity]:
    """Places and actors of the graph with what linking needs, sorted by IRI."""
    ents = _typed_nodes(store)
    for name, apply in FACTS:
        fills = {"link_graph": LINK_GRAPH} if name == "link-lexicon-sameas" else {}
        for node, value in store.query(internal_query(name, **fills)).rows:
            e = ents.get(getattr(node, "value", ""))
            if e is not None:
                apply(e, value, ents)
    for e in ents.values():
        _ids_from_iri(e)
    return sorted(ents.values(), key=lambda e: e.iri)


def _typed_nodes(store: Store) -> dict[str, Entity]:
    """Every node typed with one of our place or actor classes; a node that is both is a place."""
    ents: dict[str, Entity] = {}
    for kind, classes in (("place", PLACE_CLASSES), ("actor", ACTOR_CLASSES)):
        values = " ".join(f"ckg:{c}" for c in sorted(classes))
        for node, cls in store.query(internal_query("link-typed-nodes", classes=values)).rows:
            if not isinstance(node, ox.NamedNode):
                continue
            e = ents.setdefault(node.value, Entity(node.value, kind))
            if e.kind == kind:
                e.classes.add(cls.value[len(CKG):])
    return ents


def _ids_from_iri(e: Entity) -> None:
    """Ids carried by the IRI itself (country nodes written for ckg:country), and a place's
    country from the gazetteer when the graph says none."""
    m = re.search(r"/place/geonames/(\d+)$", e.iri)
    if m and not e.geonames_id:
        e.geonames_id = m.group(1)
    m = re.search(r"/place/iso/([A-Z]{2}-[A-Z0-9]{1,3})$", e.iri)
    if m and not e.iso_code:
        e.iso_code = m.group(1)
    if e.kind == "place" and not e.geonames_id:
        e.geonames_id = _legacy_geonames_id(e.iri)
    if e.cc is None and e.kind == "place":
        e.cc = _gazetteer_cc(e.geonames_id)


def _country_code(country_iri: str, ents: dict[str, Entity]) -> str | None:
    c = ents.get(country_iri)
    if c is not None and c.cc:
        return c.cc
    m = re.search(r"/place/geonames/(\d+)$", country_iri)
    return _gazetteer_cc(m.group(1)) if m else None


def _legacy_geonames_id(iri: str) -> str | None:
    """The GeoNames id of a division an older store named by ISO or admin code
    (place/iso/SY-HI, place/admin2/YE-14-2607): the gazetteer keeps those keys as aliases."""
    if "/place/geonames/" in iri or "/place/unresolved/" in iri:
        return None
    try:
        from kg.geo.gazetteer import Gazetteer

        p = Gazetteer.default().place_for_iri(iri)
    except Exception:  # no gazetteer: linking goes by the ISO code, as before
        return None
    return str(p.geonames_id) if p is not None and p.geonames_id else None


def _gazetteer_cc(geonames_id: str | None) -> str | None:
    if not geonames_id:
        return None
    try:
        from kg.geo.gazetteer import Gazetteer

        p = Gazetteer.default().get(f"geonames:{geonames_id}")
    except Exception:  # no gazetteer: the country is simply unknown
        return None
    return p.cc if p else None


def link_quads(links: Iterable[Link]) -> list[ox.Quad]:
    """The linking graph: each owl:sameAs plus the ckg:Link node that says how it was found."""
    a = ox.NamedNode(RDF + "type")
    same = ox.NamedNode(OWL + "sameAs")
    out: list[ox.Quad] = []
    for link in links:
        s, o = ox.NamedNode(link.node), ox.NamedNode(WD + link.qid)
        digest = hashlib.sha1(f"{link.node} {link.qid}".encode()).hexdigest()[:16]
        n = ox.NamedNode(f"{CKR}link/wikidata/{digest}")
        out += [
            ox.Quad(s, same, o),
            ox.Quad(n, a, ox.NamedNode(CKG + "Link")),
            ox.Quad(n, ox.NamedNode(RDF + "subject"), s),
            ox.Quad(n, ox.NamedNode(RDF + "predicate"), same),
            ox.Quad(n, ox.NamedNode(RDF + "object"), o),
            ox.Quad(n, ox.NamedNode(CKG + "linkScore"),
                    ox.Literal(f"{link.score:.3f}", datatype=ox.NamedNode(XSD + "decimal"))),
            ox.Quad(n, ox.NamedNode(CKG + "linkMethod"), ox.Literal(link.method)),
        ]
        if link.wd_label:
            desc = f"Wikidata: {link.wd_label}" + (f" ({link.description})" if link.description else "")
            out.append(ox.Quad(n, ox.NamedNode(RDFS + "comment"), ox.Literal(desc)))
    return out


def count_links(store: Store) -> int:
    """How many owl:sameAs links the linking graph holds."""
    res = store.query(internal_query("link-count-links", link_graph=LINK_GRAPH))
    return int(res.rows[0][0].value) if res.rows and res.rows[0][0] is not None else 0

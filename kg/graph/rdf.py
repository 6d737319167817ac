"""Extraction records -> triples on the ontology (docs/model.md is the contract).

Everything is deterministic: the same article yields the same triples, byte for byte, so that
re-ingesting changes nothing and graphs from different articles merge on shared IRIs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg import __version__
from kg.model.records import ActorRecord, EventRecord, Evidence, Extraction, PlaceRecord
from kg.model.vocab import (
    CKG, CKR, GEO, GEONAMES, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD, actor_class, event_class, place_class,
)

A = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")
ALT = ox.NamedNode(SKOS + "altLabel")
SAME = ox.NamedNode(OWL + "sameAs")


def ckg(name: str) -> ox.NamedNode:
    return ox.NamedNode(CKG + name)


def ckr(path: str) -> ox.NamedNode:
    return ox.NamedNode(CKR + path)


def lit(value: object) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(f"{value:.2f}", datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))


def article_iri(ex_or_key: Extraction | str) -> ox.NamedNode:
    key = ex_or_key if isinstance(ex_or_key, str) else ex_or_key.article.key
    return ckr(f"article/{key}")


def graph_triples(ex: Extraction) -> list[ox.Quad]:
    """All statements read from one article, for its named graph (graph name set by the store)."""
    return [ox.Quad(s, p, o) for s, p, o in _triples(ex)]


def _triples(ex: Extraction) -> Iterator[tuple]:
    art = ex.article
    a_iri = article_iri(ex)
    yield a_iri, A, ckg("Article")
    yield a_iri, A, ox.NamedNode(SCHEMA + "NewsArticle")
    yield a_iri, A, ox.NamedNode(PROV + "Entity")
    if art.title:
        yield a_iri, ox.NamedNode(SCHEMA + "headline"), lit(art.title)
    if art.published:
        yield a_iri, ox.NamedNode(SCHEMA + "datePublished"), lit(art.published)
    if art.outlet:
        yield a_iri, ox.NamedNode(SCHEMA + "publisher"), lit(art.outlet)
    if art.url:
        yield a_iri, ox.NamedNode(SCHEMA + "url"), ox.Literal(art.url, datatype=ox.NamedNode(XSD + "anyURI"))
    yield a_iri, ckg("contentHash"), lit(art.content_hash)
    yield a_iri, ckg("extractorVersion"), lit(__version__)
    for key in ex.sources:
        yield a_iri, ckg("citesSource"), ckr(key)

    for p in ex.places.values():
        yield from _place(p, a_iri)
    for a in ex.actors.values():
        yield from _actor(a, ex, a_iri)

    for ev in ex.events:
        yield from _event(ev, ex, a_iri)
    yield from _relations(ex, a_iri)


def _event(ev: EventRecord, ex: Extraction, a_iri: ox.NamedNode) -> Iterator[tuple]:
    """One article's account of an event: its node is keyed by the trigger's offset."""
    e_iri = ckr(f"event/{ex.article.key}/{ev.trigger_start}")
    # a class the ontology lacks is an extractor bug: refused (UnknownTerm), never written
    cls = event_class(ev.cls)
    yield e_iri, A, ckg(cls)
    for extra in ev.also:
        if event_class(extra) != cls:
            yield e_iri, A, ckg(extra)
    label = cls
    if ev.place and ev.place in ex.places:
        label += f" in {ex.places[ev.place].label}"
    if ev.date:
        label += f", {ev.date.isoformat()}"
    yield e_iri, LABEL, lit(label)
    for role, keys in (("agent", ev.agents), ("target", ev.targets), ("supporter", ev.supporters),
                       ("reportedBy", ev.reported_by)):
        for k in keys:
            yield e_iri, ckg(role), ckr(k)
    if ev.place:
        yield e_iri, ckg("place"), ckr(ev.place)
    if ev.date:
        yield e_iri, ckg("date"), lit(ev.date)
    if ev.fatalities is not None:
        yield e_iri, ckg("fatalities"), lit(int(ev.fatalities))
    yield e_iri, ckg("trigger"), lit(ev.trigger)
    yield from _evidence(e_iri, ev.evidence)
    yield e_iri, ckg("mentionedIn"), a_iri


def _relations(ex: Extraction, a_iri: ox.NamedNode) -> Iterator[tuple]:
    """Each relation as a triple plus a reified ckg:RelationStatement carrying its evidence."""
    said: set[str] = set()
    for r in ex.relations:
        s, pred, o = ckr(r.subject), ckg(r.predicate), ckr(r.object)
        digest = hashlib.sha1(f"{s.value} {pred.value} {o.value}".encode()).hexdigest()[:16]
        if digest in said:
            continue  # one statement per claim and article: the first sentence that makes it
        said.add(digest)
        yield s, pred, o
        st = ckr(f"statement/{ex.article.key}/{digest}")
        yield st, A, ckg("RelationStatement")
        yield st, ox.NamedNode(RDF + "subject"), s
        yield st, ox.NamedNode(RDF + "predicate"), pred
        yield st, ox.NamedNode(RDF + "object"), o
        if r.date:
            yield st, ckg("date"), lit(r.date)
        yield from _evidence(st, r.evidence)
        yield st, ckg("mentionedIn"), a_iri


def _evidence(node: ox.NamedNode, ev: Evidence) -> Iterator[tuple]:
    yield node, ckg("evidence"), lit(ev.sentence)
    yield node, ckg("charStart"), lit(int(ev.start))
    yield node, ckg("charEnd"), lit(int(ev.end))
    yield node, ckg("confidence"), lit(float(ev.confidence))


def _names(aliases: Iterable[str]) -> list[str]:
    """Aliases with their white space collapsed: a name read across a line break ("Homs\n\n" in a
    dateline) is the same name, and a name key with a line break in it matches no one's query."""
    return sorted({" ".join(a.split()) for a in aliases} - {""})


def _place(p: PlaceRecord, a_iri: ox.NamedNode) -> Iterator[tuple]:
    node = ckr(p.key)
    yield node, A, ckg(place_class(p.cls))
    yield node, LABEL, lit(p.label)
    for alias in _names(p.aliases):
        yield node, ALT, lit(alias)
    if p.parent:
        yield node, ckg("locatedIn"), ckr(p.parent)
    if p.country:
        yield node, ckg("countryCode"), lit(p.country)
    yield node, ckg("resolved"), lit(bool(p.resolved))
    if p.geonames_id:
        yield node, ckg("geonamesId"), lit(int(p.geonames_id))
        yield node, SAME, ox.NamedNode(f"{GEONAMES}{p.geonames_id}/")
    if p.iso_code:
        yield node, ckg("iso3166Code"), lit(p.iso_code)
    if p.population:
        yield node, ckg("population"), lit(int(p.population))
    if p.lat is not None and p.lon is not None:
        g = ox.NamedNode(node.value + "/geometry")
        yield node, ox.NamedNode(GEO + "hasGeometry"), g
        yield g, A, ox.NamedNode(GEO + "Geometry")
        yield g, ox.NamedNode(GEO + "asWKT"), ox.Literal(
            f"POINT({p.lon:.5f} {p.lat:.5f})", datatype=ox.NamedNode(GEO + "wktLiteral")
        )
        if p.approximate:
            yield node, ckg("approximateLocation"), lit(True)
    if p.mentioned:
        yield node, ckg("mentionedIn"), a_iri


def _actor(a: ActorRecord, ex: Extraction, a_iri: ox.NamedNode) -> Iterator[tuple]:
    node = ckr(a.key)
    if a.cls == "Country" or a.key.startswith("place/"):
        # a country acting: the same node as the place, typed Country (Place and Actor)
        yield node, A, ckg("Country")
        if a.key not in ex.places:  # named only as a word part ('U.S.-backed'): no place node labels it
            yield node, LABEL, lit(a.label)
        for alias in _names(a.aliases):
            yield node, ALT, lit(alias)
        yield node, ckg("mentionedIn"), a_iri
        return
    yield node, A, ckg(actor_class(a.cls))
    yield node, LABEL, lit(a.label)
    for alias in _names(a.aliases):
        yield node, ALT, lit(alias)
    if a.country:
        country = _country(a.country)
        if country:
            yield node, ckg("country"), ckr(country[0])
            if country[0] not in ex.places:
                yield ckr(country[0]), A, ckg("Country")
                yield ckr(country[0]), LABEL, lit(country[1])
    if a.wikidata:
        yield node, SAME, ox.NamedNode(WD + a.wikidata)
    yield node, ckg("mentionedIn"), a_iri


def _country(cc: str) -> tuple[str, str] | None:
    """(key, name) of a country's node, the same node its place mentions use."""
    from kg.geo.gazetteer import Gazetteer
    from kg.geo.resolve import place_iri_suffix

    p = Gazetteer.default().country(cc)
    return ("place/" + place_iri_suffix(p), p.name) if p else None

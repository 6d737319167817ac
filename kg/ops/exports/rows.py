"""The one query layer under the analyst exports (ACLED CSV, UCDP CSV, GeoJSON): merged events (or,
with `accounts=True`, event accounts) as plain records holding everything a row of any of the
three formats is made of.

Why a layer of its own: the three formats name the same facts differently (ACLED's admin1 is
UCDP's adm_1), so the store is read once, the same way, and each format only renames and codes.
The SPARQL is in kg/sparql/internal/export-*.rq: one query picks the events (with the `place`,
`from` and `to` filters of the named queries), then batches of their IRIs fetch roles and sources,
and one query reads the place hierarchy. A batch of IRIs in a VALUES block costs a few index
lookups per event on any store, where one query joining everything would multiply the rows of
agents, targets, sources and articles before grouping them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.graph.entities import name_key
from kg.model.vocab import XSD, priority_rank
from kg.runtime.batching import batched
from kg.sparql.internal import iri_list, prefixed_query
from kg.sparql.named import with_bindings
from kg.store.base import Store

BATCH = 400  # event IRIs per VALUES block


class ExportError(ValueError):
    """A filter value that cannot be used (a date that is not YYYY-MM-DD); bad usage."""


@dataclass(frozen=True)
class Filters:
    """The filters every export takes: a place name (events in it or inside it) and a date range."""

    place: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def parse(cls, place: str | None, date_from: str | None, date_to: str | None) -> "Filters":
        """Filters from the command line's strings; ExportError for a date that is not YYYY-MM-DD."""
        return cls(place or None, _date_arg("--from", date_from), _date_arg("--to", date_to))


def _date_arg(option: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ExportError(f"{option}: {value!r} is not a date YYYY-MM-DD") from None


@dataclass
class Place:
    """A place of the entities graph: what the exports print of it and its parent, for the hierarchy."""

    iri: str
    label: str = ""
    cls: str = ""
    parents: set[str] = field(default_factory=set)
    lon: float | None = None
    lat: float | None = None
    cc: str = ""


@dataclass
class Actor:
    iri: str
    label: str = ""
    classes: set[str] = field(default_factory=set)
    country: str = ""  # the Country place IRI it belongs to (a Country is its own)


@dataclass
class Source:
    """One account's article: where an event was read, and the sentence it was read from."""

    account: str
    article: str
    outlet: str = ""
    url: str = ""
    headline: str = ""
    published: dt.date | None = None
    evidence: str = ""
    date: dt.date | None = None  # the account's own date (stated in the text or taken as the publication day)


@dataclass
class EventRow:
    """One merged event (or one account) with its place chain, actors, toll range and sources."""

    iri: str
    cls: str
    place: Place | None = None
    chain: list[Place] = field(default_factory=list)  # the place, then its parents up to the country
    date: dt.date | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    fatalities_min: int | None = None
    fatalities_max: int | None = None
    merged: str = ""  # for an account: its merged event
    roles: dict[str, list[Actor]] = field(default_factory=lambda: {r: [] for r in ROLES})
    sources: list[Source] = field(default_factory=list)

    def actors(self, role: str) -> list[Actor]:
        return self.roles[role]

    def country(self) -> Place | None:
        return next((p for p in self.chain if p.cls == "Country"), None)

    def level(self, cls: str, nth: int = 0) -> Place | None:
        """The nth place of class `cls` in the chain (Province for admin1, District for admin2/3)."""
        found = [p for p in self.chain if p.cls == cls]
        return found[nth] if len(found) > nth else None

    def districts(self) -> list[Place]:
        """The districts of the chain, nearest first (the outermost is admin2 / UCDP's adm_2)."""
        return [p for p in self.chain if p.cls == "District"]

    def located(self) -> bool:
        return self.place is not None and self.place.lon is not None and self.place.lat is not None

    def first_day(self) -> dt.date | None:
        return self.earliest or self.date

    def date_read_in_text(self) -> bool:
        """Whether some account's date cannot be the publication day taken for the event's day: it
        differs from its article's publication date, or the article has none."""
        return any(s.date is not None and s.date != s.published for s in self.sources)


ROLES = ("agent", "target", "supporter", "reportedBy")


def _v(term: Any) -> str:
    return term.value if term is not None else ""


def _date(term: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(term.value[:10]) if term is not None else None
    except ValueError:
        return None


def _int(term: Any) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def _bindings(f: Filters) -> dict[str, Any]:
    import pyoxigraph as ox

    out: dict[str, Any] = {}
    if f.place:
        out["place"] = ox.Literal(f.place)
        out["placeKey"] = ox.Literal(name_key(f.place))
    for name, d in (("from", f.date_from), ("to", f.date_to)):
        if d is not None:
            out[name] = ox.Literal(d.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return out


def read_places(store: Store) -> dict[str, Place]:
    """Every place of the entities graph by IRI (export-places.rq)."""
    places: dict[str, Place] = {}
    for p, label, cls, parent, wkt, cc in store.query(prefixed_query("export-places")).rows:
        pl = places.get(p.value)
        if pl is None:
            pl = places[p.value] = Place(p.value)
        if cls is not None and (not pl.cls or pl.cls == "Place"):
            pl.cls = cls.value  # its most specific class; plain Place only when it has no other
        pl.label = pl.label or _v(label)
        pl.cc = pl.cc or _v(cc)
        if parent is not None:
            pl.parents.add(parent.value)
        if wkt is not None and pl.lon is None:
            pl.lon, pl.lat = _point(wkt.value)
    return places


def _point(wkt: str) -> tuple[float | None, float | None]:
    """(lon, lat) of a WKT `POINT(lon lat)`, or (None, None) for anything else."""
    inner = wkt.strip()
    if not inner.upper().startswith("POINT"):
        return None, None
    try:
        lon, lat = inner[inner.index("(") + 1 : inner.index(")")].split()
        return float(lon), float(lat)
    except ValueError:
        return None, None


_LEVEL = {"Country": 0, "Province": 1, "District": 2}


def place_chain(iri: str | None, places: dict[str, Place]) -> list[Place]:
    """The place and its ancestors by ckg:locatedIn, nearest first. Where a place has several
    parents the most specific administrative one is followed (a District before a Province before
    a Country), ties by IRI, so the chain is the same on every run; a cycle stops the walk."""
    chain: list[Place] = []
    seen: set[str] = set()
    while iri and iri not in seen and iri in places:
        seen.add(iri)
        p = places[iri]
        chain.append(p)
        known = [q for q in p.parents if q in places and q not in seen]
        iri = min(known, key=lambda q: (-_LEVEL.get(places[q].cls, 3), q)) if known else None
    return chain


def _pick_events(store: Store, filters: Filters, accounts: bool) -> dict[str, EventRow]:
    name = "export-accounts" if accounts else "export-merged"
    text = with_bindings(prefixed_query(name), _bindings(filters))
    events: dict[str, EventRow] = {}
    for row in store.query(text).rows:
        if accounts:
            e, cls, pl, date, fat, merged = row
            earliest = latest = date
            fmin = fmax = fat
        else:
            e, cls, pl, date, earliest, latest, fmin, fmax = row
            merged = None
        ev = events.get(e.value)
        if ev is not None:  # a second class of the same account: keep the one the ontology ranks first
            if priority_rank(cls.value) < priority_rank(ev.cls):
                ev.cls = cls.value
            continue
        events[e.value] = EventRow(
            iri=e.value, cls=cls.value, place=Place(pl.value) if pl is not None else None,
            date=_date(date), earliest=_date(earliest), latest=_date(latest),
            fatalities_min=_int(fmin), fatalities_max=_int(fmax), merged=_v(merged))
    return events


def read_actors(store: Store) -> dict[str, Actor]:
    """Every actor of the entities graph by IRI (export-actors.rq): name, classes, country."""
    actors: dict[str, Actor] = {}
    for actor, label, cls, country in store.query(prefixed_query("export-actors")).rows:
        a = actors.get(actor.value)
        if a is None:
            a = actors[actor.value] = Actor(actor.value)
        a.label = a.label or _v(label)
        a.classes.add(cls.value)
        a.country = a.country or _v(country)
    for a in actors.values():
        if "Country" in a.classes and not a.country:
            a.country = a.iri
    return actors


def _add_roles(store: Store, events: dict[str, EventRow], batch: list[str], actors: dict[str, Actor]) -> None:
    seen: set[tuple[str, str, str]] = set()
    for e, role, actor in store.query(prefixed_query("export-roles", events=iri_list(batch))).rows:
        if (e.value, role.value, actor.value) not in seen:
            seen.add((e.value, role.value, actor.value))
            events[e.value].roles[role.value].append(actors.get(actor.value) or Actor(actor.value))
    for e in batch:
        for found in events[e].roles.values():
            found.sort(key=lambda a: (a.label, a.iri))


def _add_sources(store: Store, events: dict[str, EventRow], batch: list[str], accounts: bool) -> None:
    hop = "BIND(?event AS ?acc)" if accounts else "?event ckg:hasAccount ?acc ."
    rows = store.query(prefixed_query("export-sources", events=iri_list(batch), hop=hop)).rows
    seen: set[tuple[str, str]] = set()
    for e, acc, article, outlet, url, headline, published, evidence, date in rows:
        if (e.value, acc.value) in seen:
            continue
        seen.add((e.value, acc.value))
        events[e.value].sources.append(Source(
            account=acc.value, article=article.value, outlet=_v(outlet), url=_v(url),
            headline=_v(headline), published=_date(published), evidence=_v(evidence), date=_date(date)))
    for e in batch:
        events[e].sources.sort(key=lambda s: (s.published or dt.date.min, s.outlet, s.account))


def read_events(store: Store, filters: Filters = Filters(), *, accounts: bool = False) -> list[EventRow]:
    """The merged events (or accounts) that pass the filters, oldest first (undated last), each
    with its place chain, actors by role and sources."""
    events = _pick_events(store, filters, accounts)
    if not events:
        return []
    places, actors = read_places(store), read_actors(store)
    for ev in events.values():
        if ev.place is not None:
            ev.chain = place_chain(ev.place.iri, places)
            ev.place = ev.chain[0] if ev.chain else ev.place
    for batch in batched(list(events), BATCH):
        _add_roles(store, events, batch, actors)
        _add_sources(store, events, batch, accounts)
    return sorted(events.values(), key=_order)


def _order(ev: EventRow) -> tuple:
    first = ev.earliest or ev.date
    return (first is None, first or dt.date.min, ev.latest or dt.date.min, ev.cls, ev.iri)


def coord(x: float | None) -> str:
    """A coordinate with 5 decimals (about a metre), or empty."""
    return f"{x:.5f}" if x is not None else ""


def label(p: Place | None) -> str:
    return p.label if p is not None else ""


def distinct(values: Iterable[str]) -> list[str]:
    """The non-empty values in first-seen order, each once (for the `; `-joined columns)."""
    return list(dict.fromkeys(v for v in values if v))

"""What `kg report` shows, read from the store as plain JSON-ready data.

Every fact comes from SPARQL in .rq files: kg's own `kg/sparql/internal/report-*.rq` (merged events,
their roles, accounts, places, actors, changes of control, the places and actors a filter names)
and the named queries `supports` and `disputed-events`. The page needs everything at once (the map,
the timeline, the network and the lists filter each other in the browser), so each query reads the
whole store once and the joins happen here, by IRI, in dictionaries: a handful of scans instead of
one query per event. Actors and places are listed once and referred to by index, which keeps a
report of thousands of events small.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.graph.entities import name_key
from kg.sparql.internal import prefixed_query
from kg.sparql.named import run_named, with_bindings
from kg.store.base import Store

POINT = re.compile(r"POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", re.IGNORECASE)
ROLES = ("agent", "target", "supporter", "reportedBy")
GENERIC_CLASSES = {"Actor", "Place", "Agent"}


class ReportInputError(ValueError):
    """A filter names nothing in the store (one line for the user, exit status 1)."""


@dataclass
class Filters:
    """The report's restrictions; None means no restriction."""

    place: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actor: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"place": self.place, "from": _iso(self.date_from), "to": _iso(self.date_to), "actor": self.actor}


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _v(term: Any) -> str | None:
    return None if term is None else term.value


def _rows(store: Store, name: str, bindings: dict[str, Any] | None = None) -> list[dict[str, str | None]]:
    """The rows of internal query `name` as dictionaries of plain values."""
    text = prefixed_query(name)
    if bindings:
        text = with_bindings(text, bindings)
    res = store.query(text)
    return [{k: _v(t) for k, t in zip(res.variables, row)} for row in res.rows]


def _named_rows(store: Store, name: str, params: dict[str, str]) -> list[dict[str, str | None]]:
    res = run_named(store, name, params)
    return [{k: _v(t) for k, t in zip(res.variables, row)} for row in res.rows]


def _int(s: str | None) -> int | None:
    try:
        return int(s) if s is not None else None
    except ValueError:
        return None


class _Index:
    """IRIs to small integers, in the order first met, with a record per IRI."""

    def __init__(self) -> None:
        self.pos: dict[str, int] = {}
        self.items: list[dict[str, Any]] = []

    def add(self, iri: str, record: dict[str, Any]) -> int:
        if iri not in self.pos:
            self.pos[iri] = len(self.items)
            self.items.append(record)
        return self.pos[iri]


def _places(store: Store) -> dict[str, dict[str, Any]]:
    out = {}
    for r in _rows(store, "report-places"):
        m = POINT.search(r["wkt"] or "")
        kinds = sorted(set((r["kinds"] or "").split()) - GENERIC_CLASSES)
        out[r["place"]] = {"label": r["label"] or r["place"].rsplit("/", 1)[-1], "province": r["province"],
                           "kind": kinds[0] if kinds else None,
                           "country": r["country"],
                           "lat": round(float(m.group(2)), 5) if m else None,
                           "lon": round(float(m.group(1)), 5) if m else None}
    return out


def _actors(store: Store) -> dict[str, dict[str, Any]]:
    out = {}
    for r in _rows(store, "report-actors"):
        classes = sorted(set((r["classes"] or "").split()) - GENERIC_CLASSES)
        out[r["actor"]] = {"label": r["label"] or r["actor"].rsplit("/", 1)[-1],
                           "cls": classes[0] if classes else "Actor"}
    return out


def _named_set(store: Store, query: str, var: str, name: str, what: str) -> set[str]:
    found = {r[list(r)[0]] for r in _rows(store, query, {var: ox.Literal(name_key(name))})}
    if not found:
        raise ReportInputError(f"no {what} called {name!r} in the store")
    return found


def _in_range(ev: dict[str, Any], f: Filters) -> bool:
    if not f.date_from and not f.date_to:
        return True
    lo, hi = ev["from"] or ev["date"], ev["to"] or ev["date"]
    if lo is None or hi is None:
        return False
    return (not f.date_from or hi >= f.date_from.isoformat()) and (not f.date_to or lo <= f.date_to.isoformat())


def _events(store: Store, f: Filters, within: set[str] | None, actors: set[str] | None) -> list[dict[str, Any]]:
    """Merged events that pass the filters, with their roles (IRIs for now) and accounts."""
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: {r: [] for r in ROLES})
    for r in _rows(store, "report-roles"):
        roles[r["event"]][r["role"]].append(r["actor"])
    accounts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(store, "report-accounts"):
        accounts[r["event"]].append({k: r[k] for k in ("evidence", "outlet", "headline", "published", "date")}
                                    | {"url": _safe_url(r["url"]), "fatalities": _int(r["fatalities"])})
    out = []
    for r in _rows(store, "report-events"):
        ev = {"id": r["event"], "cls": r["eventClass"] or "Event", "place": r["place"], "date": r["date"],
              "from": r["earliest"], "to": r["latest"], "fmin": _int(r["fatalitiesMin"]),
              "fmax": _int(r["fatalitiesMax"]), "outlets": _int(r["sources"]) or 0,
              "disputed": sorted((r["disputedOn"] or "").split()), **roles[r["event"]],
              "accounts": sorted(accounts[r["event"]], key=lambda a: (a["published"] or "", a["outlet"] or ""))}
        if within is not None and ev["place"] not in within:
            continue
        if actors is not None and not actors & {a for k in ("agent", "target", "supporter") for a in ev[k]}:
            continue
        if _in_range(ev, f):
            out.append(ev)
    out.sort(key=lambda e: (e["from"] or e["date"] or "9999", e["id"]))
    return out


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links reach the page: a `javascript:` URL from a feed must not become a link."""
    return url if url and re.match(r"https?://", url, re.IGNORECASE) else None


def _fights(events: list[dict[str, Any]]) -> Counter:
    edges: Counter = Counter()
    for ev in events:
        for a in ev["agent"]:
            for t in ev["target"]:
                if a != t:
                    edges[(a, t)] += 1
    return edges


def _supports(store: Store, f: Filters) -> dict[tuple[str, str], list[dict[str, Any]]]:
    edges: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in _named_rows(store, "supports", {"actor": f.actor} if f.actor else {}):
        if f.date_to and r["asOf"] and r["asOf"] > f.date_to.isoformat():
            continue
        edges[(r["supporter"], r["supported"])].append(
            {"asOf": r["asOf"], "outlet": r["outlet"], "evidence": r["evidence"]})
    return edges


def _control(store: Store, f: Filters, within: set[str] | None, actors: set[str] | None) -> list[dict[str, Any]]:
    out = []
    for r in _rows(store, "report-control"):
        if within is not None and r["place"] not in within:
            continue
        if actors is not None and r["actor"] not in actors:
            continue
        if f.date_to and r["asOf"] and r["asOf"] > f.date_to.isoformat():
            continue
        out.append({k: r[k] for k in ("asOf", "change", "actor", "place", "outlet", "evidence")})
    return out


def _touching(supports: dict[tuple[str, str], list[dict[str, Any]]], events: list[dict[str, Any]],
              control: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The backing edges with an actor of the events or control statements shown at one end (a report
    of one place or period shows who backs its actors, not every backing in the store)."""
    involved = {a for e in events for k in ROLES for a in e[k]} | {c["actor"] for c in control}
    return {k: v for k, v in supports.items() if involved & set(k)}


def _disputed(store: Store, keep: set[str]) -> list[dict[str, Any]]:
    return [{"event": r["event"], "cls": r["eventClass"], "dispute": r["dispute"], "detail": r["detail"]}
            for r in _named_rows(store, "disputed-events", {}) if r["event"] in keep]


def report_data(store: Store, filters: Filters | None = None) -> dict[str, Any]:
    """Everything the page shows, as one JSON-ready dictionary (actors and places by index)."""
    f = filters or Filters()
    within = _named_set(store, "report-within", "placeKey", f.place, "place") if f.place else None
    actor_set = _named_set(store, "report-named", "actorKey", f.actor, "actor") if f.actor else None
    events = _events(store, f, within, actor_set)
    control = _control(store, f, within, actor_set)
    supports = _supports(store, f)
    if within is not None or f.date_from or f.date_to:
        supports = _touching(supports, events, control)
    place_info, actor_info = _places(store), _actors(store)
    places, actors = _Index(), _Index()

    def pl(iri: str | None) -> int | None:
        if iri is None:
            return None
        return places.add(iri, {"id": iri, **place_info.get(iri, {"label": iri.rsplit("/", 1)[-1]})})

    def ac(iri: str) -> int:
        return actors.add(iri, {"id": iri, **actor_info.get(iri, {"label": iri.rsplit("/", 1)[-1], "cls": "Actor"})})

    for ev in events:
        ev["place"] = pl(ev["place"])
        for k in ROLES:
            ev[k] = sorted({ac(a) for a in ev[k]})
    fights = [{"from": a, "to": t, "n": n} for (a, t), n in sorted(_fights(events).items())]
    sup = [{"from": ac(a), "to": ac(b), "n": len(v), "statements": v} for (a, b), v in sorted(supports.items())]
    ctl = [dict(c, actor=ac(c["actor"]), place=pl(c["place"])) for c in control]
    keep = {e["id"] for e in events}
    return {"filters": f.as_dict(), "events": events, "places": places.items, "actors": actors.items,
            "fights": fights, "supports": sup, "control": ctl, "disputed": _disputed(store, keep),
            "counts": {"events": len(events),
                       "located": sum(1 for e in events if e["place"] is not None
                                      and places.items[e["place"]].get("lat") is not None)}}


"""ACLED's 31 columns, in ACLED's order, for each merged event (or account): what conflict-kg
knows, coded the way ACLED codes it, and empty where it does not know (docs/exports.md says
column by column what is derived how).

Event and sub-event types come from the ontology's ACLED annotations (kg.model.vocab), actor
categories likewise; the interaction labels are ACLED's current text labels, or with
`numeric=True` the old codes 1-8 and their two-digit interaction. ACLED's actor columns carry no
direction: actor1 is the event's agent and actor2 its target, but an ACLED row does not say who
acted on whom.
"""

from __future__ import annotations

import json
import os
import time
from functools import lru_cache

from kg.model.classes import TERRITORY_CAPTURE
from kg.model.vocab import ACLED_ACTOR_CATEGORIES, ACLED_EVENT_TYPES, ACLED_SUB_EVENT_TYPES, NON_STATE, STATE_CLASSES
from kg.ops.exports.rows import Actor, EventRow, coord, distinct, label
from kg.runtime.resources import data_file

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
EXTRA = ("ckg_iri",)  # after ACLED's columns: the merged event's (or account's) IRI in the graph
ID_PREFIX = "CKG-"  # never an ACLED event_id_cnty (those start with a country's ISO 3 letters)

# ACLED's categories as the ontology names them (ckg:acledActorCategory) -> (old code, current label)
CATEGORIES = {
    "State Forces": (1, "State forces"), "Rebel Groups": (2, "Rebel group"),
    "Political Militias": (3, "Political militia"), "Identity Militias": (4, "Identity militia"),
    "Rioters": (5, "Rioters"), "Protesters": (6, "Protesters"), "Civilians": (7, "Civilians"),
    "External/Other Forces": (8, "External/Other forces"),
}
DISORDER = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Protests": "Demonstrations",
    "Riots": "Demonstrations", "Strategic developments": "Strategic developments",
}
TOWN_LEVEL = {"City", "Town", "Village", "Neighbourhood", "Facility"}
AREA_LEVEL = {"District", "Road", "Region"}
CAPTURE = {"state": "Government regains territory", "non-state": "Non-state actor overtakes territory"}


@lru_cache(maxsize=1)
def countries() -> dict[str, dict]:
    """ISO 3166-1 alpha-2 -> {"numeric": int | None, "region": ACLED region} (kg/data/countries.json)."""
    return json.loads(data_file("countries.json").read_text(encoding="utf-8"))["countries"]


def category(actor: Actor, event_country: str) -> tuple[int, str] | None:
    """ACLED's category of an actor: from the ontology's annotation of its class (the first one
    listed where a class has several, e.g. a Militia is a Political militia); a Country acting is
    its state forces. State forces acting outside their own country are External/Other forces, as
    ACLED codes foreign militaries."""
    names = sorted({n for c in actor.classes for n in ACLED_ACTOR_CATEGORIES.get(c, ())[:1]})
    if not names and actor.classes & STATE_CLASSES:
        names = ["State Forces"]
    if not names:
        return None
    code = min(CATEGORIES[n] for n in names if n in CATEGORIES)
    if code[0] == 1 and actor.country and event_country and actor.country != event_country:
        return CATEGORIES["External/Other Forces"]
    return code


def side(actors: list[Actor]) -> str:
    """'state', 'non-state' or '' for the agents of a capture (kg.model.vocab STATE_CLASSES / NON_STATE)."""
    classes = set().union(*(a.classes for a in actors)) if actors else set()
    if classes & STATE_CLASSES:
        return "state"
    return "non-state" if classes & NON_STATE else ""


def event_types(ev: EventRow) -> tuple[str, str]:
    """(event_type, sub_event_type) from the ontology's ACLED annotations; a TerritoryCapture is a
    battle won by the government or by a non-state actor, by its agent's class (empty sub-type when
    the agent is unknown); a class with several sub-types takes the first; a class with no ACLED
    type (Killing) gets none."""
    types = ACLED_EVENT_TYPES.get(ev.cls, ())
    subs = ACLED_SUB_EVENT_TYPES.get(ev.cls, ())
    if ev.cls == TERRITORY_CAPTURE:
        return types[0] if types else "", CAPTURE.get(side(ev.actors("agent")), "")
    return (types[0] if types else ""), (subs[0] if subs else "")


def time_precision(ev: EventRow) -> str:
    """ACLED's 1 (the day is known), 2 (within a week) or 3 (within a month or less known).
    1 only for a date read in the text; the publication day taken for the event's day is 2."""
    if ev.date is not None:
        return "1" if ev.date_read_in_text() else "2"
    if ev.earliest and ev.latest:
        return "2" if (ev.latest - ev.earliest).days <= 7 else "3"
    return ""


def geo_precision(ev: EventRow) -> str:
    """ACLED's 1 (the town itself), 2 (near it, or a part of a region: a district, a road) or 3 (a
    province or larger); empty without coordinates."""
    if ev.place is None or ev.place.lon is None:
        return ""
    if ev.place.cls in TOWN_LEVEL:
        return "1"
    return "2" if ev.place.cls in AREA_LEVEL else "3"


def _interaction(c1: tuple[int, str] | None, c2: tuple[int, str] | None, numeric: bool) -> str:
    if c1 is None and c2 is None:
        return ""
    pair = sorted(c for c in (c1, c2) if c is not None)
    if numeric:
        return f"{pair[0][0]}{pair[1][0] if len(pair) > 1 else 0}"
    return "-".join(c[1] for c in pair) if len(pair) > 1 else f"{pair[0][1]} only"


def principal_first(actors: list[Actor], event_country: str) -> list[Actor]:
    """The actors with an ACLED category before the others (a monitor or a media centre named as a
    target is not ACLED's actor2 when armed rebels are beside it), otherwise by name."""
    return sorted(actors, key=lambda a: (category(a, event_country) is None, a.label, a.iri))


def _labels(actors: list[Actor]) -> str:
    return "; ".join(distinct(a.label or a.iri for a in actors))


def event_id(ev: EventRow) -> str:
    """CKG-<the IRI's hash part>: a merged event's 20 hex, an account's article hash and offset."""
    tail = ev.iri.split("/merged/")[-1] if "/merged/" in ev.iri else "-".join(ev.iri.split("/")[-2:])
    return ID_PREFIX + tail


def export_timestamp() -> str:
    """Unix time of the export (ACLED: when the row was last written); SOURCE_DATE_EPOCH if set,
    for a reproducible file."""
    return os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))


def _actor_columns(ev: EventRow, country_iri: str, numeric: bool) -> dict[str, str]:
    """actor1/2, assoc_actor_1/2, inter1/2, interaction, civilian_targeting: the agent with an
    ACLED category first is actor1 (the other agents and the backers its associates), the target
    likewise actor2."""
    agents = principal_first(ev.actors("agent"), country_iri)
    targets = principal_first(ev.actors("target"), country_iri)
    c1 = category(agents[0], country_iri) if agents else None
    c2 = category(targets[0], country_iri) if targets else None
    code = (lambda c: "" if c is None else str(c[0]) if numeric else c[1])
    assoc1 = agents[1:] + [s for s in ev.actors("supporter") if s not in agents]
    return {
        "actor1": _labels(agents[:1]), "assoc_actor_1": _labels(assoc1), "inter1": code(c1),
        "actor2": _labels(targets[:1]), "assoc_actor_2": _labels(targets[1:]), "inter2": code(c2),
        "interaction": _interaction(c1, c2, numeric),
        "civilian_targeting": "Civilian targeting" if any("Civilians" in t.classes for t in targets) else "",
    }


def _place_columns(ev: EventRow) -> dict[str, str]:
    """iso, region, country, admin1-3, location, latitude, longitude, geo_precision."""
    country = ev.country()
    cc = country.cc if country else (ev.place.cc if ev.place else "")
    info = countries().get(cc.upper(), {}) if cc else {}
    districts = ev.districts()  # nearest first
    place = ev.place
    return {
        "iso": str(info["numeric"]) if info.get("numeric") is not None else "",
        "region": info.get("region", ""), "country": label(country),
        "admin1": label(ev.level("Province")), "admin2": label(districts[-1] if districts else None),
        "admin3": label(districts[-2] if len(districts) > 1 else None),
        "location": label(place), "latitude": coord(place.lat if place else None),
        "longitude": coord(place.lon if place else None), "geo_precision": geo_precision(ev),
    }


def acled_row(ev: EventRow, *, numeric: bool = False, timestamp: str = "") -> dict[str, str]:
    """The ACLED columns (and ckg_iri) of one event, as strings, in ACLED's order."""
    country = ev.country()
    etype, sub = event_types(ev)
    day = ev.first_day()
    cells = {
        "event_id_cnty": event_id(ev), "event_date": day.isoformat() if day else "",
        "year": str(day.year) if day else "", "time_precision": time_precision(ev),
        "disorder_type": DISORDER.get(etype, ""), "event_type": etype, "sub_event_type": sub,
        **_actor_columns(ev, country.iri if country else "", numeric), **_place_columns(ev),
        "source": "; ".join(distinct([s.outlet for s in ev.sources] + [a.label for a in ev.actors("reportedBy")])),
        "source_scale": "", "notes": " | ".join(distinct(s.evidence for s in ev.sources)),
        "fatalities": str(ev.fatalities_min) if ev.fatalities_min is not None else "",
        "tags": "", "timestamp": timestamp, "ckg_iri": ev.iri,
    }
    return {k: cells[k] for k in COLUMNS + EXTRA}


def acled_rows(events: list[EventRow], *, numeric: bool = False) -> list[dict[str, str]]:
    stamp = export_timestamp()
    return [acled_row(ev, numeric=numeric, timestamp=stamp) for ev in events]

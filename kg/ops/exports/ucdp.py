"""UCDP GED's column names for what conflict-kg knows of each merged event (or account): sides,
place and precision codes, date range and the toll range as best/low/high. Columns UCDP fills
from its own conflict register (conflict_new_id, dyad_new_id, side ids, ...) are not made up:
conflict_name is empty (UCDP names a conflict by its incompatibility, which no article states)
and dyad_name is the two sides' names when both are known (docs/exports.md).
"""

from __future__ import annotations

from kg.model.classes import TERRITORY_CAPTURE
from kg.model.classes import VIOLENT as CLASH_VIOLENT
from kg.model.vocab import NON_STATE, STATE_CLASSES
from kg.ops.exports.rows import Actor, EventRow, coord, distinct, label

COLUMNS = (
    "id", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b",
    "source_article", "source_original", "where_prec", "adm_1", "adm_2", "latitude", "longitude",
    "country", "date_start", "date_end", "date_prec", "best", "low", "high", "ckg_iri",
)
# UCDP's where_prec by the place's ckg: class: 1 the exact place, 3 a second-order division,
# 4 a first-order division, 5 a linear feature or an area that is no division, 6 only the country
WHERE_PREC = {"City": "1", "Town": "1", "Village": "1", "Neighbourhood": "1", "Facility": "1",
              "District": "3", "Province": "4", "Road": "5", "Region": "5", "Country": "6"}
# classes that are organised violence in UCDP's sense; a protest, arrest or ceasefire is not
VIOLENT = CLASH_VIOLENT | {TERRITORY_CAPTURE}


def _is(actors: list[Actor], classes: frozenset[str] | set[str]) -> bool:
    return any(a.classes & classes for a in actors)


def violence_type(ev: EventRow) -> str:
    """UCDP's 1 (state-based: a state on one side), 2 (non-state: organised groups on both
    sides), 3 (one-sided: an organised actor against civilians); empty when the sides do not say."""
    if ev.cls not in VIOLENT:
        return ""
    agents, targets = ev.actors("agent"), ev.actors("target")
    armed = STATE_CLASSES | NON_STATE
    if _is(targets, {"Civilians"}) and _is(agents, armed) and not _is(targets, armed):
        return "3"
    if _is(agents + targets, STATE_CLASSES) and _is(agents, armed) and _is(targets, armed):
        return "1"
    if _is(agents, NON_STATE) and _is(targets, NON_STATE):
        return "2"
    return ""


def sides(ev: EventRow, kind: str) -> tuple[list[Actor], list[Actor]]:
    """(side_a, side_b): the agents and the targets; in a state-based event UCDP puts the state
    on side A, so a non-state agent attacking a state swaps."""
    agents, targets = ev.actors("agent"), ev.actors("target")
    if kind == "1" and not _is(agents, STATE_CLASSES):
        return targets, agents
    return agents, targets


def date_prec(ev: EventRow) -> str:
    """UCDP's 1 (the day), 2 (within 2-6 days), 3 (the week), 4 (8-30 days), 5 (more than a month);
    the publication day taken for the event's day counts as 2."""
    if ev.date is not None:
        return "1" if ev.date_read_in_text() else "2"
    if not (ev.earliest and ev.latest):
        return ""
    days = (ev.latest - ev.earliest).days + 1
    return "2" if days <= 6 else "3" if days == 7 else "4" if days <= 30 else "5"


def _names(actors: list[Actor]) -> str:
    return "; ".join(distinct(a.label or a.iri for a in actors))


def _n(x: int | None) -> str:
    return str(x) if x is not None else ""


def ucdp_row(ev: EventRow) -> dict[str, str]:
    """The UCDP columns (and ckg_iri) of one event, as strings."""
    kind = violence_type(ev)
    a, b = sides(ev, kind)
    start, end = ev.first_day(), ev.latest or ev.date
    districts, place = ev.districts(), ev.place
    articles = distinct(", ".join(x for x in (s.outlet, s.published.isoformat() if s.published else "",
                                              s.headline, s.url) if x) for s in ev.sources)
    return {
        "id": ev.iri.rsplit("/", 1)[-1] if "/merged/" in ev.iri else "-".join(ev.iri.split("/")[-2:]),
        "year": str(start.year) if start else "", "type_of_violence": kind, "conflict_name": "",
        "dyad_name": f"{_names(a)} - {_names(b)}" if a and b else "",
        "side_a": _names(a), "side_b": _names(b), "source_article": "; ".join(articles),
        "source_original": "; ".join(distinct(x.label for x in ev.actors("reportedBy"))),
        "where_prec": WHERE_PREC.get(place.cls, "") if place and ev.located() else "",
        "adm_1": label(ev.level("Province")), "adm_2": label(districts[-1] if districts else None),
        "latitude": coord(place.lat if place else None), "longitude": coord(place.lon if place else None),
        "country": label(ev.country()),
        "date_start": start.isoformat() if start else "", "date_end": end.isoformat() if end else "",
        "date_prec": date_prec(ev),
        # best: the lowest stated toll, as ckg:fatalities is the minimum stated (docs/exports.md)
        "best": _n(ev.fatalities_min), "low": _n(ev.fatalities_min), "high": _n(ev.fatalities_max),
        "ckg_iri": ev.iri,
    }

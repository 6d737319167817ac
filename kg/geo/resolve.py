"""Resolve a place name read in an article to one gazetteer place.

`resolve_place(name, countries=..., level=...)` looks the name up (see `kg.geo.normalise`),
keeps the credible candidates and ranks them by, in this order:

1. a country named so (unless another level was asked for): "Lebanon" is the country;
2. the level asked for or written in the name ("Homs province" -> Province, "Hama city" ->
   City); Province/District/Country restrict to that class, City/Town/Village to populated
   places and prefer the exact class;
3. the whole name matching (so "Marawi City" is the place called so, not "Marawi" + city);
4. a score (`_score`): the article's country context (`countries`, most relevant first: the
   first is the article's own country and weighs most, the others a little), a primary name
   over an alternate one, and importance: a province before a district before a populated place
   of the same country, then feature code (PPLC > PPLA > PPLA2 > ... > PPL) and population.
   A province's own capital of the same name (a district's namesake place in it, seat or not:
   GeoNames flags few seats of its 47,000 districts) ranks just above it, since a bare
   "Aleppo", "Kabul" or "Harnai" in the news is the city or town; the division is written
   "Aleppo province" (or asked for with level="Province").

Credible (`_credible`) means: in the article's own country, anything; in another country the
article names, a town or city (5,000 people or a seat; a province; a district only when asked
for); elsewhere only a notable place (a national or provincial capital, or 100,000 people; by an
alternate name only a national capital or a provincial capital of 100,000) or a province by its
own name; without any context, no villages: a town of 15,000 or a seat. A name that is an
ordinary English word ("Sunday", "Hope", "Police"; also the continents) needs the place to lie
in a context country (unless it is a country, or a provincial or national capital of 100,000
people), is never a village unless in the article's own country with its level word, and is
never a place when written all in lower case. Acronyms of up to three capitals ("UN", "AFP")
are only countries ("US", "UK"). Nothing credible -> None.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence

from kg.geo.gazetteer import POPULATED, GazPlace, Gazetteer, place_iri_suffix
from kg.geo.normalise import normalise_place
from kg.runtime.resources import data_file

__all__ = ["resolve_place", "split_level", "place_iri_suffix", "LEVEL_WORDS"]

# level words written after (or before "of") a name, and the class they ask for
LEVEL_WORDS: dict[str, str | None] = json.loads(data_file("gazetteer_levels.json").read_text(encoding="utf-8"))["levels"]
LEVELS = ("Country", "Province", "District", "City", "Town", "Village", "Neighbourhood")
NOT_IN_GAZETTEER = ("Region", "Road", "Facility")

_TRAILING = re.compile(r"^(?P<base>.+?)[\s-]+(?P<word>" + "|".join(LEVEL_WORDS) + r")\.?$",
                       re.IGNORECASE)
_LEADING = re.compile(r"^(?:the\s+)?(?P<word>" + "|".join(LEVEL_WORDS) + r")\s+of\s+(?P<base>.+)$",
                      re.IGNORECASE)

# a national capital is known world-wide: it outranks a small namesake even in the article's own
# country ("Moscow" in an article about the United States)
_FEATURE_RANK = {"PPLC": 9, "PPLA": 5, "PPLG": 5, "PPLA2": 4, "PPLA3": 3, "PPLA4": 2,
                 "PPLA5": 2, "PPL": 1, "PPLX": -1}
MAIN_BONUS = 8.0  # the article's own country (enough for a town of 5,000 over a foreign PPLA)
SECONDARY_BONUS = 3.0  # another country the article names
PRIMARY_BONUS = 3.0  # a place's own name over one of its alternate names
NOTABLE_POP = 100_000  # a place this big is known outside its country
SECONDARY_POP = 5_000  # in a country the article names but is not about: at least a town
NO_CONTEXT_POP = 15_000  # without any country context: a sizeable town or a seat


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
    if level is not None:
        level = level.strip().capitalize().replace("Neighborhood", "Neighbourhood")
        if level in NOT_IN_GAZETTEER:
            return None  # a region, road or facility is no gazetteer place
        if level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    full, base, level = _read_name(name, level, gaz)
    found = _of_level(_matches(gaz, full, base), level)
    if not found:
        return None
    # an ordinary English word, as matched: "Free State" is a name though "free" is a word
    common_full = gaz.is_common_word(full)
    common_base = common_full if base == full else gaz.is_common_word(base)
    if (common_full or common_base) and full == full.lower():
        return None  # "hope", "police": words, not names
    if full.isupper() and len(full) <= 3:  # "UN", "AFP", "ISW": acronyms, unless of a country
        found = {k: v for k, v in found.items() if v[0].cls == "Country"}
    main = ctx[0] if ctx else None
    cands = [c for c in found.values()
             if _credible(*c, main=main, ctx=ctx, level=level,
                          common=common_full if c[2] else common_base)]
    return _best(cands, ctx, level) if cands else None


_Match = tuple[GazPlace, bool, bool]  # (place, by its primary name, by the whole name)


def _read_name(name: str, level: str | None, gaz: Gazetteer) -> tuple[str, str, str | None]:
    """The name as written, the name without its level word, and the level asked for or
    written ("northern Homs province" -> "Homs province", "Homs", Province)."""
    full = " ".join(name.split())
    if not gaz.is_known_name(full) and not gaz.is_known_name(split_level(full)[0]):
        full, desc_level = _strip_descriptors(full)
        level = level or desc_level
    base, word_level = split_level(full)
    return full, base, level or word_level


def _matches(gaz: Gazetteer, full: str, base: str) -> dict[str, _Match]:
    """Places called the whole name or the name without its level word, by key; a place met
    both ways keeps its best match."""
    found: dict[str, _Match] = {}
    for text, whole in ((full, True), (base, False)) if base != full else ((full, True),):
        for p, primary in gaz.matches(text):
            old = found.get(p.key)
            if old is None or (primary, whole) > (old[1], old[2]):
                found[p.key] = (p, primary, whole)
    return found


def _of_level(found: dict[str, _Match], level: str | None) -> dict[str, _Match]:
    """Province/District/Country/Neighbourhood restrict to that class, City/Town/Village to
    populated places."""
    if level in ("Country", "Province", "District", "Neighbourhood"):
        return {k: v for k, v in found.items() if v[0].cls == level}
    if level in ("City", "Town", "Village"):
        return {k: v for k, v in found.items() if v[0].cls in POPULATED}
    return found


def _best(cands: list[_Match], ctx: list[str], level: str | None) -> GazPlace:
    """The highest ranked candidate (see the module docstring, 1-4)."""
    # a province's (district's) capital of the same name stands for the bare name
    div_score = {p.key: _score(p, primary, ctx) for p, primary, _ in cands
                 if p.cls in ("Province", "District")}

    def rank(c: _Match) -> tuple:
        p, primary, whole = c
        score = _score(p, primary, ctx)
        if level is None and p.cls in POPULATED:
            if p.admin1 in div_score and p.feature in _CAPITAL:
                score = max(score, div_score[p.admin1] + 0.5)
            if p.admin2 in div_score:  # a district's namesake in it: its seat, whatever
                score = max(score, div_score[p.admin2] + 0.5)  # GeoNames' feature code says
        return (p.cls == "Country" and level in (None, "Country"), p.cls == level, whole, score)

    return max(cands, key=rank)[0]


_CAPITAL = frozenset({"PPLC", "PPLA", "PPLG"})
_SEAT = frozenset({"PPLC", "PPLA", "PPLG", "PPLA2"})


def _credible(p: GazPlace, primary: bool, whole: bool, *, main: str | None, ctx: list[str],
              level: str | None, common: bool) -> bool:
    """Whether `p` may be meant at all (see the module docstring)."""
    if p.cls == "Country":
        return True
    big_capital = p.feature in ("PPLC", "PPLA") and p.population >= NOTABLE_POP
    if p.cc == main:  # the article's own country: anything, but an English word needs its level
        return not (common and p.cls in ("Village", "Neighbourhood") and level is None)
    if common and not big_capital and (p.cc not in ctx or p.cls not in ("City", "Town")):
        return False
    if p.cls == "Province":  # its alternate names are curated (ISO, capital's names)
        return primary or p.cc in ctx or not ctx
    if p.cls == "District":
        return level == "District" and primary
    if p.cls not in ("City", "Town") and not (primary and _notable(p)):
        return False  # villages and neighbourhoods only in the article's own country
    if not primary:  # an exonym ("Geneva" for Genève), or one of many foreign spellings
        if p.cc in ctx:
            return p.population >= 2 * SECONDARY_POP or p.feature in _SEAT
        return p.feature == "PPLC" or (p.feature == "PPLA" and p.population >= NOTABLE_POP)
    if p.cc in ctx:  # another country the article names
        return p.population >= SECONDARY_POP or p.feature in _SEAT
    if ctx:
        return _notable(p)
    return p.population >= NO_CONTEXT_POP or p.feature in _SEAT


def _score(p: GazPlace, primary: bool, ctx: list[str]) -> float:
    """How likely `p` is meant: its country's place in the context (the article's own country
    +8, another country it names +3), the standing of a division (a province before any
    populated place of its country; outside the context only as a PPLA would be), feature code
    and population, and +3 for a primary name."""
    pop = math.log10(p.population + 1)
    in_ctx = p.cc in ctx or not ctx
    if p.cls == "Province":
        s = (7.0 if in_ctx else 4.0) + pop
    elif p.cls == "District":
        s = (4.5 if in_ctx else 3.0) + pop
    else:
        s = _FEATURE_RANK.get(p.feature or "", 0) + pop
    if primary:
        s += PRIMARY_BONUS
    if ctx and p.cc == ctx[0]:
        s += MAIN_BONUS
    elif p.cc in ctx:
        s += SECONDARY_BONUS
    return s

"""Loads the word lists and the actor lexicon (kg/data/*.json) once per process.

Everything language-specific the extractor knows lives in those files, so that a new conflict
needs data, not code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kg.model.text import strip_marks, unify_quotes
from kg.runtime.resources import data_file


@lru_cache(maxsize=None)
def load_json(name: str) -> dict[str, Any]:
    return json.loads(data_file(name).read_text(encoding="utf-8"))


def patterns() -> dict[str, Any]:
    return load_json("patterns.json")


@lru_cache(maxsize=None)
def word_sets(name: str) -> dict[str, frozenset[str]]:
    """The word lists of kg/data/<name> as sets: the components only ask whether a word is in one,
    for every token, so a set is the form worth keeping."""
    return {k: frozenset(v) for k, v in load_json(name).items() if isinstance(v, list)}


def place_words() -> dict[str, frozenset[str]]:
    """kg/data/places.json: locative prepositions, titles, name connectors, words no place is."""
    return word_sets("places.json")


def actor_words() -> dict[str, frozenset[str]]:
    """kg/data/actor_words.json: role nouns of people, description heads, words no actor is."""
    return word_sets("actor_words.json")


@lru_cache(maxsize=1)
def relation_words() -> dict[str, Any]:
    """kg/data/relations.json with its word lists as sets (the relation readers test membership)."""
    return {k: (set(v) if isinstance(v, list) else v) for k, v in load_json("relations.json").items()}


def event_lexicon() -> dict[str, Any]:
    return load_json("events.json")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase, strip diacritics, unify quotes and dashes, drop a leading 'the': the form
    names are compared in."""
    t = unify_quotes(strip_marks(text), backtick=False, marks=False, dashes=True)
    t = re.sub(r"\s+", " ", t.lower()).strip()
    t = re.sub(r"^the ", "", t)
    t = re.sub(r"'s$", "", t)
    return t


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


_SIDES = load_json("state_sides.json")
# a named unit ("Republican Guard", "4th Division") is no state's generic side
UNIT_WORDS = re.compile(r"\b(" + "|".join(_SIDES["unit_words"]) + r")\b", re.IGNORECASE)
GENERIC_STATE_WORDS = frozenset(_SIDES["generic_state_words"])


def generic_state_name(folded: str) -> bool:
    """'Sudanese Army', 'the Government of Mali', 'Syrian regime': the country's own side, one node.
    'National Unity Government', 'Government of National Accord', 'Republican Guard': a named body."""
    words = [w for w in re.split(r"[\s'-]+", folded) if w]
    rest = [w for w in words if w not in GENERIC_STATE_WORDS and w not in nationality_words() and w not in country_words()]
    return not rest and "national" not in words[:1] or (not rest and len(words) <= 2)


STATE_MEDIA = re.compile(r"\bstate[- ](run )?(television|tv|media|broadcaster)\b", re.IGNORECASE)


@dataclass
class LexActor:
    id: str
    name: str
    cls: str
    country: str | None
    aliases: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    wikidata: str | None = None
    theatres: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """A state's main army, air force, navy or government is the same node as the generic
        side ("the army", "Syrian troops"), so graphs from different wordings merge. Named units
        (a Republican Guard) and named governments (a National Unity Government, a Government of
        National Accord) stay apart."""
        roles = patterns()["generic_role_keys"]
        if (self.country and self.cls in ("Army", "AirForce", "Navy", "Government") and not UNIT_WORDS.search(self.name)
                and (self.cls != "Government" or generic_state_name(fold(self.name)))):
            return f"{self.country.lower()}/{roles[self.cls]}"
        if self.country and self.cls == "MediaOutlet" and STATE_MEDIA.search(self.name):
            return f"{self.country.lower()}/{roles[self.cls]}"  # "Syrian state television" = "state media"
        return self.id


@lru_cache(maxsize=1)
def actor_lexicon() -> list[LexActor]:
    try:
        data = load_json("actors.json")
    except FileNotFoundError:
        return []
    out = []
    for a in data.get("actors", []):
        out.append(
            LexActor(
                id=a["id"],
                name=a["name"],
                cls=a["class"],
                country=a.get("country"),
                aliases=list(a.get("aliases") or []),
                acronyms=list(a.get("acronyms") or []),
                wikidata=a.get("wikidata"),
                theatres=list(a.get("theatres") or []),
            )
        )
    return out


GLOBAL_THEATRE = "Global"


@lru_cache(maxsize=None)
def home_countries(actor_id: str) -> frozenset[str] | None:
    """The countries a lexicon actor belongs to or fights in (its country and its theatres'
    countries), or None for one that fits anywhere (a 'Global' theatre, or no country: a movement
    across borders such as the Islamic State): an
    acronym or name is that actor only in an article of its theatre ("SNA" in a Somali article is
    the Somali National Army, not the Syrian National Army)."""
    a = next((x for x in actor_lexicon() if x.id == actor_id), None)
    if a is None or a.country is None or GLOBAL_THEATRE in a.theatres:
        return None
    spans = load_json("actors.json").get("theatre_countries") or {}
    cw = country_words()
    out = {a.country} if a.country else set()
    for t in a.theatres:
        out.update(spans.get(t) or ([cw[fold(t)]] if fold(t) in cw else []))
    return frozenset(out) or None


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    """ISO2 -> world region (kg/data/countries.json, ACLED's region names); '' when not known."""
    try:
        return {cc: v.get("region") or "" for cc, v in load_json("countries.json")["countries"].items()}
    except FileNotFoundError:
        return {}


def regions_of(countries: frozenset[str] | set[str]) -> set[str]:
    """The world regions of some countries: a group of one theatre crosses into its neighbours
    (JNIM in northern Benin or Nigeria), not across the world (a Haitian gang called "Taliban")."""
    reg = _regions()
    return {reg[c] for c in countries if reg.get(c)}


@lru_cache(maxsize=None)
def _demonym_table(section: str) -> dict[str, str]:
    """One section of demonyms.json (folded key -> ISO2); empty when the file is absent."""
    try:
        d = load_json("demonyms.json")
    except FileNotFoundError:
        return {}
    return {fold(k): v for k, v in (d.get(section) or {}).items()}


def nationality_words() -> dict[str, str]:
    """'syrian' -> SY: adjectives that name a side ('Syrian troops')."""
    return _demonym_table("nationalities")


def country_words() -> dict[str, str]:
    """'syria', 'britain', 'drc' -> ISO2: names and short forms of countries."""
    return _demonym_table("country_names")


def metonyms() -> dict[str, str]:
    """'moscow', 'kremlin' -> ISO2: seats of government that stand for it."""
    return _demonym_table("metonyms")


@lru_cache(maxsize=None)
def country_adjective(cc: str) -> str:
    """The adjective used in generic labels ("Syrian army"); falls back to the code."""
    words = [w for w, code in nationality_words().items() if code == cc and "." not in w and len(w) > 3]
    if not words:
        return cc
    # the adjective made from a one-word name of the country ("Philippine", not "Filipina"; "Azerbaijani",
    # not "Azeri"), else the shortest real one (not a code like "drc" or "u.s.")
    names = [n for n, code in country_words().items() if code == cc and " " not in n]
    own = [w for w in words if any(w[: min(5, len(n))] == n[: min(5, len(n))] for n in names)]
    best = min(own or words, key=lambda w: (len(w), w))
    return " ".join(w.capitalize() for w in best.split())


@lru_cache(maxsize=1)
def _org_keywords() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(rf"\b({rx})\b"), cls) for rx, cls in patterns()["org_keywords"]]


@lru_cache(maxsize=65536)
def keyword_class(name: str) -> str | None:
    """Class of an organisation from keywords in its name (org_keywords in patterns.json).

    Cached: every component asks it of the same names (each NER span, each candidate place),
    and each answer is a dozen regular-expression searches."""
    low = f" {fold(name)} "
    for rx, cls in _org_keywords():
        if rx.search(low):
            return cls
    return None

"""What kind of name a candidate is before the gazetteer is asked: a people's adjective, a
weapon, a natural feature or a region larger than a country.

The gazetteer holds settlements and divisions only, and many of them share a name with something
else: 'Arab' is a town in Alabama, 'Red Sea' a Sudanese state, 'Black Mountain' a town in North
Carolina, 'Somali' an Ethiopian region, 'Asia' a Philippine village. Asking it about such a name
finds a place; so the words that say what the name is are read first, from the word lists in
kg/data/places.json and kg/data/demonyms.json.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from kg.nlp.lexicon import country_words, fold, load_json, nationality_words, place_words
from kg.nlp.places.levels import directions, level_words

_WORDS = place_words()
WEAPONS = _WORDS["weapons"]
FEATURES = _WORDS["natural_features"]
FEATURE_PREFIXES = _WORDS["natural_feature_prefixes"]
WORLD_REGIONS = _WORDS["world_regions"]
# a level word that names an administrative unit: 'Red Sea state' is the state, not the sea
ADMIN_LEVELS = ("Province", "District", "City", "Town", "Village", "Neighbourhood")


@lru_cache(maxsize=1)
def people_words() -> frozenset[str]:
    """Nationality adjectives ('Somali', 'Lebanese') and the words for peoples, faiths and
    language communities ('Arab', 'Alawites', 'Anglophone'): adjectives, never places."""
    groups = load_json("demonyms.json").get("groups") or []
    return frozenset(nationality_words()) | frozenset(fold(g) for g in groups)


def is_weapon(f: str) -> bool:
    """'Katyusha', 'Grad', 'Storm Shadow' (folded)."""
    return f in WEAPONS


def is_people_word(f: str) -> bool:
    return f in people_words() and f not in country_words()


def is_natural_feature(f: str) -> bool:
    """'red sea', 'black mountain', 'lake tanganyika', 'gulf of aden': a head word of a natural
    feature at the end, or one that opens a longer name. A country ('Ivory Coast') is not one."""
    words = f.split()
    if len(words) < 2 or f in country_words():
        return False
    return words[-1] in FEATURES or words[0] in FEATURE_PREFIXES


def is_world_region(f: str) -> bool:
    """'middle east', 'west africa', 'caucasus': larger than any one country."""
    return f in WORLD_REGIONS


def world_region_start(doc: Doc, start: int, end: int) -> int | None:
    """Where a world region named at [start, end) begins when a direction word written before it
    belongs to the name ('west Africa', 'North Caucasus'); None when [start, end) is no world
    region with or without it."""
    if start > 0 and is_world_region(fold(doc[start - 1 : end].text)):
        return start - 1
    return start if is_world_region(fold(doc[start:end].text)) else None


def is_vacuous(doc: Doc, start: int, end: int) -> bool:
    """A name made only of adjectives, peoples' words, directions and function words ('Pakistani
    city', 'Kurdish town', 'Their region', 'Southern Province', 'Regional'): a description, not
    a name. A proper noun among them (as spaCy tags it) makes it a name."""
    levels, dirs = level_words(), directions()
    words = [t for t in doc[start:end] if t.lower_ not in levels or t.i == start]
    if not words:
        return False
    for t in words:
        f = fold(t.text)
        if is_people_word(f) or f in dirs or t.is_stop or t.is_punct:
            continue
        if t.pos_ == "ADJ":
            continue
        return False
    return True


def leads_with_people_word(doc: Doc, start: int, end: int) -> bool:
    """'Syrian Hasakeh', 'Iraqi Kurdistan region': a nationality before a name describes it;
    the name itself is the rest (a candidate of its own). 'Somali Region' keeps its word: what
    follows the adjective is only a level word."""
    if end - start < 2 or not is_people_word(fold(doc[start].text)):
        return False
    rest = [t.lower_ for t in doc[start + 1 : end]]
    return not all(w in level_words() for w in rest)

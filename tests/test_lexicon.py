"""Validation of the shipped lexicon data: kg/data/actors.json and kg/data/demonyms.json.

actors.json
    {"version": "X.Y.Z", "actors": [entry, ...]} where each entry has
    id (unique kebab-case), name, aliases, acronyms, class, country (ISO 3166-1 alpha-2 or null),
    wikidata ("Q..." or null), theatres, and optionally
    note (free text explaining a doubtful classification) and
    disambiguation (ids of the other entries that legitimately share a surface form).

Surface-form uniqueness: a name, alias or acronym (compared case-insensitively, after
stripping a leading "the ") may belong to one entry only, unless every entry claiming it
lists all the others in its "disambiguation" field.

demonyms.json
    {"version": "X.Y.Z", "nationalities": {adjective: alpha2}, "metonyms": {capital: alpha2},
     "country_names": {name: alpha2}}
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

DATA = Path(__file__).resolve().parents[1] / "kg" / "data"
ACTORS = DATA / "actors.json"
DEMONYMS = DATA / "demonyms.json"

ALLOWED_CLASSES = {
    "Army", "AirForce", "Navy", "StateForce", "SecurityForce", "Police", "Government",
    "RebelGroup", "JihadistGroup", "Militia", "Monitor", "MediaOutlet", "Organisation",
}
ENTRY_KEYS = {"id", "name", "aliases", "acronyms", "class", "country", "wikidata", "theatres"}
OPTIONAL_KEYS = {"note", "disambiguation"}
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QID = re.compile(r"^Q[1-9][0-9]*$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
ISO2 = {c.alpha_2 for c in pycountry.countries}


def surface_key(form: str) -> str:
    """The comparison key for a surface form: case-folded, leading 'the ' removed, spaces squeezed."""
    key = " ".join(form.split()).casefold()
    if key.startswith("the "):
        key = key[4:]
    return key


@pytest.fixture(scope="module")
def actors_doc() -> dict:
    with ACTORS.open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def actors(actors_doc) -> list[dict]:
    return actors_doc["actors"]


@pytest.fixture(scope="module")
def demonyms() -> dict:
    with DEMONYMS.open(encoding="utf-8") as fh:
        return json.load(fh)


# --------------------------------------------------------------------------- actors.json

def test_actors_document_shape(actors_doc):
    assert set(actors_doc) == {"version", "actors", "theatre_countries"}
    theatres = {k: v for k, v in actors_doc["theatre_countries"].items() if k != "comment"}
    assert theatres and all(v and all(re.fullmatch(r"[A-Z]{2}", c) for c in v) for v in theatres.values())
    assert SEMVER.match(actors_doc["version"])
    assert isinstance(actors_doc["actors"], list)


def test_at_least_250_actors(actors):
    assert len(actors) >= 250


def test_entry_fields_and_types(actors):
    for e in actors:
        keys = set(e)
        assert ENTRY_KEYS <= keys, (e.get("id"), ENTRY_KEYS - keys)
        assert keys <= ENTRY_KEYS | OPTIONAL_KEYS, (e["id"], keys - ENTRY_KEYS - OPTIONAL_KEYS)
        assert isinstance(e["name"], str) and e["name"].strip() == e["name"] and e["name"], e["id"]
        for fld in ("aliases", "acronyms", "theatres"):
            assert isinstance(e[fld], list), (e["id"], fld)
            for v in e[fld]:
                assert isinstance(v, str) and v and v.strip() == v, (e["id"], fld, v)
        assert e["theatres"], f"{e['id']} has no theatre"
        if "note" in e:
            assert isinstance(e["note"], str) and e["note"].strip()


def test_ids_unique_and_kebab_case(actors):
    ids = [e["id"] for e in actors]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, dupes
    bad = [i for i in ids if not KEBAB.match(i)]
    assert not bad, bad


def test_classes_allowed(actors):
    bad = [(e["id"], e["class"]) for e in actors if e["class"] not in ALLOWED_CLASSES]
    assert not bad, bad


def test_country_codes_valid(actors):
    bad = [(e["id"], e["country"]) for e in actors
           if e["country"] is not None and e["country"] not in ISO2]
    assert not bad, bad


def test_wikidata_ids_well_formed(actors):
    bad = [(e["id"], e["wikidata"]) for e in actors
           if e["wikidata"] is not None and not (isinstance(e["wikidata"], str) and QID.match(e["wikidata"]))]
    assert not bad, bad


def test_wikidata_ids_unique(actors):
    seen: dict[str, str] = {}
    for e in actors:
        q = e["wikidata"]
        if q is None:
            continue
        assert q not in seen, f"{q} used by {seen[q]} and {e['id']}"
        seen[q] = e["id"]


def test_disambiguation_references_exist_and_are_mutual(actors):
    by_id = {e["id"]: e for e in actors}
    for e in actors:
        dis = e.get("disambiguation")
        if dis is None:
            continue
        assert isinstance(dis, list) and dis, e["id"]
        for other in dis:
            assert other in by_id, (e["id"], other)
            assert other != e["id"]
            assert e["id"] in by_id[other].get("disambiguation", []), (e["id"], other)


def test_surface_forms_unique_unless_disambiguated(actors):
    claims: dict[str, set[str]] = defaultdict(set)
    for e in actors:
        for form in [e["name"], *e["aliases"], *e["acronyms"]]:
            claims[surface_key(form)].add(e["id"])
    by_id = {e["id"]: e for e in actors}
    problems = []
    for form, owners in sorted(claims.items()):
        if len(owners) < 2:
            continue
        for owner in owners:
            listed = set(by_id[owner].get("disambiguation", []))
            if not (owners - {owner}) <= listed:
                problems.append((form, sorted(owners)))
                break
    assert not problems, problems


def test_disambiguation_only_where_needed(actors):
    """A disambiguation link must point at an entry that really shares a surface form."""
    forms = {e["id"]: {surface_key(f) for f in [e["name"], *e["aliases"], *e["acronyms"]]} for e in actors}
    for e in actors:
        for other in e.get("disambiguation", []):
            assert forms[e["id"]] & forms[other], (e["id"], other)


def test_no_generic_sides(actors):
    generic = {"rebels", "army", "the army", "security forces", "militants", "gunmen", "government forces",
               "troops", "soldiers", "police", "insurgents", "jihadists", "terrorists"}
    for e in actors:
        for form in [e["name"], *e["aliases"], *e["acronyms"]]:
            assert surface_key(form) not in generic, (e["id"], form)


def test_at_least_15_theatres(actors):
    theatres = {t for e in actors for t in e["theatres"]} - {"Global"}
    assert len(theatres) >= 15, sorted(theatres)


def test_gold_conventions_spot_checks(actors):
    """Classes the gold annotation scheme fixes explicitly (GOLD-SCHEMA.md)."""
    by_name = {surface_key(f): e for e in actors for f in [e["name"], *e["aliases"], *e["acronyms"]]}
    expected = {
        "islamic state": ("JihadistGroup", None), "al-qaeda": ("JihadistGroup", None),
        "taliban": ("JihadistGroup", "AF"), "al-shabab": ("JihadistGroup", "SO"),
        "boko haram": ("JihadistGroup", "NG"), "jnim": ("JihadistGroup", "ML"),
        "hts": ("JihadistGroup", "SY"), "nusra front": ("JihadistGroup", "SY"),
        "allied democratic forces": ("JihadistGroup", "CD"),
        "m23": ("RebelGroup", "CD"), "arakan army": ("RebelGroup", "MM"), "tplf": ("RebelGroup", "ET"),
        "houthis": ("RebelGroup", "YE"),
        "rapid support forces": ("Militia", "SD"), "hezbollah": ("Militia", "LB"), "fano": ("Militia", "ET"),
        "popular mobilization forces": ("Militia", "IQ"),
        "frontier corps": ("StateForce", "PK"), "inter-services public relations": ("StateForce", "PK"),
        "saudi-led coalition": ("StateForce", "SA"),
        "syrian observatory for human rights": ("Monitor", "GB"),
        "sudanese armed forces": ("Army", "SD"), "border security force": ("Police", "IN"),
        "afp": None, "reuters": ("MediaOutlet", "GB"), "efe": ("MediaOutlet", "ES"),
    }
    for form, want in expected.items():
        assert form in by_name, form
        if want is not None:
            e = by_name[form]
            assert (e["class"], e["country"]) == want, (form, e["id"], e["class"], e["country"])


# --------------------------------------------------------------------------- demonyms.json

def test_demonyms_document_shape(demonyms):
    assert set(demonyms) == {"version", "nationalities", "metonyms", "country_names", "groups", "groups_comment"}
    assert SEMVER.match(demonyms["version"])
    groups = demonyms["groups"]  # peoples' adjectives that are no nationality: never places
    assert isinstance(groups, list) and groups and all(g == g.lower().strip() and g for g in groups)
    assert not set(groups) & set(demonyms["nationalities"]), "a group word is already a nationality"
    for section in ("nationalities", "metonyms", "country_names"):
        table = demonyms[section]
        assert isinstance(table, dict) and table, section
        for key, code in table.items():
            assert key == key.lower() and key.strip() == key and key, (section, key)
            assert code in ISO2, (section, key, code)


def test_every_country_has_a_nationality(demonyms):
    covered = set(demonyms["nationalities"].values())
    missing = sorted(ISO2 - covered)
    assert not missing, missing


def test_every_country_has_a_name(demonyms):
    covered = set(demonyms["country_names"].values())
    missing = sorted(ISO2 - covered)
    assert not missing, missing


@pytest.mark.parametrize("key,code", [
    ("syrian", "SY"), ("russian", "RU"), ("saudi", "SA"), ("emirati", "AE"), ("u.s.", "US"), ("us", "US"),
    ("american", "US"), ("british", "GB"), ("south sudanese", "SS"), ("sudanese", "SD"), ("filipino", "PH"),
    ("congolese", "CD"), ("burkinabe", "BF"), ("nigerien", "NE"), ("nigerian", "NG"), ("azeri", "AZ"),
    ("burmese", "MM"), ("myanmar", "MM"), ("palestinian", "PS"),
])
def test_nationality_examples(demonyms, key, code):
    assert demonyms["nationalities"][key] == code


@pytest.mark.parametrize("key,code", [
    ("moscow", "RU"), ("kremlin", "RU"), ("kyiv", "UA"), ("kiev", "UA"), ("pentagon", "US"),
    ("washington", "US"), ("khartoum", "SD"), ("naypyidaw", "MM"), ("port-au-prince", "HT"), ("sanaa", "YE"),
])
def test_metonym_examples(demonyms, key, code):
    assert demonyms["metonyms"][key] == code


@pytest.mark.parametrize("key,code", [
    ("syria", "SY"), ("britain", "GB"), ("uk", "GB"), ("united kingdom", "GB"), ("us", "US"),
    ("united states", "US"), ("drc", "CD"), ("dr congo", "CD"), ("ivory coast", "CI"), ("burma", "MM"),
    ("south sudan", "SS"), ("sudan", "SD"), ("central african republic", "CF"),
])
def test_country_name_examples(demonyms, key, code):
    assert demonyms["country_names"][key] == code

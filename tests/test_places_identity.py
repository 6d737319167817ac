"""Places the gazetteer does not list keep the context the text gives them (issue 16): the IRI is
keyed by the name and the province the text puts it in, so two articles merge on it and a
namesake elsewhere stays apart; the point is the province's, flagged approximate. Also: lists of
villages, appositives, peoples' adjectives and 'X-based' (kg/nlp/places/placing.py)."""

from __future__ import annotations

import json

import pytest

from kg.model.records import PlaceRecord
from kg.nlp.extract import extract
from kg.nlp.places.placing import container_token, keyed_by_container
from kg.read.readers import article_from_text
from tests.conftest import run_kg

BORNO = (
    "Gunmen raid village\n\nMAIDUGURI, Nigeria (AP) - Gunmen killed five farmers in the village of Zorbatiya "
    "in Borno state on Wednesday, police said.\n")
BORNO_AGAIN = (
    "Army retakes village\n\nABUJA, Nigeria (Reuters) - Nigerian troops on Friday retook Zorbatiya, a village "
    "in Borno state, from Boko Haram fighters, the army said.\n")
KANO = (
    "Bandits kill herders\n\nKANO, Nigeria (AP) - Bandits killed three herders near the village of Zorbatiya "
    "in Kano state on Sunday, a Nigerian police spokesman said.\n")
LIST = (
    "Army shells villages\n\nHAMA, Syria (AP) - Syrian government forces shelled the villages of Kafr Zeita, "
    "Latamneh and Morek in Hama province on Tuesday. The Syrian said the strikes killed four. The "
    "Britain-based Syrian Observatory for Human Rights said the army advanced.\n")

Q = """PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
SELECT DISTINCT ?p ?wkt ?approx WHERE {
  ?p rdfs:label "Zorbatiya" ; ckg:resolved false ; geo:hasGeometry/geo:asWKT ?wkt ; ckg:approximateLocation ?approx .
} ORDER BY ?p"""


@pytest.fixture(scope="module")
def ex():
    arts = [article_from_text(t, source=n) for n, t in
            (("borno", BORNO), ("borno-again", BORNO_AGAIN), ("kano", KANO), ("list", LIST))]
    return {e.article.source: e for e in extract(arts)}


def _named(e, name):
    return [p for p in e.places.values() if p.label == name or name in p.aliases]


def test_an_unlisted_village_is_keyed_by_the_province_the_text_names(ex):
    (a,) = _named(ex["borno"], "Zorbatiya")
    (b,) = _named(ex["borno-again"], "Zorbatiya")  # "Zorbatiya, a village in Borno state"
    (c,) = _named(ex["kano"], "Zorbatiya")
    borno = ex["borno"].places[a.parent]
    assert borno.label == "Borno" and borno.cls == "Province" and borno.geonames_id
    assert a.key == b.key == f"place/unresolved/ng/{borno.geonames_id}/zorbatiya"
    assert c.key != a.key and c.key.startswith("place/unresolved/ng/")
    assert a.cls == b.cls == "Village"
    assert (a.lat, a.lon) == (borno.lat, borno.lon) and a.approximate and not borno.approximate


def test_a_container_guessed_from_a_place_nearby_gives_a_point_but_not_the_iri():
    text = ("Rebels hold village\n\nHAMA, Syria (AP) - Shells hit the village of Tal Sukkar, near Hama, on Monday, "
            "a Syrian monitor said.\n")
    (e,) = extract([article_from_text(text, source="near")])
    (p,) = _named(e, "Tal Sukkar")
    assert p.key == "place/unresolved/sy/tal-sukar"  # "near Hama" states no container
    assert p.parent and p.approximate and p.lat is not None


def test_each_village_of_a_list_is_a_place_in_the_province_named_after_it(ex):
    e = ex["list"]
    hama = [p for p in e.places.values() if p.cls == "Province" and p.label.startswith("Ham")]
    assert len(hama) == 1
    for name in ("Kafr Zeita", "Latamneh"):
        (p,) = _named(e, name)
        assert p.cls == "Village" and p.parent == hama[0].key, name
        assert p.key.startswith(f"place/unresolved/sy/{hama[0].geonames_id}/")
    assert _named(e, "Morek") and _named(e, "Morek")[0].resolved


def test_a_peoples_adjective_is_no_place_and_x_based_names_the_country(ex):
    e = ex["list"]
    assert not _named(e, "Syrian")
    assert all("syrian" not in p.key for p in e.places.values())
    uk = [p for p in e.places.values() if p.cls == "Country" and p.country == "GB"]
    assert uk and uk[0].mentioned and uk[0].geonames_id  # "the Britain-based Syrian Observatory"


def test_container_token_prefers_the_geonames_id():
    prov = PlaceRecord(key="place/iso/SY-HI", label="Homs", cls="Province", geonames_id=169575, resolved=True)
    bare = PlaceRecord(key="place/iso/SY-HI", label="Homs", cls="Province", resolved=True)
    village = PlaceRecord(key="place/unresolved/sy/teir-mala", label="Teir Malla", cls="Village")
    assert container_token(prov) == "169575" and container_token(bare) == "sy-hi"
    assert keyed_by_container(village, prov) == "place/unresolved/sy/169575/teir-mala"


def test_two_articles_merge_on_the_village_in_one_store(tmp_path):
    store = tmp_path / "store"
    for name, text in (("a.txt", BORNO), ("b.txt", BORNO_AGAIN), ("c.txt", KANO)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    p = run_kg("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "c.txt"), store=store)
    assert p.returncode == 0, p.stderr_text
    p = run_kg("query", "--sparql", Q, "--format", "json", store=store)
    assert p.returncode == 0, p.stderr_text
    rows = json.loads(p.stdout_text)
    rows = rows.get("results", {}).get("bindings", rows) if isinstance(rows, dict) else rows
    assert len(rows) == 2  # the Borno village (two articles, one node) and the Kano namesake
    text = json.dumps(rows)
    assert "POINT(" in text and "true" in text.lower()

"""Divisions carry their GeoNames ids (issue 16): the shipped index, old stores' IRIs, and a
build from a GeoNames dump in the allCountries format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.geo import Gazetteer, place_iri_suffix, resolve_place
from kg.model.vocab import CKR, GEONAMES
from kg.runtime.corpus import corpus_dir
from tests.conftest import run_kg

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "geonames" / "allCountries-extract.txt"
DEV = corpus_dir() / "dev"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def _gold_divisions() -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, class, countries) of every dev-gold country and province, with the article's
    gold countries as context."""
    out = []
    for f in sorted(DEV.glob("*.gold.json")):
        places = json.loads(f.read_text(encoding="utf-8")).get("places", [])
        countries = [p["name"] for p in places if p.get("type") == "Country"]
        out += [(p["name"], p["type"], tuple(countries)) for p in places
                if p.get("type") in ("Country", "Province")]
    return out


def test_every_resolved_gold_division_has_a_geonames_iri(gaz):
    divisions = _gold_divisions()
    assert len(divisions) > 100
    resolved = 0
    for name, cls, country_names in divisions:
        ccs = [c.cc for c in map(gaz.country, country_names) if c is not None]
        p = resolve_place(name, countries=ccs, level=cls, gaz=gaz)
        if p is None or p.cls != cls:
            continue
        resolved += 1
        assert p.geonames_id, (name, p)
        assert place_iri_suffix(p) == f"geonames/{p.geonames_id}", (name, p)
        assert p.lat is not None and p.lon is not None, (name, p)
    assert resolved >= 0.9 * len(divisions)


def test_districts_have_geonames_ids(gaz):
    counts = json.loads(gaz.meta["counts"])
    assert int(gaz.meta["divisions_geonames"]) >= 0.98 * (counts["Province"] + counts["District"])
    # Al Jubah (Ma'rib), once 'admin2/YE-14-2607'; Homs province, once 'iso/SY-HI'
    assert gaz.get("admin2:YE-14-2607").key == "geonames:6940844"
    homs = resolve_place("Homs province", countries=["SY"], gaz=gaz)
    assert homs.key == "geonames:169575" and homs.iso_code == "SY-HI"


def test_province_in_a_store_is_linked_to_geonames(example_store):
    p = run_kg("query", "--format", "json", "--sparql",
               "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
               "PREFIX geo: <http://www.opengis.net/ont/geosparql#>\n"
               f"SELECT ?same ?wkt WHERE {{ <{CKR}place/geonames/169575> owl:sameAs ?same ;"
               " geo:hasGeometry/geo:asWKT ?wkt }", store=example_store)
    assert p.returncode == 0, p.stderr_text
    assert f"{GEONAMES}169575/" in p.stdout_text and "POINT(36." in p.stdout_text


@pytest.mark.parametrize("old, gid", [("iso/SY-HI", 169575), ("iso/TH-94", 1607976),
                                      ("admin2/YE-14-2607", 6940844)])
def test_old_store_iris_still_resolve(gaz, old, gid):
    from kg.ops.link.graph import _ids_from_iri
    from kg.ops.link.model import Entity

    p = gaz.place_for_iri(f"{CKR}place/{old}")
    assert p is not None and p.geonames_id == gid
    e = Entity(f"{CKR}place/{old}", "place")
    _ids_from_iri(e)  # what `kg link` reads off an old store's node
    assert e.geonames_id == str(gid) and e.cc == p.cc
    assert gaz.place_for_iri(f"{CKR}place/unresolved/sy/nowhere") is None


def test_all_countries_dump_builds_an_index_with_villages(tmp_path):
    out = tmp_path / "gaz.sqlite"
    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"),
                        "--source", str(FIXTURE), "--out", str(out), "--divisions", "none"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    g = Gazetteer(out)
    try:
        village = resolve_place("Teir Malla", countries=["SY"], gaz=g)
        assert village is not None and village.key == "geonames:99000001"
        assert village.cls == "Village"
        assert [x.key for x in g.chain(village)] == [
            "geonames:169576", "geonames:169575", "geonames:163843"]  # district, province, Syria
        prov = resolve_place("Homs province", countries=["SY"], gaz=g)
        assert prov.key == "geonames:169575" and prov.iso_code == "SY-HI"
        assert resolve_place("Khaldiyeh", countries=["SY"], gaz=g).cls == "Neighbourhood"
        # neither a mountain nor a historical place is a populated place
        assert resolve_place("Jabal Test", countries=["SY"], gaz=g) is None
        assert resolve_place("Old Homs Ruins", countries=["SY"], gaz=g) is None
    finally:
        g.close()


def test_build_refuses_a_missing_source(tmp_path):
    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"),
                        "--source", str(tmp_path / "none.txt"), "--out", str(tmp_path / "g.sqlite"),
                        "--divisions", "none"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 1 and "no such source file" in p.stderr
    assert not (tmp_path / "g.sqlite").exists()

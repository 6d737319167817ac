"""`kg export --format acled-csv|ucdp-csv|geojson` as a user sees it: the files load with the csv
and json modules, with ACLED's exact header and a row per merged event; GeoJSON per RFC 7946;
filters; an empty store; events without coordinates kept; and the library's coding rules."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kg.ops.exports import acled, ucdp
from kg.ops.exports.rows import Actor, EventRow, Place, Source, _point, place_chain
from kg.store import open_store

from .conftest import CORPUS, EXAMPLE, ROOT, run_kg

ACLED_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp", "ckg_iri",
]
HOMS = CORPUS / "homs-2015" if CORPUS else None


def _jsonl(path: Path, texts: list[tuple[Path, str, str]]) -> Path:
    """A JSONL batch of .txt articles (first line the headline) with their outlet and date, so one
    `kg ingest` loads them all with their metadata."""
    with path.open("w", encoding="utf-8") as f:
        for txt, outlet, published in texts:
            head, _, body = txt.read_text(encoding="utf-8").partition("\n")
            f.write(json.dumps({"title": head, "text": body, "outlet": outlet, "published": published}) + "\n")
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The example article (with its outlet and date) and the tests/data texts."""
    d = tmp_path_factory.mktemp("exports")
    batch = _jsonl(d / "example.jsonl", [(EXAMPLE, "Middle East Eye", "2015-10-15")])
    p = run_kg("ingest", "-q", str(batch), str(ROOT / "tests" / "data"), store=d / "s")
    assert p.returncode == 0, p.stderr_text
    return d / "s"


def _export(store: Path, *args: str) -> str:
    p = run_kg("export", *args, store=store)
    assert p.returncode == 0, p.stderr_text
    return p.stdout_text


def _acled(store: Path, *args: str) -> list[dict[str, str]]:
    text = _export(store, "--format", "acled-csv", *args)
    reader = csv.reader(io.StringIO(text, newline=""))
    assert next(reader) == ACLED_HEADER
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _merged_count(store: Path, *params: str) -> int:
    p = run_kg("query", "merged-events", "--format", "csv", "--limit", "0", *params, store=store)
    assert p.returncode == 0, p.stderr_text
    return len(list(csv.DictReader(io.StringIO(p.stdout_text))))


def _check_geojson(doc: dict) -> None:
    """RFC 7946's structure: a FeatureCollection of Features, Point geometries [lon, lat] in range."""
    assert doc["type"] == "FeatureCollection" and isinstance(doc["features"], list)
    for f in doc["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        g = f["geometry"]
        if g is None:
            continue
        assert g["type"] == "Point" and len(g["coordinates"]) == 2
        lon, lat = g["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert lon == pytest.approx(f["properties"]["longitude"]) and lat == pytest.approx(f["properties"]["latitude"])


def test_acled_csv_one_row_per_merged_event(store):
    rows = _acled(store)
    assert len(rows) == _merged_count(store) > 20
    assert all(r["event_id_cnty"].startswith("CKG-") for r in rows)
    assert len({r["ckg_iri"] for r in rows}) == len(rows)
    homs = [r for r in rows if r["country"] == "Syria" and r["admin1"] == "Homs"]
    assert homs and all(r["iso"] == "760" and r["region"] == "Middle East" for r in homs)
    strike = next(r for r in homs if r["event_type"] == "Explosions/Remote violence" and r["fatalities"])
    assert strike["sub_event_type"] == "Air/drone strike" and strike["actor1"] == "Russian air force"
    assert strike["inter1"] == "External/Other forces"  # foreign state forces, as ACLED codes them
    assert float(strike["latitude"]) == pytest.approx(34.7, abs=0.2) and float(strike["longitude"]) == pytest.approx(36.7, abs=0.2)
    assert strike["source"].startswith("Middle East Eye") and strike["notes"]
    capture = [r for r in rows if r["sub_event_type"] == "Government regains territory"]
    assert capture and all(r["inter1"] in ("State forces", "External/Other forces") for r in capture)


def test_events_without_coordinates_are_kept(store):
    rows = _acled(store)
    unplaced = [r for r in rows if not r["latitude"]]
    assert unplaced and all(r["geo_precision"] == "" and r["longitude"] == "" for r in unplaced)
    doc = json.loads(_export(store, "--format", "geojson"))
    _check_geojson(doc)
    assert len(doc["features"]) == len(rows)
    assert sum(f["geometry"] is None for f in doc["features"]) == len(unplaced)


def test_filters_place_and_dates(store):
    everything = _acled(store)
    homs = _acled(store, "--place", "Homs")
    assert 0 < len(homs) < len(everything)
    assert len(homs) == _merged_count(store, "--param", "place=Homs")
    assert all(r["admin1"] == "Homs" or r["location"] == "Homs" for r in homs)
    october = _acled(store, "--from", "2015-10-01", "--to", "2015-10-31")
    assert october and all(r["event_date"].startswith("2015-10") for r in october)
    accounts = _acled(store, "--accounts", "--place", "Homs")
    assert len(accounts) >= len(homs) and all(r["ckg_iri"].startswith("https://w3id.org/conflict-kg/id/event/") for r in accounts)
    ucdp_rows = list(csv.DictReader(io.StringIO(_export(store, "--format", "ucdp-csv", "--place", "Homs"))))
    assert len(ucdp_rows) == len(homs) and list(ucdp_rows[0]) == list(ucdp.COLUMNS)
    geo = json.loads(_export(store, "--format", "geojson", "--place", "Homs", "--accounts"))
    assert len(geo["features"]) == len(accounts)


def test_numeric_codes_and_output_file(store, tmp_path):
    out = tmp_path / "acled.csv"
    p = run_kg("export", "--format", "acled-csv", "--acled-numeric", "-o", str(out), store=store)
    assert p.returncode == 0 and "wrote" in p.stderr_text
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    coded = [r for r in rows if r["inter1"]]
    assert coded and all(r["inter1"] in "12345678" for r in coded)
    for i in (r["interaction"] for r in coded):
        assert len(i) == 2 and (i[1] == "0" or i[0] <= i[1])  # the lower code first; 0: no second actor


def test_empty_store(tmp_path):
    open_store(str(tmp_path / "s"), None, read_only=False).close()
    assert _export(tmp_path / "s", "--format", "acled-csv").splitlines() == [",".join(ACLED_HEADER)]
    assert _export(tmp_path / "s", "--format", "ucdp-csv").splitlines() == [",".join(ucdp.COLUMNS)]
    assert json.loads(_export(tmp_path / "s", "--format", "geojson")) == {"type": "FeatureCollection", "features": []}


def test_bad_usage(store):
    p = run_kg("export", "--format", "acled-csv", "--from", "15 October", store=store)
    assert p.returncode == 2 and "--from" in p.stderr_text and "Traceback" not in p.stderr_text
    p = run_kg("export", "--format", "ttl", "--place", "Homs", store=store)
    assert p.returncode == 2 and "acled-csv" in p.stderr_text


@pytest.mark.skipif(HOMS is None or not HOMS.is_dir(), reason="the shared homs-2015 corpus is not here")
def test_homs_story_across_outlets(tmp_path):
    texts = []
    for txt in sorted(HOMS.glob("*.txt")):
        gold = json.loads(txt.with_name(txt.stem + ".gold.json").read_text(encoding="utf-8"))
        texts.append((txt, gold["outlet"], gold["published"]))
    p = run_kg("ingest", "-q", str(_jsonl(tmp_path / "homs.jsonl", texts)), store=tmp_path / "s")
    assert p.returncode == 0, p.stderr_text
    rows = _acled(tmp_path / "s")
    assert len(rows) == _merged_count(tmp_path / "s")
    strike = next(r for r in rows if r["sub_event_type"] == "Air/drone strike" and r["fatalities"])
    assert strike["admin1"] == "Homs" and strike["country"] == "Syria" and strike["fatalities"] == "8"
    assert float(strike["latitude"]) == pytest.approx(34.71, abs=0.05)
    assert float(strike["longitude"]) == pytest.approx(36.79, abs=0.05)
    assert len(strike["source"].split("; ")) >= 5  # the five outlets
    u = next(r for r in csv.DictReader(io.StringIO(_export(tmp_path / "s", "--format", "ucdp-csv")))
             if r["ckg_iri"] == strike["ckg_iri"])
    assert (u["low"], u["high"], u["best"], u["adm_1"], u["where_prec"]) == ("8", "10", "8", "Homs", "4")


# --- the coding rules, on records ---------------------------------------------------------------

SYRIA = Place("ckr:sy", "Syria", "Country", cc="SY", lon=38.0, lat=35.0)
HOMS_P = Place("ckr:hi", "Homs", "Province", {"ckr:sy"}, 36.79, 34.71, "SY")
TOWN = Place("ckr:t", "Talbiseh", "Town", {"ckr:hi", "ckr:sy"}, 36.73, 34.84, "SY")


def _event(cls: str, agents: list[Actor], targets: list[Actor] = (), **kw) -> EventRow:
    ev = EventRow(iri="https://w3id.org/conflict-kg/id/merged/abc", cls=cls, place=TOWN,
                  chain=[TOWN, HOMS_P, SYRIA], **kw)
    ev.roles["agent"], ev.roles["target"] = list(agents), list(targets)
    return ev


def test_capture_sub_event_follows_the_agent_side():
    army = Actor("a", "Syrian army", {"Army"}, "ckr:sy")
    rebels = Actor("r", "rebels", {"RebelGroup"}, "ckr:sy")
    assert acled.event_types(_event("TerritoryCapture", [army])) == ("Battles", "Government regains territory")
    assert acled.event_types(_event("TerritoryCapture", [rebels])) == ("Battles", "Non-state actor overtakes territory")
    assert acled.event_types(_event("TerritoryCapture", [])) == ("Battles", "")
    assert acled.event_types(_event("Killing", [army])) == ("", "")
    row = acled.acled_row(_event("ArmedClash", [army], [rebels]))
    assert (row["interaction"], row["geo_precision"], row["admin1"], row["location"]) == (
        "State forces-Rebel group", "1", "Homs", "Talbiseh")
    assert acled.acled_row(_event("ArmedClash", [rebels], [army]), numeric=True)["interaction"] == "12"
    assert ucdp.sides(_event("ArmedClash", [rebels], [army]), "1")[0][0] is army


def test_precision_is_honest():
    army = Actor("a", "Syrian army", {"Army"}, "ckr:sy")
    import datetime as dt

    day = dt.date(2015, 10, 15)
    stated = _event("Offensive", [army], date=day, earliest=day, latest=day)
    stated.sources = [Source("acc", "art", published=dt.date(2015, 10, 16), date=day)]
    assumed = _event("Offensive", [army], date=day, earliest=day, latest=day)
    assumed.sources = [Source("acc", "art", published=day, date=day)]
    ranged = _event("Offensive", [army], earliest=day, latest=day + dt.timedelta(days=20))
    assert [acled.time_precision(e) for e in (stated, assumed, ranged)] == ["1", "2", "3"]
    assert [ucdp.date_prec(e) for e in (stated, assumed, ranged)] == ["1", "2", "4"]
    province = _event("Offensive", [army])
    province.place = HOMS_P
    assert acled.geo_precision(province) == "3" and ucdp.ucdp_row(province)["where_prec"] == "4"


def test_place_chain_and_points():
    places = {p.iri: p for p in (SYRIA, HOMS_P, TOWN)}
    assert [p.label for p in place_chain("ckr:t", places)] == ["Talbiseh", "Homs", "Syria"]
    loop = {"x": Place("x", parents={"y"}), "y": Place("y", parents={"x"})}
    assert [p.iri for p in place_chain("x", loop)] == ["x", "y"]
    assert _point("POINT(36.7 34.8)") == (36.7, 34.8) and _point("LINESTRING(1 2, 3 4)") == (None, None)

"""kg merge: accounts of one real event from several outlets become one merged event; queries over
merged events and control over time."""

from __future__ import annotations

import json

import pytest

from .conftest import CORPUS, run_kg

OUTLETS = ["mee-homs-offensive", "naharnet-army-pushes-offensive", "ukdj-syrian-troops-homs"]


@pytest.fixture(scope="module")
def homs_store(tmp_path_factory):
    if not (CORPUS / "homs-2015").is_dir():
        pytest.skip(f"corpus not found at {CORPUS} (set KG_CORPUS)")
    d = tmp_path_factory.mktemp("merge")
    batch = d / "homs.jsonl"
    lines = []
    for name in OUTLETS:
        gold = json.loads((CORPUS / "homs-2015" / f"{name}.gold.json").read_text(encoding="utf-8"))
        text = (CORPUS / "homs-2015" / f"{name}.txt").read_text(encoding="utf-8")
        lines.append(json.dumps({"text": text, "outlet": gold["outlet"], "published": gold["published"]}))
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = d / "store"
    p = run_kg("ingest", str(batch), store=store)
    assert p.returncode == 0, p.stderr_text
    assert "merged" in p.stderr_text  # ingest re-merges by itself
    return store


def _csv(p):
    assert p.returncode == 0, p.stderr_text
    lines = p.stdout_text.strip().splitlines()
    import csv

    return list(csv.DictReader(lines))


def test_one_capture_told_by_two_outlets_is_one_merged_event(homs_store):
    rows = _csv(run_kg("query", "merged-events", "--format", "csv", store=homs_store))
    caps = [r for r in rows if r["eventClass"] == "TerritoryCapture" and r["placeLabel"] == "Al-Dar Al-Kabirah"]
    assert len(caps) == 1 and caps[0]["accounts"] == "2" and caps[0]["sources"] == "2"
    accounts = _csv(run_kg("query", "event-accounts", "--param", f"event={caps[0]['event']}", "--format", "csv",
                           store=homs_store))
    assert {a["outlet"] for a in accounts} == {"Middle East Eye", "Naharnet"}
    assert all("taken control of the village" in a["evidence"] for a in accounts)


def test_merge_is_deterministic_and_undoable(homs_store):
    def merged_quads():
        out = run_kg("export", "--format", "nq", store=homs_store).stdout
        return sorted(ln for ln in out.splitlines() if ln.endswith(b"<https://w3id.org/conflict-kg/merged> ."))

    first = merged_quads()
    assert first
    p = run_kg("merge", store=homs_store)
    assert p.returncode == 0 and "pairs scored" in p.stderr_text
    assert merged_quads() == first
    assert run_kg("merge", "--undo", store=homs_store).returncode == 0
    assert merged_quads() == []
    assert run_kg("merge", store=homs_store).returncode == 0
    assert merged_quads() == first


def test_two_accounts_of_one_article_share_an_event_only_when_they_agree(homs_store):
    """Issue 16: one article may tell one happening twice; its accounts merge only when they agree
    (one class, places equal or nested, never two different stated days), never two different happenings of one article."""
    q = ("SELECT ?m ?art ?a ?cls ?date ?place WHERE { GRAPH <https://w3id.org/conflict-kg/merged> { ?m ckg:hasAccount ?a } "
         "?a ckg:mentionedIn ?art ; a ?cls . OPTIONAL { ?a ckg:date ?date } OPTIONAL { ?a ckg:place ?place } "
         "{ SELECT ?m ?art WHERE { GRAPH <https://w3id.org/conflict-kg/merged> { ?m ckg:hasAccount ?x } "
         "?x ckg:mentionedIn ?art } GROUP BY ?m ?art HAVING (COUNT(DISTINCT ?x) > 1) } }")
    rows = _csv(run_kg("query", "--sparql", q, "--format", "csv", store=homs_store))
    by_event: dict[str, list[dict]] = {}
    for r in rows:
        by_event.setdefault(r["m"] + " " + r["art"], []).append(r)
    for m, accs in by_event.items():
        assert len({r["date"] for r in accs} - {""}) <= 1, (m, accs)  # never two different stated days
        assert len({r["cls"] for r in accs}) == 1, (m, accs)


def test_merged_graph_conforms_to_shapes(homs_store):
    from kg.graph.ontology import validate_graph
    from kg.ops.stats import data_graph
    from kg.store import open_store

    with open_store(str(homs_store), read_only=True) as store:
        rep = validate_graph(data_graph(store))
    assert rep.conforms, rep.text


def test_control_over_time(homs_store):
    rows = _csv(run_kg("query", "control-history", "--param", "place=Homs province", "--format", "csv",
                       store=homs_store))
    assert any(r["actorLabel"] == "Syrian army" and r["placeLabel"] == "Al-Dar Al-Kabirah" and r["change"] == "captured"
               for r in rows)
    assert any(r["actorLabel"] == "Syrian rebels" and r["placeLabel"] == "Tallbisah" for r in rows)
    now = _csv(run_kg("query", "control-at", "--param", "place=Talbisseh", "--param", "date=2015-10-20",
                      "--format", "csv", store=homs_store))
    assert {r["actorLabel"] for r in now} == {"Syrian rebels"}
    before = _csv(run_kg("query", "control-at", "--param", "place=Talbisseh", "--param", "date=2015-10-01",
                         "--format", "csv", store=homs_store))
    assert before == []


def test_disputed_events_list_each_disagreement_once(homs_store):
    rows = _csv(run_kg("query", "disputed-events", "--format", "csv", store=homs_store))
    assert rows, "the outlets' tolls for the Russian strikes differ"
    seen = {(r["event"], r["dispute"], r["detail"]) for r in rows}
    for event, dispute, detail in seen:
        if " / " in detail:
            a, b = detail.split(" / ", 1)
            assert (event, dispute, f"{b} / {a}") not in seen, detail


def test_pair_score_rules():
    import datetime as dt

    from kg.ops.merge import Account, PlaceIndex, pair_score

    d = dt.date(2015, 10, 15)
    a = Account("e1", "art1", {"Airstrike"}, "p/talbiseh", d, True, 10, {"ru-af"})
    b = Account("e2", "art2", {"Airstrike"}, "p/talbiseh", d, True, 15, {"ru-af"})
    assert pair_score(a, b, PlaceIndex(), 1) >= 0.9
    none = PlaceIndex()
    # same article: an agreeing second account may merge, a different class never does
    assert pair_score(a, Account("e3", "art1", {"Airstrike"}, "p/talbiseh", d, True), none, 1) > 0
    assert pair_score(a, Account("e4", "art1", {"Bombing"}, "p/talbiseh", d, True), none, 1) == 0
    assert pair_score(a, Account("e4", "art2", {"Protest"}, "p/talbiseh", d, True), none, 1) == 0  # incompatible
    far = Account("e5", "art2", {"Airstrike"}, "p/talbiseh", d + dt.timedelta(days=3), True, None, {"ru-af"})
    assert pair_score(a, far, none, 1) == 0  # outside the window
    elsewhere = Account("e6", "art2", {"Airstrike"}, "p/hama", d, True, None, {"ru-af"})
    assert pair_score(a, elsewhere, none, 1) == 0
    inside = Account("e7", "art2", {"Airstrike"}, "p/homs-province", d, True, None, {"ru-af"})
    nested = PlaceIndex(ancestors={"p/talbiseh": {"p/homs-province"}})
    assert 0.6 < pair_score(a, inside, nested, 1) < pair_score(a, b, none, 1)


def test_pair_score_near_places_and_distinct_happenings():
    import datetime as dt

    from kg.ops.merge import Account, PlaceIndex, pair_score

    d = dt.date(2015, 10, 15)
    coords = {"p/talbiseh": (34.84, 36.73), "p/homs": (34.73, 36.71), "p/hama": (35.13, 36.76)}
    idx = PlaceIndex(coords=coords)
    a = Account("e1", "art1", {"Airstrike"}, "p/talbiseh", d, True, 10, {"ru-af"})
    near = Account("e2", "art2", {"Airstrike"}, "p/homs", d, True, None, {"ru-af"})
    far = Account("e3", "art2", {"Airstrike"}, "p/hama", d, True, None, {"ru-af"})
    assert pair_score(a, near, idx, 1) >= 0.6  # 12 km apart: "north of Homs city" may be Talbiseh
    assert pair_score(a, far, idx, 1) == 0  # 32 km: another town's strike
    offensive = Account("e4", "art1", {"Offensive"}, "p/homs", d, True, None, {"army"})
    capture = Account("e5", "art2", {"TerritoryCapture"}, "p/homs", d, True, None, {"army"})
    assert pair_score(offensive, capture, idx, 1) == 0  # a capture is its own happening
    killing = Account("e6", "art2", {"Killing"}, "p/talbiseh", d, True, 5)
    assert pair_score(offensive, killing, PlaceIndex(ancestors={"p/talbiseh": {"p/homs"}}), 1) == 0

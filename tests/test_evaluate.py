"""The scorer on hand-made graphs: matching rules, counts, and the CLI on a tiny gold folder."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from kg.ops.evaluate import norm_name, score_article, system_view
from kg.store.memory import MemoryStore
from kg.model.vocab import sparql_prefixes

from .conftest import run_kg

GRAPH = sparql_prefixes().replace("PREFIX ", "@prefix ").replace(">\n", "> .\n") + """
ckr:actor/sy/army a ckg:Army ; rdfs:label "Syrian army" ; skos:altLabel "government forces" ;
    ckg:country ckr:place/geonames/163843 ; ckg:mentionedIn ckr:article/a .
ckr:actor/sy/rebels a ckg:RebelGroup ; rdfs:label "Syrian rebels" ; skos:altLabel "rebels" ; ckg:mentionedIn ckr:article/a .
ckr:actor/sohr a ckg:Monitor ; rdfs:label "Syrian Observatory for Human Rights" ; ckg:mentionedIn ckr:article/a .
ckr:actor/x a ckg:Militia ; rdfs:label "Some Brigade" ; ckg:mentionedIn ckr:article/a .
ckr:place/geonames/163843 a ckg:Country ; rdfs:label "Syria" ; ckg:mentionedIn ckr:article/a .
ckr:place/iso/SY-HI a ckg:Province ; rdfs:label "Homs" ; skos:altLabel "Homs province" ; ckg:locatedIn ckr:place/geonames/163843 ; ckg:mentionedIn ckr:article/a .
ckr:place/geonames/163779 a ckg:Town ; rdfs:label "Tallbisah" ; skos:altLabel "Talbisseh" ; ckg:locatedIn ckr:place/iso/SY-HI ; ckg:mentionedIn ckr:article/a .
ckr:event/a/1 a ckg:ArmedClash ; ckg:agent ckr:actor/sy/army, ckr:actor/sy/rebels ; ckg:place ckr:place/geonames/163779 ;
    ckg:fatalities 10 ; ckg:date "2015-10-15"^^xsd:date ; ckg:evidence "..." ; ckg:reportedBy ckr:actor/sohr .
ckr:event/a/2 a ckg:Airstrike ; ckg:place ckr:place/iso/SY-HI ; ckg:evidence "..." .
ckr:actor/sy/rebels ckg:controls ckr:place/geonames/163779 .
"""

GOLD = {
    "actors": [
        {"name": "Syrian government forces", "aliases": ["government forces"], "type": "Army", "country": "Syria"},
        {"name": "rebels", "aliases": [], "type": "RebelGroup", "country": "Syria"},
        {"name": "The Syrian Observatory for Human Rights", "aliases": ["SOHR"], "type": "Monitor", "country": None},
        {"name": "Russian air force", "aliases": [], "type": "AirForce", "country": "Russia"},
    ],
    "places": [
        {"name": "Syria", "aliases": [], "type": "Country", "in": None},
        {"name": "Homs province", "aliases": [], "type": "Province", "in": "Syria"},
        {"name": "Talbiseh", "aliases": ["Talbisseh"], "type": "Town", "in": "Homs province"},
    ],
    "events": [
        {"type": "ArmedClash", "agents": ["Syrian government forces"], "targets": [], "supporters": [],
         "place": "Talbiseh", "date": "2015-10-15", "fatalities": 12, "evidence": "..."},
        {"type": "Offensive", "agents": ["Syrian government forces"], "targets": [], "supporters": [],
         "place": "Homs province", "date": None, "fatalities": None, "evidence": "..."},
    ],
    "control": [{"actor": "rebels", "place": "Talbiseh", "evidence": "..."},
                {"actor": "Syrian government forces", "place": "Homs province", "evidence": "..."}],
    "support": [],
    "sources": ["The Syrian Observatory for Human Rights"],
}


@pytest.fixture()
def view():
    mem = MemoryStore()
    turtle = re.sub(r"ckr:([\w/.-]+)", r"<https://w3id.org/conflict-kg/id/\1>", GRAPH)
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]
    mem.put_graph("urn:article", quads)
    return system_view(mem)


def test_name_folding():
    assert norm_name("The Syrian Observatory for Human Rights") == norm_name("syrian observatory for human rights")
    assert norm_name("Al-Dar Al-Kabirah") == norm_name("Dar al-Kabirah")
    assert norm_name("Ḩamāh") == norm_name("Hamah")
    assert norm_name("Syria's") == "syria"
    assert norm_name("Hama") != norm_name("Homs")


def test_scores_on_hand_made_graph(view):
    r = score_article(GOLD, view)
    a = r["actors"]
    assert (a.tp, a.sys, a.gold) == (3, 4, 4)  # 'Some Brigade' is extra; the air force is missed
    p = r["places"]
    assert (p.tp, p.sys, p.gold) == (3, 3, 3)
    assert r["typing"].ok == r["typing"].n == 6
    assert (r["hierarchy"].ok, r["hierarchy"].n) == (2, 2)
    ev = r["events"]
    assert (ev.tp, ev.sys, ev.gold) == (1, 2, 2)  # the airstrike is not the gold offensive
    assert (r["events_strict"].tp, r["events_strict"].gold) == (1, 2)
    assert (r["fatalities"].ok, r["fatalities"].n) == (0, 1)  # 10 for 12
    assert (r["dates"].ok, r["dates"].n) == (1, 1)
    c = r["control"]
    assert (c.tp, c.sys, c.gold) == (1, 1, 2)
    s = r["sources"]
    assert (s.tp, s.sys, s.gold) == (1, 1, 1)
    assert r["countries"].tp == 1  # Syria for the army; the rebels' country is not in the graph


def test_cli_evaluate_on_a_tiny_gold_folder(tmp_path):
    text = ("Rebels seize Boni\n\nJihadists seized the town of Boni in central Mali on Friday, "
            "killing at least five soldiers, the army said.\n")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    gold = {"id": "a", "published": "2016-09-03", "outlet": "Test", "theatre": "Mali",
            "actors": [{"name": "jihadists", "aliases": ["Jihadists"], "type": "JihadistGroup", "country": None},
                       {"name": "Malian army", "aliases": ["the army"], "type": "Army", "country": "Mali"}],
            "places": [{"name": "Mali", "aliases": [], "type": "Country", "in": None},
                       {"name": "Boni", "aliases": [], "type": "Town", "in": "Mali"}],
            "events": [{"type": "TerritoryCapture", "agents": ["jihadists"], "targets": [], "supporters": [],
                        "place": "Boni", "date": "2016-09-02", "fatalities": 5, "evidence": "..."}],
            "control": [{"actor": "jihadists", "place": "Boni", "evidence": "..."}],
            "support": [], "sources": ["Malian army"]}
    (tmp_path / "a.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    out = tmp_path / "scores.json"
    p = run_kg("evaluate", str(tmp_path), "--json", str(out), "--explain")
    assert p.returncode == 0, p.stderr_text
    assert "TOTAL" in p.stdout_text
    total = json.loads(out.read_text())["total"]
    assert total["actors"]["gold"] == 2 and total["events"]["gold"] == 1
    assert total["events"]["tp"] == 1 and total["dates"]["accuracy"] == 1.0
    p = run_kg("evaluate", str(tmp_path / "missing"))
    assert p.returncode == 1 and "not a folder" in p.stderr_text

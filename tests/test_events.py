"""Event mechanisms on one-paragraph wire-style texts from conflicts outside the dev corpus."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import extract
from kg.readers import article_from_text

TEXTS = {
    "sum-along-with": "Clashes in Darfur\nAt least 40 soldiers were killed along with 25 RSF fighters in clashes near "
                      "Nyala on Monday, the army said.",
    "sum-and-a": "Raid in Somalia\nFour al-Shabab fighters and a soldier were killed in a raid on a base near "
                 "Baidoa on Sunday, officials said.",
    "sum-killing-and": "Strike in Yemen\nA Houthi drone attack on Marib killed three soldiers and two civilians on "
                       "Friday, officials said.",
    "injured-not-added": "Shelling in Ukraine\nRussian shelling of Kherson killed five people and 12 others were "
                         "wounded, the governor said.",
    "strikes-not-toll": "Raids in Syria\nRussian jets carried out at least 20 air strikes on Idlib, killing six "
                        "people, a monitor said.",
    "captured-people": "Fighting in the Philippines\nTroops clashed with Abu Sayyaf militants in Sulu on Tuesday. "
                       "Three militants were captured, the army said.",
    "missile-attacks": "War in Karabakh\nArmenian forces launched missile attacks on Barda on Tuesday, "
                       "Azerbaijan's defence ministry said.",
    "left-village": "Fighting in Burkina Faso\nThe jihadists left Djibo at dawn and the army returned on Saturday, a "
                    "security source told AFP.",
    "hashtags": "Clashes in Mali\nMalian troops clashed with JNIM fighters near Mopti on Monday, the army said.\n"
                "#Mali #JNIM #army #clashes",
}


@pytest.fixture(scope="module")
def ex():
    arts = [article_from_text(t, source=k, published=dt.date(2024, 3, 6)) for k, t in TEXTS.items()]
    return {e.article.source: e for e in extract(arts)}


def tolls(e):
    return sorted(v.fatalities for v in e.events if v.fatalities is not None)


@pytest.mark.parametrize("name,toll", [("sum-along-with", 65), ("sum-and-a", 5), ("sum-killing-and", 5),
                                       ("injured-not-added", 5), ("strikes-not-toll", 6)])
def test_death_tolls(ex, name, toll):
    assert tolls(ex[name]) == [toll]


def test_captured_people_is_an_arrest(ex):
    classes = {v.cls for v in ex["captured-people"].events}
    assert "Arrest" in classes and "TerritoryCapture" not in classes


def test_weapon_names_the_attack(ex):
    assert [v.cls for v in ex["missile-attacks"].events] == ["Shelling"]


def test_object_of_a_territorial_verb_is_a_place(ex):
    e = ex["left-village"]
    assert "Djibo" in {p.label for p in e.places.values()}
    assert any(v.cls == "Withdrawal" and v.place and e.places[v.place].label == "Djibo" for v in e.events)


def test_hashtag_line_is_furniture(ex):
    e = ex["hashtags"]
    assert all("#" not in v.evidence.sentence for v in e.events)

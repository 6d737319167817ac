"""Events per listed place, one-victim tolls and relative dates, on short texts written for the
mechanisms (places and names from outside the dev corpus)."""

from __future__ import annotations

import datetime as dt

from kg.nlp.components.dates import offset_days, resolve_date
from kg.nlp.extract import extract
from kg.read.readers import article_from_text

PUB = dt.date(2023, 5, 12)  # a Friday


def events(text: str, published: dt.date | None = PUB):
    art = article_from_text(text, source="t.txt", outlet="Test Wire", published=published)
    ex = next(extract([art]))
    return ex, ex.events


def labels(ex, ev) -> str:
    return ex.places[ev.place].label if ev.place in ex.places else str(ev.place)


# -- one account per listed place -------------------------------------------------------------
def test_single_place_and_clash_are_not_split():
    ex, evs = events("Fighting in Sudan\nThe army and the RSF clashed in Nyala and El Geneina on Monday, "
                     "residents said.")
    assert len([e for e in evs if e.cls == "ArmedClash"]) == 1  # a clash is not in the list classes
    ex, evs = events("Shelling in Ukraine\nRussian artillery shelled Kherson on Thursday, the governor said.")
    assert len([e for e in evs if e.cls == "Shelling"]) == 1


# -- one victim ---------------------------------------------------------------------------------
def test_indefinite_victim_counts_one():
    _, evs = events("Strike in Somalia\nA drone strike near Kismayo killed a Kenyan aid worker on Tuesday.")
    assert [e.fatalities for e in evs if e.cls == "Airstrike"] == [1]


def test_indefinite_wounded_is_no_toll():
    _, evs = events("Attack in Niger\nGunmen attacked a checkpoint near Tillaberi on Tuesday, wounding a soldier.")
    assert all(e.fatalities is None for e in evs)


def test_named_person_killed_counts_one():
    _, evs = events("Strike in Yemen\nThe militia commander Ali Saleh Nasser was killed in a drone strike near "
                    "Marib on Sunday.")
    assert [e.fatalities for e in evs if e.cls == "Airstrike"] == [1]


def test_named_killer_is_not_a_victim():
    _, evs = events("Ambush in Kunar\nCommander Rahim Gul killed five soldiers in an ambush in Kunar on Sunday.")
    assert [e.fatalities for e in evs] == [5]


# -- dates --------------------------------------------------------------------------------------
def test_offsets_count_from_the_day_named_before():
    assert offset_days("Two days later") == 2
    assert offset_days("a week earlier") == -7
    assert offset_days("three days") is None and offset_days("the day before") is None
    _, evs = events("War in Tigray\nOn March 3 the army and the rebels clashed near Mekelle. Two days later "
                    "government drones struck targets in Adigrat.")
    strike = next(e for e in evs if e.cls == "Airstrike")
    assert strike.date == dt.date(2023, 3, 5)


def test_day_range_dates_its_first_day():
    assert resolve_date("between 16-20 January 2025", dt.date(2025, 1, 22)) == dt.date(2025, 1, 16)
    assert resolve_date("2025-01-16", None) == dt.date(2025, 1, 16)  # ISO dates are not ranges


def test_no_publication_date_uses_latest_full_date_of_text():
    text = ("Raid repelled\nRebels attacked the army base at Kidira on Saturday, the army said.\n\n"
            "Photo showing soldiers at the base on June 10, 2023. [Photo: Army]")
    _, evs = events(text, published=None)
    attack = next(e for e in evs if "Saturday" in e.evidence.sentence)
    assert attack.date == dt.date(2023, 6, 10)  # 10 June 2023 was a Saturday

"""Event mechanisms that must hold on text no rule was written for (issue 21): running totals are
no toll and no event, and a verb whose subject is an event noun takes its doer from that noun,
never from the place or side the noun hit. Short sentences of our own, through the pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.nlp.extract import extract
from kg.read.readers import article_from_text

TEXTS = {
    "so-far-this-year": "Attacks in Burkina Faso\nJihadists attacked an army post in Djibo on Sunday. So far this "
                        "year, 450 soldiers have been killed in such attacks, according to ACLED.",
    "killed-and-injured": "Violence in Cameroon\nSeparatists attacked a village near Bamenda on Monday, killing two "
                          "people. Another 2,273 people were killed and injured in the region, a rights group said.",
    "day-toll-beside-total": "War in Sudan\nAn RSF drone struck a market in El Fasher on Friday, killing 8 people, "
                             "and the death toll of the war has risen to 150,000, officials said.",
    "since-a-recent-day": "Offensive in Gaza\nThe army launched an offensive on Khan Younis on Monday, the "
                          "ministry said. At least 90 people were killed in Khan Younis since Monday, medics said.",
    "event-noun-subject": "Strikes in Lebanon\nAn Israeli strike on a Hezbollah position in Nabatieh killed three "
                          "fighters on Monday, Lebanese officials said.",
    "killer-subject": "Attack in Nigeria\nISWAP killed seven soldiers in Borno state on Tuesday, the army said.",
}


@pytest.fixture(scope="module")
def ex():
    arts = [article_from_text(t, source=k, published=dt.date(2024, 3, 6)) for k, t in TEXTS.items()]
    return {e.article.source: e for e in extract(arts)}


def labels(e, keys):
    return {e.actors[k].label for k in keys}


def test_a_running_total_is_neither_toll_nor_event(ex):
    e = ex["so-far-this-year"]
    assert [v.fatalities for v in e.events] == [None]  # only Sunday's attack, without the 450
    assert e.events[0].date == dt.date(2024, 3, 3)


def test_killed_and_injured_counts_both_and_is_no_toll(ex):
    e = ex["killed-and-injured"]
    assert sorted(v.fatalities for v in e.events if v.fatalities is not None) == [2]


def test_the_days_toll_stands_beside_the_wars_total(ex):
    e = ex["day-toll-beside-total"]
    assert [v.fatalities for v in e.events if v.fatalities is not None] == [8]


def test_since_a_recent_day_is_still_a_toll(ex):
    e = ex["since-a-recent-day"]
    assert 90 in {v.fatalities for v in e.events}


def test_an_event_noun_subject_names_the_doer_not_what_it_hit(ex):
    e = ex["event-noun-subject"]
    assert len(e.events) == 1  # the strike and its killing are one event
    ev = e.events[0]
    assert ev.cls == "Airstrike" and ev.fatalities == 3
    assert "Hezbollah" not in labels(e, ev.agents) and "Hezbollah" in labels(e, ev.targets)
    assert ev.agents and all(e.actors[a].label.startswith("Israeli") for a in ev.agents)


def test_the_subject_of_kill_is_the_agent_its_object_the_target(ex):
    e = ex["killer-subject"]
    ev = [v for v in e.events if v.fatalities == 7]
    assert ev and labels(e, ev[0].agents) == {"Islamic State West Africa Province"}
    assert {e.actors[t].cls for t in ev[0].targets} == {"Army"}

"""Event mechanisms on one-paragraph wire-style texts from conflicts outside the dev corpus."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.nlp.extract import extract
from kg.read.readers import article_from_text

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
    "market-strike": "Strike in Sudan\nAn RSF drone strike on a crowded market in Omdurman killed 12 people on "
                     "Monday, activists said.",
    "national-strike": "Strike in Gaza\nAn Israeli strike on a school in Khan Younis killed nine people on Tuesday, "
                       "the civil defence said.",
    "habitual": "Shelling in Ukraine\nKherson has been shelled nearly daily by Russian artillery since November. "
                "Russian troops have been targeting Nikopol for months.",
    "conditional": "Talks in Yemen\nThe Houthis said they would accept talks unless the coalition attacked Hodeidah.",
    "sibling": "Strikes in Syria\nGovernment helicopters dropped barrel bombs on Aleppo on Saturday, killing 12 "
               "people, a monitor said. The other attack hit a market known as Souk al-Hal in al-Bab, killing 50.",
    "address-chain": "Clash in Sulu\nTroops clashed with Abu Sayyaf gunmen in Sitio Kan Alas, Barangay Tanum, "
                     "Patikul town on Sunday, the army said.\nLeave a Reply",
    "agency": "Operation in Pakistan\nSecurity forces launched an operation in Bajaur Agency on Monday, the ISPR said.",
    "caption": "Offensive in Sudan\nThe army launched an offensive on Wad Madani, the military said.\n"
               "A still shows the aftermath of an RSF raid on 3 February in Sennar (Reuters/Handout)\n\n"
               "Heavy fighting was reported near Sennar.",
    "speaker-origin": "Attack in Somalia\nAl-Shabab fighters attacked a base near Baidoa on Monday. Colonel Ali Nur "
                      "from the nearby town of Wanlaweyn said at least 12 militants were killed.",
    "quoted-we": "Attack in Somalia\nAl-Shabab's spokesman said, \"We killed many soldiers in the attack on the "
                 "base.\" The Somali army said it repelled the assault.",
    "report-day": "Attack in Pakistan\nAt least seven soldiers were martyred in an attack on a post near Harnai, "
                  "the military said on Sunday.\n\nMilitants targeted the post in the Shahrag area of Harnai late on "
                  "Saturday. A soldier was killed in a separate raid in Awaran on Thursday.",
    "no-one": "Blast in Cameroon\nA bomb exploded at a market in Bamenda on Sunday. No one was killed, police said.",
    "shares": "Deadly day in Afghanistan\nA roadside bomb killed 12 people in Kandahar on Monday. More than 40 "
              "people died in the 24 hours to Tuesday, 25 of them in a tribal clash and 15 in fighting between "
              "Afghan forces and the Taliban. Monday's attack was the deadliest this year.",
    "anaphoric-toll": "Strikes in Libya\nGovernment warplanes carried out six airstrikes on the Watiya airbase on "
                      "Friday, a spokesman said. The LNA said three soldiers were killed during the shelling.",
    "support-phrase": "Offensive in Syria\nSyrian government forces have launched an offensive in Hama province under "
                      "the cover of Russian airstrikes, state media said. Troops attacked rebel-held villages north "
                      "of Hama. Since then the army has conducted several ground attacks in Idlib.",
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


def test_strike_on_a_market_is_also_an_attack_on_civilians(ex):
    ev = [v for v in ex["market-strike"].events if v.cls == "Airstrike"]
    assert ev and "AttackOnCivilians" in ev[0].also


def test_a_national_strike_is_by_the_state_not_its_air_force(ex):
    e = ex["national-strike"]
    ev = [v for v in e.events if v.cls == "Airstrike"]
    assert ev and {e.actors[a].cls for a in ev[0].agents} == {"StateForce"}
    assert "AttackOnCivilians" in ev[0].also  # a school


def test_background_and_conditions_are_no_events(ex):
    assert ex["habitual"].events == []
    assert ex["conditional"].events == []


def test_the_other_attack_is_one_more_of_the_same_kind(ex):
    e = ex["sibling"]
    assert [v.cls for v in e.events] == ["Airstrike", "Airstrike"]
    assert e.places[e.events[1].place].label == "Souk al-Hal"


def test_an_address_is_written_small_to_big(ex):
    e = ex["address-chain"]
    by_label = {p.label: p for p in e.places.values()}
    assert by_label["Sitio Kan Alas"].cls == "Village" and by_label["Barangay Tanum"].cls == "Village"
    assert e.places[by_label["Sitio Kan Alas"].parent].label == "Barangay Tanum"
    assert "Reply" not in by_label  # "Leave a Reply" is page furniture


def test_a_tribal_agency_is_a_district(ex):
    e = ex["agency"]
    assert {p.cls for p in e.places.values() if p.label.startswith("Bajaur")} == {"District"}


def test_a_captions_date_stays_with_the_caption(ex):
    e = ex["caption"]
    by_trigger = {v.trigger: v for v in e.events}
    assert by_trigger["offensive"].date is None
    assert by_trigger["raid"].date == dt.date(2024, 2, 3)


def test_a_speakers_home_town_is_not_where_it_happened(ex):
    e = ex["speaker-origin"]
    assert all(e.places[v.place].label != "Wanlaweyn" for v in e.events if v.place)


def test_a_quoted_we_is_the_speakers_side(ex):
    e = ex["quoted-we"]
    agents = {e.actors[a].label for v in e.events for a in v.agents if v.trigger in ("killed", "attack")}
    assert "Somali army" not in agents


def test_the_day_it_was_said_yields_to_the_day_it_happened(ex):
    e = ex["report-day"]
    by_label = {p.label: p for p in e.places.values()}
    assert e.places[by_label["Shahrag"].parent].label == "Harnai"  # "the Shahrag area of Harnai"
    attack = [v for v in e.events if v.fatalities == 7]
    assert len(attack) == 1 and attack[0].date == dt.date(2024, 3, 2)  # Saturday, not Sunday's statement
    assert [v.fatalities for v in e.events if v.trigger == "raid"] == [1]  # "a soldier was killed"


def test_no_one_killed_is_a_toll_of_zero(ex):
    e = ex["no-one"]
    assert [(v.cls, v.fatalities) for v in e.events] == [("Bombing", 0)]


def test_a_split_toll_gives_each_event_its_share(ex):
    e = ex["shares"]
    tolls_by_class = sorted((v.cls, v.fatalities) for v in e.events)
    assert tolls_by_class == [("ArmedClash", 15), ("ArmedClash", 25), ("Bombing", 12)]  # "Monday's attack": the bomb


def test_the_toll_of_the_shelling_goes_to_the_strikes_it_refers_to(ex):
    e = ex["anaphoric-toll"]
    assert [(v.cls, v.fatalities) for v in e.events] == [("Airstrike", 3)]


def test_support_tallies_and_held_ground(ex):
    e = ex["support-phrase"]
    classes = [v.cls for v in e.events]
    assert "Airstrike" not in classes  # "under the cover of Russian airstrikes" is support
    assert classes.count("Offensive") >= 1 and "ArmedClash" not in classes  # "attacked rebel-held villages"
    assert all(v.trigger != "ground attacks" for v in e.events)  # "several ground attacks": a tally
    first = e.events[0]
    assert first.date == dt.date(2024, 3, 6)  # "have launched": the day's news

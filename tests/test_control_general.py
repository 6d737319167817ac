"""Control of territory read by general mechanisms (kg/nlp/relations/control_places.py and
control_nominal.py, words in kg/data/control.json): every place a phrase names, the doer of a verb
the parser gave no subject, captures said by a noun, a side's capital or headquarters. Sentences
are hand-written from the pattern families, not taken from the gold corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.nlp.extract import extract
from kg.nlp.relations.control_places import control_words
from kg.read.readers import article_from_text
from tests.conftest import ingest_then_query

TEXTS = {
    "coordinated": "Boko Haram seizes towns\nMAIDUGURI, Nigeria — Boko Haram fighters captured Damboa and Gwoza "
                   "on Sunday, officials said.\n",
    "grouped": "Houthis advance in Amran\nSANAA, Yemen — Residents said Houthi fighters were now in control of "
               "the Harf Sufyan and Huth districts in Amran province.\n",
    "seat": "Rebels advance\nBANGUI, Central African Republic — Seleka rebels seized the capital of Ouham Prefecture, "
            "the town of Bossangoa, on Monday.\n",
    "hung_verb": "Sudan fighting\nKHARTOUM, Sudan — Last year the RSF, a paramilitary group, captured Nyala and "
                 "Zalingei, the capitals of two Darfur states.\n",
    "relative": "Somalia\nMOGADISHU, Somalia — The town of Bulo Burde, which the army captured from al-Shabaab "
                "last year, was calm on Monday.\n",
    "gerund": "Ukraine\nKYIV, Ukraine — Ukrainian troops have been advancing for days since seizing the village of "
              "Robotyne, the military said.\n",
    "aimed": "South Sudan\nJUBA, South Sudan — The rebels launched an offensive aimed at seizing the town of Bentiu, "
             "the army said.\n",
    "leave": "Somalia\nMOGADISHU, Somalia — The withdrawal of the militants leaves the Somali army in control of "
             "Kismayo, officials said.\n",
    "nominal": "South Sudan\nJUBA, South Sudan — The fall of Bentiu to the rebels in April shocked the government. "
               "Officials welcomed the army's recapture of Malakal.\n",
    "prevented": "DR Congo\nGOMA, DR Congo — Troops were sent to prevent the fall of Goma to the M23 rebels, the "
                 "army said.\n",
    "strongholds": "Somalia\nMOGADISHU, Somalia — Troops advanced on the al-Shabaab strongholds of Jilib and "
                   "Jamaame on Monday.\n",
    "headquarters": "Yemen\nSANAA, Yemen — Saudi jets struck the Houthis' headquarters in Saada on Monday, "
                    "officials said.\n",
    "expelled": "Somalia\nMOGADISHU, Somalia — Government troops drove al-Shabaab out of Jilib on Friday, "
                "officials said.\n",
    "driven_by": "Iraq\nBAGHDAD, Iraq — Islamic State fighters were driven out of the city of Ramadi by the Iraqi "
                 "army in December, officials said.\n",
    "failed_expel": "Somalia\nMOGADISHU, Somalia — The army failed to drive the militants out of Jilib, "
                    "residents said.\n",
    "ousted_in": "Yemen\nADEN, Yemen — The government moved south after the Houthis ousted it from power in "
                 "the capital Sanaa, officials said.\n",
    "dated_of": "Ukraine\nDONETSK, Ukraine — Pro-Russian separatists held full control on Sunday of the town of "
                "Horlivka, residents said.\n",
}


@pytest.fixture(scope="module")
def controls() -> dict[str, set[tuple[str, str]]]:
    """(controller label, place label) pairs of each text, one extraction run for all."""
    names = list(TEXTS)
    arts = [article_from_text(TEXTS[n], source=f"{n}.txt", published=dt.date(2024, 5, 7)) for n in names]
    out = {}
    for name, ex in zip(names, extract(arts)):
        def label(k: str) -> str:
            rec = ex.actors.get(k) or ex.places.get(k)
            return rec.label if rec else k
        out[name] = {(label(r.subject), label(r.object)) for r in ex.relations if r.predicate == "controls"}
    return out


def _holds(pairs: set[tuple[str, str]], actor: str, place: str) -> bool:
    return any(actor.lower() in a.lower() and place.lower() in p.lower() for a, p in pairs)


def test_every_coordinated_object_is_taken(controls) -> None:
    pairs = controls["coordinated"]
    assert _holds(pairs, "Boko Haram", "Damboa") and _holds(pairs, "Boko Haram", "Gwoza"), pairs


def test_a_plural_place_noun_groups_its_names(controls) -> None:
    pairs = controls["grouped"]
    assert _holds(pairs, "Houthi", "Harf Sufyan"), pairs
    assert len({p for _, p in pairs}) >= 2, pairs


def test_the_capital_of_a_province_is_the_town_beside_it(controls) -> None:
    pairs = controls["seat"]
    assert _holds(pairs, "Seleka", "Bossangoa"), pairs
    assert not _holds(pairs, "Seleka", "Ouham"), pairs


def test_a_verb_hung_on_its_subject_still_has_a_doer(controls) -> None:
    pairs = controls["hung_verb"]
    assert _holds(pairs, "Rapid Support", "Nyala") and _holds(pairs, "Rapid Support", "Zalingei"), pairs


def test_a_relative_pronoun_object_is_the_noun_it_stands_for(controls) -> None:
    assert _holds(controls["relative"], "army", "Bulo Burde"), controls["relative"]


def test_a_gerund_takes_the_subject_of_its_clause(controls) -> None:
    assert _holds(controls["gerund"], "Ukrainian", "Robotyne"), controls["gerund"]


def test_an_aim_is_not_a_capture(controls) -> None:
    assert not _holds(controls["aimed"], "rebel", "Bentiu"), controls["aimed"]


def test_leave_x_in_control_gives_control_to_x(controls) -> None:
    pairs = controls["leave"]
    assert _holds(pairs, "army", "Kismayo"), pairs
    assert not _holds(pairs, "jihadist", "Kismayo"), pairs


def test_captures_said_by_a_noun(controls) -> None:
    pairs = controls["nominal"]
    assert _holds(pairs, "rebel", "Bentiu"), pairs
    assert _holds(pairs, "army", "Malakal"), pairs


def test_a_fall_prevented_is_no_capture(controls) -> None:
    assert not _holds(controls["prevented"], "M23", "Goma"), controls["prevented"]


def test_strongholds_of_a_and_b(controls) -> None:
    pairs = controls["strongholds"]
    assert _holds(pairs, "Shabab", "Jilib") and _holds(pairs, "Shabab", "Jamaame"), pairs


def test_a_sides_headquarters_is_held_by_it(controls) -> None:
    assert _holds(controls["headquarters"], "Houthi", "Sa"), controls["headquarters"]
    assert not _holds(controls["headquarters"], "Saudi", "Sa"), controls["headquarters"]


def test_held_control_with_the_of_on_the_date(controls) -> None:
    assert _holds(controls["dated_of"], "rebels", "Horlivka"), controls["dated_of"]


def test_the_side_that_expels_holds_the_place(controls) -> None:
    assert _holds(controls["expelled"], "army", "Jilib"), controls["expelled"]
    assert not _holds(controls["expelled"], "Shabab", "Jilib"), controls["expelled"]
    assert _holds(controls["driven_by"], "army", "Ramadi"), controls["driven_by"]
    assert not _holds(controls["driven_by"], "Islamic State", "Ramadi"), controls["driven_by"]


def test_ousted_from_power_in_a_place(controls) -> None:
    assert _holds(controls["ousted_in"], "Houthi", "Sanaa") or _holds(controls["ousted_in"], "Houthi", "Sana"), \
        controls["ousted_in"]


def test_a_failed_expulsion_gives_nothing(controls) -> None:
    assert not _holds(controls["failed_expel"], "army", "Jilib"), controls["failed_expel"]


def test_the_word_lists_are_data() -> None:
    w = control_words()
    for key in ("seat_nouns", "place_group_nouns", "capture_nouns", "fall_nouns", "side_seat_nouns",
                "unrealised_heads", "effort_words", "object_controller_verbs", "expel_verbs", "expel_out_verbs",
                "clear_verbs"):
        assert w[key] and all(x == x.lower() for x in w[key]), key


def test_the_cli_stores_both_coordinated_captures(tmp_path: Path) -> None:
    out = ingest_then_query(tmp_path, TEXTS["coordinated"], "SELECT ?l WHERE { ?a ckg:controls ?p . ?p rdfs:label ?l }")
    assert "Damboa" in out and "Gwoza" in out, out

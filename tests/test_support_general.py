"""Who backs whom, in the phrasings news copy uses for it (kg/nlp/relations/support_phrases.py,
support_sides.py, and the older families in support.py and modifiers.py; word lists in
kg/data/support.json). Every sentence here is hand-written from the pattern, none is a gold
article's; each asserts the backer and the backed, in that direction, and the cues that must
say nothing (denials, negation)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.nlp.extract import extract
from kg.nlp.relations.support_sides import support_words
from kg.read.readers import article_from_text
from tests.conftest import ingest_then_query

# (sentence, backer label, backed label): each must be read
BACKED = [
    ("The Iran-backed group Hezbollah fired rockets at northern Israel on Monday.", "Iran", "Hezbollah"),
    ("Hezbollah, an Iran-backed militia, fired rockets at the town of Kiryat Shmona on Monday.", "Iran", "Hezbollah"),
    ("On Friday, U.S.-backed Syrian Democratic Forces captured the town of Manbij.",
     "United States", "Syrian Democratic Forces"),
    ("Turkey, a close ally of Azerbaijan, condemned the shelling of Ganja on Sunday.", "Turkey", "Azerbaijan"),
    ("The United States is a strategic ally of Pakistan, the ambassador said.", "United States", "Pakistan"),
    ("The Al-Kani militia, loyal to Khalifa Haftar, attacked the town of Garabulli on Saturday.",
     "Al-Kani", "Haftar"),
    ("Government troops and allied Wagner Group fighters retook the town of Bambari on Tuesday.",
     "Wagner Group", "army"),
    ("A Russian warplane was deployed in support of the Syrian army near Palmyra.", "Russian", "Syrian army"),
    ("Iran supports, trains and funds the Houthi rebels, the Saudi foreign minister said.", "Iran", "Houthis"),
    ("Ansar al-Sunna fighters joined forces with the Islamic State in Cabo Delgado last year.",
     "Ansar al-Sunna", "Islamic State"),
    ("The rebels declared allegiance to the Islamic State in 2019.", "rebels", "Islamic State"),
    ("Syrian forces, backed by Russian air strikes, captured the town of Saraqeb on Thursday.",
     "Russia", "Syrian"),
    ("Kenya has sent 400 police officers to Haiti to help the Haitian police fight the gangs.",
     "Kenya", "Haitian"),
    ("The Colombian Air Force came to support the police in Cauca on Sunday.", "Colombian air force",
     "Colombian police"),
    ("Pro-government militias attacked the village of Bakole in Tigray on Monday.", "militias", "government"),
]

# sentences that must give no support at all
NOTHING = [
    "Rwanda has denied backing the M23 rebels in eastern Congo.",
    "Iran does not support the Houthis, its foreign minister said on Monday.",
    "Clashes broke out between the army and forces loyal to the TPLF near Alamata.",
    "Russian officers took part in military actions supporting militants there, the ministry said.",
    "The Al-Kani militia is not loyal to Khalifa Haftar, its commander said.",
    "Turkey is not an ally of Armenia, the minister said on Monday.",
    "The rebels never declared allegiance to the Islamic State.",
    "Kenya did not send troops to help the Somali army.",
    "Wagner fighters were not deployed in support of the Malian army, officials said.",
]


def _supports(sentence: str) -> list[tuple[str, str]]:
    art = article_from_text("Report\n" + sentence + "\n", source="t.txt", published=dt.date(2024, 5, 7))
    ex = next(extract([art]))

    def label(k: str) -> str:
        rec = ex.actors.get(k) or ex.places.get(k)
        return rec.label if rec else k

    return [(label(r.subject), label(r.object)) for r in ex.relations if r.predicate == "supports"]


@pytest.mark.parametrize("sentence,backer,backed", BACKED, ids=[b[1] + ">" + b[2] for b in BACKED])
def test_a_phrasing_of_support_names_backer_and_backed(sentence: str, backer: str, backed: str) -> None:
    got = _supports(sentence)
    assert any(backer.lower() in s.lower() and backed.lower() in o.lower() for s, o in got), got


@pytest.mark.parametrize("sentence", NOTHING)
def test_denied_negated_or_own_forces_give_no_support(sentence: str) -> None:
    assert _supports(sentence) == []


def test_support_runs_one_way() -> None:
    got = _supports("Turkey, a close ally of Azerbaijan, condemned the shelling of Ganja on Sunday.")
    assert ("Azerbaijan", "Turkey") not in got, got


def test_the_word_families_are_data() -> None:
    from kg.model.vocab import ACTOR_CLASSES

    w = support_words()
    for key in ("loyal_adjectives", "allegiance_nouns", "ally_nouns", "in_support_nouns", "fused_suffixes",
                "means_nouns", "government_sides"):
        assert w[key] and all(isinstance(x, str) and x == x.lower() for x in w[key]), key
    assert w["same_state_branches"] <= ACTOR_CLASSES and "Government" not in w["same_state_branches"]
    assert set(w["join_objects"]) and all(isinstance(v, list) for v in w["join_objects"].values())


def test_the_cli_stores_support_read_from_a_fused_modifier(tmp_path: Path) -> None:
    text = ("Manbij falls\nOn Friday, U.S.-backed Syrian Democratic Forces captured the town of Manbij, "
            "a monitor said.\n")
    out = ingest_then_query(tmp_path, text, "SELECT ?a ?b WHERE { ?x ckg:supports ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }")
    assert "United States" in out and "Syrian Democratic Forces" in out, out

"""One node per real entity: the same actor or place in other words, spellings or articles gets
the same key, hence the same IRI (issue 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.nlp.extract import extract
from kg.read.readers import article_from_text


def _extract(*texts: str):
    arts = [article_from_text(t, source=f"t{i}", published=dt.date(2015, 10, 15)) for i, t in enumerate(texts)]
    return list(extract(arts))


def _keys_for(ex, surface: str, kind: str = "actors") -> set[str]:
    items = getattr(ex, kind).values()
    return {x.key for x in items if surface in x.aliases | {x.label}}


@pytest.fixture(scope="module")
def syria():
    return _extract(
        "Nusra fighters attack Idlib\n\nFighters of Jabhat al-Nusra attacked government positions near "
        "Talbiseh on Monday, the Syrian Observatory for Human Rights said, citing AFP.",
        "Clashes near Talbisa\n\nThe al-Nusra Front clashed with the Syrian army near Tallbisah in Homs province, "
        "the Britain-based monitor said. SOHR told Agence France-Presse that five soldiers were killed.",
        "Talbisseh shelled\n\nSyrian troops shelled the rebel-held town of Talbisseh, a monitor said. The Nusra Front "
        "denied losses, according to SOHR.",
    )


def test_named_actors_are_one_node_across_spellings_and_articles(syria):
    nusra = set().union(*(_keys_for(ex, s) for ex in syria for s in ("Jabhat al-Nusra", "al-Nusra Front", "Nusra Front")))
    assert len(nusra) == 1
    sohr = set().union(*(_keys_for(ex, s) for ex in syria
                         for s in ("Syrian Observatory for Human Rights", "SOHR", "the Britain-based monitor", "a monitor")))
    assert len(sohr) == 1 and next(iter(sohr)) == "actor/syrian-observatory-for-human-rights"
    afp = set().union(*(_keys_for(ex, s) for ex in syria for s in ("AFP", "Agence France-Presse")))
    assert len(afp) == 1


def test_generic_sides_are_one_node(syria):
    army = set().union(*(_keys_for(ex, s) for ex in syria for s in ("Syrian army", "Syrian troops")))
    assert army == {"actor/sy/army"}


def test_place_spellings_are_one_node(syria):
    tal = set().union(*(_keys_for(ex, s, "places") for ex in syria for s in ("Talbiseh", "Tallbisah", "Talbisseh")))
    assert tal == {"place/geonames/163779"}

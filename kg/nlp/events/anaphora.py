"""Restatements: 'the operation', 'the attack', 'Wednesday's assault' refer back to an event the
story already told, and 'another strike' is one more of the kind it told."""

from __future__ import annotations

from spacy.tokens import Token

from kg.model.records import EventRecord
from kg.model import classes as C
from kg.nlp.events.places_dates import place_under, within
from kg.nlp.events.words import word_set
from kg.nlp.state import DocState

GENERIC_ANAPHORS = word_set("triggers", "generic_anaphors")
DEFINITE = word_set("triggers", "definite")
SIBLING_WORDS = word_set("triggers", "sibling_words")


def antecedent(st: DocState, t: Token, cls: str) -> EventRecord | None:
    """The latest event already read that a definite trigger refers back to, or None."""
    if not _definite(t):
        return None
    modified = any(c.dep_ in ("amod", "compound") for c in t.children)
    own_place = any(c.dep_ == "prep" and any(st.mention_at(g.i, "place") for g in c.children) for c in t.children)
    plain = not own_place and not modified
    here = next((k for c in t.children if c.dep_ == "prep" and (k := place_under(st, c))), None)
    generic = t.lemma_.lower() in GENERIC_ANAPHORS or t.lower_ in GENERIC_ANAPHORS
    if generic and here and not modified:
        return _placed(st, here)
    if generic and plain:
        # "the assault", "the attack": whatever violent event the story already told; "killed in
        # the fighting" after "retook the town after heavy fighting": the battle for the town
        fits = C.VIOLENT | {C.TERRITORY_CAPTURE}
    elif cls in C.REMOTE and plain:
        fits = C.REMOTE  # "the shelling" after "six airstrikes": the same bombardment, named loosely
    else:
        fits = {cls}
    return next((e for e in reversed(st.events) if e.cls in fits), None)


def _definite(t: Token) -> bool:
    """A noun (or a gerund standing as one: 'in the fighting') with a definite determiner or a
    day as its possessor ('Wednesday's attack'), and no count."""
    if t.pos_ not in ("NOUN", "PROPN") and not (t.tag_ == "VBG" and t.dep_ in ("pobj", "nsubj", "dobj")):
        return False
    det = [c for c in t.children if c.dep_ in ("det", "poss")]
    dated = bool(det) and det[0].dep_ == "poss" and det[0].ent_type_ == "DATE"
    if not det or det[0].lower_ not in DEFINITE and not dated:
        return False
    return not any(c.dep_ == "nummod" for c in t.children)


def _placed(st: DocState, here: str) -> EventRecord | None:
    """'An attack in Burkina Faso ... The assault on the post at Djibo': the same attack, placed."""
    for e in reversed(st.events):
        if e.cls in C.VIOLENT and (e.place is None or st.places[e.place].cls == C.COUNTRY or within(st, here, e.place)):
            if e.place is None or within(st, here, e.place):
                e.place = here
            return e
    return None


def sibling_class(st: DocState, t: Token, cls: str) -> str:
    """'The other attack', 'another strike', 'the second raid': one more of the kind the story
    already told ('Barrel bombs hit Aleppo ... The other attack hit a market' is an airstrike)."""
    if t.pos_ != "NOUN" or t.lemma_.lower() not in GENERIC_ANAPHORS:
        return cls
    mods = {c.lower_ for c in t.children if c.dep_ in ("det", "amod")}
    if not mods & SIBLING_WORDS:
        return cls
    kinds = [e.cls for e in st.events if e.cls in C.REMOTE]
    return kinds[-1] if kinds else cls

"""Captures said by a noun: "the rebels' capture of X", "the capture of X by Y", "the fall of X
to Y", "X's fall to Y", "the army's recapture of X".

Why a reader of its own: news puts a capture in a noun phrase as often as in a verb ("since the
fall of Kidal to the rebels"), and the verb readers never see it. The noun names the place by its
'of' or its possessor and the side by its possessor, 'by' or (for a fall) 'to'; a capture the
sentence only fears, plans or denies ("to prevent the fall of X", "a bid for the capture of X")
gives nothing.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.nlp.relations.control_places import control_words, places_named
from kg.nlp.relations.reading import Reading
from kg.nlp.state import DocState
from kg.nlp.syntax import actor_in, keyed, negated


def nominal_capture(rd: Reading, sent: Span) -> None:
    """'the capture of X by Y', 'Y's seizure of X', 'the fall of X to Y' -> Y controls X."""
    W = control_words()
    nouns = W["capture_nouns"] | W["fall_nouns"]
    st = rd.st
    for t in keyed(st, rd.doc, sent, lemmas=nouns):
        if t.pos_ != "NOUN" or t.lemma_ not in nouns or _unrealised(t):
            continue
        fall = t.lemma_ in W["fall_nouns"]
        places = _captured_places(st, t)
        sides = _takers(st, t, fall)
        kind = "recapture" if t.lemma_ in W["recapture_nouns"] else "capture"
        for a in sides:
            for p in places:
                if p != a:
                    rd.add("controls", a, p, sent, 0.7, kind=kind)


def _captured_places(st: DocState, t: Token) -> list[str]:
    """The 'of' object ('the fall of X'), else a place possessor ('Bunagana's fall')."""
    places = [p for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
              for p in places_named(st, g)]
    if not places:
        places = [m.key for c in t.children if c.dep_ == "poss" and (m := st.mention_at(c.i, "place"))]
    return places


def _takers(st: DocState, t: Token, fall: bool) -> list[str]:
    """Who took it: 'to' for a fall, else 'by' or an actor possessor ('the army's capture')."""
    preps = ("to",) if fall else ("by",)
    sides = [a for c in t.children if c.dep_ in ("prep", "agent") and c.lower_ in preps
             for g in c.children for a in actor_in(st, g)]
    if not sides and not fall:
        sides = [a for c in t.children if c.dep_ == "poss" and not st.mention_at(c.i, "place")
                 for a in actor_in(st, c)]
    return sides


def _unrealised(t: Token) -> bool:
    """A capture feared, planned, resisted or denied: a head word of that kind within three steps
    ('to prevent the fall of X', 'an attempt at the capture of X', 'denied the capture')."""
    heads = control_words()["unrealised_heads"]
    x = t
    for _ in range(3):
        if negated(x) or any(c.dep_ == "amod" and c.lemma_ in ("attempted", "planned", "possible", "imminent")
                             for c in x.children):
            return True
        if x.head is x:
            return False
        x = x.head
        if x.lemma_ in heads:
            return True
    return False


def side_seat(rd: Reading, sent: Span) -> None:
    """'Raqqa, the jihadist group's de facto capital', 'the KIA's headquarters in Laiza', 'Laiza
    is the KIA's headquarters': a side's capital or headquarters is a place it holds."""
    W = control_words()
    st = rd.st
    for t in keyed(st, rd.doc, sent, lemmas=W["side_seat_nouns"]):
        if t.pos_ not in ("NOUN", "PROPN") or t.lemma_.lower() not in W["side_seat_nouns"] or _unrealised(t):
            continue
        if any(c.lower_ in rd.past for c in t.children):
            continue  # 'its former capital'
        sides = [a for c in t.children if _possessor(c) for a in actor_in(st, c)
                 if st.actors[a].cls not in W["not_sides_classes"]]
        if not sides:
            continue
        for p in _seat_places(st, t):
            for a in sides:
                rd.add("controls", a, p, sent, 0.7)


def _possessor(c: Token) -> bool:
    """'the group's', also when the parser files "the KIA’s" as a modifier with its 's."""
    return c.dep_ == "poss" or c.dep_ == "nmod" and any(g.dep_ == "case" and g.tag_ == "POS" for g in c.children)


def _seat_places(st: DocState, t: Token) -> list[str]:
    """The place a seat noun is set beside: 'X, the group's capital', 'its headquarters in X',
    'the group's X headquarters', 'X is the group's capital'."""
    out = [p for c in t.children if c.dep_ == "prep" and c.lower_ == "in" for g in c.children
           for p in places_named(st, g)]
    out += [m.key for c in t.children if c.dep_ == "compound" and (m := st.mention_at(c.i, "place"))]
    if t.dep_ == "appos" and (m := st.mention_at(t.head.i, "place")):
        out.append(m.key)
    if t.dep_ == "attr":
        out += [p for c in t.head.children if c.dep_ == "nsubj" for p in places_named(st, c)]
    return list(dict.fromkeys(out))

"""Control won by driving the other side out: "the army expelled the militants from X", "troops
drove al-Shabaab out of X", "the militants were driven out of X by the army", "the army cleared
X of militants".

Why a reader of its own: an expulsion names both sides and the place, and says who holds it now
(the one who expelled) and who no longer does (the one expelled, recorded as a loss that
Reading.supersede weighs at the end of the doc); none of the capture verbs says it.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.nlp.relations.control_places import control_words, doers, places_named
from kg.nlp.relations.reading import Reading
from kg.nlp.state import DocState
from kg.nlp.syntax import actor_in, keyed, mended_lemma, place_in, realised


def _verbs() -> frozenset[str]:
    W = control_words()
    return W["expel_verbs"] | W["expel_out_verbs"] | W["clear_verbs"]


def expelled(rd: Reading, sent: Span) -> None:
    """The side that expels holds the place it expels the other from."""
    W = control_words()
    st = rd.st
    for t in keyed(st, rd.doc, sent, lemmas=_verbs(), mended=_verbs()):
        lemma = mended_lemma(t)
        if t.pos_ != "VERB" or lemma not in _verbs() or not realised(t):
            continue
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children)
        if lemma in W["clear_verbs"]:
            places = [p for c in t.children if c.dep_ in ("dobj", "nsubjpass") for p in places_named(st, c)]
            losers = [a for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                      for a in actor_in(st, g)]
        else:
            places = _from_places(st, t, lemma in W["expel_out_verbs"])
            losers = [a for c in t.children if c.dep_ in ("nsubjpass" if passive else "dobj",)
                      for a in actor_in(st, c)]
        takers = [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)] \
            if passive else doers(st, t)
        for p in places:
            for a in takers:
                if a not in losers:
                    rd.add("controls", a, p, sent, kind="capture")
            for a in losers:
                rd.losses.add((a, p))


def _from_places(st: DocState, t: Token, needs_out: bool) -> list[str]:
    """The place of 'from X' or 'out of X' ('drive' and its kind only with 'out')."""
    objs: list[Token] = []
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "from" and not needs_out:
            objs += list(c.children)
        if c.lower_ == "out" and c.dep_ in ("prep", "prt", "advmod"):
            objs += [g for p in (*c.children, *t.children) if p.dep_ == "prep" and p.lower_ == "of"
                     for g in p.children]
    out: list[str] = []
    for o in objs:
        found = places_named(st, o)
        if not found and o.lemma_.lower() in control_words()["place_group_nouns"]:
            p = place_in(st, o)  # 'from all the districts they occupied in Cabo Delgado'
            found = [p] if p else []
        if not found:  # 'ousted it from power in the capital Sanaa', 'from their positions in X'
            found = [p for h in (o, t) for c in h.children if c.dep_ == "prep" and c.lower_ == "in"
                     for g in c.children for p in places_named(st, g)]
        out += [p for p in found if p not in out]
    return out

"""The wider reading the control readers share: every place a phrase names, and who does what a
verb says when the parse gives the verb no subject of its own.

Why a module of its own: the readers in control.py each found one place per phrase and one
side per verb, so "captured Goma and Bukavu", "the Assilan, Bayhan and Ain districts" or "the
capital of Lobaye, the city of Mbaïki" gave one fact or a wrong one, and "M23, a militia backed
by Rwanda, captured Goma" (a finite verb the parser hangs on its subject) or "battling for days
since seizing the village of X" (a gerund whose doer is the main clause's subject) gave none.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from kg.nlp.lexicon import load_json
from kg.nlp.state import DocState
from kg.nlp.syntax import RELATIVE, actor_in, named_place, subjects


@lru_cache(maxsize=None)
def control_words() -> dict[str, frozenset[str]]:
    """kg/data/control.json's word lists, as sets."""
    return {k: frozenset(v) for k, v in load_json("control.json").items() if isinstance(v, list)}


def _climb_max() -> int:
    return int(load_json("control.json").get("climb_max", 4))


def places_named(st: DocState, tok: Token) -> list[str]:
    """Every place an object names: itself and its conjuncts ('Goma and Bukavu', 'the villages
    of A, B and C'), the places a plural place noun groups ('the Abdiya and Harib districts'),
    and for 'the capital of X, Y' the seat Y, not the province X it lies in."""
    out: list[str] = []
    for x in (tok, *tok.conjuncts):
        if x.i < tok.i:
            continue  # a conjunct before the object is the object of something else
        for p in _one_place(st, x):
            if p not in out:
                out.append(p)
    return out


def _one_place(st: DocState, x: Token) -> list[str]:
    """The places one conjunct names."""
    W = control_words()
    if st.mention_at(x.i, "place") is None and x.lemma_.lower() in W["seat_nouns"]:
        seat = _seat(st, x)
        if seat:
            return [seat]
    if x.tag_ == "NNS" and x.lemma_.lower() in W["place_group_nouns"] and st.mention_at(x.i, "place") is None:
        grouped = [m.key for c in x.children if c.dep_ in ("nmod", "compound", "amod") and c.i < x.i
                   for y in (c, *c.conjuncts) if (m := st.mention_at(y.i, "place"))]
        if grouped:
            return list(dict.fromkeys(grouped))
    p = named_place(st, x)
    if p is None:
        return []
    found = [p]
    # 'the villages of A, B and C': the conjuncts of the place the 'of' names
    for c in x.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                found += [m.key for y in g.conjuncts if y.i > g.i and (m := st.mention_at(y.i, "place"))]
    return found


def _seat(st: DocState, x: Token) -> str | None:
    """'the capital, Bangui', 'the administrative centre of Lobaye Prefecture, the city of Mbaïki':
    the place set beside the seat noun (or beside the province it is the seat of)."""
    hosts = [x] + [g for c in x.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
    for h in hosts:
        for c in h.children:
            if c.dep_ == "appos":
                m = st.mention_at(c.i, "place")
                if m:
                    return m.key
                if c.lemma_.lower() in control_words()["place_group_nouns"]:
                    p = named_place(st, c)
                    if p:
                        return p
    return None


def object_of(verb: Token, obj: Token) -> Token:
    """A relative pronoun object stands for the noun its clause hangs on ('the base, which the
    army captured last year' -> base)."""
    if obj.lower_ in RELATIVE and verb.dep_ == "relcl":
        return verb.head
    return obj


def doers(st: DocState, verb: Token) -> list[str]:
    """Who does what an active verb says: its subject (kg.nlp.syntax.subjects); for a finite verb
    the parser hung on a noun ('M23, a militia backed by Rwanda, captured Goma') that noun; for
    a gerund or infinitive without a subject ('since seizing X') the subject of the clause it
    hangs in."""
    keys = subjects(st, verb)
    if keys:
        return keys
    if verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBZ", "VBP", "VBG") and not _has_subject(verb):
        return actor_in(st, verb.head)
    if verb.tag_ not in ("VBG", "VB") or _has_subject(verb):
        return []
    x = verb
    W = control_words()
    for _ in range(_climb_max()):
        if x.dep_ not in W["climb_deps"] or x.head is x:
            return []
        x = x.head
        if x.lemma_.lower() in W["effort_words"] or x.lower_ in W["effort_words"]:
            return []  # 'an offensive aimed at seizing X', 'without taking X': not done
        if _has_subject(x) and x.pos_ in ("VERB", "AUX"):
            return subjects(st, x)
    return []


def _has_subject(t: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in t.children)

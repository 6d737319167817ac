"""Whether a trigger tells of something that happened: not negated ('did not attack'), planned
('will launch', 'plans to seize'), conditional, habitual ('shelled nearly daily'), a tally
('several raids') or a claim in passing; and whether a verb above it denies it ('X denied carrying
out the bombing' keeps the bombing, not X as its doer)."""

from __future__ import annotations

import re

from spacy.tokens import Token

from kg.nlp.events.cumulative import is_tally
from kg.nlp.events.words import EventLexicon, word_set

DENY = word_set("modality", "deny")
HABITUAL = word_set("modality", "habitual")
AGGREGATE = word_set("modality", "aggregate")
REALISING = word_set("modality", "realising")
LONG_PERIODS = word_set("modality", "long_periods")
PERIOD_STARTS = word_set("modality", "period_starts")
CONDITIONS = word_set("modality", "conditions")
CLAIMING = word_set("modality", "claiming")
FUTURE_AUX = word_set("modality", "future_aux")
FAILING = word_set("modality", "failing")
PERFECT_AUX = word_set("modality", "perfect_aux")
PROGRESSIVE_AUX = word_set("modality", "progressive_aux")
CHAIN_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj", "prep", "xcomp", "ccomp", "pcomp", "acl", "compound", "amod", "advcl")


def blocked(t: Token, lex: EventLexicon) -> tuple[bool, Token | None]:
    """(unrealised, denying verb) for a trigger."""
    if _background(t) or _no_happening(t):
        return True, None
    chain = _chain(t)
    if any(_unrealised_at(v, k, t, lex) for k, v in enumerate(chain)):
        return True, None
    deny = None
    for v in chain[1:]:
        if v.pos_ in ("VERB", "AUX") and v.lemma_.lower() in DENY:
            deny = v
    return False, deny


def _chain(t: Token) -> list[Token]:
    """The trigger and up to four heads it hangs from through its clause."""
    chain = [t]
    x = t
    for _ in range(4):
        if x.head == x or x.dep_ not in CHAIN_DEPS:
            break
        x = x.head
        chain.append(x)
    return chain


def _background(t: Token) -> bool:
    """A standing state of things told with the trigger or its verb, not a happening."""
    if is_tally(t):
        return True  # "450 soldiers have been killed in such attacks so far this year"
    verb = t if t.pos_ in ("VERB", "AUX") else anchor(t)
    for v in {t, verb}:
        for c in v.children:
            if c.lower_ in HABITUAL and c.dep_ in ("advmod", "npadvmod", "amod"):
                return True  # "targeted nearly daily by artillery"
            if c.dep_ == "prep" and c.lower_ == "for" and any(g.lemma_.lower() in LONG_PERIODS for g in c.children):
                return True  # "have been targeting Cabaret for months"
            if c.dep_ == "prep" and c.lower_ == "since" and any(
                    re.fullmatch(r"(19|20)\d\d", g.text) or g.lemma_.lower() in PERIOD_STARTS for g in c.subtree):
                return True  # "has been battling an insurgency since 2015": the war, not a battle
    return False


def _no_happening(t: Token) -> bool:
    """A tally, a denial of any toll, a condition or an aim."""
    if t.pos_ == "NOUN" and t.tag_ == "NNS" and any(
            c.lower_ in AGGREGATE for c in t.children if c.dep_ in ("amod", "det", "nummod", "quantmod")):
        return True  # "several ground attacks", "repeated raids": a tally, no one happening
    if t.pos_ == "VERB" and nobody(t):
        return True  # "no one was killed": nothing of the kind happened
    if any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in t.children):
        return True  # "unless the rebels shot a ghost aircraft": a condition, not a happening
    # "seeking to advance", "plans to attack": an aim, not a happening
    return t.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children) \
        and t.head.lemma_.lower() not in REALISING


def _unrealised_at(v: Token, k: int, t: Token, lex: EventLexicon) -> bool:
    """Whether the k-th link of the trigger's chain negates it, puts it in the future, or makes
    it a plan, an attempt or a claim made in passing ('..., saying it was targeting IS')."""
    lem = v.lemma_.lower()
    if k > 0 and v.tag_ == "VBG" and lem in CLAIMING:
        return True
    if not (v.pos_ in ("VERB", "AUX") or v == t):
        return False
    kids = list(v.children)
    if any(c.dep_ == "neg" or c.lower_ in lex.negators and c.dep_ in ("neg", "det", "advmod") for c in kids):
        if v == t or lem not in DENY:
            return True  # a denial's own negation ("did not deny") is read with the denial
    if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in kids):
        return True
    return k > 0 and lem not in DENY and lem in lex.modal and lem not in FAILING


def anchor(t: Token) -> Token:
    """A verbal trigger itself; a nominal one, the verb it hangs from (its light verb)."""
    x = t
    for _ in range(3):
        if x.pos_ in ("VERB", "AUX") or x.head == x:
            return x
        x = x.head
    return x


def nobody(verb: Token) -> bool:
    """Whether a verb's subject is 'no one', 'nobody' or 'no casualties'."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            if c.lower_ in ("nobody", "none") or any(d.lower_ == "no" for d in c.children if d.dep_ == "det"):
                return True
    return False


def current(t: Token) -> bool:
    """Whether the trigger's verb is in the present perfect or progressive ('forces have launched
    an offensive', 'the army is shelling X'): news of the day, not of the past."""
    v = t if t.pos_ in ("VERB", "AUX") else anchor(t)
    if v.pos_ not in ("VERB", "AUX"):
        return False
    aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
    return bool(aux & PERFECT_AUX) and v.tag_ == "VBN" or bool(aux & PROGRESSIVE_AUX) and v.tag_ == "VBG"

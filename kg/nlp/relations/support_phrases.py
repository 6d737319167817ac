"""More ways a text says who backs whom, beyond kg/nlp/relations/support.py:
"U.S.-backed fighters" (one token), "militias loyal to Haftar", "declared allegiance to X",
"Turkey, a close ally of Azerbaijan", "KIA troops and their PDF allies", "the SAF and allied Joint
Forces", "a jet was deployed in support of the militia", "X joined forces with Y".

Each reader keys on its words (kg/data/support.json) and reads both ends from the parse; a negated
or hedged word says nothing ("not loyal to", "an alleged ally").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.nlp.relations.reading import Reading
from kg.nlp.relations.support_sides import backed_party, own_forces, prefix_backer, support_words
from kg.nlp.syntax import (
    RELATIVE, actor_in, actors_or_countries, coordination_root, doubted, keyed, negated, own_actors, realised,
    subjects,
)

_S = support_words()
FUSED = tuple("-" + w for w in sorted(_S["fused_suffixes"]))
LOYALTY_WORDS = frozenset(_S["loyal_adjectives"] | _S["allegiance_nouns"])
ALLY_WORDS = frozenset(_S["ally_nouns"] | {"allied"})
IN_SUPPORT_WORDS = frozenset(_S["in_support_nouns"])
JOIN_WORDS = frozenset(_S["join_lemmas"])


def fused_backing(rd: Reading, sent: Span) -> None:
    """'U.S.-backed Kurdish fighters': one token whose last part is a backing participle."""
    st = rd.st
    low = st.tokens(rd.doc).lower
    for i in range(sent.start, sent.end):
        if not low[i].endswith(FUSED):
            continue
        t = rd.doc[i]
        prefix = t.text.rsplit("-", 1)[0]
        if not prefix or negated(t) or doubted(t):
            continue
        backer = prefix_backer(st, prefix)
        noun = t.head if t.head is not t else None
        if backer is None:
            continue
        if noun is not None and noun.pos_ in ("NOUN", "PROPN"):
            backed = backed_party(st, noun, skip=(t.i, t.i + 1), whole=False)
        else:  # a parse that hangs the word elsewhere: the name right after it
            m = st.mention_at(t.i + 1, "actor") if t.i + 1 < sent.end else None
            backed = [m.key] if m and m.key in st.actors else []
        for a in backed[:1]:
            rd.add("supports", backer, a, sent)


def loyalty(rd: Reading, sent: Span) -> None:
    """'militias loyal to Haftar', 'X, loyal to Y', 'X declared allegiance to Y': X backs Y."""
    st = rd.st
    for t in keyed(st, rd.doc, sent, lowers=LOYALTY_WORDS):
        if negated(t) or doubted(t):
            continue
        holders = (t, t.head) if t.lower_ in _S["allegiance_nouns"] else (t,)
        patrons = [a for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ == "to"
                   for g in c.children for a in actors_or_countries(st, g)]
        if not patrons:
            continue
        if t.lower_ in _S["allegiance_nouns"]:
            verb = t.head
            clients = subjects(st, verb) if verb.pos_ in ("VERB", "AUX") and realised(verb) else []
        else:
            clients = _loyal_holder(rd, t)
        for c in clients[:2]:
            rd.add("supports", c, patrons[0], sent, 0.7)


def _loyal_holder(rd: Reading, t: Token) -> list[str]:
    """Who a 'loyal to' adjective is said of: the noun it modifies, or the subject it is
    predicated of ('the militia remained loyal to X')."""
    st = rd.st
    if t.dep_ in ("acomp", "oprd", "attr") and t.head.pos_ in ("VERB", "AUX"):
        return [a for c in t.head.children if c.dep_ == "nsubj" and c.lower_ not in RELATIVE
                for a in actor_in(st, c)] or (subjects(st, t.head) if t.head.dep_ == "relcl" else [])
    head = t.head
    if head is t or head.pos_ not in ("NOUN", "PROPN") or own_forces(st, head):
        return []
    return backed_party(st, head, skip=(t.i, t.right_edge.i + 1), whole=False)


def ally_nouns(rd: Reading, sent: Span) -> None:
    """'X, a close ally of Y', 'X is Y's main backer', 'Y and their X allies', 'the SAF and allied
    Joint Forces': the one the noun names backs the other."""
    st = rd.st
    for t in keyed(st, rd.doc, sent, lowers=ALLY_WORDS):
        if negated(t) or doubted(t):
            continue
        if t.lower_ == "allied":
            _and_allied(rd, sent, t)
            continue
        if t.pos_ not in ("NOUN", "PROPN"):
            continue
        other = _ally_of(rd, t)
        named = _ally_named(rd, t)
        for x in named[:2]:
            for y in other[:1]:
                if x != y:
                    rd.add("supports", x, y, sent, 0.7)


def _ally_of(rd: Reading, t: Token) -> list[str]:
    """The one an ally noun is the ally of: 'ally of Y', 'Y's ally', 'Y and their allies'."""
    st = rd.st
    out = [a for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "to")
           for g in c.children for a in actors_or_countries(st, g)]
    for c in t.children:
        if c.dep_ == "poss" and c.pos_ != "PRON":
            out += actors_or_countries(st, c)
        elif c.dep_ == "poss" and t.dep_ == "conj":
            out += own_actors(st, coordination_root(t), skip=(t.left_edge.i, t.i + 1))  # 'X and their allies'
    return out


def _ally_named(rd: Reading, t: Token) -> list[str]:
    """Who an ally noun names: the name in apposition either way ('Turkey, a close ally',
    'their PDF allies', 'the ally Russia'), the subject of 'X is an ally', the object of 'its
    allies include X', else the noun's own mention."""
    st = rd.st
    if t.dep_ == "appos":
        return actors_or_countries(st, t.head)
    if t.dep_ == "attr" and t.head.lemma_ in _S["ally_copulas"] and realised(t.head):
        return [a for c in t.head.children if c.dep_ == "nsubj" for a in actors_or_countries(st, c)]
    if t.dep_ == "nsubj" and t.head.lemma_ in _S["ally_copulas"] and realised(t.head):
        return [a for c in t.head.children if c.dep_ in ("dobj", "attr") for a in actors_or_countries(st, c)]
    named = [a for c in t.children if c.dep_ in ("appos", "compound")
             for a in actors_or_countries(st, c)]
    if named:
        return named
    m = st.mention_at(t.i, "actor")
    return [m.key] if m else []


def _and_allied(rd: Reading, sent: Span, t: Token) -> None:
    """'the SAF and allied Joint Forces', 'government troops and allied militias': the allied
    group backs the one it is coordinated with (a parse that reads 'allied' as a verb is
    common here, so the words are read in order)."""
    st, doc = rd.st, rd.doc
    if t.i + 1 >= sent.end or t.i - 2 < sent.start or doc[t.i - 1].lower_ not in _S["allied_followers"]:
        return
    after = st.mention_at(t.i + 1, "actor")
    before = st.mention_at(t.i - 2, "actor")
    if after and before and not after.generic and after.key in st.actors and before.key in st.actors:
        rd.add("supports", after.key, before.key, sent, 0.7)


def in_support(rd: Reading, sent: Span) -> None:
    """'a fighter jet was deployed in support of the militia', 'troops sent in aid of X': the
    clause's subject (active or passive) backs X."""
    st = rd.st
    for t in keyed(st, rd.doc, sent, lowers=IN_SUPPORT_WORDS):
        if t.dep_ != "pobj" or t.head.lower_ != "in":
            continue
        backed = [a for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                  for g in c.children for a in actors_or_countries(st, g)]
        verb = t.head.head
        if not backed or verb.pos_ not in ("VERB", "AUX") or not realised(verb) or negated(verb):
            continue
        givers = [a for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in RELATIVE
                  for a in actors_or_countries(st, c)] or subjects(st, verb, countries=True)
        for g in givers[:2]:
            for b in backed[:2]:
                rd.add("supports", g, b, sent)


def joined_forces(rd: Reading, sent: Span) -> None:
    """'X joined forces with Y', 'X joined the ranks of Y': X backs Y."""
    st = rd.st
    for t in keyed(st, rd.doc, sent, lemmas=JOIN_WORDS):
        if t.pos_ != "VERB" or not realised(t) or negated(t):
            continue
        for d in t.children:
            preps = _S["join_objects"].get(d.lower_) if d.dep_ == "dobj" else None
            if not preps:
                continue
            backed = [a for h in (t, d) for p in h.children if p.dep_ == "prep" and p.lower_ in preps
                      for g in p.children for a in actors_or_countries(st, g)]
            for s_ in subjects(st, t, countries=True)[:2]:
                for b in backed[:1]:
                    rd.add("supports", s_, b, sent)

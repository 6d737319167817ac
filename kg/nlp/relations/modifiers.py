"""Relations said by a modifier on a noun: "rebel-held town of X", "rebel held areas" (control),
"Turkish-backed forces" (support), "pro-government militias" (the group backs that side)."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.model.records import ActorRecord
from kg.nlp.lexicon import fold, nationality_words, patterns, relation_words as lex
from kg.nlp.names import generic_key, generic_label
from kg.nlp.relations.reading import Reading
from kg.nlp.relations.support_sides import backed_party, prefix_backer, support_words
from kg.nlp.syntax import (
    NON_STATE, country_actor, doubted, ended, keyed, negated, own_actors, place_of_np,
    predicate_noun, side_actor,
)


def hyphen_modifiers(rd: Reading, sent: Span) -> None:
    """'X-held', 'X-backed', 'pro-X', and 'X held' without the hyphen."""
    L = lex()
    doc = rd.doc
    for t in keyed(rd.st, doc, sent, lowers=L["control_participles"] | {"-"}):
        if t.text == "-" and sent.start < t.i < sent.end - 1:
            word, mod = doc[t.i - 1], doc[t.i + 1]
        elif (t.lower_ in L["control_participles"] and t.i > sent.start and t.tag_ == "VBN"
              and doc[t.i - 1].head in (t, t.head) and doc[t.i - 1].dep_ in ("amod", "compound", "npadvmod", "nmod")):
            word, mod = doc[t.i - 1], t  # "rebel held areas" (no hyphen)
        else:
            continue
        if mod.lower_ in L["control_participles"]:
            _held(rd, sent, word, mod)
        elif mod.lower_ in L["backing_participles"]:
            _backed(rd, sent, word, mod)
        elif word.lower_ == "pro" and t.text == "-":
            _pro(rd, sent, mod)


def _held(rd: Reading, sent: Span, word: Token, mod: Token) -> None:
    """'rebel-held town of X': the side the modifier names holds the place the noun names."""
    st, doc = rd.st, rd.doc
    if ended(mod) or any(c.lower_ in rd.past for c in mod.head.children if c.dep_ == "advmod" and c.i < word.i):
        return
    actor = side_actor(st, doc, word)
    if actor is None:
        return
    noun = predicate_noun(mod)
    place = place_of_np(st, noun)
    if place is None and mod.i + 1 < sent.end and noun is mod:
        place = place_of_np(st, doc[mod.i + 1])
    rd.add("controls", actor, place, sent)


def _backed(rd: Reading, sent: Span, word: Token, mod: Token) -> None:
    """'Turkish-backed forces': the modifier's side backs the group the noun names."""
    st = rd.st
    if negated(mod) or doubted(mod):
        return
    supporter = side_actor(st, rd.doc, word)
    m = st.mention_at(word.i, "actor")
    if m is not None and m.end > mod.i:
        # 'the Iran-backed group Hezbollah' read as one name: the modifier's word stands alone
        supporter = prefix_backer(st, word.text) or supporter
    noun = predicate_noun(mod)
    supported = backed_party(st, noun, skip=(word.left_edge.i, mod.i + 1), whole=False)
    for a in supported[:1]:
        rd.add("supports", supporter, a, sent)


def _pro(rd: Reading, sent: Span, mod: Token) -> None:
    """'pro-government militias', 'pro-Russian separatists': a non-state group backs that side
    (a state side named generically is made here, as side_actor would)."""
    st, doc = rd.st, rd.doc
    noun = mod.head if mod.head is not mod else doc[min(mod.i + 1, sent.end - 1)]
    while noun.dep_ in ("amod", "compound") and noun.head is not noun and noun.i < noun.head.i:
        noun = noun.head
    group = own_actors(st, noun)
    if not group or st.actors[group[0]].cls not in NON_STATE:
        return  # "pro-government forces" are the government's own
    side = country_actor(st, mod)
    m = st.mention_at(mod.i, "actor")
    if side is None and m is not None and m.key != group[0]:
        side = m.key
    if side is None:
        cc = nationality_words().get(fold(mod.text))
        cls = "Army" if cc else patterns()["side_adjectives"].get(mod.lower_)
        if mod.lower_ in support_words()["government_sides"]:
            cls = "Government"  # 'pro-government militias' back the government, not its army
        if cls in ("Army", "StateForce", "Government"):
            cls = "Government" if cls == "Government" else "Army"
            cc = cc or st.actors[group[0]].country or st.main_country
            side = generic_key(cc, cls)
            if side not in st.actors:
                st.actors[side] = ActorRecord(key=side, label=generic_label(cc, cls), cls=cls, country=cc)
    if side and st.actors.get(side) and st.actors[side].cls not in NON_STATE:
        rd.add("supports", group[0], side, sent, 0.7)

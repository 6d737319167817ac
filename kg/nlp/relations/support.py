"""Who backs whom: "A backed by B", "B backs A", "B, which backs A", "with the support of B",
"with Russian air support", "Ugandan troops are fighting for Kiir", "allied with X", "X provided
air support to Y", "contribute troops to X", "Iran's proxies".

The two readers walk the sentence's key words once; each word is tried by the cases its family
holds, in order (a word can fit more than one: 'send' both provides and contributes).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.model.records import ActorRecord
from kg.nlp.lexicon import fold, nationality_words, patterns, relation_words as lex
from kg.nlp.names import generic_key, generic_label
from kg.nlp.relations.reading import Reading
from kg.nlp.relations.support_sides import backed_party, own_forces, sent_to_back, state_behind
from kg.nlp.syntax import (
    NON_STATE, RELATIVE, STATE_CLASSES, actor_in, actors_or_countries, coordination_root, country_actor,
    doubted, keyed, negated, own_actors, predicate_noun, realised, side_actor, subjects,
)

_W = lex()
# the words `supported` acts on: verbs, participles and nouns of support
SUPPORT_WORDS = frozenset(_W["fight_for_verbs"] | _W["alongside_verbs"] | _W["support_verbs"]
                          | _W["support_participles"] | _W["support_nouns"])
# the words `supported_more` acts on: alliances, aid received, provided or contributed, proxies
ALLIANCE_WORDS = frozenset(_W["ally_words"] | _W["receive_verbs"] | _W["provide_verbs"]
                           | _W["contribute_verbs"] | _W["proxy_nouns"])


def supported(rd: Reading, sent: Span) -> None:
    """Verbs, participles and nouns of support; each case needs a lemma of SUPPORT_WORDS."""
    for t in keyed(rd.st, rd.doc, sent, lemmas=SUPPORT_WORDS):
        if t.lemma_ in _W["fight_for_verbs"] and t.pos_ == "VERB" and realised(t):
            _fights_with(rd, sent, t, "for", 1)  # "Ugandan troops are fighting for Kiir"
        if t.lemma_ in _W["alongside_verbs"] and t.pos_ == "VERB" and realised(t):
            _fights_with(rd, sent, t, "alongside", 2)  # "Chadian troops fought alongside the army"
        if t.lemma_ in _W["support_verbs"] and t.pos_ == "VERB" and t.tag_ != "VBN" and (
                realised(t) or sent_to_back(t, _W["contribute_verbs"])):
            _backs(rd, sent, t)
        if t.lemma_ in _W["support_participles"] and t.tag_ == "VBN" and not negated(t) and not doubted(t):
            _backed_by(rd, sent, t)
        elif t.lemma_ in _W["support_nouns"] and t.pos_ == "NOUN" and (
                t.head.lower_ in _W["support_noun_heads"] or (t.head.lower_ == "of" and t.head.head.lower_ == "cover")):
            _support_noun(rd, sent, t)


def _fights_with(rd: Reading, sent: Span, t: Token, prep: str, most: int) -> None:
    """Fighting on someone's side is support: the subjects back the object of `prep` (at most
    `most` of them)."""
    st = rd.st
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == prep:
            backed = [a for g in c.children for a in actor_in(st, g)]
            for s_ in subjects(st, t, countries=True)[:2]:
                for o in backed[:most]:
                    rd.add("supports", s_, o, sent)


def _backs(rd: Reading, sent: Span, t: Token) -> None:
    """'B backs A', 'B, which backs A', 'Kenya has sent hundreds of officers to help Haiti's police'."""
    st, doc = rd.st, rd.doc
    objs = _backed_objects(rd, t)
    subj = [a for c in t.children if c.dep_ == "nsubj" and c.lower_ not in RELATIVE
            for a in actors_or_countries(st, c)]
    if t.dep_ in ("relcl", "acl") and (not subj or doc[t.i - 1].lower_ in RELATIVE):
        head = coordination_root(t.head)
        if actor_in(st, head, subtree=False) or own_forces(st, head) or head.pos_ == "PROPN":
            subj = own_actors(st, head) or subj  # not 'military actions supporting militants'
        elif head.pos_ == "NOUN":
            subj = []
        if not subj:
            c = country_actor(st, t.head)
            subj = [c] if c else []
    if not subj and t.dep_ in ("advcl", "xcomp") and any(c.tag_ == "TO" for c in t.children):
        subj = subjects(st, t, countries=True)
    for s_ in subj[:2]:
        for o in objs[:2]:
            rd.add("supports", s_, o, sent)


def _backed_objects(rd: Reading, t: Token) -> list[str]:
    """What a verb of support takes: its object; in 'Iran supports, trains and finances the
    Houthis' the object of the last conjunct; in 'groups that Turkey supports' the noun the
    relative clause hangs on."""
    st = rd.st
    dobj = [c for c in t.children if c.dep_ == "dobj"]
    if dobj and t.dep_ == "relcl" and dobj[0].lower_ in RELATIVE:
        return backed_party(st, t.head)
    if not dobj:
        for c in t.subtree:
            if c.dep_ == "conj" and c.head.i >= t.i and c.lemma_ in _W["support_verbs"]:
                dobj = [d for d in c.children if d.dep_ == "dobj"]
                if dobj:
                    break
    if not dobj:  # 'to help the Haitian police fight the gangs'
        dobj = [s for c in t.children if c.dep_ in ("ccomp", "xcomp") for s in c.children if s.dep_ == "nsubj"]
    return [a for c in dobj for a in actor_in(st, c)]


def _backed_by(rd: Reading, sent: Span, t: Token) -> None:
    """'A, backed by B', 'A is supported by B' ('allied with' is read by _allied)."""
    st = rd.st
    supporters = [a for c in t.children if c.dep_ == "agent" for g in c.children
                  for a in actors_or_countries(st, g)]
    supporters += [s for c in t.children if c.dep_ == "agent" for g in c.children
                   for x in (g, *(y for y in g.children if y.dep_ == "conj")) if (s := state_behind(st, x))]
    if t.lower_ in _W["ally_words"] or not supporters:
        return
    backed: list[str] = []
    if t.dep_ in ("acl", "amod", "relcl"):
        head = coordination_root(t.head)
        backed = backed_party(st, t.head) or actor_in(st, head)
    for c in t.children:
        if c.dep_ == "nsubjpass":
            if c.lower_ in RELATIVE and t.dep_ == "relcl":
                continue
            backed = actor_in(st, coordination_root(c))
    for s in supporters:
        for a in backed[:2]:
            rd.add("supports", s, a, sent)


def _support_noun(rd: Reading, sent: Span, t: Token) -> None:
    """'with the support of B', 'with Russian air support', 'under the cover of X': the givers
    back the subject of the clause; air cover backs a government's forces."""
    st = rd.st
    air = t.lemma_ == "cover" or any(x.lower_ in _W["air_support_nouns"] for x in t.children)
    givers = _support_givers(rd, t, air)
    givers += [s for x in (t, *(g for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "from", "by")
                                for g in c.children)) if (s := state_behind(st, x))]
    verb = t.head.head
    while verb.dep_ == "prep" or (verb.pos_ == "NOUN" and verb.dep_ == "pobj"):
        verb = verb.head  # "under the cover of X"
    if verb.pos_ in ("VERB", "AUX") and not realised(verb):
        return
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subj and verb.dep_ in ("xcomp", "advcl", "conj"):
        subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
    backed = [a for s in subj for a in actor_in(st, coordination_root(s))]
    if not backed and verb.pos_ in ("VERB", "AUX"):
        backed = subjects(st, verb)
    military = air or t.lemma_ in _W["military_support_nouns"]
    for s in givers:
        for a in backed[:2]:
            rec = st.actors.get(a)
            if military and rec is not None and rec.cls == "Government" and rec.country:
                army = generic_key(rec.country, "Army")
                a = army if army in st.actors else a
            rd.add("supports", s, a, sent)


def _support_givers(rd: Reading, t: Token, air: bool) -> list[str]:
    """Who gives the support a noun names: 'support of/from/by B', 'B's support', 'Russian air
    support' (a nationality alone stands for that country's army or air force)."""
    st = rd.st
    givers: list[str] = []
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "from", "by"):
            for g in c.children:
                givers += actors_or_countries(st, g)
        elif c.dep_ in ("poss", "amod", "compound", "nmod") and st.mention_at(c.i, "actor"):
            givers.append(st.mention_at(c.i, "actor").key)
        elif c.dep_ in ("amod", "compound", "poss", "nmod"):
            cc = nationality_words().get(fold(c.text))
            if cc:
                cls = "AirForce" if air else "Army"
                key = generic_key(cc, cls)
                if key not in st.actors:
                    st.actors[key] = ActorRecord(key=key, label=generic_label(cc, cls), cls=cls, country=cc)
                st.actors[key].aliases.add(rd.doc[c.i : t.i + 1].text)
                givers.append(key)
            elif country_actor(st, c):
                givers.append(country_actor(st, c))
    return givers


def supported_more(rd: Reading, sent: Span) -> None:
    """Alliances, aid received or provided, troops contributed, proxies. A case that finds its
    word but not its sides ends the word's turn (the cases after it are not tried)."""
    st = rd.st
    for t in keyed(st, rd.doc, sent, lemmas=_W["receive_verbs"] | _W["provide_verbs"] | _W["contribute_verbs"],
                   lowers=_W["ally_words"] | _W["proxy_nouns"]):
        if t.lower_ in _W["ally_words"] and not negated(t) and not doubted(t):
            if not _allied(rd, sent, t):
                continue
        elif t.lemma_ in _W["receive_verbs"] and t.pos_ == "VERB" and realised(t):
            _received(rd, sent, t)
        elif t.lemma_ in _W["provide_verbs"] and t.pos_ == "VERB" and realised(t):
            _provided(rd, sent, t)
        if t.lemma_ in _W["contribute_verbs"] and t.pos_ == "VERB" and realised(t):
            if not _contributes(rd, sent, t):
                continue
        if t.lower_ in _W["proxy_nouns"] and t.pos_ == "NOUN":
            _proxies(rd, sent, t)


def _allied(rd: Reading, sent: Span, t: Token) -> bool:
    """'X, allied with Y', 'forces aligned to Y': the armed group allied with a state backs it;
    otherwise the ally backs the group. False when the phrase names no ally or no group."""
    st = rd.st
    allies = [a for c in t.children if (c.dep_ == "prep" and c.lower_ in ("with", "to")) or c.dep_ == "agent"
              for g in c.children for a in actors_or_countries(st, g)]
    if not allies:
        return False
    noun = predicate_noun(t) if t.dep_ in ("acomp", "attr", "oprd") else (
        t.head if t.dep_ in ("acl", "amod", "relcl") else None)
    if noun is None:
        return False
    own = own_actors(st, coordination_root(noun))
    if not own and noun.lower_ in RELATIVE:
        own = own_actors(st, noun.head)
    by = any(c.dep_ == "agent" for c in t.children)
    for x in own[:2]:
        for y in allies[:2]:
            xa, ya = st.actors.get(x), st.actors.get(y)
            if xa is None or ya is None:
                continue
            if not by and xa.cls in NON_STATE and ya.cls in STATE_CLASSES:
                rd.add("supports", x, y, sent, 0.7)
            else:
                rd.add("supports", y, x, sent, 0.7)
    return True


def _aid(t: Token) -> list[Token]:
    """The support or materiel a verb's object names ('weapons and training', 'air cover')."""
    return [c for c in t.children if c.dep_ == "dobj" and (c.lemma_ in _W["support_nouns"] or c.lemma_ in _W["materiel_nouns"])]


def _received(rd: Reading, sent: Span, t: Token) -> None:
    """'the militia received weapons and training from Iran'."""
    st = rd.st
    given = _aid(t)
    givers = [a for h in (t, *given) for p in h.children if p.dep_ == "prep" and p.lower_ == "from"
              for g in p.children for a in actors_or_countries(st, g)]
    if given:
        for o in subjects(st, t)[:2]:
            for s_ in givers[:2]:
                rd.add("supports", s_, o, sent)


def _provided(rd: Reading, sent: Span, t: Token) -> None:
    """'Russian jets provided air cover to / for the army', 'Iran supplies drones to the Houthis'."""
    st = rd.st
    for d in _aid(t):
        backed = [a for h in (t, d) for p in h.children if p.dep_ == "prep" and p.lower_ in ("to", "for")
                  for g in p.children for a in actor_in(st, g)]
        for s_ in subjects(st, t, countries=True)[:2]:
            for o in backed[:2]:
                rd.add("supports", s_, o, sent)


def _contributes(rd: Reading, sent: Span, t: Token) -> bool:
    """'Kenya and Uganda, which contribute troops to AU peacekeeping forces'. False when what is
    contributed is not troops."""
    st = rd.st
    troops = [c for c in t.children if c.dep_ == "dobj"]
    force_words = set(patterns()["force_nouns"]) | set(patterns()["role_nouns"])
    if not any(c.lower_ in force_words or (st.mention_at(c.i, "actor") and
                                            st.actors[st.mention_at(c.i, "actor").key].cls in STATE_CLASSES)
               or any(g.lower_ in force_words for g in c.subtree) for c in troops):
        return False
    backed = [a for p in t.children if p.dep_ == "prep" and p.lower_ in ("to",)
              for g in p.children for a in own_actors(st, g)]
    for s_ in subjects(st, t, countries=True)[:3]:
        for o in backed[:1]:
            rd.add("supports", s_, o, sent)
    return True


def _proxies(rd: Reading, sent: Span, t: Token) -> None:
    """'Iran's proxies', 'proxies of Iran', 'the Houthis, Iran's proxies', 'X are Iran's proxies'."""
    st = rd.st
    patrons = [side_actor(st, rd.doc, c) for c in t.children if c.dep_ in ("poss", "compound", "amod") and c.i < t.i]
    patrons += [a for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "for")
                for g in c.children for a in actors_or_countries(st, g)]
    patrons = [p for p in patrons if p]
    if not patrons:
        return
    if t.dep_ == "appos":
        proxies = own_actors(st, t.head)
    elif t.dep_ in ("attr",) and realised(t.head):
        proxies = [a for c in t.head.children if c.dep_ == "nsubj" for a in own_actors(st, c)]
    else:
        proxies = own_actors(st, t)
    for pa in patrons[:1]:
        for x in proxies[:2]:
            rd.add("supports", pa, x, sent, 0.7)

"""Who did it and to whom. A verbal trigger's agent is its subject (or the by-phrase of a
passive); a nominal one takes it from its by-phrase, its possessor, a nationality or actor
modifier ('Russian air raid'), or the subject of the light verb that governs it ('forces launched
an offensive'). Targets are objects and 'on'/'against' phrases."""

from __future__ import annotations

from spacy.tokens import Token

from kg.model.records import ActorRecord
from kg.model import classes as C
from kg.nlp.events.words import EventLexicon, word_set
from kg.nlp.lexicon import fold, nationality_words
from kg.nlp.names import generic_key, generic_label
from kg.nlp.state import DocState
from kg.nlp.syntax import actor_in, subject_actors

AGENT_PREPS = word_set("roles", "agent_preps")
BETWEEN = word_set("roles", "between")
CLASH_WITH = word_set("roles", "clash_with")
PLAIN_STRIKES = word_set("roles", "plain_strikes")
AIR_WORDS = word_set("roles", "air_words")
TARGET_PREPS = word_set("roles", "target_preps")
TARGETING_CLAUSES = word_set("roles", "targeting_clauses")


def agents(st: DocState, t: Token, cls: str, lex: EventLexicon) -> list[str]:
    """The doers of the event a trigger names, by the first of these readings that finds any."""
    gerund = t.tag_ == "VBG" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")  # "Fighting between X and Y"
    if t.pos_ == "VERB" and not gerund:
        by_event = _event_subject_agents(st, t, lex)
        return _verbal_agents(st, t) if by_event is None else by_event
    found = _phrase_agents(st, t, cls) or _modifier_agents(st, t, cls) or _light_verb_agents(st, t, cls, lex)
    if cls == C.ARMED_CLASH and not found:
        # "clashes between X and Y" already handled; "fighting with X" names one side
        found = [a for c in t.children if c.dep_ == "prep" and c.lower_ in CLASH_WITH
                 for g in c.children for a in actor_in(st, g)]
    return found


def _verbal_agents(st: DocState, t: Token) -> list[str]:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children):
        return [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
    return subject_actors(st, t) or [a for sb in t.children if sb.dep_ == "nsubj" for a in _fired_by(st, sb)]


def _fired_by(st: DocState, sb: Token) -> list[str]:
    """'A missile fired by Houthi rebels struck ...': the weapon's firer."""
    return [a for c in sb.children if c.dep_ == "acl"
            for ag in c.children if ag.dep_ == "agent" for g in ag.children for a in actor_in(st, g)]


def _event_subject_agents(st: DocState, t: Token, lex: EventLexicon) -> list[str] | None:
    """'An Israeli strike on a Hezbollah position killed three fighters': when the subject of
    the verb is itself an event noun, that noun's account names the doers (its modifier,
    possessor or by-phrase) and the verb only adds the toll and the victims, so the verb claims
    no doer of its own -- never the actors of the noun's 'on' phrase, who are what it hit. None
    when the subject is not an event noun."""
    for sb in t.children:
        if sb.dep_ == "nsubj" and sb.pos_ == "NOUN" and (sb.lemma_.lower() in lex.nouns or sb.lower_ in lex.nouns):
            return _fired_by(st, sb)
    return None


def _phrase_agents(st: DocState, t: Token, cls: str) -> list[str]:
    """'an attack by X', 'fighting between X and Y', 'X's offensive'."""
    found: list[str] = []
    for c in t.children:
        if c.dep_ == "prep" and (c.lower_ in AGENT_PREPS and cls != C.WITHDRAWAL or c.lower_ in BETWEEN):
            for g in c.children:
                found += actor_in(st, g)
        if c.dep_ == "poss":
            found += actor_in(st, c, subtree=False)
    return found


def _modifier_agents(st: DocState, t: Token, cls: str) -> list[str]:
    """The first actor or nationality word before the trigger in its phrase ('Russian air raid')."""
    doc = t.doc
    for k in range(t.left_edge.i, t.i):
        m = st.mention_at(k, "actor")
        if m and st.actors[m.key].cls != C.CIVILIANS:
            return [m.key]
        cc = nationality_words().get(fold(doc[k].text))
        if cc and doc[k].dep_ in ("amod", "compound", "nmod"):
            return [national(st, cc, cls, doc[k], t)]
    return []


def _light_verb_agents(st: DocState, t: Token, cls: str, lex: EventLexicon) -> list[str]:
    """The agents of the light verb above a nominal trigger ('forces launched an offensive')."""
    found: list[str] = []
    v = t.head
    hops = 0
    while hops < 3 and v.pos_ in ("VERB", "AUX", "NOUN") and v != v.head:
        if v.pos_ == "VERB" and v.lemma_.lower() in lex.light:
            found = agents(st, v, cls, lex)
            break
        if t.dep_ in ("dobj",) and v.pos_ == "VERB":
            break
        v = v.head
        hops += 1
    if not found and t.head.lemma_.lower() in lex.light and t.dep_ in ("dobj", "nsubjpass"):
        found = agents(st, t.head, cls, lex)
    return found


def national(st: DocState, cc: str, cls: str, tok: Token, trigger: Token) -> str:
    """'Russian air raid' -> the Russian air force; 'a Russian strike' (by air, missile or
    drone, unsaid) -> Russian forces; 'Israeli shelling' -> the Israeli army."""
    word = trigger.lemma_.lower()
    acls = C.ARMY
    if cls == C.AIRSTRIKE:
        acls = C.STATE_FORCE if word in PLAIN_STRIKES and not any(
            c.lower_ in AIR_WORDS for c in trigger.children) else C.AIR_FORCE
    key = generic_key(cc, acls)
    if key not in st.actors:
        st.actors[key] = ActorRecord(key=key, label=generic_label(cc, acls), cls=acls, country=cc)
    st.actors[key].aliases.add(tok.text)
    return key


def targets(st: DocState, t: Token) -> list[str]:
    """What a trigger acts on: its object (or a passive's subject), its 'on'/'against' phrase, or
    the object of a targeting clause on it."""
    out: list[str] = []
    for c in t.children:
        if c.dep_ in ("dobj",) or (c.dep_ == "nsubjpass" and t.pos_ == "VERB"):
            out += actor_in(st, c)
        if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
            for g in c.children:
                out += actor_in(st, g)
    for c in t.children:
        if c.dep_ in ("advcl", "xcomp") and c.lemma_ in TARGETING_CLAUSES:
            for g in c.children:
                if g.dep_ == "dobj":
                    out += actor_in(st, g)
    return out


def without_deniers(st: DocState, found: list[str], deny: Token | None) -> list[str]:
    """'X denied carrying out the bombing': X is not its agent."""
    if deny is None:
        return found
    denier = [a for c in deny.children if c.dep_ == "nsubj" for a in actor_in(st, c)]
    return [a for a in found if a not in denier]

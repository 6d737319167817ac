"""Words that name an event (kg/data/events.json): nouns and noun phrases by their words or the
lemma of their head, verbs by lemma, refined by what they act on ('attacked rebel-held towns' is an
offensive, 'four fighters were captured' an arrest); and the triggers that are no event of their
own ('military operations spokesman', 'backed by Russian airstrikes')."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.model import classes as C
from kg.nlp.events.words import EventLexicon, word_seq, word_set, word_value
from kg.nlp.state import DocState, state

SKIP_HEADS = word_set("triggers", "skip_heads")
TITLE_HEADS = word_set("triggers", "title_heads")
SUPPORT_NOUNS = word_set("triggers", "support_nouns")
SUPPORT_VERBS = word_set("triggers", "support_verbs")
SUPPORT_PREPS = word_set("triggers", "support_preps")
SUPPORT_TRIGGERS = word_set("triggers", "support_triggers")
SUPPORT_TRIGGER_PREPS = word_set("triggers", "support_trigger_preps")
FIRE_PREPS = word_set("triggers", "fire_preps")
MODIFIER_VERBS = word_set("triggers", "modifier_verbs")
WEAPON_VERBS = word_set("triggers", "weapon_verbs")
HIT_PREPS = word_seq("triggers", "hit_preps")
CIVILIAN_HIT_PREPS = word_seq("triggers", "civilian_hit_preps")
HITTING_CLAUSES = word_set("triggers", "hitting_clauses")
HELD_GROUND = re.compile(word_value("triggers", "held_ground"))

Trigger = tuple[Token, str, int]  # head token, class, length in tokens


def find_triggers(st: DocState, sent: Span, lex: EventLexicon) -> list[Trigger]:
    """Every trigger of a sentence, longest noun phrase first at each word."""
    out: list[Trigger] = []
    doc = sent.doc
    # plain lists (see TokenTable): this reads every token of every sentence; Token objects
    # are made only for the few words that may be triggers
    table = st.tokens(doc)
    s0 = sent.start
    lowers = table.lower[s0 : sent.end]
    lemmas = table.lemma_lower(doc)[s0 : sent.end]
    k = 0
    while k < len(lowers):
        if lowers[k] in lex.noun_starts or lemmas[k] in lex.noun_starts:
            found = _noun_trigger(sent, lowers, lemmas, k, lex)
            if found is not None:
                out.append(found[0])
                k = found[1]
                continue
        if lemmas[k] in lex.verbs:
            t = doc[s0 + k]
            if t.pos_ == "VERB":
                cls = verb_class(t, lex)
                if cls:
                    out.append((t, cls, 1))
        k += 1
    return out


def _noun_trigger(sent: Span, lowers: list[str], lemmas: list[str], k: int,
                  lex: EventLexicon) -> tuple[Trigger, int] | None:
    """(trigger, next position) of the longest noun phrase of the lexicon starting at k."""
    doc = sent.doc
    for n in range(min(lex.max_noun_len, len(lowers) - k), 0, -1):
        words = lowers[k : k + n]
        phrase = " ".join(words).replace(" - ", "-")
        lemma = " ".join([*words[:-1], lemmas[k + n - 1]])
        cls = lex.nouns.get(phrase) or lex.nouns.get(lemma)
        if not cls:
            continue
        head = doc[sent.start + k + n - 1]
        if n == 1 and head.dep_ == "compound" and head.head.lemma_.lower() in lex.nouns:
            # "missile attacks", "rocket attack": the weapon names the kind of attack
            outer = lex.nouns[head.head.lemma_.lower()]
            if lex.rank(cls) < lex.rank(outer):
                return (head.head, cls, 2), head.head.i - sent.start + 1
        if head.pos_ in ("NOUN", "PROPN") and not (
            head.pos_ == "PROPN" and head.text[:1].isupper() and n == 1 and head.i != sent.start
        ):
            return (head, cls, n), k + n
    return None


def verb_class(t: Token, lex: EventLexicon) -> str | None:
    """The class a verb names with its particles, its weapon subject and its object; None when
    they say it is no attack ('shot down 15 drones', 'took place')."""
    lemma = t.lemma_.lower()
    for c in t.children:
        if c.dep_ in ("prt", "advmod") and (pc := lex.particle_classes.get(f"{lemma} {c.lower_}")):
            return pc  # "pushed back an assault": repelled it
    if not _licensed(t, lemma, lex):
        return None
    if lemma == "fire":
        objs = [c for c in t.children if c.dep_ == "dobj"]
        if objs and objs[0].lemma_.lower() in lex.nouns:
            return lex.nouns[objs[0].lemma_.lower()]
        return C.ARMED_CLASH if any(c.lower_ in FIRE_PREPS for c in t.children) else None
    if lemma in MODIFIER_VERBS and t.dep_ == "amod":
        return None
    cls = lex.verbs.get(lemma)
    if lemma in WEAPON_VERBS:
        weapon = next((c.lemma_.lower() for c in t.children if c.dep_ == "nsubj" and c.lemma_.lower() in lex.nouns), None)
        if weapon:
            cls = lex.nouns[weapon]  # "a ballistic missile struck ...": the weapon says what kind
    return _object_class(t, cls, lex)


def _licensed(t: Token, lemma: str, lex: EventLexicon) -> bool:
    """Whether the verb's particles allow it to be read as an event: none that blocks it, and
    those it needs ('leave' needs a place as its object)."""
    if {c.lower_ for c in t.children if c.dep_ in ("prt", "dobj", "advmod")} & set(lex.blocked.get(lemma, ())):
        return False
    need = lex.particles.get(lemma)
    if need is None:
        return True
    if lemma == "leave":
        return any(c.dep_ == "dobj" and state(t.doc).mention_at(c.i, "place") for c in t.children)
    kids = {c.lower_ for c in t.children} | {c.lemma_ for c in t.children}
    return not need or bool(kids & set(need))


def _object_class(t: Token, cls: str | None, lex: EventLexicon) -> str | None:
    """A verb's class as its object refines it."""
    if cls == C.TERRITORY_CAPTURE:
        objs = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
        if objs and objs[0].lemma_.lower() in lex.person_objects and not state(t.doc).mention_at(objs[0].i, "place"):
            return C.ARREST  # "four fighters were captured": people are taken, not ground
    for c in t.children:
        if c.dep_ == "dobj" and cls == C.ARMED_CLASH and held_ground(c):
            return C.OFFENSIVE  # "attacked rebel-held towns": a push on the other side's ground
        if c.dep_ == "dobj" and c.lemma_.lower() in lex.obj_classes and cls == C.ARMED_CLASH:
            return lex.obj_classes[c.lemma_.lower()]
    return cls


def hit_classes(t: Token, lex: EventLexicon, preps: tuple[str, ...] = HIT_PREPS) -> set[str]:
    """Classes named by what a trigger hit: its object, its 'on'/'against' phrase, or what
    a clause on it hit ('a strike that hit a school'); a compound counts with its head
    ('displacement camp', 'refugee camp')."""
    hit = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
    hit += [g for c in t.children if c.dep_ == "prep" and c.lower_ in preps for g in c.children if g.dep_ == "pobj"]
    hit += [g for c in t.children if c.dep_ in ("acl", "advcl", "relcl") and c.lemma_.lower() in HITTING_CLAUSES
            for g in c.children if g.dep_ == "dobj"]
    out = set()
    for h in hit:
        lem = h.lemma_.lower()
        mods = [c.lower_ for c in h.children if c.dep_ in ("compound", "amod")]
        for key in (*(f"{m} {lem}" for m in mods), lem):
            if key in lex.obj_classes:
                out.add(lex.obj_classes[key])
                break
    return out


def civilians_hit(t: Token, lex: EventLexicon) -> bool:
    """'an attack on a displacement camp': what the trigger hit names an attack on civilians."""
    return C.ATTACK_ON_CIVILIANS in hit_classes(t, lex, CIVILIAN_HIT_PREPS)


def target_classes(st: DocState, t: Token, cls: str, targets: list[str], lex: EventLexicon) -> list[str]:
    """Classes an attack takes from what it hit: a strike 'on a village market', shelling that
    'hit homes', a bombing 'targeting civilians' is also an attack on civilians."""
    if cls not in C.REMOTE:
        return []
    out = hit_classes(t, lex)
    if any(st.actors[x].cls == C.CIVILIANS for x in targets if x in st.actors):
        out.add(C.ATTACK_ON_CIVILIANS)
    return sorted(out - {cls})


def not_an_event(t: Token, lex: EventLexicon) -> bool:
    """Whether a trigger word names no event of its own: part of a place phrase ('the front
    line'), of another trigger, of a title, or of a phrase of help."""
    if t.dep_ == "pobj" and t.head.head.lemma_.lower() in SKIP_HEADS:
        return True
    if t.dep_ in ("compound",) and t.head.lower_ in lex.nouns:
        return True
    if t.dep_ in ("compound", "nmod", "amod") and t.head.lemma_.lower() in TITLE_HEADS:
        return True  # "military operations spokesman", "the offensive's commander": a title
    if t.dep_ == "pobj" and t.head.dep_ == "agent" and t.head.head.lemma_ in SUPPORT_VERBS:
        return True  # "backed by Russian airstrikes": a supporter, not an event of its own
    if t.dep_ == "pobj" and t.head.lower_ in SUPPORT_TRIGGER_PREPS and t.lemma_ in SUPPORT_TRIGGERS:
        return True
    return _in_support_phrase(t)  # "under the cover of Russian airstrikes": how a side was helped


def _in_support_phrase(t: Token) -> bool:
    """Whether a nominal trigger sits in a phrase of help: 'under the cover of Russian airstrikes',
    'with the support of drones', 'backed by heavy shelling'."""
    if t.pos_ not in ("NOUN", "PROPN"):
        return False
    x = t
    for _ in range(4):
        if x.head == x:
            return False
        x = x.head
        if x.dep_ == "pobj" and x.lemma_.lower() in SUPPORT_NOUNS and x.head.lower_ in SUPPORT_PREPS:
            return True
        if x.dep_ == "agent" and x.head.lemma_.lower() in SUPPORT_VERBS:
            return True
        if x.pos_ == "VERB":
            return False
    return False


def held_ground(tok: Token) -> bool:
    """'rebel-held towns', 'IS-controlled areas', 'opposition-held territory'."""
    mods = [c for c in tok.children if c.dep_ in ("amod", "compound")]
    words = " ".join(x.text.lower() for m in mods for x in m.subtree)
    return bool(HELD_GROUND.search(words))

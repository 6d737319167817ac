"""Who holds a place: "X, controlled by Y", "X is under government control", "Y took control of
X", "Y captured/retook X", "Y controls X", "X, a stronghold of Y"; and who left one ("the
jihadists left Boni"), which Reading.supersede weighs at the end of the doc.

Each reader finds its key words in a sentence, then the side and the place around them; a claim
that is denied, hedged or over ('briefly held') gives nothing, and a capture only planned says
that the side it was to be taken from still holds the place.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.nlp.lexicon import relation_words as lex
from kg.nlp.relations.control_places import control_words, doers, object_of, places_named
from kg.nlp.relations.reading import Reading
from kg.nlp.syntax import (
    RELATIVE, actor_in, doubted, ended, keyed, mended_lemma, named_place, negated, place_in, place_of_np,
    realised, side_actor, subjects,
)
from kg.nlp.state import DocState

_W = lex()
# verbs that take or lose a place by themselves ('seized', 'took over', 'fell to')
TAKE_VERBS = frozenset(_W["capture_verbs"] | _W["fall_verbs"] | {"take"})
# verbs that need a control noun as object ('took control of', 'maintain their grip on')
CONTROL_NOUN_VERBS = frozenset(_W["take_control_verbs"] | _W["hold_control_verbs"])
_TOOK_KEYS = TAKE_VERBS | CONTROL_NOUN_VERBS  # every case of took_control needs one of these


def controlled_by(rd: Reading, sent: Span) -> None:
    """'X, largely controlled by rebels', 'X is controlled by government forces', 'X was seized by Y'."""
    st = rd.st
    for t in keyed(st, rd.doc, sent, lowers=_W["control_participles"], mended=_W["capture_verbs"]):
        lemma = mended_lemma(t)
        capture = lemma in _W["capture_verbs"] and t.tag_ == "VBN"
        if not (t.lower_ in _W["control_participles"] and t.pos_ in ("VERB", "ADJ")) and not capture:
            continue
        if any(c.lower_ in rd.past for c in t.children) or ended(t) or not realised(t):
            continue
        agents = [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
        if not agents:
            continue
        places: list[str | None] = [None]
        if t.dep_ in ("acl", "amod", "relcl"):
            places = [place_of_np(st, t.head) or (_place_left(st, t) if t.dep_ != "relcl" else None)]
        for c in t.children:
            if c.dep_ in ("nsubjpass", "nsubj") and c.lower_ not in RELATIVE:
                places = places_named(st, c) or [place_in(st, c)]
        kind = "static"
        if capture:
            kind = "recapture" if lemma in _W["recapture_verbs"] else "capture"
        for a in agents:
            for place in places:
                rd.add("controls", a, place, sent, kind=kind)


def _place_left(st: DocState, t: Token) -> str | None:
    """The last place named in the phrase before a participle ('the town of X, seized by Y')."""
    head = t.head
    for mm in reversed(st.mentions):
        if mm.kind == "place" and mm.end <= t.i and mm.start >= head.left_edge.i:
            return mm.key
    return None


def under_control(rd: Reading, sent: Span) -> None:
    """'Hama city is also under government control', 'under the control of X', 'the army is in
    control of X', 'X fell into the hands of Y', 'X remains in rebel hands'."""
    st = rd.st
    nouns = _W["under_control_nouns"]
    for t in keyed(st, rd.doc, sent, lemmas=nouns):
        if t.lemma_ not in nouns or t.head.lower_ not in _W["under_control_preps"]:
            continue
        if t.lemma_ == "control" and t.head.lower_ == "into":
            continue
        prep = t.head
        actors, of_obj = _control_sides(rd, t)
        verb = prep.head
        if not realised(verb) or ended(verb) or any(c.lower_ in rd.past for c in verb.children):
            continue
        if prep.lower_ == "in" and t.lemma_ == "control" and not actors:
            # "the army is now in (full) control of X": the subject controls the object of 'of';
            # "this leaves the government in control of X": the object does
            actors = _in_control_side(st, verb)
            for place in (p for g in of_obj for p in places_named(st, g)):
                for a in actors:
                    rd.add("controls", a, place, sent)
            continue
        for g in of_obj:
            actors += actor_in(st, g)
        place = _held_place(st, verb)
        for a in actors:
            rd.add("controls", a, place, sent)


def _in_control_side(st: DocState, verb: Token) -> list[str]:
    """Who is 'in control': the subject of the verb, or the object of 'leave/keep X in control'."""
    if verb.pos_ not in ("VERB", "AUX"):
        return []
    if verb.lemma_ in control_words()["object_controller_verbs"]:
        return [a for c in verb.children if c.dep_ == "dobj" for a in actor_in(st, c)]
    return subjects(st, verb)


def _control_sides(rd: Reading, t: Token) -> tuple[list[str], list[Token]]:
    """The sides a control noun names by its modifiers ('rebel control', 'their hands'), and the
    objects of its 'of'/'over' ('control of X', 'the hands of Y')."""
    actors: list[str] = []
    of_obj: list[Token] = []
    for c in t.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod"):
            a = side_actor(rd.st, rd.doc, c)
            if a:
                actors.append(a)
        if c.dep_ == "prep" and c.lower_ in ("of", "over"):
            of_obj += list(c.children)
    return actors, of_obj


def _held_place(st: DocState, verb: Token) -> str | None:
    """The place that is 'under control': the subject of the verb, what it brought under control,
    the noun the phrase hangs on ('the area under rebel control'), or the subject of the clause
    it continues."""
    place = None
    if verb.pos_ not in ("VERB", "AUX"):
        place = place_of_np(st, verb)  # "the area under rebel control"
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in RELATIVE:
            place = named_place(st, c) or place_in(st, c)
        if c.dep_ == "dobj" and place is None:
            place = named_place(st, c)  # "brought the town under its control"
    if place is None and verb.dep_ == "relcl":
        place = place_of_np(st, verb.head)
    if place is None and verb.dep_ in ("conj",):
        for c in verb.head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                place = place_in(st, c)
    return place


def _of_over(tok: Token) -> list[Token]:
    """The objects of the 'of'/'over' a control word takes ('control of X', 'grip over X')."""
    return [g for p in tok.children if p.dep_ == "prep" and p.lower_ in ("of", "over") for g in p.children]


def _timed_of(verb: Token) -> list[Token]:
    """'held control on Friday of the town of X': the parser hangs the 'of' on the date."""
    timed = control_words()["timed_nouns_ent_types"]
    return [g for p in verb.children if p.dep_ == "prep" for d in p.children if d.ent_type_ in timed
            for g in _of_over(d)]


def _taken_objects(st: DocState, t: Token, lemma: str) -> tuple[list[Token], str] | None:
    """What a verb of taking takes and how ('capture', 'recapture' or 'static' for 'kept control
    of'); None when the verb is of none of these shapes."""
    return _control_noun_objects(t, lemma) or _verb_objects(st, t, lemma)


def _control_noun_objects(t: Token, lemma: str) -> tuple[list[Token], str] | None:
    """'took / restored control of X', 'kept their grip over X'."""
    ctl = next((c for c in t.children if c.lemma_ in _W["control_nouns"] and c.dep_ == "dobj"), None)
    if ctl is None:
        return None
    if lemma in _W["take_control_verbs"]:
        return _of_over(ctl) + _of_over(t), "recapture" if lemma in _W["restore_verbs"] else "capture"
    if lemma in _W["hold_control_verbs"]:
        return _of_over(ctl) + _timed_of(t), "static"
    return None


def _verb_objects(st: DocState, t: Token, lemma: str) -> tuple[list[Token], str] | None:
    """'took over X', 'seized X', 'had retaken X' (not the passive 'was seized by', read by
    controlled_by)."""
    if lemma == "take" and any(c.dep_ == "prt" and c.lower_ == "over" for c in t.children):
        objs = [c for c in t.children if c.dep_ == "dobj"]
        objs += [g for p in t.children if p.dep_ == "prep" and p.lower_ == "over" for g in p.children]
        return objs, "capture"
    if lemma not in _W["capture_verbs"]:
        return None
    if t.tag_ == "VBN" and not (any(c.dep_ == "aux" for c in t.children)
                                and not any(c.dep_ == "auxpass" for c in t.children)):
        return None
    objs = [object_of(t, c) for c in t.children if c.dep_ == "dobj"]
    if not objs and t.dep_ != "relcl":
        # 'seized and ethnically cleansed X': the object the verb shares with its conjunct
        objs = [c for v in t.children if v.dep_ == "conj" and v.pos_ == "VERB" for c in v.children if c.dep_ == "dobj"]
    # the parser sometimes files a bare name as an adverb ('to retake Bakhmut')
    objs += [c for c in t.children if c.dep_ in ("advmod", "npadvmod", "attr", "oprd", "dep")
             and c.i > t.i and st.mention_at(c.i, "place")]
    if lemma == "take" and any(c.dep_ == "prt" for c in t.children):
        objs = []  # 'took away', 'took off'
    return objs, "capture"


def took_control(rd: Reading, sent: Span) -> None:
    """'its forces had taken control of X', 'the army retook Malakal', 'rebels took over Goma',
    'Kidal fell to the rebels'; 'fighting to seize X from Y': Y still holds X."""
    for t in keyed(rd.st, rd.doc, sent, mended=_TOOK_KEYS):
        if t.pos_ != "VERB":
            continue
        lemma = mended_lemma(t)
        found = _taken_objects(rd.st, t, lemma)
        if found is None:
            if lemma in _W["fall_verbs"]:
                _fell_to(rd, sent, t)
            continue
        objs, kind = found
        if objs:
            _taken(rd, sent, t, lemma, objs, kind)


def _fell_to(rd: Reading, sent: Span, t: Token) -> None:
    """'Kidal fell to the rebels' ('fell into the hands of X' is read by under_control)."""
    st = rd.st
    to = [g for p in t.children if p.dep_ == "prep" and p.lower_ == "to" for g in p.children]
    agents = [a for g in to for a in actor_in(st, g)]
    subj = [c for c in t.children if c.dep_ == "nsubj"]
    if agents and subj and realised(t):
        place = named_place(st, subj[0])
        for a in agents:
            rd.add("controls", a, place, sent, kind="capture")


def _taken(rd: Reading, sent: Span, t: Token, lemma: str, objs: list[Token], kind: str) -> None:
    """The side that took the objects holds them; if the taking is not done, the side it was to
    be taken from still does."""
    st = rd.st
    if lemma in _W["recapture_verbs"] or any(c.lower_ == "back" and c.dep_ in ("prt", "advmod") for c in t.children) \
            or (t.dep_ in ("advcl", "xcomp") and any(c.lower_ == "back" for c in t.head.children)):
        kind = "recapture" if kind != "static" else kind
    if negated(t) or doubted(t):
        return
    places = [p for o in objs for p in places_named(st, o)]
    if not realised(t):
        for a in _from_side(st, t, objs):
            for place in places:
                rd.add("controls", a, place, sent)
        return
    agents = doers(st, t)
    agents += [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
    for place in places:
        for a in agents:
            rd.add("controls", a, place, sent, kind=kind)


def _from_side(st: DocState, verb: Token, objs: list[Token]) -> list[str]:
    """'seize X (in Y) from Z' -> Z; the parser hangs 'from' on the verb, the object or a place."""
    heads = [verb, *objs]
    for o in objs:
        heads += [g for p in o.children if p.dep_ == "prep" for g in p.children]
    heads += [g for p in verb.children if p.dep_ == "prep" and p.lower_ != "from" for g in p.children]
    return [a for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ == "from"
            for g in p.children for a in actor_in(st, g)]


def lost_control(rd: Reading, sent: Span) -> None:
    """'the jihadists left Boni', 'troops withdrew from Kherson', 'the army lost control of X'."""
    st = rd.st
    for t in keyed(st, rd.doc, sent, mended=_W["loss_verbs"]):
        lemma = mended_lemma(t)
        if t.pos_ != "VERB" or lemma not in _W["loss_verbs"] or not realised(t):
            continue
        places: list[str | None] = []
        for c in t.children:
            if c.dep_ == "dobj" and lemma in _W["loss_verbs_transitive"]:
                if c.lemma_ in _W["control_nouns"]:
                    places += [named_place(st, g) for g in _of_over(c)]
                else:
                    places.append(named_place(st, c))
            if c.dep_ == "prep" and c.lower_ in ("from", "of", "out"):
                for g in c.subtree:
                    if g.dep_ == "pobj":
                        places.append(named_place(st, g))
                        break
        places = [x for x in places if x]
        if not places:
            continue
        for a in subjects(st, t):
            for x in places:
                rd.losses.add((a, x))


def active_control(rd: Reading, sent: Span) -> None:
    """'the rebels control large parts of North Kivu', 'government forces hold the city', 'gangs
    that control much of Haiti'."""
    st = rd.st
    verbs = _W["hold_verbs"]
    for t in keyed(st, rd.doc, sent, lemmas=verbs):
        if t.lemma_ not in verbs or t.pos_ != "VERB":
            continue
        if t.tag_ == "VBN" and (any(c.dep_ == "auxpass" for c in t.children)
                                or not any(c.dep_ == "aux" and c.lemma_ == "have" for c in t.children)):
            continue  # 'held by X' is read by controlled_by; 'rebels have held the town' is active
        if not realised(t) or ended(t) or any(c.lower_ in rd.past for c in t.children):
            continue
        agents = subjects(st, t)
        for o in (c for c in t.children if c.dep_ == "dobj"):
            if t.lemma_ == "run" and not st.mention_at(o.i, "place"):
                continue
            places = places_named(st, o)
            if not places and o.lemma_ in _W["territory_share_nouns"]:
                places = next((x for p in o.children if p.dep_ == "prep" and p.lower_ in ("of", "in")
                               for g in p.children if (x := places_named(st, g))), [])
            for place in places:
                for a in agents:
                    rd.add("controls", a, place, sent)


def stronghold(rd: Reading, sent: Span) -> None:
    """'Kidal, a stronghold of the rebels', 'the rebel stronghold of Kidal', 'Kidal is an IS bastion'."""
    st = rd.st
    nouns = _W["stronghold_nouns"]
    for t in keyed(st, rd.doc, sent, lemmas=nouns):
        if t.lemma_ not in nouns or t.pos_ != "NOUN":
            continue
        if any(c.lower_ in rd.past or c.lower_ in _W["former_modifiers"] for c in t.children):
            continue
        actors = _stronghold_of(rd, t)
        if not actors:
            continue
        for place in _stronghold_places(st, t):
            for a in actors:
                rd.add("controls", a, place, sent, 0.7)


def _stronghold_places(st: DocState, t: Token) -> list[str]:
    """The places a stronghold noun names: 'strongholds of A and B', 'the government's stronghold
    Marib city' (the noun it modifies), 'Kidal, a rebel stronghold', 'Kidal is an IS bastion'."""
    places = places_named(st, t)
    if not places and t.dep_ in ("amod", "compound", "nmod") and t.i < t.head.i:
        places = places_named(st, t.head)
    if not places and t.dep_ == "appos":
        m = st.mention_at(t.head.i, "place")
        places = [m.key] if m else []
    if not places and t.dep_ in ("attr",) and realised(t.head):
        subj = [c for c in t.head.children if c.dep_ == "nsubj"]
        places = places_named(st, subj[0]) if subj else []
    return places


def _stronghold_of(rd: Reading, t: Token) -> list[str]:
    """The sides whose stronghold it is: 'the rebel stronghold', 'a stronghold of the rebels'."""
    st = rd.st
    actors: list[str] = []
    # 'the government's stronghold Marib city': the owner is on the noun the stronghold modifies
    owners = [*t.children, *(c for c in t.head.children if c.dep_ == "poss")] if t.dep_ in ("amod", "compound") \
        and t.i < t.head.i else list(t.children)
    for c in owners:
        if c.dep_ == "poss" and actor_in(st, c, subtree=False):
            actors += actor_in(st, c, subtree=False)  # "the government's stronghold": that very node
        elif c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < t.i:
            a = side_actor(st, rd.doc, c)
            if a:
                actors.append(a)
        if c.dep_ == "prep" and c.lower_ in ("of", "for"):
            for g in c.children:
                if not st.mention_at(g.i, "place"):
                    actors += actor_in(st, g)
    return actors

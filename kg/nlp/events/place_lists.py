"""A trigger whose phrase names a list of places tells of one happening per place: 'the villages
of A, B and C have been taken over' is three captures, 'shelling hit A and the towns of B and C'
three places shelled. Scored (and queried) per place, one account naming only the first loses the
rest. Only coordinated places of the trigger's own phrase count, never the sentence's other places,
and only for the classes listed in kg/data/event_words.json ("places" / "list_classes"), whose
events are per place by nature (a capture, a shelling), unlike a clash fought across a region."""

from __future__ import annotations

import copy

from spacy.tokens import Token

from kg.model import classes as C
from kg.model.records import EventRecord
from kg.nlp.events.places_dates import within
from kg.nlp.events.words import word_set
from kg.nlp.state import DocState

LIST_CLASSES = word_set("places", "list_classes")
SAYING = word_set("places", "saying")
PHRASE_DEPS = ("dobj", "nsubjpass", "prep", "nsubj")
MAX_PLACES = 12  # a longer run of names is a table, not a sentence's list


def split_by_place(st: DocState, t: Token, ev: EventRecord) -> list[EventRecord]:
    """The record, or one copy per place when its trigger's phrase lists several."""
    if ev.cls not in LIST_CLASSES or ev.place is None:
        return [ev]
    listed = listed_places(st, t, ev.place)
    if len(listed) < 2:
        return [ev]
    out = []
    for n, (k, at) in enumerate(listed):
        x = copy.copy(ev)
        x.place = k
        if n:
            x.trigger_start = at  # the account's identity (its IRI): the place's offset, unique in the text
        x.agents, x.targets, x.also = list(ev.agents), list(ev.targets), list(ev.also)
        x.supporters, x.reported_by = list(ev.supporters), list(ev.reported_by)
        x.separate = True  # the text sets the places apart: consolidation must not fold them back
        out.append(x)
    return out


def listed_places(st: DocState, t: Token, where: str) -> list[tuple[str, int]]:
    """(key, char offset) of the places coordinated with `where` in the phrase of the trigger
    (or of its light verb) that named it, in text order; [] when it is no list."""
    for phrase in _phrases(t):
        found = [(x, m.key) for x in phrase.subtree if (m := st.mention_at(x.i, "place"))
                 and m.start == x.i]
        if where not in {k for _, k in found}:
            continue
        listed = {k: x.idx for x, k in reversed(found) if _coordinated(x, phrase) and _peer(st, k, where)}
        if where in listed and 2 <= len(listed) <= MAX_PLACES:
            return sorted(listed.items(), key=lambda kv: kv[1])
        return []
    return []


def _phrases(t: Token) -> list[Token]:
    heads = [t]
    if t.head != t and t.head.pos_ in ("VERB", "AUX") and t.head.lemma_.lower() not in SAYING:
        heads.append(t.head)  # "shelling hit A and B": the verb the trigger is subject of
    return [c for h in heads for c in h.children if c.dep_ in PHRASE_DEPS and c is not t]


def _coordinated(x: Token, phrase: Token) -> bool:
    """Whether a place token belongs to a coordination inside the phrase: it or an ancestor
    below the phrase head is a conjunct, or is the first conjunct of one."""
    z = x
    for _ in range(8):
        if z.dep_ == "conj" or any(c.dep_ == "conj" for c in z.children):
            return True
        if z == phrase or z.head == z:
            return False
        z = z.head
    return False


def _peer(st: DocState, key: str, where: str) -> bool:
    """A place of the list, not its setting: no country, and not a place that encloses another
    of the list ('A and B in Karabakh' lists A and B)."""
    rec = st.places.get(key)
    if rec is None or rec.cls == C.COUNTRY:
        return False
    return key == where or not within(st, where, key)

"""Where and when: the place the trigger's phrase points at, else the most specific place of its
sentence that is not someone's origin ('a spokesman in Kabul'), else the place the story named
last; the date of the trigger's clause, not the day a statement was made ('officials said on
Sunday'), else the day the paragraph names."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
import re

from spacy.tokens import Doc, Span, Token

from kg.model.records import EventRecord
from kg.model import classes as C
from kg.nlp.events.words import word_set
from kg.nlp.lexicon import patterns
from kg.nlp.state import DocState, Mention
from kg.nlp.syntax import LEVEL_RANK

PLACE_PREPS = word_set("places", "place_preps")
SAYING = word_set("places", "saying")
ORIGIN_PREPS = word_set("places", "origin_preps")
SPEAKER_VERBS = word_set("places", "speaker_verbs")
RESIDENTS = word_set("places", "residents")
PERIOD_BOUNDS = word_set("places", "period_bounds")


def place(st: DocState, t: Token, sent: Span) -> str | None:
    """The place the trigger's phrase (or its light verb's) points at; else the most specific
    place of the sentence that is not merely someone's origin."""
    return _phrase_place(st, t) or _sentence_place(st, t, sent)


def _phrase_place(st: DocState, t: Token) -> str | None:
    heads = [t]
    if t.head != t and t.head.pos_ == "VERB" and t.head.lemma_.lower() not in SAYING:
        heads.append(t.head)  # a light verb's place ("launched an offensive in X"), not a speaker's
    for h in heads:
        for c in h.children:
            if c.dep_ in ("prep", "advmod", "npadvmod") and (c.lower_ in PLACE_PREPS or c.dep_ != "prep"):
                if h is t and c.lower_ == "of" and t.pos_ == "NOUN" and any(
                        (m := st.mention_at(g.i, "place")) and st.places[m.key].cls == C.COUNTRY for g in c.children):
                    continue  # "the missile attack of Armenia": who attacked, not where
                key = place_under(st, c)
                if key:
                    return key
            if c.dep_ in ("dobj", "nsubjpass") and h.pos_ == "VERB":
                found = _object_place(st, c)
                if found:
                    return found
    return None


def _object_place(st: DocState, c: Token) -> str | None:
    """The place a verb's object is or names ('seized the town', 'shelled the outskirts of X')."""
    if c.i in st.coref_places:
        return st.coref_places[c.i]
    m = st.mention_at(c.i, "place") or next(
        (st.mention_at(x.i, "place") for x in c.subtree if st.mention_at(x.i, "place")), None)
    return m.key if m else None


def _sentence_place(st: DocState, t: Token, sent: Span) -> str | None:
    doc = sent.doc
    cands = [m for m in st.mentions if m.kind == "place" and m.start >= sent.start and m.end <= sent.end]
    cands = [m for m in cands if not any(x.lower_ in RESIDENTS for x in doc[max(sent.start, m.start - 3) : m.start])]
    cands = [m for m in cands if not origin(doc[m.start])]
    if not cands:
        return None
    ranked = sorted(cands, key=lambda m: (-rank(st, m.key), abs(m.start - t.i)))
    return ranked[0].key


def context_place(st: DocState, sent: Span) -> str | None:
    """No place in the sentence: news keeps talking about the place it named last (within
    the two sentences before), e.g. 'The confrontation in Puerto Leguizamo ... Four fighters
    were also captured.'"""
    doc = sent.doc
    prev = [s for s in doc.sents if s.end <= sent.start][-2:]
    if not prev:
        return None
    lo = prev[0].start
    for m in reversed(st.mentions):
        if m.kind == "place" and lo <= m.start < sent.start and m.start >= 0:
            rec = st.places.get(m.key)
            if rec and rec.cls != C.COUNTRY and doc[m.start].idx >= st.body_start and not origin(doc[m.start]):
                return m.key
    return None


def narrower_place(st: DocState, own: str | None, near: str | None) -> str | None:
    """An account's place given the one the story named just before: that one when the account
    has none, or names only the country it lies in (a later sentence of a story about a
    village says "in Colombia"); else its own."""
    if near is None or own is None:
        return own or near
    rec = st.places.get(own)
    return near if rec is not None and rec.cls == C.COUNTRY and near != own and within(st, near, own) else own


def place_under(st: DocState, tok: Token) -> str | None:
    """The most specific place named in a phrase ('on a village in Myanmar's Sagaing region'
    -> Sagaing region, not Myanmar)."""
    found: list[Mention] = [m for x in tok.subtree if (m := st.mention_at(x.i, "place"))]
    if not found:
        return None
    heads = [m for m in found if tok.doc[m.end - 1].dep_ != "conj"]
    found = heads or found  # "in Khartoum, Al Jazirah, White Nile states and El Fasher": a list, led by its first
    return max(found, key=lambda m: (rank(st, m.key), -m.start)).key


def rank(st: DocState, key: str) -> int:
    p = st.places.get(key)
    return LEVEL_RANK.get(p.cls, 0) if p else 0


def within(st: DocState, a: str | None, b: str | None) -> bool:
    """Whether place a is b or lies inside it (through the parents known to the article)."""
    seen = 0
    while a is not None and seen < 8:
        if a == b:
            return True
        p = st.places.get(a)
        a = p.parent if p else None
        seen += 1
    return False


def origin(tok: Token) -> bool:
    """'Major Ahmed Farah from the nearby town of Afgooye', 'a spokesman in Kabul': where a speaker
    comes from or sits, not where the event happened."""
    x = tok
    via_from = False
    for _ in range(6):
        if x.dep_ == "prep":
            via_from = via_from or x.lower_ == "from"
            if via_from and x.head.lemma_.lower() in SAYING:
                return True  # "told Reuters by phone from the nearby town of Jowhar": where the speaker was
            if x.head.pos_ not in ("NOUN", "PROPN"):
                return False  # a place of the verb's: where it happened
            if x.lower_ in ORIGIN_PREPS and (
                    x.head.dep_ in ("nsubj", "appos") and x.head.head.lemma_.lower() in SPEAKER_VERBS
                    or x.head.ent_type_ == "PERSON"):
                return True
        if x.head == x or x.pos_ in ("VERB", "AUX"):
            return via_from and x.lemma_.lower() in SAYING
        x = x.head
    return False


def date(st: DocState, t: Token, sent: Span) -> dt.date | None:
    """The date nearest the trigger in its sentence that dates the happening, not a period's
    bound ('since March') nor the report ('..., officials said on Sunday')."""
    doc = sent.doc
    inside = [(s, e, d) for s, e, d in st.dates if s >= sent.start and e <= sent.end
              and not (s > 0 and doc[s - 1].lower_ in PERIOD_BOUNDS)]
    own = [x for x in inside if not dates_the_report(doc[x[0] : x[1]], t)]
    if not own:
        return None
    return min(own, key=lambda x: abs(x[0] - t.i))[2]


def report_date(st: DocState, sent: Span) -> dt.date | None:
    """The day the sentence's statement was made ('the army said on Sunday'): the latest the
    event can have happened, used when nothing else dates it."""
    doc = sent.doc
    said = [d for s, e, d in st.dates if s >= sent.start and e <= sent.end and dates_the_report(doc[s:e], None)]
    return said[0] if said else None


def dates_the_report(span: Span, trigger: Token | None) -> bool:
    """Whether a date phrase hangs off a verb of saying other than the trigger ('the army said on
    Sunday'), so that it dates the statement."""
    x = span.root
    for _ in range(4):
        if x.head == x:
            return False
        x = x.head
        if x.pos_ in ("VERB", "AUX"):
            if trigger is not None and any(c.dep_ == "dobj" and trigger in c.subtree for c in x.children):
                return False  # "reported violent clashes on Sunday": the event is what was reported
            return x != trigger and x.lemma_.lower() in SAYING
    return False


def context_dates(doc: Doc, st: DocState) -> None:
    """A sentence without a date continues the story of the sentence before it, when that
    one names a day ('The fatalities came on Monday, when ...'): within a paragraph only."""
    if all(ev.date is not None for ev in st.events):
        return
    # (char offset, date, on a caption line): a caption's day is its picture's ("A still from
    # a video of a raid on 30 September"), so it dates only its own line
    text = st.tokens(doc).doc_text  # Doc.text joins every token anew
    dated = sorted((doc[s].idx, d, _is_caption(text, doc[s].idx)) for s, e, d in st.dates
                   if doc[s].idx >= st.body_start and not dates_the_report(doc[s:e], None))
    for ev in st.events:
        if ev.date is None:
            ev.date = _paragraph_date(text, ev, dated)


def _paragraph_date(text: str, ev: EventRecord, dated: list[tuple[int, dt.date, bool]]) -> dt.date | None:
    start = ev.evidence.start
    para = text.rfind("\n\n", 0, start)
    nxt = text.find("\n\n", start)
    lo, hi = para if para >= 0 else 0, nxt if nxt >= 0 else len(text)
    line = _line_span(text, start)
    near = [(abs(at - start), d) for at, d, caption in dated
            if lo <= at < hi and (not caption or line[0] <= at < line[1])]
    return min(near)[1] if near else None


def _line_span(text: str, at: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, at) + 1
    hi = text.find("\n", at)
    return lo, hi if hi >= 0 else len(text)


def _is_caption(text: str, at: int) -> bool:
    lo, hi = _line_span(text, at)
    line = text[lo:hi].strip()
    return any(p.search(line) for p in _caption_patterns())


@lru_cache(maxsize=1)
def _caption_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p, re.I) for p in patterns()["caption_lines"]["patterns"]]

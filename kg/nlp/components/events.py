"""spaCy component `ckg_events`: event accounts with their roles, read from triggers and the parse.

Triggers come from kg/data/events.json (verbs by lemma, nouns and noun phrases). For each trigger:
- negated or unrealised ones ("did not attack", "will launch", "plans to seize") are dropped, and
  a denial ("X denied carrying out the bombing") keeps the event but not X as its agent;
- the agent is the subject (or the by-phrase of a passive); a nominal trigger takes it from its
  by-phrase, its possessor, a nationality or actor modifier ("Russian air raid"), or the subject of
  the light verb that governs it ("forces launched an offensive");
- targets, place, date and fatalities come from the trigger's clause, then from its sentence;
- triggers of one sentence that hang off one another ("launched airstrikes, killing 10 people")
  merge into one account whose class is the most specific of theirs;
- the accounts of one article that restate one event merge into it.

The phases live in kg/nlp/events/ (see its package docstring); this file orders them.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.events.accounts import SentenceReader
from kg.nlp.events.consolidate import consolidate
from kg.nlp.events.places_dates import context_dates, narrower_place
from kg.nlp.events.tolls import Tolls
from kg.nlp.events.triggers import find_triggers
from kg.nlp.events.words import event_words
from kg.nlp.state import state

MAX_SENTENCE = 250  # tokens; longer "sentences" are lists, tables or broken text


class EventExtractor:
    def __init__(self) -> None:
        self.lex = event_words()

    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        reader = SentenceReader(self.lex, Tolls(self.lex))  # tolls are read once per sentence of this doc
        for sent in doc.sents:
            if sent.start_char < st.body_start:
                continue  # the headline restates the body's events
            if len(sent) > MAX_SENTENCE:
                continue  # no news sentence is this long: a list, a table or a broken text
            reader.read(st, sent, find_triggers(st, sent, self.lex))
        st.events = consolidate(st, st.events)
        for ev in st.events:
            # only after merging: restatements without a place must not split from their lead
            ev.place = narrower_place(st, ev.place, ev.context_place)
        context_dates(doc, st)
        for ev in st.events:
            if ev.date is None and ev.report_date is not None:
                ev.date = ev.report_date  # happened by the day it was reported: the best we know
            elif ev.date is None and ev.current and st.published is not None:
                ev.date = st.published  # "forces have launched an offensive": today's news
        return doc


@Language.factory("ckg_events")
def make_events(nlp: Language, name: str) -> EventExtractor:
    return EventExtractor()

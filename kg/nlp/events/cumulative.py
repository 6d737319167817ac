"""Running totals: '450 soldiers have been killed so far this year', 'the conflict has left 2,273
people killed and injured since 2013', 'the death toll of the war rose to 150,000'. News gives
them beside the day's events; read as a toll they make one clash with thousands dead, read as a
trigger an event that never happened on one day. A clause is a tally when it holds one of the
phrases of event_words.json "cumulative" or 'since' before a year or the start of a period."""

from __future__ import annotations

import re

from spacy.tokens import Token

from kg.nlp.events.words import word_seq, word_set

PHRASES = tuple(tuple(p.split()) for p in word_seq("cumulative", "phrases"))
TOLL_PHRASES = PHRASES + tuple(tuple(p.split()) for p in word_seq("cumulative", "toll_phrases"))
SINCE_STARTS = word_set("cumulative", "since_starts")
COMBINED_JOINERS = word_set("cumulative", "combined_joiners")
YEAR = re.compile(r"(19|20)\d\d")
CLAUSE_DEPS = ("advcl", "conj", "ccomp", "xcomp", "relcl", "acl", "parataxis")


def clause_words(tok: Token) -> list[Token]:
    """The words of the clause a token belongs to, without the clauses hanging off it that do
    not hold the token ('killed 5, bringing the total this year to 200': the 5's clause stops
    before 'bringing')."""
    verb = tok
    for _ in range(8):
        if verb.pos_ in ("VERB", "AUX") or verb.head == verb:
            break
        verb = verb.head
    cut = {x.i for c in verb.children if c.dep_ in CLAUSE_DEPS and tok not in c.subtree for x in c.subtree}
    return [x for x in verb.subtree if x.i not in cut]


def is_tally(tok: Token, *, count: bool = False) -> bool:
    """Whether the clause of a trigger (or, with count, of a death count) states a running total
    rather than one event."""
    words = clause_words(tok)
    lower = [x.lower_ for x in words]
    phrases = TOLL_PHRASES if count else PHRASES
    for k, w in enumerate(lower):
        if any(tuple(lower[k : k + len(p)]) == p for p in phrases):
            return True
        if w == "since" and _period_start(words[k]):
            return True
    return False


def _period_start(since: Token) -> bool:
    """'since 2013', 'since the start of the war' -- not 'since July 22' (the offensive's first day)."""
    objs = [g for g in since.subtree if g is not since]
    head = [g for g in since.children if g.dep_ == "pobj"]
    return any(YEAR.fullmatch(g.text) for g in objs) or any(g.lemma_.lower() in SINCE_STARTS for g in head)


def combined(toks: list[Token], j: int, injury: frozenset[str]) -> bool:
    """Whether the death word at j is joined to an injury word ('2,273 killed and injured',
    'killed or wounded'): the count is of both, not of the dead."""
    return j + 2 < len(toks) and toks[j + 1].lower_ in COMBINED_JOINERS and toks[j + 2].lower_ in injury

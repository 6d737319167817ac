"""Who a sentence attributes its claims to: "X said", "according to X", "X told AFP", "citing
X". The reporters are stored per sentence; the events of that sentence cite them."""

from __future__ import annotations

from spacy.tokens import Span

from kg.nlp.lexicon import patterns, relation_words as lex
from kg.nlp.relations.reading import Reading
from kg.nlp.syntax import actor_in, keyed

_CITING: set[str] = lex()["citing_words"]
VERBS: set[str] = set(patterns()["attribution_verbs"])  # lemmas: 'say', 'tell', 'report', ...


def attribution(rd: Reading, sent: Span) -> None:
    """The actors the sentence's claims come from, in order, each once (civilians report nothing)."""
    st, doc = rd.st, rd.doc
    verbs = VERBS
    keys: list[str] = []
    for t in keyed(st, doc, sent, lemmas=verbs, lowers=_CITING | {"according"}):
        if t.lemma_ in verbs and t.pos_ == "VERB":
            keys += [a for c in t.children if c.dep_ in ("nsubj",) for a in actor_in(st, c)]
            keys += [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            for g in doc[t.i + 1].children:
                keys += actor_in(st, g)
            m = st.mention_at(t.i + 2, "actor") or (st.mention_at(t.i + 3, "actor") if t.i + 3 < len(doc) else None)
            if m and m.key not in keys:
                keys.append(m.key)
        if t.lower_ in _CITING:
            keys += [a for c in t.children if c.dep_ == "dobj" for a in actor_in(st, c)]
    seen: list[str] = []
    for k in keys:
        if k not in seen and st.actors.get(k) and st.actors[k].cls not in ("Civilians",):
            seen.append(k)
    if seen:
        st.reporters[sent.start] = seen


def spread_attribution(rd: Reading, sents: list[Span]) -> None:
    """A sentence that names no source of its own takes the source of its neighbour: news text
    attributes a run of sentences once ('Gunmen stormed the village on Monday. Eleven people died,
    the police said.'), before or after the facts. The next sentence is tried first (the attribution
    usually follows the claim), then the previous one, as far as `attribution_reach` says; only
    reporters a sentence states are spread, never ones it inherited."""
    reach = int(lex()["attribution_reach"]["sentences"])
    own = dict(rd.st.reporters)
    for i, sent in enumerate(sents):
        if sent.start in own:
            continue
        for d in range(1, reach + 1):
            near = [sents[j].start for j in (i + d, i - d) if 0 <= j < len(sents) and sents[j].start in own]
            if near:
                rd.st.reporters[sent.start] = list(own[near[0]])
                break

"""spaCy component `ckg_relation_model`: a small trained layer that adds `controls` and `supports`
relations the rule patterns of `ckg_relations` miss.

It runs right after `ckg_relations`. For every pair of mentions inside a sentence -- (actor, place)
and (actor, actor) -- it scores the pair with a logistic regression over parse features
(kg/nlp/relmodel/candidates.py, features.py) and adds a RelationRecord when the probability reaches the threshold
chosen on the training folds, unless the rules already gave that pair in the article. The evidence's
confidence is the probability. Weights: `KG_MODEL_DIR` (a folder holding relations.json) or the
shipped kg/data/relmodel/; `KG_MODEL_DIR=none` or `KG_NO_RELMODEL=1` keeps the rules alone.
See docs/relation-model.md.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.model.records import ActorRecord, Evidence, RelationRecord
from kg.nlp.relmodel.arrays import DocArrays
from kg.nlp.relmodel.candidates import Candidate, candidates
from kg.nlp.relmodel.model import Model, load_configured
from kg.nlp.state import DocState, state

# training sets this: candidates are then kept on doc.user_data[COLLECT_KEY] (features and all)
COLLECT_KEY = "ckg_relmodel_candidates"


class RelationModel:
    collect = False  # class-wide switch for scripts/train_relations.py

    def __init__(self, model: Model | None):
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None and not self.collect:
            return doc
        st = state(doc)
        if not st.mentions or not (self.collect or any(
                r.threshold <= 1.0 for r in self.model.relations.values())):
            return doc
        cands = candidates(doc, st, DocArrays(doc))
        if self.collect:
            doc.user_data[COLLECT_KEY] = cands
        if self.model is None or not cands:
            return doc
        best = self._accepted(st, cands)
        if best:
            _add(doc, st, best)
        return doc

    def _accepted(self, st: DocState, cands: list[Candidate]) -> dict[tuple[str, str, str], tuple[float, Candidate]]:
        """The best-scoring candidate of each pair the model accepts and the rules did not give
        (in either direction, for supports)."""
        have = {(r.predicate, r.subject, r.object) for r in st.relations}
        best: dict[tuple[str, str, str], tuple[float, Candidate]] = {}
        for c in cands:
            w = self.model.get(c.predicate)
            key = (c.predicate, c.subject, c.object)
            if w is None or w.threshold > 1.0 or key in have or c.blocked:
                continue
            if c.predicate == "supports" and (c.predicate, c.object, c.subject) in have:
                continue  # the rules read that support the other way round
            p = w.prob(c.features)
            if p >= w.threshold and (key not in best or p > best[key][0]):
                best[key] = (p, c)
        return best


def _add(doc: Doc, st: DocState, best: dict[tuple[str, str, str], tuple[float, Candidate]]) -> None:
    """Append the accepted relations after the rules' ones, in text order, the probability as the
    evidence's confidence; a country acting as a side becomes an actor, as the rules key it."""
    table = st.tokens(doc)
    for (pred, s, o), (p, c) in sorted(best.items(), key=lambda kv: (kv[1][1].sent_start, kv[0])):
        sent = doc[c.sent_start : c.sent_end]
        for key, is_country in ((s, c.country_subject), (o, c.country_object)):
            if is_country and key not in st.actors:
                place = st.places[key]  # a country acting as itself, as the rules key it
                st.actors[key] = ActorRecord(key=key, label=place.label, cls="Country")
        ev = Evidence(sentence=table.span_text(c.sent_start, c.sent_end).strip(), start=sent.start_char,
                      end=sent.end_char, confidence=round(p, 3))
        st.relations.append(RelationRecord(pred, s, o, ev))


@Language.factory("ckg_relation_model")
def make_relation_model(nlp: Language, name: str) -> RelationModel:
    return RelationModel(load_configured())

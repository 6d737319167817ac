"""spaCy component `ckg_relations`: control of places, support between actors, place nesting said in
the text, and who a sentence attributes its claims to.

Each is a small family of dependency patterns over the parse plus the mentions found before
(kg/nlp/relations/, one module per kind of relation):
- controls: "rebel-held town of X", "X, controlled by Y", "X is under government control",
  "Y took control of X", "Y captured/retook X";
- supports: "A backed by B", "B-backed A", "with the support of B", "with Russian air support";
- locatedIn: "X, a city in Y", "X in Y province", "X, Y" when Y is a larger unit;
- attribution: "X said/reported/told", "according to X", "citing X".

The component only walks the table of families (kg/nlp/relations/families.py) per sentence,
running a family's reader when the sentence holds one of its key words.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.lexicon import relation_words as lex
from kg.nlp.relations.attribution import spread_attribution
from kg.nlp.relations.families import FAMILIES, opens
from kg.nlp.relations.reading import Reading
from kg.nlp.state import Mention, state
from kg.nlp.syntax import actor_in, evidence_of, place_in, sentence_words


class Relations:
    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        rd = Reading(doc, st)
        irregular = lex()["irregular_forms"]
        table = st.tokens(doc)
        lemmas = table.lemma(doc)
        sents = [s for s in doc.sents if len(s) <= 250]  # longer: a list or broken text, nothing reliable
        for sent in sents:
            # one pass for the words of the sentence; each family runs only when one of its words
            # is there (most sentences hold none)
            words = sentence_words(table, lemmas, sent, irregular)
            for row in FAMILIES:
                if opens(words, row):
                    row.read(rd, sent)
        spread_attribution(rd, sents)
        rd.supersede()
        return doc


@Language.factory("ckg_relations")
def make_relations(nlp: Language, name: str) -> Relations:
    return Relations()


__all__ = ["Relations", "actor_in", "place_in", "evidence_of", "Mention"]

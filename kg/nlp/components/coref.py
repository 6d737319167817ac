"""spaCy component `ckg_coref`: light coreference for descriptions of actors already named.

"the monitor", "a monitor", "the Britain-based monitor" -> the article's one Monitor; "the group",
"the Takfiri group" -> its one non-state armed group (else the latest one named before);
"the ministry" -> the Government; "the agency" -> a MediaOutlet; "its forces"/"their troops" -> the
main country's army. A description links forward too (news leads often say "a monitor said"
before naming it), but only to an actor that is the single one of its class.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.state import DocState, Mention, state

HEADS = {
    "monitor": {"Monitor"}, "observatory": {"Monitor"}, "watchdog": {"Monitor"},
    "group": {"RebelGroup", "JihadistGroup", "Militia"}, "movement": {"RebelGroup", "JihadistGroup", "Militia"},
    "organisation": {"RebelGroup", "JihadistGroup", "Militia", "Organisation"},
    "organization": {"RebelGroup", "JihadistGroup", "Militia", "Organisation"},
    "outfit": {"RebelGroup", "JihadistGroup", "Militia"}, "insurgency": {"RebelGroup", "JihadistGroup"},
    "ministry": {"Government"}, "administration": {"Government"},
    "agency": {"MediaOutlet"}, "broadcaster": {"MediaOutlet"}, "channel": {"MediaOutlet"},
    "newspaper": {"MediaOutlet"}, "mission": {"Organisation"},
    "coalition": {"StateForce", "Army", "AirForce"}, "alliance": {"StateForce", "RebelGroup", "Militia"},
}
DETERMINERS = {"the", "a", "an", "this", "that"}
NOT_ARMED = {"civil", "society", "rights", "aid", "humanitarian", "medical", "relief", "advocacy", "civic", "media",
             "press", "news", "research", "monitoring", "community", "women's", "youth", "student", "students"}
PLACE_HEADS = {
    "town": {"Town", "City", "Village"}, "city": {"City", "Town"}, "village": {"Village", "Town"},
    "district": {"District"}, "province": {"Province"}, "region": {"Province", "Region"},
    "base": {"Facility"}, "airbase": {"Facility"}, "hotel": {"Facility"}, "camp": {"Facility"},
}


class Coref:
    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        self._places(doc, st)
        lower = st.tokens(doc).lower  # plain strings: a Token only for the head words
        for t in (doc[i] for i, w in enumerate(lower) if w in HEADS):
            if t.lower_ not in HEADS or t.tag_ not in ("NN", "NNP"):
                continue
            if st.mention_at(t.i) is not None:
                continue
            # find the start of the noun phrase: a determiner reachable through left modifiers
            start = t.i
            j = t.i - 1
            while j >= 0 and j >= t.i - 4 and doc[j].dep_ in ("amod", "compound", "npadvmod", "punct", "det", "nmod") and doc[j].head.i in range(j, t.i + 1):
                start = j
                j -= 1
            if doc[start].lower_ not in DETERMINERS and not (doc[start].lower_ in ("its", "their")):
                # a bare head word ("coalition airstrikes") only for the one actor named with it
                named = [k for k, a in st.actors.items() if t.lower_ in a.label.lower().split()]
                if len(named) != 1:
                    continue
                target = named[0]
                start = t.i
            elif t.dep_ == "appos":
                # "the Observatory, a UK-based group that ...": the description is of its head
                head = st.mention_at(t.head.i, "actor")
                if head is None:
                    continue
                target = head.key
            else:
                if any(doc[k].lower_ in NOT_ARMED for k in range(start, t.i)):
                    continue  # "the local civil society group", "a rights group": not an armed group
                target = self._antecedent(st, HEADS[t.lower_], t.i)
            if target is None:
                continue
            rec = st.actors[target]
            text = doc[start : t.i + 1].text
            rec.aliases.add(text)
            st.add_mention(Mention(start, t.i + 1, target, "actor", text, generic=True))
        return doc

    @staticmethod
    def _places(doc: Doc, st: DocState) -> None:
        """'the town', 'the city', 'the village' -> the last place of a fitting class named before."""
        lower = st.tokens(doc).lower  # plain strings: a Token only for the head words
        for t in (doc[i] for i, w in enumerate(lower) if w in PLACE_HEADS):
            want = PLACE_HEADS.get(t.lower_)
            if want is None or st.mention_at(t.i) is not None:
                continue
            if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children):
                continue
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
                continue  # "the town of X" names X itself
            prev = [m for m in st.mentions if m.kind == "place" and m.end <= t.i and st.places[m.key].cls in want]
            if prev:
                st.coref_places[t.i] = prev[-1].key

    @staticmethod
    def _antecedent(st: DocState, classes: set[str], i: int) -> str | None:
        named = [k for k, a in st.actors.items() if a.cls in classes]
        if len(named) == 1:
            return named[0]
        before = [m for m in st.mentions if m.kind == "actor" and m.start < i and st.actors[m.key].cls in classes]
        return before[-1].key if before else None


@Language.factory("ckg_coref")
def make_coref(nlp: Language, name: str) -> Coref:
    return Coref()

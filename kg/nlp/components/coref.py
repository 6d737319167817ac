"""spaCy component `ckg_coref`: light coreference for descriptions of actors already named.

"the monitor", "a monitor", "the Britain-based monitor" -> the article's one Monitor; "the group",
"the Takfiri group" -> its one non-state armed group (else the latest one named before);
"the ministry" -> the Government; "the agency" -> a MediaOutlet; "its forces"/"their troops" -> the
main country's army. A description links forward too (news leads often say "a monitor said"
before naming it), but only to an actor that is the single one of its class.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.nlp.lexicon import country_words, fold, load_json, metonyms, word_sets
from kg.nlp.names import seat_at
from kg.nlp.state import DocState, Mention, state

_DATA = load_json("coref.json")
HEADS = {k: frozenset(v) for k, v in _DATA["actor_heads"].items()}  # head noun -> actor classes it may mean
PLACE_HEADS = {k: frozenset(v) for k, v in _DATA["place_heads"].items()}
DETERMINERS = word_sets("coref.json")["determiners"]
SEATED = word_sets("coref.json")["seated_classes"]  # "the Britain-based group": maybe the monitor in London
NOT_ARMED = word_sets("coref.json")["not_armed"]  # "a rights group", "the civil society group"
LED_WORDS = word_sets("coref.json")["led_words"]  # "U.S.-led", "Iranian-backed"
OWN_NAME_HEADS = word_sets("coref.json")["own_name_heads"]  # "the coalition": only a body named so
_MODIFIER_DEPS = ("amod", "compound", "npadvmod", "punct", "det", "nmod")


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
            start, target = self._target(doc, st, t)
            if target is None:
                continue
            rec = st.actors[target]
            text = doc[start : t.i + 1].text
            rec.aliases.add(text)
            st.add_mention(Mention(start, t.i + 1, target, "actor", text, generic=True))
        return doc

    def _target(self, doc: Doc, st: DocState, t: Token) -> tuple[int, str | None]:
        """Where the description headed by `t` starts, and the actor it refers to (or None)."""
        # find the start of the noun phrase: a determiner reachable through left modifiers
        start = t.i
        j = t.i - 1
        while j >= 0 and j >= t.i - 4 and doc[j].dep_ in _MODIFIER_DEPS and doc[j].head.i in range(j, t.i + 1):
            start = j
            j -= 1
        if doc[start].lower_ not in DETERMINERS and not (doc[start].lower_ in ("its", "their")):
            # a bare head word ("coalition airstrikes") only for the one actor named with it
            named = [k for k, a in st.actors.items() if t.lower_ in a.label.lower().split()]
            return t.i, (named[0] if len(named) == 1 else None)
        if t.dep_ == "appos":
            # "the Observatory, a UK-based group that ...": the description is of its head
            head = st.mention_at(t.head.i, "actor")
            return start, (head.key if head is not None else None)
        if any(doc[k].lower_ in NOT_ARMED for k in range(start, t.i)):
            return start, None  # "the local civil society group", "a rights group": not an armed group
        if any(_led(doc, k) for k in range(start + 1, t.i)):
            return start, None  # "the U.S.-led coalition": a body its leader heads, none of those named
        found = self._antecedent(st, HEADS[t.lower_], t.i, _seat_country(doc, st.tokens(doc).lower, start, t.i))
        if found is not None and t.lower_ in OWN_NAME_HEADS and not _named_with(st.actors[found], t.lower_):
            return start, None  # "the coalition" is a coalition, never one state's army
        return start, found

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
    def _antecedent(st: DocState, classes: set[str], i: int, seat: str | None = None) -> str | None:
        """The one actor of a fitting class, else the latest named before; a description that says
        where its body sits ("the Britain-based group") only an actor of that country (the monitor
        in London, never the Islamic State it reports on)."""
        if seat is not None:
            classes = classes | SEATED

        def fits(key: str) -> bool:
            a = st.actors[key]
            return a.cls in classes and (seat is None or a.country == seat)
        named = [k for k in st.actors if fits(k)]
        if len(named) == 1:
            return named[0]
        before = [m for m in st.mentions if m.kind == "actor" and m.start < i and fits(m.key)]
        return before[-1].key if before else None


def _led(doc: Doc, k: int) -> bool:
    """'Saudi-led', 'U.S.-led' (one token or three): a body that country heads or backs."""
    low = doc[k].lower_
    return (low in LED_WORDS and k > 0 and doc[k - 1].text == "-") or any(low.endswith("-" + w) for w in LED_WORDS)


def _named_with(actor: object, head: str) -> bool:
    """Whether an actor bears the head word in its own name ('Saudi-led coalition')."""
    names = [actor.label, *actor.aliases]  # type: ignore[attr-defined]
    return any(head in n.lower().split() or n.lower().endswith(head) for n in names)


def _seat_country(doc: Doc, lower: list[str], start: int, head: int) -> str | None:
    """The country a description places its body in ("the Britain-based group", "a London based
    monitor"): the country or capital named before a seat word; None when it names none."""
    for k in range(start, head):
        if not seat_at(lower, k + 1):
            continue
        for n in (2, 1):
            f = fold(doc[max(start, k + 1 - n) : k + 1].text)
            cc = country_words().get(f) or metonyms().get(f)
            if cc:
                return cc
    return None


@Language.factory("ckg_coref")
def make_coref(nlp: Language, name: str) -> Coref:
    return Coref()

"""spaCy component `ckg_relations`: control of places, support between actors, place nesting said in
the text, and who a sentence attributes its claims to.

Each is a small family of dependency patterns over the parse plus the mentions found before:
- controls: "rebel-held town of X", "X, controlled by Y", "X is under government control",
  "Y took control of X", "Y captured/retook X";
- supports: "A backed by B", "B-backed A", "with the support of B", "with Russian air support";
- locatedIn: "X, a city in Y", "X in Y province", "X, Y" when Y is a larger unit;
- attribution: "X said/reported/told", "according to X", "citing X".
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..records import Evidence, RelationRecord
from .actors import generic_key, generic_label
from .lexicon import fold, nationality_words, patterns
from .state import DocState, Mention, state

LEVEL_RANK = {"Country": 0, "Province": 1, "Region": 2, "District": 2, "City": 3, "Town": 3, "Village": 4,
              "Neighbourhood": 5, "Road": 4, "Facility": 5}
LEVEL_WORDS = {"area", "district", "province", "region", "neighbourhood", "neighborhood", "suburb", "outskirts",
               "village", "town", "city", "county", "municipality", "sector", "valley", "countryside", "state"}
CAPTURE_VERBS = {"capture", "seize", "retake", "recapture", "regain", "liberate", "overrun", "occupy", "conquer"}
CONTROL_WORDS = {"held", "controlled", "run", "occupied", "dominated"}
SUPPORT_LEMMAS = {"back", "support", "arm", "fund", "sponsor", "finance", "equip", "train"}


def _negated(t: Token) -> bool:
    """'not controlled', 'are still not controlled', 'never backed', also through an auxiliary."""
    if any(c.dep_ == "neg" or c.lower_ in ("not", "never", "n't") for c in t.children):
        return True
    return t.dep_ in ("xcomp", "acomp") and any(c.dep_ == "neg" for c in t.head.children)


def _named_place(st: DocState, tok: Token) -> str | None:
    """The place an object names: itself, 'the town of X', 'X, the state capital' -- not a place
    merely mentioned inside it ('a number of towns across Hodeidah province')."""
    m = st.mention_at(tok.i, "place")
    if m:
        return m.key
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                m = st.mention_at(g.i, "place")
                if m:
                    return m.key
        if c.dep_ == "appos":
            m = st.mention_at(c.i, "place")
            if m:
                return m.key
    return st.coref_places.get(tok.i)


def evidence_of(sent: Span, conf: float = 0.8) -> Evidence:
    return Evidence(sentence=sent.text.strip(), start=sent.start_char, end=sent.end_char, confidence=conf)


def actor_in(st: DocState, tok: Token, *, subtree: bool = True) -> list[str]:
    """Actor keys mentioned at a token, or (with subtree) anywhere in its phrase, following
    coordination ("government forces and rebels")."""
    keys: list[str] = []
    m = st.mention_at(tok.i)
    if m and m.key in st.actors:
        keys.append(m.key)
    elif subtree:
        toks = [t for t in tok.subtree if t.dep_ not in ("relcl", "acl", "appos") or t == tok]
        lo, hi = min(t.i for t in toks), max(t.i for t in toks) + 1
        for mm in st.mentions:
            if mm.key in st.actors and mm.start >= lo and mm.end <= hi and mm.key not in keys:
                keys.append(mm.key)
                break
    for c in tok.children:
        if c.dep_ == "conj":
            for k in actor_in(st, c, subtree=subtree):
                if k not in keys:
                    keys.append(k)
    return keys


PRONOUNS = {"it", "they", "he", "she", "we"}
REPORTING = {"say", "tell", "report", "claim", "announce", "add", "state", "confirm"}


def subject_actors(st: DocState, verb: Token) -> list[str]:
    """Actors doing what a verb says: its subject, the subject of the clause it continues, and
    for a pronoun ('the army said it had retaken X') the speaker, else the last armed actor named."""
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subj and verb.dep_ in ("xcomp", "conj", "advcl", "acl") and verb.head.pos_ in ("VERB", "AUX"):
        subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
    keys = [a for x in subj for a in actor_in(st, x)]
    if keys or not subj or subj[0].lower_ not in PRONOUNS:
        return keys
    pron = subj[0]
    if verb.dep_ == "ccomp" and verb.head.lemma_ in REPORTING:
        speaker = [a for c in verb.head.children if c.dep_ == "nsubj" for a in actor_in(st, c)]
        if speaker and st.actors[speaker[0]].cls not in ("MediaOutlet", "Monitor", "Person"):
            return speaker[:1]
    before = [m for m in st.mentions if m.key in st.actors and m.end <= pron.i]
    for m in reversed(before[-6:]):
        cls = st.actors[m.key].cls
        if cls not in ("Civilians", "Person", "MediaOutlet", "Monitor", "Organisation", "Government"):
            return [m.key]
    return []


def place_in(st: DocState, tok: Token) -> str | None:
    m = st.mention_at(tok.i, "place")
    if m:
        return m.key
    best = None
    for t in tok.subtree:
        mm = st.mention_at(t.i, "place")
        if mm:
            best = mm.key
            break
    return best


def side_actor(st: DocState, doc: Doc, word: Token) -> str | None:
    """The actor named by a modifier like 'rebel', 'government', 'Russian', 'Houthi'."""
    sides = patterns()["side_adjectives"]
    m = st.mention_at(word.i, "actor")
    if m and not (m.generic and word.lower_ in sides and m.end - m.start == 1):
        return m.key
    pm = st.mention_at(word.i, "place")
    if pm and st.places.get(pm.key) and st.places[pm.key].cls == "Country":
        # "Rwanda-backed rebels": the country itself acts
        from ..records import ActorRecord

        rec = st.actors.setdefault(pm.key, ActorRecord(key=pm.key, label=st.places[pm.key].label, cls="Country"))
        rec.aliases.add(word.text)
        return pm.key
    low = word.lower_
    cc = nationality_words().get(fold(word.text))
    cls = sides.get(low)
    if cls is None and cc:
        cls = "Army"
    if cls is None:
        return None
    if cls in ("StateForce",):
        cls = "Army"
    if cc is None:
        cc = st.main_country
    key = generic_key(cc, cls)
    # a generic non-state side links to the article's one named group of its kind
    named = [a for a in st.actors.values() if a.cls == cls and a.key.count("/") == 1]
    if cls in ("RebelGroup", "JihadistGroup", "Militia") and len(named) == 1:
        return named[0].key
    if key not in st.actors:
        from ..records import ActorRecord

        st.actors[key] = ActorRecord(key=key, label=generic_label(cc, cls), cls=cls, country=cc)
    st.actors[key].aliases.add(word.text)
    return key


class Relations:
    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        p = patterns()
        self.support_phrases = [tuple(x.split()) for x in p["support_phrases"]]
        self.attr_verbs = set(p["attribution_verbs"])
        self.past = set(p["past_adverbs"])
        for sent in doc.sents:
            if len(sent) > 250:
                continue  # a list or broken text, not a sentence: nothing reliable to read
            self._hyphen_modifiers(doc, st, sent)
            self._controlled_by(doc, st, sent)
            self._under_control(doc, st, sent)
            self._took_control(doc, st, sent)
            self._active_control(doc, st, sent)
            self._supported(doc, st, sent)
            self._located(doc, st, sent)
            self._attribution(doc, st, sent)
        return doc

    def _add(self, st: DocState, pred: str, s: str | None, o: str | None, sent: Span, conf: float = 0.8) -> None:
        if not s or not o or s == o:
            return
        for r in st.relations:
            if r.predicate == pred and r.subject == s and r.object == o and r.evidence.start == sent.start_char:
                return
        st.relations.append(RelationRecord(pred, s, o, evidence_of(sent, conf)))

    # "rebel-held town of X", "Turkish-backed forces", "government-controlled Aleppo"
    def _hyphen_modifiers(self, doc: Doc, st: DocState, sent: Span) -> None:
        for t in sent:
            if t.text != "-" or t.i + 1 >= sent.end or t.i == sent.start:
                continue
            word, mod = doc[t.i - 1], doc[t.i + 1]
            target = mod.head if mod.head != mod else doc[min(t.i + 2, len(doc) - 1)]
            if mod.lower_ in CONTROL_WORDS:
                actor = side_actor(st, doc, word)
                place = place_in(st, target) or place_in(st, doc[t.i + 2]) if t.i + 2 < len(doc) else None
                self._add(st, "controls", actor, place, sent)
            elif mod.lower_ in ("backed", "supported", "sponsored", "funded", "armed", "allied", "aligned"):
                supporter = side_actor(st, doc, word)
                supported = actor_in(st, target)
                for a in supported[:1]:
                    self._add(st, "supports", supporter, a, sent)

    # "X, largely controlled by rebels", "X is controlled by government forces"
    def _controlled_by(self, doc: Doc, st: DocState, sent: Span) -> None:
        for t in sent:
            if t.lower_ not in CONTROL_WORDS or t.pos_ not in ("VERB", "ADJ"):
                continue
            if any(c.lower_ in self.past for c in t.children) or _negated(t):
                continue
            agents = [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
            if not agents:
                continue
            place = None
            if t.dep_ in ("acl", "amod", "relcl"):
                place = place_in(st, t.head) if st.mention_at(t.head.i, "place") else self._place_left(st, t)
            for c in t.children:
                if c.dep_ in ("nsubjpass", "nsubj"):
                    place = place_in(st, c)
            for a in agents:
                self._add(st, "controls", a, place, sent)

    def _place_left(self, st: DocState, t: Token) -> str | None:
        head = t.head
        for mm in reversed(st.mentions):
            if mm.kind == "place" and mm.end <= t.i and mm.start >= head.left_edge.i:
                return mm.key
        return None

    # "Hama city is also under government control", "under the control of X"
    def _under_control(self, doc: Doc, st: DocState, sent: Span) -> None:
        for t in sent:
            if t.lemma_ != "control" or t.head.lower_ != "under":
                continue
            actors: list[str] = []
            for c in t.children:
                if c.dep_ in ("amod", "compound", "poss"):
                    a = side_actor(st, doc, c)
                    if a:
                        actors.append(a)
                if c.dep_ == "prep" and c.lower_ == "of":
                    for g in c.children:
                        actors += actor_in(st, g)
            verb = t.head.head
            place = None
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    place = place_in(st, c)
            if place is None and verb.dep_ in ("conj",):
                for c in verb.head.children:
                    if c.dep_ in ("nsubj", "nsubjpass"):
                        place = place_in(st, c)
            for a in actors:
                self._add(st, "controls", a, place, sent)

    # "its forces had taken control of X", "the army retook Malakal"
    def _took_control(self, doc: Doc, st: DocState, sent: Span) -> None:
        for t in sent:
            if t.pos_ != "VERB":
                continue
            objs: list[Token] = []
            if t.lemma_ in ("take", "regain", "seize", "wrest", "gain", "assume") and any(
                c.lemma_ == "control" and c.dep_ == "dobj" for c in t.children
            ):
                ctl = next(c for c in t.children if c.lemma_ == "control" and c.dep_ == "dobj")
                objs = [g for p in ctl.children if p.dep_ == "prep" and p.lower_ in ("of", "over") for g in p.children]
                objs += [g for p in t.children if p.dep_ == "prep" and p.lower_ in ("of", "over") for g in p.children]
            elif t.lemma_ in CAPTURE_VERBS:
                objs = [c for c in t.children if c.dep_ == "dobj"]
            if not objs or _negated(t):
                continue
            agents = subject_actors(st, t)
            agents += [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
            for o in objs:
                place = _named_place(st, o)
                for a in agents:
                    self._add(st, "controls", a, place, sent)

    # "the rebels control large parts of North Kivu", "government forces hold the city"
    def _active_control(self, doc: Doc, st: DocState, sent: Span) -> None:
        for t in sent:
            if t.lemma_ not in ("control", "hold", "occupy") or t.pos_ != "VERB" or t.tag_ == "VBN" or _negated(t):
                continue
            agents = subject_actors(st, t)
            for o in (c for c in t.children if c.dep_ == "dobj"):
                place = _named_place(st, o)
                if place is None and o.lemma_ in ("part", "parts", "area", "areas", "much", "most", "swathe", "swathes"):
                    place = next((st.mention_at(g.i, "place").key for p in o.children if p.dep_ == "prep"
                                  for g in p.children if st.mention_at(g.i, "place")), None)
                for a in agents:
                    self._add(st, "controls", a, place, sent)

    # "A backed by B", "B backs A", "B, which backs A", "with the support of B", "with Russian air support"
    def _supported(self, doc: Doc, st: DocState, sent: Span) -> None:
        for t in sent:
            if t.lemma_ in ("fight", "battle") and t.pos_ == "VERB" and not _negated(t):
                # "Ugandan troops are fighting for Kiir": fighting on someone's side is support
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ == "for":
                        backed = [a for g in c.children for a in actor_in(st, g)]
                        subj = [a for x in t.children if x.dep_ == "nsubj" for a in actor_in(st, x)]
                        for s_ in subj[:2]:
                            for o in backed[:1]:
                                self._add(st, "supports", s_, o, sent)
            if t.lemma_ in SUPPORT_LEMMAS and t.pos_ == "VERB" and t.tag_ != "VBN" and not _negated(t):
                objs = [a for c in t.children if c.dep_ == "dobj" for a in actor_in(st, c)]
                subj = [a for c in t.children if c.dep_ == "nsubj" for a in actor_in(st, c)]
                if t.dep_ in ("relcl", "acl") and (not subj or doc[t.i - 1].lower_ in ("which", "who", "that")):
                    subj = actor_in(st, t.head, subtree=False) or subj
                for s_ in subj[:2]:
                    for o in objs[:2]:
                        self._add(st, "supports", s_, o, sent)
            if t.lemma_ in ("back", "support", "aid", "assist", "arm", "fund", "sponsor", "help") and t.tag_ == "VBN":
                supporters = [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
                if not supporters:
                    continue
                supported: list[str] = []
                if t.dep_ in ("acl", "amod", "relcl"):
                    supported = actor_in(st, t.head, subtree=False) or actor_in(st, t.head)
                for c in t.children:
                    if c.dep_ == "nsubjpass":
                        supported = actor_in(st, c)
                for s in supporters:
                    for a in supported[:2]:
                        self._add(st, "supports", s, a, sent)
            elif t.lemma_ in ("support", "backing", "help", "cover", "assistance") and t.pos_ == "NOUN" and t.head.lower_ in ("with", "under"):
                supporters: list[str] = []
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ in ("of", "from"):
                        for g in c.children:
                            supporters += actor_in(st, g)
                    elif c.dep_ in ("poss", "amod", "compound") and st.mention_at(c.i, "actor"):
                        supporters.append(st.mention_at(c.i, "actor").key)
                    elif c.dep_ in ("amod", "compound", "poss"):
                        air = any(x.lower_ == "air" for x in t.children)
                        cc = nationality_words().get(fold(c.text))
                        if cc:
                            cls = "AirForce" if air else "Army"
                            key = generic_key(cc, cls)
                            if key not in st.actors:
                                from ..records import ActorRecord

                                st.actors[key] = ActorRecord(key=key, label=generic_label(cc, cls), cls=cls, country=cc)
                            st.actors[key].aliases.add(doc[c.i : t.i + 1].text)
                            supporters.append(key)
                verb = t.head.head
                subj = [c for c in verb.children if c.dep_ == "nsubj"]
                if not subj and verb.dep_ in ("xcomp", "advcl", "conj"):
                    subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
                supported = [a for s in subj for a in actor_in(st, s)]
                for s in supporters:
                    for a in supported[:2]:
                        self._add(st, "supports", s, a, sent)

    # "Rastan, a city in the Homs province", "Puerto Leguizamo, in the province of Putumayo", "Harnai, Balochistan"
    def _located(self, doc: Doc, st: DocState, sent: Span) -> None:
        places = [m for m in st.mentions if m.kind == "place" and m.start >= sent.start and m.end <= sent.end]
        for a, b in zip(places, places[1:]):
            between = doc[a.end : b.start]
            words = [t.lower_ for t in between]
            pa, pb = st.places.get(a.key), st.places.get(b.key)
            if not pa or not pb or LEVEL_RANK.get(pb.cls, 9) >= LEVEL_RANK.get(pa.cls, 9):
                continue
            if len(words) > 8 or any(w in ("and", "or", "between", "from", "to", "near", "of") for w in words if w != "of" or "in" not in words):
                if not (words and words[-1] in ("in", "of") and "and" not in words):
                    continue
            level_of = len(words) >= 2 and words[-1] == "of" and words[-2] in LEVEL_WORDS and len(words) <= 6
            if words in (
                [","], [",", "in"], ["in"], ["in", "the"], [",", "in", "the"],
            ) or (words and words[0] == "," and words[-1] in ("in", "of", "the") and len(words) <= 8) or level_of:
                if pa.parent and pa.resolved and pa.parent != b.key and pb.cls != "Country":
                    continue  # the gazetteer knows better than a comma
                self._add(st, "locatedIn", a.key, b.key, sent, 0.7)
                if not pa.resolved:
                    pa.parent = b.key  # what the text says beats a guess from nearby names

    # "X said", "according to X", "X told AFP", "citing X"
    def _attribution(self, doc: Doc, st: DocState, sent: Span) -> None:
        keys: list[str] = []
        for t in sent:
            if t.lemma_ in self.attr_verbs and t.pos_ == "VERB":
                for c in t.children:
                    if c.dep_ in ("nsubj",):
                        keys += actor_in(st, c)
                for c in t.children:
                    if c.dep_ == "agent":
                        for g in c.children:
                            keys += actor_in(st, g)
            if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
                for g in doc[t.i + 1].children:
                    keys += actor_in(st, g)
                m = st.mention_at(t.i + 2, "actor") or (st.mention_at(t.i + 3, "actor") if t.i + 3 < len(doc) else None)
                if m and m.key not in keys:
                    keys.append(m.key)
            if t.lower_ in ("citing", "quoting") :
                for c in t.children:
                    if c.dep_ == "dobj":
                        keys += actor_in(st, c)
        seen: list[str] = []
        for k in keys:
            if k not in seen and st.actors.get(k) and st.actors[k].cls not in ("Civilians",):
                seen.append(k)
        if seen:
            st.reporters[sent.start] = seen


@Language.factory("ckg_relations")
def make_relations(nlp: Language, name: str) -> Relations:
    return Relations()


__all__ = ["Relations", "actor_in", "place_in", "evidence_of", "Mention"]

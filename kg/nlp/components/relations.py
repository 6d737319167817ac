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

from collections.abc import Collection, Iterator
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.model.records import ActorRecord, Evidence, RelationRecord
from kg.nlp.names import generic_key, generic_label
from kg.nlp.lexicon import fold, nationality_words, patterns, relation_words as lex
from kg.nlp.state import DocState, Mention, TokenTable, state
from kg.nlp.syntax import (
    LEVEL_RANK, LEVEL_WORDS, NON_STATE, RELATIVE, STATE_CLASSES, actor_in, actors_or_countries,
    coordination_root, country_actor, doubted, ended, evidence_of, keyed, mended_lemma, named_place,
    negated, own_actors, place_in, place_of_np, predicate_noun, realised, sentence_words, side_actor,
    subjects,
)

# the lemmas _took_control reads only together with a control noun ('gained control of X')
CONTROL_WITH_NOUN_VERBS = ("maintain", "retain", "keep", "have", "exert", "exercise", "hold")


@lru_cache(maxsize=1)
def _gates() -> dict[str, frozenset[str]]:
    """For each sentence reader, every word (lower case form or lemma) it can key on: a sentence
    without any of them cannot give that reader anything, so it is not walked at all."""
    L = lex()
    return {
        # any verb that takes or loses a place by itself ('seized', 'took over', 'fell to')
        "took_control": frozenset(L["capture_verbs"] | L["fall_verbs"] | {"take"}),
        # verbs that need a control noun as object ('took control of', 'maintain their grip on')
        "control_with_noun": frozenset(L["take_control_verbs"] | set(CONTROL_WITH_NOUN_VERBS)),
        "supported": frozenset(L["fight_for_verbs"] | L["alongside_verbs"] | L["support_verbs"]
                               | L["support_participles"] | L["support_nouns"]),
        "supported_more": frozenset(L["ally_words"] | L["receive_verbs"] | L["provide_verbs"]
                                    | L["contribute_verbs"] | L["proxy_nouns"]),
    }


class Relations:
    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        p = patterns()
        self.attr_verbs = set(p["attribution_verbs"])
        self.past = set(p["past_adverbs"])
        self.kinds: dict[int, str] = {}  # id(controls record) -> capture | recapture | static
        self.losses: set[tuple[str, str]] = set()  # (actor, place) it withdrew from or lost
        L = lex()
        gates = _gates()
        irregular = L["irregular_forms"]
        table = st.tokens(doc)
        lemmas = table.lemma(doc)
        # relations add no mentions: the places are listed once, not once per sentence
        place_mentions = [m for m in st.mentions if m.kind == "place"]
        for sent in doc.sents:
            if len(sent) > 250:
                continue  # a list or broken text, not a sentence: nothing reliable to read
            # one pass for the words of the sentence; each reader below that keys on a word family
            # runs only when one of its words is there (most sentences hold none)
            words = sentence_words(table, lemmas, sent, irregular)
            if "-" in words or words & L["control_participles"]:
                self._hyphen_modifiers(doc, st, sent)
            if words & (L["control_participles"] | L["capture_verbs"]):
                self._controlled_by(doc, st, sent)
            if words & {"control", "hand"}:
                self._under_control(doc, st, sent)
            if not words.isdisjoint(gates["took_control"]) or (
                    not words.isdisjoint(L["control_nouns"]) and not words.isdisjoint(gates["control_with_noun"])):
                self._took_control(doc, st, sent)
            if words & {"control", "hold", "occupy", "run"}:
                self._active_control(doc, st, sent)
            if words & L["stronghold_nouns"]:
                self._stronghold(doc, st, sent)
            if words & L["loss_verbs"]:
                self._lost_control(doc, st, sent)
            if not words.isdisjoint(gates["supported"]):
                self._supported(doc, st, sent)
            if not words.isdisjoint(gates["supported_more"]):
                self._supported_more(doc, st, sent)
            self._located(doc, st, sent, place_mentions)
            if words & self.attr_verbs or "according" in words:
                self._attribution(doc, st, sent)
        self._supersede(st)
        return doc

    def _add(self, st: DocState, pred: str, s: str | None, o: str | None, sent: Span, conf: float = 0.8,
             kind: str = "static") -> None:
        if not s or not o or s == o:
            return
        if pred == "supports":
            L = lex()
            sa, oa = st.actors.get(s), st.actors.get(o)
            if sa is None or oa is None or oa.cls in L["unsupportable_classes"] or sa.cls in ("Civilians",):
                return
            if sa.cls in STATE_CLASSES and oa.cls in STATE_CLASSES and sa.country and sa.country == oa.country:
                return  # "troops supporting the government": one state's own arms, no backing between sides
        for r in st.relations:
            if r.predicate == pred and r.subject == s and r.object == o and r.evidence.start == sent.start_char:
                return
        rec = RelationRecord(pred, s, o, evidence_of(sent, conf, st.tokens(sent.doc)))
        st.relations.append(rec)
        if pred == "controls":
            self.kinds[id(rec)] = kind

    def _supersede(self, st: DocState) -> None:
        """A place retaken by one side is no longer held by another ('rebels seized Malakal in
        June ... the army said it had retaken Malakal'); a capture outdates a description."""
        rank = {"static": 0, "capture": 1, "recapture": 2}
        ctl = [r for r in st.relations if r.predicate == "controls"]
        best: dict[str, int] = {}
        for r in ctl:
            best[r.object] = max(best.get(r.object, 0), rank[self.kinds.get(id(r), "static")])
        def side(k: str) -> tuple[str, ...]:
            a = st.actors.get(k)  # 'Russian troops' and 'Russian forces' are one side here
            return ("state", a.country) if a and a.country and a.cls in ("Army", "StateForce") else (k,)

        lost = {(side(a), p) for a, p in self.losses}
        drop = {id(r) for r in ctl if (side(r.subject), r.object) in lost and self.kinds.get(id(r)) != "recapture"}
        for r in ctl:
            top = best[r.object]
            if top == 0:
                continue
            winners = {x.subject for x in ctl if x.object == r.object and rank[self.kinds.get(id(x), "static")] == top}
            if r.subject in winners:
                continue
            mine = rank[self.kinds.get(id(r), "static")]
            if top == 2 or mine == 0:
                drop.add(id(r))
        st.relations[:] = [r for r in st.relations if id(r) not in drop]

    # "rebel-held town of X", "Turkish-backed forces", "government-controlled Aleppo", "rebel held areas"
    def _hyphen_modifiers(self, doc: Doc, st: DocState, sent: Span) -> None:
        L = lex()
        for t in keyed(st, doc, sent, lowers=L["control_participles"] | {"-"}):
            if t.text == "-" and sent.start < t.i < sent.end - 1:
                word, mod = doc[t.i - 1], doc[t.i + 1]
            elif (t.lower_ in L["control_participles"] and t.i > sent.start and t.tag_ == "VBN"
                  and doc[t.i - 1].head in (t, t.head) and doc[t.i - 1].dep_ in ("amod", "compound", "npadvmod", "nmod")):
                word, mod = doc[t.i - 1], t  # "rebel held areas" (no hyphen)
            else:
                continue
            if mod.lower_ in L["control_participles"]:
                if ended(mod) or any(c.lower_ in self.past for c in mod.head.children if c.dep_ == "advmod" and c.i < word.i):
                    continue
                actor = side_actor(st, doc, word)
                if actor is None:
                    continue
                noun = predicate_noun(mod)
                place = place_of_np(st, noun)
                if place is None and mod.i + 1 < sent.end and noun is mod:
                    place = place_of_np(st, doc[mod.i + 1])
                self._add(st, "controls", actor, place, sent)
            elif mod.lower_ in ("backed", "supported", "sponsored", "funded", "armed", "allied", "aligned", "trained",
                                "equipped", "financed"):
                if negated(mod) or doubted(mod):
                    continue
                supporter = side_actor(st, doc, word)
                noun = predicate_noun(mod)
                supported = own_actors(st, coordination_root(noun), skip=(word.left_edge.i, mod.i + 1))
                for a in supported[:1]:
                    self._add(st, "supports", supporter, a, sent)
            elif word.lower_ == "pro" and t.text == "-":
                self._pro(doc, st, sent, mod)

    # "pro-government militias", "pro-Russian separatists": the group backs that side
    def _pro(self, doc: Doc, st: DocState, sent: Span, mod: Token) -> None:
        noun = mod.head if mod.head is not mod else doc[min(mod.i + 1, sent.end - 1)]
        while noun.dep_ in ("amod", "compound") and noun.head is not noun and noun.i < noun.head.i:
            noun = noun.head
        group = own_actors(st, noun)
        if not group or st.actors[group[0]].cls not in NON_STATE:
            return  # "pro-government forces" are the government's own
        side = country_actor(st, mod)
        m = st.mention_at(mod.i, "actor")
        if side is None and m is not None and m.key != group[0]:
            side = m.key
        if side is None:
            cc = nationality_words().get(fold(mod.text))
            cls = "Army" if cc else patterns()["side_adjectives"].get(mod.lower_)
            if cls in ("Army", "StateForce"):
                cc = cc or st.actors[group[0]].country or st.main_country
                side = generic_key(cc, "Army")
                if side not in st.actors:
                    st.actors[side] = ActorRecord(key=side, label=generic_label(cc, "Army"), cls="Army", country=cc)
        if side and st.actors.get(side) and st.actors[side].cls not in NON_STATE:
            self._add(st, "supports", group[0], side, sent, 0.7)

    # "X, largely controlled by rebels", "X is controlled by government forces", "X was seized by Y"
    def _controlled_by(self, doc: Doc, st: DocState, sent: Span) -> None:
        L = lex()
        for t in keyed(st, doc, sent, lowers=L["control_participles"], mended=L["capture_verbs"]):
            lemma = mended_lemma(t)
            capture = lemma in L["capture_verbs"] and t.tag_ == "VBN"
            if not (t.lower_ in L["control_participles"] and t.pos_ in ("VERB", "ADJ")) and not capture:
                continue
            if any(c.lower_ in self.past for c in t.children) or ended(t) or not realised(t):
                continue
            agents = [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
            if not agents:
                continue
            place = None
            if t.dep_ in ("acl", "amod", "relcl"):
                head = t.head
                if t.dep_ == "relcl" and any(c.dep_ == "nsubjpass" and c.lower_ in RELATIVE for c in t.children):
                    head = t.head
                place = place_of_np(st, head) or (self._place_left(st, t) if t.dep_ != "relcl" else None)
            for c in t.children:
                if c.dep_ in ("nsubjpass", "nsubj") and c.lower_ not in RELATIVE:
                    place = named_place(st, c) or place_in(st, c)
            kind = "static"
            if capture:
                kind = "recapture" if lemma in L["recapture_verbs"] else "capture"
            for a in agents:
                self._add(st, "controls", a, place, sent, kind=kind)

    def _place_left(self, st: DocState, t: Token) -> str | None:
        head = t.head
        for mm in reversed(st.mentions):
            if mm.kind == "place" and mm.end <= t.i and mm.start >= head.left_edge.i:
                return mm.key
        return None

    # "Hama city is also under government control", "under the control of X", "the army is in
    # control of X", "X fell into the hands of Y", "X remains in rebel hands"
    def _under_control(self, doc: Doc, st: DocState, sent: Span) -> None:
        for t in keyed(st, doc, sent, lemmas=("control", "hand")):
            if t.lemma_ not in ("control", "hand") or t.head.lower_ not in ("under", "in", "into"):
                continue
            if t.lemma_ == "control" and t.head.lower_ == "into":
                continue
            prep = t.head
            actors: list[str] = []
            of_obj: list[Token] = []
            for c in t.children:
                if c.dep_ in ("amod", "compound", "poss", "nmod"):
                    a = side_actor(st, doc, c)
                    if a:
                        actors.append(a)
                if c.dep_ == "prep" and c.lower_ in ("of", "over"):
                    of_obj += list(c.children)
            verb = prep.head
            if not realised(verb) or ended(verb) or any(c.lower_ in self.past for c in verb.children):
                continue
            place = None
            if prep.lower_ == "in" and t.lemma_ == "control" and not actors:
                # "the army is now in (full) control of X": the subject controls the object of 'of'
                actors = subjects(st, verb) if verb.pos_ in ("VERB", "AUX") else []
                place = next((p for g in of_obj if (p := named_place(st, g))), None)
                for a in actors:
                    self._add(st, "controls", a, place, sent)
                continue
            for g in of_obj:
                actors += actor_in(st, g)
            if verb.pos_ not in ("VERB", "AUX"):
                place = place_of_np(st, verb)  # "the area under rebel control"
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in RELATIVE:
                    place = named_place(st, c) or place_in(st, c)
                if c.dep_ == "dobj" and place is None:
                    place = named_place(st, c)  # "brought the town under its control"
            if place is None and verb.dep_ == "relcl":
                place = place_of_np(st, verb.head)
            if place is None and verb.dep_ in ("conj",):
                for c in verb.head.children:
                    if c.dep_ in ("nsubj", "nsubjpass"):
                        place = place_in(st, c)
            for a in actors:
                self._add(st, "controls", a, place, sent)

    # "its forces had taken control of X", "the army retook Malakal", "rebels took over Goma",
    # "Kidal fell to the rebels"; "fighting to seize X from Y": Y still holds X
    def _took_control(self, doc: Doc, st: DocState, sent: Span) -> None:
        L = lex()
        gates = _gates()
        # every branch below needs one of these lemmas; any other verb yields no object
        for t in keyed(st, doc, sent, mended=gates["took_control"] | gates["control_with_noun"]):
            if t.pos_ != "VERB":
                continue
            lemma = mended_lemma(t)
            objs: list[Token] = []
            kind = "capture"
            ctl = next((c for c in t.children if c.lemma_ in L["control_nouns"] and c.dep_ == "dobj"), None)
            if lemma in L["take_control_verbs"] and ctl is not None:
                objs = [g for p in ctl.children if p.dep_ == "prep" and p.lower_ in ("of", "over") for g in p.children]
                objs += [g for p in t.children if p.dep_ == "prep" and p.lower_ in ("of", "over") for g in p.children]
                if lemma in ("reassert", "restore", "establish"):
                    kind = "recapture"
            elif lemma in CONTROL_WITH_NOUN_VERBS and ctl is not None:
                objs = [g for p in ctl.children if p.dep_ == "prep" and p.lower_ in ("of", "over") for g in p.children]
                kind = "static"
            elif lemma == "take" and any(c.dep_ == "prt" and c.lower_ == "over" for c in t.children):
                objs = [c for c in t.children if c.dep_ == "dobj"]
                objs += [g for p in t.children if p.dep_ == "prep" and p.lower_ == "over" for g in p.children]
            elif lemma in L["capture_verbs"] and t.tag_ != "VBN" or (lemma in L["capture_verbs"] and
                                                                        any(c.dep_ == "aux" for c in t.children) and
                                                                        not any(c.dep_ == "auxpass" for c in t.children)):
                objs = [c for c in t.children if c.dep_ == "dobj"]
                # the parser sometimes files a bare name as an adverb ('to retake Bakhmut')
                objs += [c for c in t.children if c.dep_ in ("advmod", "npadvmod", "attr", "oprd", "dep")
                         and c.i > t.i and st.mention_at(c.i, "place")]
                if lemma == "take" and any(c.dep_ == "prt" for c in t.children):
                    objs = []  # 'took away', 'took off'
            elif lemma in L["fall_verbs"]:
                # "Kidal fell to the rebels", "the town fell into the hands of X" (see _under_control)
                to = [g for p in t.children if p.dep_ == "prep" and p.lower_ == "to" for g in p.children]
                agents = [a for g in to for a in actor_in(st, g)]
                subj = [c for c in t.children if c.dep_ == "nsubj"]
                if agents and subj and realised(t):
                    place = named_place(st, subj[0])
                    for a in agents:
                        self._add(st, "controls", a, place, sent, kind="capture")
                continue
            if not objs:
                continue
            if lemma in L["recapture_verbs"] or any(c.lower_ == "back" and c.dep_ in ("prt", "advmod") for c in t.children) \
                    or (t.dep_ in ("advcl", "xcomp") and any(c.lower_ == "back" for c in t.head.children)):
                kind = "recapture" if kind != "static" else kind
            if negated(t) or doubted(t):
                continue
            if not realised(t):
                # not done: the side it was to be taken from still holds it
                losers = self._from_side(st, t, objs)
                for o in objs:
                    place = named_place(st, o)
                    for a in losers:
                        self._add(st, "controls", a, place, sent)
                continue
            agents = subjects(st, t)
            agents += [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
            for o in objs:
                place = named_place(st, o)
                for a in agents:
                    self._add(st, "controls", a, place, sent, kind=kind)

    # "the jihadists left Boni", "troops withdrew from Kherson", "the army lost control of X"
    def _lost_control(self, doc: Doc, st: DocState, sent: Span) -> None:
        L = lex()
        for t in keyed(st, doc, sent, mended=L["loss_verbs"]):
            lemma = mended_lemma(t)
            if t.pos_ != "VERB" or lemma not in L["loss_verbs"] or not realised(t):
                continue
            places: list[str | None] = []
            for c in t.children:
                if c.dep_ == "dobj" and lemma in L["loss_verbs_transitive"]:
                    if c.lemma_ in L["control_nouns"]:
                        places += [named_place(st, g) for p in c.children if p.dep_ == "prep" and p.lower_ in ("of", "over")
                                   for g in p.children]
                    else:
                        places.append(named_place(st, c))
                if c.dep_ == "prep" and c.lower_ in ("from", "of", "out"):
                    for g in c.subtree:
                        if g.dep_ == "pobj":
                            places.append(named_place(st, g))
                            break
            places = [x for x in places if x]
            if not places:
                continue
            for a in subjects(st, t):
                for x in places:
                    self.losses.add((a, x))

    @staticmethod
    def _from_side(st: DocState, verb: Token, objs: list[Token]) -> list[str]:
        """'seize X (in Y) from Z' -> Z; the parser hangs 'from' on the verb, the object or a place."""
        heads = [verb, *objs]
        for o in objs:
            heads += [g for p in o.children if p.dep_ == "prep" for g in p.children]
        heads += [g for p in verb.children if p.dep_ == "prep" and p.lower_ != "from" for g in p.children]
        return [a for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ == "from"
                for g in p.children for a in actor_in(st, g)]

    # "the rebels control large parts of North Kivu", "government forces hold the city",
    # "gangs that control much of Haiti"
    def _active_control(self, doc: Doc, st: DocState, sent: Span) -> None:
        for t in keyed(st, doc, sent, lemmas=("control", "hold", "occupy", "run")):
            if t.lemma_ not in ("control", "hold", "occupy", "run") or t.pos_ != "VERB":
                continue
            if t.tag_ == "VBN" and (any(c.dep_ == "auxpass" for c in t.children)
                                    or not any(c.dep_ == "aux" and c.lemma_ == "have" for c in t.children)):
                continue  # 'held by X' is read by _controlled_by; 'rebels have held the town' is active
            if not realised(t) or ended(t) or any(c.lower_ in self.past for c in t.children):
                continue
            agents = subjects(st, t)
            for o in (c for c in t.children if c.dep_ == "dobj"):
                if t.lemma_ == "run" and not st.mention_at(o.i, "place"):
                    continue
                place = named_place(st, o)
                if place is None and o.lemma_ in ("part", "parts", "area", "areas", "much", "most", "swathe", "swathes",
                                                  "territory", "all", "half", "section", "sections", "chunk", "tract", "tracts"):
                    place = next((x for p in o.children if p.dep_ == "prep" and p.lower_ in ("of", "in")
                                  for g in p.children if (x := named_place(st, g))), None)
                for a in agents:
                    self._add(st, "controls", a, place, sent)

    # "Kidal, a stronghold of the rebels", "the rebel stronghold of Kidal", "Kidal is an IS bastion"
    def _stronghold(self, doc: Doc, st: DocState, sent: Span) -> None:
        L = lex()
        for t in keyed(st, doc, sent, lemmas=L["stronghold_nouns"]):
            if t.lemma_ not in L["stronghold_nouns"] or t.pos_ != "NOUN":
                continue
            if any(c.lower_ in self.past or c.lower_ in ("former", "ex", "onetime", "erstwhile") for c in t.children):
                continue
            actors: list[str] = []
            for c in t.children:
                if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < t.i:
                    a = side_actor(st, doc, c)
                    if a:
                        actors.append(a)
                if c.dep_ == "prep" and c.lower_ in ("of", "for"):
                    for g in c.children:
                        if not st.mention_at(g.i, "place"):
                            actors += actor_in(st, g)
            if not actors:
                continue
            place = named_place(st, t)
            if place is None and t.dep_ == "appos":
                place = st.mention_at(t.head.i, "place").key if st.mention_at(t.head.i, "place") else None
            if place is None and t.dep_ in ("attr",) and realised(t.head):
                subj = [c for c in t.head.children if c.dep_ == "nsubj"]
                place = named_place(st, subj[0]) if subj else None
            for a in actors:
                self._add(st, "controls", a, place, sent, 0.7)

    # "A backed by B", "B backs A", "B, which backs A", "with the support of B", "with Russian air support"
    def _supported(self, doc: Doc, st: DocState, sent: Span) -> None:
        L = lex()
        for t in keyed(st, doc, sent, lemmas=_gates()["supported"]):  # each branch needs one of these lemmas
            if t.lemma_ in L["fight_for_verbs"] and t.pos_ == "VERB" and realised(t):
                # "Ugandan troops are fighting for Kiir": fighting on someone's side is support
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ == "for":
                        backed = [a for g in c.children for a in actor_in(st, g)]
                        subj = subjects(st, t, countries=True)
                        for s_ in subj[:2]:
                            for o in backed[:1]:
                                self._add(st, "supports", s_, o, sent)
            if t.lemma_ in L["alongside_verbs"] and t.pos_ == "VERB" and realised(t):
                # "Chadian troops fought alongside the army"
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ == "alongside":
                        backed = [a for g in c.children for a in actor_in(st, g)]
                        for s_ in subjects(st, t, countries=True)[:2]:
                            for o in backed[:2]:
                                self._add(st, "supports", s_, o, sent)
            if t.lemma_ in L["support_verbs"] and t.pos_ == "VERB" and t.tag_ != "VBN" and realised(t):
                objs = [a for c in t.children if c.dep_ == "dobj" for a in actor_in(st, c)]
                subj = [a for c in t.children if c.dep_ == "nsubj" and c.lower_ not in RELATIVE
                        for a in actors_or_countries(st, c)]
                if t.dep_ in ("relcl", "acl") and (not subj or doc[t.i - 1].lower_ in RELATIVE):
                    subj = own_actors(st, coordination_root(t.head)) or subj
                    if not subj:
                        c = country_actor(st, t.head)
                        subj = [c] if c else []
                if not subj and t.dep_ in ("advcl", "xcomp") and any(c.tag_ == "TO" for c in t.children):
                    # "Kenya has sent hundreds of officers to help Haiti's police"
                    subj = subjects(st, t, countries=True)
                for s_ in subj[:2]:
                    for o in objs[:2]:
                        self._add(st, "supports", s_, o, sent)
            if t.lemma_ in L["support_participles"] and t.tag_ == "VBN" and not negated(t) and not doubted(t):
                supporters = [a for c in t.children if c.dep_ == "agent" for g in c.children
                              for a in actors_or_countries(st, g)]
                if t.lower_ in L["ally_words"]:
                    continue  # handled with 'allied with' in _supported_more
                if not supporters:
                    continue
                supported: list[str] = []
                if t.dep_ in ("acl", "amod", "relcl"):
                    head = coordination_root(t.head)
                    supported = actor_in(st, head, subtree=False) or own_actors(st, head) or actor_in(st, head)
                for c in t.children:
                    if c.dep_ == "nsubjpass":
                        if c.lower_ in RELATIVE and t.dep_ == "relcl":
                            continue
                        supported = actor_in(st, coordination_root(c))
                for s in supporters:
                    for a in supported[:2]:
                        self._add(st, "supports", s, a, sent)
            elif t.lemma_ in L["support_nouns"] and t.pos_ == "NOUN" and (
                    t.head.lower_ in L["support_noun_heads"] or (t.head.lower_ == "of" and t.head.head.lower_ == "cover")):
                self._support_noun(doc, st, sent, t)

    def _support_noun(self, doc: Doc, st: DocState, sent: Span, t: Token) -> None:
        L = lex()
        supporters: list[str] = []
        air = t.lemma_ == "cover" or any(x.lower_ in L["air_support_nouns"] for x in t.children)
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "from", "by"):
                for g in c.children:
                    supporters += actors_or_countries(st, g)
            elif c.dep_ in ("poss", "amod", "compound", "nmod") and st.mention_at(c.i, "actor"):
                supporters.append(st.mention_at(c.i, "actor").key)
            elif c.dep_ in ("amod", "compound", "poss", "nmod"):
                cc = nationality_words().get(fold(c.text))
                if cc:
                    cls = "AirForce" if air else "Army"
                    key = generic_key(cc, cls)
                    if key not in st.actors:
                        st.actors[key] = ActorRecord(key=key, label=generic_label(cc, cls), cls=cls, country=cc)
                    st.actors[key].aliases.add(doc[c.i : t.i + 1].text)
                    supporters.append(key)
                elif country_actor(st, c):
                    supporters.append(country_actor(st, c))
        verb = t.head.head
        while verb.dep_ == "prep" or (verb.pos_ == "NOUN" and verb.dep_ == "pobj"):
            verb = verb.head  # "under the cover of X"
        if verb.pos_ in ("VERB", "AUX") and not realised(verb):
            return
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subj and verb.dep_ in ("xcomp", "advcl", "conj"):
            subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
        supported = [a for s in subj for a in actor_in(st, coordination_root(s))]
        if not supported and verb.pos_ in ("VERB", "AUX"):
            supported = subjects(st, verb)
        military = air or t.lemma_ in ("cover", "protection", "escort", "reinforcements")
        for s in supporters:
            for a in supported[:2]:
                rec = st.actors.get(a)
                if military and rec is not None and rec.cls == "Government" and rec.country:
                    army = generic_key(rec.country, "Army")
                    a = army if army in st.actors else a  # air cover backs a government's forces
                self._add(st, "supports", s, a, sent)

    # "allied with X", "X provided air support to Y", "contribute troops to X", "Iran's proxies"
    def _supported_more(self, doc: Doc, st: DocState, sent: Span) -> None:
        L = lex()
        for t in keyed(st, doc, sent, lemmas=L["receive_verbs"] | L["provide_verbs"] | L["contribute_verbs"],
                        lowers=L["ally_words"] | L["proxy_nouns"]):
            low = t.lower_
            if low in L["ally_words"] and not negated(t) and not doubted(t):
                allies = [a for c in t.children if (c.dep_ == "prep" and c.lower_ in ("with", "to")) or c.dep_ == "agent"
                          for g in c.children for a in actors_or_countries(st, g)]
                if not allies:
                    continue
                noun = predicate_noun(t) if t.dep_ in ("acomp", "attr", "oprd") else (
                    t.head if t.dep_ in ("acl", "amod", "relcl") else None)
                if noun is None:
                    continue
                own = own_actors(st, coordination_root(noun))
                if not own and noun.lower_ in RELATIVE:
                    own = own_actors(st, noun.head)
                by = any(c.dep_ == "agent" for c in t.children)
                for x in own[:2]:
                    for y in allies[:2]:
                        xa, ya = st.actors.get(x), st.actors.get(y)
                        if xa is None or ya is None:
                            continue
                        # the armed group allied with a state backs it; otherwise the ally backs the group
                        if not by and xa.cls in NON_STATE and ya.cls in STATE_CLASSES:
                            self._add(st, "supports", x, y, sent, 0.7)
                        else:
                            self._add(st, "supports", y, x, sent, 0.7)
            elif t.lemma_ in L["receive_verbs"] and t.pos_ == "VERB" and realised(t):
                # "the militia received weapons and training from Iran"
                given = [c for c in t.children if c.dep_ == "dobj" and (c.lemma_ in L["support_nouns"] or c.lemma_ in L["materiel_nouns"])]
                givers = [a for h in (t, *given) for p in h.children if p.dep_ == "prep" and p.lower_ == "from"
                          for g in p.children for a in actors_or_countries(st, g)]
                if given:
                    for o in subjects(st, t)[:2]:
                        for s_ in givers[:2]:
                            self._add(st, "supports", s_, o, sent)
            elif t.lemma_ in L["provide_verbs"] and t.pos_ == "VERB" and realised(t):
                # "Russian jets provided air cover to / for the army", "Iran supplies drones to the Houthis"
                for d in (c for c in t.children if c.dep_ == "dobj" and (c.lemma_ in L["support_nouns"] or c.lemma_ in L["materiel_nouns"])):
                    backed = [a for h in (t, d) for p in h.children if p.dep_ == "prep" and p.lower_ in ("to", "for")
                              for g in p.children for a in actor_in(st, g)]
                    for s_ in subjects(st, t, countries=True)[:2]:
                        for o in backed[:2]:
                            self._add(st, "supports", s_, o, sent)
            if t.lemma_ in L["contribute_verbs"] and t.pos_ == "VERB" and realised(t):
                # "Kenya and Uganda, which contribute troops to AU peacekeeping forces"
                troops = [c for c in t.children if c.dep_ == "dobj"]
                force_words = set(patterns()["force_nouns"]) | set(patterns()["role_nouns"])
                if not any(c.lower_ in force_words or (st.mention_at(c.i, "actor") and
                                                        st.actors[st.mention_at(c.i, "actor").key].cls in STATE_CLASSES)
                           or any(g.lower_ in force_words for g in c.subtree) for c in troops):
                    continue
                backed = [a for p in t.children if p.dep_ == "prep" and p.lower_ in ("to",)
                          for g in p.children for a in own_actors(st, g)]
                for s_ in subjects(st, t, countries=True)[:3]:
                    for o in backed[:1]:
                        self._add(st, "supports", s_, o, sent)
            if low in L["proxy_nouns"] and t.pos_ == "NOUN":
                patrons = [side_actor(st, doc, c) for c in t.children if c.dep_ in ("poss", "compound", "amod") and c.i < t.i]
                patrons += [a for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "for")
                            for g in c.children for a in actors_or_countries(st, g)]
                patrons = [p for p in patrons if p]
                if not patrons:
                    continue
                if t.dep_ == "appos":
                    proxies = own_actors(st, t.head)
                elif t.dep_ in ("attr",) and realised(t.head):
                    proxies = [a for c in t.head.children if c.dep_ == "nsubj" for a in own_actors(st, c)]
                else:
                    proxies = own_actors(st, t)
                for pa in patrons[:1]:
                    for x in proxies[:2]:
                        self._add(st, "supports", pa, x, sent, 0.7)

    # "Rastan, a city in the Homs province", "Puerto Leguizamo, in the province of Putumayo", "Harnai, Balochistan"
    def _located(self, doc: Doc, st: DocState, sent: Span, place_mentions: list[Mention]) -> None:
        places = [m for m in place_mentions if m.start >= sent.start and m.end <= sent.end]
        for a, b in zip(places, places[1:]):
            words = st.tokens(doc).lower[a.end : b.start]
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
        for t in keyed(st, doc, sent, lemmas=self.attr_verbs, lowers=("according", "citing", "quoting")):
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

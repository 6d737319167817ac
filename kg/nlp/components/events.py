"""spaCy component `ckg_events`: event accounts with their roles, read from triggers and the parse.

Triggers come from kg/data/events.json (verbs by lemma, nouns and noun phrases). For each trigger:
- negated or unrealised ones ("did not attack", "will launch", "plans to seize") are dropped, and
  a denial ("X denied carrying out the bombing") keeps the event but not X as its agent;
- the agent is the subject (or the by-phrase of a passive); a nominal trigger takes it from its
  by-phrase, its possessor, a nationality or actor modifier ("Russian air raid"), or the subject of
  the light verb that governs it ("forces launched an offensive");
- targets, place, date and fatalities come from the trigger's clause, then from its sentence;
- triggers of one sentence that hang off one another ("launched airstrikes, killing 10 people")
  merge into one account whose class is the most specific of theirs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.model.records import EventRecord
from kg.nlp.names import generic_key, generic_label
from kg.nlp.lexicon import event_lexicon, fold, nationality_words
from kg.nlp.syntax import LEVEL_RANK, actor_in, evidence_of, place_in, subject_actors
from kg.nlp.state import DocState, state

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12, "a hundred": 100,
}
NOT_COUNT_NEXT = {"km", "kilometres", "kilometers", "miles", "mile", "years", "year", "hours", "hour", "days", "day",
                  "am", "pm", "percent", "%", "metres", "meters", "minutes", "weeks", "months", "airstrikes",
                  "strikes", "raids", "times", "tonnes", "houses", "homes", "buildings", "vehicles", "helicopters"}
PLACE_PREPS = {"in", "at", "near", "on", "around", "outside", "across", "inside", "into", "of", "over", "against",
               "within", "north", "south", "east", "west", "to", "toward", "towards", "from"}
SKIP_HEADS = {"area", "zone", "scene", "site", "front", "line", "lines", "video", "footage", "image", "photo"}
DENY = {"deny", "reject", "dismiss", "refute"}
MAX_SENTENCE = 250  # tokens; longer "sentences" are lists, tables or broken text
INJURY = {"injured", "injuring", "wounded", "wounding", "hurt", "injuries", "wounds", "missing", "abducted", "kidnapped", "arrested", "captured"}
SUPPORT_NOUNS = {"support", "cover", "backing", "help", "protection", "assistance"}
SUPPORT_VERBS = {"back", "support", "cover", "aid", "assist", "help"}
TITLE_HEADS = {"spokesman", "spokeswoman", "spokesperson", "commander", "chief", "head", "official", "minister",
               "director", "coordinator", "officer", "room", "centre", "center", "command", "unit", "department"}
AGGREGATE = {"several", "many", "numerous", "multiple", "repeated", "countless", "frequent", "dozens", "hundreds",
             "various", "sporadic", "recurring", "regular"}
HABITUAL = {"daily", "nightly", "weekly", "regularly", "routinely", "frequently", "often", "repeatedly",
            "constantly", "continuously", "habitually", "usually", "sporadically", "periodically"}
REMOTE = {"Airstrike", "Shelling", "Bombing"}
GENERIC_ANAPHORS = {"attack", "assault", "raid", "operation", "incident", "ambush", "strike", "violence", "fighting",
                    "clash", "battle"}
VIOLENT = {"ArmedClash", "Offensive", "Airstrike", "Shelling", "Bombing", "AttackOnCivilians", "Killing"}
TOLL_WORDS = frozenset({"one", "body", "nobody", "a", "an", *NUMBER_WORDS})  # where _sentence_toll reads
REALISING = {"begin", "start", "continue", "resume", "go", "manage", "be", "have", "keep", "come", "use", "help"}


def parse_count(text: str) -> int | None:
    t = text.lower().replace(",", "").strip()
    t = re.sub(r"^(at least|more than|over|nearly|almost|about|around|some|up to|as many as)\s+", "", t)
    if re.fullmatch(r"\d+", t):
        return int(t)
    if t in NUMBER_WORDS:
        return NUMBER_WORDS[t]
    parts = re.split(r"[\s-]+", t)
    if parts and all(p in NUMBER_WORDS for p in parts):
        total = 0
        for p in parts:
            v = NUMBER_WORDS[p]
            total = total * v if v == 100 and total else total + v
        return total
    return None


class EventExtractor:
    def __init__(self) -> None:
        lex = event_lexicon()
        self.verbs: dict[str, str | None] = lex["verbs"]
        self.nouns: dict[str, str] = lex["nouns"]
        self.light = set(lex["light_verbs"])
        self.particles: dict[str, list[str]] = lex["verb_particles"]
        self.blocked: dict[str, list[str]] = lex.get("blocked_particles", {})
        self.obj_classes: dict[str, str] = lex["object_classes"]
        self.person_objects: set[str] = set(lex["person_objects"]["nouns"])
        self.particle_classes: dict[str, str] = {k: v for k, v in lex["particle_classes"].items() if k != "comment"}
        self.priority = {c: i for i, c in enumerate(lex["priority"])}
        self.death = set(lex["death_words"])
        self.negators = set(lex["negators"])
        self.modal = set(lex["modal_blockers"])
        self.max_noun_len = max(len(k.split()) for k in self.nouns)
        self.noun_starts = {k.split()[0] for k in self.nouns} | {k.split("-")[0] for k in self.nouns}
        self._tolls: dict[tuple[int, int], int | None] = {}  # (sentence start, end) -> count, per doc

    # -- triggers ------------------------------------------------------------------------------
    def _triggers(self, st: DocState, sent: Span) -> list[tuple[Token, str, int]]:
        """(head token, class, length) for every trigger in a sentence."""
        out = []
        doc = sent.doc
        # plain lists (see TokenTable): this reads every token of every sentence; Token objects
        # are made only for the few words that may be triggers
        table = st.tokens(doc)
        s0 = sent.start
        lowers = table.lower[s0 : sent.end]
        lemmas = table.lemma_lower(doc)[s0 : sent.end]
        n_tok = len(lowers)
        k = 0
        while k < n_tok:
            found = False
            if lowers[k] in self.noun_starts or lemmas[k] in self.noun_starts:
                for n in range(min(self.max_noun_len, n_tok - k), 0, -1):
                    words = lowers[k : k + n]
                    phrase = " ".join(words).replace(" - ", "-")
                    lemma = " ".join([*words[:-1], lemmas[k + n - 1]])
                    cls = self.nouns.get(phrase) or self.nouns.get(lemma)
                    if not cls:
                        continue
                    head = doc[s0 + k + n - 1]
                    if cls and n == 1 and head.dep_ == "compound" and head.head.lemma_.lower() in self.nouns:
                        # "missile attacks", "rocket attack": the weapon names the kind of attack
                        outer = self.nouns[head.head.lemma_.lower()]
                        if self.priority.get(cls, 99) < self.priority.get(outer, 99):
                            out.append((head.head, cls, 2))
                            k = head.head.i - sent.start + 1
                            found = True
                            break
                    if cls and head.pos_ in ("NOUN", "PROPN") and not (
                        head.pos_ == "PROPN" and head.text[:1].isupper() and n == 1 and head.i != sent.start
                    ):
                        out.append((head, cls, n))
                        k += n
                        found = True
                        break
            if found:
                continue
            if lemmas[k] in self.verbs:
                t = doc[s0 + k]
                if t.pos_ == "VERB":
                    cls = self._verb_class(t)
                    if cls:
                        out.append((t, cls, 1))
            k += 1
        return out

    def _verb_class(self, t: Token) -> str | None:
        lemma = t.lemma_.lower()
        cls = self.verbs.get(lemma)
        for c in t.children:
            if c.dep_ in ("prt", "advmod") and (pc := self.particle_classes.get(f"{lemma} {c.lower_}")):
                return pc  # "pushed back an assault": repelled it
        if {c.lower_ for c in t.children if c.dep_ in ("prt", "dobj", "advmod")} & set(self.blocked.get(lemma, ())):
            return None  # "shot down 15 drones", "took place": no attack
        need = self.particles.get(lemma)
        if need is not None:
            kids = {c.lower_ for c in t.children} | {c.lemma_ for c in t.children}
            if lemma == "leave":
                if not any(c.dep_ == "dobj" and state(t.doc).mention_at(c.i, "place") for c in t.children):
                    return None
            elif need and not kids & set(need):
                return None
        if lemma == "fire":
            objs = [c for c in t.children if c.dep_ == "dobj"]
            if objs and objs[0].lemma_.lower() in self.nouns:
                return self.nouns[objs[0].lemma_.lower()]
            return "ArmedClash" if any(c.lower_ in ("on", "at", "upon") for c in t.children) else None
        if lemma in ("strike", "target", "hit") and t.dep_ == "amod":
            return None
        if lemma in ("strike", "hit", "slam", "target", "land", "pound"):
            weapon = next((c.lemma_.lower() for c in t.children if c.dep_ == "nsubj" and c.lemma_.lower() in self.nouns), None)
            if weapon:
                cls = self.nouns[weapon]  # "a ballistic missile struck ...": the weapon says what kind
        if cls == "TerritoryCapture":
            objs = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
            if objs and objs[0].lemma_.lower() in self.person_objects and not state(t.doc).mention_at(objs[0].i, "place"):
                return "Arrest"  # "four fighters were captured": people are taken, not ground
        for c in t.children:
            if c.dep_ == "dobj" and cls == "ArmedClash" and _held_ground(c):
                return "Offensive"  # "attacked rebel-held towns": a push on the other side's ground
            if c.dep_ == "dobj" and c.lemma_.lower() in self.obj_classes and cls == "ArmedClash":
                return self.obj_classes[c.lemma_.lower()]
        return cls

    def _hit_classes(self, t: Token, preps: tuple[str, ...] = ("on", "against", "at", "targeting")) -> set[str]:
        """Classes named by what a trigger hit: its object, its 'on'/'against' phrase, or what
        a clause on it hit ('a strike that hit a school'); a compound counts with its head
        ('displacement camp', 'refugee camp')."""
        hit = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
        hit += [g for c in t.children if c.dep_ == "prep" and c.lower_ in preps for g in c.children if g.dep_ == "pobj"]
        hit += [g for c in t.children if c.dep_ in ("acl", "advcl", "relcl") and c.lemma_.lower() in ("hit", "target", "strike")
                for g in c.children if g.dep_ == "dobj"]
        out = set()
        for h in hit:
            lem = h.lemma_.lower()
            mods = [c.lower_ for c in h.children if c.dep_ in ("compound", "amod")]
            for key in (*(f"{m} {lem}" for m in mods), lem):
                if key in self.obj_classes:
                    out.add(self.obj_classes[key])
                    break
        return out

    def _target_classes(self, st: DocState, t: Token, cls: str, targets: list[str]) -> list[str]:
        """Classes an attack takes from what it hit: a strike 'on a village market', shelling that
        'hit homes', a bombing 'targeting civilians' is also an attack on civilians."""
        if cls not in REMOTE:
            return []
        out = self._hit_classes(t)
        if any(st.actors[x].cls == "Civilians" for x in targets if x in st.actors):
            out.add("AttackOnCivilians")
        return sorted(out - {cls})

    # -- modality ------------------------------------------------------------------------------
    def _blocked(self, t: Token) -> tuple[bool, Token | None]:
        """(unrealised, denying verb) for a trigger: negation, future, plans; or a denial."""
        chain = [t]
        x = t
        for _ in range(4):
            if x.head == x:
                break
            if x.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "prep", "xcomp", "ccomp", "pcomp", "acl", "compound", "amod", "advcl"):
                x = x.head
                chain.append(x)
            else:
                break
        deny = None
        verb = t if t.pos_ in ("VERB", "AUX") else _anchor(t)
        for v in {t, verb}:
            for c in v.children:
                if c.lower_ in HABITUAL and c.dep_ in ("advmod", "npadvmod", "amod"):
                    return True, None  # "targeted nearly daily by artillery": background, not a happening
                if c.dep_ == "prep" and c.lower_ == "for" and any(
                        g.lemma_.lower() in ("month", "year", "week", "decade") for g in c.children):
                    return True, None  # "have been targeting Cabaret for months"
                if c.dep_ == "prep" and c.lower_ == "since" and any(
                        re.fullmatch(r"(19|20)\d\d", g.text) or g.lemma_.lower() in ("start", "beginning", "outbreak")
                        for g in c.subtree):
                    return True, None  # "has been battling an insurgency since 2015": the war, not a battle
        if t.pos_ == "NOUN" and t.tag_ == "NNS" and any(
                c.lower_ in AGGREGATE for c in t.children if c.dep_ in ("amod", "det", "nummod", "quantmod")):
            return True, None  # "several ground attacks", "repeated raids": a tally, no one happening
        if t.pos_ == "VERB" and _nobody(t):
            return True, None  # "no one was killed": nothing of the kind happened
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "lest") for c in t.children):
            return True, None  # "unless the rebels shot a ghost aircraft": a condition, not a happening
        if t.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children) and t.head.lemma_.lower() not in REALISING:
            return True, None  # "seeking to advance", "plans to attack": an aim, not a happening
        for k, v in enumerate(chain):
            if k > 0 and v.tag_ == "VBG" and v.lemma_.lower() in ("say", "claim", "allege", "insist"):
                return True, None  # "..., saying it was targeting IS": a claim made in passing
            kids = list(v.children)
            if v.pos_ in ("VERB", "AUX") or v == t:
                if any(c.dep_ == "neg" or c.lower_ in self.negators and c.dep_ in ("neg", "det", "advmod") for c in kids):
                    if v == t or v.lemma_.lower() not in DENY:
                        return True, None
                if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "'ll", "might", "may", "could") for c in kids):
                    return True, None
                lem = v.lemma_.lower()
                if k > 0 and lem in DENY:
                    deny = v
                elif k > 0 and lem in self.modal and lem not in ("fail",):
                    return True, None
        return False, deny

    def _anaphoric(self, st: DocState, t: Token, cls: str) -> EventRecord | None:
        """'the operation', 'the attack', 'the Homs operation' refer back to an event already read:
        the latest such event, or None."""
        if t.pos_ not in ("NOUN", "PROPN") and not (t.tag_ == "VBG" and t.dep_ in ("pobj", "nsubj", "dobj")):
            return None  # a noun, or a gerund standing as one ("in the fighting")
        det = [c for c in t.children if c.dep_ in ("det", "poss")]
        dated = bool(det) and det[0].dep_ == "poss" and det[0].ent_type_ == "DATE"  # "Wednesday's attack"
        if not det or det[0].lower_ not in ("the", "this", "that", "its", "their") and not dated:
            return None
        if any(c.dep_ == "nummod" for c in t.children):
            return None
        own_place = any(c.dep_ == "prep" and any(st.mention_at(g.i, "place") for g in c.children) for c in t.children)
        plain = not own_place and not any(c.dep_ in ("amod", "compound") for c in t.children)
        here = next((k for c in t.children if c.dep_ == "prep" and (k := self._place_under(st, c))), None)
        if (t.lemma_.lower() in GENERIC_ANAPHORS or t.lower_ in GENERIC_ANAPHORS) and here and not any(c.dep_ in ("amod", "compound") for c in t.children):
            # "An attack in Burkina Faso ... The assault on the post at Djibo": the same attack, placed
            for e in reversed(st.events):
                if e.cls in VIOLENT and (e.place is None or st.places[e.place].cls == "Country" or _within(st, here, e.place)):
                    if here and (e.place is None or _within(st, here, e.place)):
                        e.place = here
                    return e
            return None
        if (t.lemma_.lower() in GENERIC_ANAPHORS or t.lower_ in GENERIC_ANAPHORS) and plain:
            # "the assault", "the attack": whatever violent event the story already told; "killed in
            # the fighting" after "retook the town after heavy fighting": the battle for the town
            fits = VIOLENT | {"TerritoryCapture"}
        elif cls in REMOTE and plain:
            fits = REMOTE  # "the shelling" after "six airstrikes": the same bombardment, named loosely
        else:
            fits = {cls}
        return next((e for e in reversed(st.events) if e.cls in fits), None)

    def _sibling_class(self, st: DocState, t: Token, cls: str) -> str:
        """'The other attack', 'another strike', 'the second raid': one more of the kind the story
        already told ('Barrel bombs hit Aleppo ... The other attack hit a market' is an airstrike)."""
        if t.pos_ != "NOUN" or t.lemma_.lower() not in GENERIC_ANAPHORS:
            return cls
        mods = {c.lower_ for c in t.children if c.dep_ in ("det", "amod")}
        if not mods & {"other", "another", "second", "third", "latest", "similar"}:
            return cls
        kinds = [e.cls for e in st.events if e.cls in ("Airstrike", "Shelling", "Bombing")]
        return kinds[-1] if kinds else cls

    # -- roles ---------------------------------------------------------------------------------
    def _agents(self, st: DocState, t: Token, cls: str) -> list[str]:
        doc = t.doc
        gerund = t.tag_ == "VBG" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")  # "Fighting between X and Y"
        if t.pos_ == "VERB" and not gerund:
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children)
            if passive:
                return [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
            found = subject_actors(st, t)
            if not found:
                # "A missile fired by Houthi rebels struck ...": the weapon's firer
                found = [a for sb in t.children if sb.dep_ == "nsubj" for c in sb.children if c.dep_ == "acl"
                         for ag in c.children if ag.dep_ == "agent" for g in ag.children for a in actor_in(st, g)]
            return found
        # nominal trigger
        agents: list[str] = []
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from") and cls != "Withdrawal":
                for g in c.children:
                    agents += actor_in(st, g)
            if c.dep_ == "prep" and c.lower_ == "between":
                for g in c.children:
                    agents += actor_in(st, g)
            if c.dep_ == "poss":
                agents += actor_in(st, c, subtree=False)
        if not agents:
            for k in range(t.left_edge.i, t.i):
                m = st.mention_at(k, "actor")
                if m and m.key not in agents and st.actors[m.key].cls not in ("Civilians",):
                    agents.append(m.key)
                    break
                cc = nationality_words().get(fold(doc[k].text))
                if cc and doc[k].dep_ in ("amod", "compound", "nmod"):
                    agents.append(self._national(st, cc, cls, doc[k], t))
                    break
        if not agents:
            v = t.head
            hops = 0
            while hops < 3 and v.pos_ in ("VERB", "AUX", "NOUN") and v != v.head:
                if v.pos_ == "VERB" and v.lemma_.lower() in self.light:
                    agents = self._agents(st, v, cls)
                    break
                if t.dep_ in ("dobj",) and v.pos_ == "VERB":
                    break
                v = v.head
                hops += 1
            if not agents and t.head.lemma_.lower() in self.light and t.dep_ in ("dobj", "nsubjpass"):
                agents = self._agents(st, t.head, cls)
        if cls == "ArmedClash" and not agents:
            # "clashes between X and Y" already handled; "fighting with X" names one side
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ == "with":
                    for g in c.children:
                        agents += actor_in(st, g)
        return agents

    def _national(self, st: DocState, cc: str, cls: str, tok: Token, trigger: Token | None = None) -> str:
        """'Russian air raid' -> the Russian air force; 'a Russian strike' (by air, missile or
        drone, unsaid) -> Russian forces; 'Israeli shelling' -> the Israeli army."""
        word = trigger.lemma_.lower() if trigger is not None else ""
        acls = "Army"
        if cls == "Airstrike":
            acls = "StateForce" if word in ("strike", "attack") and not any(
                c.lower_ in ("air", "aerial") for c in trigger.children) else "AirForce"
        key = generic_key(cc, acls)
        if key not in st.actors:
            from kg.model.records import ActorRecord

            st.actors[key] = ActorRecord(key=key, label=generic_label(cc, acls), cls=acls, country=cc)
        st.actors[key].aliases.add(tok.text)
        return key

    def _targets(self, st: DocState, t: Token, cls: str) -> list[str]:
        out: list[str] = []
        for c in t.children:
            if c.dep_ in ("dobj",) or (c.dep_ == "nsubjpass" and t.pos_ == "VERB"):
                out += actor_in(st, c)
            if c.dep_ == "prep" and c.lower_ in ("on", "against", "at", "targeting"):
                for g in c.children:
                    out += actor_in(st, g)
        for c in t.children:
            if c.dep_ in ("advcl", "xcomp") and c.lemma_ in ("target", "attack"):
                for g in c.children:
                    if g.dep_ == "dobj":
                        out += actor_in(st, g)
        return out

    def _place(self, st: DocState, t: Token, sent: Span) -> str | None:
        """The place the trigger's phrase (or its light verb's) points at; else the most specific
        place of the sentence that is not merely someone's origin."""
        heads = [t]
        if t.head != t and t.head.pos_ == "VERB" and t.head.lemma_.lower() not in SAYING:
            heads.append(t.head)  # a light verb's place ("launched an offensive in X"), not a speaker's
        for h in heads:
            for c in h.children:
                if c.dep_ in ("prep", "advmod", "npadvmod") and (c.lower_ in PLACE_PREPS or c.dep_ != "prep"):
                    if h is t and c.lower_ == "of" and t.pos_ == "NOUN" and any(
                            (m := st.mention_at(g.i, "place")) and st.places[m.key].cls == "Country" for g in c.children):
                        continue  # "the missile attack of Armenia": who attacked, not where
                    key = self._place_under(st, c)
                    if key:
                        return key
                if c.dep_ in ("dobj", "nsubjpass") and h.pos_ == "VERB" and c.i in st.coref_places:
                    return st.coref_places[c.i]
                if c.dep_ in ("dobj", "nsubjpass") and h.pos_ == "VERB":
                    m = st.mention_at(c.i, "place") or next(
                        (st.mention_at(x.i, "place") for x in c.subtree if st.mention_at(x.i, "place")), None)
                    if m:
                        return m.key
        cands = [m for m in st.mentions if m.kind == "place" and m.start >= sent.start and m.end <= sent.end]
        cands = [m for m in cands if not any(doc_t.lower_ == "resident" for doc_t in sent.doc[max(sent.start, m.start - 3) : m.start])]
        cands = [m for m in cands if not _origin(sent.doc[m.start])]
        if not cands:
            return None
        ranked = sorted(cands, key=lambda m: (-_rank(st, m.key), abs(m.start - t.i)))
        return ranked[0].key

    def _context_place(self, st: DocState, sent: Span) -> str | None:
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
                if rec and rec.cls not in ("Country",) and doc[m.start].idx >= st.body_start and not _origin(doc[m.start]):
                    return m.key
        return None

    def _place_under(self, st: DocState, tok: Token) -> str | None:
        """The most specific place named in a phrase ('on a village in Myanmar's Sagaing region'
        -> Sagaing region, not Myanmar)."""
        found = [m for x in tok.subtree if (m := st.mention_at(x.i, "place"))]
        if not found:
            return None
        heads = [m for m in found if tok.doc[m.end - 1].dep_ != "conj"]
        found = heads or found  # "in Khartoum, Al Jazirah, White Nile states and El Fasher": a list, led by its first
        return max(found, key=lambda m: (_rank(st, m.key), -m.start)).key

    def _date(self, st: DocState, t: Token, sent: Span):
        doc = sent.doc
        inside = [(s, e, d) for s, e, d in st.dates if s >= sent.start and e <= sent.end
                  and not (s > 0 and doc[s - 1].lower_ in ("since", "until", "till"))]  # a period's bound
        own = [x for x in inside if not _dates_the_report(doc[x[0] : x[1]], t)]
        if not own:
            return None  # "..., officials said on Sunday": the day it was said, not the day it happened
        return min(own, key=lambda x: abs(x[0] - t.i))[2]

    def _report_date(self, st: DocState, sent: Span):
        """The day the sentence's statement was made ('the army said on Sunday'): the latest the
        event can have happened, used when nothing else dates it."""
        doc = sent.doc
        said = [d for s, e, d in st.dates if s >= sent.start and e <= sent.end and _dates_the_report(doc[s:e], None)]
        return said[0] if said else None

    def _fatalities(self, sent: Span, t: Token) -> int | None:
        """The largest death count stated in the sentence ('killing at least 10 people, six of them
        rebels' -> 10). A number counts when a death word follows it before any injury word or
        other number ('85 civilians were killed and 110 injured' -> 85), or when it directly
        follows 'killing'/'killed'/'toll'."""
        share = _share_of(sent.doc, t)
        if share is not None:
            return share
        # the rest reads the sentence alone, and a sentence with several triggers asks for each
        key = (sent.start, sent.end)
        if key not in self._tolls:
            self._tolls[key] = self._sentence_toll(sent)
        return self._tolls[key]

    def _sentence_toll(self, sent: Span) -> int | None:
        """The death count `_fatalities` reads in a sentence, whichever its trigger."""
        doc = sent.doc
        best = None
        toks = list(sent)
        table = state(doc).tokens(doc)
        lower = table.lower[sent.start : sent.end]
        like_num = table.like_num(doc)[sent.start : sent.end]
        for k, tok in enumerate(toks):
            # every reading below starts at one of these words, a number, or the word after 'of':
            # the others are passed over on plain lists
            if not (like_num[k] or lower[k] in TOLL_WORDS or k >= 2 and lower[k - 1] == "of"):
                continue
            prev_w = toks[k - 1].lower_ if k else ""
            if tok.lower_ in ("one", "body") and prev_w == "no" or tok.lower_ == "nobody":
                # "No one was killed": a stated toll of zero, which a count elsewhere outweighs
                if any(x.lower_ in self.death or x.lemma_.lower() in self.death for x in toks[k + 1 : k + 4]):
                    best = 0 if best is None else best
                continue
            if tok.lower_ in ("a", "an") and k + 2 < len(toks) and toks[k + 1].lemma_.lower() in self.person_objects \
                    and toks[k + 1].tag_ == "NN" and toks[k + 1].dep_ in ("nsubj", "nsubjpass") and self._dies(toks, k + 2):
                best = 1 if best is None else best  # "a soldier was killed", "a policeman embraced martyrdom"
                continue
            if prev_w == "of" and k >= 2 and toks[k - 2].lemma_.lower() in ("death", "killing", "murder", "execution"):
                n = parse_count(_number_phrase(doc, tok))
                if n is not None:
                    best = n if best is None else max(best, n)  # "the deaths of two aid workers"
                    continue
            if not (tok.like_num or tok.lower_ in NUMBER_WORDS):
                continue
            if tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
                continue
            nxt = toks[k + 1].lower_ if k + 1 < len(toks) else ""
            if nxt in NOT_COUNT_NEXT or (k + 1 < len(toks) and toks[k + 1].like_num):
                continue
            if tok.dep_ == "nummod" and (tok.head.lower_ in NOT_COUNT_NEXT or tok.head.lemma_.lower() in self.nouns):
                continue  # "15 air strikes", "three raids": events counted, not people
            counted, extra, seen_partner = False, 0, False
            for j in range(k + 1, min(len(toks), k + 11)):
                x = toks[j]
                w = x.lower_
                if w in INJURY or x.text == ";":
                    break
                if x.like_num or w in NUMBER_WORDS:
                    prev = toks[j - 1].lower_
                    if prev in ("including", "among", "of"):
                        continue  # "15 people, including two lawmakers, were killed": a subset
                    if prev in ("and", ","):
                        v = parse_count(x.text)
                        if v is not None:
                            extra += v  # "two lawmakers and 13 other people were killed": a sum
                            seen_partner = True
                            continue
                    break
                if w in ("a", "an") and toks[j - 1].lower_ == "and" and j + 1 < len(toks) and toks[j + 1].pos_ == "NOUN":
                    extra += 1  # "five bandits and a soldier were killed": six
                    seen_partner = True
                    continue
                if w in self.death or x.lemma_.lower() in self.death:
                    counted = True
                    extra += _tail_counts(toks, j)
                    seen_partner = seen_partner or extra > 0
                    break
            if not counted:
                extra = 0  # partners only count when the death word closes the list
            if not counted:
                # "At least 11 members of a group formed by ... were killed": through the parse
                head = tok.head if tok.dep_ in ("nummod", "quantmod") else tok
                if head.dep_ in ("nsubjpass", "nsubj", "dobj") and (
                    head.head.lemma_.lower() in self.death or head.head.lower_ in self.death
                ) and not any(c.lower_ in INJURY for c in head.head.children if c.dep_ == "conj"):
                    counted = True
                    extra = extra or _tail_counts(toks, k)
                    seen_partner = seen_partner or extra > 0
            if not counted:
                before = [x.lower_ for x in toks[max(0, k - 3) : k]]
                ahead = []
                for x in toks[k + 1 : k + 5]:
                    if x.like_num or x.lower_ in NUMBER_WORDS or x.lower_ in ("and", ",", "while", "but"):
                        break  # "killed seven people and wounded 20": the wounds are another clause
                    ahead.append(x.lower_)
                injured_next = bool(set(ahead) & INJURY)  # "killed and 20 others were wounded"
                counted = bool(set(before) & {"killing", "killed", "kill", "kills", "toll"}) and not injured_next
                extra = _tail_counts(toks, k) if counted else 0
                seen_partner = extra > 0
            if counted:
                n = parse_count(_number_phrase(doc, tok))
                if n is not None and n < 100000:
                    n += extra if seen_partner else 0
                    best = n if best is None else max(best, n)
        return best

    def _dies(self, toks: list[Token], j: int) -> bool:
        """Whether the words from j on say that the noun before them died ('was killed', 'embraced
        martyrdom', 'died'), before anything else happens to it."""
        for x in toks[j : j + 8]:
            w, lem = x.lower_, x.lemma_.lower()
            if w in INJURY:
                return False
            if w in self.death or lem in self.death or lem in ("martyrdom",):
                return True
            if x.pos_ == "VERB" and lem not in ("embrace", "be", "get", "confirm", "report"):
                return False
        return False

    # -- main ----------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        self._tolls = {}
        for sent in doc.sents:
            self._sentence(st, sent)
        self._tolls = {}
        st.events = consolidate(st, st.events)
        for ev in st.events:
            # only after merging: restatements without a place must not split from their lead
            ev.place = ev.place or ev.context_place
        self._context_dates(doc, st)
        for ev in st.events:
            if ev.date is None and ev.report_date is not None:
                ev.date = ev.report_date  # happened by the day it was reported: the best we know
            elif ev.date is None and ev.current and st.published is not None:
                ev.date = st.published  # "forces have launched an offensive": today's news
        return doc

    @staticmethod
    def _context_dates(doc: Doc, st: DocState) -> None:
        """A sentence without a date continues the story of the sentence before it, when that
        one names a day ('The fatalities came on Monday, when ...'): within a paragraph only."""
        if all(ev.date is not None for ev in st.events):
            return
        # (char offset, date, on a caption line): a caption's day is its picture's ("A still from
        # a video of a raid on 30 September"), so it dates only its own line
        text = st.tokens(doc).doc_text  # Doc.text joins every token anew
        dated = sorted((doc[s].idx, d, _is_caption(text, doc[s].idx)) for s, e, d in st.dates
                       if doc[s].idx >= st.body_start and not _dates_the_report(doc[s:e], None))
        for ev in st.events:
            if ev.date is not None:
                continue
            start = ev.evidence.start
            para = text.rfind("\n\n", 0, start)
            nxt = text.find("\n\n", start)
            lo, hi = para if para >= 0 else 0, nxt if nxt >= 0 else len(text)
            line = _line_span(text, start)
            near = [(abs(at - start), d) for at, d, caption in dated
                    if lo <= at < hi and (not caption or line[0] <= at < line[1])]
            if near:
                ev.date = min(near)[1]

    def _sentence(self, st: DocState, sent: Span) -> None:
        if sent.start_char < st.body_start:
            return  # the headline restates the body's events
        if len(sent) > MAX_SENTENCE:
            return  # no news sentence is this long: a list, a table or a broken text
        trig = self._triggers(st, sent)
        accounts: list[dict] = []
        for t, cls, n in trig:
            if t.dep_ == "pobj" and t.head.head.lemma_.lower() in SKIP_HEADS:
                continue
            if t.dep_ in ("compound",) and t.head.lower_ in self.nouns:
                continue
            if t.dep_ in ("compound", "nmod", "amod") and t.head.lemma_.lower() in TITLE_HEADS:
                continue  # "military operations spokesman", "the offensive's commander": a title
            if t.dep_ == "pobj" and t.head.dep_ == "agent" and t.head.head.lemma_ in SUPPORT_VERBS:
                continue  # "backed by Russian airstrikes": a supporter, not an event of its own
            if t.dep_ == "pobj" and t.head.lower_ in ("with", "under") and t.lemma_ in ("support", "cover"):
                continue
            if _in_support_phrase(t):
                continue  # "under the cover of Russian airstrikes": how a side was helped, not an event
            blocked, deny = self._blocked(t)
            if blocked and cls == "Killing" and _nobody(t) and st.events and st.events[-1].fatalities is None:
                st.events[-1].fatalities = 0  # "A bomb exploded ... No one was killed": a toll of zero
            if blocked:
                continue
            antecedent = self._anaphoric(st, t, cls)
            if antecedent is not None:
                # "three soldiers were killed during the shelling": the toll of the event referred to
                fat = self._fatalities(sent, t)
                if antecedent.fatalities is None and fat is not None:
                    antecedent.fatalities = fat
                continue
            cls = self._sibling_class(st, t, cls)
            agents = self._agents(st, t, cls)
            if deny is not None:
                denier = [a for c in deny.children if c.dep_ == "nsubj" for a in actor_in(st, c)]
                agents = [a for a in agents if a not in denier]
            if cls in ("ArmedClash", "Bombing", "Offensive") and agents and st.actors[agents[0]].cls == "AirForce":
                cls = "Airstrike"
            accounts.append({"tok": t, "cls": cls, "n": n, "agents": agents, "share": _share_of(sent.doc, t)})
        if not accounts:
            return
        merged = self._merge(accounts)
        reporters = st.reporters.get(sent.start, [])
        for acc in merged:
            t: Token = acc["tok"]
            cls = acc["cls"]
            agents = _uniq(acc["agents"])
            targets = [x for x in _uniq(acc.get("targets") or self._targets(st, t, cls)) if x not in agents]
            # who the merged-in triggers hit too ("a roadside bomb killed four civilians"): for its classes
            hit = _uniq([*targets, *(x for m in acc.get("members", [t]) if m is not t for x in self._targets(st, m, cls))])
            if cls in ("ArmedClash",) and (any(st.actors[x].cls == "Civilians" for x in targets)
                                           or "AttackOnCivilians" in self._hit_classes(t, ("on", "against"))):
                cls = "AttackOnCivilians"  # "an attack on a displacement camp", "attacked civilians"
            elif cls == "ArmedClash" and agents:
                # a clash has two sides that both fight: the one attacked is a party to it too
                armed = [x for x in targets if st.actors[x].cls not in ("Civilians", "Person", "Organisation", "MediaOutlet", "Monitor", "Country")]
                agents += armed
                targets = [x for x in targets if x not in armed]
            place = self._place(st, t, sent)
            date = self._date(st, t, sent)
            fat = self._fatalities(sent, t)
            supporters = _uniq(
                r.subject for r in st.relations
                if r.predicate == "supports" and r.object in agents and r.evidence.start == sent.start_char
            )
            specific_place = place is not None and st.places[place].cls != "Country"
            if cls == "Withdrawal" and not any(st.actors[a].cls not in ("Civilians", "Person") for a in agents):
                continue  # "thousands fled toward Goma": people displaced, no side withdrawing
            if not (agents or fat or targets or specific_place):
                continue  # "Haiti has been mired in violence": no concrete happening to record
            filled = sum(bool(x) for x in (agents, place, date, fat, targets))
            ev = EventRecord(
                cls=cls,
                trigger=doc_text(t, acc["n"]),
                evidence=evidence_of(sent, round(min(0.95, 0.45 + 0.1 * filled), 2), st.tokens(sent.doc)),
                agents=agents,
                targets=targets,
                supporters=[s for s in supporters if s not in agents],
                place=place,
                date=date,
                fatalities=fat,
                reported_by=[r for r in reporters if r not in agents],
                trigger_start=t.idx,
                also=self._target_classes(st, t, cls, hit),
            )
            ev.separate = bool(SEPARATE.search(st.tokens(sent.doc).span_text(sent.start, sent.end)))  # Span.text joins its tokens
            if place is None:
                ev.context_place = self._context_place(st, sent)
            if date is None:
                ev.report_date = self._report_date(st, sent)
                ev.current = _current(t)
            st.events.append(ev)

    def _merge(self, accounts: list[dict]) -> list[dict]:
        """Accounts whose triggers hang off one another in the parse become one."""
        groups: list[list[dict]] = []
        for acc in accounts:
            placed = False
            for g in groups:
                shares = {o["share"] for o in g} - {None}
                if acc["share"] is not None and shares and acc["share"] not in shares:
                    continue  # "25 of them in a clash and 21 in fighting": two events, two tolls
                if any(_linked(acc["tok"], other["tok"]) for other in g):
                    own_a, other_a = acc["agents"], [a for o in g for a in o["agents"]]
                    if own_a and other_a and not set(own_a) & set(other_a) and (
                            acc["tok"].dep_ == "conj" or acc["cls"] != g[0]["cls"] and "ArmedClash" not in (acc["cls"], g[0]["cls"])):
                        continue  # "its forces captured X, while Ukrainian drones attacked Y": two doers, two events
                    g.append(acc)
                    placed = True
                    break
            if not placed:
                groups.append([acc])
        out = []
        for g in groups:
            best = min(g, key=lambda a: self.priority.get(a["cls"], 99))
            top = min(g, key=lambda a: _depth(a["tok"]))
            agents = [a for x in sorted(g, key=lambda a: _depth(a["tok"])) for a in x["agents"]]
            losers: list[str] = []
            if best["cls"] in ("TerritoryCapture", "Withdrawal") and best["agents"]:
                # "retook the town after heavy fighting with IS": the other side of the fight lost it
                losers = [a for a in agents if a not in best["agents"]]
                agents = list(best["agents"])
            out.append({"tok": top["tok"] if top["cls"] == best["cls"] else best["tok"], "cls": best["cls"],
                        "n": (top if top["cls"] == best["cls"] else best)["n"], "agents": agents,
                        "members": [x["tok"] for x in g], **({"targets": losers} if losers else {})})
        return out


JOINERS = (("and",), ("along", "with"), ("as", "well", "as"), ("in", "addition", "to"))
TAIL_STOP = {"including", "among", "of", "while", "when", "after", "before", "as", "in", "on", "since"}


def _tail_counts(toks: list[Token], k: int) -> int:
    """Counts coordinated after the one at k: 'killed 129 troops along with 583 gunmen', 'killing
    five soldiers and three civilians' -- each a share of one toll, so they add up. A count that an
    injury word follows ('and 30 wounded') is another figure and ends the list."""
    extra, j = 0, k + 1
    while j < len(toks) and j - k < 16:
        x = toks[j]
        if x.lower_ in INJURY or x.text in (";", ".", ":", "(") or x.lower_ in TAIL_STOP and x.lower_ != "as":
            break
        joined = next((len(jn) for jn in JOINERS if [t.lower_ for t in toks[j : j + len(jn)]] == list(jn)), 0)
        if not joined:
            if x.pos_ == "VERB" and x.i != toks[k].i and x.dep_ not in ("amod",) and x.lower_ not in ("killed", "reported"):
                break
            j += 1
            continue
        n_i = j + joined
        if n_i >= len(toks):
            break
        y = toks[n_i]
        v = parse_count(y.text) if (y.like_num or y.lower_ in NUMBER_WORDS) else None
        if v is None or y.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT"):
            j = n_i
            continue
        ahead = {t.lower_ for t in toks[n_i + 1 : n_i + 4]}
        if ahead & INJURY or (n_i + 1 < len(toks) and toks[n_i + 1].lower_ in NOT_COUNT_NEXT):
            break
        extra += v
        j = n_i + 1
    return extra


def _within(st: DocState, a: str | None, b: str | None) -> bool:
    """Whether place a is b or lies inside it (through the parents known to the article)."""
    seen = 0
    while a is not None and seen < 8:
        if a == b:
            return True
        p = st.places.get(a)
        a = p.parent if p else None
        seen += 1
    return False


SEPARATE = re.compile(r"\b(in an? (separate|unrelated|different|another) (development|incident|attack|event)|separately|elsewhere)\b", re.I)


def _compatible(st: DocState, x: EventRecord, y: EventRecord) -> bool:
    if x.separate or y.separate:
        return False  # "In a separate development, ...": the text says it is another event
    if x.cls != y.cls and "Killing" not in (x.cls, y.cls):
        return False  # a killing is how another event ended ("85 civilians killed in El Fasher")
    if x.cls != y.cls and not (x.place and y.place):
        return False
    if x.place and y.place and not (_within(st, x.place, y.place) or _within(st, y.place, x.place)):
        return False
    if x.agents and y.agents and not set(x.agents) & set(y.agents):
        return False
    if x.date and y.date and x.date != y.date:
        return False
    xr, yr = x.date or x.report_date, y.date or y.report_date
    if not (x.date and y.date) and xr and yr and not 0 <= ((x.report_date or xr) - (y.date or yr)).days <= 1 \
            and not 0 <= ((y.report_date or yr) - (x.date or xr)).days <= 1:
        return False  # a report dated Sunday tells of Saturday's attack, not of next week's
    undated = x if x.date is None else y
    if st.published and (x.date is None) != (y.date is None) and undated.report_date is None:
        dated = x.date or y.date
        if (st.published - dated).days > 2:
            return False  # an undated account is today's news, not the background event dated weeks ago
    if x.fatalities is not None and y.fatalities is not None and x.fatalities != y.fatalities \
            and x.place and y.place and x.place != y.place:
        return False  # "70 killed in Aleppo province ... one barrel killed 12 in Shaar": a part told apart
    if x.fatalities is not None and y.fatalities is not None and x.fatalities != y.fatalities \
            and x.evidence.start == y.evidence.start:
        return False  # one sentence, two tolls: "25 of them in a clash and 21 in fighting"
    return True


def consolidate(st: DocState, events: list[EventRecord]) -> list[EventRecord]:
    """One account per event and article: news restates its lead event ("the attack", "the
    assault", a toll in a later sentence). Same-class accounts whose place, agents and date do not
    conflict merge into the first; a killing with neither agent nor place only adds its toll to
    the event before it. The first toll stated stands: later figures in a story are mostly one
    side's claim ("the group claimed to have killed 30") or a part of the whole."""
    out: list[EventRecord] = []
    for ev in events:
        if ev.cls == "Killing" and not ev.agents and not ev.place:
            mate = next((o for o in events if o is not ev and o.cls != "Killing"
                         and o.evidence.start == ev.evidence.start), None)
            if mate is not None:
                # "Four soldiers were killed after ... an attack was repulsed": the toll of that attack
                if ev.fatalities is not None:
                    mate.fatalities = max(mate.fatalities or 0, ev.fatalities)
                mate.targets += [a for a in ev.targets if a not in mate.targets]
                continue
            prev = out[-1] if out else None
            if prev is not None and prev.fatalities is None and ev.fatalities is not None:
                prev.fatalities = ev.fatalities
            if prev is not None or ev.fatalities is None:
                continue
        target = next((o for o in out if _compatible(st, o, ev)), None)
        if target is None:
            out.append(ev)
            continue
        if target.cls == "Killing" and ev.cls != "Killing":
            target.cls, target.trigger, target.trigger_start = ev.cls, ev.trigger, ev.trigger_start
        target.also += [c for c in ev.also if c not in target.also and c != target.cls]
        target.agents += [a for a in ev.agents if a not in target.agents]
        target.targets += [a for a in ev.targets if a not in target.targets]
        target.supporters += [a for a in ev.supporters if a not in target.supporters]
        target.reported_by += [a for a in ev.reported_by if a not in target.reported_by]
        if ev.place and (target.place is None or _within(st, ev.place, target.place)):
            target.place = ev.place
        target.date = target.date or ev.date
        if ev.fatalities is not None:
            target.fatalities = ev.fatalities if target.fatalities is None else target.fatalities
    return out


def _anchor(t: Token) -> Token:
    """A verbal trigger itself; a nominal one, the verb it hangs from (its light verb)."""
    x = t
    for _ in range(3):
        if x.pos_ in ("VERB", "AUX") or x.head == x:
            return x
        x = x.head
    return x


def _ancestors(t: Token, limit: int = 3) -> list[Token]:
    out, z = [], t
    for _ in range(limit):
        if z.head == z:
            break
        if z.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in z.children):
            break  # a coordinated clause with its own subject is another event
        if z.dep_ == "ccomp" or z.head.lemma_ in ("say", "report", "tell", "claim", "add"):
            break  # reported clauses of one attribution are separate statements
        z = z.head
        out.append(z)
    return out


def _linked(a: Token, b: Token) -> bool:
    """Whether one trigger hangs off the other ('launched airstrikes, killing 10')."""
    xa, xb = _anchor(a), _anchor(b)
    if xa == xb:
        return True
    return xb in _ancestors(xa) or xa in _ancestors(xb) or a in _ancestors(b) or b in _ancestors(a)


def _depth(t: Token) -> int:
    d = 0
    while t.head != t and d < 50:
        t = t.head
        d += 1
    return d


def _rank(st: DocState, key: str) -> int:

    p = st.places.get(key)
    return LEVEL_RANK.get(p.cls, 0) if p else 0


SAYING = {"say", "tell", "report", "announce", "add", "confirm", "claim", "state", "note", "declare", "quote"}


def _dates_the_report(span: Span, trigger: Token | None) -> bool:
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


def _share_of(doc: Doc, t: Token) -> int | None:
    """A toll split across events names each share just before its event: 'More than 60 people
    died, 25 of them in a factional clash and 21 in fighting between ...' -> 25 for the clash."""
    if t.pos_ != "NOUN":
        return None
    k = t.i - 1
    while k > t.sent.start and doc[k].dep_ in ("det", "amod", "compound") and t.i - k < 4:
        k -= 1
    if doc[k].lower_ not in ("in", "during"):
        return None
    k -= 1
    if k >= 1 and doc[k].lower_ in ("them", "those", "whom") and doc[k - 1].lower_ == "of":
        k -= 2
    if k < t.sent.start or not (doc[k].like_num or doc[k].lower_ in NUMBER_WORDS):
        return None
    if not any(x.lower_ in ("died", "killed", "dead", "deaths", "perished") for x in t.sent):
        return None
    return parse_count(doc[k].text)


def _in_support_phrase(t: Token) -> bool:
    """Whether a nominal trigger sits in a phrase of help: 'under the cover of Russian airstrikes',
    'with the support of drones', 'backed by heavy shelling'."""
    if t.pos_ not in ("NOUN", "PROPN"):
        return False
    x = t
    for _ in range(4):
        if x.head == x:
            return False
        x = x.head
        if x.dep_ == "pobj" and x.lemma_.lower() in SUPPORT_NOUNS and x.head.lower_ in ("with", "under", "amid", "thanks"):
            return True
        if x.dep_ == "agent" and x.head.lemma_.lower() in SUPPORT_VERBS:
            return True
        if x.pos_ == "VERB":
            return False
    return False


def _current(t: Token) -> bool:
    """Whether the trigger's verb is in the present perfect or progressive ('forces have launched
    an offensive', 'the army is shelling X'): news of the day, not of the past."""
    v = t if t.pos_ in ("VERB", "AUX") else _anchor(t)
    if v.pos_ not in ("VERB", "AUX"):
        return False
    aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
    return bool(aux & {"has", "have", "'ve"}) and v.tag_ == "VBN" or bool(aux & {"is", "are", "'re"}) and v.tag_ == "VBG"


def _held_ground(tok: Token) -> bool:
    """'rebel-held towns', 'IS-controlled areas', 'opposition-held territory'."""
    mods = [c for c in tok.children if c.dep_ in ("amod", "compound")]
    words = " ".join(x.text.lower() for m in mods for x in m.subtree)
    return bool(re.search(r"(-|\s)(held|controlled|run|occupied)\b", words))


def _nobody(verb: Token) -> bool:
    """Whether a verb's subject is 'no one', 'nobody' or 'no casualties'."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            if c.lower_ in ("nobody", "none") or any(d.lower_ == "no" for d in c.children if d.dep_ == "det"):
                return True
    return False


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
    from kg.nlp.lexicon import patterns

    return [re.compile(p, re.I) for p in patterns()["caption_lines"]["patterns"]]


def _origin(tok: Token) -> bool:
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
            if x.lower_ in ("from", "in", "at", "of") and (
                    x.head.dep_ in ("nsubj", "appos") and x.head.head.lemma_.lower() in ("say", "tell", "report", "add", "confirm")
                    or x.head.ent_type_ == "PERSON"):
                return True
        if x.head == x or x.pos_ in ("VERB", "AUX"):
            return via_from and x.lemma_.lower() in SAYING
        x = x.head
    return False


def _uniq(xs) -> list[str]:
    out: list[str] = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out


def doc_text(t: Token, n: int) -> str:
    if t.pos_ == "VERB":
        return t.text
    return t.doc[t.i - n + 1 : t.i + 1].text


def _number_phrase(doc: Doc, tok: Token) -> str:
    start = tok.i
    while start > 0 and doc[start - 1].lower_ in ("at", "least", "more", "than", "over", "nearly", "some", "about", "around", "a"):
        start -= 1
    end = tok.i + 1
    while end < len(doc) and (doc[end].like_num or doc[end].lower_ in NUMBER_WORDS or doc[end].text == "-") and end - tok.i < 4:
        end += 1
    return doc[start:end].text


@Language.factory("ckg_events")
def make_events(nlp: Language, name: str) -> EventExtractor:
    return EventExtractor()

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
from kg.nlp.components.actors import generic_key, generic_label
from kg.nlp.lexicon import fold, load_json, nationality_words, patterns
from kg.nlp.state import DocState, Mention, TokenTable, state

LEVEL_RANK = {"Country": 0, "Province": 1, "Region": 2, "District": 2, "City": 3, "Town": 3, "Village": 4,
              "Neighbourhood": 5, "Road": 4, "Facility": 5}
LEVEL_WORDS = {"area", "district", "province", "region", "neighbourhood", "neighborhood", "suburb", "outskirts",
               "village", "town", "city", "county", "municipality", "sector", "valley", "countryside", "state"}
STATE_CLASSES = {"Army", "AirForce", "Navy", "StateForce", "ArmedForce", "SecurityForce", "Police", "Government", "Country"}
NON_STATE = {"RebelGroup", "JihadistGroup", "Militia"}
RELATIVE = {"that", "which", "who", "whom"}
# where a place sits relative to a noun without being it: "a town north of Homs", "near Kidal"
LOOSE_PLACE_PREPS = {"in", "around", "across", "inside", "throughout", "within", "of"}


@lru_cache(maxsize=1)
def lex() -> dict[str, Any]:
    """kg/data/relations.json with its word lists as sets."""
    raw = load_json("relations.json")
    return {k: (set(v) if isinstance(v, list) else v) for k, v in raw.items()}


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


def _sentence_words(table: TokenTable, lemmas: list[str], sent: Span, irregular: dict[str, str]) -> set[str]:
    """Every lower-case form, lemma and mended lemma (`_lemma`) in the sentence, from the token
    table's plain lists (`lemmas` is `table.lemma(doc)`)."""
    lows = table.lower[sent.start : sent.end]
    lems = lemmas[sent.start : sent.end]
    words = set(lows)
    words.update(lems)
    words.update([irregular.get(low, lem) for low, lem in zip(lows, lems)])
    return words


def _keyed(st: DocState, doc: Doc, sent: Span, lemmas: Collection[str] = (), lowers: Collection[str] = (),
           mended: Collection[str] = ()) -> Iterator[Token]:
    """The sentence's tokens, in order, whose lemma is in `lemmas`, lower-case form in `lowers` or
    mended lemma (`_lemma`) in `mended`: a reader that acts only on such words skips every other
    token from the token table's plain lists, without making its Token object."""
    table = st.tokens(doc)
    lem, low = table.lemma(doc), table.lower
    irregular = lex()["irregular_forms"] if mended else {}
    for i in range(sent.start, sent.end):
        if lem[i] in lemmas or low[i] in lowers or mended and irregular.get(low[i], lem[i]) in mended:
            yield doc[i]


def _lemma(t: Token) -> str:
    """The lemma, mended where the small model leaves past forms alone ('retook' -> 'retake')."""
    return lex()["irregular_forms"].get(t.lower_, t.lemma_)


def _negated(t: Token) -> bool:
    """'not controlled', 'are still not controlled', 'never backed', also through an auxiliary."""
    if any(c.dep_ == "neg" or c.lower_ in ("not", "never", "n't") for c in t.children):
        return True
    return t.dep_ in ("xcomp", "acomp") and any(c.dep_ == "neg" for c in t.head.children)


def _doubted(t: Token) -> bool:
    """A statement inside a denial or a discredited claim: 'denied backing the rebels',
    'misleading reports claiming that X had taken Y', 'rumours that X seized Y'."""
    L = lex()
    x = t
    for _ in range(8):
        if x.lemma_ in L["denial_verbs"] and x is not t:
            return True
        if x.lower_ in L["doubt_nouns"] or any(c.lower_ in L["doubt_modifiers"] for c in x.children if c.dep_ in ("amod", "advmod", "acomp")):
            return True
        # 'misleading reports were circulated ... claiming that X took Y' (the claim hangs elsewhere)
        if x is not t and any(c.dep_ in ("nsubj", "nsubjpass") and (c.lower_ in L["doubt_nouns"] or any(
                g.lower_ in L["doubt_modifiers"] for g in c.children if g.dep_ == "amod")) for c in x.children):
            return True
        if x.head is x:
            break
        # a negated claim verb up the chain: 'did not say that', 'never confirmed'
        if x is not t and x.lemma_ in ("say", "claim", "confirm", "report") and _negated(x):
            return True
        x = x.head
    return False


def _modal(t: Token) -> bool:
    """'could regain', 'will retake', 'would help reassert' (also up an xcomp chain)."""
    L = lex()
    x = t
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in L["modal_words"] for c in x.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "before", "until") for c in x.children):
            return True
        if x.dep_ not in ("xcomp",) or x.head is x:
            break
        x = x.head
    return False


def _attempted(t: Token) -> bool:
    """An infinitive of purpose or effort: 'working to seize X', 'an operation to retake X',
    'failed to capture', 'have yet to take' -- not (yet) done."""
    L = lex()
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in t.children):
        return False
    h = t.head
    if h is t:
        return False
    # 'launched an operation to retake', 'in a bid to seize', 'working to capture': unrealised,
    # unless the head says it happened ('managed to take', 'came back to take control')
    return h.lemma_ not in L["realised_heads"] or any(c.lower_ == "yet" for c in h.children)


def _realised(t: Token) -> bool:
    return not (_negated(t) or _doubted(t) or _modal(t) or _attempted(t))


def _ended(t: Token) -> bool:
    """Control that is over: 'briefly held', 'formerly controlled', 'held the town until Saturday'."""
    L = lex()
    past = set(patterns()["past_adverbs"])
    return any(c.lower_ in past or (c.dep_ == "prep" and c.lower_ in L["ended_preps"]) for c in t.children)


def _anaphor_place(st: DocState, tok: Token) -> str | None:
    """'the town', 'the area', 'this district' -> the last place of a fitting kind named before
    (an unresolved name's guessed class is not held against it)."""
    want = lex()["place_anaphors"].get(tok.lower_)
    if want is None or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
        return None
    if tok.i in st.coref_places:
        return st.coref_places[tok.i]
    if any(c.dep_ in ("prep", "acl", "relcl", "appos", "conj") for c in tok.children):
        return None  # 'the area between the two cities' is not a place named before
    for m in reversed(st.mentions):
        if m.kind != "place" or m.end > tok.i:
            continue
        if tok.i - m.end > 150:
            break
        p = st.places.get(m.key)
        if p and (p.cls in want or (not p.resolved and p.cls not in ("Country", "Province"))):
            return m.key
    return None


def _named_place(st: DocState, tok: Token) -> str | None:
    """The place an object names: itself, 'the town of X', 'X, the state capital', 'the town'
    (a place named before) -- not a place merely mentioned inside it ('a number of towns across
    Hodeidah province')."""
    m = st.mention_at(tok.i, "place")
    if m:
        return m.key
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                m = st.mention_at(g.i, "place")
                if m:
                    return m.key
        if c.dep_ in ("appos", "compound"):
            m = st.mention_at(c.i, "place")
            if m and (c.dep_ == "appos" or st.places[m.key].cls != "Country"):  # not 'a central Mali town'
                return m.key
    return st.coref_places.get(tok.i) or _anaphor_place(st, tok)


def _place_of_np(st: DocState, tok: Token) -> str | None:
    """A place a described area lies in or around: 'rebel-held areas around the town of X',
    'territory in X province'; never 'towns north of X'."""
    named = _named_place(st, tok)
    if named or tok.lemma_ not in lex()["area_nouns"]:
        return named  # 'the Hamas-run health ministry in Gaza' says nothing of Gaza
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in LOOSE_PLACE_PREPS:
            for g in c.children:
                p = _named_place(st, g)
                if p:
                    return p
    return None


def evidence_of(sent: Span, conf: float = 0.8, table: TokenTable | None = None) -> Evidence:
    """`table`, the doc's token table, gives the sentence's text without a Token per word."""
    text = table.span_text(sent.start, sent.end) if table is not None else sent.text
    return Evidence(sentence=text.strip(), start=sent.start_char, end=sent.end_char, confidence=conf)


def actor_in(st: DocState, tok: Token, *, subtree: bool = True) -> list[str]:
    """Actor keys mentioned at a token, or (with subtree) anywhere in its phrase, following
    coordination ("government forces and rebels")."""
    keys: list[str] = []
    m = st.mention_at(tok.i)
    if m and m.key in st.actors:
        keys.append(m.key)
    elif subtree:
        # not inside a clause or apposition on the phrase: "allies, backed by Russian warplanes"
        cut = {x.i for c in tok.children if c.dep_ in ("relcl", "acl", "appos") for x in c.subtree}
        toks = [t for t in tok.subtree if t.i not in cut]
        lo, hi = min(t.i for t in toks), max(t.i for t in toks) + 1
        for mm in st.mentions:
            if mm.key in st.actors and mm.start >= lo and mm.end <= hi and mm.key not in keys \
                    and not any(k in cut for k in range(mm.start, mm.end)):
                keys.append(mm.key)
                break
    for c in tok.children:
        if c.dep_ == "conj":
            for k in actor_in(st, c, subtree=subtree):
                if k not in keys:
                    keys.append(k)
    return keys


def _own_actors(st: DocState, tok: Token, skip: tuple[int, int] = (0, 0)) -> list[str]:
    """The actor a noun phrase stands for, not one named in its modifiers ('forces loyal to the
    GNA' is not the GNA, 'Iran's proxies' not Iran): the head's mention, else one among its words
    before the head, outside `skip` (token range of the modifier naming the other side)."""
    keys = actor_in(st, tok, subtree=False)
    if keys:
        return keys
    lo = tok.left_edge.i
    hi = tok.i + 1
    poss = {t.i for c in tok.children if c.dep_ == "poss" for t in c.subtree}
    for mm in st.mentions:
        if mm.key in st.actors and mm.start >= lo and mm.end <= hi and not (skip[0] < mm.end and mm.start < skip[1]) \
                and not any(i in poss for i in range(mm.start, mm.end)):
            keys.append(mm.key)
            if tok.lower_ in patterns()["force_nouns"] or tok.lower_ in patterns()["role_nouns"]:
                # 'AU peacekeeping forces' named the AU's force: a surface form of that node
                st.actors[mm.key].aliases.add(tok.doc[mm.start : tok.i + 1].text)
            break
    if not keys:
        f = _forces_of(st, tok)
        keys = [f] if f else []
    for c in tok.children:
        if c.dep_ == "conj":
            keys += [k for k in _own_actors(st, c) if k not in keys]
    return keys


def _forces_of(st: DocState, tok: Token) -> str | None:
    """'forces loyal to the Tripoli-based GNA', 'fighters of the group': the forces of a side,
    when the article names them elsewhere ('forces loyal to the GNA', 'GNA forces')."""
    if tok.lower_ not in patterns()["force_nouns"] and tok.lower_ not in patterns()["role_nouns"]:
        return None
    sides: list[str] = []
    for c in tok.children:
        if c.dep_ == "amod" and c.lower_ in lex()["ally_words"] | {"loyal"}:
            sides += [a for p in c.children if p.dep_ == "prep" and p.lower_ == "to" for g in p.children for a in actor_in(st, g, subtree=False)]
        if c.dep_ == "prep" and c.lower_ == "of":
            sides += [a for g in c.children for a in actor_in(st, g, subtree=False)]
    word = tok.lower_
    for side in sides[:1]:
        rec = st.actors[side]
        names = {fold(n) for n in (rec.label, *rec.aliases)}
        names |= {n.removeprefix("the ") for n in names}
        forms = {f"{word} loyal to {n}" for n in names} | {f"{word} loyal to the {n}" for n in names} | \
                {f"{n} {word}" for n in names} | {f"{word} of {n}" for n in names} | {f"{word} of the {n}" for n in names}
        for key, a in st.actors.items():
            if key != side and ({fold(x) for x in (a.label, *a.aliases)} & forms):
                return key
    return None


def _coordination_root(tok: Token) -> Token:
    """'Syrian troops and their allies, backed by X': the participle hangs on the last conjunct;
    what is backed is the whole coordination."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


def _country_actor(st: DocState, tok: Token) -> str | None:
    """A country named where an actor is expected ('Kenya has sent troops') acts as itself."""
    pm = st.mention_at(tok.i, "place")
    if pm and st.places.get(pm.key) and st.places[pm.key].cls == "Country":
        rec = st.actors.setdefault(pm.key, ActorRecord(key=pm.key, label=st.places[pm.key].label, cls="Country"))
        rec.aliases.add(tok.text)
        return pm.key
    return None


def _actors_or_countries(st: DocState, tok: Token) -> list[str]:
    c = _country_actor(st, tok)
    keys = [c] if c else actor_in(st, tok, subtree=False) or actor_in(st, tok)
    for c in tok.children:
        if c.dep_ == "conj":
            keys += [k for k in _actors_or_countries(st, c) if k not in keys]
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
    if pron.lower_ in ("we", "us"):
        # a quoted "we" is the speaker's side: "Al Shabab's spokesman said, 'We targeted ...'"
        x = verb
        while x.head != x and x.lemma_ not in REPORTING:
            x = x.head
        if x.lemma_ in REPORTING:
            sides = [m.key for c in x.children if c.dep_ == "nsubj" for t in c.subtree
                     if (m := st.mention_at(t.i, "actor")) and st.actors[m.key].cls not in ("MediaOutlet", "Monitor", "Person")]
            return sides[:1]
        return []  # a "we" whose speaker this sentence does not name: no guess
    before = [m for m in st.mentions if m.key in st.actors and m.end <= pron.i]
    for m in reversed(before[-6:]):
        cls = st.actors[m.key].cls
        if cls not in ("Civilians", "Person", "MediaOutlet", "Monitor", "Organisation", "Government"):
            return [m.key]
    return []


def _subjects(st: DocState, verb: Token, *, countries: bool = False) -> list[str]:
    """subject_actors, plus the noun a relative clause hangs on ('gangs that control much of
    Haiti', 'Kenya and Uganda, which contribute troops') and, if asked, countries acting."""
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ == "relcl" and (not subj or subj[0].lower_ in RELATIVE):
        head = _coordination_root(verb.head)
        keys = _actors_or_countries(st, head) if countries else actor_in(st, head)
        if keys:
            return keys
    keys = subject_actors(st, verb)
    if not keys and countries:
        if not subj and verb.dep_ in ("xcomp", "conj", "advcl", "acl") and verb.head.pos_ in ("VERB", "AUX"):
            subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
        keys = [k for s in subj for k in _actors_or_countries(st, s)]
    return keys


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
    country = _country_actor(st, word)
    if country:
        return country  # "Rwanda-backed rebels": the country itself acts
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
        st.actors[key] = ActorRecord(key=key, label=generic_label(cc, cls), cls=cls, country=cc)
    st.actors[key].aliases.add(word.text)
    return key


def _predicate_noun(tok: Token) -> Token:
    """The noun an adjective or participle says something of: 'X is rebel-held' -> X,
    'a city which is mainly regime-held' -> city, 'rebel-held towns' -> towns."""
    if tok.dep_ in ("acomp", "attr", "oprd") and tok.head is not tok:
        verb = tok.head
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj and subj[0].lower_ in RELATIVE and verb.dep_ == "relcl":
            return verb.head
        if subj:
            return subj[0]
        if verb.dep_ in ("relcl", "acl"):
            return verb.head
        return verb
    return tok.head if tok.head is not tok else tok


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
            words = _sentence_words(table, lemmas, sent, irregular)
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
        for t in _keyed(st, doc, sent, lowers=L["control_participles"] | {"-"}):
            if t.text == "-" and sent.start < t.i < sent.end - 1:
                word, mod = doc[t.i - 1], doc[t.i + 1]
            elif (t.lower_ in L["control_participles"] and t.i > sent.start and t.tag_ == "VBN"
                  and doc[t.i - 1].head in (t, t.head) and doc[t.i - 1].dep_ in ("amod", "compound", "npadvmod", "nmod")):
                word, mod = doc[t.i - 1], t  # "rebel held areas" (no hyphen)
            else:
                continue
            if mod.lower_ in L["control_participles"]:
                if _ended(mod) or any(c.lower_ in self.past for c in mod.head.children if c.dep_ == "advmod" and c.i < word.i):
                    continue
                actor = side_actor(st, doc, word)
                if actor is None:
                    continue
                noun = _predicate_noun(mod)
                place = _place_of_np(st, noun)
                if place is None and mod.i + 1 < sent.end and noun is mod:
                    place = _place_of_np(st, doc[mod.i + 1])
                self._add(st, "controls", actor, place, sent)
            elif mod.lower_ in ("backed", "supported", "sponsored", "funded", "armed", "allied", "aligned", "trained",
                                "equipped", "financed"):
                if _negated(mod) or _doubted(mod):
                    continue
                supporter = side_actor(st, doc, word)
                noun = _predicate_noun(mod)
                supported = _own_actors(st, _coordination_root(noun), skip=(word.left_edge.i, mod.i + 1))
                for a in supported[:1]:
                    self._add(st, "supports", supporter, a, sent)
            elif word.lower_ == "pro" and t.text == "-":
                self._pro(doc, st, sent, mod)

    # "pro-government militias", "pro-Russian separatists": the group backs that side
    def _pro(self, doc: Doc, st: DocState, sent: Span, mod: Token) -> None:
        noun = mod.head if mod.head is not mod else doc[min(mod.i + 1, sent.end - 1)]
        while noun.dep_ in ("amod", "compound") and noun.head is not noun and noun.i < noun.head.i:
            noun = noun.head
        group = _own_actors(st, noun)
        if not group or st.actors[group[0]].cls not in NON_STATE:
            return  # "pro-government forces" are the government's own
        side = _country_actor(st, mod)
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
        for t in _keyed(st, doc, sent, lowers=L["control_participles"], mended=L["capture_verbs"]):
            lemma = _lemma(t)
            capture = lemma in L["capture_verbs"] and t.tag_ == "VBN"
            if not (t.lower_ in L["control_participles"] and t.pos_ in ("VERB", "ADJ")) and not capture:
                continue
            if any(c.lower_ in self.past for c in t.children) or _ended(t) or not _realised(t):
                continue
            agents = [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
            if not agents:
                continue
            place = None
            if t.dep_ in ("acl", "amod", "relcl"):
                head = t.head
                if t.dep_ == "relcl" and any(c.dep_ == "nsubjpass" and c.lower_ in RELATIVE for c in t.children):
                    head = t.head
                place = _place_of_np(st, head) or (self._place_left(st, t) if t.dep_ != "relcl" else None)
            for c in t.children:
                if c.dep_ in ("nsubjpass", "nsubj") and c.lower_ not in RELATIVE:
                    place = _named_place(st, c) or place_in(st, c)
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
        for t in _keyed(st, doc, sent, lemmas=("control", "hand")):
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
            if not _realised(verb) or _ended(verb) or any(c.lower_ in self.past for c in verb.children):
                continue
            place = None
            if prep.lower_ == "in" and t.lemma_ == "control" and not actors:
                # "the army is now in (full) control of X": the subject controls the object of 'of'
                actors = _subjects(st, verb) if verb.pos_ in ("VERB", "AUX") else []
                place = next((p for g in of_obj if (p := _named_place(st, g))), None)
                for a in actors:
                    self._add(st, "controls", a, place, sent)
                continue
            for g in of_obj:
                actors += actor_in(st, g)
            if verb.pos_ not in ("VERB", "AUX"):
                place = _place_of_np(st, verb)  # "the area under rebel control"
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in RELATIVE:
                    place = _named_place(st, c) or place_in(st, c)
                if c.dep_ == "dobj" and place is None:
                    place = _named_place(st, c)  # "brought the town under its control"
            if place is None and verb.dep_ == "relcl":
                place = _place_of_np(st, verb.head)
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
        for t in _keyed(st, doc, sent, mended=gates["took_control"] | gates["control_with_noun"]):
            if t.pos_ != "VERB":
                continue
            lemma = _lemma(t)
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
                if agents and subj and _realised(t):
                    place = _named_place(st, subj[0])
                    for a in agents:
                        self._add(st, "controls", a, place, sent, kind="capture")
                continue
            if not objs:
                continue
            if lemma in L["recapture_verbs"] or any(c.lower_ == "back" and c.dep_ in ("prt", "advmod") for c in t.children) \
                    or (t.dep_ in ("advcl", "xcomp") and any(c.lower_ == "back" for c in t.head.children)):
                kind = "recapture" if kind != "static" else kind
            if _negated(t) or _doubted(t):
                continue
            if not _realised(t):
                # not done: the side it was to be taken from still holds it
                losers = self._from_side(st, t, objs)
                for o in objs:
                    place = _named_place(st, o)
                    for a in losers:
                        self._add(st, "controls", a, place, sent)
                continue
            agents = _subjects(st, t)
            agents += [a for c in t.children if c.dep_ == "agent" for g in c.children for a in actor_in(st, g)]
            for o in objs:
                place = _named_place(st, o)
                for a in agents:
                    self._add(st, "controls", a, place, sent, kind=kind)

    # "the jihadists left Boni", "troops withdrew from Kherson", "the army lost control of X"
    def _lost_control(self, doc: Doc, st: DocState, sent: Span) -> None:
        L = lex()
        for t in _keyed(st, doc, sent, mended=L["loss_verbs"]):
            lemma = _lemma(t)
            if t.pos_ != "VERB" or lemma not in L["loss_verbs"] or not _realised(t):
                continue
            places: list[str | None] = []
            for c in t.children:
                if c.dep_ == "dobj" and lemma in L["loss_verbs_transitive"]:
                    if c.lemma_ in L["control_nouns"]:
                        places += [_named_place(st, g) for p in c.children if p.dep_ == "prep" and p.lower_ in ("of", "over")
                                   for g in p.children]
                    else:
                        places.append(_named_place(st, c))
                if c.dep_ == "prep" and c.lower_ in ("from", "of", "out"):
                    for g in c.subtree:
                        if g.dep_ == "pobj":
                            places.append(_named_place(st, g))
                            break
            places = [x for x in places if x]
            if not places:
                continue
            for a in _subjects(st, t):
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
        for t in _keyed(st, doc, sent, lemmas=("control", "hold", "occupy", "run")):
            if t.lemma_ not in ("control", "hold", "occupy", "run") or t.pos_ != "VERB":
                continue
            if t.tag_ == "VBN" and (any(c.dep_ == "auxpass" for c in t.children)
                                    or not any(c.dep_ == "aux" and c.lemma_ == "have" for c in t.children)):
                continue  # 'held by X' is read by _controlled_by; 'rebels have held the town' is active
            if not _realised(t) or _ended(t) or any(c.lower_ in self.past for c in t.children):
                continue
            agents = _subjects(st, t)
            for o in (c for c in t.children if c.dep_ == "dobj"):
                if t.lemma_ == "run" and not st.mention_at(o.i, "place"):
                    continue
                place = _named_place(st, o)
                if place is None and o.lemma_ in ("part", "parts", "area", "areas", "much", "most", "swathe", "swathes",
                                                  "territory", "all", "half", "section", "sections", "chunk", "tract", "tracts"):
                    place = next((x for p in o.children if p.dep_ == "prep" and p.lower_ in ("of", "in")
                                  for g in p.children if (x := _named_place(st, g))), None)
                for a in agents:
                    self._add(st, "controls", a, place, sent)

    # "Kidal, a stronghold of the rebels", "the rebel stronghold of Kidal", "Kidal is an IS bastion"
    def _stronghold(self, doc: Doc, st: DocState, sent: Span) -> None:
        L = lex()
        for t in _keyed(st, doc, sent, lemmas=L["stronghold_nouns"]):
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
            place = _named_place(st, t)
            if place is None and t.dep_ == "appos":
                place = st.mention_at(t.head.i, "place").key if st.mention_at(t.head.i, "place") else None
            if place is None and t.dep_ in ("attr",) and _realised(t.head):
                subj = [c for c in t.head.children if c.dep_ == "nsubj"]
                place = _named_place(st, subj[0]) if subj else None
            for a in actors:
                self._add(st, "controls", a, place, sent, 0.7)

    # "A backed by B", "B backs A", "B, which backs A", "with the support of B", "with Russian air support"
    def _supported(self, doc: Doc, st: DocState, sent: Span) -> None:
        L = lex()
        for t in _keyed(st, doc, sent, lemmas=_gates()["supported"]):  # each branch needs one of these lemmas
            if t.lemma_ in L["fight_for_verbs"] and t.pos_ == "VERB" and _realised(t):
                # "Ugandan troops are fighting for Kiir": fighting on someone's side is support
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ == "for":
                        backed = [a for g in c.children for a in actor_in(st, g)]
                        subj = _subjects(st, t, countries=True)
                        for s_ in subj[:2]:
                            for o in backed[:1]:
                                self._add(st, "supports", s_, o, sent)
            if t.lemma_ in L["alongside_verbs"] and t.pos_ == "VERB" and _realised(t):
                # "Chadian troops fought alongside the army"
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ == "alongside":
                        backed = [a for g in c.children for a in actor_in(st, g)]
                        for s_ in _subjects(st, t, countries=True)[:2]:
                            for o in backed[:2]:
                                self._add(st, "supports", s_, o, sent)
            if t.lemma_ in L["support_verbs"] and t.pos_ == "VERB" and t.tag_ != "VBN" and _realised(t):
                objs = [a for c in t.children if c.dep_ == "dobj" for a in actor_in(st, c)]
                subj = [a for c in t.children if c.dep_ == "nsubj" and c.lower_ not in RELATIVE
                        for a in _actors_or_countries(st, c)]
                if t.dep_ in ("relcl", "acl") and (not subj or doc[t.i - 1].lower_ in RELATIVE):
                    subj = _own_actors(st, _coordination_root(t.head)) or subj
                    if not subj:
                        c = _country_actor(st, t.head)
                        subj = [c] if c else []
                if not subj and t.dep_ in ("advcl", "xcomp") and any(c.tag_ == "TO" for c in t.children):
                    # "Kenya has sent hundreds of officers to help Haiti's police"
                    subj = _subjects(st, t, countries=True)
                for s_ in subj[:2]:
                    for o in objs[:2]:
                        self._add(st, "supports", s_, o, sent)
            if t.lemma_ in L["support_participles"] and t.tag_ == "VBN" and not _negated(t) and not _doubted(t):
                supporters = [a for c in t.children if c.dep_ == "agent" for g in c.children
                              for a in _actors_or_countries(st, g)]
                if t.lower_ in L["ally_words"]:
                    continue  # handled with 'allied with' in _supported_more
                if not supporters:
                    continue
                supported: list[str] = []
                if t.dep_ in ("acl", "amod", "relcl"):
                    head = _coordination_root(t.head)
                    supported = actor_in(st, head, subtree=False) or _own_actors(st, head) or actor_in(st, head)
                for c in t.children:
                    if c.dep_ == "nsubjpass":
                        if c.lower_ in RELATIVE and t.dep_ == "relcl":
                            continue
                        supported = actor_in(st, _coordination_root(c))
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
                    supporters += _actors_or_countries(st, g)
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
                elif _country_actor(st, c):
                    supporters.append(_country_actor(st, c))
        verb = t.head.head
        while verb.dep_ == "prep" or (verb.pos_ == "NOUN" and verb.dep_ == "pobj"):
            verb = verb.head  # "under the cover of X"
        if verb.pos_ in ("VERB", "AUX") and not _realised(verb):
            return
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subj and verb.dep_ in ("xcomp", "advcl", "conj"):
            subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
        supported = [a for s in subj for a in actor_in(st, _coordination_root(s))]
        if not supported and verb.pos_ in ("VERB", "AUX"):
            supported = _subjects(st, verb)
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
        for t in _keyed(st, doc, sent, lemmas=L["receive_verbs"] | L["provide_verbs"] | L["contribute_verbs"],
                        lowers=L["ally_words"] | L["proxy_nouns"]):
            low = t.lower_
            if low in L["ally_words"] and not _negated(t) and not _doubted(t):
                allies = [a for c in t.children if (c.dep_ == "prep" and c.lower_ in ("with", "to")) or c.dep_ == "agent"
                          for g in c.children for a in _actors_or_countries(st, g)]
                if not allies:
                    continue
                noun = _predicate_noun(t) if t.dep_ in ("acomp", "attr", "oprd") else (
                    t.head if t.dep_ in ("acl", "amod", "relcl") else None)
                if noun is None:
                    continue
                own = _own_actors(st, _coordination_root(noun))
                if not own and noun.lower_ in RELATIVE:
                    own = _own_actors(st, noun.head)
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
            elif t.lemma_ in L["receive_verbs"] and t.pos_ == "VERB" and _realised(t):
                # "the militia received weapons and training from Iran"
                given = [c for c in t.children if c.dep_ == "dobj" and (c.lemma_ in L["support_nouns"] or c.lemma_ in L["materiel_nouns"])]
                givers = [a for h in (t, *given) for p in h.children if p.dep_ == "prep" and p.lower_ == "from"
                          for g in p.children for a in _actors_or_countries(st, g)]
                if given:
                    for o in _subjects(st, t)[:2]:
                        for s_ in givers[:2]:
                            self._add(st, "supports", s_, o, sent)
            elif t.lemma_ in L["provide_verbs"] and t.pos_ == "VERB" and _realised(t):
                # "Russian jets provided air cover to / for the army", "Iran supplies drones to the Houthis"
                for d in (c for c in t.children if c.dep_ == "dobj" and (c.lemma_ in L["support_nouns"] or c.lemma_ in L["materiel_nouns"])):
                    backed = [a for h in (t, d) for p in h.children if p.dep_ == "prep" and p.lower_ in ("to", "for")
                              for g in p.children for a in actor_in(st, g)]
                    for s_ in _subjects(st, t, countries=True)[:2]:
                        for o in backed[:2]:
                            self._add(st, "supports", s_, o, sent)
            if t.lemma_ in L["contribute_verbs"] and t.pos_ == "VERB" and _realised(t):
                # "Kenya and Uganda, which contribute troops to AU peacekeeping forces"
                troops = [c for c in t.children if c.dep_ == "dobj"]
                force_words = set(patterns()["force_nouns"]) | set(patterns()["role_nouns"])
                if not any(c.lower_ in force_words or (st.mention_at(c.i, "actor") and
                                                        st.actors[st.mention_at(c.i, "actor").key].cls in STATE_CLASSES)
                           or any(g.lower_ in force_words for g in c.subtree) for c in troops):
                    continue
                backed = [a for p in t.children if p.dep_ == "prep" and p.lower_ in ("to",)
                          for g in p.children for a in _own_actors(st, g)]
                for s_ in _subjects(st, t, countries=True)[:3]:
                    for o in backed[:1]:
                        self._add(st, "supports", s_, o, sent)
            if low in L["proxy_nouns"] and t.pos_ == "NOUN":
                patrons = [side_actor(st, doc, c) for c in t.children if c.dep_ in ("poss", "compound", "amod") and c.i < t.i]
                patrons += [a for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "for")
                            for g in c.children for a in _actors_or_countries(st, g)]
                patrons = [p for p in patrons if p]
                if not patrons:
                    continue
                if t.dep_ == "appos":
                    proxies = _own_actors(st, t.head)
                elif t.dep_ in ("attr",) and _realised(t.head):
                    proxies = [a for c in t.head.children if c.dep_ == "nsubj" for a in _own_actors(st, c)]
                else:
                    proxies = _own_actors(st, t)
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
        for t in _keyed(st, doc, sent, lemmas=self.attr_verbs, lowers=("according", "citing", "quoting")):
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

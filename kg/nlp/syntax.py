"""Syntax helpers that several ckg_* components share: who a noun phrase names, the place a
token sits in, the subject actors of a verb, negation, hedging and modality cues, the evidence record of
a sentence. They read the parse and the mentions the earlier components stored on the doc; none of
them writes to the doc.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from spacy.tokens import Doc, Span, Token

from kg.model.vocab import NON_STATE, STATE_CLASSES  # noqa: F401  (re-read by the relation readers)
from kg.model.records import ActorRecord, Evidence
from kg.nlp.lexicon import fold, nationality_words, patterns, relation_words as lex
from kg.nlp.names import generic_key, generic_label
from kg.nlp.state import DocState, TokenTable


LEVEL_RANK = {"Country": 0, "Province": 1, "Region": 2, "District": 2, "City": 3, "Town": 3, "Village": 4,
              "Neighbourhood": 5, "Road": 4, "Facility": 5}
# the word families below are read per token, so they are looked up once, here (kg/data/relations.json)
_WORDS = lex()
LEVEL_WORDS: set[str] = _WORDS["level_words"]  # 'the X district of Y': the word that names a unit
RELATIVE: set[str] = _WORDS["relative_pronouns"]
# where a place sits relative to a noun without being it: "a town north of Homs", "near Kidal"
LOOSE_PLACE_PREPS: set[str] = _WORDS["loose_place_preps"]
PRONOUNS: set[str] = _WORDS["subject_pronouns"]
REPORTING: set[str] = _WORDS["reporting_verbs"]
_NEGATIONS: set[str] = _WORDS["negation_words"]
_CLAIMS: set[str] = _WORDS["claim_verbs"]
_CONDITIONS: set[str] = _WORDS["condition_marks"]


def sentence_words(table: TokenTable, lemmas: list[str], sent: Span, irregular: dict[str, str]) -> set[str]:
    """Every lower-case form, lemma and mended lemma (`lemma`) in the sentence, from the token
    table's plain lists (`lemmas` is `table.lemma(doc)`)."""
    lows = table.lower[sent.start : sent.end]
    lems = lemmas[sent.start : sent.end]
    words = set(lows)
    words.update(lems)
    words.update([irregular.get(low, lem) for low, lem in zip(lows, lems)])
    return words


def keyed(st: DocState, doc: Doc, sent: Span, lemmas: Collection[str] = (), lowers: Collection[str] = (),
           mended: Collection[str] = ()) -> Iterator[Token]:
    """The sentence's tokens, in order, whose lemma is in `lemmas`, lower-case form in `lowers` or
    mended lemma (`lemma`) in `mended`: a reader that acts only on such words skips every other
    token from the token table's plain lists, without making its Token object."""
    table = st.tokens(doc)
    lem, low = table.lemma(doc), table.lower
    irregular = lex()["irregular_forms"] if mended else {}
    for i in range(sent.start, sent.end):
        if lem[i] in lemmas or low[i] in lowers or mended and irregular.get(low[i], lem[i]) in mended:
            yield doc[i]


def mended_lemma(t: Token) -> str:
    """The lemma, mended where the small model leaves past forms alone ('retook' -> 'retake')."""
    return lex()["irregular_forms"].get(t.lower_, t.lemma_)


def negated(t: Token) -> bool:
    """'not controlled', 'are still not controlled', 'never backed', also through an auxiliary."""
    if any(c.dep_ == "neg" or c.lower_ in _NEGATIONS for c in t.children):
        return True
    return t.dep_ in ("xcomp", "acomp") and any(c.dep_ == "neg" for c in t.head.children)


def doubted(t: Token) -> bool:
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
        if x is not t and x.lemma_ in _CLAIMS and negated(x):
            return True
        x = x.head
    return False


def modal(t: Token) -> bool:
    """'could regain', 'will retake', 'would help reassert' (also up an xcomp chain)."""
    L = lex()
    x = t
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in L["modal_words"] for c in x.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in x.children):
            return True
        if x.dep_ not in ("xcomp",) or x.head is x:
            break
        x = x.head
    return False


def attempted(t: Token) -> bool:
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


def realised(t: Token) -> bool:
    return not (negated(t) or doubted(t) or modal(t) or attempted(t))


def ended(t: Token) -> bool:
    """Control that is over: 'briefly held', 'formerly controlled', 'held the town until Saturday'."""
    L = lex()
    past = set(patterns()["past_adverbs"])
    return any(c.lower_ in past or (c.dep_ == "prep" and c.lower_ in L["ended_preps"]) for c in t.children)


def anaphor_place(st: DocState, tok: Token) -> str | None:
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


def named_place(st: DocState, tok: Token) -> str | None:
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
    return st.coref_places.get(tok.i) or anaphor_place(st, tok)


def place_of_np(st: DocState, tok: Token) -> str | None:
    """A place a described area lies in or around: 'rebel-held areas around the town of X',
    'territory in X province'; never 'towns north of X'."""
    named = named_place(st, tok)
    if named or tok.lemma_ not in lex()["area_nouns"]:
        return named  # 'the Hamas-run health ministry in Gaza' says nothing of Gaza
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in LOOSE_PLACE_PREPS:
            for g in c.children:
                p = named_place(st, g)
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


def own_actors(st: DocState, tok: Token, skip: tuple[int, int] = (0, 0)) -> list[str]:
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
        f = forces_of(st, tok)
        keys = [f] if f else []
    for c in tok.children:
        if c.dep_ == "conj":
            keys += [k for k in own_actors(st, c) if k not in keys]
    return keys


def forces_of(st: DocState, tok: Token) -> str | None:
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


def coordination_root(tok: Token) -> Token:
    """'Syrian troops and their allies, backed by X': the participle hangs on the last conjunct;
    what is backed is the whole coordination."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


def country_actor(st: DocState, tok: Token) -> str | None:
    """A country named where an actor is expected ('Kenya has sent troops') acts as itself."""
    pm = st.mention_at(tok.i, "place")
    if pm and st.places.get(pm.key) and st.places[pm.key].cls == "Country":
        rec = st.actors.setdefault(pm.key, ActorRecord(key=pm.key, label=st.places[pm.key].label, cls="Country"))
        rec.aliases.add(tok.text)
        return pm.key
    return None


def actors_or_countries(st: DocState, tok: Token) -> list[str]:
    c = country_actor(st, tok)
    keys = [c] if c else actor_in(st, tok, subtree=False) or actor_in(st, tok)
    for c in tok.children:
        if c.dep_ == "conj":
            keys += [k for k in actors_or_countries(st, c) if k not in keys]
    return keys


_NOT_SIDES = ("MediaOutlet", "Monitor", "Person")  # who speaks for a side without being one


def subject_actors(st: DocState, verb: Token) -> list[str]:
    """Actors doing what a verb says: its subject, the subject of the clause it continues, and
    for a pronoun ('the army said it had retaken X') the speaker, else the last armed actor named."""
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subj and verb.dep_ in ("xcomp", "conj", "advcl", "acl") and verb.head.pos_ in ("VERB", "AUX"):
        subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
    keys = [a for x in subj for a in actor_in(st, x)]
    if keys or not subj or subj[0].lower_ not in PRONOUNS:
        return keys
    return _pronoun_actor(st, verb, subj[0])


def _pronoun_actor(st: DocState, verb: Token, pron: Token) -> list[str]:
    """Who a subject pronoun stands for: the one reporting it ('X said it had ...'), the speaker's
    side for a quoted 'we', else the last armed actor named before it."""
    if verb.dep_ == "ccomp" and verb.head.lemma_ in REPORTING:
        speaker = [a for c in verb.head.children if c.dep_ == "nsubj" for a in actor_in(st, c)]
        if speaker and st.actors[speaker[0]].cls not in _NOT_SIDES:
            return speaker[:1]
    if pron.lower_ in ("we", "us"):
        return _speakers_side(st, verb)
    before = [m for m in st.mentions if m.key in st.actors and m.end <= pron.i]
    for m in reversed(before[-6:]):
        cls = st.actors[m.key].cls
        if cls not in ("Civilians", "Person", "MediaOutlet", "Monitor", "Organisation", "Government"):
            return [m.key]
    return []


def _speakers_side(st: DocState, verb: Token) -> list[str]:
    """A quoted "we" is the speaker's side: "Al Shabab's spokesman said, 'We targeted ...'"; a
    "we" whose speaker this sentence does not name gives no guess."""
    x = verb
    while x.head != x and x.lemma_ not in REPORTING:
        x = x.head
    if x.lemma_ not in REPORTING:
        return []
    sides = [m.key for c in x.children if c.dep_ == "nsubj" for t in c.subtree
             if (m := st.mention_at(t.i, "actor")) and st.actors[m.key].cls not in _NOT_SIDES]
    return sides[:1]


def subjects(st: DocState, verb: Token, *, countries: bool = False) -> list[str]:
    """subject_actors, plus the noun a relative clause hangs on ('gangs that control much of
    Haiti', 'Kenya and Uganda, which contribute troops') and, if asked, countries acting."""
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ == "relcl" and (not subj or subj[0].lower_ in RELATIVE):
        head = coordination_root(verb.head)
        keys = actors_or_countries(st, head) if countries else actor_in(st, head)
        if keys:
            return keys
    keys = subject_actors(st, verb)
    if not keys and countries:
        if not subj and verb.dep_ in ("xcomp", "conj", "advcl", "acl") and verb.head.pos_ in ("VERB", "AUX"):
            subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
        keys = [k for s in subj for k in actors_or_countries(st, s)]
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
    country = country_actor(st, word)
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
    if patterns()["force_nouns"].get(low, cls) == cls:
        st.actors[key].aliases.add(word.text)  # "government control" is the army's, but "government" names the government
    return key


def predicate_noun(tok: Token) -> Token:
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

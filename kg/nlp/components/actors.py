"""spaCy component `ckg_actors`: finds armed actors, governments, monitors and outlets, and types them.

Three sources, strongest first:
1. the actor lexicon (kg/data/actors.json): names, aliases, acronyms -> class, country, Wikidata;
2. generic patterns: [nationality | country's] [government|regime|pro-government] force-noun
   ("Syrian troops", "Russian warplanes", "Saudi-led coalition jets", "government forces"), role
   nouns ("rebels", "militants", "gunmen") and state media; the side's country comes from the
   nationality word or, failing that, the article's main country. Generic mentions of one side get
   one key (`actor/sy/army`), the same in every article;
3. remaining named entities (ORG, PERSON) typed by keywords in their names.
"""

from __future__ import annotations

from bisect import bisect_left

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.geo.gazetteer import Gazetteer
from kg.geo.resolve import place_iri_suffix
from kg.model.vocab import NON_STATE
from kg.model.records import ActorRecord
from kg.nlp.lexicon import (
    LexActor,
    generic_state_name,
    actor_lexicon,
    home_countries,
    regions_of,
    actor_words,
    country_words,
    fold,
    keyword_class,
    load_json,
    metonyms,
    nationality_words,
    patterns,
    slug,
)
from kg.nlp.credits import Credits
from kg.nlp.names import generic_key, generic_label, title_case as headline_title_case
from kg.nlp.state import DocState, Mention, TokenTable, state

_DATA = load_json("actor_words.json")
_WORDS = actor_words()
ROLE_PEOPLE = _WORDS["role_people"]  # "said a local leader, X": a person named after a role noun
STATE_UNIT = re.compile(r"\b(" + "|".join(_DATA["state_unit_patterns"]) + r")\b", re.IGNORECASE)
NO_ACTOR = re.compile(r"\b(" + "|".join(_DATA["no_actor_patterns"]) + r")s?\b")  # weapons, diseases
COREF_HEADS = _WORDS["coref_heads"]
MODIFIERS = _WORDS["modifiers"]
AMBIGUOUS_ROLES = {k: frozenset(v) for k, v in _DATA["ambiguous_roles"].items() if isinstance(v, list)}
NOT_ACTORS = _WORDS["not_actors"]
STANDALONE = _WORDS["standalone_sides"]  # generic phrases that name a side without a nationality
SPEAKING = _WORDS["speaking_verbs"]
NATIONAL_FORCES = _WORDS["national_forces"]
COUNT_WORDS = _WORDS["count_words"]  # "dozens of militants": a count, not a description  # "Afghan forces": with a nationality, the state's army  # "Moscow said", "Damascus denied": the capital speaks for the government



def _inside_longer_name(doc: Doc, s: int, e: int) -> bool:
    """Whether a lexicon match is the tail of a longer proper name that NER saw whole: the
    words before it are capitalised proper nouns of the same entity, none a nationality or country."""
    if s == 0 or e - s < 2:
        return False
    prev = doc[s - 1]
    if prev.pos_ != "PROPN" or not prev.text[:1].isupper() or prev.ent_iob_ == "O" or doc[s].ent_iob_ != "I":
        return False
    f = fold(prev.text)
    return f not in nationality_words() and f not in country_words()



class ActorFinder:
    def __init__(self, nlp: Language, name: str, gazetteer: Gazetteer | None = None) -> None:
        self.nlp = nlp
        self.gaz = Gazetteer.default() if gazetteer is None else gazetteer
        self.lex_by_id = {a.id: a for a in actor_lexicon()}
        self.lower_matcher, self.orth_matcher = self._build(nlp)
        p = patterns()
        self.force = p["force_nouns"]
        self.roles = p["role_nouns"]
        self.sides = p["side_adjectives"]
        self.titles = set(p["person_titles"])
        self.first_words = {w.split()[0].split("-")[0] for w in [*self.force, *self.roles]}
        self._places_here: set[str] = set()  # the current article's place names (set by _entities)
        self._table: TokenTable | None = None  # the current article's token table (set by __call__)
        self._credits: Credits = Credits("")  # the current article's credit lines (set by __call__)

    def _build(self, nlp: Language) -> tuple[PhraseMatcher, PhraseMatcher]:
        lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        tok = nlp.tokenizer
        for a in actor_lexicon():
            long_names = [n for n in [a.name, *a.aliases] if len(n) > 4 or " " in n]
            # short forms match case-sensitively, and only when written as acronyms ('KAN' yes, 'Kan' no)
            short = [n for n in [*a.acronyms, *[x for x in [a.name, *a.aliases] if x not in long_names]]
                     if n.isupper() or sum(c.isupper() for c in n) >= 2]
            if long_names:
                lower.add(a.id, [tok(n) for n in long_names])
            if short:
                orth.add(a.id, [tok(n) for n in short])
        return lower, orth

    # -- helpers -----------------------------------------------------------------------------
    def _country_of(self, doc: Doc, i: int) -> tuple[str | None, int]:
        """Country named by the modifier ending at token i-1 ("Syrian", "Syria's", "Saudi-led"),
        and where that modifier starts."""
        if i <= 0:
            return None, i
        nat, cw = nationality_words(), country_words()
        table = self._table  # the doc's token table: span texts without Tokens
        t = doc[i - 1]
        if t.text in ("'s", "’s") and i >= 2:
            for n in (2, 1):
                s = i - 1 - n
                if s >= 0:
                    f = fold(table.span_text(s, i - 1))
                    if f in cw:
                        return cw[f], s
            return None, i
        for n in (2, 1):
            s = i - n
            # a modifier on the line before ("Clashes in Mali\nJihadists ...") modifies nothing here
            if s >= 0 and not doc[s].is_space and "\n" not in table.doc_text[table.idx[s] : table.idx[i]]:
                f = fold(table.span_text(s, i))
                if f in nat:
                    return nat[f], s
                if f in cw and doc[s].text[:1].isupper():
                    return cw[f], s
        # "Palestinian health officials", "Malian security sources": one modifier in between
        if i >= 2 and doc[i - 1].is_lower and doc[i - 1].pos_ in ("NOUN", "ADJ") and doc[i - 1].lower_ in MODIFIERS:
            f = fold(doc[i - 2].text)
            if f in nat:
                return nat[f], i - 2
        # "Saudi-led", "Turkish-backed": the country leads or backs, the force is not its own
        return None, i

    def _add(self, st: DocState, key: str, label: str, cls: str, cc: str | None, start: int, end: int,
             text: str, *, generic: bool = False, wikidata: str | None = None) -> None:
        rec = st.actors.get(key)
        if rec is None:
            rec = ActorRecord(key=key, label=label, cls=cls, country=cc, wikidata=wikidata)
            st.actors[key] = rec
        text = " ".join(text.split())
        rec.aliases.add(text)
        st.add_mention(Mention(start, end, key, "actor", text, generic=generic))

    # -- passes ------------------------------------------------------------------------------
    def _lexicon(self, doc: Doc, st: DocState) -> None:
        matches = self.lower_matcher(doc) + self.orth_matcher(doc)
        by_span: dict[tuple[int, int], list[str]] = {}
        for m, s, e in matches:
            ids = by_span.setdefault((s, e), [])
            if doc.vocab.strings[m] not in ids:
                ids.append(doc.vocab.strings[m])
        here = {cc for cc, w in st.countries.items() if w > 0}  # the places' countries: the theatre
        for (s, e), ids in sorted(by_span.items(), key=lambda x: (-(x[0][1] - x[0][0]), x[0][0])):
            if st.overlapping(s, e, "actor"):
                continue
            if any(m.start <= s and e <= m.end and m.end - m.start > e - s for m in st.overlapping(s, e, "place")):
                continue  # 'AU' inside 'PORT-AU-PRINCE'
            if self._table.idx[s] in self._credits:
                continue  # "AFP/Marco Longari": an agency credited for a photo, not reported on
            if _inside_longer_name(doc, s, e):
                continue  # "Security Council" in "the Kurdistan Region Security Council": another body
            a = _in_theatre([self.lex_by_id[i] for i in ids], here)
            if a is None:
                self._homonym(doc, st, s, e)
                continue
            key = f"actor/{a.key}"
            label = generic_label(a.country, a.cls) if "/" in a.key else a.name
            # the place finder may have claimed the same words ('Hezbollah' is no place); an actor
            # name from the lexicon wins over a place guess unless it is a country
            self._add(st, key, label, a.cls, a.country, s, e, doc[s:e].text, wikidata=a.wikidata if "/" not in a.key else None)
            if a.country:
                st.countries[a.country] += 0.5

    def _homonym(self, doc: Doc, st: DocState, s: int, e: int) -> None:
        """A lexicon name read in an article of another theatre (a Haitian gang called "Taliban"):
        a local body of that name, typed by its own words, never the far actor."""
        text = " ".join(doc[s:e].text.split())
        # its words name the far actor ("Taliban": jihadist), so they say nothing of its kind; a
        # role noun after it ("the Taliban gang") gives it one (_side_phrase)
        self._add(st, f"actor/name/{slug(text)}-{(st.main_country or 'xx').lower()}", text, "Organisation",
                  st.main_country, s, e, text)

    def _generic(self, doc: Doc, st: DocState) -> None:
        """Generic sides ('Syrian troops', 'the rebels', 'government forces'), left to right; a
        phrase consumes its words."""
        main = st.main_country
        n = len(doc)
        table = st.tokens(doc)
        lowers = table.lower
        i = 0
        while i < n:
            if lowers[i] not in self.first_words:
                i += 1
                continue
            i += self._generic_at(doc, st, table, i, main) or 1

    def _generic_at(self, doc: Doc, st: DocState, table: TokenTable, i: int, main: str | None) -> int | None:
        """The width of the force or role phrase that starts at token i and names a side, longest
        first; None when none does."""
        n = len(doc)
        for width in (3, 2, 1):
            if i + width > n:
                continue
            phrase = table.span_text(i, i + width).lower() if width > 1 else table.lower[i]
            cls = self.force.get(phrase)
            is_role = False
            if cls is None:
                cls = self.roles.get(phrase)
                is_role = cls is not None
            if cls is None:
                continue
            if st.overlapping(i, i + width, "actor"):
                continue
            if self._side_phrase(doc, st, i, width, phrase, cls, is_role, main):
                return width
        return None

    def _side_phrase(self, doc: Doc, st: DocState, i: int, width: int, phrase: str, cls: str, is_role: bool,
                     main: str | None) -> bool:
        """Adds the side a force or role noun at i..i+width names, with the side word and
        country before it ('pro-government militia', "Syria's army"); False when it names none."""
        start, side = self._side_word(doc, i)
        cc, cstart = self._country_of(doc, start)
        if cc:
            start = cstart
        end = i + width
        named = self._named_before(doc, st, start) or self._possessor_group(doc, st, start, is_role or cls in NON_STATE)
        if named is not None and (is_role or cls in NON_STATE):
            a = st.actors[named.key]
            if a.cls == "Organisation" and cls in NON_STATE:
                a.cls = cls  # "the Taliban gang", "Barbecue's militia": the role noun says what it is
            self._add(st, named.key, a.label, a.cls, a.country, named.start, end, doc[named.start : end].text)
            return True
        refined = self._refine(cls, side, phrase, cc)
        if refined is None:
            return False
        if refined == "StateForce" and phrase == "forces" and start > 0 and doc[start - 1].lower_ in ("its", "their"):
            refined = "Army"  # "its forces", said of a state or its army
        if cc is None:
            if not self._generic_ok(doc, i, width, phrase, side, is_role):
                return False
            cc = self._possessor_country(doc, st, start) or main
        key = self._side_key(st, refined, cc, is_role, phrase, i, _counted(doc, start))
        rec = st.actors.get(key)
        label = rec.label if rec else generic_label(cc, refined)
        self._add(st, key, label, rec.cls if rec else refined, cc, start, end, doc[start:end].text, generic=True)
        return True

    def _side_word(self, doc: Doc, i: int) -> tuple[int, str | None]:
        """Where the phrase starts with its side word ('rebel', 'pro-government', 'regime'), and the word."""
        if i > 2 and doc[i - 1].lower_ in self.sides and doc[i - 2].text == "-" and f"{doc[i - 3].lower_}-{doc[i - 1].lower_}" in self.sides:
            return i - 3, f"{doc[i - 3].lower_}-{doc[i - 1].lower_}"  # "Pro-government", split by the tokenizer
        if i > 0 and doc[i - 1].lower_ in self.sides:
            return i - 1, doc[i - 1].lower_
        if i > 1 and doc[i - 1].text == "-" and doc[i - 2].lower_ in self.sides:
            return i - 2, doc[i - 2].lower_
        return i, None

    def _named_before(self, doc: Doc, st: DocState, start: int) -> Mention | None:
        """'al-Shabab militants', 'ELN rebels': the role noun names the group just before it."""
        m = st.mention_at(start - 1, "actor")
        if m is not None and not m.generic and st.actors[m.key].cls not in ("Country", "Person", "MediaOutlet", "Monitor", "Civilians", "Government"):
            return m  # "peshmerga fighters", "Wagner fighters": the role noun is the named force's own
        return None

    def _refine(self, cls: str, side: str | None, phrase: str, cc: str | None) -> str | None:
        if side in ("government", "regime") and cls in ("StateForce", "Army"):
            return "Army"
        if side == "pro-government":
            # "pro-government forces/troops" are the state's own; "pro-government militias" are not
            return "Army" if cls in ("StateForce", "Army") else "Militia"
        if cls == "StateForce" and phrase in NATIONAL_FORCES and cc is not None:
            return "Army"  # "Afghan forces", "Syrian forces": the state's armed forces, one node with its army
        if side in ("rebel", "opposition", "insurgent", "separatist") and cls in ("StateForce",):
            return "RebelGroup"
        if side in ("jihadist", "islamist", "militant", "terrorist") and cls in ("StateForce",):
            return "JihadistGroup"
        if side == "militia":
            return "Militia"
        if side == "state" and cls == "MediaOutlet":
            return "MediaOutlet"
        if phrase in ("intelligence",) and cc is None:
            return None
        return cls

    def _generic_ok(self, doc: Doc, i: int, width: int, phrase: str, side: str | None, is_role: bool) -> bool:
        """Without a nationality, only phrases that name a side on their own count."""
        if is_role or side:
            return True
        if i > 0 and doc[i - 1].lower_ in ("its", "their", "government", "regime") and phrase in ("forces", "troops", "soldiers"):
            return True
        return phrase in STANDALONE

    def _side_key(self, st: DocState, cls: str, cc: str | None, is_role: bool, phrase: str = "", at: int = 0,
                  counted: bool = False) -> str:
        """A generic non-state side links to the one named group of its kind in the article, if
        there is exactly one ('the rebels' in an M23 story). Words that fit several kinds of armed
        group ('militants', 'insurgents', 'gunmen', 'the attackers') link to the group of a fitting
        kind named most recently before them ('Boko Haram ... The attackers')."""
        if cls in NON_STATE and not counted:
            named = [a for a in st.actors.values() if a.cls in NON_STATE and "/" not in a.key.removeprefix("actor/")]
            if phrase in AMBIGUOUS_ROLES:
                fits = AMBIGUOUS_ROLES[phrase]
                upto = bisect_left(st.mentions, at, key=lambda m: m.start)  # those that start before `at`
                last = next((m for m in reversed(st.mentions[:upto]) if m.kind == "actor" and m.end <= at and not m.generic
                             and st.actors[m.key].cls in fits and "/" not in m.key.removeprefix("actor/")), None)
                if last is not None:  # the nearest before (read backwards: linear on long texts)
                    return last.key
            same = [a for a in named if a.cls == cls]
            if len(same) == 1:
                return same[0].key
        return generic_key(cc, cls)

    @staticmethod
    def _possessor_group(doc: Doc, st: DocState, start: int, armed: bool) -> Mention | None:
        """'Hamas denied that its fighters ...': the fighters are the group's own."""
        if not armed or start == 0 or doc[start - 1].lower_ not in ("its", "their"):
            return None
        sent = doc[start].sent
        before = [m for m in st.mentions if m.kind == "actor" and sent.start <= m.start < start and not m.generic]
        if before and st.actors[before[-1].key].cls in NON_STATE:
            return before[-1]
        return None

    @staticmethod
    def _possessor_country(doc: Doc, st: DocState, start: int) -> str | None:
        """'Russia's defence ministry said its troops ...': 'its' is the speaker's side."""
        if start == 0 or doc[start - 1].lower_ not in ("its", "their"):
            return None
        sent = doc[start].sent
        before = [m for m in st.mentions if m.kind == "actor" and sent.start <= m.start < start]
        for m in reversed(before):
            cc = st.actors[m.key].country
            if cc:
                return cc
        return None

    def _entities(self, doc: Doc, st: DocState) -> None:
        # the article's place names, once: the place finder ran before this component
        self._places_here = {fold(n) for p in st.places.values() if p.mentioned and p.cls != "Country"
                             for n in (p.label, *p.aliases)}
        title_case: bool | None = None  # the headline's, read once
        for e in doc.ents:
            if e.label_ not in ("ORG", "PERSON", "NORP") or e.start_char in self._credits:
                continue  # a reporter or photographer credited is no actor
            if e.start_char < st.body_start:
                if title_case is None:
                    title_case = headline_title_case(st.tokens(doc).doc_text[: st.body_start])
                if title_case:
                    continue  # in a Title Case Headline every word looks like a name
            parts = re.split(r"\s*/\s*", e.text)
            offset = 0
            for part in parts:
                pstart = e.text.find(part, offset)
                offset = pstart + len(part)
                span = doc.char_span(e.start_char + pstart, e.start_char + pstart + len(part), alignment_mode="expand")
                if span is None or not part.strip():
                    continue
                if st.covered(span.start, span.end):
                    continue
                self._entity(doc, st, span, e.label_)

    def _entity(self, doc: Doc, st: DocState, span: Span, label: str) -> None:
        """A named entity NER found, as a person, an organisation or a country standing for its
        government; nothing when it names no actor."""
        span = _trim(doc, span)
        text = span.text.strip()
        f = fold(text)
        if not f or f in NOT_ACTORS or len(f) < 2:
            return
        if f in metonyms():
            self._country_actor(doc, st, metonyms()[f], span)
            return
        if label == "NORP":
            return
        if not any(t.text[:1].isupper() for t in span if t.is_alpha):
            return  # NER's "warplanes": a common noun names no one (the generic patterns read it)
        if self._known_person(st, span, text) or self._junk(doc, span, text, label):
            return
        if len(span) == 1 and span[0].lower_ in COREF_HEADS:
            return  # "the Observatory", "the Group": a description, resolved by ckg_coref
        if label != "PERSON" and not keyword_class(text) and self._person_context(doc, span):
            label = "PERSON"
        if label == "PERSON":
            self._person(doc, st, span, text)
        else:
            self._organisation(doc, st, span, text, f)

    def _known_person(self, st: DocState, span: Span, text: str) -> bool:
        """"Aguer" after "Philip Aguer": the same person."""
        if len(span) != 1:
            return False
        last = {a.label.split()[-1]: a for a in st.actors.values() if a.cls == "Person"}
        if text not in last:
            return False
        a = last[text]
        self._add(st, a.key, a.label, "Person", a.country, span.start, span.end, text)
        return True

    def _person(self, doc: Doc, st: DocState, span: Span, text: str) -> None:
        """Two capitalised words at least, or one after a title ('Gen. Haftar')."""
        if len(span) < 2 and not (span.start > 0 and doc[span.start - 1].lower_.rstrip(".") in self.titles):
            return
        if any(not t.text[:1].isupper() for t in span if t.is_alpha):
            return
        self._add(st, f"actor/person/{slug(text)}", text, "Person", st.main_country, span.start, span.end, text)

    def _organisation(self, doc: Doc, st: DocState, span: Span, text: str, f: str) -> None:
        """Typed by the keywords in its name; a state body of a country ('the Malian Army') is the
        country's generic side, one node in every article."""
        cls = keyword_class(text) or "Organisation"
        if STATE_UNIT.search(text):
            cls = "Army" if cls in ("Militia", "StateForce", "Organisation") else cls  # "134th Infantry Battalion"
        cc = None
        c, _ = self._country_of(doc, span.start + 1) if len(span) > 1 else (None, 0)
        if c:
            cc = c
        elif cls in ("Army", "AirForce", "Navy", "Government", "Police", "StateForce", "MediaOutlet"):
            cc = st.main_country
        if cc and cls in ("Army", "AirForce", "Navy", "Government") and generic_state_name(f):
            key = generic_key(cc, cls)
            label_ = st.actors[key].label if key in st.actors else generic_label(cc, cls)
        else:
            key, label_ = f"actor/name/{slug(text)}", text
        self._add(st, key, label_, cls, cc, span.start, span.end, text)

    def _junk(self, doc: Doc, span: Span, text: str, label: str) -> bool:
        """Named-entity spans that are no actor: weapons, diseases, codes, a capitalised first word,
        acronyms the text never spells out, and names that stand where a place would."""
        low = text.lower()
        if NO_ACTOR.search(low):
            return True
        if any(c.isdigit() for c in text) and not STATE_UNIT.search(text):
            return True
        if len(span) == 1 and span[0].is_sent_start and not text.isupper() and label != "PERSON":
            return True
        if len(span) == 1 and (text.isupper() or text[:-1].isupper()) and len(text) <= 5:
            full = state(doc).tokens(doc).doc_text
            # the pattern is slow to scan a whole article with: only where '(TEXT)' is written at all
            m = re.search(rf"((?:\S+\s+){{1,6}})\({re.escape(text)}\)", full) if f"({text})" in full else None
            if m is None or sum(w[:1].isupper() for w in m.group(1).split()) < 2:
                return True  # an acronym the text never expands into a name (IBO, KVs): no actor
        if label != "PERSON" and not keyword_class(text) and fold(text) in self._places_here:
            return True  # "Swat" where the article also says "in Swat": the place, named again
        prev = doc[span.start - 1].lower_ if span.start > 0 else ""
        if prev in ("in", "at", "near", "outside", "around") and not keyword_class(text) and not (
            span.end < len(doc) and doc[span.end].text in ("'s", "’s")
        ):
            return True  # "in Thana", "at Sitio Bud Kaha": a place the gazetteer does not know
        return False

    def _person_context(self, doc: Doc, span: Span) -> bool:
        """'Godfrey Otunge, the commander of ...', 'spokesman Tareq Arian': a person, whatever NER said."""
        if len(span) < 2 or not all(t.text[:1].isupper() and t.is_alpha or t.text in ("-", ".") for t in span):
            return False
        if span.start > 0 and doc[span.start - 1].lower_.rstrip(".") in self.titles:
            return True
        nxt = [t.lower_ for t in doc[span.end : span.end + 4]]
        if len(nxt) >= 3 and nxt[0] == "," and nxt[1] in ("the", "a", "an") and any(w in self.titles for w in nxt[2:]):
            return True
        # "said a local civil society leader, Jean-Paul Kambale": a role noun in apposition before the name
        return span.start >= 2 and doc[span.start - 1].text == "," and doc[span.start - 2].lower_ in self.titles | ROLE_PEOPLE

    def _country_actor(self, doc: Doc, st: DocState, cc: str, span: Span) -> None:
        p = self.gaz.country(cc)
        if p is None:
            return
        key = "place/" + place_iri_suffix(p)
        rec = st.actors.get(key) or ActorRecord(key=key, label=p.name, cls="Country", country=None)
        rec.aliases.add(span.text)
        st.actors[key] = rec
        st.add_mention(Mention(span.start, span.end, key, "actor", span.text))

    def _countries_acting(self, doc: Doc, st: DocState) -> None:
        """A country that does something ('Russia began an air campaign') is an actor too."""
        for m in list(st.mentions):
            if m.kind != "place":
                continue
            rec = st.places.get(m.key)
            if rec is None or rec.cls != "Country":
                continue
            head = doc[m.end - 1]
            if head.dep_ in ("nsubj", "nsubjpass") or (head.dep_ == "pobj" and head.head.lower_ == "by" and head.head.dep_ == "agent"):
                rec_a = st.actors.get(m.key) or ActorRecord(key=m.key, label=rec.label, cls="Country")
                rec_a.aliases.add(m.text)
                st.actors[m.key] = rec_a

    def _metonyms(self, doc: Doc, st: DocState) -> None:
        """A capital standing for its government ('Moscow's firepower', 'Kyiv said')."""
        met = metonyms()
        text = st.tokens(doc).text  # every token is looked at: plain strings, Tokens only for capitals
        n = len(text)
        surnames = _surnames(doc)
        for i, word in enumerate(text):
            if not word[:1].isupper():
                continue
            f = fold(word)
            if f not in met:
                continue
            t = doc[i]
            # a token's trailing whitespace is one space at most: a line ends in a whitespace token
            line_start = i == 0 or "\n" in text[i - 1]
            dateline = (t.is_sent_start or line_start) and word.isupper() and len(word) > 1 and i + 1 < n \
                and text[i + 1] in (":", "–", "—", "-", ",", "(")  # "OUAGADOUGOU (AFP) -"
            if dateline or st.mention_at(i) is not None or f in surnames:
                continue  # "Aden said" after "Major Abdullahi Aden": the man, not Yemen's seat
            if t.dep_ == "nsubj" and t.head.lemma_ in SPEAKING:
                self._government(st, met[f], i)
            elif i + 1 < n and text[i + 1] in ("'s", "’s") or t.dep_ in ("nsubj", "nsubjpass"):
                self._country_actor(doc, st, met[f], doc[i : i + 1])

    def _government(self, st: DocState, cc: str, i: int) -> None:
        """A capital that speaks ("Moscow said", "Damascus denied") is its government, the node
        "the Russian government" and "the Kremlin's ministers" are, not the country or the city."""
        key = generic_key(cc, "Government")
        rec = st.actors.get(key)
        label = rec.label if rec else generic_label(cc, "Government")
        self._add(st, key, label, "Government", cc, i, i + 1, self._table.text[i])

    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        self._table = st.tokens(doc)
        self._credits = Credits(self._table.doc_text)
        self._metonyms(doc, st)
        self._lexicon(doc, st)
        self._entities(doc, st)
        self._generic(doc, st)
        self._countries_acting(doc, st)
        return doc


def _in_theatre(cands: list[LexActor], here: set[str]) -> LexActor | None:
    """Of the lexicon actors a name may be, the one at home in the article's countries (`here`),
    else one that fits anywhere, else one of a neighbouring country (the same world region); None
    when every one belongs to a far theatre (then the name is a homonym). Without any country in
    the article, the first, as written in the lexicon."""
    if not here:
        return cands[0]
    homes = [(a, home_countries(a.id)) for a in cands]
    near = regions_of(here)
    found = [a for a, h in homes if h is not None and h & here]
    anywhere = [a for a, h in homes if h is None]
    # a body that fits anywhere (the AFP news agency) before a neighbour's homonym (the Armed
    # Forces of the Philippines in a Myanmar article); a neighbour's group before none (JNIM in Benin)
    found = found or anywhere or [a for a, h in homes if h is not None and regions_of(h) & near]
    return found[0] if found else None


def _counted(doc: Doc, start: int) -> bool:
    """'six insurgents', 'at least 10 militants', 'dozens of fighters': a count of fighters, said
    of whichever side lost them, not a description of the group named before."""
    j = start - 1
    if j >= 1 and doc[j].lower_ == "of":
        j -= 1
    while j >= 0 and doc[j].lower_ in ("at", "least", "more", "than", "about", "some", "up", "to", "over", "nearly"):
        j -= 1
    return j >= 0 and (doc[j].like_num or doc[j].lower_ in COUNT_WORDS)


def _surnames(doc: Doc) -> set[str]:
    """Folded last words of the people the article names in full ("Abdullahi Aden"): such a word
    alone later is that person, though it is also a capital."""
    return {fold(e[-1].text) for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}


def _trim(doc: Doc, span: Span) -> Span:
    """NER's "the Taliban", "Haftar's": the name, without article or possessive."""
    while len(span) > 1 and span[0].lower_ in ("the", "a", "an"):
        span = doc[span.start + 1 : span.end]
    while len(span) > 1 and span[-1].text in ("'s", "’s", "'", "’"):
        span = doc[span.start : span.end - 1]
    return span


@Language.factory("ckg_actors", default_config={"gazetteer": None})
def make_actors(nlp: Language, name: str, gazetteer: str | None) -> ActorFinder:
    """`gazetteer`: path of a gazetteer index, or null for the shipped one (the countries that
    capitals such as 'Moscow' stand for come from it)."""
    return ActorFinder(nlp, name, Gazetteer.open(gazetteer))

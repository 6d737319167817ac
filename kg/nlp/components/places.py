"""spaCy component `ckg_places`: finds place names and resolves them to GeoNames.

The small English model tags many Syrian, Somali or Sudanese towns as ORG or PERSON, or misses
them; so candidates are every named-entity span *and* every run of capitalised tokens, and the
gazetteer decides. A candidate that is no known place is kept only when the text itself says it
is a place ("the village of X", "X district", an NER GPE/LOC after a locative preposition).

Resolution is two-pass: first the article's country context is gathered (country names,
nationality words, unambiguous places), then each name is resolved with that context, so that
"Hama" in a Syria story is the Syrian city, not a namesake elsewhere.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from spacy.language import Language
from spacy.symbols import VERB
from spacy.tokens import Doc, Span

from kg.model.text import strip_marks, unify_quotes
from kg.geo.gazetteer import Gazetteer, GazPlace
from kg.geo.normalise import normalise_place
from kg.geo.resolve import place_iri_suffix, resolve_place
from kg.model.records import PlaceRecord
from kg.nlp.syntax import LEVEL_RANK
from kg.nlp.lexicon import actor_lexicon, country_words, fold, keyword_class, metonyms, nationality_words, patterns, slug
from kg.nlp.names import title_case
from kg.nlp.state import Mention, TokenTable, state

# "PORT-AU-PRINCE, Haiti (AP) —", "PESHAWAR:", "BAKU –" at the start of a line
DATELINE = re.compile(r"(?m)^\s*([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})\s*(?:,|:|–|—|-|\()")
LOCATIVE = {
    "in", "at", "near", "outside", "around", "from", "to", "into", "toward", "towards", "between", "of", "across",
    "inside", "within", "on", "through", "north", "south", "east", "west", "and", "via", "off", "beyond", "along",
}
NOT_PLACES = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "god", "allah",
    "islam", "muslim", "christian", "mr", "mrs", "ms", "dr", "un", "eu", "us", "uk",
}
TITLES = {"mr", "mrs", "dr", "gen", "general", "president", "minister", "governor", "mayor", "colonel", "major",
          "captain", "sheikh", "commander", "spokesman", "chief", "prime", "pm", "sepoy", "naik", "subedar"}
EZAFE = {"e", "i", "ul", "ud", "ol", "o", "al", "el"}  # joining particles inside hyphenated names
CONNECTORS = {"al", "el", "ad", "ar", "as", "at", "an", "ash", "ez", "es", "de", "du", "la", "le", "of", "-", "bin", "ibn", "abu", "bani", "beni", "wadi", "jabal", "jebel", "tal", "tell", "sidi", "san", "santa"}


@dataclass
class Candidate:
    start: int
    end: int
    level: str | None = None  # admin level said in the text
    ner: str | None = None
    cue: bool = False  # a locative preposition or level word makes it a place


def _level_words() -> dict[str, str]:
    return patterns()["place_levels"]


def _directions() -> set[str]:
    return set(patterns()["directions"])


def _cap_runs(tok: TokenTable) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens, allowing Arabic-article and hyphen connectors inside."""
    text, lower, alpha = tok.text, tok.lower, tok.alpha
    runs = []
    i = 0
    n = len(text)
    while i < n:
        t = text[i]
        if t[:1].isupper() and (alpha[i] or "-" in t):
            j = i + 1
            while j < n:
                u = text[j]
                if u[:1].isupper() and (alpha[j] or "-" in u or "'" in u):
                    j += 1
                elif u == "-" and j + 3 < n and lower[j + 1] in EZAFE and text[j + 2] == "-" \
                        and _next_cap(tok, j + 3):
                    j += 3  # "Dand-e-Ghori", "Mazar-i-Sharif", "Pul-e-Khumri"
                elif lower[j] in CONNECTORS and j - i < 7 and _next_cap(tok, j + 1):
                    j += 1
                else:
                    break
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _next_cap(tok: TokenTable, j: int) -> bool:
    """Whether the next token after optional hyphens is capitalised ('al-Ghab', 'Al-Kabirah')."""
    text = tok.text
    while j < len(text) and text[j] == "-" and not tok.space_after[j - 1]:
        j += 1
    return j < len(text) and text[j][:1].isupper()


def _sub_spans(start: int, end: int, max_len: int = 8) -> list[tuple[int, int]]:
    """All sub-spans, longest first: a run 'Homs Media Center' or 'Jerusalem Dispatch' may hold a place."""
    out = []
    for length in range(min(end - start, max_len), 0, -1):
        for s in range(start, end - length + 1):
            out.append((s, s + length))
    return out


def _verb_object_names(doc: Doc, actor_names: set[str]) -> set[str]:
    """Folded bare proper names that a territorial verb takes as its object ('left Boni', 'Boni
    was seized'): what is captured, entered or left is a place, whatever NER guessed."""
    verbs = set(patterns()["place_object_verbs"]["lemmas"])
    out: set[str] = set()
    lemmas = state(doc).tokens(doc).lemma(doc)  # plain strings: a Token only for the few verbs
    for t in (doc[i] for i, lem in enumerate(lemmas) if lem in verbs):
        if t.pos != VERB:
            continue
        for c in t.children:
            if c.dep_ not in ("dobj", "nsubjpass") or c.pos_ != "PROPN":
                continue
            name = [x for x in c.subtree if x.pos_ == "PROPN" or x.lower_ in CONNECTORS]
            if not name or len(name) > 3 or any(x.lower_ in TITLES for x in c.subtree):
                continue
            if any(x.ent_type_ in ("ORG", "NORP") for x in name):
                continue
            text = doc[name[0].i : name[-1].i + 1].text
            f = fold(text)
            if f not in actor_names and f not in NOT_PLACES:
                out.add(f)
    return out


class PlaceFinder:
    def __init__(self, nlp: Language, name: str) -> None:
        self.gaz = Gazetteer.default()
        lex = actor_lexicon()
        self.actor_names = {fold(n) for a in lex for n in [a.name, *a.aliases, *a.acronyms]}

    def _resolve(self, text: str, ctx: list[str], level: str | None) -> GazPlace | None:
        """`_resolve_uncached`, once per name, context and level within an article: both passes
        over the candidates ask it, mostly with the same context."""
        key = (text, tuple(ctx), level)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_uncached(text, ctx, level)
        return self._resolved[key]

    def _resolve_uncached(self, text: str, ctx: list[str], level: str | None) -> GazPlace | None:
        """'X region' and 'X countryside' are first-level divisions when the gazetteer has one
        called X (Cameroon's West region, Kharkiv region), else whatever X is."""
        if level == "Region":
            p = resolve_place(text, countries=ctx, level="Province", gaz=self.gaz)
            if p is not None and p.cls == "Province":
                return p
        p = resolve_place(text, countries=ctx, level=_gaz_level(level), gaz=self.gaz)
        if p is None and level in ("City", "Town", "Village"):
            # "Patikul town": GeoNames may call it a village or a city; the name decides
            p = resolve_place(text, countries=ctx, gaz=self.gaz)
            if p is not None and p.cls not in ("City", "Town", "Village"):
                p = None
        return p

    # -- candidates -----------------------------------------------------------------------------
    def _text_level(self, doc: Doc, start: int, end: int, tok: TokenTable) -> tuple[int, int, str | None, bool]:
        """Widen a name with the level words around it: 'Homs province', 'the village of X'.
        `tok` is the doc's token table: plain lists, as this runs for every candidate name."""
        text, lower, n = tok.text, tok.lower, len(tok.text)
        levels = _level_words()
        level, cue = None, False
        prefix = patterns()["place_prefix_levels"]["words"]
        if end - start > 1 and lower[start] in prefix and text[start][:1].isupper():
            return start, end, prefix[lower[start]], True  # "Barangay Tanum", "Hotel Ambassador"
        if end < n:
            nxt = lower[end]
            two = f"{nxt} {lower[end + 1]}" if end + 1 < n else ""
            if two in levels and not two.endswith(" of"):
                level, cue = levels[two], True
            elif nxt in levels:
                level, cue = levels[nxt], True  # "Homs province", "the Shaar neighbourhood of Aleppo"
        if level is None:
            # "between Hama, Idlib and Latakia provinces": the plural level word covers each name
            k = end
            while k < n and k - end < 12 and (text[k] in (",", "and", "or", "-", "'", "’", "'s", "’s") or text[k][:1].isupper()):
                k += 1
            listed = any(lower[x] in ("and", "or", ",") for x in range(end, k))
            possessive = all(text[x] in ("'", "’", "'s", "’s") for x in range(end, k))
            if k < n and k > end and lower[k] in levels and (
                (listed and lower[k].endswith("s")) or (possessive or listed) and lower[k] == "countryside"
            ):
                level, cue = levels[lower[k]], True
        if level is None and start >= 3 and (lower[start - 1] in ("called", "named") or
                                             tok.span_text(start - 2, start).lower() == "known as"):
            # "a busy market known as Souk al-Hal", "a village called Kafr Nabl"
            k = start - (3 if lower[start - 1] == "as" else 2)
            if lower[k] in levels:
                level, cue = levels[lower[k]], True
        if level is None and start >= 2 and lower[start - 1] == "of" and lower[start - 2] in levels:
            level, cue = levels[lower[start - 2]], True
        elif start >= 2 and lower[start - 1] == "of" and lower[start - 2] in levels:
            cue = True  # "the Awaran district of Balochistan province": the word after wins
        elif start >= 1 and lower[start - 1] in LOCATIVE:
            cue = True
        elif tok.span_text(start, end).isupper() and end < n and text[end] in (
            ":", "–", "—", "-", ",", "(",
        ) and doc[start].is_sent_start:
            cue = True  # a dateline: "PESHAWAR: ...", "BAKU – ...", "PORT-AU-PRINCE, Haiti (AP) —"
        elif start >= 2 and lower[start - 1] in _directions() and lower[start - 2] in LOCATIVE:
            cue = True
        return start, end, level, cue

    def _is_actor_name(self, text: str) -> bool:
        f = fold(text)
        return f in self.actor_names and f not in country_words()

    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        self._resolved: dict[tuple[str, tuple[str, ...], str | None], GazPlace | None] = {}
        ner = {(e.start, e.end): e.label_ for e in doc.ents}
        spans: dict[tuple[int, int], Candidate] = {}
        org_like: list[tuple[int, int]] = []
        for e in doc.ents:
            if e.label_ in ("ORG",) and keyword_class(e.text) and len(e) > 1:
                org_like.append((e.start, e.end))
        pools = [(e.start, e.end, True) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP")]
        tok = st.tokens(doc)
        pools += [(a, b, False) for a, b in _cap_runs(tok)]
        datelines = set()
        for m in DATELINE.finditer(tok.doc_text):
            span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
            if span is not None and self.gaz.is_known_name(m.group(1)):
                pools.append((span.start, span.end, True))
                datelines.add((span.start, span.end))
        verb_cued = _verb_object_names(doc, self.actor_names)
        ignorable = {"the"} | _directions() | set(_level_words()) | CONNECTORS | TITLES
        leading = {"the"} | _directions()
        lower = tok.lower
        for s0, e0, from_ner in pools:
            whole_known = self.gaz.is_known_name(tok.span_text(s0, e0))
            for s, e in _sub_spans(s0, e0):
                if (s, e) in spans:
                    continue
                if not whole_known and (s, e) != (s0, e0) and any(
                    lower[k] not in ignorable for k in (*range(s0, s), *range(e, e0))
                ):
                    continue  # 'Malla' in 'Teir Malla' is not the town of Malah, 'Central' in 'Central Equatorial' no Davao
                start = s
                if not self.gaz.is_known_name(tok.span_text(s, e)):
                    # "northern Hama", "the Sahel" -> the name; but "Central African Republic" stays whole
                    while start < e and lower[start] in leading:
                        start += 1
                if start == e:
                    continue
                spans.setdefault((start, e), Candidate(start, e, ner=ner.get((s, e)), cue=(start, e) in datelines))
        for key in datelines:
            if key in spans:
                spans[key].cue = True
        # country context from country names and nationality words, before resolving anything
        nat = nationality_words()
        cw = country_words()
        for ent in doc.ents:  # the tokens NER calls NORP, in text order
            if ent.label_ == "NORP":
                for k in range(ent.start, ent.end):
                    if (f := fold(tok.text[k])) in nat:
                        st.countries[nat[f]] += 0.5  # foreign backers are named by nationality too
        for (s, e) in list(spans):
            f = fold(tok.span_text(s, e))
            if f in cw:
                st.countries[cw[f]] += 2
        resolved: list[tuple[Candidate, GazPlace | None, str]] = []

        self.title_case = title_case(tok.doc_text[: st.body_start])
        st_body_token = bisect_left(tok.idx, st.body_start)  # the first body token
        if st_body_token == len(tok.idx):
            st_body_token = 0
        taken: list[tuple[int, int]] = []
        for (s, e), cand in sorted(spans.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]), kv[0][0])):
            if any(a < e and s < b for a, b in taken):
                continue
            text = tok.span_text(s, e)
            f = fold(text)
            if f in NOT_PLACES or len(f) < 3 and f not in cw:
                continue
            if self._is_actor_name(text):
                continue
            dateline = doc[s].is_sent_start and text.isupper() and e < len(doc) and doc[e].text in (":", "–", "—", "-", ",")
            if not dateline and f in metonyms() and (e < len(doc) and doc[e].text in ("'s", "’s") or doc[e - 1].dep_ in ("nsubj", "nsubjpass")):
                continue  # "Moscow's firepower", "Washington said": the government, not the city
            hyphenated = e < len(doc) and doc[e].text == "-"  # "Tripoli-based Government ..."
            if not hyphenated and any(a <= s and e <= b and (b - a) > (e - s) for a, b in org_like) and f not in cw:
                continue  # 'Homs' inside 'Homs Media Center' is part of an organisation's name
            _, _, level, cue = self._text_level(doc, s, e, tok)
            last = doc[e - 1].lower_
            if e - s > 1 and level is None and last in _level_words() and doc[e - 1].text[:1].isupper():
                level, cue = _level_words()[last], True
            elif e - s > 1 and level is None and last in _level_words() and doc[e - 2].text[:1].isupper():
                # NER's "Pazigyi village": the name, with the level word it came with
                level, cue = _level_words()[last], True
                e = e - 1
                cand.end, text, f = e, doc[s:e].text, fold(doc[s:e].text)
            if f in cw:
                level = None  # "central Mali town": a country stays a country
            if f in verb_cued and not level:
                cue, cand.ner = True, "LOC"  # "the jihadists left Boni": NER's PERSON is outvoted
            cand.level, cand.cue = level, cue or cand.cue
            if doc[s].is_sent_start and not cue and not cand.ner and e - s == 1:
                continue  # a capitalised sentence-initial word is no evidence of a name
            if s < st_body_token and self.title_case and not self.gaz.is_known_name(text):
                continue  # in a Title Case Headline every word is capitalised
            located = _in_place_list(doc, s) and cand.ner in ("PERSON", "ORG") and not keyword_class(text) \
                and f not in self.actor_names and not any(self.gaz.is_common_word(t.text) for t in doc[s:e])
            if not self.gaz.is_known_name(text) and not (cand.ner in ("GPE", "LOC", "FAC") or level or located):
                continue
            resolved.append((cand, None, text))
            taken.append((s, e))
        # first pass: unambiguous or strongly cued places add to the country context
        ctx = [c for c, _ in st.countries.most_common()]
        for cand, _, text in resolved:
            p = self._resolve(text, ctx, cand.level)
            if p is not None and p.cls != "Country" and (cand.ner in ("GPE", "LOC") or cand.cue):
                st.countries[p.cc] += 2  # where things happen says most about the theatre
        ctx = [c for c, _ in st.countries.most_common()]
        for cand, _, text in resolved:
            p = self._resolve(text, ctx, cand.level)
            if (p is not None and p.cls not in ("Country", "Province") and ctx and p.cc not in ctx[:3]
                    and p.feature != "PPLC"):
                p = None  # a namesake abroad is likelier an unlisted place of the story's country
            if p is None:
                located = cand.start > 0 and doc[cand.start - 1].lower_ in ("in", "at", "near", "outside", "around") \
                    and not keyword_class(text) and fold(text) not in self.actor_names
                if not (cand.cue or cand.level) or (cand.ner not in ("GPE", "LOC", "FAC", None) and not cand.level and not located):
                    continue
                if cand.ner is None and not cand.level:
                    continue
                if cand.level in ("Facility", "Road") and cand.end < len(doc) and doc[cand.end].lower_ in _level_words():
                    text = doc[cand.start : cand.end + 1].text  # "Al-Watiya airbase" is the name
                rec = self._unresolved(text, cand, st.main_country)
            else:
                if p.cc not in ctx[:3] and not cand.cue and cand.ner not in ("GPE", "LOC") and p.cls != "Country":
                    continue  # a namesake far from the story, and nothing in the text says it is a place
                rec = self._record(p, text)
            self._add(st, rec, cand, text, doc)
        self._namesakes(doc, st)
        self._attach_unresolved(doc, st)
        return doc

    def _namesakes(self, doc: Doc, st) -> None:
        """'the village of Novoselivka in Ukraine's eastern Donetsk region': of the places so
        named, the one inside the division the text puts it in (there are dozens of Novoselivkas)."""
        for m in st.mentions:
            rec = st.places.get(m.key) if m.kind == "place" else None
            if rec is None or not rec.resolved or rec.cls in ("Country", "Province"):
                continue
            outer = _enclosing_mention(doc, st, m.end)
            orec = st.places.get(outer.key) if outer is not None else None
            if orec is None or not orec.resolved or orec.cls not in ("Province", "District"):
                continue
            here = self.gaz.get(_gaz_key(rec.key))
            if here is None or any("place/" + place_iri_suffix(x) == orec.key for x in self.gaz.chain(here)):
                continue
            inside = [p for p in self.gaz.candidates(m.text)
                      if p.cc == rec.country and any("place/" + place_iri_suffix(x) == orec.key for x in self.gaz.chain(p))]
            if not inside:
                continue
            best = max(inside, key=lambda p: p.population)
            new = self._record(best, m.text)
            new.aliases |= rec.aliases
            if new.key not in st.places:
                st.places[new.key] = new
                self._add_parents(st, new)
            old = m.key
            m.key = new.key
            if not any(x.key == old for x in st.mentions):
                st.places.pop(old, None)

    def _attach_unresolved(self, doc: Doc, st) -> None:
        """An unresolved place sits, at least, in the province of a resolved place named in the same
        sentence ('the village of X, just north of Homs city'), else in the article's country."""
        for m in st.mentions:
            rec = st.places.get(m.key) if m.kind == "place" else None
            if rec is not None and not rec.resolved and not rec.parent:
                # "Sitio Kan Alas, Barangay Tanum, Patikul": each in the next, wherever the article says so
                rec.parent = self._comma_parent(doc, st, m, rec)
        sents: list[Span] | None = None  # the doc's sentences, listed once when first needed
        for m in st.mentions:
            rec = st.places.get(m.key) if m.kind == "place" else None
            if rec is None or rec.resolved or rec.parent:
                continue
            sent = doc[m.start].sent
            if sents is None:
                sents = list(doc.sents)
            k = next(i for i, x in enumerate(sents) if x.start == sent.start)
            lo, hi = sents[max(0, k - 2)].start, sents[min(len(sents) - 1, k + 1)].end
            best = None
            small = rec.cls in ("Facility", "Neighbourhood", "Road")
            for other in st.mentions:
                o = st.places.get(other.key) if other.kind == "place" else None
                if o is None or not o.resolved or other.start < lo or other.end > hi:
                    continue
                gp = self.gaz.get(_gaz_key(o.key))
                if gp is None:
                    continue
                if small and gp.cls in ("City", "Town"):
                    parent = gp  # a hotel, market or neighbourhood lies in the town named with it
                else:
                    parent = gp if gp.cls == "Province" else next((x for x in self.gaz.chain(gp) if x.cls == "Province"), None)
                if parent is not None and (rec.country in (None, parent.cc)):
                    # a province named in the sentence beats the province of a nearby town
                    same = sent.start <= other.start < sent.end
                    d = (abs(other.start - m.start) + (0 if same else 5000)
                         - (1000 if gp.cls == "Province" else 0) - (2000 if parent is gp and small else 0))
                    if best is None or d < best[0]:
                        best = (d, parent)
            if best is not None:
                prec = self._record(best[1], best[1].name)
                prec.mentioned = False
                st.places.setdefault(prec.key, prec)
                self._add_parents(st, st.places[prec.key])
                rec.parent = prec.key
            elif rec.country:
                cp = self.gaz.country(rec.country)
                if cp is not None:
                    crec = self._record(cp, cp.name)
                    crec.mentioned = False
                    st.places.setdefault(crec.key, crec)
                    rec.parent = crec.key

    @staticmethod
    def _comma_parent(doc: Doc, st, m: Mention, rec: PlaceRecord) -> str | None:
        """The place that follows an unlisted one after a comma ('Sitio Kan Alas, Barangay Tanum',
        'Katigiri, Wonduruba Payam'), 'in' ('Pazigyi village in Kanbalu township') or a level word
        and 'of' ('the Shahrag area of Harnai'), when it is no finer than it: news writes addresses
        small to big."""
        k = m.end
        stated = True  # "X area of Y" says X lies in Y; a comma only suggests it
        if k + 2 < len(doc) and doc[k].lower_ in _level_words() and doc[k + 1].lower_ == "of":
            k += 1  # "the Shahrag area of Harnai", "the Shaar neighbourhood of Aleppo"
        elif k + 1 < len(doc) and doc[k].lower_ == "of" and doc[k - 1].lower_ in _level_words():
            pass  # the level word is part of the mention: "[Shahrag area] of Harnai"
        elif k + 1 < len(doc) and doc[k].lower_ in _level_words() and doc[k + 1].lower_ == "in":
            k, stated = k + 1, False  # "Pazigyi village in Kanbalu township"
        elif k + 1 >= len(doc) or doc[k].text not in (",", ";", "in"):
            return None
        else:
            stated = False
        nxt = st.mention_at(k + 1, "place") or (
            st.mention_at(k + 2, "place") if k + 2 < len(doc) and doc[k + 1].lower_ == "the" else None)
        if nxt is None or nxt.key == m.key or nxt.start not in (k + 1, k + 2):
            return None
        outer = st.places.get(nxt.key)

        if outer is None or not stated and LEVEL_RANK.get(outer.cls, 0) > LEVEL_RANK.get(rec.cls, 0) and rec.cls in LEVEL_RANK:
            return None
        if rec.country and outer.country and rec.country != outer.country:
            return None
        return nxt.key

    def _add(self, st, rec: PlaceRecord, cand: Candidate, text: str, doc: Doc | None = None) -> None:
        if doc is not None and cand.end < len(doc) and doc[cand.end].lower_ in _level_words() and cand.level:
            rec.aliases.add(f"{text} {doc[cand.end].text}")  # "Nerkh district", "West region"
        existing = st.places.get(rec.key)
        if existing:
            existing.aliases.add(text)
            existing.mentioned = True
        else:
            rec.aliases.add(text)
            st.places[rec.key] = rec
            self._add_parents(st, rec)
        st.add_mention(Mention(cand.start, cand.end, rec.key, "place", text))

    def _add_parents(self, st, rec: PlaceRecord) -> None:
        if not rec.resolved:
            return
        p = self.gaz.get(_gaz_key(rec.key))
        if p is None:
            return
        child = rec
        for parent in self.gaz.chain(p):
            prec = self._record(parent, parent.name)
            prec.mentioned = False
            child.parent = prec.key
            if prec.key in st.places:
                break
            st.places[prec.key] = prec
            child = prec

    def _record(self, p: GazPlace, text: str) -> PlaceRecord:
        return PlaceRecord(
            key="place/" + place_iri_suffix(p),
            label=ascii_label(p.name),
            cls=p.cls,
            country=p.cc,
            resolved=True,
            geonames_id=p.geonames_id,
            iso_code=p.iso_code,
            lat=p.lat,
            lon=p.lon,
            population=p.population or None,
        )

    def _unresolved(self, text: str, cand: Candidate, cc: str | None) -> PlaceRecord:
        cls = cand.level or {"FAC": "Facility", "LOC": "Region"}.get(cand.ner or "", "Town")
        name = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
        return PlaceRecord(
            key=f"place/unresolved/{(cc or 'xx').lower()}/{slug(normalise_place(name)) or slug(name)}",
            label=text,
            cls=cls,
            country=cc,
            resolved=False,
        )


def _in_place_list(doc: Doc, start: int) -> bool:
    """'in X' or 'in A, B, X': a name in a locative list, whatever NER guessed it was."""
    if start > 0 and doc[start - 1].lower_ in ("in", "at", "near", "outside", "around"):
        return True
    if start == 0 or doc[start - 1].text != ",":
        return False
    k = start - 1
    while k > 0 and start - k < 12 and (doc[k - 1].text == "," or doc[k - 1].text[:1].isupper()):
        k -= 1
    return k > 0 and doc[k - 1].lower_ in ("in", "at", "near") and k < start - 1


def _gaz_level(level: str | None) -> str | None:
    """Level words the gazetteer can use: 'region' may be a province (Cameroon's West region) or
    no administrative unit at all (the Ghab plain), so it constrains nothing."""
    return level if level in ("Province", "District", "City", "Town", "Village") else None


def ascii_label(name: str) -> str:
    """GeoNames' names carry transliteration marks (Ḩamāh); labels are easier to read and type
    without them (Hamah), as GeoNames' own asciiname."""
    return unify_quotes(strip_marks(name), backtick=False)


def _enclosing_mention(doc: Doc, st, k: int) -> Mention | None:
    """The place mention that 'in [the] [Country's] [northern] X' right after token k names."""
    if k >= len(doc) or doc[k].lower_ != "in":
        return None
    k += 1
    skip = {"the", "'s", "’s", "northern", "southern", "eastern", "western", "central", "northeastern",
            "northwestern", "southeastern", "southwestern", "north", "south", "east", "west"}
    for _ in range(5):
        if k >= len(doc):
            return None
        m = st.mention_at(k, "place")
        if m is not None and k + (m.end - m.start) < len(doc) and doc[m.end].text in ("'s", "’s"):
            k = m.end + 1  # "Ukraine's": the country, then the division
            continue
        if m is not None:
            return m
        if doc[k].lower_ not in skip:
            return None
        k += 1
    return None


def _gaz_key(iri_suffix: str) -> str:
    kind, _, rest = iri_suffix.removeprefix("place/").partition("/")
    return f"{kind}:{rest}"


@Language.factory("ckg_places")
def make_places(nlp: Language, name: str) -> PlaceFinder:
    return PlaceFinder(nlp, name)


__all__ = ["PlaceFinder", "Counter"]

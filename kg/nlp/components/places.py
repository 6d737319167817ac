"""spaCy component `ckg_places`: finds place names and resolves them to GeoNames.

The small English model tags many Syrian, Somali or Sudanese towns as ORG or PERSON, or misses
them; so candidates are every named-entity span *and* every run of capitalised tokens, and the
gazetteer decides. A candidate that is no known place is kept only when the text itself says it
is a place ("the village of X", "X district", an NER GPE/LOC after a locative preposition).

Resolution is two-pass: first the article's country context is gathered (country names,
nationality words, unambiguous places), then each name is resolved with that context, so that
"Hama" in a Syria story is the Syrian city, not a namesake elsewhere.

The phases live in kg/nlp/places/: candidates -> levels (what the text says) -> resolution here
-> records and the after-pass (namesakes, parents of unlisted places). The gazetteer is the
factory's `gazetteer` config value: a path to an index, or null for the shipped one.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.geo.gazetteer import Gazetteer, GazPlace
from kg.geo.resolve import resolve_place
from kg.model.records import PlaceRecord
from kg.nlp.lexicon import actor_lexicon, country_words, fold, keyword_class, metonyms, nationality_words
from kg.nlp.names import seat_at, title_case
from kg.nlp.places.candidates import (
    CLOSE_LOCATIVE, CONNECTORS, LOCATIVE_LEADS, NOT_PLACES, Candidate, Span2, find_candidates, in_place_list,
    org_spans, verb_object_names,
)
from kg.nlp.places.context import NamedDivisions, famous_namesake, inside_named, plausible
from kg.nlp.places.kinds import (
    ADMIN_LEVELS, is_natural_feature, is_people_word, is_vacuous, is_weapon, leads_with_people_word,
    world_region_start,
)
from kg.nlp.places.levels import gaz_level, level_words, text_level
from kg.nlp.places.placing import place_unresolved
from kg.nlp.places.records import PlaceRecords, ascii_label
from kg.nlp.places.unresolved import attach_unresolved, fix_namesakes
from kg.nlp.state import DocState, TokenTable, state

__all__ = ["PlaceFinder", "ascii_label", "make_places"]

_PLACE_NER = ("GPE", "LOC", "FAC")
_DATELINE_PUNCT = (":", "–", "—", "-", ",")


@dataclass
class _Article:
    """What the candidate filter asks of the whole article, read once per doc."""

    org_like: list[Span2]  # organisations whose names contain a place
    verb_cued: set[str]  # names a territorial verb takes as object
    body_token: int  # the first token after the headline
    title_case: bool  # the headline is in Title Case

    def __post_init__(self) -> None:
        self._org_at: dict[int, list[Span2]] = {}  # token -> the organisations' spans holding it
        for a, b in self.org_like:
            for i in range(a, b):
                self._org_at.setdefault(i, []).append((a, b))

    def in_org_name(self, s: int, e: int) -> bool:
        """Whether tokens s..e are a strict part of an organisation's name (looked up by token:
        a scan of every organisation per candidate was quadratic on long texts)."""
        return any(a <= s and e <= b and (b - a) > (e - s) for a, b in self._org_at.get(s, ()))


class PlaceFinder:
    def __init__(self, nlp: Language, name: str, gazetteer: Gazetteer | None = None) -> None:
        self.gaz = Gazetteer.default() if gazetteer is None else gazetteer
        self.book = PlaceRecords(self.gaz)
        lex = actor_lexicon()
        self.actor_names = {fold(n) for a in lex for n in [a.name, *a.aliases, *a.acronyms]}
        self._resolved: dict[tuple[str, tuple[str, ...], str | None], GazPlace | None] = {}
        self._named = NamedDivisions()
        self._senses: dict[str, GazPlace] = {}  # folded name -> the place its level word made it
        self._ctx0: list[str] = []
        self._where: list[tuple[int, str]] = []  # (token, country) of each place resolved in the first pass

    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        tok = st.tokens(doc)
        self._resolved = {}
        spans = find_candidates(doc, tok, self.gaz)
        _count_countries(doc, st, tok, spans)
        self._ctx0 = [c for c, _ in st.countries.most_common()]  # what _description may ask with
        named = self._select(doc, st, tok, spans)
        # first pass: unambiguous or strongly cued places add to the country context, and the
        # divisions named hold the namesakes that lie inside them
        ctx = [c for c, _ in st.countries.most_common()]
        first = []
        for cand, text in named:
            p = None if cand.kind else self._resolve(text, ctx, cand.level)
            if p is not None and p.cls != "Country" and (cand.ner in ("GPE", "LOC") or cand.cue) \
                    and self._vouches(p, text):
                st.countries[p.cc] += 2  # where things happen says most about the theatre
            first.append((cand, text, p))
        ctx = [c for c, _ in st.countries.most_common()]
        self._named, self._where, self._senses = NamedDivisions(), [], {}
        for cand, text, p in first:
            if p is not None and plausible(self.gaz, p, text, ctx):
                self._named.add(self.gaz, p)
                if gaz_level(cand.level) and p.cls != "Country":
                    self._senses.setdefault(fold(text), p)  # "the district of Al-Jubah"
                if p.cls != "Country" and p.cc in ctx[:3]:  # a country in the sentence is often an
                    self._where.append((cand.start, p.cc))  # actor, a namesake abroad no evidence
        for cand, text in named:
            found = self._place(doc, st, cand, text, ctx)
            if found is not None:
                self.book.add(st, found[0], cand, found[1], doc)
                if found[0].resolved and seat_at(tok.lower, cand.end):
                    st.places[found[0].key].seat = True  # "the Britain-based monitor" names Britain
        fix_namesakes(doc, st, self.book)
        place_unresolved(st, attach_unresolved(doc, st, self.book))
        return doc

    # -- which candidates name places ------------------------------------------------------------
    def _select(self, doc: Doc, st: DocState, tok: TokenTable,
                spans: dict[Span2, Candidate]) -> list[tuple[Candidate, str]]:
        """The candidates kept as names, longest first, none overlapping a longer one kept."""
        body_token = bisect_left(tok.idx, st.body_start)  # the first body token
        art = _Article(org_spans(doc), verb_object_names(doc, self.actor_names),
                       body_token if body_token != len(tok.idx) else 0,
                       title_case(tok.doc_text[: st.body_start]))
        taken: set[int] = set()  # tokens of the names kept (a list of spans was quadratic)
        out: list[tuple[Candidate, str]] = []
        for (s, e), cand in sorted(spans.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]), kv[0][0])):
            if any(i in taken for i in range(s, e)):
                continue
            text = self._accept(doc, tok, cand, art)
            if text is not None:
                out.append((cand, text))
                taken.update(range(cand.start, cand.end))
        return out

    def _accept(self, doc: Doc, tok: TokenTable, cand: Candidate, art: _Article) -> str | None:
        """The candidate's text when it names a place (setting its level and cue), else None."""
        s, e = cand.start, cand.end
        text = tok.span_text(s, e)
        f = fold(text)
        if self._not_a_place(doc, s, e, text, f, art):
            return None
        level, cue, text, f = self._read_level(doc, tok, cand, text, f)
        e = cand.end
        if f in country_words():
            level = None  # "central Mali town": a country stays a country
        elif self._description(doc, s, e, text, f, level):
            return None
        else:
            level, cue, text = self._read_kind(doc, cand, text, f, level, cue)
            s = cand.start
        if f in art.verb_cued and not level:
            cue, cand.ner = True, "LOC"  # "the jihadists left Boni": NER's PERSON is outvoted
        cand.level, cand.cue = level, cue or cand.cue
        if doc[s].is_sent_start and not cue and not cand.ner and e - s == 1:
            return None  # a capitalised sentence-initial word is no evidence of a name
        known = self.gaz.is_known_name(text)
        if s < art.body_token and art.title_case and not known:
            return None  # in a Title Case Headline every word is capitalised
        if not known and not (cand.ner in _PLACE_NER or level or self._listed(doc, s, e, text, cand)):
            return None
        return text

    def _description(self, doc: Doc, s: int, e: int, text: str, f: str, level: str | None) -> bool:
        """A people's adjective or a description, not a name: 'Somali' (unless 'Somali region'
        is a province), 'Pakistani city', 'Kurdish town', 'Syrian Hasakeh' (the name is
        'Hasakeh', a candidate of its own)."""
        if leads_with_people_word(doc, s, e) and not self.gaz.is_known_name(text):
            return True
        if not (is_people_word(f) or is_vacuous(doc, s, e)):
            return False
        if level in ("Province", "Region"):
            p = resolve_place(text, countries=self._ctx0, level="Province", gaz=self.gaz)
            return p is None  # "Somali Region", Cameroon's "West region"
        return is_people_word(f) or not self.gaz.is_known_name(text) or any(
            is_people_word(fold(t.text)) for t in doc[s:e])

    @staticmethod
    def _read_kind(doc: Doc, cand: Candidate, text: str, f: str, level: str | None,
                   cue: bool) -> tuple[str | None, bool, str]:
        """A natural feature ('Red Sea', 'Black Mountain') or a world region ('west Africa') is a
        Region the gazetteer is not asked about; an administrative level word after the name
        ('Red Sea state') makes it the division instead."""
        start = world_region_start(doc, cand.start, cand.end)
        if start is not None and level not in ADMIN_LEVELS:
            cand.start, cand.kind = start, "world"
            return "Region", True, doc[start : cand.end].text
        if is_natural_feature(f) and level not in ADMIN_LEVELS:
            cand.kind = "feature"
            return "Region", True, text
        return level, cue, text

    def _not_a_place(self, doc: Doc, s: int, e: int, text: str, f: str, art: _Article) -> bool:
        """Words no place is, weapons, actor names, a capital standing for its government, a
        place inside an organisation's name, a span that is a possessive's two sides ('Sudan's
        Merowe Dam') or begins with a preposition ('In Bajaur'), or begins in lower case."""
        cw = country_words()
        if f in NOT_PLACES or is_weapon(f) or len(f) < 3 and f not in cw:
            return True
        if any(t.text in ("'s", "’s") for t in doc[s:e]) or (e - s > 1 and doc[s].lower_ in LOCATIVE_LEADS):
            return True
        first = doc[s].text
        if first[:1].islower() and first.split("-")[0].lower() not in CONNECTORS:
            return True  # "wealthiest province", "the capital": descriptions
        if self._is_actor_name(text):
            return True
        dateline = doc[s].is_sent_start and text.isupper() and e < len(doc) and doc[e].text in _DATELINE_PUNCT
        if not dateline and f in metonyms() and (e < len(doc) and doc[e].text in ("'s", "’s") or doc[e - 1].dep_ in ("nsubj", "nsubjpass")):
            return True  # "Moscow's firepower", "Washington said": the government, not the city
        hyphenated = e < len(doc) and doc[e].text == "-"  # "Tripoli-based Government ..."
        # 'Homs' inside 'Homs Media Center' is part of an organisation's name
        return not hyphenated and art.in_org_name(s, e) and f not in cw

    @staticmethod
    def _read_level(doc: Doc, tok: TokenTable, cand: Candidate, text: str,
                    f: str) -> tuple[str | None, bool, str, str]:
        """Level and cue from the words around the name and from its own last word; NER's
        "Pazigyi village" loses the level word (the candidate ends before it)."""
        s, e = cand.start, cand.end
        level, cue = text_level(doc, s, e, tok)
        levels = level_words()
        last = doc[e - 1].lower_
        if e - s > 1 and level is None and last in levels:
            if doc[e - 1].text[:1].isupper():
                return levels[last], True, text, f
            if doc[e - 2].text[:1].isupper():
                cand.end = e - 1  # the name, with the level word it came with
                name = doc[s : e - 1].text
                return levels[last], True, name, fold(name)
        return level, cue, text, f

    def _listed(self, doc: Doc, s: int, e: int, text: str, cand: Candidate) -> bool:
        """'in A, B, X' where NER took X for a person or body: a place unless its words say otherwise."""
        return in_place_list(doc, s) and cand.ner in ("PERSON", "ORG") and not keyword_class(text) \
            and fold(text) not in self.actor_names and not any(self.gaz.is_common_word(t.text) for t in doc[s:e])

    def _is_actor_name(self, text: str) -> bool:
        f = fold(text)
        return f in self.actor_names and f not in country_words()

    # -- resolution ------------------------------------------------------------------------------
    def _place(self, doc: Doc, st: DocState, cand: Candidate, text: str,
               ctx: list[str]) -> tuple[PlaceRecord, str] | None:
        """The record a kept name stands for (a gazetteer place, or an unlisted one the text
        vouches for) and the text it is named by; None when neither holds."""
        if cand.kind is not None:  # a sea, a mountain, a world region: no gazetteer place
            cc = None if cand.kind == "world" else self._country_near(doc, st, cand)
            return self.book.unresolved(text, cand, cc), text
        p = self._resolve(text, ctx, cand.level)
        sense = self._senses.get(fold(text)) if cand.level is None else None
        if sense is not None and (p is None or p.cc != sense.cc):
            p = sense  # one sense per name: 'the district of Al-Jubah' ... 'the fall of Al-Jubah'
        if p is not None and not plausible(self.gaz, p, text, ctx):
            p = None
        if p is not None:
            p = inside_named(self.gaz, famous_namesake(self.gaz, p, text, ctx), text, self._named)
        abroad = (p is not None and p.cls not in ("Country", "Province") and bool(ctx) and p.cc not in ctx[:3]
                  and p.feature != "PPLC")
        if p is None or abroad:  # a namesake abroad is likelier an unlisted place of the story's country
            return self._unlisted(doc, st, cand, text, known=abroad)
        if p.cc not in ctx[:3] and not cand.cue and cand.ner not in ("GPE", "LOC") and p.cls != "Country":
            return None  # a namesake far from the story, and nothing in the text says it is a place
        return self.book.record(p, text), text

    def _unlisted(self, doc: Doc, st: DocState, cand: Candidate, text: str,
                  known: bool = False) -> tuple[PlaceRecord, str] | None:
        """An unlisted place the text vouches for; `known`: the name is a place's abroad, so a
        place cue outvotes NER's ORG or PERSON ('seized control of Al-Jadid')."""
        located = (known or cand.start > 0 and doc[cand.start - 1].lower_ in CLOSE_LOCATIVE) \
            and not keyword_class(text) and fold(text) not in self.actor_names
        if not (cand.cue or cand.level) or (cand.ner not in (*_PLACE_NER, None) and not cand.level and not located):
            return None
        if cand.ner is None and not cand.level:
            return None
        if cand.level in ("Facility", "Road") and cand.end < len(doc) and doc[cand.end].lower_ in level_words():
            text = doc[cand.start : cand.end + 1].text  # "Al-Watiya airbase" is the name
        if is_vacuous(doc, cand.start, cand.end):
            return None
        return self.book.unresolved(text, cand, self._country_near(doc, st, cand)), text

    def _country_near(self, doc: Doc, st: DocState, cand: Candidate) -> str | None:
        """The country of an unlisted place: that of the nearest place resolved in its sentence
        ('Ratta Kulachi, Dera Ismail Khan' in a Pakistan story that names Afghanistan more),
        else the article's own."""
        sent = doc[cand.start].sent
        near = [(abs(k - cand.start), cc) for k, cc in self._where if sent.start <= k < sent.end]
        return min(near)[1] if near else st.main_country

    def _vouches(self, p: GazPlace, text: str) -> bool:
        """Whether a place found in the first pass may add its country to the article's context:
        when the text names that country or no country at all, or the place is a national capital
        called by its own name that has no namesake in the countries the text names. 'Shaar' (a
        spelling of Chad's Sarh) in a story about Aleppo does not make the story Chadian, nor
        'Al-Jubah' a Yemen story South Sudanese; 'Sanaa' in a story that names only Iran does make
        it Yemeni."""
        if not self._ctx0 or p.cc in self._ctx0:
            return True
        found = self.gaz.matches(text)
        if any(q.cc in self._ctx0 for q, _ in found):
            return False
        return p.feature == "PPLC" and any(q.key == p.key and primary for q, primary in found)

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
        p = resolve_place(text, countries=ctx, level=gaz_level(level), gaz=self.gaz)
        if p is None and level in ("City", "Town", "Village"):
            # "Patikul town": GeoNames may call it a village or a city; the name decides
            p = resolve_place(text, countries=ctx, gaz=self.gaz)
            if p is not None and p.cls not in ("City", "Town", "Village"):
                p = None
        return p


def _count_countries(doc: Doc, st: DocState, tok: TokenTable, spans: dict[Span2, Candidate]) -> None:
    """The country context before anything is resolved: nationality words NER calls NORP, and
    candidates that are country names."""
    nat = nationality_words()
    cw = country_words()
    for ent in doc.ents:  # the tokens NER calls NORP, in text order
        if ent.label_ == "NORP":
            for k in range(ent.start, ent.end):
                if (f := fold(tok.text[k])) in nat:
                    st.countries[nat[f]] += 0.5  # foreign backers are named by nationality too
    for (s, e) in list(spans):
        f = fold(tok.span_text(s, e))
        if f in cw and not seat_at(tok.lower, e):  # "a Britain-based monitor": not the theatre
            st.countries[cw[f]] += 2


@Language.factory("ckg_places", default_config={"gazetteer": None})
def make_places(nlp: Language, name: str, gazetteer: str | None) -> PlaceFinder:
    """`gazetteer`: path of a gazetteer index (scripts/build_gazetteer.py), or null for the
    shipped kg/data/gazetteer.sqlite (or $KG_GAZETTEER), shared with the rest of the process."""
    return PlaceFinder(nlp, name, Gazetteer.open(gazetteer))

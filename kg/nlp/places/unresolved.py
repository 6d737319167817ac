"""After every name is resolved: where the text puts a place, read from the words around it.

Two corrections that need all of an article's places at once: a namesake is swapped for the one
inside the division the text names ('Novoselivka in Ukraine's Donetsk region'), and an unlisted
place gets a parent, from an address ('Sitio Kan Alas, Barangay Tanum, Patikul'), from a place
named near it, or else the article's country, so that no place hangs loose in the graph.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.geo.gazetteer import GazPlace
from kg.geo.resolve import place_iri_suffix
from kg.model.records import PlaceRecord
from kg.nlp.lexicon import place_words
from kg.nlp.places.levels import appositive_level, level_words, list_head_level
from kg.nlp.places.records import PlaceRecords, gaz_key
from kg.nlp.state import DocState, Mention, state
from kg.nlp.syntax import LEVEL_RANK

_SKIP = place_words()["enclosing_skip"]
_CONNECTORS = place_words()["connectors"] - {"of"}
_SMALL = ("Facility", "Neighbourhood", "Road")


def _place_of(st: DocState, m: Mention) -> PlaceRecord | None:
    return st.places.get(m.key) if m.kind == "place" else None


def fix_namesakes(doc: Doc, st: DocState, book: PlaceRecords) -> None:
    """'the village of Novoselivka in Ukraine's eastern Donetsk region': of the places so
    named, the one inside the division the text puts it in (there are dozens of Novoselivkas)."""
    gaz = book.gaz
    for m in st.mentions:
        rec = _place_of(st, m)
        if rec is None or not rec.resolved or rec.cls in ("Country", "Province"):
            continue
        outer = _enclosing_mention(doc, st, m.end)
        orec = st.places.get(outer.key) if outer is not None else None
        if orec is None or not orec.resolved or orec.cls not in ("Province", "District"):
            continue
        here = gaz.get(gaz_key(rec.key))
        if here is None or any("place/" + place_iri_suffix(x) == orec.key for x in gaz.chain(here)):
            continue
        inside = [p for p in gaz.candidates(m.text)
                  if p.cc == rec.country and any("place/" + place_iri_suffix(x) == orec.key for x in gaz.chain(p))]
        if not inside:
            continue
        best = max(inside, key=lambda p: p.population)
        new = book.record(best, m.text)
        new.aliases |= rec.aliases
        if new.key not in st.places:
            st.places[new.key] = new
            book.add_parents(st, new)
        old = m.key
        m.key = new.key
        if not any(x.key == old for x in st.mentions):
            st.places.pop(old, None)


def _enclosing_mention(doc: Doc, st: DocState, k: int) -> Mention | None:
    """The place mention that 'in [the] [Country's] [northern] X' right after token k names."""
    if k >= len(doc) or doc[k].lower_ != "in":
        return None
    k += 1
    for _ in range(5):
        if k >= len(doc):
            return None
        m = st.mention_at(k, "place")
        if m is not None and k + (m.end - m.start) < len(doc) and doc[m.end].text in ("'s", "’s"):
            k = m.end + 1  # "Ukraine's": the country, then the division
            continue
        if m is not None:
            return m
        if doc[k].lower_ not in _SKIP:
            return None
        k += 1
    return None


def attach_unresolved(doc: Doc, st: DocState, book: PlaceRecords) -> set[str]:
    """An unresolved place sits, at least, in the province of a resolved place named in the same
    sentence ('the village of X, just north of Homs city'), else in the article's country.
    Returns the keys of those whose container the text states ('X, Y region', 'X in Y province'),
    as opposed to guessed from a place named nearby."""
    stated: set[str] = set()
    for m in st.mentions:
        rec = _place_of(st, m)
        if rec is not None and not rec.resolved and not rec.parent:
            # "Sitio Kan Alas, Barangay Tanum, Patikul": each in the next, wherever the article says so
            rec.parent = _comma_parent(doc, st, m, rec)
            if rec.parent:
                stated.add(rec.key)
    sents: list[Span] | None = None  # the doc's sentences, listed once when first needed
    for m in st.mentions:
        rec = _place_of(st, m)
        if rec is None or rec.resolved or rec.parent or rec.country is None and rec.cls == "Region":
            continue  # a region wider than a country ('west Africa') lies in no country
        if sents is None:
            sents = list(doc.sents)
        parent = _nearby_parent(doc, st, book, m, rec, sents)
        if parent is not None:
            prec = book.unmentioned(st, parent)
            book.add_parents(st, prec)
            rec.parent = prec.key
        elif rec.country:
            cp = book.gaz.country(rec.country)
            if cp is not None:
                rec.parent = book.unmentioned(st, cp).key
    return stated


def _nearby_parent(doc: Doc, st: DocState, book: PlaceRecords, m: Mention, rec: PlaceRecord,
                   sents: list[Span]) -> GazPlace | None:
    """The province (for a hotel, market or neighbourhood: the town) of the resolved place named
    closest to `m` within its sentence, the two before and the one after; a province named in
    the sentence itself beats the province of a nearby town."""
    sent = doc[m.start].sent
    k = next(i for i, x in enumerate(sents) if x.start == sent.start)
    lo, hi = sents[max(0, k - 2)].start, sents[min(len(sents) - 1, k + 1)].end
    best: tuple[int, GazPlace] | None = None
    small = rec.cls in _SMALL
    for other in st.mentions:
        o = _place_of(st, other)
        if o is None or not o.resolved or other.start < lo or other.end > hi:
            continue
        gp = book.gaz.get(gaz_key(o.key))
        if gp is None:
            continue
        parent = _parent_level(book, gp, small)
        if parent is not None and (rec.country in (None, parent.cc)):
            same = sent.start <= other.start < sent.end
            d = (abs(other.start - m.start) + (0 if same else 5000)
                 - (1000 if gp.cls == "Province" else 0) - (2000 if parent is gp and small else 0))
            if best is None or d < best[0]:
                best = (d, parent)
    return best[1] if best is not None else None


def _parent_level(book: PlaceRecords, gp: GazPlace, small: bool) -> GazPlace | None:
    """What a place named nearby offers as parent: a town for a small place, else its province."""
    if small and gp.cls in ("City", "Town"):
        return gp  # a hotel, market or neighbourhood lies in the town named with it
    return gp if gp.cls == "Province" else next((x for x in book.gaz.chain(gp) if x.cls == "Province"), None)


def _comma_parent(doc: Doc, st: DocState, m: Mention, rec: PlaceRecord) -> str | None:
    """The place that follows an unlisted one after a comma ('Sitio Kan Alas, Barangay Tanum',
    'Katigiri, Wonduruba Payam'), 'in' ('Pazigyi village in Kanbalu township') or a level word
    and 'of' ('the Shahrag area of Harnai'), when it is no finer than it: news writes addresses
    small to big."""
    if list_head_level(state(doc).tokens(doc), m.start):
        return _list_parent(doc, st, m, rec)  # 'the villages of A, B and C': siblings, no address
    found = _address_next(doc, m.end)
    if found is None:
        return None
    k, stated = found
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


def _list_parent(doc: Doc, st: DocState, m: Mention, rec: PlaceRecord) -> str | None:
    """The place a whole list is put in: 'the villages of A, B and C in Hama province' puts A
    and B in Hama province too (the 'in' follows the list's last name)."""
    k = m.end
    while k < len(doc) and k - m.end < 16 and (doc[k].text in (",", "and", "or") or doc[k].text[:1].isupper()
                                              or doc[k].lower_ in _CONNECTORS):
        k += 1
    if k >= len(doc) - 1 or doc[k].lower_ != "in":
        return None
    k += 2 if doc[k + 1].lower_ == "the" else 1
    nxt = st.mention_at(k, "place") if k < len(doc) else None
    outer = st.places.get(nxt.key) if nxt is not None and nxt.start == k else None
    if outer is None or outer.key == rec.key or LEVEL_RANK.get(outer.cls, 0) > LEVEL_RANK.get(rec.cls, 0):
        return None
    return outer.key if not (rec.country and outer.country and rec.country != outer.country) else None


def _address_next(doc: Doc, k: int) -> tuple[int, bool] | None:
    """Where, after a mention ending at `k`, the next part of an address may start (one token
    on), and whether the words say the mention lies in it ("X area of Y") or only suggest it
    (a comma, 'in'); None when nothing there continues an address."""
    levels = level_words()
    level, after = appositive_level(state(doc).tokens(doc), k)
    if level is not None and after + 1 < len(doc) and doc[after].lower_ == "in":
        return after, True  # "Zorbatiya, a village in Borno state"
    if k + 2 < len(doc) and doc[k].lower_ in levels and doc[k + 1].lower_ == "of":
        return k + 1, True  # "the Shahrag area of Harnai", "the Shaar neighbourhood of Aleppo"
    if k + 1 < len(doc) and doc[k].lower_ == "of" and doc[k - 1].lower_ in levels:
        return k, True  # the level word is part of the mention: "[Shahrag area] of Harnai"
    if k + 1 < len(doc) and doc[k].lower_ in levels and doc[k + 1].lower_ == "in":
        return k + 1, False  # "Pazigyi village in Kanbalu township"
    if k + 1 >= len(doc) or doc[k].text not in (",", ";", "in"):
        return None
    return k, False

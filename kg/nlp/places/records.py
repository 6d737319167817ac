"""The last phase of `ckg_places`: gazetteer places and unlisted names become PlaceRecords and
mentions on the doc state, each resolved place with its chain of parents up to the country, so
the graph can say that a village lies in its district, province and country.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.geo.gazetteer import Gazetteer, GazPlace
from kg.geo.normalise import normalise_place
from kg.geo.resolve import place_iri_suffix
from kg.model.records import PlaceRecord
from kg.model.text import strip_marks, unify_quotes
from kg.nlp.lexicon import slug
from kg.nlp.places.candidates import Candidate
from kg.nlp.places.levels import level_words
from kg.nlp.state import DocState, Mention


def ascii_label(name: str) -> str:
    """GeoNames' names carry transliteration marks (Ḩamāh); labels are easier to read and type
    without them (Hamah), as GeoNames' own asciiname."""
    return unify_quotes(strip_marks(name), backtick=False)


def gaz_key(iri_suffix: str) -> str:
    """The gazetteer key of a place record's key: 'place/geonames/123' -> 'geonames:123'."""
    kind, _, rest = iri_suffix.removeprefix("place/").partition("/")
    return f"{kind}:{rest}"


def _level_forms(doc: Doc, cand: Candidate, text: str) -> list[str]:
    """The name with the level word the text gives it: 'Nerkh district', 'West region' (the word
    after), 'province of Aleppo' (the word before, with 'of'); how readers search for a division."""
    out = []
    if cand.end < len(doc) and doc[cand.end].lower_ in level_words():
        out.append(f"{text} {doc[cand.end].text}")
    s = cand.start
    if s >= 2 and doc[s - 1].lower_ == "of" and doc[s - 2].lower_ in level_words() \
            and cand.level in ("Province", "District"):
        out.append(f"{doc[s - 2].text} of {text}")
    return out


class PlaceRecords:
    """Writes places onto a DocState; holds the gazetteer that the parents come from."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz

    def record(self, p: GazPlace, text: str) -> PlaceRecord:
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

    def unmentioned(self, st: DocState, p: GazPlace) -> PlaceRecord:
        """A place the text implies but does not name (a parent); the one already on `st` if any."""
        rec = self.record(p, p.name)
        rec.mentioned = False
        return st.places.setdefault(rec.key, rec)

    @staticmethod
    def unresolved(text: str, cand: Candidate, cc: str | None) -> PlaceRecord:
        cls = cand.level or {"FAC": "Facility", "LOC": "Region"}.get(cand.ner or "", "Town")
        name = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
        return PlaceRecord(
            key=f"place/unresolved/{(cc or 'xx').lower()}/{slug(normalise_place(name)) or slug(name)}",
            label=text,
            cls=cls,
            country=cc,
            resolved=False,
        )

    def add(self, st: DocState, rec: PlaceRecord, cand: Candidate, text: str, doc: Doc | None = None) -> None:
        """A mention of `rec` at the candidate; a record met before gains the spelling."""
        existing = st.places.get(rec.key)
        if existing:  # met before, maybe as the parent of a place named earlier
            existing.mentioned = True
        else:
            st.places[rec.key] = rec
            self.add_parents(st, rec)
        target = existing or rec
        target.aliases.add(text)
        if doc is not None and cand.level:
            target.aliases.update(_level_forms(doc, cand, text))
        st.add_mention(Mention(cand.start, cand.end, rec.key, "place", text))

    def add_parents(self, st: DocState, rec: PlaceRecord) -> None:
        """Its district, province and country, up to the first one already on the state."""
        if not rec.resolved:
            return
        p = self.gaz.get(gaz_key(rec.key))
        if p is None:
            return
        child = rec
        for parent in self.gaz.chain(p):
            prec = self.record(parent, parent.name)
            prec.mentioned = False
            child.parent = prec.key
            if prec.key in st.places:
                break
            st.places[prec.key] = prec
            child = prec

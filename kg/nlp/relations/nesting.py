"""Place nesting the text states: "Rastan, a city in the Homs province", "Puerto Leguizamo, in the
province of Putumayo", "Harnai, Balochistan" -- two places in a row, the second a larger unit,
with only such words between them."""

from __future__ import annotations

from spacy.tokens import Span

from kg.nlp.lexicon import relation_words as lex
from kg.nlp.relations.reading import Reading
from kg.nlp.syntax import LEVEL_RANK, LEVEL_WORDS

_W = lex()
_BREAKS: set[str] = _W["nesting_breaks"]
_GAPS: list[list[str]] = _W["nesting_gaps"]["gaps"]


def located(rd: Reading, sent: Span) -> None:
    """Each place of the sentence with the next one, when the next is the larger unit."""
    st = rd.st
    places = [m for m in rd.places if m.start >= sent.start and m.end <= sent.end]
    for a, b in zip(places, places[1:]):
        words = st.tokens(rd.doc).lower[a.end : b.start]
        pa, pb = st.places.get(a.key), st.places.get(b.key)
        if not pa or not pb or LEVEL_RANK.get(pb.cls, 9) >= LEVEL_RANK.get(pa.cls, 9):
            continue
        if not _nests(words):
            continue
        if pa.parent and pa.resolved and pa.parent != b.key and pb.cls != "Country":
            continue  # the gazetteer knows better than a comma
        rd.add("locatedIn", a.key, b.key, sent, 0.7)
        if not pa.resolved:
            pa.parent = b.key  # what the text says beats a guess from nearby names


def _nests(words: list[str]) -> bool:
    """Whether the words between two places say the first lies in the second: ',', 'in the',
    ', a city in', 'the district of' -- not 'between X and Y', 'from X to Y', 'near X'."""
    if len(words) > 8 or any(w in _BREAKS for w in words if w != "of" or "in" not in words):
        if not (words and words[-1] in ("in", "of") and "and" not in words):
            return False
    level_of = len(words) >= 2 and words[-1] == "of" and words[-2] in LEVEL_WORDS and len(words) <= 6
    return bool(words in _GAPS or (words and words[0] == "," and words[-1] in ("in", "of", "the") and len(words) <= 8)
                or level_of)

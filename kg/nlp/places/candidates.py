"""Phase one of `ckg_places`: the token spans that may be place names.

The small English model tags many Syrian, Somali or Sudanese towns as ORG or PERSON, or misses
them; so the pool is every named-entity span, every run of capitalised tokens and every dateline
word the gazetteer knows, and each of their sub-spans is a candidate. Nothing is resolved here:
the gazetteer only says whether a name exists, which decides how far a span may be cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.symbols import VERB
from spacy.tokens import Doc

from kg.geo.gazetteer import Gazetteer
from kg.nlp.lexicon import fold, keyword_class, patterns, place_words
from kg.nlp.places.levels import directions, level_words
from kg.nlp.state import TokenTable, state

_WORDS = place_words()
CONNECTORS = _WORDS["connectors"]  # "al", "bin", "wadi": lower-case words inside a name
EZAFE = _WORDS["ezafe"]  # joining particles inside hyphenated names
TITLES = _WORDS["titles"]
NOT_PLACES = _WORDS["not_places"]
CLOSE_LOCATIVE = _WORDS["close_locative"]  # "in X", "near X": a name right after is where
LIST_LOCATIVE = _WORDS["list_locative"]  # "in A, B, X": heads of a list of places
# a preposition that opens a capitalised run ("In Bajaur, ...") is no part of the name; the
# direction words among the locatives are ("North Kivu"), and so are "and" and "of"
LOCATIVE_LEADS = _WORDS["locative"] - directions() - {"and", "of"}

# "PORT-AU-PRINCE, Haiti (AP) —", "PESHAWAR:", "BAKU –" at the start of a line
DATELINE = re.compile(r"(?m)^\s*([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})\s*(?:,|:|–|—|-|\()")
NAME_DIRECTIONS = _WORDS["name_directions"]  # capitalised, part of the name itself
_NER_POOL = ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP")

Span2 = tuple[int, int]


@dataclass
class Candidate:
    start: int
    end: int
    level: str | None = None  # admin level said in the text
    ner: str | None = None
    cue: bool = False  # a locative preposition or level word makes it a place
    kind: str | None = None  # 'feature' (a sea, river, mountain) or 'world' (wider than a country)


def cap_runs(tok: TokenTable) -> list[Span2]:
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


def sub_spans(start: int, end: int, max_len: int = 8) -> list[Span2]:
    """All sub-spans, longest first: a run 'Homs Media Center' or 'Jerusalem Dispatch' may hold a place."""
    out = []
    for length in range(min(end - start, max_len), 0, -1):
        for s in range(start, end - length + 1):
            out.append((s, s + length))
    return out


def verb_object_names(doc: Doc, actor_names: set[str]) -> set[str]:
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


def org_spans(doc: Doc) -> list[Span2]:
    """NER organisations whose names say what they are ('Homs Media Center'): a place inside one
    is part of the organisation's name."""
    return [(e.start, e.end) for e in doc.ents if e.label_ == "ORG" and keyword_class(e.text) and len(e) > 1]


def in_place_list(doc: Doc, start: int) -> bool:
    """'in X' or 'in A, B, X': a name in a locative list, whatever NER guessed it was."""
    if start > 0 and doc[start - 1].lower_ in CLOSE_LOCATIVE:
        return True
    if start == 0 or doc[start - 1].text != ",":
        return False
    k = start - 1
    while k > 0 and start - k < 12 and (doc[k - 1].text == "," or doc[k - 1].text[:1].isupper()):
        k -= 1
    return k > 0 and doc[k - 1].lower_ in LIST_LOCATIVE and k < start - 1


def find_candidates(doc: Doc, tok: TokenTable, gaz: Gazetteer) -> dict[Span2, Candidate]:
    """Every sub-span of the pools that may be a name, keyed by its span, with NER's label and
    the dateline cue; level words and the gazetteer's verdict come later."""
    pools, datelines = _pools(doc, tok, gaz)
    ner = {(e.start, e.end): e.label_ for e in doc.ents}
    spans: dict[Span2, Candidate] = {}
    ignorable = {"the"} | directions() | set(level_words()) | CONNECTORS | TITLES
    leading = {"the"} | directions()
    lower = tok.lower
    for s0, e0 in pools:
        whole_known = gaz.is_known_name(tok.span_text(s0, e0))
        for s, e in sub_spans(s0, e0):
            if (s, e) in spans:
                continue
            if not whole_known and (s, e) != (s0, e0) and any(
                lower[k] not in ignorable for k in (*range(s0, s), *range(e, e0))
            ):
                continue  # 'Malla' in 'Teir Malla' is not the town of Malah, 'Central' in 'Central Equatorial' no Davao
            start = s
            if not gaz.is_known_name(tok.span_text(s, e)):
                # "northern Hama", "the Sahel" -> the name; but "Central African Republic" stays whole
                while start < e and lower[start] in leading and not (
                        lower[start] in NAME_DIRECTIONS and tok.text[start][:1].isupper()):
                    start += 1  # ... but a capitalised 'Lower', 'Upper' is the name's: 'Lower Shebelle'
            if start == e:
                continue
            spans.setdefault((start, e), Candidate(start, e, ner=ner.get((s, e)), cue=(start, e) in datelines))
    for key in datelines:
        if key in spans:
            spans[key].cue = True
    return spans


def _pools(doc: Doc, tok: TokenTable, gaz: Gazetteer) -> tuple[list[Span2], set[Span2]]:
    """The spans candidates are cut from (NER's, capitalised runs, known dateline words), and
    which of them are datelines."""
    pools = [(e.start, e.end) for e in doc.ents if e.label_ in _NER_POOL]
    pools += cap_runs(tok)
    datelines = set()
    for m in DATELINE.finditer(tok.doc_text):
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is not None and gaz.is_known_name(m.group(1)):
            pools.append((span.start, span.end))
            datelines.add((span.start, span.end))
    return pools, datelines

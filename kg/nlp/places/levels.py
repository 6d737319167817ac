"""What the text says a candidate name is: its level word ('Homs province', 'the village of X')
and whether anything around it (a locative preposition, a dateline) says it is a place at all.

A candidate the gazetteer does not know is kept only on such evidence, so these readers are the
place finder's only way to name unlisted villages, camps and roads.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.nlp.lexicon import load_json, patterns, place_words
from kg.nlp.state import TokenTable

LOCATIVE = place_words()["locative"]
PLURAL_LEVELS: dict[str, str] = load_json("places.json")["plural_levels"]
CONNECTORS_IN_NAMES = frozenset(place_words()["connectors"]) - {"of"}  # "Kafr al-Sheikh"
_LIST_WORDS = (",", "and", "or", "-", "'", "’", "'s", "’s")
_POSSESSIVE = ("'", "’", "'s", "’s")
_DATELINE_PUNCT = (":", "–", "—", "-", ",", "(")


def level_words() -> dict[str, str]:
    """'province' -> Province, 'camp' -> Facility (patterns.json place_levels)."""
    return patterns()["place_levels"]


def directions() -> set[str]:
    return set(patterns()["directions"])


def gaz_level(level: str | None) -> str | None:
    """Level words the gazetteer can use: 'region' may be a province (Cameroon's West region) or
    no administrative unit at all (the Ghab plain), so it constrains nothing."""
    return level if level in ("Province", "District", "City", "Town", "Village") else None


def text_level(doc: Doc, start: int, end: int, tok: TokenTable) -> tuple[str | None, bool]:
    """The level the words around a name give it ('Homs province', 'the village of X') and
    whether they cue a place. `tok` is the doc's token table: plain lists, as this runs for
    every candidate name."""
    text, lower = tok.text, tok.lower
    prefix = patterns()["place_prefix_levels"]["words"]
    if end - start > 1 and lower[start] in prefix and text[start][:1].isupper():
        return prefix[lower[start]], True  # "Barangay Tanum", "Hotel Ambassador"
    level = _level_after(tok, end) or _level_after_list(tok, end) or _level_called(tok, start) \
        or list_head_level(tok, start) or appositive_level(tok, end)[0]
    cue = level is not None
    levels = level_words()
    if start >= 2 and lower[start - 1] == "of" and lower[start - 2] in levels:
        # "the village of X"; "the Awaran district of Balochistan province": the word after wins
        return level or levels[lower[start - 2]], True
    return level, cue or _place_cue(doc, start, end, tok)


def _level_after(tok: TokenTable, end: int) -> str | None:
    """'Homs province', 'the Shaar neighbourhood of Aleppo', 'Kanbalu local government area'."""
    lower, n = tok.lower, len(tok.text)
    if end >= n:
        return None
    levels = level_words()
    nxt = lower[end]
    two = f"{nxt} {lower[end + 1]}" if end + 1 < n else ""
    if two in levels and not two.endswith(" of"):
        return levels[two]
    return levels.get(nxt)


def _level_after_list(tok: TokenTable, end: int) -> str | None:
    """'between Hama, Idlib and Latakia provinces': the plural level word covers each name;
    'Idlib's countryside' too."""
    text, lower, n = tok.text, tok.lower, len(tok.text)
    levels = level_words()
    k = end
    while k < n and k - end < 12 and (text[k] in _LIST_WORDS or text[k][:1].isupper()):
        k += 1
    if not (k < n and k > end and lower[k] in levels):
        return None
    listed = any(lower[x] in ("and", "or", ",") for x in range(end, k))
    possessive = all(text[x] in _POSSESSIVE for x in range(end, k))
    if (listed and lower[k].endswith("s")) or (possessive or listed) and lower[k] == "countryside":
        return levels[lower[k]]
    return None


def appositive_level(tok: TokenTable, end: int) -> tuple[str | None, int]:
    """'Zorbatiya, a village in Borno state', 'Kengwo, a small town near the border': the level
    an appositive gives the name before it, and the token after the level word (where the
    container may follow); (None, end) when no such appositive follows."""
    lower, n = tok.lower, len(tok.text)
    if not (end + 2 < n and tok.text[end] == "," and lower[end + 1] in ("a", "an", "the")):
        return None, end
    levels = level_words()
    for k in range(end + 2, min(end + 5, n)):  # "a small farming village": up to two modifiers
        if lower[k] in levels and levels[lower[k]] in ("City", "Town", "Village", "Neighbourhood", "District"):
            return levels[lower[k]], k + 1
        if not tok.alpha[k] or tok.text[k][:1].isupper():
            break
    return None, end


def list_head_level(tok: TokenTable, start: int) -> str | None:
    """'the villages of Kafr Zeita, Latamneh and Morek': a plural level word and 'of' before a
    list of capitalised names give each name in it the level (the first name is 'the village of
    X' already, when the word is singular)."""
    text, lower = tok.text, tok.lower
    k = start - 1
    while k > 0 and start - k < 16 and (text[k] in (",", "and", "or") or text[k][:1].isupper()
                                        or lower[k] in CONNECTORS_IN_NAMES):
        k -= 1
    if k < 1 or lower[k] != "of":
        return None
    listed = k == start - 1 or any(text[x] in (",", "and", "or") for x in range(k + 1, start))
    return PLURAL_LEVELS.get(lower[k - 1]) if listed else None


def _level_called(tok: TokenTable, start: int) -> str | None:
    """'a busy market known as Souk al-Hal', 'a village called Kafr Nabl'."""
    lower = tok.lower
    if not (start >= 3 and (lower[start - 1] in ("called", "named") or
                            tok.span_text(start - 2, start).lower() == "known as")):
        return None
    k = start - (3 if lower[start - 1] == "as" else 2)
    return level_words().get(lower[k])


def _place_cue(doc: Doc, start: int, end: int, tok: TokenTable) -> bool:
    """A locative preposition before the name, a dateline, or 'in northern X'."""
    text, lower = tok.text, tok.lower
    if start >= 1 and lower[start - 1] in LOCATIVE:
        return True
    if tok.span_text(start, end).isupper() and end < len(text) and text[end] in _DATELINE_PUNCT \
            and doc[start].is_sent_start:
        return True  # a dateline: "PESHAWAR: ...", "BAKU – ...", "PORT-AU-PRINCE, Haiti (AP) —"
    return start >= 2 and lower[start - 1] in directions() and lower[start - 2] in LOCATIVE

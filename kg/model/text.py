"""The one place where text is folded for comparison.

Names reach the graph in many spellings (Ḩamāh, Hamah; al‑Dar, al-Dar; Homs’s, Homs's). Every layer
that compares names (the lexicon, the gazetteer, entity linking, the evaluation) starts from the same
two steps defined here, then applies its own rules on top, which differ on purpose: the gazetteer
drops Arabic articles, the lexicon keeps them.
"""

from __future__ import annotations

import unicodedata

_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-"})


def strip_marks(text: str) -> str:
    """`text` without diacritics: NFKD, then every combining mark dropped (Ḩamāh -> Hamah)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def unify_quotes(text: str, *, backtick: bool = True, marks: bool = True, dashes: bool = False) -> str:
    """Curly quotes as "'", and with `backtick` the backtick, with `marks` the ayin and hamza half
    rings (ʿ ʾ, which NFKD keeps); with `dashes`, en and em dashes as '-'."""
    t = text.replace("\u2019", "'").replace("\u2018", "'")
    if backtick:
        t = t.replace("`", "'")
    if marks:
        t = t.replace("\u02bf", "'").replace("\u02be", "'")
    return t.translate(_DASHES) if dashes else t


def name_key(name: str) -> str:
    """The lookup key of a name: lower case, as SPARQL's LCASE(STR(?name)) gives it."""
    return name.lower()

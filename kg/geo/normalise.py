"""The one key place names are compared by, in the gazetteer index and in the text alike.

`normalise_place` folds away the differences that transliteration and news style make between
spellings of the same name, so that "Talbisseh", "Talbiseh", "Talbisa", "Tallbisah" and
"Tallbīsah" all become ``talbisa``, and "Al-Dar Al-Kabirah", "Dar al-Kabira" and
"Al Dar al Kabirah" all become ``dar kabira``:

1. Unicode NFKD; diacritics dropped; letters that do not decompose (ı ł ø đ ð þ ß æ œ ħ ə …)
   spelled out in ASCII; ʿayn/hamza marks and apostrophes (ʿ ʾ ‘ ’ ' ` ´ ʻ ʼ) removed.
2. Lower case; anything that is not a letter or digit separates words (hyphens = spaces).
3. The Arabic article is dropped at the start of a word: ``al``/``el`` always, the assimilated
   forms (ad ar as at az an ash adh ath, and the e- forms ed er es et ez en esh) when written
   with a hyphen or when the next word starts with the same consonant ("Ar Rastan", "ad-Dar",
   "Deir ez-Zor"); never when it is the whole name. A leading English "the" is dropped too.
4. Abbreviations st/ste/mt/ft become saint/sainte/mount/fort.
5. Per word: doubled consonants collapse (ll -> l), ee -> i, ou -> u, oo -> o, aa -> a, ii -> i, uu -> u;
   a final -ah/-eh becomes -a; a final -iyeh/-iyah/-iyya/-iye/-ieh/-ia becomes -iya.

The level words ("city", "province", ...) are *not* removed here: that is the resolver's job,
because they carry meaning (`kg.geo.resolve`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.model.text import strip_marks

__all__ = ["normalise_place", "tokens"]

# letters that NFKD leaves alone, spelled in ASCII
_FOLD = str.maketrans(
    {
        "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "þ": "th", "Þ": "Th", "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ħ": "h",
        "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "Ng", "ə": "e", "Ə": "E", "ɛ": "e", "Ɛ": "E",
        "ɔ": "o", "Ɔ": "O", "ƙ": "k", "Ƙ": "K", "ɗ": "d", "Ɗ": "D", "ɓ": "b", "Ɓ": "B", "ƴ": "y",
        "Ƴ": "Y", "ʃ": "sh", "ʒ": "zh", "ĸ": "k", "ſ": "s", "ɨ": "i", "ʉ": "u",
    }
)
# ʿayn, hamza, apostrophes and primes: removed without leaving a word break
_MARKS = re.compile("[ʿʾ‘’'`´ʻʼʹ′ʽ]")
_WORD = re.compile(r"[a-z0-9]+")
_SEP_HYPHEN = re.compile(r"\s*[-‐‑‒–—]\s*")

_ARTICLE_ALWAYS = frozenset({"al", "el"})
# sun-letter (assimilated) forms of the article: a/e + consonant(s)
_ARTICLE_SUN = {
    "ad": "d", "ar": "r", "as": "s", "at": "t", "az": "z", "an": "n", "ash": "sh", "adh": "dh",
    "ath": "th", "ed": "d", "er": "r", "es": "s", "et": "t", "ez": "z", "en": "n", "esh": "sh",
    "edh": "dh", "eth": "th",
}
_ABBREV = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}

_DOUBLE_CONSONANT = re.compile(r"([b-df-hj-np-tv-z])\1+")
_VOWELS = (("ee", "i"), ("ou", "u"), ("oo", "o"), ("aa", "a"), ("ii", "i"), ("uu", "u"))
_FINAL_AH = re.compile(r"(?<=..)[ae]h$")
_FINAL_IYA = re.compile(r"(?:iy|i)(?:a|e)$")


def _fold_word(w: str) -> str:
    if w.isdigit():
        return w
    w = _DOUBLE_CONSONANT.sub(r"\1", w)
    for a, b in _VOWELS:
        if a in w:
            w = w.replace(a, b)
    w = _FINAL_AH.sub("a", w)
    if len(w) > 3:
        w = _FINAL_IYA.sub("iya", w)
    return w


def tokens(name: str) -> list[str]:
    """The normalised words of `name` (what `normalise_place` joins with single spaces)."""
    s = strip_marks(name).translate(_FOLD)
    s = _MARKS.sub("", s).lower()
    # mark hyphens so that "ad-Dar" is known to be an article even before a non-matching letter
    s = _SEP_HYPHEN.sub(" \x00 ", s)
    raw: list[tuple[str, bool]] = []  # (word, followed by a hyphen)
    for part in s.split():
        if part == "\x00":
            if raw:
                raw[-1] = (raw[-1][0], True)
            continue
        for w in _WORD.findall(part):
            raw.append((w, False))
    words: list[str] = []
    n = len(raw)
    for i, (w, hyphen) in enumerate(raw):
        if i + 1 < n:  # an article needs a following word
            nxt = raw[i + 1][0]
            if w in _ARTICLE_ALWAYS:
                continue
            cons = _ARTICLE_SUN.get(w)
            if cons is not None and (hyphen or nxt.startswith(cons)):
                continue
            if i == 0 and w == "the":
                continue
        words.append(_ABBREV.get(w, w))
    return [_fold_word(w) for w in words]


@lru_cache(maxsize=65536)
def normalise_place(name: str) -> str:
    """The comparison key of a place name (see the module docstring); '' for no letters."""
    return " ".join(tokens(name))

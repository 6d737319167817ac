"""The table the `ckg_relations` component walks per sentence: one row per pattern family, with
the words that gate it and the reader that reads it.

The gate exists for speed: a sentence without any word a family keys on cannot give that family
anything, so its reader is not run (most sentences hold none of them). The rows run in this
order; a later one may read what an earlier one added (a capture outdates a description only
when Reading.supersede weighs them all, at the end of the doc).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span

from kg.nlp.lexicon import relation_words as lex
from kg.nlp.relations.attribution import VERBS as ATTRIBUTION_VERBS, attribution
from kg.nlp.relations.control import (
    CONTROL_NOUN_VERBS, TAKE_VERBS, active_control, controlled_by, lost_control, stronghold, took_control,
    under_control,
)
from kg.nlp.relations.modifiers import hyphen_modifiers
from kg.nlp.relations.nesting import located
from kg.nlp.relations.reading import Reading
from kg.nlp.relations.support import ALLIANCE_WORDS, SUPPORT_WORDS, supported, supported_more

Gate = tuple[tuple[frozenset[str], ...], ...]


@dataclass(frozen=True)
class Family:
    name: str
    # alternatives: the family runs when, for one of them, every word set meets the sentence's
    # words; None: it runs on every sentence
    gate: Gate | None
    read: Callable[[Reading, Span], None]

    def opens(self, words: set[str]) -> bool:
        return self.gate is None or any(all(not words.isdisjoint(s) for s in alt) for alt in self.gate)


def _one(*sets: set[str] | frozenset[str]) -> Gate:
    """A gate of one alternative: any word of any of `sets`."""
    return ((frozenset().union(*sets),),)


_W = lex()

FAMILIES: tuple[Family, ...] = (
    # "rebel-held town of X", "Turkish-backed forces", "pro-government militias"
    Family("modifier", _one(_W["control_participles"], {"-"}), hyphen_modifiers),
    # "X, controlled by Y", "X was seized by Y"
    Family("controlled-by", _one(_W["control_participles"], _W["capture_verbs"]), controlled_by),
    # "under government control", "in rebel hands"
    Family("under-control", _one(_W["under_control_nouns"]), under_control),
    # "Y took control of X", "Y retook X", "X fell to Y"
    Family("took-control", ((TAKE_VERBS,), (frozenset(_W["control_nouns"]), CONTROL_NOUN_VERBS)), took_control),
    # "Y controls X", "gangs that control much of Haiti"
    Family("holds", _one(_W["hold_verbs"]), active_control),
    # "Kidal, a stronghold of the rebels"
    Family("stronghold", _one(_W["stronghold_nouns"]), stronghold),
    # "the jihadists left Boni", "the army lost control of X"
    Family("left", _one(_W["loss_verbs"]), lost_control),
    # "A backed by B", "with the support of B", "fighting for X"
    Family("supported", _one(SUPPORT_WORDS), supported),
    # "allied with X", "provided air support to Y", "Iran's proxies"
    Family("allied", _one(ALLIANCE_WORDS), supported_more),
    # "Rastan, a city in the Homs province": any two places can nest
    Family("nesting", None, located),
    # "X said", "according to X", "citing X"
    Family("attribution", _one(ATTRIBUTION_VERBS, {"according"}), attribution),
)

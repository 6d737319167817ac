"""The table the `ckg_relations` component walks per sentence: one row per pattern family, with
the words that gate it and the reader that reads it.

The gate exists for speed: a sentence without any word a family keys on cannot give that family
anything, so its reader is not run (most sentences hold none of them). The rows run in this
order; a later one may read what an earlier one added (a capture outdates a description only
when Reading.supersede weighs them all, at the end of the doc).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from spacy.tokens import Span

from kg.nlp.lexicon import relation_words as lex
from kg.nlp.relations.attribution import VERBS as ATTRIBUTION_VERBS, attribution
from kg.nlp.relations.control import (
    CONTROL_NOUN_VERBS, TAKE_VERBS, active_control, controlled_by, lost_control, stronghold, took_control,
    under_control,
)
from kg.nlp.relations.control_expel import expelled
from kg.nlp.relations.control_nominal import nominal_capture, side_seat
from kg.nlp.relations.control_places import control_words
from kg.nlp.relations.modifiers import hyphen_modifiers
from kg.nlp.relations.nesting import located
from kg.nlp.relations.reading import Reading
from kg.nlp.relations.support import ALLIANCE_WORDS, SUPPORT_WORDS, supported, supported_more
from kg.nlp.relations.support_phrases import (
    ALLY_WORDS, IN_SUPPORT_WORDS, JOIN_WORDS, LOYALTY_WORDS, ally_nouns, fused_backing, in_support, joined_forces,
    loyalty,
)


class Family(NamedTuple):
    """A row: the family runs on a sentence holding any of `words` (None: on every sentence), or
    one word of each of the sets in `together`."""

    name: str
    words: frozenset[str] | None
    together: tuple[frozenset[str], ...]
    read: Callable[[Reading, Span], None]


def opens(words: set[str], row: Family) -> bool:
    """Whether a sentence with these words can give the family anything: a test made for every
    sentence and row, so no generator unless the row has a `together` way in."""
    return (row.words is None or not words.isdisjoint(row.words)
            or bool(row.together) and all(not words.isdisjoint(s) for s in row.together))


def _any(*sets: set[str] | frozenset[str]) -> frozenset[str]:
    return frozenset().union(*sets)


_W = lex()

FAMILIES: tuple[Family, ...] = (
    # "rebel-held town of X", "Turkish-backed forces", "pro-government militias"
    Family("modifier", _any(_W["control_participles"], {"-"}), (), hyphen_modifiers),
    # "X, controlled by Y", "X was seized by Y"
    Family("controlled-by", _any(_W["control_participles"], _W["capture_verbs"]), (), controlled_by),
    # "under government control", "in rebel hands"
    Family("under-control", _any(_W["under_control_nouns"]), (), under_control),
    # "Y took control of X", "Y retook X", "X fell to Y"
    Family("took-control", TAKE_VERBS, (frozenset(_W["control_nouns"]), CONTROL_NOUN_VERBS), took_control),
    # "the rebels' capture of X", "the fall of X to Y"
    Family("capture-noun", _any(control_words()["capture_nouns"], control_words()["fall_nouns"]), (), nominal_capture),
    # "the army expelled the militants from X", "drove Y out of X", "cleared X of militants"
    Family("expelled", _any(control_words()["expel_verbs"], control_words()["expel_out_verbs"],
                            control_words()["clear_verbs"]), (), expelled),
    # "Y controls X", "gangs that control much of Haiti"
    Family("holds", _any(_W["hold_verbs"]), (), active_control),
    # "Kidal, a stronghold of the rebels"
    Family("stronghold", _any(_W["stronghold_nouns"]), (), stronghold),
    # "Raqqa, the group's de facto capital", "the KIA's headquarters in Laiza"
    Family("seat", _any(control_words()["side_seat_nouns"]), (), side_seat),
    # "the jihadists left Boni", "the army lost control of X"
    Family("left", _any(_W["loss_verbs"]), (), lost_control),
    # "A backed by B", "with the support of B", "fighting for X"
    Family("supported", _any(SUPPORT_WORDS), (), supported),
    # "allied with X", "provided air support to Y", "Iran's proxies"
    Family("allied", _any(ALLIANCE_WORDS), (), supported_more),
    # "U.S.-backed fighters" as one token (its words are not in the sentence's word set)
    Family("fused-backing", None, (), fused_backing),
    # "militias loyal to Haftar", "declared allegiance to X"
    Family("loyalty", LOYALTY_WORDS, (), loyalty),
    # "Turkey, a close ally of Azerbaijan", "the SAF and allied Joint Forces"
    Family("ally-noun", ALLY_WORDS, (), ally_nouns),
    # "a jet was deployed in support of the militia"
    Family("in-support", IN_SUPPORT_WORDS, (), in_support),
    # "X joined forces with Y"
    Family("joined-forces", JOIN_WORDS, (), joined_forces),
    # "Rastan, a city in the Homs province": any two places can nest
    Family("nesting", None, (), located),
    # "X said", "according to X", "citing X"
    Family("attribution", _any(ATTRIBUTION_VERBS, {"according"}), (), attribution),
)

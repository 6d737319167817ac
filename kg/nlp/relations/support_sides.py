"""Who the two ends of a support phrase are, shared by the support readers.

A backing phrase hangs on a generic noun as often as on a name ("the Iran-backed group Hezbollah",
"M23, a militia backed by Rwanda"): the party backed is then the name the noun stands in
apposition with, not whatever generic actor the noun alone would resolve to. And a backer is as
often a country written as a word part ("U.S.-backed") as a named actor.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from spacy.tokens import Token

from kg.model.records import ActorRecord
from kg.nlp.lexicon import country_words, fold, load_json, nationality_words, patterns
from kg.nlp.state import DocState
from kg.nlp.names import generic_key, generic_label
from kg.nlp.syntax import actor_in, coordination_root, own_actors


@lru_cache(maxsize=None)
def support_words() -> dict[str, Any]:
    """kg/data/support.json with its word lists as sets."""
    return {k: (set(v) if isinstance(v, list) else v) for k, v in load_json("support.json").items()}


def backed_party(st: DocState, noun: Token, skip: tuple[int, int] = (0, 0), *, whole: bool = True) -> list[str]:
    """The actors a noun that a backing phrase modifies stands for. 'M23, a militia backed by
    Rwanda': the apposition's head (M23), before the generic 'militia'; 'the Iran-backed group
    Hezbollah': the name in apposition after the noun; else the noun phrase's own actors (of the
    whole coordination when `whole`: a participle after 'X and Y' is said of both, a modifier
    inside one conjunct only of it)."""
    if noun.dep_ == "appos":
        head = actor_in(st, noun.head, subtree=False) or own_actors(st, noun.head)
        if head:
            return head
    own = own_actors(st, coordination_root(noun) if whole else noun, skip=skip)
    if own:
        return own
    return [a for c in noun.children if c.dep_ == "appos" for a in actor_in(st, c, subtree=False)]


def own_forces(st: DocState, noun: Token) -> bool:
    """'forces loyal to X', 'fighters aligned with X': a common noun for armed men, naming no
    group of its own, is X's own forces, not a second side that backs X ('the Al-Kani militia,
    loyal to Haftar' names one)."""
    words = set(patterns()["force_nouns"]) | set(patterns()["role_nouns"])
    m = st.mention_at(noun.i, "actor")
    return noun.pos_ == "NOUN" and noun.lower_ in words and (m is None or m.generic or m.start == noun.i)


def country_node(st: DocState, cc: str, surface: str) -> str | None:
    """The node of a country named only by a word part or adjective ('U.S.-backed'): the same
    node its place mentions use, made an actor here."""
    from kg.geo.gazetteer import Gazetteer
    from kg.geo.resolve import place_iri_suffix

    p = Gazetteer.default().country(cc)
    if p is None:
        return None
    key = "place/" + place_iri_suffix(p)
    rec = st.actors.setdefault(key, ActorRecord(key=key, label=p.name, cls="Country"))
    rec.aliases.add(surface)
    return key


def prefix_backer(st: DocState, prefix: str) -> str | None:
    """The backer a fused 'PREFIX-backed' word names: an actor mentioned by that name in the
    article, a country name ('Iran', 'U.S.') or a nationality ('Turkish', read as that state's
    army, as a separate 'Turkish-backed' is)."""
    low = fold(prefix)
    for key, rec in st.actors.items():
        if low and low in {fold(n) for n in (rec.label, *rec.aliases)} and rec.cls != "Civilians":
            return key
    cc = country_words().get(low)
    if cc:
        return country_node(st, cc, prefix)
    cc = nationality_words().get(low)
    if cc is None:
        return None
    key = generic_key(cc, "Army")
    rec = st.actors.setdefault(key, ActorRecord(key=key, label=generic_label(cc, "Army"), cls="Army", country=cc))
    rec.aliases.add(prefix)
    return key


def state_behind(st: DocState, tok: Token) -> str | None:
    """The country behind a means of war a nationality qualifies ('Russian air strikes',
    'heavy Russian air support', 'Turkish help'): the state backs, whatever arm delivered it."""
    if tok.lemma_ not in support_words()["means_nouns"] and tok.lower_ not in support_words()["means_nouns"]:
        return None
    for c in tok.children:
        cc = nationality_words().get(fold(c.text)) if c.dep_ in ("amod", "compound", "nmod") else None
        if cc:
            return country_node(st, cc, c.text)
    return None


def sent_to_back(t: Token, senders: set[str]) -> bool:
    """'Kenya has sent 400 officers to help the Haitian police': an infinitive of purpose is
    no deed of its own, but sending troops for it is backing already given."""
    from kg.nlp.syntax import negated, realised

    return (any(c.dep_ == "aux" and c.tag_ == "TO" for c in t.children) and t.head is not t
            and t.head.lemma_ in senders and realised(t.head) and not negated(t))

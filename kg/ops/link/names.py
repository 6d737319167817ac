"""Names on both sides: the comparable form of a name, the surface forms worth an exact-label
lookup at Wikidata, and how well an entity's names match a candidate's."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from kg.model.text import strip_marks, unify_quotes
from kg.ops.link.model import Candidate, Entity
from kg.ops.link.tables import GENERIC_WORDS


def normalise(name: str) -> str:
    """Comparable form of a name: case, accents, quotes, hyphens and a leading article ignored."""
    s = unify_quotes(strip_marks(name), marks=False).casefold()
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w]+", " ", s).strip()
    s = re.sub(r"^(the|al|el) ", lambda m: "" if m.group(1) == "the" else m.group(0), s)
    return " ".join(s.split())


def is_acronym(name: str) -> bool:
    n = name.strip()
    return (len(n) <= 6 and " " not in n and n.upper() == n and any(c.isalpha() for c in n)) or len(n) <= 3


def search_names(e: Entity) -> list[str]:
    """The surface forms worth an exact-label lookup, with the capitalisations Wikidata uses.

    Wikidata's label index is case-sensitive and exact, so "Syrian air force" must also be asked
    as "Syrian Air Force". Generic aliases ("the army", "militants") name nothing in particular
    and are left out: they would only bring decoys.
    """
    out: list[str] = []
    forms = list(e.labels) + list(e.aliases)
    for i, raw in enumerate(forms):
        full = " ".join(raw.replace("\u2019", "'").split()).strip(" -.,;:")
        name = re.sub(r"^(the|The)\s+", "", full)
        if not name or not any(c.isalpha() for c in name):
            continue
        words = re.findall(r"[\w']+", name.lower())
        if all(w in GENERIC_WORDS for w in words):
            continue
        is_label = i < len(e.labels)
        if not is_label and name == name.lower() and len(words) == 1:
            continue  # a lower-case one-word alias is a description, not a name
        variants = [name, name[:1].upper() + name[1:], _titlecase(name)]
        if full != name:  # "The East African" is the paper's name, article included
            variants.append("The " + name)
        for v in variants:
            if v not in out:
                out.append(v)
    return out


def _titlecase(name: str) -> str:
    small = {"of", "the", "and", "for", "in", "al", "el", "de", "del", "du", "la"}
    words = name.split(" ")
    out = []
    for i, w in enumerate(words):
        if w.isupper() and len(w) > 1:
            out.append(w)
        elif i > 0 and w.lower() in small:
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in w.split("-")))
    return " ".join(out)


def name_similarity(e: Entity, c: Candidate) -> float:
    """How well the entity's names match the candidate's: 1 when our canonical name is its
    label, a little less through aliases on either side (so that an item named exactly like the
    node beats one that merely lists the node's alias), 0.75 when only an acronym is shared,
    otherwise the best character similarity (discounted)."""
    ours = [(normalise(n), i < len(e.labels), is_acronym(n)) for i, n in enumerate(e.labels + e.aliases)]
    their_label = normalise(c.label) if c.label else ""
    theirs = {normalise(n) for n in c.names | {c.label} if n}
    best = 0.0
    for norm, is_label, acro in ours:
        if not norm:
            continue
        if norm in theirs:
            if acro:
                best = max(best, 0.75)
            else:
                on_label = norm == their_label
                best = max(best, {(True, True): 1.0, (True, False): 0.95, (False, True): 0.9,
                                  (False, False): 0.85}[(is_label, on_label)])
            continue
        if acro:
            continue
        for t in theirs:
            r = SequenceMatcher(None, norm, t).ratio()
            best = max(best, 0.9 * r if r >= 0.8 else 0.5 * r)
    return round(best, 3)

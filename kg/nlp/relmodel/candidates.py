"""Candidate pairs for the statistical relation layer (`ckg_relation_model`).

A candidate is a pair of mentions inside one sentence that the rule components found before:
(actor, place) for `controls`, ordered (actor, actor) for `supports` (a country named where an actor
is expected counts as an actor, as the rules let it). The phases: index what the rules said, walk
the sentences with their mentions, keep the nearest mention pair per (predicate, subject, object),
describe it (kg/nlp/relmodel/features.py), and mark the pairs the layer may score but never add.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from kg.nlp.lexicon import word_sets
from kg.nlp.relmodel.arrays import DocArrays
from kg.nlp.relmodel.features import (
    BLOCKING_CUES, CONTROL_TRIGGERS, LOSS_WORDS, MAX_SENT, SUPPORT_TRIGGERS, SentenceContext, hash_feature,
    pair_features,
)
from kg.nlp.state import DocState, Mention

COUNTRY_ACTOR_CLASS = "Country"
_WORDS = word_sets("relmodel/features.json")
# ends that never control a place or take part in support (the rules hold the same for supports)
PASSIVE_CLASSES = _WORDS["passive_classes"]
STATE_CLASSES = _WORDS["state_classes"]

# the nearest mention pair found so far per (predicate, subject key, object key): (distance, s, o)
Pairs = dict[tuple[str, str, str], tuple[int, Mention, Mention]]


@dataclass
class Candidate:
    predicate: str  # "controls" | "supports"
    subject: str  # actor key
    object: str  # place key (controls) or actor key (supports)
    sent_start: int  # token offsets of the sentence
    sent_end: int
    features: list[str] = field(default_factory=list)
    country_subject: bool = False  # the subject is a country place mention acting as an actor
    country_object: bool = False
    blocked: bool = False  # scored and trained on, never added (see `BLOCKING_CUES`, `LOSS_WORDS`)

    def indices(self) -> list[int]:
        return sorted({hash_feature(f) for f in self.features})


class _RuleIndex:
    """What the rules said, as the `rule:*` features ask it: the model learns where it agrees with
    them, and that a place the rules give to someone else is not this actor's."""

    def __init__(self, st: DocState):
        self.evidence: dict[tuple[str, str, str], set[int]] = {}  # pair -> sentence start chars
        self.subjects: dict[tuple[str, str], set[str]] = {}  # (predicate, object) -> subjects (whole doc)
        self.objects: dict[tuple[str, str], set[str]] = {}  # (predicate, subject) -> objects
        for r in st.relations:
            self.evidence.setdefault((r.predicate, r.subject, r.object), set()).add(r.evidence.start)
            if r.predicate in ("controls", "supports"):
                self.subjects.setdefault((r.predicate, r.object), set()).add(r.subject)
                self.objects.setdefault((r.predicate, r.subject), set()).add(r.object)

    def flags(self, pred: str, s: str, o: str, start_char: int) -> list[str]:
        fl = []
        ev = self.evidence.get((pred, s, o))
        if ev is not None:
            fl.append("rule:same_sent" if start_char in ev else "rule:same_doc")
        if self.subjects.get((pred, o), set()) - {s}:
            fl.append("rule:o_other")
        if self.objects.get((pred, s), set()) - {o}:
            fl.append("rule:s_other")
        if pred == "supports" and s in self.objects.get((pred, o), set()):
            fl.append("rule:reverse")
        return fl


def candidates(doc: Doc, st: DocState, arr: DocArrays | None = None) -> list[Candidate]:
    """Every within-sentence candidate pair of the doc, one per (predicate, subject, object,
    sentence), with its features (the nearest pair of mentions when a name recurs)."""
    if arr is None:
        arr = DocArrays(doc)
    rules = _RuleIndex(st)
    out: list[Candidate] = []
    lost_places: set[str] = set()  # places named in a sentence that tells of a loss or a retaking
    for sent, inside in _sentence_mentions(doc, st, arr):
        s0, s1 = sent.start, sent.end
        if len(inside) < 2 or s1 - s0 > MAX_SENT:
            continue
        actors, countries, places = _ends(st, inside)
        if not actors and len(countries) < 2:
            continue
        words = set(arr.lemma[s0:s1]) | set(arr.lower[s0:s1])
        if words & LOSS_WORDS:
            lost_places.update(m.key for m in inside if m.kind == "place")
        ctx = SentenceContext(arr, st, s0, s1, words, sent.start_char < st.body_start, len(actors), len(places))
        best = _control_pairs(actors, places)
        best.update(_support_pairs(st, actors + countries))
        for (pred, s, o), (_, ms, mo) in best.items():
            out.append(_candidate(ctx, rules.flags(pred, s, o, sent.start_char), pred, s, o, ms, mo))
    for c in out:
        if c.predicate == "controls" and c.object in lost_places:
            c.blocked = True  # a place lost or retaken somewhere in the article: the rules' reading stands
    return out


def _sentence_mentions(doc: Doc, st: DocState, arr: DocArrays) -> Iterator[tuple[Span, list[Mention]]]:
    """Each sentence with the mentions inside it, in order (one pass over the sorted mentions)."""
    mentions = st.mentions
    k = 0
    for sent in doc.sents:
        s0, s1 = sent.start, sent.end
        while k < len(mentions) and mentions[k].start < s0:
            k += 1
        inside: list[Mention] = []
        j = k
        while j < len(mentions) and mentions[j].start < s1:
            if mentions[j].end <= s1:
                inside.append(mentions[j])
            j += 1
        # 'the town', 'the region' that coreference tied to a place named before: a place mention
        # here too (its head token), so that 'the gang controls the region' is a candidate
        for i, key in st.coref_places.items():
            if s0 <= i < s1 and key in st.places and st.mention_at(i) is None:
                inside.append(Mention(i, i + 1, key, "place", text=arr.lower[i]))
        inside.sort(key=lambda m: m.start)
        yield sent, inside


def _ends(st: DocState, inside: list[Mention]) -> tuple[list[Mention], list[Mention], list[Mention]]:
    """The sentence's possible ends: actors that act, countries (sides too), places."""
    actors = [m for m in inside if m.kind == "actor" and m.key in st.actors
              and st.actors[m.key].cls not in PASSIVE_CLASSES]
    countries = [m for m in inside if m.kind == "place" and _country_place(st, m)]
    places = [m for m in inside if m.kind == "place" and m.key in st.places]
    return actors, countries, places


def _keep_nearest(best: Pairs, key: tuple[str, str, str], a: Mention, b: Mention) -> None:
    d = abs(a.start - b.start)
    if key not in best or d < best[key][0]:
        best[key] = (d, a, b)


def _control_pairs(actors: list[Mention], places: list[Mention]) -> Pairs:
    best: Pairs = {}
    for a in actors:
        for p in places:
            if not a.overlaps(p.start, p.end):
                _keep_nearest(best, ("controls", a.key, p.key), a, p)
    return best


def _support_pairs(st: DocState, sides: list[Mention]) -> Pairs:
    best: Pairs = {}
    for a in sides:
        for b in sides:
            if a is b or a.key == b.key or a.overlaps(b.start, b.end):
                continue
            if a.kind == "place" and b.kind == "place":
                continue  # two countries: a state's relation, not a side's support
            if same_state(st, a, b):
                continue  # one state's own arms: no backing between sides (as the rules hold)
            _keep_nearest(best, ("supports", a.key, b.key), a, b)
    return best


def _candidate(ctx: SentenceContext, rule_flags: list[str], pred: str, s: str, o: str,
               ms: Mention, mo: Mention) -> Candidate:
    st = ctx.st
    trig = CONTROL_TRIGGERS if pred == "controls" else SUPPORT_TRIGGERS
    ocls = st.places[o].cls if pred == "controls" else _cls_of(st, mo)
    feats = pair_features(ctx, ms, mo, _cls_of(st, ms), ocls, trig, rule_flags)
    # a control the rules give to another actor is theirs to decide, as are the cued sentences
    blocked = bool(BLOCKING_CUES.intersection(feats)) or (pred == "controls" and "rule:o_other" in feats)
    return Candidate(pred, s, o, ctx.start, ctx.end, feats, country_subject=ms.kind == "place",
                     country_object=pred == "supports" and mo.kind == "place", blocked=blocked)


def _cls_of(st: DocState, m: Mention) -> str:
    return COUNTRY_ACTOR_CLASS if m.kind == "place" else st.actors[m.key].cls


def _country_place(st: DocState, m: Mention) -> bool:
    p = st.places.get(m.key)
    return p is not None and p.cls == "Country"


def same_state(st: DocState, a: Mention, b: Mention) -> bool:
    """Both ends are forces (or the government, or the country) of one state."""
    ca = st.places[a.key].country if a.kind == "place" else st.actors[a.key].country
    cb = st.places[b.key].country if b.kind == "place" else st.actors[b.key].country
    return bool(ca) and ca == cb and _cls_of(st, a) in STATE_CLASSES and _cls_of(st, b) in STATE_CLASSES

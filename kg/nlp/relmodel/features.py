"""Candidates and features for the statistical relation layer (`ckg_relation_model`).

A candidate is a pair of mentions inside one sentence that the rule components found before:
(actor, place) for `controls`, (actor, actor) for `supports` (a country named where an actor is
expected counts as an actor, as the rules let it). Each candidate is described by a bag of string
features read from the parse -- the dependency path between the two mention heads, trigger words
on it and in the sentence, the words between, the classes of both ends, distance, order,
negation/modal/hedging cues, and what the rules already said about the two ends -- hashed into a
fixed number of dimensions (`DIM`), so that the weights are one vector per relation.

The features are self-contained (their word lists are here, not in the rule lexicon): weights are
trained against exactly this code, and `FEATURES_VERSION` is stored with them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS
from spacy.tokens import Doc

from kg.nlp.state import DocState, Mention

FEATURES_VERSION = 1
DIM = 1 << 18
MAX_SENT = 250  # longer "sentences" are lists or broken text (the rules skip them too)
MAX_PATH = 6  # dependency edges kept in a lexicalised path

CONTROL_TRIGGERS = frozenset(
    "control controlled hold held seize capture retake recapture regain take took taken overrun occupy "
    "occupied liberate liberated conquer reclaim fall fell grip stronghold territory run enter entered "
    "advance storm push expel drive oust clear cleared besiege siege surround encircle withdraw retreat "
    "lose lost abandon flee surrender hand hands besieged region area under rebel-held bastion".split())
SUPPORT_TRIGGERS = frozenset(
    "back backed support supported ally allied alliance aid assist help reinforce bolster prop arm armed "
    "fund funded sponsor sponsored finance supply supplied equip train trained provide provided send sent "
    "deploy deployed alongside loyal proxy proxies patron coalition air cover cooperation joint affiliate "
    "affiliated pro side fight fought weapon weapons drone drones advisers mercenary mercenaries".split())
NEGATIONS = frozenset(("not", "never", "n't", "no", "neither", "nor", "without"))
MODALS = frozenset(("will", "would", "could", "may", "might", "should", "can", "must", "shall"))
HEDGES = frozenset(("claim", "claimed", "allegedly", "alleged", "reportedly", "deny", "denied", "denies",
                    "accuse", "accused", "rumour", "rumor", "unconfirmed", "false", "try", "tried", "attempt",
                    "bid", "aim", "plan", "threaten", "vow", "if", "whether", "fail", "failed"))
PAST = frozenset(("formerly", "previously", "once", "briefly", "until", "former", "earlier", "ago"))
# control that a later sentence takes away: the model never adds control of a place said to be lost
LOSS_WORDS = frozenset(("withdraw", "withdrew", "withdrawn", "retreat", "retreated", "lose", "lost", "abandon",
                        "abandoned", "flee", "fled", "expel", "expelled", "oust", "ousted", "drive", "drove",
                        "driven", "evacuate", "evacuated", "recapture", "recaptured", "retake", "retook",
                        "retaken", "liberate", "liberated", "regain", "regained"))
# cues (see `pair_features`) under which the layer adds nothing: the rules decide those sentences
BLOCKING_CUES = frozenset(("cue:neg", "cue:modal", "cue:hedge", "cue:hedge_up", "cue:past", "cue:inf", "shedge"))
COUNTRY_ACTOR_CLASS = "Country"
# ends that never control a place or take part in support (the rules hold the same for supports)
PASSIVE_CLASSES = frozenset(("Civilians", "MediaOutlet", "Monitor"))
STATE_CLASSES = frozenset(("Army", "AirForce", "Navy", "StateForce", "ArmedForce", "SecurityForce", "Police",
                           "Government", "Country"))


def _bucket(n: int) -> str:
    for b in (0, 1, 2, 4, 7, 12, 20):
        if n <= b:
            return str(b)
    return "many"


def hash_feature(f: str) -> int:
    return zlib.crc32(f.encode("utf-8")) & (DIM - 1)


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


class DocArrays:
    """The parse as plain lists, read once per doc (a Token object per look-up costs more)."""

    def __init__(self, doc: Doc):
        strings = doc.vocab.strings
        arr = doc.to_array([HEAD, DEP, LEMMA, LOWER, POS]).tolist()
        n = len(arr)
        self.head = [i + (r[0] if r[0] < (1 << 63) else r[0] - (1 << 64)) for i, r in enumerate(arr)]
        self.dep = [strings[r[1]] for r in arr]
        self.lemma = [strings[r[2]].lower() for r in arr]
        self.lower = [strings[r[3]] for r in arr]
        self.pos = [strings[r[4]] for r in arr]
        self.n = n
        self._children: list[list[int]] | None = None

    @property
    def children(self) -> list[list[int]]:
        if self._children is None:
            ch: list[list[int]] = [[] for _ in range(self.n)]
            for i, h in enumerate(self.head):
                if h != i and 0 <= h < self.n:
                    ch[h].append(i)
            self._children = ch
        return self._children

    def span_head(self, start: int, end: int) -> int:
        """The token of [start, end) whose head lies outside it (the last such, else the last token)."""
        best = end - 1
        for i in range(start, end):
            h = self.head[i]
            if h == i or h < start or h >= end:
                best = i
        return best

    def ancestors(self, i: int, limit: int = 40) -> list[int]:
        out = [i]
        while len(out) < limit:
            h = self.head[i]
            if h == i or h < 0 or h >= self.n:
                break
            out.append(h)
            i = h
        return out


def _path(arr: DocArrays, a: int, b: int) -> tuple[list[int], list[int], int] | None:
    """Tokens from a up to the lowest common ancestor and from b up to it (both excluding it)."""
    up_a = arr.ancestors(a)
    pos_a = {t: k for k, t in enumerate(up_a)}
    up_b = arr.ancestors(b)
    for k, t in enumerate(up_b):
        if t in pos_a:
            return up_a[: pos_a[t]], up_b[:k], t
    return None


def pair_features(arr: DocArrays, st: DocState, ms: Mention, mo: Mention, scls: str, ocls: str,
                  sent: tuple[int, int], sent_words: set[str], triggers: frozenset[str],
                  rule_flags: list[str], n_actors: int, n_places: int, headline: bool) -> list[str]:
    f = ["b", f"sc:{scls}", f"oc:{ocls}", f"soc:{scls}|{ocls}"]
    if ms.generic:
        f.append("sgen")
    if mo.generic:
        f.append("ogen")
    if headline:
        f.append("headline")
    f.append(f"na:{_bucket(n_actors)}")
    f.append(f"np:{_bucket(n_places)}")
    f += rule_flags
    before = ms.start < mo.start
    order = "so" if before else "os"
    f.append(f"ord:{order}")
    lo, hi = (ms.end, mo.start) if before else (mo.end, ms.start)
    gap = max(0, hi - lo)
    f.append(f"dist:{_bucket(gap)}")
    f.append(f"dist:{_bucket(gap)}|{order}")
    btw = arr.lemma[lo:hi] if gap > 0 else []
    if gap <= 4:
        f.append(f"btw:{order}:{' '.join(btw)}")
    keep = btw if gap <= 10 else btw[:4] + btw[-4:]
    for w in set(keep):
        f.append(f"bw:{w}")
        f.append(f"bw:{w}|{order}")
        if w in triggers:
            f.append(f"bwt:{w}|{order}")
    others = sum(1 for i in range(lo, hi) if i in st._at and st._at[i] is not ms and st._at[i] is not mo)
    if others:
        f.append("mention_between")
    # the words right around each mention
    s0, o0 = ms.start, mo.start
    f.append(f"sprev:{arr.lower[s0 - 1] if s0 > sent[0] else '<s>'}")
    f.append(f"oprev:{arr.lower[o0 - 1] if o0 > sent[0] else '<s>'}")
    f.append(f"snext:{arr.lower[ms.end] if ms.end < sent[1] else '</s>'}")
    f.append(f"onext:{arr.lower[mo.end] if mo.end < sent[1] else '</s>'}")
    # the dependency path between the two heads
    hs, ho = arr.span_head(ms.start, ms.end), arr.span_head(mo.start, mo.end)
    f.append(f"sdep:{arr.dep[hs]}")
    f.append(f"odep:{arr.dep[ho]}")
    f.append(f"sodep:{arr.dep[hs]}|{arr.dep[ho]}")
    sh, oh = arr.head[hs], arr.head[ho]
    f.append(f"sh:{arr.dep[hs]}:{arr.lemma[sh]}")
    f.append(f"oh:{arr.dep[ho]}:{arr.lemma[oh]}")
    p = _path(arr, hs, ho)
    if p is None:
        f.append("nopath")
        return f
    up, down, lca = p
    length = len(up) + len(down)
    f.append(f"pl:{_bucket(length)}")
    lca_lemma = arr.lemma[lca]
    f.append(f"lca:{lca_lemma}")
    f.append(f"lca:{lca_lemma}|{order}")
    f.append(f"lcapos:{arr.pos[lca]}")
    deps = [arr.dep[t] + "^" for t in up] + ["_"] + ["v" + arr.dep[t] for t in reversed(down)]
    f.append("pd:" + " ".join(deps[:MAX_PATH + 1]))
    inner = [t for t in up[1:]] + [lca] + [t for t in down[1:]]
    lex = [arr.dep[t] + "^" for t in up] + [lca_lemma] + ["v" + arr.dep[t] for t in reversed(down)]
    if length <= MAX_PATH:
        f.append("p:" + " ".join(lex))
        f.append("pw:" + " ".join(arr.lemma[t] for t in inner))
    on_path = {arr.lemma[t] for t in inner}
    for w in on_path:
        f.append(f"on:{w}")
        if w in triggers:
            f.append(f"trp:{w}")
            f.append(f"trp:{w}|{order}")
    # cues on the path tokens and their children: negation, modality, hedging, past control
    cues: set[str] = set()
    for t in inner:
        for c in arr.children[t]:
            low = arr.lower[c]
            if low in NEGATIONS or arr.dep[c] == "neg":
                cues.add("neg")
            if low in MODALS and arr.dep[c] == "aux":
                cues.add("modal")
            if low in PAST:
                cues.add("past")
            if arr.dep[c] == "aux" and low == "to":
                cues.add("inf")
        if arr.lemma[t] in HEDGES:
            cues.add("hedge")
    for anc in arr.ancestors(lca, 6)[1:]:
        if arr.lemma[anc] in HEDGES:
            cues.add("hedge_up")
    f += [f"cue:{c}" for c in cues]
    for w in sent_words & triggers:
        f.append(f"tr:{w}")
    if sent_words & NEGATIONS:
        f.append("sneg")
    if sent_words & HEDGES:
        f.append("shedge")
    return f


def _country_place(st: DocState, m: Mention) -> bool:
    p = st.places.get(m.key)
    return p is not None and p.cls == "Country"


def same_state(st: DocState, a: Mention, b: Mention) -> bool:
    ca = st.places[a.key].country if a.kind == "place" else st.actors[a.key].country
    cb = st.places[b.key].country if b.kind == "place" else st.actors[b.key].country
    cla = COUNTRY_ACTOR_CLASS if a.kind == "place" else st.actors[a.key].cls
    clb = COUNTRY_ACTOR_CLASS if b.kind == "place" else st.actors[b.key].cls
    return bool(ca) and ca == cb and cla in STATE_CLASSES and clb in STATE_CLASSES


def candidates(doc: Doc, st: DocState, arr: DocArrays | None = None) -> list[Candidate]:
    """Every within-sentence candidate pair of the doc, one per (predicate, subject, object,
    sentence), with its features (the nearest pair of mentions when a name recurs)."""
    if arr is None:
        arr = DocArrays(doc)
    rules: dict[tuple[str, str, str], set[int]] = {}
    ruled_subjects: dict[str, set[str]] = {}  # object -> subjects the rules gave it (whole doc)
    for r in st.relations:
        rules.setdefault((r.predicate, r.subject, r.object), set()).add(r.evidence.start)
        if r.predicate in ("controls", "supports"):
            ruled_subjects.setdefault(r.predicate + "|" + r.object, set()).add(r.subject)
            ruled_subjects.setdefault(r.predicate + "|s|" + r.subject, set()).add(r.object)
    out: list[Candidate] = []
    mentions = st.mentions
    lost_places: set[str] = set()  # places named in a sentence that tells of a loss or a retaking
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
            if s0 <= i < s1 and key in st.places and i not in st._at:
                inside.append(Mention(i, i + 1, key, "place", text=arr.lower[i]))
        inside.sort(key=lambda m: m.start)
        if len(inside) < 2 or s1 - s0 > MAX_SENT:
            continue
        actors = [m for m in inside if m.kind == "actor" and m.key in st.actors
                  and st.actors[m.key].cls not in PASSIVE_CLASSES]
        countries = [m for m in inside if m.kind == "place" and _country_place(st, m)]
        places = [m for m in inside if m.kind == "place" and m.key in st.places]
        sides = actors + countries
        if not actors and len(countries) < 2:
            continue
        words = set(arr.lemma[s0:s1]) | set(arr.lower[s0:s1])
        if words & LOSS_WORDS:
            lost_places.update(m.key for m in inside if m.kind == "place")
        headline = sent.start_char < st.body_start
        start_char = sent.start_char
        n_a, n_p = len(actors), len(places)

        def cls_of(m: Mention) -> str:
            if m.kind == "place":
                return COUNTRY_ACTOR_CLASS
            return st.actors[m.key].cls

        def flags(pred: str, s: str, o: str) -> list[str]:
            fl = []
            ev = rules.get((pred, s, o))
            if ev is not None:
                fl.append("rule:same_sent" if start_char in ev else "rule:same_doc")
            others = ruled_subjects.get(pred + "|" + o, set()) - {s}
            if others:
                fl.append("rule:o_other")
            if ruled_subjects.get(pred + "|s|" + s, set()) - {o}:
                fl.append("rule:s_other")
            if pred == "supports" and (s in ruled_subjects.get(pred + "|s|" + o, set())):
                fl.append("rule:reverse")
            return fl

        best: dict[tuple[str, str, str], tuple[int, Mention, Mention]] = {}
        if actors and places:
            for a in actors:
                for p in places:
                    if a.overlaps(p.start, p.end):
                        continue
                    d = abs(a.start - p.start)
                    key = ("controls", a.key, p.key)
                    if key not in best or d < best[key][0]:
                        best[key] = (d, a, p)
        if len(sides) >= 2:
            for a in sides:
                for b in sides:
                    if a is b or a.key == b.key or a.overlaps(b.start, b.end):
                        continue
                    if a.kind == "place" and b.kind == "place":
                        continue  # two countries: a state's relation, not a side's support
                    if same_state(st, a, b):
                        continue  # one state's own arms: no backing between sides (as the rules hold)
                    d = abs(a.start - b.start)
                    key = ("supports", a.key, b.key)
                    if key not in best or d < best[key][0]:
                        best[key] = (d, a, b)
        for (pred, s, o), (_, ms, mo) in best.items():
            trig = CONTROL_TRIGGERS if pred == "controls" else SUPPORT_TRIGGERS
            ocls = st.places[o].cls if pred == "controls" else cls_of(mo)
            feats = pair_features(arr, st, ms, mo, cls_of(ms), ocls, (s0, s1), words, trig,
                                  flags(pred, s, o), n_a, n_p, headline)
            blocked = bool(BLOCKING_CUES.intersection(feats)) or (pred == "controls" and "rule:o_other" in feats)
            out.append(Candidate(pred, s, o, s0, s1, feats, country_subject=ms.kind == "place",
                                 country_object=pred == "supports" and mo.kind == "place", blocked=blocked))
    for c in out:
        if c.predicate == "controls" and c.object in lost_places:
            c.blocked = True  # a place lost or retaken somewhere in the article: the rules' reading stands
    return out

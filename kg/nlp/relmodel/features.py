"""Features for the statistical relation layer (`ckg_relation_model`).

Each candidate pair (kg/nlp/relmodel/candidates.py) is described by a bag of string features read
from the parse -- the classes of both ends, distance, order, the words between, the dependency path
between the two mention heads, trigger words on it and in the sentence, negation/modal/hedging cues,
and what the rules already said about the two ends -- hashed into a fixed number of dimensions
(`DIM`), so that the weights are one vector per relation.

The features are self-contained: their word lists are kg/data/relmodel/features.json, not the rule
lexicon, because the weights are trained against exactly these lists and this code;
`FEATURES_VERSION` is stored with the weights and must change with either. The order of the
families below is the order of the feature strings (kept, so that a run can be compared string for
string).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from kg.nlp.lexicon import word_sets
from kg.nlp.relmodel.arrays import DocArrays, path_between
from kg.nlp.state import DocState, Mention

FEATURES_VERSION = 1
DIM = 1 << 18
MAX_SENT = 250  # longer "sentences" are lists or broken text (the rules skip them too)
MAX_PATH = 6  # dependency edges kept in a lexicalised path

_WORDS = word_sets("relmodel/features.json")
CONTROL_TRIGGERS = _WORDS["control_triggers"]
SUPPORT_TRIGGERS = _WORDS["support_triggers"]
NEGATIONS = _WORDS["negations"]
MODALS = _WORDS["modals"]
HEDGES = _WORDS["hedges"]
PAST = _WORDS["past"]
# control that a later sentence takes away: the model never adds control of a place said to be lost
LOSS_WORDS = _WORDS["loss_words"]
# cues (see `pair_features`) under which the layer adds nothing: the rules decide those sentences
BLOCKING_CUES = frozenset(("cue:neg", "cue:modal", "cue:hedge", "cue:hedge_up", "cue:past", "cue:inf", "shedge"))


def _bucket(n: int) -> str:
    for b in (0, 1, 2, 4, 7, 12, 20):
        if n <= b:
            return str(b)
    return "many"


def hash_feature(f: str) -> int:
    """crc32, not Python's salted hash(): the same index in every process, as the weights need."""
    return zlib.crc32(f.encode("utf-8")) & (DIM - 1)


@dataclass(frozen=True)
class SentenceContext:
    """What every pair of one sentence shares: read once per sentence, not once per pair."""

    arr: DocArrays
    st: DocState
    start: int  # token offsets of the sentence
    end: int
    words: set[str]  # lemmas and lowercase forms of its tokens
    headline: bool
    n_actors: int
    n_places: int


def pair_features(ctx: SentenceContext, ms: Mention, mo: Mention, scls: str, ocls: str,
                  triggers: frozenset[str], rule_flags: list[str]) -> list[str]:
    """The feature strings of the pair (subject mention, object mention), family by family."""
    f = _end_features(ctx, ms, mo, scls, ocls)
    f += rule_flags
    surface, order = _surface_features(ctx, ms, mo, triggers)
    f += surface
    arr = ctx.arr
    hs, ho = arr.span_head(ms.start, ms.end), arr.span_head(mo.start, mo.end)
    f += _head_features(arr, hs, ho)
    p = path_between(arr, hs, ho)
    if p is None:
        f.append("nopath")
        return f
    f += _path_features(arr, p, order, triggers)
    f += [f"cue:{c}" for c in _path_cues(arr, p)]
    f += _sentence_features(ctx.words, triggers)
    return f


def _end_features(ctx: SentenceContext, ms: Mention, mo: Mention, scls: str, ocls: str) -> list[str]:
    """The two ends and the article around them: classes, generic sides, headline, mention counts."""
    f = ["b", f"sc:{scls}", f"oc:{ocls}", f"soc:{scls}|{ocls}"]
    if ms.generic:
        f.append("sgen")
    if mo.generic:
        f.append("ogen")
    if ctx.headline:
        f.append("headline")
    f.append(f"na:{_bucket(ctx.n_actors)}")
    f.append(f"np:{_bucket(ctx.n_places)}")
    return f


def _surface_features(ctx: SentenceContext, ms: Mention, mo: Mention,
                      triggers: frozenset[str]) -> tuple[list[str], str]:
    """Order, distance, the words between and around the mentions; also the order ("so"/"os"),
    which the path features pair with."""
    arr = ctx.arr
    before = ms.start < mo.start
    order = "so" if before else "os"
    f = [f"ord:{order}"]
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
    if _mention_between(ctx.st, lo, hi, ms, mo):
        f.append("mention_between")
    s0, o0 = ms.start, mo.start
    f.append(f"sprev:{arr.lower[s0 - 1] if s0 > ctx.start else '<s>'}")
    f.append(f"oprev:{arr.lower[o0 - 1] if o0 > ctx.start else '<s>'}")
    f.append(f"snext:{arr.lower[ms.end] if ms.end < ctx.end else '</s>'}")
    f.append(f"onext:{arr.lower[mo.end] if mo.end < ctx.end else '</s>'}")
    return f, order


def _mention_between(st: DocState, lo: int, hi: int, ms: Mention, mo: Mention) -> bool:
    for i in range(lo, hi):
        m = st.mention_at(i)
        if m is not None and m is not ms and m is not mo:
            return True
    return False


def _head_features(arr: DocArrays, hs: int, ho: int) -> list[str]:
    """Dependency labels of both mention heads and the lemmas they hang from."""
    sh, oh = arr.head[hs], arr.head[ho]
    return [f"sdep:{arr.dep[hs]}", f"odep:{arr.dep[ho]}", f"sodep:{arr.dep[hs]}|{arr.dep[ho]}",
            f"sh:{arr.dep[hs]}:{arr.lemma[sh]}", f"oh:{arr.dep[ho]}:{arr.lemma[oh]}"]


def _inner(path: tuple[list[int], list[int], int]) -> list[int]:
    """The path's tokens between the two heads (the common ancestor included, the heads not)."""
    up, down, lca = path
    return up[1:] + [lca] + down[1:]


def _path_features(arr: DocArrays, path: tuple[list[int], list[int], int], order: str,
                   triggers: frozenset[str]) -> list[str]:
    """The dependency path between the heads: length, common ancestor, labels (lexicalised when
    short), the lemmas on it and the triggers among them."""
    up, down, lca = path
    length = len(up) + len(down)
    lca_lemma = arr.lemma[lca]
    f = [f"pl:{_bucket(length)}", f"lca:{lca_lemma}", f"lca:{lca_lemma}|{order}", f"lcapos:{arr.pos[lca]}"]
    deps = [arr.dep[t] + "^" for t in up] + ["_"] + ["v" + arr.dep[t] for t in reversed(down)]
    f.append("pd:" + " ".join(deps[:MAX_PATH + 1]))
    inner = _inner(path)
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
    return f


def _path_cues(arr: DocArrays, path: tuple[list[int], list[int], int]) -> set[str]:
    """Cues on the path tokens and their children -- negation, modality, hedging, past control, an
    infinitive -- and hedging above the common ancestor: the sentences the layer leaves to the rules."""
    cues: set[str] = set()
    for t in _inner(path):
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
    for anc in arr.ancestors(path[2], 6)[1:]:
        if arr.lemma[anc] in HEDGES:
            cues.add("hedge_up")
    return cues


def _sentence_features(words: set[str], triggers: frozenset[str]) -> list[str]:
    """Triggers, negation and hedging anywhere in the sentence."""
    f = [f"tr:{w}" for w in words & triggers]
    if words & NEGATIONS:
        f.append("sneg")
    if words & HEDGES:
        f.append("shedge")
    return f

"""Train the relation layer (`ckg_relation_model`) on gold-annotated articles.

    python scripts/train_relations.py [GOLD_DIR] [--exclude-fold I] [--out DIR] [--folds 5] [--seed 0]
                                      [--all-folds ROOT] [--cache FILE]

GOLD_DIR holds NAME.txt + NAME.gold.json pairs (default: the shared corpus's dev/). The articles are
run through the pipeline with the layer switched off; every within-sentence (actor, place) and
(actor, actor) pair of mentions becomes a candidate with its features. A candidate is positive when
the gold file has that control / support, both ends' names match the system's labels (the shared
scorer's name matching) and the gold evidence sentence is this sentence (normalised containment).

Folds are theatre-grouped exactly as kg/ops/folds.py gives them. `--exclude-fold I` trains on the
other folds only (to score fold I as unseen text); without it every article is used (the shipped
weights). The L2 strength and the decision threshold are chosen by an inner leave-one-fold-out over
the training folds, maximising the micro F1 of rules + model on them; when no threshold beats the
rules alone, the relation is written switched off (threshold 2). `--all-folds ROOT` writes
ROOT/fold_0 .. fold_{K-1} and ROOT/all from one pass over the articles. Deterministic: no sampling,
a fixed-order full-batch optimiser.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PREDICATES = ("controls", "supports")
LAMBDAS = (1e-3, 3e-3, 1e-2)
POS_WEIGHT = 1.0  # weighting the rare positives up (5x) scored worse on held-out folds
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.15, 0.96, 0.05))
OFF = 2.0  # a threshold no probability reaches

# --- name matching: the shared scorer's rules (../shared/scorer/score.py), copied so that training
# runs where the scorer is not
GENERIC = {"forces", "force", "government", "army", "rebels", "rebel", "fighters", "troops", "military",
           "group", "groups", "state", "city", "province", "town", "village", "the", "of", "and", "al"}


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("’", "").replace("'", "").replace("‘", "").replace("ʿ", "").replace("ʾ", "")
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return re.sub(r"^(the) ", "", s)


def variants(s: str) -> set[str]:
    n = norm(s)
    out = {n, re.sub(r"^(al|el|ad|ar|as|at|an|az) ", "", n), re.sub(r"s$", "", n)}
    return {v for v in out if v}


def names_match(a: set[str], b: set[str]) -> bool:
    va = set().union(*(variants(x) for x in a)) if a else set()
    vb = set().union(*(variants(x) for x in b)) if b else set()
    if va & vb:
        return True
    for x in va:
        tx = x.split()
        for y in vb:
            ty = y.split()
            short, long_ = (tx, ty) if len(tx) <= len(ty) else (ty, tx)
            if len(short) >= 2 and " ".join(short) in " ".join(long_) and [t for t in short if t not in GENERIC]:
                return True
    return False


def same_sentence(sent: str, evidence: str) -> bool:
    a, b = norm(sent), norm(evidence)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    ta, tb = set(a.split()), set(b.split())
    return len(ta & tb) / max(1, len(ta | tb)) >= 0.7


# --- collection ----------------------------------------------------------------------------------

def collect(gold_dir: Path, names: list[str] | None = None, quiet: bool = False) -> list[dict]:
    """One record per article: its candidates (hashed feature indices, label, the gold pairs their
    names match), the rules' pairs with the gold pairs they match, and the gold counts."""
    os.environ["KG_MODEL_DIR"] = "none"  # the layer must not see its own output
    from kg.nlp.components.relation_model import RelationModel
    from kg.nlp.pipeline import build_nlp

    RelationModel.collect = True
    nlp = build_nlp()
    out = []
    files = sorted(gold_dir.glob("*.gold.json"))
    for gp in files:
        name = gp.name.removesuffix(".gold.json")
        if names is not None and name not in names:
            continue
        gold = json.loads(gp.read_text(encoding="utf-8"))
        rec = collect_article(nlp, gold_dir, name, gold)
        out.append(rec)
        if not quiet:
            rows = rec["candidates"]
            print(f"  {name}: {len(rows)} candidates, {sum(r['y'] == 1 for r in rows)} positive", file=sys.stderr)
    RelationModel.collect = False
    return out


def collect_article(nlp, gold_dir: Path, name: str, gold: dict) -> dict:
    """Run one gold article through the pipeline (the layer collecting) and label what it found."""
    from kg.nlp.components.relation_model import COLLECT_KEY
    from kg.nlp.extract import to_extraction
    from kg.nlp.state import DocState
    from kg.read.readers import article_from_text, decode_bytes, parse_date

    txt = gold_dir / f"{name}.txt"
    pub = parse_date(gold["published"]) if gold.get("published") else None
    art = article_from_text(decode_bytes(txt.read_bytes(), str(txt)), source=str(txt), published=pub)
    doc = nlp.make_doc(art.full_text)
    doc._.kg = DocState(published=art.published, body_start=len(art.title) + 2 if art.title else 0,
                        text=art.full_text)
    doc = nlp(doc)
    st = doc._.kg
    ex = to_extraction(art, st)
    gm = GoldMatcher(gold, st)
    rows = label_candidates(doc, doc.user_data.get(COLLECT_KEY, []), gm)
    rules = {pred: sorted({(r.subject, r.object) for r in ex.relations if r.predicate == pred}) for pred in PREDICATES}
    return {
        "name": name, "theatre": gold.get("theatre") or name.split("-", 1)[0],
        "candidates": rows,
        "rules": {pred: [[s, o, gm.matches(pred, s, o)] for s, o in pairs] for pred, pairs in rules.items()},
        "gold": {pred: len(gm.pairs[pred]) for pred in PREDICATES},
    }


class GoldMatcher:
    """The gold pairs of one article, and which of them a system pair names (scorer's name rules)."""

    def __init__(self, gold: dict, st):
        self.st = st
        self.names = {e["name"]: {e["name"], *e.get("aliases", [])}
                      for e in gold.get("places", []) + gold.get("actors", [])}
        self.pairs = {
            "controls": [(c["actor"], c["place"], c.get("evidence", "")) for c in gold.get("control", [])],
            "supports": [(s["supporter"], s["supported"], s.get("evidence", "")) for s in gold.get("support", [])],
        }
        self._labels: dict[str, set[str]] = {}

    def labels(self, key: str) -> set[str]:
        """The system's label and aliases of an actor or place key."""
        if key not in self._labels:
            rec = self.st.actors.get(key) or self.st.places.get(key)
            self._labels[key] = ({rec.label, *rec.aliases} if rec else set())
        return self._labels[key]

    def matches(self, pred: str, s: str, o: str) -> list[int]:
        gn = self.names
        return [i for i, (ga, gb, _) in enumerate(self.pairs[pred])
                if ga in gn and gb in gn and names_match(gn[ga], self.labels(s)) and names_match(gn[gb], self.labels(o))]


def label_candidates(doc, cands: list, gm: GoldMatcher) -> list[dict]:
    """Training rows: names and sentence match: positive (1); names match but the gold evidence is
    another sentence: left out of training (-1: it may say it too), still counted right when scored;
    else negative (0)."""
    sent_text: dict[int, str] = {}
    rows = []
    for c in cands:
        if c.sent_start not in sent_text:
            sent_text[c.sent_start] = doc[c.sent_start : c.sent_end].text
        ids = gm.matches(c.predicate, c.subject, c.object)
        label = 1 if any(same_sentence(sent_text[c.sent_start], gm.pairs[c.predicate][i][2]) for i in ids) \
            else (-1 if ids else 0)
        rows.append({"p": c.predicate, "s": c.subject, "o": c.object, "x": c.indices(), "y": label, "g": ids,
                     "b": int(c.blocked)})
    return rows


# --- training ------------------------------------------------------------------------------------

def train_lr(xs: list[list[int]], y: np.ndarray, lam: float, iters: int = 300,
             pos_weight: float = 1.0) -> tuple[float, np.ndarray]:
    """L2-regularised logistic regression on binary hashed features, full-batch Adam (deterministic).
    Returns (bias, dense weights over DIM)."""
    from kg.nlp.relmodel.features import DIM

    w_full = np.zeros(DIM, dtype=np.float64)
    if len(xs) == 0 or y.sum() == 0:
        return -5.0, w_full.astype(np.float32)
    rows = np.repeat(np.arange(len(xs)), [len(x) for x in xs])
    cols_global = np.concatenate([np.asarray(x, dtype=np.int64) for x in xs])
    uniq, cols = np.unique(cols_global, return_inverse=True)
    n, f = len(xs), len(uniq)
    w = np.zeros(f + 1)  # last entry: the bias
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    sw = np.where(y > 0, pos_weight, 1.0)
    sw = sw / sw.mean()
    for t in range(1, iters + 1):
        z = np.bincount(rows, weights=w[cols], minlength=n) + w[-1]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        r = sw * (p - y) / n
        g = np.empty_like(w)
        g[:-1] = np.bincount(cols, weights=r[rows], minlength=f) + lam * w[:-1]
        g[-1] = r.sum()
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    w_full[uniq] = w[:-1]
    return float(w[-1]), w_full.astype(np.float32)


def predict(bias: float, w: np.ndarray, xs: list[list[int]]) -> np.ndarray:
    z = np.array([bias + float(w[x].sum()) for x in xs]) if xs else np.zeros(0)
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def simulate(arts: list[dict], pred: str, probs: dict[int, np.ndarray], threshold: float) -> dict:
    """Micro P/R/F1 over articles of the rules' pairs plus the model's additions at `threshold`,
    counted as the scorer counts (a predicted pair is right when it names a gold pair; a gold pair is
    found when some predicted pair names it; evidence is not looked at)."""
    tp_p = n_pred = tp_r = n_gold = 0
    for k, a in enumerate(arts):
        pairs = predicted_pairs(a, pred, probs[k], threshold)
        n_pred += len(pairs)
        tp_p += sum(1 for g in pairs.values() if g)
        found = set().union(*pairs.values()) if pairs else set()
        tp_r += len(found)
        n_gold += a["gold"][pred]
    prec = tp_p / n_pred if n_pred else 0.0
    rec = tp_r / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"p": prec, "r": rec, "f1": f1, "tp_p": tp_p, "pred": n_pred, "tp_r": tp_r, "gold": n_gold}


def predicted_pairs(a: dict, pred: str, p: np.ndarray, threshold: float) -> dict[tuple[str, str], list[int]]:
    """One article's output pairs (with the gold pairs each names): the rules' pairs, then the
    candidates the component would add at `threshold` (unblocked, not ruled either way round)."""
    pairs: dict[tuple[str, str], list[int]] = {(s, o): g for s, o, g in a["rules"][pred]}
    ruled = set(pairs)
    for c, pc in zip((c for c in a["candidates"] if c["p"] == pred), p):
        key = (c["s"], c["o"])
        if pc >= threshold and not c["b"] and key not in ruled and not (pred == "supports" and (c["o"], c["s"]) in ruled):
            pairs[key] = c["g"]
    return pairs


def data_of(arts: list[dict], pred: str) -> tuple[list[list[int]], np.ndarray]:
    """Training rows of one relation (candidates labelled -1 are left out)."""
    xs = [c["x"] for a in arts for c in a["candidates"] if c["p"] == pred and c["y"] >= 0]
    y = np.array([c["y"] for a in arts for c in a["candidates"] if c["p"] == pred and c["y"] >= 0], dtype=np.float64)
    return xs, y


def article_probs(arts: list[dict], pred: str, bias: float, w: np.ndarray) -> dict[int, np.ndarray]:
    return {k: predict(bias, w, [c["x"] for c in a["candidates"] if c["p"] == pred]) for k, a in enumerate(arts)}


def fit(arts: list[dict], groups: list[int], log=print) -> tuple[dict, dict]:
    """Choose (L2, threshold) per relation by leave-one-group-out over `arts`, then train on all of
    them. Returns ({pred: (bias, threshold, w)}, meta)."""
    out, meta = {}, {}
    uniq = sorted(set(groups))
    for pred in PREDICATES:
        rules_only = simulate(arts, pred, {k: np.zeros(sum(1 for c in a["candidates"] if c["p"] == pred))
                                           for k, a in enumerate(arts)}, OFF)
        tried = inner_cv(arts, groups, pred) if len(uniq) > 1 else []
        # the best inner F1 (ties: the higher threshold, the stronger L2); it must beat the rules
        # alone by a margin to switch the layer on
        best = max(tried, default=(0.0, OFF, LAMBDAS[0]))
        if best[0] <= rules_only["f1"] + 0.005:
            best = (rules_only["f1"], OFF, best[2])
        f1, thr, lam = best
        xs, y = data_of(arts, pred)
        bias, w = train_lr(xs, y, lam, pos_weight=POS_WEIGHT)
        out[pred] = (bias, thr, w)
        meta[pred] = {"lambda": lam, "threshold": thr, "inner_f1": round(f1, 4),
                      "inner_rules_only_f1": round(rules_only["f1"], 4),
                      "candidates": len(xs), "positives": int(y.sum())}
        log(f"{pred}: {len(xs)} candidates ({int(y.sum())} positive); inner CV rules-only F1 "
            f"{rules_only['f1']:.3f}, best {f1:.3f} at threshold {thr} (L2 {lam})")
    return out, meta


def inner_cv(arts: list[dict], groups: list[int], pred: str) -> list[tuple[float, float, float]]:
    """(inner F1, threshold, L2) for every setting, each article scored by the model trained
    without its group (leave-one-group-out)."""
    uniq = sorted(set(groups))
    tried = []
    for lam in LAMBDAS:
        oof: dict[int, np.ndarray] = {}
        for g in uniq:
            train = [a for a, gg in zip(arts, groups) if gg != g]
            bias, w = train_lr(*data_of(train, pred), lam, pos_weight=POS_WEIGHT)
            for k, (a, gg) in enumerate(zip(arts, groups)):
                if gg == g:
                    oof[k] = predict(bias, w, [c["x"] for c in a["candidates"] if c["p"] == pred])
        tried += [(round(simulate(arts, pred, oof, t)["f1"], 6), t, lam) for t in THRESHOLDS]
    return tried


def assign(arts: list[dict], k: int, seed: int) -> dict[str, int]:
    from kg.ops.folds import assign_folds

    theatres = {a["name"]: a["theatre"] for a in arts}
    return assign_folds(theatres, min(k, len(set(theatres.values()))), seed)


def train_and_save(arts: list[dict], folds: dict[str, int], exclude: int | None, out: Path, log=print) -> dict:
    from kg.nlp.relmodel.model import save

    train = [a for a in arts if exclude is None or folds[a["name"]] != exclude]
    groups = [folds[a["name"]] for a in train]
    t0 = time.perf_counter()
    rels, meta = fit(train, groups, log)
    meta = {"trained_on": len(train), "excluded_fold": exclude, "relations": meta}
    path = save(out, rels, meta)
    log(f"wrote {path} ({path.stat().st_size:,} bytes) in {time.perf_counter() - t0:.1f}s")
    return meta


def held_out_report(arts: list[dict], folds: dict[str, int], fold: int, folder: Path) -> str:
    """The simulated figures (`simulate`) on the held-out fold: rules only, then rules + model."""
    from kg.nlp.relmodel.model import load

    model = load(folder)
    test = [a for a in arts if folds[a["name"]] == fold]
    lines = []
    for pred in PREDICATES:
        rw = model.relations[pred]
        probs = {k: np.array([rw.score(c["x"]) for c in a["candidates"] if c["p"] == pred]) for k, a in enumerate(test)}
        r0 = simulate(test, pred, probs, OFF)
        r1 = simulate(test, pred, probs, rw.threshold)
        lines.append(f"  held-out {pred}: rules P {r0['p']:.2f} R {r0['r']:.2f} F1 {r0['f1']:.2f} | "
                     f"+model P {r1['p']:.2f} R {r1['r']:.2f} F1 {r1['f1']:.2f} (gold {r1['gold']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from kg.runtime.corpus import corpus_dir

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="?", type=Path, default=corpus_dir() / "dev")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--exclude-fold", type=int)
    ap.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / "relmodel")
    ap.add_argument("--all-folds", type=Path, metavar="ROOT")
    ap.add_argument("--cache", type=Path, help="keep the collected candidates here (reused when present)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    if not args.gold.is_dir():
        print(f"train_relations: no gold folder at {args.gold}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    if args.cache and args.cache.exists():
        arts = json.loads(args.cache.read_text())
    else:
        arts = collect(args.gold, quiet=args.quiet)
        if args.cache:
            args.cache.write_text(json.dumps(arts))
    t1 = time.perf_counter()
    print(f"collected {len(arts)} articles in {t1 - t0:.1f}s", file=sys.stderr)
    folds = assign(arts, args.folds, args.seed)
    log = (lambda *a, **k: None) if args.quiet else (lambda *a, **k: print(*a, **k, file=sys.stderr))
    if args.all_folds:
        for i in range(max(folds.values()) + 1):
            log(f"fold {i} held out:")
            train_and_save(arts, folds, i, args.all_folds / f"fold_{i}", log)
            log(held_out_report(arts, folds, i, args.all_folds / f"fold_{i}"))
        log("all articles:")
        train_and_save(arts, folds, None, args.all_folds / "all", log)
    else:
        train_and_save(arts, folds, args.exclude_fold, args.out, log)
    print(f"trained in {time.perf_counter() - t1:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

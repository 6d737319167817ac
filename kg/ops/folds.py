"""Grouped k-fold evaluation: figures measured as a stranger to the articles would measure them.

Rules tuned on a text score well on that text and much worse on the next conflict (control F1 0.95
on the 25 articles the rules were written against, 0.37 on 75 new ones). A figure that means
something keeps the articles it is measured on apart from the ones that shaped the extractor, and
keeps them apart *by theatre*: two reports of one war share names, places and phrasing, so an
article's theatre is never split between the part that shapes the extractor and the part scored.

The assignment is deterministic (a seed, theatres sorted by size then by a seeded hash), so a fold is
the same set of articles on every machine and in every session. A trained component is meant to be
trained on the other K-1 folds and scored on its own (`KG_MODEL_DIR` points `kg` at a fold's weights);
for the rules, fold `CHECK_FOLD` is the check split that is not read while rules are written, and the
gap between it and the other folds is the overfit.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# the fold held back while rules are written (with the default seed)
CHECK_FOLD = 0
HEADLINE = ["actors", "places", "events", "events_strict", "control", "support", "sources"]
ACCURACY = ["typing", "hierarchy", "fatalities", "dates"]


def theatre_of(gold: Mapping[str, Any], name: str) -> str:
    """The gold file's theatre; without one, the file name's first word ('syria-aleppo-...')."""
    t = gold.get("theatre")
    return str(t).strip() if t else name.split("-", 1)[0]


def read_theatres(folder: Path) -> dict[str, str]:
    """Article name -> theatre for every NAME.gold.json in `folder`."""
    out = {}
    for gp in sorted(folder.glob("*.gold.json")):
        name = gp.name.removesuffix(".gold.json")
        try:
            gold = json.loads(gp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            gold = {}
        out[name] = theatre_of(gold if isinstance(gold, dict) else {}, name)
    return out


def assign_folds(theatres: Mapping[str, str], k: int, seed: int = 0) -> dict[str, int]:
    """Article -> fold in 0..k-1, whole theatres at a time, folds as even in size as theatres allow.

    Largest theatre first, each to the fold with fewest articles so far (ties to the lower fold):
    the usual greedy balance. Theatres of one size are ordered by a seeded hash, not by name, so
    that fold 0 is not simply "the theatres early in the alphabet"."""
    if k < 2:
        raise ValueError("--folds needs at least 2 folds")
    by_theatre: dict[str, list[str]] = {}
    for name, t in theatres.items():
        by_theatre.setdefault(t, []).append(name)
    if k > len(by_theatre):
        raise ValueError(f"{k} folds asked for, but the articles come from only {len(by_theatre)} theatres")

    def tie(t: str) -> str:
        return hashlib.sha1(f"{seed}:{t}".encode()).hexdigest()

    sizes = [0] * k
    out: dict[str, int] = {}
    for t in sorted(by_theatre, key=lambda t: (-len(by_theatre[t]), tie(t))):
        f = min(range(k), key=lambda i: (sizes[i], i))
        sizes[f] += len(by_theatre[t])
        for name in by_theatre[t]:
            out[name] = f
    return out


def evaluate_folds(folder: Path, k: int, seed: int = 0) -> dict[str, Any]:
    """`kg evaluate --folds K`: the whole folder's report plus one summary per fold.

    Every article is extracted once; with rules only that is the same as extracting each fold
    apart. (A trained component would need each fold extracted with the weights that did not see
    it: benchmarks/score_folds.py --model-root does that through KG_MODEL_DIR.)"""
    from kg.ops.evaluate import score_dir, summarise

    theatres = read_theatres(folder)
    folds = assign_folds(theatres, k, seed)
    per_article = score_dir(folder)
    reports = [summarise({n: r for n, r in per_article.items() if folds.get(n) == i}) for i in range(k)]
    report = summarise(per_article)
    report["folds"] = fold_summary(reports, folds, theatres)
    return report


def _value(total: Mapping[str, Any], key: str) -> float | None:
    cell = total.get(key) or {}
    return cell.get("f1") if key in HEADLINE else cell.get("accuracy")


def fold_summary(reports: list[dict[str, Any]], folds: Mapping[str, int],
                 theatres: Mapping[str, str]) -> dict[str, Any]:
    """Per fold: its theatres, article count and headline figures; then mean and spread over folds."""
    rows = []
    for i, rep in enumerate(reports):
        members = [n for n, f in folds.items() if f == i]
        rows.append({
            "fold": i,
            "check": i == CHECK_FOLD,
            "articles": len(members),
            "theatres": sorted({theatres[n] for n in members}),
            "figures": {key: _value(rep["total"], key) for key in HEADLINE + ACCURACY},
        })
    mean, sd = {}, {}
    for key in HEADLINE + ACCURACY:
        vals = [r["figures"][key] for r in rows if r["figures"][key] is not None]
        mean[key] = statistics.fmean(vals) if vals else None
        sd[key] = statistics.stdev(vals) if len(vals) > 1 else None
    return {"folds": rows, "mean": mean, "sd": sd}


def render_folds(summary: Mapping[str, Any]) -> str:
    """The fold table: one row a fold, then the mean and the spread (sample standard deviation)."""
    def f(x: float | None) -> str:
        return "  -  " if x is None else f"{x:.2f}"

    keys = HEADLINE + ACCURACY
    head = ["fold", "arts"] + [k.replace("events_strict", "ev-strict") for k in keys]
    rows = [[f"{r['fold']}{' (check)' if r['check'] else ''}", str(r["articles"])]
            + [f(r["figures"][k]) for k in keys] for r in summary["folds"]]
    rows.append(["mean of folds", ""] + [f(summary["mean"][k]) for k in keys])
    rows.append(["sd", ""] + [f(summary["sd"][k]) for k in keys])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    out = [f"fold {r['fold']}: " + ", ".join(r["theatres"]) for r in summary["folds"]]
    out += ["", line(head), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(out)

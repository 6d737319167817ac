"""Fold figures by the shared scorer (../shared/scorer/score.py): the numbers that go in the README.

    python benchmarks/score_folds.py [GOLD_DIR] [--folds 5] [--seed 0] [--kg .venv/bin/kg] [--json OUT]

The gold folder's articles are grouped into folds by theatre exactly as `kg evaluate --folds` does
(kg/ops/folds.py), the scorer runs once over all of them (it ingests each article into its own store
through the `kg` command, so it measures what a user gets), and its per-article counts are summed per
fold and per theatre with the scorer's own `aggregate`. With `--model-root DIR`, fold i is scored
with `KG_MODEL_DIR=DIR/fold-i` (weights trained without fold i, e.g. by scripts/train_relations.py
--exclude-fold i --out DIR/fold-i), so a trained component is scored only on folds it did not see.
"""

from __future__ import annotations

import argparse
import os
import importlib.util
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ops.folds import assign_folds, read_theatres  # noqa: E402
from kg.runtime.corpus import corpus_dir  # noqa: E402

F1 = ["actors", "places", "events", "events_strict", "control", "support", "sources"]
RATES = ["typing", "hierarchy", "fatalities", "dates"]


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("ckg_shared_scorer", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def figures(total: dict) -> dict[str, float | None]:
    out = {k: total[k]["f1"] for k in F1}
    out.update({k: total[k]["rate"] for k in RATES})
    return out


def table(rows: list[tuple[str, int, dict]]) -> str:
    def f(x):
        return "  -  " if x is None else f"{x:.2f}"
    keys = F1 + RATES
    head = ["", "arts"] + [k.replace("events_strict", "strict") for k in keys]
    cells = [[name, str(n)] + [f(fig[k]) for k in keys] for name, n, fig in rows]
    w = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(head)]
    line = lambda cs: "  ".join(c.ljust(x) if i == 0 else c.rjust(x) for i, (c, x) in enumerate(zip(cs, w)))  # noqa: E731
    return "\n".join([line(head), line(["-" * x for x in w])] + [line(c) for c in cells])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", type=Path, default=corpus_dir() / "dev")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kg", default=str(ROOT / ".venv" / "bin" / "kg"))
    ap.add_argument("--scorer", type=Path, default=corpus_dir().parent / "scorer" / "score.py")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--model-root", type=Path, help="folder with fold-0 ... fold-K-1 weight folders")
    args = ap.parse_args()
    if not args.scorer.exists():
        print(f"score_folds: the shared scorer is not at {args.scorer}", file=sys.stderr)
        return 1
    scorer = load_scorer(args.scorer)
    theatres = read_theatres(args.gold)
    folds = assign_folds(theatres, args.folds, args.seed)
    per, errors = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.model_root is None:
            result = scorer.run(args.kg, args.gold, Path(tmp), None)
            per, errors = result["per_article"], result["errors"]
        for i in range(args.folds) if args.model_root else ():
            os.environ["KG_MODEL_DIR"] = str(args.model_root / f"fold-{i}")
            only = {n for n, f in folds.items() if f == i}
            part = scorer.run(args.kg, args.gold, Path(tmp) / f"fold-{i}", only)
            per.update(part["per_article"])
            errors.update(part["errors"])
    result = {"total": scorer.aggregate(per), "errors": errors}
    rows = []
    for i in range(args.folds):
        sub = {n: r for n, r in per.items() if folds.get(n) == i}
        rows.append((f"fold {i}", len(sub), figures(scorer.aggregate(sub))))
    mean = {k: statistics.fmean([r[2][k] for r in rows if r[2][k] is not None] or [0.0]) for k in F1 + RATES}
    whole = figures(result["total"])
    rows += [("mean of folds", len(per), mean), ("all articles", len(per), whole)]
    by_theatre = []
    for t in sorted(set(theatres.values())):
        sub = {n: r for n, r in per.items() if theatres.get(n) == t}
        if sub:
            by_theatre.append((t, len(sub), figures(scorer.aggregate(sub))))
    print(f"scorer {args.scorer}; kg {args.kg}; {len(per)} articles, {len(result['errors'])} errors")
    for i in range(args.folds):
        print(f"fold {i}: " + ", ".join(sorted({theatres[n] for n, f in folds.items() if f == i})))
    print()
    print(table(rows))
    print()
    print(table(by_theatre))
    if args.json:
        args.json.write_text(json.dumps({"folds": rows, "by_theatre": by_theatre, "errors": result["errors"]},
                                        indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

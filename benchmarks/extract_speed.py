"""Extraction speed: conflict-kg's pipeline against the bare spaCy model on the same texts.

    python benchmarks/extract_speed.py [FOLDER ...] [--repeat N]

Both runs use nlp.pipe over the same article texts, after a warm-up; the ratio is
(conflict-kg time) / (bare spaCy time). Issue 3's target is <= 1.3.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
import sys  # noqa: E402

sys.path.insert(0, str(ROOT))
from kg.runtime.corpus import corpus_dir  # noqa: E402



def texts(folders: list[Path]) -> list[str]:
    from kg.read.readers import article_from_text, decode_bytes

    out = []
    for f in folders:
        for t in sorted(f.glob("*.txt")):
            out.append(article_from_text(decode_bytes(t.read_bytes(), str(t)), source=str(t)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*", type=Path,
                    default=[corpus_dir() / "dev", corpus_dir() / "homs-2015"])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    arts = texts(args.folders)
    from kg.nlp.extract import extract
    from kg.nlp.pipeline import build_nlp, load_base_model

    bare = load_base_model()
    build_nlp()
    docs = [a.full_text for a in arts]
    list(bare.pipe(docs[:3]))
    list(extract(arts[:3]))
    t_bare, t_kg = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        list(bare.pipe(docs, batch_size=16))
        t_bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        list(extract(arts, batch_size=16))
        t_kg.append(time.perf_counter() - t0)
    b, k = statistics.median(t_bare), statistics.median(t_kg)
    words = sum(len(d.split()) for d in docs)
    print(f"articles {len(arts)}, words {words}, repeats {args.repeat}")
    print(f"bare spaCy nlp.pipe : {b:.3f} s  ({words / b:,.0f} words/s)")
    print(f"conflict-kg extract : {k:.3f} s  ({words / k:,.0f} words/s)")
    print(f"ratio               : {k / b:.2f}x  (target <= 1.3)")


if __name__ == "__main__":
    main()

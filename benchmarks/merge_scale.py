"""How `kg merge` grows with the store: the corpus's article graphs duplicated under new article
IRIs (and event IRIs), with their dates shifted across a year so that blocking by place and date
has work to do, then merged.

    python benchmarks/merge_scale.py [--sizes 1000 2500 5000 10000]

Prints articles, accounts, merged events, pairs scored and seconds for each size; pairs scored
should grow about linearly (blocking), not with the square of the accounts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
import sys  # noqa: E402

sys.path.insert(0, str(ROOT))
from kg.runtime.corpus import corpus_dir  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from article_copies import corpus_templates, put_copy  # noqa: E402



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2500, 5000, 10000])
    args = ap.parse_args()
    from kg.ops.merge import merge_store
    from kg.store.embedded import EmbeddedStore

    templates = corpus_templates(corpus_dir())
    print(f"{len(templates)} template articles")
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        loaded = 0
        for size in sorted(args.sizes):
            t0 = time.perf_counter()
            while loaded < size:
                key, quads = templates[loaded % len(templates)]
                shift = dt.timedelta(days=(loaded // len(templates)) % 365)
                new = f"{key}x{loaded}"

                put_copy(store, key, quads, new, shift)
                loaded += 1
            t_load = time.perf_counter() - t0
            r = merge_store(store)
            print(f"articles {size:>6}  accounts {r.accounts:>6}  merged {r.merged_events:>6}  "
                  f"pairs scored {r.pairs_scored:>8}  merge {r.seconds:6.2f} s  (load {t_load:.1f} s)")


if __name__ == "__main__":
    main()

"""How `kg merge` grows with the store: the corpus's article graphs duplicated under new article
IRIs (and event IRIs), with their dates shifted across a year so that blocking by place and date
has work to do, then merged.

    python benchmarks/merge_scale.py [--sizes 1000 2500 5000 10000]
    python benchmarks/merge_scale.py --undated 2000 4000 20000

Prints articles, accounts, merged events, pairs scored and seconds for each size; pairs scored
should grow about linearly (blocking), not with the square of the accounts.

`--undated N...`: issue 15's worst case, N one-event reports of one town with no date at all (the
same class and actor), merged with `kg merge`'s own code; each size in a fresh process so that its
peak RSS is its own. Prints the merge's seconds, peak RSS, pairs scored and the largest merged
event (undated accounts must never chain into one: at most MAX_UNDATED).
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
from tests.synthetic import one_town_reports  # noqa: E402



def one_undated(n: int) -> None:
    """Load n undated reports, then time `merge_store` (as `kg merge` runs it) and read back the
    largest merged event; peak RSS of this process (the whole run: load and merge)."""
    import resource

    from kg.ops.merge import MAX_UNDATED, group_accounts, load_accounts, merge_store
    from kg.store.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(Path(tmp) / "store") as store:
        one_town_reports(store, n)
        r = merge_store(store)
        groups, _ = group_accounts(*load_accounts(store))
        largest = max(map(len, groups))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"undated {n:>6}  merged {r.merged_events:>6}  largest {largest} (cap {MAX_UNDATED})  "
          f"pairs scored {r.pairs_scored:>8}  merge {r.seconds:6.2f} s  peak RSS {rss:6.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2500, 5000, 10000])
    ap.add_argument("--undated", type=int, nargs="+", help="undated reports of one town (issue 15)")
    ap.add_argument("--one-undated", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one_undated:
        return one_undated(args.one_undated)
    if args.undated:
        import subprocess

        for n in args.undated:
            subprocess.run([sys.executable, __file__, "--one-undated", str(n)], check=True)
        return
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

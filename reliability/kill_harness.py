"""Long-form crash test: SIGKILL `kg ingest` at random moments, check the store after every kill.

    .venv/bin/python reliability/kill_harness.py [--articles 200] [--kills 21] [--seed 1]

What it does (the quick CI form is tests/test_reliability.py):
1. builds a JSONL of `--articles` real articles (reliability/corpus.py) and ingests it once into a
   fresh store: the reference (a clean single run);
2. runs trials until `--kills` kills are done. A trial starts from an empty store and, `--per-trial`
   times, starts `kg ingest` on the JSONL (batch size and 1 or 2 workers vary by trial) and kills it
   with SIGKILL after a random delay within the run's expected length (start-up, loading and the
   final `kg merge` are all hit). After each kill: the store opens; every article graph in it has
   exactly the quads of the same article in the reference; worker processes are gone;
3. ends each trial with a rerun of the same command, which must report the articles already in
   the store as skipped and load the rest, and leave a store equal to the reference quad for
   quad (merged-event graph included; the ontology graph by size, its blank nodes differ).

Prints one row per kill and a summary; exit status 1 if any check failed. Why a script and not a
test: 20+ kills of a 200-article ingest take minutes, more than a CI run should spend.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reliability.corpus import build_jsonl  # noqa: E402
from reliability.storecheck import all_quads, article_graphs, compare_stores  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Kill:
    trial: int
    workers: int
    batch: int
    delay: float
    phase: str
    present: int
    opened: bool
    whole: bool
    orphans: int
    note: str = ""


SRC = ROOT  # replaced by a snapshot of the committed code in main()


def kg_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg.cli", *args]


def kg_env(store: Path) -> dict[str, str]:
    env = dict(os.environ, KG_STORE=str(store), PYTHONPATH=str(SRC))
    env.pop("KG_ENDPOINT", None)
    return env


def snapshot(work: Path) -> Path:
    """The committed code (git HEAD: kg/, ontology/, queries/) in a folder of its own.

    Why: the harness runs for minutes and compares every run with a reference run; in a checkout
    where others are editing the extractor, runs made before and after an edit would differ for
    reasons that have nothing to do with crashes."""
    dst = work / "src"
    dst.mkdir(parents=True, exist_ok=True)
    arch = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD", "kg", "ontology", "queries"],
                          capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dst)], input=arch, check=True)
    return dst


def children(pid: int) -> list[int]:
    """Direct child processes of pid (the extraction workers), from /proc."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.append(int(d.name))
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def run_ingest(jsonl: Path, store: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(kg_cmd("ingest", "-q", "--no-progress", *extra, str(jsonl)), cwd=SRC, env=kg_env(store),
                          capture_output=True, text=True, timeout=1800)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--kills", type=int, default=21)
    ap.add_argument("--per-trial", type=int, default=3, help="kills before each trial's completing rerun")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--worktree", action="store_true",
                    help="run the working tree's code instead of a snapshot of git HEAD")
    ap.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = tempfile.TemporaryDirectory(prefix="kg-kill-") if args.dir is None else None
    work = Path(tmp.name) if tmp else args.dir
    work.mkdir(parents=True, exist_ok=True)
    global SRC
    if not args.worktree:
        SRC = snapshot(work)
    jsonl = build_jsonl(work / "articles.jsonl", args.articles)
    n = args.articles

    print(f"reference: clean ingest of {n} articles ...", flush=True)
    clean = work / "clean"
    t0 = time.monotonic()
    p = run_ingest(jsonl, clean)
    t_clean = time.monotonic() - t0
    if p.returncode != 0 or f"{n} loaded" not in p.stderr:
        print(f"clean run failed: {p.stderr}", file=sys.stderr)
        return 1
    ref = article_graphs(clean)
    ref_quads = sum(len(q) for q in all_quads(clean).values())
    print(f"reference: {len(ref)} article graphs, {ref_quads} quads, {t_clean:.1f}s", flush=True)

    kills: list[Kill] = []
    reruns: list[tuple[int, int, int, int, bool, str]] = []  # trial, present, loaded, skipped, equal, note
    failures: list[str] = []
    trial = 0
    t_start = time.monotonic()
    while len(kills) < args.kills:
        trial += 1
        workers = 2 if trial % 2 == 0 else 1
        batch = [1, 4, 16][trial % 3]
        store = work / f"trial{trial}"
        extra = ["--workers", str(workers), "--batch-size", str(batch)]
        for _ in range(args.per_trial):
            if len(kills) >= args.kills:
                break
            present_before = len(article_graphs(store)) if store.exists() else 0
            # expected run length: start-up (+ workers), the articles still to load, the merge
            expect = 2.0 + (2.5 if workers > 1 else 0) + t_clean * (n - present_before) / n
            delay = rng.uniform(0.3, expect)
            proc = subprocess.Popen(kg_cmd("ingest", "-q", "--no-progress", *extra, str(jsonl)), cwd=SRC,
                                    env=kg_env(store),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            kids = children(proc.pid)
            if proc.poll() is not None:
                print(f"  trial {trial}: run finished before the kill at {delay:.1f}s; not counted", flush=True)
                t_clean *= 0.85  # the machine got quicker than the reference run: aim earlier
                continue
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            # workers notice their parent is gone (their pipe closes) and exit by themselves
            deadline = time.monotonic() + 15
            while any(alive(k) for k in kids) and time.monotonic() < deadline:
                time.sleep(0.1)
            orphans = [k for k in kids if alive(k)]
            for k in orphans:  # ours: started by the kg process this harness started
                os.kill(k, signal.SIGKILL)
            note, opened = "", True
            try:
                graphs = all_quads(store) if store.exists() else {}  # the store opens (read-only) ...
            except OSError as e:
                graphs, note, opened = {}, f"store does not open: {e}", False
            arts = {g: q for g, q in graphs.items() if g.startswith("https://w3id.org/conflict-kg/id/article/")}
            bad = [g for g, q in arts.items() if ref.get(g) != q]  # ... and every article in it is whole
            if bad:
                note = f"{len(bad)} article graphs differ from the reference"
            if orphans:
                note = (note + "; " if note else "") + f"{len(orphans)} worker processes outlived the kill"
            phase = ("all in" if len(arts) == n else  # every article in: start-up of a rerun, or kg merge
                     "before 1st write" if len(arts) == present_before else "loading")
            k = Kill(trial, workers, batch, delay, phase, len(arts), opened, opened and not bad, len(orphans), note)
            kills.append(k)
            if note:
                failures.append(f"trial {trial} kill at {delay:.1f}s: {note}")
            print(f"  kill {len(kills):>2}: trial {trial} workers={workers} batch={batch:<2} at {delay:5.1f}s "
                  f"({phase:<16}) -> {len(arts):>3} whole articles{'' if not note else '  FAIL ' + note}", flush=True)
        present = len(article_graphs(store)) if store.exists() else 0
        p = run_ingest(jsonl, store, *extra)
        m = re.search(r"(\d+) loaded, (\d+) skipped", p.stderr)
        loaded, skipped = (int(m[1]), int(m[2])) if m else (-1, -1)
        diff = compare_stores(store, clean) if p.returncode == 0 else f"rerun exit {p.returncode}: {p.stderr[-300:]}"
        ok_counts = (loaded, skipped) == (n - present, present)
        note = diff or ("" if ok_counts else f"rerun said {loaded} loaded, {skipped} skipped; expected "
                        f"{n - present} loaded, {present} skipped")
        reruns.append((trial, present, loaded, skipped, diff is None, note))
        if note:
            failures.append(f"trial {trial} rerun: {note}")
        print(f"  rerun  : trial {trial}: {loaded} loaded, {skipped} skipped (store held {present}); "
              f"final store {'== clean run' if diff is None else 'DIFFERS: ' + diff}", flush=True)

    took = time.monotonic() - t_start
    phases = {ph: sum(k.phase == ph for k in kills) for ph in ("before 1st write", "loading", "all in")}
    print()
    print(f"| measure | result |\n|---|---|")
    print(f"| articles in the JSONL | {n} ({ref_quads} quads in a clean run, {t_clean:.1f} s) |")
    print(f"| SIGKILLs | {len(kills)} in {trial} trials ({phases['before 1st write']} before the run's first write, {phases['loading']} "
          f"while loading, {phases['all in']} with every article in (kg merge, or a rerun's start); workers 1 and 2, batch 1/4/16) |")
    print(f"| store opened after the kill | {sum(k.opened for k in kills)}/{len(kills)} |")
    print(f"| every article graph whole (= clean run's) | {sum(k.whole for k in kills)}/{len(kills)} "
          f"({sum(k.present for k in kills)} article graphs checked) |")
    print(f"| worker processes left behind | {sum(k.orphans for k in kills)} |")
    print(f"| reruns reporting exactly the stored articles as skipped | "
          f"{sum(not r[5] or 'rerun said' not in r[5] for r in reruns)}/{len(reruns)} |")
    print(f"| final store == clean single run, quad for quad | {sum(r[4] for r in reruns)}/{len(reruns)} |")
    print(f"| wall time | {took:.0f} s |")
    if failures:
        print("\nFAILURES:\n" + "\n".join(failures))
    if tmp:
        tmp.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

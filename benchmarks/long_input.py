"""How `kg ingest` copes with one huge article: a single sentence of ~990,000 characters (issue 15:
106 s and 2.7 GB before texts were cut into chunks for spaCy).

    python benchmarks/long_input.py [--chars 990000] [--kind clauses|words] [--kg CMD]

Writes the article to a temporary file, runs `kg ingest FILE --store TMP --no-merge` in a child
process and prints its wall time, peak RSS (the child's own, from wait4) and exit status. `--kind
clauses` (default) repeats conflict-news clauses with names, places and numbers, joined by commas
with no full stop, so the parser sees one sentence and every rule component has work to do;
`--kind words` is one plain word over and over. `--kg` runs another kg (e.g. an older checkout's
wrapper script) to measure before/after.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CLAUSES = (
    "government forces shelled the town of Idlib on Monday killing 12 civilians",
    "rebels of the Free Syrian Army seized two villages near Aleppo",
    "an airstrike hit a market in Homs and wounded 30 people according to the Syrian Observatory",
    "fighters loyal to the Islamic State attacked a checkpoint outside Raqqa",
)


def article(chars: int, kind: str) -> str:
    """A headline line, then one sentence of about `chars` characters."""
    parts: list[str] = []
    size = 0
    i = 0
    while size < chars:
        piece = CLAUSES[i % len(CLAUSES)] if kind == "clauses" else "word"
        parts.append(piece)
        size += len(piece) + 2
        i += 1
    return "Long report\n\n" + (", " if kind == "clauses" else " ").join(parts)[: chars] + ".\n"


def run(cmd: list[str], cwd: str, env: dict[str, str]) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit status) of one child process. CPU time is
    the figure to compare on a shared machine: wall time grows with everyone else's load."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace").strip() if proc.stderr else ""
    if err:
        print(err.splitlines()[-1][:300])
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=990_000)
    ap.add_argument("--kind", choices=("clauses", "words"), default="clauses")
    ap.add_argument("--kg", help="kg command (default: this checkout's python -m kg.cli)")
    args = ap.parse_args()
    kg = shlex.split(args.kg) if args.kg else [sys.executable, "-m", "kg.cli"]
    env = dict(os.environ) if args.kg else {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.txt"
        path.write_text(article(args.chars, args.kind), encoding="utf-8")
        cmd = [*kg, "ingest", str(path), "--store", str(Path(tmp) / "store"), "--no-merge", "-q"]
        env_note = f" KG_MAX_TOKENS={os.environ['KG_MAX_TOKENS']}" if "KG_MAX_TOKENS" in os.environ else ""
        seconds, cpu, rss, code = run(cmd, tmp, env)  # cwd: not a checkout
        print(f"{args.chars:,} characters ({args.kind}){env_note}: {seconds:.1f} s wall, {cpu:.1f} s CPU, "
              f"peak RSS {rss:.0f} MB, exit {code}")


if __name__ == "__main__":
    main()

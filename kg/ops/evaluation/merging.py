"""Scoring kg merge: the gold events of several articles grouped into real events as an analyst
would, and the system's grouping compared with it pair by pair."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from kg.graph.clusters import ancestors
from kg.ops.merging.link import complete_link

EventKey = tuple[str, int]  # (article, index of the event in its gold file)


def gold_real_events(golds: dict[str, dict[str, Any]]) -> dict[EventKey, int]:
    """Group the gold events of several articles into real events by rule, when no hand clusters
    are given: same event type and theatre; places equal, nested (through the gold "in" fields)
    or one unknown; dates equal or one unknown; agents shared or one side unnamed; never two
    events of one article. Complete link, strongest pairs (same place) first: every two events of
    a group must agree, so that "place unknown" does not chain a bombing in Cameroon to one in
    Colombia. Returns (article, event index) -> real event id."""
    parent_of: dict[str, set[str]] = defaultdict(set)
    countries: set[str] = set()
    for g in golds.values():
        for p in g.get("places") or []:
            if p.get("in"):
                parent_of[p["name"]].add(p["in"])
            if p.get("type") == "Country":
                countries.add(p["name"])
    items = [(art, i, e) for art, g in sorted(golds.items()) for i, e in enumerate(g.get("events") or [])]
    theatre = {art: g.get("theatre") or art for art, g in golds.items()}
    pairs = []
    for x in range(len(items)):
        for y in range(x + 1, len(items)):
            (a1, _, e1), (a2, _, e2) = items[x], items[y]
            if a1 == a2 or e1["type"] != e2["type"] or theatre[a1] != theatre[a2] or _far_apart(golds[a1], golds[a2]):
                continue
            strength = _strength(e1, e2, parent_of, countries)
            if strength:
                pairs.append((strength, x, y))
    sets = complete_link(len(items), pairs, _NoLimits(), threshold=0.5, floor=0.5)
    return {(items[k][0], items[k][1]): sets.find(k) for k in range(len(items))}


PUBLISHED_APART = 7  # days between two articles' publication beyond which they tell different events


def _far_apart(g1: dict[str, Any], g2: dict[str, Any]) -> bool:
    """Two articles published more than PUBLISHED_APART days apart: their undated events are
    not one happening (a 2016 and a 2024 report of "clashes in Khartoum")."""
    try:
        d1, d2 = (dt.date.fromisoformat(str(g["published"])[:10]) for g in (g1, g2))
    except (KeyError, TypeError, ValueError):
        return False
    return abs((d1 - d2).days) > PUBLISHED_APART


class _NoLimits:
    """complete_link's limits when complete link is all there is."""

    def allows(self, ri: int, rj: int) -> bool:
        return True

    def joined(self, ri: int, rj: int) -> None:
        pass


def _strength(e1: dict[str, Any], e2: dict[str, Any], parent_of: dict[str, set[str]], countries: set[str]) -> float:
    """How surely two gold events of one type are one real event (3: same place, 2: nested, 1.5:
    the same country only, 1: a place unknown); 0 when place, date or agents rule it out."""
    raw1, raw2 = e1.get("place"), e2.get("place")
    p1, p2 = (None if raw1 in countries else raw1), (None if raw2 in countries else raw2)  # a country says little
    if p1 and p2:
        strength = 3 if p1 == p2 else 2 if (p1 in ancestors(p2, parent_of) or p2 in ancestors(p1, parent_of)) else 0
    else:
        strength = 1.5 if raw1 and raw1 == raw2 else 1  # little, but the same country beats none
    d1, d2 = e1.get("date"), e2.get("date")
    ag1, ag2 = set(e1.get("agents") or []), set(e2.get("agents") or [])
    if (d1 and d2 and d1 != d2) or (ag1 and ag2 and not ag1 & ag2):
        return 0
    return strength


CLUSTERS_NAME = "clusters.json"  # hand clusters found beside the gold files of a folder


class ClustersError(ValueError):
    """A hand-clusters file that cannot be read or does not fit the folder's gold."""


def load_clusters(path: Path, golds: dict[str, dict[str, Any]]) -> dict[EventKey, int]:
    """Real events as an analyst grouped them by hand (format: tests/data/README.md): every gold
    event of `golds` -> a real-event id; events the file leaves out are real events of their own.
    Written by reading the texts, not by any rule, so that the merge is checked against something
    it did not produce."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        clusters = [c["events"] for c in data["clusters"]]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as e:
        raise ClustersError(f"{path}: not a clusters file ({type(e).__name__}: {e})") from None
    real: dict[EventKey, int] = {}
    for cid, refs in enumerate(clusters):
        for ref in refs:
            key = _event_key(path, ref, golds)
            if key in real:
                raise ClustersError(f"{path}: {ref} is in two clusters")
            real[key] = cid
    n = len(clusters)
    for art, g in sorted(golds.items()):
        for i in range(len(g.get("events") or [])):
            if (art, i) not in real:
                real[(art, i)], n = n, n + 1
    return real


def _event_key(path: Path, ref: object, golds: dict[str, dict[str, Any]]) -> EventKey:
    """ARTICLE#INDEX -> (article, index), checked against the gold it names."""
    art, _, idx = str(ref).rpartition("#")
    if art not in golds or not idx.isdigit() or int(idx) >= len(golds[art].get("events") or []):
        raise ClustersError(f"{path}: {ref!r} names no gold event of this folder")
    return art, int(idx)


def pairwise(real: dict[EventKey, int], account_of: dict[EventKey, str], merged_of: dict[str, str],
             *, within_articles: bool = False) -> dict[str, Any]:
    """Precision and recall over pairs of gold events: same real event (gold) against same merged
    event (system). Pairs of one article count only with `within_articles` (hand clusters may say
    that one article told one happening twice; the derived grouping never does)."""
    keys = sorted(real)
    tp = fp = fn = fn_found = 0
    for x in range(len(keys)):
        for y in range(x + 1, len(keys)):
            k1, k2 = keys[x], keys[y]
            if k1[0] == k2[0] and not within_articles:
                continue
            same_gold = real[k1] == real[k2]
            a1, a2 = account_of.get(k1), account_of.get(k2)
            same_sys = a1 is not None and a2 is not None and (a1 == a2 or merged_of.get(a1, a1) == merged_of.get(a2, a2))
            tp += same_gold and same_sys
            fp += same_sys and not same_gold
            fn += same_gold and not same_sys
            fn_found += same_gold and not same_sys and a1 is not None and a2 is not None
    multi = defaultdict(set)
    for k, r in real.items():
        multi[r].add(k)
    shared = {r: ks for r, ks in multi.items() if len({k[0] for k in ks}) > 1}
    per_event = {r: len({merged_of.get(account_of[k]) for k in ks if k in account_of} - {None})
                 for r, ks in shared.items()}
    return {
        "pairwise_precision": tp / (tp + fp) if tp + fp else None,
        "pairwise_recall": tp / (tp + fn) if tp + fn else None,
        "pairwise_recall_of_found_events": tp / (tp + fn_found) if tp + fn_found else None,
        "gold_events_found": f"{len(account_of)}/{len(real)}",
        "real_events_in_several_articles": len(shared),
        "merged_events_per_shared_real_event": per_event,
    }

"""Group event accounts from different articles into merged events (`kg merge`).

Each article's event stays that article's *account*. A merged event (graph
https://w3id.org/conflict-kg/merged) points to every account it groups with `ckg:hasAccount`
and carries what they agree on plus the spread of what they do not: the most specific shared
place, the date or date range, the union of agents, targets, supporters and sources, the lowest and
highest stated toll, and how many outlets told it.

Grouping is what a careful analyst does, made explicit and scored:
- an account is compared with at most NEAR_CAP neighbours (nearest in time) however crowded
  its block, and an undated account is joined to another undated one only on one class, place
  and actor, and no event holds more than MAX_UNDATED undated accounts (no chains);
- candidates are *blocked* by country and by date (window days either side), so the work grows
  with the number of accounts per place and week, not with the square of the store;
- a pair scores on class compatibility (same class; same ACLED family; a killing goes with
  anything), place (same, nested, unknown, or conflicting), date distance, and shared or
  conflicting agents and targets; below the threshold accounts stay apart;
- two accounts of the same article are never grouped (an article does not report one event twice
  as two accounts: if it did, the extractor already merged them);
- single accounts get a merged event too, so that queries need one kind of node.
The result is deterministic: the same store gives the same merged graph, byte for byte.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.model.classes import TERRITORY_CAPTURE, WITHDRAWAL
from kg.graph.clusters import ancestors
from kg.ops.merging.link import Pair, complete_link
from kg.ops.merging.sides import actor_sides, side_keys
from kg.model.vocab import CKG, CKR, MERGE_FAMILIES, MERGED_GRAPH, RDF, RDFS, XSD, priority_rank
from kg.sparql.internal import prefixed_query as internal_query
from kg.store.base import Store

Term = Any  # a pyoxigraph term of a query row (pyoxigraph is imported only when merging writes)
_POINT = re.compile(r"POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", re.I)
NEAR_KM = 25.0  # two places this close may name one event ("Talbisseh" and "north of Homs city")


@dataclass
class Account:
    iri: str
    article: str
    classes: set[str] = field(default_factory=set)
    place: str | None = None
    date: dt.date | None = None  # stated date, else the article's publication date
    date_stated: bool = False
    fatalities: int | None = None
    agents: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    supporters: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    outlet: str | None = None
    agent_sides: set[str] = field(default_factory=set)  # merging/sides.py: the sides the agents fight on

    @property
    def cls(self) -> str:
        return min(self.classes, key=priority_rank) if self.classes else "Event"


@dataclass
class PlaceIndex:
    """What merging needs to know of the places accounts name."""

    ancestors: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    country: dict[str, str] = field(default_factory=dict)  # place -> ISO2
    countries: set[str] = field(default_factory=set)  # places that are whole countries
    province: dict[str, str] = field(default_factory=dict)  # place -> its first-level division
    coords: dict[str, tuple[float, float]] = field(default_factory=dict)  # place -> (lat, lon)

    def near(self, a: str, b: str) -> bool:
        pa, pb = self.coords.get(a), self.coords.get(b)
        return pa is not None and pb is not None and _km(pa, pb) <= NEAR_KM


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


@dataclass
class MergeReport:
    accounts: int = 0
    merged_events: int = 0
    multi_account_events: int = 0
    pairs_scored: int = 0
    seconds: float = 0.0


def load_accounts(store: Store) -> tuple[list[Account], PlaceIndex]:
    """Every event account in the store, and what is known of the places they name."""
    accounts = _read_accounts(store)
    places = _place_index(store, list(dict.fromkeys(a.place for a in accounts.values() if a.place)))
    sides = actor_sides(store)
    for a in accounts.values():
        a.agent_sides = side_keys(a.agents, sides)
    return sorted(accounts.values(), key=lambda a: a.iri), places


def _read_accounts(store: Store) -> dict[str, Account]:
    """One Account per event node of an article graph (the query gives a row per role, actor and
    source: each row adds what it carries)."""
    accounts: dict[str, Account] = {}
    classes = sorted({row[0].value for row in store.query(internal_query("merge-event-classes")).rows})
    query = internal_query("merge-accounts").replace("#CLASSES", " ".join(f"<{c}>" for c in classes))
    for e, cls, place, date, fat, role, actor, article, outlet, published, src in store.query(query).rows:
        if article is None or article.value == MERGED_GRAPH:
            continue
        a = accounts.get(e.value)
        if a is None:
            a = accounts[e.value] = Account(iri=e.value, article=article.value)
        _add_row(a, cls, place, date, fat, role, actor, outlet, published, src)
    return accounts


def _add_row(a: Account, cls: Term, place: Term | None, date: Term | None, fat: Term | None, role: Term | None,
             actor: Term | None, outlet: Term | None, published: Term | None, src: Term | None) -> None:
    a.classes.add(cls.value)
    if place is not None:
        a.place = place.value
    if date is not None:
        a.date, a.date_stated = dt.date.fromisoformat(date.value), True
    elif published is not None and a.date is None:
        try:
            a.date = dt.date.fromisoformat(published.value[:10])
        except ValueError:
            pass
    if fat is not None:
        a.fatalities = int(fat.value)
    if role is not None and actor is not None:
        {"agent": a.agents, "target": a.targets, "supporter": a.supporters}[role.value].add(actor.value)
    if src is not None:
        a.sources.add(src.value)
    if outlet is not None:
        a.outlet = outlet.value


def _place_index(store: Store, named: list[str]) -> PlaceIndex:
    """Countries, provinces, coordinates and enclosing places of the places accounts name."""
    places = PlaceIndex()
    parents: dict[str, set[str]] = defaultdict(set)
    for x, y in store.query(internal_query("merge-located-in")).rows:
        parents[x.value].add(y.value)
    provinces: set[str] = set()
    for p, cc, kind in store.query(internal_query("merge-place-facts")).rows:
        if cc is not None:
            places.country[p.value] = cc.value
        if kind is not None and kind.value == "Country":
            places.countries.add(p.value)
        if kind is not None and kind.value == "Province":
            provinces.add(p.value)
    for p, wkt in store.query(internal_query("merge-coordinates")).rows:
        m = _POINT.search(wkt.value)
        if m:
            places.coords[p.value] = (float(m.group(2)), float(m.group(1)))
    for place in named:
        seen = ancestors(place, parents)
        places.ancestors[place] = seen
        prov = next((x for x in [place, *sorted(seen)] if x in provinces), None)
        if prov:
            places.province[place] = prov
    return places


TOLL_SPREAD = (3, 5)  # tolls contradict when the higher exceeds 3 x the lower + 5 (10 and 25 agree; 2 and 40 do not)


def pair_score(a: Account, b: Account, places: PlaceIndex, window: int) -> float:
    """How likely two accounts tell one real event; 0 when something rules it out."""
    if a.article == b.article and not same_article_agree(a, b, places):
        return 0.0
    s_cls = _class_score(a, b)
    s_place = _place_score(a, b, places)
    s_date = _date_score(a, b, window)
    if s_cls is None or s_place is None or s_date is None or tolls_contradict(a, b):
        return 0.0
    shared = (a.agents | a.targets) & (b.agents | b.targets)
    s_act = _actor_score(a, b, bool(shared))
    if not (a.date and b.date) and not (s_cls == 1.0 and s_place == 1.0 and shared):
        return 0.0  # nothing places one of them in time: only one class, one place and one actor may say so
    if s_cls < 1.0 and not (s_place == 1.0 or shared):
        return 0.0  # two labels for one event need the same place or the same actors to say so
    if s_cls < 1.0 and {TERRITORY_CAPTURE, WITHDRAWAL} & (a.classes ^ b.classes):
        return 0.0  # a capture or a withdrawal is a happening of its own, not a name for the offensive
    return round(0.25 * s_cls + 0.3 * s_place + 0.2 * s_date + 0.25 * s_act, 4)


def _actor_score(a: Account, b: Account, shared: bool) -> float:
    """Shared actors; else agents of one state's side (a country and its air force); else
    different perpetrators (probably different events); else one side unnamed."""
    if shared:
        return 1.0
    if a.agent_sides & b.agent_sides:
        return 0.8
    if a.agents and b.agents and not (a.agents & b.targets or b.agents & a.targets):
        return 0.1
    return 0.5


def tolls_contradict(a: Account, b: Account) -> bool:
    """Two stated tolls too far apart for one event's early and later counts."""
    if a.fatalities is None or b.fatalities is None:
        return False
    lo, hi = sorted((a.fatalities, b.fatalities))
    return hi > TOLL_SPREAD[0] * lo + TOLL_SPREAD[1]


def same_article_agree(a: Account, b: Account, places: PlaceIndex) -> bool:
    """Two accounts of ONE article are one happening told twice (a lead and a later paragraph)
    only when they agree on everything an article distinguishes events by: one class (an article
    that names an offensive and a clash tells two things), a place finer than the country, equal
    or one inside the other, the same stated date and the same toll if both state one, and agents
    of one side."""
    if not a.classes & b.classes or {TERRITORY_CAPTURE, WITHDRAWAL} & (a.classes | b.classes):
        return False
    pa, pb = a.place, b.place
    if not (pa and pb) or pa in places.countries or pb in places.countries:
        return False
    if pa != pb and pa not in places.ancestors.get(pb, ()) and pb not in places.ancestors.get(pa, ()):
        return False
    if a.date_stated and b.date_stated and a.date != b.date:
        return False
    if a.fatalities is not None and b.fatalities is not None and a.fatalities != b.fatalities:
        return False  # one article, two tolls: two counts (8 killed in one home, 23 in the whole assault)
    return not (a.agents and b.agents) or bool(a.agents & b.agents or a.agent_sides & b.agent_sides)


def _class_score(a: Account, b: Account) -> float | None:
    """A shared class; else one family (vocab.MERGE_FAMILIES), a killing going with any; None: no."""
    if a.classes & b.classes:
        return 1.0
    fa = {MERGE_FAMILIES.get(c) for c in a.classes}
    fb = {MERGE_FAMILIES.get(c) for c in b.classes}
    if "any" in fa or "any" in fb:
        return 0.6
    return 0.7 if fa & fb else None


def _place_score(a: Account, b: Account, places: PlaceIndex) -> float | None:
    """Same, nested or nearby places; None for places that conflict. A whole country is as good
    as no place ("Russia's campaign in Syria")."""
    pa = None if a.place in places.countries else a.place
    pb = None if b.place in places.countries else b.place
    if not (pa and pb):
        return 0.6 if a.place and a.place == b.place else 0.4  # both only "in Syria": more than nothing
    if pa == pb:
        return 1.0
    if pa in places.ancestors.get(pb, ()) or pb in places.ancestors.get(pa, ()):
        return 0.75
    return 0.6 if places.near(pa, pb) else None


def _date_score(a: Account, b: Account, window: int) -> float | None:
    """Closer days score higher; None beyond the window."""
    if not (a.date and b.date):
        return 0.5
    gap = abs((a.date - b.date).days)
    return None if gap > window else 1.0 - gap / (window + 1)


Block = tuple[str, str, int]  # (country or "??", province or "", date bucket or -1 when undated)


def group_accounts(accounts: list[Account], places: PlaceIndex,
                   *, window: int = 1, threshold: float = 0.6) -> tuple[list[list[Account]], int]:
    """Groups of accounts that all agree with each other, linked by pairs above the threshold
    (merging/link.py); two accounts of one article only when they tell one happening twice."""
    blocks = _blocks(accounts, places, window)
    pairs, scored = _scored_pairs(accounts, blocks, places, window, LINK_FLOOR)
    sets = complete_link(len(accounts), pairs, _Limits(accounts, window), threshold=threshold, floor=LINK_FLOOR,
                         first=lambda i, j: bool(accounts[i].classes & accounts[j].classes))  # one label before kin
    groups: dict[int, list[Account]] = defaultdict(list)
    for i, a in enumerate(accounts):
        groups[sets.find(i)].append(a)
    return sorted(groups.values(), key=lambda g: g[0].iri), scored


def _blocks(accounts: list[Account], places: PlaceIndex, window: int) -> dict[Block, list[int]]:
    """Accounts by where and when (indices into `accounts`): only accounts of one block and its
    neighbours are compared, so the work grows with accounts per place and week."""
    blocks: dict[Block, list[int]] = defaultdict(list)
    for i, a in enumerate(accounts):
        cc = places.country.get(a.place or "", "??")
        prov = places.province.get(a.place or "", "")
        bucket = a.date.toordinal() // (window + 1) if a.date else -1
        blocks[(cc, prov, bucket)].append(i)
    return blocks


def _scored_pairs(accounts: list[Account], blocks: dict[Block, list[int]], places: PlaceIndex,
                  window: int, threshold: float) -> tuple[list[Pair], int]:
    """(score, i, j) with i < j for every pair of neighbours at or above `threshold`, and how
    many pairs were scored. A block whose neighbours number more than NEAR_CAP compares each of
    its accounts with its NEAR_CAP nearest in time only (`_nearest`), so that a place with
    thousands of reports in one week (or undated) costs accounts x NEAR_CAP, not accounts squared."""
    # accounts without a place, by actor and date bucket (blocking by actor keeps this linear)
    unplaced: dict[tuple[str, int], list[int]] = defaultdict(list)
    for (cc, _, bucket), idx in blocks.items():
        if cc == "??":
            for i in idx:
                for actor in accounts[i].agents | accounts[i].targets:
                    unplaced[(actor, bucket)].append(i)
    pairs: list[tuple[float, int, int]] = []
    scored = 0
    for key, mine in sorted(blocks.items()):
        near = _neighbours(key, mine, blocks, unplaced, accounts)
        for i, j in _candidates(mine, near, accounts):
            scored += 1
            s = pair_score(accounts[i], accounts[j], places, window)
            if s >= threshold:
                pairs.append((s, min(i, j), max(i, j)))
    return pairs, scored


NEAR_CAP = 32  # at most this many accounts any one account is compared with, nearest in time first


def _candidates(mine: list[int], near: list[int], accounts: list[Account]) -> Iterator[tuple[int, int]]:
    """The pairs of a block to score, each once: every (mine, near) pair for a block of ordinary
    size; beyond NEAR_CAP neighbours, each account's NEAR_CAP nearest."""
    if len(near) <= NEAR_CAP:
        mine_set = set(mine)
        for i in mine:
            for j in near:
                if not (j in mine_set and j <= i):
                    yield i, j
        return
    seen: set[tuple[int, int]] = set()
    for i, j in _nearest(mine, near, accounts):
        pair = (min(i, j), max(i, j))
        if pair not in seen:
            seen.add(pair)
            yield i, j


def _nearest(mine: list[int], near: list[int], accounts: list[Account]) -> Iterator[tuple[int, int]]:
    """(i, j) for each i of `mine` and the NEAR_CAP accounts of `near` closest to it in time
    (ties by position, so the choice is deterministic); undated ones, which have no distance,
    fill what is left of the cap after the dated ones (within the window, every dated
    neighbour is nearer than an undated one). An undated account is compared with the NEAR_CAP
    undated ones beside it in the block's order (by IRI)."""
    dated = sorted((accounts[j].date.toordinal(), j) for j in near if accounts[j].date)  # type: ignore[union-attr]
    undated = [j for j in near if not accounts[j].date]
    at = {j: k for k, j in enumerate(undated)}
    for i in mine:
        d = accounts[i].date
        if d is None:
            k = at[i]
            yield from ((i, j) for j in undated[max(0, k - NEAR_CAP // 2): k + NEAR_CAP // 2 + 1] if j != i)
            continue
        lo = bisect.bisect_left(dated, (d.toordinal(), i))
        hi, taken = lo, 0
        lo -= 1
        while taken < NEAR_CAP and (lo >= 0 or hi < len(dated)):
            left = d.toordinal() - dated[lo][0] if lo >= 0 else None
            right = dated[hi][0] - d.toordinal() if hi < len(dated) else None
            if right is None or (left is not None and left <= right):
                j, lo = dated[lo][1], lo - 1
            else:
                j, hi = dated[hi][1], hi + 1
            if j != i:
                taken += 1
                yield i, j
        for j in undated[: NEAR_CAP - taken]:
            yield i, j


def _neighbours(key: Block, mine: list[int], blocks: dict[Block, list[int]],
                unplaced: dict[tuple[str, int], list[int]], accounts: list[Account]) -> list[int]:
    """The accounts a block's accounts are compared with: its own, the next date bucket's and the
    undated ones of the same place; for a province block, also accounts placed no finer than the
    country and unplaced ones that name one of its actors."""
    cc, prov, bucket = key
    near = list(mine)
    if bucket >= 0:
        near += blocks.get((cc, prov, bucket + 1), []) + blocks.get((cc, prov, -1), [])
    if prov:
        for b in {bucket - 1, bucket, bucket + 1, -1} if bucket >= 0 else {-1}:
            near += blocks.get((cc, "", b), [])
            for i in mine:
                for actor in accounts[i].agents | accounts[i].targets:
                    near += unplaced.get((actor, b), [])
    return list(dict.fromkeys(near))


MAX_UNDATED = 4  # undated accounts one merged event may hold (the most outlets that told one corpus event)
LINK_FLOOR = 0.3  # every pair of accounts in one merged event scores at least this (complete link)


class _Limits:
    """What a join of two groups must keep beside complete link: an event spans at most the window
    either side (no chains in time), and holds at most MAX_UNDATED undated accounts. An undated
    account (no stated date, no publication date) has nothing that bounds it in time: joined
    freely, 2,000 undated reports of one town chained into one event."""

    def __init__(self, accounts: list[Account], window: int) -> None:
        self.window = window
        self.span: dict[int, tuple[int, int] | None] = {
            i: (a.date.toordinal(), a.date.toordinal()) if a.date else None for i, a in enumerate(accounts)
        }
        self.undated = {i: 0 if a.date else 1 for i, a in enumerate(accounts)}

    def allows(self, ri: int, rj: int) -> bool:
        si, sj = self.span[ri], self.span[rj]
        if si and sj and max(si[1], sj[1]) - min(si[0], sj[0]) > 2 * self.window:
            return False
        return self.undated[ri] + self.undated[rj] <= MAX_UNDATED

    def joined(self, ri: int, rj: int) -> None:
        si, sj = self.span[ri], self.span.pop(rj)
        self.span[ri] = (min(si[0], sj[0]), max(si[1], sj[1])) if si and sj else (si or sj)
        self.undated[ri] += self.undated.pop(rj)


def merged_triples(group: list[Account], places: PlaceIndex) -> Iterable[tuple]:
    import pyoxigraph as ox

    iri = ox.NamedNode(CKR + "merged/" + hashlib.sha1(" ".join(a.iri for a in group).encode()).hexdigest()[:20])
    A = ox.NamedNode(RDF + "type")

    def lit(v: object) -> ox.Literal:
        if isinstance(v, dt.date):
            return ox.Literal(v.isoformat(), datatype=ox.NamedNode(XSD + "date"))
        if isinstance(v, int):
            return ox.Literal(str(v), datatype=ox.NamedNode(XSD + "integer"))
        return ox.Literal(str(v))

    counts: dict[str, int] = defaultdict(int)
    for a in group:
        counts[a.cls] += 1
    cls = min(counts, key=lambda c: (-counts[c], priority_rank(c)))
    yield iri, A, ox.NamedNode(CKG + cls)
    yield iri, A, ox.NamedNode(CKG + "MergedEvent")
    for a in group:
        yield iri, ox.NamedNode(CKG + "hasAccount"), ox.NamedNode(a.iri)
    place = shared_place([a.place for a in group if a.place], places.ancestors)
    if place:
        yield iri, ox.NamedNode(CKG + "place"), ox.NamedNode(place)
    dates = sorted({a.date for a in group if a.date and a.date_stated}) or sorted({a.date for a in group if a.date})
    if dates:
        if dates[0] == dates[-1]:
            yield iri, ox.NamedNode(CKG + "date"), lit(dates[0])
        yield iri, ox.NamedNode(CKG + "earliestDate"), lit(dates[0])
        yield iri, ox.NamedNode(CKG + "latestDate"), lit(dates[-1])
    for prop, attr in (("agent", "agents"), ("target", "targets"), ("supporter", "supporters"), ("reportedBy", "sources")):
        for x in sorted(set().union(*(getattr(a, attr) for a in group))):
            yield iri, ox.NamedNode(CKG + prop), ox.NamedNode(x)
    tolls = [a.fatalities for a in group if a.fatalities is not None]
    if tolls:
        yield iri, ox.NamedNode(CKG + "fatalitiesMin"), lit(min(tolls))
        yield iri, ox.NamedNode(CKG + "fatalitiesMax"), lit(max(tolls))
    for aspect in disputes(group, places):
        yield iri, ox.NamedNode(CKG + "disputedOn"), lit(aspect)
    yield iri, ox.NamedNode(CKG + "sourceCount"), lit(len({a.outlet or a.article for a in group}))
    yield iri, ox.NamedNode(RDFS + "label"), lit(f"{cls} ({len(group)} account{'s' if len(group) > 1 else ''})")


def disputes(group: list[Account], places: PlaceIndex) -> list[str]:
    """What the accounts of one merged event disagree on, found here once (pairs of accounts in
    Python) so that `disputed-events` is a lookup, not a pairwise join over the store."""
    out = []
    tolls = {a.fatalities for a in group if a.fatalities is not None}
    if len(tolls) > 1:
        out.append("fatalities")
    doers = [a.agents for a in group if a.agents]
    if any(not x & y for i, x in enumerate(doers) for y in doers[i + 1 :]):
        out.append("agent")
    where = sorted({a.place for a in group if a.place})
    anc = places.ancestors
    if any(y not in anc.get(x, ()) and x not in anc.get(y, ()) for i, x in enumerate(where) for y in where[i + 1 :]):
        out.append("place")
    return out


def shared_place(places: list[str], ancestors: dict[str, set[str]]) -> str | None:
    """The most specific place every account's place is or lies in."""
    if not places:
        return None
    chains = [{p} | ancestors.get(p, set()) for p in places]
    common = set.intersection(*chains)
    if not common:
        return None
    # the most specific: the one with the most ancestors of its own
    return max(sorted(common), key=lambda p: len(ancestors.get(p, ())))


def merge_store(store: Store, *, window: int = 1, threshold: float = 0.6) -> MergeReport:
    """Recompute the merged graph from every account in the store, atomically."""
    import time

    import pyoxigraph as ox

    t0 = time.perf_counter()
    accounts, places = load_accounts(store)
    groups, scored = group_accounts(accounts, places, window=window, threshold=threshold)
    quads = [ox.Quad(s, p, o) for g in groups for s, p, o in merged_triples(g, places)]
    store.put_graph(MERGED_GRAPH, quads)
    return MergeReport(
        accounts=len(accounts), merged_events=len(groups),
        multi_account_events=sum(1 for g in groups if len(g) > 1), pairs_scored=scored,
        seconds=time.perf_counter() - t0,
    )


def undo_merge(store: Store) -> None:
    store.drop_graph(MERGED_GRAPH)

"""Group event accounts from different articles into merged events (`kg merge`).

Each article's event stays that article's *account*. A merged event (graph
https://w3id.org/conflict-kg/merged) points to every account it groups with `ckg:hasAccount`
and carries what they agree on plus the spread of what they do not: the most specific shared
place, the date or date range, the union of agents, targets, supporters and sources, the lowest and
highest stated toll, and how many outlets told it.

Grouping is what a careful analyst does, made explicit and scored:
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

import datetime as dt
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.store.base import Store
from kg.model.vocab import CKG, CKR, MERGE_FAMILIES, MERGED_GRAPH, RDF, RDFS, XSD, priority_rank, sparql_prefixes

# The event classes are read first (_Q_EVENT_CLASSES) and enter _Q_ACCOUNTS as a VALUES block:
# the same index lookups per class as the property path had, and portable. Virtuoso 7.2.5 may
# evaluate `?c rdfs:subClassOf* ckg:Event` joined to `?e a ?c` from the data side (?c bound, path
# checked towards ckg:Event) and then keeps only the first class's rows: on a freshly loaded
# database kg merge found 1 event account of 7 (benchmarks/virtuoso.sh).
_Q_EVENT_CLASSES = sparql_prefixes() + """
SELECT DISTINCT ?c WHERE {
  ?c rdfs:subClassOf* ckg:Event .
  FILTER(STRSTARTS(STR(?c), STR(ckg:)) && ?c != ckg:Event && ?c != ckg:MergedEvent)
}"""
_Q_ACCOUNTS = sparql_prefixes() + """
SELECT ?e ?cls ?place ?date ?fat ?role ?actor ?article ?outlet ?published ?src WHERE {
  VALUES ?c { #CLASSES }
  BIND(STRAFTER(STR(?c), "#") AS ?cls)
  GRAPH ?article {
    ?e a ?c ; ckg:evidence ?ev ; ckg:mentionedIn ?article .
    OPTIONAL { ?e ckg:place ?place }
    OPTIONAL { ?e ckg:date ?date }
    OPTIONAL { ?e ckg:fatalities ?fat }
    OPTIONAL { VALUES ?rp { ckg:agent ckg:target ckg:supporter } ?e ?rp ?actor BIND(STRAFTER(STR(?rp), "#") AS ?role) }
    OPTIONAL { ?e ckg:reportedBy ?src }
    OPTIONAL { ?article schema:publisher ?outlet }
    OPTIONAL { ?article schema:datePublished ?published }
  }
}"""
# Simple patterns only: property paths over a union of thousands of graphs that repeat the same
# locatedIn triples are slow in Oxigraph; the closure is computed in Python instead.
_Q_EDGES = sparql_prefixes() + "SELECT DISTINCT ?x ?y WHERE { ?x ckg:locatedIn ?y }"
_Q_COORDS = sparql_prefixes() + "SELECT DISTINCT ?p ?wkt WHERE { ?p geo:hasGeometry ?g . ?g geo:asWKT ?wkt }"
_POINT = re.compile(r"POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", re.I)
NEAR_KM = 25.0  # two places this close may name one event ("Talbisseh" and "north of Homs city")
_Q_PLACE_FACTS = sparql_prefixes() + """
SELECT DISTINCT ?p ?cc ?kind WHERE {
  { ?p ckg:countryCode ?cc } UNION { ?p a ckg:Country BIND("Country" AS ?kind) } UNION { ?p a ckg:Province BIND("Province" AS ?kind) }
}"""


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
    accs: dict[str, Account] = {}
    classes = sorted({row[0].value for row in store.query(_Q_EVENT_CLASSES).rows})
    res = store.query(_Q_ACCOUNTS.replace("#CLASSES", " ".join(f"<{c}>" for c in classes)))
    for e, cls, place, date, fat, role, actor, article, outlet, published, src in res.rows:
        if article is None or article.value == MERGED_GRAPH:
            continue
        a = accs.get(e.value)
        if a is None:
            a = accs[e.value] = Account(iri=e.value, article=article.value)
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
    places = PlaceIndex()
    parents: dict[str, set[str]] = defaultdict(set)
    for x, y in store.query(_Q_EDGES).rows:
        parents[x.value].add(y.value)
    provinces: set[str] = set()
    for p, cc, kind in store.query(_Q_PLACE_FACTS).rows:
        if cc is not None:
            places.country[p.value] = cc.value
        if kind is not None and kind.value == "Country":
            places.countries.add(p.value)
        if kind is not None and kind.value == "Province":
            provinces.add(p.value)
    for p, wkt in store.query(_Q_COORDS).rows:
        m = _POINT.search(wkt.value)
        if m:
            places.coords[p.value] = (float(m.group(2)), float(m.group(1)))
    for a in accs.values():
        if a.place and a.place not in places.ancestors:
            seen: set[str] = set()
            todo = [a.place]
            while todo:
                for up in parents.get(todo.pop(), ()):
                    if up not in seen:
                        seen.add(up)
                        todo.append(up)
            places.ancestors[a.place] = seen
            prov = next((x for x in [a.place, *sorted(seen)] if x in provinces), None)
            if prov:
                places.province[a.place] = prov
    return sorted(accs.values(), key=lambda a: a.iri), places


def pair_score(a: Account, b: Account, places: PlaceIndex, window: int) -> float:
    """How likely two accounts tell one real event; 0 when something rules it out."""
    if a.article == b.article:
        return 0.0
    # class
    if a.classes & b.classes:
        s_cls = 1.0
    else:
        fa = {MERGE_FAMILIES.get(c) for c in a.classes}
        fb = {MERGE_FAMILIES.get(c) for c in b.classes}
        if "any" in fa or "any" in fb:
            s_cls = 0.6
        elif fa & fb:
            s_cls = 0.7
        else:
            return 0.0
    # place (a whole country is as good as no place: "Russia's campaign in Syria")
    ancestors = places.ancestors
    pa = None if a.place in places.countries else a.place
    pb = None if b.place in places.countries else b.place
    if pa and pb:
        if pa == pb:
            s_place = 1.0
        elif pa in ancestors.get(pb, ()) or pb in ancestors.get(pa, ()):
            s_place = 0.75
        elif places.near(pa, pb):
            s_place = 0.6
        else:
            return 0.0
    else:
        s_place = 0.4
    # date
    if a.date and b.date:
        gap = abs((a.date - b.date).days)
        if gap > window:
            return 0.0
        s_date = 1.0 - gap / (window + 1)
    else:
        s_date = 0.5
    # actors
    shared = (a.agents | a.targets) & (b.agents | b.targets)
    if shared:
        s_act = 1.0
    elif a.agents and b.agents and not a.agents & b.agents and not (a.agents & b.targets or b.agents & a.targets):
        s_act = 0.1  # different perpetrators: probably different events
    else:
        s_act = 0.5
    if s_cls < 1.0 and not (s_place == 1.0 or shared):
        return 0.0  # two labels for one event need the same place or the same actors to say so
    if s_cls < 1.0 and {"TerritoryCapture", "Withdrawal"} & (a.classes ^ b.classes):
        return 0.0  # a capture or a withdrawal is a happening of its own, not a name for the offensive
    return round(0.25 * s_cls + 0.3 * s_place + 0.2 * s_date + 0.25 * s_act, 4)


def group_accounts(accounts: list[Account], places: PlaceIndex,
                   *, window: int = 1, threshold: float = 0.6) -> tuple[list[list[Account]], int]:
    """Connected groups of accounts above the threshold, never two from one article."""
    # blocks: (country, province or "", date bucket); an account without a date goes to bucket -1
    blocks: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for i, a in enumerate(accounts):
        cc = places.country.get(a.place or "", "??")
        prov = places.province.get(a.place or "", "")
        bucket = a.date.toordinal() // (window + 1) if a.date else -1
        blocks[(cc, prov, bucket)].append(i)
    unplaced: dict[tuple[str, int], list[int]] = defaultdict(list)
    for (cc, prov, bucket), idx in blocks.items():
        if cc == "??":
            for i in idx:
                for actor in accounts[i].agents | accounts[i].targets:
                    unplaced[(actor, bucket)].append(i)
    parent = list(range(len(accounts)))
    members: dict[int, set[str]] = {i: {a.article} for i, a in enumerate(accounts)}
    span: dict[int, tuple[int, int] | None] = {
        i: (a.date.toordinal(), a.date.toordinal()) if a.date else None for i, a in enumerate(accounts)
    }

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs: list[tuple[float, int, int]] = []
    scored = 0
    for (cc, prov, bucket), mine in sorted(blocks.items()):
        # neighbours: the next date bucket, and the undated accounts of the same place block
        near = list(mine)
        if bucket >= 0:
            near += blocks.get((cc, prov, bucket + 1), []) + blocks.get((cc, prov, -1), [])
        if prov:
            # accounts placed no finer than the country may tell this event too; unplaced ones,
            # when they name one of its actors (blocking by actor keeps this linear)
            for b in {bucket - 1, bucket, bucket + 1, -1} if bucket >= 0 else {-1}:
                near += blocks.get((cc, "", b), [])
                for i in mine:
                    for actor in accounts[i].agents | accounts[i].targets:
                        near += unplaced.get((actor, b), [])
        mine_set = set(mine)
        near = list(dict.fromkeys(near))
        for i in mine:
            for j in near:
                if j in mine_set and j <= i:
                    continue
                scored += 1
                s = pair_score(accounts[i], accounts[j], places, window)
                if s >= threshold:
                    pairs.append((s, min(i, j), max(i, j)))
    for s, i, j in sorted(set(pairs), key=lambda x: (-x[0], x[1], x[2])):
        ri, rj = find(i), find(j)
        if ri == rj or members[ri] & members[rj]:
            continue  # never two accounts of one article in one event
        si, sj = span[ri], span[rj]
        if si and sj and max(si[1], sj[1]) - min(si[0], sj[0]) > 2 * window:
            continue  # no chains: a merged event spans at most the window either side
        parent[rj] = ri
        members[ri] |= members.pop(rj)
        span[ri] = (min(si[0], sj[0]), max(si[1], sj[1])) if si and sj else (si or sj)
    groups: dict[int, list[Account]] = defaultdict(list)
    for i, a in enumerate(accounts):
        groups[find(i)].append(a)
    return sorted(groups.values(), key=lambda g: g[0].iri), scored


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

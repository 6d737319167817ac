"""Scoring identity across outlets: is each real entity told by several articles one node in the
store that holds them all, is no node two real entities, and are shared places linked to GeoNames?

A node is an IRI: article graphs merge by IRI alone (DESIGN.md), so the store holding every article
is the union of their graphs and one IRI is one node in it. Real entities come from the gold, not
from the system: gold actors and places of different articles are one real entity when they share
a kind and one's canonical name is among the other's names, or is the same name spelt one letter
apart or as its initials ("Hizbollah", "EU"), or both name the same state body of one country in
other words ("Israeli army", "Israeli military": kg/data/identity.json), within the scope `_slot`
gives (a country is one entity whether a gold file lists it as an actor or as a place). Without
these, gold files that spell one group two ways made one node look like a wrong merge.

A real entity's nodes are
- the nodes its gold entries were aligned with, article by article (the one-to-one matching of
  kg evaluate), and
- for actors, any other node of the same article that bears a name the article's gold gives this
  real entity and no other (a "monitor" alias on the Islamic State's node, "pro-government forces"
  on a second node beside the army's), which the one-to-one matching would hide.
Places are aligned only: a place's gold aliases are surface forms the text also uses for its
neighbours ("Hama" for the province beside the city of Hama), so a shared name proves nothing.

Figures: one node = share of real entities found in two or more articles with exactly one node;
wrong merges = nodes that are two or more real entities; GeoNames = share of real places named in
two or more articles whose node carries owl:sameAs to sws.geonames.org (not found counts as not
linked).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kg.graph.clusters import DisjointSets
from kg.ops.evaluation.names import gold_names, norm_name

Key = tuple[str, str, str, str]  # (theatre, kind, gold type, canonical name folded)


@dataclass
class Entry:
    """One gold actor or place of one article, with what the system made of it there."""
    article: str
    kind: str  # actor | place | country
    theatre: str
    type: str
    name: str
    names: set[str]
    node: str | None  # the node it was aligned with in its article, if any
    real: int = -1


@dataclass
class ArticleView:
    """What identity needs of one scored article: its gold entries and its nodes' names."""
    name: str
    entries: list[Entry]
    node_names: dict[str, set[str]] = field(default_factory=dict)


def article_view(article: str, gold: dict[str, Any], result: dict[str, Any], view: dict[str, Any]) -> ArticleView:
    """Gold entries of one article and its nodes' folded names, from score_article's `identity`."""
    theatre = gold.get("theatre") or ""
    entries = []
    for kind, name, (_, typ), names, node in result["identity"]:
        kind = "country" if typ == "Country" else kind
        entries.append(Entry(article, kind, theatre, typ or "", name, set(names), node))
    node_names = {n: {norm_name(x) for x in it.names} for part in ("actors", "places") for n, it in view[part].items()}
    return ArticleView(article, entries, node_names)


def _slot(e: Entry) -> tuple[str, ...]:
    """Where an entry's real entity may be found. A proper name is one entity wherever it is told
    (Mosul in a Syrian article is Mosul; the UN, AFP), whatever gold type the annotators gave an
    actor ("Afghan forces": Army or StateForce); a place keeps its gold type (the gold calls a
    province "Hama" beside the city of Hama); a lower-case side ("rebels", "civilians") is one
    entity within its theatre only."""
    scope = "" if any(c.isupper() for c in e.name) else e.theatre
    if e.kind == "place":
        return (e.kind, e.type, scope)
    return (e.kind, scope)


@lru_cache(maxsize=1)
def _identity_data() -> tuple[dict[str, str], int]:
    from kg.nlp.lexicon import load_json
    d = load_json("identity.json")
    roles = {norm_name(w): role for role, words in d["state_roles"].items() for w in words}
    return roles, int(d["min_spelling"])


def state_body(e: Entry) -> tuple[str, str] | None:
    """(country, role) of a gold actor named '<nationality or country> <role word>' ("Pakistan
    Army", "Pakistani army", "Israeli military"): one state body, however the annotator worded it."""
    from kg.nlp.lexicon import country_words, nationality_words
    roles, _ = _identity_data()
    words = norm_name(e.name).split()
    for k in (1, 2):
        head, rest = " ".join(words[:k]), " ".join(words[k:])
        cc = nationality_words().get(head) or country_words().get(head)
        if cc and rest in roles:
            return cc, roles[rest]
    return None


def _one_letter_apart(a: str, b: str) -> bool:
    """'hezbollah' / 'hizbollah', 'raqa' / 'raqqa' (at min_spelling letters or more): one substitution,
    insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < _identity_data()[1]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w not in ("of", "the", "and", "for"))


def same_real(ex: Entry, ey: Entry) -> bool:
    """Whether two gold entries of one slot are one real entity: one's name among the other's
    names, the same name spelt one letter apart or as its initials ("EU", "European Union"), or
    the same state body of the same country."""
    nx, ny = norm_name(ex.name), norm_name(ey.name)
    if nx in ey.names or ny in ex.names:
        return True
    if ex.kind == "place":
        return _one_letter_apart(nx.replace(" ", ""), ny.replace(" ", ""))
    if any(c.isupper() for c in ex.name) and any(c.isupper() for c in ey.name):
        sx, sy = nx.replace(" ", ""), ny.replace(" ", "")
        if _one_letter_apart(sx, sy) or (len(sx) <= 5 and " " not in nx and sx == _initials(ny)) \
                or (len(sy) <= 5 and " " not in ny and sy == _initials(nx)):
            return True
    bx = state_body(ex)
    return bx is not None and bx == state_body(ey)


def group_real(entries: list[Entry]) -> int:
    """Give every entry its real entity (entry.real); returns how many real entities there are."""
    sets = DisjointSets(len(entries))
    by_slot: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, e in enumerate(entries):
        by_slot[_slot(e)].append(i)
    for idx in by_slot.values():
        for x in idx:
            for y in idx:
                if x < y and same_real(entries[x], entries[y]):
                    sets.join(x, y)
    roots: dict[int, int] = {}
    for i, e in enumerate(entries):
        e.real = roots.setdefault(sets.find(i), len(roots))
    return len(roots)


def _distinctive(entries: list[Entry]) -> dict[tuple[str, str], int]:
    """(article, folded name) -> the one real actor that the article's gold gives that name."""
    owners: dict[tuple[str, str], set[int]] = defaultdict(set)
    for e in entries:
        if e.kind != "place":
            for n in e.names:
                owners[(e.article, n)].add(e.real)
    return {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}


def nodes_of_reals(views: list[ArticleView]) -> dict[int, set[str]]:
    """Real entity -> its nodes (aligned, plus the actor nodes bearing a name only it has)."""
    entries = [e for v in views for e in v.entries]
    distinctive = _distinctive(entries)
    nodes: dict[int, set[str]] = defaultdict(set)
    for e in entries:
        if e.node:
            nodes[e.real].add(e.node)
    for v in views:
        for node, names in v.node_names.items():
            for n in names:
                real = distinctive.get((v.name, n))
                if real is not None:
                    nodes[real].add(node)
    return nodes


def identity_figures(views: list[ArticleView], geonames_linked: set[str]) -> dict[str, Any]:
    """The three identity figures and their details (which entities split, which nodes merge)."""
    entries = [e for v in views for e in v.entries]
    group_real(entries)
    nodes = nodes_of_reals(views)
    label: dict[int, str] = {}
    articles: dict[int, set[str]] = defaultdict(set)
    found_in: dict[int, set[str]] = defaultdict(set)
    kinds: dict[int, str] = {}
    for e in entries:
        label.setdefault(e.real, f"{e.kind} {e.name} ({e.theatre})")
        articles[e.real].add(e.article)
        kinds[e.real] = e.kind
        if e.node:
            found_in[e.real].add(e.article)
    shared = [r for r in articles if len(articles[r]) > 1]
    found = [r for r in shared if len(found_in[r]) > 1]
    one = [r for r in found if len(nodes[r]) == 1]
    reals_of: dict[str, set[int]] = defaultdict(set)
    for r, ns in nodes.items():
        for n in ns:
            reals_of[n].add(r)
    merged = {n: sorted(label[r] for r in rs) for n, rs in sorted(reals_of.items()) if len(rs) > 1}
    places = [r for r in shared if kinds[r] in ("place", "country")]
    linked = [r for r in places if nodes[r] & geonames_linked]
    return {
        "real_entities_in_several_articles": len(shared),
        "found_in_several_articles": len(found),
        "one_node": len(one) / len(found) if found else None,
        "split": {label[r]: sorted(nodes[r]) for r in found if len(nodes[r]) > 1},
        "wrong_merges": len(merged),
        "merged": merged,
        "places_in_several_articles": len(places),
        "geonames_linked": len(linked) / len(places) if places else None,
        "places_not_linked": sorted(label[r] for r in places if r not in linked),
    }


def render_identity(x: dict[str, Any], *, details: bool = True) -> str:
    """Three lines of figures, then (with details) each split entity and each merged node."""
    f = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    lines = [
        f"identity: {f(x['one_node'])} of {x['found_in_several_articles']} real entities found in 2+ articles "
        f"are one node ({x['real_entities_in_several_articles']} named in 2+ articles)",
        f"identity: {x['wrong_merges']} nodes are two or more real entities (wrong merges)",
        f"identity: {f(x['geonames_linked'])} of {x['places_in_several_articles']} places named in 2+ articles "
        f"linked to GeoNames",
    ]
    if details:
        short = lambda i: i.rsplit("/id/", 1)[-1]  # noqa: E731
        lines += [f"  split: {k}: " + ", ".join(short(n) for n in v) for k, v in x["split"].items()]
        lines += [f"  merged: {short(n)}: " + "; ".join(v) for n, v in x["merged"].items()]
        lines += [f"  not linked: {p}" for p in x["places_not_linked"]]
    return "\n".join(lines)


def evaluate_identity(folder: Any) -> dict[str, Any]:
    """Extract every annotated article of a folder, align each with its gold alone, load all of
    them into one memory store, and compute the identity figures over that store."""
    from kg.graph.rdf import graph_triples
    from kg.nlp.extract import extract
    from kg.ops.evaluate import _annotated
    from kg.ops.evaluation.score import score_article
    from kg.ops.evaluation.view import system_view
    from kg.sparql.internal import prefixed_query
    from kg.store.memory import MemoryStore

    annotated = _annotated(folder)
    union = MemoryStore()
    views = []
    for (name, gold, _), ex in zip(annotated, extract([a for _, _, a in annotated])):
        triples = list(graph_triples(ex))
        alone = MemoryStore()
        alone.put_graph("urn:article", triples)
        view = system_view(alone)
        views.append(article_view(name, gold, score_article(gold, view), view))
        union.put_graph(f"urn:article:{len(views)}", triples)
    linked = {row[0].value for row in union.query(prefixed_query("evaluate-geonames")).rows}
    return {"articles": len(views), **identity_figures(views, linked)}

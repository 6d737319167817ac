"""`kg evaluate`: score the graph built from annotated articles against their gold annotations.

The graph, not the extractor's internals, is what is scored: each article is extracted, mapped to
RDF and loaded into an in-memory Oxigraph store, and the system's view (actors, places, events,
control, support, sources) is read back with SPARQL. Gold format: ../shared/corpus/GOLD-SCHEMA.md.

Matching rules (documented because numbers mean nothing without them):
- names match after folding case, diacritics, quotes, a leading "the", the Arabic article
  (al-/el-/ad-/ar-...), punctuation and a trailing "'s"; any system name (label or altLabel) against
  any gold name (name or alias); each gold item matches at most one system node (greedy on
  name overlap, then type agreement);
- actors: every system node of an actor class, plus countries that act (agent, target, supporter,
  source, controller); places: every place node mentioned in the article;
- countries: (actor, country) pairs of matched actors; typing: share of matched actors and places
  whose class equals the gold type (StateForce <- ckg:StateForce/ArmedForce, Police <- ckg:Police/
  SecurityForce);
- events: lenient = same class and (same place or a shared agent); strict = same class, same place
  (or both none) and a shared agent (or both none);
- control, support: pairs of matched ends; sources: cited actors (ckg:citesSource, ckg:reportedBy);
- hierarchy: matched gold places with an "in" whose system node reaches the matched enclosing place
  through ckg:locatedIn+; fatalities and dates: leniently matched events whose gold value is set;
- splits: system nodes per gold actor or place that matched any (1.0 is ideal).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.model.text import strip_marks
from kg.model.vocab import sparql_prefixes

CATEGORIES = ["actors", "places", "countries", "events", "events_strict", "control", "support", "sources"]
ACCURACIES = ["typing", "hierarchy", "fatalities", "dates"]
GOLD_TYPE_OF = {
    "StateForce": "StateForce", "ArmedForce": "StateForce", "SecurityForce": "Police", "Police": "Police",
}


class EvaluationError(Exception):
    """The gold folder cannot be evaluated (missing, empty, malformed gold file)."""


def norm_name(text: str) -> str:
    t = strip_marks(text or "").lower()
    t = re.sub(r"[’‘`´ʿʾ']s\b", "", t)
    t = re.sub(r"[’‘`´ʿʾ'\".,()\[\]]", "", t)
    t = re.sub(r"[-_/]", " ", t)
    t = re.sub(r"^(the|a|an)\s+", "", t.strip())
    t = re.sub(r"\b(al|el|ad|ar|as|at|az|an|ash|ath)\s+(?=\w)", "", t)
    return re.sub(r"\s+", " ", t).strip()


@dataclass
class SysItem:
    node: str
    names: set[str]
    cls: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Counts:
    tp: int = 0
    sys: int = 0
    gold: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.sys += other.sys
        self.gold += other.gold

    @property
    def p(self) -> float | None:
        return self.tp / self.sys if self.sys else None

    @property
    def r(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.p, self.r
        if p is None and r is None:
            return None
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Acc:
    ok: int = 0
    n: int = 0

    def add(self, other: "Acc") -> None:
        self.ok += other.ok
        self.n += other.n

    @property
    def value(self) -> float | None:
        return self.ok / self.n if self.n else None


# -- the system's view, read back from the graph --------------------------------------------------
_Q_ACTORS = """
SELECT ?x ?cls ?name ?country WHERE {
  ?x a ?c . ?c rdfs:subClassOf* ckg:Actor . FILTER(STRSTARTS(STR(?c), STR(ckg:)))
  BIND(STRAFTER(STR(?c), "#") AS ?cls)
  { ?x rdfs:label ?name } UNION { ?x skos:altLabel ?name }
  OPTIONAL { ?x ckg:country ?cn . ?cn rdfs:label ?country }
}"""
_Q_ACTING = """
SELECT DISTINCT ?x WHERE {
  { ?e ckg:agent|ckg:target|ckg:supporter|ckg:reportedBy ?x } UNION { ?a ckg:citesSource ?x }
  UNION { ?x ckg:controls ?p } UNION { ?x ckg:supports ?y } UNION { ?y ckg:supports ?x }
}"""
_Q_PLACES = """
SELECT ?x ?cls ?name WHERE {
  ?x a ?c ; ckg:mentionedIn ?art . ?c rdfs:subClassOf* ckg:Place . FILTER(STRSTARTS(STR(?c), STR(ckg:)))
  BIND(STRAFTER(STR(?c), "#") AS ?cls)
  { ?x rdfs:label ?name } UNION { ?x skos:altLabel ?name }
}"""
_Q_LOCATED = "SELECT ?x ?y WHERE { ?x ckg:locatedIn+ ?y }"
_Q_ALL_PLACES = """
SELECT ?x ?name WHERE {
  ?x a ?c . ?c rdfs:subClassOf* ckg:Place . FILTER(STRSTARTS(STR(?c), STR(ckg:)))
  { ?x rdfs:label ?name } UNION { ?x skos:altLabel ?name }
}"""
_Q_EVENTS = """
SELECT ?e ?cls ?place ?date ?fat ?role ?actor WHERE {
  ?e a ?c ; ckg:evidence ?ev . ?c rdfs:subClassOf* ckg:Event . FILTER(?c != ckg:Event && STRSTARTS(STR(?c), STR(ckg:)))
  BIND(STRAFTER(STR(?c), "#") AS ?cls)
  OPTIONAL { ?e ckg:place ?place }
  OPTIONAL { ?e ckg:date ?date }
  OPTIONAL { ?e ckg:fatalities ?fat }
  OPTIONAL { VALUES ?rp { ckg:agent ckg:target ckg:supporter } ?e ?rp ?actor BIND(STRAFTER(STR(?rp), "#") AS ?role) }
}"""
_Q_PAIRS = "SELECT DISTINCT ?s ?o WHERE { ?s ckg:PRED ?o }"
_Q_SOURCES = "SELECT DISTINCT ?x WHERE { { ?a ckg:citesSource ?x } UNION { ?e ckg:reportedBy ?x } }"


def system_view(store) -> dict[str, Any]:
    """Actors, places, events and relations of a store, in plain Python, for scoring."""
    P = sparql_prefixes()

    def rows(q: str, bindings: dict | None = None):
        return store.query(P + q, bindings).rows

    def v(t):
        return None if t is None else t.value

    acting = {v(r[0]) for r in rows(_Q_ACTING)}
    actors: dict[str, SysItem] = {}
    for x, cls, name, country in rows(_Q_ACTORS):
        node = v(x)
        it = actors.setdefault(node, SysItem(node, set(), v(cls)))
        if v(cls) != "Country":
            it.cls = v(cls)
        it.names.add(v(name))
        if country is not None:
            it.extra["country"] = v(country)
    actors = {k: a for k, a in actors.items() if a.cls != "Country" or k in acting}
    places: dict[str, SysItem] = {}
    for x, cls, name in rows(_Q_PLACES):
        it = places.setdefault(v(x), SysItem(v(x), set(), v(cls)))
        if v(cls) not in ("Place",):
            it.cls = v(cls)
        it.names.add(v(name))
    all_places: dict[str, set[str]] = defaultdict(set)
    for x, name in rows(_Q_ALL_PLACES):
        all_places[v(x)].add(norm_name(v(name)))
    located: dict[str, set[str]] = defaultdict(set)
    for x, y in rows(_Q_LOCATED):
        located[v(x)].add(v(y))
    events: dict[str, dict[str, Any]] = {}
    for e, cls, place, date, fat, role, actor in rows(_Q_EVENTS):
        ev = events.setdefault(v(e), {"cls": set(), "place": v(place), "date": v(date),
                                      "fatalities": int(v(fat)) if fat is not None else None,
                                      "agent": set(), "target": set(), "supporter": set()})
        ev["cls"].add(v(cls))
        if role is not None:
            ev[v(role)].add(v(actor))
    control = {(v(s), v(o)) for s, o in rows(_Q_PAIRS.replace("PRED", "controls"))}
    support = {(v(s), v(o)) for s, o in rows(_Q_PAIRS.replace("PRED", "supports"))}
    sources = {v(r[0]) for r in rows(_Q_SOURCES)}
    return {"actors": actors, "places": places, "all_places": all_places, "located": located, "events": events,
            "control": control, "support": support, "sources": sources}


# -- matching -----------------------------------------------------------------------------------
def _gold_names(item: dict[str, Any]) -> set[str]:
    return {norm_name(n) for n in [item.get("name", ""), *(item.get("aliases") or [])] if n}


def _match(gold: list[dict[str, Any]], system: dict[str, SysItem], type_of=lambda c: c) -> tuple[dict[int, str], dict[int, list[str]]]:
    """Greedy one-to-one matching gold index -> system node; also every node sharing a name (splits)."""
    sys_names = {k: {norm_name(n) for n in it.names} for k, it in system.items()}
    cands = []
    touching: dict[int, list[str]] = defaultdict(list)
    for gi, g in enumerate(gold):
        gn = _gold_names(g)
        canon = norm_name(g.get("name", ""))
        for node, names in sys_names.items():
            shared = gn & names
            if not shared:
                continue
            touching[gi].append(node)
            score = len(shared) + (2 if canon in names else 0) + (3 if type_of(system[node].cls) == g.get("type") else 0)
            cands.append((score, gi, node))
    cands.sort(key=lambda x: (-x[0], x[1], x[2]))
    out: dict[int, str] = {}
    used: set[str] = set()
    for _, gi, node in cands:
        if gi in out or node in used:
            continue
        out[gi] = node
        used.add(node)
    return out, touching


def _actor_type(cls: str) -> str:
    return GOLD_TYPE_OF.get(cls, cls)


def score_article(gold: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    res: dict[str, Any] = {}
    g_actors = list(gold.get("actors") or [])
    g_places = list(gold.get("places") or [])
    a_map, a_touch = _match(g_actors, view["actors"], _actor_type)
    p_map, p_touch = _match(g_places, view["places"])
    res["actors"] = Counts(len(a_map), len(view["actors"]), len(g_actors))
    notes = res.setdefault("notes", [])
    notes += [f'missed actor: {g["name"]} ({g.get("type")})' for i, g in enumerate(g_actors) if i not in a_map]
    notes += [f"extra actor: {sorted(view['actors'][n].names)[0]} ({view['actors'][n].cls})"
              for n in view["actors"] if n not in a_map.values()]
    notes += [f'actor type: {g_actors[i]["name"]} is {view["actors"][n].cls}, gold {g_actors[i].get("type")}'
              for i, n in a_map.items() if _actor_type(view["actors"][n].cls) != g_actors[i].get("type")]
    notes += [f'missed place: {g["name"]} ({g.get("type")})' for i, g in enumerate(g_places) if i not in p_map]
    notes += [f"extra place: {sorted(view['places'][n].names)[0]} ({view['places'][n].cls})"
              for n in view["places"] if n not in p_map.values()]
    res["places"] = Counts(len(p_map), len(view["places"]), len(g_places))
    # countries of actors
    c = Counts()
    for gi, node in a_map.items():
        gc = g_actors[gi].get("country")
        sc = view["actors"][node].extra.get("country")
        c.gold += gc is not None
        c.sys += sc is not None
        c.tp += gc is not None and sc is not None and norm_name(gc) == norm_name(sc) or (
            gc is not None and sc is not None and _same_country(gc, sc))
    res["countries"] = c
    # typing
    typing = Acc()
    for gi, node in a_map.items():
        typing.n += 1
        typing.ok += _actor_type(view["actors"][node].cls) == g_actors[gi].get("type")
    for gi, node in p_map.items():
        typing.n += 1
        typing.ok += view["places"][node].cls == g_places[gi].get("type")
    res["typing"] = typing
    # hierarchy
    hier = Acc()
    gname_to_place = {g["name"]: gi for gi, g in enumerate(g_places)}
    for gi, node in p_map.items():
        parent = g_places[gi].get("in")
        if not parent:
            continue
        hier.n += 1
        if parent in gname_to_place and gname_to_place[parent] in p_map:
            hier.ok += p_map[gname_to_place[parent]] in view["located"].get(node, set())
        else:
            # the enclosing place need not be named in the text: any ancestor node that bears one
            # of its names counts (the gazetteer adds provinces and countries up the chain)
            names = _gold_names(g_places[gname_to_place[parent]]) if parent in gname_to_place else {norm_name(parent)}
            names = {_strip_level(n) for n in names}
            hier.ok += any({_strip_level(x) for x in view["all_places"].get(a, set())} & names
                           for a in view["located"].get(node, set()))
    res["hierarchy"] = hier
    # events
    actor_node = {g["name"]: a_map.get(i) for i, g in enumerate(g_actors)}
    place_node = {g["name"]: p_map.get(i) for i, g in enumerate(g_places)}
    sys_events = view["events"]
    notes: list[str] = res.setdefault("notes", [])
    lenient, strict = Counts(0, len(sys_events), 0), Counts(0, len(sys_events), 0)
    fat, dates = Acc(), Acc()
    gold_events = list(gold.get("events") or [])
    lenient.gold = strict.gold = len(gold_events)
    # Best-first alignment over all (gold, system) pairs, as ACE-style scorers do: a pair that
    # agrees on place and agents is aligned before one that agrees on either, so one loose system
    # event cannot take a gold event from the account that really reports it.
    cand_l: list[tuple[int, int, int, str]] = []
    cand_s: list[tuple[int, int, str]] = []
    for gi_e, ge in enumerate(gold_events):
        gp = place_node.get(ge.get("place")) if ge.get("place") else None
        gagents = {actor_node.get(a) for a in ge.get("agents") or []} - {None}
        for order, (eid, se) in enumerate(sys_events.items()):
            if ge["type"] not in se["cls"]:
                continue
            place_ok = gp is not None and se["place"] == gp
            agent_ok = bool(gagents & se["agent"])
            loose = not ge.get("place") and not gagents and not ge.get("agents")
            if place_ok or agent_ok or loose:
                share = len(gagents & se["agent"]) / len(gagents) if gagents else 0.0
                # ties (equally good on place and agents) go to the account that also agrees on toll and day
                tie = 0.1 * (ge.get("fatalities") is not None and se["fatalities"] == ge.get("fatalities")) \
                    + 0.1 * (bool(ge.get("date")) and se["date"] == ge.get("date"))
                cand_l.append((-(place_ok + agent_ok + share + tie), gi_e, order, eid))
            strict_place = place_ok or (not ge.get("place") and se["place"] is None)
            strict_agent = agent_ok or (not ge.get("agents") and not se["agent"])
            if strict_place and strict_agent:
                cand_s.append((gi_e, order, eid))
    event_map: dict[int, str] = {}
    used_l: set[str] = set()
    for _, gi_e, _, eid in sorted(cand_l):
        if gi_e not in event_map and eid not in used_l:
            event_map[gi_e] = eid
            used_l.add(eid)
    strict_map: dict[int, str] = {}
    for gi_e, _, eid in sorted(cand_s):
        if gi_e not in strict_map and eid not in strict_map.values():
            strict_map[gi_e] = eid
    lenient.tp, strict.tp = len(event_map), len(strict_map)
    for gi_e, ge in enumerate(gold_events):
        desc = f'{ge["type"]} at {ge.get("place")} by {", ".join(ge.get("agents") or []) or "-"}'
        if gi_e not in event_map:
            notes.append(f"missed event: {desc}")
            continue
        se = sys_events[event_map[gi_e]]
        if ge.get("fatalities") is not None:
            fat.n += 1
            fat.ok += se["fatalities"] == ge["fatalities"]
            if se["fatalities"] != ge["fatalities"]:
                notes.append(f'fatalities of {desc}: {se["fatalities"]} for {ge["fatalities"]}')
        if ge.get("date"):
            dates.n += 1
            dates.ok += se["date"] == ge["date"]
            if se["date"] != ge["date"]:
                notes.append(f'date of {desc}: {se["date"]} for {ge["date"]}')
    for eid, se in sys_events.items():
        if eid not in used_l:
            notes.append(f'extra event: {"/".join(sorted(se["cls"]))} at {_short(se["place"])} by '
                         f'{", ".join(_short(a) for a in sorted(se["agent"])) or "-"}')
    res["events"], res["events_strict"], res["fatalities"], res["dates"] = lenient, strict, fat, dates
    res["event_map"] = event_map
    # control, support, sources
    res["control"] = _pairs(
        {(actor_node.get(x["actor"]), place_node.get(x["place"])) for x in gold.get("control") or []}, view["control"])
    res["support"] = _pairs(
        {(actor_node.get(x["supporter"]), actor_node.get(x["supported"])) for x in gold.get("support") or []},
        view["support"])
    g_src = {actor_node.get(s) for s in gold.get("sources") or []}
    res["sources"] = Counts(len({s for s in g_src if s} & view["sources"]), len(view["sources"]), len(gold.get("sources") or []))
    # splits: nodes per real entity
    touched = [len(v) for v in a_touch.values()] + [len(v) for v in p_touch.values()]
    res["split_nodes"] = touched
    # the IRIs each gold entity matched, for identity across articles
    theatre = gold.get("theatre")
    res["identity"] = [("actor", g["name"], (theatre, g.get("type")), tuple(sorted(_gold_names(g))), a_map.get(i))
                       for i, g in enumerate(g_actors)]
    res["identity"] += [("place", g["name"], (theatre, g.get("type")), tuple(sorted(_gold_names(g))), p_map.get(i))
                        for i, g in enumerate(g_places)]
    return res


def cross_article_identity(per_article: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Distinct IRIs per real entity named in two or more articles. Gold entities of two articles
    are the same real entity when their canonical names match, or one's canonical name is among the
    other's aliases, with the same kind, type and theatre ("rebels" in Syria and in Yemen differ)."""
    groups: list[dict[str, Any]] = []
    for art, res in per_article.items():
        for kind, name, typ, names, node in res["identity"]:
            canon = norm_name(name)
            g = next((g for g in groups if g["kind"] == kind and g["type"] == typ and
                      (canon in g["names"] or g["canon"] & set(names))), None)
            if g is None:
                g = {"kind": kind, "type": typ, "label": name, "canon": set(), "names": set(), "articles": set(), "iris": set()}
                groups.append(g)
            g["canon"].add(canon)
            g["names"].update(names)
            g["articles"].add(art)
            if node:
                g["iris"].add(node)
    shared = [g for g in groups if len(g["articles"]) > 1 and g["iris"]]
    return {
        "entities": len(shared),
        "iris_per_entity": sum(len(g["iris"]) for g in shared) / len(shared) if shared else None,
        "split": {f'{g["kind"]} {g["label"]}': sorted(g["iris"]) for g in shared if len(g["iris"]) > 1},
    }


def _short(iri: str | None) -> str:
    return "-" if iri is None else iri.rsplit("/id/", 1)[-1]


def _strip_level(name: str) -> str:
    """'aleppo province', 'province of aleppo', 'northwest region' -> the bare name."""
    t = re.sub(r"^(province|governorate|region|state|district|city|county) of ", "", name)
    return re.sub(r" (province|governorate|region|state|district|city|county|oblast)$", "", t)


def _same_country(a: str, b: str) -> bool:
    aliases = {"united kingdom": "britain", "uk": "britain", "great britain": "britain", "united states": "us",
               "usa": "us", "united states of america": "us", "democratic republic of congo": "dr congo",
               "democratic republic of the congo": "dr congo"}
    na, nb = norm_name(a), norm_name(b)
    return aliases.get(na, na) == aliases.get(nb, nb)


def _pairs(gold: set[tuple[str | None, str | None]], system: set[tuple[str, str]]) -> Counts:
    return Counts(len({p for p in gold if None not in p} & system), len(system), len(gold))


# -- running ------------------------------------------------------------------------------------
def evaluate_dir(folder: Path) -> dict[str, Any]:
    """Extract every NAME.txt that has NAME.gold.json, score it; totals micro-averaged."""
    if not folder.is_dir():
        raise EvaluationError(f"{folder}: not a folder")
    pairs = []
    for txt in sorted(folder.glob("*.txt")):
        gold_path = txt.with_name(txt.stem + ".gold.json")
        if gold_path.exists():
            pairs.append((txt, gold_path))
    if not pairs:
        raise EvaluationError(f"{folder}: no NAME.txt with NAME.gold.json")
    import pyoxigraph as ox

    from kg.nlp.extract import extract
    from kg.graph.rdf import graph_triples
    from kg.read.readers import InputError, article_from_text, decode_bytes, parse_date
    from kg.store.embedded import EmbeddedStore  # noqa: F401  (same query semantics as the real store)

    arts, golds = [], []
    for txt, gp in pairs:
        try:
            gold = json.loads(gp.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise EvaluationError(f"{gp}: malformed gold file ({e})") from None
        try:
            text = decode_bytes(txt.read_bytes(), str(txt))
            published = parse_date(gold.get("published")) if gold.get("published") else None
        except InputError as e:
            raise EvaluationError(str(e)) from None
        arts.append(article_from_text(text, source=str(txt), outlet=gold.get("outlet"), published=published))
        golds.append(gold)
    per_article: dict[str, dict[str, Any]] = {}
    for (txt, _), gold, ex in zip(pairs, golds, extract(arts)):
        mem = _MemoryStore()
        mem.put(graph_triples(ex))
        view = system_view(mem)
        per_article[txt.stem] = score_article(gold, view)
    return _summarise(per_article)


class _MemoryStore:
    """The minimal store surface system_view needs, over an in-memory Oxigraph."""

    def __init__(self) -> None:
        import pyoxigraph as ox

        from kg.runtime.resources import shipped

        self.db = ox.Store()
        self.db.load(path=str(shipped("ontology", "ckg.ttl")), format=ox.RdfFormat.TURTLE,
                     to_graph=ox.NamedNode("https://w3id.org/conflict-kg/ontology"))

    def put(self, quads) -> None:
        import pyoxigraph as ox

        g = ox.NamedNode("urn:article")
        self.db.extend([ox.Quad(q.subject, q.predicate, q.object, g) for q in quads])

    def query(self, q: str, bindings: dict | None = None):
        import pyoxigraph as ox

        from kg.store.base import QueryResult

        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()} or None
        res = self.db.query(q, use_default_graph_as_union=True, substitutions=subs)
        variables = [v.value for v in res.variables]
        return QueryResult("select", variables, [[s[v] for v in variables] for s in res])


def _summarise(per_article: dict[str, dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {k: Counts() for k in CATEGORIES}
    total.update({k: Acc() for k in ACCURACIES})
    splits: list[int] = []
    for res in per_article.values():
        for k in CATEGORIES:
            total[k].add(res[k])
        for k in ACCURACIES:
            total[k].add(res[k])
        splits += res["split_nodes"]

    def flat(res: dict[str, Any], split: list[int]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k in CATEGORIES:
            c = res[k]
            out[k] = {"p": c.p, "r": c.r, "f1": c.f1, "tp": c.tp, "sys": c.sys, "gold": c.gold}
        for k in ACCURACIES:
            out[k] = {"accuracy": res[k].value, "ok": res[k].ok, "n": res[k].n}
        out["nodes_per_entity"] = sum(split) / len(split) if split else None
        if "notes" in res:
            out["notes"] = res["notes"]
        out["split_entities"] = sum(1 for s in split if s > 1)
        return out

    return {
        "articles": {name: flat(res, res["split_nodes"]) for name, res in per_article.items()},
        "total": flat(total, splits),
        "cross_article": cross_article_identity(per_article),
    }


def render_explanations(report: dict[str, Any]) -> str:
    """Every disagreement with the gold, article by article: what to look at first."""
    out = []
    for name, r in report["articles"].items():
        if r.get("notes"):
            out.append(f"== {name}")
            out += [f"   {n}" for n in r["notes"]]
    return "\n".join(out)


def render_report(report: dict[str, Any], *, per_article: bool = True) -> str:
    def f(x: float | None) -> str:
        return "  -  " if x is None else f"{x:.2f}"

    cols = ["actors", "places", "countries", "events", "events_strict", "control", "support", "sources"]
    accs = ["typing", "hierarchy", "fatalities", "dates"]
    head = ["article"] + [c.replace("events_strict", "ev-strict") for c in cols] + accs + ["nodes/ent"]
    rows = []
    items = list(report["articles"].items()) if per_article else []
    for name, r in items + [("TOTAL (F1 / accuracy)", report["total"])]:
        rows.append([name[:38]] + [f(r[c]["f1"]) for c in cols] + [f(r[a]["accuracy"]) for a in accs]
                    + [f(r["nodes_per_entity"])])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    fmt = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    lines = [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]
    t = report["total"]
    lines.append("")
    lines.append("precision / recall: " + ", ".join(f"{c} {f(t[c]['p'])}/{f(t[c]['r'])}" for c in cols))
    x = report.get("cross_article") or {}
    if x.get("entities"):
        lines.append(f"identity across articles: {x['entities']} real entities named in 2+ articles, "
                     f"{f(x['iris_per_entity'])} IRIs each (1.00 is ideal)")
        for name, iris in x["split"].items():
            lines.append(f"  split: {name}: " + ", ".join(i.rsplit('/id/', 1)[-1] for i in iris))
    return "\n".join(lines)


# -- event merging across articles --------------------------------------------------------------
def gold_real_events(golds: dict[str, dict[str, Any]]) -> dict[tuple[str, int], int]:
    """Group the gold events of several articles into real events, as an analyst would:
    same event type; places equal, nested (through the gold "in" fields) or one unknown; dates
    equal or one unknown; agents shared or one side unnamed; never two events of one article.
    Strongest pairs (same place) join first. Returns (article, event index) -> real event id."""
    parent_of: dict[str, set[str]] = defaultdict(set)
    countries: set[str] = set()
    for g in golds.values():
        for p in g.get("places") or []:
            if p.get("in"):
                parent_of[p["name"]].add(p["in"])
            if p.get("type") == "Country":
                countries.add(p["name"])

    def ancestors(name: str) -> set[str]:
        out, todo = set(), [name]
        while todo:
            for up in parent_of.get(todo.pop(), ()):
                if up not in out:
                    out.add(up)
                    todo.append(up)
        return out

    items = [(art, i, e) for art, g in sorted(golds.items()) for i, e in enumerate(g.get("events") or [])]
    pairs = []
    for x in range(len(items)):
        for y in range(x + 1, len(items)):
            (a1, i1, e1), (a2, i2, e2) = items[x], items[y]
            if a1 == a2 or e1["type"] != e2["type"]:
                continue
            raw1, raw2 = e1.get("place"), e2.get("place")
            p1, p2 = (None if raw1 in countries else raw1), (None if raw2 in countries else raw2)  # a country says little
            if p1 and p2:
                strength = 3 if p1 == p2 else 2 if (p1 in ancestors(p2) or p2 in ancestors(p1)) else 0
            else:
                strength = 1.5 if raw1 and raw1 == raw2 else 1  # little, but the same country beats none
            d1, d2 = e1.get("date"), e2.get("date")
            ag1, ag2 = set(e1.get("agents") or []), set(e2.get("agents") or [])
            if not strength or (d1 and d2 and d1 != d2) or (ag1 and ag2 and not ag1 & ag2):
                continue
            pairs.append((-strength, x, y))
    parent = list(range(len(items)))
    arts = {k: {items[k][0]} for k in range(len(items))}

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for _, x, y in sorted(pairs):
        rx, ry = find(x), find(y)
        if rx != ry and not arts[rx] & arts[ry]:
            parent[ry] = rx
            arts[rx] |= arts.pop(ry)
    return {(items[k][0], items[k][1]): find(k) for k in range(len(items))}


def evaluate_merging(folder: Path, *, window: int = 1, threshold: float = 0.6) -> dict[str, Any]:
    """Load every annotated article of a folder into one temporary store, run kg merge, and score
    the grouping pairwise against gold_real_events (over gold events the extractor found)."""
    import tempfile

    from kg.nlp.extract import extract
    from kg.ops.ingest import article_graph_iri
    from kg.ops.merge import merge_store
    from kg.graph.rdf import graph_triples
    from kg.read.readers import article_from_text, decode_bytes, parse_date
    from kg.store.embedded import EmbeddedStore
    from kg.model.vocab import MERGED_GRAPH

    golds, arts = {}, []
    for txt in sorted(folder.glob("*.txt")):
        gp = txt.with_name(txt.stem + ".gold.json")
        if not gp.exists():
            continue
        gold = json.loads(gp.read_text(encoding="utf-8"))
        golds[txt.stem] = gold
        published = parse_date(gold["published"]) if gold.get("published") else None
        arts.append((txt.stem, article_from_text(decode_bytes(txt.read_bytes(), str(txt)), source=str(txt),
                                                 outlet=gold.get("outlet"), published=published)))
    if not golds:
        raise EvaluationError(f"{folder}: no NAME.txt with NAME.gold.json")
    account_of: dict[tuple[str, int], str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        for (name, art), ex in zip(arts, extract([a for _, a in arts])):
            store.put_graph(article_graph_iri(art), graph_triples(ex))
            mem = _MemoryStore()
            mem.put(graph_triples(ex))
            scored = score_article(golds[name], system_view(mem))
            for gi, iri in scored["event_map"].items():
                account_of[(name, gi)] = iri
        report = merge_store(store, window=window, threshold=threshold)
        rows = store.query(sparql_prefixes() + f"SELECT ?m ?a WHERE {{ GRAPH <{MERGED_GRAPH}> {{ ?m ckg:hasAccount ?a }} }}").rows
        merged_of = {a.value: m.value for m, a in rows}
        store.close()
    real = gold_real_events(golds)
    keys = sorted(real)
    tp = fp = fn = fn_found = 0
    for x in range(len(keys)):
        for y in range(x + 1, len(keys)):
            k1, k2 = keys[x], keys[y]
            if k1[0] == k2[0]:
                continue
            same_gold = real[k1] == real[k2]
            a1, a2 = account_of.get(k1), account_of.get(k2)
            same_sys = a1 is not None and a2 is not None and merged_of.get(a1) == merged_of.get(a2)
            tp += same_gold and same_sys
            fp += same_sys and not same_gold
            fn += same_gold and not same_sys
            fn_found += same_gold and not same_sys and a1 is not None and a2 is not None
    multi = defaultdict(set)
    for k, r in real.items():
        multi[r].add(k)
    shared = {r: ks for r, ks in multi.items() if len({k[0] for k in ks}) > 1}
    per_event = {}
    for r, ks in shared.items():
        ms = {merged_of.get(account_of[k]) for k in ks if k in account_of}
        per_event[r] = len(ms - {None})
    return {
        "pairwise_precision": tp / (tp + fp) if tp + fp else None,
        "pairwise_recall": tp / (tp + fn) if tp + fn else None,
        "pairwise_recall_of_found_events": tp / (tp + fn_found) if tp + fn_found else None,
        "gold_events_found": f"{len(account_of)}/{len(real)}",
        "real_events_in_several_articles": len(shared),
        "merged_events_per_shared_real_event": per_event,
        "accounts": report.accounts, "merged_events": report.merged_events,
        "pairs_scored": report.pairs_scored, "merge_seconds": round(report.seconds, 3),
    }

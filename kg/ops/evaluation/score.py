"""Scoring one article: gold actors and places matched to system nodes, then each category
counted over the matches (the rules are in kg/ops/evaluate.py's docstring)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from kg.ops.evaluation.align import one_to_one, score_events
from kg.ops.evaluation.counts import Acc, Counts
from kg.ops.evaluation.names import gold_names, norm_name, same_country, strip_level
from kg.ops.evaluation.view import SysItem

# gold actor types that the graph refines: a gold StateForce may be any of the state's forces
GOLD_TYPE_OF = {
    "StateForce": "StateForce", "ArmedForce": "StateForce", "SecurityForce": "Police", "Police": "Police",
}


def actor_type(cls: str) -> str:
    return GOLD_TYPE_OF.get(cls, cls)


def match(gold: list[dict[str, Any]], system: dict[str, SysItem],
          type_of: Callable[[str], str] = lambda c: c) -> tuple[dict[int, str], dict[int, list[str]]]:
    """Greedy one-to-one matching gold index -> system node; also every node sharing a name (splits)."""
    sys_names = {k: {norm_name(n) for n in it.names} for k, it in system.items()}
    cands = []
    touching: dict[int, list[str]] = defaultdict(list)
    for gi, g in enumerate(gold):
        gn = gold_names(g)
        canon = norm_name(g.get("name", ""))
        for node, names in sys_names.items():
            shared = gn & names
            if not shared:
                continue
            touching[gi].append(node)
            score = len(shared) + (2 if canon in names else 0) + (3 if type_of(system[node].cls) == g.get("type") else 0)
            cands.append((score, gi, node))
    cands.sort(key=lambda x: (-x[0], x[1], x[2]))
    return one_to_one((gi, node) for _, gi, node in cands), touching


def score_article(gold: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """Every category's counts for one article, its notes (disagreements with the gold), the
    event alignment, split counts and the IRIs each gold entity matched."""
    g_actors = list(gold.get("actors") or [])
    g_places = list(gold.get("places") or [])
    a_map, a_touch = match(g_actors, view["actors"], actor_type)
    p_map, p_touch = match(g_places, view["places"])
    res: dict[str, Any] = {
        "actors": Counts(len(a_map), len(view["actors"]), len(g_actors)),
        "notes": _entity_notes(g_actors, a_map, g_places, p_map, view),
        "places": Counts(len(p_map), len(view["places"]), len(g_places)),
        "countries": _countries(g_actors, a_map, view["actors"]),
        "typing": _typing(g_actors, a_map, g_places, p_map, view),
        "hierarchy": _hierarchy(g_places, p_map, view),
    }
    actor_node = {g["name"]: a_map.get(i) for i, g in enumerate(g_actors)}
    place_node = {g["name"]: p_map.get(i) for i, g in enumerate(g_places)}
    res.update(score_events(list(gold.get("events") or []), view["events"], actor_node, place_node, res["notes"]))
    res.update(_relations(gold, view, actor_node, place_node))
    # splits: nodes per real entity
    res["split_nodes"] = [len(v) for v in a_touch.values()] + [len(v) for v in p_touch.values()]
    # the IRIs each gold entity matched, for identity across articles
    theatre = gold.get("theatre")
    res["identity"] = [("actor", g["name"], (theatre, g.get("type")), tuple(sorted(gold_names(g))), a_map.get(i))
                       for i, g in enumerate(g_actors)]
    res["identity"] += [("place", g["name"], (theatre, g.get("type")), tuple(sorted(gold_names(g))), p_map.get(i))
                        for i, g in enumerate(g_places)]
    return res


def _entity_notes(g_actors: list[dict[str, Any]], a_map: dict[int, str], g_places: list[dict[str, Any]],
                  p_map: dict[int, str], view: dict[str, Any]) -> list[str]:
    actors, places = view["actors"], view["places"]
    notes = [f'missed actor: {g["name"]} ({g.get("type")})' for i, g in enumerate(g_actors) if i not in a_map]
    notes += [f"extra actor: {sorted(actors[n].names)[0]} ({actors[n].cls})"
              for n in actors if n not in a_map.values()]
    notes += [f'actor type: {g_actors[i]["name"]} is {actors[n].cls}, gold {g_actors[i].get("type")}'
              for i, n in a_map.items() if actor_type(actors[n].cls) != g_actors[i].get("type")]
    notes += [f'missed place: {g["name"]} ({g.get("type")})' for i, g in enumerate(g_places) if i not in p_map]
    notes += [f"extra place: {sorted(places[n].names)[0]} ({places[n].cls})"
              for n in places if n not in p_map.values()]
    return notes


def _countries(g_actors: list[dict[str, Any]], a_map: dict[int, str], actors: dict[str, SysItem]) -> Counts:
    """(actor, country) pairs of matched actors."""
    c = Counts()
    for gi, node in a_map.items():
        gc = g_actors[gi].get("country")
        sc = actors[node].extra.get("country")
        c.gold += gc is not None
        c.sys += sc is not None
        c.tp += gc is not None and sc is not None and norm_name(gc) == norm_name(sc) or (
            gc is not None and sc is not None and same_country(gc, sc))
    return c


def _typing(g_actors: list[dict[str, Any]], a_map: dict[int, str], g_places: list[dict[str, Any]],
            p_map: dict[int, str], view: dict[str, Any]) -> Acc:
    typing = Acc()
    for gi, node in a_map.items():
        typing.n += 1
        typing.ok += actor_type(view["actors"][node].cls) == g_actors[gi].get("type")
    for gi, node in p_map.items():
        typing.n += 1
        typing.ok += view["places"][node].cls == g_places[gi].get("type")
    return typing


def _hierarchy(g_places: list[dict[str, Any]], p_map: dict[int, str], view: dict[str, Any]) -> Acc:
    """Matched gold places with an "in" whose node reaches the enclosing place's node."""
    hier = Acc()
    index = {g["name"]: gi for gi, g in enumerate(g_places)}
    for gi, node in p_map.items():
        parent = g_places[gi].get("in")
        if not parent:
            continue
        hier.n += 1
        up = view["located"].get(node, set())
        if parent in index and index[parent] in p_map:
            hier.ok += p_map[index[parent]] in up
            continue
        # the enclosing place need not be named in the text: any ancestor node that bears one of
        # its names counts (the gazetteer adds provinces and countries up the chain)
        names = gold_names(g_places[index[parent]]) if parent in index else {norm_name(parent)}
        names = {strip_level(n) for n in names}
        hier.ok += any({strip_level(x) for x in view["all_places"].get(a, set())} & names for a in up)
    return hier


def _relations(gold: dict[str, Any], view: dict[str, Any], actor_node: dict[str, str | None],
               place_node: dict[str, str | None]) -> dict[str, Counts]:
    """Control and support pairs of matched ends; cited sources."""
    control = {(actor_node.get(x["actor"]), place_node.get(x["place"])) for x in gold.get("control") or []}
    support = {(actor_node.get(x["supporter"]), actor_node.get(x["supported"])) for x in gold.get("support") or []}
    g_src = {actor_node.get(s) for s in gold.get("sources") or []}
    return {"control": _pairs(control, view["control"]), "support": _pairs(support, view["support"]),
            "sources": Counts(len({s for s in g_src if s} & view["sources"]), len(view["sources"]),
                              len(gold.get("sources") or []))}


def _pairs(gold: set[tuple[str | None, str | None]], system: set[tuple[str, str]]) -> Counts:
    return Counts(len({p for p in gold if None not in p} & system), len(system), len(gold))

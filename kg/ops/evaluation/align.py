"""Aligning gold items with system items one to one, best first, as ACE-style scorers do: a pair
that agrees on more is aligned before one that agrees on less, so one loose system item cannot take
a gold item from the one that really matches it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.ops.evaluation.names import short
from kg.ops.evaluation.counts import Acc, Counts


def one_to_one(pairs: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Gold index -> system id, taking the pairs in the order given (best first) and skipping
    any whose gold item or system item is already taken."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for gi, node in pairs:
        if gi in out or node in used:
            continue
        out[gi] = node
        used.add(node)
    return out


def score_events(gold_events: list[dict[str, Any]], sys_events: dict[str, dict[str, Any]],
                 actor_node: dict[str, str | None], place_node: dict[str, str | None],
                 notes: list[str]) -> dict[str, Any]:
    """Lenient and strict event counts, toll and date accuracy, and the lenient alignment
    (gold index -> event IRI, which kg evaluate --merging reuses); disagreements go to `notes`."""
    lenient = Counts(0, len(sys_events), len(gold_events))
    strict = Counts(0, len(sys_events), len(gold_events))
    cand_l, cand_s = _candidates(gold_events, sys_events, actor_node, place_node)
    event_map = one_to_one((gi, eid) for _, gi, _, eid in sorted(cand_l))
    strict_map = one_to_one((gi, eid) for gi, _, eid in sorted(cand_s))
    lenient.tp, strict.tp = len(event_map), len(strict_map)
    fat, dates = Acc(), Acc()
    for gi, ge in enumerate(gold_events):
        desc = f'{ge["type"]} at {ge.get("place")} by {", ".join(ge.get("agents") or []) or "-"}'
        if gi not in event_map:
            notes.append(f"missed event: {desc}")
            continue
        se = sys_events[event_map[gi]]
        if ge.get("fatalities") is not None:
            _compare(fat, notes, f"fatalities of {desc}", se["fatalities"], ge["fatalities"])
        if ge.get("date"):
            _compare(dates, notes, f"date of {desc}", se["date"], ge["date"])
    taken = set(event_map.values())
    for eid, se in sys_events.items():
        if eid not in taken:
            notes.append(f'extra event: {"/".join(sorted(se["cls"]))} at {short(se["place"])} by '
                         f'{", ".join(short(a) for a in sorted(se["agent"])) or "-"}')
    return {"events": lenient, "events_strict": strict, "fatalities": fat, "dates": dates, "event_map": event_map}


def _candidates(gold_events: list[dict[str, Any]], sys_events: dict[str, dict[str, Any]],
                actor_node: dict[str, str | None], place_node: dict[str, str | None],
                ) -> tuple[list[tuple[float, int, int, str]], list[tuple[int, int, str]]]:
    """Every (gold, system) pair of one class that may align: leniently, with a rank (lower is
    better: place and agents agree, share of agents, then toll and day as tie-breakers); strictly."""
    cand_l: list[tuple[float, int, int, str]] = []
    cand_s: list[tuple[int, int, str]] = []
    for gi, ge in enumerate(gold_events):
        gp = place_node.get(ge.get("place")) if ge.get("place") else None
        gagents = {actor_node.get(a) for a in ge.get("agents") or []} - {None}
        for order, (eid, se) in enumerate(sys_events.items()):
            if ge["type"] not in se["cls"]:
                continue
            place_ok = gp is not None and se["place"] == gp
            agent_ok = bool(gagents & se["agent"])
            loose = not ge.get("place") and not gagents and not ge.get("agents")
            if place_ok or agent_ok or loose:
                cand_l.append((-_lenient_rank(ge, se, place_ok, agent_ok, gagents), gi, order, eid))
            strict_place = place_ok or (not ge.get("place") and se["place"] is None)
            strict_agent = agent_ok or (not ge.get("agents") and not se["agent"])
            if strict_place and strict_agent:
                cand_s.append((gi, order, eid))
    return cand_l, cand_s


def _lenient_rank(ge: dict[str, Any], se: dict[str, Any], place_ok: bool, agent_ok: bool, gagents: set) -> float:
    share = len(gagents & se["agent"]) / len(gagents) if gagents else 0.0
    # ties (equally good on place and agents) go to the account that also agrees on toll and day
    tie = 0.1 * (ge.get("fatalities") is not None and se["fatalities"] == ge.get("fatalities")) \
        + 0.1 * (bool(ge.get("date")) and se["date"] == ge.get("date"))
    return place_ok + agent_ok + share + tie


def _compare(acc: Acc, notes: list[str], what: str, system: Any, gold: Any) -> None:
    acc.n += 1
    acc.ok += system == gold
    if system != gold:
        notes.append(f"{what}: {system} for {gold}")

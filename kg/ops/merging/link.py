"""Complete-link joining of scored account pairs (the clustering step of kg merge).

Single link - join any two groups one of whose pairs scores high - chains: 4,000 dated reports of
one place and day became one event, each joined through a neighbour it resembled. Here a group may
absorb another only if EVERY pair across them was compared and none rules the other out (a score
of at least `floor`: no conflicting place, class, date or toll), on top of the pair that links
them scoring at least the threshold. A merged event is thus a set of accounts that all agree with
each other, not a path; and since an account is compared with at most NEAR_CAP neighbours, an
event in a crowded block holds at most NEAR_CAP + 1 accounts however many reports there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from kg.graph.clusters import DisjointSets

Pair = tuple[float, int, int]  # (score, i, j), i < j


class Limits(Protocol):
    """What else a join must respect (kg merge: date span, undated accounts), kept by root."""

    def allows(self, ri: int, rj: int) -> bool: ...

    def joined(self, ri: int, rj: int) -> None: ...


def complete_link(n: int, pairs: Iterable[Pair], limits: Limits, *, threshold: float, floor: float,
                  first: Callable[[int, int], bool] = lambda i, j: True) -> DisjointSets:
    """Groups of 0..n-1: pairs at or above `threshold` link best first (the pairs `first` names
    before the others, then by score, ties by index); two groups join only if all their cross
    pairs scored at least `floor` and `limits` allows it (it is told of every join, rj's group
    going under ri)."""
    pairs = list(pairs)
    agree = {(i, j) for s, i, j in pairs if s >= floor}
    sets = DisjointSets(n)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    links = [p for p in pairs if p[0] >= threshold]
    for s, i, j in sorted(links, key=lambda x: (not first(x[1], x[2]), -x[0], x[1], x[2])):
        ri, rj = sets.find(i), sets.find(j)
        if ri == rj or not limits.allows(ri, rj) or not _all_agree(members[ri], members[rj], agree):
            continue
        sets.join(ri, rj)
        limits.joined(ri, rj)
        members[ri] += members.pop(rj)
    return sets


def _all_agree(xs: list[int], ys: list[int], agree: set[tuple[int, int]]) -> bool:
    return all((x, y) in agree if x < y else (y, x) in agree for x in xs for y in ys)

"""Two small graph algorithms that kg merge and the merge evaluation both need: grouping items
into disjoint sets (union-find) and walking a place's enclosing places up the ckg:locatedIn edges.

One implementation, so that the analyst's grouping of gold events (kg/ops/evaluation/merging.py)
and the system's grouping of accounts (kg/ops/merge.py) cannot drift apart in how they join.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Iterable, TypeVar

T = TypeVar("T", bound=Hashable)


class DisjointSets:
    """Union-find over 0..n-1 with path halving. `join(x, y)` makes x's root the root of both, so
    that which id names a group depends only on the order of the joins (the callers' order is
    deterministic, and their output shows the ids)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, x: int, y: int) -> None:
        """Put y's group under x's root (the caller found both roots and decided they may join)."""
        self.parent[self.find(y)] = self.find(x)


def ancestors(start: T, parents: Mapping[T, Iterable[T]]) -> set[T]:
    """Everything above `start` through `parents` (one step at a time, any depth), `start` itself
    only if a cycle leads back to it: what `ckg:locatedIn+` finds."""
    seen: set[T] = set()
    todo = [start]
    while todo:
        for up in parents.get(todo.pop(), ()):
            if up not in seen:
                seen.add(up)
                todo.append(up)
    return seen

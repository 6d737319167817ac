"""A SPARQL query's answer as plain records, independent of the store that produced it.

Why here: the stores (kg/store) produce them and kg/sparql formats them; kg/sparql sits above
kg/store in the layering (docs/architecture.md), so the records live in the bottom layer that
both import. `kg.store.base` re-exports them for older imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class QueryResult:
    """A SELECT result as plain Python values (variables, rows of N-Triples-ish terms or None),
    an ASK boolean, or CONSTRUCT triples; independent of the store that produced it."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)  # Term or None
    boolean: bool | None = None
    triples: list[tuple[Any, Any, Any]] = field(default_factory=list)


@dataclass
class ResultStream:
    """A query's answer as it is computed: `items` yields SELECT rows (lists of terms or None) or
    CONSTRUCT triples (pyoxigraph Triples). For a reader that stops early or checks a budget
    between rows (the endpoint's row limit and time budget) instead of holding every row."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    items: Iterator[Any] = field(default_factory=lambda: iter(()))
    boolean: bool | None = None

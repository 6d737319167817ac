"""The SPARQL that commands run for themselves (kg merge, kg evaluate), kept as .rq files in
kg/sparql/internal/ beside nothing else: readable and testable as queries, not strings in Python,
and out of `kg query --list`, which lists the user's named queries (queries/*.rq) only."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kg.model.vocab import sparql_prefixes

INTERNAL = Path(__file__).resolve().parents[1] / "sparql" / "internal"


@lru_cache(maxsize=None)
def internal_query(name: str) -> str:
    """kg/sparql/internal/<name>.rq with the PREFIX block before it."""
    return sparql_prefixes() + (INTERNAL / f"{name}.rq").read_text(encoding="utf-8")

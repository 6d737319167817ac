"""SPARQL that kg itself runs (store bookkeeping, stats, linking), kept as .rq files in
kg/sparql/internal/ next to the named queries' style instead of inside Python strings: a query is
read, tested and run by another client as it stands.

One templating style: `{{name}}` marks a fill. Fills are text kg builds from its own constants
(IRIs, VALUES lists, N-Triples it serialised), never user input (that goes in as VALUES blocks, see
kg/sparql/named.py). A missing or unused fill is an error, so a renamed marker cannot silently
leave a query half-filled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from kg.model.vocab import sparql_prefixes

_FILL = re.compile(r"\{\{(\w+)\}\}")


@lru_cache(maxsize=None)
def _template(name: str) -> str:
    return (resources.files("kg.sparql") / "internal" / f"{name}.rq").read_text(encoding="utf-8")


def internal_query(name: str, **fills: str) -> str:
    """The text of kg/sparql/internal/<name>.rq with its `{{fill}}` markers replaced."""
    text = _template(name)
    wanted = set(_FILL.findall(text))
    if wanted != set(fills):
        raise KeyError(f"internal query {name}: fills {sorted(wanted)} expected, {sorted(fills)} given")
    return _FILL.sub(lambda m: fills[m.group(1)], text)


def prefixed_query(name: str, **fills: str) -> str:
    """`internal_query` with the PREFIX block of the named queries before it (ckg:, ckr:, rdfs:, ...),
    for the queries written with prefixed names (kg merge, kg evaluate)."""
    return sparql_prefixes() + internal_query(name, **fills)


def iri_list(iris: Iterable[str]) -> str:
    """IRIs as a space-separated list of IRI references (for VALUES and IN)."""
    return " ".join(f"<{i}>" for i in iris)

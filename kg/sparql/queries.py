"""The SPARQL layer's names in one place, for callers written before it was split: named queries
and parameter binding (kg/sparql/named.py), the lexical scanner (kg/sparql/scanner.py) and result
formats (kg/sparql/formats.py). New code imports from those modules."""

from kg.sparql.errors import QueryError
from kg.sparql.formats import format_result, json_term, term_value
from kg.sparql.named import (
    PARAM_TYPES,
    NamedQuery,
    Param,
    bind_params,
    named_queries,
    paged,
    parse_query_file,
    resolve_query,
    run_named,
    to_term,
    with_bindings,
)
from kg.sparql.scanner import is_update

__all__ = [
    "PARAM_TYPES", "NamedQuery", "Param", "QueryError", "bind_params", "format_result", "is_update",
    "json_term", "named_queries", "paged", "parse_query_file", "resolve_query", "run_named",
    "term_value", "to_term", "with_bindings",
]

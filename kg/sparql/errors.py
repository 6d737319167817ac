"""The errors the SPARQL layer raises for a user's mistake (QueryError and its kind for bad files)."""


class QueryError(Exception):
    """A named query or its parameters are wrong: one line for the user (bad usage: exit 2)."""

    exit_code = 2


class QueryFileError(QueryError):
    """A .rq file that cannot be read as SPARQL text (binary, not UTF-8): bad input (exit 1)."""

    exit_code = 1

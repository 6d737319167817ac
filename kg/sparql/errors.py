"""The one error the SPARQL layer raises for a user's mistake."""


class QueryError(Exception):
    """A named query or its parameters are wrong: one line for the user (bad usage: exit 2)."""

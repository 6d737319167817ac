"""conflict-kg: news articles about armed conflict -> an RDF knowledge graph queried with SPARQL.

The package is layered (each layer imports only those below it):
readers -> pipeline/extract -> resolve -> rdf -> store -> ingest/queries -> cli.
"""

__version__ = "0.1.0"

"""Namespace constants shared by every layer that writes or reads the graph.

Kept as plain strings (not rdflib or pyoxigraph terms) so that `kg query` can import them without
pulling in either RDF library's heavier machinery.
"""

from __future__ import annotations

CKG = "https://w3id.org/conflict-kg/ontology#"
CKR = "https://w3id.org/conflict-kg/id/"
ONTOLOGY_GRAPH = "https://w3id.org/conflict-kg/ontology"
MERGED_GRAPH = "https://w3id.org/conflict-kg/merged"
# one deduplicated copy of every actor's and place's descriptive facts (kg/entities.py)
ENTITIES_GRAPH = "https://w3id.org/conflict-kg/entities"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
GEO = "http://www.opengis.net/ont/geosparql#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
WD = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"

PREFIXES: dict[str, str] = {
    "ckg": CKG,
    "ckr": CKR,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "schema": SCHEMA,
    "prov": PROV,
    "geo": GEO,
    "wd": WD,
}

# Classes an extractor may assign. Anything else is a bug: the mapper checks against these.
ACTOR_CLASSES = frozenset(
    {
        "Actor", "StateForce", "ArmedForce", "Army", "AirForce", "Navy", "SecurityForce", "Police",
        "Government", "NonStateArmedGroup", "RebelGroup", "JihadistGroup", "Militia", "Civilians",
        "Monitor", "MediaOutlet", "Person", "Organisation", "Country",
    }
)
PLACE_CLASSES = frozenset(
    {
        "Place", "Country", "Province", "District", "City", "Town", "Village", "Neighbourhood",
        "Region", "Road", "Facility",
    }
)
EVENT_CLASSES = frozenset(
    {
        "Event", "Offensive", "ArmedClash", "Airstrike", "Shelling", "Bombing", "TerritoryCapture",
        "Withdrawal", "AttackOnCivilians", "Killing", "Arrest", "Protest", "Ceasefire",
    }
)


def sparql_prefixes() -> str:
    """The PREFIX block prepended to named queries, so .rq files can stay short."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

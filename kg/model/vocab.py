"""The vocabulary every layer writes and reads the graph in: namespaces, and the ckg classes with
what the ontology says of them.

One Python source for the class lists, read from the ontology itself (ontology/ckg.ttl) so that
a class added there is known everywhere: the class sets, their sub-class closure, the ACLED
mappings (annotations ckg:acledEventType, ckg:acledSubEventType, ckg:acledActorCategory), and the
state / non-state split. What the ontology does not say - which event class wins when one
account has several, which classes kg merge may take for names of one event - is read from
kg/data/events.json ("priority", "merge_families").

Kept as plain strings (not rdflib or pyoxigraph terms), and the Turtle is read with a line scan
on first use, not parsed by an RDF library: `kg query` imports this module for its prefixes and
must start fast (importing it loads only `os`; the class sets are built when first asked for).
"""

from __future__ import annotations

import os

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


def sparql_prefixes() -> str:
    """The PREFIX block prepended to named queries, so .rq files can stay short."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


# -- the ckg classes, as ontology/ckg.ttl declares them -------------------------------------------
class UnknownTerm(KeyError):
    """A ckg term the ontology does not declare (a typo, or a class used before it was added to
    ontology/ckg.ttl): refused, as rdflib's closed namespaces refuse one, instead of being written
    as a node no query finds."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class OntologyClass:
    """What the ontology says of one ckg class that the code needs (a plain class, not a
    dataclass: importing dataclasses costs `kg query` a few milliseconds)."""

    __slots__ = ("name", "parents", "acled_event_types", "acled_sub_event_types", "acled_actor_categories")

    def __init__(self, name: str, parents: tuple[str, ...] = (), acled_event_types: tuple[str, ...] = (),
                 acled_sub_event_types: tuple[str, ...] = (), acled_actor_categories: tuple[str, ...] = ()) -> None:
        self.name = name  # local name below ckg:
        self.parents = parents  # direct ckg super-classes (external ones left out)
        self.acled_event_types = acled_event_types
        self.acled_sub_event_types = acled_sub_event_types
        self.acled_actor_categories = acled_actor_categories


# A class declaration is `ckg:Name a owl:Class ;` followed by its indented property lines; the
# ontology is written one property per line (tests/test_vocab.py checks the scan against rdflib).
_CLASS_BLOCK = r"^ckg:(\w+) a owl:Class ;\n((?:[ \t]+.*\n)*)"
_PROPERTY_LINE = r"^\s+(rdfs:subClassOf|ckg:acled\w+) (.+?) [;.]$"
_ACLED = {"ckg:acledEventType": "acled_event_types", "ckg:acledSubEventType": "acled_sub_event_types",
          "ckg:acledActorCategory": "acled_actor_categories"}


def _scan_classes(turtle: str) -> dict[str, OntologyClass]:
    import re

    out: dict[str, OntologyClass] = {}
    for block in re.finditer(_CLASS_BLOCK, turtle, re.M):
        fields: dict[str, tuple[str, ...]] = {}
        for prop, objects in re.findall(_PROPERTY_LINE, block.group(2), re.M):
            values = [v.strip() for v in objects.split(" , ")]
            if prop == "rdfs:subClassOf":
                fields["parents"] = tuple(v.removeprefix("ckg:") for v in values if v.startswith("ckg:"))
            elif prop in _ACLED:
                fields[_ACLED[prop]] = tuple(v.strip('"') for v in values)
        out[block.group(1)] = OntologyClass(block.group(1), **fields)
    return out


def _shipped_file(folder: str, name: str) -> str:
    """kg/_data/<folder>/<name> in an installed wheel, else <repository>/<folder>/<name>: the
    rule of kg.runtime.resources.shipped, without importing importlib.resources (9 ms)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    installed = os.path.join(package, "_data", folder)
    base = installed if os.path.isdir(installed) else os.path.join(os.path.dirname(package), folder)
    return os.path.join(base, name)


_cache: dict[str, dict] = {}  # "classes", "vocabulary": read once per process (functools costs an import)


def ontology_classes() -> dict[str, OntologyClass]:
    """Every class ontology/ckg.ttl declares in the ckg namespace, by local name."""
    if "classes" not in _cache:
        with open(_shipped_file("ontology", "ckg.ttl"), encoding="utf-8") as f:
            _cache["classes"] = _scan_classes(f.read())
    return _cache["classes"]


def subclasses(top: str) -> frozenset[str]:
    """`top` and every ckg class below it, as `?c rdfs:subClassOf* ckg:top` finds them."""
    classes = ontology_classes()
    if top not in classes:
        raise UnknownTerm(f"ckg:{top} is not a class of ontology/ckg.ttl")
    out = {top}
    while True:
        below = {c.name for c in classes.values() if out.intersection(c.parents)} - out
        if not below:
            return frozenset(out)
        out |= below


def ckg_class(name: str) -> str:
    """The IRI of ckg class `name`; UnknownTerm (a KeyError) when the ontology has no such class."""
    if name not in ontology_classes():
        raise UnknownTerm(f"ckg:{name} is not a class of ontology/ckg.ttl")
    return CKG + name


def _member(kind: str, name: str, classes: frozenset[str]) -> str:
    if name not in classes:
        raise UnknownTerm(f"ckg:{name} is not {kind} class of ontology/ckg.ttl")
    return name


def event_class(name: str) -> str:
    """`name` if it is an event class an extractor may assign, else UnknownTerm."""
    return _member("an event", name, _vocabulary()["EVENT_CLASSES"])


def actor_class(name: str) -> str:
    """`name` if it is an actor class, else UnknownTerm."""
    return _member("an actor", name, _vocabulary()["ACTOR_CLASSES"])


def place_class(name: str) -> str:
    """`name` if it is a place class, else UnknownTerm."""
    return _member("a place", name, _vocabulary()["PLACE_CLASSES"])


def priority_rank(cls: str) -> int:
    """Position of `cls` in EVENT_PRIORITY (which class names an account that has several);
    classes not listed come last."""
    return _vocabulary()["_RANK"].get(cls, 99)


def _acled(attr: str, classes: frozenset[str]) -> dict[str, tuple[str, ...]]:
    found = ontology_classes()
    return {c: getattr(found[c], attr) for c in sorted(classes) if getattr(found[c], attr)}


def _event_data() -> dict:
    """kg/data/events.json: what the ontology does not say of event classes (their precedence,
    kg merge's families)."""
    import json

    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "events.json"),
              encoding="utf-8") as f:
        return json.load(f)


def _vocabulary() -> dict:
    """The derived class sets, built on first use (see __getattr__) so that importing this module
    for its namespaces reads no file."""
    if "vocabulary" not in _cache:
        _cache["vocabulary"] = _derive()
    return _cache["vocabulary"]


def _derive() -> dict:
    v: dict = {}
    # Classes an extractor may assign; anything else is a bug (kg/graph/rdf.py refuses it).
    # ckg:MergedEvent is kg merge's node for a real event, never a class read from a sentence.
    v["ACTOR_CLASSES"] = subclasses("Actor")
    v["PLACE_CLASSES"] = subclasses("Place")
    v["EVENT_CLASSES"] = subclasses("Event") - {"MergedEvent"}
    # The sides of a conflict as the actor and relation readers tell them apart: a state's forces
    # (ckg:StateForce and below, and what ACLED codes as "State Forces": the government) plus a
    # country acting as a state; and the kinds of non-state armed group (the sub-classes: the
    # generic ckg:NonStateArmedGroup says too little to pair with a state).
    state_forces = {c.name for c in ontology_classes().values() if "State Forces" in c.acled_actor_categories}
    v["STATE_CLASSES"] = frozenset(subclasses("StateForce") | state_forces | {"Country"})
    v["NON_STATE"] = subclasses("NonStateArmedGroup") - {"NonStateArmedGroup"}
    v["ACLED_EVENT_TYPES"] = _acled("acled_event_types", v["EVENT_CLASSES"])
    v["ACLED_SUB_EVENT_TYPES"] = _acled("acled_sub_event_types", v["EVENT_CLASSES"])
    v["ACLED_ACTOR_CATEGORIES"] = _acled("acled_actor_categories", v["ACTOR_CLASSES"])
    data = _event_data()
    # most specific first: an airstrike that killed is an Airstrike; kg merge names a merged event
    # the same way
    v["EVENT_PRIORITY"] = tuple(data["priority"])
    # event classes kg merge may take for two names of one event ("battle": a clash reported as an
    # offensive); "any" goes with every family (a killing is what any attack may be reported as)
    v["MERGE_FAMILIES"] = dict(data["merge_families"])
    for cls in [*v["EVENT_PRIORITY"], *v["MERGE_FAMILIES"]]:
        _member("an event", cls, v["EVENT_CLASSES"])  # named in events.json, missing from the ontology
    v["_RANK"] = {c: i for i, c in enumerate(v["EVENT_PRIORITY"])}
    return v


DERIVED = ("ACTOR_CLASSES", "PLACE_CLASSES", "EVENT_CLASSES", "STATE_CLASSES", "NON_STATE", "ACLED_EVENT_TYPES",
           "ACLED_SUB_EVENT_TYPES", "ACLED_ACTOR_CATEGORIES", "EVENT_PRIORITY", "MERGE_FAMILIES")


def __getattr__(name: str) -> object:
    """ACTOR_CLASSES, EVENT_CLASSES, ... (DERIVED): module attributes computed on first access."""
    if name in DERIVED:
        value = _vocabulary()[name]
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

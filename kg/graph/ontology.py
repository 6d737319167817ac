"""The conflict-kg ontology and SHACL shapes: where they are, how big, and whether they hold.

Why this module exists: the ontology (``ontology/ckg.ttl``) and the shapes
(``ontology/shapes.ttl``) are the contract every other layer writes to. This module
finds them both in a source checkout and in an installed package, checks the ontology
with a DL reasoner (HermiT, through owlready2) and validates data graphs against the
shapes (pyshacl). ``kg ontology check`` and the tests are thin calls into it.

Heavy libraries (rdflib, owlready2, pyshacl) are imported inside the functions, so that
importing :mod:`kg.graph.ontology` is cheap (``kg query`` must start fast) and never needs
spaCy.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

# the ontology namespace (prefix ckg:) and the ontology document's IRI, which also names the store
# graph that holds it: one definition, kg.model.vocab's
from kg.model.vocab import CKG
from kg.model.vocab import ONTOLOGY_GRAPH as ONTOLOGY_IRI

if TYPE_CHECKING:  # pragma: no cover - typing only
    import rdflib

__all__ = [
    "ONTOLOGY_IRI",
    "CKG",
    "ontology_path",
    "shapes_path",
    "load_ontology",
    "load_shapes",
    "OntologyStats",
    "ontology_stats",
    "OntologyReport",
    "check_ontology",
    "ShaclReport",
    "validate_graph",
]

ONTOLOGY_FILE = "ckg.ttl"
SHAPES_FILE = "shapes.ttl"

_OWL = "http://www.w3.org/2002/07/owl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SH = "http://www.w3.org/ns/shacl#"


# ---------------------------------------------------------------------------------------
# Locating the files
# ---------------------------------------------------------------------------------------


def _data_file(name: str) -> Path:
    """Locate ``ontology/<name>`` as package data first, then in a source checkout.

    The files live at the repository top in ``ontology/``; a built wheel ships them as
    ``kg/_data/ontology/<name>`` (a setuptools data-files mapping in pyproject), so an
    installed ``kg`` finds its own copy. In a source checkout (editable install, tests)
    the package-data copy does not exist and the top-level file is used.
    """
    try:
        candidate = resources.files("kg") / "_data" / "ontology" / name
        if candidate.is_file():
            if isinstance(candidate, Path):
                return candidate
            # Not on disk (e.g. a zip import): copy it out once, keyed by size.
            payload = candidate.read_bytes()
            cache = Path(tempfile.gettempdir()) / f"conflict-kg-{len(payload)}-{name}"
            if not cache.is_file() or cache.read_bytes() != payload:
                cache.write_bytes(payload)
            return cache
    except (ModuleNotFoundError, TypeError, FileNotFoundError, NotADirectoryError, ValueError, OSError):
        pass
    return Path(__file__).resolve().parents[2] / "ontology" / name


def ontology_path() -> Path:
    """Path of the OWL ontology ``ckg.ttl`` (Turtle), wherever ``kg`` is installed."""
    return _data_file(ONTOLOGY_FILE)


def shapes_path() -> Path:
    """Path of the SHACL shapes ``shapes.ttl`` (Turtle), wherever ``kg`` is installed."""
    return _data_file(SHAPES_FILE)


def load_ontology() -> "rdflib.Graph":
    """Parse the ontology into a fresh rdflib graph (one parse per call; callers cache)."""
    import rdflib

    graph = rdflib.Graph(identifier=rdflib.URIRef(ONTOLOGY_IRI))
    graph.parse(ontology_path(), format="turtle")
    return graph


def load_shapes() -> "rdflib.Graph":
    """Parse the SHACL shapes into a fresh rdflib graph."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(shapes_path(), format="turtle")
    return graph


# ---------------------------------------------------------------------------------------
# Size of the ontology
# ---------------------------------------------------------------------------------------

_DECLARATION_TYPES = {
    _OWL + "Class",
    _OWL + "ObjectProperty",
    _OWL + "DatatypeProperty",
    _OWL + "AnnotationProperty",
    _OWL + "NamedIndividual",
    _OWL + "Ontology",
    _RDFS + "Datatype",
}

_BUILTIN_ANNOTATIONS = {
    _RDFS + "label",
    _RDFS + "comment",
    _RDFS + "seeAlso",
    _RDFS + "isDefinedBy",
    _OWL + "versionInfo",
    _OWL + "priorVersion",
    _OWL + "backwardCompatibleWith",
    _OWL + "incompatibleWith",
    _OWL + "deprecated",
}


@dataclass
class OntologyStats:
    """Counts of what the ontology defines.

    ``classes``, ``object_properties``, ``data_properties`` and
    ``annotation_properties`` count terms in the ckg namespace only (what this ontology
    defines); ``external_terms`` counts the declared terms of other vocabularies
    (schema.org, PROV-O, SEM, GeoSPARQL, SKOS, RDF) that it uses.

    ``axioms`` counts logical axioms, approximated on the RDF graph: every triple whose
    subject is an IRI and whose predicate is not an annotation property and which is not a
    bare declaration (``X a owl:Class`` and the like) is one axiom (subClassOf, domain,
    range, disjointWith, subPropertyOf, a property characteristic, ...); every
    ``owl:AllDisjointClasses``/``owl:AllDifferent`` node and every general class axiom
    (a ``rdfs:subClassOf`` from a blank-node class expression) counts once. Triples inside
    class expressions (lists, restrictions) belong to the axiom that uses them.
    ``annotations`` counts annotation assertions (labels, comments, alignments);
    ``triples`` is the plain size of the graph.
    """

    classes: int
    object_properties: int
    data_properties: int
    annotation_properties: int
    external_terms: int
    axioms: int
    annotations: int
    triples: int


def ontology_stats(graph: "rdflib.Graph | None" = None) -> OntologyStats:
    """Count classes, properties and axioms of the ontology (see :class:`OntologyStats`).

    Pure rdflib, no reasoner, so it is cheap enough for ``kg stats``.
    """
    from rdflib import BNode, URIRef
    from rdflib.namespace import OWL, RDF, RDFS

    g = graph if graph is not None else load_ontology()

    def own(kind: URIRef) -> int:
        return sum(1 for s in set(g.subjects(RDF.type, kind)) if isinstance(s, URIRef) and str(s).startswith(CKG))

    declared: set[URIRef] = set()
    for kind in _DECLARATION_TYPES - {_OWL + "Ontology"}:
        declared.update(s for s in g.subjects(RDF.type, URIRef(kind)) if isinstance(s, URIRef))
    external = sum(1 for s in declared if not str(s).startswith(CKG))

    annotation_props = {str(p) for p in g.subjects(RDF.type, OWL.AnnotationProperty)} | _BUILTIN_ANNOTATIONS

    axioms = 0
    annotations = 0
    for s, p, o in g:
        if str(p) in annotation_props:
            annotations += 1
            continue
        if isinstance(s, BNode):
            if p == RDF.type and o in (OWL.AllDisjointClasses, OWL.AllDifferent, OWL.AllDisjointProperties):
                axioms += 1
            elif p in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith):
                axioms += 1  # general class axiom with a class expression on the left
            continue
        if p == RDF.type and str(o) in _DECLARATION_TYPES:
            continue
        axioms += 1

    return OntologyStats(
        classes=own(OWL.Class),
        object_properties=own(OWL.ObjectProperty),
        data_properties=own(OWL.DatatypeProperty),
        annotation_properties=own(OWL.AnnotationProperty),
        external_terms=external,
        axioms=axioms,
        annotations=annotations,
        triples=len(g),
    )


# ---------------------------------------------------------------------------------------
# Reasoning (HermiT via owlready2)
# ---------------------------------------------------------------------------------------


@dataclass
class OntologyReport:
    """Result of :func:`check_ontology`.

    ``consistent`` is False when HermiT finds the ontology (plus the data given) has no
    model, e.g. a node typed both ckg:Event and ckg:Actor. ``unsatisfiable`` lists the
    IRIs of classes that can have no instance (a modelling error in the ontology);
    it is empty when the ontology is inconsistent, since then nothing can be classified.
    The counts are those of :func:`ontology_stats`; ``reasoner_seconds`` is the wall
    time of the HermiT run (a JVM start included).
    """

    consistent: bool
    unsatisfiable: list[str]
    classes: int
    object_properties: int
    data_properties: int
    annotation_properties: int
    axioms: int
    reasoner_seconds: float
    message: str = ""
    stats: OntologyStats | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True when the ontology is consistent and every class is satisfiable."""
        return self.consistent and not self.unsatisfiable


def _triples_of(data: "rdflib.Graph") -> Iterable[tuple]:
    """Triples of a graph, or of the union of all graphs of a dataset."""
    import rdflib

    if isinstance(data, (rdflib.Dataset, rdflib.ConjunctiveGraph)):
        return ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None)))
    return iter(data)


def check_ontology(data: "rdflib.Graph | None" = None) -> OntologyReport:
    """Run HermiT over the ontology (and optional instance data) and report the result.

    Why: a DL reasoner catches what SHACL cannot - contradictions between axioms
    (unsatisfiable classes) and data that breaks the disjointness the ontology
    declares (an event that is also an actor). ``data`` may be a graph or a dataset (its
    graphs are merged, as queries see them).

    owlready2 cannot read Turtle, so the ontology (plus data) is written as N-Triples to
    a temporary file and loaded into a fresh owlready2 ``World`` (never the global
    default world, so calls do not leak into each other). HermiT runs with
    ``infer_property_values=False`` (only classification and consistency are wanted) and
    with unsupported datatypes ignored: ``xsd:date`` and ``geo:wktLiteral`` are not in the
    OWL 2 datatype map, and HermiT would otherwise refuse the whole ontology. Each call
    starts a JVM (a couple of seconds).
    """
    import owlready2
    import rdflib

    onto_graph = load_ontology()
    stats = ontology_stats(onto_graph)

    merged = rdflib.Graph()
    for triple in onto_graph:
        merged.add(triple)
    if data is not None:
        for triple in _triples_of(data):
            merged.add(triple)

    fd, tmp_name = tempfile.mkstemp(suffix=".nt", prefix="ckg-")
    os.close(fd)
    world = owlready2.World()
    consistent = True
    message = ""
    unsatisfiable: list[str] = []
    t0 = time.perf_counter()
    try:
        merged.serialize(destination=tmp_name, format="nt", encoding="utf-8")
        with open(tmp_name, "rb") as handle:
            onto = world.get_ontology(ONTOLOGY_IRI).load(fileobj=handle, format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(
                    world,
                    infer_property_values=False,
                    debug=0,
                    ignore_unsupported_datatypes=True,
                )
        except owlready2.OwlReadyInconsistentOntologyError:
            consistent = False
            message = "HermiT: the ontology (with the data given) is inconsistent"
        if consistent:
            unsatisfiable = sorted(
                c.iri
                for c in world.inconsistent_classes()
                if getattr(c, "iri", None) and c.iri != _OWL + "Nothing"
            )
            if unsatisfiable:
                message = f"HermiT: {len(unsatisfiable)} unsatisfiable class(es)"
    finally:
        seconds = time.perf_counter() - t0
        try:
            world.close()
        except Exception:  # pragma: no cover - closing an in-memory world is best effort
            pass
        try:
            os.unlink(tmp_name)
        except OSError:  # pragma: no cover
            pass

    return OntologyReport(
        consistent=consistent,
        unsatisfiable=unsatisfiable,
        classes=stats.classes,
        object_properties=stats.object_properties,
        data_properties=stats.data_properties,
        annotation_properties=stats.annotation_properties,
        axioms=stats.axioms,
        reasoner_seconds=round(seconds, 3),
        message=message or "HermiT: consistent, all classes satisfiable",
        stats=stats,
    )


# ---------------------------------------------------------------------------------------
# SHACL validation (pyshacl)
# ---------------------------------------------------------------------------------------


@dataclass
class ShaclReport:
    """Result of :func:`validate_graph`.

    ``conforms`` follows pyshacl with warnings allowed: only ``sh:Violation`` results
    make data non-conforming. ``messages`` holds a readable line for each of the first
    ``max_messages`` violations (focus node, path, message); ``text`` is pyshacl's full
    report.
    """

    conforms: bool
    violations: int
    warnings: int
    messages: list[str]
    text: str = field(default="", repr=False)


def _short(term: object) -> str:
    text = str(term)
    for prefix, ns in (("ckg:", CKG), ("ckr:", "https://w3id.org/conflict-kg/id/")):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


def validate_graph(data: "rdflib.Graph", max_messages: int = 5) -> ShaclReport:
    """Validate a data graph against ``ontology/shapes.ttl``.

    Why: the shapes are the machine-checked form of docs/model.md; the RDF mapper's
    output and any imported graph should pass them. The ontology is passed to pyshacl as
    the ontology graph and RDFS inference is on, so that subclass typing counts (an
    ckg:Army is an ckg:Actor) exactly as the ontology says. A dataset is validated as the
    union of its graphs (as queries see it). The input graph is not modified.
    """
    import pyshacl
    import rdflib
    from rdflib.namespace import RDF

    if isinstance(data, (rdflib.Dataset, rdflib.ConjunctiveGraph)):
        flat = rdflib.Graph()
        for triple in _triples_of(data):
            flat.add(triple)
        data = flat

    conforms, results, text = pyshacl.validate(
        data,
        shacl_graph=load_shapes(),
        ont_graph=load_ontology(),
        inference="rdfs",
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        inplace=False,
    )

    sh = rdflib.Namespace(_SH)
    violations = 0
    warnings = 0
    messages: list[str] = []
    rows = []
    for result in results.subjects(RDF.type, sh.ValidationResult):
        severity = results.value(result, sh.resultSeverity)
        if severity == sh.Violation:
            violations += 1
            rows.append(
                (
                    _short(results.value(result, sh.focusNode)),
                    _short(results.value(result, sh.resultPath) or ""),
                    str(results.value(result, sh.resultMessage) or ""),
                )
            )
        elif severity == sh.Warning:
            warnings += 1
    for focus, path, msg in sorted(set(rows))[:max_messages]:
        messages.append(f"{focus} {path}: {msg}" if path else f"{focus}: {msg}")

    return ShaclReport(
        conforms=bool(conforms),
        violations=violations,
        warnings=warnings,
        messages=messages,
        text=str(text),
    )

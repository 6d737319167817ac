"""Tests of the ontology (ontology/ckg.ttl), the SHACL shapes (ontology/shapes.ttl) and
kg.graph.ontology: the DESIGN.md vocabulary exists, HermiT finds the ontology consistent,
hand-made data of the shape docs/model.md describes conforms, and broken data does not.

HermiT starts a JVM per run, so the reasoner runs are few and shared by fixtures.
"""

from __future__ import annotations

import re

import sys
from pathlib import Path

import pytest

try:  # a source checkout without an installed package
    import kg.graph.ontology  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover - depends on how the tests are run
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import rdflib
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.graph import ontology as ko

CKG = Namespace("https://w3id.org/conflict-kg/ontology#")
CKR = Namespace("https://w3id.org/conflict-kg/id/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # plain: pytest probes module globals

# The core vocabulary of DESIGN.md, with exactly these names.
CORE_CLASSES = {
    "Actor": None,
    "ArmedForce": "Actor",
    "Army": "ArmedForce",
    "AirForce": "ArmedForce",
    "Navy": "ArmedForce",
    "SecurityForce": "Actor",
    "Government": "Actor",
    "NonStateArmedGroup": "Actor",
    "RebelGroup": "NonStateArmedGroup",
    "JihadistGroup": "NonStateArmedGroup",
    "Militia": "NonStateArmedGroup",
    "Civilians": "Actor",
    "Monitor": "Actor",
    "MediaOutlet": "Actor",
    "Person": "Actor",
    "Organisation": "Actor",
    "Place": None,
    "Country": "Place",
    "Province": "Place",
    "District": "Place",
    "City": "Place",
    "Town": "Place",
    "Village": "Place",
    "Neighbourhood": "Place",
    "Region": "Place",
    "Road": "Place",
    "Facility": "Place",
    "Event": None,
    "Offensive": "Event",
    "ArmedClash": "Event",
    "Airstrike": "Event",
    "Shelling": "Event",
    "Bombing": "Event",
    "TerritoryCapture": "Event",
    "Withdrawal": "Event",
    "AttackOnCivilians": "Event",
    "Killing": "Event",
    "Arrest": "Event",
    "Protest": "Event",
    "Ceasefire": "Event",
    "Article": None,
    # extra classes of the brief
    "StateForce": "Actor",
    "Police": "SecurityForce",
    "RelationStatement": None,
}
CORE_OBJECT_PROPERTIES = [
    "country", "locatedIn", "controls", "supports", "agent", "target", "supporter",
    "place", "reportedBy", "mentionedIn", "hasAccount",
]
CORE_DATA_PROPERTIES = {
    "date": XSD.date,
    "fatalities": XSD.integer,
    "evidence": XSD.string,
    "trigger": XSD.string,
    "charStart": XSD.integer,
    "charEnd": XSD.integer,
    "confidence": XSD.decimal,
    "geonamesId": XSD.integer,
    "iso3166Code": XSD.string,
    "countryCode": XSD.string,
    "population": XSD.integer,
    "resolved": XSD.boolean,
    "approximateLocation": XSD.boolean,
    "nameKey": XSD.string,  # the entities graph's name index (kg/entities.py)
    "contentHash": XSD.string,
    "extractorVersion": XSD.string,
    "linkScore": XSD.decimal,  # ckg:Link (kg link wikidata)
    "linkMethod": XSD.string,
    "fatalitiesMin": XSD.integer,  # ckg:MergedEvent (kg merge)
    "fatalitiesMax": XSD.integer,
    "sourceCount": XSD.integer,
    "earliestDate": XSD.date,
    "latestDate": XSD.date,
    "disputedOn": XSD.string,
}


# ---------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return ko.load_ontology()


@pytest.fixture(scope="module")
def onto_closure(onto: rdflib.Graph) -> dict[URIRef, set[URIRef]]:
    """Named superclasses of every class (reflexive, transitive; rdflib only)."""
    supers: dict[URIRef, set[URIRef]] = {}
    for cls in set(onto.subjects(RDF.type, OWL.Class)):
        if isinstance(cls, URIRef):
            supers[cls] = {o for o in onto.transitive_objects(cls, RDFS.subClassOf) if isinstance(o, URIRef)}
    return supers


@pytest.fixture(scope="module")
def hermit_report() -> ko.OntologyReport:
    return ko.check_ontology()


ART = CKR["article/0123456789abcdef0123"]
ARMY = CKR["actor/sy/army"]
REBELS = CKR["actor/sy/rebels"]
SYRIA = CKR["place/geonames/163843"]
RASTAN = CKR["place/geonames/170794"]
HOMS = CKR["place/iso/SY-HI"]
SOHR = CKR["actor/syrian-observatory-for-human-rights"]
EVENT = CKR["event/0123456789abcdef0123/1234"]
STATEMENT = CKR["statement/0123456789abcdef0123/00112233aabbccdd"]


def valid_graph() -> rdflib.Graph:
    """A small graph of the shape docs/model.md describes."""
    g = rdflib.Graph()
    g.bind("ckg", CKG)
    g.bind("ckr", CKR)
    add = g.add
    # article
    for t in (CKG.Article, SCHEMA.NewsArticle, PROV.Entity):
        add((ART, RDF.type, t))
    add((ART, SCHEMA.headline, Literal("Airstrikes hit Rastan")))
    add((ART, SCHEMA.datePublished, Literal("2015-10-01", datatype=XSD.date)))
    add((ART, SCHEMA.publisher, Literal("Example News")))
    add((ART, SCHEMA.url, Literal("https://example.org/news/1", datatype=XSD.anyURI)))
    add((ART, CKG.contentHash, Literal("0123456789abcdef0123456789abcdef")))
    add((ART, CKG.extractorVersion, Literal("0.1.0")))
    # country, province, town
    add((SYRIA, RDF.type, CKG.Country))
    add((SYRIA, RDFS.label, Literal("Syria")))
    add((SYRIA, CKG.geonamesId, Literal(163843)))
    add((SYRIA, CKG.iso3166Code, Literal("SY")))
    add((SYRIA, CKG.countryCode, Literal("SY")))
    add((SYRIA, OWL.sameAs, URIRef("https://sws.geonames.org/163843/")))
    add((HOMS, RDF.type, CKG.Province))
    add((HOMS, RDFS.label, Literal("Homs Governorate")))
    add((HOMS, CKG.iso3166Code, Literal("SY-HI")))
    add((HOMS, CKG.locatedIn, SYRIA))
    add((RASTAN, RDF.type, CKG.Town))
    add((RASTAN, RDFS.label, Literal("Rastan")))
    add((RASTAN, SKOS.altLabel, Literal("Al-Rastan")))
    add((RASTAN, CKG.geonamesId, Literal(170794)))
    add((RASTAN, CKG.countryCode, Literal("SY")))
    add((RASTAN, CKG.population, Literal(53152)))
    add((RASTAN, CKG.resolved, Literal(True)))
    add((RASTAN, CKG.locatedIn, HOMS))
    add((RASTAN, CKG.mentionedIn, ART))
    add((RASTAN, OWL.sameAs, URIRef("https://sws.geonames.org/170794/")))
    geom = URIRef(str(RASTAN) + "/geometry")
    add((RASTAN, GEO.hasGeometry, geom))
    add((geom, RDF.type, GEO.Geometry))
    add((geom, GEO.asWKT, Literal("POINT(36.71667 34.92667)", datatype=GEO.wktLiteral)))
    # actors
    add((ARMY, RDF.type, CKG.Army))
    add((ARMY, RDFS.label, Literal("Syrian Arab Army")))
    add((ARMY, SKOS.altLabel, Literal("regime forces")))
    add((ARMY, CKG.country, SYRIA))
    add((ARMY, CKG.mentionedIn, ART))
    add((REBELS, RDF.type, CKG.RebelGroup))
    add((REBELS, RDFS.label, Literal("Syrian rebels")))
    add((REBELS, CKG.country, SYRIA))
    add((REBELS, CKG.mentionedIn, ART))
    add((SOHR, RDF.type, CKG.Monitor))
    add((SOHR, RDFS.label, Literal("Syrian Observatory for Human Rights")))
    add((SOHR, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q1140376")))
    # event account
    add((EVENT, RDF.type, CKG.Airstrike))
    add((EVENT, RDFS.label, Literal("Airstrike in Rastan, 2015-09-30")))
    add((EVENT, CKG.agent, ARMY))
    add((EVENT, CKG.target, REBELS))
    add((EVENT, CKG.place, RASTAN))
    add((EVENT, CKG.date, Literal("2015-09-30", datatype=XSD.date)))
    add((EVENT, CKG.fatalities, Literal(12)))
    add((EVENT, CKG.reportedBy, SOHR))
    add((EVENT, CKG.evidence, Literal("Airstrikes killed at least 12 people in Rastan on Wednesday.")))
    add((EVENT, CKG.trigger, Literal("Airstrikes")))
    add((EVENT, CKG.charStart, Literal(1234)))
    add((EVENT, CKG.charEnd, Literal(1294)))
    add((EVENT, CKG.confidence, Literal("0.85", datatype=XSD.decimal)))
    add((EVENT, CKG.mentionedIn, ART))
    # relation, written twice
    add((REBELS, CKG.controls, RASTAN))
    add((STATEMENT, RDF.type, CKG.RelationStatement))
    add((STATEMENT, RDF.subject, REBELS))
    add((STATEMENT, RDF.predicate, CKG.controls))
    add((STATEMENT, RDF.object, RASTAN))
    add((STATEMENT, CKG.evidence, Literal("...the rebel-held town of Rastan...")))
    add((STATEMENT, CKG.charStart, Literal(1400)))
    add((STATEMENT, CKG.charEnd, Literal(1460)))
    add((STATEMENT, CKG.confidence, Literal("0.8", datatype=XSD.decimal)))
    add((STATEMENT, CKG.date, Literal("2015-10-01", datatype=XSD.date)))
    add((STATEMENT, CKG.mentionedIn, ART))
    return g


def _replace(g: rdflib.Graph, s, p, o) -> rdflib.Graph:
    g.remove((s, p, None))
    if o is not None:
        g.add((s, p, o))
    return g


# ---------------------------------------------------------------------------------------
# The files and the vocabulary
# ---------------------------------------------------------------------------------------


def test_files_are_found_and_parse(onto: rdflib.Graph) -> None:
    assert ko.ontology_path().is_file()
    assert ko.shapes_path().is_file()
    assert len(onto) > 100
    assert len(ko.load_shapes()) > 50
    header = URIRef(ko.ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in onto
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(onto.value(header, OWL.versionInfo)))


@pytest.mark.parametrize("name", sorted(CORE_CLASSES))
def test_core_class_exists_documented_and_placed(
    name: str, onto: rdflib.Graph, onto_closure: dict[URIRef, set[URIRef]]
) -> None:
    cls = CKG[name]
    assert (cls, RDF.type, OWL.Class) in onto, f"ckg:{name} is not declared"
    assert onto.value(cls, RDFS.label) is not None, f"ckg:{name} has no rdfs:label"
    assert onto.value(cls, RDFS.comment) is not None, f"ckg:{name} has no rdfs:comment"
    parent = CORE_CLASSES[name]
    if parent is not None:
        assert CKG[parent] in onto_closure[cls], f"ckg:{name} is not under ckg:{parent}"


def test_class_hierarchy_details(onto: rdflib.Graph, onto_closure: dict[URIRef, set[URIRef]]) -> None:
    # a country is both a place and an actor
    assert {CKG.Place, CKG.Actor} <= onto_closure[CKG.Country]
    # forces sit under StateForce
    assert CKG.StateForce in onto_closure[CKG.ArmedForce]
    assert CKG.StateForce in onto_closure[CKG.SecurityForce]
    # provenance / alignment superclasses
    assert {SCHEMA.NewsArticle, PROV.Entity} <= onto_closure[CKG.Article]
    assert RDF.Statement in onto_closure[CKG.RelationStatement]
    assert SEM.Event in onto_closure[CKG.Event]
    # Actor and Place must not be disjoint (Country is both); event types not pairwise disjoint
    assert (CKG.Actor, OWL.disjointWith, CKG.Place) not in onto
    assert (CKG.Place, OWL.disjointWith, CKG.Actor) not in onto
    event_types = [CKG[n] for n, p in CORE_CLASSES.items() if p == "Event"]
    for a in event_types:
        for b in event_types:
            assert (a, OWL.disjointWith, b) not in onto
    assert (CKG.Event, OWL.disjointWith, CKG.Actor) in onto


@pytest.mark.parametrize("name", CORE_OBJECT_PROPERTIES)
def test_core_object_property(name: str, onto: rdflib.Graph) -> None:
    prop = CKG[name]
    assert (prop, RDF.type, OWL.ObjectProperty) in onto
    assert onto.value(prop, RDFS.label) is not None
    assert onto.value(prop, RDFS.comment) is not None
    assert onto.value(prop, RDFS.domain) is not None
    assert onto.value(prop, RDFS.range) is not None


@pytest.mark.parametrize("name", sorted(CORE_DATA_PROPERTIES))
def test_core_data_property(name: str, onto: rdflib.Graph) -> None:
    prop = CKG[name]
    assert (prop, RDF.type, OWL.DatatypeProperty) in onto
    assert onto.value(prop, RDFS.label) is not None
    assert onto.value(prop, RDFS.comment) is not None
    assert onto.value(prop, RDFS.range) == CORE_DATA_PROPERTIES[name]
    assert onto.value(prop, RDFS.domain) is not None


def test_property_specifics(onto: rdflib.Graph) -> None:
    assert (CKG.locatedIn, RDF.type, OWL.TransitiveProperty) in onto
    # properties shared by events and relation statements have a union domain, never Event alone
    for name in ("evidence", "charStart", "charEnd", "confidence", "date", "mentionedIn"):
        domain = onto.value(CKG[name], RDFS.domain)
        assert isinstance(domain, BNode), f"ckg:{name} should have a union domain"
        members = set(rdflib.collection.Collection(onto, onto.value(domain, OWL.unionOf)))
        assert {CKG.Event, CKG.RelationStatement} <= members
    members = set(rdflib.collection.Collection(onto, onto.value(onto.value(CKG.mentionedIn, RDFS.domain), OWL.unionOf)))
    assert {CKG.Actor, CKG.Place} <= members
    assert onto.value(CKG.mentionedIn, RDFS.range) == CKG.Article


def test_every_ckg_term_is_documented(onto: rdflib.Graph) -> None:
    terms = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(CKG))}
    assert len(terms) >= 70
    for term in terms:
        assert onto.value(term, RDFS.label) is not None, term
        assert onto.value(term, RDFS.comment) is not None, term


def test_alignment_annotations(onto: rdflib.Graph) -> None:
    for prop in ("acledEventType", "acledSubEventType", "acledActorCategory"):
        assert (CKG[prop], RDF.type, OWL.AnnotationProperty) in onto
    acled = lambda cls, p: {str(o) for o in onto.objects(CKG[cls], CKG[p])}  # noqa: E731
    assert acled("ArmedClash", "acledSubEventType") == {"Armed clash"}
    assert acled("Airstrike", "acledEventType") == {"Explosions/Remote violence"}
    assert acled("Airstrike", "acledSubEventType") == {"Air/drone strike"}
    assert acled("Shelling", "acledSubEventType") == {"Shelling/artillery/missile attack"}
    assert acled("AttackOnCivilians", "acledEventType") == {"Violence against civilians"}
    assert "Non-violent transfer of territory" in acled("TerritoryCapture", "acledSubEventType")
    assert acled("Arrest", "acledSubEventType") == {"Arrests"}
    assert acled("Ceasefire", "acledSubEventType") == {"Agreement"}
    assert acled("Army", "acledActorCategory") == {"State Forces"}
    assert acled("Civilians", "acledActorCategory") == {"Civilians"}
    categories = {str(o) for o in onto.objects(None, CKG.acledActorCategory)}
    assert categories == {
        "State Forces", "Rebel Groups", "Political Militias", "Identity Militias",
        "Rioters", "Protesters", "Civilians", "External/Other Forces",
    }
    # Wikidata alignments are annotation values only
    assert (SKOS.closeMatch, RDF.type, OWL.AnnotationProperty) in onto
    assert (CKG.Country, SKOS.closeMatch, URIRef("http://www.wikidata.org/entity/Q6256")) in onto


def test_external_terms_declared(onto: rdflib.Graph) -> None:
    declared = {
        SCHEMA.headline: OWL.DatatypeProperty,
        SCHEMA.datePublished: OWL.DatatypeProperty,
        SCHEMA.publisher: OWL.DatatypeProperty,
        SCHEMA.url: OWL.DatatypeProperty,
        GEO.hasGeometry: OWL.ObjectProperty,
        GEO.asWKT: OWL.DatatypeProperty,
        GEO.Geometry: OWL.Class,
        GEO.wktLiteral: RDFS.Datatype,
        SKOS.altLabel: OWL.AnnotationProperty,
        RDF.Statement: OWL.Class,
        RDF.subject: OWL.ObjectProperty,
        RDF.predicate: OWL.ObjectProperty,
        RDF.object: OWL.ObjectProperty,
    }
    for term, kind in declared.items():
        assert (term, RDF.type, kind) in onto, term


def test_ontology_stats(onto: rdflib.Graph) -> None:
    stats = ko.ontology_stats(onto)
    assert stats.classes >= len(CORE_CLASSES)
    assert stats.object_properties >= len(CORE_OBJECT_PROPERTIES)
    assert stats.data_properties == len(CORE_DATA_PROPERTIES)
    assert stats.annotation_properties == 3
    assert 0 < stats.axioms < stats.triples
    assert stats.annotations > stats.classes


# ---------------------------------------------------------------------------------------
# Reasoning
# ---------------------------------------------------------------------------------------


def test_hermit_consistent_and_all_classes_satisfiable(hermit_report: ko.OntologyReport) -> None:
    assert hermit_report.consistent, hermit_report.message
    assert hermit_report.unsatisfiable == []
    assert hermit_report.ok
    assert hermit_report.classes >= len(CORE_CLASSES)
    assert hermit_report.axioms > 0
    assert hermit_report.reasoner_seconds > 0


def test_hermit_valid_data_consistent() -> None:
    report = ko.check_ontology(valid_graph())
    assert report.consistent, report.message


def test_hermit_event_that_is_also_an_actor_is_inconsistent() -> None:
    g = valid_graph()
    g.add((EVENT, RDF.type, CKG.Army))
    report = ko.check_ontology(g)
    assert not report.consistent


# ---------------------------------------------------------------------------------------
# SHACL
# ---------------------------------------------------------------------------------------


def test_valid_data_conforms() -> None:
    report = ko.validate_graph(valid_graph())
    assert report.conforms, "\n".join(report.messages)
    assert report.violations == 0


def test_valid_data_in_a_dataset_conforms() -> None:
    ds = rdflib.Dataset()
    graph = ds.graph(ART)
    for triple in valid_graph():
        graph.add(triple)
    assert ko.validate_graph(ds).conforms


def _assert_invalid(g: rdflib.Graph, expect: str) -> None:
    report = ko.validate_graph(g)
    assert not report.conforms
    assert report.violations >= 1
    assert any(expect in m for m in report.messages), report.messages


def test_negative_fatalities_rejected() -> None:
    _assert_invalid(_replace(valid_graph(), EVENT, CKG.fatalities, Literal(-5)), "fatalities")


def test_date_that_is_not_a_date_rejected() -> None:
    _assert_invalid(_replace(valid_graph(), EVENT, CKG.date, Literal("last Tuesday")), "date")


def test_two_dates_rejected() -> None:
    g = valid_graph()
    g.add((EVENT, CKG.date, Literal("2015-09-29", datatype=XSD.date)))
    _assert_invalid(g, "date")


def test_event_without_evidence_rejected() -> None:
    _assert_invalid(_replace(valid_graph(), EVENT, CKG.evidence, None), "evidence")


def test_event_without_article_rejected() -> None:
    _assert_invalid(_replace(valid_graph(), EVENT, CKG.mentionedIn, None), "mentionedIn")


def test_merged_event_needs_no_evidence() -> None:
    g = valid_graph()
    merged = CKR["merged/abc"]
    g.add((merged, RDF.type, CKG.Airstrike))
    g.add((merged, CKG.hasAccount, EVENT))
    assert ko.validate_graph(g).conforms


def test_agent_that_is_only_a_place_rejected() -> None:
    _assert_invalid(_replace(valid_graph(), EVENT, CKG.agent, RASTAN), "agent")


def test_country_as_agent_accepted() -> None:
    assert ko.validate_graph(_replace(valid_graph(), EVENT, CKG.agent, SYRIA)).conforms


def test_place_that_is_an_actor_rejected() -> None:
    _assert_invalid(_replace(valid_graph(), EVENT, CKG.place, ARMY), "place")


def test_event_typed_as_actor_rejected() -> None:
    g = valid_graph()
    g.add((EVENT, RDF.type, CKG.Army))
    assert not ko.validate_graph(g).conforms


def test_bad_geometry_rejected() -> None:
    geom = URIRef(str(RASTAN) + "/geometry")
    _assert_invalid(
        _replace(valid_graph(), geom, GEO.asWKT, Literal("34.9 36.7", datatype=GEO.wktLiteral)), "asWKT"
    )
    _assert_invalid(
        _replace(valid_graph(), geom, GEO.asWKT, Literal("POINT(36.7 134.9)", datatype=GEO.wktLiteral)),
        "out of range",
    )


def test_confidence_out_of_range_rejected() -> None:
    _assert_invalid(
        _replace(valid_graph(), STATEMENT, CKG.confidence, Literal("1.5", datatype=XSD.decimal)), "confidence"
    )


def test_statement_with_wrong_predicate_rejected() -> None:
    _assert_invalid(_replace(valid_graph(), STATEMENT, RDF.predicate, CKG.agent), "predicate")


def test_statement_without_plain_triple_rejected() -> None:
    g = valid_graph()
    g.remove((REBELS, CKG.controls, RASTAN))
    _assert_invalid(g, "not in the data")


def test_controls_from_a_town_rejected() -> None:
    g = valid_graph()
    g.add((RASTAN, CKG.controls, HOMS))
    _assert_invalid(g, "ckg:controls")


def test_supports_to_a_place_rejected() -> None:
    g = valid_graph()
    g.add((ARMY, CKG.supports, RASTAN))
    _assert_invalid(g, "supports")


def test_actor_without_label_rejected() -> None:
    _assert_invalid(_replace(valid_graph(), ARMY, RDFS.label, None), "label")


def test_town_as_country_rejected() -> None:
    _assert_invalid(_replace(valid_graph(), ARMY, CKG.country, RASTAN), "Country")

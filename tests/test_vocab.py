"""kg.model.vocab: the class sets read from ontology/ckg.ttl by a line scan agree with what rdflib
reads from the same file, unknown terms are refused, and events.json names only known classes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.model import vocab
from kg.runtime.resources import shipped

CKG = rdflib.Namespace(vocab.CKG)


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(shipped("ontology", "ckg.ttl"), format="turtle")


def _local(term: rdflib.term.Node) -> str:
    return str(term).removeprefix(vocab.CKG)


def test_scan_finds_every_class_and_its_parents(onto):
    declared = {_local(c) for c in onto.subjects(RDF.type, OWL.Class)
                if isinstance(c, rdflib.URIRef) and str(c).startswith(vocab.CKG)}
    found = vocab.ontology_classes()
    assert set(found) == declared
    for name, cls in found.items():
        parents = {_local(p) for p in onto.objects(CKG[name], RDFS.subClassOf)
                   if isinstance(p, rdflib.URIRef) and str(p).startswith(vocab.CKG)}
        assert set(cls.parents) == parents, name


def test_acled_annotations_match_rdflib(onto):
    for attr, prop in (("ACLED_EVENT_TYPES", "acledEventType"), ("ACLED_SUB_EVENT_TYPES", "acledSubEventType"),
                       ("ACLED_ACTOR_CATEGORIES", "acledActorCategory")):
        expected = {}
        for s, o in onto.subject_objects(CKG[prop]):
            expected.setdefault(_local(s), set()).add(str(o))
        assert {k: set(v) for k, v in getattr(vocab, attr).items()} == expected, attr


def test_class_sets_follow_the_subclass_closure(onto):
    def below(top: str) -> set[str]:
        return {_local(c) for c in onto.transitive_subjects(RDFS.subClassOf, CKG[top])
                if isinstance(c, rdflib.URIRef)}  # not the blank node `Actor and Place` below Country

    assert vocab.ACTOR_CLASSES == below("Actor")
    assert vocab.PLACE_CLASSES == below("Place")
    assert vocab.EVENT_CLASSES == below("Event") - {"MergedEvent"}
    assert vocab.NON_STATE == {"RebelGroup", "JihadistGroup", "Militia"}
    assert vocab.STATE_CLASSES == {"Army", "AirForce", "Navy", "StateForce", "ArmedForce", "SecurityForce",
                                   "Police", "Government", "Country"}


def test_unknown_terms_are_refused():
    assert vocab.ckg_class("Airstrike") == vocab.CKG + "Airstrike"
    with pytest.raises(KeyError, match="Airstrke"):
        vocab.ckg_class("Airstrke")
    with pytest.raises(KeyError, match="an event class"):
        vocab.event_class("Village")
    with pytest.raises(KeyError, match="a place class"):
        vocab.place_class("Army")
    assert vocab.actor_class("Country") == vocab.place_class("Country") == "Country"


def test_event_data_names_event_classes():
    assert set(vocab.EVENT_PRIORITY) == set(vocab.MERGE_FAMILIES) == vocab.EVENT_CLASSES - {"Event"}
    assert vocab.priority_rank("Airstrike") == 0 and vocab.priority_rank("NoSuchClass") == 99


def test_rdf_mapping_refuses_an_unknown_class():
    from kg.graph.rdf import graph_triples
    from kg.model.records import Article, EventRecord, Evidence, Extraction

    ex = Extraction(article=Article(text="x", published=dt.date(2020, 1, 1)),
                    events=[EventRecord(cls="Airstrke", trigger="x", evidence=Evidence("x", 0, 1))])
    with pytest.raises(KeyError, match="Airstrke"):
        graph_triples(ex)


def test_importing_vocab_reads_no_file():
    """`kg query` imports vocab for its prefixes: the ontology is read only when a class set is asked for."""
    code = "import kg.model.vocab as v; assert not v._cache; v.EVENT_CLASSES; assert v._cache"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(shipped("ontology").parent))

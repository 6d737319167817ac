"""Property-based tests: whatever text or JSONL record comes in, reading and extraction never crash,
and whatever is written validates against the SHACL shapes."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.read.readers import InputError, _jsonl_record, article_from_text

WORDS = ["rebels", "army", "killed", "Homs", "Talbiseh", "airstrike", "said", "the", "at least", "10", "on Monday",
         "Syrian", "Russian", "warplanes", "backed by", "captured", "town of", "province", "—", "(AP)", "\n\n", ",", "."]

texty = st.one_of(
    st.text(min_size=1, max_size=400),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texty)
def test_any_text_extracts_and_validates(text):
    from kg.nlp.extract import extract
    from kg.graph.ontology import validate_graph
    from kg.graph.rdf import graph_triples

    try:
        art = article_from_text(text, source="prop", published=dt.date(2020, 5, 7))
    except InputError:
        return  # e.g. only whitespace or page furniture: refused with a message, not a crash
    ex = next(iter(extract([art])))
    quads = graph_triples(ex)
    import rdflib

    g = rdflib.Graph()
    for q in quads:
        g.add(tuple(_to_rdflib(t) for t in (q.subject, q.predicate, q.object)))
    rep = validate_graph(g)
    assert rep.conforms, rep.text


def _to_rdflib(t):
    import pyoxigraph as ox
    import rdflib

    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return rdflib.BNode(t.value)
    if t.language:
        return rdflib.Literal(t.value, lang=t.language)
    return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
records = st.dictionaries(
    st.sampled_from(["text", "title", "url", "outlet", "published", "extra"]), json_values, max_size=6
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(records, json_values))
def test_any_jsonl_record_is_an_article_or_one_clear_error(rec):
    line = json.dumps(rec)
    try:
        art = _jsonl_record(line, "x.jsonl:1")
    except InputError as e:
        msg = str(e)
        assert msg.startswith("x.jsonl:1") and "\n" not in msg
        return
    assert isinstance(rec, dict) and isinstance(rec.get("text"), str) and art.text.strip() or art.title

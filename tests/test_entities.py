"""The entities graph (kg/entities.py): each actor's and place's descriptive facts once, next to
the self-contained article graphs; kept exact through replace and drop; derived for stores written
before it existed; and the named queries that read it answer as their union-graph versions did
(tests/fixtures/union-queries/: the queries as they were before the entities graph)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.graph.entities import entity_quads, is_article_graph
from kg.sparql.formats import term_value
from kg.sparql.named import bind_params, parse_query_file, run_named, with_bindings
from kg.store import open_store
from kg.store.embedded import EmbeddedStore
from kg.model.vocab import ENTITIES_GRAPH

from .conftest import CORPUS, ROOT, run_kg

OUTLETS = ["mee-homs-offensive", "naharnet-army-pushes-offensive", "trt-regime-forces-attack-homs",
           "ukdj-syrian-troops-homs", "vov-syrian-army-russian-jets"]
UNION_QUERIES = ROOT / "tests" / "fixtures" / "union-queries"
E = ox.NamedNode(ENTITIES_GRAPH)


@pytest.fixture(scope="module")
def homs(tmp_path_factory):
    """The five Homs outlets (shared actors and places, dated) as a JSONL file and a store."""
    if not (CORPUS / "homs-2015").is_dir():
        pytest.skip("corpus not found")
    d = tmp_path_factory.mktemp("entities")
    lines = []
    for name in OUTLETS:
        gold = json.loads((CORPUS / "homs-2015" / f"{name}.gold.json").read_text(encoding="utf-8"))
        text = (CORPUS / "homs-2015" / f"{name}.txt").read_text(encoding="utf-8")
        lines.append(json.dumps({"text": text, "outlet": gold["outlet"], "published": gold["published"]}))
    src = d / "homs.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = d / "store"
    p = run_kg("ingest", str(src), store=store)
    assert p.returncode == 0, p.stderr_text
    return src, store


def _entities(db: ox.Store) -> set[ox.Quad]:
    return set(db.quads_for_pattern(None, None, None, E))


def _derived(db: ox.Store) -> tuple[set[ox.Quad], int]:
    """What the entities graph should hold, from the article graphs; and the sum of the articles'
    own entity facts (what the union graph repeats)."""
    facts: set[ox.Quad] = set()
    total = 0
    for g in db.named_graphs():
        if isinstance(g, ox.NamedNode) and is_article_graph(g.value):
            mine = entity_quads(db.quads_for_pattern(None, None, None, g))
            total += len(mine)
            facts.update(mine)
    return facts, total


def test_entities_graph_holds_each_fact_once(homs):
    _, store = homs
    db = ox.Store.read_only(str(store))
    have = _entities(db)
    want, repeated = _derived(db)
    assert have == want
    assert len(have) < repeated  # the outlets share actors and places: the union repeats them
    # every name has its lower-cased key; no per-article claim leaks in
    names = {(q.subject, q.object.value.lower()) for q in have
             if q.predicate.value.endswith(("#label", "#altLabel"))}
    keys = {(q.subject, q.object.value) for q in have if q.predicate.value.endswith("#nameKey")}
    assert names == keys
    assert not {q.predicate.value.rsplit("#", 1)[-1] for q in have} & {"mentionedIn", "controls", "supports"}
    # the article graphs stay self-contained: each still holds its own entity facts
    syria_label = [q for q in db.quads_for_pattern(ox.NamedNode("https://w3id.org/conflict-kg/id/actor/sy/army"),
                                                   ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None, None)]
    assert len({q.graph_name for q in syria_label}) > 2


CASES = [
    ("who-controls", {"place": "talbisseh"}),
    ("places-in", {"place": "Homs province"}),
    ("actor-events", {"actor": "Syrian army"}),
    ("evidence", {"subject": "rebels", "object": "Talbisseh"}),
    ("control-at", {"place": "Talbisseh", "date": "2015-10-20"}),
    ("control-at", {"place": "Talbisseh", "date": "2015-10-14"}),
    ("control-history", {"place": "Homs province"}),
    ("actors-in-place", {"place": "Homs province"}),
]


@pytest.mark.parametrize("name,params", CASES, ids=[f"{n}-{'-'.join(p.values())}" for n, p in CASES])
def test_queries_agree_with_their_union_graph_versions(homs, name, params):
    _, store = homs
    with open_store(str(store), read_only=True) as s:
        new = run_named(s, name, params)
        old_q = parse_query_file(UNION_QUERIES / f"{name}.rq")
        old = s.query(with_bindings(old_q.sparql, bind_params(old_q, params)))

    def rows(res) -> list[str]:
        out = []
        for r in res.rows:
            cells = [term_value(t, short=False) for t in r]
            # GROUP_CONCAT lists in no defined order: compare them as sets
            out.append(json.dumps([", ".join(sorted(c.split(", "))) for c in cells]))
        return sorted(out)

    assert new.variables == old.variables
    assert rows(new) == rows(old)
    if name in ("who-controls", "actor-events", "control-history", "places-in"):
        assert new.rows  # the comparison compares something


def test_replace_and_drop_keep_the_entities_graph_exact(homs, tmp_path):
    src, store = homs
    work = tmp_path / "store"
    shutil.copytree(store, work)
    p = run_kg("ingest", str(src), "--replace", "--no-merge", store=work)
    assert p.returncode == 0, p.stderr_text
    s = EmbeddedStore(work)
    try:
        want, _ = _derived(s._db)
        assert _entities(s._db) == want
        articles = [g for g in s.graphs() if is_article_graph(g)]
        for g in articles[:3]:
            s.drop_graph(g)  # what only those articles said of a node goes with them
        want, _ = _derived(s._db)
        assert _entities(s._db) == want
        s.put_graph(articles[-1], list(s._db.quads_for_pattern(None, None, None, ox.NamedNode(articles[-1])))[:40])
        want, _ = _derived(s._db)
        assert _entities(s._db) == want
    finally:
        s.close()


def test_a_store_without_entities_graph_is_migrated(homs, tmp_path):
    _, store = homs
    before = _entities(ox.Store.read_only(str(store)))
    for mode in ("writable", "read-only"):
        work = tmp_path / mode
        shutil.copytree(store, work)
        db = ox.Store(str(work))
        db.remove_graph(E)  # as written by conflict-kg before the entities graph
        del db
        s = open_store(str(work), read_only=(mode == "read-only"))
        try:
            assert _entities(s._db) == before
            assert run_named(s, "who-controls", {"place": "Talbisseh"}).rows
        finally:
            s.close()


def test_endpoint_store_keeps_the_same_entities_graph(homs, oxigraph_server):
    src, store = homs
    env = {"KG_ENDPOINT": oxigraph_server}
    p = run_kg("ingest", str(src), "--no-merge", env=env)
    assert p.returncode == 0, p.stderr_text
    p = run_kg("ingest", str(src), "--replace", "--no-merge", env=env)  # replacing recomputes
    assert p.returncode == 0, p.stderr_text
    s = open_store(endpoint=oxigraph_server, read_only=True)
    try:
        res = s.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}")
        remote = {(str(a), str(b), str(c)) for a, b, c in res.rows}
        local = {(str(q.subject), str(q.predicate), str(q.object)) for q in _entities(ox.Store.read_only(str(store)))}
        assert remote == local
        assert run_named(s, "who-controls", {"place": "Talbisseh"}).rows
    finally:
        s.close()
    # data written before the entities graph existed: the first writable open derives it
    w = open_store(endpoint=oxigraph_server)
    w.update(f"DROP GRAPH <{ENTITIES_GRAPH}>")
    w.close()
    w = open_store(endpoint=oxigraph_server)
    try:
        res = w.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}")
        assert {(str(a), str(b), str(c)) for a, b, c in res.rows} == local
    finally:
        w.close()

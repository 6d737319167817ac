"""Servers that fail: a fault-injecting proxy (tests/faultproxy.py) in front of real Oxigraph
servers on 127.0.0.1 - the store's SPARQL server and a Wikidata-shaped one for `kg link wikidata`.

For every fault: the client retries with backoff for a bounded time, then fails with one line
naming the server and the fault; no article is reported loaded unless the server confirmed it;
once the faults stop, a rerun leaves the server holding exactly what the embedded store holds for
the same input (and the linking cache holds only whole, correct answers).
Timeouts, retries and pauses are made small through the environment to keep this quick.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from kg.ops.ingest import ingest_articles
from kg.read.readers import read_all
from kg.store.base import StoreError
from kg.store.embedded import EmbeddedStore
from kg.store.endpoint import EndpointStore

from .conftest import CORPUS, run_kg
from .faultproxy import FaultProxy, queries, writes
from .servers import OxigraphServer, oxigraph_binary

ARTICLES = ["afghanistan-nerkh-district.txt", "cameroon-galim-attack.txt", "car-tagbara-un-base-2018.txt"]
ARTICLE_PREFIX = "https://w3id.org/conflict-kg/id/article/"
ENV = {"KG_ENDPOINT_TIMEOUT": "0.6", "KG_ENDPOINT_RETRIES": "3", "KG_ENDPOINT_BACKOFF": "0.05",
       "KG_ENDPOINT_MAX_WAIT": "0.3"}
STALL_S = 1.5  # past the 0.6 s client timeout
# what the one-line error must say for each fault
SAYS = {"500": "HTTP 500", "503": "HTTP 503", "429": "HTTP 429", "reset": "connection lost",
        "stall": "timed out", "truncate": "unreadable results", "malformed": "unreadable results",
        "drop_reply": "connection lost"}


@pytest.fixture(autouse=True)
def small_limits(monkeypatch):
    for k, v in ENV.items():
        monkeypatch.setenv(k, v)


@pytest.fixture(scope="module")
def proxy(oxigraph_server):
    with FaultProxy(oxigraph_server, stall_s=STALL_S) as p:
        yield p


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    """Three corpus articles, extracted once; ingest's extraction step is replaced by a lookup,
    so each test exercises the store path only (the part that talks to the server)."""
    paths = [str(CORPUS / "dev" / a) for a in ARTICLES]
    if not all(Path(p).exists() for p in paths):
        pytest.skip("corpus articles not found")
    from kg.ops.parallel import graphs_in_process

    arts = list(read_all(paths))
    graphs = {a.key: q for a, q in graphs_in_process(arts)}
    ref = tmp_path_factory.mktemp("ref") / "kg-store"
    emb = EmbeddedStore(ref)
    try:
        ingest_articles(arts, emb)
    finally:
        emb.close()
    return arts, graphs, ref


@pytest.fixture(autouse=True)
def cached_extraction(monkeypatch, request):
    if "articles" not in request.fixturenames:
        return
    arts, graphs, _ = request.getfixturevalue("articles")
    import kg.ops.parallel

    monkeypatch.setattr(kg.ops.parallel, "article_graphs",
                        lambda items, workers=1, batch_size=16: ((a, graphs[a.key]) for a in items))


def _drop_all(base: str) -> None:
    r = httpx.post(base + "/update", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code in (200, 204), r.text


def _by_graph(quads) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for q in quads:
        out.setdefault(q.graph_name.value, set()).add(f"{q.subject} {q.predicate} {q.object}")
    return out


def _server_graphs(base: str) -> dict[str, set[str]]:
    """Graph -> quads on the server itself (its whole dataset, asked directly, not through the proxy)."""
    import pyoxigraph as ox

    r = httpx.get(base + "/store", headers={"Accept": "application/n-quads"}, timeout=30)
    assert r.status_code == 200, r.text
    return _by_graph(ox.parse(r.content, format=ox.RdfFormat.N_QUADS))


def _embedded_graphs(store: Path) -> dict[str, set[str]]:
    import pyoxigraph as ox

    return _by_graph(ox.Store.read_only(str(store)))


def _assert_server_equals_embedded(base: str, ref: Path) -> None:
    srv, emb = _server_graphs(base), _embedded_graphs(ref)
    arts = lambda d: {g: q for g, q in d.items() if g.startswith(ARTICLE_PREFIX)}  # noqa: E731
    assert arts(srv) == arts(emb)
    onto = "https://w3id.org/conflict-kg/ontology"
    assert len(srv[onto]) == len(emb[onto])  # blank nodes differ, the count does not


def _ingest(url: str, arts, loaded: list[str]):
    store = EndpointStore(url)
    try:
        return ingest_articles(arts, store, on_article=lambda a, what: loaded.append(a.key) if what == "loaded" else None)
    finally:
        store.close()


# every fault once where it hurts most: on the article writes, or on the queries (skip check)
CASES = [(f, "writes") for f in ("500", "503", "reset", "drop_reply")] + \
        [(f, "queries") for f in ("429", "stall", "truncate", "malformed")]


@pytest.mark.parametrize("fault,target", CASES)
def test_persistent_fault_fails_in_one_line_then_a_rerun_completes(oxigraph_server, proxy, articles, fault, target):
    arts, _, ref = articles
    _drop_all(oxigraph_server)
    EndpointStore(proxy.url).close()  # set up first (ontology loaded): the fault hits the ingest itself
    proxy.inject(fault, match=writes if target == "writes" else queries)
    loaded: list[str] = []
    t0 = time.monotonic()
    try:
        with pytest.raises(StoreError) as e:
            _ingest(proxy.url, arts, loaded)
    finally:
        proxy.clear()
    took = time.monotonic() - t0
    msg = str(e.value)
    assert "\n" not in msg and proxy.url in msg and SAYS[fault] in msg and "after 3 attempts" in msg, msg
    assert took < 3 * (0.6 + 0.3) + 2, took  # bounded: attempts x (timeout + pause), whatever the fault
    # nothing is reported loaded that the server did not confirm (here: nothing at all) ...
    assert loaded == []
    on_server = {g for g in _server_graphs(oxigraph_server) if g.startswith(ARTICLE_PREFIX)}
    # ... although a write whose reply was dropped may well have reached the server
    if fault != "drop_reply":
        assert not on_server, on_server
    # faults stop: the rerun skips what the server holds, loads the rest, and matches the embedded store
    loaded.clear()
    report = _ingest(proxy.url, arts, loaded)
    assert (report.loaded, report.skipped, report.failed) == (len(arts) - len(on_server), len(on_server), 0)
    _assert_server_equals_embedded(oxigraph_server, ref)


@pytest.mark.parametrize("fault", ["500", "503", "429", "reset", "stall", "drop_reply", "truncate", "malformed"])
def test_transient_fault_is_retried_and_the_load_succeeds(oxigraph_server, proxy, articles, fault):
    arts, _, ref = articles
    _drop_all(oxigraph_server)
    EndpointStore(proxy.url).close()
    proxy.inject(fault, times=2, match=queries if fault in ("truncate", "malformed") else writes)
    try:
        report = _ingest(proxy.url, arts, [])
    finally:
        proxy.clear()
    assert (report.loaded, report.failed) == (len(arts), 0)
    _assert_server_equals_embedded(oxigraph_server, ref)


def test_retry_after_is_honoured(oxigraph_server, proxy, monkeypatch):
    monkeypatch.setenv("KG_ENDPOINT_MAX_WAIT", "5")
    store = EndpointStore(proxy.url, read_only=True)
    proxy.inject("503", times=1, match=queries)
    t0 = time.monotonic()
    try:
        assert store.query("ASK { }").boolean is True
    finally:
        proxy.clear()
        store.close()
    assert time.monotonic() - t0 >= 1.0  # the proxy asked for Retry-After: 1


def test_cli_ingest_against_a_failing_server(oxigraph_server, proxy, articles, tmp_path):
    """As a user sees it: one line, exit 1, no article listed as loaded; after the faults stop the
    rerun reports the articles the server got (reply dropped) as skipped."""
    _drop_all(oxigraph_server)
    paths = [str(CORPUS / "dev" / a) for a in ARTICLES]
    proxy.inject("drop_reply", match=writes, after=2)  # the ontology and the merge marker go through
    try:
        p = run_kg("ingest", "--batch-size", "1", *paths, "--endpoint", proxy.url, env=ENV)
    finally:
        proxy.clear()
    lines = p.stderr_text.strip().splitlines()
    assert p.returncode == 1 and "Traceback" not in p.stderr_text, p.stderr_text
    assert len(lines) == 1 and lines[0].startswith(f"kg: error: endpoint {proxy.url}/"), lines
    assert "failed: connection lost (connection reset by peer) (after 3 attempts)" in lines[0], lines
    assert "(0 loaded, 0 skipped (already in store), 0 failed before the failure; rerun to resume)" in lines[0]
    on_server = {g for g in _server_graphs(oxigraph_server) if g.startswith(ARTICLE_PREFIX)}
    p = run_kg("ingest", *paths, "--endpoint", proxy.url, env=ENV)
    assert p.returncode == 0, p.stderr_text
    n = len(on_server)
    assert f"{len(ARTICLES) - n} loaded, {n} skipped" in p.stderr_text, p.stderr_text


# -- kg link wikidata against a failing Wikidata-style endpoint ---------------------------------------
@pytest.fixture(scope="module")
def wd(tmp_path_factory):
    from .wikidata_fixture import fixture_files

    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server binary is not installed")
    with OxigraphServer(fixture_files(), tmp_path_factory.mktemp("wd")) as server:
        with FaultProxy(server.base, stall_s=STALL_S) as p:
            yield p


@pytest.fixture(scope="module")
def wd_reference(wd, example_store, tmp_path_factory):
    """Entities of the example store, linked once through the proxy with no fault: the links and
    the cache rows every faulty run is compared with."""
    from kg.ops.link.client import AnswerCache, SparqlClient
    from kg.ops.link.wikidata import link_entities, read_entities

    store = EmbeddedStore(example_store, read_only=True)
    try:
        ents = read_entities(store)
    finally:
        store.close()
    folder = tmp_path_factory.mktemp("wdcache")
    client = SparqlClient(wd.url + "/query")
    rep = link_entities(ents, client=client, cache=AnswerCache(folder), endpoint=wd.url + "/query", batch=10)
    assert client.requests >= 4 and rep.links
    return ents, _links(rep), _cache_rows(folder), client.requests


def _links(rep) -> set[tuple[str, str, str]]:
    return {(lk.node, lk.qid, f"{lk.score:.3f}") for lk in rep.links}


def _cache_rows(folder: Path) -> set[tuple[str, str, str]]:
    db = sqlite3.connect(str(folder / "wikidata-cache.sqlite"))
    try:
        return {(k, key, rows) for k, key, rows in db.execute("SELECT kind, key, rows FROM answer")}
    finally:
        db.close()


@pytest.mark.parametrize("fault", ["500", "503", "429", "reset", "stall", "truncate", "malformed"])
def test_link_wikidata_survives_a_failing_endpoint(wd, wd_reference, tmp_path, monkeypatch, fault):
    from kg.ops.link.client import AnswerCache, LinkError, SparqlClient
    from kg.ops.link.wikidata import link_entities

    monkeypatch.setenv("KG_WIKIDATA_TIMEOUT", "0.6")
    monkeypatch.setenv("KG_WIKIDATA_RETRIES", "2")
    monkeypatch.setenv("KG_WIKIDATA_BACKOFF", "0.05")
    monkeypatch.setenv("KG_WIKIDATA_MAX_WAIT", "0.3")
    ents, ref_links, ref_cache, ref_requests = wd_reference
    endpoint = wd.url + "/query"
    proxy_after = 2  # two batches are answered, then the service fails for good
    wd.inject(fault, match=queries, after=proxy_after)
    t0 = time.monotonic()
    try:
        with pytest.raises(LinkError) as e:
            link_entities(ents, client=SparqlClient(endpoint), cache=AnswerCache(tmp_path), endpoint=endpoint, batch=10)
    finally:
        wd.clear()
    msg = str(e.value)
    assert "\n" not in msg and endpoint in msg and "after 3 attempts" in msg, msg
    assert {"500": "HTTP 500", "503": "HTTP 503", "429": "HTTP 429", "reset": "connection lost",
            "stall": "timed out", "truncate": "not SPARQL JSON", "malformed": "not SPARQL JSON"}[fault] in msg, msg
    assert time.monotonic() - t0 < 3 * (0.6 + 0.3) + 3
    # the cache holds the whole batches answered before the failure, exactly as a clean run has them
    got = _cache_rows(tmp_path)
    assert got and got <= ref_cache
    # faults gone: the rerun asks only for what is missing and links exactly as a clean run
    client = SparqlClient(endpoint)
    rep = link_entities(ents, client=client, cache=AnswerCache(tmp_path), endpoint=endpoint, batch=10)
    assert _links(rep) == ref_links
    assert client.requests == ref_requests - proxy_after
    assert _cache_rows(tmp_path) == ref_cache


def test_cli_link_wikidata_failing_endpoint_is_one_line(wd, example_store, tmp_path):
    import shutil

    store = tmp_path / "s"
    shutil.copytree(example_store, store)
    wd.inject("503", match=queries)
    try:
        p = run_kg("link", "wikidata", "--wikidata-endpoint", wd.url + "/query", "--cache-dir", str(tmp_path / "c"),
                   store=store, env={"KG_WIKIDATA_RETRIES": "1", "KG_WIKIDATA_MAX_WAIT": "0.1"})
    finally:
        wd.clear()
    lines = p.stderr_text.strip().splitlines()
    assert p.returncode == 1 and len(lines) == 1 and "Traceback" not in p.stderr_text, p.stderr_text
    assert lines[0] == f"kg: error: {wd.url}/query: HTTP 503 (Retry-After 1s) (after 2 attempts)"

"""`kg link wikidata` against a real SPARQL server: an Oxigraph server on 127.0.0.1 loaded with a
small Wikidata-shaped fixture (tests/fixtures/wikidata/, with decoys), graphs built from the
example article and the gold corpora. No network beyond 127.0.0.1: the HTTP client's retry logic
is tested with httpx's mock transport.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from kg.ops.link.client import AnswerCache, LinkError, SparqlClient, retry_after_seconds
from kg.ops.link.wikidata import LINK_GRAPH, Entity, link_entities, link_wikidata, read_entities, search_names
from kg.store import open_store

from .conftest import CORPUS, ROOT, run_kg
from .wikidata_fixture import OxigraphServer, expected_links, fixture_files, oxigraph_binary, score_links

CKR = "https://w3id.org/conflict-kg/id/"


@pytest.fixture(scope="module")
def wd_server(tmp_path_factory):
    """A Wikidata-shaped SPARQL endpoint for this module's tests."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server binary is not installed (pip install '.[dev]')")
    with OxigraphServer(fixture_files(), tmp_path_factory.mktemp("wikidata-server")) as server:
        yield server


@pytest.fixture(scope="module")
def linked_example(example_store, wd_server, tmp_path_factory):
    """A copy of the example store, linked once through the CLI with an empty cache."""
    tmp = tmp_path_factory.mktemp("linked")
    store = tmp / "kg-store"
    shutil.copytree(example_store, store)
    cache = tmp / "cache"
    p = run_kg("link", "wikidata", "--wikidata-endpoint", wd_server.query_url, "--cache-dir", str(cache),
               store=store)
    assert p.returncode == 0, p.stderr_text
    return store, cache, p


def _links(store: Path) -> dict[str, tuple[str, float, str]]:
    s = open_store(str(store), read_only=True)
    try:
        res = s.query(
            f"SELECT ?n ?o ?score ?m WHERE {{ GRAPH <{LINK_GRAPH}> {{ ?n owl:sameAs ?o . "
            "?l a ckg:Link ; rdf:subject ?n ; rdf:predicate owl:sameAs ; rdf:object ?o ; "
            "ckg:linkScore ?score ; ckg:linkMethod ?m } }"
        )
    finally:
        s.close()
    return {r[0].value: (r[1].value.rsplit("/", 1)[-1], float(r[2].value), r[3].value) for r in res.rows}


# -- the command on the example article ----------------------------------------------------------
def test_links_example_article(linked_example):
    store, _, p = linked_example
    assert "linked" in p.stderr_text and "Traceback" not in p.stderr_text
    links = _links(store)
    assert links[CKR + "place/geonames/163843"][:1] == ("Q858",)  # Syria, by GeoNames id
    assert links[CKR + "place/geonames/163843"][2] == "geonames-id"
    assert links[CKR + "actor/agence-france-presse"] == ("Q40464", 1.0, "lexicon")
    assert links[CKR + "place/geonames/169575"][2] == "geonames-id"  # Homs province, by its GeoNames id
    assert all(0.75 <= score <= 1.0 for _, score, _ in links.values())


def test_example_precision_recall(linked_example):
    store, _, _ = linked_example
    s = open_store(str(store), read_only=True)
    try:
        nodes = [e.iri for e in read_entities(s)]
    finally:
        s.close()
    from kg.ops.link.wikidata import Link

    links = [Link(n, "", q, "", sc, m) for n, (q, sc, m) in _links(store).items()]
    sc = score_links(links, nodes)
    assert sc.precision >= 0.95, sc.errors
    assert sc.recall >= 0.85, sc.misses


def test_second_run_needs_no_network(linked_example, wd_server):
    store, cache, _ = linked_example
    # offline: the cache alone
    p = run_kg("link", "wikidata", "--wikidata-endpoint", wd_server.query_url, "--cache-dir", str(cache),
               "--offline", store=store)
    assert p.returncode == 0, p.stderr_text
    assert " 0 Wikidata requests" in p.stderr_text
    # in-process: a second run sends no HTTP request at all
    s = open_store(str(store))
    client = SparqlClient(wd_server.query_url)
    try:
        rep = link_wikidata(s, endpoint=wd_server.query_url, cache=AnswerCache(cache), client=client, dry_run=True)
    finally:
        s.close()
    assert client.requests == 0 and rep.requests == 0 and rep.cached > 0 and rep.links


def test_offline_without_cache_is_one_line_error(linked_example, wd_server, tmp_path):
    store, _, _ = linked_example
    before = _links(store)
    p = run_kg("link", "wikidata", "--wikidata-endpoint", wd_server.query_url, "--cache-dir",
               str(tmp_path / "empty"), "--offline", store=store)
    assert p.returncode == 1
    assert p.stderr_text.startswith("kg: error: --offline:") and len(p.stderr_text.splitlines()) == 1
    assert _links(store) == before  # nothing was replaced


def test_dry_run_threshold_and_undo(linked_example, wd_server, tmp_path):
    store, cache, _ = linked_example
    work = tmp_path / "s"
    shutil.copytree(store, work)
    before = _links(work)
    p = run_kg("link", "wikidata", "--wikidata-endpoint", wd_server.query_url, "--cache-dir", str(cache),
               "--dry-run", "--min-score", "1.0", store=work)
    assert p.returncode == 0, p.stderr_text
    shown = [line.split("\t") for line in p.stdout_text.splitlines()]
    assert shown and all(float(row[2]) >= 1.0 for row in shown)
    assert len(shown) < len(before)
    assert _links(work) == before  # a dry run writes nothing
    p = run_kg("link", "wikidata", "--undo", store=work)
    assert p.returncode == 0 and f"removed {len(before)} Wikidata links" in p.stderr_text
    assert _links(work) == {}
    # the article graphs are untouched: the lexicon's own owl:sameAs is still there
    s = open_store(str(work), read_only=True)
    try:
        assert s.query(f"ASK {{ <{CKR}actor/agence-france-presse> owl:sameAs wd:Q40464 }}").boolean
    finally:
        s.close()


def test_usage_errors(tmp_path):
    p = run_kg("link", "wikidata", "--wikidata-endpoint", "not-a-url", store=tmp_path / "s")
    assert p.returncode == 2 and "usage error" in p.stderr_text
    p = run_kg("link", "wikidata", "--undo", "--dry-run", store=tmp_path / "s")
    assert p.returncode == 2


def test_linked_store_conforms_to_shapes(linked_example):
    from kg.graph.ontology import validate_graph
    from kg.ops.stats import data_graph

    store, _, _ = linked_example
    s = open_store(str(store), read_only=True)
    try:
        g = data_graph(s)
    finally:
        s.close()
    rep = validate_graph(g)
    assert rep.conforms, rep.text


# -- candidates and decoys (hand-made entities, so extraction changes cannot move them) --------
def _ent(iri: str, cls: str, label: str, aliases=(), cc=None, kind="actor", gid=None) -> Entity:
    return Entity(CKR + iri, kind, {cls}, [label], list(aliases), cc, gid)


def _link(wd_server, tmp_path, ents):
    return link_entities(ents, client=SparqlClient(wd_server.query_url), cache=AnswerCache(tmp_path),
                         endpoint=wd_server.query_url)


def test_decoys(wd_server, tmp_path):
    ents = [
        _ent("actor/eln", "RebelGroup", "National Liberation Army", ["ELN"], "CO"),  # vs Bolivia, Libya
        _ent("actor/hezbollah", "Militia", "Hezbollah", ["Hezbollah militias"], "LB"),  # vs Turkish Hezbollah
        _ent("actor/sd/army", "Army", "Sudanese army", ["SAF"], "SD"),  # vs Singapore Armed Forces
        _ent("actor/rapid-support-forces", "Militia", "Rapid Support Forces", ["RSF"], "SD"),  # vs RSF (NGO)
        _ent("actor/name/health-ministry", "Government", "Health Ministry", [], "YE"),  # Israel's only
        _ent("actor/name/gao", "Organisation", "GAO"),  # an acronym alone is not enough
        _ent("actor/name/duterte", "Organisation", "Duterte"),  # a person: not a candidate
        _ent("actor/al-shabab", "JihadistGroup", "al-Shabab", [], "SO"),  # vs a football club
        _ent("actor/taliban", "JihadistGroup", "Taliban", ["insurgents"], "AF"),  # vs a disambiguation page
        _ent("place/geonames/370737", "City", "Malakal", cc="SS", kind="place", gid="370737"),  # vs a county
    ]
    rep = _link(wd_server, tmp_path, ents)
    got = {link.node.removeprefix(CKR): (link.qid, link.wd_label) for link in rep.links}
    exp = expected_links()
    for e in ents:
        want = exp.get(e.iri)
        assert (got.get(e.iri.removeprefix(CKR)) or (None,))[0] == want, (e.iri, got.get(e.iri.removeprefix(CKR)))
    assert got["actor/eln"][1] == "National Liberation Army"
    assert got["place/geonames/370737"][1] == "Malakal"


def test_ambiguous_candidates_are_reported_not_linked(wd_server, tmp_path):
    ents = [_ent("actor/name/nla", "RebelGroup", "National Liberation Army")]  # no country to decide
    rep = _link(wd_server, tmp_path, ents)
    assert not rep.links
    assert len(rep.ambiguous) == 1 and len(rep.ambiguous[0].candidates) == 3


def test_search_names_skip_generic_aliases():
    e = _ent("actor/sy/army", "Army", "Syrian army", ["the army", "soldiers", "Syrian troops", "SAA"], "SY")
    names = search_names(e)
    assert "Syrian Army" in names and "SAA" in names
    assert not any(n.lower() in ("army", "the army", "soldiers") for n in names)


# -- the gold corpora ----------------------------------------------------------------------------
@pytest.mark.skipif(not (CORPUS / "dev").is_dir(), reason="gold corpora not available")
def test_gold_corpora_precision_recall(wd_server, tmp_path):
    store = tmp_path / "kg-store"
    p = run_kg("ingest", "-q", str(CORPUS / "dev"), str(CORPUS / "homs-2015"), store=store)
    assert p.returncode == 0, p.stderr_text
    s = open_store(str(store))
    try:
        nodes = [e.iri for e in read_entities(s)]
        rep = link_wikidata(s, endpoint=wd_server.query_url, cache=AnswerCache(tmp_path / "cache"),
                            client=SparqlClient(wd_server.query_url))
    finally:
        s.close()
    sc = score_links(rep.links, nodes)
    assert sc.precision >= 0.95, sc.errors
    assert sc.recall >= 0.85, sc.misses
    assert len(rep.links) >= 150


# -- federation ----------------------------------------------------------------------------------
def test_federated_enrichment_query_shape(linked_example, wd_server, tmp_path):
    """The shipped query, with its SERVICE pointed at the local server instead of Wikidata."""
    text = (ROOT / "queries" / "wikidata-enrich-places.rq").read_text(encoding="utf-8")
    assert "SERVICE <https://query.wikidata.org/sparql>" in text and "NEEDS NETWORK" in text
    local = tmp_path / "enrich-local.rq"
    local.write_text(text.replace("https://query.wikidata.org/sparql", wd_server.query_url), encoding="utf-8")
    store, _, _ = linked_example
    p = run_kg("query", str(local), "--param", "place=Syria", "--format", "csv", store=store)
    assert p.returncode == 0, p.stderr_text
    rows = [line.split(",") for line in p.stdout_text.splitlines()[1:]]
    assert rows and rows[0][2] == "http://www.wikidata.org/entity/Q858"
    assert int(rows[0][3]) > 1_000_000 and rows[0][4].startswith("Point(")


# -- the HTTP client (mock transport: no network) ------------------------------------------------
def _mock(responses: list) -> tuple[SparqlClient, list[float], list[httpx.Request]]:
    sleeps: list[float] = []
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        r = responses.pop(0)
        if isinstance(r, Exception):
            raise r
        return r

    client = SparqlClient("https://wd.example/sparql", transport=httpx.MockTransport(handler),
                          sleep=sleeps.append, retries=3, backoff=1.0)
    return client, sleeps, seen


OK = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}


def test_client_retries_429_and_5xx_honouring_retry_after():
    client, sleeps, seen = _mock([
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(503),
        httpx.ConnectTimeout("slow"),
        httpx.Response(200, json=OK),
    ])
    assert client.select("SELECT * {}") == OK["results"]["bindings"]
    assert sleeps[0] == 7.0 and len(sleeps) == 3  # Retry-After wins over the backoff
    assert 1.5 <= sleeps[1] <= 2.5 and 3.0 <= sleeps[2] <= 5.0  # exponential backoff with jitter
    assert seen[0].headers["User-Agent"].startswith("conflict-kg/")
    assert seen[0].method == "POST" and b"query=" in seen[0].content


def test_client_gives_up_with_one_line():
    client, sleeps, _ = _mock([httpx.Response(500)] * 4)
    with pytest.raises(LinkError, match="HTTP 500"):
        client.select("SELECT * {}")
    assert len(sleeps) == 3
    client, sleeps, _ = _mock([httpx.Response(400, text="bad query\nmore")])
    with pytest.raises(LinkError, match="HTTP 400: bad query$"):
        client.select("SELECT * {}")
    assert sleeps == []  # a 400 is not retried


def test_retry_after_forms():
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past


def test_cache_keeps_whole_batches_when_interrupted(wd_server, tmp_path):
    """A run killed between batches leaves the batches already answered, each one whole."""
    ents = [_ent(f"place/geonames/{g}", "Country", n, kind="place", gid=g)
            for g, n in (("163843", "Syria"), ("2017370", "Russia"), ("272103", "Lebanon"))]

    class Dies(SparqlClient):
        def select(self, query: str):
            if self.requests >= 1:
                raise KeyboardInterrupt
            return super().select(query)

    cache = AnswerCache(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        link_entities(ents, client=Dies(wd_server.query_url), cache=cache, endpoint=wd_server.query_url, batch=2)
    assert cache.count() == 2
    client = SparqlClient(wd_server.query_url)
    rep = link_entities(ents, client=client, cache=AnswerCache(tmp_path), endpoint=wd_server.query_url, batch=2)
    assert client.requests == 1 and rep.cached == 2 and len(rep.links) == 3


def test_unreachable_service_is_a_link_error(tmp_path):
    from .wikidata_fixture import free_port

    client = SparqlClient(f"http://127.0.0.1:{free_port()}/query", retries=0, timeout=2)
    with pytest.raises(LinkError, match="unreachable"):
        client.select("ASK {}")


def test_benchmark_script_runs(wd_server):
    """benchmarks/link_bench.py imports and its helpers agree with the test's (smoke test only)."""
    assert (ROOT / "benchmarks" / "link_bench.py").is_file()
    out = subprocess.run([sys.executable, "-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())",
                          str(ROOT / "benchmarks" / "link_bench.py")], capture_output=True)
    assert out.returncode == 0

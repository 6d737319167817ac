"""A SPARQL 1.1 server as the store: a real Oxigraph server (`oxigraph serve`, from the `oxigraph`
PyPI package) started on a free 127.0.0.1 port for this module, compared with the embedded store;
plus the HTTP edge cases (retries, refusals, credentials) against a scripted transport."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from .conftest import CORPUS, run_kg
from .servers import free_port

ARTICLES = ["afghanistan-nerkh-district.txt", "cameroon-galim-attack.txt", "car-tagbara-un-base-2018.txt"]


@pytest.fixture(scope="module")
def loaded(oxigraph_server, tmp_path_factory):
    """The same three corpus articles ingested into the server and into an embedded store."""
    paths = [str(CORPUS / "dev" / a) for a in ARTICLES]
    if not all(Path(p).exists() for p in paths):
        pytest.skip("corpus articles not found")
    store = tmp_path_factory.mktemp("emb") / "kg-store"
    p = run_kg("ingest", *paths, store=store)
    assert p.returncode == 0, p.stderr_text
    p = run_kg("ingest", *paths, "--endpoint", oxigraph_server)
    assert p.returncode == 0, p.stderr_text
    assert "3 loaded, 0 skipped" in p.stderr_text
    return oxigraph_server, store


def _quads(nq: str) -> tuple[set[str], int]:
    """Quads without blank nodes, and how many have them (blank node labels differ per store)."""
    lines = [ln for ln in nq.splitlines() if ln.strip()]
    return {ln for ln in lines if "_:" not in ln}, sum("_:" in ln for ln in lines)


def test_server_holds_the_same_quads_as_the_embedded_store(loaded):
    url, store = loaded
    remote = run_kg("export", "--format", "nq", "--endpoint", url)
    local = run_kg("export", "--format", "nq", store=store)
    assert remote.returncode == 0 and local.returncode == 0, remote.stderr_text + local.stderr_text
    r, rb = _quads(remote.stdout_text)
    lq, lb = _quads(local.stdout_text)
    assert r == lq
    assert rb == lb > 0  # the ontology's blank nodes (OWL restrictions) are all there


def test_query_export_stats_work_against_the_endpoint(loaded):
    url, store = loaded
    env = {"KG_ENDPOINT": url}
    for args in (["query", "events", "--format", "csv"], ["query", "actors", "--format", "json"],
                 ["query", "who-controls", "--param", "place=Nerkh", "--format", "csv"]):
        remote, local = run_kg(*args, env=env), run_kg(*args, store=store)
        assert remote.returncode == 0, remote.stderr_text
        if args[-1] == "csv":
            assert sorted(remote.stdout_text.splitlines()) == sorted(local.stdout_text.splitlines())
        else:
            rows = lambda p: sorted(json.dumps(b, sort_keys=True) for b in json.loads(p.stdout_text)["results"]["bindings"])  # noqa: E731
            assert rows(remote) == rows(local)
    s_remote = json.loads(run_kg("stats", "--format", "json", env=env).stdout_text)
    s_local = json.loads(run_kg("stats", "--format", "json", store=store).stdout_text)
    assert s_remote == s_local
    ttl = run_kg("export", "--format", "ttl", env=env)
    assert ttl.returncode == 0 and "ckg:" in ttl.stdout_text


def test_reingest_skips_and_update_needs_the_flag(loaded):
    url, _ = loaded
    p = run_kg("ingest", str(CORPUS / "dev" / ARTICLES[0]), "--endpoint", url)
    assert p.returncode == 0 and "0 loaded, 1 skipped" in p.stderr_text
    ins = 'INSERT DATA { GRAPH <https://w3id.org/conflict-kg/test> { ckr:x rdfs:label "x" } }'
    assert run_kg("query", "--sparql", ins, "--endpoint", url).returncode == 2
    p = run_kg("query", "--sparql", ins, "--update", "--endpoint", url)
    assert p.returncode == 0, p.stderr_text
    p = run_kg("query", "--sparql", "DROP GRAPH <https://w3id.org/conflict-kg/test>", "--update", "--endpoint", url)
    assert p.returncode == 0, p.stderr_text


def test_bad_sparql_is_one_line(oxigraph_server):
    p = run_kg("query", "--sparql", "SELEC ?x WHERE { ?x ?p ?o }", "--endpoint", oxigraph_server)
    assert p.returncode == 1 and "Traceback" not in p.stderr_text
    assert p.stderr_text.startswith("kg: error: invalid SPARQL") and len(p.stderr_text.strip().splitlines()) == 1


def test_server_down_is_one_line_and_exit_1():
    env = {"KG_ENDPOINT_RETRIES": "2", "KG_ENDPOINT_BACKOFF": "0.05"}
    url = f"http://127.0.0.1:{free_port()}"
    for args in (["query", "events"], ["stats"], ["export"], ["ingest", str(CORPUS / "dev" / ARTICLES[0])]):
        p = run_kg(*args, "--endpoint", url, env=env)
        assert p.returncode == 1, (args, p.stderr_text)
        lines = p.stderr_text.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in p.stderr_text, lines
        assert "cannot connect" in lines[0] and "after 2 attempts" in lines[0] and url in lines[0]


# -- HTTP behaviour against a scripted server -------------------------------------------------------
ASK_TRUE = {"head": {}, "boolean": True}


def _store(handler, monkeypatch, **env):
    from kg.store.endpoint import EndpointStore

    monkeypatch.setenv("KG_ENDPOINT_BACKOFF", "0.01")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return EndpointStore("http://kg.test:7878", read_only=True, transport=httpx.MockTransport(handler))


def test_5xx_and_timeouts_are_retried_then_succeed(monkeypatch):
    calls = []

    def handler(req: httpx.Request) -> httpx.Response:
        calls.append(req)
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow", request=req)
        if len(calls) == 2:
            return httpx.Response(503, text="busy")
        return httpx.Response(200, json=ASK_TRUE, headers={"content-type": "application/sparql-results+json"})

    st = _store(handler, monkeypatch)
    assert st.query("ASK { ?s ?p ?o }").boolean is True
    assert len(calls) == 3
    assert b"PREFIX+ckg%3A" in calls[-1].content and b"union-default-graph" in calls[-1].content


def test_failure_after_retries_names_server_never_credentials(monkeypatch):
    seen = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req.headers.get("authorization"))
        return httpx.Response(502, text="bad gateway")

    from kg.store.base import StoreError

    st = _store(handler, monkeypatch, KG_ENDPOINT_USER="alice", KG_ENDPOINT_PASSWORD="s3cret-pw",
                KG_ENDPOINT_RETRIES="3")
    with pytest.raises(StoreError) as e:
        st.query("SELECT * WHERE { ?s ?p ?o }")
    msg = str(e.value)
    assert "http://kg.test:7878/query" in msg and "HTTP 502" in msg and "after 3 attempts" in msg
    assert "s3cret" not in msg and "alice" not in msg and "\n" not in msg
    assert len(seen) == 3 and all(h and h.startswith("Basic ") for h in seen)


def test_password_from_a_file_is_used_and_never_shown(monkeypatch, tmp_path):
    seen = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req.headers.get("authorization"))
        return httpx.Response(502, text="bad gateway")

    import base64

    from kg.store.base import StoreError

    secret = tmp_path / "pw"
    secret.write_text("file-s3cret\n", encoding="utf-8")
    st = _store(handler, monkeypatch, KG_ENDPOINT_USER="alice", KG_ENDPOINT_PASSWORD_FILE=str(secret),
                KG_ENDPOINT_RETRIES="1")
    with pytest.raises(StoreError) as e:
        st.query("SELECT * WHERE { ?s ?p ?o }")
    assert seen == ["Basic " + base64.b64encode(b"alice:file-s3cret").decode()]
    assert "file-s3cret" not in str(e.value)
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(StoreError, match="KG_ENDPOINT_PASSWORD_FILE"):
        _store(handler, monkeypatch)


def test_credentials_in_the_url_are_refused():
    from kg.store.base import StoreError
    from kg.store.endpoint import EndpointStore

    with pytest.raises(StoreError, match="KG_ENDPOINT_USER") as e:
        EndpointStore("http://bob:pw123@127.0.0.1:9/", read_only=True)
    assert "pw123" not in str(e.value)


def test_split_urls(monkeypatch):
    from kg.store.endpoint import endpoint_urls

    assert endpoint_urls("http://h:7878/") == ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")
    assert endpoint_urls("http://h:8890/sparql") == ("http://h:8890/sparql", "http://h:8890/sparql",
                                                     "http://h:8890/sparql-graph-crud")
    monkeypatch.setenv("KG_ENDPOINT_UPDATE", "http://h:3030/ds/update")
    monkeypatch.setenv("KG_ENDPOINT_STORE", "http://h:3030/ds/data")
    assert endpoint_urls("http://h:3030/ds/query") == ("http://h:3030/ds/query", "http://h:3030/ds/update",
                                                       "http://h:3030/ds/data")


def test_a_refused_batch_falls_back_to_one_put_per_article(monkeypatch):
    import pyoxigraph as ox

    puts = []

    def handler(req: httpx.Request) -> httpx.Response:
        if req.url.path == "/update":
            return httpx.Response(400, text="batch refused")
        if req.method == "POST" and req.url.params["graph"] == "https://w3id.org/conflict-kg/entities":
            return httpx.Response(204)  # an article's entity facts, added before its PUT (kg/entities.py)
        assert req.method == "PUT" and req.url.path == "/store"
        puts.append(req.url.params["graph"])
        return httpx.Response(400 if req.url.params["graph"].endswith("bad") else 204, text="no")

    st = _store(handler, monkeypatch)
    st.read_only = False
    q = [ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o"))]
    rejected = st.put_graphs([("https://w3id.org/conflict-kg/id/article/good", q),
                              ("https://w3id.org/conflict-kg/id/article/bad", q)])
    assert list(rejected) == ["https://w3id.org/conflict-kg/id/article/bad"] and len(puts) == 2

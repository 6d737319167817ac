"""`kg serve`: the embedded store as a read-only SPARQL endpoint, run as a user runs it."""

from __future__ import annotations

import time

import httpx
import pytest

from .servers import KgServe


@pytest.fixture(scope="module")
def endpoint(example_store):
    with KgServe(example_store, "--max-rows", "50", "--timeout", "1") as server:
        yield server.url


def test_select_json_get_and_post(endpoint):
    q = "SELECT ?e WHERE { ?e a ckg:Airstrike } LIMIT 3"
    r = httpx.get(endpoint, params={"query": q})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    rows = r.json()["results"]["bindings"]
    assert rows and all(b["e"]["type"] == "uri" for b in rows)
    r2 = httpx.post(endpoint, data={"query": q})
    assert r2.json() == r.json()
    r3 = httpx.post(endpoint, content=q, headers={"Content-Type": "application/sparql-query"})
    assert r3.json() == r.json()


@pytest.mark.parametrize("accept,start", [
    ("text/csv", "e\r\n"), ("text/tab-separated-values", "?e\n"),
    ("application/sparql-results+xml", "<?xml"),
])
def test_formats_by_accept(endpoint, accept, start):
    r = httpx.get(endpoint, params={"query": "SELECT ?e WHERE { ?e a ckg:Airstrike } LIMIT 2"},
                  headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert r.text.startswith(start)


def test_the_endpoint_works_as_a_kg_store(endpoint):
    """`kg query --endpoint` against `kg serve`: the two halves of this issue agree."""
    from .conftest import run_kg

    p = run_kg("query", "who-controls", "--param", "place=Talbisseh", "--format", "csv", "--endpoint", endpoint)
    assert p.returncode == 0, p.stderr_text
    assert len(p.stdout_text.splitlines()) >= 2


def test_update_is_refused(endpoint):
    for r in (httpx.post(endpoint, data={"update": "DROP ALL"}),
              httpx.post(endpoint, content="DROP ALL", headers={"Content-Type": "application/sparql-update"}),
              httpx.post(endpoint, data={"query": "DELETE WHERE { ?s ?p ?o }"})):
        assert r.status_code == 403 and "read-only" in r.text
    assert httpx.put(endpoint, content="x").status_code == 405
    r = httpx.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 100  # still all there


def test_service_is_refused(endpoint):
    r = httpx.post(endpoint, data={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 400 and "SERVICE" in r.text and "--allow-service" in r.text


def test_limits_and_bad_queries(endpoint):
    r = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and "more than 50 rows" in r.text
    r = httpx.get(endpoint, params={"query": "SELEC * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and "invalid SPARQL" in r.text
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    t0 = time.monotonic()
    r = httpx.get(endpoint, params={"query": slow}, timeout=30)
    assert r.status_code == 503 and "timed out" in r.text and time.monotonic() - t0 < 10


def test_service_detection_ignores_strings_iris_and_variables():
    from kg.ops.serve import uses_service

    assert uses_service("SELECT * WHERE { service <http://x/> { ?s ?p ?o } }")
    assert not uses_service('SELECT ?service WHERE { ?service rdfs:label "SERVICE <x>" . <http://x/SERVICE> ?p ?o }')
    assert not uses_service("# SERVICE in a comment\nSELECT * WHERE { ?s ?p ?o }")


def test_fifty_concurrent_clients_all_get_the_right_answer(endpoint):
    """50 clients at once (a barrier releases them together), 4 queries each: every answer is
    200 and equal to the answer the endpoint gives a lone client."""
    import threading

    queries = ["SELECT ?e WHERE { ?e a ckg:Airstrike } ORDER BY ?e LIMIT 5",
               "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }",
               "ASK { ?e a ckg:Airstrike }",
               'SELECT ?p WHERE { ?p rdfs:label ?l FILTER(STR(?l) = "Talbisseh") }']
    expected = [httpx.get(endpoint, params={"query": q}).json() for q in queries]
    barrier = threading.Barrier(50)
    failures: list[str] = []
    done = []

    def client(i: int) -> None:
        with httpx.Client(timeout=30) as c:
            barrier.wait()
            for k in range(4):
                j = (i + k) % len(queries)
                try:
                    r = c.get(endpoint, params={"query": queries[j]})
                    ok = r.status_code == 200 and r.json() == expected[j]
                    if not ok:
                        failures.append(f"client {i}: HTTP {r.status_code} {r.text[:80]}")
                except httpx.HTTPError as e:
                    failures.append(f"client {i}: {type(e).__name__}: {e}")
                done.append(1)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures[:5]
    assert len(done) == 200


def test_service_only_with_allow_service(example_store, endpoint):
    """--allow-service lets a federated query through: here to the endpoint itself, on 127.0.0.1."""
    q = f"SELECT ?e WHERE {{ SERVICE <{endpoint}> {{ ?e a ckg:Airstrike }} }} LIMIT 1"
    assert httpx.get(endpoint, params={"query": q}).status_code == 400
    with KgServe(example_store, "--allow-service") as other:
        r = httpx.get(other.url, params={"query": q}, timeout=30)
        assert r.status_code == 200, r.text
        assert len(r.json()["results"]["bindings"]) == 1


def test_queries_past_the_budget_do_not_jam_the_endpoint(endpoint):
    """More runaway queries than query workers: each gets 503 at the budget, its worker is
    killed and replaced, and the endpoint answers the next query (with threads it stayed jammed)."""
    import threading

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    codes: list[int] = []
    threads = [threading.Thread(target=lambda: codes.append(
        httpx.get(endpoint, params={"query": slow}, timeout=30).status_code)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [503] * 6
    t0 = time.monotonic()
    r = httpx.get(endpoint, params={"query": "ASK { ?e a ckg:Airstrike }"}, timeout=30)
    while r.status_code != 200 and time.monotonic() - t0 < 15:
        time.sleep(0.2)
        r = httpx.get(endpoint, params={"query": "ASK { ?e a ckg:Airstrike }"}, timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is True
